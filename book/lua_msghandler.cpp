/// \file
/// Diagram generator of chapter 11: the stack of the `lua` program at the
/// moment its message handler runs, drawn from inside a real error.
///
/// Mirrors: nothing in Lua; it draws what lua.c's main, pmain, docall and
/// msghandler leave on the stack.
/// Book: chapter 11 (the book target captures stdout as
/// lua_msghandler.dot)
///
/// Design: this program plays the command line `lua script.lua 2 3` the
/// way lua/lua.cpp runs it, in small: `main` calls `pmain` through
/// lua_pcall with argc and argv as its two arguments; `pmain` opens the
/// libraries, loads the script from a string named "@script.lua", pushes
/// the script's arguments and calls it through `docall`, which slips
/// `msghandler` in below the chunk and passes its index to lua_pcall. The
/// script's function `check` raises an error with `error`, so the
/// interpreter calls `msghandler` on the message before it unwinds
/// anything, and `msghandler` draws the thread at that moment with
/// chapter 8's lvm_dot.hpp, then adds a traceback, as lua.cpp's does.
///
/// The picture is also a test. While it runs, the handler checks that it
/// is the running call; that `L->errfunc` is the slot where `docall` put
/// it; that its one argument is the message with its position; that the
/// failing call, `check` at line 4, is still on the stack; that the main
/// chunk still holds the script's arguments as its varargs; and that
/// `pmain`, called from C, has no name. After lua_pcall has returned, the
/// traceback must have one line per level the handler saw, each starting
/// with that level's place ("[C]" or "script.lua:LINE"). Any mismatch
/// makes the program exit with status 1, and the book build fail with it.
/// No address is printed, and the hash seed is fixed.
///
/// Differences from Lua: none; Lua draws no diagrams.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

// The core's headers come first: lauxlib.h defines lua_assert only when
// the core has not.
#include "book/lvm_dot.hpp"
#include "lfunc/ldo.hpp"
#include "lobject/lstate.hpp"

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

using namespace lua;
using lua::CallInfo;  // lua.h declares a global CallInfo too
using lvmdot::fmt;

// The script, as if read from script.lua; the diagram's lines are its.
const char kScript[] =
    "local limit, value = ...\n"
    "local function check(x)\n"
    "  if tonumber(x) > tonumber(limit) then\n"
    "    error(\"value \" .. x .. \" is over \" .. limit)\n"
    "  end\n"
    "  return x\n"
    "end\n"
    "check(value)\n"
    "print(\"not reached\")\n";

constexpr std::string_view kMessage = "script.lua:4: value 3 is over 2";

// The command line `lua script.lua 2 3`, as main receives it.
char kProgram[] = "lua";
char kScriptName[] = "script.lua";
char kLimit[] = "2";
char kValue[] = "3";
char* commandline[] = {kProgram, kScriptName, kLimit, kValue, nullptr};
constexpr int kArgc = 4;
constexpr int kScriptIndex = 1;

std::string diagram;
int mismatches = 0;  // claims of the picture that the state denied

// docall's handler slot, as an offset (what L->errfunc holds).
std::ptrdiff_t handlerslot = 0;

// How each level below the handler starts its traceback line.
std::vector<std::string> places;

// The text of a string (or number) at `idx`; empty for anything else.
std::string_view text(lua_State* L, int idx) {
  const char* s = lua_tostring(L, idx);
  return s != nullptr ? s : "";
}

// What a name of lua_getinfo reads as; empty for none.
std::string_view orempty(const char* s) {
  return s != nullptr ? s : "";
}

void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "lua_msghandler: not so: %s\n", what);
  mismatches++;
}

// ---------------------------------------------------------------------
// What the handler checks before drawing
// ---------------------------------------------------------------------

int msghandler(lua_State* L);
int pmain(lua_State* L);

bool runs(lua_State* L, int level, lua_CFunction f) {
  lua_Debug ar;
  if (lua_getstack(L, level, &ar) == 0) return false;
  lua_getinfo(L, "f", &ar);
  const bool same = lua_tocfunction(L, -1) == f;
  lua_pop(L, 1);
  return same;
}

// The handler is the running call, reached through L->errfunc, and its
// argument is the message, position included.
void checkhandler(lua_State* L) {
  expect(runs(L, 0, msghandler), "msghandler is level 0");
  expect(L->errfunc == handlerslot, "L->errfunc is docall's slot");
  const TValue* handler = s2v(restorestack(L, L->errfunc));
  expect(ttislcf(handler) && fvalue(handler) == msghandler,
         "that slot holds msghandler");
  expect(lua_gettop(L) == 1 && text(L, 1) == kMessage,
         "the one argument is the message with its position");
}

// The varargs of the main chunk, at `ar`, are the script's arguments.
void checkvarargs(lua_State* L, lua_Debug* ar) {
  const char* const wanted[] = {kLimit, kValue};
  for (int n = 1; n <= 2; n++) {
    const bool found = lua_getlocal(L, ar, -n) != nullptr;
    expect(found && text(L, -1) == wanted[n - 1],
           "the chunk's varargs are the script's arguments");
    if (found) lua_pop(L, 1);
  }
  expect(lua_getlocal(L, ar, -3) == nullptr, "and only those two");
}

// The place a traceback line starts with, for the function at `ar`.
std::string place(const lua_Debug& ar) {
  if (ar.currentline <= 0) return fmt("\t%s: in ", ar.short_src);
  return fmt("\t%s:%d: in ", ar.short_src, ar.currentline);
}

// Level by level below the handler: error, check at line 4, the main
// chunk at line 8, pmain with no name, then nothing.
void checklevels(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; level++) {
    lua_getinfo(L, "Sln", &ar);
    places.push_back(place(ar));
    if (level == 2)
      expect(ar.currentline == 4 && orempty(ar.name) == "check",
             "check is still running line 4");
    if (level == 3) checkvarargs(L, &ar);
    if (level == 4) expect(ar.name == nullptr, "pmain has no name");
  }
  expect(places.size() == 4, "four levels below the handler");
  expect(runs(L, 4, pmain), "level 4 is pmain");
}

// ---------------------------------------------------------------------
// The drawing
// ---------------------------------------------------------------------

std::string errfuncnode(lua_State* L) {
  const int s = lvmdot::slot(L, restorestack(L, L->errfunc));
  return fmt(
      "  errfunc [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\" cellpadding=\"4\"><tr><td>L-&gt;errfunc: slot "
      "%d</td></tr><tr><td align=\"left\">the message handler that "
      "docall<br/>inserted below the chunk</td></tr></table>>];\n"
      "  errfunc:e -> main_stack:s%d:w [style=dashed];\n"
      "  main_L -> errfunc [style=invis];\n",
      s, s);
}

std::string draw(lua_State* L) {
  std::string out = lvmdot::opening("lua_msghandler", "LR", 12);
  out += lvmdot::cluster(L, "main", "main thread", "running");
  out += errfuncnode(L);
  out += "}\n";
  return out;
}

// ---------------------------------------------------------------------
// The program, in small
// ---------------------------------------------------------------------

// Draws the stack as the error left it, then does what lua.cpp's
// handler does with a string: adds the traceback.
int msghandler(lua_State* L) {
  checkhandler(L);
  checklevels(L);
  diagram = draw(L);
  luaL_traceback(L, L, lua_tostring(L, 1), 1);  // level 1: below us
  return 1;
}

// The function under `narg` arguments, called with msghandler below it.
int docall(lua_State* L, int narg) {
  const int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  handlerslot = savestack(L, L->ci->func + base);
  const int status = lua_pcall(L, narg, LUA_MULTRET, base);
  lua_remove(L, base);
  return status;
}

// The traceback has one line per level the handler saw, in order.
void checktraceback(std::string_view message) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at != std::string_view::npos;) {
    const std::size_t end = message.find('\n', at);
    lines.push_back(message.substr(at, end - at));
    at = end == std::string_view::npos ? end : end + 1;
  }
  expect(lines.size() == places.size() + 2 && lines[0] == kMessage &&
             lines[1] == "stack traceback:",
         "the message, then one traceback line per level");
  for (std::size_t i = 0; i < places.size() && i + 2 < lines.size(); i++)
    expect(lines[i + 2].starts_with(places[i]),
           "each line starts with its level's place");
}

// Names the C functions the diagram meets by what the script calls them.
void namefunctions(lua_State* L) {
  lvmdot::cfunctions().push_back({pmain, "pmain"});
  lvmdot::cfunctions().push_back({msghandler, "msghandler"});
  for (const char* name : {"error", "tonumber"}) {
    lua_getglobal(L, name);
    lvmdot::cfunctions().push_back({lua_tocfunction(L, -1), name});
    lua_pop(L, 1);
  }
}

// Loads the script and runs it with its arguments; lua.cpp takes them
// back from `arg`, which holds the same strings.
int pmain(lua_State* L) {
  const auto argc = static_cast<int>(lua_tointeger(L, 1));
  auto** const argv = static_cast<char**>(lua_touserdata(L, 2));
  luaL_openlibs(L);
  namefunctions(L);
  if (luaL_loadbuffer(L, kScript, sizeof kScript - 1, "@script.lua") != LUA_OK)
    return lua_error(L);
  for (int i = kScriptIndex + 1; i < argc; i++) lua_pushstring(L, argv[i]);
  const int status = docall(L, argc - kScriptIndex - 1);
  expect(status == LUA_ERRRUN, "the script fails with LUA_ERRRUN");
  checktraceback(text(L, -1));
  return 0;
}

}  // namespace

int main() {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  lua_State* const L = luaL_newstate();
  if (L == nullptr) return 1;
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, kArgc);
  lua_pushlightuserdata(L, commandline);
  const int status = lua_pcall(L, 2, 0, 0);
  if (status != LUA_OK || diagram.empty() || mismatches != 0) {
    std::fprintf(stderr, "lua_msghandler: %s\n",
                 status != LUA_OK ? lua_tostring(L, -1) : "claims failed");
    lua_close(L);
    return 1;
  }
  lua_close(L);
  std::fputs(diagram.c_str(), stdout);
  return 0;
}
