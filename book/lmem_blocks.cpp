/// \file
/// Diagram generator of chapter 1: runs a small workload through lmem over
/// a tracking allocator and prints, as one Graphviz DOT graph, the live
/// blocks and the counters after each step.
///
/// Mirrors: nothing in Lua; it draws what lmem.c does.
/// Book: chapter 1 (the book target captures stdout as lmem_blocks.dot)
///
/// Design: the allocator stack is a leak detector (which lists the live
/// blocks with their tags and sizes) over a memory control (which can make
/// one request fail) over malloc. After each step the program takes a
/// snapshot: the live blocks, lmem's `totalbytes` and `GCdebt`, and the
/// leak detector's current and peak bytes. Each snapshot becomes one
/// cluster; blocks born in the step are green, resized ones yellow, and
/// blocks freed in the step are shown struck out in grey. Nothing depends
/// on addresses, so the picture is the same on every build.
///
/// Differences from Lua: none; Lua draws no diagrams.
#include <cstdio>

#include "lmem/lalloc.hpp"
#include "lmem/lmem.hpp"

namespace {

using namespace lua;

constexpr int kMaxBlocks = 16;
constexpr int kMaxSteps = 8;

// What the picture shows of the state after one step.
struct Snapshot {
  const char* title;
  LiveBlock blocks[kMaxBlocks];
  std::size_t nblocks;
  l_mem totalbytes, GCdebt;
  std::size_t current, peak, failures;
};

struct World {
  MemControl control;
  LeakDetector leak;
  MemoryState g;
  Snapshot shots[kMaxSteps];
  int nshots = 0;
  World() {
    leak.next = {memcontrol_alloc, &control};
    g.frealloc = leak_alloc;
    g.ud = &leak;
  }
  MemCtx L() { return MemCtx(nullptr, &g); }
};

void snapshot(World& w, const char* title) {
  Snapshot& s = w.shots[w.nshots++];
  s.title = title;
  s.nblocks = leak_live(&w.leak, s.blocks, kMaxBlocks);
  s.totalbytes = w.g.totalbytes;
  s.GCdebt = w.g.GCdebt;
  s.current = w.leak.stats.current;
  s.peak = w.leak.stats.peak;
  s.failures = w.leak.stats.failures;
}

// The workload: a few objects, a growing vector, a free, the collector's
// bookkeeping, and a failed allocation.
void workload(World& w) {
  MemCtx L = w.L();
  void* str = luaM_newobject(L, LUA_TSTRING, 30);
  void* tab = luaM_newobject(L, LUA_TTABLE, 56);
  void* pro = luaM_newobject(L, ALLOCTAG_PROTO, 120);
  snapshot(w, "1. luaM_newobject: a string, a table, a proto");
  int* v = nullptr;
  int size = 0;
  for (int n = 0; n < 4; n++) luaM_growvector(L, v, n, size, 100, "ints");
  snapshot(w, "2. luaM_growvector: 4 ints (MINSIZEARRAY)");
  luaM_growvector(L, v, 4, size, 100, "ints");
  snapshot(w, "3. luaM_growvector: a 5th int doubles it");
  luaM_freemem(L, str, 30);
  snapshot(w, "4. luaM_freemem: the string");
  luaE_setdebt(&w.g, -100);
  snapshot(w, "5. luaE_setdebt(-100), as the collector does");
  allocfailnext(&w.control);
  luaM_runprotected([&] { (void)luaM_newobject(L, LUA_TTABLE, 56); });
  snapshot(w, "6. a failed allocation (LUA_ERRMEM)");
  luaM_freemem(L, tab, 56);
  luaM_freemem(L, pro, 120);
  luaM_freearray(L, v, cast_sizet(size));
}

const LiveBlock* findserial(const Snapshot* s, std::size_t serial) {
  if (s == nullptr) return nullptr;
  for (std::size_t i = 0; i < s->nblocks; i++)
    if (s->blocks[i].serial == serial) return &s->blocks[i];
  return nullptr;
}

constexpr const char* kTableOpen =
    "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\">\n";

void blockrow(const LiveBlock& b, const char* colour, const char* note) {
  std::printf(
      "<TR><TD BGCOLOR=\"%s\">#%zu</TD><TD BGCOLOR=\"%s\">%s</TD>"
      "<TD BGCOLOR=\"%s\" ALIGN=\"RIGHT\">%zu B%s</TD></TR>\n",
      colour, b.serial, colour, alloctagname(b.tag), colour, b.size, note);
}

// The live blocks of `s`, compared with the previous snapshot `prev`.
void blocktable(const Snapshot& s, const Snapshot* prev) {
  std::printf(
      "%s<TR><TD><B>block</B></TD><TD><B>tag</B></TD>"
      "<TD><B>size</B></TD></TR>\n",
      kTableOpen);
  for (std::size_t i = 0; i < s.nblocks; i++) {
    const LiveBlock* before = findserial(prev, s.blocks[i].serial);
    const char* colour = before == nullptr                  ? "palegreen"
                         : before->size != s.blocks[i].size ? "khaki"
                                                            : "white";
    blockrow(s.blocks[i], colour, "");
  }
  for (std::size_t i = 0; prev != nullptr && i < prev->nblocks; i++)
    if (findserial(&s, prev->blocks[i].serial) == nullptr)
      blockrow(prev->blocks[i], "gray85", " (freed)");
  std::printf("</TABLE>");
}

void counterrow(const char* name, long long value) {
  std::printf(
      "<TR><TD ALIGN=\"LEFT\">%s</TD>"
      "<TD ALIGN=\"RIGHT\">%lld</TD></TR>\n",
      name, value);
}

void countertable(const Snapshot& s) {
  std::printf("%s", kTableOpen);
  counterrow("totalbytes", s.totalbytes);
  counterrow("GCdebt", s.GCdebt);
  counterrow("gettotalbytes", s.totalbytes + s.GCdebt);
  counterrow("allocator current", static_cast<long long>(s.current));
  counterrow("allocator peak", static_cast<long long>(s.peak));
  counterrow("failures", static_cast<long long>(s.failures));
  std::printf("</TABLE>");
}

// One step: a cluster titled with the step, holding one node whose label
// stacks the table of blocks over the table of counters.
void printcluster(const Snapshot& s, const Snapshot* prev, int i) {
  std::printf("subgraph cluster_%d {\nlabel=\"%s\";\n", i, s.title);
  std::printf("step%d [label=<<TABLE BORDER=\"0\"><TR><TD>", i);
  blocktable(s, prev);
  std::printf("</TD></TR><TR><TD>");
  countertable(s);
  std::printf("</TD></TR></TABLE>>];\n}\n");
}

// Rows of three steps, read left to right and then down.
void printgraph(const World& w) {
  std::printf(
      "digraph lmem_blocks {\n"
      "graph [fontname=\"Helvetica\", fontsize=11, newrank=true, "
      "nodesep=0.4, ranksep=0.4];\n"
      "node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
      "edge [color=gray50];\n");
  for (int i = 0; i < w.nshots; i++)
    printcluster(w.shots[i], i > 0 ? &w.shots[i - 1] : nullptr, i);
  for (int i = 0; i + 1 < w.nshots; i++) {
    if ((i + 1) % 3 == 0) continue;  // the end of a row
    std::printf("{rank=same; step%d; step%d;}\n", i, i + 1);
    std::printf("step%d -> step%d;\n", i, i + 1);
  }
  for (int i = 0; i + 3 < w.nshots; i++)  // each row below the previous
    std::printf("step%d -> step%d [style=invis];\n", i, i + 3);
  std::printf("}\n");
}

}  // namespace

int main() {
  static World w;
  workload(w);
  printgraph(w);
  return w.leak.stats.current == 0 ? 0 : 1;
}
