// Chapter 1 tests: what happens when the allocator says no. One emergency
// collection through the `fullgc` seam, then LUA_ERRMEM; `gcstopem`; the
// state staying usable; the runerror and throwstatus seams; the fail-first
// debug switch.
#include <string>

#include <catch2/catch.hpp>

#include "tests/lmem/support.hpp"

using namespace lua;
using lmemtest::catcherror;
using lmemtest::CountingState;
using lmemtest::kFailFirst;

namespace {

// Stand-in for chapter 6's collector. The seam receives only the thread
// (null in chapter 1), so the hook finds its world through these.
struct Collector {
  lmemtest::Counting* c = nullptr;
  void* reserve = nullptr;  // what a "collection" can free
  std::size_t reservesize = 0;
  int runs = 0;
};
Collector collector;

// A collection that finds garbage: it releases the reserve, once.
void freeing_fullgc(lua_State*) {
  collector.runs++;
  if (collector.reserve != nullptr) {
    lmemtest::counting_alloc(collector.c, collector.reserve,
                             collector.reservesize, 0);
    collector.reserve = nullptr;
  }
}

// A collection that finds nothing to free.
void empty_fullgc(lua_State*) {
  collector.runs++;
}

// Fills the counting allocator up to its limit with a reserve block that a
// collection may release, and installs `hook` as the collector.
void setup(CountingState& t, void (*hook)(lua_State*), std::size_t reserve) {
  collector = Collector{&t.c};
  t.c.limit = 1000;
  collector.reservesize = reserve;
  collector.reserve = lmemtest::counting_alloc(&t.c, nullptr, 0, reserve);
  t.s.g.seams.fullgc = hook;
}

}  // namespace

TEST_CASE("a failed allocation runs the fullgc seam once and then retries",
          "[lmem]") {
  CountingState t;
  setup(t, freeing_fullgc, 1000);  // the allocator is full
  int calls = t.c.calls;
  void* p = nullptr;
  LuaError e = catcherror([&] { p = luaM_malloc_(t.L, 600, LUA_TTABLE); });
  CHECK(e.status == LUA_OK);
  REQUIRE(p != nullptr);
  CHECK(collector.runs == 1);
  // Normally: a refused call, the hook's free, then the retry. Under the
  // fail-first switch the first attempt never reaches the allocator.
  CHECK(t.c.failures == (kFailFirst ? 0 : 1));
  CHECK(t.c.calls - calls == (kFailFirst ? 2 : 3));
  CHECK(t.c.lastosize == LUA_TTABLE);  // the retry still carries the tag
  CHECK(t.s.total() == 600);
  CHECK(t.c.held == 600);
  luaM_free_(t.L, p, 600);
}

TEST_CASE("a failed resize also goes through the emergency collection",
          "[lmem]") {
  CountingState t;
  setup(t, freeing_fullgc, 900);
  void* p = luaM_malloc_(t.L, 100, 0);  // may run the hook under fail-first
  lmemtest::fill(p, 100, 1);
  collector.runs = 0;
  void* q = luaM_realloc_(t.L, p, 100, 700);
  REQUIRE(q != nullptr);
  CHECK(collector.runs == 1);
  CHECK(lmemtest::holds(q, 100, 1));
  CHECK(t.s.total() == 700);
  CHECK(t.c.held == 700);
  luaM_free_(t.L, q, 700);
}

TEST_CASE(
    "when the emergency collection frees nothing, LUA_ERRMEM 'not "
    "enough memory' is raised",
    "[lmem]") {
  CountingState t;
  setup(t, empty_fullgc, 1000);
  LuaError e = catcherror([&] { (void)luaM_malloc_(t.L, 10, LUA_TSTRING); });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(std::string(e.msg) == MEMERRMSG);
  CHECK(collector.runs == 1);  // one collection, one retry, no more
  CHECK(t.s.total() == 0);     // nothing was charged
  CHECK(t.c.held == 1000);
  lmemtest::counting_alloc(&t.c, collector.reserve, 1000, 0);
}

TEST_CASE("gcstopem suppresses the emergency collection", "[lmem]") {
  CountingState t;
  setup(t, freeing_fullgc, 1000);
  t.s.g.gcstopem = 1;
  int calls = t.c.calls;
  CHECK(luaM_realloc_(t.L, nullptr, 0, 10) == nullptr);
  CHECK(t.c.calls - calls == 1);  // no retry, even under fail-first
  LuaError e = catcherror([&] { (void)luaM_malloc_(t.L, 10, 0); });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(collector.runs == 0);
  CHECK(collector.reserve != nullptr);
  lmemtest::counting_alloc(&t.c, collector.reserve, 1000, 0);
}

TEST_CASE("without a collector a real failure is final after one call",
          "[lmem]") {
  CountingState t;
  t.c.limit = 50;
  int calls = t.c.calls;
  CHECK(luaM_realloc_(t.L, nullptr, 0, 100) == nullptr);
  // Normally no retry; under fail-first the fake failure is retried once,
  // and that retry is the only call that reaches the allocator.
  CHECK(t.c.calls - calls == 1);
  CHECK(t.c.failures == 1);
}

TEST_CASE("the state stays usable and exact after a memory error", "[lmem]") {
  CountingState t;
  t.c.limit = 4096;
  int* v = nullptr;
  int size = 0;
  LuaError e = catcherror([&] {
    for (int n = 0;; n++) luaM_growvector(t.L, v, n, size, 1 << 20, "ints");
  });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(size == 1024);  // 4 KiB of ints; 8 KiB did not fit
  CHECK(t.s.total() == t.c.held);
  luaM_shrinkvector(t.L, v, size, 10);  // release most of it
  void* p = luaM_malloc_(t.L, 2000, LUA_TUSERDATA);
  CHECK(p != nullptr);
  CHECK(t.s.total() == t.c.held);
  luaM_free_(t.L, p, 2000);
  luaM_freearray(t.L, v, size);
  CHECK(t.s.total() == 0);
  CHECK(t.c.held == 0);
}

TEST_CASE(
    "luaM_saferealloc_ raises LUA_ERRMEM where luaM_realloc_ returns "
    "null",
    "[lmem]") {
  CountingState t;
  void* p = luaM_malloc_(t.L, 32, 0);
  t.c.limit = 32;
  CHECK(luaM_realloc_(t.L, p, 32, 64) == nullptr);
  LuaError e = catcherror([&] { p = luaM_saferealloc_(t.L, p, 32, 64); });
  CHECK(e.status == LUA_ERRMEM);
  CHECK(t.s.total() == 32);  // p is still the valid 32-byte block
  luaM_free_(t.L, p, 32);
}

namespace {

struct SeamCall {
  int status;
  std::string msg;
};

[[noreturn]] void test_runerror(lua_State*, const char* msg) {
  throw SeamCall{LUA_ERRRUN, msg};
}

[[noreturn]] void test_throwstatus(lua_State*, int status) {
  throw SeamCall{status, ""};
}

template <class F>
SeamCall seamcall(F&& f) {
  try {
    f();
  } catch (const SeamCall& s) {
    return s;
  }
  return {LUA_OK, ""};
}

}  // namespace

TEST_CASE(
    "the runerror seam receives the formatted message of a runtime "
    "error",
    "[lmem]") {
  CountingState t;
  t.s.g.seams.runerror = test_runerror;
  int size = 3;
  SeamCall s = seamcall(
      [&] { (void)luaM_growaux_(t.L, nullptr, 3, &size, 1, 3, "upvalues"); });
  CHECK(s.status == LUA_ERRRUN);
  CHECK(s.msg == "too many upvalues (limit is 3)");
  s = seamcall([&] { luaM_toobig(t.L); });
  CHECK(s.msg == "memory allocation error: block too big");
}

TEST_CASE(
    "the throwstatus seam receives LUA_ERRMEM from a failed "
    "allocation",
    "[lmem]") {
  CountingState t;
  t.s.g.seams.throwstatus = test_throwstatus;
  t.c.limit = 0;
  SeamCall s = seamcall([&] { (void)luaM_malloc_(t.L, 8, 0); });
  CHECK(s.status == LUA_ERRMEM);
}

TEST_CASE(
    "the fail-first switch sends every allocation through the "
    "emergency path",
    "[lmem]") {
  CountingState t;
  setup(t, empty_fullgc, 0);  // a collector with nothing to free
  collector.runs = 0;
  void* a = luaM_malloc_(t.L, 10, 0);
  void* b = luaM_realloc_(t.L, a, 10, 20);
  luaM_free_(t.L, b, 20);  // frees never fail, never collect
  CHECK(collector.runs == (kFailFirst ? 2 : 0));
  CHECK(t.c.failures == 0);  // the fake failures never reach the allocator
  CHECK(t.c.held == 0);
}
