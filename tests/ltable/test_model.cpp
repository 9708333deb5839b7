// Chapter 4: a randomized model test. A long run of mixed operations on
// one table (stores, overwrites, deletions, lookups through every lookup
// function, explicit resizes, '#', full traversals, traversals that clear
// fields, nil and NaN keys) is checked against a std::unordered_map that
// lives in the test. check_table runs after every operation. The seed
// is fixed and printed; LTABLE_MODEL_SEED overrides it to explore others.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tests/ltable/fixture.hpp"

using namespace lua;

namespace {

constexpr int kOperations = 120000;

// A key or value in the model: its canonical text ("i:3", "f:<bits>",
// "s:<bytes>", "b:1", "p:<address>", "nil").
std::string canon(const TValue* v) {
  switch (ttypetag(v)) {
    case LUA_VNUMINT:
      return "i:" + std::to_string(ivalue(v));
    case LUA_VNUMFLT: {
      std::uint64_t bits;
      lua_Number n = fltvalue(v);
      std::memcpy(&bits, &n, sizeof bits);
      return "f:" + std::to_string(bits);
    }
    case LUA_VSHRSTR:
    case LUA_VLNGSTR:
      return "s:" + std::string(svalue(v), vslen(v));
    case LUA_VFALSE:
      return "b:0";
    case LUA_VTRUE:
      return "b:1";
    case LUA_VLIGHTUSERDATA:
      return "p:" + std::to_string(reinterpret_cast<std::uintptr_t>(pvalue(v)));
    default:
      return ttisnil(v) ? "nil" : "?";
  }
}

// A generated key: the value to hand to the table, and its canonical text
// after Lua's normalization (an integral float is the integer key).
struct Key {
  TValue v;
  std::string text;
  bool nan = false;
};

struct Model {
  std::mt19937_64 rng;
  test::Fixture f;
  std::unordered_map<std::string, std::string> map;  // key -> value
  std::vector<std::string> keys;                     // keys ever stored
  std::unordered_map<std::string, TValue> keyvalue;  // text -> a key value
  char cells[64] = {};
  lua_Integer counter = 0;

  explicit Model(unsigned long long seed) : rng(seed) {}

  long pick(long n) {
    return static_cast<long>(rng() % static_cast<unsigned long long>(n));
  }

  Key intkey(lua_Integer i) {
    Key k{test::intv(i), "", false};
    k.text = canon(&k.v);
    return k;
  }

  Key fltkey(lua_Number n) {
    Key k{test::fltv(n), "", std::isnan(n)};
    lua_Integer i;
    k.text =
        luaV_flttointns(n, &i, F2Ieq) ? "i:" + std::to_string(i) : canon(&k.v);
    return k;
  }

  Key strkey(const std::string& s) {
    Key k{test::strv(f.L, s), "", false};
    k.text = canon(&k.v);
    return k;
  }

  Key otherkey(TValue v) {
    Key k{v, "", false};
    k.text = canon(&k.v);
    return k;
  }

  // Keys in and out of the array range, floats of every kind, short and
  // long strings, booleans and light userdata.
  Key randomkey() {
    long r = pick(100);
    if (r < 30) return intkey(1 + pick(300));
    if (r < 34) return intkey(-pick(50));
    if (r < 38) {
      const lua_Integer far[] = {LUA_MAXINTEGER, LUA_MININTEGER,
                                 lua_Integer{1} << 40, 1000000007};
      lua_Integer base = far[pick(4)];
      return intkey(base < 0 ? base + pick(8) : base - pick(8));  // no wrap
    }
    if (r < 46) return fltkey(static_cast<lua_Number>(pick(300)) + 0.5);
    if (r < 50) {
      const lua_Number odd[] = {
          HUGE_VAL, -HUGE_VAL, 1e300, -0.125, 9223372036854775808.0, 1e-300};
      return fltkey(odd[pick(6)]);
    }
    if (r < 56) return fltkey(static_cast<lua_Number>(pick(310) - 5));
    if (r < 57) return fltkey(r % 2 ? -0.0 : 0.0);
    if (r < 58) return fltkey(std::numeric_limits<double>::quiet_NaN());
    if (r < 78) return strkey("k" + std::to_string(pick(200)));
    if (r < 86) return strkey(std::string(45, 'L') + std::to_string(pick(40)));
    if (r < 91) return otherkey(test::boolv(r % 2 == 0));
    return otherkey(test::ptrv(&cells[pick(64)]));
  }

  // A key already stored (or once stored), so deletions hit.
  Key existingkey() {
    if (keys.empty()) return randomkey();
    const std::string& text =
        keys[static_cast<std::size_t>(pick(static_cast<long>(keys.size())))];
    return Key{keyvalue[text], text, false};
  }

  TValue randomvalue() {
    long r = pick(10);
    if (r == 0) return test::boolv(false);  // false is a value, not absence
    if (r == 1) return test::boolv(true);
    if (r == 2) return test::strv(f.L, "v" + std::to_string(pick(50)));
    return test::intv(++counter);
  }

  void remember(const Key& k) {
    if (keyvalue.emplace(k.text, k.v).second) keys.push_back(k.text);
  }

  // t[k] = v, through luaH_set or (for integers) luaH_setint.
  void store(const Key& k, const TValue& v) {
    test::Outcome r = test::protect([&] {
      if (ttisinteger(&k.v) && pick(2) == 0)
        luaH_setint(f.L, f.t, ivalue(&k.v), &v);
      else
        luaH_set(f.L, f.t, &k.v, &v);
    });
    if (k.nan) {
      REQUIRE(r.msg == "table index is NaN");
      return;
    }
    REQUIRE(r.status == LUA_OK);
    if (ttisnil(&v)) {
      map.erase(k.text);
    } else {
      map[k.text] = canon(&v);
      remember(k);
    }
  }

  // Every lookup function agrees with the model.
  void lookup(const Key& k) {
    const TValue* v = luaH_get(f.t, &k.v);
    auto it = map.find(k.text);
    std::string expect = it == map.end() ? "nil" : it->second;
    REQUIRE((isempty(v) ? std::string("nil") : canon(v)) == expect);
    if (ttisinteger(&k.v)) REQUIRE(luaH_getint(f.t, ivalue(&k.v)) == v);
    if (ttisstring(&k.v)) REQUIRE(luaH_getstr(f.t, tsvalue(&k.v)) == v);
    if (ttisshrstring(&k.v)) REQUIRE(luaH_getshortstr(f.t, tsvalue(&k.v)) == v);
  }

  bool present(lua_Integer i) {
    return map.count("i:" + std::to_string(i)) > 0;
  }

  void border() {
    lua_Unsigned n = luaH_getn(f.t);
    auto i = static_cast<lua_Integer>(n);
    REQUIRE((n == 0 || present(i)));
    REQUIRE((i == LUA_MAXINTEGER || !present(i + 1)));
  }

  // A full traversal sees every entry of the model exactly once; with
  // `clearing`, it clears about a third of the fields as it goes.
  void traverse(bool clearing) {
    std::unordered_set<std::string> seen;
    TValue k = test::nilv(), v;
    std::size_t expected = map.size();
    TValue nil = test::nilv();
    while (luaH_next(f.L, f.t, &k, &v)) {
      std::string text = canon(&k);
      REQUIRE(seen.insert(text).second);
      auto it = map.find(text);
      REQUIRE(it != map.end());
      REQUIRE(it->second == canon(&v));
      if (clearing && pick(3) == 0) {
        luaH_set(f.L, f.t, &k, &nil);
        map.erase(text);
      }
    }
    REQUIRE(seen.size() == expected);
  }

  // An explicit resize, with a hash part big enough for every entry that
  // will not fit the new array (luaH_resize's precondition).
  void resize() {
    unsigned int old = luaH_realasize(f.t);
    const unsigned int choices[] = {0, old / 2, old, old * 2 + 1,
                                    static_cast<unsigned int>(pick(400))};
    unsigned int na = choices[pick(5)];
    unsigned int outside = 0;
    for (auto& [text, value] : map) {
      lua_Integer i;
      bool inside = text.rfind("i:", 0) == 0 &&
                    (i = std::stoll(text.substr(2))) >= 1 &&
                    static_cast<lua_Unsigned>(i) <= na;
      if (!inside) outside++;
    }
    luaH_resize(f.L, f.t, na, outside + static_cast<unsigned int>(pick(9)));
    REQUIRE(luaH_realasize(f.t) == na);
  }

  void step() {
    long r = pick(1000);
    if (r < 450) {
      Key k = randomkey();
      store(k, randomvalue());
    } else if (r < 650) {
      Key k = pick(10) < 7 ? existingkey() : randomkey();
      store(k, test::nilv());
    } else if (r < 850) {
      lookup(pick(2) ? existingkey() : randomkey());
    } else if (r < 900) {
      border();
    } else if (r < 915) {
      traverse(false);
    } else if (r < 925) {
      traverse(true);
    } else if (r < 945) {
      resize();
    } else if (r < 950) {
      unsigned int na =
          luaH_realasize(f.t) + static_cast<unsigned int>(pick(64));
      luaH_resizearray(f.L, f.t, na);  // growing keeps the hash room
    } else if (r < 955) {
      TValue nil = test::nilv(), one = test::intv(1);
      test::Outcome o = test::protect([&] { luaH_set(f.L, f.t, &nil, &one); });
      REQUIRE(o.msg == "table index is nil");
    } else if (r < 956) {
      purge();
    } else {
      Key k = existingkey();  // overwrite an entry (or revive it)
      store(k, randomvalue());
    }
  }

  // Deletes most entries, so that later insertions shrink the table.
  void purge() {
    std::vector<std::string> texts;
    for (auto& [text, value] : map) texts.push_back(text);
    TValue nil = test::nilv();
    for (const std::string& text : texts)
      if (pick(10) != 0) {
        luaH_set(f.L, f.t, &keyvalue[text], &nil);
        map.erase(text);
      }
  }
};

unsigned long long modelseed() {
  const char* env = std::getenv("LTABLE_MODEL_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20240521ull;
}

}  // namespace

TEST_CASE("a table agrees with a model over 120000 random operations",
          "[ltable]") {
  unsigned long long seed = modelseed();
  std::printf("ltable model test: seed %llu, %d operations\n", seed,
              kOperations);
  Model m(seed);
  int maxsize = 0;
  for (int i = 0; i < kOperations; i++) {
    INFO("operation " << i << ", seed " << seed);
    m.step();
    REQUIRE(check_table(m.f.t) == 0);
    maxsize = std::max(maxsize, static_cast<int>(m.map.size()));
  }
  m.traverse(false);
  INFO("largest table: " << maxsize << " entries");
  CHECK(maxsize > 200);  // the run reached sizeable tables
  CHECK(m.f.close() == 0);
}
