/// \file
/// The C API: every `lua_*` function of lua.h, the door through which C
/// code (the embedder, C libraries, the standalone interpreter) reaches a
/// Lua state.
///
/// Mirrors: Lua 5.4 lapi.c, lstate.c, ldo.c, ldebug.c and lobject.c (all
/// of lapi.c; the API functions of the other files, and lobject.c's
/// luaO_arith, in marked sections at the end)
/// Book: chapter 9
///
/// Design: C code never holds a Lua value. It names values by their
/// position in the running function's frame (1 is the first argument, -1
/// the top), or by a pseudo-index: LUA_REGISTRYINDEX for the registry and
/// lua_upvalueindex(n) for the running C closure's upvalues. Everything
/// the API creates is pushed at once, so that the stack anchors it before
/// the next allocation can run the collector. `index2value` turns an index
/// into a TValue; invariants WINDOW and TBCMARK are stated in lapi.hpp.
///
/// - **Invariant NONE.** An *acceptable* index that names no value (a
///   positive index above the top but within the frame, or an upvalue
///   index past the closure's upvalues) reads as `&G(L)->nilvalue`, the
///   one shared nil. lua_type tells "none" from nil by that address
///   (isvalid), and no API function writes through it.
/// - **Invariant FRESHGC.** Every function that creates an object runs a
///   collector check point (luaC_checkGC) only after the object is pushed
///   (reachable), exactly where Lua does.
///
/// Differences from Lua:
/// - Lua takes lua_lock/lua_unlock in every function for builds that
///   share a state among OS threads; this implementation has no such
///   build, so the calls are gone.
/// - api_check messages name the faulty index or count (lapi.hpp).
/// - The functions that Lua writes in lstate.c (lua_newstate, lua_close,
///   lua_newthread, lua_resetthread, lua_setcstacklimit), ldo.c
///   (lua_resume, lua_yieldk, lua_isyieldable) and ldebug.c (the debug
///   API) wrap their chapters' internal functions here, at the end: only
///   this chapter exports C names. lua_closethread, from Lua 5.4.6, is
///   added: C modules written for later 5.4 releases call it.
/// - lua_settop and lua_closeslot use the stack level returned by
///   luaF_close, which is corrected if a `__close` method moved the stack
///   (5.4.4's lua_settop keeps a stale pointer there; 5.4.6 fixed it).
/// - The definitions carry no LUA_API: each takes its C linkage and
///   visibility from its declaration in lua.h, as lauxlib.cpp's do.
/// - aux_upvalue returns one struct (name, slot, owner) instead of
///   filling two out-parameters; getupvalref returns null for a missing
///   upvalue instead of the address of a static null pointer.
#include "lapi/lapi.hpp"

#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/lundump.hpp"
#include "lparser/lzio.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"
#include "lvm/ldebug.hpp"
#include "lvm/ldo.hpp"
#include "lvm/ltm.hpp"
#include "lvm/lvm.hpp"

// The identification string that `strings` finds in a binary.
const char lua_ident[] = "$LuaVersion: " LUA_COPYRIGHT
                         " $"
                         "$LuaAuthors: " LUA_AUTHORS " $";

namespace lua {
namespace {

// Invariant NONE: only the shared nil's address marks "no value"; any
// other nil is a real value.
bool isvalid(lua_State* L, const TValue* o) {
  return !ttisnil(o) || o != &G(L)->nilvalue;
}

// Pseudo-indices lie at or below LUA_REGISTRYINDEX; the upvalue ones
// strictly below it.
constexpr bool ispseudo(int idx) {
  return idx <= LUA_REGISTRYINDEX;
}
constexpr bool isupvalue(int idx) {
  return idx < LUA_REGISTRYINDEX;
}

// Number of values in the running function's frame.
int framecount(lua_State* L) {
  return cast_int(L->top - (L->ci->func + 1));
}

// `n` in [1, size]: the valid positions of an upvalue or a user value.
constexpr bool inrange(int n, int size) {
  return 1 <= n && n <= size;
}

// The slot of lua_upvalueindex(n) in the running C function. A light C
// function has no upvalues, and one past the closure's count reads as
// "none" (invariant NONE).
TValue* upvalueslot(lua_State* L, int idx) {
  int n = LUA_REGISTRYINDEX - idx;
  api_check(L, n <= MAXUPVAL + 1, "upvalue index too large (%d)", n);
  const TValue* fn = s2v(L->ci->func);
  if (ttisCclosure(fn)) {
    CClosure* cl = clCvalue(fn);
    return n <= cl->nupvalues ? &cl->upvalue()[n - 1] : &G(L)->nilvalue;
  }
  // A Lua function can be running here only through a hook.
  api_check(L, ttislcf(fn), "caller not a C function");
  return &G(L)->nilvalue;
}

// Any acceptable index to its value. Positive indices may point past the
// top (up to the frame's end) and then read as "none"; negative ones must
// name a value.
TValue* index2value(lua_State* L, int idx) {
  CallInfo* ci = L->ci;
  if (idx > 0) {
    StkId o = ci->func + idx;
    api_check(L, o < ci->top, "unacceptable index %d", idx);
    return o < L->top ? s2v(o) : &G(L)->nilvalue;
  }
  if (!ispseudo(idx)) {
    api_check(L, idx != 0 && -idx <= framecount(L), "invalid index %d", idx);
    return s2v(L->top + idx);
  }
  if (idx == LUA_REGISTRYINDEX) return &G(L)->l_registry;
  return upvalueslot(L, idx);
}

// A valid stack index (no pseudo-index, nothing above the top) to its
// slot, for the functions that work on slots rather than values.
StkId index2stack(lua_State* L, int idx) {
  if (idx > 0) {
    StkId o = L->ci->func + idx;
    api_check(L, o < L->top, "invalid index %d", idx);
    return o;
  }
  api_check(L, idx != 0 && -idx <= framecount(L) && !ispseudo(idx),
            "invalid index %d", idx);
  return L->top + idx;
}

// Claims the free slot at the top for a value that the caller writes at
// once (Lua's "set the top slot, then api_incr_top"). Nothing may
// allocate between the claim and the write: the collector would scan the
// slot's stale contents.
TValue* newslot(lua_State* L) {
  TValue* slot = s2v(L->top);
  api_incr_top(L);
  return slot;
}

// Pushes object `o`, just created, and runs a collector check point only
// then, once the stack anchors it (invariant FRESHGC).
void pushnew(lua_State* L, GCObject* o) {
  setgcovalue(L, newslot(L), o);
  luaC_checkGC(L);
}

// The value `n` places below the top (1 is the top), after checking that
// the frame holds that many values.
TValue* fromtop(lua_State* L, int n) {
  api_checknelems(L, n);
  return s2v(L->top - n);
}

// The type of the value on top: what the get functions answer.
int toptype(lua_State* L) {
  return ttype(s2v(L->top - 1));
}

}  // namespace
}  // namespace lua

using namespace lua;

// Growing is refused (0) rather than raised when it would pass the stack
// limit or memory runs out; either way the frame is widened only when the
// room exists.
int lua_checkstack(lua_State* L, int n) {
  api_check(L, n >= 0, "negative 'n' (%d)", n);
  bool ok = true;
  if (L->stack_last - L->top <= n) {
    int inuse = cast_int(L->top - L->stack) + EXTRA_STACK;
    ok = inuse <= LUAI_MAXSTACK - n && luaD_growstack(L, n, false);
  }
  lua::CallInfo* ci = L->ci;
  if (ok && ci->top < L->top + n) ci->top = L->top + n;
  return ok;
}

// Values change threads by copy: both stacks belong to one state, so the
// objects need no barrier.
void lua_xmove(lua_State* from, lua_State* to, int n) {
  if (from == to) return;
  api_checknelems(from, n);
  api_check(from, G(from) == G(to), "moving among independent states");
  api_check(from, to->ci->top - to->top >= n,
            "stack overflow (moving %d values)", n);
  StkId first = from->top - n;
  for (StkId v = first; v < from->top; v++) setobj2s(to, to->top++, s2v(v));
  from->top = first;
}

lua_CFunction lua_atpanic(lua_State* L, lua_CFunction panicf) {
  lua_CFunction old = G(L)->panic;
  G(L)->panic = panicf;
  return old;
}

lua_Number lua_version(lua_State* L) {
  (void)L;
  return LUA_VERSION_NUM;
}

// ---------------------------------------------------------------------------
// basic stack manipulation
// ---------------------------------------------------------------------------

namespace lua {
namespace {

// Swaps the values of [from, to] end for end. Only the TValue moves: the
// `tbclist.delta` beside it in a slot stays with the slot.
void reverse(lua_State* L, StkId from, StkId to) {
  for (; from < to; from++, to--) {
    TValue saved;
    setobj(L, &saved, s2v(from));
    setobjs2s(L, from, to);
    setobj2s(L, to, &saved);
  }
}

}  // namespace
}  // namespace lua

// Pseudo-indices and positive indices are already absolute.
int lua_absindex(lua_State* L, int idx) {
  if (idx > 0 || ispseudo(idx)) return idx;
  return framecount(L) + 1 + idx;
}

int lua_gettop(lua_State* L) {
  return framecount(L);
}

// Growing fills the new slots with nil. Shrinking over a to-be-closed slot
// calls its `__close` first, and the top drops only afterwards, so the
// closed values stay anchored while the method runs.
void lua_settop(lua_State* L, int idx) {
  lua::CallInfo* ci = L->ci;
  StkId base = ci->func + 1;
  StkId newtop;
  if (idx >= 0) {
    api_check(L, idx <= ci->top - base, "new top too large (%d)", idx);
    newtop = base + idx;
    while (L->top < newtop) setnilvalue(s2v(L->top++));
  } else {
    api_check(L, -(idx + 1) <= L->top - base, "invalid new top (%d)", idx);
    newtop = L->top + (idx + 1);
  }
  api_check(L, L->tbclist < L->top, "previous pop of an unclosed slot");
  if (newtop < L->top && L->tbclist >= newtop) {
    lua_assert(hastocloseCfunc(ci->nresults));
    newtop = luaF_close(L, newtop, CLOSEKTOP, false);
  }
  L->top = newtop;
}

void lua_closeslot(lua_State* L, int idx) {
  StkId level = index2stack(L, idx);
  api_check(L, hastocloseCfunc(L->ci->nresults) && L->tbclist == level,
            "no variable to close at given level (index %d)", idx);
  level = luaF_close(L, level, CLOSEKTOP, false);
  setnilvalue(s2v(level));
}

// Rotating [first, last] by n is three reversals. Split the segment into
// AB, where B is its last n values (n >= 0) or A its first -n values
// (n < 0): the rotation is BA, and BA is the reversal of (reversed A)
// (reversed B).
void lua_rotate(lua_State* L, int idx, int n) {
  StkId last = L->top - 1;
  StkId first = index2stack(L, idx);
  api_check(L, (n >= 0 ? n : -n) <= last - first + 1, "invalid 'n' (%d)", n);
  StkId split = n >= 0 ? last - n : first - n - 1;  // A's last slot
  reverse(L, first, split);
  reverse(L, split + 1, last);
  reverse(L, first, last);
}

// Writing into a C upvalue needs the closure's barrier; the registry does
// not, because the collector marks it again in its atomic phase.
void lua_copy(lua_State* L, int fromidx, int toidx) {
  TValue* from = index2value(L, fromidx);
  TValue* to = index2value(L, toidx);
  api_check(L, isvalid(L, to), "invalid index %d", toidx);
  setobj(L, to, from);
  if (isupvalue(toidx)) luaC_barrier(L, clCvalue(s2v(L->ci->func)), from);
}

void lua_pushvalue(lua_State* L, int idx) {
  setobj(L, newslot(L), index2value(L, idx));
}

// ---------------------------------------------------------------------------
// access functions (stack -> C)
// ---------------------------------------------------------------------------

namespace lua {
namespace {

// Numbers are the only non-strings that convert to strings.
bool cvt2str(const TValue* o) {
  return ttisnumber(o);
}

// The memory block of a full userdata, the pointer of a light one.
void* touserdata(const TValue* o) {
  if (ttisfulluserdata(o)) return getudatamem(uvalue(o));
  if (ttislightuserdata(o)) return pvalue(o);
  return nullptr;
}

}  // namespace
}  // namespace lua

int lua_type(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  return isvalid(L, o) ? ttype(o) : LUA_TNONE;
}

const char* lua_typename(lua_State* L, int t) {
  api_check(L, LUA_TNONE <= t && t < LUA_NUMTYPES, "invalid type %d", t);
  return ttypename(t);
}

int lua_iscfunction(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  return ttislcf(o) || ttisCclosure(o);
}

int lua_isinteger(lua_State* L, int idx) {
  return ttisinteger(index2value(L, idx));
}

// A numeric string counts as a number.
int lua_isnumber(lua_State* L, int idx) {
  lua_Number ignored;
  return tonumber(L, index2value(L, idx), &ignored);
}

int lua_isstring(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  return ttisstring(o) || cvt2str(o);
}

int lua_isuserdata(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  return ttisfulluserdata(o) || ttislightuserdata(o);
}

int lua_rawequal(lua_State* L, int index1, int index2) {
  const TValue* o1 = index2value(L, index1);
  const TValue* o2 = index2value(L, index2);
  if (!isvalid(L, o1) || !isvalid(L, o2)) return 0;
  return luaV_rawequalobj(o1, o2);
}

// The operands are the top two values (a unary operator gets a copy of
// its operand as the second one, as the metamethods expect); the result
// replaces the first.
void lua_arith(lua_State* L, int op) {
  bool unary = op == LUA_OPUNM || op == LUA_OPBNOT;
  if (unary) {
    const TValue* operand = fromtop(L, 1);
    setobj(L, newslot(L), operand);
  }
  const TValue* p1 = fromtop(L, 2);
  luaO_arith(L, op, p1, s2v(L->top - 1), L->top - 2);
  L->top--;
}

// A comparison with a "none" index is false, whatever the operator.
int lua_compare(lua_State* L, int index1, int index2, int op) {
  const TValue* o1 = index2value(L, index1);
  const TValue* o2 = index2value(L, index2);
  if (!isvalid(L, o1) || !isvalid(L, o2)) return 0;
  switch (op) {
    case LUA_OPEQ:
      return luaV_equalobj(L, o1, o2);
    case LUA_OPLT:
      return luaV_lessthan(L, o1, o2);
    case LUA_OPLE:
      return luaV_lessequal(L, o1, o2);
    default:
      api_check(L, false, "invalid option %d", op);
      return 0;
  }
}

// Converts in the free slot at the top and pushes only on success.
size_t lua_stringtonumber(lua_State* L, const char* s) {
  std::size_t size = luaO_str2num(s, s2v(L->top));
  if (size != 0) api_incr_top(L);
  return size;
}

lua_Number lua_tonumberx(lua_State* L, int idx, int* pisnum) {
  lua_Number n = 0;
  bool ok = tonumber(L, index2value(L, idx), &n);
  if (pisnum != nullptr) *pisnum = ok;
  return ok ? n : 0;
}

lua_Integer lua_tointegerx(lua_State* L, int idx, int* pisnum) {
  lua_Integer i = 0;
  bool ok = tointeger(index2value(L, idx), &i);
  if (pisnum != nullptr) *pisnum = ok;
  return ok ? i : 0;
}

int lua_toboolean(lua_State* L, int idx) {
  return !l_isfalse(index2value(L, idx));
}

// A number is converted in place: the slot holds the string afterwards,
// which keeps the returned pointer valid while the value stays there.
// The check point may move the stack, so the index is looked up again.
const char* lua_tolstring(lua_State* L, int idx, size_t* len) {
  TValue* o = index2value(L, idx);
  if (cvt2str(o)) {
    luaO_tostring(L, o);
    luaC_checkGC(L);
    o = index2value(L, idx);
  } else if (!ttisstring(o)) {
    if (len != nullptr) *len = 0;
    return nullptr;
  }
  if (len != nullptr) *len = vslen(o);
  return svalue(o);
}

// The raw length: bytes of a string or userdata, a border of a table (no
// `__len`), 0 for anything else.
lua_Unsigned lua_rawlen(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  if (ttisstring(o)) return vslen(o);
  if (ttisfulluserdata(o)) return uvalue(o)->len;
  if (ttistable(o)) return luaH_getn(hvalue(o));
  return 0;
}

lua_CFunction lua_tocfunction(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  if (ttislcf(o)) return fvalue(o);
  if (ttisCclosure(o)) return clCvalue(o)->f;
  return nullptr;
}

void* lua_touserdata(lua_State* L, int idx) {
  return touserdata(index2value(L, idx));
}

lua_State* lua_tothread(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  return ttisthread(o) ? thvalue(o) : nullptr;
}

// Only an identity for hashing and printing ("table: 0x..."). A light C
// function's address goes through an integer, the one conversion from a
// function pointer that C++ defines.
const void* lua_topointer(lua_State* L, int idx) {
  const TValue* o = index2value(L, idx);
  if (ttislcf(o))
    return reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(fvalue(o)));
  if (ttisfulluserdata(o) || ttislightuserdata(o)) return touserdata(o);
  return iscollectable(o) ? gcvalue(o) : nullptr;
}

// ---------------------------------------------------------------------------
// push functions (C -> stack)
// ---------------------------------------------------------------------------

void lua_pushnil(lua_State* L) {
  setnilvalue(newslot(L));
}

void lua_pushnumber(lua_State* L, lua_Number n) {
  setfltvalue(newslot(L), n);
}

void lua_pushinteger(lua_State* L, lua_Integer n) {
  setivalue(newslot(L), n);
}

// `s` may be null when `len` is 0, so the empty string is made from a
// literal instead.
const char* lua_pushlstring(lua_State* L, const char* s, size_t len) {
  TString* ts = len == 0 ? luaS_new(L, "") : luaS_newlstr(L, s, len);
  pushnew(L, ts);
  return getstr(ts);
}

// A null string pushes nil. The result is Lua's copy, not `s`.
const char* lua_pushstring(lua_State* L, const char* s) {
  if (s == nullptr) {
    lua_pushnil(L);
    return nullptr;
  }
  TString* ts = luaS_new(L, s);
  pushnew(L, ts);
  return getstr(ts);
}

const char* lua_pushvfstring(lua_State* L, const char* fmt, va_list argp) {
  const char* s = luaO_pushvfstring(L, fmt, argp);
  luaC_checkGC(L);
  return s;
}

const char* lua_pushfstring(lua_State* L, const char* fmt, ...) {
  std::va_list argp;
  va_start(argp, fmt);
  const char* s = luaO_pushvfstring(L, fmt, argp);
  va_end(argp);
  luaC_checkGC(L);
  return s;
}

// Without upvalues a C function is a light value, with no object at all.
// Otherwise its upvalues move from the stack into a new closure, which
// is white, so the stores need no barrier.
void lua_pushcclosure(lua_State* L, lua_CFunction fn, int n) {
  if (n == 0) {
    setfvalue(newslot(L), fn);
    return;
  }
  api_checknelems(L, n);
  api_check(L, n <= MAXUPVAL, "upvalue index too large (%d upvalues)", n);
  CClosure* cl = luaF_newCclosure(L, n);
  cl->f = fn;
  lua_assert(iswhite(cl));
  StkId first = L->top - n;
  for (int i = 0; i < n; i++) setobj2n(L, &cl->upvalue()[i], s2v(first + i));
  L->top = first;
  pushnew(L, cl);
}

void lua_pushboolean(lua_State* L, int b) {
  TValue* slot = newslot(L);
  if (b != 0)
    setbtvalue(slot);
  else
    setbfvalue(slot);
}

void lua_pushlightuserdata(lua_State* L, void* p) {
  setpvalue(newslot(L), p);
}

// Returns whether `L` is the main thread.
int lua_pushthread(lua_State* L) {
  setthvalue(L, newslot(L), L);
  return G(L)->mainthread == L;
}

// ---------------------------------------------------------------------------
// get functions (Lua -> stack)
// ---------------------------------------------------------------------------

namespace lua {
namespace {

// luaV_fastget for a string key of any length.
bool fastgetstr(const TValue* t, TString* key, const TValue*& slot) {
  if (!ttistable(t)) {
    slot = nullptr;
    return false;
  }
  slot = luaH_getstr(hvalue(t), key);
  return !isempty(slot);
}

// Pushes t[k] for a C string k. On a miss the key is pushed first, both
// to anchor it and to give luaV_finishget a TValue, and the result then
// overwrites it.
int auxgetstr(lua_State* L, const TValue* t, const char* k) {
  TString* key = luaS_new(L, k);
  const TValue* slot;
  if (fastgetstr(t, key, slot)) {
    setobj(L, newslot(L), slot);
  } else {
    TValue* keyslot = newslot(L);
    setsvalue(L, keyslot, key);
    luaV_finishget(L, t, keyslot, L->top - 1, slot);
  }
  return toptype(L);
}

// The table of globals. State creation stored it in the registry's array
// part, and nothing ever removes it, so it is read there directly.
const TValue* getGtable(lua_State* L) {
  return &hvalue(&G(L)->l_registry)->array[LUA_RIDX_GLOBALS - 1];
}

// Pushes a raw lookup's result; an empty slot becomes a plain nil.
int finishrawget(lua_State* L, const TValue* val) {
  TValue* res = newslot(L);
  if (isempty(val))
    setnilvalue(res);
  else
    setobj(L, res, val);
  return ttype(res);
}

// The table at `idx`, for the raw functions, which accept nothing else.
Table* gettable(lua_State* L, int idx) {
  const TValue* t = index2value(L, idx);
  api_check(L, ttistable(t), "table expected at index %d", idx);
  return hvalue(t);
}

// Where the metatable of `o` is kept: in the object for tables and full
// userdata, in the global state (one per type) for everything else.
bool hasownmetatable(const TValue* o) {
  return ttistable(o) || ttisfulluserdata(o);
}
Table*& metatableref(lua_State* L, const TValue* o) {
  if (ttistable(o)) return hvalue(o)->metatable;
  if (ttisfulluserdata(o)) return uvalue(o)->metatable;
  return G(L)->mt[ttype(o)];
}

// Pops the value and stores t[k] = value for a C string k. A store that
// misses goes through luaV_finishset (`__newindex`, or a new key), with
// the key pushed as a TValue.
void auxsetstr(lua_State* L, const TValue* t, const char* k) {
  TString* key = luaS_new(L, k);
  TValue* val = fromtop(L, 1);
  const TValue* slot;
  if (fastgetstr(t, key, slot)) {
    luaV_finishfastset(L, t, slot, val);
    L->top--;
    return;
  }
  TValue* keyslot = newslot(L);
  setsvalue(L, keyslot, key);
  luaV_finishset(L, t, keyslot, val, slot);
  L->top -= 2;
}

// The raw store t[key] = top, popping `n` values (the value and, for
// lua_rawset, the key below it). luaH_set clears the metamethod cache.
void aux_rawset(lua_State* L, int idx, const TValue* key, int n) {
  api_checknelems(L, n);
  const TValue* val = s2v(L->top - 1);
  Table* t = gettable(L, idx);
  luaH_set(L, t, key, val);
  luaC_barrierback(L, t, val);
  L->top -= n;
}

}  // namespace
}  // namespace lua

int lua_getglobal(lua_State* L, const char* name) {
  return auxgetstr(L, getGtable(L), name);
}

// The key on top is replaced by the value.
int lua_gettable(lua_State* L, int idx) {
  TValue* key = fromtop(L, 1);
  TValue* t = index2value(L, idx);
  const TValue* slot;
  if (luaV_fastget(t, key, slot))
    setobj(L, key, slot);
  else
    luaV_finishget(L, t, key, L->top - 1, slot);
  return toptype(L);
}

int lua_getfield(lua_State* L, int idx, const char* k) {
  return auxgetstr(L, index2value(L, idx), k);
}

int lua_geti(lua_State* L, int idx, lua_Integer n) {
  TValue* t = index2value(L, idx);
  const TValue* slot;
  if (luaV_fastgeti(t, n, slot)) {
    setobj2s(L, L->top, slot);
  } else {
    TValue key;
    setivalue(&key, n);
    luaV_finishget(L, t, &key, L->top, slot);
  }
  api_incr_top(L);  // only now: the slot was written above the top
  return toptype(L);
}

int lua_rawget(lua_State* L, int idx) {
  const TValue* key = fromtop(L, 1);
  const TValue* val = luaH_get(gettable(L, idx), key);
  L->top--;  // the key's slot receives the value
  return finishrawget(L, val);
}

int lua_rawgeti(lua_State* L, int idx, lua_Integer n) {
  return finishrawget(L, luaH_getint(gettable(L, idx), n));
}

int lua_rawgetp(lua_State* L, int idx, const void* p) {
  Table* t = gettable(L, idx);
  TValue key;
  setpvalue(&key, const_cast<void*>(p));
  return finishrawget(L, luaH_get(t, &key));
}

void lua_createtable(lua_State* L, int narray, int nrec) {
  Table* t = luaH_new(L);
  sethvalue(L, newslot(L), t);  // anchored before the resize allocates
  if (narray > 0 || nrec > 0)
    luaH_resize(L, t, static_cast<unsigned>(narray),
                static_cast<unsigned>(nrec));
  luaC_checkGC(L);
}

int lua_getmetatable(lua_State* L, int objindex) {
  Table* mt = metatableref(L, index2value(L, objindex));
  if (mt == nullptr) return 0;
  sethvalue(L, newslot(L), mt);
  return 1;
}

// A missing user value pushes nil and answers LUA_TNONE.
int lua_getiuservalue(lua_State* L, int idx, int n) {
  const TValue* o = index2value(L, idx);
  api_check(L, ttisfulluserdata(o), "full userdata expected at index %d", idx);
  Udata* u = uvalue(o);
  TValue* res = newslot(L);
  if (!inrange(n, u->nuvalue)) {
    setnilvalue(res);
    return LUA_TNONE;
  }
  setobj(L, res, &u->uv()[n - 1].uv);
  return ttype(res);
}

// ---------------------------------------------------------------------------
// set functions (stack -> Lua)
// ---------------------------------------------------------------------------

void lua_setglobal(lua_State* L, const char* name) {
  auxsetstr(L, getGtable(L), name);
}

// Pops the key and the value (the value is on top).
void lua_settable(lua_State* L, int idx) {
  TValue* key = fromtop(L, 2);
  TValue* val = s2v(L->top - 1);
  TValue* t = index2value(L, idx);
  const TValue* slot;
  if (luaV_fastget(t, key, slot))
    luaV_finishfastset(L, t, slot, val);
  else
    luaV_finishset(L, t, key, val, slot);
  L->top -= 2;
}

void lua_setfield(lua_State* L, int idx, const char* k) {
  auxsetstr(L, index2value(L, idx), k);
}

void lua_seti(lua_State* L, int idx, lua_Integer n) {
  TValue* val = fromtop(L, 1);
  TValue* t = index2value(L, idx);
  const TValue* slot;
  if (luaV_fastgeti(t, n, slot)) {
    luaV_finishfastset(L, t, slot, val);
  } else {
    TValue key;
    setivalue(&key, n);
    luaV_finishset(L, t, &key, val, slot);
  }
  L->top--;
}

void lua_rawset(lua_State* L, int idx) {
  aux_rawset(L, idx, s2v(L->top - 2), 2);
}

void lua_rawsetp(lua_State* L, int idx, const void* p) {
  TValue key;
  setpvalue(&key, const_cast<void*>(p));
  aux_rawset(L, idx, &key, 1);
}

void lua_rawseti(lua_State* L, int idx, lua_Integer n) {
  const TValue* val = fromtop(L, 1);
  Table* t = gettable(L, idx);
  luaH_setint(L, t, n, val);
  luaC_barrierback(L, t, val);
  L->top--;
}

// A table or userdata that gets a metatable needs the forward barrier
// (the metatable is a plain field) and may become finalizable (`__gc`).
// Other types share one metatable per type, kept in the global state.
int lua_setmetatable(lua_State* L, int objindex) {
  const TValue* top = fromtop(L, 1);
  const TValue* obj = index2value(L, objindex);
  api_check(L, ttisnil(top) || ttistable(top), "table expected");
  Table* mt = ttisnil(top) ? nullptr : hvalue(top);
  metatableref(L, obj) = mt;
  if (mt != nullptr && hasownmetatable(obj)) {
    luaC_objbarrier(L, gcvalue(obj), mt);
    luaC_checkfinalizer(L, gcvalue(obj), mt);
  }
  L->top--;
  return 1;
}

// Pops the value; answers 0 (storing nothing) when the userdata has no
// user value `n`.
int lua_setiuservalue(lua_State* L, int idx, int n) {
  const TValue* val = fromtop(L, 1);
  const TValue* o = index2value(L, idx);
  api_check(L, ttisfulluserdata(o), "full userdata expected at index %d", idx);
  Udata* u = uvalue(o);
  bool stored = inrange(n, u->nuvalue);
  if (stored) {
    setobj(L, &u->uv()[n - 1].uv, val);
    luaC_barrierback(L, u, val);
  }
  L->top--;
  return stored;
}

// ---------------------------------------------------------------------------
// 'load' and 'call' functions (run Lua code)
// ---------------------------------------------------------------------------

namespace lua {
namespace {

// The preconditions shared by lua_callk and lua_pcallk.
void checkcall(lua_State* L, int nargs, int nresults, lua_KFunction k) {
  api_check(L, k == nullptr || !isLua(L->ci),
            "cannot use continuations inside hooks");
  api_checknelems(L, nargs + 1);
  api_check(L, L->status == LUA_OK, "cannot do calls on non-normal thread");
  api_check(L,
            nresults == LUA_MULTRET || L->ci->top - L->top >= nresults - nargs,
            "results from function overflow current stack size (%d)", nresults);
}

// Saves `allowhook` in the call's status (the CIST_OAH bit), for the
// error recovery of a yieldable pcall.
void setoah(CallInfo* ci, lu_byte allowhook) {
  ci->callstatus =
      static_cast<unsigned short>((ci->callstatus & ~CIST_OAH) | allowhook);
}

// Records where the running C function continues (`k`, with `ctx`) if a
// call it makes yields.
void setcontinuation(CallInfo* ci, lua_KFunction k, lua_KContext ctx) {
  ci->u.c.k = k;
  ci->u.c.ctx = ctx;
}

// The argument of f_call: what luaD_pcall runs protected.
struct CallS {
  StkId func;
  int nresults;
};

void f_call(lua_State* L, void* ud) {
  const CallS* c = static_cast<const CallS*>(ud);
  luaD_callnoyield(L, c->func, c->nresults);
}

// The stack offset of a message handler given by index (0: none).
std::ptrdiff_t errhandler(lua_State* L, int errfunc) {
  if (errfunc == 0) return 0;
  StkId o = index2stack(L, errfunc);
  api_check(L, ttisfunction(s2v(o)), "error handler must be a function");
  return savestack(L, o);
}

// A pcall that the callee may yield out of. It opens no protected runner
// of its own (the resume that runs the coroutine is one); the call record
// keeps what recovery needs instead: CIST_YPCALL marks it, `funcidx`
// says where the results go, `old_errfunc` and the saved `allowhook` are
// restored on error, and `k` finishes the call after a yield or an error.
void yieldablepcall(lua_State* L, StkId func, int nresults,
                    std::ptrdiff_t errfunc, lua_KContext ctx, lua_KFunction k) {
  CallInfo* ci = L->ci;
  setcontinuation(ci, k, ctx);
  ci->u2.funcidx = cast_int(savestack(L, func));
  ci->u.c.old_errfunc = L->errfunc;
  L->errfunc = errfunc;
  setoah(ci, L->allowhook);
  ci->callstatus |= CIST_YPCALL;
  luaD_call(L, func, nresults);
  ci->callstatus &= static_cast<unsigned short>(~CIST_YPCALL);
  L->errfunc = ci->u.c.old_errfunc;
}

// A main chunk's first upvalue, if it has one, is its _ENV: the loader
// sets it to the table of globals.
void setenvupvalue(lua_State* L, LClosure* f) {
  if (f->nupvalues == 0) return;
  const TValue* globals = getGtable(L);
  UpVal* env = f->upvals()[0];
  setobj(L, env->v, globals);
  luaC_barrier(L, env, globals);
}

}  // namespace
}  // namespace lua

// With a continuation in a yieldable context, `k` is recorded so that a
// yield inside the callee can resume this C function there; otherwise the
// call cannot yield at all.
void lua_callk(lua_State* L, int nargs, int nresults, lua_KContext ctx,
               lua_KFunction k) {
  checkcall(L, nargs, nresults, k);
  StkId func = L->top - (nargs + 1);
  if (k != nullptr && yieldable(L)) {
    setcontinuation(L->ci, k, ctx);
    luaD_call(L, func, nresults);
  } else {
    luaD_callnoyield(L, func, nresults);
  }
  adjustresults(L, nresults);
}

// Without a continuation (or where nothing can yield) this is an ordinary
// protected call with its own runner; with one, the call is protected by
// the resume below and may yield (yieldablepcall). Reaching the end of
// the latter means that no error happened.
int lua_pcallk(lua_State* L, int nargs, int nresults, int errfunc,
               lua_KContext ctx, lua_KFunction k) {
  checkcall(L, nargs, nresults, k);
  std::ptrdiff_t handler = errhandler(L, errfunc);
  StkId func = L->top - (nargs + 1);
  int status = LUA_OK;
  if (k == nullptr || !yieldable(L)) {
    CallS c{func, nresults};
    status = luaD_pcall(L, f_call, &c, savestack(L, func), handler);
  } else {
    yieldablepcall(L, func, nresults, handler, ctx, k);
  }
  adjustresults(L, nresults);
  return status;
}

int lua_load(lua_State* L, lua_Reader reader, void* data, const char* chunkname,
             const char* mode) {
  ZIO z;
  luaZ_init(L, &z, reader, data);
  int status =
      luaD_protectedparser(L, &z, chunkname != nullptr ? chunkname : "?", mode);
  if (status == LUA_OK) setenvupvalue(L, clLvalue(s2v(L->top - 1)));
  return status;
}

// Only a Lua function has bytecode to dump; anything else answers 1.
int lua_dump(lua_State* L, lua_Writer writer, void* data, int strip) {
  api_checknelems(L, 1);
  const TValue* o = s2v(L->top - 1);
  if (!ttisLclosure(o)) return 1;
  return luaU_dump(L, clLvalue(o)->p, writer, data, strip);
}

int lua_status(lua_State* L) {
  return L->status;
}

// ---------------------------------------------------------------------------
// Garbage-collection function
// ---------------------------------------------------------------------------

namespace lua {
namespace {

// LUA_GCSTEP: with `kb` 0 one basic step, otherwise `kb` KB of debt paid at
// once. It runs even while the user has stopped the collector. Answers 1
// when the work ended a cycle.
int gcstep(lua_State* L, int kb) {
  global_State* g = G(L);
  lu_byte stopped = g->gcstp;
  g->gcstp = 0;
  l_mem debt = 1;  // a basic step always counts as work done
  if (kb == 0) {
    luaE_setdebt(g, 0);
    luaC_step(L);
  } else {
    debt = static_cast<l_mem>(kb) * 1024 + g->GCdebt;
    luaE_setdebt(g, debt);
    luaC_checkGC(L);
  }
  g->gcstp = stopped;
  return debt > 0 && g->gcstate == GCSpause;
}

// Stores percentage `v` in `param` and answers the old percentage.
int swapgcparam(lu_byte& param, int v) {
  int old = getgcparam(param);
  param = setgcparam(v);
  return old;
}

// The mode the collector was in, as lua_gc names it.
int gcmodename(const global_State* g) {
  return isdecGCmodegen(g) ? LUA_GCGEN : LUA_GCINC;
}

// LUA_GCGEN and LUA_GCINC: a zero argument keeps the current value.
int gcsetgen(lua_State* L, int minormul, int majormul) {
  global_State* g = G(L);
  int previous = gcmodename(g);
  if (minormul != 0) g->genminormul = cast_byte(minormul);
  if (majormul != 0) g->genmajormul = setgcparam(majormul);
  luaC_changemode(L, KGC_GEN);
  return previous;
}

int gcsetinc(lua_State* L, int pause, int stepmul, int stepsize) {
  global_State* g = G(L);
  int previous = gcmodename(g);
  if (pause != 0) g->gcpause = setgcparam(pause);
  if (stepmul != 0) g->gcstepmul = setgcparam(stepmul);
  if (stepsize != 0) g->gcstepsize = cast_byte(stepsize);
  luaC_changemode(L, KGC_INC);
  return previous;
}

}  // namespace
}  // namespace lua

// While the collector is stopped internally (GCSTPGC: the state is being
// built, or a finalizer is running) every option answers -1. The extra
// arguments are read into locals first: the order in which function
// arguments are evaluated is unspecified.
int lua_gc(lua_State* L, int what, ...) {
  global_State* g = G(L);
  if (g->gcstp & GCSTPGC) return -1;
  std::va_list argp;
  va_start(argp, what);
  int res = 0;
  switch (what) {
    case LUA_GCSTOP:
      g->gcstp = GCSTPUSR;
      break;
    case LUA_GCRESTART:
      luaE_setdebt(g, 0);
      g->gcstp = 0;
      break;
    case LUA_GCCOLLECT:
      luaC_fullgc(L, 0);
      break;
    case LUA_GCCOUNT:  // in KB
      res = cast_int(gettotalbytes(g) >> 10);
      break;
    case LUA_GCCOUNTB:  // the bytes that LUA_GCCOUNT leaves out
      res = cast_int(gettotalbytes(g) & 0x3ff);
      break;
    case LUA_GCSTEP:
      res = gcstep(L, va_arg(argp, int));
      break;
    case LUA_GCSETPAUSE:
      res = swapgcparam(g->gcpause, va_arg(argp, int));
      break;
    case LUA_GCSETSTEPMUL:
      res = swapgcparam(g->gcstepmul, va_arg(argp, int));
      break;
    case LUA_GCISRUNNING:
      res = gcrunning(g);
      break;
    case LUA_GCGEN: {
      int minormul = va_arg(argp, int);
      int majormul = va_arg(argp, int);
      res = gcsetgen(L, minormul, majormul);
      break;
    }
    case LUA_GCINC: {
      int pause = va_arg(argp, int);
      int stepmul = va_arg(argp, int);
      int stepsize = va_arg(argp, int);
      res = gcsetinc(L, pause, stepmul, stepsize);
      break;
    }
    default:
      res = -1;
  }
  va_end(argp);
  return res;
}

// ---------------------------------------------------------------------------
// miscellaneous functions
// ---------------------------------------------------------------------------

// Raising the preallocated "not enough memory" string is a memory error
// (LUA_ERRMEM), so that a C function can report a failed allocation of
// its own as Lua would.
int lua_error(lua_State* L) {
  const TValue* errobj = fromtop(L, 1);
  bool memerror =
      ttisshrstring(errobj) && eqshrstr(tsvalue(errobj), G(L)->memerrmsg);
  if (memerror) luaM_error(L);
  luaG_errormsg(L);
}

// The key on top is replaced by the next key and its value, or popped at
// the end of the traversal.
int lua_next(lua_State* L, int idx) {
  TValue* key = fromtop(L, 1);
  Table* t = gettable(L, idx);
  if (!luaH_next(L, t, key, s2v(L->top))) {
    L->top--;
    return 0;
  }
  api_incr_top(L);
  return 1;
}

// Marks the function's call as having to-be-closed slots (invariant
// TBCMARK), so that its return closes them.
void lua_toclose(lua_State* L, int idx) {
  StkId o = index2stack(L, idx);
  api_check(L, L->tbclist < o,
            "given index below or equal a marked one (index %d)", idx);
  luaF_checkclosemth(L, o);
  luaF_newtbcupval(L, o);
  lua::CallInfo* ci = L->ci;
  if (!hastocloseCfunc(ci->nresults))
    ci->nresults = static_cast<short>(codeNresults(ci->nresults));
  lua_assert(hastocloseCfunc(ci->nresults));
}

// Concatenating no values gives the empty string.
void lua_concat(lua_State* L, int n) {
  api_checknelems(L, n);
  if (n == 0) {
    pushnew(L, luaS_newliteral(L, ""));
    return;
  }
  luaV_concat(L, n);
  luaC_checkGC(L);
}

void lua_len(lua_State* L, int idx) {
  luaV_objlen(L, L->top, index2value(L, idx));
  api_incr_top(L);
}

lua_Alloc lua_getallocf(lua_State* L, void** ud) {
  if (ud != nullptr) *ud = G(L)->ud;
  return G(L)->frealloc;
}

void lua_setallocf(lua_State* L, lua_Alloc f, void* ud) {
  G(L)->ud = ud;
  G(L)->frealloc = f;
}

void lua_setwarnf(lua_State* L, lua_WarnFunction f, void* ud) {
  G(L)->ud_warn = ud;
  G(L)->warnf = f;
}

void lua_warning(lua_State* L, const char* msg, int tocont) {
  luaE_warning(L, msg, tocont);
}

void* lua_newuserdatauv(lua_State* L, size_t size, int nuvalue) {
  api_check(L, 0 <= nuvalue && nuvalue < USHRT_MAX,
            "invalid value (%d user values)", nuvalue);
  Udata* u = luaS_newudata(L, size, nuvalue);
  pushnew(L, u);
  return getudatamem(u);
}

namespace lua {
namespace {

// Upvalue `n` of a closure: its name, its value's slot, and the object
// that holds the slot (the one a store must barrier). A null name means
// that there is no such upvalue.
struct UpvalueRef {
  const char* name = nullptr;
  TValue* val = nullptr;
  GCObject* owner = nullptr;
};

// C upvalues are nameless (""); a Lua upvalue stripped of its debug
// information is "(no name)".
UpvalueRef aux_upvalue(const TValue* fi, int n) {
  if (ttisCclosure(fi)) {
    CClosure* f = clCvalue(fi);
    if (!inrange(n, f->nupvalues)) return {};
    return {"", &f->upvalue()[n - 1], f};
  }
  if (ttisLclosure(fi)) {
    LClosure* f = clLvalue(fi);
    const Proto* p = f->p;
    if (!inrange(n, p->sizeupvalues)) return {};
    UpVal* uv = f->upvals()[n - 1];
    TString* name = p->upvalues[n - 1].name;
    return {name != nullptr ? getstr(name) : "(no name)", uv->v, uv};
  }
  return {};  // not a closure
}

// The pointer to upvalue `n` of the Lua function at `fidx` (which it must
// be), or null when it has no such upvalue; `*pf` receives the closure.
UpVal** getupvalref(lua_State* L, int fidx, int n, LClosure** pf = nullptr) {
  const TValue* fi = index2value(L, fidx);
  api_check(L, ttisLclosure(fi), "Lua function expected at index %d", fidx);
  LClosure* f = clLvalue(fi);
  if (pf != nullptr) *pf = f;
  return inrange(n, f->p->sizeupvalues) ? &f->upvals()[n - 1] : nullptr;
}

}  // namespace
}  // namespace lua

const char* lua_getupvalue(lua_State* L, int funcindex, int n) {
  UpvalueRef up = aux_upvalue(index2value(L, funcindex), n);
  if (up.name != nullptr) setobj(L, newslot(L), up.val);
  return up.name;
}

// Pops the new value only when the upvalue exists.
const char* lua_setupvalue(lua_State* L, int funcindex, int n) {
  const TValue* val = fromtop(L, 1);
  UpvalueRef up = aux_upvalue(index2value(L, funcindex), n);
  if (up.name == nullptr) return nullptr;
  setobj(L, up.val, val);
  luaC_barrier(L, up.owner, up.val);
  L->top--;
  return up.name;
}

// Two closures share a variable exactly when they have the same UpVal, so
// its address identifies a Lua upvalue; a C upvalue is identified by its
// slot in the closure.
void* lua_upvalueid(lua_State* L, int fidx, int n) {
  const TValue* fi = index2value(L, fidx);
  if (ttisLclosure(fi)) {
    UpVal** up = getupvalref(L, fidx, n);
    return up != nullptr ? *up : nullptr;
  }
  if (ttisCclosure(fi)) {
    CClosure* f = clCvalue(fi);
    return inrange(n, f->nupvalues) ? &f->upvalue()[n - 1] : nullptr;
  }
  api_check(L, ttislcf(fi), "function expected at index %d", fidx);
  return nullptr;  // a light C function has no upvalues
}

// Makes upvalue n1 of the first closure the very UpVal of upvalue n2 of
// the second: from now on they share one variable.
void lua_upvaluejoin(lua_State* L, int fidx1, int n1, int fidx2, int n2) {
  LClosure* f1;
  UpVal** up1 = getupvalref(L, fidx1, n1, &f1);
  UpVal** up2 = getupvalref(L, fidx2, n2);
  api_check(L, up1 != nullptr && up2 != nullptr, "invalid upvalue index");
  *up1 = *up2;
  luaC_objbarrier(L, f1, *up1);
}

// ---------------------------------------------------------------------------
// lstate.c: states and threads
// ---------------------------------------------------------------------------

// Lua 5.4.4 no longer lets the C stack limit be changed; the function
// stays for compatibility and answers the fixed limit.
int lua_setcstacklimit(lua_State* L, unsigned int limit) {
  (void)L;
  (void)limit;
  return LUAI_MAXCCALLS;
}

// The check point comes before the creation: the new thread is anchored
// only once luaE_newthread has pushed it.
lua_State* lua_newthread(lua_State* L) {
  luaC_checkGC(L);
  lua_State* L1 = luaE_newthread(L);
  api_check(L, L->top <= L->ci->top,
            "stack overflow (no room for the new thread)");
  return L1;
}

int lua_resetthread(lua_State* L) {
  return luaD_resetthread(L, L->status);
}

// Lua 5.4.6's version of lua_resetthread: the `__close` methods it calls
// count as C calls made from `from` (none when it is null).
int lua_closethread(lua_State* L, lua_State* from) {
  L->nCcalls =
      from != nullptr ? static_cast<std::uint32_t>(getCcalls(from)) : 0;
  return luaD_resetthread(L, L->status);
}

lua_State* lua_newstate(lua_Alloc f, void* ud) {
  return luaD_openstate(f, ud);
}

// Any thread of the state closes the whole state.
void lua_close(lua_State* L) {
  luaD_closestate(G(L)->mainthread);
}

// ---------------------------------------------------------------------------
// ldo.c: coroutines
// ---------------------------------------------------------------------------

// A fresh coroutine needs its function below the arguments, a suspended
// one only the arguments; at least `nargs` values is the common check.
int lua_resume(lua_State* L, lua_State* from, int nargs, int* nresults) {
  api_checknelems(L, nargs);
  return luaD_resume(L, from, nargs, nresults);
}

int lua_isyieldable(lua_State* L) {
  return luaD_isyieldable(L);
}

// A hook (a Lua call record running C code) may yield, but neither values
// nor a continuation.
int lua_yieldk(lua_State* L, int nresults, lua_KContext ctx, lua_KFunction k) {
  api_checknelems(L, nresults);
  bool inhook = yieldable(L) && isLua(L->ci);
  api_check(L, !inhook || nresults == 0, "hooks cannot yield values");
  api_check(L, !inhook || k == nullptr, "hooks cannot continue after yielding");
  return luaD_yield(L, nresults, ctx, k);
}

// ---------------------------------------------------------------------------
// ldebug.c: the debug interface
// ---------------------------------------------------------------------------

void lua_sethook(lua_State* L, lua_Hook func, int mask, int count) {
  luaG_sethook(L, func, mask, count);
}

lua_Hook lua_gethook(lua_State* L) {
  return L->hook;
}

int lua_gethookmask(lua_State* L) {
  return L->hookmask;
}

int lua_gethookcount(lua_State* L) {
  return L->basehookcount;
}

int lua_getstack(lua_State* L, int level, lua_Debug* ar) {
  return luaG_getstack(L, level, ar);
}

const char* lua_getlocal(lua_State* L, const lua_Debug* ar, int n) {
  api_check(L, ar != nullptr || framecount(L) >= 1,
            "function expected on the stack");
  return luaG_getlocal(L, ar, n);
}

const char* lua_setlocal(lua_State* L, const lua_Debug* ar, int n) {
  api_checknelems(L, 1);
  return luaG_setlocal(L, ar, n);
}

// With a leading '>' the function comes from the top of the stack.
int lua_getinfo(lua_State* L, const char* what, lua_Debug* ar) {
  api_check(L, what[0] != '>' || ttisfunction(s2v(L->top - 1)),
            "function expected");
  return luaG_getinfo(L, what, ar);
}

// ---------------------------------------------------------------------------
// lobject.c: arithmetic with metamethods
// ---------------------------------------------------------------------------

namespace lua {

// The events TM_ADD .. TM_BNOT are in the order of LUA_OPADD ..
// LUA_OPBNOT, so an operator maps to its event by offset.
void luaO_arith(lua_State* L, int op, const TValue* p1, const TValue* p2,
                StkId res) {
  if (luaO_rawarith(L, op, p1, p2, s2v(res))) return;
  TMS event = static_cast<TMS>(static_cast<int>(TM_ADD) + (op - LUA_OPADD));
  luaT_trybinTM(L, p1, p2, res, event);
}

// ---------------------------------------------------------------------------
// API checks (ours)
// ---------------------------------------------------------------------------

void luai_apicheckfail(const char* fmt, ...) {
  std::fputs("lua: API check failed: ", stderr);
  std::va_list argp;
  va_start(argp, fmt);
  std::vfprintf(stderr, fmt, argp);
  va_end(argp);
  std::fputc('\n', stderr);
  std::fflush(stderr);
  std::abort();
}

}  // namespace lua
