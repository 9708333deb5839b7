// Chapter 5: line information (invariant LINES). luaG_getfuncline is
// checked on prototypes whose `lineinfo` and `abslineinfo` are built here
// the way the compiler builds them (lcode's savelineinfo: a delta per
// instruction, an absolute entry for a jump of 128 lines or more and at
// least every MAXIWTHABS instructions), against the lines they encode and
// against a decoder that scans from instruction 0.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>
#include <vector>

#include "tests/lfunc/support.hpp"

using namespace lua;
using test::State;

namespace {

// Line information as the compiler writes it for the given lines, one per
// instruction. `forced` lists instructions after which the compiler removed
// an instruction and so must start the next one with an absolute entry
// (lcode's removelastlineinfo); here the instruction at each such pc simply
// gets an absolute entry.
struct Encoded {
  int linedefined;
  std::vector<ls_byte> lineinfo;
  std::vector<AbsLineInfo> abslineinfo;
};

Encoded encode(int linedefined, const std::vector<int>& lines,
               const std::vector<int>& forced = {}) {
  Encoded e{linedefined, {}, {}};
  int previous = linedefined;
  int sinceabs = 0;  // instructions since the last absolute entry
  for (int pc = 0; pc < static_cast<int>(lines.size()); pc++) {
    const int delta = lines[pc] - previous;
    bool absolute = std::abs(delta) >= 0x80;
    if (!absolute) absolute = sinceabs++ >= MAXIWTHABS;
    for (int f : forced) absolute = absolute || f == pc;
    if (absolute) {
      e.abslineinfo.push_back(AbsLineInfo{pc, lines[pc]});
      e.lineinfo.push_back(static_cast<ls_byte>(ABSLINEINFO));
      sinceabs = 1;
    } else {
      e.lineinfo.push_back(static_cast<ls_byte>(delta));
    }
    previous = lines[pc];
  }
  return e;
}

// A prototype that owns copies of the encoded vectors (freed with the
// state).
Proto* makeproto(lua_State* L, const Encoded& e) {
  Proto* f = luaF_newproto(L);
  f->linedefined = e.linedefined;
  const int n = static_cast<int>(e.lineinfo.size());
  const int na = static_cast<int>(e.abslineinfo.size());
  f->lineinfo = luaM_newvector<ls_byte>(L, n);
  f->sizelineinfo = n;
  for (int i = 0; i < n; i++) f->lineinfo[i] = e.lineinfo[i];
  f->abslineinfo = luaM_newvector<AbsLineInfo>(L, na);
  f->sizeabslineinfo = na;
  for (int i = 0; i < na; i++) f->abslineinfo[i] = e.abslineinfo[i];
  return f;
}

// The straightforward decoder: walk from instruction 0, restarting at
// each absolute entry, which is found by its pc.
int scanline(const Proto* f, int pc) {
  int line = f->linedefined;
  for (int i = 0; i <= pc; i++) {
    if (f->lineinfo[i] != ABSLINEINFO) {
      line += f->lineinfo[i];
      continue;
    }
    for (int a = 0; a < f->sizeabslineinfo; a++)
      if (f->abslineinfo[a].pc == i) line = f->abslineinfo[a].line;
  }
  return line;
}

// The number of instructions whose line luaG_getfuncline gets wrong,
// compared with both the encoded lines and the scan from instruction 0.
int wronglines(const Proto* f, const std::vector<int>& lines) {
  int wrong = 0;
  for (int pc = 0; pc < static_cast<int>(lines.size()); pc++) {
    const int got = luaG_getfuncline(f, pc);
    if (got != lines[pc] || got != scanline(f, pc)) wrong++;
  }
  return wrong;
}

}  // namespace

TEST_CASE("luaG_getfuncline returns -1 for a function without line info",
          "[lfunc]") {
  State S;
  Proto* f = luaF_newproto(S.L);  // as a stripped chunk loads
  f->linedefined = 7;
  CHECK(luaG_getfuncline(f, 0) == -1);
  CHECK(luaG_getfuncline(f, 5) == -1);
  CHECK(S.close() == 0);
}

TEST_CASE("luaG_getfuncline counts from linedefined before any absolute line",
          "[lfunc]") {
  State S;
  const std::vector<int> lines{50, 50, 51, 53, 52, 52};
  const Encoded e = encode(49, lines);
  REQUIRE(e.abslineinfo.empty());
  Proto* f = makeproto(S.L, e);
  CHECK(wronglines(f, lines) == 0);
  CHECK(luaG_getfuncline(f, -1) == 49);  // before the first instruction
  CHECK(S.close() == 0);
}

TEST_CASE("luaG_getfuncline restarts at the absolute line MAXIWTHABS sets",
          "[lfunc]") {
  State S;
  // Lines advance by 0 to 3 over 5000 instructions: no delta is large, so
  // every absolute entry comes from the MAXIWTHABS spacing.
  std::vector<int> lines;
  for (int pc = 0, line = 1; pc < 5000; pc++, line += pc % 4) {
    lines.push_back(line);
  }
  const Encoded e = encode(0, lines);
  REQUIRE(e.abslineinfo.size() == 5000 / MAXIWTHABS);
  CHECK(e.abslineinfo[0].pc == MAXIWTHABS);
  CHECK(e.abslineinfo[1].pc - e.abslineinfo[0].pc == MAXIWTHABS);
  Proto* f = makeproto(S.L, e);
  CHECK(wronglines(f, lines) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaG_getfuncline follows absolute lines written for big jumps",
          "[lfunc]") {
  State S;
  // 127 lines up or down still fit a delta; 128 need an absolute entry,
  // the first one even at pc 0.
  const std::vector<int> lines{200, 327, 200, 328, 200, 73, 1, 1, 129, 2};
  const Encoded e = encode(0, lines);
  REQUIRE(e.abslineinfo.size() == 4);  // at pcs 0, 3, 4 and 8
  CHECK(e.abslineinfo[0].pc == 0);
  CHECK(e.lineinfo[1] == 127);
  CHECK(e.lineinfo[2] == -127);
  CHECK(e.lineinfo[3] == ABSLINEINFO);
  Proto* f = makeproto(S.L, e);
  CHECK(wronglines(f, lines) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaG_getfuncline handles absolute lines closer than MAXIWTHABS",
          "[lfunc]") {
  State S;
  std::vector<int> lines;
  for (int pc = 0; pc < 600; pc++) lines.push_back(10 + pc / 3);
  // Removed instructions force entries at irregular places, some of them
  // adjacent, so that entries are not where pc / MAXIWTHABS points.
  const Encoded e = encode(10, lines, {5, 6, 7, 100, 101, 250, 251, 599});
  // The 8 forced ones and the spacing's 229, 379 and 507.
  REQUIRE(e.abslineinfo.size() == 11);
  Proto* f = makeproto(S.L, e);
  CHECK(wronglines(f, lines) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE(
    "luaG_getfuncline agrees with a scan from instruction 0 on random "
    "line tables",
    "[lfunc]") {
  State S;
  std::mt19937 rng(20240);
  for (int round = 0; round < 20; round++) {
    std::vector<int> lines;
    std::vector<int> forced;
    int line = static_cast<int>(rng() % 1000);
    const int linedefined = line;
    const int n = 1 + static_cast<int>(rng() % 3000);
    for (int pc = 0; pc < n; pc++) {
      const unsigned r = rng() % 100;
      if (r < 3)
        line += static_cast<int>(rng() % 600) - 300;  // a far jump
      else if (r < 60)
        line += static_cast<int>(rng() % 5);
      if (line < 1) line = 1;
      lines.push_back(line);
      if (rng() % 200 == 0) forced.push_back(pc);
    }
    Proto* f = makeproto(S.L, encode(linedefined, lines, forced));
    INFO("round " << round << ", " << n << " instructions");
    CHECK(wronglines(f, lines) == 0);
  }
  CHECK(S.close() == 0);
}

TEST_CASE("luaG_getfuncline reads no delta at or before its absolute line",
          "[lfunc]") {
  State S;
  std::vector<int> lines;
  for (int pc = 0; pc < 400; pc++) lines.push_back(1 + pc);
  const Encoded e = encode(0, lines);
  REQUIRE(e.abslineinfo.size() == 3);
  Proto* f = makeproto(S.L, e);
  // Poison every delta up to and including the last absolute entry's own
  // byte: a lookup that walked from instruction 0, or through that entry,
  // would now be wrong; one that starts at the entry is not.
  const int lastabs = e.abslineinfo.back().pc;
  for (int pc = 0; pc <= lastabs; pc++) f->lineinfo[pc] = 100;
  for (int pc = lastabs; pc < 400; pc++) {
    INFO("pc " << pc);
    CHECK(luaG_getfuncline(f, pc) == lines[pc]);
  }
  CHECK(scanline(f, lastabs + 1) != lines[lastabs + 1]);  // the poison works
  CHECK(S.close() == 0);
}

TEST_CASE("luaG_getfuncline returns -1 past the line info of a short chunk",
          "[lfunc]") {
  State S;
  const std::vector<int> lines{3, 4, 5};
  Proto* f = makeproto(S.L, encode(1, lines));
  CHECK(luaG_getfuncline(f, 2) == 5);
  CHECK(luaG_getfuncline(f, 3) == -1);  // code longer than its lineinfo
  CHECK(S.close() == 0);
}
