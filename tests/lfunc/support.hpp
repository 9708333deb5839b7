// Test support for stage 5: a complete state (luaE_openstate) on the
// counting allocator of chapter 3, pushes, call frames built the way the
// interpreter's calls will build them (chapter 8), and object helpers.
// Values and the protected runner come from chapter 4's support.
#pragma once

#include <cstdlib>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/lstate.hpp"
#include "lfunc/ltm.hpp"
#include "tests/ltable/support.hpp"

namespace lua::test {

// A state from luaE_openstate. `close()` frees it and returns the bytes the
// allocator still holds (0 when nothing leaked); the destructor closes a
// state that a failed REQUIRE left open.
struct State {
  Heap heap;
  lua_State* L;
  State() : L(luaE_openstate(Heap::alloc, &heap)) {
    if (L == nullptr) std::abort();
  }
  ~State() {
    if (L != nullptr) close();
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  std::size_t close() {
    luaE_closestate(L);
    L = nullptr;
    return heap.held;
  }
};

// A state for the stage demo and the book's diagrams: the seed is fixed,
// so what they print is the same on every run. Null if memory runs out.
inline lua_State* openseeded(Heap& heap) {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  return luaE_openstate(Heap::alloc, &heap);
}

// Pushes a copy of `v` (growing the stack if needed).
inline void push(lua_State* L, const TValue& v) {
  luaD_checkstack(L, 1);
  setobj2s(L, L->top, &v);
  L->top++;
}

// Enters a Lua call with `nregs` registers, as luaD_precall will: the
// function `f` goes in the next slot, a record is reused or added, and the
// frame's registers (nil) run from func + 1 to the record's top.
inline CallInfo* pushframe(lua_State* L, const TValue& f, int nregs) {
  luaD_checkstack(L, nregs + 1);
  StkId func = L->top;
  setobj2s(L, func, &f);
  for (int i = 1; i <= nregs; i++) setnilvalue(s2v(func + i));
  CallInfo* ci = L->ci->next != nullptr ? L->ci->next : luaE_extendCI(L);
  ci->func = func;
  ci->top = func + 1 + nregs;
  ci->callstatus = 0;  // a Lua call
  ci->nresults = 0;
  ci->u.l.savedpc = nullptr;
  ci->u.l.trap = 0;
  L->ci = ci;
  L->top = ci->top;
  return ci;
}

// Leaves the current call, dropping its slots after closing its upvalues
// and popping its to-be-closed variables (whose close methods chapter 8
// will call), as a return does.
inline void popframe(lua_State* L) {
  StkId base = L->ci->func + 1;
  luaF_closeupval(L, base);
  while (L->tbclist >= base) luaF_poptbclist(L);
  L->top = L->ci->func;
  L->ci = L->ci->previous;
}

// Register `i` (from 0) of the current call.
inline StkId reg(lua_State* L, int i) {
  return L->ci->func + 1 + i;
}

// A Lua closure over the registers `regs` of the current call, as
// OP_CLOSURE builds one (chapter 8).
inline LClosure* closure(lua_State* L, std::initializer_list<int> regs) {
  LClosure* cl = luaF_newLclosure(L, static_cast<int>(regs.size()));
  int i = 0;
  for (int r : regs) cl->upvals()[i++] = luaF_findupval(L, reg(L, r));
  return cl;
}

// Takes `o` out of `allgc`, so that a test may free it by hand.
inline void unlinkobj(lua_State* L, GCObject* o) {
  GCObject** p = &G(L)->allgc;
  while (*p != o) p = &(*p)->next;
  *p = o->next;
}

// The number of objects in list `o`.
inline int listlength(GCObject* o) {
  int n = 0;
  for (; o != nullptr; o = o->next) n++;
  return n;
}

}  // namespace lua::test
