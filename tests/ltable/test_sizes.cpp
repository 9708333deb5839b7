// Chapter 4: the sizes of the two parts after known insertion patterns.
// Each expected value is derived by hand from rehash and computesizes (the
// reasoning is in the comments) and agrees with lua5.4, measured with
// collectgarbage("count") (see oracle/gen.lua, which records the bytes of
// such tables). Notation: nums[i] counts the integer keys in
// (2^(i-1), 2^i]; a rehash picks the largest n = 2^i with more than n/2
// keys in 1..n, trying n while the candidate keys exceed n/2.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/ltable/fixture.hpp"

using namespace lua;
using test::Fixture;

namespace {

struct Sizes {
  unsigned int array;
  int hash;
  bool operator==(const Sizes&) const = default;
};

Sizes sizes(const Table* t) {
  return {luaH_realasize(t), allocsizenode(t)};
}

// Inserts integer keys in the given order (value = key).
void insert(Fixture& f, const std::vector<lua_Integer>& keys) {
  for (lua_Integer k : keys) {
    f.seti(k, k);
    REQUIRE(check_table(f.t) == 0);
  }
}

}  // namespace

TEST_CASE("inserting 1..n in order doubles the array at 2^k + 1", "[ltable]") {
  // Key 1 into an empty table: no free node (dummy), so rehash with
  // nums[0] = 1: n = 1 has 1 > 0 keys -> array 1, hash 0. Key k = 2^j + 1
  // finds the array full and the hash part empty: rehash counts the k keys
  // 1..k and n = 2^(j+1) has k > 2^j of them, while 2^(j+2) would need
  // more than 2^(j+1) >= k: the array doubles and the hash part stays the
  // dummy node. Keys 2^j + 2 .. 2^(j+1) then fit the array directly.
  Fixture f;
  std::vector<Sizes> seen;
  for (lua_Integer k = 1; k <= 1025; k++) {
    f.seti(k, k);
    if (k == 1 || k == 2 || k == 3 || k == 4 || k == 5 || k == 1024 ||
        k == 1025)
      seen.push_back(sizes(f.t));
  }
  CHECK(check_table(f.t) == 0);
  std::vector<Sizes> expect = {{1, 0}, {2, 0},    {4, 0},   {4, 0},
                               {8, 0}, {1024, 0}, {2048, 0}};
  CHECK(seen == expect);
  CHECK(f.close() == 0);
}

TEST_CASE("inserting 8..1 in reverse ends with an 8-slot array", "[ltable]") {
  // 8: array none, nums[3] = 1; n = 1 has 0 keys -> array 0, hash 1.
  // 7: the one node is taken -> rehash: 2 keys in (4, 8], none below ->
  //    array 0, hash 2 (8 and 7 both hash to node 0 of a 2-node vector).
  // 6: no free node -> rehash with 3 keys, all in (4, 8]: n = 8 would need
  //    3 > 4 -> array 0, hash 4 (8, 7, 6 at nodes 2, 1, 0: k % 3).
  // 5: 5 % 3 = 2 collides with 8 at home -> free node 3. Hash full.
  // 4: no free node -> rehash with 5 keys: nums[2] = 1, nums[3] = 4;
  //    n = 8 holds 5 > 4 keys -> array 8, hash 0. 3, 2, 1 fit the array.
  Fixture f;
  insert(f, {8});
  CHECK(sizes(f.t) == Sizes{0, 1});
  insert(f, {7});
  CHECK(sizes(f.t) == Sizes{0, 2});
  insert(f, {6});
  CHECK(sizes(f.t) == Sizes{0, 4});
  insert(f, {5});
  CHECK(sizes(f.t) == Sizes{0, 4});
  insert(f, {4});
  CHECK(sizes(f.t) == Sizes{8, 0});
  insert(f, {3, 2, 1});
  CHECK(sizes(f.t) == Sizes{8, 0});
  CHECK(luaH_getn(f.t) == 8);
  CHECK(f.close() == 0);
}

TEST_CASE("inserting 10..1 in reverse keeps the hash part until key 2",
          "[ltable]") {
  // 10, 9, 8 as above give hash 4 (10, 9, 8 at nodes 1, 0, 2; k % 3);
  // 7 (7 % 3 = 1) takes free node 3. 6: no free node -> rehash with 5 keys:
  // nums[3] = 3 (8, 7, 6), nums[4] = 2; n = 8 holds only 3 -> array 0,
  // hash 8. 5 and 4 go to their free main positions (k % 7), 3 collides
  // with 10 (10 % 7 = 3) and takes node 7; 2 collides with 9 and finds no
  // free node (lastfree has passed them all) -> rehash with 9 keys:
  // nums[1] = 1, nums[2] = 2, nums[3] = 4, nums[4] = 2: n = 16 holds 9 > 8
  // -> array 16, hash 0.
  Fixture f;
  insert(f, {10, 9, 8, 7});
  CHECK(sizes(f.t) == Sizes{0, 4});
  insert(f, {6});
  CHECK(sizes(f.t) == Sizes{0, 8});
  insert(f, {5, 4, 3});
  CHECK(sizes(f.t) == Sizes{0, 8});
  insert(f, {2});
  CHECK(sizes(f.t) == Sizes{16, 0});
  insert(f, {1});
  CHECK(sizes(f.t) == Sizes{16, 0});
  CHECK(luaH_getn(f.t) == 10);
  CHECK(f.close() == 0);
}

TEST_CASE("sparse powers of 2 keep a small array and a hash part", "[ltable]") {
  // 1 -> array 1. 2 -> array 2. 4 -> nums = [1, 1, 1]: n = 4 holds 3 > 2
  // -> array 4. 8 -> 4 candidates; n = 8 would need 5 -> array 4 (3
  // keys), hash 4 - 3 = 1. 16 -> 5 candidates, n = 8 holds 4, not > 4 ->
  // array 4, hash 2. 32 -> 6 keys, array 4, hash 3 -> 4 nodes, one free.
  // 64 takes the last free node: array 4, hash 4.
  Fixture f;
  insert(f, {1, 2, 4});
  CHECK(sizes(f.t) == Sizes{4, 0});
  insert(f, {8});
  CHECK(sizes(f.t) == Sizes{4, 1});
  insert(f, {16});
  CHECK(sizes(f.t) == Sizes{4, 2});
  insert(f, {32});
  CHECK(sizes(f.t) == Sizes{4, 4});
  insert(f, {64});
  CHECK(sizes(f.t) == Sizes{4, 4});
  CHECK(f.close() == 0);
}

TEST_CASE("odd keys stay in the hash until the evens make the array dense",
          "[ltable]") {
  // 1 -> array 1. 3 -> nums[0] = 1, nums[2] = 1: n = 2 holds 1, not > 1
  // -> array 1, hash 1. 5 -> array 1, hash 2. 7 -> nums = [1, 0, 1, 2]:
  // n = 4 holds 2, not > 2 -> array 1, hash 3 -> 4 nodes (3, 5, 7 at
  // k % 3 = 0, 2, 1). 2 -> 2 % 3 = 2 collides with 5, takes free node 3:
  // no rehash. 4 -> 4 % 3 = 1 collides with 7 and no node is free ->
  // rehash with 6 keys: nums = [1, 1, 2, 2]: n = 8 holds 6 > 4 -> array
  // 8, hash 0. Keys 6 and 8 are absent, so 5 and 7 are both borders; the
  // search starts at alimit = 8 (empty), finds 7 present and returns 7.
  Fixture f;
  insert(f, {1, 3, 5, 7});
  CHECK(sizes(f.t) == Sizes{1, 4});
  insert(f, {2});
  CHECK(sizes(f.t) == Sizes{1, 4});
  insert(f, {4});
  CHECK(sizes(f.t) == Sizes{8, 0});
  CHECK(luaH_getn(f.t) == 7);
  CHECK(f.close() == 0);
}

TEST_CASE("string keys after an array grow only the hash part", "[ltable]") {
  // 1..4 -> array 4. "x": the dummy node -> rehash: 4 integer keys and 5
  // keys in all: array 4, hash 1. "y": no free node -> array 4, hash 2.
  // "z": both nodes are used whatever the string hashes are -> rehash:
  // array 4, hash 3 -> 4. The result does not depend on the seed.
  Fixture f;
  insert(f, {1, 2, 3, 4});
  f.sets("x", 1);
  CHECK(sizes(f.t) == Sizes{4, 1});
  f.sets("y", 2);
  CHECK(sizes(f.t) == Sizes{4, 2});
  f.sets("z", 3);
  CHECK(sizes(f.t) == Sizes{4, 4});
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("negative, zero and huge integer keys never enter the array",
          "[ltable]") {
  // None of 0, -1, -2, 2^40 is an array index (countint ignores them), so
  // every rehash gives array 0: hash sizes 1, 2, 4 for 1, 2, 3 keys, and
  // the 4th key takes the last free node of 4.
  Fixture f;
  insert(f, {0});
  CHECK(sizes(f.t) == Sizes{0, 1});
  insert(f, {-1});
  CHECK(sizes(f.t) == Sizes{0, 2});
  insert(f, {-2, lua_Integer{1} << 40});
  CHECK(sizes(f.t) == Sizes{0, 4});
  CHECK(f.close() == 0);
}

TEST_CASE("deleting does not shrink until the next rehash", "[ltable]") {
  // 1..16 -> array 16. Clearing them changes no size (no rehash). The
  // next new key, "k", meets the dummy node -> rehash counts 0 integer
  // keys and 1 key in all -> array 0, hash 1: the empty array is freed.
  Fixture f;
  for (int i = 1; i <= 16; i++) f.seti(i, i);
  for (int i = 1; i <= 16; i++) f.clear(i);
  CHECK(sizes(f.t) == Sizes{16, 0});
  CHECK(luaH_getn(f.t) == 0);
  f.sets("k", 1);
  CHECK(sizes(f.t) == Sizes{0, 1});
  CHECK(f.t->array == nullptr);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("a rehash moves keys from a shrinking array to the hash part",
          "[ltable]") {
  // 1..8 -> array 8; clear 2..7; "x" -> rehash: keys 1 and 8 give
  // nums[0] = 1, nums[3] = 1, 3 keys in all: n = 1 holds 1 > 0, n = 2
  // holds 1, not > 1 -> array 1, hash 3 - 1 = 2: key 8 leaves the array.
  Fixture f;
  for (int i = 1; i <= 8; i++) f.seti(i, i);
  for (int i = 2; i <= 7; i++) f.clear(i);
  f.sets("x", 0);
  CHECK(sizes(f.t) == Sizes{1, 2});
  CHECK(ivalue(luaH_getint(f.t, 8)) == 8);
  CHECK(ivalue(luaH_getint(f.t, 1)) == 1);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_resize sets exact array sizes and rounds the hash part",
          "[ltable]") {
  // lua_createtable(L, 10, 5) does this: the array is exactly 10 slots
  // (alimit is real and not a power of 2), the hash 5 -> 8 nodes.
  Fixture f;
  f.resize(10, 5);
  CHECK(sizes(f.t) == Sizes{10, 8});
  CHECK(isrealasize(f.t));
  for (int i = 1; i <= 10; i++) f.seti(i, i);
  CHECK(sizes(f.t) == Sizes{10, 8});  // all fit: no rehash
  CHECK(luaH_getn(f.t) == 10);
  luaH_resizearray(f.L, f.t, 3);  // 4..10 move to the 8 nodes
  f.check();
  CHECK(sizes(f.t) == Sizes{3, 8});
  for (int i = 1; i <= 10; i++) CHECK(ivalue(luaH_getint(f.t, i)) == i);
  f.resize(16, 0);  // back: everything in the array
  CHECK(sizes(f.t) == Sizes{16, 0});
  for (int i = 1; i <= 10; i++) CHECK(ivalue(luaH_getint(f.t, i)) == i);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}
