// Chapter 7: compile-time errors, word for word as lua5.4 reports them.
// oracle/errors.txt (made by oracle/gen_errors.lua) holds hand-written
// broken chunks and systematic damage to valid ones, with the message
// load(case, "=t") gave; every line is checked here, and nothing may leak
// whatever the error.
#include <catch2/catch.hpp>

#include "tests/lparser/parser_support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

std::string unhex(const std::string& h) {
  std::string s;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    s += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return s;
}

// Undoes the escapes of gen_errors.lua ('\\' and '\n').
std::string unescape(const std::string& m) {
  std::string s;
  for (std::size_t i = 0; i < m.size(); i++) {
    if (m[i] == '\\' && i + 1 < m.size()) {
      s += (m[i + 1] == 'n') ? '\n' : m[i + 1];
      i++;
    } else {
      s += m[i];
    }
  }
  return s;
}

}  // namespace

TEST_CASE("compile errors match lua5.4 word for word", "[lparser]") {
  std::ifstream in(LPARSER_ORACLE_DIR "/errors.txt");
  REQUIRE(in.good());
  int checked = 0, errors = 0;
  CompilerState shared;  // most cases share one state; it must stay sound
  for (std::string line; std::getline(in, line);) {
    std::size_t sp = line.find(' ');
    const std::string src = unhex(line.substr(0, sp));
    const std::string rest = line.substr(sp + 1);
    INFO("case: " << src.substr(0, 200));
    Outcome got = compile(shared.L, src, "=t");
    if (rest == "ok") {
      CHECK(got.status == LUA_OK);
      if (got.status != LUA_OK) INFO(got.text);
    } else {
      REQUIRE(rest.rfind("err ", 0) == 0);
      CHECK(got.status != LUA_OK);
      CHECK(got.text == unescape(rest.substr(4)));
      errors++;
    }
    checked++;
  }
  CHECK(shared.close() == 0);
  CHECK(checked >= 1500);
  CHECK(errors >= 1200);
}

TEST_CASE("each kind of compile error frees everything in a fresh state",
          "[lparser]") {
  const char* const cases[] = {
      "x = = 1",                     // parser, in an expression
      "local x <const> = 1; x = 2",  // semantic error
      "goto nowhere",                // pending goto at the end
      "do local a; goto l; local b; ::l:: b = 1 end",  // jump into scope
      "f(\n1",                                // check_match across lines
      "local function f() return (((1) end",  // deep inside a function
      "x = 'unfinished",                      // lexical error
  };
  for (const char* src : cases) {
    INFO(src);
    std::size_t leaked = 1;
    Outcome out = compilefresh(src, "=t", &leaked);
    CHECK(out.status == LUA_ERRSYNTAX);
    CHECK(leaked == 0);
  }
}
