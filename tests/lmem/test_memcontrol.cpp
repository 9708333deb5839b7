// Chapter 1 tests: the memory control that later chapters' white-box tests
// use (totalmem, numblocks, alloccount, allocfailnext), and the alignment
// every allocator of the catalogue promises.
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "lmem/lalloc.hpp"
#include "tests/lmem/support.hpp"

using namespace lua;
using lmemtest::catcherror;
using lmemtest::State;

TEST_CASE("totalmem and numblocks follow what the state holds", "[lmem]") {
  MemControl mc;
  State s(memcontrol_alloc, &mc);
  void* a = luaM_newobject(s.L, LUA_TTABLE, 56);
  void* b = luaM_malloc_(s.L, 100, 0);
  CHECK(totalmem(&mc) == 156);
  CHECK(numblocks(&mc) == 2);
  b = luaM_realloc_(s.L, b, 100, 20);
  CHECK(totalmem(&mc) == s.total());
  luaM_free_(s.L, a, 56);
  CHECK(numblocks(&mc) == 1);
  CHECK(mc.stats.peak == 156);
  luaM_free_(s.L, b, 20);
  CHECK(totalmem(&mc) == 0);
}

TEST_CASE("allocfailnext makes exactly the next allocation fail", "[lmem]") {
  MemControl mc;
  State s(memcontrol_alloc, &mc);
  allocfailnext(&mc);
  LuaError e = catcherror([&] { (void)luaM_malloc_(s.L, 10, 0); });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(std::string(e.msg) == "not enough memory");
  CHECK(mc.stats.failures == 1);
  CHECK(!mc.failnext);  // used up
  void* p = luaM_malloc_(s.L, 10, 0);
  CHECK(p != nullptr);
  CHECK(totalmem(&mc) == 10);
  CHECK(s.total() == 10);
  luaM_free_(s.L, p, 10);
}

TEST_CASE("alloccount allows n more allocations and then every one fails",
          "[lmem]") {
  MemControl mc;
  State s(memcontrol_alloc, &mc);
  alloccount(&mc, 3);
  void* a = luaM_malloc_(s.L, 8, 0);
  void* b = luaM_malloc_(s.L, 8, 0);
  a = luaM_realloc_(s.L, a, 8, 16);  // a resize uses one too
  CHECK(mc.countlimit == 0);
  CHECK(luaM_realloc_(s.L, b, 8, 32) == nullptr);
  CHECK(catcherror([&] { (void)luaM_malloc_(s.L, 8, 0); }).status ==
        LUA_ERRMEM);
  a = luaM_realloc_(s.L, a, 16, 16);  // same size: not counted, so granted
  CHECK(a != nullptr);
  luaM_free_(s.L, b, 8);  // frees always go through
  CHECK(numblocks(&mc) == 1);
  alloccount(&mc, -1);  // unlimited again
  void* c = luaM_malloc_(s.L, 8, 0);
  CHECK(c != nullptr);
  CHECK(totalmem(&mc) == s.total());
  luaM_free_(s.L, a, 16);
  luaM_free_(s.L, c, 8);
  CHECK(totalmem(&mc) == 0);
}

TEST_CASE("memory control stacks over another allocator and passes tags on",
          "[lmem]") {
  ProfilerAlloc p;
  MemControl mc;
  mc.next = {profiler_alloc, &p};
  State s(memcontrol_alloc, &mc);
  void* t = luaM_newobject(s.L, LUA_TTABLE, 56);
  allocfailnext(&mc);
  CHECK(catcherror([&] {
          (void)luaM_newobject(s.L, LUA_TSTRING, 20);
        }).status == LUA_ERRMEM);
  CHECK(p.bytag[LUA_TTABLE].blocks == 1);
  CHECK(p.bytag[LUA_TSTRING].allocs == 0);  // the failure never got there
  luaM_free_(s.L, t, 56);
  CHECK(p.stats.current == 0);
}

TEST_CASE(
    "every allocator of the catalogue aligns blocks for "
    "LUAI_MAXALIGN",
    "[lmem]") {
  LimitedAlloc lim{1 << 20};
  SandboxAlloc sb{1 << 20, SandboxMode::lenient};
  PoolAlloc pool;
  DebugAlloc dbg;
  LeakDetector leak;
  ProfilerAlloc prof;
  MemControl mc;
  const AllocRef all[] = {{l_alloc, nullptr},      {limited_alloc, &lim},
                          {sandbox_alloc, &sb},    {pool_alloc, &pool},
                          {debug_alloc, &dbg},     {leak_alloc, &leak},
                          {profiler_alloc, &prof}, {memcontrol_alloc, &mc}};
  for (const AllocRef& a : all) {
    for (std::size_t n : {1, 3, 8, 13, 24, 100, 255, 256, 257, 4000}) {
      void* p = a.f(a.ud, nullptr, 0, n);
      REQUIRE(p != nullptr);
      CHECK(reinterpret_cast<std::uintptr_t>(p) % MAXALIGN == 0);
      a.f(a.ud, p, n, 0);
    }
  }
}
