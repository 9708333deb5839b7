/// \file
/// The base library: the global functions every Lua program sees (print,
/// type, pairs, pcall, load, error, setmetatable ...), plus _G and
/// _VERSION.
///
/// Mirrors: Lua 5.4 lbaselib.c
/// Book: chapter 10
///
/// Design: each function is a lua_CFunction written against lua.h and
/// lauxlib.h only; arguments are checked with the auxiliary library, so
/// every error message ("bad argument #1 to 'setmetatable' (table
/// expected, got nil)") comes from one place.
///
/// - **Invariant PCALL-RESULTS.** pcall and xpcall push `true` below the
///   called function before calling it, so a successful call (finished
///   directly or, after a yield, through the continuation finishpcall)
///   returns that `true` followed by every result, and a failed one
///   returns `false` and the error object.
/// - **Invariant RESERVED-SLOT.** While `load` reads a chunk through a
///   reader function, stack slot RESERVEDSLOT (just above its four
///   arguments) holds the last piece the reader returned, which keeps that
///   string alive while the parser reads it.
///
/// Style: each function names the stack slots of its arguments, so the
/// checks read as "the table argument", "the key argument". The order of
/// the checks is Lua's: it decides which error a wrong call reports.
///
/// Differences from Lua: none in behaviour.
#include <cctype>
#include <cstring>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

int luaB_print(lua_State* L) {
  const int nargs = lua_gettop(L);
  for (int i = 1; i <= nargs; i++) {
    size_t len = 0;
    const char* text = luaL_tolstring(L, i, &len);
    if (i > 1) lua_writestring("\t", 1);
    lua_writestring(text, len);
    lua_settop(L, nargs);  // drop the converted string
  }
  lua_writeline();
  return 0;
}

// Every argument is checked before the first piece is emitted: an error
// half-way would leave the warning system inside an unfinished message.
int luaB_warn(lua_State* L) {
  const int nargs = lua_gettop(L);
  const int npieces = nargs > 0 ? nargs : 1;  // warn() lacks argument 1
  for (int i = 1; i <= npieces; i++) luaL_checkstring(L, i);
  for (int i = 1; i <= nargs; i++) {
    const bool last = i == nargs;
    lua_warning(L, lua_tostring(L, i), last ? 0 : 1);
  }
  return 0;
}

constexpr const char* SPACECHARS = " \f\n\r\t\v";

const char* skipspaces(const char* s) {
  return s + std::strspn(s, SPACECHARS);
}

bool isalnumchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// The value of digit character `c` in bases up to 36 (letters of either
// case count from 10).
int digitvalue(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isdigit(u)) return u - '0';
  return std::toupper(u) - 'A' + 10;
}

// Reads an integer numeral in base `base`, with optional spaces around it
// and an optional sign. Returns where the reading stopped (the caller
// demands the end of the string), or null if there are no digits or a
// digit is too large for the base. Wraps around on overflow, as integer
// arithmetic does.
const char* b_str2int(const char* s, int base, lua_Integer* pn) {
  s = skipspaces(s);
  const bool negative = *s == '-';
  if (*s == '-' || *s == '+') s++;
  if (!isalnumchar(*s)) return nullptr;
  lua_Unsigned value = 0;
  for (; isalnumchar(*s); s++) {
    const int digit = digitvalue(*s);
    if (digit >= base) return nullptr;
    value = value * static_cast<lua_Unsigned>(base) +
            static_cast<lua_Unsigned>(digit);
  }
  if (negative) value = 0u - value;
  *pn = static_cast<lua_Integer>(value);
  return skipspaces(s);
}

// tonumber(v): numbers as they are, strings by the lexer's rules.
int tonumber_standard(lua_State* L) {
  constexpr int value = 1;
  if (lua_type(L, value) == LUA_TNUMBER) {
    lua_settop(L, value);
    return 1;
  }
  size_t len = 0;
  const char* text = lua_tolstring(L, value, &len);
  // lua_stringtonumber counts the terminating NUL: all of it must go.
  if (text != nullptr && lua_stringtonumber(L, text) == len + 1) return 1;
  luaL_checkany(L, value);
  luaL_pushfail(L);
  return 1;
}

// tonumber(s, base): an integer numeral in any base from 2 to 36.
int tonumber_base(lua_State* L) {
  constexpr int numeral = 1;
  constexpr int basearg = 2;
  const lua_Integer base = luaL_checkinteger(L, basearg);
  luaL_checktype(L, numeral, LUA_TSTRING);  // a number is not re-read
  size_t len = 0;
  const char* text = lua_tolstring(L, numeral, &len);
  luaL_argcheck(L, base >= 2 && base <= 36, basearg, "base out of range");
  lua_Integer result = 0;
  if (b_str2int(text, static_cast<int>(base), &result) == text + len)
    lua_pushinteger(L, result);
  else
    luaL_pushfail(L);
  return 1;
}

int luaB_tonumber(lua_State* L) {
  constexpr int basearg = 2;
  if (lua_isnoneornil(L, basearg)) return tonumber_standard(L);
  return tonumber_base(L);
}

// A string message gets the position `level` levels up in front of it;
// any other error object travels unchanged.
int luaB_error(lua_State* L) {
  constexpr int message = 1;
  constexpr int levelarg = 2;
  const auto level = static_cast<int>(luaL_optinteger(L, levelarg, 1));
  lua_settop(L, message);
  if (level > 0 && lua_type(L, message) == LUA_TSTRING) {
    // The argument stays in its slot below the result, as in lua5.4,
    // where a message handler's debug.getlocal(2, 1) still finds it.
    luaL_where(L, level);
    lua_pushvalue(L, message);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

// A __metatable field stands in for the metatable itself.
int luaB_getmetatable(lua_State* L) {
  constexpr int object = 1;
  luaL_checkany(L, object);
  if (lua_getmetatable(L, object) == 0)
    lua_pushnil(L);
  else
    luaL_getmetafield(L, object, "__metatable");  // pushed above, if any
  return 1;
}

int luaB_setmetatable(lua_State* L) {
  constexpr int table = 1;
  constexpr int mt = 2;
  const int mttype = lua_type(L, mt);
  luaL_checktype(L, table, LUA_TTABLE);
  luaL_argexpected(L, mttype == LUA_TNIL || mttype == LUA_TTABLE, mt,
                   "nil or table");
  if (luai_unlikely(luaL_getmetafield(L, table, "__metatable") != LUA_TNIL))
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, mt);
  lua_setmetatable(L, table);
  return 1;  // the table
}

int luaB_rawequal(lua_State* L) {
  constexpr int left = 1;
  constexpr int right = 2;
  luaL_checkany(L, left);
  luaL_checkany(L, right);
  lua_pushboolean(L, lua_rawequal(L, left, right));
  return 1;
}

int luaB_rawlen(lua_State* L) {
  constexpr int object = 1;
  const int type = lua_type(L, object);
  luaL_argexpected(L, type == LUA_TTABLE || type == LUA_TSTRING, object,
                   "table or string");
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, object)));
  return 1;
}

int luaB_rawget(lua_State* L) {
  constexpr int table = 1;
  constexpr int key = 2;
  luaL_checktype(L, table, LUA_TTABLE);
  luaL_checkany(L, key);
  lua_settop(L, key);
  lua_rawget(L, table);  // the key is replaced by the value
  return 1;
}

int luaB_rawset(lua_State* L) {
  constexpr int table = 1;
  constexpr int key = 2;
  constexpr int value = 3;
  luaL_checktype(L, table, LUA_TTABLE);
  luaL_checkany(L, key);
  luaL_checkany(L, value);
  lua_settop(L, value);
  lua_rawset(L, table);  // pops key and value: the table is on top
  return 1;
}

// lua_gc answers -1 when it may not run (inside a finalizer): that is
// reported as fail.
int pushmode(lua_State* L, int oldmode) {
  if (oldmode == -1) {
    luaL_pushfail(L);
    return 1;
  }
  lua_pushstring(L, oldmode == LUA_GCINC ? "incremental" : "generational");
  return 1;
}

int pushgcresult(lua_State* L, int result, bool asboolean) {
  if (result == -1)
    luaL_pushfail(L);
  else if (asboolean)
    lua_pushboolean(L, result);
  else
    lua_pushinteger(L, result);
  return 1;
}

// The memory in use, in kilobytes, as a float: whole kilobytes plus the
// remaining bytes as a fraction.
int gccount(lua_State* L) {
  const int kbytes = lua_gc(L, LUA_GCCOUNT);
  const int bytes = lua_gc(L, LUA_GCCOUNTB);
  if (kbytes == -1) return pushgcresult(L, -1, false);
  lua_pushnumber(L, static_cast<lua_Number>(kbytes) +
                        static_cast<lua_Number>(bytes) / 1024);
  return 1;
}

int optint(lua_State* L, int arg) {
  return static_cast<int>(luaL_optinteger(L, arg, 0));
}

int luaB_collectgarbage(lua_State* L) {
  static const char* const opts[] = {"stop",        "restart",   "collect",
                                     "count",       "step",      "setpause",
                                     "setstepmul",  "isrunning", "generational",
                                     "incremental", nullptr};
  static constexpr int optsnum[] = {
      LUA_GCSTOP, LUA_GCRESTART,  LUA_GCCOLLECT,    LUA_GCCOUNT,
      LUA_GCSTEP, LUA_GCSETPAUSE, LUA_GCSETSTEPMUL, LUA_GCISRUNNING,
      LUA_GCGEN,  LUA_GCINC};
  const int what = optsnum[luaL_checkoption(L, 1, "collect", opts)];
  switch (what) {
    case LUA_GCCOUNT:
      return gccount(L);
    case LUA_GCSTEP:
      return pushgcresult(L, lua_gc(L, what, optint(L, 2)), true);
    case LUA_GCSETPAUSE:
    case LUA_GCSETSTEPMUL:
      return pushgcresult(L, lua_gc(L, what, optint(L, 2)), false);
    case LUA_GCISRUNNING:
      return pushgcresult(L, lua_gc(L, what), true);
    case LUA_GCGEN: {
      const int minormul = optint(L, 2);
      const int majormul = optint(L, 3);
      return pushmode(L, lua_gc(L, what, minormul, majormul));
    }
    case LUA_GCINC: {
      const int pause = optint(L, 2);
      const int stepmul = optint(L, 3);
      const int stepsize = optint(L, 4);
      return pushmode(L, lua_gc(L, what, pause, stepmul, stepsize));
    }
    default:  // stop, restart, collect
      return pushgcresult(L, lua_gc(L, what), false);
  }
}

int luaB_type(lua_State* L) {
  constexpr int value = 1;
  const int type = lua_type(L, value);
  luaL_argcheck(L, type != LUA_TNONE, value, "value expected");
  lua_pushstring(L, lua_typename(L, type));
  return 1;
}

int luaB_next(lua_State* L) {
  constexpr int table = 1;
  constexpr int key = 2;
  luaL_checktype(L, table, LUA_TTABLE);
  lua_settop(L, key);  // a missing key is nil: start of the traversal
  if (lua_next(L, table) != 0) return 2;
  lua_pushnil(L);
  return 1;
}

// Continuation of a __pairs metamethod that yielded: its three results
// are already on the stack.
int pairscont(lua_State*, int, lua_KContext) {
  return 3;
}

int luaB_pairs(lua_State* L) {
  constexpr int object = 1;
  luaL_checkany(L, object);
  if (luaL_getmetafield(L, object, "__pairs") == LUA_TNIL) {
    lua_pushcfunction(L, luaB_next);
    lua_pushvalue(L, object);
    lua_pushnil(L);
  } else {
    lua_pushvalue(L, object);  // the metamethod's argument
    lua_callk(L, 1, 3, 0, pairscont);
  }
  return 3;
}

// One step of ipairs: the next index and its value, stopping at the first
// nil. Indexing goes through __index, so the state need not be a table.
int ipairsaux(lua_State* L) {
  constexpr int object = 1;
  constexpr int index = 2;
  const lua_Integer next = luaL_intop(+, luaL_checkinteger(L, index), 1);
  lua_pushinteger(L, next);
  return lua_geti(L, object, next) == LUA_TNIL ? 1 : 2;
}

int luaB_ipairs(lua_State* L) {
  constexpr int object = 1;
  luaL_checkany(L, object);
  lua_pushcfunction(L, ipairsaux);
  lua_pushvalue(L, object);
  lua_pushinteger(L, 0);
  return 3;
}

// Finishes load and loadfile: the loaded function, with the `env`
// argument (when given) as its first upvalue, or fail plus the message.
int load_aux(lua_State* L, int status, int envidx) {
  const int result = lua_gettop(L);  // the function or the message
  if (luai_unlikely(status != LUA_OK)) {
    luaL_pushfail(L);
    lua_insert(L, result);
    return 2;
  }
  if (envidx != 0) {
    lua_pushvalue(L, envidx);
    // A function without upvalues ignores the environment.
    if (lua_setupvalue(L, result, 1) == nullptr) lua_settop(L, result);
  }
  return 1;
}

int luaB_loadfile(lua_State* L) {
  constexpr int filearg = 1;
  constexpr int modearg = 2;
  constexpr int envarg = 3;
  const char* fname = luaL_optstring(L, filearg, nullptr);
  const char* mode = luaL_optstring(L, modearg, nullptr);
  const int envidx = lua_isnone(L, envarg) ? 0 : envarg;
  const int status = luaL_loadfilex(L, fname, mode);
  return load_aux(L, status, envidx);
}

// load's four arguments: the chunk (or reader), its name, the mode and
// the environment; the slot above them is Invariant RESERVED-SLOT's.
constexpr int kChunkArg = 1;
constexpr int kNameArg = 2;
constexpr int kModeArg = 3;
constexpr int kEnvArg = 4;
constexpr int RESERVEDSLOT = 5;

// Reader for load(f): calls f for each piece. lua_load keeps its own
// values on the stack, so the reader must not change the stack top; the
// piece is parked in the reserved slot instead.
const char* generic_reader(lua_State* L, void*, size_t* size) {
  luaL_checkstack(L, 2, "too many nested functions");
  lua_pushvalue(L, kChunkArg);
  lua_call(L, 0, 1);
  const int piece = lua_gettop(L);
  if (lua_isnil(L, piece)) {  // end of the chunk
    lua_settop(L, piece - 1);
    *size = 0;
    return nullptr;
  }
  if (luai_unlikely(!lua_isstring(L, piece)))
    luaL_error(L, "reader function must return a string");
  lua_copy(L, piece, RESERVEDSLOT);
  lua_settop(L, piece - 1);
  return lua_tolstring(L, RESERVEDSLOT, size);
}

int luaB_load(lua_State* L) {
  size_t len = 0;
  const char* chunk = lua_tolstring(L, kChunkArg, &len);
  const char* mode = luaL_optstring(L, kModeArg, "bt");
  const int envidx = lua_isnone(L, kEnvArg) ? 0 : kEnvArg;
  int status = LUA_OK;
  if (chunk != nullptr) {  // a string is its own chunk name by default
    const char* chunkname = luaL_optstring(L, kNameArg, chunk);
    status = luaL_loadbufferx(L, chunk, len, chunkname, mode);
  } else {
    const char* chunkname = luaL_optstring(L, kNameArg, "=(load)");
    luaL_checktype(L, kChunkArg, LUA_TFUNCTION);
    lua_settop(L, RESERVEDSLOT);
    status = lua_load(L, generic_reader, nullptr, chunkname, mode);
  }
  return load_aux(L, status, envidx);
}

// After the chunk returns (directly or after yields), its results are all
// that is above the file name in slot 1.
int dofilecont(lua_State* L, int, lua_KContext) {
  return lua_gettop(L) - 1;
}

int luaB_dofile(lua_State* L) {
  constexpr int filearg = 1;
  const char* fname = luaL_optstring(L, filearg, nullptr);
  lua_settop(L, filearg);
  if (luai_unlikely(luaL_loadfilex(L, fname, nullptr) != LUA_OK))
    return lua_error(L);
  lua_callk(L, 0, LUA_MULTRET, 0, dofilecont);
  return dofilecont(L, LUA_OK, 0);
}

// A true condition returns every argument; a false one raises the message
// (default "assertion failed!") through `error`, so a string message gets
// a position.
int luaB_assert(lua_State* L) {
  constexpr int condition = 1;
  constexpr int message = 1;  // once the condition is removed
  if (luai_likely(lua_toboolean(L, condition))) return lua_gettop(L);
  luaL_checkany(L, condition);
  lua_remove(L, condition);
  lua_pushstring(L, "assertion failed!");
  lua_settop(L, message);  // the given message, or else the default
  return luaB_error(L);
}

int luaB_select(lua_State* L) {
  constexpr int selector = 1;
  const int nargs = lua_gettop(L);
  const bool count = lua_type(L, selector) == LUA_TSTRING &&
                     lua_tostring(L, selector)[0] == '#';
  if (count) {
    lua_pushinteger(L, nargs - 1);
    return 1;
  }
  lua_Integer first = luaL_checkinteger(L, selector);
  if (first < 0)
    first += nargs;  // counts from the end
  else if (first > nargs)
    first = nargs;
  luaL_argcheck(L, first >= 1, selector, "index out of range");
  return nargs - static_cast<int>(first);
}

// Finishes pcall and xpcall, directly or as their continuation. On success
// the results are everything above the `extra` slots below `true`.
int finishpcall(lua_State* L, int status, lua_KContext extra) {
  if (luai_likely(status == LUA_OK || status == LUA_YIELD))
    return lua_gettop(L) - static_cast<int>(extra);
  const int error = lua_gettop(L);
  lua_pushboolean(L, 0);
  lua_pushvalue(L, error);
  return 2;
}

int luaB_pcall(lua_State* L) {
  constexpr int func = 1;
  luaL_checkany(L, func);
  lua_pushboolean(L, 1);
  lua_insert(L, func);  // true, f, args...
  const int nargs = lua_gettop(L) - 2;
  const int status = lua_pcallk(L, nargs, LUA_MULTRET, 0, 0, finishpcall);
  return finishpcall(L, status, 0);
}

// The stack becomes f, msgh, true, f, args...: the handler stays in slot 2
// for lua_pcallk, and the two slots below `true` are not results.
int luaB_xpcall(lua_State* L) {
  constexpr int func = 1;
  constexpr int handler = 2;
  constexpr int firstarg = 3;
  const int nargs = lua_gettop(L) - 2;
  luaL_checktype(L, handler, LUA_TFUNCTION);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, func);
  lua_rotate(L, firstarg, 2);
  const int status = lua_pcallk(L, nargs, LUA_MULTRET, handler, 2, finishpcall);
  return finishpcall(L, status, 2);
}

int luaB_tostring(lua_State* L) {
  constexpr int value = 1;
  luaL_checkany(L, value);
  luaL_tolstring(L, value, nullptr);
  return 1;
}

// The registration list; the data-only lines (name, function) are the
// same as Lua's by necessity: both are fixed by the language and by the
// rule of keeping Lua's function names.
const luaL_Reg base_funcs[] = {
    {"assert", luaB_assert},
    {"collectgarbage", luaB_collectgarbage},
    {"dofile", luaB_dofile},
    {"error", luaB_error},
    {"getmetatable", luaB_getmetatable},
    {"ipairs", luaB_ipairs},
    {"loadfile", luaB_loadfile},
    {"load", luaB_load},
    {"next", luaB_next},
    {"pairs", luaB_pairs},
    {"pcall", luaB_pcall},
    {"print", luaB_print},
    {"warn", luaB_warn},
    {"rawequal", luaB_rawequal},
    {"rawlen", luaB_rawlen},
    {"rawget", luaB_rawget},
    {"rawset", luaB_rawset},
    {"select", luaB_select},
    {"setmetatable", luaB_setmetatable},
    {"tonumber", luaB_tonumber},
    {"tostring", luaB_tostring},
    {"type", luaB_type},
    {"xpcall", luaB_xpcall},
    // Filled in by luaopen_base; listed so the table is sized for them.
    {LUA_GNAME, nullptr},
    {"_VERSION", nullptr},
    {nullptr, nullptr},
};

}  // namespace

int luaopen_base(lua_State* L) {
  lua_pushglobaltable(L);
  const int globals = lua_gettop(L);
  luaL_setfuncs(L, base_funcs, 0);
  lua_pushvalue(L, globals);
  lua_setfield(L, globals, LUA_GNAME);
  lua_pushstring(L, LUA_VERSION);
  lua_setfield(L, globals, "_VERSION");
  return 1;
}
