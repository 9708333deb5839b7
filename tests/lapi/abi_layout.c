// abi_layout: prints what a C module compiled against lua.h and lauxlib.h
// bakes into its object code, one `name value` line each.
//
// Book: chapter 9 (the C API and the auxiliary library).
//
// The build compiles this file twice: against our public headers (lmem/
// and lapi/) and against Debian's (/usr/include/lua5.4). abi_compare.py
// runs both and fails on every line that differs. A module built for
// Debian's Lua 5.4 can only run on our core if all of these agree: the
// sizes, alignments and field offsets of the structs a module allocates
// itself (lua_Debug, luaL_Buffer, luaL_Reg, luaL_Stream), the numeric
// types, and every constant a macro expands to at the module's call site.
//
// The program only evaluates macros, sizeof, _Alignof and offsetof: it
// calls no Lua function, so the Debian build links without liblua5.4.
#include <stddef.h>
#include <stdio.h>

#include "lauxlib.h"
#include "lua.h"

#define SIZE(T) printf("sizeof(%s) %zu\n", #T, sizeof(T))
#define ALIGN(T) printf("alignof(%s) %zu\n", #T, (size_t) _Alignof(T))
#define FIELD(T, f) printf("%s.%s %zu\n", #T, #f, offsetof(T, f))
#define VALUE(X) printf("%s %lld\n", #X, (long long)(X))
#define TEXT(X) printf("%s \"%s\"\n", #X, X)
#define MISSING(X) printf("%s undefined\n", X)

static void print_lua_debug(void) {
  SIZE(lua_Debug);
  ALIGN(lua_Debug);
  FIELD(lua_Debug, event);
  FIELD(lua_Debug, name);
  FIELD(lua_Debug, namewhat);
  FIELD(lua_Debug, what);
  FIELD(lua_Debug, source);
  FIELD(lua_Debug, srclen);
  FIELD(lua_Debug, currentline);
  FIELD(lua_Debug, linedefined);
  FIELD(lua_Debug, lastlinedefined);
  FIELD(lua_Debug, nups);
  FIELD(lua_Debug, nparams);
  FIELD(lua_Debug, isvararg);
  FIELD(lua_Debug, istailcall);
  FIELD(lua_Debug, ftransfer);
  FIELD(lua_Debug, ntransfer);
  FIELD(lua_Debug, short_src);
  FIELD(lua_Debug, i_ci);
}

static void print_lauxlib_structs(void) {
  SIZE(luaL_Buffer);
  ALIGN(luaL_Buffer);
  FIELD(luaL_Buffer, b);
  FIELD(luaL_Buffer, size);
  FIELD(luaL_Buffer, n);
  FIELD(luaL_Buffer, L);
  FIELD(luaL_Buffer, init);
  FIELD(luaL_Buffer, init.b);
  SIZE(luaL_Reg);
  ALIGN(luaL_Reg);
  FIELD(luaL_Reg, name);
  FIELD(luaL_Reg, func);
  SIZE(luaL_Stream);
  ALIGN(luaL_Stream);
  FIELD(luaL_Stream, f);
  FIELD(luaL_Stream, closef);
}

static void print_types_and_limits(void) {
  SIZE(lua_Number);
  SIZE(lua_Integer);
  SIZE(lua_Unsigned);
  SIZE(lua_KContext);
  VALUE(LUA_MAXINTEGER);
  VALUE(LUA_MININTEGER);
  VALUE(LUAL_NUMSIZES);
  VALUE(LUA_REGISTRYINDEX);
  VALUE(lua_upvalueindex(1));
#ifdef LUAI_MAXSTACK
  VALUE(LUAI_MAXSTACK);
#else
  MISSING("LUAI_MAXSTACK");
#endif
  VALUE(LUA_EXTRASPACE);
  VALUE(LUA_IDSIZE);
  VALUE(LUAL_BUFFERSIZE);
  VALUE(LUA_MINSTACK);
  VALUE(LUA_MULTRET);
  VALUE(LUA_RIDX_MAINTHREAD);
  VALUE(LUA_RIDX_GLOBALS);
  VALUE(LUA_RIDX_LAST);
  VALUE(LUA_VERSION_NUM);
  VALUE(LUA_VERSION_RELEASE_NUM);
  TEXT(LUA_RELEASE);
}

static void print_type_tags_and_status(void) {
  VALUE(LUA_NUMTYPES);
  VALUE(LUA_TNONE);
  VALUE(LUA_TNIL);
  VALUE(LUA_TBOOLEAN);
  VALUE(LUA_TLIGHTUSERDATA);
  VALUE(LUA_TNUMBER);
  VALUE(LUA_TSTRING);
  VALUE(LUA_TTABLE);
  VALUE(LUA_TFUNCTION);
  VALUE(LUA_TUSERDATA);
  VALUE(LUA_TTHREAD);
  VALUE(LUA_OK);
  VALUE(LUA_YIELD);
  VALUE(LUA_ERRRUN);
  VALUE(LUA_ERRSYNTAX);
  VALUE(LUA_ERRMEM);
  VALUE(LUA_ERRERR);
  VALUE(LUA_ERRFILE);
}

static void print_operators(void) {
  VALUE(LUA_OPADD);
  VALUE(LUA_OPSUB);
  VALUE(LUA_OPMUL);
  VALUE(LUA_OPMOD);
  VALUE(LUA_OPPOW);
  VALUE(LUA_OPDIV);
  VALUE(LUA_OPIDIV);
  VALUE(LUA_OPBAND);
  VALUE(LUA_OPBOR);
  VALUE(LUA_OPBXOR);
  VALUE(LUA_OPSHL);
  VALUE(LUA_OPSHR);
  VALUE(LUA_OPUNM);
  VALUE(LUA_OPBNOT);
  VALUE(LUA_OPEQ);
  VALUE(LUA_OPLT);
  VALUE(LUA_OPLE);
}

static void print_gc_and_hooks(void) {
  VALUE(LUA_GCSTOP);
  VALUE(LUA_GCRESTART);
  VALUE(LUA_GCCOLLECT);
  VALUE(LUA_GCCOUNT);
  VALUE(LUA_GCCOUNTB);
  VALUE(LUA_GCSTEP);
  VALUE(LUA_GCSETPAUSE);
  VALUE(LUA_GCSETSTEPMUL);
  VALUE(LUA_GCISRUNNING);
  VALUE(LUA_GCGEN);
  VALUE(LUA_GCINC);
  VALUE(LUA_HOOKCALL);
  VALUE(LUA_HOOKRET);
  VALUE(LUA_HOOKLINE);
  VALUE(LUA_HOOKCOUNT);
  VALUE(LUA_HOOKTAILCALL);
  VALUE(LUA_MASKCALL);
  VALUE(LUA_MASKRET);
  VALUE(LUA_MASKLINE);
  VALUE(LUA_MASKCOUNT);
}

static void print_lauxlib_constants(void) {
  VALUE(LUA_NOREF);
  VALUE(LUA_REFNIL);
  TEXT(LUA_GNAME);
  TEXT(LUA_LOADED_TABLE);
  TEXT(LUA_PRELOAD_TABLE);
  TEXT(LUA_FILEHANDLE);
}

int main(void) {
  print_lua_debug();
  print_lauxlib_structs();
  print_types_and_limits();
  print_type_tags_and_status();
  print_operators();
  print_gc_and_hooks();
  print_lauxlib_constants();
  return 0;
}
