// Chapter 1 tests: the allocators that watch. The debug allocator's
// counters and log, the leak detector's report, the per-type profiler.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lmem/lalloc.hpp"
#include "tests/lmem/support.hpp"

using namespace lua;
using lmemtest::State;

namespace {

// Everything written to a temporary FILE by `f`.
template <class F>
std::string captured(F&& f) {
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp != nullptr);
  f(tmp);
  std::rewind(tmp);
  std::string out;
  for (int ch; (ch = std::fgetc(tmp)) != EOF;) out += static_cast<char>(ch);
  std::fclose(tmp);
  return out;
}

// True when `b` is the live block at `address` with these attributes.
bool isblock(const LiveBlock& b, const void* address, std::size_t size, int tag,
             std::size_t serial) {
  return b.address == address && b.size == size && b.tag == tag &&
         b.serial == serial;
}

// Live bytes per tag slot, in tag order (the last slot is "other").
std::vector<std::size_t> livebytes(const ProfilerAlloc& p) {
  std::vector<std::size_t> v;
  for (const TagProfile& tp : p.bytag) v.push_back(tp.current);
  return v;
}

}  // namespace

TEST_CASE(
    "the debug allocator counts allocs, frees, reallocs, current and "
    "peak bytes",
    "[lmem]") {
  DebugAlloc d;
  State s(debug_alloc, &d);
  void* a = luaM_malloc_(s.L, 100, LUA_TSTRING);
  void* b = luaM_malloc_(s.L, 50, 0);
  a = luaM_realloc_(s.L, a, 100, 300);
  luaM_free_(s.L, b, 50);
  a = luaM_realloc_(s.L, a, 300, 10);
  CHECK(d.stats.allocs == 2);
  CHECK(d.stats.reallocs == 2);
  CHECK(d.stats.frees == 1);
  CHECK(d.stats.current == 10);
  CHECK(d.stats.peak == 350);
  CHECK(d.stats.blocks == 1);
  CHECK(d.stats.current == s.total());
  luaM_free_(s.L, a, 10);
  CHECK(d.stats.current == 0);
}

TEST_CASE("the debug allocator logs one line per request to a FILE", "[lmem]") {
  MemControl mc;
  DebugAlloc d;
  d.next = {memcontrol_alloc, &mc};
  std::string log = captured([&](std::FILE* f) {
    d.log = f;
    void* p = debug_alloc(&d, nullptr, LUA_TTABLE, 56);
    p = debug_alloc(&d, p, 56, 112);
    allocfailnext(&mc);
    CHECK(debug_alloc(&d, p, 112, 224) == nullptr);
    debug_alloc(&d, p, 112, 0);
  });
  CHECK(log ==
        "alloc table 0 -> 56 ok (56)\n"
        "realloc - 56 -> 112 ok (112)\n"
        "realloc - 112 -> 224 FAILED (112)\n"
        "free - 112 -> 0 ok (0)\n");
  CHECK(d.stats.failures == 1);
}

TEST_CASE("the debug allocator hands every request to its callback", "[lmem]") {
  std::vector<AllocEvent> events;
  DebugAlloc d;
  d.logud = &events;
  d.logfn = [](void* ud, const AllocEvent* ev) {
    static_cast<std::vector<AllocEvent>*>(ud)->push_back(*ev);
  };
  void* p = debug_alloc(&d, nullptr, ALLOCTAG_PROTO, 80);
  debug_alloc(&d, p, 80, 0);
  REQUIRE(events.size() == 2);
  CHECK(events[0].op == AllocOp::alloc);
  CHECK(events[0].tag == ALLOCTAG_PROTO);
  CHECK(events[0].result == p);
  CHECK(events[0].current == 80);
  CHECK(events[1].op == AllocOp::free);
  CHECK(events[1].block == p);
  CHECK(events[1].osize == 80);
  CHECK(events[1].current == 0);
}

TEST_CASE("the leak report lists exactly the live blocks", "[lmem]") {
  LeakDetector d;
  State s(leak_alloc, &d);
  void* str = luaM_newobject(s.L, LUA_TSTRING, 30);
  void* tab = luaM_newobject(s.L, LUA_TTABLE, 56);
  void* vec = luaM_malloc_(s.L, 64, 0);
  void* up = luaM_newobject(s.L, ALLOCTAG_UPVAL, 40);
  luaM_free_(s.L, tab, 56);
  luaM_free_(s.L, up, 40);
  LiveBlock live[8];
  REQUIRE(leak_live(&d, live, 8) == 2);
  CHECK(isblock(live[0], str, 30, LUA_TSTRING, 1));
  CHECK(isblock(live[1], vec, 64, 0, 3));
  CHECK(check_leakdetector(&d) == 0);
  std::string report =
      captured([&](std::FILE* f) { leak_report(&d, f, false); });
  CHECK(report ==
        "2 live blocks, 94 bytes\n"
        "  #1    string       30 bytes\n"
        "  #3    vector       64 bytes\n");
  luaM_free_(s.L, str, 30);
  luaM_free_(s.L, vec, 64);
  CHECK(leak_live(&d, live, 8) == 0);
  CHECK(d.live.first == nullptr);
}

TEST_CASE("the leak detector follows a block across a resize", "[lmem]") {
  LeakDetector d;
  State s(leak_alloc, &d);
  void* a = luaM_malloc_(s.L, 16, 0);
  void* b = luaM_newobject(s.L, LUA_TUSERDATA, 16);
  void* c = luaM_malloc_(s.L, 16, 0);
  lmemtest::fill(b, 16, 2);
  b = luaM_realloc_(s.L, b, 16, 100000);  // realloc will move it
  CHECK(lmemtest::holds(b, 16, 2));
  CHECK(check_leakdetector(&d) == 0);  // the neighbours were relinked
  LiveBlock live[3];
  REQUIRE(leak_live(&d, live, 3) == 3);
  CHECK(isblock(live[1], b, 100000, LUA_TUSERDATA, 2));  // same serial
  luaM_free_(s.L, a, 16);
  luaM_free_(s.L, b, 100000);
  luaM_free_(s.L, c, 16);
  CHECK(check_leakdetector(&d) == 0);
  CHECK(d.stats.current == 0);
}

TEST_CASE("the profiler charges each block to the exact tag Lua passes",
          "[lmem]") {
  ProfilerAlloc p;
  State s(profiler_alloc, &p);
  void* s1 = luaM_newobject(s.L, LUA_TSTRING, 25);
  void* s2 = luaM_newobject(s.L, LUA_TSTRING, 200);
  void* t1 = luaM_newobject(s.L, LUA_TTABLE, 56);
  void* uv = luaM_newobject(s.L, ALLOCTAG_UPVAL, 40);
  void* pr = luaM_newobject(s.L, ALLOCTAG_PROTO, 128);
  void* th = luaM_newobject(s.L, LUA_TTHREAD, 200);  // same size as s2
  int* v = luaM_newvector<int>(s.L, 4);
  // vector, -, -, -, string, table, -, -, thread, upvalue, proto, other
  using Bytes = std::vector<std::size_t>;
  CHECK(livebytes(p) == Bytes{16, 0, 0, 0, 225, 56, 0, 0, 200, 40, 128, 0});
  CHECK(p.bytag[LUA_TSTRING].blocks == 2);
  // A resize and a free are charged to the tag the block was born with.
  v = luaM_reallocvector<int>(s.L, v, 4, 100);
  pr = luaM_realloc_(s.L, pr, 128, 64);
  luaM_free_(s.L, s2, 200);
  CHECK(livebytes(p) == Bytes{400, 0, 0, 0, 25, 56, 0, 0, 200, 40, 64, 0});
  CHECK(p.bytag[0].peak == 400);
  CHECK(p.bytag[ALLOCTAG_PROTO].peak == 128);
  CHECK(p.bytag[LUA_TSTRING].blocks == 1);
  CHECK(p.bytag[LUA_TSTRING].allocs == 2);
  CHECK(p.stats.current == s.total());
  CHECK(check_profiler(&p) == 0);
  luaM_free_(s.L, s1, 25), luaM_free_(s.L, t1, 56);
  luaM_free_(s.L, uv, 40), luaM_free_(s.L, pr, 64);
  luaM_free_(s.L, th, 200), luaM_freearray(s.L, v, 100);
  CHECK(livebytes(p) == Bytes(NUM_ALLOCTAGS + 1, 0));
  CHECK(check_profiler(&p) == 0);
}

TEST_CASE("the profiler charges tags outside Lua's range to 'other'",
          "[lmem]") {
  ProfilerAlloc p;
  void* b = profiler_alloc(&p, nullptr, 99, 10);
  CHECK(p.bytag[NUM_ALLOCTAGS].current == 10);
  CHECK(std::string(alloctagname(99)) == "other");
  std::string report = captured([&](std::FILE* f) { profiler_report(&p, f); });
  CHECK(report.find("other") != std::string::npos);
  profiler_alloc(&p, b, 10, 0);
  CHECK(p.bytag[NUM_ALLOCTAGS].current == 0);
}

TEST_CASE("the profiler stacks over the pool and the tags reach the pool",
          "[lmem]") {
  std::vector<AllocEvent> events;  // outlives the pool, which logs to it
  DebugAlloc seen;  // under the pool: sees large blocks with their tags
  PoolAlloc pool;
  pool.backing = {debug_alloc, &seen};
  ProfilerAlloc p;
  p.next = {pool_alloc, &pool};
  State s(profiler_alloc, &p);
  void* t1 = luaM_newobject(s.L, LUA_TTABLE, 56);
  void* t2 = luaM_newobject(s.L, LUA_TTABLE, 56);
  luaM_free_(s.L, t1, 56);
  void* t3 = luaM_newobject(s.L, LUA_TTABLE, 56);
  CHECK(t3 == t1);  // the pool recycled the block under the profiler
  CHECK(pool.reused == 1);
  seen.logud = &events;
  seen.logfn = [](void* ud, const AllocEvent* ev) {
    static_cast<std::vector<AllocEvent>*>(ud)->push_back(*ev);
  };
  void* str = luaM_newobject(s.L, LUA_TSTRING, 1000);  // large: to backing
  REQUIRE(events.size() == 1);
  CHECK(events[0].tag == LUA_TSTRING);
  CHECK(p.bytag[LUA_TTABLE].current == 112);
  CHECK(p.bytag[LUA_TSTRING].current == 1000);
  CHECK(pool.stats.current ==
        p.stats.current + p.stats.blocks * sizeof(TrackedBlock));
  luaM_free_(s.L, t2, 56), luaM_free_(s.L, t3, 56);
  luaM_free_(s.L, str, 1000);
  CHECK(pool.stats.current == 0);
}

TEST_CASE("the tracking allocators keep blocks aligned for LUAI_MAXALIGN",
          "[lmem]") {
  LeakDetector d;
  ProfilerAlloc p;
  p.next = {leak_alloc, &d};  // two headers deep
  void* blocks[40];
  for (std::size_t i = 0; i < 40; i++) {
    blocks[i] = profiler_alloc(&p, nullptr, i % NUM_ALLOCTAGS, i + 1);
    CHECK(reinterpret_cast<std::uintptr_t>(blocks[i]) % MAXALIGN == 0);
  }
  CHECK(d.stats.blocks == 40);
  for (std::size_t i = 0; i < 40; i++) profiler_alloc(&p, blocks[i], i + 1, 0);
  CHECK(d.stats.current == 0);
}

TEST_CASE("the tracking checkers count each disagreement with the counters",
          "[lmem]") {
  LeakDetector d;
  State s(leak_alloc, &d);
  void* b = luaM_malloc_(s.L, 64, 0);
  REQUIRE(check_leakdetector(&d) == 0);
  d.stats.blocks++, d.stats.current++;  // counts that the list does not hold
  CHECK(check_leakdetector(&d) == 2);
  d.stats.blocks--, d.stats.current--;
  CHECK(check_leakdetector(&d) == 0);
  luaM_free_(s.L, b, 64);

  ProfilerAlloc p;
  State s2(profiler_alloc, &p);
  void* c = luaM_newobject(s2.L, LUA_TTABLE, 56);
  REQUIRE(check_profiler(&p) == 0);
  p.bytag[LUA_TTABLE].blocks = 0;  // the table's profile lost its block
  CHECK(check_profiler(&p) == 2);  // per block, and in the tag total
  p.bytag[LUA_TTABLE].blocks = 1;
  CHECK(check_profiler(&p) == 0);
  luaM_free_(s2.L, c, 56);
}
