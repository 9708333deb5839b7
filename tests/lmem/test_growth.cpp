// Chapter 1 tests: vector growth (luaM_growaux_), its limits, the size
// checks that keep byte counts from overflowing (invariant SIZE), and
// shrinking.
#include <cstring>
#include <string>

#include <catch2/catch.hpp>

#include "tests/lmem/support.hpp"

using namespace lua;
using lmemtest::catcherror;
using lmemtest::CountingState;

TEST_CASE("luaM_growaux_ doubles from MINSIZEARRAY up to the limit", "[lmem]") {
  CountingState t;
  int* v = nullptr;
  int size = 0;
  int seen[16] = {}, nseen = 0;
  for (int n = 0; n < 100; n++) {
    int before = size;
    luaM_growvector(t.L, v, n, size, 1000, "things");
    if (size != before) {
      CHECK(t.c.lastosize == before * sizeof(int));
      CHECK(t.c.lastnsize == size * sizeof(int));
      seen[nseen++] = size;
    }
    v[n] = n;  // the new element fits
  }
  const int expected[] = {4, 8, 16, 32, 64, 128};
  REQUIRE(nseen == 6);
  for (int i = 0; i < 6; i++) CHECK(seen[i] == expected[i]);
  for (int n = 0; n < 100; n++) REQUIRE(v[n] == n);
  CHECK(t.s.total() == 128 * sizeof(int));
  luaM_freearray(t.L, v, size);
  CHECK(t.c.held == 0);
}

TEST_CASE("luaM_growaux_ leaves a vector alone while one more element fits",
          "[lmem]") {
  CountingState t;
  int size = 0;
  void* v = luaM_growaux_(t.L, nullptr, 0, &size, sizeof(int), 100, "x");
  int calls = t.c.calls;
  void* same = luaM_growaux_(t.L, v, 3, &size, sizeof(int), 100, "x");
  CHECK(same == v);
  CHECK(size == 4);
  CHECK(t.c.calls == calls);
  luaM_free_(t.L, v, 4 * sizeof(int));
}

TEST_CASE("luaM_growaux_ reaches the limit exactly and then raises 'too many'",
          "[lmem]") {
  CountingState t;
  char* v = nullptr;
  int size = 0;
  int n = 0;
  for (; n < 10; n++) {
    luaM_growvector(t.L, v, n, size, 10, "things");
    v[n] = static_cast<char>('a' + n);
  }
  CHECK(size == 10);  // 4, 8, then straight to the limit
  char* old = v;
  LuaError e =
      catcherror([&] { luaM_growvector(t.L, v, n, size, 10, "things"); });
  CHECK(e.status == LUA_ERRRUN);
  CHECK(std::string(e.msg) == "too many things (limit is 10)");
  CHECK(size == 10);  // the failed growth kept the old size ...
  CHECK(v == old);    // ... and the old block, contents intact
  CHECK(std::memcmp(v, "abcdefghij", 10) == 0);
  CHECK(t.s.total() == 10);
  luaM_freearray(t.L, v, size);
}

TEST_CASE("a vector whose size is at least half the limit grows to the limit",
          "[lmem]") {
  CountingState t;
  int size = 6;  // 6 >= 11 / 2, so doubling would pass the limit
  void* v = luaM_malloc_(t.L, 6, 0);
  v = luaM_growaux_(t.L, v, 6, &size, 1, 11, "slots");
  CHECK(size == 11);
  CHECK(t.c.lastnsize == 11);
  luaM_free_(t.L, v, 11);
}

TEST_CASE("a failed growth raises LUA_ERRMEM and keeps the old size and block",
          "[lmem]") {
  CountingState t;
  int* v = nullptr;
  int size = 0;
  for (int n = 0; n < 8; n++) luaM_growvector(t.L, v, n, size, 1000, "x");
  REQUIRE(size == 8);
  for (int i = 0; i < 8; i++) v[i] = i * i;
  t.c.limit = t.c.held;  // no room to grow
  int* old = v;
  LuaError e = catcherror([&] { luaM_growvector(t.L, v, 8, size, 1000, "x"); });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(std::string(e.msg) == "not enough memory");
  CHECK(size == 8);
  CHECK(v == old);
  for (int i = 0; i < 8; i++) CHECK(v[i] == i * i);
  CHECK(t.s.total() == t.c.held);
  luaM_freearray(t.L, v, size);
}

TEST_CASE("luaM_limitN caps a limit so the vector's byte size fits size_t",
          "[lmem]") {
  using Huge = char[std::size_t(1) << 40];  // a type, never instantiated
  STATIC_REQUIRE(luaM_limitN<Huge>(1000) == 1000);
  STATIC_REQUIRE(luaM_limitN<Huge>(MAX_INT) ==
                 static_cast<int>(MAX_SIZET / (std::size_t(1) << 40)));
  STATIC_REQUIRE(luaM_limitN<double>(MAX_INT) == MAX_INT);
}

TEST_CASE(
    "luaM_checksize raises 'block too big' when n + 1 elements would "
    "overflow",
    "[lmem]") {
  CountingState t;
  auto check = [&](std::size_t n, std::size_t e) {
    return catcherror([&] { luaM_checksize(t.L, n, e); });
  };
  CHECK(check(MAX_SIZET / 8 - 1, 8).status == LUA_OK);
  LuaError e = check(MAX_SIZET / 8, 8);
  CHECK(e.status == LUA_ERRRUN);
  CHECK(std::string(e.msg) == "memory allocation error: block too big");
  CHECK(check(MAX_SIZET, 1).status == LUA_ERRRUN);  // n + 1 would wrap
  CHECK(check(MAX_SIZET - 1, 1).status == LUA_OK);  // MAX_SIZET bytes fit
  CHECK(t.c.calls == 0);  // the allocator is never asked
}

TEST_CASE("luaM_toobig raises a runtime error, not a memory error", "[lmem]") {
  CountingState t;
  LuaError e = catcherror([&] { luaM_toobig(t.L); });
  CHECK(e.status == LUA_ERRRUN);
  CHECK(std::string(e.msg) == "memory allocation error: block too big");
}

TEST_CASE(
    "luaM_shrinkvector_ trims a vector to its final size keeping its "
    "contents",
    "[lmem]") {
  CountingState t;
  int size = 16;
  int* v = luaM_newvector<int>(t.L, size);
  for (int i = 0; i < 16; i++) v[i] = 100 + i;
  luaM_shrinkvector(t.L, v, size, 5);
  CHECK(size == 5);
  CHECK(t.c.lastosize == 16 * sizeof(int));
  CHECK(t.c.lastnsize == 5 * sizeof(int));
  for (int i = 0; i < 5; i++) CHECK(v[i] == 100 + i);
  CHECK(t.s.total() == 5 * sizeof(int));
  CHECK(t.c.held == t.s.total());
  luaM_freearray(t.L, v, size);
}

TEST_CASE("shrinking a vector to zero elements frees it", "[lmem]") {
  CountingState t;
  int size = 8;
  int* v = luaM_newvector<int>(t.L, size);
  luaM_shrinkvector(t.L, v, size, 0);
  CHECK(v == nullptr);
  CHECK(size == 0);
  CHECK(t.c.lastnsize == 0);
  CHECK(t.c.held == 0);
  CHECK(t.s.total() == 0);
}
