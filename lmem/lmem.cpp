/// \file
/// The memory manager's functions: allocation with one emergency retry,
/// exact accounting, vector growth and the memory errors.
///
/// Mirrors: Lua 5.4 lmem.c (with luaE_setdebt of lstate.c, and stand-ins
/// for luaD_throw of ldo.c and luaG_runerror of ldebug.c, in a section at
/// the end)
/// Book: chapter 1
///
/// See lmem.hpp for the invariants ACCOUNT, DEBT and SIZE. Every function
/// here updates `GCdebt` only after the allocator has succeeded, which is
/// what keeps ACCOUNT exact when an allocation fails.
///
/// Where the rest of the foreign files live: lstate.c is chapter 2's
/// lobject/lstate.cpp and chapter 5's lfunc/lstate.cpp (plus luaE_warning
/// in lgc/lgc.cpp and the lua_newstate family in lapi/lapi.cpp); ldo.c is
/// chapter 5's lfunc/ldo.cpp (stack reallocation) and chapter 8's
/// lvm/ldo.cpp (everything else, including the real luaD_throw, which
/// replaces luaM_throw through the `throwstatus` seam); ldebug.c is
/// chapter 8's lvm/ldebug.cpp, whose luaG_runerror replaces luaM_runerror
/// through the `runerror` seam (both seams are installed by lvm/ldo.cpp).
#include "lmem/lmem.hpp"

#include <algorithm>
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

// The size a full vector of `size` elements grows to: double, but at
// least MINSIZEARRAY and at most `limit`, which is reached exactly, so a
// vector may hold `limit` elements but never more.
int grownsize(MemCtx L, int size, int limit, const char* what) {
  if (size < limit / 2) return std::max(2 * size, MINSIZEARRAY);
  if (size >= limit) [[unlikely]]
    luaM_runerror(L, "too many %s (limit is %d)", what, limit);
  return limit;
}

// Bytes taken by `n` elements of `size_elem` bytes.
std::size_t vectorbytes(int n, int size_elem) {
  return cast_sizet(n) * cast_sizet(size_elem);
}

// Both attempts of an allocation: null only when the second fails too
// (or when `nsize` is 0, a free).
void* allocate(MemCtx L, void* block, std::size_t osize, std::size_t nsize) {
  void* newblock = firsttry(L.g, block, osize, nsize);
  if (newblock != nullptr || nsize == 0) [[likely]]
    return newblock;
  return tryagain(L, block, osize, nsize);
}

// Resizes a vector of `*count` elements of `size_elem` bytes to `newcount`
// elements. `*count` changes only after success: a failure (an error)
// leaves the vector as it was.
void* resizevector(MemCtx L, void* block, int* count, int newcount,
                   int size_elem) {
  void* newblock = luaM_saferealloc_(L, block, vectorbytes(*count, size_elem),
                                     vectorbytes(newcount, size_elem));
  *count = newcount;
  return newblock;
}

}  // namespace

// Doubling gives amortised O(1) appends.
void* luaM_growaux_(MemCtx L, void* block, int nelems, int* psize,
                    int size_elem, int limit, const char* what) {
  const int size = *psize;
  if (nelems + 1 <= size) return block;  // still fits
  const int newsize = grownsize(L, size, limit, what);
  lua_assert(nelems + 1 <= newsize && newsize <= limit);
  return resizevector(L, block, psize, newsize, size_elem);
}

// Vectors are built by doubling; once complete (a function's code, say)
// they are trimmed to their final size to give the slack back.
void* luaM_shrinkvector_(MemCtx L, void* block, int* size, int final_n,
                         int size_elem) {
  lua_assert(final_n <= *size);
  return resizevector(L, block, size, final_n, size_elem);
}

void luaM_toobig(MemCtx L) {
  luaM_runerror(L, "memory allocation error: block too big");
}

// lmem.h's luaM_error: a memory error carries no message of its own (the
// throw gives it MEMERRMSG).
void luaM_error(MemCtx L) {
  luaM_throw(L, LUA_ERRMEM);
}

void luaM_free_(MemCtx L, void* block, std::size_t osize) {
  lua_assert((osize == 0) == (block == nullptr));
  callfrealloc(L.g, block, osize, 0);
  L.g->GCdebt -= static_cast<l_mem>(osize);
}

// A failure leaves the accounting untouched: the block is still the old
// one, of the old size.
void* luaM_realloc_(MemCtx L, void* block, std::size_t osize,
                    std::size_t nsize) {
  lua_assert((osize == 0) == (block == nullptr));
  void* newblock = allocate(L, block, osize, nsize);
  if (newblock == nullptr && nsize > 0) [[unlikely]]
    return nullptr;
  lua_assert((nsize == 0) == (newblock == nullptr));
  L.g->GCdebt += static_cast<l_mem>(nsize) - static_cast<l_mem>(osize);
  return newblock;
}

void* luaM_saferealloc_(MemCtx L, void* block, std::size_t osize,
                        std::size_t nsize) {
  void* newblock = luaM_realloc_(L, block, osize, nsize);
  if (newblock == nullptr && nsize > 0) luaM_error(L);  // cold: noreturn
  return newblock;
}

// A new block has no old size, so `osize` carries the type tag to the
// allocator instead; the allocator never sees a 0-byte request.
void* luaM_malloc_(MemCtx L, std::size_t size, int tag) {
  if (size == 0) return nullptr;
  void* newblock = allocate(L, nullptr, cast_sizet(tag), size);
  if (newblock == nullptr) luaM_error(L);  // cold: noreturn
  L.g->GCdebt += static_cast<l_mem>(size);
  return newblock;
}

// ---------------------------------------------------------------------------
// Functions of lstate.c, ldo.c and ldebug.c
// ---------------------------------------------------------------------------
// The memory manager needs the debt setter of lstate.c and a way to raise
// errors, which Lua takes from ldo.c (luaD_throw) and ldebug.c
// (luaG_runerror); chapter 1 comes first, so it has them here: the debt
// setter itself, and stand-ins that defer to the seams chapter 8 installs.

void luaE_setdebt(MemoryState* g, l_mem debt) {
  const l_mem total = static_cast<l_mem>(gettotalbytes(g));
  // The smallest debt that keeps `totalbytes` (total - debt) representable.
  debt = std::max(debt, total - MAX_LMEM);
  g->totalbytes = total - debt;
  g->GCdebt = debt;
}

namespace {

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

// Stands in for luaD_throw.
void luaM_throw(MemCtx L, int status) {
  if (L.g->seams.throwstatus != nullptr) {
    L.g->seams.throwstatus(L.L, status);
    std::abort();  // a throwstatus seam must not return
  }
  throwmessage(status, statusmessage(status));
}

// Stands in for luaG_runerror: formats the message, without position.
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

}  // namespace lua
