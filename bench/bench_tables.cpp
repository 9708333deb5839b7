// Micro-benchmark of chapters 3 and 4: string interning, table inserts,
// lookups (hits and misses; integer keys in the array part and in the
// hash part; short-string keys) and a full traversal. Reports the mean
// time per operation over enough repetitions to run each case for at
// least ~0.2 s. Not a test: the numbers depend on the machine and the
// build type (see bench/README.md).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "ltable/ltable.hpp"
#include "tests/ltable/support.hpp"

namespace {

using namespace lua;
using Clock = std::chrono::steady_clock;

constexpr int kN = 1 << 16;  // keys per table / strings per batch

volatile std::uint64_t sink;  // keeps results alive

// Runs `batch` (which performs `ops` operations) until 0.2 s have passed;
// `setup`, run before each batch, is not timed. Returns ns per operation.
double measure(
    long ops, const std::function<void()>& batch,
    const std::function<void()>& setup = [] {}) {
  double total = 0;
  long done = 0;
  while (total < 0.2e9 || done < 3 * ops) {
    setup();
    auto start = Clock::now();
    batch();
    total +=
        std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    done += ops;
  }
  return total / static_cast<double>(done);
}

// Frees the objects created since `mark` was the head of allgc, so that
// repeated batches do not pile up memory.
void release(lua_State* L, GCObject* mark) {
  GCObject*& list = G(L)->allgc;
  while (list != mark) {
    GCObject* o = list;
    list = o->next;
    (void)test::freetableobj(L, o);
  }
}

void row(const char* what, double ns) {
  std::printf("  %-54s %8.1f\n", what, ns);
}

std::vector<std::string> names(const char* prefix, int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; i++) v.push_back(prefix + std::to_string(i));
  return v;
}

void strings(lua_State* L) {
  std::vector<std::string> have = names("field", kN);
  for (const std::string& s : have) (void)luaS_newlstr(L, s.data(), s.size());
  row("luaS_newlstr, existing short string", measure(kN, [&] {
        std::uint64_t sum = 0;
        for (const std::string& s : have)
          sum += luaS_newlstr(L, s.data(), s.size())->hash;
        sink = sum;
      }));
  std::vector<std::string> fresh = names("new", kN);
  GCObject* mark = G(L)->allgc;
  auto intern = [&] {
    std::uint64_t sum = 0;
    for (const std::string& s : fresh)
      sum += luaS_newlstr(L, s.data(), s.size())->hash;
    sink = sum;
  };
  row("luaS_newlstr, new short string",
      measure(kN, intern, [&] { release(L, mark); }));
  release(L, mark);
}

// Integer keys: 1..kN land in the array part; spreading them out by a
// large odd stride keeps them all in the hash part.
lua_Integer hashkey(int i) {
  return lua_Integer{i} * 1000003 + 7;
}

void inserts(lua_State* L) {
  TValue v = test::intv(1);
  Table* t = nullptr;
  GCObject* mark = G(L)->allgc;
  auto fresh = [&] {
    release(L, mark);
    t = luaH_new(L);
  };
  row("insert integer keys 1..n (array part, with rehashes)",
      measure(
          kN,
          [&] {
            for (int i = 1; i <= kN; i++) luaH_setint(L, t, i, &v);
          },
          fresh));
  row("insert integer keys, hash part (with rehashes)",
      measure(
          kN,
          [&] {
            for (int i = 0; i < kN; i++) luaH_setint(L, t, hashkey(i), &v);
          },
          fresh));
  release(L, mark);
  std::vector<TValue> keys;
  for (const std::string& s : names("k", kN)) keys.push_back(test::strv(L, s));
  mark = G(L)->allgc;
  row("insert short-string keys (with rehashes)",
      measure(
          kN,
          [&] {
            for (const TValue& k : keys) luaH_set(L, t, &k, &v);
          },
          fresh));
  release(L, mark);
}

void lookups(lua_State* L) {
  TValue v = test::intv(1);
  Table* arr = luaH_new(L);
  Table* hash = luaH_new(L);
  Table* str = luaH_new(L);
  std::vector<TValue> in, out;
  for (const std::string& s : names("in", kN)) in.push_back(test::strv(L, s));
  for (const std::string& s : names("out", kN)) out.push_back(test::strv(L, s));
  for (int i = 0; i < kN; i++) {
    luaH_setint(L, arr, i + 1, &v);
    luaH_setint(L, hash, hashkey(i), &v);
    luaH_set(L, str, &in[static_cast<std::size_t>(i)], &v);
  }
  auto intloop = [&](Table* t, auto key) {
    return [=] {
      std::uint64_t sum = 0;
      for (int i = 0; i < kN; i++) sum += ttisnil(luaH_getint(t, key(i)));
      sink = sum;
    };
  };
  row("luaH_getint hit, array part",
      measure(kN, intloop(arr, [](int i) { return lua_Integer{i} + 1; })));
  row("luaH_getint miss, past the array (empty hash part)",
      measure(kN, intloop(arr, [](int i) { return lua_Integer{i} + kN + 1; })));
  row("luaH_getint hit, hash part", measure(kN, intloop(hash, hashkey)));
  row("luaH_getint miss, hash part",
      measure(kN, intloop(hash, [](int i) { return hashkey(i) + 1; })));
  auto strloop = [&](const std::vector<TValue>& keys) {
    return [&] {
      std::uint64_t sum = 0;
      for (const TValue& k : keys)
        sum += ttisnil(luaH_getshortstr(str, tsvalue(&k)));
      sink = sum;
    };
  };
  row("luaH_getshortstr hit", measure(kN, strloop(in)));
  row("luaH_getshortstr miss", measure(kN, strloop(out)));
  row("luaH_get (generic entry) hit, short string", measure(kN, [&] {
        std::uint64_t sum = 0;
        for (const TValue& k : in) sum += ttisnil(luaH_get(str, &k));
        sink = sum;
      }));
}

void traversal(lua_State* L) {
  Table* t = luaH_new(L);
  TValue v = test::intv(1);
  for (int i = 1; i <= kN / 2; i++) luaH_setint(L, t, i, &v);
  for (int i = 0; i < kN / 2; i++) luaH_setint(L, t, hashkey(i), &v);
  row("luaH_next, full traversal (per entry, half array)", measure(kN, [&] {
        TValue k = test::nilv(), val;
        std::uint64_t n = 0;
        while (luaH_next(L, t, &k, &val)) n++;
        sink = n;
      }));
}

}  // namespace

int main() {
  test::Heap heap;
  lua_State* L = test::seededstate(heap, "42");
  if (L == nullptr) return 1;
#ifdef NDEBUG
  const char* mode = "assertions off";
#else
  const char* mode = "assertions ON: numbers include lua_assert checks";
#endif
  std::printf("bench_tables: %d keys per table (%s)\n\n", kN, mode);
  std::printf("  %-54s %8s\n", "operation", "ns/op");
  strings(L);
  inserts(L);
  lookups(L);
  traversal(L);
  test::closestate(L, test::freetableobj);
  return 0;
}
