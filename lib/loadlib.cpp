/// \file
/// The package library: `require`, its searchers over package.preload,
/// package.path and package.cpath, and the loading of C modules with
/// dlopen (package.loadlib).
///
/// Mirrors: Lua 5.4 loadlib.c
/// Book: chapter 10
///
/// Design: `require(name)` asks each function of package.searchers in
/// turn for a loader; the first one that returns a function wins, and the
/// others' messages explain a failure. The standard searchers look in
/// package.preload, then for a Lua file along package.path, then for a C
/// library along package.cpath (opened with dlopen, whose `luaopen_*`
/// function is the loader), then for a C library named after the root of
/// a dotted name ("a" for "a.b.c") holding luaopen_a_b_c.
///
/// - **Invariant PACKAGE-UPVALUE.** require and the four searchers hold
///   the package table as their upvalue 1, so they read package.path,
///   package.cpath and package.searchers even after the global `package`
///   is changed or removed.
/// - **Invariant CLIBS.** Every library handle that dlopen returned sits
///   in the registry table CLIBS twice: under its file name (so that a
///   library is opened once per state) and at the next array index (the
///   order of opening). The table's __gc closes the handles in reverse
///   order, when the state closes and nothing can call into them any more.
/// - **Invariant LOADED-ONCE.** require runs a module's loader only while
///   package.loaded[name] is false or nil, and after the loader has run it
///   records there the loader's result (if not nil), or keeps what the
///   loader put there itself, or else stores `true`; so a module that
///   loaded successfully is not loaded again.
///
/// Paths: a path is a list of templates separated by ';' in which every
/// '?' stands for the module name, with its dots turned into directory
/// separators. The defaults (LUA_PATH_DEFAULT, LUA_CPATH_DEFAULT) are
/// Debian's, from luaconf.h; the environment variables LUA_PATH_5_4 or
/// LUA_PATH (LUA_CPATH_5_4, LUA_CPATH) override them, with ";;" standing
/// for the default, unless the registry field LUA_NOENV is set (`lua -E`).
///
/// Differences from Lua:
/// - Only the dlopen back end exists (Lua also has a Windows one, with
///   setprogdir for '!', and a stub for systems without dynamic
///   libraries): Lua Anatomy targets the systems Debian's lua5.4 runs on.
/// - LUA_IGMARK, LUA_CSUBSEP, LUA_LSUBSEP, LUA_PATH_VAR and LUA_CPATH_VAR
///   are constants with Lua's default values rather than macros that
///   luaconf.h may override: our luaconf.h overrides none of them.
/// - searchpath walks the filled-in path with a string_view instead of
///   cutting a writable copy of it at each ';', and the messages and the
///   opening-function names are joined with lua_concat rather than a
///   luaL_Buffer: the results are the same strings.
/// - findloader keeps the searchers' messages as one string in a stack
///   slot, each appended after "\n\t", rather than in a buffer from which
///   the prefix is taken back when a searcher says nothing.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// Lua's configuration macros for paths, as constants (luaconf.h defines
// none of them, so Lua's defaults apply).
constexpr const char* LUA_IGMARK = "-";  // "X-Y": only X names the opener
constexpr const char* LUA_CSUBSEP =
    LUA_DIRSEP;  // replaces '.' in C module names
constexpr const char* LUA_LSUBSEP =
    LUA_DIRSEP;  // replaces '.' in Lua module names
constexpr const char* LUA_PATH_VAR = "LUA_PATH";
constexpr const char* LUA_CPATH_VAR = "LUA_CPATH";

// The start of every C module's opening function (luaopen_lpeg ...) and
// the character that stands for each '.' of a module name in it.
constexpr const char* LUA_POF = "luaopen_";
constexpr const char* LUA_OFSEP = "_";

// The registry key of the table of open C libraries (invariant CLIBS).
constexpr const char* CLIBS = "_CLIBS";

// The third result of a failed package.loadlib: which step failed.
constexpr const char* LIB_FAIL = "open";

// Where require and the searchers keep the package table (invariant
// PACKAGE-UPVALUE).
constexpr int kPackage = lua_upvalueindex(1);

// The module name, the argument of require and of every searcher.
constexpr int kModName = 1;

// ---------------------------------------------------------------------
// The system back end: dlopen, dlsym, dlclose. A failing call pushes the
// system's message and returns null.

void lsys_unloadlib(void* lib) {
  dlclose(lib);
}

// `seeglb` makes the library's symbols available to libraries opened
// after it (RTLD_GLOBAL), as loadlib(path, "*") asks.
void* lsys_load(lua_State* L, const char* path, bool seeglb) {
  const int visibility = seeglb ? RTLD_GLOBAL : RTLD_LOCAL;
  void* const lib = dlopen(path, RTLD_NOW | visibility);
  if (luai_unlikely(lib == nullptr)) lua_pushstring(L, dlerror());
  return lib;
}

lua_CFunction lsys_sym(lua_State* L, void* lib, const char* sym) {
  // POSIX guarantees that a function's address survives the round trip
  // through dlsym's void*.
  auto* const f = reinterpret_cast<lua_CFunction>(dlsym(lib, sym));
  if (luai_unlikely(f == nullptr)) lua_pushstring(L, dlerror());
  return f;
}

// ---------------------------------------------------------------------
// Paths from the environment.

bool noenv(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  const bool set = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return set;
}

// The value of environment variable `envname`, preferring its versioned
// form (LUA_PATH_5_4 over LUA_PATH); null when neither is set.
const char* getenvpath(lua_State* L, const char* envname) {
  const char* versioned = lua_pushfstring(L, "%s%s", envname, LUA_VERSUFFIX);
  const char* value = std::getenv(versioned);
  lua_pop(L, 1);
  return value != nullptr ? value : std::getenv(envname);
}

// Pushes `path` with its first ";;" replaced by the default path `dft`,
// with a separator on each side of it that has a neighbour (";;" alone
// gives `dft`).
void pushwithdefault(lua_State* L, std::string_view path, const char* dft) {
  constexpr std::string_view kMark = LUA_PATH_SEP LUA_PATH_SEP;
  const size_t at = path.find(kMark);
  if (at == std::string_view::npos) {
    lua_pushlstring(L, path.data(), path.size());
    return;
  }
  const std::string_view before = path.substr(0, at);
  const std::string_view after = path.substr(at + kMark.size());
  int pieces = 1;
  if (!before.empty()) {
    lua_pushlstring(L, before.data(), before.size());
    lua_pushstring(L, LUA_PATH_SEP);
    pieces += 2;
  }
  lua_pushstring(L, dft);
  if (!after.empty()) {
    lua_pushstring(L, LUA_PATH_SEP);
    lua_pushlstring(L, after.data(), after.size());
    pieces += 2;
  }
  lua_concat(L, pieces);
}

// A search path of the package table: its field, the environment
// variable that overrides it, and its default.
struct PathSetting {
  const char* field;
  const char* envname;
  const char* dft;
};

// Sets the path's field of the package table (on top) from the
// environment, or to its default.
void setpath(lua_State* L, const PathSetting& setting) {
  const char* fromenv = getenvpath(L, setting.envname);
  if (fromenv != nullptr && !noenv(L))
    pushwithdefault(L, fromenv, setting.dft);
  else
    lua_pushstring(L, setting.dft);
  lua_setfield(L, -2, setting.field);
}

// ---------------------------------------------------------------------
// The CLIBS table (invariant CLIBS).

int pushclibs(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, CLIBS);
  return lua_gettop(L);
}

// The handle of the library already open from `path`, or null.
void* checkclib(lua_State* L, const char* path) {
  const int clibs = pushclibs(L);
  lua_getfield(L, clibs, path);
  void* const lib = lua_touserdata(L, -1);
  lua_settop(L, clibs - 1);
  return lib;
}

void addtoclib(lua_State* L, const char* path, void* lib) {
  const int clibs = pushclibs(L);
  lua_pushlightuserdata(L, lib);
  lua_setfield(L, clibs, path);
  lua_pushlightuserdata(L, lib);
  lua_rawseti(L, clibs, luaL_len(L, clibs) + 1);
  lua_settop(L, clibs - 1);
}

// CLIBS's finalizer: closes the libraries, the last opened first.
int gctm(lua_State* L) {
  constexpr int clibs = 1;
  for (lua_Integer n = luaL_len(L, clibs); n >= 1; n--) {
    lua_rawgeti(L, clibs, n);
    void* const lib = lua_touserdata(L, -1);
    lua_settop(L, clibs);
    lsys_unloadlib(lib);
  }
  return 0;
}

// How lookforfunc failed, if it did (the message is then on the stack).
enum class LoadStatus { ok, errlib, errfunc };

// Opens the library at `path` (once per state) and pushes its C function
// `sym`; a `sym` of "*" only opens the library, with global symbols, and
// pushes true.
LoadStatus lookforfunc(lua_State* L, const char* path, const char* sym) {
  const bool libonly = *sym == '*';
  void* lib = checkclib(L, path);
  if (lib == nullptr) {
    lib = lsys_load(L, path, libonly);
    if (lib == nullptr) return LoadStatus::errlib;
    addtoclib(L, path, lib);
  }
  if (libonly) {
    lua_pushboolean(L, 1);
    return LoadStatus::ok;
  }
  const lua_CFunction f = lsys_sym(L, lib, sym);
  if (f == nullptr) return LoadStatus::errfunc;
  lua_pushcfunction(L, f);
  return LoadStatus::ok;
}

// Turns the message on top into the results `fail, message` and returns
// how many there are.
int failwithmessage(lua_State* L) {
  luaL_pushfail(L);
  lua_rotate(L, -2, 1);
  return 2;
}

// loadlib(path, funcname): the C function, or fail, the system's message
// and "open" or "init" (the step that failed).
int ll_loadlib(lua_State* L) {
  constexpr int patharg = 1;
  constexpr int funcarg = 2;
  const char* path = luaL_checkstring(L, patharg);
  const char* sym = luaL_checkstring(L, funcarg);
  const LoadStatus status = lookforfunc(L, path, sym);
  if (luai_likely(status == LoadStatus::ok)) return 1;
  const int nresults = failwithmessage(L);
  lua_pushstring(L, status == LoadStatus::errlib ? LIB_FAIL : "init");
  return nresults + 1;
}

// ---------------------------------------------------------------------
// require and its searchers.

// "Readable" as Lua means it: fopen for reading succeeds.
bool readable(const char* filename) {
  std::FILE* const f = std::fopen(filename, "r");
  if (f == nullptr) return false;
  std::fclose(f);
  return true;
}

// Pushes the failure message of a search along `path` (its templates
// already filled in): "no file 'T1'\n\tno file 'T2'..." for every template.
void pusherrornotfound(lua_State* L, const char* path) {
  const char* listed = luaL_gsub(L, path, LUA_PATH_SEP, "'\n\tno file '");
  lua_pushfstring(L, "no file '%s'", listed);
  lua_remove(L, -2);  // the substituted path
}

// Finds the first template of `filled` (a path whose marks are replaced)
// that names a readable file, and stores its name in `found`.
bool findreadable(std::string_view filled, std::string& found) {
  for (;;) {
    const size_t sep = filled.find(*LUA_PATH_SEP);
    found.assign(filled.substr(0, sep));
    if (readable(found.c_str())) return true;
    if (sep == std::string_view::npos) return false;
    filled.remove_prefix(sep + 1);
  }
}

// Looks for `name` along `path`, each `sep` in the name read as `dirsep`.
// Pushes and returns the first readable file name, or pushes the list of
// the files tried and returns null.
const char* searchpath(lua_State* L, const char* name, const char* path,
                       const char* sep, const char* dirsep) {
  const bool nested = *sep != '\0' && std::strchr(name, *sep) != nullptr;
  if (nested) name = luaL_gsub(L, name, sep, dirsep);
  const char* filled = luaL_gsub(L, path, LUA_PATH_MARK, name);
  std::string found;
  if (findreadable(filled, found)) return lua_pushstring(L, found.c_str());
  pusherrornotfound(L, filled);
  return nullptr;
}

// searchpath(name, path [, sep [, rep]]): the file name, or fail and the
// list of files tried. The arguments are checked from the last to the
// first: Lua reads them as the arguments of one C call, which GCC
// evaluates right to left, and that order decides which bad argument
// lua5.4 reports.
int ll_searchpath(lua_State* L) {
  const char* dirsep = luaL_optstring(L, 4, LUA_DIRSEP);
  const char* sep = luaL_optstring(L, 3, ".");
  const char* path = luaL_checkstring(L, 2);
  const char* name = luaL_checkstring(L, 1);
  if (searchpath(L, name, path, sep, dirsep) != nullptr) return 1;
  return failwithmessage(L);
}

// Searches `name` along package[pname], which must be a string.
const char* findfile(lua_State* L, const char* name, const char* pname,
                     const char* dirsep) {
  lua_getfield(L, kPackage, pname);
  const char* path = lua_tostring(L, -1);
  if (luai_unlikely(path == nullptr))
    luaL_error(L, "'package.%s' must be a string", pname);
  constexpr const char* kNameSep = ".";
  return searchpath(L, name, path, kNameSep, dirsep);
}

// A searcher's answer once a file was found: the loader (on top) and the
// file name, or an error that names the module and the file.
int checkload(lua_State* L, bool loaded, const char* filename) {
  if (luai_likely(loaded)) {
    lua_pushstring(L, filename);
    return 2;
  }
  const char* modname = lua_tostring(L, kModName);
  const char* reason = lua_tostring(L, -1);
  return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s",
                    modname, filename, reason);
}

const char* checkmodname(lua_State* L) {
  return luaL_checkstring(L, kModName);
}

int searcher_Lua(lua_State* L) {
  const char* filename = findfile(L, checkmodname(L), "path", LUA_LSUBSEP);
  if (filename == nullptr) return 1;  // the "no file" list
  return checkload(L, luaL_loadfile(L, filename) == LUA_OK, filename);
}

// Pushes and returns the name of the opening function for `part`.
const char* pushopenfunc(lua_State* L, std::string_view part) {
  lua_pushstring(L, LUA_POF);
  lua_pushlstring(L, part.data(), part.size());
  lua_concat(L, 2);
  return lua_tostring(L, -1);
}

// Pushes the opening function of module `modname` from the library at
// `filename`: luaopen_ followed by the name with '.' as '_'. A name
// "X-Y" (with the ignore mark) looks for luaopen_X first, then, if the
// library lacks it, for luaopen_Y, the older convention.
LoadStatus loadfunc(lua_State* L, const char* filename, const char* modname) {
  std::string_view name = luaL_gsub(L, modname, ".", LUA_OFSEP);
  const size_t mark = name.find(*LUA_IGMARK);
  if (mark != std::string_view::npos) {
    const char* openfunc = pushopenfunc(L, name.substr(0, mark));
    const LoadStatus status = lookforfunc(L, filename, openfunc);
    if (status != LoadStatus::errfunc) return status;
    name.remove_prefix(mark + 1);
  }
  return lookforfunc(L, filename, pushopenfunc(L, name));
}

int searcher_C(lua_State* L) {
  const char* name = checkmodname(L);
  const char* filename = findfile(L, name, "cpath", LUA_CSUBSEP);
  if (filename == nullptr) return 1;
  const bool loaded = loadfunc(L, filename, name) == LoadStatus::ok;
  return checkload(L, loaded, filename);
}

// For "a.b.c", looks for library "a" along package.cpath and in it for
// luaopen_a_b_c. A plain name has no root: nothing to say.
int searcher_Croot(lua_State* L) {
  const char* name = checkmodname(L);
  const char* dot = std::strchr(name, '.');
  if (dot == nullptr) return 0;
  lua_pushlstring(L, name, static_cast<size_t>(dot - name));
  const char* root = lua_tostring(L, -1);
  const char* filename = findfile(L, root, "cpath", LUA_CSUBSEP);
  if (filename == nullptr) return 1;
  switch (loadfunc(L, filename, name)) {
    case LoadStatus::ok:
      return checkload(L, true, filename);
    case LoadStatus::errfunc:  // the root library is there, the module not
      lua_pushfstring(L, "no module '%s' in file '%s'", name, filename);
      return 1;
    case LoadStatus::errlib:
      break;
  }
  return checkload(L, false, filename);
}

int searcher_preload(lua_State* L) {
  const char* name = checkmodname(L);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  const bool found = lua_getfield(L, lua_gettop(L), name) != LUA_TNIL;
  if (!found) {
    lua_pushfstring(L, "no field package.preload['%s']", name);
    return 1;
  }
  lua_pushstring(L, ":preload:");
  return 2;
}

// Appends the message on top to the notes at index `notes`, after a new
// line and a tab, and pops it.
void addnote(lua_State* L, int notes) {
  lua_pushvalue(L, notes);
  lua_pushstring(L, "\n\t");
  lua_rotate(L, -3, 2);  // notes, "\n\t", message
  lua_concat(L, 3);
  lua_replace(L, notes);
}

// Calls the searchers in order until one returns a loader, and leaves
// that loader and its data on top. Searchers that answer with a string
// explain themselves; if none finds the module, those explanations make
// the error message. Stack on entry: name, package.loaded.
void findloader(lua_State* L, const char* name) {
  constexpr int searchers = 3;
  constexpr int notes = 4;
  const bool istable = lua_getfield(L, kPackage, "searchers") == LUA_TTABLE;
  if (luai_unlikely(!istable))
    luaL_error(L, "'package.searchers' must be a table");
  lua_pushstring(L, "");
  for (lua_Integer i = 1;; i++) {
    if (luai_unlikely(lua_rawgeti(L, searchers, i) == LUA_TNIL))
      luaL_error(L, "module '%s' not found:%s", name, lua_tostring(L, notes));
    lua_pushstring(L, name);
    lua_call(L, 1, 2);  // loader (or message) and loader data
    if (lua_isfunction(L, -2)) return;
    const bool explained = lua_isstring(L, -2);
    lua_settop(L, explained ? notes + 1 : notes);
    if (explained) addnote(L, notes);
  }
}

// require(name): the module and its loader data (invariant LOADED-ONCE).
// The loader gets the name and the loader data (the file name for the
// standard searchers) as its arguments.
int ll_require(lua_State* L) {
  constexpr int loaded = 2;
  const char* name = checkmodname(L);
  lua_settop(L, kModName);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, loaded, name);
  if (lua_toboolean(L, -1)) return 1;  // loaded before
  lua_settop(L, loaded);
  findloader(L, name);  // ..., loader, data
  const int data = lua_gettop(L);
  lua_pushvalue(L, data - 1);
  lua_pushvalue(L, kModName);
  lua_pushvalue(L, data);
  lua_call(L, 2, 1);
  if (!lua_isnil(L, -1)) lua_setfield(L, loaded, name);
  lua_settop(L, data);
  if (lua_getfield(L, loaded, name) == LUA_TNIL) {
    // The loader left no trace: the module is `true`.
    lua_pushboolean(L, 1);
    lua_setfield(L, loaded, name);
    lua_pushboolean(L, 1);
    lua_replace(L, -2);
  }
  lua_pushvalue(L, data);  // ..., module, data
  return 2;
}

// ---------------------------------------------------------------------
// Opening the library.

// package's functions; the fields set by luaopen_package are listed with
// no function so that the table is created with room for them.
const luaL_Reg pk_funcs[] = {
    {"loadlib", ll_loadlib}, {"searchpath", ll_searchpath},
    {"preload", nullptr},    {"cpath", nullptr},
    {"path", nullptr},       {"searchers", nullptr},
    {"loaded", nullptr},     {nullptr, nullptr},
};

// package.searchers, each searcher with the package table (on top) as
// its upvalue (invariant PACKAGE-UPVALUE).
void createsearcherstable(lua_State* L) {
  constexpr lua_CFunction searchers[] = {searcher_preload, searcher_Lua,
                                         searcher_C, searcher_Croot};
  const int package = lua_gettop(L);
  lua_createtable(L, static_cast<int>(std::size(searchers)), 0);
  const int table = lua_gettop(L);
  lua_Integer n = 0;
  for (const lua_CFunction searcher : searchers) {
    lua_pushvalue(L, package);
    lua_pushcclosure(L, searcher, 1);
    lua_rawseti(L, table, ++n);
  }
  lua_setfield(L, package, "searchers");
}

// registry.CLIBS, with the finalizer that closes the libraries (invariant
// CLIBS). It stays on the stack below the package table; luaL_requiref
// keeps only the top value.
void createclibstable(lua_State* L) {
  static constexpr luaL_Reg metamethods[] = {{"__gc", gctm},
                                             {nullptr, nullptr}};
  luaL_getsubtable(L, LUA_REGISTRYINDEX, CLIBS);
  const int clibs = lua_gettop(L);
  luaL_newlib(L, metamethods);
  lua_setmetatable(L, clibs);
}

// Sets package[field] to the registry's table `key`, created if absent.
void setsharedtable(lua_State* L, const char* key, const char* field) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, key);
  lua_setfield(L, -2, field);
}

// package.config: the directory separator, the path separator, the name
// mark, the executable's-directory mark and the ignore mark, a line each.
void setconfig(lua_State* L) {
  lua_pushfstring(L, "%s\n%s\n%s\n%s\n%s\n", LUA_DIRSEP, LUA_PATH_SEP,
                  LUA_PATH_MARK, LUA_EXEC_DIR, LUA_IGMARK);
  lua_setfield(L, -2, "config");
}

}  // namespace

int luaopen_package(lua_State* L) {
  constexpr PathSetting paths[] = {
      {"path", LUA_PATH_VAR, LUA_PATH_DEFAULT},
      {"cpath", LUA_CPATH_VAR, LUA_CPATH_DEFAULT},
  };
  createclibstable(L);
  luaL_newlib(L, pk_funcs);
  const int package = lua_gettop(L);
  createsearcherstable(L);
  for (const PathSetting& setting : paths) setpath(L, setting);
  setconfig(L);
  setsharedtable(L, LUA_LOADED_TABLE, "loaded");
  setsharedtable(L, LUA_PRELOAD_TABLE, "preload");
  // require lives in the global table, with package as its upvalue.
  lua_pushglobaltable(L);
  lua_pushvalue(L, package);
  lua_pushcclosure(L, ll_require, 1);
  lua_setfield(L, -2, "require");
  lua_settop(L, package);
  return 1;
}
