/// \file
/// The stack half of ldo: growing, shrinking and reallocating a thread's
/// stack, correcting every pointer into it when it moves.
///
/// Mirrors: Lua 5.4 ldo.h and ldo.c (the "stack reallocation" section; the
/// call half is chapter 8's lvm/ldo)
/// Book: chapter 5
///
/// Design: a stack is one vector of StackValue, so it can move when it
/// grows. Everything that points into it must then move with it:
///
/// - **Invariant POINTERS.** The only pointers into a stack are `L->top`,
///   `L->tbclist`, the `v` of each open upvalue of `L`, and the `func` and
///   `top` of each active call record (from `L->ci` back to `base_ci`).
///   luaD_reallocstack corrects exactly these; any other pointer into the
///   stack (a local `StkId` in C++ code) must be saved as an offset
///   (savestack) around anything that can grow the stack, and restored
///   (restorestack) after.
/// - **Invariant LIMIT.** A stack never exceeds LUAI_MAXSTACK slots, except
///   while an overflow is being reported, when it has ERRORSTACKSIZE slots:
///   room for the error handler to run.
///
/// Differences from Lua:
/// - Lua's luaD_checkstackaux, luaD_checkstack, checkstackGCp and
///   checkstackGC are macros; here they are inline functions, with the
///   `pre`/`pos` code as callables.
/// - checkstackGCp and checkstackGC run a collector step (luaC_checkGC)
///   before growing in Lua. The collector is chapter 6, after this one, so
///   the step is a callable argument, a no-op by default; chapter 8 passes
///   luaC_checkGC.
/// - `raiseerror` and the results of luaD_reallocstack and luaD_growstack
///   are `bool` (`int` in Lua).
/// - Lua's HARDSTACKTESTS (move the stack at every check) is not built in.
#pragma once

#include <cstddef>

#include "lfunc/lstate.hpp"

namespace lua {

/// Stack size used while reporting a stack overflow (invariant LIMIT).
inline constexpr int ERRORSTACKSIZE = LUAI_MAXSTACK + 200;

/// Reallocates the stack of `L` to `newsize` usable slots (plus
/// EXTRA_STACK), copying the slots that fit, setting new slots to nil and
/// correcting every pointer into the stack (invariant POINTERS). If memory
/// runs out, raises LUA_ERRMEM when `raiseerror` is true and otherwise
/// returns false; either way the stack is unchanged.
bool luaD_reallocstack(lua_State* L, int newsize, bool raiseerror);
/// Grows the stack of `L` so that at least `n` more slots fit above `top`:
/// doubling, but never past LUAI_MAXSTACK. Past it, the stack grows to
/// ERRORSTACKSIZE and "stack overflow" is raised; a stack already that big
/// (an overflow while handling one) raises LUA_ERRERR. With `raiseerror`
/// false, returns false instead of raising (the stack may still have grown
/// to ERRORSTACKSIZE).
bool luaD_growstack(lua_State* L, int n, bool raiseerror);
/// Shrinks the stack of `L` to twice the part in use when it is more than
/// three times that (keeping LUA_MINSTACK at least), returns a stack that
/// handled an overflow to a normal size, and frees half the spare call
/// records. A failed reallocation is ignored.
void luaD_shrinkstack(lua_State* L);
/// Pushes the slot at `top`, which the caller has already filled, growing
/// the stack if needed.
void luaD_inctop(lua_State* L);

/// Lua's luaD_checkstackaux: makes room for `n` slots above `top`, running
/// `pre` before growing and `pos` after (to save and restore pointers).
template <class Pre, class Pos>
inline void luaD_checkstackaux(lua_State* L, int n, Pre pre, Pos pos) {
  if (L->stack_last - L->top <= n) [[unlikely]] {
    pre();
    luaD_growstack(L, n, true);
    pos();
  }
}
/// Makes room for `n` slots above `top`; pointers into the stack other
/// than those of invariant POINTERS are invalid afterwards.
inline void luaD_checkstack(lua_State* L, int n) {
  luaD_checkstackaux(
      L, n, [] {}, [] {});
}

/// The offset of stack slot `p`, which survives a reallocation.
inline std::ptrdiff_t savestack(lua_State* L, StkId p) {
  return reinterpret_cast<char*>(p) - reinterpret_cast<char*>(L->stack);
}
/// The stack slot at offset `n`, in the stack as it is now.
inline StkId restorestack(lua_State* L, std::ptrdiff_t n) {
  return reinterpret_cast<StkId>(reinterpret_cast<char*>(L->stack) + n);
}

/// The default collector step of the helpers below: none (chapter 6).
inline void nogcstep(lua_State*) {}

/// Makes room for `n` slots, keeping `p` pointing at the same slot, and
/// runs `gcstep` before growing (Lua runs luaC_checkGC there).
template <class Step = void (*)(lua_State*)>
inline void checkstackGCp(lua_State* L, int n, StkId& p,
                          Step gcstep = nogcstep) {
  std::ptrdiff_t t = 0;
  luaD_checkstackaux(
      L, n,
      [&] {
        t = savestack(L, p);
        gcstep(L);
      },
      [&] { p = restorestack(L, t); });
}
/// Makes room for `n` slots, running `gcstep` before growing.
template <class Step = void (*)(lua_State*)>
inline void checkstackGC(lua_State* L, int n, Step gcstep = nogcstep) {
  luaD_checkstackaux(
      L, n, [&] { gcstep(L); }, [] {});
}

}  // namespace lua
