/// \file
/// Test support of chapter 2: a bare state on a counting allocator that can
/// be told to refuse, and a `pushstring` seam that keeps what it is given.
///
/// Mirrors: nothing in Lua; ltests.c plays this role there.
/// Book: chapter 2
///
/// Design: `TestState` owns a state from luaE_newbarestate and its
/// allocator. The allocator counts the bytes it holds (invariant HELD:
/// `held` is the sum of the sizes of the live blocks), so a test can check
/// that an operation, successful or not, gives back everything it took;
/// and it refuses any growth past `limit`. The seam copies each pushed
/// string into `pushed` (test-side storage, not a Lua object) and returns
/// that copy, as the real seam returns the contents of the string it
/// pushed.
///
/// Differences from Lua: none; this is test code.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include "lobject/lstate.hpp"

namespace lobjecttest {

/// A malloc-based allocator that counts what it holds and refuses to hold
/// more than `limit` bytes.
struct Counting {
  std::size_t held = 0;          ///< bytes handed out (HELD)
  std::size_t limit = SIZE_MAX;  ///< refuse to hold more than this
};

inline void* counting_alloc(void* ud, void* ptr, std::size_t osize,
                            std::size_t nsize) {
  auto* c = static_cast<Counting*>(ud);
  std::size_t old = ptr == nullptr ? 0 : osize;
  if (nsize == 0) {
    std::free(ptr);
    c->held -= old;
    return nullptr;
  }
  if (nsize > old && nsize - old > c->limit - c->held) return nullptr;
  void* r = std::realloc(ptr, nsize);
  if (r != nullptr) c->held = c->held - old + nsize;
  return r;
}

/// The strings the test seam has received, newest last.
inline std::string pushed;
/// How many times the test seam ran.
inline int npushes = 0;

/// A `pushstring` seam for chapter 2: records the string and returns the
/// recorded copy.
inline const char* keepstring(lua_State* L, const char* s, std::size_t len) {
  (void)L;
  pushed.assign(s, len);
  npushes++;
  return pushed.c_str();
}

/// A `pushstring` seam that fails, as a real one does when out of memory.
inline const char* failingpush(lua_State* L, const char* s, std::size_t len) {
  (void)s, (void)len;
  lua::luaM_runerror(L, "push failed");
}

/// A bare state on a counting allocator, with the test seam installed.
struct TestState {
  Counting mem;
  lua_State* L;
  TestState() : L(lua::luaE_newbarestate(counting_alloc, &mem)) {
    if (L == nullptr) std::abort();
    lua::G(L)->seams.pushstring = keepstring;
  }
  ~TestState() { lua::luaE_freebarestate(L); }
  TestState(const TestState&) = delete;
  TestState& operator=(const TestState&) = delete;
  /// Bytes the state holds beyond its own block: 0 when nothing leaked.
  std::size_t extra() const { return mem.held - sizeof(lua::LG); }
};

}  // namespace lobjecttest
