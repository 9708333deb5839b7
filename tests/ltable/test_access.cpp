// Chapter 4: creation, lookups and stores for every key type, key
// normalization, the index errors, the metamethod cache and the dummy node.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "tests/ltable/fixture.hpp"

using namespace lua;
using test::boolv;
using test::Fixture;
using test::fltv;
using test::intv;
using test::nilv;
using test::protect;
using test::ptrv;
using test::strv;

TEST_CASE("luaH_new creates an empty table with the dummy node", "[ltable]") {
  Fixture f;
  CHECK(luaH_isdummy(f.t));
  CHECK(isdummy(f.t));
  CHECK(allocsizenode(f.t) == 0);
  CHECK(sizenode(f.t) == 1);
  CHECK(luaH_realasize(f.t) == 0);
  CHECK(f.t->array == nullptr);
  CHECK(f.t->metatable == nullptr);
  CHECK(f.t->flags == maskflags);
  CHECK(isrealasize(f.t));
  CHECK(f.t->tt == LUA_VTABLE);
  CHECK(G(f.L)->allgc == obj2gco(f.t));  // linked like every object
  CHECK(luaH_getn(f.t) == 0);
  CHECK(isabstkey(luaH_getint(f.t, 1)));
  CHECK(check_table(f.t) == 0);
  // Two empty tables share the one dummy node.
  Table* other = luaH_new(f.L);
  CHECK(other->node == f.t->node);
  CHECK(f.close() == 0);
}

TEST_CASE("a table holds exactly its object, array and nodes", "[ltable]") {
  Fixture f;
  TValue x = strv(f.L, "x");
  std::size_t base = f.heap.held - sizeof(Table);
  for (int i = 1; i <= 20; i++) f.seti(i, i);
  f.set(x, intv(1));
  CHECK(f.heap.held - base == test::tablebytes(f.t));
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_getint finds keys in the array part and in the hash part",
          "[ltable]") {
  Fixture f;
  for (int i = 1; i <= 8; i++) f.seti(i, 100 + i);
  f.seti(-5, 7);
  f.seti(0, 8);
  f.seti(LUA_MAXINTEGER, 9);
  f.seti(LUA_MININTEGER, 10);
  CHECK(check_table(f.t) == 0);
  CHECK(luaH_realasize(f.t) == 8);
  for (int i = 1; i <= 8; i++) {
    const TValue* v = luaH_getint(f.t, i);
    REQUIRE(ttisinteger(v));
    CHECK(ivalue(v) == 100 + i);
    CHECK(v == &f.t->array[i - 1]);  // straight from the array
  }
  CHECK(ivalue(luaH_getint(f.t, -5)) == 7);
  CHECK(ivalue(luaH_getint(f.t, 0)) == 8);
  CHECK(ivalue(luaH_getint(f.t, LUA_MAXINTEGER)) == 9);
  CHECK(ivalue(luaH_getint(f.t, LUA_MININTEGER)) == 10);
  CHECK(isabstkey(luaH_getint(f.t, 9)));
  CHECK(isabstkey(luaH_getint(f.t, -6)));
  CHECK(f.close() == 0);
}

TEST_CASE("every key type can be stored, found and overwritten", "[ltable]") {
  Fixture f;
  static char cells[4];
  std::string longkey(60, 'k');
  TValue keys[] = {intv(3),         intv(-1),          fltv(2.5),
                   fltv(-0.125),    fltv(HUGE_VAL),    fltv(-HUGE_VAL),
                   fltv(1e300),     boolv(true),       boolv(false),
                   ptrv(&cells[0]), ptrv(&cells[1]),   strv(f.L, "name"),
                   strv(f.L, ""),   strv(f.L, longkey)};
  int n = 0;
  for (const TValue& k : keys) {
    f.set(k, intv(++n));
    CHECK(check_table(f.t) == 0);
  }
  n = 0;
  for (const TValue& k : keys) {
    const TValue* v = f.get(k);
    REQUIRE(ttisinteger(v));
    CHECK(ivalue(v) == ++n);
  }
  // A new long string with equal contents is the same key.
  TValue copy = strv(f.L, longkey);
  CHECK(tsvalue(&copy) != tsvalue(&keys[13]));
  CHECK(ivalue(f.get(copy)) == 14);
  CHECK(ivalue(luaH_getstr(f.t, tsvalue(&copy))) == 14);
  CHECK(ivalue(luaH_getstr(f.t, tsvalue(&keys[11]))) == 12);
  CHECK(ivalue(luaH_getshortstr(f.t, tsvalue(&keys[11]))) == 12);
  // Overwrites keep one entry per key.
  f.set(keys[2], boolv(false));
  CHECK(ttisfalse(f.get(keys[2])));
  f.set(copy, intv(99));
  CHECK(ivalue(f.get(keys[13])) == 99);
  CHECK(isabstkey(f.get(fltv(2.25))));
  CHECK(isabstkey(f.get(ptrv(&cells[2]))));
  CHECK(isabstkey(f.get(strv(f.L, "other"))));
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("floats with integral values are the integer keys", "[ltable]") {
  Fixture f;
  f.set(fltv(2.0), intv(20));  // lands in the array as key 2
  CHECK(ivalue(luaH_getint(f.t, 2)) == 20);
  f.set(fltv(-0.0), intv(1));  // -0.0 == 0: the integer 0
  CHECK(ivalue(luaH_getint(f.t, 0)) == 1);
  f.set(fltv(9007199254740992.0), intv(2));  // 2^53
  CHECK(ivalue(luaH_getint(f.t, 9007199254740992)) == 2);
  f.set(intv(7), intv(3));
  CHECK(ivalue(f.get(fltv(7.0))) == 3);
  // 2^63 has no integer equal to it: it stays a float key.
  f.set(fltv(9223372036854775808.0), intv(4));
  CHECK(ivalue(f.get(fltv(9223372036854775808.0))) == 4);
  TValue k = nilv(), v;
  int floats = 0;
  while (luaH_next(f.L, f.t, &k, &v)) floats += ttisfloat(&k) ? 1 : 0;
  CHECK(floats == 1);  // only 2^63 was stored as a float
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("a nil or NaN index raises the errors of lua5.4", "[ltable]") {
  Fixture f;
  TValue nan = fltv(std::numeric_limits<double>::quiet_NaN());
  auto setnil = [&] { f.set(nilv(), intv(1)); };
  auto setnan = [&] { f.set(nan, intv(1)); };
  test::Outcome r = protect(setnil);
  CHECK(r.status == LUA_ERRRUN);
  CHECK(r.msg == "table index is nil");
  r = protect(setnan);
  CHECK(r.status == LUA_ERRRUN);
  CHECK(r.msg == "table index is NaN");
  // Also when the value is nil (lua5.4: t[nil] = nil is an error).
  r = protect([&] { f.set(nilv(), nilv()); });
  CHECK(r.msg == "table index is nil");
  r = protect([&] { f.set(nan, nilv()); });
  CHECK(r.msg == "table index is NaN");
  // Lookups of nil and NaN simply find nothing.
  CHECK(isabstkey(f.get(nilv())));
  CHECK(isabstkey(f.get(nan)));
  CHECK(check_table(f.t) == 0);
  CHECK(isdummy(f.t));  // nothing was inserted
  CHECK(f.close() == 0);
}

TEST_CASE("storing nil under an absent key creates nothing", "[ltable]") {
  Fixture f;
  f.set(strv(f.L, "gone"), nilv());
  f.set(intv(1), nilv());
  CHECK(isdummy(f.t));
  CHECK(luaH_realasize(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("a cleared entry keeps its node and is reused by a new store",
          "[ltable]") {
  Fixture f;
  TValue k = strv(f.L, "field");
  f.set(k, intv(1));
  const TValue* slot = f.get(k);
  f.set(k, nilv());
  CHECK(isempty(f.get(k)));
  CHECK(!isabstkey(f.get(k)));  // the key is still there, empty
  f.set(k, intv(2));
  CHECK(f.get(k) == slot);  // same node
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_finishset writes into an existing slot or inserts the key",
          "[ltable]") {
  Fixture f;
  TValue k = strv(f.L, "k"), one = intv(1), two = intv(2);
  const TValue* slot = luaH_get(f.t, &k);
  REQUIRE(isabstkey(slot));
  luaH_finishset(f.L, f.t, &k, slot, &one);
  f.check();
  CHECK(ivalue(f.get(k)) == 1);
  slot = luaH_get(f.t, &k);
  luaH_finishset(f.L, f.t, &k, slot, &two);
  f.check();
  CHECK(ivalue(f.get(k)) == 2);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_newkey normalizes float keys and rejects nil and NaN",
          "[ltable]") {
  Fixture f;
  TValue k = fltv(3.0), v = intv(30);
  luaH_newkey(f.L, f.t, &k, &v);
  f.check();
  CHECK(ivalue(luaH_getint(f.t, 3)) == 30);
  TValue nil = nilv();
  test::Outcome r = protect([&] { luaH_newkey(f.L, f.t, &nil, &v); });
  CHECK(r.msg == "table index is nil");
  TValue nan = fltv(std::nan(""));
  r = protect([&] { luaH_newkey(f.L, f.t, &nan, &v); });
  CHECK(r.msg == "table index is NaN");
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("every store clears the metamethod cache and keeps BITRAS",
          "[ltable]") {
  // Room in the hash part: no store below rehashes (a rehash would make
  // alimit the real size again).
  Fixture f;
  f.resize(8, 4);
  for (int i = 1; i <= 8; i++) f.seti(i, i);
  f.clear(8);
  (void)luaH_getn(f.t);  // alimit becomes 7: BITRAS set
  REQUIRE(!isrealasize(f.t));
  auto cached = [&] {  // as if every lookup of a metamethod had failed
    f.t->flags = static_cast<lu_byte>(f.t->flags | maskflags);
  };
  TValue k = strv(f.L, "__index"), v = intv(1), nil = nilv();
  const TValue* absent = luaH_get(f.t, &k);
  cached();
  luaH_finishset(f.L, f.t, &k, absent, &v);  // new key
  f.check();
  CHECK((f.t->flags & maskflags) == 0);
  CHECK(!isrealasize(f.t));
  cached();
  luaH_set(f.L, f.t, &k, &nil);  // existing key
  f.check();
  CHECK((f.t->flags & maskflags) == 0);
  cached();
  luaH_set(f.L, f.t, &k, &v);  // an empty slot filled again
  f.check();
  CHECK((f.t->flags & maskflags) == 0);
  cached();
  luaH_setint(f.L, f.t, 3, &v);  // array slot
  f.check();
  CHECK((f.t->flags & maskflags) == 0);
  cached();
  luaH_setint(f.L, f.t, 100, &v);  // new integer key
  f.check();
  CHECK((f.t->flags & maskflags) == 0);
  cached();
  TValue k2 = strv(f.L, "__eq");
  luaH_newkey(f.L, f.t, &k2, &v);
  f.check();
  CHECK((f.t->flags & maskflags) == 0);
  CHECK(!isrealasize(f.t));
  cached();
  invalidateTMcache(f.t);
  CHECK((f.t->flags & maskflags) == 0);
  CHECK(maskflags == 0x3F);  // TM_INDEX..TM_EQ
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("luaH_mainposition follows each type's hash", "[ltable]") {
  Fixture f;
  TValue big = intv(1000);
  f.set(big, intv(1));  // hash part of size 1
  for (int i = 0; i < 6; i++) f.sets("s" + std::to_string(i), i);
  REQUIRE(sizenode(f.t) == 8);
  int n = sizenode(f.t);
  auto pos = [&](const TValue& k) {
    return cast_int(luaH_mainposition(f.t, &k) - gnode(f.t, 0));
  };
  // Integers, floats and addresses: modulo the odd number 7; strings and
  // booleans: the low bits of the hash.
  CHECK(pos(intv(1000)) == 1000 % 7);
  CHECK(pos(intv(-1)) == cast_int(static_cast<lua_Unsigned>(-1) % 7u));
  CHECK(pos(boolv(false)) == 0);
  CHECK(pos(boolv(true)) == 1);
  TValue s = strv(f.L, "s3");
  CHECK(pos(s) == lmod(tsvalue(&s)->hash, n));
  static int cell;
  auto addr =
      static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(&cell));
  CHECK(pos(ptrv(&cell)) == cast_int(addr % 7u));
  for (int i = 0; i < 50; i++) {  // always inside the node vector
    int p = pos(fltv(i * 0.37 - 5));
    CHECK((p >= 0 && p < n));
  }
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}
