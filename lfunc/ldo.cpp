/// \file
/// Stack reallocation: moving a thread's stack to a new vector of a new
/// size, growing it on demand within its limit, and shrinking it back.
///
/// Mirrors: Lua 5.4 ldo.c (the "stack reallocation" section)
/// Book: chapter 5
///
/// ldo.c is spread over three chapters: the error entry points have
/// stand-ins in chapter 1's lmem/lmem.cpp (luaM_throw for luaD_throw);
/// this file is its "stack reallocation" section; everything else (calls,
/// returns, errors, coroutines, protected execution) is chapter 8's
/// lvm/ldo.cpp.
///
/// Invariants POINTERS and LIMIT are stated in ldo.hpp. Since 5.4.3, Lua
/// moves a stack in two steps, allocating the new vector, then copying and
/// correcting, then freeing the old one: the correction computes each
/// pointer's offset in the old vector while it is still allocated, which a
/// realloc (after which the old pointers are dangling) would not allow.
/// Lua 5.4.0 to 5.4.2 used a realloc and then subtracted the old, dangling
/// pointers.
///
/// Differences from Lua: see ldo.hpp.
#include "lfunc/ldo.hpp"

#include <algorithm>
#include <utility>

#include "lfunc/lfunc.hpp"

namespace lua {

namespace {

// Moves every pointer of invariant POINTERS from `oldstack` to the same
// offset in `newstack`. A Lua call records that its stack moved in `trap`,
// so the interpreter (chapter 8) reloads its cached base pointer.
void correctstack(lua_State* L, StkId oldstack, StkId newstack) {
  auto moved = [=](StkId p) { return newstack + (p - oldstack); };
  L->top = moved(L->top);
  L->tbclist = moved(L->tbclist);
  for (UpVal* uv : openupvals(L)) uv->v = s2v(moved(uplevel(uv)));
  for (CallInfo* ci : activecalls(L)) {
    ci->top = moved(ci->top);
    ci->func = moved(ci->func);
    if (isLua(ci)) ci->u.l.trap = 1;
  }
}

// The request cannot be met within LUAI_MAXSTACK. The stack still grows,
// to ERRORSTACKSIZE, because reporting the error (a message handler, a
// traceback) needs stack too.
bool stackoverflow(lua_State* L, bool raiseerror) {
  luaD_reallocstack(L, ERRORSTACKSIZE, raiseerror);
  if (raiseerror) luaM_runerror(L, "stack overflow");
  return false;
}

// The part of the stack that must survive a shrink: up to the highest of
// `top` and the limits of every active call (a Lua call may use registers
// up to its `top` at any moment), and never less than LUA_MINSTACK.
int stackinuse(lua_State* L) {
  StkId highest = L->top;
  for (CallInfo* ci : activecalls(L)) highest = std::max(highest, ci->top);
  lua_assert(highest <= L->stack_last);
  return std::max(cast_int(highest - L->stack) + 1, LUA_MINSTACK);
}

}  // namespace

// Allocate, copy, correct, free: see the file comment for why the old
// vector must outlive the correction. A shrinking stack keeps its lowest
// `newsize` slots; the slots being given back hold nothing in use.
bool luaD_reallocstack(lua_State* L, int newsize, bool raiseerror) {
  lua_assert(newsize <= LUAI_MAXSTACK || newsize == ERRORSTACKSIZE);
  const int oldsize = stacksize(L);
  StkId newstack = luaM_reallocvector<StackValue>(
      L, nullptr, 0, cast_sizet(newsize + EXTRA_STACK));
  if (newstack == nullptr) [[unlikely]] {
    if (raiseerror) luaM_error(L);
    return false;
  }
  const int kept = std::min(oldsize, newsize) + EXTRA_STACK;
  std::copy_n(L->stack, kept, newstack);
  setnilvalues(newstack + kept, newstack + newsize + EXTRA_STACK);
  correctstack(L, L->stack, newstack);
  StkId oldstack = std::exchange(L->stack, newstack);
  L->stack_last = newstack + newsize;
  luaM_freearray(L, oldstack, cast_sizet(oldsize + EXTRA_STACK));
  return true;
}

// Doubling keeps the cost of pushes amortised O(1). A stack above
// LUAI_MAXSTACK can only be the ERRORSTACKSIZE of an overflow being
// handled: overflowing it again means the handler itself overflowed.
bool luaD_growstack(lua_State* L, int n, bool raiseerror) {
  const int size = stacksize(L);
  if (size > LUAI_MAXSTACK) [[unlikely]] {
    lua_assert(size == ERRORSTACKSIZE);
    if (raiseerror) luaM_throw(L, LUA_ERRERR);
    return false;
  }
  const int needed = cast_int(L->top - L->stack) + n;
  const int newsize = std::max(std::min(2 * size, LUAI_MAXSTACK), needed);
  if (newsize > LUAI_MAXSTACK) [[unlikely]]
    return stackoverflow(L, raiseerror);
  return luaD_reallocstack(L, newsize, raiseerror);
}

// Shrinking to twice the use only when the stack is three times the use
// leaves a gap between the two thresholds, so a stack whose use goes up
// and down a little does not reallocate back and forth. While an overflow
// is being handled the use itself exceeds LUAI_MAXSTACK, and the stack
// keeps its ERRORSTACKSIZE; the first shrink after that brings it back.
void luaD_shrinkstack(lua_State* L) {
  const int inuse = stackinuse(L);
  const bool handlingoverflow = inuse > LUAI_MAXSTACK;
  const int reasonable = std::min(3 * inuse, LUAI_MAXSTACK);
  if (!handlingoverflow && stacksize(L) > reasonable)
    luaD_reallocstack(L, std::min(2 * inuse, LUAI_MAXSTACK), false);
  luaE_shrinkCI(L);  // a failed reallocation above is harmless too
}

void luaD_inctop(lua_State* L) {
  luaD_checkstack(L, 1);
  L->top++;
}

}  // namespace lua
