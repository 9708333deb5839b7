// Unit tests of lobject.c's number services: luaO_ceillog2, luaO_rawarith
// (types, wrap-around, errors) and the lvm.c helpers that came down with
// it, plus hand-picked numerals and numbers whose expected answers were
// taken from lua5.4. The bulk comparison with lua5.4 is in test_oracle.cpp.
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>
#include <string>

#include <catch2/catch.hpp>

#include "tests/lobject/support.hpp"

using namespace lua;
using lobjecttest::TestState;

namespace {

TValue ival(lua_Integer i) {
  TValue o;
  setivalue(&o, i);
  return o;
}

TValue fval(lua_Number n) {
  TValue o;
  setfltvalue(&o, n);
  return o;
}

// Runs luaO_rawarith protected; returns the status and, on error, the
// message in `msg`.
int protectedarith(lua_State* L, int op, TValue a, TValue b, TValue* res,
                   bool* ok, std::string* msg) {
  LuaError err;
  int status =
      luaM_runprotected([&] { *ok = luaO_rawarith(L, op, &a, &b, res); }, &err);
  if (status != LUA_OK) *msg = err.msg;
  return status;
}

// The result of an operation that must succeed.
TValue arith(lua_State* L, int op, TValue a, TValue b) {
  TValue res;
  bool ok = false;
  std::string msg;
  REQUIRE(protectedarith(L, op, a, b, &res, &ok, &msg) == LUA_OK);
  REQUIRE(ok);
  return res;
}

// The integer result of an operation that must give one.
lua_Integer iarith(lua_State* L, int op, TValue a, TValue b) {
  TValue r = arith(L, op, a, b);
  REQUIRE(ttisinteger(&r));
  return ivalue(&r);
}

// The smallest k with 2^k >= x, the slow way.
int slowceillog2(unsigned long long x) {
  int k = 0;
  while ((1ull << k) < x) k++;
  return k;
}

}  // namespace

TEST_CASE("luaO_ceillog2 rounds log2 up at every power of two", "[lobject]") {
  CHECK(luaO_ceillog2(1) == 0);
  CHECK(luaO_ceillog2(2) == 1);
  CHECK(luaO_ceillog2(3) == 2);
  for (int k = 1; k <= 31; k++) {
    unsigned int p = 1u << k;
    INFO("k = " << k);
    CHECK(luaO_ceillog2(p) == k);
    CHECK(luaO_ceillog2(p - 1) == (k == 1 ? 0 : k));
    CHECK(luaO_ceillog2(p + 1) == k + 1);
  }
  CHECK(luaO_ceillog2(UINT_MAX) == 32);
}

TEST_CASE("luaO_ceillog2 matches a bit-by-bit count for small values",
          "[lobject]") {
  for (unsigned int x = 1; x <= 70000; x++)
    if (luaO_ceillog2(x) != slowceillog2(x)) FAIL("x = " << x);
}

TEST_CASE("luaO_rawarith keeps integers integer and promotes mixed operands",
          "[lobject]") {
  TestState S;
  TValue r = arith(S.L, LUA_OPADD, ival(1), ival(2));
  CHECK((ttisinteger(&r) && ivalue(&r) == 3));
  r = arith(S.L, LUA_OPADD, ival(1), fval(2));
  CHECK((ttisfloat(&r) && fltvalue(&r) == 3.0));
  r = arith(S.L, LUA_OPIDIV, ival(7), ival(2));
  CHECK((ttisinteger(&r) && ivalue(&r) == 3));
  r = arith(S.L, LUA_OPIDIV, fval(7), ival(2));
  CHECK((ttisfloat(&r) && fltvalue(&r) == 3.0));
  r = arith(S.L, LUA_OPUNM, ival(5), ival(5));
  CHECK((ttisinteger(&r) && ivalue(&r) == -5));
}

TEST_CASE("luaO_rawarith always gives floats for '/' and '^'", "[lobject]") {
  TestState S;
  TValue r = arith(S.L, LUA_OPDIV, ival(4), ival(2));
  CHECK((ttisfloat(&r) && fltvalue(&r) == 2.0));
  r = arith(S.L, LUA_OPPOW, ival(2), ival(10));
  CHECK((ttisfloat(&r) && fltvalue(&r) == 1024.0));
}

TEST_CASE("luaO_rawarith wraps integer overflow around", "[lobject]") {
  TestState S;
  TValue r = arith(S.L, LUA_OPADD, ival(LUA_MAXINTEGER), ival(1));
  CHECK(ivalue(&r) == LUA_MININTEGER);
  r = arith(S.L, LUA_OPSUB, ival(LUA_MININTEGER), ival(1));
  CHECK(ivalue(&r) == LUA_MAXINTEGER);
  r = arith(S.L, LUA_OPMUL, ival(LUA_MAXINTEGER), ival(2));
  CHECK(ivalue(&r) == -2);
  r = arith(S.L, LUA_OPUNM, ival(LUA_MININTEGER), ival(0));
  CHECK(ivalue(&r) == LUA_MININTEGER);
}

TEST_CASE("luaO_rawarith divides LUA_MININTEGER by -1 without trapping",
          "[lobject]") {
  TestState S;
  TValue r = arith(S.L, LUA_OPIDIV, ival(LUA_MININTEGER), ival(-1));
  CHECK(ivalue(&r) == LUA_MININTEGER);
  r = arith(S.L, LUA_OPMOD, ival(LUA_MININTEGER), ival(-1));
  CHECK(ivalue(&r) == 0);
}

TEST_CASE("luaO_rawarith floors '//' and gives '%' the divisor's sign",
          "[lobject]") {
  TestState S;
  CHECK(iarith(S.L, LUA_OPIDIV, ival(-7), ival(2)) == -4);
  TValue r = arith(S.L, LUA_OPMOD, ival(-7), ival(2));
  CHECK(ivalue(&r) == 1);
  r = arith(S.L, LUA_OPMOD, ival(7), ival(-2));
  CHECK(ivalue(&r) == -1);
  r = arith(S.L, LUA_OPMOD, fval(-7.5), fval(2));
  CHECK(fltvalue(&r) == 0.5);
  r = arith(S.L, LUA_OPMOD, fval(5), fval(HUGE_VAL));
  CHECK(fltvalue(&r) == 5.0);
  r = arith(S.L, LUA_OPMOD, fval(-5), fval(HUGE_VAL));
  CHECK(fltvalue(&r) == HUGE_VAL);  // as lua5.4: -5 % math.huge == inf
}

TEST_CASE("luaO_rawarith raises 'attempt to divide by zero' for integer '//'",
          "[lobject]") {
  TestState S;
  TValue res = ival(42);
  bool ok = false;
  std::string msg;
  CHECK(protectedarith(S.L, LUA_OPIDIV, ival(1), ival(0), &res, &ok, &msg) ==
        LUA_ERRRUN);
  CHECK(msg == "attempt to divide by zero");
  CHECK(ivalue(&res) == 42);  // no result was written
  // The state is still usable and nothing leaked.
  CHECK(iarith(S.L, LUA_OPIDIV, ival(9), ival(3)) == 3);
  CHECK(std::string(luaO_pushfstring(S.L, "%d", 7)) == "7");
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_rawarith raises \"attempt to perform 'n%%0'\" for integer '%'",
          "[lobject]") {
  TestState S;
  TValue res;
  bool ok = false;
  std::string msg;
  CHECK(protectedarith(S.L, LUA_OPMOD, ival(LUA_MININTEGER), ival(0), &res, &ok,
                       &msg) == LUA_ERRRUN);
  CHECK(msg == "attempt to perform 'n%0'");  // lua5.4 prints one '%'
  CHECK(iarith(S.L, LUA_OPMOD, ival(9), ival(4)) == 1);
  CHECK(S.extra() == 0);
}

TEST_CASE("luaO_rawarith divides floats by zero without an error",
          "[lobject]") {
  TestState S;
  TValue r = arith(S.L, LUA_OPIDIV, ival(1), fval(0));
  CHECK(fltvalue(&r) == HUGE_VAL);
  r = arith(S.L, LUA_OPMOD, fval(1), ival(0));
  CHECK(std::isnan(fltvalue(&r)));
  r = arith(S.L, LUA_OPDIV, ival(0), ival(0));
  CHECK(std::isnan(fltvalue(&r)));
}

TEST_CASE("luaO_rawarith converts only integral floats for bitwise operators",
          "[lobject]") {
  TestState S;
  TValue r = arith(S.L, LUA_OPBAND, fval(3.0), ival(6));
  CHECK((ttisinteger(&r) && ivalue(&r) == 2));
  r = arith(S.L, LUA_OPBOR, fval(-0x1p63), ival(1));
  CHECK(ivalue(&r) == LUA_MININTEGER + 1);
  for (lua_Number bad : {1.5, 0x1p63, HUGE_VAL, -HUGE_VAL, std::nan("")}) {
    TValue f = fval(bad), one = ival(1), res = ival(42);
    INFO("operand " << bad);
    CHECK_FALSE(luaO_rawarith(S.L, LUA_OPBXOR, &f, &one, &res));
    CHECK_FALSE(luaO_rawarith(S.L, LUA_OPSHL, &one, &f, &res));
    CHECK(ivalue(&res) == 42);  // left alone
  }
}

TEST_CASE("luaO_rawarith gives no result for operands that are not numbers",
          "[lobject]") {
  TestState S;
  TValue nil, t, num = ival(1), res = ival(42);
  setnilvalue(&nil);
  setbtvalue(&t);
  for (int op = LUA_OPADD; op <= LUA_OPBNOT; op++) {
    INFO("op " << op);
    CHECK_FALSE(luaO_rawarith(S.L, op, &nil, &num, &res));
    CHECK_FALSE(luaO_rawarith(S.L, op, &num, &t, &res));
  }
  CHECK(ivalue(&res) == 42);
}

TEST_CASE("luaV_shiftl shifts logically and clears at 64 bits", "[lobject]") {
  CHECK(luaV_shiftl(1, 63) == LUA_MININTEGER);
  CHECK(luaV_shiftl(1, 64) == 0);
  CHECK(luaV_shiftl(-1, -1) == LUA_MAXINTEGER);  // zeros come in
  CHECK(luaV_shiftl(-1, -63) == 1);
  CHECK(luaV_shiftl(-1, -64) == 0);
  CHECK(luaV_shiftl(5, LUA_MAXINTEGER) == 0);
  CHECK(luaV_shiftl(5, LUA_MININTEGER) == 0);
}

TEST_CASE("luaV_idiv, luaV_mod and luaV_modf follow Lua's sign rules",
          "[lobject]") {
  TestState S;
  CHECK(luaV_idiv(S.L, 7, -2) == -4);
  CHECK(luaV_idiv(S.L, -8, 2) == -4);
  CHECK(luaV_idiv(S.L, 5, -1) == -5);
  CHECK(luaV_mod(S.L, -1, 5) == 4);
  CHECK(luaV_mod(S.L, 1, -5) == -4);
  CHECK(luaV_mod(S.L, 10, 5) == 0);
  CHECK(luaV_modf(S.L, 5.5, -2) == -0.5);
  CHECK(luaV_modf(S.L, -5.0, -HUGE_VAL) == -5.0);
  CHECK(luaV_modf(S.L, 5.0, -HUGE_VAL) == -HUGE_VAL);
  CHECK(std::signbit(luaV_modf(S.L, -4.0, 2)));  // -0.0 stays -0.0
}

TEST_CASE("luaO_hexavalue reads both cases of hex digits", "[lobject]") {
  const char* digits = "0123456789abcdef";
  for (int v = 0; v < 16; v++) {
    CHECK(luaO_hexavalue(digits[v]) == v);
    CHECK(luaO_hexavalue(std::toupper(digits[v])) == v);
  }
}

namespace {

// luaO_str2num's reading of `s`, in the oracle's notation: "-" for a
// string that is not a numeral, otherwise "i:<n>" or a float with "%.17g".
std::string str2num(const char* s) {
  TValue o;
  std::size_t n = luaO_str2num(s, &o);
  if (n == 0) return "-";
  REQUIRE(n == std::strlen(s) + 1);
  char buff[64];
  if (ttisinteger(&o))
    std::snprintf(buff, sizeof buff, "i:%lld", ivalue(&o));
  else
    std::snprintf(buff, sizeof buff, "f:%.17g", fltvalue(&o));
  return buff;
}

}  // namespace

TEST_CASE("luaO_str2num turns an overflowing decimal integer into a float",
          "[lobject]") {
  CHECK(str2num("9223372036854775807") == "i:9223372036854775807");
  CHECK(str2num("9223372036854775808") == "f:9.2233720368547758e+18");
  CHECK(str2num("-9223372036854775808") == "i:-9223372036854775808");
  CHECK(str2num("-9223372036854775809") == "f:-9.2233720368547758e+18");
}

TEST_CASE("luaO_str2num wraps hexadecimal integers modulo 2^64", "[lobject]") {
  CHECK(str2num("0xffffffffffffffff") == "i:-1");
  CHECK(str2num("0x10000000000000001") == "i:1");
  CHECK(str2num("-0x1") == "i:-1");
  CHECK(str2num("0x7fffffffffffffff") == "i:9223372036854775807");
}

TEST_CASE("luaO_str2num reads decimal and hexadecimal floats", "[lobject]") {
  CHECK(str2num(".5") == "f:0.5");
  CHECK(str2num("5.") == "f:5");
  CHECK(str2num("1e2") == "f:100");
  CHECK(str2num("0x1p4") == "f:16");
  CHECK(str2num("0x.8") == "f:0.5");
  CHECK(str2num("1e400") == "f:inf");
}

TEST_CASE("luaO_str2num rejects 'inf', 'nan', garbage and empty numerals",
          "[lobject]") {
  for (const char* s :
       {"inf", "-inf", "nan", "NaN", "infinity", "", " ", "0x", "1e", "1e+",
        ".", "e5", "1 2", "0x1p", "1n", "1.2.3", "abc"}) {
    INFO('"' << s << '"');
    CHECK(str2num(s) == "-");
  }
}

TEST_CASE("luaO_str2num allows spaces around the numeral", "[lobject]") {
  CHECK(str2num(" \t\n10\v\f\r ") == "i:10");
  CHECK(str2num("  0x10  ") == "i:16");
  CHECK(str2num(" 1.5 ") == "f:1.5");
  CHECK(str2num("- 1") == "-");  // but not between the sign and the digits
}

namespace {

std::string tostr(TValue o) {
  char buff[MAXNUMBER2STR];
  int len = luaO_tostringbuff(&o, buff);
  return std::string(buff, static_cast<std::size_t>(len));
}

}  // namespace

TEST_CASE("luaO_tostringbuff marks integral floats with '.0'", "[lobject]") {
  CHECK(tostr(ival(1)) == "1");
  CHECK(tostr(fval(1)) == "1.0");
  CHECK(tostr(fval(-0.0)) == "-0.0");
  CHECK(tostr(fval(1e14)) == "1e+14");
  CHECK(tostr(fval(123456789012345.0)) == "1.2345678901234e+14");
  CHECK(tostr(fval(0x1p53)) == "9.007199254741e+15");
  CHECK(tostr(ival(LUA_MININTEGER)) == "-9223372036854775808");
}

TEST_CASE("luaO_tostringbuff prints inf and NaN as lua5.4 does on x86-64",
          "[lobject]") {
  volatile lua_Number zero = 0.0;
  lua_Number nan = zero / zero;  // 0/0: the sign bit is set
  CHECK(tostr(fval(HUGE_VAL)) == "inf");
  CHECK(tostr(fval(-HUGE_VAL)) == "-inf");
  CHECK(tostr(fval(nan)) == "-nan");
  CHECK(tostr(fval(-nan)) == "nan");
}
