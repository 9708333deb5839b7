// Chapter 4: the length operator. Any border is a correct answer for a
// table with holes, so most checks test the border property; the cases
// where the path through luaH_getn matters (the alimit hint, the hash part
// search) also pin the exact answer Lua gives.
#include <catch2/catch.hpp>
#include <random>

#include "tests/ltable/fixture.hpp"

using namespace lua;
using test::Fixture;

namespace {

// n is a border of t: (n == 0 or t[n] present) and t[n + 1] absent (or n
// is LUA_MAXINTEGER).
bool isborder(Fixture& f, lua_Unsigned n) {
  auto k = static_cast<lua_Integer>(n);
  bool here = n == 0 || f.has(k);
  bool next = n == static_cast<lua_Unsigned>(LUA_MAXINTEGER) || !f.has(k + 1);
  return here && next;
}

}  // namespace

TEST_CASE("luaH_getn of a sequence is its length", "[ltable]") {
  Fixture f;
  CHECK(luaH_getn(f.t) == 0);
  for (int n = 1; n <= 300; n++) {
    f.seti(n, n);
    REQUIRE(luaH_getn(f.t) == static_cast<lua_Unsigned>(n));
  }
  for (int n = 300; n >= 1; n--) {  // t[#t] = nil, repeatedly
    f.clear(n);
    REQUIRE(luaH_getn(f.t) == static_cast<lua_Unsigned>(n - 1));
    REQUIRE(check_table(f.t) == 0);
  }
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_getn returns a border of a table with holes", "[ltable]") {
  Fixture f;
  std::mt19937 rng(4);  // fixed seed: reproducible holes
  for (int round = 0; round < 2000; round++) {
    lua_Integer k = 1 + static_cast<lua_Integer>(rng() % 100);
    if (rng() % 3 == 0)
      f.clear(k);
    else
      f.seti(k, k);
    lua_Unsigned n = luaH_getn(f.t);
    INFO("round " << round << ": #t = " << n);
    REQUIRE(isborder(f, n));
    REQUIRE(check_table(f.t) == 0);
  }
  CHECK(f.close() == 0);
}

TEST_CASE("#t after t[#t] = nil moves alimit below the real size", "[ltable]") {
  // Case (1) of luaH_getn: t[limit] is empty and t[limit - 1] present.
  // 7 is not a power of 2, so it can stand for the real size 8.
  Fixture f;
  for (int i = 1; i <= 8; i++) f.seti(i, i);
  f.clear(8);
  CHECK(luaH_getn(f.t) == 7);
  CHECK(f.t->alimit == 7);
  CHECK(!isrealasize(f.t));
  CHECK(luaH_realasize(f.t) == 8);
  CHECK(check_table(f.t) == 0);
  // t[8] = v: key 8 is alimit + 1, so luaH_getint moves the hint to 8
  // without computing the real size.
  f.seti(8, 8);
  CHECK(f.t->alimit == 8);
  CHECK(luaH_getn(f.t) == 8);
  CHECK(luaH_realasize(f.t) == 8);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("#t keeps the hint only where the real size stays recoverable",
          "[ltable]") {
  Fixture f;
  for (int i = 1; i <= 16; i++) f.seti(i, i);
  for (int i = 16; i >= 7; i--) f.clear(i);
  // t[16] and t[15] empty: binary search in [0, 16] finds 6, which is
  // not above 16 / 2, so alimit stays the real size 16.
  CHECK(luaH_getn(f.t) == 6);
  CHECK(f.t->alimit == 16);
  CHECK(isrealasize(f.t));
  f.seti(7, 7);
  f.seti(8, 8);
  f.seti(9, 9);
  // Binary search finds 9 > 8: the new hint is 9 (real size still 16).
  CHECK(luaH_getn(f.t) == 9);
  CHECK(f.t->alimit == 9);
  CHECK(luaH_realasize(f.t) == 16);
  // Case (2): t[9] present, t[10] empty: 9 again, straight away.
  CHECK(luaH_getn(f.t) == 9);
  // A key between the hint and the real size is still in the array.
  f.seti(12, 12);
  CHECK(f.t->alimit == 12);
  CHECK(luaH_realasize(f.t) == 16);
  CHECK(check_table(f.t) == 0);
  // Case (2) with t[limit + 1] present: the last slot is empty, so a
  // binary search between the hint and the end.
  f.seti(13, 13);
  f.t->alimit = 12;  // as left by an earlier '#'
  lua_Unsigned n = luaH_getn(f.t);
  CHECK(n == 13);
  CHECK(f.t->alimit == 13);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("#t continues into the hash part with hash_search", "[ltable]") {
  // Array of 4 full, then 5..7 in the hash part (the explicit resize left
  // room, so no rehash moves them): case (3) finds t[5] present and
  // hash_search doubles 4 -> 8 (absent), then bisects to 7.
  Fixture f;
  f.resize(4, 4);
  for (int i = 1; i <= 7; i++) f.seti(i, i);
  REQUIRE(luaH_realasize(f.t) == 4);
  CHECK(luaH_getn(f.t) == 7);
  CHECK(f.t->alimit == 4);  // a border in the hash part is not a hint
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("hash_search stops at LUA_MAXINTEGER", "[ltable]") {
  // Keys 1, 2, 4, ..., 2^62 are all present, so doubling reaches 2^62;
  // the next doubling would overflow and LUA_MAXINTEGER is tried instead.
  Fixture f;
  f.resize(1, 64);  // room for every key without a rehash
  for (int e = 0; e <= 62; e++) f.seti(lua_Integer{1} << e, e);
  REQUIRE(luaH_realasize(f.t) == 1);
  CHECK(luaH_getn(f.t) == lua_Unsigned{1} << 62);  // t[2^62 + 1] absent
  f.seti(LUA_MAXINTEGER, 1);
  CHECK(luaH_getn(f.t) == static_cast<lua_Unsigned>(LUA_MAXINTEGER));
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("#t may be nonzero when t[1] is absent", "[ltable]") {
  // Keys 2..40 go to a 64-slot array; the binary search in [0, 64] finds
  // the border 40, not the border 0 (lua5.4 prints 40 too).
  Fixture f;
  for (int i = 2; i <= 40; i++) f.seti(i, i);
  f.sets("n", 1);
  CHECK(luaH_getn(f.t) == 40);
  CHECK(isborder(f, 40));
  CHECK(isborder(f, 0));
  CHECK(f.close() == 0);
}

TEST_CASE("#t may differ for the same contents", "[ltable]") {
  // lua5.4: #{10, 20, 30, nil, 50} is 5, but after the separate stores
  // t[1] = 10; t[2] = 20; t[3] = 30; t[5] = 50 it is 3. The constructor
  // sizes the array to exactly 5 (as luaH_resize(L, t, 5, 0) does) and its
  // last slot is present; the stores, in this order, leave an array of 4
  // (n = 8 would need more than 4 of the 4 keys) with key 5 in the hash
  // part, and t[4] is empty. (The multiple assignment t[1], t[2], t[3],
  // t[5] = 10, 20, 30, 50 is another history: it stores right to left,
  // 5 first, and leaves the array part empty; see chapter 4.)
  Fixture a, b;
  a.resize(5, 0);
  for (lua_Integer k : {1, 2, 3, 5}) {
    a.seti(k, 10 * k);
    b.seti(k, 10 * k);
  }
  CHECK(luaH_getn(a.t) == 5);
  CHECK(luaH_getn(b.t) == 3);
  CHECK(luaH_realasize(b.t) == 4);
  CHECK(a.close() == 0);
  CHECK(b.close() == 0);
}
