/// \file
/// The API's own checks and stack helpers: the misuse checks of the C API
/// (`api_check`), pushing one slot, adjusting a frame after a call with
/// open results, and the coding of to-be-closed slots in `nresults`.
///
/// Mirrors: Lua 5.4 lapi.h
/// Book: chapter 9
///
/// Design: a C function sees a window of its thread's stack, from
/// `ci->func + 1` to `ci->top`; the API trusts it to stay inside, as Lua
/// does. Built with `-Dapi_check=true` (LUA_USE_APICHECK), every API entry
/// checks its preconditions and a violation stops the program with
/// "lua: API check failed: <what>" on stderr, naming the index or count
/// at fault, instead of corrupting memory. Without that option the checks
/// compile to nothing: their conditions are not even evaluated.
///
/// - **Invariant WINDOW.** Between API calls of a C function running in
///   `ci`, `ci->func < L->top <= ci->top`: every push checks the upper
///   bound (api_incr_top) and every pop checks the lower one
///   (api_checknelems).
/// - **Invariant TBCMARK.** A C call that has marked a to-be-closed slot
///   (lua_toclose) has `nresults < LUA_MULTRET`: the wanted count `n` is
///   stored as `-n - 3` (codeNresults), so that a return needs one
///   comparison to know whether it must close slots.
///
/// Differences from Lua:
/// - Lua's api_check is lua_assert with a fixed message and then undefined
///   behaviour; ours prints a formatted message (with the offending index)
///   and aborts, in any build type, when the option is on.
/// - The helpers are inline functions, except api_check, which must stay a
///   macro so that a disabled check does not evaluate its condition.
/// - luaO_arith (lobject.c) is declared here: it needs metamethods, which
///   chapter 2 does not have, and the API is its only user.
/// - hastocloseCfunc, codeNresults and decodeNresults live in lvm/ldo.hpp,
///   because luaD_poscall (chapter 8) decodes the mark.
#pragma once

#include "lvm/ldo.hpp"

namespace lua {

/// Reports a failed API check ("lua: API check failed: " and the message,
/// formatted as printf does) on stderr and aborts. Used only by api_check.
[[noreturn]] void luai_apicheckfail(const char* fmt, ...)
    __attribute__((format(printf, 1, 2)));

}  // namespace lua

#ifdef LUA_USE_APICHECK
/// Checks the API precondition `e`; on failure reports the printf-style
/// message that follows and aborts.
#define api_check(L, e, ...) \
  ((e) ? (void)(L) : ::lua::luai_apicheckfail(__VA_ARGS__))
#else
// Disabled: sizeof keeps the names in `e` "used" without evaluating them.
#define api_check(L, e, ...) ((void)(L), (void)sizeof((e) ? 1 : 0))
#endif

namespace lua {

/// Pushes the slot at `top`, already filled, within the frame (invariant
/// WINDOW).
inline void api_incr_top(lua_State* L) {
  L->top++;
  api_check(L, L->top <= L->ci->top,
            "stack overflow (push beyond the frame; see lua_checkstack)");
}

/// After a call with LUA_MULTRET results, the frame must reach at least
/// up to the last result (a call may return more values than the frame
/// had room for).
inline void adjustresults(lua_State* L, int nres) {
  if (nres <= LUA_MULTRET && L->ci->top < L->top) L->ci->top = L->top;
}

/// Checks that the frame holds at least `n` values above the function.
inline void api_checknelems(lua_State* L, int n) {
  api_check(L, n < L->top - L->ci->func,
            "not enough elements in the stack (%d needed, %d present)", n,
            static_cast<int>(L->top - L->ci->func - 1));
}

// hastocloseCfunc, codeNresults and decodeNresults (lapi.h in Lua) are in
// lvm/ldo.hpp: luaD_poscall, in the chapter below, decodes the mark.

/// Lua's arithmetic on `p1` and `p2` (operator `op`, LUA_OPADD ...), with
/// the numeric rules of luaO_rawarith and, when they do not apply, the
/// operator's metamethod; the result goes to stack slot `res`.
void luaO_arith(lua_State* L, int op, const TValue* p1, const TValue* p2,
                StkId res);

}  // namespace lua
