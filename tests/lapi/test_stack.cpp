// The stack API: indices, the frame's top, rotation, copies, growth, moves
// between threads, and the pseudo-indices.
#include "support.hpp"

using lapitest::State;
using lapitest::str;

namespace {

void pushints(lua_State* L, int from, int to) {
  for (int i = from; i <= to; i++) lua_pushinteger(L, i);
}

// The stack from bottom to top as "1 2 3".
std::string contents(lua_State* L) {
  std::string out;
  for (int i = 1; i <= lua_gettop(L); i++) {
    if (i > 1) out += ' ';
    lua_pushvalue(L, i);
    out += lapitest::str(L, -1);
    lua_pop(L, 1);
  }
  return out;
}

}  // namespace

TEST_CASE("lua_gettop counts the values pushed in the frame", "[lapi]") {
  State s;
  REQUIRE(lua_gettop(s.L) == 0);
  pushints(s.L, 1, 3);
  REQUIRE(lua_gettop(s.L) == 3);
  lua_pop(s.L, 2);
  REQUIRE(lua_gettop(s.L) == 1);
}

TEST_CASE("lua_settop fills new slots with nil and drops values from the top",
          "[lapi]") {
  State s;
  pushints(s.L, 1, 2);
  lua_settop(s.L, 5);
  REQUIRE(lua_gettop(s.L) == 5);
  for (int i = 3; i <= 5; i++) REQUIRE(lua_type(s.L, i) == LUA_TNIL);
  lua_settop(s.L, -4);  // keep all but the top three
  REQUIRE(contents(s.L) == "1 2");
  lua_settop(s.L, 0);
  REQUIRE(lua_gettop(s.L) == 0);
}

TEST_CASE(
    "lua_absindex turns negative indices into positive ones and keeps "
    "pseudo-indices",
    "[lapi]") {
  State s;
  pushints(s.L, 10, 13);
  REQUIRE(lua_absindex(s.L, -1) == 4);
  REQUIRE(lua_absindex(s.L, -4) == 1);
  REQUIRE(lua_absindex(s.L, 2) == 2);
  REQUIRE(lua_absindex(s.L, LUA_REGISTRYINDEX) == LUA_REGISTRYINDEX);
  REQUIRE(lua_absindex(s.L, lua_upvalueindex(2)) == lua_upvalueindex(2));
}

TEST_CASE("an acceptable index above the top reads as none, not as nil",
          "[lapi]") {
  State s;
  lua_pushnil(s.L);
  REQUIRE(lua_type(s.L, 1) == LUA_TNIL);
  REQUIRE(lua_type(s.L, 2) == LUA_TNONE);
  REQUIRE(lua_isnone(s.L, 5));
  REQUIRE(lua_isnoneornil(s.L, 1));
  REQUIRE_FALSE(lua_isnone(s.L, 1));
  // A none index converts to nothing and compares as false.
  int isnum = 1;
  REQUIRE(lua_tointegerx(s.L, 3, &isnum) == 0);
  REQUIRE(isnum == 0);
  REQUIRE(lua_tolstring(s.L, 3, nullptr) == nullptr);
  REQUIRE(lua_rawequal(s.L, 3, 3) == 0);
  REQUIRE(lua_compare(s.L, 1, 3, LUA_OPEQ) == 0);
}

TEST_CASE("lua_rotate rotates a segment of the stack both ways", "[lapi]") {
  State s;
  pushints(s.L, 1, 5);
  lua_rotate(s.L, 2, 1);
  REQUIRE(contents(s.L) == "1 5 2 3 4");
  lua_rotate(s.L, 2, -1);
  REQUIRE(contents(s.L) == "1 2 3 4 5");
  lua_rotate(s.L, -3, 2);
  REQUIRE(contents(s.L) == "1 2 4 5 3");
  lua_rotate(s.L, 1, 5);  // a full turn changes nothing
  REQUIRE(contents(s.L) == "1 2 4 5 3");
}

TEST_CASE(
    "lua_insert, lua_remove and lua_replace work through lua_rotate "
    "and lua_copy",
    "[lapi]") {
  State s;
  pushints(s.L, 1, 4);
  lua_pushinteger(s.L, 9);
  lua_insert(s.L, 1);
  REQUIRE(contents(s.L) == "9 1 2 3 4");
  lua_remove(s.L, 3);
  REQUIRE(contents(s.L) == "9 1 3 4");
  lua_pushinteger(s.L, 7);
  lua_replace(s.L, 2);
  REQUIRE(contents(s.L) == "9 7 3 4");
}

TEST_CASE("lua_copy overwrites one slot and leaves the source in place",
          "[lapi]") {
  State s;
  pushints(s.L, 1, 3);
  lua_copy(s.L, 1, 3);
  REQUIRE(contents(s.L) == "1 2 1");
  lua_copy(s.L, -2, 1);
  REQUIRE(contents(s.L) == "2 2 1");
}

namespace {

// Keeps its argument in its first upvalue and returns the previous one.
int remember(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_copy(L, 1, lua_upvalueindex(1));
  return 1;
}

}  // namespace

TEST_CASE(
    "lua_copy into an upvalue pseudo-index changes the closure's "
    "upvalue",
    "[lapi]") {
  State s;
  lua_pushstring(s.L, "first");
  lua_pushcclosure(s.L, remember, 1);
  for (const char* arg : {"a", "b"}) {
    lua_pushvalue(s.L, 1);
    lua_pushstring(s.L, arg);
    REQUIRE(lua_pcall(s.L, 1, 1, 0) == LUA_OK);
  }
  REQUIRE(str(s.L, -1) == "a");
  REQUIRE(lua_getupvalue(s.L, 1, 1) != nullptr);
  REQUIRE(str(s.L, -1) == "b");
}

TEST_CASE("lua_pushvalue copies any index, pseudo-indices included", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 5);
  lua_pushvalue(s.L, -1);
  REQUIRE(lua_rawequal(s.L, 1, 2));
  lua_pushvalue(s.L, LUA_REGISTRYINDEX);
  REQUIRE(lua_istable(s.L, -1));
}

TEST_CASE("lua_checkstack grows the stack and refuses past LUAI_MAXSTACK",
          "[lapi]") {
  State s;
  REQUIRE(lua_checkstack(s.L, 5000) == 1);
  for (int i = 0; i < 5000; i++) lua_pushinteger(s.L, i);
  REQUIRE(lua_gettop(s.L) == 5000);
  REQUIRE(lua_tointeger(s.L, -1) == 4999);
  REQUIRE(lua_checkstack(s.L, 1000000) == 0);
  REQUIRE(lua_checkstack(s.L, 10) == 1);
}

TEST_CASE("lua_xmove moves values between threads of one state", "[lapi]") {
  State s;
  lua_State* co = lua_newthread(s.L);
  pushints(s.L, 1, 3);
  lua_xmove(s.L, co, 2);
  REQUIRE(lua_gettop(s.L) == 2);  // the thread and the 1
  REQUIRE(lua_gettop(co) == 2);
  REQUIRE(lua_tointeger(co, 1) == 2);
  REQUIRE(lua_tointeger(co, 2) == 3);
  lua_xmove(co, co, 1);  // to itself: nothing happens
  REQUIRE(lua_gettop(co) == 2);
}

namespace {

// Reports the types of its upvalues 1 to 3 as a string "t1 t2 t3".
int uptypes(lua_State* L) {
  std::string out;
  for (int i = 1; i <= 3; i++) {
    if (i > 1) out += ' ';
    out += lua_typename(L, lua_type(L, lua_upvalueindex(i)));
  }
  lua_pushstring(L, out.c_str());
  return 1;
}

}  // namespace

TEST_CASE("upvalue pseudo-indices past the closure's upvalues read as none",
          "[lapi]") {
  State s;
  lua_pushinteger(s.L, 1);
  lua_pushstring(s.L, "two");
  lua_pushcclosure(s.L, uptypes, 2);
  REQUIRE(lua_pcall(s.L, 0, 1, 0) == LUA_OK);
  REQUIRE(str(s.L, -1) == "number string no value");
  lua_pushcfunction(s.L, uptypes);  // a light C function has none at all
  REQUIRE(lua_pcall(s.L, 0, 1, 0) == LUA_OK);
  REQUIRE(str(s.L, -1) == "no value no value no value");
}

TEST_CASE("the registry holds the main thread and the table of globals",
          "[lapi]") {
  State s;
  REQUIRE(lua_rawgeti(s.L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD) ==
          LUA_TTHREAD);
  REQUIRE(lua_tothread(s.L, -1) == s.L);
  REQUIRE(lua_rawgeti(s.L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS) == LUA_TTABLE);
  lua_pushglobaltable(s.L);
  REQUIRE(lua_rawequal(s.L, -1, -2));
  REQUIRE(lua_pushthread(s.L) == 1);
  REQUIRE(lua_rawequal(s.L, -1, 1));
}
