// Chapter 6: emergency collections, reached through the `fullgc` seam when
// an allocation fails. The collection frees garbage and the allocation is
// retried; it calls no finalizer, shrinks neither the string table nor
// any stack, and never runs while the state is being built.
#include <catch2/catch.hpp>

#include "tests/lgc/support.hpp"

using namespace lgctest;

namespace {

// Makes `n` tables of `slots` array slots each, kept in a table on the
// stack until they are all made (so that the collections of the
// fail_first switch do not free them one by one), then drops them.
void makegarbage(lua_State* L, int n, int slots) {
  Table* all = newtable(L);
  for (int i = 0; i < n; i++) {
    Table* t = newtable(L);
    luaH_resize(L, t, static_cast<unsigned>(slots), 0);
    rawseti(L, all, i + 1, objv(L, t));
    pop(L);
  }
  pop(L);
}

}  // namespace

TEST_CASE(
    "a failed allocation succeeds after an emergency collection frees "
    "garbage",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  luaC_fullgc(L, 0);
  makegarbage(L, 20, 64);  // about 20 KB of garbage
  int before = s.emergencies;
  s.heap.limit = s.heap.held + 1024;  // the next big request cannot fit
  Table* t = newtable(L);
  int status = luaM_runprotected([&] { luaH_resize(L, t, 512, 0); });
  CHECK(status == LUA_OK);
  CHECK(s.emergencies > before);
  CHECK(luaH_realasize(t) == 512);
  s.heap.limit = SIZE_MAX;
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE(
    "an allocation that cannot fit after the collection raises a memory "
    "error and the state stays usable",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  luaC_fullgc(L, 0);
  Table* t = newtable(L);
  s.heap.limit = s.heap.held + 1024;
  LuaError err{};
  int status = luaM_runprotected([&] { luaH_resize(L, t, 100000, 0); }, &err);
  CHECK(status == LUA_ERRMEM);
  CHECK(std::string(err.msg) == "not enough memory");
  s.heap.limit = SIZE_MAX;
  CHECK(check_heap(s.g()) == 0);
  rawseti(L, t, 1, intv(1));  // still usable
  luaC_fullgc(L, 0);
  CHECK(ivalue(luaH_getint(t, 1)) == 1);
}

TEST_CASE(
    "an emergency collection shrinks neither the string table nor a "
    "stack",
    "[lgc]") {
  GCState s;
  lua_State* L = s.L;
  Table* strs = roottable(L, "strs");
  for (int i = 0; i < 600; i++) {  // grow the string table
    newstring(L, "s" + std::to_string(i));
    rawseti(L, strs, i + 1, *s2v(L->top - 1));
    pop(L);
  }
  droproot(L, "strs");                // now garbage
  lua_State* th = luaE_newthread(L);  // anchored on L's stack
  luaD_growstack(th, 1000, true);     // a big, mostly unused stack
  int strsize = s.g()->strt.size;
  int stksize = stacksize(th);
  luaC_fullgc(L, 1);
  CHECK(s.g()->strt.size == strsize);
  CHECK(stacksize(th) == stksize);
  luaC_fullgc(L, 0);  // an ordinary one does both
  CHECK(s.g()->strt.size < strsize);
  CHECK(stacksize(th) < stksize);
  CHECK(check_heap(s.g()) == 0);
}

TEST_CASE("no emergency collection runs while a state is being built",
          "[lgc]") {
  for (std::size_t limit = 2000; limit < 40000; limit += 1500) {
    IdHeap heap;
    heap.limit = limit;
    lua_State* L = luaC_openstate(IdHeap::alloc, &heap);
    if (L != nullptr) luaC_closestate(L);
    CHECK(heap.held == 0);  // a failed set-up gives everything back
  }
}
