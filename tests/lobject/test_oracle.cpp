// Checks lobject.c's services against lua5.4 on the thousands of inputs of
// oracle/oracle.txt (see oracle/gen.lua for the format). Each of our
// answers is written in the file's own notation and compared as text, so
// a float must agree to the last bit (and a NaN in its sign and payload).
#include <bit>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/lobject/support.hpp"

using namespace lua;
using lobjecttest::TestState;

namespace {

// The lines of the oracle, grouped by their first field.
std::map<std::string, std::vector<std::string>> load_oracle() {
  const char* path = std::getenv("LOBJECT_ORACLE");
  if (path == nullptr) path = LOBJECT_ORACLE_DEFAULT;
  std::ifstream in(path);
  INFO("oracle file: " << path);
  REQUIRE(in.good());
  std::map<std::string, std::vector<std::string>> lines;
  for (std::string line; std::getline(in, line);)
    lines[line.substr(0, line.find(' '))].push_back(line);
  return lines;
}

const std::vector<std::string>& oracle(const std::string& kind) {
  static const auto lines = load_oracle();
  static const std::vector<std::string> none;
  auto it = lines.find(kind);
  return it == lines.end() ? none : it->second;
}

// Fields of a line, split at single spaces; the last field takes the rest
// of the line once `n` fields have been read.
std::vector<std::string> fields(const std::string& line, std::size_t n) {
  std::vector<std::string> f;
  std::size_t pos = 0;
  while (f.size() + 1 < n) {
    std::size_t sp = line.find(' ', pos);
    f.push_back(line.substr(pos, sp - pos));
    pos = sp + 1;
  }
  f.push_back(line.substr(pos));
  return f;
}

// 'x' followed by hex pairs, back to bytes.
std::string unhex(const std::string& h) {
  REQUIRE(h.size() % 2 == 1);
  REQUIRE(h[0] == 'x');
  std::string s;
  for (std::size_t i = 1; i < h.size(); i += 2)
    s += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return s;
}

// A number in the oracle's notation (gen.lua's num()).
std::string num(const TValue* o) {
  char buff[64];
  if (ttisinteger(o)) {
    std::snprintf(buff, sizeof buff, "i:%lld", ivalue(o));
  } else if (fltvalue(o) != fltvalue(o)) {
    std::snprintf(buff, sizeof buff, "f:nan:%016" PRIx64,
                  std::bit_cast<std::uint64_t>(fltvalue(o)));
  } else {
    std::snprintf(buff, sizeof buff, "f:%a", fltvalue(o));
  }
  return buff;
}

// The number an oracle field stands for.
TValue parsenum(const std::string& s) {
  TValue o;
  if (s.rfind("i:", 0) == 0) {
    setivalue(&o, std::strtoll(s.c_str() + 2, nullptr, 10));
  } else if (s.rfind("f:nan:", 0) == 0) {
    auto bits = std::strtoull(s.c_str() + 6, nullptr, 16);
    setfltvalue(&o, std::bit_cast<lua_Number>(bits));
  } else {
    REQUIRE(s.rfind("f:", 0) == 0);
    setfltvalue(&o, std::strtod(s.c_str() + 2, nullptr));
  }
  REQUIRE(num(&o) == s);  // the notation round-trips
  return o;
}

bool isnan(const TValue* o) {
  return ttisfloat(o) && fltvalue(o) != fltvalue(o);
}

int opcode(const std::string& name) {
  static const char* const names[] = {"add", "sub",  "mul",  "mod", "pow",
                                      "div", "idiv", "band", "bor", "bxor",
                                      "shl", "shr",  "unm",  "bnot"};
  for (int op = LUA_OPADD; op <= LUA_OPBNOT; op++)
    if (name == names[op]) return op;
  FAIL("unknown operator " << name);
  return -1;
}

// Our answer to one arithmetic line, in the oracle's notation.
std::string rawarith(lua_State* L, int op, const TValue* a, const TValue* b) {
  TValue res;
  bool ok = false;
  LuaError err;
  int status =
      luaM_runprotected([&] { ok = luaO_rawarith(L, op, a, b, &res); }, &err);
  if (status != LUA_OK) return std::string("err:") + err.msg;
  return ok ? num(&res) : "noint";
}

// The number of lines of a kind must be large: an empty or truncated data
// file must not pass silently.
void report(const char* what, std::size_t n, std::size_t atleast) {
  std::printf("oracle: checked %zu %s lines\n", n, what);
  CHECK(n >= atleast);
}

}  // namespace

TEST_CASE("luaO_str2num agrees with lua5.4's tonumber on every oracle string",
          "[lobject]") {
  const auto& lines = oracle("S");
  for (const auto& line : lines) {
    auto f = fields(line, 3);
    std::string s = unhex(f[1]);
    TValue o;
    std::size_t n = luaO_str2num(s.c_str(), &o);
    INFO(line);
    if (f[2] == "-") {
      CHECK(n == 0);
    } else {
      CHECK(n == s.size() + 1);
      CHECK(num(&o) == f[2]);
    }
  }
  report("string->number", lines.size(), 3000);
}

TEST_CASE("luaO_tostringbuff prints every oracle number as lua5.4 does",
          "[lobject]") {
  const auto& lines = oracle("T");
  for (const auto& line : lines) {
    auto f = fields(line, 3);
    TValue o = parsenum(f[1]);
    char buff[MAXNUMBER2STR];
    int len = luaO_tostringbuff(&o, buff);
    INFO(line);
    CHECK(std::string(buff, static_cast<std::size_t>(len)) == f[2]);
    CHECK(std::strlen(buff) == static_cast<std::size_t>(len));
  }
  report("number->string", lines.size(), 2000);
}

TEST_CASE("luaO_rawarith agrees with lua5.4 on every oracle operation",
          "[lobject]") {
  TestState S;
  const auto& lines = oracle("A");
  std::size_t twonans = 0;
  for (const auto& line : lines) {
    auto f = fields(line, 5);
    TValue a = parsenum(f[2]), b = parsenum(f[3]);
    int op = opcode(f[1]);
    std::string got = rawarith(S.L, op, &a, &b);
    INFO(line);
    if (op < LUA_OPUNM && isnan(&a) && isnan(&b) &&
        f[4].rfind("f:nan:", 0) == 0) {
      // IEEE 754 lets an operation on two NaNs return either one, and which
      // one the hardware returns depends on the order in which the compiler
      // placed the operands: lua5.4's VM returns the second NaN for '+'
      // and the first for the other operators. Either operand's NaN is fine.
      twonans++;
      CHECK((got == f[2] || got == f[3]));
    } else {
      CHECK(got == f[4]);
    }
  }
  CHECK(S.extra() == 0);
  report("arithmetic", lines.size(), 10000);
  std::printf("oracle: %zu of them had two NaN operands\n", twonans);
}

TEST_CASE("luaO_chunkid agrees with lua5.4's messages on every oracle name",
          "[lobject]") {
  const auto& lines = oracle("C");
  for (const auto& line : lines) {
    auto f = fields(line, 3);
    std::string source = unhex(f[1]);
    char out[LUA_IDSIZE];
    luaO_chunkid(out, source.c_str(), source.size());
    INFO(line);
    CHECK(std::string(out) == unhex(f[2]));
  }
  report("chunk id", lines.size(), 500);
}
