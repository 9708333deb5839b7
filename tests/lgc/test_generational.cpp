// Chapter 6: generational mode. Entering it (every survivor old), minor
// collections (young garbage freed, old garbage kept until a major one),
// the ages an object goes through, both barriers in generational mode
// (OLD0, TOUCHED1, TOUCHED2), leaving it, and the switch to incremental
// cycles after a bad major collection and back.
#include <catch2/catch.hpp>

#include "tests/lgc/support.hpp"

using namespace lgctest;

namespace {

// A minor collection: a generational step with no debt is always minor.
void minor(lua_State* L) {
  luaE_setdebt(G(L), 0);
  luaC_step(L);
}

bool ingraylist(GCObject* l, const GCObject* o) {
  for (; l != nullptr; l = graynext(l))
    if (l == o) return true;
  return false;
}

}  // namespace

TEST_CASE("entering generational mode makes every survivor old", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  keptable(L, keep, 1);
  lua_State* th = luaE_newthread(L);
  rawseti(L, keep, 2, objv(L, th));
  pop(L);
  luaC_changemode(L, KGC_GEN);
  global_State* g = s.g();
  CHECK(g->gckind == KGC_GEN);
  CHECK(g->gcstate == GCSpropagate);
  CHECK(g->survival == g->allgc);
  CHECK(g->old1 == g->allgc);
  CHECK(g->reallyold == g->allgc);
  for (GCObject* o = g->allgc; o != nullptr; o = o->next) {
    CHECK(getage(o) == G_OLD);
    if (o->tt == LUA_VTHREAD)
      CHECK((isgray(o) && ingraylist(g->grayagain, o)));
    else
      CHECK(isblack(o));
  }
  CHECK(check_heap(g) == 0);
}

TEST_CASE("a minor collection frees young garbage and keeps old garbage",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  Table* old = keptable(L, keep, 1);
  luaC_changemode(L, KGC_GEN);
  rawseti(L, keep, 1, nilv());  // old garbage
  Id oldid = s.id(old), youngid;
  {
    NoEmergency guard(L);        // an emergency would be a major collection
    Table* young = newtable(L);  // young garbage
    youngid = s.id(young);
    pop(L);
  }
  minor(L);
  CHECK(check_heap(s.g()) == 0);
  CHECK(!s.alive(youngid));
  CHECK(s.alive(oldid));  // a minor collection does not look at it
  luaC_fullgc(L, 0);      // a major one does
  CHECK(!s.alive(oldid));
  CHECK(s.g()->gckind == KGC_GEN);
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("a surviving object ages from new to survival to old1 to old",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  luaC_changemode(L, KGC_GEN);
  Table* y;
  {
    NoEmergency guard(L);
    y = keptable(L, keep, 1);
  }
  CHECK(getage(y) == G_NEW);
  std::vector<lu_byte> ages;
  for (int i = 0; i < 3; i++) {
    minor(L);
    REQUIRE(check_heap(s.g()) == 0);
    ages.push_back(getage(y));
  }
  CHECK(ages == std::vector<lu_byte>{G_SURVIVAL, G_OLD1, G_OLD});
  CHECK(isblack(y));
}

TEST_CASE("a forward barrier from an old object makes the new object OLD0",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  CClosure* c = newcclosure(L, 1);
  rawseti(L, keep, 1, objv(L, c));
  pop(L);
  luaC_changemode(L, KGC_GEN);
  REQUIRE((isold(c) && isblack(c)));
  Table* v;
  {
    NoEmergency guard(L);
    v = newtable(L);
    setcupvalue(L, c, 0, objv(L, v));  // forward barrier: v is marked
    pop(L);
  }
  CHECK(getage(v) == G_OLD0);
  CHECK(!iswhite(v));
  CHECK(check_heap(s.g()) == 0);
  minor(L);
  CHECK(getage(v) == G_OLD1);
  minor(L);
  CHECK(getage(v) == G_OLD);
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE(
    "a backward barrier makes an old table touched for two minor "
    "collections",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  Table* t = keptable(L, keep, 1);
  luaC_changemode(L, KGC_GEN);
  REQUIRE(getage(t) == G_OLD);
  Id vid;
  {
    NoEmergency guard(L);
    Table* v = newtable(L);
    rawseti(L, t, 1, objv(L, v));  // backward barrier
    vid = s.id(v);
    pop(L);
  }
  global_State* g = s.g();
  CHECK(getage(t) == G_TOUCHED1);
  CHECK(isgray(t));
  CHECK(ingraylist(g->grayagain, t));
  CHECK(check_heap(g) == 0);
  minor(L);
  CHECK(s.alive(vid));
  CHECK(getage(t) == G_TOUCHED2);
  CHECK(isblack(t));
  CHECK(ingraylist(g->grayagain, t));  // watched once more
  minor(L);
  CHECK(getage(t) == G_OLD);
  CHECK(!ingraylist(g->grayagain, t));
  CHECK(check_heap(g) == 0);
  CHECK(s.alive(vid));
}

TEST_CASE("leaving generational mode makes every object white and new",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  newtable(L);
  luaC_changemode(L, KGC_GEN);
  newtable(L);
  minor(L);
  luaC_changemode(L, KGC_INC);
  global_State* g = s.g();
  CHECK(g->gckind == KGC_INC);
  CHECK(g->gcstate == GCSpause);
  CHECK(g->survival == nullptr);
  CHECK(g->old1 == nullptr);
  CHECK(g->reallyold == nullptr);
  for (GCObject* o = g->allgc; o != nullptr; o = o->next) {
    CHECK(getage(o) == G_NEW);
    CHECK(iswhite(o));
  }
  CHECK(check_heap(g) == 0);
  CHECK(fullcycle(L) == 0);
}

TEST_CASE(
    "after a bad major collection the collector runs full incremental "
    "cycles until a good one",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  Table* keep = roottable(L, "keep");
  luaC_changemode(L, KGC_GEN);
  g->genmajormul = setgcparam(20);  // a major collection at +20%
  // Grow the heap with live objects only: every major collection is bad.
  int n = 0;
  auto grow = [&](int count) {
    NoEmergency guard(L);  // an emergency would be a good major collection
    for (int i = 0; i < count; i++) keptable(L, keep, ++n);
  };
  bool sawbad = false, sawinc = false;
  for (int round = 0; round < 20 && !(sawbad && sawinc); round++) {
    grow(300);
    luaE_setdebt(g, 1);  // a step with debt: major when memory grew enough
    luaC_step(L);
    REQUIRE(check_heap(g) == 0);
    if (g->lastatomic != 0) sawbad = true;
    if (sawbad && g->gckind == KGC_INC) sawinc = true;
  }
  CHECK(sawbad);
  CHECK(sawinc);
  CHECK(isdecGCmodegen(g));  // still generational, as far as the user sees
  // Now garbage appears and the heap stops growing: a good collection
  // returns to generational mode.
  droproot(L, "keep");
  for (int i = 0; i < 5 && g->lastatomic != 0; i++) {
    luaE_setdebt(g, 1);
    luaC_step(L);
    REQUIRE(check_heap(g) == 0);
  }
  CHECK(g->lastatomic == 0);
  CHECK(g->gckind == KGC_GEN);
}
