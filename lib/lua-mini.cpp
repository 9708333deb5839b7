/// \file
/// lua-mini: a small stand-alone runner for chapter 10's stage, which runs
/// one script (or standard input) in a state with the libraries written so
/// far and reports errors exactly as `lua5.4 script.lua` does.
///
/// Mirrors: Lua 5.4 lua.c (the script path of it: pmain, handle_script,
/// docall, msghandler, report, createargtable and pushargs)
/// Book: chapter 10
///
/// Usage: `lua-mini script.lua [args]`, `lua-mini - [args]` (standard
/// input), or `lua-mini` with no arguments (standard input too).
///
/// Design: as in lua.c, all the work happens in `pmain`, a C function run
/// by lua_pcall, so that even errors while opening libraries or building
/// `arg` are caught; the script itself runs under a second lua_pcall whose
/// message handler appends a traceback.
///
/// - **Invariant SAME-REPORT.** For a script run as `PROG script.lua args`,
///   standard output, standard error (with PROG in place of the program
///   name) and the exit status are those of lua5.4: errors print as
///   "PROG: message" followed by the traceback, a script that cannot be
///   loaded prints "PROG: cannot open ..." or the syntax error, and the
///   exit status is 1 after any error in a script (standard input run
///   without arguments exits with 0 even after an error, as in lua.c).
///   This is why the runner keeps lua.c's shape: the traceback's last
///   line, "[C]: in ?", is `pmain` itself, and the collector runs in
///   generational mode, as lua.c sets it.
///
/// Differences from Lua: no options other than `-` and `--` (no -e, -l,
/// -i, -v, -E, -W), no LUA_INIT, no interactive mode (standard input is
/// always run as a file) and no SIGINT handler; chapter 11's `lua` has all
/// of them. Unknown options get lua.c's "unrecognized option" line and a
/// short usage.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"
#include "lib/lvizlib.hpp"

namespace {

// argv[0] once pmain has seen it, as lua.c shows it in front of messages.
const char* progname = "lua-mini";

void l_message(const char* pname, const char* msg) {
  if (pname != nullptr) lua_writestringerror("%s: ", pname);
  lua_writestringerror("%s\n", msg);
}

// Prints the error message on top (always a string by then: produced by
// Lua or by msghandler), pops it, and passes the status through.
int report(lua_State* L, int status) {
  if (status == LUA_OK) return LUA_OK;
  const int message = lua_gettop(L);
  l_message(progname, lua_tostring(L, message));
  lua_settop(L, message - 1);
  return status;
}

// The message handler of every chunk: the message plus a traceback. An
// error object that is not a string is described by its __tostring (and
// then gets no traceback) or by its type.
int msghandler(lua_State* L) {
  constexpr int errobj = 1;
  const char* text = lua_tostring(L, errobj);
  if (text == nullptr) {
    const bool described = luaL_callmeta(L, errobj, "__tostring") &&
                           lua_type(L, -1) == LUA_TSTRING;
    if (described) return 1;
    text = lua_pushfstring(L, "(error object is a %s value)",
                           luaL_typename(L, errobj));
  }
  constexpr int fromcaller = 1;  // level 0 is msghandler itself
  luaL_traceback(L, L, text, fromcaller);
  return 1;
}

// Calls the function below the top `narg` values with msghandler as the
// message handler, which sits below it only during the call.
int docall(lua_State* L, int narg, int nres) {
  const int handler = lua_gettop(L) - narg;  // where the function is now
  lua_pushcfunction(L, msghandler);
  lua_insert(L, handler);
  const int status = lua_pcall(L, narg, nres, handler);
  lua_remove(L, handler);
  return status;
}

// The global `arg`: the script name at index 0, its arguments at 1, 2 ...
// and what came before the script (the program name, "--") at negative
// indices. Without a script the program name is at index 0.
void createargtable(lua_State* L, char** argv, int argc, int script) {
  const int zero = script == argc ? 0 : script;
  lua_createtable(L, argc - zero - 1, zero + 1);
  const int table = lua_gettop(L);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, table, i - zero);
  }
  lua_setglobal(L, "arg");
}

// Pushes arg[1] .. arg[#arg], the script's `...`, and returns how many.
int pushargs(lua_State* L) {
  const int type = lua_getglobal(L, "arg");
  if (type != LUA_TTABLE) luaL_error(L, "'arg' is not a table");
  const int table = lua_gettop(L);
  const auto count = static_cast<int>(luaL_len(L, table));
  luaL_checkstack(L, count + 3, "too many arguments to script");
  for (int i = 1; i <= count; i++) lua_rawgeti(L, table, i);
  lua_remove(L, table);
  return count;
}

// Loads the chunk of `fname` (standard input for null) and runs it with
// the arguments pushargs provides, or none; reports any error.
int runchunk(lua_State* L, const char* fname, bool withargs) {
  int status = luaL_loadfile(L, fname);
  if (status != LUA_OK) return report(L, status);
  const int nargs = withargs ? pushargs(L) : 0;
  status = docall(L, nargs, withargs ? LUA_MULTRET : 0);
  return report(L, status);
}

// Runs the script named by argv[0] (standard input for "-", unless it
// followed "--") with the rest of argv as its arguments.
int handle_script(lua_State* L, char** argv) {
  const bool isstdin =
      std::strcmp(argv[0], "-") == 0 && std::strcmp(argv[-1], "--") != 0;
  return runchunk(L, isstdin ? nullptr : argv[0], true);
}

constexpr int kBadOption = -1;

// The index of the script in argv (argc when there is none), after an
// optional "--"; kBadOption for any other option. "-" is a script name.
int findscript(char** argv, int argc) {
  if (argc < 2) return argc;
  const char* first = argv[1];
  if (first[0] != '-' || first[1] == '\0') return 1;
  if (std::strcmp(first, "--") == 0) return 2;
  return kBadOption;
}

void print_usage(const char* badoption) {
  lua_writestringerror("%s: ", progname);
  lua_writestringerror("unrecognized option '%s'\n", badoption);
  lua_writestringerror("usage: %s [script [args]]\n", progname);
}

// The protected body of the program: its one result says whether every
// step succeeded.
int pmain(lua_State* L) {
  constexpr int argcslot = 1;
  constexpr int argvslot = 2;
  const auto argc = static_cast<int>(lua_tointeger(L, argcslot));
  auto** argv = static_cast<char**>(lua_touserdata(L, argvslot));
  if (argv[0] != nullptr && argv[0][0] != '\0') progname = argv[0];
  luaL_checkversion(L);
  const int script = findscript(argv, argc);
  if (script == kBadOption) {
    print_usage(argv[1]);
    return 0;
  }
  luaL_openlibs(L);
  viz_preload(L);  // `require "viz"` works; no global is added
  createargtable(L, argv, argc, script);
  lua_gc(L, LUA_GCGEN, 0, 0);  // as lua.c: scripts see generational mode
  if (script == argc)
    runchunk(L, nullptr, false);  // as lua.c: errors here still exit 0
  else if (handle_script(L, argv + script) != LUA_OK)
    return 0;
  lua_pushboolean(L, 1);
  return 1;
}

// Runs pmain in protected mode and reports an error that escaped it; true
// when the program succeeded.
bool runprotected(lua_State* L, int argc, char** argv) {
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, static_cast<void*>(argv));
  const int status = lua_pcall(L, 2, 1, 0);
  const bool succeeded = status == LUA_OK && lua_toboolean(L, -1) != 0;
  report(L, status);
  return succeeded;
}

}  // namespace

int main(int argc, char** argv) {
  lua_State* const state = luaL_newstate();
  if (state == nullptr) {
    l_message(argv[0], "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  const bool succeeded = runprotected(state, argc, argv);
  lua_close(state);
  return succeeded ? EXIT_SUCCESS : EXIT_FAILURE;
}
