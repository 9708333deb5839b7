// Unit tests of luaO_pushfstring: each directive, long results, the
// pushstring seam, and that no byte leaks when a directive, the allocator
// or the seam raises an error.
#include <climits>
#include <cmath>
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "tests/lobject/support.hpp"

using namespace lua;
using lobjecttest::pushed;
using lobjecttest::TestState;

namespace {

// Runs `f` protected and returns the error message ("" if none), after
// checking the status.
template <class F>
std::string errorof(F&& f, int status = LUA_ERRRUN) {
  LuaError err;
  int st = luaM_runprotected(f, &err);
  if (st == LUA_OK) return "";
  CHECK(st == status);
  return err.msg;
}

}  // namespace

TEST_CASE("luaO_pushfstring copies text without directives", "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "plain text")) == "plain text");
  CHECK(std::string(luaO_pushfstring(S.L, "")) == "");
}

TEST_CASE("luaO_pushfstring returns what the pushstring seam returns",
          "[lobject]") {
  TestState S;
  int before = lobjecttest::npushes;
  const char* s = luaO_pushfstring(S.L, "a%sc", "b");
  CHECK(s == pushed.c_str());
  CHECK(pushed == "abc");
  CHECK(lobjecttest::npushes == before + 1);  // pushed once, in one piece
}

TEST_CASE("luaO_pushfstring formats %s, and a null %s as (null)", "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "<%s|%s>", "one", "")) == "<one|>");
  const char* none = nullptr;
  CHECK(std::string(luaO_pushfstring(S.L, "%s", none)) == "(null)");
}

TEST_CASE("luaO_pushfstring formats %c as one byte", "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "[%c%c]", 'x', 0xE9)) == "[x\xE9]");
  luaO_pushfstring(S.L, "%c", 0);
  CHECK(pushed == std::string(1, '\0'));
}

TEST_CASE("luaO_pushfstring formats %d and %I as Lua integers", "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "%d %d %d", 0, INT_MIN, INT_MAX)) ==
        "0 -2147483648 2147483647");
  CHECK(std::string(luaO_pushfstring(S.L, "%I|%I", lua_Integer{LUA_MININTEGER},
                                     lua_Integer{LUA_MAXINTEGER})) ==
        "-9223372036854775808|9223372036854775807");
}

TEST_CASE("luaO_pushfstring formats %f as Lua prints floats", "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "%f %f %f %f", 1.0, 0.1, 1e100,
                                     -0.0)) == "1.0 0.1 1e+100 -0.0");
  CHECK(std::string(luaO_pushfstring(S.L, "%f %f", HUGE_VAL, -HUGE_VAL)) ==
        "inf -inf");
  CHECK(std::string(luaO_pushfstring(S.L, "%f", 0x1p63)) ==
        "9.2233720368548e+18");
}

TEST_CASE("luaO_pushfstring formats %p as the C library's %p", "[lobject]") {
  TestState S;
  int x = 0;
  char expected[64];
  std::snprintf(expected, sizeof expected, "%p", static_cast<void*>(&x));
  CHECK(std::string(luaO_pushfstring(S.L, "%p", static_cast<void*>(&x))) ==
        expected);
  CHECK(std::string(luaO_pushfstring(S.L, "%p", nullptr)) == "(nil)");
}

TEST_CASE("luaO_pushfstring formats %U as UTF-8", "[lobject]") {
  TestState S;
  CHECK(std::string(
            luaO_pushfstring(S.L, "%U%U%U", 0x41L, 0x20ACL, 0x7FFFFFFFL)) ==
        "A\xE2\x82\xAC\xFD\xBF\xBF\xBF\xBF\xBF");
}

TEST_CASE("luaO_pushfstring formats %% as a percent sign", "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "100%% of %d%%", 5)) == "100% of 5%");
}

TEST_CASE("luaO_pushfstring mixes directives as Lua's messages do",
          "[lobject]") {
  TestState S;
  CHECK(std::string(luaO_pushfstring(S.L, "%s:%d: %s near '%c' (%f)", "input",
                                     12, "unexpected symbol", '@', 2.5)) ==
        "input:12: unexpected symbol near '@' (2.5)");
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_pushfstring raises an error for an invalid directive",
          "[lobject]") {
  TestState S;
  std::string msg = errorof([&] { luaO_pushfstring(S.L, "%d %x", 1, 2); });
  CHECK(msg == "invalid option '%x' to 'lua_pushfstring'");
  msg = errorof([&] { luaO_pushfstring(S.L, "%i", 1); });
  CHECK(msg == "invalid option '%i' to 'lua_pushfstring'");
  // The state stays usable.
  CHECK(std::string(luaO_pushfstring(S.L, "%d", 3)) == "3");
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_pushfstring builds results longer than its local buffer",
          "[lobject]") {
  TestState S;
  std::string big(1000, 'b');
  CHECK(std::string(luaO_pushfstring(S.L, "<%s>", big.c_str())) ==
        "<" + big + ">");
  // Pieces that overflow the local buffer several times.
  std::string a(150, 'a');
  std::string fmt = a + "%d" + a + "%s" + a + "%c" + a;
  CHECK(std::string(luaO_pushfstring(S.L, fmt.c_str(), 1, "two", '3')) ==
        a + "1" + a + "two" + a + "3" + a);
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_pushfstring needs the pushstring seam of chapter 5",
          "[lobject]") {
  TestState S;
  G(S.L)->seams.pushstring = nullptr;
  std::string msg = errorof([&] { luaO_pushfstring(S.L, "%s", "x"); });
  CHECK(msg.find("chapter 5") != std::string::npos);
  std::string big(5000, 'q');
  msg = errorof([&] { luaO_pushfstring(S.L, "%s", big.c_str()); });
  CHECK(msg.find("chapter 5") != std::string::npos);
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_pushfstring frees its buffer when the seam raises",
          "[lobject]") {
  TestState S;
  G(S.L)->seams.pushstring = lobjecttest::failingpush;
  std::string big(5000, 'q');
  CHECK(errorof([&] { luaO_pushfstring(S.L, "%s%s", big.c_str(), "!"); }) ==
        "push failed");
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_pushfstring frees its buffer when a late directive raises",
          "[lobject]") {
  TestState S;
  std::string big(5000, 'q');
  CHECK(errorof([&] { luaO_pushfstring(S.L, "%s%z", big.c_str()); }) ==
        "invalid option '%z' to 'lua_pushfstring'");
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_pushfstring raises a memory error when its buffer cannot grow",
          "[lobject]") {
  TestState S;
  std::string big(5000, 'q');
  S.mem.limit = S.mem.held + 100;  // too little for the long result
  CHECK(errorof([&] { luaO_pushfstring(S.L, "%s", big.c_str()); },
                LUA_ERRMEM) == "not enough memory");
  CHECK(S.extra() == 0);
  // Growing fails halfway: the first spill fits, its doubling does not.
  S.mem.limit = S.mem.held + 300;
  std::string fmt;
  for (int i = 0; i < 6; i++) fmt += std::string(150, 'a') + "%d";
  CHECK(errorof([&] { luaO_pushfstring(S.L, fmt.c_str(), 1, 2, 3, 4, 5, 6); },
                LUA_ERRMEM) == "not enough memory");
  CHECK(S.extra() == 0);
  S.mem.limit = SIZE_MAX;  // the state is usable again
  CHECK(std::string(luaO_pushfstring(S.L, "%s", big.c_str())) == big);
  CHECK(S.extra() == 0);
}
