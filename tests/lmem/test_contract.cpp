// Chapter 1 tests: the allocator contract as lmem uses it, and the exact
// accounting of totalbytes + GCdebt (invariant ACCOUNT).
#include <catch2/catch.hpp>

#include "tests/lmem/support.hpp"

using namespace lua;
using lmemtest::CountingState;

TEST_CASE("luaM_malloc_ passes the type tag as osize on a fresh allocation",
          "[lmem]") {
  CountingState t;
  for (int tag = 0; tag <= LUA_NUMTYPES + 1; tag++) {
    void* p = luaM_malloc_(t.L, 24, tag);
    REQUIRE(p != nullptr);
    CHECK(t.c.lastptr == nullptr);
    CHECK(t.c.lastosize == static_cast<std::size_t>(tag));
    CHECK(t.c.lastnsize == 24);
    luaM_free_(t.L, p, 24);
  }
  CHECK(t.c.held == 0);
  CHECK(t.s.total() == 0);
}

TEST_CASE("luaM_newobject hands its tag to the allocator as osize", "[lmem]") {
  CountingState t;
  void* p = luaM_newobject(t.L, LUA_TTABLE, 56);
  CHECK(t.c.lastosize == LUA_TTABLE);
  CHECK(t.c.lastnsize == 56);
  luaM_freemem(t.L, p, 56);
  CHECK(t.c.lastosize == 56);
  CHECK(t.c.lastnsize == 0);
}

TEST_CASE(
    "luaM_malloc_ of zero bytes returns null without calling the "
    "allocator",
    "[lmem]") {
  CountingState t;
  CHECK(luaM_malloc_(t.L, 0, LUA_TSTRING) == nullptr);
  CHECK(t.c.calls == 0);
  CHECK(t.s.total() == 0);
}

TEST_CASE("luaM_realloc_ allocates, resizes keeping the contents, and frees",
          "[lmem]") {
  CountingState t;
  void* p = luaM_realloc_(t.L, nullptr, 0, 16);
  REQUIRE(p != nullptr);
  CHECK(t.c.lastosize == 0);  // a vector: tag 0
  lmemtest::fill(p, 16, 3);
  p = luaM_realloc_(t.L, p, 16, 4000);
  REQUIRE(p != nullptr);
  CHECK(lmemtest::holds(p, 16, 3));
  CHECK(t.c.lastosize == 16);
  CHECK(t.s.total() == 4000);
  p = luaM_realloc_(t.L, p, 4000, 8);
  CHECK(lmemtest::holds(p, 8, 3));
  CHECK(t.s.total() == 8);
  CHECK(luaM_realloc_(t.L, p, 8, 0) == nullptr);
  CHECK(t.c.lastnsize == 0);
  CHECK(t.c.held == 0);
  CHECK(t.s.total() == 0);
}

TEST_CASE("luaM_free_ tells the allocator the block's size and asks for zero",
          "[lmem]") {
  CountingState t;
  void* p = luaM_malloc_(t.L, 100, 0);
  luaM_free_(t.L, p, 100);
  CHECK(t.c.lastptr == p);
  CHECK(t.c.lastosize == 100);
  CHECK(t.c.lastnsize == 0);
  CHECK(t.s.total() == 0);
}

TEST_CASE("the typed helpers size blocks by their element type", "[lmem]") {
  struct Pair {
    double a;
    long b;
  };
  CountingState t;
  Pair* one = luaM_new<Pair>(t.L);
  CHECK(t.c.lastnsize == sizeof(Pair));
  Pair* v = luaM_newvector<Pair>(t.L, 5);
  CHECK(t.c.lastnsize == 5 * sizeof(Pair));
  v = luaM_reallocvector<Pair>(t.L, v, 5, 9);
  CHECK(t.c.lastosize == 5 * sizeof(Pair));
  CHECK(t.c.lastnsize == 9 * sizeof(Pair));
  CHECK(t.s.total() == 10 * sizeof(Pair));
  luaM_freearray(t.L, v, 9);
  CHECK(t.c.lastosize == 9 * sizeof(Pair));
  luaM_free(t.L, one);
  CHECK(t.c.lastosize == sizeof(Pair));
  CHECK(t.c.held == 0);
}

namespace {

// A small deterministic generator, so the mixed workload is repeatable.
struct Lcg {
  unsigned long long x = 12345;
  unsigned next(unsigned n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(x >> 33) % n;
  }
};

}  // namespace

TEST_CASE(
    "totalbytes plus GCdebt equals the bytes the allocator holds, "
    "failures included",
    "[lmem]") {
  CountingState t;
  t.c.limit = 20000;  // tight enough that some requests fail
  constexpr int N = 64;
  void* blocks[N] = {};
  std::size_t sizes[N] = {};
  Lcg rnd;
  int failed = 0;
  for (int step = 0; step < 3000; step++) {
    int i = static_cast<int>(rnd.next(N));
    std::size_t ns = rnd.next(4) == 0 ? 0 : 1 + rnd.next(1500);
    void* p = luaM_realloc_(t.L, blocks[i], sizes[i], ns);
    if (p == nullptr && ns > 0) {
      failed++;  // the old block must still be there, unchanged in size
    } else {
      blocks[i] = p, sizes[i] = ns;
    }
    if (step % 97 == 0) luaE_setdebt(&t.s.g, -static_cast<l_mem>(step));
    REQUIRE(t.s.total() == t.c.held);
  }
  CHECK(failed > 0);  // the workload did exercise failures
  for (int i = 0; i < N; i++) luaM_free_(t.L, blocks[i], sizes[i]);
  CHECK(t.c.held == 0);
  CHECK(t.s.total() == 0);
}

TEST_CASE(
    "luaE_setdebt moves bytes between totalbytes and GCdebt keeping "
    "their sum",
    "[lmem]") {
  CountingState t;
  void* p = luaM_malloc_(t.L, 1000, 0);
  CHECK(t.s.g.GCdebt == 1000);  // DEBT: allocation is debt until paid
  luaE_setdebt(&t.s.g, -200);
  CHECK(t.s.g.GCdebt == -200);
  CHECK(t.s.g.totalbytes == 1200);
  CHECK(t.s.total() == 1000);
  luaE_setdebt(&t.s.g, -MAX_LMEM);  // too negative: clamped
  CHECK(t.s.g.totalbytes == MAX_LMEM);
  CHECK(t.s.total() == 1000);
  luaM_free_(t.L, p, 1000);
  CHECK(t.s.total() == 0);
}

TEST_CASE(
    "a failed luaM_realloc_ returns null and leaves the block and the "
    "accounting untouched",
    "[lmem]") {
  CountingState t;
  void* p = luaM_malloc_(t.L, 64, 0);
  lmemtest::fill(p, 64, 9);
  t.c.limit = 100;
  l_mem debt = t.s.g.GCdebt;
  CHECK(luaM_realloc_(t.L, p, 64, 500) == nullptr);
  CHECK(t.s.g.GCdebt == debt);
  CHECK(t.s.total() == 64);
  CHECK(lmemtest::holds(p, 64, 9));
  luaM_free_(t.L, p, 64);
  CHECK(t.c.held == 0);
}
