/// \file
/// The compiler command `luac`: compiles Lua files (or lists binary
/// chunks) into one binary chunk that lua5.4 runs, and prints listings in
/// the format of luac5.4, with its options, messages and exit statuses.
///
/// Mirrors: Lua 5.4 luac.c
/// Book: chapter 11
///
/// Design: the options are read first (doargs) into one `Settings`
/// value; then `pmain`, run under lua_pcall, loads every input with
/// luaL_loadfile, which takes sources and binary chunks alike, and joins
/// them into one main function (combine). That function is listed with
/// chapter 7's printer (luaU_print) and written with its dumper
/// (luaU_dump). Like luac.c, this program reaches into the prototypes
/// behind the closures that the API loaded: that is why it includes
/// internal headers, which `lua` never does.
///
/// - **Invariant ONE-CHUNK.** Whatever the number of inputs, what is
///   listed and written is one main function. For several inputs it is
///   the compilation of "(function()end)();" repeated once per input,
///   whose nested functions are then replaced by the inputs' main
///   functions, in order: running the chunk runs each input in turn, with
///   no arguments, each input's _ENV being the outer function's.
/// - **Invariant ANCHORED.** The inputs' closures stay on the stack until
///   the program ends, so their prototypes, now referenced from the
///   combined function without a write barrier, stay reachable whatever
///   the collector does.
/// - **Invariant FATAL.** Every error (a bad option, a file that does not
///   load, an output that cannot be written) prints one message on
///   stderr and exits with status 1 at once, as luac does; nothing is
///   written after an error in a later input.
///
/// Differences from Lua:
/// - The options live in one struct instead of five file-level variables,
///   and doargs returns the list of inputs instead of rewriting argv (luac
///   stores "luac.out" into argv when -l or -p has no file to read).
/// - luac.c clears the combined function's `sizelineinfo` for good; here
///   the size is restored before lua_close, so that the counting
///   allocator frees the line array with the size it was allocated with.
///   luac5.4 5.4.4 lists that function's code with line numbers that
///   change from run to run, and aborts in lua_close with a double free
///   after combining several files (once its output is written); here
///   those lines print as "[-]", as cleared line information should, and
///   the program exits 0.
/// - luac.c keeps a pointer to the state's metamethod names for its
///   listing; chapter 7's printer takes the names from luaT_eventname.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

// The core's headers come first: lauxlib.h keeps their lua_assert
// rather than defining its own.
#include "lobject/lobject.hpp"
#include "lobject/lstate.hpp"
#include "lparser/lprint.hpp"
#include "lparser/lundump.hpp"

#include "lapi/lauxlib.h"

namespace {

constexpr const char* kProgName = "luac";
constexpr const char* kDefaultOutput = "luac.out";

// What the command line asked for.
struct Settings {
  int listing = 0;         // -l given once (code) or more (full listing)
  bool dumping = true;     // write the chunk? (-p: parse only)
  bool stripping = false;  // -s: leave out debug information
  const char* output = kDefaultOutput;  // null: standard output ("-o -")
};

Settings settings;
const char* progname = kProgName;

[[noreturn]] void fatal(const char* message) {
  std::fprintf(stderr, "%s: %s\n", progname, message);
  std::exit(EXIT_FAILURE);
}

// luac prints its null output name through printf, hence "(null)".
[[noreturn]] void cannot(const char* what) {
  const char* const name =
      settings.output != nullptr ? settings.output : "(null)";
  std::fprintf(stderr, "%s: cannot %s %s: %s\n", progname, what, name,
               std::strerror(errno));
  std::exit(EXIT_FAILURE);
}

// The text is luac5.4's, word for word.
constexpr char kUsageText[] =
    "usage: %s [options] [filenames]\n"
    "Available options are:\n"
    "  -l       list (use -l -l for full listing)\n"
    "  -o name  output to file 'name' (default is \"%s\")\n"
    "  -p       parse only\n"
    "  -s       strip debug information\n"
    "  -v       show version information\n"
    "  --       stop handling options\n"
    "  -        stop handling options and process stdin\n";

// `message` is either an unknown option (it starts with '-') or the
// complaint itself.
[[noreturn]] void usage(const char* message) {
  if (message[0] == '-')
    std::fprintf(stderr, "%s: unrecognized option '%s'\n", progname, message);
  else
    std::fprintf(stderr, "%s: %s\n", progname, message);
  std::fprintf(stderr, kUsageText, progname, kDefaultOutput);
  std::exit(EXIT_FAILURE);
}

// The operand of -o: a name, or "-" for standard output; a missing or
// empty operand, or another option, is an error.
void setoutput(const char* name) {
  const bool missing =
      name == nullptr || name[0] == '\0' || (name[0] == '-' && name[1] != '\0');
  if (missing) usage("'-o' needs argument");
  settings.output = std::string_view(name) == "-" ? nullptr : name;
}

// Reads the options into `settings` and returns the inputs. Options end
// at the first non-option, at "-" (standard input, an input itself) or
// after "--". With -l or -p and no input, the input is luac.out, listed
// or checked and not rewritten. -v prints the version; when -v is all
// there was (however often, "--" included) the program ends there.
std::vector<const char*> doargs(int argc, char** argv) {
  if (argv[0] != nullptr && argv[0][0] != '\0') progname = argv[0];
  int versions = 0;
  int i = 1;
  for (; i < argc; i++) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with('-') || arg == "-") break;
    if (arg == "--") {
      i++;
      if (versions > 0) versions++;
      break;
    }
    if (arg == "-l")
      settings.listing++;
    else if (arg == "-o")
      setoutput(argv[++i]);
    else if (arg == "-p")
      settings.dumping = false;
    else if (arg == "-s")
      settings.stripping = true;
    else if (arg == "-v")
      versions++;
    else
      usage(argv[i]);
  }
  std::vector<const char*> inputs(argv + i, argv + argc);
  if (inputs.empty() && (settings.listing > 0 || !settings.dumping)) {
    settings.dumping = false;
    inputs.push_back(kDefaultOutput);
  }
  if (versions > 0) {
    std::printf("%s\n", LUA_COPYRIGHT);
    if (versions == argc - 1) std::exit(EXIT_SUCCESS);
  }
  return inputs;
}

// The source of the combined main function: one call of an empty
// function per input, each call on its own line.
constexpr std::string_view kOneCall = "(function()end)();\n";

// Hands the loader kOneCall as many times as the counter says.
const char* reader(lua_State*, void* ud, std::size_t* size) {
  int& calls_left = *static_cast<int*>(ud);
  if (calls_left == 0) {
    *size = 0;
    return nullptr;
  }
  calls_left--;
  *size = kOneCall.size();
  return kOneCall.data();
}

// The prototype of the Lua closure at stack offset `i` from the top.
lua::Proto* toproto(lua_State* L, int i) {
  return lua::clLvalue(lua::s2v(L->top + i))->p;
}

// The main function to list and write, from the `n` closures on top of
// the stack (invariant ONE-CHUNK). For several inputs it is a new
// function, left on the stack above them.
lua::Proto* combine(lua_State* L, int n) {
  if (n == 1) return toproto(L, -1);
  int calls = n;
  if (lua_load(L, reader, &calls, "=(luac)", nullptr) != LUA_OK)
    fatal(lua_tostring(L, -1));
  lua::Proto* const outer = toproto(L, -1);
  for (int i = 0; i < n; i++) {
    lua::Proto* const input = toproto(L, i - n - 1);
    // Its _ENV is now the outer function's upvalue 0, not a register.
    if (input->sizeupvalues > 0) input->upvalues[0].instack = 0;
    outer->p[i] = input;  // invariant ANCHORED: no barrier needed
  }
  return outer;
}

int writer(lua_State*, const void* p, std::size_t size, void* ud) {
  if (size == 0) return 0;
  const bool written = std::fwrite(p, size, 1, static_cast<FILE*>(ud)) == 1;
  return written ? 0 : 1;
}

void dump(lua_State* L, const lua::Proto* f) {
  const char* const name = settings.output;
  FILE* const out = name == nullptr ? stdout : std::fopen(name, "wb");
  if (out == nullptr) cannot("open");
  lua::luaU_dump(L, f, writer, out, settings.stripping ? 1 : 0);
  if (std::ferror(out) != 0) cannot("write");
  if (std::fclose(out) != 0) cannot("close");
}

// Lists and writes `f`. A combined function has no line information of
// its own in luac's output: its size is hidden for that time only.
void output(lua_State* L, lua::Proto* f, bool combined) {
  const int sizelineinfo = f->sizelineinfo;
  if (combined) f->sizelineinfo = 0;
  if (settings.listing > 0) lua::luaU_print(f, settings.listing > 1, stdout);
  if (settings.dumping) dump(L, f);
  f->sizelineinfo = sizelineinfo;
}

// Loads every input (invariant FATAL), then lists and writes the result.
int pmain(lua_State* L) {
  const auto& inputs =
      *static_cast<const std::vector<const char*>*>(lua_touserdata(L, 1));
  const auto n = static_cast<int>(inputs.size());
  if (lua_checkstack(L, n) == 0) fatal("too many input files");
  for (const char* input : inputs) {
    const bool isstdin = std::string_view(input) == "-";
    if (luaL_loadfile(L, isstdin ? nullptr : input) != LUA_OK)
      fatal(lua_tostring(L, -1));
  }
  output(L, combine(L, n), n > 1);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<const char*> inputs = doargs(argc, argv);
  if (inputs.empty()) usage("no input files given");
  lua_State* const L = luaL_newstate();
  if (L == nullptr) fatal("cannot create state: not enough memory");
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, const_cast<std::vector<const char*>*>(&inputs));
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) fatal(lua_tostring(L, -1));
  lua_close(L);
  return EXIT_SUCCESS;
}
