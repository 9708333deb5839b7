// Diagram generator for chapter 8: the call stack of nested calls, drawn
// from a real run. The chunk below calls `middle` (a vararg function),
// which calls `leaf`, whose `x + y` finds a table and calls the `__add`
// metamethod, which calls the C function `snapshot`. At that moment the
// thread holds six call records, and `snapshot` prints them as Graphviz
// DOT with the stack slots they own (lvm_dot.hpp): the main chunk and the
// metamethod each run on a fresh interpreter loop (CIST_FRESH), middle's
// extra arguments lie below its moved function slot, and each callee's
// function sits in a register of its caller. The chapter's walk-through
// follows this run; the seed is fixed and no address is printed.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "book/lvm_dot.hpp"

namespace {

using namespace lua;

// The chunk of the walk-through; its line numbers appear in the diagram.
const char kChunk[] =
    "local mt = {}\n"
    "function mt.__add(a, b)\n"
    "  snapshot()\n"
    "  return a.v + b\n"
    "end\n"
    "local function leaf(x, y)\n"
    "  local sum = x + y\n"
    "  return sum\n"
    "end\n"
    "local function middle(n, ...)\n"
    "  local k = ...\n"
    "  local r = leaf(n, k)\n"
    "  return r\n"
    "end\n"
    "local obj = setmetatable({v = 40}, mt)\n"
    "print(middle(obj, 2, \"spare\"))\n";

std::string diagram;
int snapshots = 0;

int l_snapshot(lua_State* L) {
  snapshots++;
  diagram = lvmdot::cluster(L, "main", "main thread", "running");
  return 0;
}

}  // namespace

int main() {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  test::Machine m;  // `print` writes into m.out, not into the diagram
  lvmdot::addfunction(m.L, "snapshot", l_snapshot);
  if (m.run(kChunk, "=chunk") != LUA_OK || snapshots != 1 || m.out != "42\n") {
    std::fprintf(stderr, "lvm_callstack: %s%s\n", m.err.c_str(), m.out.c_str());
    return 1;
  }
  lvmdot::header("lvm_callstack", "LR");
  std::printf("%s}\n", diagram.c_str());
  return m.close() == 0 ? 0 : 1;
}
