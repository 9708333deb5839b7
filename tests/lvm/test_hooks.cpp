// Hooks: line, call, return and count events, from the data the compiler
// keeps.
#include <catch2/catch.hpp>

#include <vector>

#include "tests/lvm/support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

std::vector<int> events;

void record(lua_State*, lua_Debug* ar) {
  events.push_back(ar->event == LUA_HOOKLINE ? ar->currentline
                                             : -100 - ar->event);
}

}  // namespace

TEST_CASE("the line hook sees each new line once per visit", "[lvm]") {
  Machine m;
  REQUIRE(m.load("local x = 1\nlocal y = 2\nfor i = 1, 2 do\n  x = x + i\nend\n"
                 "return x") == LUA_OK);
  events.clear();
  luaG_sethook(m.L, record, LUA_MASKLINE, 0);
  luaD_call(m.L, m.L->top - 1, 0);
  luaG_sethook(m.L, nullptr, 0, 0);
  CHECK(events == std::vector<int>{1, 2, 3, 4, 3, 4, 3, 6});
}

TEST_CASE("call and return hooks see every call", "[lvm]") {
  Machine m;
  REQUIRE(m.load("local function f() return 1 end\nf()\nf()") == LUA_OK);
  events.clear();
  luaG_sethook(m.L, record, LUA_MASKCALL | LUA_MASKRET, 0);
  luaD_call(m.L, m.L->top - 1, 0);
  luaG_sethook(m.L, nullptr, 0, 0);
  const int call = -100 - LUA_HOOKCALL;
  const int ret = -100 - LUA_HOOKRET;
  CHECK(events == std::vector<int>{call, call, ret, call, ret, ret});
}

TEST_CASE("the count hook fires every n instructions", "[lvm]") {
  Machine m;
  REQUIRE(m.load("local s = 0\nfor i = 1, 100 do s = s + i end") == LUA_OK);
  events.clear();
  luaG_sethook(m.L, record, LUA_MASKCOUNT, 10);
  luaD_call(m.L, m.L->top - 1, 0);
  luaG_sethook(m.L, nullptr, 0, 0);
  // About 2 instructions per iteration plus set-up and return.
  CHECK(events.size() >= 20);
  CHECK(events.size() <= 22);
}
