// The debug interface: call levels, function information, locals and hooks.
#include "support.hpp"

using lapitest::State;
using lapitest::str;

namespace {

// where(): describes the Lua function that called it (level 1) as
// "<short_src>:<currentline> <what> <name or ?>".
int where(lua_State* L) {
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) == 0) return 0;
  REQUIRE(lua_getinfo(L, "Sln", &ar) == 1);
  lua_pushfstring(L, "%s:%d %s %s", ar.short_src, ar.currentline, ar.what,
                  ar.name != nullptr ? ar.name : "?");
  return 1;
}

// locals(): lists "name=value" for the locals of its caller, and sets the
// first one to 100.
int locals(lua_State* L) {
  lua_Debug ar;
  REQUIRE(lua_getstack(L, 1, &ar) == 1);
  std::string out;
  const char* name;
  for (int n = 1; (name = lua_getlocal(L, &ar, n)) != nullptr; n++) {
    out += std::string(name) + "=" + str(L, -1) + " ";
    lua_pop(L, 1);
  }
  lua_pushinteger(L, 100);
  REQUIRE(lua_setlocal(L, &ar, 1) != nullptr);
  lua_pushstring(L, out.c_str());
  return 1;
}

}  // namespace

TEST_CASE("lua_getstack and lua_getinfo describe the calling Lua function",
          "[lapi]") {
  State s;
  lua_pushcfunction(s.L, where);
  lua_setglobal(s.L, "where");
  REQUIRE(lapitest::run(s.L,
                        "local function inner()\n  return where()\nend\n"
                        "local r = inner()\nreturn r, where()",
                        "=dbg") == LUA_OK);
  // where() was tail called, but a C function gets a frame of its own:
  // level 1 is still inner.
  REQUIRE(str(s.L, -2) == "dbg:2 Lua inner");
  REQUIRE(str(s.L, -1) == "dbg:5 main ?");
  lua_Debug ar;
  REQUIRE(lua_getstack(s.L, 0, &ar) == 0);  // nothing runs at the base
  REQUIRE(lua_getstack(s.L, -1, &ar) == 0);
}

TEST_CASE(
    "lua_getlocal and lua_setlocal reach the locals of a running "
    "function",
    "[lapi]") {
  State s;
  lua_pushcfunction(s.L, locals);
  lua_setglobal(s.L, "locals");
  REQUIRE(lapitest::run(s.L,
                        "local a, b = 1, 'two'\nlocal l = locals()\n"
                        "return l, a") == LUA_OK);
  REQUIRE(str(s.L, -2) == "a=1 b=two ");
  REQUIRE(lua_tointeger(s.L, -1) == 100);
}

TEST_CASE("lua_getlocal without a call names the parameters of a function",
          "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L, "return function(x, y) local z end") == LUA_OK);
  REQUIRE(std::string(lua_getlocal(s.L, nullptr, 1)) == "x");
  REQUIRE(std::string(lua_getlocal(s.L, nullptr, 2)) == "y");
  REQUIRE(lua_getlocal(s.L, nullptr, 3) == nullptr);
  REQUIRE(lua_gettop(s.L) == 1);  // nothing pushed
}

TEST_CASE("lua_getinfo with '>' describes the function on top and pops it",
          "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L, "\n\nreturn function(a, ...)\n end", "=fn") ==
          LUA_OK);
  lua_Debug ar;
  REQUIRE(lua_getinfo(s.L, ">Su", &ar) == 1);
  REQUIRE(lua_gettop(s.L) == 0);
  REQUIRE(ar.linedefined == 3);
  REQUIRE(ar.lastlinedefined == 4);
  REQUIRE(std::string(ar.what) == "Lua");
  REQUIRE(std::string(ar.short_src) == "fn");
  REQUIRE(ar.nparams == 1);
  REQUIRE(ar.isvararg == 1);
  lua_pushcfunction(s.L, where);
  REQUIRE(lua_getinfo(s.L, ">S", &ar) == 1);
  REQUIRE(std::string(ar.what) == "C");
  REQUIRE(std::string(ar.short_src) == "[C]");
}

namespace {

int linecount = 0;

void countlines(lua_State*, lua_Debug* ar) {
  if (ar->event == LUA_HOOKLINE) linecount++;
}

}  // namespace

TEST_CASE("lua_sethook installs a line hook that the queries report",
          "[lapi]") {
  State s;
  REQUIRE(lua_gethook(s.L) == nullptr);
  lua_sethook(s.L, countlines, LUA_MASKLINE | LUA_MASKCOUNT, 1000);
  REQUIRE(lua_gethook(s.L) == countlines);
  REQUIRE(lua_gethookmask(s.L) == (LUA_MASKLINE | LUA_MASKCOUNT));
  REQUIRE(lua_gethookcount(s.L) == 1000);
  linecount = 0;
  REQUIRE(lapitest::run(s.L, "local x = 1\nx = x + 1\nx = x + 1\n") == LUA_OK);
  REQUIRE(linecount == 3);
  lua_sethook(s.L, nullptr, 0, 0);
  REQUIRE(lua_gethook(s.L) == nullptr);
  REQUIRE(lua_gethookmask(s.L) == 0);
  linecount = 0;
  REQUIRE(lapitest::run(s.L, "local x = 1\nx = x + 1\n") == LUA_OK);
  REQUIRE(linecount == 0);
}
