// Chapter 4: memory failures during a resize leave the table as it was,
// and the size limit of the hash part. The allocator refuses requests on
// demand (Heap::refuse_after counts the requests that reach it; under
// -Dfail_first_alloc=true the failing first attempt never reaches it, so
// the counts are the same in both builds).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/ltable/fixture.hpp"

using namespace lua;
using test::Fixture;
using test::protect;

namespace {

// Everything observable about a table's contents and shape.
struct Snapshot {
  std::vector<std::string> entries;
  unsigned int asize;
  int hsize;
  bool operator==(const Snapshot&) const = default;
};

std::string show(const TValue* v) {
  if (ttisinteger(v)) return std::to_string(ivalue(v));
  if (ttisstring(v)) return svalue(v);
  return "?";
}

Snapshot snapshot(Fixture& f) {
  Snapshot s{{}, luaH_realasize(f.t), allocsizenode(f.t)};
  TValue k, v;
  setnilvalue(&k);
  while (luaH_next(f.L, f.t, &k, &v))
    s.entries.push_back(show(&k) + "=" + show(&v));
  return s;
}

// Runs a store that needs a rehash with the allocator allowing `allowed`
// more requests; checks it fails with LUA_ERRMEM, loses nothing and
// leaks nothing, then retries it with memory available.
void fails_intact(Fixture& f, long allowed, const char* newkey) {
  Snapshot before = snapshot(f);
  std::size_t held = f.heap.held;
  f.heap.refuse_after = allowed;
  test::Outcome r = protect([&] { f.sets(newkey, 7); });
  f.heap.refuse_after = -1;
  CHECK(r.status == LUA_ERRMEM);
  CHECK(r.msg == "not enough memory");
  CHECK(check_table(f.t) == 0);
  CHECK(snapshot(f) == before);
  CHECK(f.heap.held == held);  // the caller interned the key beforehand
  f.sets(newkey, 7);           // usable: the same store now succeeds
  CHECK(ivalue(f.get(test::strv(f.L, newkey))) == 7);
  CHECK(check_table(f.t) == 0);
}

}  // namespace

TEST_CASE("a rehash that cannot allocate the new hash part changes nothing",
          "[ltable]") {
  Fixture f;
  for (int i = 1; i <= 4; i++) f.seti(i, i);
  f.sets("a", 10);             // array 4, hash 1: the next key needs a rehash
  (void)test::strv(f.L, "b");  // intern the key first
  fails_intact(f, 0, "b");
  CHECK(f.close() == 0);
}

TEST_CASE("a rehash whose array reallocation fails frees the new hash part",
          "[ltable]") {
  // Array 4 and one node ("a"). Key 5 finds no free node; rehash asks for
  // array 8 and hash 1: the node vector is allocated (request 1), the
  // array reallocation (request 2) is refused.
  Fixture f;
  for (int i = 1; i <= 4; i++) f.seti(i, i);
  f.sets("a", 10);
  Snapshot before = snapshot(f);
  std::size_t held = f.heap.held;
  f.heap.refuse_after = 1;
  test::Outcome r = protect([&] { f.seti(5, 5); });
  f.heap.refuse_after = -1;
  CHECK(r.status == LUA_ERRMEM);
  CHECK(f.heap.held == held);  // the new node vector was freed
  CHECK(snapshot(f) == before);
  CHECK(check_table(f.t) == 0);
  f.seti(5, 5);
  CHECK(luaH_realasize(f.t) == 8);
  CHECK(luaH_getn(f.t) == 5);
  CHECK(f.close() == 0);
}

TEST_CASE("a failed shrink keeps the entries of the vanishing slice",
          "[ltable]") {
  // Array 8 with keys 1 and 8 only. A new key rehashes to array 1, hash
  // 2: key 8 is copied into the new hash part (request 1), then shrinking
  // the array (request 2) is refused: key 8 must still be in the array.
  Fixture f;
  for (int i = 1; i <= 8; i++) f.seti(i, i);
  for (int i = 2; i <= 7; i++) f.clear(i);
  (void)test::strv(f.L, "x");
  Snapshot before = snapshot(f);
  fails_intact(f, 1, "x");
  CHECK(snapshot(f) != before);  // the retry did shrink it
  CHECK(luaH_realasize(f.t) == 1);
  CHECK(ivalue(luaH_getint(f.t, 8)) == 8);
  CHECK(f.close() == 0);
}

TEST_CASE("out of memory in luaH_new leaks nothing", "[ltable]") {
  Fixture f;
  std::size_t held = f.heap.held;
  f.heap.refuse_after = 0;
  test::Outcome r = protect([&] { (void)luaH_new(f.L); });
  f.heap.refuse_after = -1;
  CHECK(r.status == LUA_ERRMEM);
  CHECK(f.heap.held == held);
  CHECK(f.close() == 0);
}

TEST_CASE("out of memory in luaH_resize leaves the table usable", "[ltable]") {
  Fixture f;
  for (int i = 1; i <= 10; i++) f.seti(i, i);
  Snapshot before = snapshot(f);
  for (long allowed = 0; allowed < 2; allowed++) {
    f.heap.refuse_after = allowed;
    test::Outcome r = protect([&] { luaH_resize(f.L, f.t, 64, 64); });
    f.heap.refuse_after = -1;
    CHECK(r.status == LUA_ERRMEM);
    CHECK(snapshot(f) == before);
    CHECK(check_table(f.t) == 0);
  }
  f.resize(64, 64);
  CHECK(luaH_realasize(f.t) == 64);
  CHECK(luaH_getn(f.t) == 10);
  CHECK(f.close() == 0);
}

TEST_CASE("a hash part above 2^30 nodes is a table overflow", "[ltable]") {
  Fixture f;
  f.seti(1, 1);
  // 2^30 + 1 keys round up to 2^31 nodes: refused before allocating.
  test::Outcome r = protect([&] { luaH_resize(f.L, f.t, 1, (1u << 30) + 1); });
  CHECK(r.status == LUA_ERRRUN);
  CHECK(r.msg == "table overflow");
  // 2^30 nodes is within the limit; here it is simply too much memory.
  f.heap.refuse_after = 0;
  r = protect([&] { luaH_resize(f.L, f.t, 1, 1u << 30); });
  f.heap.refuse_after = -1;
  CHECK(r.status == LUA_ERRMEM);
  CHECK(ivalue(luaH_getint(f.t, 1)) == 1);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}
