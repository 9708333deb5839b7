/// \file
/// Threads and states: the set-up and tear-down of a whole Lua state, of
/// each thread's stack and of its list of call records.
///
/// Mirrors: Lua 5.4 lstate.c (its functions) and the stack and call-status
/// definitions of lstate.h; the layouts stay in chapter 2's lstate.hpp.
/// Book: chapter 5
///
/// Design: a thread owns a stack, a vector of `stacksize(L) + EXTRA_STACK`
/// stack slots, and a doubly linked list of `CallInfo` records that starts
/// at the record embedded in the thread (`base_ci`) and is kept for reuse:
/// records after `L->ci` are free, and a call takes the next one instead of
/// allocating.
///
/// - **Invariant STACK.** `stack <= top <= stack_last + EXTRA_STACK`; the
///   EXTRA_STACK slots above `stack_last` let a few pushes skip the stack
///   check, and no call frame ever extends into them.
/// - **Invariant CALLS.** `base_ci` is the first record; `previous` and
///   `next` agree; `nci` counts the records after `base_ci`; every record
///   from `base_ci` to `L->ci` has `stack <= func < top <= stack_last`,
///   and each callee's `func` lies above its caller's.
/// - **Invariant UPVALS** (lfunc.hpp), **Invariant TBC** (lfunc.hpp) and
///   **Invariant TWUPS**: a thread with open upvalues is in the global
///   list `g->twups`.
///
/// `check_thread(lua_State *)` verifies all of them.
///
/// Differences from Lua:
/// - Lua's lua_newstate, lua_close and lua_newthread are API functions;
///   here the state's set-up and tear-down are `luaE_openstate`,
///   `luaE_closestate` and `luaE_newthread`, which chapter 9's API wraps.
/// - Closing a state cannot call finalizers (chapter 6) or `__close`
///   methods (chapter 8): luaE_closestate closes the upvalues and frees
///   every object; a later chapter runs those calls before calling it.
///   For the same reason luaE_resetthread closes upvalues and drops the
///   to-be-closed list without calling anything, and leaves no error
///   object on the stack for an error status (error objects live on the
///   stack from chapter 8 on).
/// - The lexer's reserved words (luaX_init, chapter 7) are not created at
///   set-up: chapter 7 does not exist yet.
/// - Lua's collector frees a dead thread only after its atomic phase took it
///   out of `g->twups`; luaE_freethread takes it out itself, so that a
///   thread freed before chapter 6 leaves no dangling link.
/// - lgc.c's `freeobj` is here as `luaE_freeobj`, because closing a state
///   frees every kind of object before the collector exists; chapter 6's
///   sweep reuses it.
#pragma once

#include "lobject/lstate.hpp"

namespace lua {

// ---------------------------------------------------------------------------
// The stack and the call records (lstate.h)
// ---------------------------------------------------------------------------

/// Slots above `stack_last` that may be used without a stack check, by
/// pushes that are popped at once or checked right after (invariant
/// STACK).
inline constexpr int EXTRA_STACK = 5;
/// Size of a new thread's stack, in slots (not counting EXTRA_STACK).
inline constexpr int BASIC_STACK_SIZE = 2 * LUA_MINSTACK;

/// Usable size of the stack of `th`, in slots.
inline int stacksize(const lua_State* th) {
  return cast_int(th->stack_last - th->stack);
}
/// Sets the slots of `[from, to)` to nil (a fresh or grown stack).
inline void setnilvalues(StkId from, StkId to) {
  for (StkId slot = from; slot < to; slot++) setnilvalue(s2v(slot));
}

/// Bits of `CallInfo::callstatus`.
inline constexpr unsigned short CIST_OAH = 1 << 0;  ///< saved `allowhook`
inline constexpr unsigned short CIST_C = 1 << 1;    ///< running a C function
/// Running on a fresh invocation of the interpreter loop.
inline constexpr unsigned short CIST_FRESH = 1 << 2;
inline constexpr unsigned short CIST_HOOKED = 1 << 3;  ///< running a hook
/// Inside a yieldable protected call.
inline constexpr unsigned short CIST_YPCALL = 1 << 4;
inline constexpr unsigned short CIST_TAIL = 1 << 5;  ///< was tail called
/// The last hook called yielded.
inline constexpr unsigned short CIST_HOOKYIELD = 1 << 6;
inline constexpr unsigned short CIST_FIN = 1 << 7;  ///< called a finalizer
/// `u2.transferinfo` is valid.
inline constexpr unsigned short CIST_TRAN = 1 << 8;
/// Closing to-be-closed variables while returning.
inline constexpr unsigned short CIST_CLSRET = 1 << 9;
/// First of three bits holding an error status while closing variables.
inline constexpr int CIST_RECST = 10;

/// The call runs a Lua function.
inline bool isLua(const CallInfo* ci) {
  return (ci->callstatus & CIST_C) == 0;
}
/// The call runs Lua code (a Lua function that is not running a hook).
inline bool isLuacode(const CallInfo* ci) {
  return (ci->callstatus & (CIST_C | CIST_HOOKED)) == 0;
}

// `nCcalls` counts two things at once: C calls in its low 16 bits and
// non-yieldable calls in its high 16 bits, so one increment (`nyci`)
// records a call that is both.

/// No non-yieldable call is active in the thread.
inline bool yieldable(const lua_State* L) {
  return (L->nCcalls & 0xffff0000u) == 0;
}
/// Number of nested C calls (the low half of `nCcalls`).
inline int getCcalls(const lua_State* L) {
  return cast_int(L->nCcalls & 0xffffu);
}
/// Enters and leaves a non-yieldable call.
inline void incnny(lua_State* L) {
  L->nCcalls += 0x10000u;
}
inline void decnny(lua_State* L) {
  L->nCcalls -= 0x10000u;
}
/// Increment of `nCcalls` for a call that is a C call and non-yieldable.
inline constexpr std::uint32_t nyci = 0x10000u | 1u;

/// Restarts the count of a count hook.
inline void resethookcount(lua_State* L) {
  L->hookcount = L->basehookcount;
}

// ---------------------------------------------------------------------------
// The collector's state flags set by state creation (lgc.h; chapter 6
// gives them behaviour)
// ---------------------------------------------------------------------------

/// Bits of `gcstp`: stopped by the user, stopped while the state is being
/// built, stopped while it is being closed.
inline constexpr lu_byte GCSTPUSR = 1;
inline constexpr lu_byte GCSTPGC = 2;
inline constexpr lu_byte GCSTPCLS = 4;
/// The collector's kinds: incremental and generational.
inline constexpr lu_byte KGC_INC = 0;
inline constexpr lu_byte KGC_GEN = 1;
/// The collector's resting phase, in which a new state starts.
inline constexpr lu_byte GCSpause = 8;

/// Default collector parameters: the pause between cycles and the work
/// per step (percentages), log2 of the step size in bytes, and the
/// generational multipliers (percentages).
inline constexpr int LUAI_GCPAUSE = 200;
inline constexpr int LUAI_GCMUL = 100;
inline constexpr int LUAI_GCSTEPSIZE = 13;
inline constexpr int LUAI_GENMAJORMUL = 100;
inline constexpr int LUAI_GENMINORMUL = 20;
/// Percentages are stored divided by 4, to fit a byte.
inline lu_byte setgcparam(int v) {
  return cast_byte(v / 4);
}
inline int getgcparam(lu_byte p) {
  return p * 4;
}

// ---------------------------------------------------------------------------
// lstate.c
// ---------------------------------------------------------------------------

/// Adds a record after `L->ci`, which must be the last one, and returns
/// it. Raises LUA_ERRMEM, leaving the list unchanged.
CallInfo* luaE_extendCI(lua_State* L);
/// Frees every record after `L->ci`.
void luaE_freeCI(lua_State* L);
/// Frees half of the records after `L->ci` (every second one, keeping the
/// first), so a list that grew in a deep recursion shrinks gradually.
void luaE_shrinkCI(lua_State* L);
/// Called when the C-call count reaches LUAI_MAXCCALLS: at the limit it
/// raises "C stack overflow"; a little beyond it (while the error is being
/// handled) it raises LUA_ERRERR; in between it lets the handler run.
void luaE_checkcstack(lua_State* L);
/// Counts one more nested C call, checking the limit.
void luaE_incCstack(lua_State* L);

/// Creates a thread in the state of `L`: linked into `allgc`, pushed on
/// the stack of `L` (which anchors it), with its own stack and base call
/// record, the hooks of `L` and the main thread's extra space. Raises
/// LUA_ERRMEM; a thread whose stack could not be allocated stays in
/// `allgc` and is freed with the state.
lua_State* luaE_newthread(lua_State* L);
/// Frees thread `L1` (not the main thread): closes its upvalues, takes it
/// out of `g->twups`, frees its stack, its records and its block.
void luaE_freethread(lua_State* L, lua_State* L1);
/// Resets thread `L` to its state after creation: one base record, an
/// empty stack shrunk to the base frame, every upvalue closed and the
/// to-be-closed list emptied (without calling close methods; chapter 8
/// runs them first). Returns `status`, except that LUA_YIELD becomes
/// LUA_OK.
int luaE_resetthread(lua_State* L, int status);
/// The first step of a reset: the base record becomes current again
/// (function slot nil, a C record) and the thread's status LUA_OK. The
/// stack above slot 0 is left as it is, for the caller to close.
void luaE_resetbase(lua_State* L);
/// The last step of a reset: the stack shrinks to what the base record
/// uses up to `top` plus LUA_MINSTACK (a failed shrink is ignored). The
/// caller sets `top` first, above anything that must survive: a failed
/// shrink may run an emergency collection.
void luaE_shrinkbase(lua_State* L);

/// Creates a state with allocator `f` and its argument `ud` and returns
/// its main thread, or null when memory runs out (then every byte is given
/// back). The state has a stack, the registry (with the main thread and a
/// table of globals), the string table, the metamethod names and the
/// `pushstring` seam.
lua_State* luaE_openstate(lua_Alloc f, void* ud);
/// Frees the whole state of `L` (any of its threads): every object, the
/// string table, the main thread's stack and records, and the block of
/// the main thread and the global state. The allocator holds nothing of
/// it afterwards.
void luaE_closestate(lua_State* L);
/// Frees collectable object `o`, of any type, without unlinking it from
/// the collector's list that holds it: short strings leave the string
/// table, open upvalues leave their thread's list, threads are freed with
/// luaE_freethread. Must not be called on the main thread.
void luaE_freeobj(lua_State* L, GCObject* o);
/// Frees, with luaE_freeobj, every object of the list that starts at `p`,
/// up to (not including) `limit`. lgc.c's static `deletelist`: chapter 5's
/// close and chapter 6's luaC_freeallobjects both empty lists with it.
void deletelist(lua_State* L, GCObject* p, GCObject* limit);

/// Checks STACK, CALLS, TWUPS, UPVALS and TBC for thread `L` and returns
/// the number of violations found: 0 when the thread is sound. Never
/// asserts, and works in release (NDEBUG) builds too.
int check_thread(lua_State* L);

}  // namespace lua
