// The collector inside the running interpreter: finalizers called
// through the callgc seam, weak tables, objects kept alive by the stack.
#include <catch2/catch.hpp>

#include "tests/lvm/support.hpp"

using namespace lua;
using namespace lua::test;

TEST_CASE("finalizers run when their objects become garbage", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local mt = {__gc = function(o) print("finalize", o.name) end}
    local keep = setmetatable({name = "kept"}, mt)
    do local tmp = setmetatable({name = "tmp"}, mt) end
    collect()
    print("after collect")
  )") == LUA_OK);
  CHECK(m.out == "finalize\ttmp\nafter collect\n");
  m.out.clear();
  m.close();  // closing runs the remaining finalizer
  CHECK(m.out == "finalize\tkept\n");
}

TEST_CASE("an error in a finalizer becomes a warning, not an error", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    do setmetatable({}, {__gc = function() error("in gc") end}) end
    collect()
    print("survived")
  )") == LUA_OK);
  CHECK(m.out == "survived\n");
}

TEST_CASE("values on the stack and in upvalues survive collections", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local weak = setmetatable({}, {__mode = "v"})
    local function make()
      local t = {}
      for i = 1, 200 do t[i] = {i} end
      return function(i) return t[i][1] end
    end
    local f = make()
    weak[1] = {}
    collect()
    local s = 0
    for i = 1, 200 do s = s + f(i) end
    print(s, weak[1])
  )") == LUA_OK);
  CHECK(m.out == "20100\tnil\n");
}
