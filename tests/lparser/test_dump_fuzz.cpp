// Chapter 7: the loader against damaged input. Chunks written by luac5.4
// are mutated thousands of times (bit flips, random bytes, truncations,
// insertions, deletions, size fields set to huge or off-by-one values) and
// loaded through readers that cut them into random pieces and run the
// collector between the pieces, or with one allocation refused (which
// makes the memory manager collect and retry). A load must end in a clean
// error or in a prototype that dumps and reloads to itself and can be
// listed; it must never crash, leak, break the heap's invariants or
// allocate much more than its input. Then lua5.4 loads the same chunks
// and must give the same verdicts and messages. The seed is printed;
// LPARSER_FUZZ_SEED picks another.
#include <catch2/catch.hpp>
#include <random>

#include "tests/lparser/test_dump_support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

constexpr int kCases = 6000;        // mutated chunks loaded here
constexpr int kOracleCases = 2000;  // of them, loaded by lua5.4 too

// A varint field of a chunk: where it starts and how many bytes it takes.
struct Field {
  std::size_t pos, len;
};

// Reads a chunk the way the loader does, without building anything, to
// find its varint fields (for targeted mutations) and to tell whether
// lua5.4 would write upvalue names past their vector (such chunks are
// not given to lua5.4). Stops at the end of the input.
struct Walker {
  explicit Walker(const std::string& chunk) : s(chunk) {}
  const std::string& s;
  std::size_t p = 32;  // after the header and the upvalue count
  std::vector<Field> fields;
  bool namesoverflow = false;

  std::uint64_t varint() {
    const std::size_t start = p;
    std::uint64_t x = 0;
    for (;;) {
      if (p >= s.size()) throw p;
      const auto b = static_cast<unsigned char>(s[p++]);
      x = (x << 7) | (b & 0x7fu);
      if (b & 0x80u) break;
    }
    fields.push_back({start, p - start});
    return x;
  }
  void skip(std::uint64_t n) {
    if (n > s.size() - p) throw p;
    p += n;
  }
  void string() {
    const std::uint64_t n = varint();
    if (n > 0) skip(n - 1);
  }
  void function() {
    string();
    varint();
    varint();
    skip(3);
    skip(4 * varint());  // code
    for (std::uint64_t n = varint(); n > 0; n--) constant();
    const std::uint64_t nupvalues = varint();
    skip(3 * nupvalues);
    for (std::uint64_t n = varint(); n > 0; n--) function();
    skip(varint());  // line deltas
    for (std::uint64_t n = varint(); n > 0; n--) varint(), varint();
    for (std::uint64_t n = varint(); n > 0; n--) string(), varint(), varint();
    const std::uint64_t names = varint();
    if (names > nupvalues) namesoverflow = true;
    for (std::uint64_t n = names; n > 0; n--) string();
  }
  void constant() {
    if (p >= s.size()) throw p;
    const int tag = static_cast<unsigned char>(s[p++]);
    if (tag == LUA_VNUMFLT || tag == LUA_VNUMINT) skip(8);
    if (tag == LUA_VSHRSTR || tag == LUA_VLNGSTR) string();
  }
  // Walks as far as the input goes; true when it held a whole function.
  bool walk() {
    try {
      function();
      return true;
    } catch (std::size_t) {
      return false;
    }
  }
};

// One mutation of `c` (byte 0, the signature's escape, is left alone: a
// chunk without it is source text). `fields` are the varints of the
// unmutated chunk.
std::string mutate(std::string c, const std::vector<Field>& fields,
                   std::mt19937& rng) {
  auto pick = [&](std::size_t lo, std::size_t hi) {  // in [lo, hi)
    return lo + rng() % (hi - lo);
  };
  const std::uint64_t sizes[] = {
      0, 1, 2, 127, 128, 2147483519, 1u << 27, 1ull << 40, 1ull << 60};
  switch (rng() % 8) {
    case 0:
      for (int i = 1 + rng() % 3; i > 0; i--)
        c[pick(1, c.size())] ^= static_cast<char>(1 << rng() % 8);
      break;
    case 1:
      c[pick(1, c.size())] = static_cast<char>(rng());
      break;
    case 2:
      c.resize(pick(1, c.size()));
      break;
    case 3: {  // a size or count set to a boundary or absurd value
      const Field f = fields[rng() % fields.size()];
      c.replace(f.pos, f.len, varint(sizes[rng() % std::size(sizes)]));
      break;
    }
    case 4: {  // a size or count off by one
      const Field f = fields[rng() % fields.size()];
      Walker w(c);
      w.p = f.pos;
      std::uint64_t v = w.varint();
      v = (rng() % 2 == 0 || v == 0) ? v + 1 : v - 1;
      c.replace(f.pos, f.len, varint(v));
      break;
    }
    case 5: {
      std::string junk;
      for (int i = 1 + rng() % 16; i > 0; i--) junk += static_cast<char>(rng());
      c.insert(pick(1, c.size()), junk);
      break;
    }
    case 6: {
      const std::size_t at = pick(1, c.size());
      c.erase(at, 1 + rng() % 16);
      break;
    }
    default: {  // a piece of the chunk copied over another place
      const std::size_t from = pick(1, c.size()), to = pick(1, c.size());
      const std::size_t n = std::min<std::size_t>(
          1 + rng() % 64, std::min(c.size() - from, c.size() - to));
      c.replace(to, n, c.substr(from, n));
      break;
    }
  }
  return c;
}

// What loading one chunk gave, in the form lua5.4's script prints it.
std::string verdict(const Result& r) {
  return r.status == LUA_OK ? std::string("ok") : r.msg;
}

// Checks one accepted chunk: it dumps and reloads to itself (lundump's
// and ldump's INVERSE), its stripped dump reloads, and it can be listed.
void checkloaded(lua_State* L, std::FILE* devnull) {
  const Proto* f = topproto(L);
  const std::string want = describe(f);
  const std::string d = dump(L, f, false);
  const std::string ds = dump(L, f, true);
  luaU_print(f, true, devnull);
  REQUIRE(undump(L, d).status == LUA_OK);
  CHECK(describe(topproto(L)) == want);
  CHECK(dump(L, topproto(L), false) == d);
  REQUIRE(undump(L, ds).status == LUA_OK);
  CHECK(dump(L, topproto(L), true) == ds);
}

struct Tally {
  int ok = 0, syntax = 0, mem = 0, cstack = 0;
};

// Loads one mutated chunk in a fresh state, through a reader chosen by
// `rng`, and checks everything but the message's agreement with lua5.4.
Result fuzzone(const std::string& c, std::mt19937& rng, Tally& t,
               std::FILE* devnull) {
  State s;
  const std::size_t base = s.h.heap.held;
  Feed feed{&c};
  feed.seed = static_cast<std::uint32_t>(rng()) | 1u;
  feed.block = 1 + rng() % 256;
  if (rng() % 8 == 0) {  // a reader that collects between pieces
    feed.fullgc = rng() % 2 == 0;
    feed.gcsteps = 1 + rng() % 4;
    feed.checkheap = true;
  }
  if (rng() % 8 == 0 && !kCollectEveryAlloc) {  // an emergency collection
    s.h.requests = 0;
    s.h.failat = 1 + static_cast<long>(rng() % 200);
  }
  Result r = undump(s.L, feed, "=x");
  CHECK(feed.heaperrors == 0);
  CHECK(s.h.peak - base <= 64 * c.size() + (1u << 20));  // BOUNDED
  if (r.status == LUA_OK) {
    t.ok++;
    checkloaded(s.L, devnull);
  } else if (r.status == LUA_ERRSYNTAX) {
    t.syntax++;
    CHECK(r.msg.rfind("x: bad binary format (", 0) == 0);
    CHECK(r.msg.back() == ')');
  } else if (r.status == LUA_ERRRUN) {
    t.cstack++;
    CHECK(r.msg == "C stack overflow");
  } else {
    t.mem++;
    CHECK(r.status == LUA_ERRMEM);
  }
  luaC_fullgc(s.L, 0);
  CHECK(check_heap(G(s.L)) == 0);
  CHECK(s.close() == 0);
  return r;
}

std::uint32_t fuzzseed() {
  const char* env = std::getenv("LPARSER_FUZZ_SEED");
  return env != nullptr
             ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10))
             : 20240704u;
}

// lua5.4's verdicts on `chunks`, loaded with the name "=x" under a memory
// limit (so that absurd sizes fail fast). A chunk that crashes lua5.4 gets
// the verdict "crash" and the run resumes after it.
std::vector<std::string> oracleverdicts(
    const std::vector<std::string>& chunks) {
  TempDir tmp;
  std::string all;
  for (const std::string& c : chunks) {
    const auto n = static_cast<std::uint32_t>(c.size());
    all.append(reinterpret_cast<const char*>(&n), 4);
    all += c;
  }
  writefile(tmp.path / "chunks", all);
  writefile(
      tmp.path / "load.lua",
      "local data = assert(io.open(arg[1], 'rb')):read('a')\n"
      "local first, pos, i = tonumber(arg[2]), 1, 0\n"
      "while pos <= #data do\n"
      "  local n; n, pos = string.unpack('<I4', data, pos)\n"
      "  if i >= first then\n"
      "    local f, e = load(data:sub(pos, pos + n - 1), '=x', 'b')\n"
      "    io.write(i, '\\t', f and 'ok' or (e:gsub('\\n', ' ')), '\\n')\n"
      "    io.stdout:flush()\n"
      "  end\n"
      "  pos, i = pos + n, i + 1\n"
      "end\n");
  std::vector<std::string> out;
  while (out.size() < chunks.size()) {
    Run r = run("ulimit -v 1000000; " + shellquote(kLua) + " " +
                shellquote((tmp.path / "load.lua").string()) + " " +
                shellquote((tmp.path / "chunks").string()) + " " +
                std::to_string(out.size()));
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
      out.push_back(line.substr(line.find('\t') + 1));
    if (out.size() < chunks.size() && r.status != 0) out.push_back("crash");
    if (r.status == 0 && out.size() < chunks.size()) break;  // cannot happen
  }
  return out;
}

}  // namespace

TEST_CASE("mutated chunks fail cleanly or load, dump and list consistently",
          "[lparser]") {
  std::vector<std::string> bases;
  for (const Compiled& c : compiledcorpus()) {
    for (const fs::path& p : {c.chunk, c.stripped}) {
      std::string bytes = readfile(p);
      if (!bytes.empty() && bytes.size() < 64 * 1024) bases.push_back(bytes);
    }
  }
  if (bases.empty()) {
    WARN("luac5.4 not found: no chunks to mutate");
    return;
  }
  std::vector<std::vector<Field>> fields;
  for (const std::string& b : bases) {
    Walker w(b);
    REQUIRE(w.walk());
    CHECK(w.p == b.size());  // the walker agrees with the format
    fields.push_back(w.fields);
  }
  const std::uint32_t seed = fuzzseed();
  std::printf("fuzz: seed %u (LPARSER_FUZZ_SEED)\n", seed);
  std::mt19937 rng(seed);
  std::FILE* devnull = std::fopen("/dev/null", "w");
  REQUIRE(devnull != nullptr);
  Tally t;
  std::vector<std::string> chunks, ours;
  for (int i = 0; i < kCases; i++) {
    const std::size_t b = rng() % bases.size();
    std::string c = mutate(bases[b], fields[b], rng);
    INFO("case " << i);
    Result r = fuzzone(c, rng, t, devnull);
    Walker w(c);
    w.walk();
    if (static_cast<int>(chunks.size()) < kOracleCases && !w.namesoverflow) {
      chunks.push_back(c);
      ours.push_back(verdict(r));
    }
  }
  std::fclose(devnull);
  std::printf(
      "fuzz: %d chunks: %d loaded, %d format errors, %d out of memory, %d C "
      "stack overflows\n",
      kCases, t.ok, t.syntax, t.mem, t.cstack);
  CHECK(t.ok > kCases / 50);
  CHECK(t.syntax > kCases / 2);

  if (!haveoracle()) return;
  // The same verdicts as lua5.4, except where lua5.4 runs out of memory
  // on a size this loader never allocates (lundump's invariant BOUNDED).
  const std::vector<std::string> want = oracleverdicts(chunks);
  REQUIRE(want.size() == chunks.size());
  int same = 0, memory = 0, crashes = 0;
  for (std::size_t i = 0; i < chunks.size(); i++) {
    INFO("oracle case " << i);
    if (want[i] == "crash") {
      crashes++;
    } else if (want[i] == "not enough memory" && ours[i] != "ok") {
      memory++;
    } else {
      CHECK(ours[i] == want[i]);
      same += ours[i] == want[i];
      if (ours[i] != want[i] && std::getenv("DUMPMISMATCH"))
        writefile("/tmp/mismatch-" + std::to_string(i) + ".luac", chunks[i]);
    }
  }
  std::printf(
      "fuzz: lua5.4 agrees on %d of %zu chunks (%d out of memory there, %d "
      "crashed it)\n",
      same, chunks.size(), memory, crashes);
}
