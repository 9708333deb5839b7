// Chapter 1 tests: the pool allocator. Reuse of freed blocks per size
// class, alignment, resizes within and across classes and to and from the
// large-block path, failure of the backing allocator, destruction.
#include <cstdint>

#include <catch2/catch.hpp>

#include "lmem/lalloc.hpp"
#include "tests/lmem/support.hpp"

using namespace lua;

namespace {

bool aligned(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) % MAXALIGN == 0;
}

// A pool whose chunks and large blocks come from a debug allocator, so
// the tests can see what the pool holds from the system.
struct ObservedPool {
  DebugAlloc sys;
  PoolAlloc pool;
  ObservedPool() { pool.backing = {debug_alloc, &sys}; }
  void* req(void* p, std::size_t os, std::size_t ns) {
    return pool_alloc(&pool, p, os, ns);
  }
};

}  // namespace

TEST_CASE(
    "the pool gives a freed block back to the next request of its "
    "size class",
    "[lmem]") {
  ObservedPool t;
  void* a = t.req(nullptr, LUA_TSTRING, 40);
  void* b = t.req(nullptr, LUA_TSTRING, 40);
  REQUIRE(a != b);
  t.req(a, 40, 0);
  CHECK(pool_freecount(&t.pool, pool_class(40)) == 1);
  void* other = t.req(nullptr, 0, 100);  // another class: not a's block
  CHECK(other != a);
  void* c = t.req(nullptr, LUA_TTABLE, 33);  // same class as 40
  CHECK(c == a);
  CHECK(t.pool.reused == 1);
  CHECK(pool_freecount(&t.pool, pool_class(40)) == 0);
  CHECK(t.sys.stats.allocs == 1);  // all of it from one chunk
  CHECK(check_pool(&t.pool) == 0);
  t.req(b, 40, 0), t.req(c, 33, 0), t.req(other, 100, 0);
  CHECK(t.pool.stats.current == 0);
  CHECK(check_pool(&t.pool) == 0);
}

TEST_CASE(
    "the pool rounds small blocks up to their class and aligns them "
    "for LUAI_MAXALIGN",
    "[lmem]") {
  ObservedPool t;
  void* blocks[POOL_MAXSMALL];
  std::size_t rounded = 0;
  for (std::size_t n = 1; n <= POOL_MAXSMALL; n++) {
    blocks[n - 1] = t.req(nullptr, 0, n);
    REQUIRE(blocks[n - 1] != nullptr);
    CHECK(aligned(blocks[n - 1]));
    lmemtest::fill(blocks[n - 1], n, static_cast<unsigned>(n));
    rounded += (n + POOL_GRANULE - 1) / POOL_GRANULE * POOL_GRANULE;
  }
  CHECK(t.pool.rounded == rounded);
  CHECK(t.pool.stats.current == POOL_MAXSMALL * (POOL_MAXSMALL + 1) / 2);
  for (std::size_t n = 1; n <= POOL_MAXSMALL; n++)  // no block overlaps
    CHECK(lmemtest::holds(blocks[n - 1], n, static_cast<unsigned>(n)));
  CHECK(t.pool.nchunks > 1);
  CHECK(check_pool(&t.pool) == 0);
  for (std::size_t n = 1; n <= POOL_MAXSMALL; n++) t.req(blocks[n - 1], n, 0);
  CHECK(t.pool.rounded == 0);
}

TEST_CASE("a pool resize within one size class keeps the block in place",
          "[lmem]") {
  ObservedPool t;
  void* p = t.req(nullptr, 0, 17);
  CHECK(t.req(p, 17, 24) == p);
  CHECK(t.req(p, 24, 20) == p);
  CHECK(t.pool.stats.current == 20);
  CHECK(t.pool.stats.reallocs == 2);
  t.req(p, 20, 0);
}

TEST_CASE(
    "a pool resize across classes moves the contents and recycles the "
    "old block",
    "[lmem]") {
  ObservedPool t;
  void* p = t.req(nullptr, 0, 24);
  lmemtest::fill(p, 24, 5);
  void* q = t.req(p, 24, 200);
  REQUIRE(q != nullptr);
  CHECK(q != p);
  CHECK(lmemtest::holds(q, 24, 5));
  CHECK(pool_freecount(&t.pool, pool_class(24)) == 1);
  // Back down to 24's class: the move takes p's recycled block, and the
  // first 20 bytes come along.
  void* r = t.req(q, 200, 20);
  CHECK(r == p);
  CHECK(lmemtest::holds(r, 20, 5));
  CHECK(pool_freecount(&t.pool, pool_class(200)) == 1);
  t.req(r, 20, 0);
  CHECK(check_pool(&t.pool) == 0);
}

TEST_CASE(
    "a pool resize into and out of the large-block path preserves the "
    "contents",
    "[lmem]") {
  ObservedPool t;
  void* p = t.req(nullptr, 0, 100);
  lmemtest::fill(p, 100, 11);
  std::size_t sysallocs = t.sys.stats.allocs;
  void* big = t.req(p, 100, 1000);  // leaves the classes
  REQUIRE(big != nullptr);
  CHECK(t.sys.stats.allocs == sysallocs + 1);
  CHECK(t.pool.large == 1);
  CHECK(lmemtest::holds(big, 100, 11));
  lmemtest::fill(big, 1000, 12);
  void* bigger = t.req(big, 1000, 5000);  // large to large: realloc
  CHECK(t.sys.stats.reallocs == 1);
  CHECK(lmemtest::holds(bigger, 1000, 12));
  void* small = t.req(bigger, 5000, 64);  // back into a class
  CHECK(lmemtest::holds(small, 64, 12));
  CHECK(t.pool.large == 0);
  CHECK(t.sys.stats.frees == 1);  // the large block went back
  t.req(small, 64, 0);
  CHECK(t.pool.stats.current == 0);
  CHECK(check_pool(&t.pool) == 0);
}

TEST_CASE(
    "blocks above the largest class go straight to the backing "
    "allocator",
    "[lmem]") {
  ObservedPool t;
  void* p = t.req(nullptr, LUA_TSTRING, POOL_MAXSMALL + 1);
  CHECK(t.sys.stats.allocs == 1);
  CHECK(t.sys.stats.current == POOL_MAXSMALL + 1);  // no chunk was needed
  CHECK(t.pool.nchunks == 0);
  CHECK(aligned(p));
  t.req(p, POOL_MAXSMALL + 1, 0);
  CHECK(t.sys.stats.current == 0);
}

TEST_CASE("destroying the pool returns every chunk to the backing allocator",
          "[lmem]") {
  DebugAlloc sys;
  {
    PoolAlloc pool;
    pool.backing = {debug_alloc, &sys};
    pool.chunksize = 512;
    void* keep[100];
    for (int i = 0; i < 100; i++)
      keep[i] = pool_alloc(&pool, nullptr, 0, 8 + (i % 8) * 16);
    for (int i = 0; i < 100; i += 2)
      pool_alloc(&pool, keep[i], 8 + (i % 8) * 16, 0);
    CHECK(pool.nchunks > 5);
    CHECK(sys.stats.current == pool.nchunks * 512);  // nothing returned yet
    pool_destroy(&pool);
    CHECK(sys.stats.current == 0);
    CHECK(pool.nchunks == 0);
    void* again = pool_alloc(&pool, nullptr, 0, 8);  // usable again
    CHECK(again != nullptr);
    CHECK(sys.stats.blocks == 1);
  }  // the destructor frees the new chunk
  CHECK(sys.stats.current == 0);
  CHECK(sys.stats.blocks == 0);
}

TEST_CASE(
    "when the backing allocator fails the pool returns null and keeps "
    "the old block",
    "[lmem]") {
  MemControl mc;
  PoolAlloc pool;
  pool.backing = {memcontrol_alloc, &mc};
  allocfailnext(&mc);
  CHECK(pool_alloc(&pool, nullptr, 0, 16) == nullptr);  // no chunk
  void* p = pool_alloc(&pool, nullptr, 0, 16);
  REQUIRE(p != nullptr);
  lmemtest::fill(p, 16, 4);
  allocfailnext(&mc);
  CHECK(pool_alloc(&pool, p, 16, 4096) == nullptr);  // no large block
  CHECK(lmemtest::holds(p, 16, 4));
  CHECK(pool.stats.current == 16);
  CHECK(pool.stats.failures == 2);
  CHECK(check_pool(&pool) == 0);
  pool_alloc(&pool, p, 16, 0);
}

TEST_CASE("the pool under lmem keeps the accounting exact", "[lmem]") {
  PoolAlloc pool;
  lmemtest::State s(pool_alloc, &pool);
  int* v = nullptr;
  int size = 0;
  void* objs[20];
  for (int i = 0; i < 20; i++) {
    objs[i] = luaM_newobject(s.L, LUA_TTABLE, 56);
    for (int n = i * 5; n < i * 5 + 5; n++)
      luaM_growvector(s.L, v, n, size, 1000, "ints");
  }
  for (int i = 0; i < 20; i += 3) luaM_free_(s.L, objs[i], 56);
  CHECK(s.total() == pool.stats.current);
  CHECK(check_pool(&pool) == 0);
  for (int i = 0; i < 20; i++)
    if (i % 3 != 0) luaM_free_(s.L, objs[i], 56);
  luaM_freearray(s.L, v, size);
  CHECK(s.total() == 0);
  CHECK(pool.stats.current == 0);
}

TEST_CASE("check_pool counts each broken count of the pool", "[lmem]") {
  ObservedPool t;
  void* a = t.req(nullptr, LUA_TSTRING, 40);
  REQUIRE(check_pool(&t.pool) == 0);
  const std::size_t rounded = t.pool.rounded;
  t.pool.carved++;  // a carved block that is neither live nor free
  CHECK(check_pool(&t.pool) == 1);
  t.pool.rounded = 0;  // fewer rounded bytes than the caller holds
  CHECK(check_pool(&t.pool) == 2);
  t.pool.carved--, t.pool.rounded = rounded;
  CHECK(check_pool(&t.pool) == 0);
  t.req(a, 40, 0);
}
