/// \file
/// Prototypes, closures and upvalues: the objects a function is made of,
/// the sharing of local variables between closures, and the list of
/// to-be-closed variables.
///
/// Mirrors: Lua 5.4 lfunc.h and lfunc.c (and luaG_getfuncline of ldebug.c,
/// with ABSLINEINFO and MAXIWTHABS of ldebug.h)
/// Book: chapter 5
///
/// Design: a `Proto` is what the compiler produces for a function; a
/// closure is a run-time instance of it, with one `UpVal` pointer per
/// variable it captures from enclosing functions. While the variable's
/// scope is active the UpVal is *open*: `v` points at the variable's stack
/// slot, so the enclosing function (which uses the slot directly) and the
/// closures (which go through `v`) see the same value. When the scope ends
/// the UpVal is *closed*: the value moves into the UpVal and `v` follows
/// it. Each thread keeps its open upvalues in one list, so that a second
/// closure over the same variable finds and shares the first one's UpVal.
///
/// - **Invariant UPVALS.** `L->openupval` lists open upvalues only, each
///   pointing into `[stack, top)` of `L`, in strictly decreasing stack
///   order (highest slot first): so there is at most one UpVal per slot,
///   and closing everything above a level pops a prefix of the list. Each
///   `u.open.previous` points at the link that points to its UpVal.
/// - **Invariant CLOSED.** A closed UpVal has `v == &u.value` and is in no
///   thread's list.
/// - **Invariant TBC.** The to-be-closed variables of a thread form a chain
///   through the stack: `L->tbclist` is the newest (or `L->stack` when there
///   is none), and each entry's `tbclist.delta` is the distance down to the
///   previous one. A distance too large for the 16-bit delta is bridged by
///   dummy entries (delta 0) every MAXDELTA slots. The newest entry is
///   never a dummy and lies below `top`.
/// - **Invariant LINES.** The line of instruction `pc` is the absolute line
///   of the last `abslineinfo` entry at or before `pc` (or `linedefined`
///   when there is none) plus the `lineinfo` deltas after that entry, up to
///   and including `pc`'s; an instruction whose delta is ABSLINEINFO has an
///   entry of its own. luaG_getfuncline starts from that entry, never from
///   instruction 0.
///
/// Differences from Lua:
/// - Lua's luaF_newtbcupval first checks that the value has a `__close`
///   metamethod and names the variable in its error; that needs the debug
///   information of a running function (chapter 8), so the check moves to
///   the interpreter there. Here false and nil are "nothing to close" and
///   any other value is registered.
/// - Lua's luaF_close also calls the `__close` methods, which needs calls
///   (chapter 8). This chapter provides its two halves that need no call:
///   luaF_closeupval and the pop of the list, `luaF_poptbclist` (static
///   `poptbclist` in Lua); chapter 8 writes luaF_close from them.
/// - Lua 5.4.4's UpVal carries a `tbc` byte that nothing reads; chapter 2's
///   layout leaves it out, and newupval takes no such argument.
/// - luaG_getfuncline is ldebug.c's (chapter 8), but the listing of
///   chapter 7 needs it, so it lives here, at the end of lfunc.cpp. It
///   finds its starting entry by binary search instead of Lua's estimate
///   from MAXIWTHABS, so it does not depend on the spacing the compiler
///   used; and it returns -1 for a `pc` past the line information, which a
///   loaded chunk (not verified, chapter 7) may lack.
#pragma once

#include <climits>

#include "lobject/lstate.hpp"

namespace lua {

/// True when thread `L` is in the list of threads with open upvalues. A
/// thread out of the list points to itself.
inline bool isintwups(const lua_State* L) {
  return L->twups != L;
}

/// The next open upvalue of the same thread, lower in its stack.
inline UpVal* nextopenupval(UpVal* uv) {
  return uv->u.open.next;
}
/// The open upvalues of thread `L`, highest slot first (invariant UPVALS).
inline ListRange<UpVal, nextopenupval> openupvals(lua_State* L) {
  return {L->openupval};
}

/// Most upvalues a closure may have (an upvalue index fits a byte).
inline constexpr int MAXUPVAL = 255;

/// True while `up` points into a stack (invariant CLOSED).
inline bool upisopen(const UpVal* up) {
  return up->v != &up->u.value;
}
/// The stack slot of an open upvalue.
inline StkId uplevel(const UpVal* up) {
  return check_exp(upisopen(up), reinterpret_cast<StkId>(up->v));
}

/// Status given to luaF_close (chapter 8) to close variables while keeping
/// the values above them on the stack.
inline constexpr int CLOSEKTOP = -1;

/// Largest distance a `tbclist.delta` can hold; farther entries are
/// reached through dummies (invariant TBC).
inline constexpr unsigned MAXDELTA = USHRT_MAX;
static_assert(sizeof(StackValue{}.tbclist.delta) == 2, "MAXDELTA fits delta");

/// Creates a prototype with every count 0 and every vector null.
Proto* luaF_newproto(lua_State* L);
/// Creates a C closure with room for `nupvals` values (left unset: the
/// caller fills them).
CClosure* luaF_newCclosure(lua_State* L, int nupvals);
/// Creates a Lua closure with `nupvals` null upvalue pointers and no
/// prototype; the caller sets `p` and fills the upvalues.
LClosure* luaF_newLclosure(lua_State* L, int nupvals);
/// Gives every upvalue of `cl` a new closed UpVal holding nil (for a
/// function loaded without enclosing function).
void luaF_initupvals(lua_State* L, LClosure* cl);
/// Returns the open UpVal of slot `level` in thread `L`, creating and
/// linking it (and linking `L` into `g->twups`) if there is none, so
/// every closure over one variable shares one UpVal (invariant UPVALS).
UpVal* luaF_findupval(lua_State* L, StkId level);
/// Registers slot `level`, which must lie above the newest entry, as a
/// to-be-closed variable, unless its value is false or nil (invariant
/// TBC). The `__close` check is chapter 8's.
void luaF_newtbcupval(lua_State* L, StkId level);
/// Removes open upvalue `uv` from its thread's list.
void luaF_unlinkupval(UpVal* uv);
/// Closes every open upvalue of `L` at or above `level`: each value moves
/// into its UpVal, which leaves the list (invariant CLOSED).
void luaF_closeupval(lua_State* L, StkId level);
/// Removes the newest to-be-closed variable from the list, with the dummy
/// entries below it. The list must not be empty.
void luaF_poptbclist(lua_State* L);
/// Frees prototype `f` and its vectors (not the objects they refer to).
void luaF_freeproto(lua_State* L, Proto* f);
/// The name of the `local_number`-th local variable (counting from 1)
/// active at instruction `pc` of `f`, or null if there is none.
const char* luaF_getlocalname(const Proto* f, int local_number, int pc);

// ---------------------------------------------------------------------------
// Line information (ldebug.h and ldebug.c; see "Differences from Lua")
// ---------------------------------------------------------------------------

/// The `lineinfo` byte of an instruction whose line is in `abslineinfo`
/// (invariant LINES). The compiler stores only deltas of magnitude 127 or
/// less, which leaves -128 free to serve as this mark.
inline constexpr int ABSLINEINFO = -0x80;
/// The compiler writes an absolute line entry at least every MAXIWTHABS
/// instructions, so a lookup walks at most that many deltas.
inline constexpr int MAXIWTHABS = 128;

/// The source line of instruction `pc` of `f` (invariant LINES), or -1
/// when `f` has no line information (a stripped function) or `pc` lies
/// past it. A `pc` of -1 (no instruction run yet) gives `linedefined`.
int luaG_getfuncline(const Proto* f, int pc);

}  // namespace lua
