// Chapter 6: weak tables. Weak values, weak keys (ephemerons, including
// chains that converge over several passes), all-weak tables, the values
// that are never removed (strings, numbers), the treatment of objects
// being finalized, and dead keys. Each case builds its graph, drops what
// should go, and runs one whole cycle step by step with the heap checked
// after every step; the expected clearings follow Lua 5.4's manual
// (section 2.5.4).
#include <catch2/catch.hpp>

#include "tests/lgc/support.hpp"

using namespace lgctest;

namespace {

// A weak table with mode `mode`, stored in the registry under `name`.
Table* weaktable(lua_State* L, const char* name, const char* mode) {
  Table* w = roottable(L, name);
  Table* mt = newmetatable(L, mode, nullptr);
  setmetatable(L, w, mt);
  pop(L);
  return w;
}

bool has(Table* t, const TValue& k) {
  return !isempty(luaH_get(t, &k));
}

}  // namespace

TEST_CASE("a weak-value table loses the entries whose values are collected",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* w = weaktable(L, "w", "v");
  Table* keep = roottable(L, "keep");
  Table* dies = newtable(L);
  Table* lives = newtable(L);
  rawseti(L, keep, 1, objv(L, lives));
  rawseti(L, w, 1, objv(L, dies));
  rawseti(L, w, 2, objv(L, lives));
  TString* str = newstring(L, "only in the weak table");
  TString* key = newstring(L, "key");
  rawset(L, w, objv(L, key), objv(L, dies));  // hash part, dying value
  rawseti(L, w, 3, objv(L, str));
  rawseti(L, w, 4, intv(42));
  Id deadid = s.id(dies), strid = s.id(str);
  pop(L, 4);
  REQUIRE(fullcycle(L) == 0);
  CHECK(!s.alive(deadid));
  CHECK(isempty(luaH_getint(w, 1)));
  CHECK(!has(w, objv(L, key)));
  CHECK(hvalue(luaH_getint(w, 2)) == lives);
  CHECK(s.alive(strid));  // strings are values: never removed
  CHECK(tsvalue(luaH_getint(w, 3)) == str);
  CHECK(ivalue(luaH_getint(w, 4)) == 42);
}

TEST_CASE("a weak-key table keeps a value only while its key is reachable",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* e = weaktable(L, "e", "k");
  Table* keep = roottable(L, "keep");
  Table* k1 = newtable(L);  // strong key
  Table* v1 = newtable(L);  // reachable only through k1's entry
  Table* k2 = newtable(L);  // garbage key
  Table* v2 = newtable(L);  // refers back to its key: still garbage
  rawseti(L, keep, 1, objv(L, k1));
  rawset(L, e, objv(L, k1), objv(L, v1));
  rawset(L, e, objv(L, k2), objv(L, v2));
  rawseti(L, v2, 1, objv(L, k2));
  rawseti(L, e, 1, objv(L, v2));  // integer keys are strong...
  Id v1id = s.id(v1), k2id = s.id(k2), v2id = s.id(v2);
  pop(L, 4);
  REQUIRE(fullcycle(L) == 0);
  CHECK(s.alive(v1id));
  CHECK(has(e, objv(L, k1)));
  // ...so v2, in the array part, keeps k2 alive, and with it its entry.
  CHECK(s.alive(k2id));
  CHECK(s.alive(v2id));
  rawseti(L, e, 1, nilv());
  REQUIRE(fullcycle(L) == 0);
  CHECK(!s.alive(k2id));
  CHECK(!s.alive(v2id));
  CHECK(s.alive(v1id));
}

TEST_CASE("ephemeron chains converge in either direction", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* e = weaktable(L, "e", "k");
  Table* keep = roottable(L, "keep");
  // e[t0] = t1, e[t1] = t2, ..., created so that the nodes hold the chain
  // in an order unrelated to it; only t0 is strong.
  constexpr int N = 12;
  Table* t[N];
  std::vector<Id> ids;
  for (int i = 0; i < N; i++) {
    t[i] = newtable(L);
    ids.push_back(s.id(t[i]));
  }
  for (int i = N - 2; i >= 0; i -= 2)
    rawset(L, e, objv(L, t[i]), objv(L, t[i + 1]));
  for (int i = 1; i < N - 1; i += 2)
    rawset(L, e, objv(L, t[i]), objv(L, t[i + 1]));
  rawseti(L, keep, 1, objv(L, t[0]));
  pop(L, N);
  REQUIRE(fullcycle(L) == 0);
  for (const Id& id : ids) CHECK(s.alive(id));
  rawseti(L, keep, 1, nilv());  // the whole chain is garbage now
  REQUIRE(fullcycle(L) == 0);
  for (const Id& id : ids) CHECK(!s.alive(id));
}

TEST_CASE("an all-weak table loses an entry when either part is collected",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* w = weaktable(L, "w", "kv");
  Table* keep = roottable(L, "keep");
  Table* a = newtable(L);  // strong
  Table* b = newtable(L);  // garbage
  rawseti(L, keep, 1, objv(L, a));
  rawset(L, w, objv(L, a), objv(L, a));  // both strong: kept
  TString* sk = newstring(L, "a string key");
  rawset(L, w, objv(L, sk), objv(L, b));  // value dies
  Table* c = newtable(L);                 // key dies
  rawset(L, w, objv(L, c), objv(L, a));
  rawseti(L, w, 1, objv(L, b));  // array part: value dies
  rawseti(L, w, 2, objv(L, a));
  Id skid = s.id(sk);
  pop(L, 4);
  Id cid = s.id(c);
  REQUIRE(fullcycle(L) == 0);
  CHECK(has(w, objv(L, a)));
  CHECK(!s.alive(cid));  // its entry went with it
  CHECK(isempty(luaH_getint(w, 1)));
  CHECK(hvalue(luaH_getint(w, 2)) == a);
  // The string key went with its entry (its value was collected); a string
  // is kept only as part of a kept entry, so nothing marked it.
  CHECK(!s.alive(skid));
}

TEST_CASE("strings and numbers are never removed from weak tables", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  const char* modes[] = {"k", "v", "kv"};
  for (const char* mode : modes) {
    INFO("mode " << mode);
    Table* w = weaktable(L, mode, mode);
    TString* k = newstring(L, std::string("key of ") + mode);
    TString* v = newstring(L, std::string("value of ") + mode +
                                  std::string(50, '!'));  // a long string
    rawset(L, w, objv(L, k), objv(L, v));
    rawset(L, w, intv(7), intv(8));
    TValue f;
    setfltvalue(&f, 2.5);
    rawset(L, w, f, f);
    pop(L, 2);
    REQUIRE(fullcycle(L) == 0);
    REQUIRE(fullcycle(L) == 0);
    TValue kv = objv(L, k);
    CHECK(tsvalue(luaH_get(w, &kv)) == v);
    CHECK(ivalue(luaH_getint(w, 7)) == 8);
    CHECK(fltvalue(luaH_get(w, &f)) == 2.5);
  }
}

TEST_CASE("objects being finalized leave weak values at once, weak keys later",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* wv = weaktable(L, "wv", "v");
  Table* wk = weaktable(L, "wk", "k");
  TValue seen = nilv();  // what the finalizer found in wv and wk
  bool keyfound = false;
  Finalizer fin{[&](lua_State*, GCObject* o) {
    seen = *luaH_getint(wv, 1);
    keyfound = has(wk, objv(L, o));
    return LUA_OK;
  }};
  Table* mt = newmetatable(L, nullptr, &fin);
  rawseti(L, roottable(L, "mts"), 1, objv(L, mt));
  pop(L);
  Table* obj = newtable(L);
  setmetatable(L, obj, mt);
  rawseti(L, wv, 1, objv(L, obj));
  TString* data = newstring(L, "data about obj");
  rawset(L, wk, objv(L, obj), objv(L, data));
  Id id = s.id(obj);
  pop(L, 2);
  REQUIRE(fullcycle(L) == 0);
  REQUIRE(s.finalized.size() == 1);
  CHECK(isempty(&seen));  // removed from the weak value before the call
  CHECK(keyfound);        // but still a key while the finalizer runs
  CHECK(s.alive(id));     // resurrected for the call
  REQUIRE(fullcycle(L) == 0);
  CHECK(!s.alive(id));  // and freed in the next cycle
  int entries = 0;      // its weak key went with it
  for (int i = 0; i < allocsizenode(wk); i++)
    if (!isempty(gval(gnode(wk, i)))) entries++;
  CHECK(entries == 0);
}

TEST_CASE("a cleared entry keeps a dead key that next can still pass",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* t = roottable(L, "t");
  Table* keep = roottable(L, "keep");
  Table* k = newtable(L);
  rawseti(L, keep, 1, objv(L, k));  // the key stays alive...
  rawset(L, t, objv(L, k), intv(1));
  TString* other = newstring(L, "other");
  rawset(L, t, objv(L, other), intv(2));
  pop(L, 2);
  rawset(L, t, objv(L, k), nilv());  // ...but its entry is removed
  REQUIRE(fullcycle(L) == 0);        // the traversal marks the key dead
  bool dead = false;
  for (int i = 0; i < allocsizenode(t); i++)
    if (keyisdead(gnode(t, i))) dead = true;
  CHECK(dead);
  // A traversal that was at `k` when it was removed continues.
  TValue key = objv(L, k), val;
  int status = luaM_runprotected([&] { luaH_next(L, t, &key, &val); });
  CHECK(status == LUA_OK);
}
