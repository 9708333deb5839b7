// Stage 3 demo: what exists after chapter 3. Short strings are interned,
// so equal contents give the same object; the string table doubles as it
// fills; long strings are copies whose hash waits until it is needed; the
// API cache finds a C string again without hashing it. The seed is fixed
// (LUA_ANATOMY_SEED) so the output is the same on every run.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lstring/lstring.hpp"
#include "tests/lstring/support.hpp"

namespace {

using namespace lua;

// Chain lengths of the string table: how many buckets hold 0, 1, 2, ...
void show_chains(global_State* g) {
  int histogram[8] = {};
  for (int i = 0; i < g->strt.size; i++) {
    int n = 0;
    for (TString* ts = g->strt.hash[i]; ts != nullptr; ts = ts->u.hnext) n++;
    histogram[n < 7 ? n : 7]++;
  }
  std::printf("    buckets by chain length:");
  for (int n = 0; n < 8; n++)
    if (histogram[n] > 0)
      std::printf("  %d%s:%d", n, n == 7 ? "+" : "", histogram[n]);
  std::printf("\n");
}

void show_growth(lua_State* L) {
  stringtable& tb = G(L)->strt;
  std::printf("Interning 5000 distinct short strings:\n");
  int last = tb.size;
  for (int i = 0; i < 5000; i++) {
    std::string s = "name" + std::to_string(i);
    (void)luaS_newlstr(L, s.data(), s.size());
    if (tb.size != last) {
      std::printf(
          "  string %4d: nuse %4d reached size %4d -> resized to "
          "%d\n",
          i, tb.nuse - 1, last, tb.size);
      last = tb.size;
    }
  }
  std::printf(
      "  final: %d strings in %d buckets (load %.2f), "
      "invariant violations: %d\n",
      tb.nuse, tb.size, double(tb.nuse) / tb.size, check_invariants(G(L)));
  show_chains(G(L));
}

void show_identity(lua_State* L) {
  std::string a = "interned", b = "inter";
  b += "ned";
  TString* x = luaS_newlstr(L, a.data(), a.size());
  TString* y = luaS_newlstr(L, b.data(), b.size());
  std::printf("\nTwo buffers holding \"interned\" give %s object.\n",
              x == y ? "the same" : "different");
  std::string big(100, 'L');
  TString* l1 = luaS_newlstr(L, big.data(), big.size());
  TString* l2 = luaS_newlstr(L, big.data(), big.size());
  std::printf(
      "Two 100-byte strings: %s objects, equal by luaS_eqlngstr: "
      "%s.\n",
      l1 == l2 ? "the same" : "different",
      luaS_eqlngstr(l1, l2) ? "yes" : "no");
  std::printf("A long string's hash before use: %s; ",
              l1->extra ? "computed" : "not computed");
  unsigned int h = luaS_hashlongstr(l1);
  std::printf("after luaS_hashlongstr: %08x (extra = %d).\n", h, l1->extra);
}

void show_cache(lua_State* L, test::Heap& heap) {
  const char* field = "__index";
  (void)luaS_new(L, field);
  std::size_t before = heap.allocs;
  for (int i = 0; i < 1000; i++) (void)luaS_new(L, field);
  std::printf(
      "\n1000 more luaS_new calls with the same C pointer made %zu "
      "allocations (API cache hits).\n",
      heap.allocs - before);
}

}  // namespace

int main() {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  test::Heap heap;
  lua_State* L = test::newstate(heap);
  if (L == nullptr) return 1;
  show_growth(L);
  show_identity(L);
  show_cache(L, heap);
  std::printf("\nBytes in use: %zu; ",
              static_cast<std::size_t>(gettotalbytes(G(L))));
  test::closestate(L);
  std::printf("after freeing every object and the state: %zu.\n", heap.held);
  return 0;
}
