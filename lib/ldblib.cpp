/// \file
/// The debug library: Lua's window onto the debug API (getinfo, getlocal,
/// sethook, traceback ...), for debuggers, profilers and error reporters.
///
/// Mirrors: Lua 5.4 ldblib.c
/// Book: chapter 10
///
/// Design: every function is a thin translation between Lua values and a
/// C API call of chapter 9 (lua_getinfo, lua_getlocal, lua_sethook ...);
/// the work itself happens in chapter 8's ldebug. Most functions take an
/// optional thread as their first argument and then act on that thread
/// (written L1) instead of the running one (L).
///
/// - **Invariant THREAD-ARG.** getthread says whether argument 1 is a
///   thread; `a.at(k)` is then the stack index of the function's k-th
///   argument after it, so the argument numbers in error messages count
///   the thread exactly as Lua does.
/// - **Invariant FOREIGN-STACK.** L1 may be any thread, in any state, so
///   nothing is pushed on it without checkstack first; values cross
///   between the two stacks only through lua_xmove.
/// - **Invariant HOOKTABLE.** The Lua hooks live in a table in the
///   registry under HOOKKEY, keyed by thread with weak keys (the table is
///   its own metatable): a hook never keeps a dead coroutine alive. The C
///   hook installed in each thread is always hookf, which looks the Lua
///   function up there; gethook calls any other C hook "external hook".
///
/// Differences from Lua:
/// - hookf does not call lua_getinfo(L, "lS", ar): Lua makes that call
///   inside lua_assert, so a release build (Debian's lua5.4) never makes
///   it, and the hook function sees no difference.
/// - hookf and gethook reach the hook table through pushhooktable, which
///   creates it if a program removed it from the registry (Lua would
///   index nil there): the hook then finds no function and does nothing.
/// - Lua's settabss, settabsi and settabsb are one overloaded `settab`:
///   the type of the value, not the name, picks the push.
/// - getthread returns the thread and the argument offset together
///   (ThreadArg) instead of setting an out-parameter.
#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// The registry key of the hook table (invariant HOOKTABLE).
constexpr const char* HOOKKEY = "_HOOKKEY";

// Makes room for `n` values on L1 before anything is pushed on it
// (invariant FOREIGN-STACK); the error is raised in the caller's thread.
void checkstack(lua_State* L, lua_State* L1, int n) {
  if (L1 == L) return;  // the running thread has its usual headroom
  if (luai_unlikely(!lua_checkstack(L1, n))) luaL_error(L, "stack overflow");
}

int db_getregistry(lua_State* L) {
  lua_pushvalue(L, LUA_REGISTRYINDEX);
  return 1;
}

int db_getmetatable(lua_State* L) {
  constexpr int value = 1;
  luaL_checkany(L, value);
  if (lua_getmetatable(L, value) == 0) lua_pushnil(L);
  return 1;
}

// Returns its first argument, whose metatable is now argument 2.
int db_setmetatable(lua_State* L) {
  constexpr int value = 1;
  constexpr int metatable = 2;
  const int type = lua_type(L, metatable);
  luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, metatable,
                   "nil or table");
  lua_settop(L, metatable);
  lua_setmetatable(L, value);
  return 1;
}

// getuservalue(u, n): the n-th user value and true, or fail when `u` is
// not a full userdata or has no n-th value.
int db_getuservalue(lua_State* L) {
  constexpr int udata = 1;
  constexpr int narg = 2;
  const auto n = static_cast<int>(luaL_optinteger(L, narg, 1));
  if (lua_type(L, udata) != LUA_TUSERDATA) {
    luaL_pushfail(L);
    return 1;
  }
  if (lua_getiuservalue(L, udata, n) == LUA_TNONE) return 1;  // nil is there
  lua_pushboolean(L, 1);
  return 2;
}

// setuservalue(u, v, n): returns `u`, or fail when it has no n-th value.
int db_setuservalue(lua_State* L) {
  constexpr int udata = 1;
  constexpr int value = 2;
  constexpr int narg = 3;
  const auto n = static_cast<int>(luaL_optinteger(L, narg, 1));
  luaL_checktype(L, udata, LUA_TUSERDATA);
  luaL_checkany(L, value);
  lua_settop(L, value);
  if (lua_setiuservalue(L, udata, n) == 0) luaL_pushfail(L);
  return 1;
}

// The thread a function acts on and where its other arguments start
// (invariant THREAD-ARG).
struct ThreadArg {
  lua_State* L1;
  int skip;  // 1 when argument 1 is the thread, 0 otherwise
  int at(int k) const { return skip + k; }
};

ThreadArg getthread(lua_State* L) {
  if (lua_isthread(L, 1)) return {lua_tothread(L, 1), 1};
  return {L, 0};
}

// Lua's settabss, settabsi and settabsb as one overloaded setter: sets
// field `key` of getinfo's result table, which is on top, to a string
// (null pushes nil), an integer or a boolean.
void settab(lua_State* L, const char* key, const char* text) {
  lua_pushstring(L, text);
  lua_setfield(L, -2, key);
}

void settab(lua_State* L, const char* key, std::string_view text) {
  lua_pushlstring(L, text.data(), text.size());
  lua_setfield(L, -2, key);
}

void settab(lua_State* L, const char* key, int number) {
  lua_pushinteger(L, number);
  lua_setfield(L, -2, key);
}

void settab(lua_State* L, const char* key, bool flag) {
  lua_pushboolean(L, flag ? 1 : 0);
  lua_setfield(L, -2, key);
}

// Options 'L' and 'f' make lua_getinfo push a value on L1. When L1 is L
// that value lies under the result table, otherwise on L1's top; either
// way it becomes field `key` of the table.
void treatstackoption(lua_State* L, lua_State* L1, const char* key) {
  if (L1 == L)
    lua_rotate(L, -2, 1);  // bring the value above the table
  else
    lua_xmove(L1, L, 1);
  lua_setfield(L, -2, key);
}

bool hasoption(std::string_view options, char letter) {
  return options.find(letter) != std::string_view::npos;
}

// Fills the result table, on L's top, with the fields the options ask
// for, in Lua's order (the stack-pushed values last, 'L' before 'f').
void setinfofields(lua_State* L, lua_State* L1, std::string_view options,
                   const lua_Debug& ar) {
  if (hasoption(options, 'S')) {
    settab(L, "source", std::string_view(ar.source, ar.srclen));
    settab(L, "short_src", ar.short_src);
    settab(L, "linedefined", ar.linedefined);
    settab(L, "lastlinedefined", ar.lastlinedefined);
    settab(L, "what", ar.what);
  }
  if (hasoption(options, 'l')) settab(L, "currentline", ar.currentline);
  if (hasoption(options, 'u')) {
    settab(L, "nups", ar.nups);
    settab(L, "nparams", ar.nparams);
    settab(L, "isvararg", ar.isvararg != 0);
  }
  if (hasoption(options, 'n')) {
    settab(L, "name", ar.name);
    settab(L, "namewhat", ar.namewhat);
  }
  if (hasoption(options, 'r')) {
    settab(L, "ftransfer", ar.ftransfer);
    settab(L, "ntransfer", ar.ntransfer);
  }
  if (hasoption(options, 't')) settab(L, "istailcall", ar.istailcall != 0);
  if (hasoption(options, 'L')) treatstackoption(L, L1, "activelines");
  if (hasoption(options, 'f')) treatstackoption(L, L1, "func");
}

// getinfo([thread,] f or level [, options]). A function is handed to
// lua_getinfo on L1's stack, behind a '>' added to the options; a level
// is looked up with lua_getstack, and one past the stack gives fail.
int db_getinfo(lua_State* L) {
  const ThreadArg a = getthread(L);
  lua_State* const L1 = a.L1;
  const int target = a.at(1);
  const int optarg = a.at(2);
  const char* options = luaL_optstring(L, optarg, "flnSrtu");
  checkstack(L, L1, 3);  // the function, plus 'L' and 'f' results
  luaL_argcheck(L, options[0] != '>', optarg, "invalid option '>'");
  lua_Debug ar;
  if (lua_isfunction(L, target)) {
    options = lua_pushfstring(L, ">%s", options);
    lua_pushvalue(L, target);
    lua_xmove(L, L1, 1);
  } else {
    const auto level = static_cast<int>(luaL_checkinteger(L, target));
    if (lua_getstack(L1, level, &ar) == 0) {
      luaL_pushfail(L);
      return 1;
    }
  }
  if (lua_getinfo(L1, options, &ar) == 0)
    return luaL_argerror(L, optarg, "invalid option");
  lua_newtable(L);
  setinfofields(L, L1, options, ar);
  return 1;
}

// getlocal([thread,] f, n): the name of f's n-th parameter, or fail; no
// value, since f is not running.
int parametername(lua_State* L, int function, int n) {
  lua_pushvalue(L, function);
  lua_pushstring(L, lua_getlocal(L, nullptr, n));  // pops the function
  return 1;
}

// getlocal([thread,] level, n): the name and value of local n of the
// call at `level` (negative n: its n-th vararg), or fail.
int db_getlocal(lua_State* L) {
  const ThreadArg a = getthread(L);
  lua_State* const L1 = a.L1;
  const int levelarg = a.at(1);
  const auto n = static_cast<int>(luaL_checkinteger(L, a.at(2)));
  if (lua_isfunction(L, levelarg)) return parametername(L, levelarg, n);
  const auto level = static_cast<int>(luaL_checkinteger(L, levelarg));
  lua_Debug ar;
  if (luai_unlikely(lua_getstack(L1, level, &ar) == 0))
    return luaL_argerror(L, levelarg, "level out of range");
  checkstack(L, L1, 1);
  const char* name = lua_getlocal(L1, &ar, n);
  if (name == nullptr) {
    luaL_pushfail(L);
    return 1;
  }
  lua_xmove(L1, L, 1);  // the value
  lua_pushstring(L, name);
  lua_insert(L, -2);  // name first, then value
  return 2;
}

// setlocal([thread,] level, n, value): returns the local's name, or fail
// (and the value is dropped) when there is no such local.
int db_setlocal(lua_State* L) {
  const ThreadArg a = getthread(L);
  lua_State* const L1 = a.L1;
  const int levelarg = a.at(1);
  const int valuearg = a.at(3);
  const auto level = static_cast<int>(luaL_checkinteger(L, levelarg));
  const auto n = static_cast<int>(luaL_checkinteger(L, a.at(2)));
  lua_Debug ar;
  if (luai_unlikely(lua_getstack(L1, level, &ar) == 0))
    return luaL_argerror(L, levelarg, "level out of range");
  luaL_checkany(L, valuearg);
  lua_settop(L, valuearg);
  checkstack(L, L1, 1);
  lua_xmove(L, L1, 1);
  const char* name = lua_setlocal(L1, &ar, n);  // pops the value if found
  if (name == nullptr) lua_pop(L1, 1);
  lua_pushstring(L, name);
  return 1;
}

constexpr int kClosure = 1;
constexpr int kUpIndex = 2;

// getupvalue(f, n): the n-th upvalue's name and value, or nothing.
int db_getupvalue(lua_State* L) {
  const auto n = static_cast<int>(luaL_checkinteger(L, kUpIndex));
  luaL_checktype(L, kClosure, LUA_TFUNCTION);
  const char* name = lua_getupvalue(L, kClosure, n);
  if (name == nullptr) return 0;
  lua_pushstring(L, name);
  lua_insert(L, -2);
  return 2;
}

// setupvalue(f, n, v): the n-th upvalue's name, or nothing.
int db_setupvalue(lua_State* L) {
  constexpr int value = 3;
  luaL_checkany(L, value);
  const auto n = static_cast<int>(luaL_checkinteger(L, kUpIndex));
  luaL_checktype(L, kClosure, LUA_TFUNCTION);
  const char* name = lua_setupvalue(L, kClosure, n);  // pops the value
  if (name == nullptr) return 0;
  lua_pushstring(L, name);
  return 1;
}

// The identity of upvalue number argument `nuparg` of the function at
// `funcarg` (null when there is no such upvalue), and its number.
struct UpvalRef {
  void* id;
  int n;
};

UpvalRef checkupval(lua_State* L, int funcarg, int nuparg) {
  const auto n = static_cast<int>(luaL_checkinteger(L, nuparg));
  luaL_checktype(L, funcarg, LUA_TFUNCTION);
  return {lua_upvalueid(L, funcarg, n), n};
}

// An upvalue that upvaluejoin needs: a missing one is an argument error.
int checkjoinable(lua_State* L, int funcarg, int nuparg) {
  const UpvalRef up = checkupval(L, funcarg, nuparg);
  luaL_argcheck(L, up.id != nullptr, nuparg, "invalid upvalue index");
  return up.n;
}

int db_upvalueid(lua_State* L) {
  const UpvalRef up = checkupval(L, kClosure, kUpIndex);
  if (up.id == nullptr)
    luaL_pushfail(L);
  else
    lua_pushlightuserdata(L, up.id);
  return 1;
}

// upvaluejoin(f1, n1, f2, n2): f1's upvalue n1 becomes f2's upvalue n2.
int db_upvaluejoin(lua_State* L) {
  constexpr int f1 = 1;
  constexpr int f2 = 3;
  const int n1 = checkjoinable(L, f1, 2);
  const int n2 = checkjoinable(L, f2, 4);
  luaL_argcheck(L, !lua_iscfunction(L, f1), f1, "Lua function expected");
  luaL_argcheck(L, !lua_iscfunction(L, f2), f2, "Lua function expected");
  lua_upvaluejoin(L, f1, n1, f2, n2);
  return 0;
}

// Pushes the hook table, creating it on first use (invariant HOOKTABLE),
// and returns its index.
int pushhooktable(lua_State* L) {
  const bool existed = luaL_getsubtable(L, LUA_REGISTRYINDEX, HOOKKEY) != 0;
  const int hooks = lua_gettop(L);
  if (existed) return hooks;
  lua_pushstring(L, "k");
  lua_setfield(L, hooks, "__mode");
  lua_pushvalue(L, hooks);
  lua_setmetatable(L, hooks);  // the table is its own metatable
  return hooks;
}

// The hook's second argument: the new line of a line event, nil for the
// other events (the core reports their line as -1).
void pushhookline(lua_State* L, int line) {
  if (line < 0)
    lua_pushnil(L);
  else
    lua_pushinteger(L, line);
}

// Event names, indexed by LUA_HOOKCALL ... LUA_HOOKTAILCALL.
constexpr std::array<const char*, 5> hooknames = {"call", "return", "line",
                                                  "count", "tail call"};

// The C hook of every thread with a Lua hook: calls hooktable[thread]
// with the event's name and, for a line event, the new line (nil for the
// others, whose currentline the core leaves at -1).
void hookf(lua_State* L, lua_Debug* ar) {
  const int hooks = pushhooktable(L);
  lua_pushthread(L);
  if (lua_rawget(L, hooks) != LUA_TFUNCTION) return;
  lua_pushstring(L, hooknames[static_cast<size_t>(ar->event)]);
  pushhookline(L, ar->currentline);
  lua_call(L, 2, 0);
}

// The event mask of sethook's mask string ("c", "r", "l" in any order)
// and count (a positive count adds the count event).
int makemask(std::string_view smask, int count) {
  int mask = 0;
  if (hasoption(smask, 'c')) mask |= LUA_MASKCALL;
  if (hasoption(smask, 'r')) mask |= LUA_MASKRET;
  if (hasoption(smask, 'l')) mask |= LUA_MASKLINE;
  if (count > 0) mask |= LUA_MASKCOUNT;
  return mask;
}

// The mask string gethook reports: the letters of the mask's events, in
// the order "crl" (the count shows in gethook's third result instead).
struct MaskString {
  std::array<char, 4> letters{};
};

MaskString unmakemask(int mask) {
  MaskString s;
  size_t i = 0;
  if ((mask & LUA_MASKCALL) != 0) s.letters[i++] = 'c';
  if ((mask & LUA_MASKRET) != 0) s.letters[i++] = 'r';
  if ((mask & LUA_MASKLINE) != 0) s.letters[i++] = 'l';
  return s;  // value-initialised: the letters end with a NUL
}

// Pushes L1 itself on L, as a key of the hook table.
void pushthreadkey(lua_State* L, lua_State* L1) {
  checkstack(L, L1, 1);
  lua_pushthread(L1);
  lua_xmove(L1, L, 1);
}

// sethook([thread,] f, mask [, count]) sets the hook; sethook([thread])
// removes it.
int db_sethook(lua_State* L) {
  const ThreadArg a = getthread(L);
  lua_State* const L1 = a.L1;
  const int hookarg = a.at(1);
  lua_Hook func = nullptr;
  int mask = 0;
  int count = 0;
  if (lua_isnoneornil(L, hookarg)) {
    lua_settop(L, hookarg);  // nil: the hook table entry is removed
  } else {
    const char* smask = luaL_checkstring(L, a.at(2));
    luaL_checktype(L, hookarg, LUA_TFUNCTION);
    count = static_cast<int>(luaL_optinteger(L, a.at(3), 0));
    func = hookf;
    mask = makemask(smask, count);
  }
  const int hooks = pushhooktable(L);
  pushthreadkey(L, L1);
  lua_pushvalue(L, hookarg);
  lua_rawset(L, hooks);
  lua_sethook(L1, func, mask, count);
  return 0;
}

// gethook([thread]): the hook function (or "external hook" for a C hook
// not set by this library), its mask string and count; fail if none.
int db_gethook(lua_State* L) {
  lua_State* const L1 = getthread(L).L1;
  const lua_Hook hook = lua_gethook(L1);
  if (hook == nullptr) {
    luaL_pushfail(L);
    return 1;
  }
  if (hook != hookf) {
    lua_pushstring(L, "external hook");
  } else {
    // hookf is installed only together with the table
    const int hooks = pushhooktable(L);
    pushthreadkey(L, L1);
    lua_rawget(L, hooks);
    lua_remove(L, hooks);
  }
  lua_pushstring(L, unmakemask(lua_gethookmask(L1)).letters.data());
  lua_pushinteger(L, lua_gethookcount(L1));
  return 3;
}

// A tiny console: runs each line read from standard input as a chunk
// until "cont" or end of file, printing errors on standard error.
int db_debug(lua_State* L) {
  constexpr std::string_view kContinue = "cont\n";
  for (;;) {
    std::array<char, 250> line{};
    lua_writestringerror("%s", "lua_debug> ");
    if (std::fgets(line.data(), line.size(), stdin) == nullptr) return 0;
    const std::string_view command(line.data());
    if (command == kContinue) return 0;
    const bool failed = luaL_loadbuffer(L, command.data(), command.size(),
                                        "=(debug command)") != LUA_OK ||
                        lua_pcall(L, 0, 0, 0) != LUA_OK;
    if (failed) lua_writestringerror("%s\n", luaL_tolstring(L, -1, nullptr));
    lua_settop(L, 0);
  }
}

// traceback([thread,] [message [, level]]). A message that is neither a
// string, a number nor nil comes back untouched. The level counts from
// the caller of traceback in the running thread, from the top in another.
int db_traceback(lua_State* L) {
  const ThreadArg a = getthread(L);
  lua_State* const L1 = a.L1;
  const int msgarg = a.at(1);
  const char* msg = lua_tostring(L, msgarg);
  if (msg == nullptr && !lua_isnoneornil(L, msgarg)) {
    lua_pushvalue(L, msgarg);
    return 1;
  }
  const lua_Integer dflt = L1 == L ? 1 : 0;
  const auto level = static_cast<int>(luaL_optinteger(L, a.at(2), dflt));
  luaL_traceback(L, L1, msg, level);
  return 1;
}

// Deprecated in 5.4: the C API call answers 0 and changes nothing.
int db_setcstacklimit(lua_State* L) {
  const auto limit = static_cast<int>(luaL_checkinteger(L, 1));
  lua_pushinteger(L, lua_setcstacklimit(L, static_cast<unsigned>(limit)));
  return 1;
}

// The registration list, in Lua's order; each line pairs a name fixed by
// the language with the function that keeps Lua's name.
const luaL_Reg dblib[] = {
    {"debug", db_debug},
    {"getuservalue", db_getuservalue},
    {"gethook", db_gethook},
    {"getinfo", db_getinfo},
    {"getlocal", db_getlocal},
    {"getregistry", db_getregistry},
    {"getmetatable", db_getmetatable},
    {"getupvalue", db_getupvalue},
    {"upvaluejoin", db_upvaluejoin},
    {"upvalueid", db_upvalueid},
    {"setuservalue", db_setuservalue},
    {"sethook", db_sethook},
    {"setlocal", db_setlocal},
    {"setmetatable", db_setmetatable},
    {"setupvalue", db_setupvalue},
    {"traceback", db_traceback},
    {"setcstacklimit", db_setcstacklimit},
    {nullptr, nullptr},
};

}  // namespace

int luaopen_debug(lua_State* L) {
  luaL_newlib(L, dblib);
  return 1;
}
