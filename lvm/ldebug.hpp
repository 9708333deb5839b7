/// \file
/// Debug information and run-time errors: the current line, local and
/// function names for messages, the debug interface behind lua_getinfo,
/// and every error the interpreter raises with position information.
///
/// Mirrors: Lua 5.4 ldebug.h and ldebug.c (luaG_getfuncline, which the
/// listing of chapter 7 also needs, lives in chapter 5's lfunc)
/// Book: chapter 8
///
/// Design: the compiler keeps no names at run time except in debug
/// information, so a message such as "attempt to index a nil value (field
/// 'x')" is rebuilt by symbolic execution: the instruction that failed is
/// found from `savedpc`, and the code before it is scanned for the last
/// instruction that loaded the offending register (a GETFIELD names a
/// field, a GETTABUP on _ENV a global, a register with an active local
/// variable a local, and so on).
///
/// - **Invariant LINES.** The line of instruction `pc` is the absolute line
///   of the last `abslineinfo` entry at or before `pc` plus the deltas of
///   `lineinfo` after it: the lookup never scans from instruction 0.
///
/// Differences from Lua: lua_getstack, lua_getinfo, lua_getlocal,
/// lua_setlocal, lua_sethook and the hook queries are luaG_getstack ...
/// luaG_sethook here; chapter 9 exports the C names.
#pragma once

#include "lfunc/lfunc.hpp"
#include "lfunc/lstate.hpp"

namespace lua {

/// The index of the instruction `pc` points just past, in `p`'s code.
inline int pcRel(const Instruction* pc, const Proto* p) {
  return cast_int(pc - p->code) - 1;
}
/// The Lua closure running in call `ci`.
inline LClosure* ci_func(const CallInfo* ci) {
  return clLvalue(s2v(ci->func));
}

/// Finds the `n`-th local variable (negative: vararg) of call `ci`; sets
/// `*pos` to its slot and returns its name, or null when there is none.
const char* luaG_findlocal(lua_State* L, CallInfo* ci, int n, StkId* pos);
/// "attempt to <opname> a <type> value (<kind> '<name>')".
[[noreturn]] void luaG_typeerror(lua_State* L, const TValue* o,
                                 const char* opname);
/// "attempt to call a <type> value (<kind> '<name>')", naming the called
/// function from the calling instruction.
[[noreturn]] void luaG_callerror(lua_State* L, const TValue* o);
/// "bad 'for' <what> (number expected, got <type>)", the only form 5.4.4
/// has.
[[noreturn]] void luaG_forerror(lua_State* L, const TValue* o,
                                const char* what);
/// "attempt to concatenate a <type> value ...", blaming the operand that
/// is not a string or number.
[[noreturn]] void luaG_concaterror(lua_State* L, const TValue* p1,
                                   const TValue* p2);
/// "attempt to <msg> a <type> value ...", blaming the operand that is not
/// a number.
[[noreturn]] void luaG_opinterror(lua_State* L, const TValue* p1,
                                  const TValue* p2, const char* msg);
/// "number has no integer representation" for a bitwise operation.
[[noreturn]] void luaG_tointerror(lua_State* L, const TValue* p1,
                                  const TValue* p2);
/// "attempt to compare <type> with <type>" (or "two <type> values").
[[noreturn]] void luaG_ordererror(lua_State* L, const TValue* p1,
                                  const TValue* p2);
/// Formats the message (luaO_pushfstring formats), adds "chunk:line:" of
/// the running Lua function and raises it.
[[noreturn]] void luaG_runerror(lua_State* L, const char* fmt, ...);
/// Pushes "<chunkid of src>:<line>: <msg>" and returns it.
const char* luaG_addinfo(lua_State* L, const char* msg, TString* src, int line);
/// Raises the error object on top of the stack, calling the message
/// handler (`L->errfunc`) first when there is one.
[[noreturn]] void luaG_errormsg(lua_State* L);
/// Called by the interpreter before instruction `pc` when hooks are on:
/// runs the count and line hooks. Returns whether hooks are still on
/// (the `trap` of the loop).
int luaG_traceexec(lua_State* L, const Instruction* pc);

/// lua_getstack: fills `ar->i_ci` with the call at `level` (0: the
/// current one); returns false when there is no such level.
bool luaG_getstack(lua_State* L, int level, lua_Debug* ar);
/// lua_getinfo: fills the fields of `ar` that `what` selects
/// ("nSltufrL"; a leading '>' takes the function from the stack top).
/// Returns false for an invalid option.
bool luaG_getinfo(lua_State* L, const char* what, lua_Debug* ar);
/// lua_getlocal: pushes the `n`-th local of `ar`'s call and returns its
/// name; with `ar` null, names the `n`-th parameter of the function on
/// top of the stack (pushing nothing).
const char* luaG_getlocal(lua_State* L, const lua_Debug* ar, int n);
/// lua_setlocal: pops a value into the `n`-th local of `ar`'s call and
/// returns its name; when there is none, returns null and pops nothing,
/// as Lua does (the debug library pops the value itself).
const char* luaG_setlocal(lua_State* L, const lua_Debug* ar, int n);
/// lua_sethook: installs `func` for the events in `mask`, with count
/// `count`; a null function or zero mask turns hooks off.
void luaG_sethook(lua_State* L, lua_Hook func, int mask, int count);
/// lua_gethook: the hook function, or null when hooks are off.
lua_Hook luaG_gethook(lua_State* L);
/// lua_gethookmask: the events hooked (LUA_MASKCALL ...), 0 when off.
int luaG_gethookmask(lua_State* L);
/// lua_gethookcount: the count of the count hook as it was set.
int luaG_gethookcount(lua_State* L);

}  // namespace lua
