/// \file
/// Metamethod names and their cache: the interned event names created with
/// the state, the type names, and the lookups that remember an absent
/// metamethod in the metatable's `flags`. Chapter 8 adds the behaviour:
/// calling metamethods.
///
/// Mirrors: Lua 5.4 ltm.h and ltm.c (luaT_typenames_, luaT_eventname,
/// luaT_init, luaT_gettm, luaT_gettmbyobj, luaT_objtypename and the fasttm
/// macros)
/// Book: chapter 5
///
/// Design: every metamethod lookup is a raw lookup of a short string in a
/// metatable. The names are interned once, at state creation, and fixed
/// (never collected), so a lookup needs no string creation. Most metatables
/// lack most metamethods, and the frequent events (TM_INDEX .. TM_EQ) are
/// looked up on hot paths, so a metatable caches their absence:
///
/// - **Invariant CACHE.** If bit `e` (for `e <= TM_EQ`) of a table's
///   `flags` is set, the table has no field `tmname[e]`. Every store into a
///   table clears the bits (chapter 4); only luaT_gettm sets one, after a
///   lookup found nothing.
///
/// Differences from Lua: the event names are created here, by the state
/// set-up of chapter 5; the calls (luaT_callTM, the arithmetic and order
/// fallbacks) are chapter 8's. The C names of the events, local to
/// luaT_init in Lua, are an exported table, `luaT_eventname`, because the
/// listing (chapter 7) and ldebug's messages (chapter 8) need them without
/// a state.
#pragma once

#include "ltable/ltable.hpp"

namespace lua {

/// Names of the types for messages, indexed by type + 1 ("no value" is
/// LUA_TNONE); the internal types "upvalue" and "proto" come last.
extern const char* const luaT_typenames_[LUA_TOTALTYPES];

/// The events' names as C strings, in TMS order ("__index" ...
/// "__close"): what luaT_init interns into `tmname`, for code that names
/// an event without a state (the listing's MMBIN comments, ldebug's
/// "metamethod 'add'").
extern const char* const luaT_eventname[NUM_TMS];

/// The name of basic type `x` (LUA_TNONE .. LUA_TPROTO).
inline const char* ttypename(int x) {
  return luaT_typenames_[x + 1];
}

/// True when a metamethod lookup found nothing.
inline bool notm(const TValue* tm) {
  return ttisnil(tm);
}

/// Creates the event names (`tmname`, in TMS order: "__index" ...
/// "__close") and fixes them.
void luaT_init(lua_State* L);
/// Looks up `ename`, the name of `event` (at most TM_EQ), in metatable
/// `events`. Returns null when it is absent, after setting the event's
/// bit in `events->flags` (invariant CACHE).
const TValue* luaT_gettm(Table* events, TMS event, TString* ename);
/// The metamethod of `event` for value `o`: from its own metatable
/// (tables, full userdata) or its type's (`g->mt`). Returns a nil value
/// when there is none.
const TValue* luaT_gettmbyobj(lua_State* L, const TValue* o, TMS event);
/// The type name of `o` for messages: a string `__name` field of the
/// metatable of a table or full userdata, or else its type's name.
const char* luaT_objtypename(lua_State* L, const TValue* o);

/// The metamethod of `e` in metatable `et`, or null when there is none
/// or `et` is null. A set cache bit answers without a lookup.
inline const TValue* gfasttm(global_State* g, Table* et, TMS e) {
  if (et == nullptr) return nullptr;
  if (et->flags & (1u << static_cast<int>(e))) return nullptr;
  return luaT_gettm(et, e, g->tmname[static_cast<int>(e)]);
}
/// gfasttm for the global state of `L`.
inline const TValue* fasttm(lua_State* L, Table* et, TMS e) {
  return gfasttm(G(L), et, e);
}

}  // namespace lua
