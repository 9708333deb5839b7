// Diagram generator for chapter 6: the two write barriers firing in a real
// state during propagation, before and after (a dotted arrow is the store
// about to happen). Forward: a white table is
// stored into a black C closure's upvalue; the barrier marks the table
// (gray). Backward: a white table is stored into a black table; the
// barrier turns the black table gray again and puts it in grayagain.
#include <cstdio>
#include <string>

#include "book/lgc_dot.hpp"

namespace {

using namespace lgcdot;

void cluster(GCState& s, const Names& names, const char* id,
             const char* title) {
  std::printf("  subgraph cluster_%s {\n    label=\"%s\";\n", id, title);
  auto alive = [&](GCObject* o) { return s.islive(o); };
  nodes(s.g(), names, id, alive);
  edges(s.g(), names, id, alive);
  std::printf("  }\n");
}

}  // namespace

int main() {
  GCState s;
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  CClosure* c = newcclosure(L, 1);
  rawseti(L, keep, 1, objv(L, c));
  Table* t = newtable(L);
  rawseti(L, keep, 2, objv(L, t));
  pop(L, 2);
  luaC_fullgc(L, 0);
  int bad = 0;
  luaC_singlestep(L);
  while (!(isblack(c) && isblack(t))) {
    luaC_singlestep(L);
    bad += check_heap(s.g());
  }
  NoEmergency guard(L);  // no collection between the pictures
  Table* v1 = newtable(L);
  Table* v2 = newtable(L);
  Names fwd, back;
  fwd.add(c, "closure");
  fwd.add(v1, "new");
  back.add(t, "table");
  back.add(v2, "new");
  header("lgc_barrier");
  std::printf("  rankdir=LR;\n");
  cluster(s, back, "bb", "backward, before: a black table, a white table");
  rawseti(L, t, 1, objv(L, v2));
  cluster(s, back, "ba",
          "backward, after: the black table is gray again (grayagain)");
  cluster(s, fwd, "fb", "forward, before: a black closure, a white table");
  setcupvalue(L, c, 0, objv(L, v1));
  cluster(s, fwd, "fa", "forward, after: the table is marked (gray)");
  // The store about to happen, and the before/after order of each row.
  std::printf(
      "  fb_closure -> fb_new [style=dotted, label=\"store\"];\n"
      "  bb_table -> bb_new [style=dotted, label=\"store\"];\n"
      "  fb_new -> fa_closure [style=invis];\n"
      "  bb_new -> ba_table [style=invis];\n}\n");
  pop(L, 2);
  bad += check_heap(s.g());
  return bad == 0 ? 0 : 1;
}
