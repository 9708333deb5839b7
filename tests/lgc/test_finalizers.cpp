// Chapter 6: finalizers. Their order (the reverse of marking, as lua5.4
// runs them), resurrection and freeing in the next cycle, a single call
// per mark, permanent resurrection and re-marking, errors turned into
// warnings with 5.4.4's wording, the collector stopped inside a finalizer,
// the rule that only setmetatable marks, closing the state, the batches of
// GCScallfin, and emergency collections, which call none. The finalizers
// run through the test stand-in for chapter 8's `callgc` seam.
#include <catch2/catch.hpp>

#include "tests/lgc/support.hpp"

using namespace lgctest;

namespace {

// A metatable whose `__gc` is `fin`, kept alive in the registry.
Table* finmt(lua_State* L, Finalizer* fin, const char* mode = nullptr) {
  Table* mt = newmetatable(L, mode, fin);
  Table* mts = roottable(L, "mts");
  rawseti(L, mts, cast_int(luaH_getn(mts)) + 1, objv(L, mt));
  pop(L);
  return mt;
}

// A new table marked for finalization with `mt`, left on the stack.
Table* finobject(lua_State* L, Table* mt) {
  Table* t = newtable(L);
  setmetatable(L, t, mt);
  return t;
}

}  // namespace

TEST_CASE("finalizers run in the reverse order of marking", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Counter c;
  Table* mt = finmt(L, &c.fin);
  Table* a = finobject(L, mt);
  Table* b = finobject(L, mt);
  Table* d = finobject(L, mt);
  Id ia = s.id(a), ib = s.id(b), id = s.id(d);
  setmetatable(L, a, mt);  // marked already: its place does not change
  pop(L, 3);
  REQUIRE(fullcycle(L) == 0);
  // lua5.4 prints "fin 3, fin 2, fin 1" for objects marked 1, 2, 3.
  REQUIRE(s.finalized.size() == 3);
  CHECK(s.finalized[0] == id);
  CHECK(s.finalized[1] == ib);
  CHECK(s.finalized[2] == ia);
}

TEST_CASE("an object is resurrected for its finalizer and freed a cycle later",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Id innerid;
  bool innerok = false;
  Finalizer fin{[&](lua_State*, GCObject* o) {
    // What the object refers to is alive and intact during the call.
    const TValue* v = luaH_getint(gco2t(o), 1);
    innerok = ttistable(v) && s.alive(s.id(gcvalue(v)));
    return LUA_OK;
  }};
  Table* mt = finmt(L, &fin);
  Table* obj = finobject(L, mt);
  Table* inner = newtable(L);
  rawseti(L, obj, 1, objv(L, inner));
  Id objid = s.id(obj);
  innerid = s.id(inner);
  pop(L, 2);
  REQUIRE(fullcycle(L) == 0);
  CHECK(s.finalized.size() == 1);
  CHECK(innerok);
  CHECK(s.alive(objid));  // back in allgc, an ordinary object again
  CHECK(!tofinalize(static_cast<const GCObject*>(objid.p)));
  CHECK(inlist(s.g()->allgc, static_cast<const GCObject*>(objid.p)));
  REQUIRE(fullcycle(L) == 0);
  CHECK(!s.alive(objid));
  CHECK(!s.alive(innerid));
  CHECK(s.finalized.size() == 1);  // once
}

TEST_CASE(
    "a finalizer that stores its object keeps it, and a new mark "
    "finalizes it again",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* saved = roottable(L, "saved");
  Finalizer fin{[&](lua_State* L1, GCObject* o) {
    rawseti(L1, saved, 1, objv(L1, o));
    return LUA_OK;
  }};
  Table* mt = finmt(L, &fin);
  Table* obj = finobject(L, mt);
  Id id = s.id(obj);
  pop(L);
  REQUIRE(fullcycle(L) == 0);
  REQUIRE(fullcycle(L) == 0);
  CHECK(s.finalized.size() == 1);
  CHECK(s.alive(id));  // resurrected for good
  // Its metatable still has __gc, but it is not marked any more: dropping
  // it now frees it without a call, unless it is marked again.
  setmetatable(L, obj, mt);
  CHECK(tofinalize(obj));
  rawseti(L, saved, 1, nilv());
  fin.run = nullptr;  // this time, let it go
  REQUIRE(fullcycle(L) == 0);
  REQUIRE(fullcycle(L) == 0);
  CHECK(s.finalized.size() == 2);
  CHECK(!s.alive(id));
}

TEST_CASE(
    "an error in a finalizer becomes a warning and the collection goes on",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Finalizer boom{[](lua_State* L1, GCObject*) {
    luaD_checkstack(L1, 1);  // room first: the string is anchored at once
    setsvalue2s(L1, L1->top, luaS_new(L1, "boom"));
    L1->top++;
    return LUA_ERRRUN;
  }};
  Finalizer notstring{[](lua_State* L1, GCObject*) {
    push(L1, intv(12));
    return LUA_ERRRUN;
  }};
  Counter ok;
  Table* m1 = finmt(L, &boom);
  Table* m2 = finmt(L, &notstring);
  Table* m3 = finmt(L, &ok.fin);
  finobject(L, m3);
  finobject(L, m2);
  finobject(L, m1);
  pop(L, 3);
  StkId top = L->top;
  REQUIRE(fullcycle(L) == 0);
  CHECK(L->top == top);  // each error object was popped
  CHECK(ok.calls == 1);  // the later finalizer still ran
  // lua5.4 -W: "Lua warning: error in __gc (...)", the prefix being the
  // warning function's; the collector sends the rest.
  CHECK(s.warnings ==
        "error in __gc (boom)\n"
        "error in __gc (error object is not a string)\n");
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("the collector is stopped while a finalizer runs", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  bool stopped = false;
  lu_byte state = 0, after = 0;
  Finalizer fin{[&](lua_State* L1, GCObject*) {
    global_State* g = G(L1);
    stopped = (g->gcstp & GCSTPGC) != 0 && !gcrunning(g);
    state = g->gcstate;
    luaE_setdebt(g, 100000);
    luaC_step(L1);  // must do nothing
    after = g->gcstate;
    return LUA_OK;
  }};
  Table* mt = finmt(L, &fin);
  finobject(L, mt);
  pop(L);
  REQUIRE(fullcycle(L) == 0);
  CHECK(stopped);
  CHECK(state == GCScallfin);
  CHECK(after == state);
  CHECK(gcrunning(s.g()));  // running again afterwards
}

TEST_CASE("adding __gc to a metatable later does not mark its objects",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Counter c;
  Table* mt = finmt(L, nullptr);
  Table* obj = newtable(L);
  setmetatable(L, obj, mt);
  CHECK(!tofinalize(obj));
  rawset(L, mt, objv(L, s.g()->tmname[static_cast<int>(TM_GC)]), ptrv(&c.fin));
  pop(L);
  REQUIRE(fullcycle(L) == 0);
  CHECK(c.calls == 0);
}

TEST_CASE("userdata are finalized like tables", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Counter c;
  Table* mt = finmt(L, &c.fin);
  for (int nuv = 0; nuv < 3; nuv++) {
    Udata* u = newudata(L, 8, nuv);
    setmetatable(L, u, mt);
    CHECK(inlist(s.g()->finobj, u));
  }
  pop(L, 3);
  REQUIRE(fullcycle(L) == 0);
  CHECK(c.calls == 3);
}

TEST_CASE("GCScallfin calls a few finalizers per step", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Counter c;
  Table* mt = finmt(L, &c.fin);
  for (int i = 0; i < 25; i++) {
    finobject(L, mt);
    pop(L);
  }
  stepto(L, GCSpropagate);
  stepto(L, GCScallfin);
  int steps = 0;
  while (s.g()->gcstate == GCScallfin) {
    luaC_singlestep(L);
    steps++;
    CHECK(check_heap(s.g()) == 0);
  }
  CHECK(c.calls == 25);
  CHECK(steps == 4);  // 10 + 10 + 5, then the step that ends the cycle
}

TEST_CASE("an emergency collection calls no finalizer", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Counter c;
  Table* mt = finmt(L, &c.fin);
  finobject(L, mt);
  pop(L);
  luaC_fullgc(L, 1);
  CHECK(c.calls == 0);
  CHECK(s.g()->tobefnz != nullptr);  // due, and waiting
  CHECK(check_heap(s.g()) == 0);
  luaC_fullgc(L, 0);
  CHECK(c.calls == 1);
  CHECK(s.g()->tobefnz == nullptr);
}

TEST_CASE(
    "closing the state calls every pending finalizer and ignores new "
    "marks",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Counter late;
  Table* latemt = finmt(L, &late.fin);
  Finalizer marker{[&](lua_State* L1, GCObject*) {
    Table* t = luaH_new(L1);  // marked while closing: ignored
    setmetatable(L1, t, latemt);
    return LUA_OK;
  }};
  Table* mt = finmt(L, &marker);
  Table* keep = roottable(L, "keep");
  Table* a = finobject(L, mt);  // reachable: still finalized at close
  rawseti(L, keep, 1, objv(L, a));
  Table* b = finobject(L, mt);
  Id ia = s.id(a), ib = s.id(b);
  pop(L, 2);
  CHECK(s.close() == 0);
  REQUIRE(s.finalized.size() == 2);
  CHECK(s.finalized[0] == ib);  // reverse order of marking
  CHECK(s.finalized[1] == ia);
  CHECK(late.calls == 0);
}
