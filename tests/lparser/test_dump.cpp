// Chapter 7: binary chunks. The format is checked byte by byte against
// the oracle: chunks written by luac5.4 load here and dump back to the
// same bytes, chunks dumped here run in lua5.4, and damaged chunks get
// lua5.4's messages. The fuzzing is in test_dump_fuzz.cpp.
#include <catch2/catch.hpp>
#include <climits>

#include "lparser/lparser.hpp"
#include "tests/lparser/test_dump_support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

// The header, built from the constants rather than by the dumper.
std::string header() {
  std::string h = LUA_SIGNATURE;
  h += static_cast<char>(LUAC_VERSION);
  h += static_cast<char>(LUAC_FORMAT);
  h += LUAC_DATA;
  h += "\x04\x08\x08";
  const lua_Integer i = LUAC_INT;
  const lua_Number n = LUAC_NUM;
  h.append(reinterpret_cast<const char*>(&i), sizeof i);
  h.append(reinterpret_cast<const char*>(&n), sizeof n);
  return h;
}

// The parts of a function in a chunk, each already encoded; the defaults
// make an empty function with no debug information.
struct Fn {
  std::string source = "\x80";
  std::string lines = "\x80\x80";
  std::string flags = std::string("\x00\x00\x02", 3);
  std::string code = "\x80";
  std::string k = "\x80";
  std::string upvalues = "\x80";
  std::string protos = "\x80";
  std::string debug = "\x80\x80\x80\x80";
  std::string bytes() const {
    return source + lines + flags + code + k + upvalues + protos + debug;
  }
};

std::string chunk(const Fn& f, int nupvalues = 0) {
  return header() + static_cast<char>(nupvalues) + f.bytes();
}

// Loads `bytes` in a fresh state and returns the outcome, checking that
// nothing leaks.
Result loadonly(const std::string& bytes, const char* name = "=x") {
  State s;
  Result r = undump(s.L, bytes, name);
  CHECK(s.close() == 0);
  return r;
}

std::string badformat(const char* why) {
  return std::string("x: bad binary format (") + why + ")";
}

// lua5.4's string.dump of the function loaded from file `chunk`.
std::string redump(const fs::path& chunk) {
  static TempDir tmp;
  const fs::path script = tmp.path / "redump.lua", out = tmp.path / "out";
  writefile(script,
            "local f = assert(load(assert(io.open(arg[1], 'rb')):read('a')))\n"
            "local o = assert(io.open(arg[2], 'wb'))\n"
            "o:write(string.dump(f)) o:close()\n");
  run(shellquote(kLua) + " " + shellquote(script.string()) + " " +
      shellquote(chunk.string()) + " " + shellquote(out.string()));
  return readfile(out);
}

}  // namespace

TEST_CASE("luaU_dump writes lua5.4's header and an empty function",
          "[lparser]") {
  State s;
  Proto* f = newproto(s.L);
  Fn empty;
  empty.flags = std::string(3, '\0');  // no parameters, no vararg, no stack
  CHECK(dump(s.L, f, false) == chunk(empty));
  CHECK(header().size() == 31);
  if (haveoracle()) {
    Run r = run(shellquote(kLua) +
                " -e \"io.write(string.dump(function() end):sub(1, 31))\"");
    CHECK(r.out == header());
  }
}

TEST_CASE("sizes are 7-bit groups, most significant first, the last marked",
          "[lparser]") {
  const std::pair<int, std::string> cases[] = {
      {0, "\x80"},
      {1, "\x81"},
      {127, "\xff"},
      {128, std::string("\x01\x80")},
      {300, "\x02\xac"},
      {16384, std::string("\x01\x00\x80", 3)},
      {INT_MAX, "\x07\x7f\x7f\x7f\xff"}};
  for (const auto& [value, bytes] : cases) {
    State s;
    Proto* f = newproto(s.L);
    f->linedefined = value;
    std::string d = dump(s.L, f, false);
    INFO("value " << value);
    CHECK(d.substr(33, bytes.size()) == bytes);  // after header, nup, source
    CHECK(bytes == varint(static_cast<std::uint64_t>(value)));
  }
}

TEST_CASE("the loader takes ints up to lua5.4's limit, 127 below INT_MAX",
          "[lparser]") {
  Fn f;
  f.lines = varint(2147483519) + "\x80";
  State s;
  Result r = undump(s.L, chunk(f));
  REQUIRE(r.status == LUA_OK);
  CHECK(topproto(s.L)->linedefined == 2147483519);
  f.lines = varint(2147483520) + "\x80";
  CHECK(loadonly(chunk(f)).msg == badformat("integer overflow"));
  f.lines = varint(INT_MAX) + "\x80";
  CHECK(loadonly(chunk(f)).msg == badformat("integer overflow"));
  f.source = "\x02\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\xff";  // past size_t
  CHECK(loadonly(chunk(f)).msg == badformat("integer overflow"));
}

TEST_CASE("each damaged header field gets lua5.4's message", "[lparser]") {
  const std::string good = chunk(Fn{});
  REQUIRE(loadonly(good).status == LUA_OK);
  auto why = [](std::size_t i) -> const char* {
    if (i <= 3) return "not a binary chunk";
    if (i == 4) return "version mismatch";
    if (i == 5) return "format mismatch";
    if (i <= 11) return "corrupted chunk";
    if (i == 12) return "Instruction size mismatch";
    if (i == 13) return "lua_Integer size mismatch";
    if (i == 14) return "lua_Number size mismatch";
    if (i <= 22) return "integer format mismatch";
    return "float format mismatch";
  };
  for (std::size_t i = 1; i < 31; i++) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] + 1);
    INFO("byte " << i);
    Result r = loadonly(bad);
    CHECK(r.status == LUA_ERRSYNTAX);
    CHECK(r.msg == badformat(why(i)));
  }
}

TEST_CASE("every truncation of a chunk is a truncated chunk", "[lparser]") {
  Fn f;
  f.source = varint(7) + "@t.lua";
  f.code = varint(1) + std::string("\x46\x00\x01\x01", 4);  // RETURN 0 1 1
  f.k = varint(2) + "\x13" + std::string(8, '\x01') + "\x14" + varint(42) +
        std::string(41, 'L');
  f.debug = varint(1) + "\x01" + varint(1) + "\x80\x81" + "\x80\x80";
  const std::string full = chunk(f);
  REQUIRE(loadonly(full).status == LUA_OK);
  for (std::size_t n = 1; n < full.size(); n++) {
    INFO("length " << n);
    Result r = loadonly(full.substr(0, n));
    CHECK(r.status == LUA_ERRSYNTAX);
    CHECK(r.msg == badformat("truncated chunk"));
  }
}

TEST_CASE("messages name the chunk as lua5.4 does", "[lparser]") {
  const std::string bad = chunk(Fn{}).substr(0, 20);
  CHECK(loadonly(bad, "@dir/file.luac").msg ==
        "dir/file.luac: bad binary format (truncated chunk)");
  CHECK(loadonly(bad, "=name").msg ==
        "name: bad binary format (truncated chunk)");
  CHECK(loadonly(bad, bad.c_str()).msg ==
        "binary string: bad binary format (truncated chunk)");
  CHECK(loadonly(bad, "plain").msg ==
        "plain: bad binary format (truncated chunk)");
}

TEST_CASE("constants: a missing string is an error, an unknown tag is nil",
          "[lparser]") {
  Fn f;
  f.k = varint(1) + "\x04" + varint(0);
  CHECK(loadonly(chunk(f)).msg == badformat("bad format for constant string"));
  f.k = varint(3) + "\x07" + "\x01" + "\x11";  // unknown, false, true
  State s;
  REQUIRE(undump(s.L, chunk(f)).status == LUA_OK);
  const Proto* p = topproto(s.L);
  REQUIRE(p->sizek == 3);
  CHECK(ttisnil(&p->k[0]));
  CHECK(ttisfalse(&p->k[1]));
  CHECK(ttistrue(&p->k[2]));
}

TEST_CASE("upvalue names: all, some or none, and extra ones are dropped",
          "[lparser]") {
  auto names = [](int nupvalues, int nnames) {
    Fn f;
    f.upvalues = varint(static_cast<std::uint64_t>(nupvalues));
    for (int i = 0; i < nupvalues; i++) f.upvalues += std::string(3, '\x01');
    f.debug = "\x80\x80\x80" + varint(static_cast<std::uint64_t>(nnames));
    for (int i = 0; i < nnames; i++) f.debug += varint(3) + "u" + char('a' + i);
    return chunk(f, nupvalues);
  };
  State s;
  REQUIRE(undump(s.L, names(2, 2)).status == LUA_OK);
  CHECK(std::string(getstr(topproto(s.L)->upvalues[1].name)) == "ub");
  REQUIRE(undump(s.L, names(2, 1)).status == LUA_OK);
  CHECK(std::string(getstr(topproto(s.L)->upvalues[0].name)) == "ua");
  CHECK(topproto(s.L)->upvalues[1].name == nullptr);
  REQUIRE(undump(s.L, names(2, 0)).status == LUA_OK);
  CHECK(topproto(s.L)->upvalues[0].name == nullptr);
  // lua5.4.4 writes the third name past the vector (and crashes).
  REQUIRE(undump(s.L, names(2, 3)).status == LUA_OK);
  CHECK(std::string(getstr(topproto(s.L)->upvalues[1].name)) == "ub");
  CHECK(undump(s.L, names(0, 1)).status == LUA_OK);
  CHECK(check_heap(G(s.L)) == 0);
}

TEST_CASE("functions nested too deeply raise C stack overflow", "[lparser]") {
  // Each level opens a function whose one nested function is the next
  // level, and closes it after its nested functions.
  auto nested = [](int depth) {
    const Fn level;
    const std::string open = level.source + level.lines + level.flags +
                             level.code + level.k + level.upvalues + varint(1);
    std::string bytes = header() + '\0';
    for (int i = 0; i < depth; i++) bytes += open;
    bytes += Fn{}.bytes();
    for (int i = 0; i < depth; i++) bytes += level.debug;
    return bytes;
  };
  State s;
  const std::uint32_t ncalls = s.L->nCcalls;
  CHECK(undump(s.L, nested(150)).status == LUA_OK);
  CHECK(s.L->nCcalls == ncalls);
  Result r = undump(s.L, nested(5000));
  CHECK(r.status == LUA_ERRRUN);
  CHECK(r.msg == "C stack overflow");
}

TEST_CASE("sizes the input does not back fail early, with little memory",
          "[lparser]") {
  const std::uint64_t huge = 1ull << 60;
  const std::uint64_t maxint = 2147483519;  // the largest loadable int
  std::vector<std::pair<const char*, Fn>> cases;
  Fn f;
  f.source = varint(huge);
  cases.push_back({"source of 2^60 bytes", f});
  f = Fn{};
  f.code = varint(maxint);
  cases.push_back({"2^31 instructions", f});
  f = Fn{};
  f.k = varint(maxint) + "\x00\x13";
  cases.push_back({"2^31 constants", f});
  f = Fn{};
  f.k = varint(1) + "\x14" + varint(huge);
  cases.push_back({"a long string of 2^60 bytes", f});
  f = Fn{};
  f.upvalues = varint(maxint) + "\x01\x01\x01";
  cases.push_back({"2^31 upvalues", f});
  f = Fn{};
  f.protos = varint(maxint) + Fn{}.bytes();
  cases.push_back({"2^31 functions", f});
  f = Fn{};
  f.debug = varint(maxint) + "\x01";
  cases.push_back({"2^31 line deltas", f});
  f = Fn{};
  f.debug = "\x80" + varint(maxint) + "\x81\x81";
  cases.push_back({"2^31 absolute lines", f});
  f = Fn{};
  f.debug = "\x80\x80" + varint(maxint) + varint(3) + "ab\x80\x80";
  cases.push_back({"2^31 locals", f});
  for (const auto& [what, fn] : cases) {
    INFO(what);
    State s;
    const std::size_t base = s.h.heap.held;
    Result r = undump(s.L, chunk(fn));
    CHECK(r.msg == badformat("truncated chunk"));
    CHECK(s.h.peak - base < 64 * 1024);  // invariant BOUNDED
    CHECK(s.close() == 0);
  }
}

TEST_CASE(
    "a failing writer is never called again; luaU_dump returns its "
    "status",
    "[lparser]") {
  State s;
  Proto* f = newproto(s.L);
  struct Count {
    int calls = 0;
  } count;
  auto failthird = [](lua_State*, const void*, std::size_t, void* ud) {
    return ++static_cast<Count*>(ud)->calls == 3 ? 7 : 0;
  };
  CHECK(luaU_dump(s.L, f, failthird, &count, 0) == 7);
  CHECK(count.calls == 3);
}

TEST_CASE("luac5.4's chunks load and dump back to the same bytes",
          "[lparser]") {
  if (!haveoracle()) {
    WARN("luac5.4 or lua5.4 not found: oracle cases skipped");
    return;
  }
  int same = 0;
  for (const Compiled& c : compiledcorpus()) {
    INFO(c.src);
    const std::string chunk = readfile(c.chunk);
    const std::string stripped = readfile(c.stripped);
    REQUIRE(!chunk.empty());
    REQUIRE(!stripped.empty());
    State s;
    REQUIRE(undump(s.L, chunk).status == LUA_OK);
    CHECK(dump(s.L, topproto(s.L), false) == chunk);
    CHECK(dump(s.L, topproto(s.L), true) == stripped);
    // Dumped again with debug information, a stripped chunk gains one null
    // name per upvalue: compare with lua5.4's string.dump of it.
    REQUIRE(undump(s.L, stripped).status == LUA_OK);
    CHECK(dump(s.L, topproto(s.L), false) == redump(c.stripped));
    CHECK(dump(s.L, topproto(s.L), true) == stripped);
    same += dump(s.L, topproto(s.L), true) == stripped;
    CHECK(s.close() == 0);
  }
  std::printf("dump: %d of %zu luac5.4 chunks dumped back byte for byte\n",
              same, compiledcorpus().size());
  CHECK(same == static_cast<int>(compiledcorpus().size()));
}

TEST_CASE("a chunk loaded from our dump equals the original, field by field",
          "[lparser]") {
  for (const Compiled& c : compiledcorpus()) {
    INFO(c.src);
    State s;
    REQUIRE(undump(s.L, readfile(c.chunk)).status == LUA_OK);
    const Proto* f = topproto(s.L);
    const std::string d = dump(s.L, f, false);
    const std::string ds = dump(s.L, f, true);
    REQUIRE(undump(s.L, d).status == LUA_OK);
    CHECK(describe(topproto(s.L)) == describe(f));
    REQUIRE(undump(s.L, ds).status == LUA_OK);
    const std::string strippedours = describe(topproto(s.L));
    REQUIRE(undump(s.L, readfile(c.stripped)).status == LUA_OK);
    CHECK(strippedours == describe(topproto(s.L)));
    CHECK(strippedours.find("lineinfo\n") != std::string::npos);
  }
}

TEST_CASE("loading survives collections at every call of the reader",
          "[lparser]") {
  for (const Compiled& c : compiledcorpus()) {
    INFO(c.src);
    const std::string chunk = readfile(c.chunk);
    const bool small = chunk.size() < 20000;
    State s;
    REQUIRE(undump(s.L, chunk).status == LUA_OK);
    const std::string want = describe(topproto(s.L));
    s.L->top--;
    for (int mode = 0; mode < 2; mode++) {
      Feed feed{&chunk};
      feed.seed = 12345u + static_cast<unsigned>(mode);
      feed.block = small ? 8 : 4096;
      feed.fullgc = small && mode == 0;
      feed.gcsteps = mode == 0 ? 1 : 3;
      feed.checkheap = small;
      REQUIRE(undump(s.L, feed, "=x").status == LUA_OK);
      CHECK(describe(topproto(s.L)) == want);
      CHECK(feed.heaperrors == 0);
      s.L->top--;
      luaC_fullgc(s.L, 0);
      CHECK(check_heap(G(s.L)) == 0);
    }
    CHECK(s.close() == 0);
  }
}

TEST_CASE("a failed allocation anywhere in a load is LUA_ERRMEM, no leak",
          "[lparser]") {
  if (compiledcorpus().empty()) return;
  const std::string chunk = readfile(compiledcorpus()[1].chunk);
  REQUIRE(!chunk.empty());
  int failures = 0;
  for (long k = 0;; k++) {
    State s;
    s.h.heap.refuse_after = k;
    Result r = undump(s.L, chunk);
    s.h.heap.refuse_after = -1;
    INFO("allocations allowed: " << k);
    REQUIRE((r.status == LUA_OK || r.status == LUA_ERRMEM));
    if (r.status == LUA_ERRMEM) {
      CHECK(r.msg == "not enough memory");
      failures++;
    }
    CHECK(check_heap(G(s.L)) == 0);
    CHECK(s.close() == 0);
    if (r.status == LUA_OK) break;
  }
  CHECK(failures > 10);
}

TEST_CASE(
    "an emergency collection at any allocation of a load changes "
    "nothing",
    "[lparser]") {
  // A refused request makes the memory manager collect and retry: every
  // object the loader has made must be reachable at every allocation.
  // (The fail_first_alloc build does this at every allocation anyway.)
  if (compiledcorpus().empty() || kCollectEveryAlloc) return;
  const std::string chunk = readfile(compiledcorpus()[1].chunk);
  std::string want;
  {
    State s;
    REQUIRE(undump(s.L, chunk).status == LUA_OK);
    want = describe(topproto(s.L));
  }
  long k = 1;
  for (;; k++) {
    State s;
    s.h.requests = 0;
    s.h.failat = k;
    INFO("refused request " << k);
    REQUIRE(undump(s.L, chunk).status == LUA_OK);
    CHECK(describe(topproto(s.L)) == want);
    CHECK(check_heap(G(s.L)) == 0);
    if (s.h.requests < k) break;  // the load made fewer requests
  }
  CHECK(k > 50);
}

TEST_CASE("lua5.4 runs our dumps and prints what the sources print",
          "[lparser]") {
  // Some corpus programs stop with a runtime error on purpose (they exist
  // to be compiled); their messages must agree too. A chunk keeps its
  // source name, so only the stripped one's messages differ ("?:-1:").
  TempDir tmp;
  int same = 0;
  for (const Compiled& c : compiledcorpus()) {
    INFO(c.src);
    State s;
    REQUIRE(undump(s.L, readfile(c.chunk)).status == LUA_OK);
    const fs::path ours = tmp.path / "ours.luac";
    const fs::path oursstripped = tmp.path / "ours-s.luac";
    writefile(ours, dump(s.L, topproto(s.L), false));
    writefile(oursstripped, dump(s.L, topproto(s.L), true));
    auto lua = [](const fs::path& p, const char* redirect) {
      return run(shellquote(kLua) + " " + shellquote(p.string()) + redirect);
    };
    Run want = lua(c.src, " 2>&1"), got = lua(ours, " 2>&1");
    Run wantout = lua(c.src, " 2>/dev/null");
    Run gots = lua(oursstripped, " 2>/dev/null");
    CHECK(got.status == want.status);
    CHECK(numberaddresses(got.out) == numberaddresses(want.out));
    CHECK(gots.status == want.status);
    CHECK(numberaddresses(gots.out) == numberaddresses(wantout.out));
    same += got.status == want.status &&
            numberaddresses(got.out) == numberaddresses(want.out) &&
            gots.status == want.status &&
            numberaddresses(gots.out) == numberaddresses(wantout.out);
  }
  std::printf("dump: lua5.4 ran %d of %zu dumped programs as their sources\n",
              same, compiledcorpus().size());
}

TEST_CASE("sources compiled here dump to luac5.4's bytes and run in lua5.4",
          "[lparser]") {
  TempDir tmp;
  int identical = 0, ran = 0, total = 0;
  for (const Compiled& c : compiledcorpus()) {
    INFO(c.src);
    State s;
    luaX_init(s.L);
    const std::string src = readfile(c.src);
    // Under gc_stress the compiler collects at each of its check points,
    // which makes compiling the generated 1.6 MB program take minutes.
    if (kHardMemTests && src.size() > 100000) continue;
    total++;
    const std::string name = "@" + c.src.string();  // as luac5.4 names it
    REQUIRE(luaY_compile(s.L, src.data(), src.size(), name.c_str()) == LUA_OK);
    const Proto* f = topproto(s.L);
    const std::string d = dump(s.L, f, false);
    CHECK(d == readfile(c.chunk));
    CHECK(dump(s.L, f, true) == readfile(c.stripped));
    identical += d == readfile(c.chunk);
    const fs::path ours = tmp.path / "compiled.luac";
    writefile(ours, d);
    Run want =
        run(shellquote(kLua) + " " + shellquote(c.src.string()) + " 2>&1");
    Run got = run(shellquote(kLua) + " " + shellquote(ours.string()) + " 2>&1");
    CHECK(got.status == want.status);
    CHECK(numberaddresses(got.out) == numberaddresses(want.out));
    ran += got.status == want.status &&
           numberaddresses(got.out) == numberaddresses(want.out);
    CHECK(s.close() == 0);
  }
  std::printf(
      "dump: %d of %d sources compiled here dump to luac5.4's bytes; "
      "lua5.4 ran %d as their sources\n",
      identical, total, ran);
}
