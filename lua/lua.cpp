/// \file
/// The stand-alone interpreter `lua`: runs the script, `-e` strings and
/// `-l` modules of its command line, and a read-eval-print loop on a
/// terminal, with the options, messages and exit statuses of lua5.4.
///
/// Mirrors: Lua 5.4 lua.c
/// Book: chapter 11
///
/// Design: `main` only creates the state and calls `pmain` through
/// lua_pcall, so that an error anywhere (opening the libraries, building
/// `arg`, a `require` gone wrong) is reported as "lua: message" instead
/// of ending the process. `pmain` reads every option before it runs any
/// code (collectargs), because -E and -v act before the first chunk;
/// then it runs LUA_INIT, the -e and -l options in command-line order,
/// the script, and the REPL. The first failure ends the program.
///
/// - **Invariant ONE-DOOR.** Every chunk, REPL lines included, runs
///   through `docall`: under `msghandler` (the message plus a traceback)
///   and with the SIGINT handler installed only for the duration of the
///   call. Outside a call SIGINT keeps its default action, so Ctrl-C at
///   the prompt ends the program as it does lua5.4.
/// - **Invariant SIGNAL-SAFE.** The signal handler changes nothing but
///   the hook (lua_sethook is the one API function that may run inside a
///   signal handler); the hook, called by the interpreter at its next
///   call, return, line or instruction, raises the error "interrupted!"
///   from a point where raising is safe.
/// - **Invariant ONE-RESULT.** In the REPL, `loadline` starts from an
///   empty stack and leaves exactly one value: the compiled chunk, or the
///   message saying why it did not compile.
/// - **Invariant EXIT.** The exit status is 0 exactly when every step
///   that ran succeeded; errors inside the REPL are reported and do not
///   count (the REPL itself always succeeds).
///
/// Differences from Lua:
/// - collectargs returns a struct of named flags and the script's index
///   instead of a bit mask and an out-parameter: the flags read as words.
/// - The REPL always reads through GNU readline, as Debian's lua5.4 (built
///   with LUA_USE_READLINE) does; lua.c's fgets fallback, its
///   LUA_MAXINPUT line limit and the newline stripping it needs are left
///   out, since readline returns whole lines without the newline.
/// - The usage message is printed from a table of options and their help
///   lines rather than from one literal, so that the table reads as the
///   list of options; the text printed is the same.
/// - dolibrary splits "g=mod" into a copy of `g` and a view of `mod`
///   rather than writing a '\0' into argv.
/// - The line readline returns is owned by a unique_ptr, so an error
///   while pushing it (out of memory) no longer leaks it.
/// - A missing message (what `report` sees after EOF in the middle of an
///   incomplete statement) is printed as "(null)" on purpose: lua.c hands
///   the null pointer to printf, and glibc prints that.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

// readline's headers need stdio's FILE declared first.
#include <readline/history.h>
#include <readline/readline.h>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"
#include "lib/lvizlib.hpp"

namespace {

// The state the signal handler interrupts; set by docall.
lua_State* globalL = nullptr;

// The name in front of messages: argv[0] once pmain has seen it, none
// (null) inside the REPL.
const char* progname = "lua";

// ---------------------------------------------------------------------------
// Interrupting a running chunk
// ---------------------------------------------------------------------------

void setsignal(int sig, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  action.sa_flags = 0;
  sigemptyset(&action.sa_mask);  // other signals stay deliverable
  sigaction(sig, &action, nullptr);
}

// The hook laction installs: it runs inside the interpreter, where an
// error can be raised, and fires once per signal.
void lstop(lua_State* L, lua_Debug*) {
  lua_sethook(L, nullptr, 0, 0);
  luaL_error(L, "interrupted!");
}

// The SIGINT handler (invariant SIGNAL-SAFE). It restores the default
// action first, so that a second Ctrl-C kills a program that never
// reaches the hook (stuck in a long C function).
void laction(int sig) {
  constexpr int every_event =
      LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  setsignal(sig, SIG_DFL);
  lua_sethook(globalL, lstop, every_event, 1);
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

// One line of the usage message per option, as lua5.4 prints them.
struct OptionHelp {
  const char* option;
  const char* help;
};

constexpr OptionHelp kOptionHelp[] = {
    {"-e stat", "execute string 'stat'"},
    {"-i", "enter interactive mode after executing 'script'"},
    {"-l mod", "require library 'mod' into global 'mod'"},
    {"-l g=mod", "require library 'mod' into global 'g'"},
    {"-v", "show version information"},
    {"-E", "ignore environment variables"},
    {"-W", "turn warnings on"},
    {"--", "stop handling options"},
    {"-", "stop handling options and execute stdin"},
};

// Says what was wrong with `badoption` (an unknown option, or -e or -l
// without its operand), then how the program is used.
void print_usage(const char* badoption) {
  lua_writestringerror("%s: ", progname);
  const char letter = badoption[1];
  if (letter == 'e' || letter == 'l')
    lua_writestringerror("'%s' needs argument\n", badoption);
  else
    lua_writestringerror("unrecognized option '%s'\n", badoption);
  std::fprintf(stderr, "usage: %s [options] [script [args]]\n", progname);
  std::fputs("Available options are:\n", stderr);
  for (const auto& [option, help] : kOptionHelp)
    std::fprintf(stderr, "  %-9s %s\n", option, help);
  std::fflush(stderr);
}

// A null `msg` prints as glibc prints lua.c's null (file header).
void l_message(const char* pname, const char* msg) {
  if (pname != nullptr) lua_writestringerror("%s: ", pname);
  lua_writestringerror("%s\n", msg != nullptr ? msg : "(null)");
}

// After a failure, prints the message on top of the stack (a string by
// then: Lua's own or msghandler's) and pops it. Passes `status` through.
int report(lua_State* L, int status) {
  if (status == LUA_OK) return status;
  l_message(progname, lua_tostring(L, -1));
  lua_pop(L, 1);
  return status;
}

constexpr int kErrorObject = 1;  // msghandler's only argument

// Whether the error object's __tostring gave a string, now on top.
bool described_by_tostring(lua_State* L) {
  return luaL_callmeta(L, kErrorObject, "__tostring") &&
         lua_type(L, -1) == LUA_TSTRING;
}

// Turns the error object into the text `report` prints: a message gets a
// traceback; another value prints its __tostring (with no traceback, as
// lua.c does) or its type.
int msghandler(lua_State* L) {
  const char* text = lua_tostring(L, kErrorObject);
  if (text == nullptr) {
    if (described_by_tostring(L)) return 1;
    text = lua_pushfstring(L, "(error object is a %s value)",
                           luaL_typename(L, kErrorObject));
  }
  constexpr int below_handler = 1;  // level 0 would be msghandler itself
  luaL_traceback(L, L, text, below_handler);
  return 1;
}

// Ctrl-C interrupts the chunk only while this object lives.
struct InterruptibleCall {
  explicit InterruptibleCall(lua_State* L) {
    globalL = L;
    setsignal(SIGINT, laction);
  }
  ~InterruptibleCall() { setsignal(SIGINT, SIG_DFL); }
  InterruptibleCall(const InterruptibleCall&) = delete;
  InterruptibleCall& operator=(const InterruptibleCall&) = delete;
};

// Calls the function that sits below its `narg` arguments, with
// msghandler slipped in under it for the call (invariant ONE-DOOR).
int docall(lua_State* L, int narg, int nres) {
  const int handler = lua_gettop(L) - narg;  // where the function is now
  lua_pushcfunction(L, msghandler);
  lua_insert(L, handler);
  int status = LUA_OK;
  {
    const InterruptibleCall interruptible(L);
    status = lua_pcall(L, narg, nres, handler);
  }
  lua_remove(L, handler);
  return status;
}

void print_version() {
  constexpr std::string_view banner = LUA_COPYRIGHT;
  lua_writestring(banner.data(), banner.size());
  lua_writeline();
}

// ---------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------

// The global `arg`: argv[script] at index 0, the script's arguments at
// 1, 2, ..., and the interpreter and its options at negative indices.
// Without a script, the interpreter's name takes index 0.
void createargtable(lua_State* L, char** argv, int argc, int script) {
  const int zero = script < argc ? script : 0;
  const int positives = argc - zero - 1;
  lua_createtable(L, positives, zero + 1);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - zero);
  }
  lua_setglobal(L, "arg");
}

// Runs a chunk that was just loaded, or reports why it was not.
int dochunk(lua_State* L, int loadstatus) {
  const int status = loadstatus == LUA_OK ? docall(L, 0, 0) : loadstatus;
  return report(L, status);
}

// `name` null means standard input.
int dofile(lua_State* L, const char* name) {
  return dochunk(L, luaL_loadfile(L, name));
}

int dostring(lua_State* L, std::string_view code, const char* chunkname) {
  return dochunk(L, luaL_loadbuffer(L, code.data(), code.size(), chunkname));
}

// Runs `g = require("mod")` for the operand "g=mod", or `mod =
// require("mod")` for a plain "mod".
int dolibrary(lua_State* L, std::string_view operand) {
  const std::size_t equals = operand.find('=');
  const bool renamed = equals != std::string_view::npos;
  const std::string globname(operand.substr(0, equals));
  const std::string_view modname =
      renamed ? operand.substr(equals + 1) : operand;
  lua_getglobal(L, "require");
  lua_pushlstring(L, modname.data(), modname.size());
  const int status = docall(L, 1, 1);
  if (status == LUA_OK) lua_setglobal(L, globname.c_str());
  return report(L, status);
}

// Pushes arg[1] .. arg[#arg], the script's `...`; returns their number.
int pushargs(lua_State* L) {
  if (lua_getglobal(L, "arg") != LUA_TTABLE)
    luaL_error(L, "'arg' is not a table");
  const int argtable = lua_gettop(L);
  const auto count = static_cast<int>(luaL_len(L, argtable));
  luaL_checkstack(L, count + 3, "too many arguments to script");
  for (int n = 1; n <= count; n++) lua_rawgeti(L, argtable, n);
  lua_remove(L, argtable);
  return count;
}

// Runs the script argv[0] with its arguments. "-" is standard input,
// unless "--" came just before it (then it is a file named "-").
int handle_script(lua_State* L, char** argv) {
  const std::string_view name = argv[0];
  const bool isstdin = name == "-" && std::string_view(argv[-1]) != "--";
  const int loaded = luaL_loadfile(L, isstdin ? nullptr : argv[0]);
  if (loaded != LUA_OK) return report(L, loaded);
  const int nargs = pushargs(L);
  return report(L, docall(L, nargs, LUA_MULTRET));
}

// What collectargs learnt before any code runs.
struct Args {
  bool error = false;        // a bad option, at argv[first]
  bool interactive = false;  // -i
  bool version = false;      // -v (or -i, which implies it)
  bool execute = false;      // at least one -e
  bool noenv = false;        // -E
  int first = 0;             // the script's index; argc when there is none
};

Args badoption(int index) {
  return Args{.error = true, .first = index};
}

// An operand of -e or -l: present, and not another option.
bool isoperand(const char* arg) {
  return arg != nullptr && arg[0] != '-';
}

// Reads the options up to the script (a non-option, "-", or whatever
// follows "--"). Only -e and -l take an operand, which may be glued to
// them ("-eprint(1)") or be the next argument; the others stand alone.
Args collectargs(char** argv) {
  Args args;
  int i = 1;
  for (; argv[i] != nullptr; i++) {
    const char* const option = argv[i];
    if (option[0] != '-' || option[1] == '\0') break;
    const char letter = option[1];
    const bool alone = option[2] == '\0';
    if (letter == '-') {
      if (!alone) return badoption(i);
      args.first = i + 1;
      return args;
    }
    if (letter == 'e' || letter == 'l') {
      if (alone && !isoperand(argv[i + 1])) return badoption(i);
      if (alone) i++;
      args.execute = args.execute || letter == 'e';
      continue;
    }
    if (!alone || std::strchr("EWiv", letter) == nullptr) return badoption(i);
    args.noenv = args.noenv || letter == 'E';
    args.interactive = args.interactive || letter == 'i';
    args.version = args.version || letter == 'i' || letter == 'v';
  }
  args.first = i;
  return args;
}

// Acts on the options before the script, in order: -e and -l run code,
// -W turns warnings on. False after the first failure.
bool runargs(lua_State* L, char** argv, int script) {
  for (int i = 1; i < script; i++) {
    const char letter = argv[i][1];
    if (letter == 'W') lua_warning(L, "@on", 0);
    if (letter != 'e' && letter != 'l') continue;
    const char* const operand = argv[i][2] != '\0' ? argv[i] + 2 : argv[++i];
    const int status = letter == 'e' ? dostring(L, operand, "=(command line)")
                                     : dolibrary(L, operand);
    if (status != LUA_OK) return false;
  }
  return true;
}

// The variables tried in turn, each as the chunk name its code runs
// under ('=' keeps the name as it is in messages).
constexpr const char* kInitChunkNames[] = {"=LUA_INIT" LUA_VERSUFFIX,
                                           "=LUA_INIT"};

// Runs the first of LUA_INIT_5_4 and LUA_INIT that is set: "@file" runs
// that file, anything else is Lua code.
int handle_luainit(lua_State* L) {
  for (const char* chunkname : kInitChunkNames) {
    const char* const init = std::getenv(chunkname + 1);
    if (init == nullptr) continue;
    if (init[0] == '@') return dofile(L, init + 1);
    return dostring(L, init, chunkname);
  }
  return LUA_OK;
}

// ---------------------------------------------------------------------------
// The read-eval-print loop
// ---------------------------------------------------------------------------

constexpr const char* kPrompt = "> ";
constexpr const char* kPrompt2 = ">> ";

// The compiler ends the message of a statement cut short with this.
constexpr std::string_view kEofMark = "<eof>";

// loadline's result when the input has ended.
constexpr int kNoInput = -1;

// The prompt to show: _PROMPT (_PROMPT2 for a continuation line) through
// tostring, or the default. Leaves the global's string (or nil) on the
// stack, which keeps the returned text alive.
const char* get_prompt(lua_State* L, bool firstline) {
  const char* const global = firstline ? "_PROMPT" : "_PROMPT2";
  if (lua_getglobal(L, global) == LUA_TNIL)
    return firstline ? kPrompt : kPrompt2;
  const char* const text = luaL_tolstring(L, -1, nullptr);
  lua_remove(L, -2);
  return text;
}

// Whether the load failed only because the statement is not finished
// (the input ran out, so the message ends with "<eof>"); such a message
// is popped, since the caller will read more.
bool incomplete(lua_State* L, int status) {
  if (status != LUA_ERRSYNTAX) return false;
  std::size_t length = 0;
  const char* const msg = lua_tolstring(L, -1, &length);
  if (!std::string_view(msg, length).ends_with(kEofMark)) return false;
  lua_pop(L, 1);
  return true;
}

struct FreeLine {
  void operator()(char* line) const { std::free(line); }
};

// Shows the prompt, reads one line and pushes it in place of the prompt;
// false at the end of input (the prompt is then left for the caller to
// drop). A first line "=expr" means "return expr", as in Lua 5.2.
bool pushline(lua_State* L, bool firstline) {
  const std::unique_ptr<char, FreeLine> line(
      readline(get_prompt(L, firstline)));
  if (line == nullptr) return false;
  lua_pop(L, 1);
  const std::string_view text = line.get();
  if (firstline && text.starts_with('='))
    lua_pushfstring(L, "return %s", line.get() + 1);
  else
    lua_pushlstring(L, text.data(), text.size());
  return true;
}

// Tries the line on top as the expression list of "return <line>;". On
// success the chunk replaces the "return" text (the line stays below it)
// and the line goes into the history; on failure the stack is as before.
int addreturn(lua_State* L) {
  const char* const line = lua_tostring(L, -1);
  lua_pushfstring(L, "return %s;", line);
  std::size_t length = 0;
  const char* const retline = lua_tolstring(L, -1, &length);
  const int status = luaL_loadbuffer(L, retline, length, "=stdin");
  lua_remove(L, -2);  // the "return" text, below the chunk or the message
  if (status != LUA_OK)
    lua_pop(L, 1);  // leave the line alone for multiline
  else if (line[0] != '\0')
    add_history(line);
  return status;
}

// Joins the continuation line on top to the statement at index 1, with a
// newline between them.
void appendline(lua_State* L) {
  lua_pushliteral(L, "\n");
  lua_insert(L, -2);
  lua_concat(L, 3);
}

// Compiles the statement at index 1 as it is, reading continuation lines
// while it is incomplete. The whole statement goes into the history as
// one entry once it compiles, fails for good, or the input ends.
int multiline(lua_State* L) {
  while (true) {
    std::size_t length = 0;
    const char* const statement = lua_tolstring(L, 1, &length);
    const int status = luaL_loadbuffer(L, statement, length, "=stdin");
    if (incomplete(L, status) && pushline(L, false)) {
      appendline(L);
      continue;
    }
    add_history(statement);
    return status;
  }
}

// Reads a line and compiles it, first as an expression (so that its
// values get printed), then as a statement (invariant ONE-RESULT).
// Returns the status of the compilation, or kNoInput.
int loadline(lua_State* L) {
  lua_settop(L, 0);
  if (!pushline(L, true)) return kNoInput;
  int status = addreturn(L);
  if (status != LUA_OK) status = multiline(L);
  lua_remove(L, 1);  // the line's text
  return status;
}

// Prints the values a line left on the stack, through the global
// `print`, which a user may have replaced.
void l_print(lua_State* L) {
  const int count = lua_gettop(L);
  if (count == 0) return;
  luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
  lua_getglobal(L, "print");
  lua_insert(L, 1);
  if (lua_pcall(L, count, 0, 0) == LUA_OK) return;
  const char* const why = lua_tostring(L, -1);
  l_message(progname, lua_pushfstring(L, "error calling 'print' (%s)", why));
}

// Errors are reported without the program's name, and end nothing:
// only the end of input leaves the loop.
void doREPL(lua_State* L) {
  const char* const saved_progname = progname;
  progname = nullptr;
  rl_readline_name = "lua";  // the name ~/.inputrc can test for
  for (int status = loadline(L); status != kNoInput; status = loadline(L)) {
    if (status == LUA_OK) status = docall(L, 0, LUA_MULTRET);
    if (status == LUA_OK)
      l_print(L);
    else
      report(L, status);
  }
  lua_settop(L, 0);
  lua_writeline();
  progname = saved_progname;
}

// ---------------------------------------------------------------------------
// The program
// ---------------------------------------------------------------------------

// With neither a script nor -e, -v or -i: a REPL on a terminal, and
// otherwise standard input run as one chunk.
void runstdin(lua_State* L) {
  if (isatty(STDIN_FILENO) == 0) {
    dofile(L, nullptr);
    return;
  }
  print_version();
  doREPL(L);
}

// The state before any code runs: libraries, `arg`, collector mode.
void prepare(lua_State* L, char** argv, int argc, const Args& args) {
  if (args.noenv) {  // the package library reads this
    lua_pushboolean(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  }
  luaL_openlibs(L);
  viz_preload(L);  // `require "viz"` works; no global is added
  createargtable(L, argv, argc, args.first);
  lua_gc(L, LUA_GCGEN, 0, 0);  // lua.c runs programs in generational mode
}

// The protected body of the program; its one result, true, says that
// every step succeeded (invariant EXIT).
int pmain(lua_State* L) {
  const auto argc = static_cast<int>(lua_tointeger(L, 1));
  auto** const argv = static_cast<char**>(lua_touserdata(L, 2));
  const Args args = collectargs(argv);
  luaL_checkversion(L);
  if (argv[0] != nullptr && argv[0][0] != '\0') progname = argv[0];
  if (args.error) {
    print_usage(argv[args.first]);
    return 0;
  }
  if (args.version) print_version();
  prepare(L, argv, argc, args);
  if (!args.noenv && handle_luainit(L) != LUA_OK) return 0;
  if (!runargs(L, argv, args.first)) return 0;
  const bool hasscript = args.first < argc;
  if (hasscript && handle_script(L, argv + args.first) != LUA_OK) return 0;
  if (args.interactive)
    doREPL(L);
  else if (!hasscript && !args.execute && !args.version)
    runstdin(L);
  lua_pushboolean(L, 1);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  lua_State* const L = luaL_newstate();
  if (L == nullptr) {
    l_message(argv[0], "cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  const int status = lua_pcall(L, 2, 1, 0);
  const bool succeeded = status == LUA_OK && lua_toboolean(L, -1) != 0;
  report(L, status);
  lua_close(L);
  return succeeded ? EXIT_SUCCESS : EXIT_FAILURE;
}
