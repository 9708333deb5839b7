// The Catch2 fixture of the chapter 4 tests: a state with one table whose
// every mutation through the fixture is followed by check_table.
#pragma once

#include <catch2/catch.hpp>

#include "tests/ltable/support.hpp"

namespace lua::test {

// A state with one table. `close()` frees everything and returns the bytes
// the allocator still holds (0 when nothing leaked); the destructor closes
// a state that a failed REQUIRE left open.
struct Fixture {
  Heap heap;
  lua_State* L;
  Table* t;
  Fixture() : L(newstate(heap)), t(luaH_new(L)) {}
  ~Fixture() {
    if (L != nullptr) close();
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  std::size_t close() {
    closestate(L, freetableobj);
    L = nullptr;
    return heap.held;
  }
  // Every mutation below ends with a check of the table's invariants.
  void check() { REQUIRE(check_table(t) == 0); }
  // t[k] = v through luaH_set, t[i] = v through luaH_setint.
  void set(const TValue& k, const TValue& v) {
    luaH_set(L, t, &k, &v);
    check();
  }
  void seti(lua_Integer i, lua_Integer v) {
    TValue tv = intv(v);
    luaH_setint(L, t, i, &tv);
    check();
  }
  void clear(lua_Integer i) {
    TValue nil = nilv();
    luaH_setint(L, t, i, &nil);
    check();
  }
  void resize(unsigned int nasize, unsigned int nhsize) {
    luaH_resize(L, t, nasize, nhsize);
    check();
  }
  void sets(const std::string& k, lua_Integer v) { set(strv(L, k), intv(v)); }
  const TValue* get(const TValue& k) { return luaH_get(t, &k); }
  bool has(lua_Integer i) { return !isempty(luaH_getint(t, i)); }
};

}  // namespace lua::test
