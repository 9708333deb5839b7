// Calls and returns: results adjusted to what the caller wants, varargs,
// tail calls in constant stack space, the stack limits, __call.
#include <catch2/catch.hpp>

#include "tests/lvm/support.hpp"

using namespace lua;
using namespace lua::test;

TEST_CASE("Lua functions call each other and return their results", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local function fib(n) if n < 2 then return n end
      return fib(n - 1) + fib(n - 2) end
    print(fib(20), fib(1), fib(0))
  )") == LUA_OK);
  CHECK(m.out == "6765\t1\t0\n");
}

TEST_CASE("a call adjusts its results to the number the caller wants",
          "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local function three() return 1, 2, 3 end
    local function none() end
    local a, b, c, d = three()
    print(a, b, c, d)
    local x = three()
    print(x, (three()))
    print(three(), three())
    local t = {three(), three()}
    print(#t, none(), #{none()})
    print(three(), 10)
  )") == LUA_OK);
  CHECK(m.out ==
        "1\t2\t3\tnil\n"
        "1\t1\n"
        "1\t1\t2\t3\n"
        "4\tnil\t0\n"
        "1\t10\n");
}

TEST_CASE("varargs are passed, counted and forwarded", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local function count(...) return #{...} end
    local function pass(...) return ... end
    local function fixed(a, b, ...) return a, b, count(...) end
    print(count(), count(nil, nil), count(1, 2, 3))
    print(pass(1, nil, 3))
    print(fixed(1), fixed(1, 2, 3, 4))
    local function last(...) local a, b = ... return b end
    print(last(5, 6, 7))
  )") == LUA_OK);
  CHECK(m.out ==
        "0\t0\t3\n"
        "1\tnil\t3\n"
        "1\t1\t2\t2\n"
        "6\n");
}

TEST_CASE("tail calls run in constant stack space", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local function loop(n, acc)
      if n == 0 then return acc end
      return loop(n - 1, acc + 1)
    end
    print(loop(1000000, 0))
    local function vloop(n, ...)
      if n == 0 then return ... end
      return vloop(n - 1, ...)
    end
    print(vloop(300000, "v"))
  )") == LUA_OK);
  CHECK(m.out == "1000000\nv\n");
  // A million nested calls would need millions of slots and records.
  CHECK(stacksize(m.L) < 1000);
  CHECK(m.L->nci < 100);
}

// [deep]: 200,000 nested calls allocate 200,000 call records; the
// fail-first build runs a full collection at each, which takes hours, so
// that build leaves this case out (tests/lvm/meson.build).
TEST_CASE("deep recursion raises stack overflow and the state goes on",
          "[lvm][deep]") {
  Machine m;
  REQUIRE(m.run(R"(
    local function down(n) return 1 + down(n + 1) end
    local ok, msg = pcall(down, 1)
    print(ok, msg)
    print(pcall(down, 1))
    print("still running")
  )") == LUA_OK);
  CHECK(m.out.find("false\ttest:2: stack overflow") == 0);
  CHECK(m.out.find("still running\n") != std::string::npos);
  CHECK(stacksize(m.L) < LUAI_MAXSTACK);  // shrunk back after the error
}

TEST_CASE("a table with __call can be called, also in a tail call", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local f = setmetatable({}, {__call = function(self, a, b) return b end})
    local g = setmetatable({}, {__call = f})
    print(f(1, 2), g(7))
    local function tail() return f(3, 4) end
    print(tail())
  )") == LUA_OK);
  // g(7) calls f(g, 7), which calls the handler with (f, g, 7).
  CHECK(m.out == "2\t7\n4\n");
}

namespace {

Heap* counted = nullptr;

int l_allocs(lua_State* L) {
  setivalue(s2v(L->top), static_cast<lua_Integer>(counted->allocs));
  L->top++;
  return 1;
}

}  // namespace

TEST_CASE("calls allocate nothing once their records exist", "[lvm]") {
  Machine m;
  counted = &m.heap;
  setglobalfunction(m.L, "allocs", l_allocs);
  REQUIRE(m.run(R"(
    local function add(a, b) return a + b end
    local function deep(n) if n == 0 then return 0 end
      return 1 + deep(n - 1) end
    deep(50)
    local before = allocs()
    local s = 0
    for i = 1, 100000 do s = add(s, i) end
    deep(50)
    print(s, allocs() - before)
  )") == LUA_OK);
  CHECK(m.out == "5000050000\t0\n");
}

TEST_CASE("closing the state gives back every byte", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local t = {}
    for i = 1, 1000 do t[i] = {i, tostr(i)} end
    local co = function() return t end
    print(#co())
  )") == LUA_OK);
  CHECK(m.close() == 0);
}
