// Chapter 1 tests: the default allocator and the budget allocators
// (limited, sandbox strict and lenient), alone and under lmem.
#include <cstring>

#include <catch2/catch.hpp>

#include "lmem/lalloc.hpp"
#include "tests/lmem/support.hpp"

using namespace lua;
using lmemtest::catcherror;
using lmemtest::State;

namespace {

bool samecounters(const AllocCounters& a, const AllocCounters& b) {
  return a.allocs == b.allocs && a.frees == b.frees &&
         a.reallocs == b.reallocs && a.current == b.current &&
         a.peak == b.peak && a.blocks == b.blocks;
}

}  // namespace

TEST_CASE("l_alloc allocates, resizes and frees like realloc and free",
          "[lmem]") {
  void* p = l_alloc(nullptr, nullptr, LUA_TSTRING, 10);
  REQUIRE(p != nullptr);
  std::memcpy(p, "0123456789", 10);
  p = l_alloc(nullptr, p, 10, 100000);
  REQUIRE(p != nullptr);
  CHECK(std::memcmp(p, "0123456789", 10) == 0);
  CHECK(l_alloc(nullptr, p, 100000, 0) == nullptr);
}

TEST_CASE("the limited allocator grants up to its limit exactly", "[lmem]") {
  LimitedAlloc a{1000};
  void* p = limited_alloc(&a, nullptr, 0, 600);
  void* q = limited_alloc(&a, nullptr, 0, 400);
  REQUIRE(p != nullptr);
  REQUIRE(q != nullptr);
  CHECK(a.stats.current == 1000);
  CHECK(a.stats.blocks == 2);
  limited_alloc(&a, p, 600, 0);
  limited_alloc(&a, q, 400, 0);
  CHECK(a.stats.current == 0);
  CHECK(a.stats.peak == 1000);
}

TEST_CASE(
    "a refused request leaves the limited allocator's counters as "
    "before",
    "[lmem]") {
  LimitedAlloc a{1000};
  void* p = limited_alloc(&a, nullptr, 0, 700);
  AllocCounters before = a.stats;
  CHECK(limited_alloc(&a, nullptr, LUA_TTABLE, 301) == nullptr);
  CHECK(limited_alloc(&a, p, 700, 1001) == nullptr);
  CHECK(samecounters(a.stats, before));  // ROLLBACK
  CHECK(a.stats.failures == before.failures + 2);
  limited_alloc(&a, p, 700, 0);
}

TEST_CASE("the limited allocator always grants shrinking and freeing",
          "[lmem]") {
  LimitedAlloc a{1000};
  void* p = limited_alloc(&a, nullptr, 0, 900);
  a.limit = 100;  // now far over the limit
  p = limited_alloc(&a, p, 900, 800);
  REQUIRE(p != nullptr);
  CHECK(a.stats.current == 800);
  CHECK(limited_alloc(&a, p, 800, 801) == nullptr);  // growth still refused
  CHECK(limited_alloc(&a, p, 800, 0) == nullptr);
  CHECK(a.stats.current == 0);
  CHECK(a.stats.frees == 1);
}

TEST_CASE(
    "a failure of the limited allocator's next allocator is rolled "
    "back",
    "[lmem]") {
  MemControl mc;
  LimitedAlloc a{1000};
  a.next = {memcontrol_alloc, &mc};
  void* p = limited_alloc(&a, nullptr, 0, 100);
  AllocCounters before = a.stats;
  allocfailnext(&mc);
  CHECK(limited_alloc(&a, p, 100, 200) == nullptr);
  CHECK(samecounters(a.stats, before));
  CHECK(a.stats.failures == 1);
  limited_alloc(&a, p, 100, 0);
  CHECK(totalmem(&mc) == 0);
}

TEST_CASE(
    "under lmem a refusal of the limited allocator raises LUA_ERRMEM "
    "and the accounting stays exact",
    "[lmem]") {
  LimitedAlloc a{4096};
  State s(limited_alloc, &a);
  void* p = luaM_malloc_(s.L, 4000, LUA_TTABLE);
  LuaError e = catcherror([&] { (void)luaM_malloc_(s.L, 200, 0); });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(s.total() == 4000);
  CHECK(a.stats.current == 4000);  // COUNT: the allocator agrees with lmem
  CHECK(a.stats.failures == 1);
  void* q = luaM_malloc_(s.L, 96, 0);  // fits exactly: the state goes on
  CHECK(s.total() == 4096);
  luaM_free_(s.L, q, 96);
  luaM_free_(s.L, p, 4000);
  CHECK(a.stats.current == 0);
}

TEST_CASE("a strict sandbox grants nothing beyond its limit", "[lmem]") {
  SandboxAlloc s{1000, SandboxMode::strict};
  CHECK(sandbox_ceiling(&s) == 1000);
  void* p = sandbox_alloc(&s, nullptr, 0, 1000);
  REQUIRE(p != nullptr);
  CHECK(sandbox_alloc(&s, nullptr, 0, 1) == nullptr);
  CHECK(s.overshoots == 0);
  CHECK(s.stats.failures == 1);
  sandbox_alloc(&s, p, 1000, 0);
}

TEST_CASE(
    "a lenient sandbox overshoots its limit by at most the stated "
    "percent",
    "[lmem]") {
  SandboxAlloc s{1000, SandboxMode::lenient};  // 10% by default
  CHECK(sandbox_ceiling(&s) == 1100);
  void* a = sandbox_alloc(&s, nullptr, 0, 1050);
  REQUIRE(a != nullptr);
  CHECK(s.overshoots == 1);
  AllocCounters before = s.stats;
  CHECK(sandbox_alloc(&s, nullptr, 0, 51) == nullptr);  // 1101 > 1100
  CHECK(samecounters(s.stats, before));
  void* b = sandbox_alloc(&s, nullptr, 0, 50);  // exactly the ceiling
  REQUIRE(b != nullptr);
  CHECK(s.overshoots == 2);
  sandbox_alloc(&s, b, 50, 0);
  sandbox_alloc(&s, a, 1050, 0);
  CHECK(s.stats.current == 0);
  CHECK(s.stats.peak == 1100);
}

TEST_CASE("strict and lenient sandboxes differ only inside the allowance",
          "[lmem]") {
  SandboxAlloc strict{4096, SandboxMode::strict};
  SandboxAlloc lenient{4096, SandboxMode::lenient, 5};
  State ss(sandbox_alloc, &strict), sl(sandbox_alloc, &lenient);
  void* p1 = luaM_malloc_(ss.L, 4000, 0);
  void* p2 = luaM_malloc_(sl.L, 4000, 0);
  // 4000 + 200 is over the limit but within 5% of it (4300).
  CHECK(catcherror([&] { (void)luaM_malloc_(ss.L, 200, 0); }).status ==
        LUA_ERRMEM);
  void* q = nullptr;
  CHECK(catcherror([&] { q = luaM_malloc_(sl.L, 200, 0); }).status == LUA_OK);
  // 4200 + 200 is past the ceiling for both.
  CHECK(catcherror([&] { (void)luaM_malloc_(sl.L, 200, 0); }).status ==
        LUA_ERRMEM);
  CHECK(ss.total() == strict.stats.current);
  CHECK(sl.total() == lenient.stats.current);
  luaM_free_(sl.L, q, 200);
  luaM_free_(sl.L, p2, 4000);
  luaM_free_(ss.L, p1, 4000);
}

TEST_CASE("a lenient sandbox's ceiling cannot overflow", "[lmem]") {
  SandboxAlloc s{MAX_SIZET - 10, SandboxMode::lenient, 50};
  CHECK(sandbox_ceiling(&s) == MAX_SIZET);
  s.limit = 199;  // 10% of 199 rounds down to 19
  s.overshoot_pct = 10;
  CHECK(sandbox_ceiling(&s) == 218);
}
