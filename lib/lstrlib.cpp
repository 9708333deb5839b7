/// \file
/// The string library's first part: the metatable every string shares,
/// whose arithmetic metamethods convert numeric strings to numbers.
///
/// Mirrors: Lua 5.4 lstrlib.c (its "metamethods" section and luaopen_string;
/// the library's functions follow with the rest of chapter 10)
/// Book: chapter 10
///
/// Design: Lua 5.4's virtual machine never converts a string to a number
/// by itself. `"10" + 1` fails the arithmetic fast path, and the
/// instruction calls the `__add` of the string's metatable, which lives
/// here: it converts both operands as `tonumber` would and redoes the
/// operation with lua_arith. So the coercion is a library rule, and a
/// state without this library has none (chapter 8's stage demo shows
/// "attempt to perform arithmetic on a string value").
///
/// - **Invariant NUMERAL.** An operand converts when it is a number, or a
///   string that reads completely as a numeral (lua_stringtonumber
///   consumed all its bytes); `" 0x10 "` converts, `"10x"` does not.
/// - **Invariant DEFER.** When an operand does not convert, the other
///   operand's own metamethod (if it is not a string) gets the operation;
///   without one, the error names the operation and both types: "attempt
///   to add a 'string' with a 'number'".
///
/// Differences from Lua: the string functions (format, patterns, pack,
/// ...) are not here yet; `string` is the table they will fill, and it is
/// already the strings' `__index`, as in Lua.
#include <cstddef>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// Pushes the number value of argument `arg` (invariant NUMERAL) and
// returns true, or returns false when it has none. A string that reads as
// a numeral leaves its number pushed by lua_stringtonumber.
bool tonum(lua_State* L, int arg) {
  if (lua_type(L, arg) == LUA_TNUMBER) {
    lua_pushvalue(L, arg);
    return true;
  }
  std::size_t len;
  const char* s = lua_tolstring(L, arg, &len);
  return s != nullptr && lua_stringtonumber(L, s) == len + 1;
}

// Invariant DEFER: the operation goes to the second operand's metamethod
// `event` (its name, "__add" ...), or fails naming both types.
void trymt(lua_State* L, const char* event) {
  lua_settop(L, 2);
  const bool deferrable =
      lua_type(L, 2) != LUA_TSTRING && luaL_getmetafield(L, 2, event);
  if (!deferrable)
    luaL_error(L, "attempt to %s a '%s' with a '%s'", event + 2,
               luaL_typename(L, 1), luaL_typename(L, 2));
  lua_insert(L, 1);  // the metamethod below its two operands
  lua_call(L, 2, 1);
}

// The metamethod names of the operations strings take part in.
constexpr const char* eventname(int op) {
  switch (op) {
    case LUA_OPADD:
      return "__add";
    case LUA_OPSUB:
      return "__sub";
    case LUA_OPMUL:
      return "__mul";
    case LUA_OPMOD:
      return "__mod";
    case LUA_OPPOW:
      return "__pow";
    case LUA_OPDIV:
      return "__div";
    case LUA_OPIDIV:
      return "__idiv";
    default:
      return "__unm";
  }
}

// The metamethod of operation `op`: both operands converted, the
// operation redone on numbers; otherwise deferred. (Unary minus gets its
// operand twice, as every unary metamethod does.)
template <int op>
int arith(lua_State* L) {
  if (tonum(L, 1) && tonum(L, 2))
    lua_arith(L, op);
  else
    trymt(L, eventname(op));
  return 1;
}

// The metamethods of strings. Bitwise operators are absent on purpose:
// Lua 5.4 does not convert strings for them. "__index" is a placeholder
// that createmetatable fills.
const luaL_Reg stringmetamethods[] = {
    {eventname(LUA_OPADD), arith<LUA_OPADD>},
    {eventname(LUA_OPSUB), arith<LUA_OPSUB>},
    {eventname(LUA_OPMUL), arith<LUA_OPMUL>},
    {eventname(LUA_OPMOD), arith<LUA_OPMOD>},
    {eventname(LUA_OPPOW), arith<LUA_OPPOW>},
    {eventname(LUA_OPDIV), arith<LUA_OPDIV>},
    {eventname(LUA_OPIDIV), arith<LUA_OPIDIV>},
    {eventname(LUA_OPUNM), arith<LUA_OPUNM>},
    {"__index", nullptr},
    {nullptr, nullptr}};

// Makes the table of metamethods the metatable of every string, with the
// library table (on top of the stack) as its __index.
void createmetatable(lua_State* L) {
  const int lib = lua_gettop(L);
  luaL_newlibtable(L, stringmetamethods);
  luaL_setfuncs(L, stringmetamethods, 0);
  const int mt = lua_gettop(L);
  lua_pushvalue(L, lib);
  lua_setfield(L, mt, "__index");  // methods are looked up in the library
  lua_pushliteral(L, "");          // setting it on one string sets it on all
  lua_pushvalue(L, mt);
  lua_setmetatable(L, -2);
  lua_settop(L, lib);
}

}  // namespace

int luaopen_string(lua_State* L) {
  lua_newtable(L);  // the library table; its functions come later
  createmetatable(L);
  return 1;
}
