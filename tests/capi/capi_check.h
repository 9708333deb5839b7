// capi_check.h: what every C embedding test in tests/capi needs, once.
//
// Book: chapter 9 (the C API).
//
// Each embedding program in this folder is one translation unit including
// this header; it checks its own results and exits 0 on success. It brings
// lua.h, lauxlib.h and lualib.h, and provides:
//   - checks that count: CHECK(cond) and CHECK_STRING(L, idx, text) record a
//     failure with the file and line and go on, so that one run reports
//     every broken check; capi_finish() turns the tally into the exit status
//     and the program's last line;
//   - a state to start from: capi_newstate() opens only the base and
//     coroutine libraries, which are all the programs' Lua code uses;
//   - running a chunk: capi_run() and CHECK_RUN(), which leave the chunk's
//     results (or its error value) on the stack; capi_register() for a
//     list of C functions made globals;
//   - a program as a list of named steps: capi_run_steps() runs them on one
//     state, checks that each leaves the stack empty, and reports;
//   - the collector's byte count, and a budget allocator that refuses to
//     grow past a limit (invariant BUDGET below) while passing every granted
//     request to the allocator it wraps.
// Everything here is static (each program gets its own tally) and inline
// (a program need not use all of it). The header is plain C11, so the
// programs also build against Debian's liblua5.4.
#ifndef CAPI_CHECK_H
#define CAPI_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

// ---- checks ----

static int capi_checks = 0;    // checks made so far
static int capi_failures = 0;  // of which failed

// Records one check made at file:line; returns `ok`.
static inline int capi_check_at(int ok, const char* what, const char* file,
                                int line) {
  capi_checks++;
  if (!ok) {
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    capi_failures++;
  }
  return ok;
}

#define CHECK(cond) capi_check_at((cond) != 0, #cond, __FILE__, __LINE__)

// The value at `idx` is a string (or a number) whose text is `expected`.
static inline int capi_check_string_at(lua_State* L, int idx,
                                       const char* expected, const char* file,
                                       int line) {
  const char* s = lua_tostring(L, idx);
  int ok = s != NULL && strcmp(s, expected) == 0;
  if (!ok)
    fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", file, line,
            expected, s != NULL ? s : "(not a string)");
  return capi_check_at(ok, "string value", file, line);
}

#define CHECK_STRING(L, idx, expected) \
  capi_check_string_at((L), (idx), (expected), __FILE__, __LINE__)

// The program's last line and exit status: 0 only when no check failed.
// `detail`, when not NULL, is added to the success line.
static inline int capi_finish(const char* program, const char* detail) {
  if (capi_failures != 0) {
    fprintf(stderr, "%s: %d of %d check(s) failed\n", program, capi_failures,
            capi_checks);
    return 1;
  }
  printf("%s: ok (%d checks%s%s)\n", program, capi_checks,
         detail != NULL ? "; " : "", detail != NULL ? detail : "");
  return 0;
}

// ---- states and chunks ----

// Opens the two libraries the programs' Lua code may use, as globals.
static inline void capi_open_base(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
  lua_pop(L, 2);
}

// A new state over allocator `f` (luaL_newstate's when `f` is NULL) with
// the base libraries open; NULL, after a failed check, if there is none.
static inline lua_State* capi_newstate(lua_Alloc f, void* ud) {
  lua_State* L = f != NULL ? lua_newstate(f, ud) : luaL_newstate();
  if (CHECK(L != NULL)) capi_open_base(L);
  return L;
}

// Loads `code` as chunk `name` and calls it in protected mode with every
// result kept. Returns the status; the results, or the error value, are
// left on the stack.
static inline int capi_run_named(lua_State* L, const char* code,
                                 const char* name) {
  int status = luaL_loadbuffer(L, code, strlen(code), name);
  if (status != LUA_OK) return status;
  return lua_pcall(L, 0, LUA_MULTRET, 0);
}

// As above, with the chunk named by its own text, as luaL_loadstring does.
static inline int capi_run(lua_State* L, const char* code) {
  return capi_run_named(L, code, code);
}

// The error value on top as text, for a message.
static inline const char* capi_error_text(lua_State* L) {
  const char* s = lua_tostring(L, -1);
  return s != NULL ? s : luaL_typename(L, -1);
}

// Two checks: the chunk compiles, and then it runs without error. Any
// error message is printed; the results stay on the stack.
static inline int capi_check_run_at(lua_State* L, const char* code,
                                    const char* name, const char* file,
                                    int line) {
  int status = luaL_loadbuffer(L, code, strlen(code), name);
  if (status != LUA_OK)
    fprintf(stderr, "%s:%d: %s\n", file, line, capi_error_text(L));
  if (!capi_check_at(status == LUA_OK, "the chunk compiles", file, line))
    return 0;
  status = lua_pcall(L, 0, LUA_MULTRET, 0);
  if (status != LUA_OK)
    fprintf(stderr, "%s:%d: unexpected error: %s\n", file, line,
            capi_error_text(L));
  return capi_check_at(status == LUA_OK, "the chunk runs", file, line);
}

#define CHECK_RUN(L, code) \
  capi_check_run_at((L), (code), (code), __FILE__, __LINE__)
#define CHECK_RUN_NAMED(L, code, name) \
  capi_check_run_at((L), (code), (name), __FILE__, __LINE__)

// Makes each function of `funcs` (which ends with {NULL, NULL}) a global
// of the same name, with lua_register.
static inline void capi_register(lua_State* L, const luaL_Reg* funcs) {
  for (; funcs->name != NULL; funcs++)
    lua_register(L, funcs->name, funcs->func);
}

// ---- programs made of steps ----

// One named part of a program: a function that works on a state.
typedef struct CapiStep {
  const char* name;
  void (*run)(lua_State* L);
} CapiStep;

#define CAPI_STEP(fn) \
  { #fn, fn }
#define CAPI_COUNT(array) (sizeof(array) / sizeof((array)[0]))

// A whole program: runs the `n` steps in order on one state from
// capi_newstate(NULL, NULL), checking after each that it left the stack
// empty; then closes the state and returns capi_finish's exit status.
static inline int capi_run_steps(const char* program, const CapiStep* steps,
                                 size_t n) {
  lua_State* L = capi_newstate(NULL, NULL);
  if (L == NULL) return capi_finish(program, NULL);
  for (size_t i = 0; i < n; i++) {
    steps[i].run(L);
    if (lua_gettop(L) != 0)
      fprintf(stderr, "%s: %s left %d value(s) on the stack\n", program,
              steps[i].name, lua_gettop(L));
    capi_check_at(lua_gettop(L) == 0, "the step leaves the stack empty",
                  __FILE__, __LINE__);
    lua_settop(L, 0);
  }
  lua_close(L);
  return capi_finish(program, NULL);
}

// ---- memory ----

// The bytes the collector counts, from LUA_GCCOUNT and LUA_GCCOUNTB;
// checks that the two parts are in range.
static inline size_t capi_bytes_in_use(lua_State* L) {
  int kbytes = lua_gc(L, LUA_GCCOUNT);
  int rest = lua_gc(L, LUA_GCCOUNTB);
  capi_check_at(kbytes >= 0, "LUA_GCCOUNT is not negative", __FILE__, __LINE__);
  capi_check_at(rest >= 0 && rest < 1024, "LUA_GCCOUNTB is below 1024",
                __FILE__, __LINE__);
  return (size_t)kbytes * 1024 + (size_t)rest;
}

// The C library's heap as a lua_Alloc: nsize 0 frees the block, any other
// size (re)allocates it. realloc knows a block's size, so osize is unused.
static inline void* capi_heap_alloc(void* ud, void* ptr, size_t osize,
                                    size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize != 0) return realloc(ptr, nsize);
  free(ptr);
  return NULL;
}

// A budget in front of another allocator. Invariant BUDGET: used <= limit
// after every call (set limit to SIZE_MAX to leave it unarmed). A request
// that would break it is refused; shrinking and freeing are always
// granted, as Lua relies on.
typedef struct CapiBudget {
  lua_Alloc inner;  // the allocator that does the work
  void* inner_ud;
  size_t limit;       // most bytes the state may hold at once
  size_t used;        // bytes the state holds now
  size_t peak;        // most bytes it held since `peak` was last set
  unsigned refusals;  // requests refused to keep BUDGET
} CapiBudget;

static inline void* capi_budget_alloc(void* ud, void* ptr, size_t osize,
                                      size_t nsize) {
  CapiBudget* b = (CapiBudget*)ud;
  // For a fresh block (ptr == NULL) osize is a type tag, not a size.
  size_t old = ptr != NULL ? osize : 0;
  if (nsize > old && nsize - old > b->limit - b->used) {
    b->refusals++;
    return NULL;
  }
  void* block = b->inner(b->inner_ud, ptr, osize, nsize);
  if (block == NULL && nsize != 0) return NULL;  // nothing changed
  b->used = b->used - old + nsize;
  if (b->used > b->peak) b->peak = b->used;
  return block;
}

#endif  // CAPI_CHECK_H
