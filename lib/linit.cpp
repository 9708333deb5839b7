/// \file
/// luaL_openlibs: opens the standard libraries into a state, each under
/// its name in package.loaded and as a global.
///
/// Mirrors: Lua 5.4 linit.c
/// Book: chapter 10
///
/// Design: the list below is the one place that decides which libraries a
/// state created by the stand-alone programs gets. Invariant ORDER: the
/// base library comes first, because the others are opened as globals of
/// the table it fills, and each entry is opened through luaL_requiref, so
/// opening twice is harmless (package.loaded caches the first result).
///
/// The exported function takes its C linkage from lualib.h.
///
/// Differences from Lua: none; the list is Lua's, in Lua's order.
#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

const luaL_Reg loadedlibs[] = {
    {LUA_GNAME, luaopen_base},
    {LUA_LOADLIBNAME, luaopen_package},
    {LUA_COLIBNAME, luaopen_coroutine},
    {LUA_TABLIBNAME, luaopen_table},
    {LUA_IOLIBNAME, luaopen_io},
    {LUA_OSLIBNAME, luaopen_os},
    {LUA_STRLIBNAME, luaopen_string},
    {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},
    {LUA_DBLIBNAME, luaopen_debug},
    {nullptr, nullptr},
};

}  // namespace

// luaL_requiref leaves each library on the stack; only the globals and
// package.loaded keep it.
void luaL_openlibs(lua_State* L) {
  const int top = lua_gettop(L);
  for (const luaL_Reg& lib : loadedlibs) {
    if (lib.func == nullptr) break;
    constexpr int asglobal = 1;
    luaL_requiref(L, lib.name, lib.func, asglobal);
    lua_settop(L, top);
  }
}
