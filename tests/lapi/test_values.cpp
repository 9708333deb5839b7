// Pushing values, converting them back, and the operators of the API:
// arithmetic, comparison, concatenation and length.
#include "support.hpp"

using lapitest::State;
using lapitest::str;

TEST_CASE("integers and floats keep their subtype through the stack",
          "[lapi]") {
  State s;
  lua_pushinteger(s.L, 3);
  lua_pushnumber(s.L, 3.0);
  REQUIRE(lua_isinteger(s.L, 1));
  REQUIRE_FALSE(lua_isinteger(s.L, 2));
  REQUIRE(lua_type(s.L, 2) == LUA_TNUMBER);
  REQUIRE(str(s.L, 1) == "3");
  REQUIRE(str(s.L, 2) == "3.0");
  lua_pushinteger(s.L, LUA_MININTEGER);
  REQUIRE(lua_tointeger(s.L, -1) == LUA_MININTEGER);
}

TEST_CASE("lua_tointegerx accepts integral floats and numeric strings only",
          "[lapi]") {
  State s;
  int isnum = -1;
  lua_pushnumber(s.L, 3.0);
  REQUIRE(lua_tointegerx(s.L, -1, &isnum) == 3);
  REQUIRE(isnum == 1);
  lua_pushnumber(s.L, 3.5);
  REQUIRE(lua_tointegerx(s.L, -1, &isnum) == 0);
  REQUIRE(isnum == 0);
  lua_pushstring(s.L, "  0x10  ");
  REQUIRE(lua_tointegerx(s.L, -1, &isnum) == 16);
  REQUIRE(isnum == 1);
  lua_pushstring(s.L, "10 apples");
  REQUIRE(lua_tointegerx(s.L, -1, &isnum) == 0);
  REQUIRE(isnum == 0);
  lua_pushboolean(s.L, 1);
  REQUIRE(lua_tointegerx(s.L, -1, nullptr) == 0);
}

TEST_CASE("lua_tonumberx converts numbers and numeric strings", "[lapi]") {
  State s;
  int isnum = -1;
  lua_pushstring(s.L, "1e2");
  REQUIRE(lua_tonumberx(s.L, -1, &isnum) == 100.0);
  REQUIRE(isnum == 1);
  REQUIRE(lua_isnumber(s.L, -1));
  REQUIRE(lua_type(s.L, -1) == LUA_TSTRING);  // the value is not changed
  lua_pushinteger(s.L, 7);
  REQUIRE(lua_tonumber(s.L, -1) == 7.0);
  lua_newtable(s.L);
  REQUIRE(lua_tonumberx(s.L, -1, &isnum) == 0.0);
  REQUIRE(isnum == 0);
  REQUIRE_FALSE(lua_isnumber(s.L, -1));
}

TEST_CASE("lua_tolstring converts a number to a string in place", "[lapi]") {
  State s;
  lua_pushinteger(s.L, 42);
  std::size_t len = 0;
  const char* p = lua_tolstring(s.L, 1, &len);
  REQUIRE(std::string(p, len) == "42");
  REQUIRE(lua_type(s.L, 1) == LUA_TSTRING);
  REQUIRE(lua_tolstring(s.L, 1, nullptr) == p);  // the same string now
  lua_pushnumber(s.L, 1.5);
  REQUIRE(str(s.L, -1) == "1.5");
  lua_pushnumber(s.L, 1e100);
  REQUIRE(str(s.L, -1) == "1e+100");
  lua_newtable(s.L);
  len = 99;
  REQUIRE(lua_tolstring(s.L, -1, &len) == nullptr);
  REQUIRE(len == 0);
  REQUIRE(lua_type(s.L, -1) == LUA_TTABLE);
}

TEST_CASE("lua_pushlstring keeps embedded zeros and accepts an empty string",
          "[lapi]") {
  State s;
  lua_pushlstring(s.L, "a\0b", 3);
  REQUIRE(lua_rawlen(s.L, -1) == 3);
  REQUIRE(str(s.L, -1) == std::string("a\0b", 3));
  const char* empty = lua_pushlstring(s.L, nullptr, 0);
  REQUIRE(empty != nullptr);
  REQUIRE(empty[0] == '\0');
  REQUIRE(lua_rawlen(s.L, -1) == 0);
}

TEST_CASE(
    "lua_pushstring returns Lua's copy and pushes nil for a null "
    "string",
    "[lapi]") {
  State s;
  char buffer[] = "hello";
  const char* copy = lua_pushstring(s.L, buffer);
  REQUIRE(copy != buffer);
  buffer[0] = 'j';
  REQUIRE(std::string(copy) == "hello");
  REQUIRE(lua_pushstring(s.L, nullptr) == nullptr);
  REQUIRE(lua_isnil(s.L, -1));
  REQUIRE(lua_gettop(s.L) == 2);
}

TEST_CASE("lua_pushfstring formats Lua's directives", "[lapi]") {
  State s;
  const char* r =
      lua_pushfstring(s.L, "%s %d %I %f %c %% %U", "x", 42,
                      static_cast<lua_Integer>(-7), 1.5, 'A', 0x20AC);
  REQUIRE(std::string(r) == "x 42 -7 1.5 A % \xE2\x82\xAC");
  REQUIRE(str(s.L, -1) == r);
}

TEST_CASE(
    "lua_stringtonumber pushes the number and answers the size plus "
    "one",
    "[lapi]") {
  State s;
  REQUIRE(lua_stringtonumber(s.L, "0x10") == 5);
  REQUIRE(lua_isinteger(s.L, -1));
  REQUIRE(lua_tointeger(s.L, -1) == 16);
  REQUIRE(lua_stringtonumber(s.L, " 3.0 ") == 6);
  REQUIRE_FALSE(lua_isinteger(s.L, -1));
  REQUIRE(lua_tonumber(s.L, -1) == 3.0);
  REQUIRE(lua_stringtonumber(s.L, "12a") == 0);
  REQUIRE(lua_gettop(s.L) == 2);  // nothing pushed for a non-numeral
}

TEST_CASE("lua_toboolean treats only nil and false as false", "[lapi]") {
  State s;
  lua_pushnil(s.L);
  lua_pushboolean(s.L, 0);
  lua_pushboolean(s.L, 7);
  lua_pushinteger(s.L, 0);
  lua_pushstring(s.L, "");
  REQUIRE(lua_toboolean(s.L, 1) == 0);
  REQUIRE(lua_toboolean(s.L, 2) == 0);
  REQUIRE(lua_toboolean(s.L, 3) == 1);
  REQUIRE(lua_toboolean(s.L, 4) == 1);
  REQUIRE(lua_toboolean(s.L, 5) == 1);
  REQUIRE(lua_toboolean(s.L, 6) == 0);  // none
}

TEST_CASE(
    "lua_rawlen answers the length of strings, userdata and tables and "
    "0 otherwise",
    "[lapi]") {
  State s;
  lua_pushstring(s.L, "four");
  REQUIRE(lua_rawlen(s.L, -1) == 4);
  std::string longstr(100, 'x');  // a long string is another variant
  lua_pushstring(s.L, longstr.c_str());
  REQUIRE(lua_rawlen(s.L, -1) == 100);
  lua_newuserdatauv(s.L, 24, 0);
  REQUIRE(lua_rawlen(s.L, -1) == 24);
  lua_createtable(s.L, 3, 0);
  for (int i = 1; i <= 3; i++) {
    lua_pushboolean(s.L, 1);
    lua_rawseti(s.L, -2, i);
  }
  REQUIRE(lua_rawlen(s.L, -1) == 3);
  lua_pushinteger(s.L, 12345);
  REQUIRE(lua_rawlen(s.L, -1) == 0);
}

TEST_CASE("lua_typename names every basic type", "[lapi]") {
  State s;
  REQUIRE(std::string(lua_typename(s.L, LUA_TNONE)) == "no value");
  REQUIRE(std::string(lua_typename(s.L, LUA_TNIL)) == "nil");
  REQUIRE(std::string(lua_typename(s.L, LUA_TBOOLEAN)) == "boolean");
  REQUIRE(std::string(lua_typename(s.L, LUA_TLIGHTUSERDATA)) == "userdata");
  REQUIRE(std::string(lua_typename(s.L, LUA_TNUMBER)) == "number");
  REQUIRE(std::string(lua_typename(s.L, LUA_TSTRING)) == "string");
  REQUIRE(std::string(lua_typename(s.L, LUA_TTABLE)) == "table");
  REQUIRE(std::string(lua_typename(s.L, LUA_TFUNCTION)) == "function");
  REQUIRE(std::string(lua_typename(s.L, LUA_TUSERDATA)) == "userdata");
  REQUIRE(std::string(lua_typename(s.L, LUA_TTHREAD)) == "thread");
}

namespace {

int nothing(lua_State*) {
  return 0;
}

}  // namespace

TEST_CASE("the lua_is* predicates classify values", "[lapi]") {
  State s;
  int marker = 0;
  lua_pushcfunction(s.L, nothing);      // 1
  lua_pushinteger(s.L, 1);              // 2
  lua_pushcclosure(s.L, nothing, 1);    // 2: a closure now
  lua_pushlightuserdata(s.L, &marker);  // 3
  lua_newuserdatauv(s.L, 1, 0);         // 4
  lua_pushstring(s.L, "12");            // 5
  lua_pushnumber(s.L, 0.5);             // 6
  REQUIRE(lua_iscfunction(s.L, 1));
  REQUIRE(lua_iscfunction(s.L, 2));
  REQUIRE(lua_isfunction(s.L, 2));
  REQUIRE_FALSE(lua_iscfunction(s.L, 3));
  REQUIRE(lua_isuserdata(s.L, 3));
  REQUIRE(lua_islightuserdata(s.L, 3));
  REQUIRE(lua_isuserdata(s.L, 4));
  REQUIRE_FALSE(lua_islightuserdata(s.L, 4));
  REQUIRE(lua_isstring(s.L, 5));
  REQUIRE(lua_isnumber(s.L, 5));
  REQUIRE_FALSE(lua_isinteger(s.L, 5));
  REQUIRE(lua_isstring(s.L, 6));  // numbers convert to strings
  REQUIRE(lua_type(s.L, 6) == LUA_TNUMBER);
  REQUIRE(lua_tocfunction(s.L, 1) == nothing);
  REQUIRE(lua_tocfunction(s.L, 2) == nothing);
  REQUIRE(lua_tocfunction(s.L, 5) == nullptr);
}

TEST_CASE("lua_touserdata and lua_topointer give the identity of objects",
          "[lapi]") {
  State s;
  int marker = 0;
  lua_pushlightuserdata(s.L, &marker);
  REQUIRE(lua_touserdata(s.L, -1) == &marker);
  REQUIRE(lua_topointer(s.L, -1) == &marker);
  void* block = lua_newuserdatauv(s.L, 8, 1);
  REQUIRE(lua_touserdata(s.L, -1) == block);
  REQUIRE(lua_topointer(s.L, -1) == block);
  lua_newtable(s.L);
  lua_pushvalue(s.L, -1);
  lua_newtable(s.L);
  REQUIRE(lua_topointer(s.L, -2) == lua_topointer(s.L, -3));
  REQUIRE(lua_topointer(s.L, -1) != lua_topointer(s.L, -2));
  lua_pushinteger(s.L, 1);
  REQUIRE(lua_topointer(s.L, -1) == nullptr);
  REQUIRE(lua_touserdata(s.L, -1) == nullptr);
}

namespace {

// Runs lua_arith(op) on its two arguments, protected by the caller.
int arith(lua_State* L) {
  lua_arith(L, static_cast<int>(lua_tointeger(L, lua_upvalueindex(1))));
  return 1;
}

// The result of `a op b`, or the error message.
std::string arithresult(lua_State* L, int op, auto pusha, auto pushb) {
  lua_pushinteger(L, op);
  lua_pushcclosure(L, arith, 1);
  pusha(L);
  pushb(L);
  int status = lua_pcall(L, 2, 1, 0);
  std::string out = (status == LUA_OK ? "" : "error: ") + str(L, -1);
  lua_pop(L, 1);
  return out;
}

}  // namespace

TEST_CASE("lua_arith follows Lua's integer and float rules", "[lapi]") {
  State s;
  auto i7 = [](lua_State* L) { lua_pushinteger(L, 7); };
  auto i2 = [](lua_State* L) { lua_pushinteger(L, 2); };
  auto f2 = [](lua_State* L) { lua_pushnumber(L, 2.0); };
  REQUIRE(arithresult(s.L, LUA_OPADD, i7, i2) == "9");
  REQUIRE(arithresult(s.L, LUA_OPADD, i7, f2) == "9.0");
  REQUIRE(arithresult(s.L, LUA_OPIDIV, i7, i2) == "3");
  REQUIRE(arithresult(s.L, LUA_OPDIV, i7, i2) == "3.5");
  REQUIRE(arithresult(s.L, LUA_OPMOD, i7, i2) == "1");
  REQUIRE(arithresult(s.L, LUA_OPPOW, i2, i2) == "4.0");
  REQUIRE(arithresult(s.L, LUA_OPSHL, i7, i2) == "28");
  REQUIRE(arithresult(s.L, LUA_OPBAND, i7, i2) == "2");
  REQUIRE(arithresult(s.L, LUA_OPIDIV, i7, [](lua_State* L) {
            lua_pushinteger(L, 0);
          }) == "error: attempt to divide by zero");
}

namespace {

// Applies a unary operator to its one argument.
int unary(lua_State* L) {
  lua_arith(L, static_cast<int>(lua_tointeger(L, lua_upvalueindex(1))));
  return 1;
}

std::string unaryresult(lua_State* L, int op, lua_Integer v) {
  lua_pushinteger(L, op);
  lua_pushcclosure(L, unary, 1);
  lua_pushinteger(L, v);
  REQUIRE(lua_pcall(L, 1, 1, 0) == LUA_OK);
  std::string out = str(L, -1);
  lua_pop(L, 1);
  return out;
}

// __add for the tests: answers 99 whatever the operands.
int add99(lua_State* L) {
  lua_pushinteger(L, 99);
  return 1;
}

}  // namespace

TEST_CASE("lua_arith takes one operand for the unary operators", "[lapi]") {
  State s;
  REQUIRE(unaryresult(s.L, LUA_OPUNM, 5) == "-5");
  REQUIRE(unaryresult(s.L, LUA_OPBNOT, 5) == "-6");
}

TEST_CASE("lua_arith calls the __add of a table operand", "[lapi]") {
  State s;
  auto table = [](lua_State* L) {
    lua_newtable(L);
    lua_newtable(L);
    lua_pushcfunction(L, add99);
    lua_setfield(L, -2, "__add");
    lua_setmetatable(L, -2);
  };
  auto one = [](lua_State* L) { lua_pushinteger(L, 1); };
  REQUIRE(arithresult(s.L, LUA_OPADD, one, table) == "99");
  REQUIRE(arithresult(s.L, LUA_OPADD, table, one) == "99");
  REQUIRE(arithresult(s.L, LUA_OPSUB, table, one) ==
          "error: attempt to perform arithmetic on a table value");
}

TEST_CASE("lua_arith does not convert strings without a string metatable",
          "[lapi]") {
  State s;
  auto ten = [](lua_State* L) { lua_pushstring(L, "10"); };
  auto one = [](lua_State* L) { lua_pushinteger(L, 1); };
  REQUIRE(arithresult(s.L, LUA_OPADD, ten, one) ==
          "error: attempt to perform arithmetic on a string value");
}

namespace {

// __lt and __eq for tables holding a number in field "v".
int fieldv(lua_State* L, int idx) {
  lua_getfield(L, idx, "v");
  int v = static_cast<int>(lua_tointeger(L, -1));
  lua_pop(L, 1);
  return v;
}
int lessv(lua_State* L) {
  lua_pushboolean(L, fieldv(L, 1) < fieldv(L, 2));
  return 1;
}
int eqv(lua_State* L) {
  lua_pushboolean(L, fieldv(L, 1) == fieldv(L, 2));
  return 1;
}

void pushobj(lua_State* L, int v) {
  lua_newtable(L);
  lua_pushinteger(L, v);
  lua_setfield(L, -2, "v");
  lua_pushvalue(L, 1);  // the shared metatable
  lua_setmetatable(L, -2);
}

int compare(lua_State* L) {
  int op = static_cast<int>(lua_tointeger(L, 3));
  lua_pushboolean(L, lua_compare(L, 1, 2, op));
  return 1;
}

}  // namespace

TEST_CASE("lua_compare uses __lt and __eq; lua_rawequal does not", "[lapi]") {
  State s;
  lua_newtable(s.L);  // 1: the metatable
  lua_pushcfunction(s.L, lessv);
  lua_setfield(s.L, 1, "__lt");
  lua_pushcfunction(s.L, eqv);
  lua_setfield(s.L, 1, "__eq");
  pushobj(s.L, 1);  // 2
  pushobj(s.L, 2);  // 3
  pushobj(s.L, 1);  // 4
  REQUIRE(lua_compare(s.L, 2, 3, LUA_OPLT) == 1);
  REQUIRE(lua_compare(s.L, 3, 2, LUA_OPLT) == 0);
  REQUIRE(lua_compare(s.L, 2, 4, LUA_OPEQ) == 1);
  REQUIRE(lua_rawequal(s.L, 2, 4) == 0);
  REQUIRE(lua_rawequal(s.L, 2, 2) == 1);
  lua_pushinteger(s.L, 1);
  lua_pushnumber(s.L, 1.0);
  REQUIRE(lua_compare(s.L, -1, -2, LUA_OPEQ) == 1);
  REQUIRE(lua_compare(s.L, -1, -2, LUA_OPLE) == 1);
  REQUIRE(lua_rawequal(s.L, -1, -2) == 1);
  // Tables without metamethods cannot be ordered.
  lua_pushcfunction(s.L, compare);
  lua_newtable(s.L);
  lua_newtable(s.L);
  lua_pushinteger(s.L, LUA_OPLE);
  REQUIRE(lua_pcall(s.L, 3, 1, 0) == LUA_ERRRUN);
  REQUIRE(str(s.L, -1) == "attempt to compare two table values");
}

TEST_CASE("lua_compare with LUA_OPLE falls back to __lt, as lua5.4 does",
          "[lapi]") {
  State s;
  lua_newtable(s.L);  // 1: a metatable with __lt only
  lua_pushcfunction(s.L, lessv);
  lua_setfield(s.L, 1, "__lt");
  pushobj(s.L, 1);                                 // 2
  pushobj(s.L, 2);                                 // 3
  REQUIRE(lua_compare(s.L, 2, 3, LUA_OPLE) == 1);  // not (2 < 1)
  REQUIRE(lua_compare(s.L, 3, 2, LUA_OPLE) == 0);  // not (1 < 2)
  REQUIRE(lua_compare(s.L, 2, 2, LUA_OPLE) == 1);
}

TEST_CASE("lua_concat joins strings and numbers; no values give \"\"",
          "[lapi]") {
  State s;
  lua_pushstring(s.L, "a");
  lua_pushinteger(s.L, 1);
  lua_pushnumber(s.L, 2.5);
  lua_concat(s.L, 3);
  REQUIRE(lua_gettop(s.L) == 1);
  REQUIRE(str(s.L, 1) == "a12.5");
  lua_concat(s.L, 1);  // one value: unchanged
  REQUIRE(str(s.L, 1) == "a12.5");
  lua_concat(s.L, 0);
  REQUIRE(lua_gettop(s.L) == 2);
  REQUIRE(str(s.L, 2).empty());
}

namespace {

int len42(lua_State* L) {
  lua_pushinteger(L, 42);
  return 1;
}

}  // namespace

TEST_CASE("lua_len uses __len; lua_rawlen does not", "[lapi]") {
  State s;
  lua_createtable(s.L, 0, 0);
  lua_pushinteger(s.L, 1);
  lua_rawseti(s.L, -2, 1);
  lua_len(s.L, 1);
  REQUIRE(lua_tointeger(s.L, -1) == 1);
  lua_pop(s.L, 1);
  lua_newtable(s.L);
  lua_pushcfunction(s.L, len42);
  lua_setfield(s.L, -2, "__len");
  lua_setmetatable(s.L, 1);
  lua_len(s.L, 1);
  REQUIRE(lua_tointeger(s.L, -1) == 42);
  REQUIRE(lua_rawlen(s.L, 1) == 1);
  lua_pushstring(s.L, "abc");
  lua_len(s.L, -1);
  REQUIRE(lua_tointeger(s.L, -1) == 3);
}
