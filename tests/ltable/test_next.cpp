// Chapter 4: traversal with luaH_next.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "tests/ltable/fixture.hpp"

using namespace lua;
using test::Fixture;
using test::intv;
using test::nilv;
using test::protect;
using test::strv;

namespace {

// Fills t with 1..20 in the array part and 20 string keys, values 1..40.
void fill(Fixture& f) {
  for (int i = 1; i <= 20; i++) f.seti(i, i);
  for (int i = 1; i <= 20; i++) f.sets("key" + std::to_string(i), 20 + i);
}

// The value of an entry met during a traversal, by its integer value.
int valueof(const TValue& v) {
  return ttisinteger(&v) ? cast_int(ivalue(&v)) : -1;
}

}  // namespace

TEST_CASE("luaH_next visits every entry once, the array part first",
          "[ltable]") {
  Fixture f;
  fill(f);
  std::map<int, int> seen;  // value -> times seen
  TValue k = nilv(), v;
  int step = 0;
  while (luaH_next(f.L, f.t, &k, &v)) {
    step++;
    if (step <= 20) {  // the array part, in order
      REQUIRE(ttisinteger(&k));
      CHECK(ivalue(&k) == step);
    } else {
      CHECK(ttisshrstring(&k));
    }
    seen[valueof(v)]++;
  }
  CHECK(step == 40);
  CHECK(seen.size() == 40);
  for (auto& [value, times] : seen) CHECK(times == 1);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_next on an empty table ends at once", "[ltable]") {
  Fixture f;
  TValue k = nilv(), v;
  CHECK(!luaH_next(f.L, f.t, &k, &v));
  f.seti(1, 1);
  f.clear(1);
  k = nilv();
  CHECK(!luaH_next(f.L, f.t, &k, &v));  // empty slots are skipped
  CHECK(f.close() == 0);
}

TEST_CASE("clearing fields during a traversal visits each entry once",
          "[ltable]") {
  Fixture f;
  fill(f);
  std::map<int, int> seen;
  TValue k = nilv(), v;
  TValue nil = nilv();
  while (luaH_next(f.L, f.t, &k, &v)) {
    seen[valueof(v)]++;
    luaH_set(f.L, f.t, &k, &nil);  // clear the field just visited
    REQUIRE(check_table(f.t) == 0);
  }
  CHECK(seen.size() == 40);
  for (auto& [value, times] : seen) CHECK(times == 1);
  k = nilv();
  CHECK(!luaH_next(f.L, f.t, &k, &v));  // nothing left
  CHECK(luaH_getn(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("a cleared key still gives the next position", "[ltable]") {
  // The entry is gone but its key stays in the node until a rehash, so
  // next(t, k) after t[k] = nil continues where it was.
  Fixture f;
  fill(f);
  TValue k = nilv(), v;
  for (int i = 0; i < 25; i++) REQUIRE(luaH_next(f.L, f.t, &k, &v));
  TValue saved = k, nil = nilv();
  TValue after = k, afterv;
  REQUIRE(luaH_next(f.L, f.t, &after, &afterv));
  luaH_set(f.L, f.t, &saved, &nil);
  f.check();
  TValue again = saved;
  REQUIRE(luaH_next(f.L, f.t, &again, &v));
  CHECK(tsvalue(&again) == tsvalue(&after));
  CHECK(f.close() == 0);
}

TEST_CASE("changing values during a traversal is allowed", "[ltable]") {
  Fixture f;
  fill(f);
  TValue k = nilv(), v;
  int steps = 0;
  while (luaH_next(f.L, f.t, &k, &v)) {
    TValue doubled = intv(2 * ivalue(&v));
    luaH_set(f.L, f.t, &k, &doubled);
    f.check();
    steps++;
  }
  CHECK(steps == 40);
  CHECK(ivalue(luaH_getint(f.t, 5)) == 10);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_next rejects a key that is not in the table", "[ltable]") {
  Fixture f;
  fill(f);
  auto next_of = [&](TValue key) {
    TValue v;
    return protect([&] { (void)luaH_next(f.L, f.t, &key, &v); });
  };
  test::Outcome r = next_of(strv(f.L, "missing"));
  CHECK(r.status == LUA_ERRRUN);
  CHECK(r.msg == "invalid key to 'next'");
  CHECK(next_of(intv(1000)).msg == "invalid key to 'next'");
  CHECK(next_of(intv(0)).msg == "invalid key to 'next'");
  // lua5.4 does not normalize the key given to next: 1.0 is not found.
  CHECK(next_of(test::fltv(1.0)).msg == "invalid key to 'next'");
  CHECK(next_of(intv(20)).status == LUA_OK);  // last array index
  CHECK(f.close() == 0);
}
