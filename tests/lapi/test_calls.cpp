// Loading chunks (readers, modes, errors), dumping them, and calling
// functions with and without protection.
#include <vector>

#include "support.hpp"

using lapitest::State;
using lapitest::str;

TEST_CASE("lua_load reads a chunk in pieces from its reader", "[lapi]") {
  State s;
  std::string code = "local a, b = 6, 7\nreturn a * b, 'done'";
  lapitest::Pieces p{code, 1};
  REQUIRE(lua_load(s.L, lapitest::piecereader, &p, "=pieces", nullptr) ==
          LUA_OK);
  REQUIRE(p.calls == static_cast<int>(code.size()) + 1);  // then the end
  REQUIRE(lua_isfunction(s.L, -1));
  REQUIRE(lua_pcall(s.L, 0, 2, 0) == LUA_OK);
  REQUIRE(lua_tointeger(s.L, -2) == 42);
  REQUIRE(str(s.L, -1) == "done");
}

TEST_CASE("lua_load gives a main chunk the globals table as its _ENV",
          "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "x = 5") == LUA_OK);
  REQUIRE(std::string(lua_getupvalue(s.L, 1, 1)) == "_ENV");
  lua_pushglobaltable(s.L);
  REQUIRE(lua_rawequal(s.L, -1, -2));
  lua_settop(s.L, 1);
  REQUIRE(lua_pcall(s.L, 0, 0, 0) == LUA_OK);
  REQUIRE(lua_getglobal(s.L, "x") == LUA_TNUMBER);
  REQUIRE(lua_tointeger(s.L, -1) == 5);
}

TEST_CASE("lua_load with mode \"b\" refuses a text chunk", "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "return 1", "=src", "b") == LUA_ERRSYNTAX);
  REQUIRE(str(s.L, -1) == "attempt to load a text chunk (mode is 'b')");
  REQUIRE(lapitest::load(s.L, "return 1", "=src", "bt") == LUA_OK);
}

TEST_CASE("lua_load with mode \"t\" refuses a binary chunk", "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "\x1bLua", "=src", "t") == LUA_ERRSYNTAX);
  REQUIRE(str(s.L, -1) == "attempt to load a binary chunk (mode is 't')");
}

TEST_CASE("lua_load reports a syntax error under the chunk's name", "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "x = ", "=src") == LUA_ERRSYNTAX);
  REQUIRE(str(s.L, -1) == "src:1: unexpected symbol near <eof>");
  REQUIRE(lapitest::load(s.L, "x = ", nullptr) == LUA_ERRSYNTAX);
  REQUIRE(str(s.L, -1) == "[string \"?\"]:1: unexpected symbol near <eof>");
  REQUIRE(lapitest::load(s.L, "x = ", "x = ") == LUA_ERRSYNTAX);
  REQUIRE(str(s.L, -1) == "[string \"x = \"]:1: unexpected symbol near <eof>");
}

TEST_CASE("an empty chunk loads and returns nothing", "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "") == LUA_OK);
  REQUIRE(lua_pcall(s.L, 0, LUA_MULTRET, 0) == LUA_OK);
  REQUIRE(lua_gettop(s.L) == 0);
}

namespace {

int appendbytes(lua_State*, const void* p, std::size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

int refuse(lua_State*, const void*, std::size_t, void* ud) {
  ++*static_cast<int*>(ud);
  return 7;
}

}  // namespace

TEST_CASE("lua_dump writes a chunk that loads back and runs the same",
          "[lapi]") {
  State s;
  const char* code =
      "local function fib(n) if n < 2 then return n end "
      "return fib(n - 1) + fib(n - 2) end return fib(20), 'text', 2.5";
  for (int strip : {0, 1}) {
    REQUIRE(lapitest::load(s.L, code) == LUA_OK);
    std::string bytes;
    REQUIRE(lua_dump(s.L, appendbytes, &bytes, strip) == 0);
    REQUIRE(bytes.compare(0, 4, LUA_SIGNATURE) == 0);
    lua_pop(s.L, 1);
    REQUIRE(lapitest::load(s.L, bytes, "=dumped", "b") == LUA_OK);
    REQUIRE(lua_pcall(s.L, 0, 3, 0) == LUA_OK);
    REQUIRE(lua_tointeger(s.L, -3) == 6765);
    REQUIRE(str(s.L, -2) == "text");
    REQUIRE(lua_tonumber(s.L, -1) == 2.5);
    lua_settop(s.L, 0);
  }
}

TEST_CASE(
    "lua_dump answers 1 for a C function and stops at a writer's "
    "error",
    "[lapi]") {
  State s;
  lua_pushcfunction(s.L, lapitest::l_yield);
  std::string bytes;
  REQUIRE(lua_dump(s.L, appendbytes, &bytes, 0) == 1);
  REQUIRE(bytes.empty());
  REQUIRE(lapitest::load(s.L, "return 1") == LUA_OK);
  int calls = 0;
  REQUIRE(lua_dump(s.L, refuse, &calls, 0) == 7);
  REQUIRE(calls == 1);
  REQUIRE(lua_gettop(s.L) == 2);  // lua_dump pops nothing
}

namespace {

// Raises its first argument as the error object.
int raise(lua_State* L) {
  lua_settop(L, 1);
  return lua_error(L);
}

// Message handler: "handled: " .. message.
int handler(lua_State* L) {
  lua_pushfstring(L, "handled: %s", lua_tostring(L, 1));
  return 1;
}

// A message handler that fails itself.
int badhandler(lua_State* L) {
  lua_pushstring(L, "again");
  return lua_error(L);
}

int threevalues(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 2);
  lua_pushinteger(L, 3);
  return 3;
}

}  // namespace

TEST_CASE(
    "lua_pcall returns LUA_ERRRUN with the error object, which may be "
    "any value",
    "[lapi]") {
  State s;
  lua_pushinteger(s.L, 100);  // below the call: must stay
  lua_pushcfunction(s.L, raise);
  lua_newtable(s.L);
  lua_pushvalue(s.L, -1);
  lua_insert(s.L, 1);  // keep a reference to the error object at 1
  REQUIRE(lua_pcall(s.L, 1, 0, 0) == LUA_ERRRUN);
  REQUIRE(lua_gettop(s.L) == 3);
  REQUIRE(lua_rawequal(s.L, 1, 3));
  REQUIRE(lua_tointeger(s.L, 2) == 100);
}

TEST_CASE("lua_pcall calls the message handler with the error", "[lapi]") {
  State s;
  lua_pushcfunction(s.L, handler);
  lua_pushcfunction(s.L, raise);
  lua_pushstring(s.L, "boom");
  REQUIRE(lua_pcall(s.L, 1, 0, 1) == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "handled: boom");
  REQUIRE(lua_gettop(s.L) == 2);
}

TEST_CASE("an error inside the message handler gives LUA_ERRERR", "[lapi]") {
  State s;
  lua_pushcfunction(s.L, badhandler);
  lua_pushcfunction(s.L, raise);
  lua_pushstring(s.L, "boom");
  REQUIRE(lua_pcall(s.L, 1, 0, 1) == LUA_ERRERR);
  REQUIRE(str(s.L, -1) == "error in error handling");
}

TEST_CASE("lua_error with the memory error message raises LUA_ERRMEM",
          "[lapi]") {
  State s;
  lua_pushcfunction(s.L, raise);
  lua_pushstring(s.L, "not enough memory");
  REQUIRE(lua_pcall(s.L, 1, 0, 0) == LUA_ERRMEM);
  REQUIRE(str(s.L, -1) == "not enough memory");
  lua_pushcfunction(s.L, raise);
  lua_pushstring(s.L, "not enough memory!");
  REQUIRE(lua_pcall(s.L, 1, 0, 0) == LUA_ERRRUN);
}

TEST_CASE(
    "a runtime error message names the chunk, the line and the "
    "variable",
    "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L, "local x = nil\nreturn x.y", "=chunk") ==
          LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "chunk:2: attempt to index a nil value (local 'x')");
}

TEST_CASE("lua_pcall adjusts the results to the number wanted", "[lapi]") {
  State s;
  for (auto [wanted, expected] :
       std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {5, 5}, {-1, 3}}) {
    lua_settop(s.L, 0);
    lua_pushcfunction(s.L, threevalues);
    REQUIRE(lua_pcall(s.L, 0, wanted, 0) == LUA_OK);
    REQUIRE(lua_gettop(s.L) == expected);
    if (expected >= 1) REQUIRE(lua_tointeger(s.L, 1) == 1);
    if (expected == 5) REQUIRE(lua_isnil(s.L, 5));
  }
}

TEST_CASE("lua_call runs functions with arguments and results", "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "local a, b = ... return b, a, a + b") == LUA_OK);
  lua_pushinteger(s.L, 2);
  lua_pushinteger(s.L, 40);
  lua_call(s.L, 2, LUA_MULTRET);
  REQUIRE(lua_gettop(s.L) == 3);
  REQUIRE(lua_tointeger(s.L, 1) == 40);
  REQUIRE(lua_tointeger(s.L, 3) == 42);
}

namespace {

// Calls the Lua function in upvalue 1 with lua_callk (a continuation that
// is never used outside a coroutine) and returns its results.
int viacallk(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0,
            [](lua_State*, int, lua_KContext) { return 0; });
  return lua_gettop(L);
}

}  // namespace

TEST_CASE("a C function calls Lua and returns its results", "[lapi]") {
  State s;
  REQUIRE(lapitest::load(s.L, "return 'begin', ...") == LUA_OK);
  lua_pushcclosure(s.L, viacallk, 1);
  lua_pushstring(s.L, "a");
  lua_pushstring(s.L, "b");
  REQUIRE(lua_pcall(s.L, 2, LUA_MULTRET, 0) == LUA_OK);
  REQUIRE(lua_gettop(s.L) == 3);
  REQUIRE(str(s.L, 1) == "begin");
  REQUIRE(str(s.L, 3) == "b");
}

TEST_CASE("calling a non-function raises an error naming its type", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 3);
  REQUIRE(lua_pcall(s.L, 0, 0, 0) == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "attempt to call a number value");
}
