// yield_k: C functions that yield, and C functions that Lua yields across.
//
// Book: chapter 9 (the C API), exercising chapter 8's coroutines.
//
// The host drives coroutines with lua_newthread + lua_resume and checks the
// values passed in and out and every status. What is checked:
//   - a C function yielding with lua_yieldk: the yielded values reach the
//     resumer, the resume arguments reach the continuation above the
//     function's own arguments, with the context and status LUA_YIELD;
//     a generator keeps its state in the context across many yields;
//   - lua_callk and lua_pcallk around Lua code that yields: the
//     continuation runs on resumption with LUA_YIELD, or with the error
//     status when the Lua code fails after resuming; without a yield the
//     continuation is the C function's own tail;
//   - yielding across lua_call without a continuation, and yielding from
//     the main thread, are errors; an error ends the coroutine;
//   - lua_resetthread (lua_closethread in 5.4.6) on a coroutine suspended
//     with a pending to-be-closed variable runs its __close, returns the
//     status of closing, and leaves a reusable thread.
#include "capi_check.h"

// Closes a suspended or dead coroutine, under either 5.4 name.
static int close_thread(lua_State* co, lua_State* from) {
#if LUA_VERSION_RELEASE_NUM >= 50406
  return lua_closethread(co, from);
#else
  (void)from;
  return lua_resetthread(co);
#endif
}

// ---- lua_yieldk ----

enum { SUM_CONTEXT = 1234 };

static int seen_status = -1;

// Continuation of sum_yield: returns its own arguments, the resume
// arguments that replaced the yielded values, and the context.
static int sum_yield_k(lua_State* L, int status, lua_KContext ctx) {
  seen_status = status;
  lua_pushinteger(L, (lua_Integer)ctx);
  return lua_gettop(L);
}

// sum_yield(a, b): yields a + b and a * b.
static int sum_yield(lua_State* L) {
  lua_Integer a = luaL_checkinteger(L, 1);
  lua_Integer b = luaL_checkinteger(L, 2);
  lua_pushinteger(L, a + b);
  lua_pushinteger(L, a * b);
  return lua_yieldk(L, 2, SUM_CONTEXT, sum_yield_k);
}

// count_up(n): yields 1, 2, ..., n, then returns "done"; the next number
// travels in the context.
static int count_up_k(lua_State* L, int status, lua_KContext ctx) {
  (void)status;
  lua_Integer n = luaL_checkinteger(L, 1);
  lua_settop(L, 1);  // drop the resume arguments
  if ((lua_Integer)ctx > n) {
    lua_pushliteral(L, "done");
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)ctx);
  return lua_yieldk(L, 1, ctx + 1, count_up_k);
}

static int count_up(lua_State* L) {
  return count_up_k(L, LUA_OK, 1);
}

// ---- lua_callk / lua_pcallk ----

enum { CALL_CONTEXT = 77, PCALL_CONTEXT = 88 };

static int call_k_status = -1;

// Continuation of via_callk: returns status, context, then f's results.
static int via_callk_k(lua_State* L, int status, lua_KContext ctx) {
  call_k_status = status;
  lua_pushinteger(L, status);
  lua_pushinteger(L, (lua_Integer)ctx);
  lua_rotate(L, 1, 2);
  return lua_gettop(L);
}

// via_callk(f, ...): calls f(...) with lua_callk, keeping every result.
static int via_callk(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, CALL_CONTEXT, via_callk_k);
  return via_callk_k(L, LUA_OK, CALL_CONTEXT);
}

// Continuation of via_pcallk: returns the status and f's one result (or
// its error value).
static int via_pcallk_k(lua_State* L, int status, lua_KContext ctx) {
  CHECK(ctx == PCALL_CONTEXT);
  lua_pushinteger(L, status);
  lua_insert(L, -2);
  return 2;
}

// via_pcallk(f, x): calls f(x) in protected mode with lua_pcallk.
static int via_pcallk(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 2);
  int status = lua_pcallk(L, 1, 1, 0, PCALL_CONTEXT, via_pcallk_k);
  return via_pcallk_k(L, status, PCALL_CONTEXT);
}

// via_call(f): calls f with lua_call, so f cannot yield.
static int via_call(lua_State* L) {
  lua_settop(L, 1);
  lua_call(L, 0, 0);
  return 0;
}

static int is_yieldable(lua_State* L) {
  lua_pushboolean(L, lua_isyieldable(L));
  return 1;
}

// Lines matter: error messages quote them.
static const char* const script =
    "function sum_body(a, b)\n"                                  // 1
    "  local r1, r2, r3, r4, r5 = sum_yield(a, b)\n"             // 2
    "  return r1, r2, r3, r4, r5\n"                              // 3
    "end\n"                                                      // 4
    "function callk_body(x)\n"                                   // 5
    "  local s, c, r1, r2 = via_callk(function(y)\n"             // 6
    "    local z = coroutine.yield(y + 1)\n"                     // 7
    "    return z * 2, 'inner'\n"                                // 8
    "  end, x)\n"                                                // 9
    "  return s, c, r1, r2\n"                                    // 10
    "end\n"                                                      // 11
    "function pcallk_body(x)\n"                                  // 12
    "  local s, v = via_pcallk(function(m)\n"                    // 13
    "    local r = coroutine.yield('paused ' .. m)\n"            // 14
    "    if r == 'fail' then error('failed after yield') end\n"  // 15
    "    return r\n"                                             // 16
    "  end, x)\n"                                                // 17
    "  return s, v\n"                                            // 18
    "end\n"                                                      // 19
    "function blocked()\n"                                       // 20
    "  via_call(function() coroutine.yield(1) end)\n"            // 21
    "end\n"                                                      // 22
    "closed = {}\n"                                              // 23
    "function guarded(tag, fail)\n"                              // 24
    "  local res <close> = setmetatable({}, {__close = function(_, e)\n"
    "    closed[#closed + 1] = tag .. ':' .. tostring(e)\n"   // 26
    "    if fail then error('close failed', 0) end\n"         // 27
    "  end})\n"                                               // 28
    "  coroutine.yield('holding ' .. tag, is_yieldable())\n"  // 29
    "  return 'unreachable'\n"                                // 30
    "end\n";                                                  // 31

// A fresh coroutine running global `fn`, on top of L's stack.
static lua_State* new_coroutine(lua_State* L, const char* fn) {
  lua_State* co = lua_newthread(L);
  CHECK(lua_getglobal(co, fn) == LUA_TFUNCTION);
  return co;
}

static void check_yieldk_round_trip(lua_State* L) {
  lua_State* co = new_coroutine(L, "sum_body");
  lua_pushinteger(co, 3);
  lua_pushinteger(co, 4);
  int nres = -1;
  CHECK(lua_resume(co, L, 2, &nres) == LUA_YIELD);
  CHECK(lua_status(co) == LUA_YIELD);
  CHECK(nres == 2);
  CHECK(lua_tointeger(co, -2) == 7);
  CHECK(lua_tointeger(co, -1) == 12);
  lua_pop(co, nres);

  lua_pushliteral(co, "x");
  lua_pushliteral(co, "y");
  CHECK(lua_resume(co, L, 2, &nres) == LUA_OK);
  CHECK(seen_status == LUA_YIELD);
  CHECK(lua_status(co) == LUA_OK);
  CHECK(nres == 5);  // a, b, "x", "y", context
  CHECK(lua_tointeger(co, -5) == 3);
  CHECK(lua_tointeger(co, -4) == 4);
  CHECK_STRING(co, -3, "x");
  CHECK_STRING(co, -2, "y");
  CHECK(lua_tointeger(co, -1) == SUM_CONTEXT);
  lua_pop(L, 1);
}

static void check_generator(lua_State* L) {
  lua_State* co = lua_newthread(L);
  lua_pushcfunction(co, count_up);  // a C function as the body
  lua_pushinteger(co, 4);
  int nargs = 1, nres = 0, status;
  lua_Integer expected = 1;
  while ((status = lua_resume(co, L, nargs, &nres)) == LUA_YIELD) {
    CHECK(nres == 1);
    CHECK(lua_tointeger(co, -1) == expected);
    expected++;
    lua_pop(co, nres);
    nargs = 0;
  }
  CHECK(status == LUA_OK);
  CHECK(expected == 5);
  CHECK(nres == 1);
  CHECK_STRING(co, -1, "done");
  lua_pop(L, 1);
}

static void check_callk(lua_State* L) {
  lua_State* co = new_coroutine(L, "callk_body");
  lua_pushinteger(co, 10);
  int nres = 0;
  CHECK(lua_resume(co, L, 1, &nres) == LUA_YIELD);
  CHECK(nres == 1);
  CHECK(lua_tointeger(co, -1) == 11);
  lua_pop(co, nres);
  lua_pushinteger(co, 5);
  CHECK(lua_resume(co, L, 1, &nres) == LUA_OK);
  CHECK(call_k_status == LUA_YIELD);
  CHECK(nres == 4);
  CHECK(lua_tointeger(co, -4) == LUA_YIELD);
  CHECK(lua_tointeger(co, -3) == CALL_CONTEXT);
  CHECK(lua_tointeger(co, -2) == 10);
  CHECK_STRING(co, -1, "inner");
  lua_pop(L, 1);

  // No yield: the C function calls its continuation itself, with LUA_OK.
  const char* direct =
      "return via_callk(function(a, b) return a + b end, 20, 22)";
  CHECK(luaL_dostring(L, direct) == LUA_OK);
  CHECK(call_k_status == LUA_OK);
  CHECK(lua_gettop(L) == 3);
  CHECK(lua_tointeger(L, 1) == LUA_OK);
  CHECK(lua_tointeger(L, 3) == 42);
  lua_settop(L, 0);
}

// Runs pcallk_body in a coroutine, answers its yield with `answer`, and
// leaves the coroutine's two results on its stack.
static lua_State* run_pcallk_body(lua_State* L, const char* answer) {
  lua_State* co = new_coroutine(L, "pcallk_body");
  lua_pushliteral(co, "job");
  int nres = 0;
  CHECK(lua_resume(co, L, 1, &nres) == LUA_YIELD);
  CHECK(nres == 1);
  CHECK_STRING(co, -1, "paused job");
  lua_pop(co, nres);
  lua_pushstring(co, answer);
  CHECK(lua_resume(co, L, 1, &nres) == LUA_OK);
  CHECK(nres == 2);
  return co;
}

static void check_pcallk(lua_State* L) {
  lua_State* co = run_pcallk_body(L, "fine");
  CHECK(lua_tointeger(co, -2) == LUA_YIELD);
  CHECK_STRING(co, -1, "fine");
  lua_pop(L, 1);

  co = run_pcallk_body(L, "fail");
  CHECK(lua_tointeger(co, -2) == LUA_ERRRUN);
  CHECK_STRING(co, -1, "[string \"yield_k\"]:15: failed after yield");
  lua_pop(L, 1);
}

static void check_forbidden_yields(lua_State* L) {
  lua_State* co = new_coroutine(L, "blocked");
  int nres = 0;
  CHECK(lua_resume(co, L, 0, &nres) == LUA_ERRRUN);
  CHECK_STRING(co, -1, "attempt to yield across a C-call boundary");
  CHECK(lua_status(co) == LUA_ERRRUN);  // dead, with its error
  lua_pop(L, 1);

  CHECK(lua_isyieldable(L) == 0);
  CHECK(luaL_loadstring(L, "coroutine.yield(1)") == LUA_OK);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to yield from outside a coroutine");
  lua_settop(L, 0);
}

// Suspends guarded(tag, fail) at its yield, with `res` pending.
static lua_State* suspend_guarded(lua_State* L, const char* tag, int fail) {
  lua_State* co = new_coroutine(L, "guarded");
  lua_pushstring(co, tag);
  lua_pushboolean(co, fail);
  int nres = 0;
  CHECK(lua_resume(co, L, 2, &nres) == LUA_YIELD);
  CHECK(nres == 2);
  CHECK(lua_toboolean(co, -1));  // is_yieldable() inside a coroutine
  lua_pop(co, nres);
  CHECK(lua_status(co) == LUA_YIELD);
  return co;
}

static lua_Unsigned closed_count(lua_State* L) {
  lua_getglobal(L, "closed");
  lua_Unsigned n = lua_rawlen(L, -1);
  lua_pop(L, 1);
  return n;
}

// The __close calls so far are n, and the last one recorded `expected`.
static void check_closed_entry(lua_State* L, int n, const char* expected) {
  CHECK(closed_count(L) == (lua_Unsigned)n);
  lua_getglobal(L, "closed");
  lua_rawgeti(L, -1, n);
  CHECK_STRING(L, -1, expected);
  lua_pop(L, 2);
}

static void check_reset_thread(lua_State* L) {
  lua_State* co = suspend_guarded(L, "a", 0);
  CHECK(closed_count(L) == 0);  // suspended: nothing closed yet
  CHECK(close_thread(co, L) == LUA_OK);
  check_closed_entry(L, 1, "a:nil");
  CHECK(lua_status(co) == LUA_OK);
  CHECK(lua_gettop(co) == 0);

  // The thread can run a new body.
  lua_pushcfunction(co, count_up);
  lua_pushinteger(co, 1);
  int nres = 0;
  CHECK(lua_resume(co, L, 1, &nres) == LUA_YIELD);
  CHECK(lua_tointeger(co, -1) == 1);
  lua_settop(L, 0);

  // A failing __close: the status and the error object come back.
  co = suspend_guarded(L, "b", 1);
  CHECK(close_thread(co, L) == LUA_ERRRUN);
  CHECK(lua_gettop(co) == 1);
  CHECK_STRING(co, -1, "close failed");
  check_closed_entry(L, 2, "b:nil");
  lua_settop(L, 0);
}

// Registers the C functions above and defines the Lua ones below them.
static void load_script(lua_State* L) {
  static const luaL_Reg functions[] = {{"sum_yield", sum_yield},
                                       {"count_up", count_up},
                                       {"via_callk", via_callk},
                                       {"via_pcallk", via_pcallk},
                                       {"via_call", via_call},
                                       {"is_yieldable", is_yieldable},
                                       {NULL, NULL}};
  capi_register(L, functions);
  CHECK_RUN_NAMED(L, script, "yield_k");
}

int main(void) {
  static const CapiStep steps[] = {
      CAPI_STEP(load_script),        CAPI_STEP(check_yieldk_round_trip),
      CAPI_STEP(check_generator),    CAPI_STEP(check_callk),
      CAPI_STEP(check_pcallk),       CAPI_STEP(check_forbidden_yields),
      CAPI_STEP(check_reset_thread),
  };
  return capi_run_steps("yield_k", steps, CAPI_COUNT(steps));
}
