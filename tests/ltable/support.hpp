// Test support for stage 4: a bare state with a string table and tables,
// its teardown (which frees tables with luaH_free and leaves the other
// objects to chapter 3's support), value builders and a protected runner
// that reports the error a call raised. The stage demo, the diagram and
// the benchmark use it too; the Catch2 fixture is in fixture.hpp.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string>

#include "ltable/ltable.hpp"
#include "tests/lstring/support.hpp"

namespace lua::test {

// A state like newstate's whose string hashes use a fixed seed, so that
// demos and diagrams print the same on every run.
inline lua_State* seededstate(Heap& heap, const char* seed) {
  setenv("LUA_ANATOMY_SEED", seed, 1);
  return newstate(heap);
}

// Frees one object of the types stages 3 and 4 create.
inline bool freetableobj(lua_State* L, GCObject* o) {
  if (o->tt == LUA_VTABLE) {
    luaH_free(L, gco2t(o));
    return true;
  }
  return freestringobj(L, o);
}

inline TValue nilv() {
  TValue v;
  setnilvalue(&v);
  return v;
}
inline TValue intv(lua_Integer i) {
  TValue v;
  setivalue(&v, i);
  return v;
}
inline TValue fltv(lua_Number n) {
  TValue v;
  setfltvalue(&v, n);
  return v;
}
inline TValue boolv(bool b) {
  TValue v;
  if (b)
    setbtvalue(&v);
  else
    setbfvalue(&v);
  return v;
}
inline TValue ptrv(void* p) {
  TValue v;
  setpvalue(&v, p);
  return v;
}
inline TValue strv(lua_State* L, const std::string& s) {
  TValue v;
  setsvalue(L, &v, luaS_newlstr(L, s.data(), s.size()));
  return v;
}

// Bytes the allocator holds for table `t`: the object, its array and its
// node vector (the dummy node costs nothing).
inline std::size_t tablebytes(const Table* t) {
  return sizeof(Table) + luaH_realasize(t) * sizeof(TValue) +
         cast_sizet(allocsizenode(t)) * sizeof(Node);
}

// The status and message of an error raised by `f` (LUA_OK and "" if
// none).
struct Outcome {
  int status;
  std::string msg;
};
template <class F>
Outcome protect(F&& f) {
  LuaError e{};
  int status = luaM_runprotected(f, &e);
  return {status, status == LUA_OK ? std::string() : std::string(e.msg)};
}

}  // namespace lua::test
