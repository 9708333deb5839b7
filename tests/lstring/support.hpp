// Test support for stages 3 and 4: a bare state with a string table, and
// its teardown. Before chapter 5 brings lua_close, a test frees what it
// created by walking the collector's lists, as lua_close will.
#pragma once

#include <cstdlib>

#include "lstring/lstring.hpp"

namespace lua::test {

// The plain allocator of lauxlib, with a byte count so that tests can
// check that a state gives back everything it took.
struct Heap {
  std::size_t held = 0;    // bytes currently allocated
  std::size_t allocs = 0;  // successful allocations and reallocations
  long refuse_after = -1;  // >= 0: requests left before refusing them all
  static void* alloc(void* ud, void* ptr, std::size_t osize,
                     std::size_t nsize) {
    auto* h = static_cast<Heap*>(ud);
    if (nsize == 0) {
      if (ptr != nullptr) h->held -= osize;
      std::free(ptr);
      return nullptr;
    }
    if (h->refuse_after == 0) return nullptr;
    if (h->refuse_after > 0) h->refuse_after--;
    void* p = std::realloc(ptr, nsize);
    if (p == nullptr) return nullptr;
    h->held += nsize - (ptr != nullptr ? osize : 0);
    h->allocs++;
    return p;
  }
};

// A bare state (chapter 2) with the string table of chapter 3.
inline lua_State* newstate(Heap& heap) {
  lua_State* L = luaE_newbarestate(Heap::alloc, &heap);
  if (L != nullptr) luaS_init(L);
  return L;
}

// Frees one object of chapter 3's types; returns false for other types.
inline bool freestringobj(lua_State* L, GCObject* o) {
  switch (o->tt) {
    case LUA_VSHRSTR:
      luaS_remove(L, gco2ts(o));
      luaM_freemem(L, o, sizelstring(gco2ts(o)->shrlen));
      return true;
    case LUA_VLNGSTR:
      luaM_freemem(L, o, sizelstring(gco2ts(o)->u.lnglen));
      return true;
    case LUA_VUSERDATA:
      luaM_freemem(L, o, sizeudata(gco2u(o)->nuvalue, gco2u(o)->len));
      return true;
    default:
      return false;
  }
}

// Frees every object in `list` with `freeobj` (which must know all the
// types it meets) and empties the list.
template <class F>
void freelist(lua_State* L, GCObject*& list, F freeobj) {
  while (list != nullptr) {
    GCObject* o = list;
    list = o->next;
    if (!freeobj(L, o)) std::abort();  // a type this stage cannot free
  }
}

// Frees every object (with `freeobj`), the string table and the state.
template <class F>
void closestate(lua_State* L, F freeobj) {
  global_State* g = G(L);
  freelist(L, g->allgc, freeobj);
  freelist(L, g->fixedgc, freeobj);
  luaM_freearray(L, g->strt.hash, cast_sizet(g->strt.size));
  g->strt = {nullptr, 0, 0};
  luaE_freebarestate(L);
}

inline void closestate(lua_State* L) {
  closestate(L, freestringobj);
}

}  // namespace lua::test
