// Run-time errors: values of any type, and messages that name the
// culprit as lua5.4 does.
#include <catch2/catch.hpp>

#include "tests/lvm/support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

// The message of the error `code` raises (its first line is line 1).
std::string errorof(const std::string& code) {
  Machine m;
  if (m.run(code) != LUA_ERRRUN) return "(no error)";
  return m.err;
}

}  // namespace

TEST_CASE("error values of any type reach pcall unchanged", "[lvm]") {
  Machine m;
  REQUIRE(m.run(R"(
    print(pcall(error, 42))
    print(pcall(error, nil))
    print(pcall(error, true))
    local t = {}
    local ok, e = pcall(error, t)
    print(ok, e == t)
  )") == LUA_OK);
  CHECK(m.out == "false\t42\nfalse\tnil\nfalse\ttrue\nfalse\ttrue\n");
}

TEST_CASE("index errors name the variable", "[lvm]") {
  CHECK(errorof("return x.y") ==
        "test:1: attempt to index a nil value (global 'x')");
  CHECK(errorof("local t = {} return t.a.b") ==
        "test:1: attempt to index a nil value (field 'a')");
  CHECK(errorof("local z; z[1] = 2") ==
        "test:1: attempt to index a nil value (local 'z')");
  CHECK(errorof("local w; return function() return w.x end") == "(no error)");
  CHECK(errorof("local w; (function() return w.x end)()") ==
        "test:1: attempt to index a nil value (upvalue 'w')");
  // No string library at stage 8: strings have no metatable yet.
  CHECK(errorof("local s = 'x'; return s.y") ==
        "test:1: attempt to index a string value (local 's')");
}

TEST_CASE("call errors name the function", "[lvm]") {
  CHECK(errorof("local t = {} t:m()") ==
        "test:1: attempt to call a nil value (method 'm')");
  CHECK(errorof("local t = {m = {}} t:m()") ==
        "test:1: attempt to call a table value (method 'm')");
  CHECK(errorof("nofunc()") ==
        "test:1: attempt to call a nil value (global 'nofunc')");
  CHECK(errorof("local t = {} t.f()") ==
        "test:1: attempt to call a nil value (field 'f')");
}

TEST_CASE("operator errors name the operand and the operation", "[lvm]") {
  CHECK(errorof("return 1 < nil") ==
        "test:1: attempt to compare number with nil");
  CHECK(errorof("return {} < {}") ==
        "test:1: attempt to compare two table values");
  CHECK(errorof("local b = true; return 'x' .. b") ==
        "test:1: attempt to concatenate a boolean value (local 'b')");
  CHECK(errorof("local t = {} return t.n + 1") ==
        "test:1: attempt to perform arithmetic on a nil value (field 'n')");
  CHECK(errorof("return 1.5 | 1") ==
        "test:1: number has no integer representation");
  CHECK(errorof("local t = {} return t & 1") ==
        "test:1: attempt to perform bitwise operation on a table value "
        "(local 't')");
  CHECK(errorof("return 1 // 0") == "test:1: attempt to divide by zero");
  CHECK(errorof("return 1 % 0") == "test:1: attempt to perform 'n%0'");
  CHECK(errorof("return #nil") ==
        "test:1: attempt to get length of a nil value");
}

TEST_CASE("for loops check their control values", "[lvm]") {
  CHECK(errorof("for i = 'a', 2 do end") ==
        "test:1: bad 'for' initial value (number expected, got string)");
  CHECK(errorof("for i = 1, {} do end") ==
        "test:1: bad 'for' limit (number expected, got table)");
  CHECK(errorof("for i = 1, 2, 0 do end") == "test:1: 'for' step is zero");
}
