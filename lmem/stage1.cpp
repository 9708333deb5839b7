/// \file
/// Stage 1 demo: one deterministic workload run through the memory manager
/// under each allocator of the catalogue, with a table of their counters.
///
/// Mirrors: nothing in Lua; it exercises lmem.c the way the later chapters
/// will (objects with type tags, growing and shrinking vectors, a failed
/// allocation caught by a protected call).
/// Book: chapter 1
///
/// Design: the workload uses only lmem's functions, so every byte goes
/// through the allocator under test. Its sizes are fixed numbers, and
/// nothing printed depends on addresses, so the output is the same on
/// every run and in every build (the fail-first switch included: its fake
/// failures never reach an allocator). Invariant COUNT is checked on the
/// way: each allocator's `current` must equal lmem's `gettotalbytes`.
///
/// Differences from Lua: none; Lua has no stage demos.
#include <cstdio>
#include <cstdlib>

#include "lmem/lalloc.hpp"
#include "lmem/lmem.hpp"

namespace {

using namespace lua;

// The budget of the limited allocator and the sandboxes; step 6 asks for
// a block that would take the total to 105% of it.
constexpr std::size_t kBudget = 8192;

struct ObjSpec {
  int tag;
  std::size_t size;
};

// Step 1's objects. The first four (the strings) and the fifth (a table)
// are freed in step 5.
constexpr ObjSpec kObjects[] = {
    {LUA_TSTRING, 30},   {LUA_TSTRING, 45},    {LUA_TSTRING, 60},
    {LUA_TSTRING, 200},  {LUA_TTABLE, 56},     {LUA_TTABLE, 56},
    {LUA_TTABLE, 56},    {LUA_TFUNCTION, 48},  {LUA_TFUNCTION, 48},
    {LUA_TUSERDATA, 80}, {ALLOCTAG_UPVAL, 40}, {ALLOCTAG_PROTO, 120}};
constexpr int kNObjects = sizeof(kObjects) / sizeof(kObjects[0]);
constexpr int kFreed = 5;  // objects freed in step 5

// Step 6's objects: of the same sizes classes as some freed in step 5, so
// that the pool serves them from its free lists.
constexpr ObjSpec kAgain[] = {
    {LUA_TSTRING, 32}, {LUA_TSTRING, 50}, {LUA_TTABLE, 56}};
constexpr int kNAgain = sizeof(kAgain) / sizeof(kAgain[0]);

// What the workload holds between its steps.
struct Workload {
  void* objs[kNObjects] = {};
  void* again[kNAgain] = {};
  int* ints = nullptr;
  int nints = 0;  // capacity of `ints`
  double* dbls = nullptr;
  int ndbls = 0;
};

void step_objects(MemCtx L, Workload& w) {
  for (int i = 0; i < kNObjects; i++)
    w.objs[i] = luaM_newobject(L, kObjects[i].tag, kObjects[i].size);
}

// Steps 2 to 4: grow a vector one element at a time, trim it, and resize
// another one in one go.
void step_vectors(MemCtx L, Workload& w) {
  for (int n = 0; n < 200; n++) {
    luaM_growvector(L, w.ints, n, w.nints, MAX_INT, "ints");
    w.ints[n] = n;
  }
  luaM_shrinkvector(L, w.ints, w.nints, 200);
  w.dbls = luaM_newvector<double>(L, 10);
  w.ndbls = 10;
  double* d = luaM_reallocvector<double>(L, w.dbls, 10, 300);
  if (d == nullptr) luaM_error(L);  // w.dbls still holds its 10 doubles
  w.dbls = d;
  w.ndbls = 300;
}

void step_free(MemCtx L, Workload& w) {
  for (int i = 0; i < kFreed; i++) {
    luaM_freemem(L, w.objs[i], kObjects[i].size);
    w.objs[i] = nullptr;
  }
}

void step_again(MemCtx L, Workload& w) {
  for (int i = 0; i < kNAgain; i++)
    w.again[i] = luaM_newobject(L, kAgain[i].tag, kAgain[i].size);
}

// Step 7: a block that would take the total to 105% of the budget. Under
// the limited allocator, the strict sandbox and an armed memory control it
// fails; the protected call catches the error and the state goes on.
int step_overbudget(MemCtx L) {
  std::size_t size = kBudget * 105 / 100 - gettotalbytes(L.g);
  return luaM_runprotected([&] {
    void* b = luaM_malloc_(L, size, 0);
    luaM_freemem(L, b, size);
  });
}

void teardown(MemCtx L, Workload& w) {
  for (int i = kFreed; i < kNObjects; i++)
    luaM_freemem(L, w.objs[i], kObjects[i].size);
  for (int i = 0; i < kNAgain; i++) luaM_freemem(L, w.again[i], kAgain[i].size);
  luaM_freearray(L, w.ints, cast_sizet(w.nints));
  luaM_freearray(L, w.dbls, cast_sizet(w.ndbls));
}

// One allocator under test: its name, its function and state, and the
// counters it keeps (null for the default allocator, which keeps none).
struct Subject {
  const char* name;
  lua_Alloc f;
  void* ud;
  const AllocCounters* counters;
  MemControl* arm = nullptr;  // armed to fail step 7
};

// The result of a run, taken before teardown.
struct Run {
  MemoryState g;
  Workload w;
  int status = LUA_OK;  // of step 7
};

void runworkload(const Subject& s, Run& r) {
  r.g.frealloc = s.f;
  r.g.ud = s.ud;
  MemCtx L(nullptr, &r.g);
  int st = luaM_runprotected([&] {
    step_objects(L, r.w);
    step_vectors(L, r.w);
    step_free(L, r.w);
    step_again(L, r.w);
  });
  if (st != LUA_OK) {
    std::fprintf(stderr, "stage1: %s: unexpected error %d\n", s.name, st);
    std::exit(EXIT_FAILURE);
  }
  if (s.arm != nullptr) allocfailnext(s.arm);
  r.status = step_overbudget(L);
}

// COUNT: an allocator directly under lmem agrees with gettotalbytes.
void checkcount(const Subject& s, const Run& r) {
  if (s.counters != nullptr && s.counters->current != gettotalbytes(&r.g)) {
    std::fprintf(stderr, "stage1: %s disagrees with lmem\n", s.name);
    std::exit(EXIT_FAILURE);
  }
}

void printheader() {
  std::printf("%-15s%7s%7s%9s%6s%9s%9s%9s%8s\n", "allocator", "allocs", "frees",
              "reallocs", "fails", "current", "peak", "lmem", "step 7");
}

void printrow(const Subject& s, const Run& r) {
  const char* st = r.status == LUA_OK ? "granted" : "ERRMEM";
  std::size_t total = gettotalbytes(&r.g);
  if (s.counters == nullptr) {
    std::printf("%-15s%7s%7s%9s%6s%9s%9s%9zu%8s\n", s.name, "-", "-", "-", "-",
                "-", "-", total, st);
    return;
  }
  const AllocCounters& c = *s.counters;
  std::printf("%-15s%7zu%7zu%9zu%6zu%9zu%9zu%9zu%8s\n", s.name, c.allocs,
              c.frees, c.reallocs, c.failures, c.current, c.peak, total, st);
}

void printworkload() {
  std::printf(
      "Stage 1: the memory manager under each allocator of the catalogue\n"
      "\n"
      "The workload, the same for every allocator:\n"
      "  1. create 12 objects: 4 strings, 3 tables, 2 closures, a userdata,\n"
      "     an upvalue and a prototype (luaM_newobject with their tags)\n"
      "  2. grow a vector of ints one element at a time to 200 "
      "(luaM_growvector)\n"
      "  3. trim it to 200 elements (luaM_shrinkvector)\n"
      "  4. resize a vector of 10 doubles to 300 (luaM_reallocvector)\n"
      "  5. free the strings and one table\n"
      "  6. create two strings and a table again\n"
      "  7. ask for a block that would bring the total to 105%% of %zu bytes,\n"
      "     inside luaM_runprotected; the memory control is armed with\n"
      "     allocfailnext just before it\n"
      "\n",
      kBudget);
}

void printpool(const PoolAlloc& pool) {
  std::printf(
      "\nThe pool after step 7: %zu chunk(s) of %zu bytes; %zu blocks carved,\n"
      "%zu allocations served from free lists; %zu live bytes after rounding\n"
      "to size classes for %zu requested.\n",
      pool.nchunks, pool.chunksize, pool.carved, pool.reused, pool.rounded,
      pool.stats.current);
}

}  // namespace

int main() {
  LimitedAlloc limited(kBudget);
  SandboxAlloc strict(kBudget, SandboxMode::strict);
  SandboxAlloc lenient(kBudget, SandboxMode::lenient);
  PoolAlloc pool, pool2;
  DebugAlloc debug;
  LeakDetector leak;
  ProfilerAlloc profiler;
  profiler.next = {pool_alloc, &pool2};
  MemControl control;
  const Subject subjects[] = {
      {"default", l_alloc, nullptr, nullptr},
      {"limited", limited_alloc, &limited, &limited.stats},
      {"sandbox strict", sandbox_alloc, &strict, &strict.stats},
      {"sandbox lenient", sandbox_alloc, &lenient, &lenient.stats},
      {"pool", pool_alloc, &pool, &pool.stats},
      {"debug", debug_alloc, &debug, &debug.stats},
      {"leak detector", leak_alloc, &leak, &leak.stats},
      {"profiler/pool", profiler_alloc, &profiler, &profiler.stats},
      {"memory control", memcontrol_alloc, &control, &control.stats, &control},
  };
  constexpr int n = sizeof(subjects) / sizeof(subjects[0]);
  static Run runs[n];
  printworkload();
  printheader();
  for (int i = 0; i < n; i++) {
    runworkload(subjects[i], runs[i]);
    checkcount(subjects[i], runs[i]);
    printrow(subjects[i], runs[i]);
  }
  std::printf("\nThe profiler, per type tag, after step 7:\n");
  profiler_report(&profiler, stdout);
  std::printf("\nThe leak detector's live blocks after step 7:\n");
  leak_report(&leak, stdout, false);
  printpool(pool);
  bool clean = true;
  for (int i = 0; i < n; i++) {
    MemCtx L(nullptr, &runs[i].g);
    teardown(L, runs[i].w);
    const AllocCounters* c = subjects[i].counters;
    clean = clean && gettotalbytes(&runs[i].g) == 0 &&
            (c == nullptr || (c->current == 0 && c->blocks == 0));
  }
  std::printf("\nAfter freeing the rest, every allocator holds 0 bytes: %s\n",
              clean ? "yes" : "NO");
  return clean ? EXIT_SUCCESS : EXIT_FAILURE;
}
