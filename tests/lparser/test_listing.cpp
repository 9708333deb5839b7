// Chapter 7: the listing. Each chunk luac5.4 compiles from the corpus is
// loaded here and listed by luaU_print, and luac5.4 lists the same chunk
// file; the two must agree function by function (lprint's invariant SAME).
// Addresses are the only thing allowed to differ: each is replaced by its
// order of first appearance, so a CLOSURE's comment must still name the
// function listed at that place.
#include <catch2/catch.hpp>

#include "lparser/lopcodes.hpp"
#include "tests/lparser/test_dump_support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

// Compares our listing of `chunk` with luac5.4's, function by function.
void compare(const fs::path& chunk, bool full, Share& share) {
  State s;
  REQUIRE(undump(s.L, readfile(chunk)).status == LUA_OK);
  const std::string ours = numberaddresses(listing(topproto(s.L), full));
  Run theirs = run(shellquote(kLuac) + (full ? " -p -l -l " : " -p -l ") +
                   shellquote(chunk.string()));
  REQUIRE(theirs.status == 0);
  const auto a = functions(ours), b = functions(numberaddresses(theirs.out));
  CHECK(a.size() == b.size());
  for (std::size_t i = 0; i < a.size() && i < b.size(); i++) {
    share.total++;
    if (a[i] == b[i]) {
      share.same++;
    } else {
      INFO("function " << i << " of " << chunk);
      CHECK(a[i] == b[i]);
    }
  }
  CHECK(s.close() == 0);
}

}  // namespace

TEST_CASE("the listing of every corpus function matches luac5.4 -l -l",
          "[lparser]") {
  if (!haveoracle()) {
    WARN("luac5.4 not found: listing comparison skipped");
    return;
  }
  Share full, brief, stripped;
  for (const Compiled& c : compiledcorpus()) {
    compare(c.chunk, true, full);
    compare(c.chunk, false, brief);
    compare(c.stripped, true, stripped);
  }
  for (const auto& [what, sh] :
       {std::pair{"-l -l", full}, std::pair{"-l", brief},
        std::pair{"-l -l, stripped", stripped}}) {
    std::printf("listing (%s): %d of %d functions identical (%.1f%%)\n", what,
                sh.same, sh.total, sh.total ? 100.0 * sh.same / sh.total : 0);
    CHECK(sh.same == sh.total);
    CHECK(sh.total > 20);
  }
}

TEST_CASE("the listing marks what corrupt code refers to but cannot show",
          "[lparser]") {
  State s;
  Proto* f = newproto(s.L);
  f->code = luaM_newvector<Instruction>(s.L, 4);
  f->sizecode = 4;
  f->code[0] = CREATE_ABx(OP_LOADK, 0, 5);            // no constant 5
  f->code[1] = CREATE_ABCk(OP_GETUPVAL, 0, 3, 0, 0);  // no upvalue 3
  f->code[2] = CREATE_ABx(OP_CLOSURE, 0, 2);          // no function 2
  f->code[3] = CREATE_ABCk(127, 1, 2, 3, 0);          // no opcode 127
  const std::string l = listing(f, true);
  CHECK(l.find("\t1\t[-]\tLOADK    \t0 5\t; ?\n") != std::string::npos);
  CHECK(l.find("\t2\t[-]\tGETUPVAL \t0 3\t; ?\n") != std::string::npos);
  CHECK(l.find("\t3\t[-]\tCLOSURE  \t0 2\t; (nil)\n") != std::string::npos);
  CHECK(l.find("\t4\t[-]\t?        \t\n") != std::string::npos);
}

TEST_CASE(
    "the listing tool lists chunks and sources, and reports errors, "
    "like luac5.4",
    "[lparser]") {
  if (!haveoracle() || compiledcorpus().empty()) return;
  const Compiled& c = compiledcorpus().front();
  const std::string tool = shellquote(LISTING_EXE);
  Run ours = run(tool + " -l -l " + shellquote(c.chunk.string()));
  Run theirs =
      run(shellquote(kLuac) + " -p -l -l " + shellquote(c.chunk.string()));
  CHECK(ours.status == 0);
  CHECK(numberaddresses(ours.out) == numberaddresses(theirs.out));
  ours = run(tool + " -l " + shellquote(c.chunk.string()));
  theirs = run(shellquote(kLuac) + " -p -l " + shellquote(c.chunk.string()));
  CHECK(numberaddresses(ours.out) == numberaddresses(theirs.out));

  // A source file goes through the compiler, as with luac5.4.
  ours = run(tool + " " + shellquote(c.src.string()));
  theirs = run(shellquote(kLuac) + " -p -l -l " + shellquote(c.src.string()));
  CHECK(ours.status == 0);
  CHECK(numberaddresses(ours.out) == numberaddresses(theirs.out));

  TempDir tmp;
  const fs::path cut = tmp.path / "cut.luac";
  writefile(cut, readfile(c.chunk).substr(0, 40));
  ours = run(tool + " " + shellquote(cut.string()) + " 2>&1");
  theirs =
      run(shellquote(kLuac) + " -p -l " + shellquote(cut.string()) + " 2>&1");
  CHECK(ours.status != 0);
  CHECK(ours.out ==
        "listing: " + cut.string() + ": bad binary format (truncated chunk)\n");
  CHECK(theirs.out.substr(theirs.out.find(':')) ==
        ours.out.substr(ours.out.find(':')));
}

TEST_CASE("the stage demo's hand-assembled chunk runs in lua5.4", "[lparser]") {
  Run demo = run(shellquote(STAGE7_EXE));
  REQUIRE(demo.status == 0);
  CHECK(demo.out.find("main <stage7:0,0> (5 instructions at ") !=
        std::string::npos);
  if (!haveoracle()) return;
  // The hex dump sits between the first line and the blank line.
  std::string bytes;
  std::istringstream lines(demo.out);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line) && !line.empty()) {
    std::istringstream hex(line);
    for (unsigned b; hex >> std::hex >> b;) bytes += static_cast<char>(b);
  }
  TempDir tmp;
  writefile(tmp.path / "demo.luac", bytes);
  Run r = run(shellquote(kLua) + " " +
              shellquote((tmp.path / "demo.luac").string()));
  CHECK(r.out == "hello from stage 7\n");
}
