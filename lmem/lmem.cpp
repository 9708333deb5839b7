/// \file
/// The memory manager's functions: allocation with one emergency retry,
/// exact accounting, vector growth and the memory errors.
///
/// Mirrors: Lua 5.4 lmem.c
/// Book: chapter 1
///
/// See lmem.hpp for the invariants ACCOUNT, DEBT and SIZE. Every function
/// here updates `GCdebt` only after the allocator has succeeded, which is
/// what keeps ACCOUNT exact when an allocation fails.
#include "lmem/lmem.hpp"

#include <cstdio>
#include <cstdlib>

namespace lua {

namespace {

// Debug switch LUAI_EMERGENCYGCTESTS (Meson option fail_first_alloc): the
// first attempt of every allocation fails on purpose, so that each one goes
// through the emergency path. Lua 5.4 has the same switch (EMERGENCYGCTESTS)
// for the same reason: that path is otherwise almost never taken.
#ifdef LUAI_EMERGENCYGCTESTS
constexpr bool kFailFirst = true;
#else
constexpr bool kFailFirst = false;
#endif

// The only place that calls the allocator.
void* callfrealloc(MemoryState* g, void* block, std::size_t osize,
                   std::size_t nsize) {
  return (*g->frealloc)(g->ud, block, osize, nsize);
}

// The first attempt of an allocation. Under the fail-first switch a
// request for memory fails before reaching the allocator, unless emergency
// collections are stopped (then there would be no second attempt).
void* firsttry(MemoryState* g, void* block, std::size_t osize,
               std::size_t nsize) {
  if (kFailFirst && nsize > 0 && !g->gcstopem) return nullptr;
  return callfrealloc(g, block, osize, nsize);
}

// The second attempt: collect everything that can be collected, then ask
// again. Without a collector there is nothing to free, so a real failure
// is final; only the fail-first switch makes a plain retry meaningful.
void* tryagain(MemCtx L, void* block, std::size_t osize, std::size_t nsize) {
  MemoryState* g = L.g;
  if (g->gcstopem) return nullptr;
  if (g->seams.fullgc != nullptr)
    g->seams.fullgc(L.L);
  else if (!kFailFirst)
    return nullptr;
  return callfrealloc(g, block, osize, nsize);
}

// The message a status carries when nobody supplied one.
const char* statusmessage(int status) {
  switch (status) {
    case LUA_ERRMEM:
      return MEMERRMSG;
    case LUA_ERRERR:
      return "error in error handling";
    default:
      return "";
  }
}

[[noreturn]] void throwmessage(int status, const char* msg) {
  LuaError e{status, {}};
  std::snprintf(e.msg, sizeof e.msg, "%s", msg);
  throw e;
}

}  // namespace

void luaE_setdebt(MemoryState* g, l_mem debt) {
  l_mem tb = static_cast<l_mem>(gettotalbytes(g));
  if (debt < tb - MAX_LMEM) debt = tb - MAX_LMEM;  // keep totalbytes valid
  g->totalbytes = tb - debt;
  g->GCdebt = debt;
}

void luaM_throw(MemCtx L, int status) {
  if (L.g->seams.throwstatus != nullptr) {
    L.g->seams.throwstatus(L.L, status);
    std::abort();  // a throwstatus seam must not return
  }
  throwmessage(status, statusmessage(status));
}

void luaM_runerror(MemCtx L, const char* fmt, ...) {
  char buff[sizeof(LuaError::msg)];
  std::va_list argp;
  va_start(argp, fmt);
  std::vsnprintf(buff, sizeof buff, fmt, argp);
  va_end(argp);
  if (L.g->seams.runerror != nullptr) {
    L.g->seams.runerror(L.L, buff);
    std::abort();  // a runerror seam must not return
  }
  throwmessage(LUA_ERRRUN, buff);
}

void luaM_error(MemCtx L) {
  luaM_throw(L, LUA_ERRMEM);
}

void luaM_toobig(MemCtx L) {
  luaM_runerror(L, "memory allocation error: block too big");
}

// Doubling gives amortised O(1) appends; the limit is reached exactly,
// so a vector may hold `limit` elements but never more.
void* luaM_growaux_(MemCtx L, void* block, int nelems, int* psize,
                    int size_elem, int limit, const char* what) {
  int size = *psize;
  if (nelems + 1 <= size) return block;  // still fits
  if (size >= limit / 2) {               // cannot double?
    if (size >= limit) [[unlikely]]
      luaM_runerror(L, "too many %s (limit is %d)", what, limit);
    size = limit;
  } else {
    size *= 2;
    if (size < MINSIZEARRAY) size = MINSIZEARRAY;
  }
  lua_assert(nelems + 1 <= size && size <= limit);
  void* newblock = luaM_saferealloc_(L, block, cast_sizet(*psize) * size_elem,
                                     cast_sizet(size) * size_elem);
  *psize = size;  // only after success: a failure keeps the old size
  return newblock;
}

// Vectors are built by doubling; once complete (a function's code, say)
// they are trimmed to their final size to give the slack back.
void* luaM_shrinkvector_(MemCtx L, void* block, int* size, int final_n,
                         int size_elem) {
  std::size_t oldsize = cast_sizet(*size) * size_elem;
  std::size_t newsize = cast_sizet(final_n) * size_elem;
  lua_assert(newsize <= oldsize);
  void* newblock = luaM_saferealloc_(L, block, oldsize, newsize);
  *size = final_n;
  return newblock;
}

void luaM_free_(MemCtx L, void* block, std::size_t osize) {
  MemoryState* g = L.g;
  lua_assert((osize == 0) == (block == nullptr));
  callfrealloc(g, block, osize, 0);
  g->GCdebt -= static_cast<l_mem>(osize);
}

void* luaM_realloc_(MemCtx L, void* block, std::size_t osize,
                    std::size_t nsize) {
  MemoryState* g = L.g;
  lua_assert((osize == 0) == (block == nullptr));
  void* newblock = firsttry(g, block, osize, nsize);
  if (newblock == nullptr && nsize > 0) [[unlikely]] {
    newblock = tryagain(L, block, osize, nsize);
    if (newblock == nullptr) return nullptr;  // accounting untouched
  }
  lua_assert((nsize == 0) == (newblock == nullptr));
  g->GCdebt += static_cast<l_mem>(nsize) - static_cast<l_mem>(osize);
  return newblock;
}

void* luaM_saferealloc_(MemCtx L, void* block, std::size_t osize,
                        std::size_t nsize) {
  void* newblock = luaM_realloc_(L, block, osize, nsize);
  if (newblock == nullptr && nsize > 0) [[unlikely]]
    luaM_error(L);
  return newblock;
}

void* luaM_malloc_(MemCtx L, std::size_t size, int tag) {
  if (size == 0) return nullptr;  // the allocator never sees 0-byte requests
  MemoryState* g = L.g;
  void* newblock = firsttry(g, nullptr, cast_sizet(tag), size);
  if (newblock == nullptr) [[unlikely]] {
    newblock = tryagain(L, nullptr, cast_sizet(tag), size);
    if (newblock == nullptr) luaM_error(L);
  }
  g->GCdebt += static_cast<l_mem>(size);
  return newblock;
}

}  // namespace lua
