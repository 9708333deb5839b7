/// \file
/// Shared helpers of the C API tests: a state over a counting allocator,
/// loading and running chunks from strings, and the few library functions
/// (setmetatable, yield, error) that the Lua snippets of the tests call.
///
/// The tests use nothing but lua.h, as a C embedder does, so that the same
/// files also build against Debian's liblua5.4: their expectations are
/// checked against the reference implementation as well as ours.
#pragma once

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include "lua.h"
}

namespace lapitest {

/// The allocator's side of a state: the bytes it holds for it.
struct Heap {
  std::size_t live = 0;  ///< bytes currently allocated
  long calls = 0;        ///< calls of the allocator
};

inline void* heapalloc(void* ud, void* ptr, std::size_t osize,
                       std::size_t nsize) {
  Heap* heap = static_cast<Heap*>(ud);
  heap->calls++;
  if (ptr == nullptr) osize = 0;  // osize is then a type tag
  if (nsize == 0) {
    std::free(ptr);
    heap->live -= osize;
    return nullptr;
  }
  void* block = std::realloc(ptr, nsize);
  if (block != nullptr) heap->live += nsize - osize;
  return block;
}

/// A state that closes itself. The heap outlives it.
struct State {
  Heap heap;
  lua_State* L;
  State() : L(lua_newstate(heapalloc, &heap)) { REQUIRE(L != nullptr); }
  ~State() {
    if (L != nullptr) lua_close(L);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
};

/// A reader handing out `text` in pieces of at most `step` bytes.
struct Pieces {
  std::string text;
  std::size_t step;
  std::size_t pos = 0;
  int calls = 0;
};

inline const char* piecereader(lua_State*, void* ud, std::size_t* size) {
  Pieces* p = static_cast<Pieces*>(ud);
  p->calls++;
  std::size_t n = p->text.size() - p->pos;
  if (n > p->step) n = p->step;
  *size = n;
  const char* piece = p->text.data() + p->pos;
  p->pos += n;
  return n == 0 ? nullptr : piece;
}

/// Loads `code` as a chunk named `name`; returns lua_load's status.
inline int load(lua_State* L, const std::string& code,
                const char* name = "=test", const char* mode = nullptr,
                std::size_t step = 1 << 20) {
  Pieces p{code, step};
  return lua_load(L, piecereader, &p, name, mode);
}

/// Loads and runs `code` protected, keeping every result; returns the
/// status of the first step that failed.
inline int run(lua_State* L, const std::string& code,
               const char* name = "=test") {
  int status = load(L, code, name);
  if (status != LUA_OK) return status;
  return lua_pcall(L, 0, LUA_MULTRET, 0);
}

/// The value at `idx` as a string (numbers are converted in place, as
/// lua_tolstring does); "<none>" for a value with no string form.
inline std::string str(lua_State* L, int idx) {
  std::size_t len = 0;
  const char* s = lua_tolstring(L, idx, &len);
  return s == nullptr ? std::string("<none>") : std::string(s, len);
}

/// setmetatable(t, mt) for the Lua snippets: the base library is chapter
/// 10's, and these tests need only this much of it.
inline int l_setmetatable(lua_State* L) {
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}
/// yield(...) yields every argument.
inline int l_yield(lua_State* L) {
  return lua_yield(L, lua_gettop(L));
}
/// error(v) raises v.
inline int l_error(lua_State* L) {
  lua_settop(L, 1);
  return lua_error(L);
}

/// Registers the helpers above as globals.
inline void openhelpers(lua_State* L) {
  lua_pushcfunction(L, l_setmetatable);
  lua_setglobal(L, "setmetatable");
  lua_pushcfunction(L, l_yield);
  lua_setglobal(L, "yield");
  lua_pushcfunction(L, l_error);
  lua_setglobal(L, "error");
}

}  // namespace lapitest
