/// \file
/// Metamethod names, type names and the absent-metamethod cache.
///
/// Mirrors: Lua 5.4 ltm.c (the names and lookups; the calls are chapter 8's)
/// Book: chapter 5
///
/// ltm.c is spread over two chapters: this file holds its first half, up
/// to luaT_objtypename; lvm/ltm.cpp (chapter 8) continues from
/// luaT_callTM. Invariant CACHE is stated in ltm.hpp.
///
/// Differences from Lua: see ltm.hpp.
#include "lfunc/ltm.hpp"

#include <string_view>

namespace lua {

namespace {

constexpr char udatatypename[] = "userdata";

}  // namespace

// Both kinds of userdata print as "userdata": the difference between a
// light and a full one is an implementation detail.
const char* const luaT_typenames_[LUA_TOTALTYPES] = {
    "no value", "nil",      "boolean",     udatatypename, "number",  "string",
    "table",    "function", udatatypename, "thread",      "upvalue", "proto"};

// Their order is TMS's order, which the `flags` cache bits also follow.
// Defined constexpr (the header's declaration keeps it external) so that
// a missing name is a compile error: the last slot must be "__close".
constexpr const char* const luaT_eventname[NUM_TMS] = {
    "__index", "__newindex", "__gc",   "__mode", "__len", "__eq",   "__add",
    "__sub",   "__mul",      "__mod",  "__pow",  "__div", "__idiv", "__band",
    "__bor",   "__bxor",     "__shl",  "__shr",  "__unm", "__bnot", "__lt",
    "__le",    "__concat",   "__call", "__close"};
static_assert(std::string_view(luaT_eventname[NUM_TMS - 1]) == "__close");

namespace {

// A string the collector never frees (luaC_fix): it must be the newest
// object, so it is fixed right after its creation.
TString* newfixedstring(lua_State* L, const char* s) {
  TString* ts = luaS_new(L, s);
  luaC_fix(L, ts);
  return ts;
}

// The metatable that decides the metamethods of `o`: tables and full
// userdata have one each; every other type shares one per type, kept in
// the global state. Null when there is none.
Table* metatableof(lua_State* L, const TValue* o) {
  if (ttistable(o)) return hvalue(o)->metatable;
  if (ttisfulluserdata(o)) return uvalue(o)->metatable;
  return G(L)->mt[ttype(o)];
}

}  // namespace

// The names are created once and fixed, so that no lookup ever creates a
// string and the collector never frees one.
void luaT_init(lua_State* L) {
  for (int event = 0; event < NUM_TMS; event++)
    G(L)->tmname[event] = newfixedstring(L, luaT_eventname[event]);
}

// Only the events with a cache bit come here: fasttm has already checked
// the bit, so an absent metamethod is looked up at most once per change
// of the metatable.
const TValue* luaT_gettm(Table* events, TMS event, TString* ename) {
  lua_assert(event <= TM_EQ);  // the events that have a cache bit
  if (const TValue* tm = luaH_getshortstr(events, ename); !notm(tm)) return tm;
  events->flags |= static_cast<lu_byte>(1u << static_cast<int>(event));
  return nullptr;
}

const TValue* luaT_gettmbyobj(lua_State* L, const TValue* o, TMS event) {
  Table* mt = metatableof(L, o);
  if (mt == nullptr) return &G(L)->nilvalue;
  return luaH_getshortstr(mt, G(L)->tmname[static_cast<int>(event)]);
}

// Libraries name their userdata types through `__name` (luaL_newmetatable
// sets it), so messages can say "FILE*" instead of "userdata". Only a
// value's own metatable counts, not its type's.
const char* luaT_objtypename(lua_State* L, const TValue* o) {
  bool ownmetatable = ttistable(o) || ttisfulluserdata(o);
  if (Table* mt = ownmetatable ? metatableof(L, o) : nullptr) {
    TString* key = luaS_new(L, "__name");  // usually from the string cache
    const TValue* name = luaH_getshortstr(mt, key);
    if (ttisstring(name)) return getstr(tsvalue(name));
  }
  return ttypename(ttype(o));
}

}  // namespace lua
