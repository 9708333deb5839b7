// Diagram generator for chapter 4: builds a real table with the real code
// and prints it as Graphviz DOT, three times: after a first collision
// chain, when the node vector is full (just before a rehash), and just
// after the rehash. Each panel shows the array part and the node vector; a node
// is green when its key is in its main position, orange when it was
// placed away from it, grey when free; the edges are the `next` links of
// the collision chains, and `lastfree` points at its node. The seed is
// fixed, so the string keys land in the same nodes on every build.
#include <cstdio>
#include <string>

#include "ltable/ltable.hpp"
#include "tests/ltable/support.hpp"

namespace {

using namespace lua;

std::string text(const TValue* v) {
  if (ttisinteger(v)) return std::to_string(ivalue(v));
  if (ttisstring(v)) return "&quot;" + std::string(svalue(v)) + "&quot;";
  return isempty(v) ? "" : "?";
}

// The array part: one cell per slot, empty slots left blank.
void print_array(Table* t, const char* id) {
  std::printf(
      "    %s_array [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
      "CELLSPACING=\"0\"><TR><TD BGCOLOR=\"lightblue\">array (%u)</TD></TR>",
      id, luaH_realasize(t));
  for (unsigned int i = 0; i < luaH_realasize(t); i++)
    std::printf("<TR><TD>[%u] %s</TD></TR>", i + 1, text(&t->array[i]).c_str());
  std::printf("</TABLE>>];\n");
}

// One cell per node: index, key = value, and the key's main position.
void print_nodes(Table* t, const char* id) {
  std::printf(
      "    %s_node [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" "
      "CELLSPACING=\"0\"><TR><TD BGCOLOR=\"lightblue\">node (%d)</TD></TR>",
      id, allocsizenode(t));
  for (int i = 0; i < sizenode(t) && !isdummy(t); i++) {
    Node* n = gnode(t, i);
    if (keyisnil(n)) {
      std::printf(
          "<TR><TD PORT=\"n%d\" BGCOLOR=\"grey90\">[%d] free</TD>"
          "</TR>",
          i, i);
      continue;
    }
    TValue key;
    getnodekey(nullptr, &key, n);
    int mp = cast_int(luaH_mainposition(t, &key) - t->node);
    std::printf(
        "<TR><TD PORT=\"n%d\" BGCOLOR=\"%s\">[%d] %s = %s  (mp %d)"
        "</TD></TR>",
        i, mp == i ? "palegreen" : "orange", i, text(&key).c_str(),
        text(gval(n)).c_str(), mp);
  }
  std::printf("<TR><TD PORT=\"end\">end</TD></TR></TABLE>>];\n");
}

// The chains (`next` offsets) and the lastfree pointer.
void print_links(Table* t, const char* id) {
  if (isdummy(t)) return;
  for (int i = 0; i < sizenode(t); i++) {
    int nx = gnext(gnode(t, i));
    if (nx != 0)
      std::printf("    %s_node:n%d:e -> %s_node:n%d:e;\n", id, i, id, i + nx);
  }
  int lf = cast_int(t->lastfree - t->node);
  std::printf("    %s_lastfree [label=\"lastfree\", shape=plaintext];\n", id);
  if (lf == sizenode(t))
    std::printf("    %s_lastfree -> %s_node:end:w;\n", id, id);
  else
    std::printf("    %s_lastfree -> %s_node:n%d:w;\n", id, id, lf);
}

void print_panel(Table* t, const char* id, const char* title) {
  std::printf("  subgraph cluster_%s {\n    label=\"%s\";\n", id, title);
  print_array(t, id);
  print_nodes(t, id);
  print_links(t, id);
  std::printf("  }\n");
}

bool hasfree(Table* t) {
  for (int i = 0; i < allocsizenode(t); i++)
    if (keyisnil(gnode(t, i))) return true;
  return false;
}

void setint(lua_State* L, Table* t, lua_Integer k) {
  TValue v = test::intv(k);
  luaH_setint(L, t, k, &v);
}

}  // namespace

int main() {
  test::Heap heap;
  lua_State* L = test::seededstate(heap, "42");
  if (L == nullptr) return 1;
  // An array of 4 and 8 nodes, as lua_createtable(L, 4, 8) makes them;
  // then keys that collide (7, 14, 21 modulo 7), one whose main position
  // holds a key away from home (6: Brent's move), two strings and more
  // integers until no node is free; then one more key.
  Table* t = luaH_new(L);
  luaH_resize(L, t, 4, 8);
  for (lua_Integer k : {1, 2, 3, 4, 7, 14, 21}) setint(L, t, k);
  std::printf(
      "digraph ltable {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [fontsize=8];\n");
  print_panel(t, "a", "1. after 7, 14, 21: one chain from [0]");
  setint(L, t, 6);
  TValue x = test::strv(L, "x"), y = test::strv(L, "y"), one = test::intv(1);
  luaH_set(L, t, &x, &one);
  luaH_set(L, t, &y, &one);
  lua_Integer k = 8;
  while (hasfree(t)) setint(L, t, k++);
  print_panel(t, "b", "2. after 6 (21 moved away from [6]), x, y, 8, 9: full");
  setint(L, t, k);  // no free node: rehash
  std::string title = "3. after t[" + std::to_string(k) + "]: rehash";
  print_panel(t, "c", title.c_str());
  std::printf(
      "  a_node -> b_array [style=invis];\n"
      "  b_node -> c_array [style=invis];\n}\n");
  int bad = check_table(t);
  test::closestate(L, test::freetableobj);
  return bad == 0 && heap.held == 0 ? 0 : 1;
}
