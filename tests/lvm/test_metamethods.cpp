// Metamethods as the interpreter calls them: every operator's fallback,
// __index and __newindex chains, comparisons, __len, __concat, __close.
#include <catch2/catch.hpp>

#include "tests/lvm/support.hpp"

using namespace lua;
using namespace lua::test;

TEST_CASE(
    "every arithmetic and bitwise operator falls back to its "
    "metamethod",
    "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local mt = {}
    local events = {"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv",
                    "band", "bor", "bxor", "shl", "shr", "bnot"}
    for i = 1, #events do
      local e = events[i]
      mt["__" .. e] = function(a, b) return e end
    end
    local x = setmetatable({}, mt)
    print(x + 1, 1 - x, x * x, x / 2, x % 2, x ^ 2, -x, x // 2)
    print(x & 1, 1 | x, x ~ x, x << 1, 1 >> x, ~x)
    print(x + 1.5, 2.5 * x, x + 100000, 100000 - x)
  )") == LUA_OK);
  CHECK(m.out ==
        "add\tsub\tmul\tdiv\tmod\tpow\tunm\tidiv\n"
        "band\tbor\tbxor\tshl\tshr\tbnot\n"
        "add\tmul\tadd\tsub\n");
}

TEST_CASE("a binary metamethod comes from the first operand that has one",
          "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local A = setmetatable({}, {__add = function(a, b) return "A" end})
    local B = setmetatable({}, {__add = function(a, b) return "B" end})
    local N = setmetatable({}, {})
    print(A + B, B + A, N + A, 1 + B, A + N)
  )") == LUA_OK);
  CHECK(m.out == "A\tB\tA\tB\tA\n");
}

TEST_CASE("__index and __newindex follow chains of tables and functions",
          "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local base = {greet = "hi"}
    local mid = setmetatable({}, {__index = base})
    local top = setmetatable({}, {__index = mid})
    print(top.greet, top.missing)
    local f = setmetatable({}, {__index = function(t, k) return k .. "!" end})
    print(f.x, f[1])
    local log = {}
    local w = setmetatable({}, {__newindex = function(t, k, v)
      log[#log + 1] = k end})
    w.a = 1; w.b = 2
    print(#log, log[1], log[2], w.a)
    local store = {}
    local p = setmetatable({}, {__newindex = store})
    p.x = 5
    print(p.x, store.x)
    local ok, msg = pcall(function()
      local loop = {}
      setmetatable(loop, {__index = loop})
      return loop.x
    end)
    print(ok, msg)
  )") == LUA_OK);
  CHECK(m.out ==
        "hi\tnil\n"
        "x!\t1!\n"
        "2\ta\tb\tnil\n"
        "nil\t5\n"
        "false\ttest:20: '__index' chain too long; possible loop\n");
}

TEST_CASE(
    "comparisons call __eq, __lt and __le, and <= falls back to "
    "not (b < a)",
    "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local mt = {__eq = function(a, b) return a.v == b.v end,
                __lt = function(a, b) return a.v < b.v end}
    local function V(v) return setmetatable({v = v}, mt) end
    print(V(1) == V(1), V(1) ~= V(2), V(1) < V(2), V(2) > V(1))
    print(V(1) <= V(1), V(2) <= V(1), V(1) >= V(2))
    mt.__le = function(a, b) return "le" end
    print(V(1) <= V(1), V(5) >= V(1))
    local t = {}
    print(t == t, t == {}, 1 == 1.0, "1" == 1, 2^53 == 2^53 + 1)
  )") == LUA_OK);
  CHECK(m.out ==
        "true\ttrue\ttrue\ttrue\n"
        "true\tfalse\tfalse\n"
        "true\ttrue\n"
        "true\tfalse\ttrue\tfalse\ttrue\n");
}

TEST_CASE("__len and __concat replace the primitive operations", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local t
    local function name(v) if v == t then return "T" end return tostr(v) end
    t = setmetatable({1, 2, 3}, {__len = function() return 42 end,
      __concat = function(a, b) return name(a) .. "+" .. name(b) end})
    print(#t, #{1, 2, 3}, #"four")
    print(t .. "s", "s" .. t, 1 .. t)
    print("a" .. "b" .. t .. "c")
  )") == LUA_OK);
  CHECK(m.out ==
        "42\t3\t4\n"
        "T+s\ts+T\t1+T\n"
        "abT+c\n");
}

TEST_CASE("to-be-closed variables close in reverse order on every exit",
          "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    local function closer(name)
      return setmetatable({}, {__close = function(_, err)
        print("close", name, err) end})
    end
    do
      local a <close> = closer("a")
      local b <close> = closer("b")
      local c <close> = nil
    end
    for i = 1, 2 do
      local x <close> = closer("loop" .. i)
      if i == 1 then goto continue end
      break
      ::continue::
    end
    local function f()
      local r <close> = closer("ret")
      return "result"
    end
    print(f())
    print(pcall(function()
      local e <close> = closer("err")
      error("boom")
    end))
    print(pcall(function() local bad <close> = {} end))
  )") == LUA_OK);
  CHECK(m.out ==
        "close\tb\tnil\n"
        "close\ta\tnil\n"
        "close\tloop1\tnil\n"
        "close\tloop2\tnil\n"
        "close\tret\tnil\n"
        "result\n"
        "close\terr\tboom\n"
        "false\tboom\n"
        "false\ttest:26: variable 'bad' got a non-closable value\n");
}
