// Chapter 10's diagram library (lib/lvizlib.cpp): each function draws what
// the program built, and only that. The tests build small structures from
// Lua, draw them, and count what the DOT text shows; every diagram must
// also be one that Graphviz's `dot` accepts.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"
#include "lib/lvizlib.hpp"

namespace {

// A state with the standard libraries and `viz` in package.preload.
struct State {
  lua_State* L = luaL_newstate();
  State() {
    luaL_openlibs(L);
    viz_preload(L);
  }
  ~State() { lua_close(L); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // Runs `chunk`, which has `viz` in scope, and returns the string it
  // returns (or the error message, prefixed with "error: ").
  std::string run(const std::string& chunk) {
    const std::string code = "local viz = require 'viz'\n" + chunk;
    if (luaL_dostring(L, code.c_str()) != LUA_OK) {
      std::string msg = std::string("error: ") + lua_tostring(L, -1);
      lua_settop(L, 0);
      return msg;
    }
    std::string out = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
    lua_settop(L, 0);
    return out;
  }
};

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size()))
    n++;
  return n;
}

// Graphviz must accept the diagram (skipped when `dot` is not installed).
bool dotaccepts(const std::string& dot) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0) return true;
  char path[] = "/tmp/test_viz_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return false;
  FILE* f = fdopen(fd, "w");
  std::fwrite(dot.data(), 1, dot.size(), f);
  std::fclose(f);
  const std::string cmd = std::string("dot -Tsvg -o /dev/null ") + path;
  const bool ok = std::system(cmd.c_str()) == 0;
  std::remove(path);
  return ok;
}

}  // namespace

TEST_CASE("viz.table draws the sizes the constructor gave", "[viz]") {
  State s;
  const std::string hash = s.run("return viz.table{x = 1, y = 2, z = 3}");
  CHECK(count(hash, "array (0)") == 1);
  CHECK(count(hash, "node (4)") == 1);  // 3 keys: 4 nodes
  // Every used node is green (at home) or orange (moved); one is free.
  CHECK(count(hash, "palegreen") + count(hash, "orange") == 3);
  CHECK(count(hash, "free</TD>") == 1);
  CHECK(count(hash, "lastfree ->") == 1);
  CHECK(count(hash, "no metatable") == 1);
  CHECK(dotaccepts(hash));

  const std::string array =
      s.run("return viz.table(setmetatable({10, 20, 30}, {}))");
  CHECK(count(array, "array (3)") == 1);
  CHECK(count(array, "[2] 20") == 1);
  CHECK(count(array, "node (0)") == 1);  // the shared dummy node
  CHECK(count(array, "lastfree") == 0);
  CHECK(count(array, "with a metatable") == 1);
  CHECK(dotaccepts(array));
}

TEST_CASE("viz.table draws one edge per link of a collision chain", "[viz]") {
  State s;
  // Five keys in eight nodes: each used node has at most one `next`.
  const std::string dot = s.run(
      "local t = {a = 1, b = 2, c = 3, d = 4, e = 5}\n"
      "return viz.table(t)");
  CHECK(count(dot, "node (8)") == 1);
  const int moved = count(dot, "orange");
  // A key away from its main position hangs in the chain of the key that
  // is there, so there are at least as many links as moved keys.
  CHECK(count(dot, ":e -> node_:") >= moved);
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.closure draws a shared upvalue once", "[viz]") {
  State s;
  const std::string dot = s.run(
      "local function counter()\n"
      "  local n = 0\n"
      "  return function() n = n + 1 end, function() return n end\n"
      "end\n"
      "local inc, get = counter()\n"
      "inc(); inc()\n"
      "return viz.closure(inc, get, print)");
  CHECK(count(dot, "upvalue (closed)<BR/>value 2") == 1);
  CHECK(count(dot, "-> up") == 2);  // both closures point at it
  CHECK(count(dot, "Lua closure") == 2);
  CHECK(count(dot, "light C function") == 1);
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.closure shows an open upvalue's stack slot", "[viz]") {
  State s;
  const std::string dot = s.run(
      "local n = 42\n"
      "local function f() return n end\n"
      "local d = viz.closure(f)\n"  // `return viz.closure(f)` would be a
      "return d");                  // tail call, which closes n first
  CHECK(count(dot, "upvalue (open)") == 1);
  CHECK(count(dot, "stack slot") == 1);
  CHECK(count(dot, "<BR/>value 42>") == 1);
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.stack draws one record per active call", "[viz]") {
  State s;
  // No tail calls, so each function keeps its record.
  const std::string dot = s.run(
      "local function c() local d = viz.stack(); return d end\n"
      "local function b() local d = c(); return d end\n"
      "local function a() local d = b(); return d end\n"
      "local d = a(); return d");
  CHECK(count(dot, "Lua call") == 4);  // a, b, c and the chunk
  CHECK(count(dot, "(stack)") == 1);   // the C call of viz.stack
  CHECK(count(dot, "base record") == 1);
  CHECK(count(dot, "previous") == 5);  // six records, five links
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.stack draws a suspended coroutine", "[viz]") {
  State s;
  const std::string dot = s.run(
      "local co = coroutine.create(function(x) coroutine.yield(x) end)\n"
      "coroutine.resume(co, 'hi')\n"
      "return viz.stack(co)");
  CHECK(count(dot, "Lua call") == 1);
  CHECK(count(dot, "C call") == 2);  // yield, and the base record
  CHECK(count(dot, "&quot;hi&quot;") >= 1);
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.heap shows the collector's colours", "[viz]") {
  State s;
  SECTION("incremental, after a full collection: everything is white") {
    const std::string dot = s.run(
        "collectgarbage('incremental'); collectgarbage()\n"
        "local t = {{}, {}}\n"
        "return viz.heap(t)");
    CHECK(count(dot, "incremental, state pause") == 1);
    CHECK(count(dot, "table<BR/>white") == 3);
    CHECK(count(dot, "<BR/>black") == 0);
    CHECK(count(dot, "<BR/>gray") == 0);
    CHECK(dotaccepts(dot));
  }
  SECTION("generational, after a full collection: survivors are old") {
    const std::string dot = s.run(
        "collectgarbage('generational')\n"
        "local t = {{}}\n"
        "collectgarbage()\n"
        "return viz.heap(t)");
    CHECK(count(dot, "generational") == 1);
    CHECK(count(dot, "table<BR/>black, old") == 2);
    CHECK(dotaccepts(dot));
  }
}

TEST_CASE("viz.heap stops at its limit and says so", "[viz]") {
  State s;
  const std::string dot = s.run(
      "local t = {{}, {}, {}, {}, {}}\n"
      "return viz.heap(t, 2)");
  CHECK(count(dot, "#2 ") == 1);
  CHECK(count(dot, "#3 ") == 0);
  CHECK(count(dot, "not drawn (limit 2)") == 1);
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz draws without changing what it draws", "[viz]") {
  State s;
  // Drawing twice gives the same text: no colour, age or object changed.
  const std::string twice = s.run(
      "local t = {1, {2}, {3, {4}}}\n"
      "local a, b = viz.heap(t), viz.heap(t)\n"
      "return a == b and 'same' or a .. '\\n---\\n' .. b");
  CHECK(twice == "same");
  // Objects are numbered in the order met, not by address, so two states
  // running the same program draw the same diagram.
  State other;
  const char* chunk =
      "collectgarbage('incremental'); collectgarbage()\n"
      "return viz.heap({1, {2}, {3, {4}}})";
  CHECK(s.run(chunk) == other.run(chunk));
}

TEST_CASE("viz.strings draws the chains of the string table", "[viz]") {
  State s;
  const std::string all = s.run(
      "local marker = 'vizmarker42'\n"
      "return viz.strings(1 << 30)");
  CHECK(count(all, "&quot;vizmarker42&quot;") == 1);
  CHECK(dotaccepts(all));
  const std::string one = s.run("return viz.strings(1)");
  CHECK(count(one, "<TD PORT=\"b") == 1);  // just one bucket drawn
}

TEST_CASE("viz rejects bad arguments as the libraries do", "[viz]") {
  // Functions found in package.loaded are named with their module.
  State s;
  CHECK(s.run("return select(2, pcall(viz.table, 1))") ==
        "bad argument #1 to 'viz.table' (table expected, got number)");
  CHECK(s.run("return select(2, pcall(viz.heap))") ==
        "bad argument #1 to 'viz.heap' (value expected)");
  CHECK(s.run("return select(2, pcall(viz.strings, 0))") ==
        "bad argument #1 to 'viz.strings' (must be positive)");
  CHECK(s.run("return select(2, pcall(viz.stack, 1))") ==
        "bad argument #1 to 'viz.stack' (thread expected, got number)");
  CHECK(s.run("return select(2, pcall(viz.closure, print, 2))") ==
        "bad argument #2 to 'viz.closure' (function expected, got number)");
}

TEST_CASE("viz.table draws a collected weak key without reading it", "[viz]") {
  State s;
  // The key {} is collected; its node keeps a dead key until a rehash.
  const std::string dot = s.run(
      "local t = setmetatable({}, {__mode = 'k'})\n"
      "t[{}] = 1; t.x = 2\n"
      "collectgarbage(); collectgarbage()\n"
      "return viz.table(t)");
  CHECK(count(dot, "dead key") == 1);
  CHECK(count(dot, "&quot;x&quot; = 2") == 1);
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.closure draws a repeated argument's closure once", "[viz]") {
  State s;
  const std::string dot = s.run(
      "local function f() end\n"
      "return viz.closure(f, f)");
  CHECK(count(dot, "argument 1") == 1);
  CHECK(count(dot, "argument 2") == 1);
  CHECK(count(dot, "Lua closure") == 1);
  CHECK(count(dot, "-> f1;") == 2);  // both arguments point at it
  CHECK(dotaccepts(dot));
}

TEST_CASE("viz.closure names the slot of another thread's upvalue", "[viz]") {
  State s;
  const std::string dot = s.run(
      "local f\n"
      "local co = coroutine.create(function()\n"
      "  local n = 7\n"
      "  f = function() return n end\n"
      "  coroutine.yield()\n"
      "end)\n"
      "coroutine.resume(co)\n"
      "local d = viz.closure(f)\n"
      "return d");
  CHECK(count(dot, "upvalue (open)") == 1);
  // slot 0: the base record's; 1: the function; 2: its first local
  CHECK(count(dot, "stack slot 2 of another thread<BR/>value 7") == 1);
  CHECK(dotaccepts(dot));
}
