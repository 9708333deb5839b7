/// \file
/// Metamethod names, type names and the absent-metamethod cache.
///
/// Mirrors: Lua 5.4 ltm.c (the names and lookups; the calls are chapter 8's)
/// Book: chapter 5
///
/// Invariant CACHE is stated in ltm.hpp.
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

// The names are created once and fixed, so that no lookup ever creates a
// string and the collector never frees one.
void luaT_init(lua_State* L) {
  for (int i = 0; i < NUM_TMS; i++) {
    G(L)->tmname[i] = luaS_new(L, luaT_eventname[i]);
    luaC_fix(L, G(L)->tmname[i]);
  }
}

// Only the events with a cache bit come here: fasttm has already checked
// the bit, so an absent metamethod is looked up at most once per change
// of the metatable.
const TValue* luaT_gettm(Table* events, TMS event, TString* ename) {
  const TValue* tm = luaH_getshortstr(events, ename);
  lua_assert(event <= TM_EQ);
  if (notm(tm)) {
    events->flags =
        static_cast<lu_byte>(events->flags | (1u << static_cast<int>(event)));
    return nullptr;
  }
  return tm;
}

// Tables and full userdata have a metatable each; every other type shares
// one per type, kept in the global state.
const TValue* luaT_gettmbyobj(lua_State* L, const TValue* o, TMS event) {
  Table* mt;
  switch (ttype(o)) {
    case LUA_TTABLE:
      mt = hvalue(o)->metatable;
      break;
    case LUA_TUSERDATA:
      mt = uvalue(o)->metatable;
      break;
    default:
      mt = G(L)->mt[ttype(o)];
  }
  return mt != nullptr
             ? luaH_getshortstr(mt, G(L)->tmname[static_cast<int>(event)])
             : &G(L)->nilvalue;
}

// Libraries name their userdata types through `__name` (luaL_newmetatable
// sets it), so messages can say "FILE*" instead of "userdata".
const char* luaT_objtypename(lua_State* L, const TValue* o) {
  Table* mt;
  if ((ttistable(o) && (mt = hvalue(o)->metatable) != nullptr) ||
      (ttisfulluserdata(o) && (mt = uvalue(o)->metatable) != nullptr)) {
    const TValue* name = luaH_getshortstr(mt, luaS_new(L, "__name"));
    if (ttisstring(name)) return getstr(tsvalue(name));
  }
  return ttypename(ttype(o));
}

}  // namespace lua
