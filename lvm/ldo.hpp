/// \file
/// The call half of ldo: errors and the protected runner, hooks, calls and
/// returns, coroutines, and protected parsing.
///
/// Mirrors: Lua 5.4 ldo.h and ldo.c (every section except "stack
/// reallocation", which is chapter 5's lfunc/ldo), and luaF_close and the
/// closing-method check of lfunc.c, which need calls.
/// Book: chapter 8
///
/// Design: a call is a CallInfo record plus a window of stack slots. The
/// called function sits at `ci->func`; its arguments and then its
/// registers follow. `luaD_precall` builds the record (or runs a C function
/// to completion), `luaV_execute` runs Lua code, and `luaD_poscall` moves
/// the results down to where the function was and adjusts their number to
/// what the caller asked for.
///
/// - **Invariant RESULTS.** After a call with `nresults` wanted (or
///   LUA_MULTRET), exactly `nresults` values (or all of them) sit at the old
///   `func` slot and above, missing ones nil, and `L->top` is just above
///   them when the count is LUA_MULTRET.
/// - **Invariant ERRORS.** An error is a C++ exception (`LuaError`) thrown
///   only by luaD_throw and caught only by luaD_rawrunprotected, with the
///   error object on top of the thread's stack. A runner restores
///   `nCcalls` and `errorJmp` on the way out, whatever the status.
/// - **Invariant NCCALLS.** `getCcalls(L)` counts the C++ frames that the
///   interpreter has open for `L` (nested luaD_call and C functions); Lua
///   calls made by the interpreter loop itself re-use its frame and do not
///   count, which is why deep Lua recursion is limited by the Lua stack
///   ("stack overflow") and deep C recursion by LUAI_MAXCCALLS ("C stack
///   overflow").
///
/// Coroutines: a yield from Lua code throws through the C++ frames of the
/// coroutine back to `luaD_resume`, with status LUA_YIELD. The frames it
/// unwinds are always either the interpreter loop (which can restart from
/// `savedpc`) or C functions with continuations (`u.c.k`); resuming
/// finishes the interrupted call records one by one (`unroll`).
///
/// Differences from Lua:
/// - Lua implements errors with longjmp, or with C++ exceptions when built
///   as C++; here there are only exceptions, and `L->errorJmp` points at
///   the innermost runner's record only so that luaD_throw can tell
///   whether any runner is active.
/// - lua_resume, lua_yieldk and lua_isyieldable are luaD_resume,
///   luaD_yield and luaD_isyieldable: only chapter 9 exports C names.
/// - Opening a runnable state (luaD_openstate) is ours: it is chapter 6's
///   luaC_openstate plus this chapter's seams (`throwstatus`, `runerror`,
///   `callgc`) and the lexer's reserved words.
#pragma once

#include "lfunc/ldo.hpp"
#include "lparser/lzio.hpp"

namespace lua {

/// A function that luaD_rawrunprotected runs: `ud` is its argument.
using Pfunc = void (*)(lua_State* L, void* ud);

/// A C function's wanted result count below LUA_MULTRET means "and it has
/// to-be-closed variables to close when it returns" (lapi's lua_settop and
/// lua_toclose encode it, luaD_poscall decodes it).
inline bool hastocloseCfunc(int n) {
  return n < LUA_MULTRET;
}
/// Encodes (and, being its own inverse, decodes) a wanted result count for
/// a C function with to-be-closed variables.
constexpr int codeNresults(int n) {
  return -n - 3;
}
constexpr int decodeNresults(int n) {
  return -n - 3;
}

// ---------------------------------------------------------------------------
// Error recovery
// ---------------------------------------------------------------------------

/// Puts the error object of status `errcode` at `oldtop` (the message for
/// LUA_ERRMEM and LUA_ERRERR, otherwise the value on top of the stack) and
/// sets `L->top` just above it.
void luaD_seterrorobj(lua_State* L, int errcode, StkId oldtop);
/// Raises an error of status `errcode`, whose error object is on top of
/// the stack: unwinds to the innermost protected runner of `L`. A thread
/// with no runner hands the error to the main thread's runner, or calls
/// the panic function and aborts when there is none either.
[[noreturn]] void luaD_throw(lua_State* L, int errcode);
/// Runs `f(L, ud)` and returns LUA_OK, or the status of the error that
/// escaped it, with `nCcalls` restored to its value on entry.
int luaD_rawrunprotected(lua_State* L, Pfunc f, void* ud);

// (Stack reallocation: chapter 5, lfunc/ldo.hpp.)

// ---------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------

/// Calls the hook of `L` for `event` (LUA_HOOKCALL ...) at line `line`,
/// telling it which values are transferred (`ftransfer` is the first one's
/// index in the frame, `ntransfer` their number).
void luaD_hook(lua_State* L, int event, int line, int ftransfer, int ntransfer);
/// Calls the call hook (or tail-call hook) for the Lua call `ci`, which is
/// about to run its first instruction.
void luaD_hookcall(lua_State* L, CallInfo* ci);

// ---------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------

/// For a non-function value at `func`, inserts its `__call` metamethod
/// below it (the value becomes the first argument) and returns the
/// possibly moved `func`; raises "attempt to call" when there is none.
StkId luaD_tryfuncTM(lua_State* L, StkId func);
/// Finishes call `ci`, whose `nres` results are on top of the stack: runs
/// the return hook, moves the results to `ci->func` (invariant RESULTS),
/// and makes the caller current.
void luaD_poscall(lua_State* L, CallInfo* ci, int nres);
/// Prepares a tail call of the function at `func` (with `narg1` values:
/// the function and its arguments) to replace Lua call `ci`. `delta` is
/// how far `ci->func` was moved down for a vararg function. Returns -1
/// when the callee is a Lua function (`ci` now describes it), or the
/// number of results of a C function, which has already run.
int luaD_pretailcall(lua_State* L, CallInfo* ci, StkId func, int narg1,
                     int delta);
/// Prepares a call of the function at `func` wanting `nresults`. Returns
/// the new CallInfo for a Lua function, which the caller must run; runs a
/// C function to completion and returns null.
CallInfo* luaD_precall(lua_State* L, StkId func, int nresults);
/// Calls the function at `func`, with its arguments above it, and leaves
/// `nresults` results (invariant RESULTS). Counts one C level.
void luaD_call(lua_State* L, StkId func, int nresults);
/// luaD_call in a non-yieldable context: a yield inside raises an error.
void luaD_callnoyield(lua_State* L, StkId func, int nresults);

// ---------------------------------------------------------------------------
// Coroutines
// ---------------------------------------------------------------------------

/// Starts or continues coroutine `L` with `narg` values on its stack;
/// `from` is the resuming thread (null for none). Returns LUA_YIELD with
/// the yielded values on top of `L`'s stack, LUA_OK when the body returned
/// (its results on top), or an error status with the error object on top.
/// `*nres` receives the number of values yielded or returned.
int luaD_resume(lua_State* L, lua_State* from, int narg, int* nres);
/// True when the running function of `L` may yield.
bool luaD_isyieldable(lua_State* L);
/// Yields the `nresults` values on top of `L`. From a C function, `k` and
/// `ctx` are its continuation (k null: the function returns those values
/// when resumed). Inside a hook it only marks the yield. Returns 0 when
/// called from a hook; otherwise it does not return to its caller.
int luaD_yield(lua_State* L, int nresults, lua_KContext ctx, lua_KFunction k);

/// Yields the `nresults` values on top of `L` from a C function without a
/// continuation that returns the result of this call at once (`return
/// luaD_yieldreturn(L, n);`, as coroutine.yield does). When nothing but
/// the interpreter loop lies between that function and luaD_resume (no
/// metamethod, no C function calling Lua, no hook), the yield needs no
/// unwinding: the status becomes LUA_YIELD and the function returns -1,
/// which every caller passes up to luaD_resume. Otherwise it is
/// luaD_yield, which throws.
int luaD_yieldreturn(lua_State* L, int nresults);

// ---------------------------------------------------------------------------
// Protected operations
// ---------------------------------------------------------------------------

/// Closes the upvalues and to-be-closed variables at or above stack
/// offset `level`, in protected mode: an error in a `__close` method
/// replaces `status` and closing goes on with the remaining ones. Returns
/// the final status.
int luaD_closeprotected(lua_State* L, std::ptrdiff_t level, int status);
/// Runs `func(L, u)` protected. On error, closes what is open above
/// `oldtop`, puts the error object there, and shrinks the stack and the
/// call list back. `ef` is the message handler's stack offset (0: none).
int luaD_pcall(lua_State* L, Pfunc func, void* u, std::ptrdiff_t oldtop,
               std::ptrdiff_t ef);
/// Loads a chunk (text or binary, as `mode` "b", "t" or "bt" allows) from
/// `z` named `name`, protected: pushes the new closure, whose upvalues are
/// fresh closed upvalues, or the error message. Returns the status.
int luaD_protectedparser(lua_State* L, ZIO* z, const char* name,
                         const char* mode);

// ---------------------------------------------------------------------------
// States (ours: see "Differences from Lua")
// ---------------------------------------------------------------------------

/// Opens a state that can run code: a collector, this chapter's seams and
/// the lexer's reserved words. Returns null when memory runs out.
lua_State* luaD_openstate(lua_Alloc f, void* ud);
/// Closes a state opened by luaD_openstate: closes the main thread's
/// pending to-be-closed variables (calling their `__close` methods), runs
/// every finalizer and frees everything.
void luaD_closestate(lua_State* L);
/// Resets thread `L` after an error or to kill a coroutine: closes its
/// pending variables (calling `__close`), leaves the final error object
/// on the base frame and returns the final status (LUA_OK for a thread
/// that was suspended or dead without error).
int luaD_resetthread(lua_State* L, int status);

// ---------------------------------------------------------------------------
// Functions of lfunc.c that need calls
// ---------------------------------------------------------------------------

/// Raises "variable 'x' got a non-closable value" unless the value at
/// `level` is false, nil or has a `__close` metamethod.
void luaF_checkclosemth(lua_State* L, StkId level);
/// Closes the upvalues and to-be-closed variables of `L` at or above
/// `level`, calling the `__close` methods, newest first, with the error
/// object of `status` (CLOSEKTOP: no error, keep the values above). `yy`
/// says whether the calls may yield. Returns `level`, corrected if the
/// stack moved.
StkId luaF_close(lua_State* L, StkId level, int status, bool yy);

}  // namespace lua
