/**
 * \file
 * The standard libraries' entry points: one opening function per library,
 * the names the libraries are registered under, and luaL_openlibs.
 *
 * Lua 5.4's lualib.h, re-declared with the same names, values and layouts.
 * Like lua.h, it names no Lua file to be compared line by line: its
 * declarations are fixed by the API.
 * Book: chapter 9 (the libraries themselves are chapter 10's, in lib/)
 *
 * A public C header, included by its plain name. Invariant OPENER: each
 * luaopen_NAME leaves exactly one value, the library table, on the stack,
 * so that luaL_requiref can record it in package.loaded under NAME.
 *
 * Differences from Lua: none in what is declared. The libraries arrive one
 * by one in chapter 10; until all exist, luaL_openlibs opens those that do.
 */
#ifndef lualib_h
#define lualib_h

#include "lua.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Suffix of the versioned environment variables (LUA_PATH_5_4 ...). */
#define LUA_VERSUFFIX "_" LUA_VERSION_MAJOR "_" LUA_VERSION_MINOR

/** Opens the base library into the global table and pushes that table. */
LUAMOD_API int luaopen_base(lua_State* L);

#define LUA_COLIBNAME "coroutine"
/** Pushes the coroutine library. */
LUAMOD_API int luaopen_coroutine(lua_State* L);

#define LUA_TABLIBNAME "table"
/** Pushes the table library. */
LUAMOD_API int luaopen_table(lua_State* L);

#define LUA_IOLIBNAME "io"
/** Pushes the io library. */
LUAMOD_API int luaopen_io(lua_State* L);

#define LUA_OSLIBNAME "os"
/** Pushes the os library. */
LUAMOD_API int luaopen_os(lua_State* L);

#define LUA_STRLIBNAME "string"
/** Pushes the string library and sets the metatable of strings. */
LUAMOD_API int luaopen_string(lua_State* L);

#define LUA_UTF8LIBNAME "utf8"
/** Pushes the utf8 library. */
LUAMOD_API int luaopen_utf8(lua_State* L);

#define LUA_MATHLIBNAME "math"
/** Pushes the math library. */
LUAMOD_API int luaopen_math(lua_State* L);

#define LUA_DBLIBNAME "debug"
/** Pushes the debug library. */
LUAMOD_API int luaopen_debug(lua_State* L);

#define LUA_LOADLIBNAME "package"
/** Pushes the package library (require and its searchers). */
LUAMOD_API int luaopen_package(lua_State* L);

/** Opens every standard library into `L`, each as a global. */
LUALIB_API void luaL_openlibs(lua_State* L);

#ifdef __cplusplus
}
#endif

#endif
