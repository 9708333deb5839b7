// Chapter 7: the lexer, checked against lua5.4 (oracle/lex.txt, made by
// oracle/gen_lex.lua) and by unit cases.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "lgc/lgc.hpp"
#include "lparser/llex.hpp"
#include "tests/ltable/support.hpp"

using namespace lua;

namespace {

struct StringReader {
  const std::string* s;
  bool done = false;
};

const char* readstring(lua_State*, void* ud, std::size_t* size) {
  auto* r = static_cast<StringReader*>(ud);
  if (r->done) return nullptr;
  r->done = true;
  *size = r->s->size();
  return r->s->data();
}

// One token as the tests see it.
struct Tok {
  int token;
  std::string text;  // string contents, or the numeral's value
};

// Lexes all of `src` as chunk "=t". Returns LUA_OK and the tokens, or the
// error status with the message in `err`.
struct Lexed {
  int status;
  std::vector<Tok> toks;
  std::string err;
};

std::string numtext(const Token& t) {
  char buff[64];
  if (t.token == TK_INT)
    std::snprintf(buff, sizeof buff, "%lld", t.seminfo.i);
  else
    std::snprintf(buff, sizeof buff, "%a", t.seminfo.r);
  return buff;
}

Lexed lexall(const std::string& src) {
  test::Heap heap;
  lua_State* L = luaC_openstate(test::Heap::alloc, &heap);
  REQUIRE(L != nullptr);
  luaX_init(L);
  Lexed out{LUA_OK, {}, {}};
  StkId base = L->top;
  LuaError e;
  Mbuffer buff;  // outside the protected part: freed whatever happens
  luaZ_initbuffer(L, &buff);
  out.status = luaM_runprotected(
      [&] {
        ZIO z;
        StringReader r{&src};
        luaZ_init(L, &z, readstring, &r);
        LexState ls;
        ls.buff = &buff;
        ls.h = luaH_new(L);
        sethvalue2s(L, L->top, ls.h);  // anchor the string table
        L->top++;
        TString* source = luaS_new(L, "=t");
        setsvalue2s(L, L->top, source);  // anchored, as a Proto would
        L->top++;
        luaX_setinput(L, &ls, &z, source, zgetc(&z));
        for (luaX_next(&ls); ls.t.token != TK_EOS; luaX_next(&ls)) {
          Tok t{ls.t.token, {}};
          if (t.token == TK_STRING || t.token == TK_NAME)
            t.text.assign(getstr(ls.t.seminfo.ts), tsslen(ls.t.seminfo.ts));
          else if (t.token == TK_INT || t.token == TK_FLT)
            t.text = numtext(ls.t);
          out.toks.push_back(t);
        }
      },
      &e);
  luaZ_freebuffer(L, &buff);
  if (out.status != LUA_OK) {
    // The message is on the stack, as Lua leaves it (chapter 7 has no
    // error object handling yet: the fallback exception carries none).
    REQUIRE(L->top > base);
    REQUIRE(ttisstring(s2v(L->top - 1)));
    out.err = svalue(s2v(L->top - 1));
  }
  L->top = base;
  luaC_closestate(L);
  CHECK(heap.held == 0);  // even after an error, nothing leaks
  return out;
}

std::string unhex(const std::string& h) {
  std::string s;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    s += static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16));
  return s;
}

std::string tohex(const std::string& s) {
  std::string h;
  char b[3];
  for (unsigned char c : s) {
    std::snprintf(b, sizeof b, "%02x", c);
    h += b;
  }
  return h;
}

// Messages that only the lexer produces; others come from the parser or
// from running the chunk, which this chapter's lexer test cannot see.
bool lexical(const std::string& msg) {
  for (const char* m :
       {"escape", "UTF-8", "missing '", "hexadecimal digit", "unfinished",
        "invalid long string delimiter", "malformed number"})
    if (msg.find(m) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the lexer reads literals and reports lexical errors as lua5.4",
          "[lparser]") {
  std::ifstream in(LPARSER_ORACLE_DIR "/lex.txt");
  REQUIRE(in.good());
  int checked = 0;
  for (std::string line; std::getline(in, line);) {
    std::size_t sp = line.find(' ');
    std::string src = "return " + unhex(line.substr(0, sp));
    std::string rest = line.substr(sp + 1);
    INFO("case: " << src);
    Lexed got = lexall(src);
    if (rest.rfind("err ", 0) == 0 && lexical(rest.substr(4))) {
      CHECK(got.status == LUA_ERRSYNTAX);
      CHECK(got.err == rest.substr(4));
    } else if (rest.rfind("ok ", 0) == 0 && got.toks.size() == 2) {
      // "return <one literal>": the literal's value must agree.
      REQUIRE(got.status == LUA_OK);
      const Tok& t = got.toks[1];
      std::string kind = rest.substr(3, rest.find(' ', 3) - 3);
      std::string value = rest.substr(rest.find(' ', 3) + 1);
      if (kind == "string") {
        CHECK(t.token == TK_STRING);
        CHECK(tohex(t.text) == value);
      } else if (kind == "integer") {
        CHECK(t.token == TK_INT);
        CHECK(t.text == value);
      } else if (kind == "float") {
        CHECK(t.token == TK_FLT);
        CHECK(t.text == value);
      }
    } else {
      CHECK(got.status == LUA_OK);  // a parser or runtime matter
    }
    checked++;
  }
  CHECK(checked >= 80);
}

TEST_CASE("the lexer turns a chunk into Lua's tokens", "[lparser]") {
  Lexed got = lexall(
      "local function f(a, ...) return a // 2 ~= b .. c end -- comment\n"
      "::top:: goto top; x = {1, 2.5, 'str', [[long]]} #t <= 3 >> 1");
  REQUIRE(got.status == LUA_OK);
  std::vector<int> want = {
      TK_LOCAL,  TK_FUNCTION, TK_NAME,   '(',     TK_NAME, ',',
      TK_DOTS,   ')',         TK_RETURN, TK_NAME, TK_IDIV, TK_INT,
      TK_NE,     TK_NAME,     TK_CONCAT, TK_NAME, TK_END,  TK_DBCOLON,
      TK_NAME,   TK_DBCOLON,  TK_GOTO,   TK_NAME, ';',     TK_NAME,
      '=',       '{',         TK_INT,    ',',     TK_FLT,  ',',
      TK_STRING, ',',         TK_STRING, '}',     '#',     TK_NAME,
      TK_LE,     TK_INT,      TK_SHR,    TK_INT};
  REQUIRE(got.toks.size() == want.size());
  for (std::size_t i = 0; i < want.size(); i++) {
    INFO("token " << i);
    CHECK(got.toks[i].token == want[i]);
  }
  CHECK(got.toks[2].text == "f");
  CHECK(got.toks[30].text == "str");
  CHECK(got.toks[32].text == "long");
}

TEST_CASE("the lexer counts lines across every kind of line break",
          "[lparser]") {
  // a(1) b(2) c(3) d(4) e(5), two more breaks: the string opens on 7.
  Lexed bad = lexall("a\nb\r\nc\n\rd\re\n\n\"open");
  REQUIRE(bad.status == LUA_ERRSYNTAX);
  CHECK(bad.err == "t:7: unfinished string near <eof>");
}

TEST_CASE("reserved words carry their token in the string's extra field",
          "[lparser]") {
  Lexed got = lexall("while whilst _ENV nil");
  REQUIRE(got.status == LUA_OK);
  REQUIRE(got.toks.size() == 4);
  CHECK(got.toks[0].token == TK_WHILE);
  CHECK(got.toks[1].token == TK_NAME);
  CHECK(got.toks[2].token == TK_NAME);
  CHECK(got.toks[3].token == TK_NIL);
}

TEST_CASE("a token longer than any buffer is read whole", "[lparser]") {
  std::string big(100000, 'x');
  Lexed got = lexall("'" + big + "'");
  REQUIRE(got.status == LUA_OK);
  REQUIRE(got.toks.size() == 1);
  CHECK(got.toks[0].text == big);
}
