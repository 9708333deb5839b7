// sandbox: untrusted code runs with a memory budget and few globals.
//
// Book: chapter 9 (the C API), exercising chapter 1's allocator contract.
//
// The state is created with lua_newstate over a sandbox allocator whose
// budget is unlimited while the host sets up, and is armed just before an
// untrusted chunk runs. The chunk sees only a small environment table (its
// _ENV upvalue is replaced with lua_setupvalue). It builds a huge string by
// repeated doubling with `..`, using no library at all. What is checked:
//   - the doubling fails inside pcall with "not enough memory", with the
//     sandbox having refused at least one request and never exceeding it;
//   - the same chunk at top level fails in lua_pcall with LUA_ERRMEM;
//   - the untrusted chunk cannot see the host's globals;
//   - after the failure the half-built strings are reclaimed and the state
//     runs more code, including string building that fits the budget.
#include "capi_check.h"

// The untrusted code's whole world: a fresh table with a few base
// functions copied from the host's globals.
static void push_sandbox_env(lua_State* L) {
  static const char* const allowed[] = {"pcall", "error", "type", "tostring"};
  lua_newtable(L);
  for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
    lua_getglobal(L, allowed[i]);
    lua_setfield(L, -2, allowed[i]);
  }
}

// Loads `code` with the sandbox environment as its _ENV and runs it,
// leaving its results on the stack. Returns the status.
static int run_untrusted(lua_State* L, const char* code) {
  int status = luaL_loadbuffer(L, code, strlen(code), "=untrusted");
  if (status != LUA_OK) return status;
  push_sandbox_env(L);
  const char* upname = lua_setupvalue(L, -2, 1);
  CHECK(upname != NULL && strcmp(upname, "_ENV") == 0);
  return lua_pcall(L, 0, LUA_MULTRET, 0);
}

// No string.rep: the string doubles with `..` until memory runs out. The
// doubling stops at 64 MiB, far above the budget, so that an allocation
// escaping the sandbox fails the test instead of exhausting the machine.
static const char* const doubling_in_pcall =
    "local function grow()\n"
    "  local s = 'x'\n"
    "  for i = 1, 26 do s = s .. s end\n"
    "  return #s\n"
    "end\n"
    "local ok, err = pcall(grow)\n"
    "return ok, err, print == nil, type(pcall)\n";

static const char* const doubling_at_top =
    "local s = 'xy'\n"
    "for i = 1, 25 do s = s .. s end\n"
    "return #s\n";

static const char* const fits_the_budget =
    "local s = 'ab'\n"
    "for i = 1, 9 do s = s .. s end\n"
    "return #s, tostring(#s)\n";

int main(void) {
  // Unarmed while the host sets up: the budget counts from the first byte.
  CapiBudget box = {.inner = capi_heap_alloc, .limit = SIZE_MAX};
  lua_State* L = capi_newstate(capi_budget_alloc, &box);
  if (L == NULL) return capi_finish("sandbox", NULL);
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(box.used == capi_bytes_in_use(L));  // counted from the first byte
  size_t setup_bytes = box.used;
  box.peak = box.used;
  box.limit = box.used + 1024 * 1024;  // arm: 1 MiB for the untrusted code

  CHECK(run_untrusted(L, doubling_in_pcall) == LUA_OK);
  CHECK(lua_gettop(L) == 4);
  CHECK(lua_type(L, 1) == LUA_TBOOLEAN && !lua_toboolean(L, 1));
  CHECK_STRING(L, 2, "not enough memory");
  CHECK(lua_toboolean(L, 3));  // the host's print is out of reach
  CHECK_STRING(L, 4, "function");
  CHECK(box.refusals > 0);
  CHECK(box.peak <= box.limit);
  lua_settop(L, 0);

  unsigned refusals_before = box.refusals;
  CHECK(run_untrusted(L, doubling_at_top) == LUA_ERRMEM);
  CHECK_STRING(L, -1, "not enough memory");
  CHECK(box.refusals > refusals_before);
  lua_settop(L, 0);

  // The partial strings were garbage once the error unwound them.
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(box.used < setup_bytes + 64 * 1024);

  CHECK(run_untrusted(L, fits_the_budget) == LUA_OK);
  CHECK(lua_tointeger(L, 1) == 1024);
  CHECK_STRING(L, 2, "1024");
  lua_settop(L, 0);
  CHECK(box.used <= box.limit);

  lua_close(L);
  CHECK(box.used == 0);

  char detail[64];
  snprintf(detail, sizeof detail, "%u request(s) denied", box.refusals);
  return capi_finish("sandbox", detail);
}
