/// \file
/// The interpreter: conversions, comparison, the table access protocol
/// with its metamethod fallbacks, concatenation, length, and the
/// instruction loop.
///
/// Mirrors: Lua 5.4 lvm.h and lvm.c (luaV_idiv, luaV_mod, luaV_modf,
/// luaV_shiftl and the float-to-integer conversions live in chapter 2's
/// lobject, which needs them for constant folding)
/// Book: chapter 8
///
/// Design: `luaV_execute` runs the Lua call `ci` and every Lua call it
/// makes, without recursing in C++: a call pushes a CallInfo and the loop
/// goes on with the callee's code; a return pops it and goes on with the
/// caller's. It recurses only through C functions and metamethods.
///
/// - **Invariant FRAME.** While an instruction of call `ci` runs, its
///   registers are `ci->func + 1 .. ci->top - 1` and `L->top` is
///   `ci->top`, except between an instruction that leaves an open number of
///   values (a call, a vararg) and the one that consumes them.
/// - **Invariant SAVEDPC.** Before anything that can raise an error, call a
///   function, or run the collector, the loop stores `pc` in
///   `ci->u.l.savedpc`, so that errors and hooks see the right line, and
///   afterwards reloads `base` when `ci->u.l.trap` says the stack may have
///   moved or hooks are on.
/// - **Invariant FASTGET.** A table access first tries the raw table
///   (luaV_fastget); only a miss on a table without `__index`/`__newindex`
///   or a non-table goes to luaV_finishget/luaV_finishset, which follow
///   the metamethod chain for at most MAXTAGLOOP steps.
///
/// Differences from Lua: the fast-access macros are inline functions with
/// a `slot` reference; comparison results are `bool`.
#pragma once

#include "lfunc/lstate.hpp"
#include "ltable/ltable.hpp"

namespace lua {

/// Longest chain of `__index`/`__newindex` tables followed before giving
/// up with "'__index' chain too long; possible loop".
inline constexpr int MAXTAGLOOP = 2000;

/// How float-to-integer conversions round by default (F2Ieq: only exact).
inline constexpr F2Imod LUA_FLOORN2I = F2Imod::F2Ieq;

/// Converts `obj` (a number or a numeric string) to a float in `*n`.
bool luaV_tonumber_(lua_State* L, const TValue* obj, lua_Number* n);
/// Converts `obj` (a number or a numeric string) to an integer in `*p`,
/// rounding floats as `mode` says.
bool luaV_tointeger(const TValue* obj, lua_Integer* p, F2Imod mode);

/// A float from a number, or from a string convertible to one.
inline bool tonumber(lua_State* L, const TValue* o, lua_Number* n) {
  if (ttisfloat(o)) {
    *n = fltvalue(o);
    return true;
  }
  return luaV_tonumber_(L, o, n);
}
/// A float from a number (never a string).
inline bool tonumberns(const TValue* o, lua_Number& n) {
  if (ttisfloat(o)) {
    n = fltvalue(o);
    return true;
  }
  if (ttisinteger(o)) {
    n = static_cast<lua_Number>(ivalue(o));
    return true;
  }
  return false;
}
/// An integer from a number or string, exact conversions only.
inline bool tointeger(const TValue* o, lua_Integer* i) {
  if (ttisinteger(o)) {
    *i = ivalue(o);
    return true;
  }
  return luaV_tointeger(o, i, LUA_FLOORN2I);
}
/// An integer from a number (never a string), exact conversions only.
inline bool tointegerns(const TValue* o, lua_Integer* i) {
  if (ttisinteger(o)) {
    *i = ivalue(o);
    return true;
  }
  return luaV_tointegerns(o, i, LUA_FLOORN2I);
}

/// Raw equality (no `__eq`).
inline bool luaV_rawequalobj(const TValue* a, const TValue* b);

/// Table lookup fast path: when `t` is a table, `slot` is its entry for
/// `k` and the result says whether that entry is present (not empty).
/// When `t` is not a table, `slot` is null and the result false.
inline bool luaV_fastget(const TValue* t, const TValue* k,
                         const TValue*& slot) {
  if (!ttistable(t)) {
    slot = nullptr;
    return false;
  }
  slot = luaH_get(hvalue(t), k);
  return !isempty(slot);
}
/// luaV_fastget for an integer key.
inline bool luaV_fastgeti(const TValue* t, lua_Integer k, const TValue*& slot) {
  if (!ttistable(t)) {
    slot = nullptr;
    return false;
  }
  Table* h = hvalue(t);
  // The array part answers most integer keys without a call.
  if (static_cast<lua_Unsigned>(k) - 1u < h->alimit)
    slot = &h->array[k - 1];
  else
    slot = luaH_getint(h, k);
  return !isempty(slot);
}
/// luaV_fastget for a short-string key.
inline bool luaV_fastgetshortstr(const TValue* t, TString* k,
                                 const TValue*& slot) {
  if (!ttistable(t)) {
    slot = nullptr;
    return false;
  }
  slot = luaH_getshortstr(hvalue(t), k);
  return !isempty(slot);
}
/// Stores `v` into the present entry `slot` of table `t`, with the
/// collector's backward barrier.
inline void luaV_finishfastset(lua_State* L, const TValue* t,
                               const TValue* slot, const TValue* v) {
  setobj2t(L, const_cast<TValue*>(slot), v);
  luaC_barrierback(L, gcvalue(t), v);
}

/// Equality with `__eq` (L may be null for raw equality).
bool luaV_equalobj(lua_State* L, const TValue* t1, const TValue* t2);
/// `l < r`, with `__lt`.
bool luaV_lessthan(lua_State* L, const TValue* l, const TValue* r);
/// `l <= r`, with `__le`.
bool luaV_lessequal(lua_State* L, const TValue* l, const TValue* r);
/// Finishes `val = t[key]` after a fast-path miss (`slot` is what
/// luaV_fastget left: null for a non-table, else the absent entry),
/// following `__index`.
void luaV_finishget(lua_State* L, const TValue* t, TValue* key, StkId val,
                    const TValue* slot);
/// Finishes `t[key] = val` after a fast-path miss, following `__newindex`
/// or creating the key.
void luaV_finishset(lua_State* L, const TValue* t, TValue* key, TValue* val,
                    const TValue* slot);
/// Completes the instruction interrupted by a yield inside a metamethod
/// (OP_ADD's `__add`, OP_LT's `__lt`, OP_CONCAT's `__concat`, ...), using
/// the metamethod's result on top of the stack.
void luaV_finishOp(lua_State* L);
/// Runs Lua call `ci` until it (and every Lua call it makes without a C
/// function in between) returns.
void luaV_execute(lua_State* L, CallInfo* ci);
/// Concatenates the `total` values on top of the stack, leaving the
/// result in place of the first; uses `__concat` where needed.
void luaV_concat(lua_State* L, int total);
/// `#rb` into `ra`, with `__len`.
void luaV_objlen(lua_State* L, StkId ra, const TValue* rb);

inline bool luaV_rawequalobj(const TValue* a, const TValue* b) {
  return luaV_equalobj(nullptr, a, b);
}

// Functions of lobject.c that create strings.

/// Replaces the number in `obj` by its string form (as tostring does).
void luaO_tostring(lua_State* L, TValue* obj);

}  // namespace lua
