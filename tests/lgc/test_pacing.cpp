// Chapter 6: pacing, barriers and threads. The debt after a cycle and
// after a step, the estimate, the GC check point, a stopped collector, the
// halving of the string table; the forward and backward barriers in each
// phase, marking for finalization during the sweep; and threads: the dead
// part of a stack cleared atomically, open upvalues of a dead thread.
#include <catch2/catch.hpp>

#include "tests/lgc/support.hpp"

using namespace lgctest;

TEST_CASE("after a cycle the debt waits for memory to grow by the pause",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  g->gcpause = setgcparam(200);
  luaC_fullgc(L, 0);
  CHECK(g->GCestimate == gettotalbytes(g));  // exact after a full cycle
  l_mem threshold = static_cast<l_mem>(g->GCestimate / 100) * 200;
  CHECK(g->GCdebt == static_cast<l_mem>(gettotalbytes(g)) - threshold);
  g->gcpause = setgcparam(100);  // no wait at all
  luaC_fullgc(L, 0);
  CHECK(g->GCdebt <= 0);
  CHECK(g->GCdebt > -static_cast<l_mem>(g->GCestimate / 100));
}

TEST_CASE("an incremental step pays the debt and a step size of credit",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  Table* keep = roottable(L, "keep");
  for (int i = 1; i <= 400; i++) keptable(L, keep, i);  // plenty of work
  luaC_fullgc(L, 0);
  g->gcstepsize = 4;  // 16 bytes: a small step
  luaE_setdebt(g, 16);
  luaC_step(L);
  REQUIRE(g->gcstate != GCSpause);  // one step does not finish this cycle
  CHECK(g->GCdebt <= -(l_mem{1} << 4));
  CHECK(check_heap(g) == 0);
}

TEST_CASE("a GC check point steps only when there is debt", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  luaE_setdebt(g, -100000);
  luaC_checkGC(L);
  if (!kHardMemTests) CHECK(g->gcstate == GCSpause);
  luaE_setdebt(g, 10);
  luaC_checkGC(L);
  CHECK(g->GCdebt <= 0);  // it ran and set a new debt
  CHECK(check_heap(g) == 0);
}

TEST_CASE("a stopped collector does no work", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  g->gcstp = GCSTPUSR;
  luaE_setdebt(g, 1000000);
  luaC_step(L);
  luaC_checkGC(L);
  CHECK(g->gcstate == GCSpause);
  g->gcstp = 0;
  g->gcstepsize = 0;  // the smallest step: one unit of the state machine
  luaE_setdebt(g, 0);
  luaC_step(L);
  CHECK(g->gcstate == GCSpropagate);
}

TEST_CASE(
    "the string table halves after each cycle while under a quarter "
    "full",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  Table* strs = roottable(L, "strs");
  {
    NoEmergency guard(L);
    for (int i = 0; i < 1000; i++) {
      newstring(L, "string " + std::to_string(i));
      rawseti(L, strs, i + 1, *s2v(L->top - 1));
      pop(L);
    }
  }
  int size = g->strt.size;
  REQUIRE(size >= 1024);
  droproot(L, "strs");  // drop them all
  REQUIRE(fullcycle(L) == 0);
  CHECK(g->strt.size == size / 2);
  REQUIRE(fullcycle(L) == 0);
  CHECK(g->strt.size == size / 4);
  CHECK(check_invariants(g) == 0);
}

TEST_CASE("a forward barrier marks while marking and whitens while sweeping",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  Table* keep = roottable(L, "keep");
  CClosure* c = newcclosure(L, 1);
  rawseti(L, keep, 1, objv(L, c));
  pop(L);
  stepto(L, GCSpropagate);
  while (!isblack(c) && g->gcstate == GCSpropagate) luaC_singlestep(L);
  REQUIRE(isblack(c));
  {
    NoEmergency guard(L);
    Table* v = newtable(L);
    setcupvalue(L, c, 0, objv(L, v));
    pop(L);
    CHECK(isgray(v));  // marked: TRICOLOUR holds again
    CHECK(isblack(c));
  }
  CHECK(check_heap(g) == 0);
  // During the sweep, the black closure is made white instead.
  stepto(L, GCSswpallgc);
  REQUIRE(isblack(c));  // not swept yet (older than the sweep position)
  {
    NoEmergency guard(L);
    Table* w = newtable(L);
    setcupvalue(L, c, 0, objv(L, w));
    CHECK(iswhite(c));
    CHECK(iswhite(w));
    pop(L);
  }
  CHECK(check_heap(g) == 0);
  REQUIRE(fullcycle(L) == 0);
  CHECK(ttistable(&c->upvalue()[0]));
}

TEST_CASE("a backward barrier sends a black table back to grayagain", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  Table* t = roottable(L, "t");
  stepto(L, GCSpropagate);
  while (!isblack(t)) luaC_singlestep(L);
  NoEmergency guard(L);
  Table* v = newtable(L);
  rawseti(L, t, 1, objv(L, v));
  pop(L);
  CHECK(isgray(t));
  CHECK(g->grayagain == t);
  CHECK(iswhite(v));  // marked only when t is traversed again
  CHECK(check_heap(g) == 0);
}

TEST_CASE("an object marked for finalization during the sweep is swept first",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  global_State* g = s.g();
  Counter c;
  Table* keep = roottable(L, "keep");
  Table* mt = newmetatable(L, nullptr, &c.fin);
  rawseti(L, keep, 1, objv(L, mt));
  Table* obj = newtable(L);
  rawseti(L, keep, 2, objv(L, obj));
  newtable(L);  // a newer live object, where the sweep starts
  stepto(L, GCSpropagate);
  stepto(L, GCSswpallgc);
  REQUIRE(!iswhite(obj));
  setmetatable(L, obj, mt);  // black: it is swept (whitened) on the spot
  CHECK(iswhite(obj));
  CHECK(tofinalize(obj));
  CHECK(inlist(g->finobj, obj));
  CHECK(check_heap(g) == 0);
  REQUIRE(fullcycle(L) == 0);
  CHECK(c.calls == 0);  // still reachable
}

TEST_CASE("the dead part of a stack is cleared in the atomic step", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* t = newtable(L);
  Id id = s.id(t);
  std::ptrdiff_t slot = savestack(L, L->top - 1);
  pop(L);  // t now sits above the top: not a root
  stepto(L, GCSenteratomic);
  CHECK(ttistable(s2v(restorestack(L, slot))));
  luaC_singlestep(L);
  CHECK(ttisnil(s2v(restorestack(L, slot))));
  stepto(L, GCSpause);
  CHECK(!s.alive(id));
}

TEST_CASE("an open upvalue of a dead thread keeps its value for its closures",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  lua_State* th = luaE_newthread(L);
  Id thid = s.id(th);
  Table* v = newtable(th);  // the variable's value, in th's stack
  Id vid = s.id(v);
  LClosure* cl = luaF_newLclosure(th, 1);
  pushobj(th, cl);
  cl->upvals()[0] = luaF_findupval(th, th->top - 2);
  luaC_objbarrier(th, cl, cl->upvals()[0]);
  rawseti(L, keep, 1, objv(L, cl));
  pop(L);  // the thread: only its upvalue's closure remains reachable
  REQUIRE(isintwups(th));
  REQUIRE(fullcycle(L) == 0);
  CHECK(!s.alive(thid));  // freed, its upvalue closed on the way
  CHECK(s.alive(vid));    // remarkupvals marked the value in time
  UpVal* uv = cl->upvals()[0];
  CHECK(!upisopen(uv));
  CHECK(hvalue(uv->v) == v);
  REQUIRE(fullcycle(L) == 0);
  CHECK(s.alive(vid));
}
