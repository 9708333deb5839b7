// Upvalues, userdata user values, to-be-closed slots, warnings and the
// state-wide settings.
#include "support.hpp"

using lapitest::State;
using lapitest::str;

namespace {

// A counter: its upvalue counts the calls.
int counter(lua_State* L) {
  lua_Integer n = lua_tointeger(L, lua_upvalueindex(1)) + 1;
  lua_pushinteger(L, n);
  lua_replace(L, lua_upvalueindex(1));
  lua_pushinteger(L, n);
  return 1;
}

}  // namespace

TEST_CASE("a C closure keeps its upvalues between calls", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 0);
  lua_pushcclosure(s.L, counter, 1);
  REQUIRE(lua_gettop(s.L) == 1);  // the upvalue left the stack
  for (int i = 1; i <= 3; i++) {
    lua_pushvalue(s.L, 1);
    lua_call(s.L, 0, 1);
    REQUIRE(lua_tointeger(s.L, -1) == i);
    lua_pop(s.L, 1);
  }
}

TEST_CASE("lua_getupvalue and lua_setupvalue reach C and Lua upvalues",
          "[lapi]") {
  State s;
  lua_pushinteger(s.L, 5);
  lua_pushcclosure(s.L, counter, 1);                        // 1
  REQUIRE(std::string(lua_getupvalue(s.L, 1, 1)).empty());  // C: no name
  REQUIRE(lua_tointeger(s.L, -1) == 5);
  lua_pop(s.L, 1);
  REQUIRE(lua_getupvalue(s.L, 1, 2) == nullptr);
  REQUIRE(lua_getupvalue(s.L, 1, 0) == nullptr);
  REQUIRE(lua_gettop(s.L) == 1);  // nothing pushed for a missing upvalue
  lua_pushinteger(s.L, 41);
  REQUIRE(std::string(lua_setupvalue(s.L, 1, 1)).empty());
  lua_pushvalue(s.L, 1);
  lua_call(s.L, 0, 1);
  REQUIRE(lua_tointeger(s.L, -1) == 42);
  lua_settop(s.L, 0);

  REQUIRE(lapitest::run(s.L,
                        "local secret = 'v' return function() "
                        "return secret end") == LUA_OK);
  REQUIRE(std::string(lua_getupvalue(s.L, 1, 1)) == "secret");
  REQUIRE(str(s.L, -1) == "v");
  lua_pushstring(s.L, "changed");
  REQUIRE(std::string(lua_setupvalue(s.L, 1, 1)) == "secret");
  lua_pushinteger(s.L, 0);
  REQUIRE(lua_setupvalue(s.L, 1, 2) == nullptr);
  REQUIRE(lua_gettop(s.L) == 3);  // not popped: no such upvalue
  lua_settop(s.L, 1);
  lua_call(s.L, 0, 1);
  REQUIRE(str(s.L, -1) == "changed");
}

TEST_CASE(
    "lua_upvalueid identifies shared upvalues; lua_upvaluejoin shares "
    "them",
    "[lapi]") {
  State s;
  REQUIRE(lapitest::run(s.L,
                        "local a, b = 'a', 'b' "
                        "return function() return a end, "
                        "function() return b end, function() return a end") ==
          LUA_OK);
  REQUIRE(lua_upvalueid(s.L, 1, 1) == lua_upvalueid(s.L, 3, 1));
  REQUIRE(lua_upvalueid(s.L, 1, 1) != lua_upvalueid(s.L, 2, 1));
  REQUIRE(lua_upvalueid(s.L, 1, 2) == nullptr);
  lua_upvaluejoin(s.L, 2, 1, 1, 1);
  REQUIRE(lua_upvalueid(s.L, 2, 1) == lua_upvalueid(s.L, 1, 1));
  lua_pushvalue(s.L, 2);
  lua_call(s.L, 0, 1);
  REQUIRE(str(s.L, -1) == "a");
  // C closures: each upvalue is its own; light functions have none.
  lua_pushinteger(s.L, 1);
  lua_pushinteger(s.L, 2);
  lua_pushcclosure(s.L, counter, 2);
  REQUIRE(lua_upvalueid(s.L, -1, 1) != nullptr);
  REQUIRE(lua_upvalueid(s.L, -1, 1) != lua_upvalueid(s.L, -1, 2));
  REQUIRE(lua_upvalueid(s.L, -1, 3) == nullptr);
  lua_pushcfunction(s.L, counter);
  REQUIRE(lua_upvalueid(s.L, -1, 1) == nullptr);
}

TEST_CASE("a full userdata has the user values it was created with", "[lapi]") {
  State s;
  auto* block = static_cast<unsigned char*>(lua_newuserdatauv(s.L, 16, 2));
  for (int i = 0; i < 16; i++) block[i] = static_cast<unsigned char>(i);
  REQUIRE(lua_rawlen(s.L, 1) == 16);
  lua_pushstring(s.L, "one");
  REQUIRE(lua_setiuservalue(s.L, 1, 1) == 1);
  lua_newtable(s.L);
  REQUIRE(lua_setiuservalue(s.L, 1, 2) == 1);
  lua_pushinteger(s.L, 3);
  REQUIRE(lua_setiuservalue(s.L, 1, 3) == 0);
  REQUIRE(lua_gettop(s.L) == 1);  // popped even when not stored
  REQUIRE(lua_getiuservalue(s.L, 1, 1) == LUA_TSTRING);
  REQUIRE(str(s.L, -1) == "one");
  REQUIRE(lua_getiuservalue(s.L, 1, 2) == LUA_TTABLE);
  REQUIRE(lua_getiuservalue(s.L, 1, 3) == LUA_TNONE);
  REQUIRE(lua_isnil(s.L, -1));  // a nil is pushed anyway
  REQUIRE(lua_getiuservalue(s.L, 1, 0) == LUA_TNONE);
  REQUIRE(lua_gettop(s.L) == 5);
  REQUIRE(block[15] == 15);
  lua_gc(s.L, LUA_GCCOLLECT);  // the user values are kept alive
  REQUIRE(lua_getiuservalue(s.L, 1, 1) == LUA_TSTRING);
}

TEST_CASE("lua_newuserdata gives one user value and a new one starts nil",
          "[lapi]") {
  State s;
  lua_newuserdata(s.L, 0);
  REQUIRE(lua_getuservalue(s.L, 1) == LUA_TNIL);
  REQUIRE(lua_getiuservalue(s.L, 1, 2) == LUA_TNONE);
  lua_newuserdatauv(s.L, 4, 0);
  REQUIRE(lua_getiuservalue(s.L, -1, 1) == LUA_TNONE);
}

namespace {

struct Closes {
  int calls = 0;
  std::string error;  // the second argument of the last call
};
Closes closes;

int onclose(lua_State* L) {
  closes.calls++;
  closes.error = lua_isnil(L, 2) ? "nil" : str(L, 2);
  return 0;
}

// Pushes a table whose __close is `onclose`.
void pushclosable(lua_State* L) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushcfunction(L, onclose);
  lua_setfield(L, -2, "__close");
  lua_setmetatable(L, -2);
}

// The C functions under test, each marking a slot to be closed.
int closeonreturn(lua_State* L) {
  pushclosable(L);
  lua_toclose(L, -1);
  lua_pushstring(L, "result");
  return 1;
}
int closebysettop(lua_State* L) {
  lua_pushinteger(L, 1);
  pushclosable(L);
  lua_toclose(L, -1);
  lua_pushinteger(L, 2);
  lua_settop(L, 1);  // drops the marked slot: it is closed here
  lua_pushinteger(L, closes.calls);
  return 1;
}
int closebycloseslot(lua_State* L) {
  pushclosable(L);
  lua_toclose(L, 1);
  lua_closeslot(L, 1);
  lua_pushboolean(L, lua_isnil(L, 1));
  lua_pushinteger(L, closes.calls);
  return 2;
}
int closeonerror(lua_State* L) {
  pushclosable(L);
  lua_toclose(L, -1);
  lua_pushstring(L, "boom");
  return lua_error(L);
}
int notclosable(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_toclose(L, -1);
  return 0;
}
int falsenotclosed(lua_State* L) {
  lua_pushnil(L);
  lua_toclose(L, -1);
  lua_pushboolean(L, 0);
  lua_toclose(L, -1);
  lua_pushstring(L, "fine");
  return 1;
}

// Calls `f` protected and returns its status.
int callprotected(lua_State* L, lua_CFunction f, int nresults) {
  lua_pushcfunction(L, f);
  return lua_pcall(L, 0, nresults, 0);
}

}  // namespace

TEST_CASE("lua_toclose closes the slot when the C function returns", "[lapi]") {
  State s;
  closes = {};
  REQUIRE(callprotected(s.L, closeonreturn, 1) == LUA_OK);
  REQUIRE(closes.calls == 1);
  REQUIRE(closes.error == "nil");
  REQUIRE(str(s.L, -1) == "result");
}

TEST_CASE("lua_settop below a to-be-closed slot closes it", "[lapi]") {
  State s;
  closes = {};
  REQUIRE(callprotected(s.L, closebysettop, 1) == LUA_OK);
  REQUIRE(lua_tointeger(s.L, -1) == 1);  // closed before the function ended
  REQUIRE(closes.calls == 1);
}

TEST_CASE("lua_closeslot closes the slot and sets it to nil", "[lapi]") {
  State s;
  closes = {};
  REQUIRE(callprotected(s.L, closebycloseslot, 2) == LUA_OK);
  REQUIRE(lua_toboolean(s.L, -2) == 1);
  REQUIRE(lua_tointeger(s.L, -1) == 1);
  REQUIRE(closes.calls == 1);  // not closed again on return
}

TEST_CASE("an error closes the slot with the error object", "[lapi]") {
  State s;
  closes = {};
  REQUIRE(callprotected(s.L, closeonerror, 0) == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "boom");
  REQUIRE(closes.calls == 1);
  REQUIRE(closes.error == "boom");
}

TEST_CASE("lua_toclose refuses a value without __close", "[lapi]") {
  State s;
  REQUIRE(callprotected(s.L, notclosable, 0) == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "variable '(C temporary)' got a non-closable value");
}

TEST_CASE("nil and false can be marked to be closed without __close",
          "[lapi]") {
  State s;
  REQUIRE(callprotected(s.L, falsenotclosed, 1) == LUA_OK);
  REQUIRE(str(s.L, -1) == "fine");
}

namespace {

std::string warnings;

void collectwarnings(void* ud, const char* msg, int tocont) {
  REQUIRE(ud == &warnings);
  warnings += msg;
  warnings += tocont ? "+" : "|";
}

}  // namespace

TEST_CASE("lua_warning sends its pieces to the warning function", "[lapi]") {
  State s;
  warnings.clear();
  lua_warning(s.L, "lost", 0);  // no warning function yet
  lua_setwarnf(s.L, collectwarnings, &warnings);
  lua_warning(s.L, "one ", 1);
  lua_warning(s.L, "two", 0);
  REQUIRE(warnings == "one +two|");
  lua_setwarnf(s.L, nullptr, nullptr);
  lua_warning(s.L, "off", 0);
  REQUIRE(warnings == "one +two|");
}

namespace {

int panicking(lua_State*) {
  return 0;
}

}  // namespace

TEST_CASE("lua_atpanic answers the previous panic function", "[lapi]") {
  State s;
  lua_CFunction first = lua_atpanic(s.L, panicking);
  REQUIRE(lua_atpanic(s.L, first) == panicking);
}

TEST_CASE("lua_version and lua_setcstacklimit answer fixed values", "[lapi]") {
  State s;
  REQUIRE(lua_version(s.L) == 504);
  REQUIRE(lua_setcstacklimit(s.L, 1000) == 200);
}

TEST_CASE(
    "lua_getextraspace gives each thread a copy of the main thread's "
    "bytes",
    "[lapi]") {
  State s;
  void* mark = &s;
  std::memcpy(lua_getextraspace(s.L), &mark, sizeof mark);
  lua_State* co = lua_newthread(s.L);
  void* copied = nullptr;
  std::memcpy(&copied, lua_getextraspace(co), sizeof copied);
  REQUIRE(copied == mark);
}
