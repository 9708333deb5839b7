// Chapter 4: replays the operations recorded from lua5.4 by oracle/gen.lua
// and checks that our tables observe exactly what lua5.4 observed: the
// same '#t', the same lookups, the same traversal order and the same size
// in bytes after every recorded step. With integer, float and boolean keys
// this pins the hash functions, Brent's variation, lastfree, rehash and the
// alimit hint to 5.4.4's. LTABLE_ORACLE overrides the file's path.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/ltable/fixture.hpp"

using namespace lua;

#ifndef LTABLE_ORACLE_DEFAULT
#define LTABLE_ORACLE_DEFAULT "tests/ltable/oracle/oracle.txt"
#endif

namespace {

std::string oraclepath() {
  const char* env = std::getenv("LTABLE_ORACLE");
  return env != nullptr ? env : LTABLE_ORACLE_DEFAULT;
}

TValue parsekey(const std::string& s) {
  switch (s.at(0)) {
    case 'i':
      return test::intv(std::stoll(s.substr(1)));
    case 'f':
      return test::fltv(std::strtod(s.c_str() + 1, nullptr));
    case 'T':
      return test::boolv(true);
    default:
      return test::boolv(false);
  }
}

// A key as gen.lua writes it.
std::string keytext(const TValue* k) {
  if (ttisinteger(k)) return "i" + std::to_string(ivalue(k));
  if (ttisfloat(k)) {
    char buff[64];
    std::snprintf(buff, sizeof buff, "%a", fltvalue(k));
    return std::string("f") + buff;
  }
  return ttistrue(k) ? "T" : "F";
}

std::string valuetext(const TValue* v) {
  return isempty(v) ? "nil" : std::to_string(ivalue(v));
}

std::string order(test::Fixture& f, Table* t) {
  std::string line = "o";
  TValue k = test::nilv(), v;
  while (luaH_next(f.L, t, &k, &v))
    line += " " + keytext(&k) + "=" + valuetext(&v);
  return line;
}

}  // namespace

TEST_CASE("tables observe what lua5.4 observes on the recorded operations",
          "[ltable]") {
  std::ifstream in(oraclepath());
  REQUIRE(in.good());
  test::Fixture f;
  Table* t = nullptr;
  std::string line, name;
  int lineno = 0, cases = 0, checks = 0;
  while (std::getline(in, line)) {
    lineno++;
    if (line.empty() || line[0] == '#') continue;
    INFO("oracle line " << lineno << " (case " << name << "): " << line);
    std::istringstream words(line);
    std::string op, key, value;
    words >> op >> key >> value;
    if (op == "case") {
      name = line.substr(5);
      t = luaH_new(f.L);
      cases++;
    } else if (op == "s" || op == "d") {
      TValue k = parsekey(key);
      TValue v = op == "s" ? test::intv(std::stoll(value)) : test::nilv();
      luaH_set(f.L, t, &k, &v);
      REQUIRE(check_table(t) == 0);
    } else if (op == "g") {
      TValue k = parsekey(key);
      CHECK(valuetext(luaH_get(t, &k)) == value);
      checks++;
    } else if (op == "n") {
      CHECK(luaH_getn(t) == std::stoull(key));
      checks++;
    } else if (op == "m") {
      CHECK(test::tablebytes(t) == std::stoull(key));
      checks++;
    } else if (op == "o") {
      CHECK(order(f, t) == line);
      checks++;
    } else {
      REQUIRE(op == "end");
    }
  }
  std::printf("ltable oracle: %d cases, %d checks against lua5.4\n", cases,
              checks);
  CHECK(cases > 50);
  CHECK(f.close() == 0);
}
