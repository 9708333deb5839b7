// gc_counts: the host drives and observes the collector through lua_gc.
//
// Book: chapter 9 (the C API), exercising chapter 6's collector.
//
// What is checked:
//   - LUA_GCCOUNT/LUA_GCCOUNTB grow while a chunk allocates with the
//     collector stopped, and fall after LUA_GCCOLLECT once the chunk's
//     objects are dropped; COUNTB is always below 1024, and Lua's own
//     collectgarbage("count") agrees with the C count;
//   - LUA_GCSTOP, LUA_GCRESTART and LUA_GCISRUNNING (seen from Lua too);
//   - repeated LUA_GCSTEP finishes a cycle (returns 1) and frees garbage;
//   - LUA_GCGEN and LUA_GCINC return the previous mode, and both modes
//     reclaim garbage;
//   - LUA_GCSETPAUSE/LUA_GCSETSTEPMUL return the previous values.
#include <math.h>
#include <stdio.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static int failures = 0;

static void check_at(int ok, const char* what, int line) {
  if (ok) return;
  fprintf(stderr, "gc_counts.c:%d: check failed: %s\n", line, what);
  failures++;
}
#define CHECK(cond) check_at((cond) != 0, #cond, __LINE__)

static void open_base_libs(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
  lua_pop(L, 2);
}

static size_t bytes_in_use(lua_State* L) {
  int kbytes = lua_gc(L, LUA_GCCOUNT);
  int rest = lua_gc(L, LUA_GCCOUNTB);
  CHECK(kbytes >= 0);
  CHECK(rest >= 0 && rest < 1024);
  return (size_t)kbytes * 1024 + (size_t)rest;
}

static int run(lua_State* L, const char* code) {
  int status = luaL_loadstring(L, code);
  if (status == LUA_OK) status = lua_pcall(L, 0, LUA_MULTRET, 0);
  if (status != LUA_OK)
    fprintf(stderr, "unexpected error: %s\n", lua_tostring(L, -1));
  return status;
}

// Builds 20000 small tables, closures and strings, kept in a global until
// the host drops them.
static const char* const allocate_lots =
    "hoard = {}\n"
    "for i = 1, 20000 do\n"
    "  hoard[i] = {i, i + 1, name = 'item' .. i, f = function() return i end}\n"
    "end\n";

// At least this much must show up in the count for allocate_lots: each
// entry holds a table, a closure and a fresh string of its own.
enum { HOARD_MIN_BYTES = 20000 * 100 };

static void check_count_rises_and_falls(lua_State* L) {
  lua_gc(L, LUA_GCCOLLECT);
  size_t baseline = bytes_in_use(L);
  lua_gc(L, LUA_GCSTOP);
  CHECK(run(L, allocate_lots) == LUA_OK);
  size_t peak = bytes_in_use(L);
  CHECK(peak > baseline + HOARD_MIN_BYTES);

  // Still referenced: a full collection keeps them.
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(bytes_in_use(L) > baseline + HOARD_MIN_BYTES);

  CHECK(run(L, "hoard = nil") == LUA_OK);
  lua_gc(L, LUA_GCCOLLECT);
  size_t after = bytes_in_use(L);
  CHECK(after < peak - HOARD_MIN_BYTES);
  // Most of the growth is gone; what may remain is bookkeeping that
  // shrinks over later cycles (such as the string table's buckets).
  CHECK(after < baseline + (peak - baseline) / 10);
  lua_gc(L, LUA_GCRESTART);
}

static void check_lua_sees_the_same_count(lua_State* L) {
  lua_gc(L, LUA_GCSTOP);  // nothing may change between the two readings
  CHECK(luaL_loadstring(L, "return collectgarbage('count')") == LUA_OK);
  size_t c_count = bytes_in_use(L);
  CHECK(lua_pcall(L, 0, 1, 0) == LUA_OK);
  double lua_kbytes = lua_tonumber(L, -1);
  lua_pop(L, 1);
  CHECK(fabs(lua_kbytes - (double)c_count / 1024.0) < 1.0);
  lua_gc(L, LUA_GCRESTART);
}

static void check_stop_and_restart(lua_State* L) {
  CHECK(lua_gc(L, LUA_GCISRUNNING) == 1);
  lua_gc(L, LUA_GCSTOP);
  CHECK(lua_gc(L, LUA_GCISRUNNING) == 0);
  CHECK(run(L, "return collectgarbage('isrunning')") == LUA_OK);
  CHECK(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
  lua_pop(L, 1);

  // Stopped means no automatic collection: garbage only piles up. (A build
  // that fails every first allocation attempt runs emergency collections,
  // which a stopped collector still does, so there it may not.)
  size_t before = bytes_in_use(L);
  CHECK(run(L, "for i = 1, 5000 do local t = {i} end") == LUA_OK);
#if !defined(LUAI_EMERGENCYGCTESTS)
  CHECK(bytes_in_use(L) > before + 5000 * 16);
#else
  (void)before;
#endif

  lua_gc(L, LUA_GCRESTART);
  CHECK(lua_gc(L, LUA_GCISRUNNING) == 1);
  CHECK(run(L, "return collectgarbage('isrunning')") == LUA_OK);
  CHECK(lua_toboolean(L, -1));
  lua_pop(L, 1);
}

// Single steps must finish a cycle within a bounded number of calls.
static int steps_to_finish_cycle(lua_State* L) {
  for (int steps = 1; steps <= 1000000; steps++)
    if (lua_gc(L, LUA_GCSTEP, 0) == 1) return steps;
  return -1;
}

static void check_steps(lua_State* L) {
  lua_gc(L, LUA_GCCOLLECT);  // start from the pause between cycles
  size_t baseline = bytes_in_use(L);
  lua_gc(L, LUA_GCSTOP);
  CHECK(run(L, "local t = {} for i = 1, 20000 do t[i] = {i} end") == LUA_OK);
  size_t peak = bytes_in_use(L);
  CHECK(peak > baseline + 20000 * 16);
  lua_gc(L, LUA_GCRESTART);

  int steps = steps_to_finish_cycle(L);
  CHECK(steps > 0);
  CHECK(bytes_in_use(L) < peak - 20000 * 16);

  // A step the size (in Kbytes) of much more than the heap runs the
  // collector to the end of a cycle.
  int done = 0;
  for (int i = 0; i < 3 && !done; i++) done = lua_gc(L, LUA_GCSTEP, 100000);
  CHECK(done == 1);
}

static void check_generational_mode(lua_State* L) {
  CHECK(lua_gc(L, LUA_GCGEN, 0, 0) == LUA_GCINC);
  CHECK(lua_gc(L, LUA_GCGEN, 0, 0) == LUA_GCGEN);

  size_t baseline = bytes_in_use(L);
  lua_gc(L, LUA_GCSTOP);
  CHECK(run(L, "local t = {} for i = 1, 20000 do t[i] = {i} end") == LUA_OK);
  size_t peak = bytes_in_use(L);
  CHECK(peak > baseline + 20000 * 16);
  lua_gc(L, LUA_GCRESTART);
  // A young collection reclaims young garbage.
  lua_gc(L, LUA_GCSTEP, 0);
  CHECK(bytes_in_use(L) < peak - 20000 * 16);

  lua_gc(L, LUA_GCSTOP);  // a full collection still runs when asked for
  CHECK(run(L, allocate_lots) == LUA_OK);
  CHECK(run(L, "hoard = nil") == LUA_OK);
  peak = bytes_in_use(L);
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(bytes_in_use(L) < peak - HOARD_MIN_BYTES);
  lua_gc(L, LUA_GCRESTART);

  CHECK(lua_gc(L, LUA_GCINC, 0, 0, 0) == LUA_GCGEN);
  CHECK(lua_gc(L, LUA_GCINC, 0, 0, 0) == LUA_GCINC);
  CHECK(run(L, "return collectgarbage('generational')") == LUA_OK);
  CHECK(lua_tostring(L, -1) != NULL &&
        lua_tostring(L, -1)[0] == 'i');  // "incremental"
  lua_pop(L, 1);
  CHECK(lua_gc(L, LUA_GCINC, 0, 0, 0) == LUA_GCGEN);
}

static void check_parameters(lua_State* L) {
  // 5.4 stores these parameters in quarters, so use multiples of 4.
  CHECK(lua_gc(L, LUA_GCSETPAUSE, 160) == 200);  // 200 is 5.4's default
  CHECK(lua_gc(L, LUA_GCSETPAUSE, 200) == 160);
  CHECK(lua_gc(L, LUA_GCSETSTEPMUL, 300) == 100);  // 100 is the default
  CHECK(lua_gc(L, LUA_GCSETSTEPMUL, 100) == 300);
}

int main(void) {
  lua_State* L = luaL_newstate();
  CHECK(L != NULL);
  if (L == NULL) return 1;
  open_base_libs(L);

  check_parameters(L);
  check_count_rises_and_falls(L);
  check_lua_sees_the_same_count(L);
  check_stop_and_restart(L);
  check_steps(L);
  check_generational_mode(L);
  check_count_rises_and_falls(L);  // back in incremental mode
  lua_close(L);

  if (failures != 0) {
    fprintf(stderr, "gc_counts: %d check(s) failed\n", failures);
    return 1;
  }
  printf("gc_counts: ok\n");
  return 0;
}
