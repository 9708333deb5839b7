// Shared by the chapter-7 diagram programs: compiles a chunk in a fresh
// state with a fixed seed and runs a drawing function on its main
// prototype, then checks that closing the state gives every byte back.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "lgc/lgc.hpp"
#include "lparser/lparser.hpp"
#include "tests/lstring/support.hpp"

namespace lua::book {

// Returns the program's exit status: 1 if the chunk does not compile or
// memory is left behind, else 0.
template <class Draw>
int withcompiled(const char* who, const char* chunk, std::size_t len,
                 Draw draw) {
  setenv("LUA_ANATOMY_SEED", "7", 1);
  test::Heap heap;
  lua_State* L = luaC_openstate(test::Heap::alloc, &heap);
  if (L == nullptr) return 1;
  luaX_init(L);
  if (luaY_compile(L, chunk, len, "=demo") != LUA_OK) {
    std::fprintf(stderr, "%s: %s\n", who, getstr(tsvalue(s2v(L->top - 1))));
    luaC_closestate(L);
    return 1;
  }
  draw(static_cast<const Proto*>(clLvalue(s2v(L->top - 1))->p));
  L->top--;
  luaC_closestate(L);
  return heap.held == 0 ? 0 : 1;
}

}  // namespace lua::book
