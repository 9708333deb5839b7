// Stage 4 demo: what exists after chapter 4. Tables built with known
// insertion patterns show their array and hash sizes, their border '#',
// a traversal with luaH_next, and a picture of the node vector (main
// positions, collision chains, lastfree) before and after Brent's move and
// a rehash. The keys are integers, whose hashes do not depend on the seed;
// the seed is fixed anyway (LUA_ANATOMY_SEED) so every run prints the
// same.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ltable/ltable.hpp"
#include "tests/ltable/support.hpp"

namespace {

using namespace lua;

std::string text(const TValue* v) {
  char buff[64];
  if (ttisinteger(v)) return std::to_string(ivalue(v));
  if (ttisfloat(v)) {
    std::snprintf(buff, sizeof buff, "%.14g", fltvalue(v));
    return buff;
  }
  if (ttisstring(v)) return "\"" + std::string(svalue(v), vslen(v)) + "\"";
  if (ttisboolean(v)) return ttistrue(v) ? "true" : "false";
  return "nil";
}

void sizes(const char* label, Table* t) {
  std::printf("  %-28s array %4u  hash %3d  #t = %llu\n", label,
              luaH_realasize(t), allocsizenode(t),
              static_cast<unsigned long long>(luaH_getn(t)));
}

void traversal(lua_State* L, Table* t) {
  std::printf("  next order:");
  TValue k = test::nilv(), v;
  while (luaH_next(L, t, &k, &v)) std::printf(" %s", text(&k).c_str());
  std::printf("\n");
}

// One line per node: its key and value, the key's main position, where its
// chain goes next, and the lastfree mark.
void picture(Table* t, const char* title) {
  std::printf("\n  %s (%d nodes, lastfree at [%d]):\n", title, sizenode(t),
              cast_int(t->lastfree - t->node));
  for (int i = 0; i < sizenode(t); i++) {
    Node* n = gnode(t, i);
    std::printf("    [%2d] ", i);
    if (keyisnil(n)) {
      std::printf("free\n");
      continue;
    }
    TValue key;
    getnodekey(nullptr, &key, n);
    int mp = cast_int(luaH_mainposition(t, &key) - t->node);
    std::printf("key %-4s main position [%2d] %-6s", text(&key).c_str(), mp,
                mp == i ? "(home)" : "(away)");
    if (gnext(n) != 0) std::printf(" next -> [%2d]", i + gnext(n));
    std::printf("\n");
  }
}

void growth(lua_State* L) {
  std::printf("1. Keys 1..20 in order: the array doubles at 2^k + 1\n");
  Table* t = luaH_new(L);
  unsigned int last = 0;
  for (lua_Integer k = 1; k <= 20; k++) {
    TValue v = test::intv(k);
    luaH_setint(L, t, k, &v);
    if (luaH_realasize(t) != last) {
      std::string label = "after t[" + std::to_string(k) + "]";
      sizes(label.c_str(), t);
      last = luaH_realasize(t);
    }
  }
}

void patterns(lua_State* L) {
  std::printf("\n2. Other insertion orders\n");
  struct Pattern {
    const char* name;
    std::vector<lua_Integer> keys;
  } patterns[] = {
      {"10..1 (reverse)", {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
      {"1, 2, 4, ..., 64 (sparse)", {1, 2, 4, 8, 16, 32, 64}},
      {"1, 3, 5, 7 (odd)", {1, 3, 5, 7}},
      {"odd, then 2 and 4", {1, 3, 5, 7, 2, 4}},
      {"0, -1, -2, 2^40", {0, -1, -2, lua_Integer{1} << 40}},
  };
  for (const Pattern& p : patterns) {
    Table* t = luaH_new(L);
    for (lua_Integer k : p.keys) {
      TValue v = test::intv(k);
      luaH_setint(L, t, k, &v);
    }
    sizes(p.name, t);
  }
}

void setint(lua_State* L, Table* t, lua_Integer k) {
  TValue v = test::intv(k);
  luaH_setint(L, t, k, &v);
}

void nodes(lua_State* L) {
  std::printf("\n3. The node vector: collisions, Brent's move, rehash\n");
  std::printf("  (an 8-node hash part reduces integers modulo 7)\n");
  Table* t = luaH_new(L);
  luaH_resize(L, t, 0, 8);
  for (lua_Integer k : {7, 14, 21}) setint(L, t, k);
  picture(t, "7, 14, 21 all hash to [0]; the free nodes come from the top");
  setint(L, t, 6);
  picture(t, "6 hashes to [6], where 21 sits away from home: 21 moves");
  for (lua_Integer k : {8, 9, 10, 11}) setint(L, t, k);
  picture(t, "8..11 fill [1]..[4]: no node is free");
  setint(L, t, 12);
  picture(t, "12 finds no free node: rehash to 16 nodes (modulo 15)");
  std::printf("  violations of the invariants: %d\n", check_table(t));
}

void borders(lua_State* L) {
  std::printf("\n4. Borders: '#' returns any border of a table with holes\n");
  Table* t = luaH_new(L);
  for (lua_Integer k = 1; k <= 16; k++) setint(L, t, k);
  TValue nil = test::nilv();
  sizes("1..16", t);
  luaH_setint(L, t, 16, &nil);
  sizes("t[16] = nil", t);
  std::printf("    alimit is now a hint: %u (real size %u)\n", t->alimit,
              luaH_realasize(t));
  for (lua_Integer k : {3, 9}) luaH_setint(L, t, k, &nil);
  sizes("and t[3] = t[9] = nil", t);
  std::printf("    (2, 8 and 15 are all borders now)\n");
}

void traversals(lua_State* L) {
  std::printf("\n5. Traversal: the array part in order, then the nodes\n");
  Table* t = luaH_new(L);
  for (lua_Integer k : {1, 2, 3, 100, 200, 300}) setint(L, t, k);
  TValue half = test::fltv(2.5), v = test::intv(0);
  luaH_set(L, t, &half, &v);
  sizes("1, 2, 3, 100, 200, 300, 2.5", t);
  traversal(L, t);
  TValue k = test::nilv(), nil = test::nilv();
  int visited = 0;
  while (luaH_next(L, t, &k, &v)) {
    luaH_set(L, t, &k, &nil);  // clearing fields during a traversal is fine
    visited++;
  }
  std::printf("  cleared each field while traversing: %d visited, ", visited);
  k = test::nilv();
  std::printf("%s left\n", luaH_next(L, t, &k, &v) ? "some" : "none");
}

void errors(lua_State* L) {
  std::printf("\n6. Errors, as lua5.4 reports them\n");
  Table* t = luaH_new(L);
  TValue one = test::intv(1), nil = test::nilv();
  TValue nan = test::fltv(std::nan("")), missing = test::intv(42);
  const char* names[] = {"t[nil] = 1", "t[0/0] = 1", "next(t, 42)"};
  for (int i = 0; i < 3; i++) {
    test::Outcome r = test::protect([&] {
      if (i == 0) luaH_set(L, t, &nil, &one);
      if (i == 1) luaH_set(L, t, &nan, &one);
      TValue v;
      if (i == 2) (void)luaH_next(L, t, &missing, &v);
    });
    std::printf("  %-12s -> %s\n", names[i], r.msg.c_str());
  }
}

}  // namespace

int main() {
  test::Heap heap;
  lua_State* L = test::seededstate(heap, "42");
  if (L == nullptr) return 1;
  std::printf("Stage 4: tables, an array part and a hash part\n\n");
  growth(L);
  patterns(L);
  nodes(L);
  borders(L);
  traversals(L);
  errors(L);
  test::closestate(L, test::freetableobj);
  std::printf("\nEverything freed; the allocator holds %zu bytes.\n",
              heap.held);
  return heap.held == 0 ? 0 : 1;
}
