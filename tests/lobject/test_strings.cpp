// Unit tests of luaO_utf8esc and luaO_chunkid. The expected bytes and
// chunk ids were printed by lua5.4 (utf8.char, "\u{...}", and the messages
// of load("x=", chunkname)).
#include <cstdio>
#include <cstring>
#include <string>

#include <catch2/catch.hpp>

#include "lobject/lobject.hpp"

using namespace lua;

namespace {

// The UTF-8 bytes of `x`, in hex.
std::string utf8hex(unsigned long x) {
  char buff[UTF8BUFFSZ];
  std::memset(buff, 0x55, sizeof buff);
  int n = luaO_utf8esc(buff, x);
  REQUIRE((n >= 1 && n <= 6));
  std::string h;
  for (int i = UTF8BUFFSZ - n; i < UTF8BUFFSZ; i++) {
    char two[3];
    std::snprintf(two, sizeof two, "%02X", static_cast<unsigned char>(buff[i]));
    h += two;
  }
  return h;
}

std::string chunkid(const std::string& source) {
  char out[LUA_IDSIZE];
  std::memset(out, 'Z', sizeof out);
  luaO_chunkid(out, source.c_str(), source.size());
  REQUIRE(std::memchr(out, '\0', sizeof out) != nullptr);  // fits
  return out;
}

}  // namespace

TEST_CASE("luaO_utf8esc encodes every length boundary as lua5.4's utf8.char",
          "[lobject]") {
  const struct {
    unsigned long cp;
    const char* hex;
  } table[] = {
      {0x0, "00"},
      {0x7F, "7F"},
      {0x80, "C280"},
      {0x7FF, "DFBF"},
      {0x800, "E0A080"},
      {0xFFFF, "EFBFBF"},
      {0x10000, "F0908080"},
      {0x10FFFF, "F48FBFBF"},
      {0x1FFFFF, "F7BFBFBF"},
      {0x200000, "F888808080"},
      {0x3FFFFFF, "FBBFBFBFBF"},
      {0x4000000, "FC8480808080"},
      {0x7FFFFFFF, "FDBFBFBFBFBF"},
  };
  for (const auto& t : table) {
    INFO("code point " << t.cp);
    CHECK(utf8hex(t.cp) == t.hex);
  }
}

TEST_CASE("luaO_utf8esc writes only the last bytes of its buffer",
          "[lobject]") {
  char buff[UTF8BUFFSZ];
  std::memset(buff, 0x55, sizeof buff);
  CHECK(luaO_utf8esc(buff, 0x20AC) == 3);  // the euro sign
  CHECK(buff[UTF8BUFFSZ - 4] == 0x55);
  CHECK(std::string(buff + UTF8BUFFSZ - 3, 3) == "\xE2\x82\xAC");
}

TEST_CASE("luaO_chunkid shows '=' names as they are, cut to fit", "[lobject]") {
  CHECK(chunkid("=stdin") == "stdin");
  CHECK(chunkid("=") == "");
  CHECK(chunkid("=" + std::string(70, 'n')) == std::string(59, 'n'));
  CHECK(chunkid("=" + std::string(59, 'n')) == std::string(59, 'n'));
}

TEST_CASE("luaO_chunkid keeps the tail of a long '@' file name", "[lobject]") {
  CHECK(chunkid("@script.lua") == "script.lua");
  CHECK(chunkid("@") == "");
  CHECK(chunkid("@/very/long/path/to/some/deeply/nested/directory/of/"
                "modules/module.lua") ==
        "...th/to/some/deeply/nested/directory/of/modules/module.lua");
  CHECK(chunkid("@" + std::string(58, 'c') + "Z") ==
        std::string(58, 'c') + "Z");
  CHECK(chunkid("@" + std::string(59, 'c') + "Z") ==
        "..." + std::string(55, 'c') + "Z");
}

TEST_CASE("luaO_chunkid wraps string sources in [string \"...\"]",
          "[lobject]") {
  CHECK(chunkid("print('hello world')") == "[string \"print('hello world')\"]");
  CHECK(chunkid("") == "[string \"\"]");
  CHECK(chunkid("x=") == "[string \"x=\"]");
}

TEST_CASE("luaO_chunkid cuts string sources at the first newline",
          "[lobject]") {
  CHECK(chunkid("local x = 1\nreturn x") == "[string \"local x = 1...\"]");
  CHECK(chunkid("\n") == "[string \"...\"]");
}

TEST_CASE("luaO_chunkid cuts string sources of 45 characters or more",
          "[lobject]") {
  // lua5.4 keeps 44 characters whole, and marks a 45-character source with
  // "..." even though nothing of it was dropped.
  std::string s44(44, 's'), s45(45, 's');
  CHECK(chunkid(s44) == "[string \"" + s44 + "\"]");
  CHECK(chunkid(s45) == "[string \"" + s45 + "...\"]");
  CHECK(chunkid(s45 + "tail") == "[string \"" + s45 + "...\"]");
  CHECK(chunkid(std::string(200, 's')).size() == LUA_IDSIZE - 1);
}
