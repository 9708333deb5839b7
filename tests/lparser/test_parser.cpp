// Chapter 7: the compiler, checked against luac5.4. Every program of the
// corpus (tests/lparser/corpus) and a set of random programs (written at
// test time by oracle/gen_programs.lua) is compiled by luaY_compile and by
// luac5.4; the two listings (luaU_print and `luac5.4 -l -l`) must agree
// function by function, addresses aside. Unit cases cover nesting limits,
// memory errors and the stack contract of luaY_compile.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "lparser/lopcodes.hpp"
#include "tests/lparser/parser_support.hpp"

using namespace lua;
using namespace lua::test;
namespace fs = std::filesystem;

namespace {

const std::string kLuaPath = LUA54_PATH;

// Compiles `file` with both compilers and compares their listings function
// by function.
void compare(const fs::path& file, Share& share) {
  const std::string path = file.string();
  INFO("program " << path);
  Outcome ours = compilefresh(readfile(path), ("@" + path).c_str());
  std::string theirs;
  int st =
      runcmd(shellquote(kLuacPath) + " -l -l -p " + shellquote(path), theirs);
  if (st != 0) {  // luac5.4 rejected it: so must we, with its words
    CHECK(ours.status == LUA_ERRSYNTAX);
    CHECK(kLuacPath + ": " + ours.text + "\n" == theirs);
    return;
  }
  REQUIRE(ours.status == LUA_OK);
  const auto a = functions(normalize(ours.text));
  const auto b = functions(normalize(theirs));
  CHECK(a.size() == b.size());
  for (std::size_t i = 0; i < a.size() && i < b.size(); i++) {
    share.total++;
    if (a[i] == b[i]) {
      share.same++;
    } else {
      INFO("function " << i);
      CHECK(a[i] == b[i]);
    }
  }
}

std::vector<fs::path> luafiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".lua") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

void report(const char* what, const Share& share) {
  std::printf("bytecode (%s): %d of %d functions identical to luac5.4\n", what,
              share.same, share.total);
}

}  // namespace

TEST_CASE("every corpus program compiles to luac5.4's bytecode", "[lparser]") {
  if (kLuacPath.empty()) {
    WARN("luac5.4 not found: bytecode comparison skipped");
    return;
  }
  Share share;
  auto files = luafiles(LPARSER_CORPUS_DIR);
  REQUIRE(files.size() >= 15);
  for (const auto& f : files) compare(f, share);
  report("corpus", share);
  CHECK(share.same == share.total);
  CHECK(share.total > 100);
}

TEST_CASE("random programs compile to luac5.4's bytecode", "[lparser]") {
  if (kLuacPath.empty() || kLuaPath.empty()) {
    WARN("lua5.4 or luac5.4 not found: random programs skipped");
    return;
  }
  fs::path dir = fs::temp_directory_path() /
                 ("lparser-random-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string out;
  int st = runcmd(shellquote(kLuaPath) + " " +
                      shellquote(LPARSER_ORACLE_DIR "/gen_programs.lua") + " " +
                      shellquote(dir.string()) + " 40 20240607",
                  out);
  REQUIRE(st == 0);
  Share share;
  for (const auto& f : luafiles(dir)) compare(f, share);
  fs::remove_all(dir);
  report("random programs", share);
  CHECK(share.same == share.total);
  CHECK(share.total > 200);
}

TEST_CASE("functions too big for short operands compile as luac5.4's",
          "[lparser]") {
  if (kLuacPath.empty()) {
    WARN("luac5.4 not found: big functions skipped");
    return;
  }
#ifdef LUAI_HARDMEMTESTS
  // Under GC stress every check point runs a full collection over a heap
  // that holds 140000 constants: quadratic, hours. The normal, ASan and
  // fail-first builds cover these functions.
  WARN("gc_stress build: big functions skipped");
  return;
#endif
  fs::path dir =
      fs::temp_directory_path() / ("lparser-big-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  // More constants than Bx can index: LOADKX with EXTRAARG.
  std::string k = "local t = {";
  for (int i = 0; i < 140000; i++) k += "'s" + std::to_string(i) + "', ";
  write("loadkx.lua", k + "}\nlocal x = t[1] + 1.5\nt.zz = 's139999'\n");
  // A loop body longer than FORPREP's Bx, and one just under it.
  auto loop = [](const char* head, int n) {
    std::string s = std::string(head) + "\n";
    for (int i = 0; i < n; i++) s += "  x = i\n";
    return s + "end\n";
  };
  write("fortoolong.lua", loop("for i = 1, 2 do", 132000));
  write("forlong.lua", loop("for i = 1, 2 do", 131000));
  write("whilelong.lua", loop("while i do", 140000));
  Share share;
  for (const auto& f : luafiles(dir)) compare(f, share);
  fs::remove_all(dir);
  report("big functions", share);
  CHECK(share.same == share.total);
}

TEST_CASE("luaY_compile leaves the main closure on the stack", "[lparser]") {
  CompilerState s;
  lua_State* L = s.L;
  StkId base = L->top;
  REQUIRE(luaY_compile(L, "return ...", 10, "=t") == LUA_OK);
  REQUIRE(L->top == base + 1);
  REQUIRE(ttisLclosure(s2v(base)));
  LClosure* cl = clLvalue(s2v(base));
  CHECK(cl->nupvalues == 1);
  REQUIRE(cl->upvals()[0] != nullptr);  // initialised, closed, nil
  CHECK(ttisnil(cl->upvals()[0]->v));
  const Proto* p = cl->p;
  CHECK(p->is_vararg == 1);
  CHECK(p->numparams == 0);
  CHECK(p->sizeupvalues == 1);
  CHECK(std::string(getstr(p->upvalues[0].name)) == "_ENV");
  CHECK(p->upvalues[0].instack == 1);
  CHECK(std::string(getstr(p->source)) == "=t");
  REQUIRE(p->sizecode == 4);  // and the final RETURN
  CHECK(GET_OPCODE(p->code[0]) == OP_VARARGPREP);
  CHECK(GET_OPCODE(p->code[1]) == OP_VARARG);
  CHECK(GET_OPCODE(p->code[2]) == OP_RETURN);
  L->top = base;
  CHECK(s.close() == 0);
}

TEST_CASE("check_code counts a jump that leaves the code", "[lparser]") {
  CompilerState s;
  lua_State* L = s.L;
  StkId base = L->top;
  const std::string src = "local x = 0 while x < 3 do x = x + 1 end";
  REQUIRE(luaY_compile(L, src.data(), src.size(), "=t") == LUA_OK);
  Proto* p = clLvalue(s2v(base))->p;
  CHECK(check_code(p) == 0);
  int pc = 0;
  while (pc < p->sizecode && GET_OPCODE(p->code[pc]) != OP_JMP) pc++;
  REQUIRE(pc < p->sizecode);
  const Instruction saved = p->code[pc];
  SETARG_sJ(p->code[pc], p->sizecode);  // lands far past the end
  CHECK(check_code(p) == 1);
  p->code[pc] = saved;
  CHECK(check_code(p) == 0);
  L->top = base;
  CHECK(s.close() == 0);
}

TEST_CASE("a syntax error leaves only its message on the stack", "[lparser]") {
  CompilerState s;
  lua_State* L = s.L;
  StkId base = L->top;
  std::uint32_t calls = L->nCcalls;
  const std::string src = "x = = 1";
  REQUIRE(luaY_compile(L, src.data(), src.size(), "=t") == LUA_ERRSYNTAX);
  REQUIRE(L->top == base + 1);
  CHECK(std::string(svalue(s2v(base))) == "t:1: unexpected symbol near '='");
  CHECK(L->nCcalls == calls);
  L->top = base;
  // the state stays usable
  REQUIRE(luaY_compile(L, "x = 1", 5, "=t") == LUA_OK);
  L->top = base;
  CHECK(s.close() == 0);
}

TEST_CASE("chunk names appear in messages as lua5.4 writes them", "[lparser]") {
  CHECK(compilefresh("x =", "@prog.lua").text ==
        "prog.lua:1: unexpected symbol near <eof>");
  CHECK(compilefresh("x =", "x =").text ==
        "[string \"x =\"]:1: unexpected symbol near <eof>");
  CHECK(compilefresh("\n\nx = }", "=(load)").text ==
        "(load):3: unexpected symbol near '}'");
}

TEST_CASE("the same source compiles to the same listing twice in one state",
          "[lparser]") {
  CompilerState s;
  const std::string src = readfile(LPARSER_CORPUS_DIR "/closures.lua");
  Outcome a = compile(s.L, src, "@a");
  Outcome b = compile(s.L, src, "@a");
  REQUIRE(a.status == LUA_OK);
  CHECK(normalize(a.text) == normalize(b.text));
  CHECK(a.violations == 0);
  CHECK(s.close() == 0);
}

namespace {

std::string repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; i++) r += s;
  return r;
}

// `src` at depth `n` in a state whose C-call count starts at `base`.
Outcome nested(const std::string& src, std::uint32_t base = 0) {
  CompilerState s;
  s.L->nCcalls += base;
  std::uint32_t calls = s.L->nCcalls;
  Outcome out = compile(s.L, src, "=t");
  CHECK(s.L->nCcalls == calls);  // restored after an error too
  s.L->nCcalls -= base;
  CHECK(s.close() == 0);
  return out;
}

}  // namespace

TEST_CASE("deep nesting ends in C stack overflow, never in a crash",
          "[lparser]") {
  const int n = 100000;
  const std::string deep[] = {
      "return " + repeat("(", n) + "1" + repeat(")", n),
      "return " + repeat("- ", n) + "1",
      "return " + repeat("{", n) + repeat("}", n),
      "x = " + repeat("function() return ", n) + "1" + repeat(" end", n),
      repeat("do ", n) + repeat("end ", n),
      repeat("if x then ", n) + repeat("end ", n),
      repeat("a, ", n) + "a = 1",
      "x = " + repeat("a .. ", n) + "a",
      "x = " + repeat("2 ^ ", n) + "2",
      "x = " + repeat("f(", n) + repeat(")", n),
      "x = " + repeat("a[", n) + "1" + repeat("]", n),
      repeat("while x do ", n) + repeat("end ", n),
      repeat("local function f() ", n) + repeat("end ", n),
  };
  for (const std::string& src : deep) {
    INFO(src.substr(0, 40));
    Outcome out = nested(src);
    CHECK(out.status == LUA_ERRRUN);
    CHECK(out.text == "C stack overflow");
  }
}

TEST_CASE("the nesting limit is lua5.4's at the same C-call depth",
          "[lparser]") {
  // lua5.4 running load() from a script is two C calls deep; there it
  // compiles 195 nested parentheses and rejects 196.
  auto parens = [](int k) {
    return "return " + repeat("(", k) + "1" + repeat(")", k);
  };
  CHECK(nested(parens(195), 2).status == LUA_OK);
  Outcome over = nested(parens(196), 2);
  CHECK(over.status == LUA_ERRRUN);
  CHECK(over.text == "C stack overflow");
}

TEST_CASE("a memory error at any allocation leaves nothing behind",
          "[lparser]") {
  const std::string src = readfile(LPARSER_CORPUS_DIR "/gotos.lua") +
                          readfile(LPARSER_CORPUS_DIR "/closures.lua");
  int failures = 0;
  for (long n = 0;; n++) {
    CompilerState s;
    s.heap.refuse_after = n;
    Outcome out = compile(s.L, src, "=t");
    s.heap.refuse_after = -1;
    INFO("allocation " << n);
    CHECK(s.close() == 0);
    if (out.status == LUA_OK) break;
    INFO(out.text);
    REQUIRE(out.status == LUA_ERRMEM);
    CHECK(out.text == "not enough memory");
    failures++;
  }
  CHECK(failures > 50);
}

TEST_CASE("compile-time constants take no register and no debug entry",
          "[lparser]") {
  CompilerState s;
  Outcome out = compile(s.L,
                        "local a <const> = 10\n"
                        "local b <const> = a * 2\n"
                        "local c = b + 1\n"
                        "return c",
                        "=t");
  REQUIRE(out.status == LUA_OK);
  // only `c` is a real local, in register 0, initialised to 21
  CHECK(out.text.find("LOADI    \t0 21") != std::string::npos);
  CHECK(out.text.find("locals (1)") != std::string::npos);
  CHECK(s.close() == 0);
}
