// Diagram generator for chapter 3: interns Lua's reserved words in a real
// state, then prints the string table as Graphviz DOT: the bucket vector
// (non-empty buckets, with runs of empty ones folded) and each bucket's
// chain through `hnext`. A second panel shows the same strings after
// luaS_resize shrinks the table to 16 buckets, where chains get longer.
// The seed is fixed so the book is reproducible.
#include <cstdio>
#include <cstdlib>

#include "lstring/lstring.hpp"
#include "tests/lstring/support.hpp"

namespace {

using namespace lua;

const char* const kWords[] = {
    "and",      "break",  "do",   "else", "elseif", "end",  "false", "for",
    "function", "goto",   "if",   "in",   "local",  "nil",  "not",   "or",
    "repeat",   "return", "then", "true", "until",  "while"};

// One panel: a record of buckets and, for each non-empty one, its chain.
void print_table(global_State* g, const char* id, const char* title) {
  const stringtable& tb = g->strt;
  std::printf("  subgraph cluster_%s {\n    label=\"%s: size %d, nuse %d\";\n",
              id, title, tb.size, tb.nuse);
  std::printf("    %s_b [shape=record, label=\"", id);
  int empty = 0;
  bool first = true;
  for (int i = 0; i <= tb.size; i++) {
    bool used = i < tb.size && tb.hash[i] != nullptr;
    if (!used && i < tb.size) {
      empty++;
      continue;
    }
    if (empty > 0) {
      std::printf("%s(%d empty)", first ? "" : "|", empty);
      first = false;
      empty = 0;
    }
    if (used) {
      std::printf("%s<b%d> %d", first ? "" : "|", i, i);
      first = false;
    }
  }
  std::printf("\"];\n");
  for (int i = 0; i < tb.size; i++) {
    const char* from = "b";
    int n = 0;
    for (TString* ts = tb.hash[i]; ts != nullptr; ts = ts->u.hnext, n++) {
      std::printf("    %s_%d_%d [label=\"\\\"%s\\\"\\nhash %08x\"];\n", id, i,
                  n, getstr(ts), ts->hash);
      if (n == 0)
        std::printf("    %s_%s:b%d -> %s_%d_0;\n", id, from, i, id, i);
      else
        std::printf("    %s_%d_%d -> %s_%d_%d [label=\"hnext\"];\n", id, i,
                    n - 1, id, i, n);
    }
  }
  std::printf("  }\n");
}

}  // namespace

int main() {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  test::Heap heap;
  lua_State* L = test::newstate(heap);
  if (L == nullptr) return 1;
  for (const char* w : kWords) (void)luaS_new(L, w);
  std::printf(
      "digraph strt {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
      "  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [fontsize=8];\n");
  print_table(G(L), "big", "after interning the reserved words");
  luaS_resize(L, 16);
  print_table(G(L), "small", "after luaS_resize(L, 16)");
  std::printf("}\n");
  int bad = check_invariants(G(L));
  test::closestate(L);
  return bad == 0 ? 0 : 1;
}
