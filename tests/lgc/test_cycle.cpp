// Chapter 6: the incremental cycle, step by step. The phases and their
// order, the gray list, the two whites, what survives and what is freed,
// the accounting, and the heap checker itself (including heaps corrupted
// on purpose, which it must notice).
#include <catch2/catch.hpp>

#include "tests/lgc/support.hpp"

using namespace lgctest;

namespace {

// A small graph hanging from the registry: root -> {a, b}, a -> s, plus an
// unreachable table `junk` (returned through the out parameters).
struct Small {
  Table* root;
  Table* a;
  Table* b;
  TString* s;
  Table* junk;
};

Small buildsmall(lua_State* L) {
  Small m;
  m.root = roottable(L, "small");
  m.a = newtable(L);
  m.b = newtable(L);
  m.s = newstring(L, "a string that lives in a");
  rawseti(L, m.root, 1, objv(L, m.a));
  rawseti(L, m.root, 2, objv(L, m.b));
  rawseti(L, m.a, 1, objv(L, m.s));
  pop(L, 3);
  m.junk = newtable(L);
  rawseti(L, m.junk, 1, objv(L, m.a));  // garbage may point to live objects
  pop(L);
  return m;
}

}  // namespace

TEST_CASE("a new state with a collector is paused and passes the heap check",
          "[lgc]") {
  GCState s;
  CHECK(s.g()->gcstate == GCSpause);
  CHECK(s.g()->gckind == KGC_INC);
  CHECK(gcrunning(s.g()));
  CHECK(check_heap(s.g()) == 0);
  CHECK(colours(s.g()).gray == 0);
  CHECK(colours(s.g()).black == 0);
}

TEST_CASE("a cycle goes through every phase in Lua's order", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  buildsmall(L);
  std::vector<lu_byte> seen{s.g()->gcstate};
  do {
    luaC_singlestep(L);
    REQUIRE(check_heap(s.g()) == 0);
    if (s.g()->gcstate != seen.back()) seen.push_back(s.g()->gcstate);
  } while (s.g()->gcstate != GCSpause);
  std::vector<lu_byte> expected{GCSpause,    GCSpropagate, GCSenteratomic,
                                GCSswpallgc, GCSswpfinobj, GCSswptobefnz,
                                GCSswpend,   GCScallfin,   GCSpause};
  if (!kFailFirst) CHECK(seen == expected);
}

TEST_CASE("propagation blackens gray objects one per step", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Small m = buildsmall(L);
  luaC_singlestep(L);  // pause -> propagate: the roots are gray
  REQUIRE(s.g()->gcstate == GCSpropagate);
  CHECK(isgray(s.g()->mainthread));
  CHECK(isgray(gcvalue(&s.g()->l_registry)));
  CHECK(iswhite(m.root));
  int before = listlength(s.g()->gray, true);
  CHECK(before >= 2);
  GCObject* first = s.g()->gray;
  luaC_singlestep(L);
  // The first gray object was traversed: it is black, or, for a thread
  // (which has no barrier), gray again and waiting in grayagain.
  if (first->tt == LUA_VTHREAD)
    CHECK((isgray(first) && s.g()->grayagain == first));
  else
    CHECK(isblack(first));
  CHECK(listlength(s.g()->gray, true) >= before - 1);
  CHECK(check_heap(s.g()) == 0);
  stepto(L, GCSenteratomic);
  CHECK(s.g()->gray == nullptr);
  CHECK(isblack(m.root));
  CHECK(isblack(m.a));
  CHECK(isblack(m.s));
  CHECK(iswhite(m.junk));
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("the atomic step flips the current white", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Small m = buildsmall(L);
  {
    NoEmergency guard(L);
    newtable(L);  // a live object at the head of allgc, so that the sweep
                  // does not reach `junk` while entering
  }
  lu_byte white = luaC_white(s.g());
  stepto(L, GCSenteratomic);
  luaC_singlestep(L);  // atomic, and the first sweep position
  CHECK(luaC_white(s.g()) != white);
  CHECK(isdead(s.g(), m.junk));  // still carries the old white
  CHECK(!isdead(s.g(), m.root));
  {
    NoEmergency guard(L);
    Table* fresh = newtable(L);  // created during the sweep: safe
    CHECK(!isdead(s.g(), fresh));
    pop(L);
  }
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("reachable objects survive a cycle and unreachable ones are freed",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Small m = buildsmall(L);
  Id junk = s.id(m.junk), root = s.id(m.root), a = s.id(m.a), str = s.id(m.s);
  stepto(L, GCSpropagate);
  stepto(L, GCSpause);
  CHECK(!s.alive(junk));
  CHECK(s.alive(root));
  CHECK(s.alive(a));
  CHECK(s.alive(str));
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("an object created during the sweep survives it", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  buildsmall(L);
  stepto(L, GCSswpallgc);
  Table* t = newtable(L);
  Id id = s.id(t);
  pop(L);  // unreachable, but carrying the new white
  stepto(L, GCSpause);
  CHECK(s.alive(id));
  stepto(L, GCSpropagate);
  stepto(L, GCSpause);  // the next cycle frees it
  CHECK(!s.alive(id));
}

TEST_CASE("the collector frees every garbage object and keeps the accounting",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  auto settle = [&] {
    std::size_t last = 0;
    for (int i = 0; i < 20 && gettotalbytes(s.g()) != last; i++) {
      last = gettotalbytes(s.g());
      luaC_fullgc(L, 0);
    }
  };
  settle();
  std::size_t before = gettotalbytes(s.g());
  CHECK(s.heap.held == before);
  {  // a graph reachable only from the stack, then dropped
    StkId base = L->top;
    Table* t = newtable(L);
    for (int i = 1; i <= 200; i++) {
      Table* e = newtable(L);
      rawseti(L, t, i, objv(L, e));
      TString* str = newstring(L, "garbage string " + std::to_string(i));
      rawset(L, e, objv(L, str), objv(L, t));  // cycles through t
      pop(L, 2);
    }
    Udata* u = newudata(L, 64, 2);
    setuservalue(L, u, 0, objv(L, t));
    L->top = base;
  }
  settle();
  CHECK(gettotalbytes(s.g()) == before);
  CHECK(s.heap.held == before);
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("closing a state gives back every byte", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  buildsmall(L);
  stepto(L, GCSpropagate);
  luaC_singlestep(L);  // close in the middle of a cycle
  CHECK(s.close() == 0);
}

TEST_CASE("check_heap notices a black object that points to a white one",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Small m = buildsmall(L);
  stepto(L, GCSenteratomic);
  REQUIRE(check_heap(s.g()) == 0);
  NoEmergency guard(L);
  Table* w = newtable(L);  // white, anchored on the (gray) stack
  // Store without the barrier: TRICOLOUR broken.
  TValue v = objv(L, w);
  luaH_setint(L, m.b, 7, &v);
  CHECK(check_heap(s.g()) > 0);
  luaC_barrierback(L, obj2gco(m.b), &v);  // the barrier the store needed
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("check_heap notices gray objects outside the gray lists", "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Small m = buildsmall(L);
  stepto(L, GCSenteratomic);
  set2gray(m.a);  // gray, but in no list
  CHECK(check_heap(s.g()) > 0);
  m.a->marked |= bitmask(BLACKBIT);
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("check_heap notices an object in two lists and a bad colour",
          "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Small m = buildsmall(L);
  REQUIRE(check_heap(s.g()) == 0);
  // A black object during the pause.
  m.b->marked =
      static_cast<lu_byte>((m.b->marked & ~WHITEBITS) | bitmask(BLACKBIT));
  CHECK(check_heap(s.g()) > 0);
  m.b->marked =
      static_cast<lu_byte>((m.b->marked & ~maskcolors) | luaC_white(s.g()));
  CHECK(check_heap(s.g()) == 0);
  // FINALIZEDBIT on an object of allgc.
  l_setbit(m.b->marked, FINALIZEDBIT);
  CHECK(check_heap(s.g()) > 0);
  resetbit(m.b->marked, FINALIZEDBIT);
  // The same object reachable through two lists: finobj starts at an
  // object of allgc.
  s.g()->finobj = m.a;
  CHECK(check_heap(s.g()) > 0);
  s.g()->finobj = nullptr;
  CHECK(check_heap(s.g()) == 0);
}
