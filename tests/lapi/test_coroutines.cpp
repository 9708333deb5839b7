// Threads and coroutines through the API: lua_newthread, lua_resume,
// lua_yieldk with continuations, lua_pcallk inside a coroutine, status,
// and resetting a thread.
#include "support.hpp"

using lapitest::State;
using lapitest::str;

namespace {

// Starts `code` as the body of a new coroutine; the thread stays on the
// stack of `L`, which anchors it.
lua_State* startcoroutine(lua_State* L, const char* code) {
  lua_State* co = lua_newthread(L);
  REQUIRE(lapitest::load(co, code, "=co") == LUA_OK);
  return co;
}

}  // namespace

TEST_CASE("lua_newthread pushes a thread that shares the globals", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 3);
  lua_setglobal(s.L, "shared");
  lua_State* co = lua_newthread(s.L);
  REQUIRE(lua_type(s.L, -1) == LUA_TTHREAD);
  REQUIRE(lua_tothread(s.L, -1) == co);
  REQUIRE(co != s.L);
  REQUIRE(lua_getglobal(co, "shared") == LUA_TNUMBER);
  REQUIRE(lua_pushthread(co) == 0);  // not the main thread
  REQUIRE(lua_status(co) == LUA_OK);
  REQUIRE(lua_gettop(co) == 2);
}

TEST_CASE("lua_resume runs a coroutine to each yield and to its end",
          "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_State* co = startcoroutine(s.L,
                                 "local a = ... local b = yield(a + 1, 'y') "
                                 "return b * 2");
  int nres = -1;
  lua_pushinteger(co, 10);
  REQUIRE(lua_resume(co, s.L, 1, &nres) == LUA_YIELD);
  REQUIRE(nres == 2);
  REQUIRE(lua_status(co) == LUA_YIELD);
  REQUIRE(lua_tointeger(co, -2) == 11);
  REQUIRE(str(co, -1) == "y");
  lua_pop(co, nres);
  lua_pushinteger(co, 21);
  REQUIRE(lua_resume(co, s.L, 1, &nres) == LUA_OK);
  REQUIRE(nres == 1);
  REQUIRE(lua_tointeger(co, -1) == 42);
  REQUIRE(lua_status(co) == LUA_OK);
}

TEST_CASE("resuming a dead coroutine fails with a message", "[lapi]") {
  State s;
  lua_State* co = startcoroutine(s.L, "return 1");
  int nres = 0;
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_OK);
  lua_pop(co, nres);
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_ERRRUN);
  REQUIRE(str(co, -1) == "cannot resume dead coroutine");
}

TEST_CASE("an error inside a coroutine kills it with the error status",
          "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_State* co = startcoroutine(s.L, "error('inside')");
  int nres = 0;
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_ERRRUN);
  REQUIRE(str(co, -1) == "inside");
  REQUIRE(lua_status(co) == LUA_ERRRUN);
}

namespace {

// Yields its argument + 1 with a continuation; when resumed, `finish`
// returns the value it was resumed with, times the context.
int finish(lua_State* L, int status, lua_KContext ctx) {
  REQUIRE(status == LUA_YIELD);
  lua_pushinteger(L, lua_tointeger(L, -1) * static_cast<lua_Integer>(ctx));
  return 1;
}
int yieldk(lua_State* L) {
  lua_pushinteger(L, lua_tointeger(L, 1) + 1);
  return lua_yieldk(L, 1, 3, finish);
}

}  // namespace

TEST_CASE("lua_yieldk continues a C function in its continuation", "[lapi]") {
  State s;
  lua_pushcfunction(s.L, yieldk);
  lua_setglobal(s.L, "yieldk");
  lua_State* co = startcoroutine(s.L, "return 'r', yieldk(...)");
  int nres = 0;
  lua_pushinteger(co, 4);
  REQUIRE(lua_resume(co, s.L, 1, &nres) == LUA_YIELD);
  REQUIRE(nres == 1);
  REQUIRE(lua_tointeger(co, -1) == 5);
  lua_pop(co, 1);
  lua_pushinteger(co, 7);
  REQUIRE(lua_resume(co, s.L, 1, &nres) == LUA_OK);
  REQUIRE(nres == 2);
  REQUIRE(str(co, -2) == "r");
  REQUIRE(lua_tointeger(co, -1) == 21);
}

namespace {

int pcallkstatus = -1;

// Continuation of `protected`: records the status it finished with.
int afterpcall(lua_State* L, int status, lua_KContext ctx) {
  pcallkstatus = status;
  REQUIRE(ctx == 77);
  return lua_gettop(L);
}

// Calls its argument with lua_pcallk, so the callee may yield.
int protectedcall(lua_State* L) {
  int status = lua_pcallk(L, 0, LUA_MULTRET, 0, 77, afterpcall);
  return afterpcall(L, status, 77);
}

}  // namespace

TEST_CASE(
    "lua_pcallk in a coroutine lets the callee yield and catches its "
    "errors",
    "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_pushcfunction(s.L, protectedcall);
  lua_setglobal(s.L, "pcallk");
  lua_State* co = startcoroutine(
      s.L,
      "local f = ... return pcallk(function() yield('in') return f() "
      "end)");
  REQUIRE(lapitest::load(co, "error('late', 0)") == LUA_OK);
  int nres = 0;
  pcallkstatus = -1;
  REQUIRE(lua_resume(co, s.L, 1, &nres) == LUA_YIELD);
  REQUIRE(str(co, -1) == "in");
  lua_pop(co, nres);
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_OK);
  // The error came after the yield: the continuation saw it.
  REQUIRE(pcallkstatus == LUA_ERRRUN);
  REQUIRE(nres == 1);
  REQUIRE(str(co, -1) == "late");
}

TEST_CASE("lua_pcallk outside a coroutine is an ordinary pcall", "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_pushcfunction(s.L, protectedcall);
  REQUIRE(lapitest::load(s.L, "return 1, 2") == LUA_OK);
  pcallkstatus = -1;
  REQUIRE(lua_pcall(s.L, 1, LUA_MULTRET, 0) == LUA_OK);
  REQUIRE(pcallkstatus == LUA_OK);
  REQUIRE(lua_gettop(s.L) == 2);
}

namespace {

int yieldable(lua_State* L) {
  lua_pushboolean(L, lua_isyieldable(L));
  return 1;
}

}  // namespace

TEST_CASE(
    "lua_isyieldable is false on the main thread and true in a "
    "coroutine",
    "[lapi]") {
  State s;
  REQUIRE(lua_isyieldable(s.L) == 0);
  lua_pushcfunction(s.L, yieldable);
  lua_setglobal(s.L, "isyieldable");
  REQUIRE(lapitest::run(s.L, "return isyieldable()") == LUA_OK);
  REQUIRE(lua_toboolean(s.L, -1) == 0);
  lua_State* co = startcoroutine(s.L, "return isyieldable()");
  int nres = 0;
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_OK);
  REQUIRE(lua_toboolean(co, -1) == 1);
}

TEST_CASE("yielding outside a coroutine is an error", "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  REQUIRE(lapitest::run(s.L, "yield(1)") == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "attempt to yield from outside a coroutine");
}

TEST_CASE("lua_resetthread closes a suspended coroutine's pending variables",
          "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_State* co =
      startcoroutine(s.L,
                     "local x <close> = setmetatable({}, {__close = function() "
                     "closed = true end}) yield() closed = 'not reached'");
  int nres = 0;
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_YIELD);
  REQUIRE(lua_getglobal(s.L, "closed") == LUA_TNIL);
  lua_pop(s.L, 1);
  REQUIRE(lua_resetthread(co) == LUA_OK);
  REQUIRE(lua_getglobal(s.L, "closed") == LUA_TBOOLEAN);
  REQUIRE(lua_status(co) == LUA_OK);
  REQUIRE(lua_gettop(co) == 0);
}

TEST_CASE("lua_resetthread of a coroutine that failed returns its error",
          "[lapi]") {
  State s;
  lapitest::openhelpers(s.L);
  lua_State* co = startcoroutine(s.L, "error('dead')");
  int nres = 0;
  REQUIRE(lua_resume(co, s.L, 0, &nres) == LUA_ERRRUN);
  REQUIRE(lua_resetthread(co) == LUA_ERRRUN);
  REQUIRE(str(co, -1) == "dead");
  REQUIRE(lua_status(co) == LUA_OK);
}
