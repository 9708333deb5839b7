/// \file
/// Stack reallocation: moving a thread's stack to a new vector of a new
/// size, growing it on demand within its limit, and shrinking it back.
///
/// Mirrors: Lua 5.4 ldo.c (the "stack reallocation" section)
/// Book: chapter 5
///
/// Invariants POINTERS and LIMIT are stated in ldo.hpp. Lua 5.4.4 moves a
/// stack in two steps, allocating the new vector, then copying and
/// correcting, then freeing the old one: the correction computes each
/// pointer's offset in the old vector while it is still allocated, which a
/// realloc (after which the old pointers are dangling) would not allow.
///
/// Differences from Lua: see ldo.hpp.
#include "lfunc/ldo.hpp"

#include <cstring>

#include "lfunc/lfunc.hpp"

namespace lua {

namespace {

// Moves every pointer of invariant POINTERS from `oldstack` to the same
// offset in `newstack`. A Lua call records that its stack moved in `trap`,
// so the interpreter (chapter 8) reloads its cached base pointer.
void correctstack(lua_State* L, StkId oldstack, StkId newstack) {
  L->top = (L->top - oldstack) + newstack;
  L->tbclist = (L->tbclist - oldstack) + newstack;
  for (UpVal* up = L->openupval; up != nullptr; up = up->u.open.next)
    up->v = s2v((uplevel(up) - oldstack) + newstack);
  for (CallInfo* ci = L->ci; ci != nullptr; ci = ci->previous) {
    ci->top = (ci->top - oldstack) + newstack;
    ci->func = (ci->func - oldstack) + newstack;
    if (isLua(ci)) ci->u.l.trap = 1;
  }
}

}  // namespace

// Allocate, copy, correct, free: see the file comment for why the old
// vector must outlive the correction. A shrinking stack keeps its lowest
// `newsize` slots; the slots being given back hold nothing in use.
bool luaD_reallocstack(lua_State* L, int newsize, bool raiseerror) {
  int oldsize = stacksize(L);
  lua_assert(newsize <= LUAI_MAXSTACK || newsize == ERRORSTACKSIZE);
  StkId newstack = luaM_reallocvector<StackValue>(
      L, nullptr, 0, cast_sizet(newsize + EXTRA_STACK));
  if (newstack == nullptr) [[unlikely]] {
    if (raiseerror) luaM_error(L);
    return false;
  }
  int i = (oldsize <= newsize ? oldsize : newsize) + EXTRA_STACK;
  std::memcpy(static_cast<void*>(newstack), L->stack,
              cast_sizet(i) * sizeof(StackValue));
  for (; i < newsize + EXTRA_STACK; i++) setnilvalue(s2v(newstack + i));
  correctstack(L, L->stack, newstack);
  luaM_freearray(L, L->stack, cast_sizet(oldsize + EXTRA_STACK));
  L->stack = newstack;
  L->stack_last = L->stack + newsize;
  return true;
}

// Doubling keeps the cost of pushes amortised O(1). The error path gives
// the stack ERRORSTACKSIZE slots before raising, because reporting the
// error (a message handler, a traceback) needs stack too; a second overflow
// while the stack is that big means the handler itself overflowed.
bool luaD_growstack(lua_State* L, int n, bool raiseerror) {
  int size = stacksize(L);
  if (size > LUAI_MAXSTACK) [[unlikely]] {
    lua_assert(size == ERRORSTACKSIZE);
    if (raiseerror) luaM_throw(L, LUA_ERRERR);
    return false;
  }
  int newsize = 2 * size;
  int needed = cast_int(L->top - L->stack) + n;
  if (newsize > LUAI_MAXSTACK) newsize = LUAI_MAXSTACK;
  if (newsize < needed) newsize = needed;
  if (newsize <= LUAI_MAXSTACK) [[likely]]
    return luaD_reallocstack(L, newsize, raiseerror);
  luaD_reallocstack(L, ERRORSTACKSIZE, raiseerror);
  if (raiseerror) luaM_runerror(L, "stack overflow");
  return false;
}

namespace {

// The part of the stack that must survive a shrink: up to the highest of
// `top` and the limits of every active call (a Lua call may use registers
// up to its `top` at any moment), and never less than LUA_MINSTACK.
int stackinuse(lua_State* L) {
  StkId lim = L->top;
  for (CallInfo* ci = L->ci; ci != nullptr; ci = ci->previous)
    if (lim < ci->top) lim = ci->top;
  lua_assert(lim <= L->stack_last);
  int res = cast_int(lim - L->stack) + 1;
  return res < LUA_MINSTACK ? LUA_MINSTACK : res;
}

}  // namespace

// Shrinking to twice the use only when the stack is three times the use
// leaves a gap between the two thresholds, so a stack whose use goes up
// and down a little does not reallocate back and forth. After an overflow
// the stack is ERRORSTACKSIZE, above any "reasonable" size, so the first
// shrink once the error is handled brings it back under LUAI_MAXSTACK.
void luaD_shrinkstack(lua_State* L) {
  int inuse = stackinuse(L);
  int nsize = inuse * 2;
  int max = inuse * 3;
  if (max > LUAI_MAXSTACK) {
    max = LUAI_MAXSTACK;
    if (nsize > LUAI_MAXSTACK) nsize = LUAI_MAXSTACK;
  }
  if (inuse <= LUAI_MAXSTACK && stacksize(L) > max)
    luaD_reallocstack(L, nsize, false);  // keeping the old stack is fine
  luaE_shrinkCI(L);
}

void luaD_inctop(lua_State* L) {
  luaD_checkstack(L, 1);
  L->top++;
}

}  // namespace lua
