// Diagram generator for chapter 6: the heap of a real state in the
// collector's colours at successive moments of one incremental cycle, one
// cluster per frame. The graph: registry -> root -> {a, b}, a -> s (a
// string), b -> c; `junk` (unreachable) -> a. Frames: the pause (all
// white), the roots grayed by the first step, two propagation steps, the
// end of propagation (everything reachable black), after the atomic step
// (the whites flipped: junk is now dead), and after the sweep (junk freed,
// the survivors white again for the next cycle). The frames are laid out
// in two rows of three, kept in order by invisible edges.
#include <cstdio>
#include <string>

#include "book/lgc_dot.hpp"

namespace {

using namespace lgcdot;

void frame(GCState& s, const Names& names, int n, const char* title) {
  std::string prefix = "f" + std::to_string(n);
  std::printf("  subgraph cluster_%d {\n    label=\"%d. %s\";\n", n, n, title);
  auto alive = [&](GCObject* o) { return s.islive(o); };
  nodes(s.g(), names, prefix, alive);
  edges(s.g(), names, prefix, alive);
  std::printf("  }\n");
}

}  // namespace

int main() {
  GCState s;  // fixes the seed; its allocator is deterministic
  lua_State* L = s.L;
  Names names;
  Table* root = roottable(L, "root");
  Table* junk = newtable(L);
  Table* a = newtable(L);
  Table* b = newtable(L);
  Table* c = newtable(L);
  TString* str = newstring(L, "s");
  rawseti(L, root, 1, objv(L, a));
  rawseti(L, root, 2, objv(L, b));
  rawseti(L, a, 1, objv(L, str));
  rawseti(L, b, 1, objv(L, c));
  rawseti(L, junk, 1, objv(L, a));
  pop(L, 4);  // junk stays on the stack for the first collection

  names.add(gcvalue(&s.g()->l_registry), "registry");
  names.add(root, "root");
  names.add(a, "a");
  names.add(b, "b");
  names.add(c, "c");
  names.add(str, "s");
  names.add(junk, "junk");
  luaC_fullgc(L, 0);  // start from a clean pause
  pop(L);             // junk is garbage from now on
  newtable(L);        // a newer live object: the sweep starts there
  int bad = 0;
  auto step = [&] {
    luaC_singlestep(L);
    bad += check_heap(s.g());
  };
  header("lgc_heap");
  int n = 0;
  frame(s, names, ++n, "pause: everything white");
  step();
  frame(s, names, ++n, "restart: the roots are gray");
  step();
  step();
  frame(s, names, ++n, "propagate: gray objects turn black");
  while (s.g()->gcstate == GCSpropagate) step();
  frame(s, names, ++n, "end of propagation: junk is still white");
  step();
  frame(s, names, ++n, "after atomic: whites flipped, junk is dead");
  while (s.g()->gcstate != GCSpause) step();
  frame(s, names, ++n, "after the sweep: junk freed, survivors white");
  // Row order: frames 1-3 above frames 4-6.
  for (int i = 1; i <= 3; i++)
    std::printf("  f%d_s -> f%d_registry [style=invis];\n", i, i + 3);
  std::printf("}\n");
  return bad == 0 ? 0 : 1;
}
