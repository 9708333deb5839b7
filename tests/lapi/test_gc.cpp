// lua_gc's options, finalizers set from C, and the allocator functions.
#include "support.hpp"

using lapitest::State;

namespace {

// Bytes the state uses, as lua_gc reports them.
std::size_t gcbytes(lua_State* L) {
  return static_cast<std::size_t>(lua_gc(L, LUA_GCCOUNT)) * 1024 +
         static_cast<std::size_t>(lua_gc(L, LUA_GCCOUNTB));
}

// Creates `n` tables that nothing refers to.
void makegarbage(lua_State* L, int n) {
  lua_createtable(L, n, 0);
  for (int i = 1; i <= n; i++) {
    lua_createtable(L, 4, 4);
    lua_rawseti(L, -2, i);
  }
  lua_pop(L, 1);
}

}  // namespace

TEST_CASE(
    "LUA_GCCOUNT and LUA_GCCOUNTB report the bytes the allocator "
    "holds",
    "[lapi]") {
  State s;
  REQUIRE(gcbytes(s.L) == s.heap.live);
  lua_createtable(s.L, 1000, 0);
  REQUIRE(gcbytes(s.L) == s.heap.live);
  REQUIRE(lua_gc(s.L, LUA_GCCOUNTB) < 1024);
}

TEST_CASE("LUA_GCCOLLECT frees unreachable objects", "[lapi]") {
  State s;
  lua_gc(s.L, LUA_GCSTOP);
  std::size_t before = gcbytes(s.L);
  makegarbage(s.L, 2000);
  REQUIRE(gcbytes(s.L) > before + 2000 * 56);
  REQUIRE(lua_gc(s.L, LUA_GCCOLLECT) == 0);
  REQUIRE(gcbytes(s.L) < before + 1024);
}

TEST_CASE("LUA_GCSTOP and LUA_GCRESTART switch LUA_GCISRUNNING", "[lapi]") {
  State s;
  REQUIRE(lua_gc(s.L, LUA_GCISRUNNING) == 1);
  REQUIRE(lua_gc(s.L, LUA_GCSTOP) == 0);
  REQUIRE(lua_gc(s.L, LUA_GCISRUNNING) == 0);
  // A stopped collector lets garbage pile up.
  std::size_t before = gcbytes(s.L);
  makegarbage(s.L, 5000);
  REQUIRE(gcbytes(s.L) > before + 5000 * 56);
  REQUIRE(lua_gc(s.L, LUA_GCRESTART) == 0);
  REQUIRE(lua_gc(s.L, LUA_GCISRUNNING) == 1);
}

TEST_CASE(
    "LUA_GCSTEP works even when stopped and answers 1 at the end of a "
    "cycle",
    "[lapi]") {
  State s;
  makegarbage(s.L, 500);
  lua_gc(s.L, LUA_GCSTOP);
  int steps = 0;
  while (lua_gc(s.L, LUA_GCSTEP, 0) == 0) {
    steps++;
    REQUIRE(steps < 100000);
  }
  REQUIRE(lua_gc(s.L, LUA_GCISRUNNING) == 0);  // still stopped
  // A large step finishes a cycle at once.
  makegarbage(s.L, 500);
  REQUIRE(lua_gc(s.L, LUA_GCSTEP, 100000) == 1);
}

TEST_CASE("LUA_GCSETPAUSE and LUA_GCSETSTEPMUL answer the previous value",
          "[lapi]") {
  State s;
  REQUIRE(lua_gc(s.L, LUA_GCSETPAUSE, 120) == 200);
  REQUIRE(lua_gc(s.L, LUA_GCSETPAUSE, 200) == 120);
  REQUIRE(lua_gc(s.L, LUA_GCSETSTEPMUL, 400) == 100);
  REQUIRE(lua_gc(s.L, LUA_GCSETSTEPMUL, 100) == 400);
}

TEST_CASE("LUA_GCGEN and LUA_GCINC switch modes and answer the previous one",
          "[lapi]") {
  State s;
  REQUIRE(lua_gc(s.L, LUA_GCGEN, 0, 0) == LUA_GCINC);
  makegarbage(s.L, 300);
  REQUIRE(lua_gc(s.L, LUA_GCGEN, 25, 0) == LUA_GCGEN);
  REQUIRE(lua_gc(s.L, LUA_GCCOLLECT) == 0);
  REQUIRE(lua_gc(s.L, LUA_GCINC, 0, 0, 0) == LUA_GCGEN);
  REQUIRE(lua_gc(s.L, LUA_GCINC, 150, 200, 10) == LUA_GCINC);
  REQUIRE(lua_gc(s.L, LUA_GCSETPAUSE, 200) == 148);  // stored as 150 / 4
  REQUIRE(lua_gc(s.L, LUA_GCSETSTEPMUL, 100) == 200);
}

TEST_CASE("an unknown lua_gc option answers -1", "[lapi]") {
  State s;
  REQUIRE(lua_gc(s.L, 42) == -1);
  REQUIRE(lua_gc(s.L, 8) == -1);  // LUA_GCSETSTEPSIZE is gone in 5.4
}

namespace {

struct Finalized {
  int calls = 0;
  int gcanswer = 0;  // what lua_gc answered inside the finalizer
};

// __gc: counts and tries lua_gc, which is off limits during a finalizer.
int finalize(lua_State* L) {
  auto* f = static_cast<Finalized*>(lua_touserdata(L, lua_upvalueindex(1)));
  f->calls++;
  f->gcanswer = lua_gc(L, LUA_GCCOUNT);
  return 0;
}

// A userdata whose metatable's __gc, set from C, reports into `f`.
void pushfinalizable(lua_State* L, Finalized* f) {
  lua_newuserdatauv(L, 16, 0);
  lua_newtable(L);
  lua_pushlightuserdata(L, f);
  lua_pushcclosure(L, finalize, 1);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
}

}  // namespace

TEST_CASE("a __gc set from C runs once, when the object is collected",
          "[lapi]") {
  State s;
  Finalized f;
  pushfinalizable(s.L, &f);
  lua_gc(s.L, LUA_GCCOLLECT);
  REQUIRE(f.calls == 0);  // still on the stack
  lua_pop(s.L, 1);
  lua_gc(s.L, LUA_GCCOLLECT);
  REQUIRE(f.calls == 1);
  REQUIRE(f.gcanswer == -1);
  lua_gc(s.L, LUA_GCCOLLECT);
  REQUIRE(f.calls == 1);
}

TEST_CASE("lua_close runs the finalizers still pending", "[lapi]") {
  Finalized f;
  {
    State s;
    pushfinalizable(s.L, &f);
    lua_setglobal(s.L, "keep");
  }
  REQUIRE(f.calls == 1);
}

TEST_CASE("lua_close gives every byte back to the allocator", "[lapi]") {
  lapitest::Heap heap;
  lua_State* L = lua_newstate(lapitest::heapalloc, &heap);
  REQUIRE(L != nullptr);
  REQUIRE(lapitest::run(L, "t = {} for i = 1, 100 do t[i] = {i} end") ==
          LUA_OK);
  lua_newthread(L);
  REQUIRE(heap.live > 0);
  lua_close(L);
  REQUIRE(heap.live == 0);
}

namespace {

long wrappedcalls = 0;

// An allocator that forwards to the test heap and counts.
void* wrapped(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  wrappedcalls++;
  return lapitest::heapalloc(ud, ptr, osize, nsize);
}

}  // namespace

TEST_CASE("lua_getallocf answers the allocator; lua_setallocf replaces it",
          "[lapi]") {
  State s;
  void* ud = nullptr;
  REQUIRE(lua_getallocf(s.L, &ud) == lapitest::heapalloc);
  REQUIRE(ud == &s.heap);
  REQUIRE(lua_getallocf(s.L, nullptr) == lapitest::heapalloc);
  lua_setallocf(s.L, wrapped, &s.heap);
  wrappedcalls = 0;
  makegarbage(s.L, 10);
  REQUIRE(wrappedcalls > 0);
  REQUIRE(lua_getallocf(s.L, nullptr) == wrapped);
}
