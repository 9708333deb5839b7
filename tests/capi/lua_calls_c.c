// lua_calls_c: Lua code calls functions and objects the host provides.
//
// Book: chapter 9 (the C API and the auxiliary library).
//
// What is checked:
//   - functions registered with lua_register receive their arguments and
//     return several results;
//   - luaL_setfuncs with upvalues: each function gets its own copy of the
//     upvalues (a counter), a shared table upvalue is shared; closures made
//     with lua_pushcclosure keep independent state (lua_upvalueindex);
//   - luaL_check and luaL_opt argument errors, with their exact messages,
//     naming the function both when called directly and through pcall;
//   - a userdata type built with luaL_newlib, luaL_newmetatable,
//     luaL_checkudata and luaL_testudata: methods through __index,
//     __tostring through tostring, __name in type errors, and __gc run by
//     the collector for every dropped object;
//   - errors raised from C with luaL_error and lua_error.
#include "capi_check.h"

// ---- plain functions (lua_register) ----

// sum_and_count(...): the integer sum of its arguments, and their number.
static int sum_and_count(lua_State* L) {
  int n = lua_gettop(L);
  lua_Integer sum = 0;
  for (int i = 1; i <= n; i++) sum += luaL_checkinteger(L, i);
  lua_pushinteger(L, sum);
  lua_pushinteger(L, n);
  return 2;
}

static int f(lua_State* L) {
  lua_pushnumber(L, luaL_checknumber(L, 1) * 2);
  return 1;
}

static int need_int(lua_State* L) {
  lua_pushinteger(L, luaL_checkinteger(L, 1));
  return 1;
}

static int need_str(lua_State* L) {
  size_t len = 0;
  luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, (lua_Integer)len);
  return 1;
}

static int need_table(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  return 0;
}

static int need_any(lua_State* L) {
  luaL_checkany(L, 1);
  return 0;
}

// with_defaults([n [, x [, s]]]): n defaults to 10, x to 0.5, s to "dflt".
static int with_defaults(lua_State* L) {
  lua_pushinteger(L, luaL_optinteger(L, 1, 10));
  lua_pushnumber(L, luaL_optnumber(L, 2, 0.5));
  lua_pushstring(L, luaL_optstring(L, 3, "dflt"));
  return 3;
}

static int pick_mode(lua_State* L) {
  static const char* const modes[] = {"fast", "safe", NULL};
  lua_pushinteger(L, luaL_checkoption(L, 1, "safe", modes));
  return 1;
}

static int positive(lua_State* L) {
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_argcheck(L, n > 0, 2, "must be positive");
  lua_pushinteger(L, n);
  return 1;
}

static int fail_formatted(lua_State* L) {
  return luaL_error(L, "bad %s #%d", "thing", 3);
}

static int fail_with_table(lua_State* L) {
  lua_newtable(L);
  lua_pushinteger(L, 404);
  lua_setfield(L, -2, "status");
  return lua_error(L);
}

// ---- upvalues ----

// counter.next(): increments this function's own upvalue and returns it.
static int counter_next(lua_State* L) {
  lua_Integer n = lua_tointeger(L, lua_upvalueindex(1)) + 1;
  lua_pushinteger(L, n);
  lua_copy(L, -1, lua_upvalueindex(1));
  return 1;
}

static int counter_peek(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  return 1;
}

// store.put(k, v) / store.get(k): share one table through their upvalues.
static int store_put(lua_State* L) {
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  lua_settable(L, lua_upvalueindex(1));
  return 0;
}

static int store_get(lua_State* L) {
  lua_settop(L, 1);
  lua_gettable(L, lua_upvalueindex(1));
  return 1;
}

// Upvalue 1: the next value; upvalue 2: the step.
static int stepper(lua_State* L) {
  lua_Integer current = lua_tointeger(L, lua_upvalueindex(1));
  lua_Integer step = lua_tointeger(L, lua_upvalueindex(2));
  lua_pushinteger(L, current + step);
  lua_replace(L, lua_upvalueindex(1));
  lua_pushinteger(L, current);
  return 1;
}

// make_stepper(start, step): a closure over two upvalues.
static int make_stepper(lua_State* L) {
  lua_pushinteger(L, luaL_checkinteger(L, 1));
  lua_pushinteger(L, luaL_optinteger(L, 2, 1));
  lua_pushcclosure(L, stepper, 2);
  return 1;
}

static void register_upvalue_functions(lua_State* L) {
  static const luaL_Reg counter_funcs[] = {
      {"next", counter_next}, {"peek", counter_peek}, {NULL, NULL}};
  static const luaL_Reg store_funcs[] = {
      {"put", store_put}, {"get", store_get}, {NULL, NULL}};
  luaL_newlibtable(L, counter_funcs);
  lua_pushinteger(L, 0);
  luaL_setfuncs(L, counter_funcs, 1);
  lua_setglobal(L, "counter");
  luaL_newlibtable(L, store_funcs);
  lua_newtable(L);
  luaL_setfuncs(L, store_funcs, 1);
  lua_setglobal(L, "store");
  lua_register(L, "make_stepper", make_stepper);
}

// ---- a userdata type ----

#define VEC2 "Vec2"

typedef struct Vec2 {
  lua_Integer x, y;
} Vec2;

static int vec_created = 0;
static int vec_finalized = 0;

static Vec2* push_vec(lua_State* L, lua_Integer x, lua_Integer y) {
  Vec2* v = (Vec2*)lua_newuserdatauv(L, sizeof(Vec2), 0);
  v->x = x;
  v->y = y;
  luaL_setmetatable(L, VEC2);
  vec_created++;
  return v;
}

static int vec_new(lua_State* L) {
  push_vec(L, luaL_checkinteger(L, 1), luaL_checkinteger(L, 2));
  return 1;
}

static int vec_len2(lua_State* L) {
  Vec2* v = (Vec2*)luaL_checkudata(L, 1, VEC2);
  lua_pushinteger(L, v->x * v->x + v->y * v->y);
  return 1;
}

static int vec_add(lua_State* L) {
  Vec2* a = (Vec2*)luaL_checkudata(L, 1, VEC2);
  Vec2* b = (Vec2*)luaL_checkudata(L, 2, VEC2);
  push_vec(L, a->x + b->x, a->y + b->y);
  return 1;
}

static int vec_is(lua_State* L) {
  lua_pushboolean(L, luaL_testudata(L, 1, VEC2) != NULL);
  return 1;
}

static int vec_tostring(lua_State* L) {
  Vec2* v = (Vec2*)luaL_checkudata(L, 1, VEC2);
  lua_pushfstring(L, "Vec2(%I, %I)", (LUAI_UACINT)v->x, (LUAI_UACINT)v->y);
  return 1;
}

static int vec_gc(lua_State* L) {
  luaL_checkudata(L, 1, VEC2);
  vec_finalized++;
  return 0;
}

static void register_vec_library(lua_State* L) {
  static const luaL_Reg methods[] = {
      {"len2", vec_len2}, {"add", vec_add}, {NULL, NULL}};
  static const luaL_Reg metamethods[] = {
      {"__tostring", vec_tostring}, {"__gc", vec_gc}, {NULL, NULL}};
  static const luaL_Reg library[] = {
      {"new", vec_new}, {"len2", vec_len2}, {"is", vec_is}, {NULL, NULL}};
  CHECK(luaL_newmetatable(L, VEC2) == 1);
  CHECK(luaL_newmetatable(L, VEC2) == 0);  // already in the registry
  lua_pop(L, 1);
  luaL_setfuncs(L, metamethods, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newlib(L, library);
  lua_setglobal(L, "vec");
}

static void register_everything(lua_State* L) {
  static const luaL_Reg functions[] = {{"sum_and_count", sum_and_count},
                                       {"f", f},
                                       {"need_int", need_int},
                                       {"need_str", need_str},
                                       {"need_table", need_table},
                                       {"need_any", need_any},
                                       {"with_defaults", with_defaults},
                                       {"pick_mode", pick_mode},
                                       {"positive", positive},
                                       {"fail_formatted", fail_formatted},
                                       {"fail_with_table", fail_with_table},
                                       {NULL, NULL}};
  capi_register(L, functions);
  register_upvalue_functions(L);
  register_vec_library(L);
}

// ---- the Lua side ----

// Each script returns pairs (got, expected) of strings; the host compares
// them, so a mismatch prints both.
static int run_and_compare(lua_State* L, const char* name, const char* code) {
  int base = lua_gettop(L);
  if (capi_run_named(L, code, name) != LUA_OK) {
    fprintf(stderr, "%s: unexpected error: %s\n", name, capi_error_text(L));
    lua_settop(L, base);
    return 1;
  }
  int n = lua_gettop(L) - base, bad = 0;
  if (n == 0 || n % 2 != 0) {
    fprintf(stderr, "%s: expected pairs of results, got %d\n", name, n);
    bad++;
  }
  // LUA_MULTRET results may fill the stack to its reserved top; the two
  // luaL_tolstring calls below need room of their own.
  luaL_checkstack(L, 2, "comparing results");
  for (int i = base + 1; i + 1 <= lua_gettop(L); i += 2) {
    const char* got = luaL_tolstring(L, i, NULL);
    const char* want = luaL_tolstring(L, i + 1, NULL);
    if (strcmp(got, want) != 0) {
      fprintf(stderr, "%s: pair %d: got \"%s\", expected \"%s\"\n", name,
              (i - base + 1) / 2, got, want);
      bad++;
    }
    lua_pop(L, 2);
  }
  lua_settop(L, base);
  return bad;
}

#define CHECK_SCRIPT(L, name, code)                                        \
  capi_check_at(run_and_compare((L), (name), (code)) == 0, name, __FILE__, \
                __LINE__)

static const char* const plain_calls =
    "local s, n = sum_and_count(1, 2, 3, 4)\n"
    "local z, zn = sum_and_count()\n"
    "local a, b, c = with_defaults()\n"
    "local d, e, g = with_defaults(3, nil, 'given')\n"
    "return s, 10, n, 4, z, 0, zn, 0, f(21), 42.0,\n"
    "  a, 10, b, 0.5, c, 'dflt', d, 3, e, 0.5, g, 'given',\n"
    "  pick_mode('fast'), 0, pick_mode(), 1, need_str('hello'), 5,\n"
    "  need_int(3.0), 3, positive(nil, 8), 8\n";

// Argument errors, each raised by one call written in Lua. Called directly,
// the function's name comes from the calling code, and the position is the
// Lua caller's line (luaL_error's level 1).
typedef struct ArgError {
  const char* call;
  const char* message;
} ArgError;

static const ArgError argument_errors[] = {
    {"f(nil)", "bad argument #1 to 'f' (number expected, got nil)"},
    {"f()", "bad argument #1 to 'f' (number expected, got no value)"},
    {"f({})", "bad argument #1 to 'f' (number expected, got table)"},
    {"need_int(3.5)",
     "bad argument #1 to 'need_int' (number has no integer representation)"},
    {"need_str({})",
     "bad argument #1 to 'need_str' (string expected, got table)"},
    {"need_table()",
     "bad argument #1 to 'need_table' (table expected, got no value)"},
    {"need_any()", "bad argument #1 to 'need_any' (value expected)"},
    {"with_defaults('x')",
     "bad argument #1 to 'with_defaults' (number expected, got string)"},
    {"pick_mode('slow')",
     "bad argument #1 to 'pick_mode' (invalid option 'slow')"},
    {"positive(nil, -1)", "bad argument #2 to 'positive' (must be positive)"},
    {"sum_and_count(1, 2, true)",
     "bad argument #3 to 'sum_and_count' (number expected, got boolean)"},
};

static int raises_at(lua_State* L, const char* call, const char* message) {
  char code[256], expected[256];
  snprintf(code, sizeof code, "local r = %s\nreturn r", call);
  snprintf(expected, sizeof expected, "call:1: %s", message);
  int status = capi_run_named(L, code, "=call");
  const char* got = lua_tostring(L, -1);
  int ok = status == LUA_ERRRUN && got != NULL && strcmp(got, expected) == 0;
  if (!ok)
    fprintf(stderr, "%s: expected \"%s\", got \"%s\"\n", call, expected,
            got != NULL ? got : "(not a string)");
  lua_settop(L, 0);
  return ok;
}

// A Vec2 where another type is expected, or the wrong type for a Vec2;
// luaL_typeerror names a userdata by its metatable's __name.
static const ArgError userdata_errors[] = {
    {"vec.len2(42)", "bad argument #1 to 'len2' (Vec2 expected, got number)"},
    {"({len2 = vec.len2}):len2()",
     "calling 'len2' on bad self (Vec2 expected, got table)"},
    {"f(vec.new(1, 2))", "bad argument #1 to 'f' (number expected, got Vec2)"},
};

static void check_errors_at(lua_State* L, const ArgError* errors, size_t n,
                            int line) {
  for (size_t i = 0; i < n; i++)
    capi_check_at(raises_at(L, errors[i].call, errors[i].message),
                  errors[i].call, __FILE__, line);
}
#define CHECK_ERRORS(L, errors) \
  check_errors_at((L), (errors), sizeof errors / sizeof errors[0], __LINE__)

// Through pcall there is neither a calling line nor a name in the code:
// the name is found among the loaded modules' fields instead.
static const char* const errors_through_pcall =
    "return select(2, pcall(f, nil)),\n"
    "    \"bad argument #1 to 'f' (number expected, got nil)\",\n"
    "  select(2, pcall(fail_formatted)), 'bad thing #3',\n"
    "  select(2, pcall(fail_with_table)).status, 404\n";

static const char* const upvalue_calls =
    "local first, second = counter.next(), counter.next()\n"
    "store.put('k', 'v')\n"
    "local odd = make_stepper(1, 2)\n"
    "local tens = make_stepper(10, 10)\n"
    "local o1, t1, o2, o3, t2 = odd(), tens(), odd(), odd(), tens()\n"
    "return first, 1, second, 2, counter.peek(), 0, store.get('k'), 'v',\n"
    "  o1, 1, o2, 3, o3, 5, t1, 10, t2, 20\n";

static const char* const userdata_calls =
    "local v = vec.new(1, 2)\n"
    "local w = v:add(vec.new(3, 4))\n"
    "return v:len2(), 5, w:len2(), 52, tostring(w), 'Vec2(4, 6)',\n"
    "  vec.is(v), true, vec.is({}), false, vec.is(nil), false,\n"
    "  type(v), 'userdata'\n";

static void check_finalizers(lua_State* L) {
  const char* code =
      "for i = 1, 50 do local v = vec.new(i, i) end\n"
      "collectgarbage()\n"
      "collectgarbage()\n";
  int created_before = vec_created;
  CHECK(luaL_dostring(L, code) == LUA_OK);
  CHECK(vec_created == created_before + 50);
  // Everything created so far is garbage now; every one was finalized.
  CHECK(vec_finalized == vec_created);
}

int main(void) {
  lua_State* L = capi_newstate(NULL, NULL);
  if (L == NULL) return capi_finish("lua_calls_c", NULL);
  register_everything(L);
  CHECK(lua_gettop(L) == 0);

  CHECK_SCRIPT(L, "=plain", plain_calls);
  CHECK_ERRORS(L, argument_errors);
  CHECK_SCRIPT(L, "=throughpcall", errors_through_pcall);
  CHECK_SCRIPT(L, "=upvalues", upvalue_calls);
  CHECK_SCRIPT(L, "=userdata", userdata_calls);
  CHECK(vec_created == 3);
  CHECK_ERRORS(L, userdata_errors);
  CHECK(vec_created == 4);
  check_finalizers(L);
  CHECK(lua_gettop(L) == 0);

  // A host-side object is finalized by lua_close.
  push_vec(L, 9, 9);
  lua_setglobal(L, "kept");
  int finalized_before = vec_finalized;
  lua_close(L);
  CHECK(vec_finalized == finalized_before + 1);

  return capi_finish("lua_calls_c", NULL);
}
