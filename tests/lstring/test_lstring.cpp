// Chapter 3: string interning, long strings, the string table, userdata.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/lstring/support.hpp"

using namespace lua;
using test::Heap;

namespace {

TString* str(lua_State* L, const std::string& s) {
  return luaS_newlstr(L, s.data(), s.size());
}

// Sets the seed before the state exists, then restores the environment.
struct FixedSeed {
  explicit FixedSeed(const char* seed) { setenv("LUA_ANATOMY_SEED", seed, 1); }
  ~FixedSeed() { unsetenv("LUA_ANATOMY_SEED"); }
};

}  // namespace

TEST_CASE("luaS_newlstr returns the same object for equal short strings",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  TString* a = str(L, "hello");
  TString* b = str(L, std::string("hel") + "lo");
  CHECK(a == b);
  CHECK(eqshrstr(a, b));
  CHECK(str(L, "hellO") != a);
  CHECK(a->tt == LUA_VSHRSTR);
  CHECK(tsslen(a) == 5);
  CHECK(std::string(getstr(a)) == "hello");  // '\0'-terminated
  CHECK(check_invariants(G(L)) == 0);
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("strings up to 40 bytes are short and interned, longer ones are not",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  std::string s40(40, 'x'), s41(41, 'x');
  CHECK(str(L, s40)->tt == LUA_VSHRSTR);
  CHECK(str(L, s40) == str(L, s40));
  TString* l1 = str(L, s41);
  TString* l2 = str(L, s41);
  CHECK(l1->tt == LUA_VLNGSTR);
  CHECK(l1 != l2);  // a fresh copy each time
  CHECK(luaS_eqlngstr(l1, l2));
  CHECK(tsslen(l1) == 41);
  CHECK(!luaS_eqlngstr(l1, str(L, s41 + "y")));
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("a long string's hash is computed lazily from its contents",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  std::string s(100, 'a');
  TString* ts = str(L, s);
  CHECK(ts->extra == 0);
  unsigned int h = luaS_hashlongstr(ts);
  CHECK(ts->extra == 1);
  CHECK(h == luaS_hash(s.data(), s.size(), G(L)->seed));
  CHECK(luaS_hashlongstr(str(L, s)) == h);  // equal strings, equal hashes
  test::closestate(L);
}

TEST_CASE("luaS_hash mixes the seed, the length and every byte", "[lstring]") {
  CHECK(luaS_hash("", 0, 12345) == 12345u);
  CHECK(luaS_hash("abc", 3, 1) != luaS_hash("abc", 3, 2));
  CHECK(luaS_hash("abc", 3, 7) != luaS_hash("abd", 3, 7));
  CHECK(luaS_hash("abc", 3, 7) != luaS_hash("abc", 2, 7));
  // The first byte counts too (5.4 hashes every byte of every string).
  std::string a(1000, 'z'), b = a;
  b[0] = 'y';
  CHECK(luaS_hash(a.data(), a.size(), 7) != luaS_hash(b.data(), b.size(), 7));
}

TEST_CASE("the hash seed is random by default and fixed by LUA_ANATOMY_SEED",
          "[lstring]") {
  Heap heap;
  {
    FixedSeed fixed("42");
    lua_State* L = test::newstate(heap);
    CHECK(G(L)->seed == 42u);
    test::closestate(L);
  }
  lua_State* L1 = test::newstate(heap);
  lua_State* L2 = test::newstate(heap);
  // Two live states differ at least in their addresses, which the seed
  // mixes in; equal seeds would need a 32-bit collision.
  CHECK(G(L1)->seed != G(L2)->seed);
  test::closestate(L1);
  test::closestate(L2);
  CHECK(heap.held == 0);
}

TEST_CASE("the string table doubles when it fills up and keeps its invariants",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  stringtable& tb = G(L)->strt;
  CHECK(tb.size == MINSTRTABSIZE);
  int start = tb.nuse;  // the memory-error message is already there
  std::vector<TString*> made;
  for (int i = 0; i < 1000; i++) {
    int before = tb.size;
    bool full = tb.nuse >= tb.size;
    made.push_back(str(L, "k" + std::to_string(i)));
    CHECK(tb.size == (full ? 2 * before : before));
    REQUIRE(check_invariants(G(L)) == 0);
  }
  CHECK(tb.nuse == start + 1000);
  CHECK(tb.size == 1024);
  for (int i = 0; i < 1000; i++)
    CHECK(str(L, "k" + std::to_string(i)) == made[i]);  // still interned
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("luaS_resize shrinks the table and keeps every string findable",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  std::vector<TString*> made;
  for (int i = 0; i < 300; i++) made.push_back(str(L, std::to_string(i)));
  REQUIRE(G(L)->strt.size == 512);
  luaS_resize(L, 128);
  CHECK(G(L)->strt.size == 128);
  CHECK(check_invariants(G(L)) == 0);
  for (int i = 0; i < 300; i++) CHECK(str(L, std::to_string(i)) == made[i]);
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("a resize that cannot get memory leaves the table as it was",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  std::vector<TString*> made;
  for (int i = 0; i < 200; i++) made.push_back(str(L, std::to_string(i)));
  stringtable& tb = G(L)->strt;
  int size = tb.size, nuse = tb.nuse;
  TString** hash = tb.hash;
  std::size_t held = heap.held;
  heap.refuse_after = 0;
  luaS_resize(L, size * 2);  // growing: the vector cannot be extended
  CHECK((tb.size == size && tb.nuse == nuse && tb.hash == hash));
  luaS_resize(L, size / 2);  // shrinking: gathered, then restored
  CHECK((tb.size == size && tb.nuse == nuse && tb.hash == hash));
  CHECK(heap.held == held);
  CHECK(check_invariants(G(L)) == 0);
  heap.refuse_after = -1;
  for (int i = 0; i < 200; i++) CHECK(str(L, std::to_string(i)) == made[i]);
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE(
    "running out of memory while interning raises LUA_ERRMEM and "
    "loses nothing",
    "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  TString* kept = str(L, "kept");
  int nuse = G(L)->strt.nuse;
  heap.refuse_after = 0;
  LuaError err;
  int status = luaM_runprotected([&] { (void)str(L, "new one"); }, &err);
  CHECK(status == LUA_ERRMEM);
  CHECK(std::string(err.msg) == "not enough memory");
  CHECK(G(L)->strt.nuse == nuse);
  CHECK(check_invariants(G(L)) == 0);
  heap.refuse_after = -1;
  CHECK(str(L, "kept") == kept);
  CHECK(str(L, "new one")->shrlen == 7);  // the state is still usable
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("luaS_new finds a C string through the API cache without hashing",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  static const char* const literal = "a field name";
  TString* first = luaS_new(L, literal);
  std::size_t allocs = heap.allocs;
  CHECK(luaS_new(L, literal) == first);
  CHECK(heap.allocs == allocs);  // a hit creates nothing
  // Same pointer, different contents: the cache compares the bytes.
  char buff[] = "abc";
  TString* abc = luaS_new(L, buff);
  buff[0] = 'x';
  TString* xbc = luaS_new(L, buff);
  CHECK(abc != xbc);
  CHECK(std::string(getstr(xbc)) == "xbc");
  // A long string goes through the cache too.
  std::string longer(60, 'q');
  TString* l1 = luaS_new(L, longer.c_str());
  CHECK(luaS_new(L, longer.c_str()) == l1);
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("luaS_clearcache replaces cache entries that could be collected",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  global_State* g = G(L);
  (void)luaS_new(L, "cached");
  bool found = false;
  for (auto& set : g->strcache)
    for (TString* s : set) found = found || s != g->memerrmsg;
  CHECK(found);
  luaS_clearcache(g);  // every new string is white
  for (auto& set : g->strcache)
    for (TString* s : set) CHECK(s == g->memerrmsg);
  CHECK(!iswhite(g->memerrmsg));  // fixed objects are gray
  test::closestate(L);
}

TEST_CASE("interning revives a dead short string instead of duplicating it",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  global_State* g = G(L);
  TString* ts = str(L, "zombie");
  ts->marked = static_cast<lu_byte>((ts->marked & ~WHITEBITS) |
                                    otherwhite(g));  // as after a cycle
  REQUIRE(isdead(g, ts));
  CHECK(str(L, "zombie") == ts);
  CHECK(!isdead(g, ts));
  test::closestate(L);
}

TEST_CASE("luaS_remove takes a string out of its bucket", "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  TString* ts = str(L, "gone");
  int nuse = G(L)->strt.nuse;
  luaS_remove(L, ts);
  CHECK(G(L)->strt.nuse == nuse - 1);
  CHECK(check_invariants(G(L)) == 0);
  CHECK(str(L, "gone") != ts);  // a new object now
  // `ts` is still in allgc; put it back so the teardown can free it.
  ts->u.hnext = G(L)->strt.hash[lmod(ts->hash, G(L)->strt.size)];
  G(L)->strt.hash[lmod(ts->hash, G(L)->strt.size)] = ts;
  G(L)->strt.nuse++;
  test::closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("check_invariants reports a string in the wrong bucket",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  TString* ts = str(L, "misplaced");
  stringtable& tb = G(L)->strt;
  int right = lmod(ts->hash, tb.size);
  int wrong = (right + 1) % tb.size;
  luaS_remove(L, ts);
  ts->u.hnext = tb.hash[wrong];
  tb.hash[wrong] = ts;
  tb.nuse++;
  CHECK(check_invariants(G(L)) > 0);
  tb.hash[wrong] = ts->u.hnext;  // put it back where it belongs
  ts->u.hnext = tb.hash[right];
  tb.hash[right] = ts;
  CHECK(check_invariants(G(L)) == 0);
  tb.nuse += 5;  // a wrong count is caught too
  CHECK(check_invariants(G(L)) > 0);
  tb.nuse -= 5;
  test::closestate(L);
}

TEST_CASE("reserved words are short strings marked through extra",
          "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  TString* kw = str(L, "while");
  CHECK(!isreserved(kw));
  kw->extra = 1;  // what the lexer does for its reserved words (chapter 7)
  CHECK(isreserved(kw));
  CHECK(!isreserved(str(L, std::string(50, 'w'))));
  test::closestate(L);
}

TEST_CASE("luaS_newudata makes a block with nil user values", "[lstring]") {
  Heap heap;
  lua_State* L = test::newstate(heap);
  std::size_t before = gettotalbytes(G(L));
  Udata* u = luaS_newudata(L, 100, 3);
  CHECK(gettotalbytes(G(L)) - before == sizeudata(3, 100));
  CHECK(u->len == 100);
  CHECK(u->nuvalue == 3);
  CHECK(u->metatable == nullptr);
  for (int i = 0; i < 3; i++) CHECK(ttisnil(&u->uv()[i].uv));
  auto mem = reinterpret_cast<std::uintptr_t>(getudatamem(u));
  CHECK(mem % alignof(UValue) == 0);       // LUAI_MAXALIGN
  std::memset(getudatamem(u), 0xAB, 100);  // the block is all usable
  Udata* u0 = luaS_newudata(L, 8, 0);
  CHECK(static_cast<char*>(getudatamem(u0)) - reinterpret_cast<char*>(u0) ==
        static_cast<std::ptrdiff_t>(sizeof(Udata0)));
  test::closestate(L);
  CHECK(heap.held == 0);
}
