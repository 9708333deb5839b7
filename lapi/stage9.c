// The stage-9 demo: a C program that embeds the interpreter through lua.h
// and lauxlib.h alone, exactly as a host embeds Lua.
//
//   stage9 [script.lua]
//
// Book: chapter 9 (the C API and the auxiliary library).
//
// The standard libraries arrive in chapter 10, so the host gives the
// script the few functions it needs: print, setmetatable, and counter, a
// factory of C closures that keep their count in an upvalue. It runs the
// script (or a built-in one), then, if the script defined them, calls its
// global `average` from C with a table argument and reads the two results,
// and calls its global `fail` to show an error caught with a traceback.
// An error in the script itself is printed with its traceback and makes
// the exit status 1.
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

static const char* const demo =
    "print('hello from Lua, called by C')\n"
    "local c = counter()\n"
    "c(); c()\n"
    "print('counter:', c(), counter()())\n"
    "local Vec = {}\n"
    "Vec.__index = Vec\n"
    "Vec.__add = function(a, b)\n"
    "  return setmetatable({x = a.x + b.x, y = a.y + b.y}, Vec)\n"
    "end\n"
    "function Vec:dot(w) return self.x * w.x + self.y * w.y end\n"
    "local v = setmetatable({x = 1, y = 2}, Vec)\n"
    "local w = v + setmetatable({x = 3, y = 4}, Vec)\n"
    "print('metatables:', w.x, w.y, v:dot(w))\n"
    "function average(t)\n"
    "  local sum = 0\n"
    "  for i = 1, #t do sum = sum + t[i] end\n"
    "  return sum, sum / #t\n"
    "end\n"
    "function fail(x) return x.field end\n";

// print(...): each argument in its tostring form, tab-separated.
static int host_print(lua_State* L) {
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char* s = luaL_tolstring(L, i, &len);
    if (i > 1) fputc('\t', stdout);
    fwrite(s, 1, len, stdout);
    lua_pop(L, 1);
  }
  fputc('\n', stdout);
  return 0;
}

// setmetatable(t, mt): as the base library's, without __metatable checks.
static int host_setmetatable(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

// The closure made by counter(): upvalue 1 holds how often it was called.
static int counter_next(lua_State* L) {
  lua_Integer n = lua_tointeger(L, lua_upvalueindex(1)) + 1;
  lua_pushinteger(L, n);
  lua_copy(L, -1, lua_upvalueindex(1));
  return 1;
}

// counter(): a fresh C closure whose count starts at 0.
static int host_counter(lua_State* L) {
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, counter_next, 1);
  return 1;
}

// The message handler: appends the stack traceback to the error message.
static int traceback(lua_State* L) {
  const char* msg = lua_tostring(L, 1);
  if (msg == NULL) msg = luaL_tolstring(L, 1, NULL);
  luaL_traceback(L, L, msg, 1);
  return 1;
}

// Calls the script's average({10, 20, 30, 45}) and prints its results.
static void call_average(lua_State* L, int handler) {
  if (lua_getglobal(L, "average") != LUA_TFUNCTION) {
    lua_pop(L, 1);
    return;
  }
  const lua_Integer items[] = {10, 20, 30, 45};
  lua_createtable(L, 4, 0);
  for (int i = 0; i < 4; i++) {
    lua_pushinteger(L, items[i]);
    lua_rawseti(L, -2, i + 1);
  }
  if (lua_pcall(L, 1, 2, handler) != LUA_OK) {
    printf("average failed: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return;
  }
  printf("C read: sum %lld, mean %g\n", (long long)lua_tointeger(L, -2),
         (double)lua_tonumber(L, -1));
  lua_pop(L, 2);
}

// Calls the script's fail(nil), which raises an error, and prints it.
static void call_fail(lua_State* L, int handler) {
  if (lua_getglobal(L, "fail") != LUA_TFUNCTION) {
    lua_pop(L, 1);
    return;
  }
  lua_pushnil(L);
  int status = lua_pcall(L, 1, 0, handler);
  printf("caught (status %d): %s\n", status, lua_tostring(L, -1));
  lua_pop(L, 1);
}

static const luaL_Reg host_functions[] = {
    {"setmetatable", host_setmetatable},
    {"counter", host_counter},
    {NULL, NULL},
};

int main(int argc, char** argv) {
  lua_State* L = luaL_newstate();
  if (L == NULL) return 1;
  lua_register(L, "print", host_print);
  lua_pushglobaltable(L);
  luaL_setfuncs(L, host_functions, 0);
  lua_pop(L, 1);

  lua_pushcfunction(L, traceback);
  const int handler = lua_gettop(L);
  int status = argc > 1 ? luaL_loadfile(L, argv[1])
                        : luaL_loadbuffer(L, demo, strlen(demo), "=demo");
  if (status == LUA_OK) status = lua_pcall(L, 0, 0, handler);
  if (status != LUA_OK) {
    fprintf(stderr, "stage9: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return 1;
  }
  call_average(L, handler);
  call_fail(L, handler);
  lua_close(L);
  return 0;
}
