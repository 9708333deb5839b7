// The get and set functions, with and without metamethods, metatables,
// globals, and traversal with lua_next.
#include "support.hpp"

using lapitest::State;
using lapitest::str;

TEST_CASE("lua_setfield and lua_getfield store and read string keys",
          "[lapi]") {
  State s;
  lua_newtable(s.L);
  lua_pushinteger(s.L, 7);
  lua_setfield(s.L, 1, "seven");
  REQUIRE(lua_gettop(s.L) == 1);
  REQUIRE(lua_getfield(s.L, 1, "seven") == LUA_TNUMBER);
  REQUIRE(lua_tointeger(s.L, -1) == 7);
  REQUIRE(lua_getfield(s.L, 1, "missing") == LUA_TNIL);
  std::string key(60, 'k');  // a long string key
  lua_pushboolean(s.L, 1);
  lua_setfield(s.L, 1, key.c_str());
  REQUIRE(lua_getfield(s.L, 1, key.c_str()) == LUA_TBOOLEAN);
}

TEST_CASE("lua_seti and lua_geti store and read integer keys", "[lapi]") {
  State s;
  lua_newtable(s.L);
  for (int i = 1; i <= 10; i++) {
    lua_pushinteger(s.L, i * i);
    lua_seti(s.L, 1, i);
  }
  lua_pushstring(s.L, "neg");
  lua_seti(s.L, 1, -3);
  REQUIRE(lua_geti(s.L, 1, 10) == LUA_TNUMBER);
  REQUIRE(lua_tointeger(s.L, -1) == 100);
  REQUIRE(lua_geti(s.L, 1, -3) == LUA_TSTRING);
  REQUIRE(lua_geti(s.L, 1, 11) == LUA_TNIL);
  REQUIRE(lua_rawlen(s.L, 1) == 10);
}

TEST_CASE("lua_settable and lua_gettable accept keys of any type", "[lapi]") {
  State s;
  lua_newtable(s.L);
  lua_pushnumber(s.L, 2.0);  // normalized to the integer key 2
  lua_pushstring(s.L, "two");
  lua_settable(s.L, 1);
  lua_pushboolean(s.L, 1);
  lua_pushstring(s.L, "yes");
  lua_settable(s.L, 1);
  REQUIRE(lua_gettop(s.L) == 1);
  REQUIRE(lua_geti(s.L, 1, 2) == LUA_TSTRING);
  lua_pushboolean(s.L, 1);
  REQUIRE(lua_gettable(s.L, 1) == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "yes");
}

TEST_CASE("storing nil or NaN as a key raises an error", "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  REQUIRE(lapitest::run(s.L, "local t = {}; t[nil] = 1") == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "test:1: table index is nil");
  REQUIRE(lapitest::run(s.L, "local t = {}; t[0/0] = 1") == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "test:1: table index is NaN");
}

namespace {

int indexcalls = 0;

// __index: answers "<key>!" for any missing key.
int bang(lua_State* L) {
  indexcalls++;
  lua_pushfstring(L, "%s!", lua_tostring(L, 2));
  return 1;
}

// __newindex: stores the value under "_" .. key, raw.
int underscore(lua_State* L) {
  lua_pushfstring(L, "_%s", lua_tostring(L, 2));
  lua_pushvalue(L, 3);
  lua_rawset(L, 1);
  return 0;
}

// A table with `bang` as __index and `underscore` as __newindex.
void pushproxy(lua_State* L) {
  lua_newtable(L);
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, bang);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, underscore);
  lua_setfield(L, -2, "__newindex");
  REQUIRE(lua_setmetatable(L, -2) == 1);
}

}  // namespace

TEST_CASE(
    "a C function __index answers missing keys; raw access bypasses "
    "it",
    "[lapi]") {
  State s;
  pushproxy(s.L);
  indexcalls = 0;
  REQUIRE(lua_getfield(s.L, 1, "x") == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "x!");
  lua_pushinteger(s.L, 5);
  REQUIRE(lua_gettable(s.L, 1) == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "5!");
  REQUIRE(lua_geti(s.L, 1, 3) == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "3!");
  REQUIRE(indexcalls == 3);
  lua_pushstring(s.L, "x");
  REQUIRE(lua_rawget(s.L, 1) == LUA_TNIL);
  REQUIRE(lua_rawgeti(s.L, 1, 3) == LUA_TNIL);
  REQUIRE(indexcalls == 3);
}

TEST_CASE("a C function __newindex intercepts new keys but not present ones",
          "[lapi]") {
  State s;
  pushproxy(s.L);
  lua_pushinteger(s.L, 1);
  lua_setfield(s.L, 1, "a");  // new: goes to "_a"
  REQUIRE(lua_rawlen(s.L, 1) == 0);
  REQUIRE(lua_getfield(s.L, 1, "_a") == LUA_TNUMBER);
  lua_pop(s.L, 1);
  lua_pushinteger(s.L, 2);
  lua_rawseti(s.L, 1, 1);  // raw: no metamethod
  lua_pushinteger(s.L, 3);
  lua_seti(s.L, 1, 1);  // present: stored directly
  REQUIRE(lua_rawgeti(s.L, 1, 1) == LUA_TNUMBER);
  REQUIRE(lua_tointeger(s.L, -1) == 3);
  lua_pop(s.L, 1);
  lua_pushinteger(s.L, 4);
  lua_seti(s.L, 1, 2);  // new again: "_2"
  REQUIRE(lua_getfield(s.L, 1, "_2") == LUA_TNUMBER);
}

TEST_CASE("__index may be a table, followed as a chain", "[lapi]") {
  State s;
  lua_newtable(s.L);  // 1: the base
  lua_pushstring(s.L, "from base");
  lua_setfield(s.L, 1, "k");
  lua_newtable(s.L);  // 2: middle, indexing the base
  lua_newtable(s.L);
  lua_pushvalue(s.L, 1);
  lua_setfield(s.L, -2, "__index");
  lua_setmetatable(s.L, 2);
  lua_newtable(s.L);  // 3: top, indexing the middle
  lua_newtable(s.L);
  lua_pushvalue(s.L, 2);
  lua_setfield(s.L, -2, "__index");
  lua_setmetatable(s.L, 3);
  REQUIRE(lua_getfield(s.L, 3, "k") == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "from base");
}

TEST_CASE("lua_rawset, lua_rawsetp and lua_rawgetp store by any key, raw",
          "[lapi]") {
  State s;
  pushproxy(s.L);
  static int marker;
  lua_pushstring(s.L, "p");
  lua_rawsetp(s.L, 1, &marker);
  lua_pushstring(s.L, "key");
  lua_pushstring(s.L, "value");
  lua_rawset(s.L, 1);
  REQUIRE(lua_gettop(s.L) == 1);
  REQUIRE(lua_rawgetp(s.L, 1, &marker) == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "p");
  lua_pushstring(s.L, "key");
  REQUIRE(lua_rawget(s.L, 1) == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "value");
  REQUIRE(lua_rawgetp(s.L, 1, &s) == LUA_TNIL);
}

TEST_CASE("lua_getglobal and lua_setglobal use the globals table", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 12);
  lua_setglobal(s.L, "answer");
  REQUIRE(lua_getglobal(s.L, "answer") == LUA_TNUMBER);
  REQUIRE(lua_tointeger(s.L, -1) == 12);
  lua_pushglobaltable(s.L);
  REQUIRE(lua_getfield(s.L, -1, "answer") == LUA_TNUMBER);
  REQUIRE(lapitest::run(s.L, "answer = answer + 1") == LUA_OK);
  REQUIRE(lua_getglobal(s.L, "answer") == LUA_TNUMBER);
  REQUIRE(lua_tointeger(s.L, -1) == 13);
  REQUIRE(lua_getglobal(s.L, "nothing") == LUA_TNIL);
}

TEST_CASE(
    "lua_getmetatable answers 0 without one; a nil metatable removes "
    "it",
    "[lapi]") {
  State s;
  lua_newtable(s.L);
  REQUIRE(lua_getmetatable(s.L, 1) == 0);
  REQUIRE(lua_gettop(s.L) == 1);
  lua_newtable(s.L);
  lua_pushvalue(s.L, -1);
  lua_setmetatable(s.L, 1);
  REQUIRE(lua_getmetatable(s.L, 1) == 1);
  REQUIRE(lua_rawequal(s.L, -1, 2));
  lua_pushnil(s.L);
  lua_setmetatable(s.L, 1);
  REQUIRE(lua_getmetatable(s.L, 1) == 0);
}

TEST_CASE("values of the other types share one metatable per type", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 1);
  lua_newtable(s.L);
  lua_pushstring(s.L, "numbers");
  lua_setfield(s.L, -2, "__name");
  lua_setmetatable(s.L, 1);
  lua_pushnumber(s.L, 2.5);
  REQUIRE(lua_getmetatable(s.L, -1) == 1);
  REQUIRE(lua_getfield(s.L, -1, "__name") == LUA_TSTRING);
  lua_pushstring(s.L, "a string");
  REQUIRE(lua_getmetatable(s.L, -1) == 0);
}

TEST_CASE("lua_createtable presizes a table without adding entries", "[lapi]") {
  State s;
  lua_createtable(s.L, 100, 50);
  REQUIRE(lua_rawlen(s.L, 1) == 0);
  lua_pushnil(s.L);
  REQUIRE(lua_next(s.L, 1) == 0);
  REQUIRE(lua_gettop(s.L) == 1);
}

TEST_CASE("lua_next visits every entry once, array part first", "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L, "return {10, 20, 30, x = 1, y = 2, [2.5] = 3}") ==
          LUA_OK);
  lua_Integer keysum = 0;
  double valsum = 0;
  int count = 0;
  lua_pushnil(s.L);
  while (lua_next(s.L, 1) != 0) {
    REQUIRE(lua_gettop(s.L) == 3);
    if (count < 3) REQUIRE(lua_tointeger(s.L, -2) == count + 1);
    if (lua_isinteger(s.L, -2)) keysum += lua_tointeger(s.L, -2);
    valsum += lua_tonumber(s.L, -1);
    count++;
    lua_pop(s.L, 1);
  }
  REQUIRE(lua_gettop(s.L) == 1);
  REQUIRE(count == 6);
  REQUIRE(keysum == 6);
  REQUIRE(valsum == 66);
}

TEST_CASE("lua_next allows clearing fields during the traversal", "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L,
                        "local t = {} for i = 1, 50 do t['k' .. i] = i "
                        "end return t") == LUA_OK);
  int count = 0;
  lua_pushnil(s.L);
  while (lua_next(s.L, 1) != 0) {
    lua_pop(s.L, 1);
    lua_pushvalue(s.L, -1);
    lua_pushnil(s.L);
    lua_rawset(s.L, 1);  // clears the entry just visited
    count++;
  }
  REQUIRE(count == 50);
  lua_pushnil(s.L);
  REQUIRE(lua_next(s.L, 1) == 0);
}

TEST_CASE("lua_next raises an error for a key that is not in the table",
          "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L, "return {1, 2}") == LUA_OK);
  lua_pushcfunction(s.L, [](lua_State* L) {
    lua_pushstring(L, "absent");
    return lua_next(L, 1);
  });
  lua_pushvalue(s.L, 1);
  REQUIRE(lua_pcall(s.L, 1, 0, 0) == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "invalid key to 'next'");
}
