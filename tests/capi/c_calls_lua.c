// c_calls_lua: a host calls Lua functions and reads their results.
//
// Book: chapter 9 (the C API), exercising chapter 8's calls and errors.
//
// A configuration chunk defines global functions; the host calls them with
// lua_getglobal + lua_pcall. What is checked:
//   - arguments in, and results out: fixed counts (padded with nil or
//     truncated) and LUA_MULTRET;
//   - error statuses and error values: runtime errors with position, error
//     values that are not strings, calling a nil value, syntax errors from
//     luaL_loadstring/luaL_loadbuffer;
//   - a message handler that rewrites the message, one that adds a
//     traceback, and one that fails (LUA_ERRERR);
//   - reading tables back with lua_geti, lua_getfield (returned types,
//     __index honoured, raw access not) and lua_next.
#include "capi_check.h"

// Line numbers matter: error messages quote them.
static const char* const config =
    "function add(a, b) return a + b end\n"                          // 1
    "function divmod(a, b) return a // b, a % b end\n"               // 2
    "function seq(n) if n == 0 then return end\n"                    // 3
    "  return n, seq(n - 1) end\n"                                   // 4
    "function count(...) return select('#', ...) end\n"              // 5
    "function fail(msg) error(msg) end\n"                            // 6
    "function fail_plain(v) error(v, 0) end\n"                       // 7
    "function fail_table() error({code = 42}) end\n"                 // 8
    "function bad_arith(x) return x + 1 end\n"                       // 9
    "function make()\n"                                              // 10
    "  return {10, 20, 30, name = 'cfg', nested = {flag = true}}\n"  // 11
    "end\n"                                                          // 12
    "function fill(t) t.filled = #t end\n"                           // 13
    "function proxy()\n"                                             // 14
    "  return setmetatable({}, {__index = function(_, k)\n"          // 15
    "    return 'virtual ' .. tostring(k) end})\n"                   // 16
    "end\n";                                                         // 17

static void check_arguments_and_results(lua_State* L) {
  CHECK(lua_getglobal(L, "add") == LUA_TFUNCTION);
  lua_pushinteger(L, 2);
  lua_pushinteger(L, 40);
  CHECK(lua_pcall(L, 2, 1, 0) == LUA_OK);
  CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 42);
  lua_settop(L, 0);

  lua_getglobal(L, "add");
  lua_pushnumber(L, 1.5);
  lua_pushinteger(L, 2);
  CHECK(lua_pcall(L, 2, 1, 0) == LUA_OK);
  CHECK(!lua_isinteger(L, -1) && lua_tonumber(L, -1) == 3.5);
  lua_settop(L, 0);

  // Two results exactly, then truncated to one, then padded to three.
  int wanted[] = {2, 1, 3};
  for (int i = 0; i < 3; i++) {
    lua_getglobal(L, "divmod");
    lua_pushinteger(L, 17);
    lua_pushinteger(L, 5);
    CHECK(lua_pcall(L, 2, wanted[i], 0) == LUA_OK);
    CHECK(lua_gettop(L) == wanted[i]);
    CHECK(lua_tointeger(L, 1) == 3);
    if (wanted[i] >= 2) CHECK(lua_tointeger(L, 2) == 2);
    if (wanted[i] == 3) CHECK(lua_isnil(L, 3));
    lua_settop(L, 0);
  }

  // LUA_MULTRET keeps every result, above what was on the stack before.
  lua_pushliteral(L, "below");
  lua_getglobal(L, "seq");
  lua_pushinteger(L, 5);
  CHECK(lua_pcall(L, 1, LUA_MULTRET, 0) == LUA_OK);
  CHECK(lua_gettop(L) == 6);
  CHECK_STRING(L, 1, "below");
  for (int i = 2; i <= 6; i++) CHECK(lua_tointeger(L, i) == 7 - i);
  lua_settop(L, 0);

  // Every argument arrives, nils included.
  lua_getglobal(L, "count");
  lua_pushnil(L);
  lua_pushboolean(L, 0);
  lua_pushnil(L);
  CHECK(lua_pcall(L, 3, 1, 0) == LUA_OK);
  CHECK(lua_tointeger(L, -1) == 3);
  lua_settop(L, 0);
}

// Calls global `name` with one string argument (or none) under `handler`
// (0 for none) and returns the status; the error value stays on top.
static int call_failing(lua_State* L, const char* name, const char* arg,
                        lua_CFunction handler) {
  int base = 0;
  if (handler != NULL) {
    lua_pushcfunction(L, handler);
    base = lua_gettop(L);
  }
  lua_getglobal(L, name);
  int nargs = 0;
  if (arg != NULL) {
    lua_pushstring(L, arg);
    nargs = 1;
  }
  return lua_pcall(L, nargs, 0, base);
}

static void check_error_values(lua_State* L) {
  CHECK(call_failing(L, "fail", "boom", NULL) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "config:6: boom");
  lua_settop(L, 0);

  CHECK(call_failing(L, "fail_plain", "boom", NULL) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "boom");
  lua_settop(L, 0);

  // A non-string error value reaches C unchanged.
  lua_getglobal(L, "fail_plain");
  lua_pushinteger(L, 7);
  CHECK(lua_pcall(L, 1, 0, 0) == LUA_ERRRUN);
  CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 7);
  lua_settop(L, 0);

  CHECK(call_failing(L, "fail_table", NULL, NULL) == LUA_ERRRUN);
  CHECK(lua_istable(L, -1));
  CHECK(lua_getfield(L, -1, "code") == LUA_TNUMBER);
  CHECK(lua_tointeger(L, -1) == 42);
  lua_settop(L, 0);

  lua_getglobal(L, "bad_arith");
  lua_pushnil(L);
  CHECK(lua_pcall(L, 1, 1, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1,
               "config:9: attempt to perform arithmetic on a nil value "
               "(local 'x')");
  lua_settop(L, 0);

  CHECK(lua_getglobal(L, "missing") == LUA_TNIL);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to call a nil value");
  lua_settop(L, 0);
}

static void check_syntax_errors(lua_State* L) {
  CHECK(luaL_loadstring(L, "x = = 1") == LUA_ERRSYNTAX);
  CHECK_STRING(L, -1, "[string \"x = = 1\"]:1: unexpected symbol near '='");
  lua_settop(L, 0);

  const char* code = "local a = 1\nreturn a +";
  CHECK(luaL_loadbuffer(L, code, strlen(code), "=snippet") == LUA_ERRSYNTAX);
  CHECK_STRING(L, -1, "snippet:2: unexpected symbol near <eof>");
  lua_settop(L, 0);
}

static int prefix_handler(lua_State* L) {
  if (lua_type(L, 1) == LUA_TSTRING) {
    lua_pushfstring(L, "handled: %s", lua_tostring(L, 1));
    return 1;
  }
  lua_pushliteral(L, "yes");  // a table error gets a mark instead
  lua_setfield(L, 1, "handled");
  lua_settop(L, 1);
  return 1;
}

static int traceback_handler(lua_State* L) {
  luaL_traceback(L, L, lua_tostring(L, 1), 1);
  return 1;
}

static int failing_handler(lua_State* L) {
  return luaL_error(L, "the handler broke");
}

static void check_message_handlers(lua_State* L) {
  CHECK(call_failing(L, "fail", "boom", prefix_handler) == LUA_ERRRUN);
  CHECK(lua_gettop(L) == 2);  // the handler stays, under the message
  CHECK_STRING(L, -1, "handled: config:6: boom");
  lua_settop(L, 0);

  CHECK(call_failing(L, "fail_table", NULL, prefix_handler) == LUA_ERRRUN);
  CHECK(lua_getfield(L, -1, "handled") == LUA_TSTRING);
  lua_settop(L, 0);

  CHECK(call_failing(L, "fail", "boom", traceback_handler) == LUA_ERRRUN);
  const char* trace = lua_tostring(L, -1);
  const char* head = "config:6: boom\nstack traceback:\n";
  CHECK(trace != NULL && strncmp(trace, head, strlen(head)) == 0);
  CHECK(trace != NULL && strstr(trace, "\n\tconfig:6: in function 'fail'"));
  lua_settop(L, 0);

  CHECK(call_failing(L, "fail", "boom", failing_handler) == LUA_ERRERR);
  CHECK_STRING(L, -1, "error in error handling");
  lua_settop(L, 0);
}

static void check_reading_tables(lua_State* L) {
  lua_getglobal(L, "make");
  CHECK(lua_pcall(L, 0, 1, 0) == LUA_OK);
  int t = lua_gettop(L);
  CHECK(lua_istable(L, t));
  for (lua_Integer i = 1; i <= 3; i++) {
    CHECK(lua_geti(L, t, i) == LUA_TNUMBER);
    CHECK(lua_tointeger(L, -1) == 10 * i);
    lua_pop(L, 1);
  }
  CHECK(lua_geti(L, t, 4) == LUA_TNIL);
  lua_pop(L, 1);
  CHECK(lua_getfield(L, t, "name") == LUA_TSTRING);
  CHECK_STRING(L, -1, "cfg");
  lua_pop(L, 1);
  CHECK(lua_getfield(L, t, "nested") == LUA_TTABLE);
  CHECK(lua_getfield(L, -1, "flag") == LUA_TBOOLEAN);
  CHECK(lua_toboolean(L, -1));
  lua_pop(L, 2);

  // lua_next visits every pair once; the key is left for the next call.
  int pairs = 0, strings = 0;
  lua_Integer sum = 0;
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {
    pairs++;
    if (lua_type(L, -2) == LUA_TNUMBER) sum += lua_tointeger(L, -1);
    if (lua_type(L, -2) == LUA_TSTRING) strings++;
    lua_pop(L, 1);
  }
  CHECK(pairs == 5);
  CHECK(strings == 2);
  CHECK(sum == 60);
  CHECK(lua_gettop(L) == t);

  // A Lua function changes the table the host passed in.
  lua_getglobal(L, "fill");
  lua_pushvalue(L, t);
  CHECK(lua_pcall(L, 1, 0, 0) == LUA_OK);
  CHECK(lua_getfield(L, t, "filled") == LUA_TNUMBER);
  CHECK(lua_tointeger(L, -1) == 3);
  lua_settop(L, 0);
}

static void check_metamethods_when_reading(lua_State* L) {
  lua_getglobal(L, "proxy");
  CHECK(lua_pcall(L, 0, 1, 0) == LUA_OK);
  CHECK(lua_geti(L, 1, 100) == LUA_TSTRING);
  CHECK_STRING(L, -1, "virtual 100");
  CHECK(lua_getfield(L, 1, "key") == LUA_TSTRING);
  CHECK_STRING(L, -1, "virtual key");
  CHECK(lua_rawgeti(L, 1, 100) == LUA_TNIL);
  lua_pushliteral(L, "key");
  CHECK(lua_rawget(L, 1) == LUA_TNIL);
  lua_pushnil(L);
  CHECK(lua_next(L, 1) == 0);  // no real pairs at all
  lua_settop(L, 0);
}

// Defines the functions the other steps call.
static void load_config(lua_State* L) {
  CHECK_RUN_NAMED(L, config, "=config");
}

int main(void) {
  static const CapiStep steps[] = {
      CAPI_STEP(load_config),
      CAPI_STEP(check_arguments_and_results),
      CAPI_STEP(check_error_values),
      CAPI_STEP(check_syntax_errors),
      CAPI_STEP(check_message_handlers),
      CAPI_STEP(check_reading_tables),
      CAPI_STEP(check_metamethods_when_reading),
  };
  return capi_run_steps("c_calls_lua", steps, CAPI_COUNT(steps));
}
