// Chapter 5: the list of to-be-closed variables, linked by 16-bit distances
// down the stack, with dummy entries across gaps wider than MAXDELTA.
#include <catch2/catch.hpp>
#include <vector>

#include "tests/lfunc/support.hpp"

using namespace lua;
using test::nilv;
using test::State;

namespace {

// The slots of the entries of the list, newest first, as offsets from the
// stack base; dummies are marked by a negative offset.
std::vector<long> entries(lua_State* L) {
  std::vector<long> out;
  StkId tbc = L->tbclist;
  while (tbc > L->stack) {
    unsigned delta = tbc->tbclist.delta;
    out.push_back(delta == 0 ? -(tbc - L->stack) : tbc - L->stack);
    tbc -= delta == 0 ? MAXDELTA : delta;
  }
  return out;
}

// Registers slot `i` (from the stack base) with a true value.
void newtbc(lua_State* L, long i) {
  setbtvalue(s2v(L->stack + i));
  luaF_newtbcupval(L, L->stack + i);
}

// A stack with `n` usable slots, all in use by the base record.
void bigstack(lua_State* L, int n) {
  REQUIRE(luaD_reallocstack(L, n, true));
  L->top = L->stack + n;
  L->base_ci.top = L->top;
}

}  // namespace

TEST_CASE("luaF_newtbcupval ignores false and nil", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 3);
  setbfvalue(s2v(test::reg(L, 1)));
  luaF_newtbcupval(L, test::reg(L, 0));  // nil
  luaF_newtbcupval(L, test::reg(L, 1));  // false
  CHECK(L->tbclist == L->stack);
  setivalue(s2v(test::reg(L, 2)), 0);  // 0 is true in Lua
  luaF_newtbcupval(L, test::reg(L, 2));
  CHECK(L->tbclist == test::reg(L, 2));
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(L->tbclist == L->stack);
  CHECK(S.close() == 0);
}

TEST_CASE("luaF_newtbcupval links each entry by its distance to the previous",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  bigstack(L, 30);
  for (long i : {3, 5, 9}) newtbc(L, i);
  CHECK(L->stack[3].tbclist.delta == 3);
  CHECK(L->stack[5].tbclist.delta == 2);
  CHECK(L->stack[9].tbclist.delta == 4);
  CHECK(entries(L) == std::vector<long>{9, 5, 3});
  CHECK(check_thread(L) == 0);
  // The delta lives in the slot's padding: writing the value keeps it.
  setivalue(s2v(L->stack + 5), 42);
  CHECK(L->stack[5].tbclist.delta == 2);
  luaF_poptbclist(L);
  CHECK(L->tbclist == L->stack + 5);
  luaF_poptbclist(L);
  luaF_poptbclist(L);
  CHECK(L->tbclist == L->stack);
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("a gap wider than MAXDELTA is bridged by dummy entries", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  const long D = MAXDELTA;
  bigstack(L, 300000);
  newtbc(L, 2);
  newtbc(L, 2 + D);  // exactly MAXDELTA away: no dummy
  CHECK(entries(L) == std::vector<long>{2 + D, 2});
  newtbc(L, 2 + 2 * D + 1);  // one more: one dummy
  CHECK(entries(L) == std::vector<long>{2 + 2 * D + 1, -(2 + 2 * D), 2 + D, 2});
  newtbc(L, 2 + 2 * D + 1 + 150000);  // two dummies, then the rest
  long top = 2 + 2 * D + 1 + 150000;
  long d1 = 2 + 2 * D + 1 + D, d2 = d1 + D;
  CHECK(entries(L) == std::vector<long>{top, -d2, -d1, 2 + 2 * D + 1,
                                        -(2 + 2 * D), 2 + D, 2});
  CHECK(L->stack[top].tbclist.delta == top - d2);
  CHECK(check_thread(L) == 0);
  // Popping an entry takes the dummies that led to it.
  luaF_poptbclist(L);
  CHECK(L->tbclist == L->stack + 2 + 2 * D + 1);
  luaF_poptbclist(L);
  CHECK(L->tbclist == L->stack + 2 + D);
  CHECK(check_thread(L) == 0);
  luaF_poptbclist(L);
  luaF_poptbclist(L);
  CHECK(L->tbclist == L->stack);
  CHECK(S.close() == 0);
}

TEST_CASE("the first entry far from the stack base also gets dummies",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  bigstack(L, 70010);
  newtbc(L, 70000);
  CHECK(entries(L) == std::vector<long>{70000, -static_cast<long>(MAXDELTA)});
  CHECK(check_thread(L) == 0);
  luaF_poptbclist(L);
  CHECK(L->tbclist == L->stack);
  CHECK(S.close() == 0);
}

TEST_CASE("a stack reallocation keeps the list, deltas and all", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  bigstack(L, 80000);
  for (long i : {4, 10, 70000}) newtbc(L, i);
  std::vector<long> before = entries(L);
  REQUIRE(luaD_reallocstack(L, 90000, true));
  CHECK(entries(L) == before);
  CHECK(L->tbclist == L->stack + 70000);
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("check_thread rejects a malformed to-be-closed list", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  bigstack(L, 30);
  newtbc(L, 3);
  newtbc(L, 7);
  REQUIRE(check_thread(L) == 0);
  L->stack[7].tbclist.delta = 0;  // the newest entry is a dummy
  CHECK(check_thread(L) > 0);
  L->stack[7].tbclist.delta = 20;  // steps below the stack base
  CHECK(check_thread(L) > 0);
  L->stack[7].tbclist.delta = 4;
  setbfvalue(s2v(L->stack + 3));  // an entry with nothing to close
  CHECK(check_thread(L) > 0);
  setbtvalue(s2v(L->stack + 3));
  L->top = L->stack + 7;  // the newest entry above the top
  CHECK(check_thread(L) > 0);
  L->top = L->stack + 30;
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}
