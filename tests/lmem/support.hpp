/// \file
/// Test support of chapter 1: an independent counting allocator and a
/// memory state wired to it.
///
/// Mirrors: nothing in Lua; ltests.c plays this role there.
/// Book: chapter 1
///
/// Design: `Counting` is written apart from lalloc.cpp on purpose, so that
/// the accounting of lmem and of the catalogue is checked against a tally
/// that shares no code with them. It holds at most `limit` bytes and
/// refuses anything beyond (invariant HELD: `held` is the sum of the sizes
/// of the blocks it has handed out and not yet taken back).
///
/// Differences from Lua: none; this is test code.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "lmem/lmem.hpp"

namespace lmemtest {

/// True when the build fails every first allocation attempt on purpose
/// (Meson option fail_first_alloc): lmem then retries once by itself.
#ifdef LUAI_EMERGENCYGCTESTS
inline constexpr bool kFailFirst = true;
#else
inline constexpr bool kFailFirst = false;
#endif

/// An allocator that counts what it holds and remembers its last call.
struct Counting {
  std::size_t held = 0;           ///< bytes handed out (HELD)
  std::size_t limit = SIZE_MAX;   ///< refuse to hold more than this
  int calls = 0;                  ///< calls of any kind
  int failures = 0;               ///< calls answered with null, nsize > 0
  const void* lastptr = nullptr;  ///< `ptr` of the last call
  std::size_t lastosize = 0;      ///< `osize` of the last call
  std::size_t lastnsize = 0;      ///< `nsize` of the last call
};

/// The counting allocator: malloc-based, refusing growth past `limit`.
inline void* counting_alloc(void* ud, void* ptr, std::size_t osize,
                            std::size_t nsize) {
  auto* c = static_cast<Counting*>(ud);
  c->calls++;
  c->lastptr = ptr, c->lastosize = osize, c->lastnsize = nsize;
  std::size_t old = ptr == nullptr ? 0 : osize;
  if (nsize == 0) {
    std::free(ptr);
    c->held -= old;
    return nullptr;
  }
  if (nsize > old && nsize - old > c->limit - c->held) {
    c->failures++;
    return nullptr;
  }
  void* r = std::realloc(ptr, nsize);
  if (r == nullptr) {
    c->failures++;
    return nullptr;
  }
  c->held = c->held - old + nsize;
  return r;
}

/// A memory state whose allocator is `alloc` with state `ud`, and the
/// MemCtx to pass to lmem (no thread in chapter 1).
struct State {
  lua::MemoryState g;
  lua::MemCtx L{nullptr, &g};
  State(lua_Alloc f, void* ud) {
    g.frealloc = f;
    g.ud = ud;
  }
  /// `gettotalbytes`, the bytes lmem believes the allocator holds.
  std::size_t total() const { return lua::gettotalbytes(&g); }
};

/// A state on a fresh counting allocator.
struct CountingState {
  Counting c;
  State s{counting_alloc, &c};
  lua::MemCtx& L = s.L;
};

/// Runs `f` protected and returns the error it raised (status LUA_OK and
/// an empty message when it raised none).
template <class F>
lua::LuaError catcherror(F&& f) {
  lua::LuaError e{LUA_OK, {}};
  e.status = lua::luaM_runprotected(f, &e);
  return e;
}

/// Fills `n` bytes at `p` with a pattern that depends on `seed`.
inline void fill(void* p, std::size_t n, unsigned seed) {
  auto* b = static_cast<unsigned char*>(p);
  for (std::size_t i = 0; i < n; i++)
    b[i] = static_cast<unsigned char>(seed + i * 7);
}

/// True when the `n` bytes at `p` still hold the pattern of `fill`.
inline bool holds(const void* p, std::size_t n, unsigned seed) {
  auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; i++)
    if (b[i] != static_cast<unsigned char>(seed + i * 7)) return false;
  return true;
}

}  // namespace lmemtest
