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
#include "capi_check.h"

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

static void check_pcall_reports_oom(lua_State* L, CapiBudget* cap,
                                    const char* code) {
  unsigned refusals_before = cap->refusals;
  int status = capi_run(L, code);
  CHECK(status == LUA_OK);
  CHECK(lua_gettop(L) == 2);
  CHECK(lua_type(L, 1) == LUA_TBOOLEAN && !lua_toboolean(L, 1));
  CHECK_STRING(L, 2, "not enough memory");
  CHECK(cap->refusals > refusals_before);
  CHECK(cap->peak <= cap->limit);
  lua_settop(L, 0);
}

static void check_still_usable(lua_State* L) {
  CHECK_RUN(L,
            "local parts = {}\n"
            "for i = 1, 1000 do parts[i] = tostring(i) end\n"
            "return #parts, parts[1000], 6 * 7\n");
  CHECK(lua_tointeger(L, 1) == 1000);
  CHECK_STRING(L, 2, "1000");
  CHECK(lua_tointeger(L, 3) == 42);
  lua_settop(L, 0);
}

int main(void) {
  lua_State* L = capi_newstate(NULL, NULL);
  if (L == NULL) return capi_finish("alloc_limited", NULL);

  // The budget starts from what the state holds, so its count is exact.
  CapiBudget cap = {0};
  cap.inner = lua_getallocf(L, &cap.inner_ud);
  CHECK(cap.inner != NULL);
  lua_gc(L, LUA_GCCOLLECT);
  cap.used = cap.peak = capi_bytes_in_use(L);
  size_t baseline = cap.used;
  cap.limit = baseline + 256 * 1024;
  lua_setallocf(L, capi_budget_alloc, &cap);

  void* ud = NULL;
  CHECK(lua_getallocf(L, &ud) == capi_budget_alloc);
  CHECK(ud == &cap);

  check_pcall_reports_oom(L, &cap, grow_array);
  check_still_usable(L);
  check_pcall_reports_oom(L, &cap, many_tables);
  check_still_usable(L);

  // Without a Lua pcall the failure reaches the host as LUA_ERRMEM.
  int status = capi_run(L, needs_a_mebibyte);
  CHECK(status == LUA_ERRMEM);
  CHECK_STRING(L, -1, "not enough memory");
  lua_settop(L, 0);

  // The accounting agrees with the collector's, and the garbage the failed
  // scripts left is reclaimed.
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(cap.used == capi_bytes_in_use(L));
  CHECK(cap.used < baseline + 64 * 1024);
  CHECK(cap.used <= cap.limit);

  // The cap, not the script, was the reason: with room the script runs.
  cap.limit = cap.used + 8 * 1024 * 1024;
  status = capi_run(L, needs_a_mebibyte);
  CHECK(status == LUA_OK);
  CHECK(lua_tointeger(L, -1) == 65536);
  lua_settop(L, 0);

  lua_close(L);
  CHECK(cap.used == 0);

  return capi_finish("alloc_limited", NULL);
}
