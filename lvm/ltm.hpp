/// \file
/// Calling metamethods: the fallbacks of the arithmetic, bitwise, concat
/// and order operators, and the adjustment of variable arguments.
///
/// Mirrors: Lua 5.4 ltm.h and ltm.c (luaT_callTM and everything after it;
/// the event names and the lookups are chapter 5's lfunc/ltm)
/// Book: chapter 8
///
/// Design: when an operator's fast path fails (an operand is not a number,
/// or an index misses), the interpreter asks this file for the operand's
/// metamethod and calls it as an ordinary function, one result wanted, with
/// the result stored into the instruction's target register.
///
/// - **Invariant LOOKUP.** A binary event is looked up on the first operand
///   and then on the second; the first one found is called with the
///   operands in their original order, whatever their types.
/// - **Invariant NOTM.** When neither operand has the metamethod, the error
///   names the operation and the culprit as lua5.4 does: a concat error
///   blames the operand that is not a string or number, a bitwise error on
///   two numbers is "number has no integer representation", and so on.
///
/// Differences from Lua: the event is the scoped enum `TMS`; order results
/// are `bool`.
#pragma once

#include "lfunc/ltm.hpp"

namespace lua {

/// Call status bit (Lua's LUA_COMPAT_LT_LE, which Debian's lua5.4 has):
/// `a <= b` is running as `not (b < a)` through `__lt`, so the result of
/// an interrupted comparison must be negated when it is finished.
inline constexpr unsigned short CIST_LEQ = 1 << 13;

/// Calls metamethod `f` with arguments `p1`, `p2`, `p3` and no result.
void luaT_callTM(lua_State* L, const TValue* f, const TValue* p1,
                 const TValue* p2, const TValue* p3);
/// Calls metamethod `f` with arguments `p1`, `p2` and stores its one result
/// in `res`.
void luaT_callTMres(lua_State* L, const TValue* f, const TValue* p1,
                    const TValue* p2, StkId res);
/// Calls the metamethod of binary `event` on `p1` and `p2` (invariant
/// LOOKUP) into `res`, or raises the operator's error (invariant NOTM).
void luaT_trybinTM(lua_State* L, const TValue* p1, const TValue* p2, StkId res,
                   TMS event);
/// The `__concat` fallback for the two values on top of the stack; the
/// result replaces the first of them.
void luaT_tryconcatTM(lua_State* L);
/// luaT_trybinTM for an instruction with a constant operand: `flip` says
/// that the constant `p2` was really the first operand.
void luaT_trybinassocTM(lua_State* L, const TValue* p1, const TValue* p2,
                        bool flip, StkId res, TMS event);
/// luaT_trybinassocTM with an immediate integer operand `i2`.
void luaT_trybiniTM(lua_State* L, const TValue* p1, lua_Integer i2, bool flip,
                    StkId res, TMS event);
/// Calls the order metamethod `event` (TM_LT or TM_LE) on `p1` and `p2` and
/// returns its result as a boolean; raises "attempt to compare" without it.
bool luaT_callorderTM(lua_State* L, const TValue* p1, const TValue* p2,
                      TMS event);
/// luaT_callorderTM with an immediate operand `v2` (a float when `isfloat`);
/// `flip` says that the immediate was the first operand.
bool luaT_callorderiTM(lua_State* L, const TValue* p1, int v2, bool flip,
                       bool isfloat, TMS event);
/// Moves the function of vararg call `ci` and its fixed parameters above
/// the actual arguments, so that the extra arguments stay below the frame
/// (`ci->u.l.nextraargs` of them) for OP_VARARG.
void luaT_adjustvarargs(lua_State* L, int nfixparams, CallInfo* ci,
                        const Proto* p);
/// Copies `wanted` extra arguments of `ci` to `where` (every one of them,
/// setting `top`, when `wanted` < 0), nil-filling the missing ones.
void luaT_getvarargs(lua_State* L, CallInfo* ci, StkId where, int wanted);

}  // namespace lua
