// stack_api: the virtual stack and the values crossing it, one call at a
// time.
//
// Book: chapter 9 (the C API and the auxiliary library).
//
// Every exchange between C and Lua goes through the stack; this program
// checks the calls that reshape it and the ones that convert, compare,
// combine, buffer, reference, trace, dump and load what it holds. The Lua
// code it runs uses only the base and coroutine libraries.
#include <math.h>

#include "capi_check.h"

// The whole stack must hold exactly these integers, bottom to top.
static void check_ints_at(lua_State* L, const lua_Integer* want, int n,
                          int line) {
  int ok = lua_gettop(L) == n;
  for (int i = 1; ok && i <= n; i++)
    ok = lua_isinteger(L, i) && lua_tointeger(L, i) == want[i - 1];
  if (!ok) {
    fprintf(stderr, "%s:%d: stack is", __FILE__, line);
    for (int i = 1; i <= lua_gettop(L); i++)
      fprintf(stderr, " %s", luaL_typename(L, i));
    fprintf(stderr, "; values:");
    for (int i = 1; i <= lua_gettop(L); i++)
      fprintf(stderr, " %lld", (long long)lua_tointeger(L, i));
    fprintf(stderr, "\n");
  }
  capi_check_at(ok, "stack contents", __FILE__, line);
}
#define CHECK_INTS(L, ...)                                           \
  do {                                                               \
    const lua_Integer want_[] = {__VA_ARGS__};                       \
    check_ints_at((L), want_, (int)(sizeof want_ / sizeof want_[0]), \
                  __LINE__);                                         \
  } while (0)

static void push_ints(lua_State* L, int from, int to) {
  for (int i = from; i <= to; i++) lua_pushinteger(L, i);
}

// ---- indices and reshaping ----

static void check_absindex(lua_State* L) {
  push_ints(L, 1, 3);
  CHECK(lua_absindex(L, -1) == 3);
  CHECK(lua_absindex(L, -3) == 1);
  CHECK(lua_absindex(L, 2) == 2);
  CHECK(lua_absindex(L, LUA_REGISTRYINDEX) == LUA_REGISTRYINDEX);
  CHECK(lua_absindex(L, lua_upvalueindex(2)) == lua_upvalueindex(2));
  lua_settop(L, 0);
}

static void check_rotate_and_friends(lua_State* L) {
  push_ints(L, 1, 5);
  lua_rotate(L, 2, 1);
  CHECK_INTS(L, 1, 5, 2, 3, 4);
  lua_rotate(L, 2, -1);
  CHECK_INTS(L, 1, 2, 3, 4, 5);
  lua_rotate(L, 1, 2);
  CHECK_INTS(L, 4, 5, 1, 2, 3);
  lua_rotate(L, -2, 1);  // the two on top swap
  CHECK_INTS(L, 4, 5, 1, 3, 2);
  lua_settop(L, 0);

  push_ints(L, 1, 4);
  lua_copy(L, 1, 3);
  CHECK_INTS(L, 1, 2, 1, 4);
  lua_copy(L, -1, 1);
  CHECK_INTS(L, 4, 2, 1, 4);
  lua_settop(L, 0);

  push_ints(L, 1, 4);
  lua_insert(L, 1);
  CHECK_INTS(L, 4, 1, 2, 3);
  lua_remove(L, 2);
  CHECK_INTS(L, 4, 2, 3);
  lua_replace(L, 1);
  CHECK_INTS(L, 3, 2);
  lua_pushvalue(L, 1);
  CHECK_INTS(L, 3, 2, 3);
  lua_settop(L, 5);  // growing fills with nil
  CHECK(lua_gettop(L) == 5 && lua_isnil(L, 4) && lua_isnil(L, 5));
  lua_pop(L, 3);
  CHECK_INTS(L, 3, 2);
  lua_settop(L, -2);
  CHECK_INTS(L, 3);
  lua_settop(L, 0);
}

static void check_checkstack(lua_State* L) {
  CHECK(lua_checkstack(L, 5000));
  for (int i = 1; i <= 5000; i++) lua_pushinteger(L, i);
  CHECK(lua_gettop(L) == 5000);
  CHECK(lua_tointeger(L, -1) == 5000 && lua_tointeger(L, 1) == 1);
  lua_settop(L, 0);
  CHECK(!lua_checkstack(L, 5000000));  // more than a stack may ever hold
  CHECK(luaL_dostring(L, "return 1") == LUA_OK);  // and nothing broke
  lua_settop(L, 0);
}

static void check_xmove(lua_State* L) {
  lua_State* co = lua_newthread(L);
  push_ints(L, 1, 3);
  lua_xmove(L, co, 2);
  CHECK_INTS(co, 2, 3);
  CHECK(lua_gettop(L) == 2 && lua_tointeger(L, 2) == 1);
  lua_xmove(co, L, 1);
  CHECK_INTS(co, 2);
  CHECK(lua_gettop(L) == 3 && lua_tointeger(L, 3) == 3);
  lua_settop(L, 0);
}

// ---- to-be-closed slots ----

enum { MAX_CLOSES = 16 };
static lua_Integer close_order[MAX_CLOSES];
static int closes = 0;
static int close_error_was_nil = 0;

static int on_close(lua_State* L) {
  lua_getfield(L, 1, "id");
  if (closes < MAX_CLOSES) close_order[closes] = lua_tointeger(L, -1);
  closes++;
  close_error_was_nil = lua_isnil(L, 2);
  if (!close_error_was_nil) {
    lua_pushvalue(L, 2);
    lua_setglobal(L, "close_error");
  }
  return 0;
}

// Pushes the table {[field] = v} with metatable `tname` of the registry,
// which the first call makes from `metamethods`.
static void push_object(lua_State* L, const char* field, lua_Integer v,
                        const char* tname, const luaL_Reg* metamethods) {
  lua_newtable(L);
  lua_pushinteger(L, v);
  lua_setfield(L, -2, field);
  if (luaL_newmetatable(L, tname)) luaL_setfuncs(L, metamethods, 0);
  lua_setmetatable(L, -2);
}

// Pushes a table whose __close records its id.
static void push_closable(lua_State* L, lua_Integer id) {
  static const luaL_Reg metamethods[] = {{"__close", on_close}, {NULL, NULL}};
  push_object(L, "id", id, "Closable", metamethods);
}

static int tbc_scope(lua_State* L) {
  push_closable(L, 1);
  lua_toclose(L, -1);  // slot 1
  lua_pushinteger(L, 100);
  push_closable(L, 2);
  lua_toclose(L, -1);  // slot 3
  lua_pushinteger(L, 200);
  lua_settop(L, 3);  // removes only a plain value
  CHECK(closes == 0);
  lua_settop(L, 2);  // slot 3 goes: closed now
  CHECK(closes == 1 && close_order[0] == 2);
  CHECK(close_error_was_nil);
  lua_closeslot(L, 1);  // closed early, and left as nil
  CHECK(closes == 2 && close_order[1] == 1);
  CHECK(lua_isnil(L, 1));
  push_closable(L, 3);
  lua_toclose(L, -1);
  lua_pop(L, 1);  // popping a marked slot closes it too
  CHECK(closes == 3 && close_order[2] == 3);
  push_closable(L, 4);
  lua_toclose(L, -1);  // still pending at return
  return 0;
}

static int tbc_then_error(lua_State* L) {
  push_closable(L, 5);
  lua_toclose(L, -1);
  return luaL_error(L, "scope failed");
}

static void check_toclose(lua_State* L) {
  lua_pushcfunction(L, tbc_scope);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_OK);
  CHECK(closes == 4 && close_order[3] == 4);  // closed by the return

  lua_pushcfunction(L, tbc_then_error);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "scope failed");
  CHECK(closes == 5 && close_order[4] == 5);
  CHECK(!close_error_was_nil);  // __close saw the error object
  lua_getglobal(L, "close_error");
  CHECK_STRING(L, -1, "scope failed");
  lua_settop(L, 0);
}

// ---- comparing ----

static int less_by_v(lua_State* L) {
  lua_getfield(L, 1, "v");
  lua_getfield(L, 2, "v");
  lua_pushboolean(L, lua_tointeger(L, -2) < lua_tointeger(L, -1));
  return 1;
}

static int always_equal(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

// Pushes a table ordered by its field v, and equal to any other such one.
static void push_ordered(lua_State* L, lua_Integer v) {
  static const luaL_Reg metamethods[] = {
      {"__lt", less_by_v}, {"__eq", always_equal}, {NULL, NULL}};
  push_object(L, "v", v, "Ordered", metamethods);
}

static void check_comparisons(lua_State* L) {
  lua_pushinteger(L, 1);         // 1
  lua_pushnumber(L, 1.0);        // 2
  lua_pushliteral(L, "1");       // 3
  lua_pushinteger(L, 2);         // 4
  CHECK(lua_rawequal(L, 1, 2));  // same number, different subtypes
  CHECK(!lua_rawequal(L, 1, 3));
  CHECK(lua_compare(L, 1, 2, LUA_OPEQ));
  CHECK(!lua_compare(L, 1, 3, LUA_OPEQ));  // no coercion in ==
  CHECK(lua_compare(L, 1, 4, LUA_OPLT));
  CHECK(!lua_compare(L, 4, 1, LUA_OPLT));
  CHECK(lua_compare(L, 2, 1, LUA_OPLE));
  CHECK(!lua_compare(L, 1, 5, LUA_OPEQ));  // 5 is not a valid index
  CHECK(!lua_rawequal(L, 1, 5));
  lua_settop(L, 0);

  push_ordered(L, 1);
  push_ordered(L, 2);
  CHECK(lua_compare(L, 1, 2, LUA_OPLT));
  CHECK(!lua_compare(L, 2, 1, LUA_OPLT));
  CHECK(lua_compare(L, 1, 2, LUA_OPEQ));  // through __eq
  CHECK(!lua_rawequal(L, 1, 2));
  CHECK(lua_rawequal(L, 1, 1));
  lua_settop(L, 0);
}

// ---- arithmetic, concatenation, length ----

// Calls lua_arith(op) on the values above it, in protected mode.
static int protected_arith(lua_State* L) {
  lua_arith(L, (int)lua_tointeger(L, lua_upvalueindex(1)));
  return 1;
}

// Applies op to the integers a (and b, for a binary op) under lua_pcall;
// leaves the result or the error message on top and returns the status.
static int arith_status(lua_State* L, int op, int nargs) {
  lua_pushinteger(L, op);
  lua_pushcclosure(L, protected_arith, 1);
  lua_insert(L, -1 - nargs);
  return lua_pcall(L, nargs, 1, 0);
}

static void check_arith_ok(lua_State* L) {
  lua_pushinteger(L, 7);
  lua_pushinteger(L, 2);
  lua_arith(L, LUA_OPIDIV);
  CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 3);
  lua_pushinteger(L, 2);
  lua_arith(L, LUA_OPDIV);
  CHECK(!lua_isinteger(L, -1) && lua_tonumber(L, -1) == 1.5);
  lua_settop(L, 0);

  lua_pushinteger(L, 2);
  lua_pushinteger(L, 10);
  lua_arith(L, LUA_OPPOW);
  CHECK(!lua_isinteger(L, -1) && lua_tonumber(L, -1) == 1024.0);
  lua_pushinteger(L, -7);
  lua_pushinteger(L, 3);
  lua_arith(L, LUA_OPMOD);
  CHECK(lua_tointeger(L, -1) == 2);  // the sign of the divisor
  lua_pushnumber(L, 7.5);
  lua_pushinteger(L, 2);
  lua_arith(L, LUA_OPMOD);
  CHECK(lua_tonumber(L, -1) == 1.5);
  lua_settop(L, 0);

  lua_pushinteger(L, 5);
  lua_arith(L, LUA_OPUNM);
  CHECK(lua_tointeger(L, -1) == -5);
  lua_pushinteger(L, 0);
  lua_arith(L, LUA_OPBNOT);
  CHECK(lua_tointeger(L, -1) == -1);
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 62);
  lua_arith(L, LUA_OPSHL);
  CHECK(lua_tointeger(L, -1) == (lua_Integer)1 << 62);
  lua_pushinteger(L, -1);
  lua_pushinteger(L, 63);
  lua_arith(L, LUA_OPSHR);  // a logical shift
  CHECK(lua_tointeger(L, -1) == 1);
  lua_pushnumber(L, 3.0);
  lua_pushinteger(L, 5);
  lua_arith(L, LUA_OPBAND);  // floats with an exact integer value convert
  CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 1);
  lua_pushinteger(L, LUA_MAXINTEGER);
  lua_pushinteger(L, 1);
  lua_arith(L, LUA_OPADD);  // integers wrap around
  CHECK(lua_tointeger(L, -1) == LUA_MININTEGER);
  lua_settop(L, 0);
}

static void check_arith_errors(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 0);
  CHECK(arith_status(L, LUA_OPIDIV, 2) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to divide by zero");
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 0);
  CHECK(arith_status(L, LUA_OPMOD, 2) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to perform 'n%0'");
  lua_pushnumber(L, 1.5);
  lua_pushinteger(L, 1);
  CHECK(arith_status(L, LUA_OPBOR, 2) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "number has no integer representation");
  lua_newtable(L);
  lua_pushinteger(L, 1);
  CHECK(arith_status(L, LUA_OPADD, 2) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to perform arithmetic on a table value");
  lua_pushboolean(L, 1);
  CHECK(arith_status(L, LUA_OPUNM, 1) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to perform arithmetic on a boolean value");
  lua_pushinteger(L, 1);
  lua_pushinteger(L, 0);
  CHECK(arith_status(L, LUA_OPDIV, 2) == LUA_OK);  // float division: inf
  CHECK(isinf(lua_tonumber(L, -1)));
  lua_settop(L, 0);
}

static int concat_tables(lua_State* L) {
  lua_pushliteral(L, "<joined>");
  return 1;
}

static int protected_concat(lua_State* L) {
  lua_concat(L, lua_gettop(L));
  return 1;
}

static void check_concat(lua_State* L) {
  lua_pushliteral(L, "a");
  lua_pushinteger(L, 1);
  lua_pushnumber(L, 2.5);
  lua_pushnumber(L, 3.0);
  lua_concat(L, 4);
  CHECK(lua_gettop(L) == 1);
  CHECK_STRING(L, 1, "a12.53.0");
  lua_concat(L, 0);  // pushes the empty string
  CHECK(lua_gettop(L) == 2 && lua_type(L, 2) == LUA_TSTRING);
  CHECK(lua_rawlen(L, 2) == 0);
  lua_pushinteger(L, 7);
  lua_concat(L, 1);  // does nothing: the number stays a number
  CHECK(lua_type(L, 3) == LUA_TNUMBER);
  lua_settop(L, 0);

  lua_newtable(L);
  lua_newtable(L);
  lua_pushcfunction(L, concat_tables);
  lua_setfield(L, -2, "__concat");
  lua_setmetatable(L, -2);
  lua_pushliteral(L, "x");
  lua_concat(L, 2);
  CHECK_STRING(L, -1, "<joined>");
  lua_settop(L, 0);

  lua_pushcfunction(L, protected_concat);
  lua_pushliteral(L, "x");
  lua_pushboolean(L, 1);
  CHECK(lua_pcall(L, 2, 1, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to concatenate a boolean value");
  lua_settop(L, 0);
}

static int length_many(lua_State* L) {
  lua_pushliteral(L, "many");
  return 1;
}

static int protected_len(lua_State* L) {
  lua_len(L, 1);
  return 1;
}

static int protected_luaL_len(lua_State* L) {
  lua_pushinteger(L, luaL_len(L, 1));
  return 1;
}

static void check_lengths(lua_State* L) {
  lua_pushliteral(L, "hello");
  lua_len(L, 1);
  CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 5);
  CHECK(lua_rawlen(L, 1) == 5);
  lua_settop(L, 0);

  lua_createtable(L, 3, 0);
  for (int i = 1; i <= 3; i++) {
    lua_pushinteger(L, i);
    lua_rawseti(L, 1, i);
  }
  lua_len(L, 1);
  CHECK(lua_tointeger(L, -1) == 3);
  lua_pop(L, 1);
  CHECK(luaL_len(L, 1) == 3);
  lua_newtable(L);
  lua_pushcfunction(L, length_many);
  lua_setfield(L, -2, "__len");
  lua_setmetatable(L, 1);
  lua_len(L, 1);  // honours __len, whatever it returns
  CHECK_STRING(L, -1, "many");
  CHECK(lua_rawlen(L, 1) == 3);  // ignores it
  lua_pop(L, 1);
  lua_pushcfunction(L, protected_luaL_len);
  lua_pushvalue(L, 1);
  CHECK(lua_pcall(L, 1, 1, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "object length is not an integer");
  lua_settop(L, 0);

  lua_newuserdatauv(L, 24, 0);
  CHECK(lua_rawlen(L, -1) == 24);
  lua_pushinteger(L, 12);
  CHECK(lua_rawlen(L, -1) == 0);
  lua_settop(L, 0);

  lua_pushcfunction(L, protected_len);
  lua_pushinteger(L, 12);
  CHECK(lua_pcall(L, 1, 1, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, "attempt to get length of a number value");
  lua_settop(L, 0);
}

// ---- conversions ----

// Converts `s`; checks the returned size, and the pushed value's subtype.
static void check_numeral_at(lua_State* L, const char* s, int is_int,
                             double value, int line) {
  int top = lua_gettop(L);
  size_t size = lua_stringtonumber(L, s);
  int ok = size == strlen(s) + 1 && lua_gettop(L) == top + 1 &&
           lua_isinteger(L, -1) == is_int && lua_tonumber(L, -1) == value;
  if (!ok) fprintf(stderr, "%s:%d: numeral \"%s\"\n", __FILE__, line, s);
  capi_check_at(ok, "lua_stringtonumber", __FILE__, line);
  lua_settop(L, top);
}
#define CHECK_NUMERAL(L, s, is_int, value) \
  check_numeral_at((L), (s), (is_int), (value), __LINE__)

static void check_stringtonumber(lua_State* L) {
  CHECK_NUMERAL(L, "0x10", 1, 16);
  CHECK_NUMERAL(L, "  12  ", 1, 12);
  CHECK_NUMERAL(L, "-7", 1, -7);
  CHECK_NUMERAL(L, "1e2", 0, 100);
  CHECK_NUMERAL(L, ".5", 0, 0.5);
  CHECK_NUMERAL(L, "5.", 0, 5);
  CHECK_NUMERAL(L, "0x1p4", 0, 16);
  CHECK_NUMERAL(L, "9223372036854775807", 1, 9223372036854775807.0);
  CHECK_NUMERAL(L, "9223372036854775808", 0, 9223372036854775808.0);
  CHECK(lua_stringtonumber(L, "9223372036854775807") != 0);
  CHECK(lua_tointeger(L, -1) == LUA_MAXINTEGER);
  lua_pop(L, 1);
  static const char* const not_numerals[] = {"abc", "10 x", "0x",  "",    "1e",
                                             "inf", "nan",  "- 1", "1..2"};
  for (size_t i = 0; i < sizeof not_numerals / sizeof not_numerals[0]; i++) {
    CHECK(lua_stringtonumber(L, not_numerals[i]) == 0);
    CHECK(lua_gettop(L) == 0);
  }
}

static void check_float_text_at(lua_State* L, double x, const char* text,
                                int line) {
  lua_pushnumber(L, x);
  size_t len = 0;
  const char* s = lua_tolstring(L, -1, &len);
  int ok = s != NULL && strcmp(s, text) == 0 && len == strlen(text);
  if (!ok)
    fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, line,
            text, s != NULL ? s : "(null)");
  capi_check_at(ok, "float to text", __FILE__, line);
  lua_pop(L, 1);
}
#define CHECK_FLOAT_TEXT(L, x, text) \
  check_float_text_at((L), (x), (text), __LINE__)

static void check_tolstring(lua_State* L) {
  lua_pushinteger(L, 42);
  size_t len = 0;
  CHECK(strcmp(lua_tolstring(L, 1, &len), "42") == 0 && len == 2);
  CHECK(lua_type(L, 1) == LUA_TSTRING);  // converted in place
  CHECK(!lua_isinteger(L, 1));
  CHECK(lua_isnumber(L, 1));  // a numeric string still is a number
  lua_pushinteger(L, LUA_MININTEGER);
  CHECK_STRING(L, 2, "-9223372036854775808");
  lua_settop(L, 0);

  CHECK_FLOAT_TEXT(L, 1.0, "1.0");
  CHECK_FLOAT_TEXT(L, -0.0, "-0.0");
  CHECK_FLOAT_TEXT(L, 100.0, "100.0");
  CHECK_FLOAT_TEXT(L, 0.1, "0.1");
  CHECK_FLOAT_TEXT(L, 1e15, "1e+15");
  CHECK_FLOAT_TEXT(L, 123456789012.0, "123456789012.0");
  CHECK_FLOAT_TEXT(L, 9007199254740992.0, "9.007199254741e+15");
  CHECK_FLOAT_TEXT(L, 1e100, "1e+100");
  CHECK_FLOAT_TEXT(L, HUGE_VAL, "inf");
  CHECK_FLOAT_TEXT(L, -HUGE_VAL, "-inf");

  lua_newtable(L);
  lua_pushboolean(L, 1);
  lua_pushnil(L);
  for (int i = 1; i <= 3; i++) CHECK(lua_tolstring(L, i, NULL) == NULL);
  lua_settop(L, 0);
}

// ---- the auxiliary library ----

static void check_buffer(lua_State* L) {
  lua_pushliteral(L, "under");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 0; i < 10000; i++) luaL_addlstring(&b, "abc", 3);
  luaL_addchar(&b, '!');
  lua_pushinteger(L, 123);
  luaL_addvalue(&b);
  luaL_addstring(&b, "end");
  char* room = luaL_prepbuffsize(&b, 5000);
  memset(room, 'z', 5000);
  luaL_addsize(&b, 5000);
  luaL_addstring(&b, "tail");
  luaL_buffsub(&b, 2);  // drops "il"
  CHECK(luaL_bufflen(&b) == 30000 + 1 + 3 + 3 + 5000 + 2);
  CHECK(memcmp(luaL_buffaddr(&b), "abcabc", 6) == 0);
  luaL_pushresult(&b);

  CHECK(lua_gettop(L) == 2);
  CHECK_STRING(L, 1, "under");
  size_t len = 0;
  const char* s = lua_tolstring(L, 2, &len);
  CHECK(len == 35009);
  CHECK(memcmp(s + 29997, "abc!123endzzz", 13) == 0);
  CHECK(s[35006] == 'z' && memcmp(s + 35007, "ta", 2) == 0);
  lua_settop(L, 0);

  char* p = luaL_buffinitsize(L, &b, 64);
  for (int i = 0; i < 64; i++) p[i] = (char)('a' + i % 26);
  luaL_pushresultsize(&b, 64);
  CHECK(lua_rawlen(L, -1) == 64);
  CHECK(strncmp(lua_tostring(L, -1), "abcdefghijklmnopqrstuvwxyzab", 28) == 0);
  lua_settop(L, 0);
}

static void check_refs(lua_State* L) {
  lua_newtable(L);
  int refs[5];
  for (int i = 0; i < 5; i++) {
    lua_pushinteger(L, 10 * (i + 1));
    refs[i] = luaL_ref(L, 1);
    CHECK(refs[i] != LUA_NOREF && refs[i] != LUA_REFNIL);
    for (int j = 0; j < i; j++) CHECK(refs[i] != refs[j]);
  }
  CHECK(lua_gettop(L) == 1);  // luaL_ref pops the value
  for (int i = 0; i < 5; i++) {
    CHECK(lua_rawgeti(L, 1, refs[i]) == LUA_TNUMBER);
    CHECK(lua_tointeger(L, -1) == 10 * (i + 1));
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  CHECK(luaL_ref(L, 1) == LUA_REFNIL);
  CHECK(lua_gettop(L) == 1);
  luaL_unref(L, 1, LUA_NOREF);  // both are no-ops
  luaL_unref(L, 1, LUA_REFNIL);

  // Freed references are used again: the table does not grow.
  int highest = 0;
  for (int i = 0; i < 5; i++)
    if (refs[i] > highest) highest = refs[i];
  for (int i = 0; i < 1000; i++) {
    luaL_unref(L, 1, refs[i % 5]);
    lua_pushboolean(L, 1);
    refs[i % 5] = luaL_ref(L, 1);
    CHECK(refs[i % 5] <= highest + 1);
  }
  lua_settop(L, 0);

  // A reference keeps its value alive, and unref lets it go.
  lua_newtable(L);  // 1: weak-valued witness
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_rawseti(L, 1, 1);
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(lua_rawgeti(L, 1, 1) == LUA_TTABLE);
  lua_pop(L, 1);
  luaL_unref(L, LUA_REGISTRYINDEX, ref);
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(lua_rawgeti(L, 1, 1) == LUA_TNIL);
  lua_settop(L, 0);
}

static int take_traceback(lua_State* L) {
  luaL_traceback(L, L, lua_tostring(L, 1), 1);
  return 1;
}

static int trace_thread(lua_State* L) {
  luaL_traceback(L, lua_tothread(L, 1), NULL, 0);
  return 1;
}

static const char* const traced =
    "function inner(m) local t = take_traceback(m) return t end\n"
    "function outer(m) local t = inner(m) return t end\n"
    "function deep(n)\n"
    "  if n == 0 then local t = take_traceback(nil) return t end\n"
    "  local t = deep(n - 1) return t\n"
    "end\n"
    "parked = coroutine.create(function() coroutine.yield() end)\n"
    "coroutine.resume(parked)\n";

static int count_lines(const char* s) {
  int n = 1;
  for (; *s != '\0'; s++) n += *s == '\n';
  return n;
}

static void check_traceback(lua_State* L) {
  lua_register(L, "take_traceback", take_traceback);
  lua_register(L, "trace_thread", trace_thread);
  CHECK_RUN_NAMED(L, traced, "=tb");

  lua_getglobal(L, "outer");
  lua_pushliteral(L, "msg");
  CHECK(lua_pcall(L, 1, 1, 0) == LUA_OK);
  CHECK_STRING(L, -1,
               "msg\nstack traceback:\n"
               "\ttb:1: in function 'inner'\n"
               "\ttb:2: in function 'outer'");
  lua_settop(L, 0);

  // 31 levels of deep(): the first 10 and last 11 show. Lua 5.4.4 (the
  // oracle) announces one level fewer than the 10 it hides.
  lua_getglobal(L, "deep");
  lua_pushinteger(L, 30);
  CHECK(lua_pcall(L, 1, 1, 0) == LUA_OK);
  const char* t = lua_tostring(L, -1);
  CHECK(t != NULL && strncmp(t, "stack traceback:\n\ttb:4: in ", 27) == 0);
  CHECK(t != NULL && strstr(t, "\n\t...\t(skipping 9 levels)\n") != NULL);
  CHECK(t != NULL && count_lines(t) == 1 + 10 + 1 + 11);
  lua_settop(L, 0);

  lua_getglobal(L, "trace_thread");
  lua_getglobal(L, "parked");
  CHECK(lua_pcall(L, 1, 1, 0) == LUA_OK);
  CHECK_STRING(L, -1,
               "stack traceback:\n"
               "\t[C]: in function 'coroutine.yield'\n"
               "\ttb:7: in function <tb:7>");
  lua_settop(L, 0);

  luaL_traceback(L, L, "top", 0);  // no function is running
  CHECK_STRING(L, -1, "top\nstack traceback:");
  lua_settop(L, 0);
}

// ---- dump and load ----

typedef struct Bytes {
  char* data;
  size_t len;
  int writes;
} Bytes;

static int append_bytes(lua_State* L, const void* p, size_t size, void* ud) {
  (void)L;
  Bytes* b = (Bytes*)ud;
  char* grown = realloc(b->data, b->len + size + 1);
  if (grown == NULL) return 1;
  memcpy(grown + b->len, p, size);
  b->data = grown;
  b->len += size;
  b->writes++;
  return 0;
}

typedef struct OneByteReader {
  const char* data;
  size_t len, pos;
} OneByteReader;

// Hands Lua the chunk one byte per call.
static const char* read_one_byte(lua_State* L, void* ud, size_t* size) {
  (void)L;
  OneByteReader* r = (OneByteReader*)ud;
  if (r->pos >= r->len) {
    *size = 0;
    return NULL;
  }
  *size = 1;
  return r->data + r->pos++;
}

static int load_bytes(lua_State* L, const char* data, size_t len,
                      const char* name, const char* mode, size_t* consumed) {
  OneByteReader r = {data, len, 0};
  int status = lua_load(L, read_one_byte, &r, name, mode);
  if (consumed != NULL) *consumed = r.pos;
  return status;
}

static const char* const dumped_source =
    "local a, b = ...\n"
    "if a == nil then error('no args') end\n"
    "return a * b + offset, 'str'\n";

// Dumps the function on top (leaving it there) into a fresh buffer.
static Bytes dump_top(lua_State* L, int strip) {
  Bytes b = {NULL, 0, 0};
  CHECK(lua_dump(L, append_bytes, &b, strip) == 0);
  CHECK(b.writes > 0);
  CHECK(b.len > 4 && memcmp(b.data, LUA_SIGNATURE, 4) == 0);
  return b;
}

// Loads `b` back byte by byte and runs it: once with arguments, once
// without (to see the error's position, if any).
static void check_round_trip(lua_State* L, const Bytes* b,
                             const char* error_text) {
  size_t consumed = 0;
  CHECK(load_bytes(L, b->data, b->len, "=dumped", "b", &consumed) == LUA_OK);
  CHECK(consumed == b->len);
  lua_pushvalue(L, -1);
  lua_pushinteger(L, 6);
  lua_pushinteger(L, 7);
  CHECK(lua_pcall(L, 2, 2, 0) == LUA_OK);  // the new _ENV sees `offset`
  CHECK(lua_tointeger(L, -2) == 43);
  CHECK_STRING(L, -1, "str");
  lua_pop(L, 2);
  CHECK(lua_pcall(L, 0, 0, 0) == LUA_ERRRUN);
  CHECK_STRING(L, -1, error_text);
  lua_pop(L, 1);
}

static void check_dump_and_load(lua_State* L) {
  lua_pushinteger(L, 1);
  lua_setglobal(L, "offset");
  size_t len = strlen(dumped_source);
  size_t consumed = 0;
  CHECK(load_bytes(L, dumped_source, len, "=src", "t", &consumed) == LUA_OK);
  CHECK(consumed == len);

  Bytes full = dump_top(L, 0);
  Bytes stripped = dump_top(L, 1);
  CHECK(stripped.len < full.len);
  lua_pop(L, 1);
  check_round_trip(L, &full, "src:2: no args");
  check_round_trip(L, &stripped, "no args");  // no line information left

  CHECK(load_bytes(L, full.data, full.len, "=dumped", "t", NULL) ==
        LUA_ERRSYNTAX);
  CHECK_STRING(L, -1, "attempt to load a binary chunk (mode is 't')");
  lua_pop(L, 1);
  CHECK(load_bytes(L, dumped_source, len, "=src", "b", NULL) == LUA_ERRSYNTAX);
  CHECK_STRING(L, -1, "attempt to load a text chunk (mode is 'b')");
  lua_pop(L, 1);
  CHECK(load_bytes(L, full.data, full.len / 2, "=dumped", "bt", NULL) ==
        LUA_ERRSYNTAX);
  CHECK_STRING(L, -1, "dumped: bad binary format (truncated chunk)");
  lua_pop(L, 1);
  CHECK(load_bytes(L, "", 0, "=empty", NULL, NULL) == LUA_OK);
  CHECK(lua_pcall(L, 0, LUA_MULTRET, 0) == LUA_OK);
  CHECK(lua_gettop(L) == 0);

  // Only Lua functions can be dumped.
  Bytes none = {NULL, 0, 0};
  lua_pushcfunction(L, take_traceback);
  CHECK(lua_dump(L, append_bytes, &none, 0) != 0);
  CHECK(none.writes == 0);
  lua_settop(L, 0);
  free(full.data);
  free(stripped.data);
}

int main(void) {
  static const CapiStep steps[] = {
      CAPI_STEP(check_absindex),       CAPI_STEP(check_rotate_and_friends),
      CAPI_STEP(check_checkstack),     CAPI_STEP(check_xmove),
      CAPI_STEP(check_toclose),        CAPI_STEP(check_comparisons),
      CAPI_STEP(check_arith_ok),       CAPI_STEP(check_arith_errors),
      CAPI_STEP(check_concat),         CAPI_STEP(check_lengths),
      CAPI_STEP(check_stringtonumber), CAPI_STEP(check_tolstring),
      CAPI_STEP(check_buffer),         CAPI_STEP(check_refs),
      CAPI_STEP(check_traceback),      CAPI_STEP(check_dump_and_load),
  };
  return capi_run_steps("stack_api", steps, CAPI_COUNT(steps));
}
