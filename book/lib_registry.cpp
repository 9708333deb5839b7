/// \file
/// Diagram generator of chapter 10: the registry of a state that
/// luaL_openlibs has just filled, drawn as one Graphviz DOT graph.
///
/// Mirrors: nothing in Lua; it draws what linit.c's luaL_openlibs builds.
/// Book: chapter 10 (the book target captures stdout as lib_registry.dot)
///
/// Design: the program is a host like any other. It opens a state with
/// luaL_newstate and luaL_openlibs and then looks at it through lua.h and
/// lauxlib.h alone, as a C module could: no core header is included. It
/// draws the registry with every key it holds (the main thread and the
/// globals at the two integer keys, then the string keys the libraries
/// added), and what those keys lead to: package.loaded (the registry's
/// _LOADED) with one row per library, naming the library's functions by
/// their count and its other fields by name; the package table with its
/// searchers; package.preload; the table of C libraries; the "FILE*"
/// metatable with its methods; the three standard file handles, two of
/// them the default input and output; and the metatable that every string
/// shares, whose __index is the string library. No address is printed:
/// values are drawn by kind, and every list is sorted.
///
/// The picture is also a test. Every claim it makes is checked through the
/// API before it is drawn: that registry[1] is the main thread and
/// registry[2] the globals, that _LOADED holds exactly the ten standard
/// names and that each is the global of that name, that package.loaded and
/// package.preload are the registry's tables, that each searcher (and
/// require) has the package table as upvalue 1, that _CLIBS is empty with
/// a __gc, that the handles' metatable is the registry's "FILE*" and the
/// defaults are io.stdin and io.stdout, that the standard files refuse to
/// close, and that strings index the string library. The registry must
/// hold no key the picture does not explain. Any mismatch is reported on
/// stderr and makes the program exit with status 1, and the book build
/// fail with it.
///
/// Differences from Lua: none; Lua draws no diagrams.
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

int mismatches = 0;  // claims of the picture that the API denied

// Records a claim of the picture that the API does not confirm.
void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "lib_registry: not so: %s\n", what);
  mismatches++;
}

// ---------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------

std::string fmt(const char* f, ...) {
  va_list ap;
  va_start(ap, f);
  char buf[512];
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

// Text for an HTML-like label.
std::string esc(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Colours: the registry, library tables, metatables, userdata.
constexpr const char* kRegistryColour = "#e8e8e8";
constexpr const char* kLibraryColour = "#e2f0cb";
constexpr const char* kMetaColour = "#fff1c1";
constexpr const char* kUdataColour = "#dfe7fd";

// A table node: a bold title row, then rows of (text, port) pairs.
struct Row {
  std::string text;
  std::string port;  // empty: no edge starts or ends here
};

std::string node(const char* id, const char* colour, const std::string& title,
                 const std::vector<Row>& rows) {
  std::string out =
      fmt("  %s [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" "
          "cellpadding=\"3\" bgcolor=\"%s\"><tr><td port=\"t\"><b>",
          id, colour);
  out += title + "</b></td></tr>";
  for (const Row& r : rows) {
    out += r.port.empty() ? "<tr><td" : "<tr><td port=\"" + r.port + "\"";
    out += " align=\"left\">" + r.text + "</td></tr>";
  }
  return out + "</table>>];\n";
}

std::string edge(const std::string& from, const std::string& to,
                 const char* style = "") {
  return "  " + from + " -> " + to + (*style ? fmt(" [%s]", style) : "") +
         ";\n";
}

// ---------------------------------------------------------------------
// Reading tables through the API
// ---------------------------------------------------------------------

// The fields of the table at `t`: how many hold functions, and the names
// of the others (string keys only; the library tables have no other).
struct Fields {
  int functions = 0;
  std::vector<std::string> others;
  std::vector<std::string> functionnames;
};

Fields fieldsof(lua_State* L, int t) {
  Fields f;
  t = lua_absindex(L, t);
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {
    expect(lua_type(L, -2) == LUA_TSTRING, "library tables have string keys");
    const std::string key = lua_tostring(L, -2);
    if (lua_isfunction(L, -1)) {
      f.functions++;
      f.functionnames.push_back(key);
    } else {
      f.others.push_back(key);
    }
    lua_pop(L, 1);
  }
  std::sort(f.others.begin(), f.others.end());
  std::sort(f.functionnames.begin(), f.functionnames.end());
  return f;
}

bool isempty(lua_State* L, int t) {
  lua_pushnil(L);
  if (lua_next(L, lua_absindex(L, t)) == 0) return true;
  lua_pop(L, 2);
  return false;
}

// Whether field `name` of the table at `t` is the value at `v`.
bool fieldis(lua_State* L, int t, const char* name, int v) {
  v = lua_absindex(L, v);
  lua_getfield(L, t, name);
  const bool same = lua_rawequal(L, -1, v) != 0;
  lua_pop(L, 1);
  return same;
}

// The registry's field `key`, pushed; its index.
int registryfield(lua_State* L, const char* key) {
  lua_getfield(L, LUA_REGISTRYINDEX, key);
  return lua_gettop(L);
}

// ---------------------------------------------------------------------
// The registry
// ---------------------------------------------------------------------

// The registry's keys, integers first, then strings in byte order; any
// other key is a claim the picture cannot make.
struct Keys {
  std::vector<lua_Integer> integers;
  std::vector<std::string> strings;
};

Keys registrykeys(lua_State* L) {
  Keys k;
  lua_pushnil(L);
  while (lua_next(L, LUA_REGISTRYINDEX) != 0) {
    lua_pop(L, 1);
    if (lua_isinteger(L, -1))
      k.integers.push_back(lua_tointeger(L, -1));
    else if (lua_type(L, -1) == LUA_TSTRING)
      k.strings.push_back(lua_tostring(L, -1));
    else
      expect(false, "registry keys are integers or strings");
  }
  std::sort(k.integers.begin(), k.integers.end());
  std::sort(k.strings.begin(), k.strings.end());
  return k;
}

// What each string key of the registry is, and the node it leads to.
struct Entry {
  const char* key;
  const char* meaning;
  const char* target;  // node id
};

constexpr Entry kEntries[] = {
    {LUA_FILEHANDLE, "metatable of io's file handles", "filemt"},
    {"_CLIBS", "C libraries opened by require", "clibs"},
    {"_IO_input", "io's default input file", "stdin"},
    {"_IO_output", "io's default output file", "stdout"},
    {LUA_LOADED_TABLE, "package.loaded: the modules", "loaded"},
    {LUA_PRELOAD_TABLE, "package.preload: loaders by name", "preload"},
};

const Entry* findentry(const std::string& key) {
  for (const Entry& e : kEntries)
    if (key == e.key) return &e;
  return nullptr;
}

// Registry keys 1 and 2 hold the main thread and the globals.
void checkintegerkeys(lua_State* L, const Keys& k) {
  expect(k.integers ==
             std::vector<lua_Integer>{LUA_RIDX_MAINTHREAD, LUA_RIDX_GLOBALS},
         "the registry's integer keys are 1 and 2");
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
  const bool ismain = lua_pushthread(L) == 1;
  expect(ismain && lua_rawequal(L, -1, -2), "registry[1] is the main thread");
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushglobaltable(L);
  expect(lua_rawequal(L, -1, -2) != 0, "registry[2] is the globals");
  lua_pop(L, 4);
}

std::string registrynode(lua_State* L) {
  const Keys k = registrykeys(L);
  checkintegerkeys(L, k);
  std::vector<Row> rows = {
      {"[1] LUA_RIDX_MAINTHREAD: the main thread", ""},
      {"[2] LUA_RIDX_GLOBALS: the table of globals", "globals"}};
  for (const std::string& key : k.strings) {
    const Entry* e = findentry(key);
    expect(e != nullptr, "every string key of the registry is explained");
    if (e == nullptr) continue;
    rows.push_back(
        {"[\"" + esc(key) + "\"] " + esc(e->meaning), fmt("k%s", e->target)});
  }
  expect(k.strings.size() == std::size(kEntries),
         "the registry holds every key the picture explains");
  return node("registry", kRegistryColour, "the registry (LUA_REGISTRYINDEX)",
              rows);
}

std::string registryedges(lua_State* L) {
  const Keys k = registrykeys(L);
  std::string out = edge("registry:globals:e", "globals:t:w");
  for (const std::string& key : k.strings)
    if (const Entry* e = findentry(key))
      out += edge(fmt("registry:k%s:e", e->target), fmt("%s:t:w", e->target));
  return out;
}

// ---------------------------------------------------------------------
// package.loaded and the globals
// ---------------------------------------------------------------------

// The names luaL_openlibs opens, in linit.c's order.
constexpr const char* kLibraries[] = {
    LUA_GNAME,       LUA_LOADLIBNAME, LUA_COLIBNAME,  LUA_TABLIBNAME,
    LUA_IOLIBNAME,   LUA_OSLIBNAME,   LUA_STRLIBNAME, LUA_MATHLIBNAME,
    LUA_UTF8LIBNAME, LUA_DBLIBNAME};

// A library's row: its function count and the names of its other fields.
std::string librarytext(lua_State* L, const char* name, int lib) {
  if (std::strcmp(name, LUA_GNAME) == 0) return "[\"_G\"] the table of globals";
  const Fields f = fieldsof(L, lib);
  std::string text = fmt("[\"%s\"] %d functions", name, f.functions);
  if (!f.others.empty()) text += "; also " + joined(f.others);
  return text;
}

// _LOADED holds the ten libraries, each also the global of its name.
std::string loadednode(lua_State* L) {
  const int loaded = registryfield(L, LUA_LOADED_TABLE);
  std::vector<Row> rows;
  for (const char* name : kLibraries) {
    lua_getfield(L, loaded, name);
    expect(lua_istable(L, -1), "every standard library is a table");
    lua_getglobal(L, name);
    expect(lua_rawequal(L, -1, -2) != 0, "_LOADED[name] is the global name");
    lua_pop(L, 1);
    rows.push_back({esc(librarytext(L, name, lua_gettop(L))), name});
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  int count = 0;
  for (; lua_next(L, loaded) != 0; count++) lua_pop(L, 1);
  expect(count == static_cast<int>(std::size(kLibraries)),
         "_LOADED holds exactly the standard libraries");
  lua_pop(L, 1);
  return node("loaded", kLibraryColour, "_LOADED = package.loaded", rows);
}

std::string globalsnode(lua_State* L) {
  lua_pushglobaltable(L);
  const Fields f = fieldsof(L, -1);
  expect(fieldis(L, -1, LUA_GNAME, -1), "_G is the globals table itself");
  lua_getglobal(L, "_VERSION");
  const std::string version = lua_tostring(L, -1);
  lua_pop(L, 2);
  const auto nlibs = static_cast<int>(std::size(kLibraries)) - 1;
  expect(static_cast<int>(f.others.size()) == nlibs + 2,
         "the globals hold the libraries, _G and _VERSION besides functions");
  return node(
      "globals", kLibraryColour, "the globals (_ENV of every chunk)",
      {{"_G: the table itself", ""},
       {esc(fmt("_VERSION: \"%s\"", version.c_str())), ""},
       {fmt("%d functions: the base library and require", f.functions), ""},
       {fmt("%d library tables (package ... debug)", nlibs), "libs"}});
}

// ---------------------------------------------------------------------
// package
// ---------------------------------------------------------------------

// Whether the function on top has the package table (at `pkg`) as its
// upvalue 1 (invariant PACKAGE-UPVALUE of loadlib.cpp). Pops it.
bool holdspackage(lua_State* L, int pkg) {
  const bool c = lua_iscfunction(L, -1) != 0;
  const bool has = c && lua_getupvalue(L, -1, 1) != nullptr;
  const bool same = has && lua_rawequal(L, -1, pkg) != 0;
  lua_pop(L, has ? 2 : 1);
  return same;
}

int checksearchers(lua_State* L, int pkg) {
  lua_getfield(L, pkg, "searchers");
  const auto n = static_cast<int>(luaL_len(L, -1));
  for (int i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    expect(holdspackage(L, pkg), "each searcher's upvalue 1 is package");
  }
  lua_pop(L, 1);
  lua_getglobal(L, "require");
  expect(holdspackage(L, pkg), "require's upvalue 1 is package");
  return n;
}

std::string packagenode(lua_State* L) {
  lua_getglobal(L, LUA_LOADLIBNAME);
  const int pkg = lua_gettop(L);
  expect(fieldis(L, pkg, "loaded", registryfield(L, LUA_LOADED_TABLE)),
         "package.loaded is registry._LOADED");
  expect(fieldis(L, pkg, "preload", registryfield(L, LUA_PRELOAD_TABLE)),
         "package.preload is registry._PRELOAD");
  const int nsearchers = checksearchers(L, pkg);
  expect(nsearchers == 4, "package.searchers holds four searchers");
  const Fields f = fieldsof(L, pkg);
  lua_settop(L, pkg - 1);
  return node("package", kLibraryColour, "package",
              {{"loaded", "loaded"},
               {"preload", "preload"},
               {fmt("searchers: %d C closures (preload, Lua, C, Croot),<br "
                    "align=\"left\"/>each with package as upvalue 1",
                    nsearchers),
                ""},
               {"path, cpath, config: strings", ""},
               {esc(joined(f.functionnames)) + ": functions", ""}});
}

std::string preloadnode(lua_State* L) {
  const int preload = registryfield(L, LUA_PRELOAD_TABLE);
  expect(isempty(L, preload), "package.preload starts empty");
  lua_pop(L, 1);
  return node("preload", kLibraryColour, "_PRELOAD = package.preload",
              {{"(empty)", ""}});
}

std::string clibsnode(lua_State* L) {
  const int clibs = registryfield(L, "_CLIBS");
  expect(isempty(L, clibs), "_CLIBS starts empty");
  const bool hasmt = lua_getmetatable(L, clibs) != 0;
  expect(hasmt, "_CLIBS has a metatable");
  if (hasmt) {
    lua_getfield(L, -1, "__gc");
    expect(lua_iscfunction(L, -1) != 0, "_CLIBS's __gc is a C function");
  }
  lua_settop(L, clibs - 1);
  return node("clibs", kLibraryColour, "_CLIBS",
              {{"(empty until require opens a C library:<br "
                "align=\"left\"/>handles by file name, and in order)",
                ""},
               {"metatable: __gc closes the handles", ""}});
}

// ---------------------------------------------------------------------
// io: the FILE* metatable and the standard files
// ---------------------------------------------------------------------

std::string filemtnode(lua_State* L) {
  const int mt = registryfield(L, LUA_FILEHANDLE);
  lua_getfield(L, mt, "__name");
  expect(std::strcmp(lua_tostring(L, -1), LUA_FILEHANDLE) == 0,
         "__name is \"FILE*\"");
  lua_getfield(L, mt, "__gc");
  expect(fieldis(L, mt, "__close", -1), "__close is __gc");
  lua_getfield(L, mt, "__tostring");
  expect(lua_iscfunction(L, -1) != 0, "__tostring is a C function");
  lua_settop(L, mt - 1);
  return node("filemt", kMetaColour, "registry[\"FILE*\"]",
              {{"__name: \"FILE*\"", ""},
               {"__index", "index"},
               {"__gc, __close: the same function", ""},
               {"__tostring", ""}});
}

std::string methodsnode(lua_State* L) {
  const int mt = registryfield(L, LUA_FILEHANDLE);
  lua_getfield(L, mt, "__index");
  const Fields f = fieldsof(L, -1);
  expect(f.others.empty(), "the method table holds only functions");
  lua_settop(L, mt - 1);
  return node("methods", kLibraryColour,
              fmt("the %d methods of a file", f.functions),
              {{esc(joined(f.functionnames)), ""}});
}

// A default file: its name in the io table, its C stream and its key in
// the registry.
struct StdFile {
  const char* name;
  FILE* stream;
  const char* regkey;
};

// Calling the handle's close method leaves it open (its close function
// refuses) and answers fail and a message.
bool refusesclose(lua_State* L, int handle) {
  lua_getfield(L, handle, "close");
  lua_pushvalue(L, handle);
  const bool ran = lua_pcall(L, 1, 2, 0) == LUA_OK;
  const bool refused =
      ran && lua_isnil(L, -2) &&
      std::strcmp(lua_tostring(L, -1), "cannot close standard file") == 0;
  lua_pop(L, ran ? 2 : 1);
  return refused;
}

// The registry's default file `file.regkey` is io's handle for it
// (invariant DEFAULT-FILES of liolib.cpp).
std::string handlenode(lua_State* L, const StdFile& file) {
  lua_getglobal(L, LUA_IOLIBNAME);
  lua_getfield(L, -1, file.name);
  const int handle = lua_gettop(L);
  expect(lua_rawequal(L, handle, registryfield(L, file.regkey)) != 0,
         "the registry's default file is io's handle");
  const auto* s =
      static_cast<luaL_Stream*>(luaL_testudata(L, handle, LUA_FILEHANDLE));
  expect(s != nullptr, "a standard file is a FILE* userdata");
  expect(s != nullptr && s->f == file.stream, "its stream is the C stream");
  expect(s != nullptr && s->closef != nullptr, "it is open: closef is set");
  expect(refusesclose(L, handle), "a standard file refuses to close");
  lua_settop(L, handle - 2);
  return node(file.name, kUdataColour,
              fmt("%s = io.%s: userdata", file.regkey, file.name),
              {{fmt("luaL_Stream f: %s (the C stream)", file.name), ""},
               {"luaL_Stream closef: refuses to close", ""},
               {"metatable", "mt"}});
}

// ---------------------------------------------------------------------
// The string metatable
// ---------------------------------------------------------------------

std::string stringmtnode(lua_State* L) {
  lua_pushliteral(L, "");
  const bool hasmt = lua_getmetatable(L, -1) != 0;
  expect(hasmt, "strings have a metatable");
  if (!hasmt) return "";
  const int mt = lua_gettop(L);
  lua_getfield(L, registryfield(L, LUA_LOADED_TABLE), LUA_STRLIBNAME);
  expect(fieldis(L, mt, "__index", -1), "__index is the string library");
  lua_getfield(L, mt, "__band");
  expect(lua_isnil(L, -1), "strings have no bitwise metamethods");
  const Fields f = fieldsof(L, mt);
  lua_settop(L, mt - 2);
  expect(f.functions == 8, "eight arithmetic metamethods");
  return node("strmt", kMetaColour,
              "the string metatable (global state, not registry)",
              {{esc(joined(f.functionnames)), ""}, {"__index", "index"}});
}

// ---------------------------------------------------------------------
// The whole picture
// ---------------------------------------------------------------------

// Edges between nodes of one column, or back towards the registry, do
// not rank their head (constraint=false): each node stays in the column
// after the node that first leads to it.
std::string edges(lua_State* L) {
  constexpr const char* back = "style=dashed, constraint=false";
  std::string out = registryedges(L);
  out += edge("globals:libs:e", "loaded:t:e", back);
  out += edge("loaded:_G:w", "globals:t:w", back);
  out += edge("loaded:package:e", "package:t:w");
  out += edge("package:loaded:w", "loaded:t:e", back);
  out += edge("package:preload:w", "preload:t:e", back);
  for (const char* f : {"stdin", "stdout"})
    out +=
        edge(fmt("%s:mt:e", f), "filemt:t:e", "style=dotted, constraint=false");
  out += edge("filemt:index:e", "methods:t:w");
  out += edge("strmt:index:e", "loaded:string:w");
  return out;
}

std::string draw(lua_State* L) {
  const StdFile files[] = {{"stdin", stdin, "_IO_input"},
                           {"stdout", stdout, "_IO_output"}};
  std::string out =
      "digraph lib_registry {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [arrowsize=0.6];\n";
  out += registrynode(L) + globalsnode(L) + loadednode(L) + packagenode(L);
  out += preloadnode(L) + clibsnode(L);
  for (const StdFile& file : files) out += handlenode(L, file);
  out += filemtnode(L) + methodsnode(L) + stringmtnode(L) + edges(L);
  expect(lua_gettop(L) == 0, "the drawing leaves the stack as it found it");
  return out + "}\n";
}

}  // namespace

int main() {
  lua_State* L = luaL_newstate();
  if (L == nullptr) return 1;
  luaL_openlibs(L);
  const std::string diagram = draw(L);
  lua_close(L);
  if (mismatches != 0) {
    std::fprintf(stderr, "lib_registry: %d claim(s) failed\n", mismatches);
    return 1;
  }
  std::fputs(diagram.c_str(), stdout);
  return 0;
}
