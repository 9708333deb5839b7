// alloc_limited: a host caps the memory of a running state.
//
// Book: chapter 9 (the C API), exercising chapter 1's allocator contract.
//
// The host creates a state with luaL_newstate, then chains a capping
// allocator in front of the state's own one with lua_getallocf and
// lua_setallocf. The cap starts from the bytes the state already holds
// (LUA_GCCOUNT/COUNTB), so the accounting stays exact for blocks allocated
// before the switch. What is checked:
//   - a script that allocates past the cap fails inside pcall with
//     "not enough memory", and the allocator never held more than the cap;
//   - the same failure without a Lua pcall reaches C as LUA_ERRMEM;
//   - the state stays usable afterwards, and its garbage is reclaimed;
//   - raising the cap lets the script that failed succeed;
//   - lua_close frees every byte through the capping allocator.
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static int failures = 0;

static void check_at(int ok, const char* what, int line) {
  if (ok) return;
  fprintf(stderr, "alloc_limited.c:%d: check failed: %s\n", line, what);
  failures++;
}
#define CHECK(cond) check_at((cond) != 0, #cond, __LINE__)

// Invariant CAP: used <= limit after every call. Growth that would break it
// is refused; shrinking and freeing are always granted (Lua relies on that).
typedef struct Cap {
  lua_Alloc inner;  // the allocator the state had before the cap
  void* inner_ud;
  size_t limit;  // most bytes the state may hold at once
  size_t used;   // bytes the state holds now
  size_t peak;   // most bytes it ever held under the cap
  unsigned refusals;
} Cap;

static void* capped_alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  Cap* cap = (Cap*)ud;
  // For a fresh block (ptr == NULL) osize is a type tag, not a size.
  size_t old = ptr != NULL ? osize : 0;
  if (nsize > old && nsize - old > cap->limit - cap->used) {
    cap->refusals++;
    return NULL;
  }
  void* block = cap->inner(cap->inner_ud, ptr, osize, nsize);
  if (block == NULL && nsize != 0) return NULL;
  cap->used = cap->used - old + nsize;
  if (cap->used > cap->peak) cap->peak = cap->used;
  return block;
}

static size_t bytes_in_use(lua_State* L) {
  return (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 +
         (size_t)lua_gc(L, LUA_GCCOUNTB);
}

static void open_base_libs(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
  lua_pop(L, 2);
}

// Runs `code` and leaves its results on the stack; returns the status.
static int run(lua_State* L, const char* code) {
  int status = luaL_loadstring(L, code);
  if (status == LUA_OK) status = lua_pcall(L, 0, LUA_MULTRET, 0);
  return status;
}

static int is_string(lua_State* L, int idx, const char* expected) {
  const char* s = lua_tostring(L, idx);
  return s != NULL && strcmp(s, expected) == 0;
}

// The scripts' demands are bounded (64 MiB and about 20 MiB), far above the
// cap but harmless if an allocation ever escaped it.

// Grows one array until it needs more than the cap: one big reallocation.
static const char* const grow_array =
    "local ok, err = pcall(function()\n"
    "  local t = {}\n"
    "  for i = 1, 1 << 22 do t[i] = i end\n"
    "  return #t\n"
    "end)\n"
    "return ok, err\n";

// Keeps many small tables alive: the cap is reached one small block at a
// time, and the emergency collection finds nothing to free.
static const char* const many_tables =
    "local ok, err = pcall(function()\n"
    "  local keep = {}\n"
    "  for i = 1, 1 << 18 do keep[#keep + 1] = {i, i} end\n"
    "end)\n"
    "return ok, err\n";

// Needs about 1 MiB: 65536 array slots.
static const char* const needs_a_mebibyte =
    "local t = {}\n"
    "for i = 1, 65536 do t[i] = i end\n"
    "return #t\n";

static void check_pcall_reports_oom(lua_State* L, Cap* cap, const char* code) {
  unsigned refusals_before = cap->refusals;
  int status = run(L, code);
  CHECK(status == LUA_OK);
  CHECK(lua_gettop(L) == 2);
  CHECK(lua_type(L, 1) == LUA_TBOOLEAN && !lua_toboolean(L, 1));
  CHECK(is_string(L, 2, "not enough memory"));
  CHECK(cap->refusals > refusals_before);
  CHECK(cap->peak <= cap->limit);
  lua_settop(L, 0);
}

static void check_still_usable(lua_State* L) {
  int status = run(L,
                   "local parts = {}\n"
                   "for i = 1, 1000 do parts[i] = tostring(i) end\n"
                   "return #parts, parts[1000], 6 * 7\n");
  CHECK(status == LUA_OK);
  CHECK(lua_tointeger(L, 1) == 1000);
  CHECK(is_string(L, 2, "1000"));
  CHECK(lua_tointeger(L, 3) == 42);
  lua_settop(L, 0);
}

int main(void) {
  lua_State* L = luaL_newstate();
  CHECK(L != NULL);
  if (L == NULL) return 1;
  open_base_libs(L);

  Cap cap = {0};
  cap.inner = lua_getallocf(L, &cap.inner_ud);
  CHECK(cap.inner != NULL);
  lua_gc(L, LUA_GCCOLLECT);
  cap.used = cap.peak = bytes_in_use(L);
  size_t baseline = cap.used;
  cap.limit = baseline + 256 * 1024;
  lua_setallocf(L, capped_alloc, &cap);

  void* ud = NULL;
  CHECK(lua_getallocf(L, &ud) == capped_alloc);
  CHECK(ud == &cap);

  check_pcall_reports_oom(L, &cap, grow_array);
  check_still_usable(L);
  check_pcall_reports_oom(L, &cap, many_tables);
  check_still_usable(L);

  // Without a Lua pcall the failure reaches the host as LUA_ERRMEM.
  int status = run(L, needs_a_mebibyte);
  CHECK(status == LUA_ERRMEM);
  CHECK(is_string(L, -1, "not enough memory"));
  lua_settop(L, 0);

  // The accounting agrees with the collector's, and the garbage the failed
  // scripts left is reclaimed.
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(cap.used == bytes_in_use(L));
  CHECK(cap.used < baseline + 64 * 1024);
  CHECK(cap.used <= cap.limit);

  // The cap, not the script, was the reason: with room the script runs.
  cap.limit = cap.used + 8 * 1024 * 1024;
  status = run(L, needs_a_mebibyte);
  CHECK(status == LUA_OK);
  CHECK(lua_tointeger(L, -1) == 65536);
  lua_settop(L, 0);

  lua_close(L);
  CHECK(cap.used == 0);

  if (failures != 0) {
    fprintf(stderr, "alloc_limited: %d check(s) failed\n", failures);
    return 1;
  }
  printf("alloc_limited: ok\n");
  return 0;
}
