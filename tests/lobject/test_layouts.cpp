// Chapter 2: value tags, object layouts and the bare state.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>

#include "lobject/lstate.hpp"

using namespace lua;

namespace {

template <class S, class M>
std::size_t offset_in(const S& s, const M& m) {
  return static_cast<std::size_t>(reinterpret_cast<const char*>(&m) -
                                  reinterpret_cast<const char*>(&s));
}

struct Counting {
  std::size_t held = 0;
  int refuse = 0;  // refuse this many further allocations
};

void* counting_alloc(void* ud, void* ptr, std::size_t osize,
                     std::size_t nsize) {
  auto* c = static_cast<Counting*>(ud);
  if (nsize == 0) {
    if (ptr != nullptr) c->held -= osize;
    std::free(ptr);
    return nullptr;
  }
  if (c->refuse > 0) {
    c->refuse--;
    return nullptr;
  }
  void* p = std::realloc(ptr, nsize);
  if (p != nullptr) c->held += nsize - (ptr != nullptr ? osize : 0);
  return p;
}

}  // namespace

TEST_CASE("variant tags have Lua 5.4's numeric values", "[lobject]") {
  // These values are visible outside the interpreter: binary chunks store
  // constant tags, so they must be exactly Lua 5.4's.
  CHECK(LUA_VNIL == 0x00);
  CHECK(LUA_VEMPTY == 0x10);
  CHECK(LUA_VABSTKEY == 0x20);
  CHECK(LUA_VFALSE == 0x01);
  CHECK(LUA_VTRUE == 0x11);
  CHECK(LUA_VNUMINT == 0x03);
  CHECK(LUA_VNUMFLT == 0x13);
  CHECK(LUA_VSHRSTR == 0x04);
  CHECK(LUA_VLNGSTR == 0x14);
  CHECK(LUA_VLCL == 0x06);
  CHECK(LUA_VLCF == 0x16);
  CHECK(LUA_VCCL == 0x26);
  CHECK(LUA_VUPVAL == 0x09);
  CHECK(LUA_VPROTO == 0x0A);
  CHECK(ctb(LUA_VTABLE) == 0x45);
}

TEST_CASE("tag bits split into type, variant and collectable flag",
          "[lobject]") {
  for (int t : {LUA_VNUMFLT, LUA_VLNGSTR, LUA_VCCL, LUA_VTABLE}) {
    CHECK(novariant(ctb(t)) == (t & 0x0F));
    CHECK(withvariant(ctb(t)) == t);
    CHECK((ctb(t) & BIT_ISCOLLECTABLE) != 0);
  }
}

TEST_CASE("setters and predicates agree on every non-collectable variant",
          "[lobject]") {
  TValue v;
  setnilvalue(&v);
  CHECK((ttisnil(&v) && ttisstrictnil(&v) && l_isfalse(&v)));
  setempty(&v);
  CHECK((ttisnil(&v) && !ttisstrictnil(&v) && isempty(&v)));
  setbfvalue(&v);
  CHECK((ttisfalse(&v) && l_isfalse(&v) && ttisboolean(&v)));
  setbtvalue(&v);
  CHECK((ttistrue(&v) && !l_isfalse(&v)));
  setivalue(&v, -42);
  CHECK((ttisinteger(&v) && ttisnumber(&v) && !ttisfloat(&v)));
  CHECK(ivalue(&v) == -42);
  CHECK(nvalue(&v) == -42.0);
  setfltvalue(&v, 0.5);
  CHECK((ttisfloat(&v) && fltvalue(&v) == 0.5 && nvalue(&v) == 0.5));
  int x = 0;
  setpvalue(&v, &x);
  CHECK((ttislightuserdata(&v) && pvalue(&v) == &x && !iscollectable(&v)));
  setfvalue(&v, nullptr);
  CHECK((ttislcf(&v) && ttisfunction(&v) && !ttisclosure(&v)));
}

TEST_CASE("object layouts keep Lua 5.4's field offsets", "[lobject]") {
  static Table t;
  static TString ts;
  static Udata u;
  static Node n;
  CHECK(offset_in(t, t.tt) == 8);
  CHECK(offset_in(t, t.marked) == 9);
  CHECK(offset_in(t, t.flags) == 10);  // packed into the header's padding
  CHECK(offset_in(t, t.alimit) == 12);
  CHECK(offset_in(t, t.array) == 16);
  CHECK(offset_in(ts, ts.extra) == 10);
  CHECK(offset_in(ts, ts.hash) == 12);
  CHECK(offset_in(u, u.nuvalue) == 10);
  CHECK(offset_in(n, n.u.key_tt) == 9);  // right after the value's tag
  CHECK(offset_in(n, n.u.next) == 12);
  CHECK(offset_in(n, n.u.key_val) == 16);
  CHECK(offset_in(n, n.i_val) == 0);
  CHECK(sizeudata(0, 10) == 42);
  CHECK(sizeudata(2, 0) == 40 + 32);
  CHECK(sizelstring(5) == 30);
  CHECK(sizeCclosure(2) == 64);
  CHECK(sizeLclosure(3) == 56);
}

TEST_CASE("a collectable value points to an object that carries the tag",
          "[lobject]") {
  Counting c;
  lua_State* L = luaE_newbarestate(counting_alloc, &c);
  REQUIRE(L != nullptr);
  auto* ts =
      static_cast<TString*>(luaM_newobject(L, LUA_TSTRING, sizelstring(3)));
  ts->tt = LUA_VSHRSTR;
  ts->marked = 0;
  ts->next = nullptr;
  ts->shrlen = 3;
  std::memcpy(getstr(ts), "abc", 4);
  TValue v;
  setsvalue(L, &v, ts);
  CHECK(iscollectable(&v));
  CHECK(rawtt(&v) == ctb(LUA_VSHRSTR));
  CHECK(gcvalue(&v)->tt == withvariant(rawtt(&v)));  // invariant TAG
  CHECK(tsvalue(&v) == ts);
  CHECK(std::strcmp(svalue(&v), "abc") == 0);
  CHECK(vslen(&v) == 3);
  TValue w;
  setobj(L, &w, &v);
  CHECK((rawtt(&w) == rawtt(&v) && tsvalue(&w) == ts));
  luaM_freemem(L, ts, sizelstring(3));
  luaE_freebarestate(L);
  CHECK(c.held == 0);
}

TEST_CASE("a bare state accounts for its own block and every allocation",
          "[lobject]") {
  Counting c;
  lua_State* L = luaE_newbarestate(counting_alloc, &c);
  REQUIRE(L != nullptr);
  global_State* g = G(L);
  CHECK(g->mainthread == L);
  CHECK(L->l_G == g);
  CHECK(completestate(g));
  CHECK(gettotalbytes(g) == sizeof(LG));
  CHECK(c.held == sizeof(LG));
  void* p = luaM_malloc_(L, 1000, 0);  // a lua_State* converts to MemCtx
  CHECK(gettotalbytes(g) == sizeof(LG) + 1000);
  CHECK(c.held == gettotalbytes(g));
  luaM_free_(L, p, 1000);
  CHECK(c.held == gettotalbytes(g));
  luaE_freebarestate(L);
  CHECK(c.held == 0);
}

TEST_CASE("the extra space lies right before every thread", "[lobject]") {
  Counting c;
  lua_State* L = luaE_newbarestate(counting_alloc, &c);
  REQUIRE(L != nullptr);
  void* extra = lua_getextraspace(L);
  CHECK(extra == static_cast<void*>(fromstate(L)->extra_));
  CHECK(static_cast<void*>(fromstate(L)) == extra);
  luaE_freebarestate(L);
}

TEST_CASE("creating a bare state fails cleanly when memory is refused",
          "[lobject]") {
  Counting c;
  c.refuse = 1;
  CHECK(luaE_newbarestate(counting_alloc, &c) == nullptr);
  CHECK(c.held == 0);
}
