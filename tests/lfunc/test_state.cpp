// Chapter 5: the set-up and tear-down of a state (including every failed
// allocation during set-up), the registry, the metamethod names and their
// cache, the pushstring seam, threads, and the thread checker.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "tests/lfunc/support.hpp"

using namespace lua;
using test::Heap;
using test::intv;
using test::nilv;
using test::protect;
using test::State;

TEST_CASE("luaE_openstate builds a complete state that closes to 0 bytes",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  global_State* g = G(L);
  CHECK(completestate(g));
  CHECK(g->mainthread == L);
  CHECK(g->gcstp == 0);
  CHECK(g->gcstate == GCSpause);
  CHECK(g->gckind == KGC_INC);
  CHECK(g->gcstopem == 0);
  CHECK(getgcparam(g->gcpause) == LUAI_GCPAUSE);
  CHECK(g->seams.pushstring != nullptr);
  CHECK(gettotalbytes(g) == S.heap.held);
  CHECK(g->allgc != nullptr);
  CHECK(check_thread(L) == 0);
  CHECK(check_invariants(g) == 0);  // the string table
  CHECK(S.close() == 0);
}

TEST_CASE("the main thread is the oldest object of allgc", "[lfunc]") {
  State S;
  GCObject* last = G(S.L)->allgc;
  while (last->next != nullptr) last = last->next;
  CHECK(last == S.L);
  CHECK(S.L->tt == LUA_VTHREAD);
  CHECK_FALSE(yieldable(S.L));
  CHECK(S.close() == 0);
}

TEST_CASE("the registry holds the main thread and the table of globals",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  REQUIRE(ttistable(&G(L)->l_registry));
  Table* reg = hvalue(&G(L)->l_registry);
  CHECK(luaH_realasize(reg) == LUA_RIDX_LAST);
  const TValue* mt = luaH_getint(reg, LUA_RIDX_MAINTHREAD);
  REQUIRE(ttisthread(mt));
  CHECK(thvalue(mt) == L);
  const TValue* globals = luaH_getint(reg, LUA_RIDX_GLOBALS);
  REQUIRE(ttistable(globals));
  CHECK(hvalue(globals) != reg);
  CHECK(check_table(reg) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaE_openstate survives the failure of each of its allocations",
          "[lfunc]") {
  // Count the allocations of a successful open.
  Heap probe;
  lua_State* L = luaE_openstate(Heap::alloc, &probe);
  REQUIRE(L != nullptr);
  long n = static_cast<long>(probe.allocs);
  luaE_closestate(L);
  REQUIRE(probe.held == 0);
  REQUIRE(n > 5);
  // Refuse the k-th request and every later one: each attempt must give
  // back every byte and return null.
  for (long k = 0; k < n; k++) {
    Heap heap;
    heap.refuse_after = k;
    CHECK(luaE_openstate(Heap::alloc, &heap) == nullptr);
    CHECK(heap.held == 0);
  }
  Heap heap;
  heap.refuse_after = n;
  L = luaE_openstate(Heap::alloc, &heap);
  REQUIRE(L != nullptr);
  luaE_closestate(L);
  CHECK(heap.held == 0);
}

TEST_CASE("luaE_openstate survives a single failed allocation at any point",
          "[lfunc]") {
  // A one-shot refusal: the allocator fails the k-th request only, and the
  // set-up it interrupted must still unwind without leaks.
  struct OneShot {
    Heap heap;
    long fail_at;
    long seen = 0;
    static void* alloc(void* ud, void* p, std::size_t o, std::size_t n) {
      auto* s = static_cast<OneShot*>(ud);
      if (n > 0 && s->seen++ == s->fail_at) return nullptr;
      return Heap::alloc(&s->heap, p, o, n);
    }
  };
  for (long k = 0; k < 80; k++) {
    OneShot s{{}, k};
    lua_State* L = luaE_openstate(OneShot::alloc, &s);
    if (L != nullptr) {
      CHECK(check_thread(L) == 0);
      luaE_closestate(L);
    }
    CHECK(s.heap.held == 0);
  }
}

TEST_CASE("the metamethod names are interned, fixed and in TMS order",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  const char* names[] = {
      "__index", "__newindex", "__gc",   "__mode", "__len", "__eq",   "__add",
      "__sub",   "__mul",      "__mod",  "__pow",  "__div", "__idiv", "__band",
      "__bor",   "__bxor",     "__shl",  "__shr",  "__unm", "__bnot", "__lt",
      "__le",    "__concat",   "__call", "__close"};
  for (int i = 0; i < NUM_TMS; i++) {
    TString* ts = G(L)->tmname[i];
    CHECK(std::string(getstr(ts)) == names[i]);
    CHECK(ts == luaS_new(L, names[i]));  // interned
    CHECK(isgray(ts));                   // fixed objects are gray
    bool fixed = false;
    for (GCObject* o = G(L)->fixedgc; o != nullptr; o = o->next)
      fixed = fixed || o == ts;
    CHECK(fixed);
  }
  CHECK(S.close() == 0);
}

TEST_CASE("fasttm caches an absent metamethod in the metatable's flags",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  Table* mt = luaH_new(L);
  CHECK(fasttm(L, nullptr, TM_INDEX) == nullptr);
  CHECK(fasttm(L, mt, TM_INDEX) == nullptr);  // a new table: all absent
  invalidateTMcache(mt);
  CHECK(fasttm(L, mt, TM_LEN) == nullptr);  // looked up, now cached
  CHECK((mt->flags & (1u << static_cast<int>(TM_LEN))) != 0);
  CHECK((mt->flags & (1u << static_cast<int>(TM_EQ))) == 0);
  TValue key, fn;
  setsvalue(L, &key, G(L)->tmname[static_cast<int>(TM_LEN)]);
  setivalue(&fn, 1);
  luaH_set(L, mt, &key, &fn);  // any store forgets the cache
  const TValue* tm = fasttm(L, mt, TM_LEN);
  REQUIRE(tm != nullptr);
  CHECK(ivalue(tm) == 1);
  CHECK(check_table(mt) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaT_gettmbyobj looks in the value's own or its type's metatable",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  Table* mt = luaH_new(L);
  TValue key, fn, t, n;
  setsvalue(L, &key, G(L)->tmname[static_cast<int>(TM_ADD)]);
  setivalue(&fn, 5);
  luaH_set(L, mt, &key, &fn);
  Table* obj = luaH_new(L);
  sethvalue(L, &t, obj);
  setivalue(&n, 3);
  CHECK(notm(luaT_gettmbyobj(L, &t, TM_ADD)));
  CHECK(notm(luaT_gettmbyobj(L, &n, TM_ADD)));
  obj->metatable = mt;
  G(L)->mt[LUA_TNUMBER] = mt;
  CHECK(ivalue(luaT_gettmbyobj(L, &t, TM_ADD)) == 5);
  CHECK(ivalue(luaT_gettmbyobj(L, &n, TM_ADD)) == 5);
  CHECK(notm(luaT_gettmbyobj(L, &n, TM_SUB)));
  G(L)->mt[LUA_TNUMBER] = nullptr;
  CHECK(S.close() == 0);
}

TEST_CASE("luaT_objtypename prefers a string __name in the metatable",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  TValue t, v;
  Table* obj = luaH_new(L);
  sethvalue(L, &t, obj);
  CHECK(std::string(luaT_objtypename(L, &t)) == "table");
  Table* mt = luaH_new(L);
  obj->metatable = mt;
  CHECK(std::string(luaT_objtypename(L, &t)) == "table");
  TValue name = test::strv(L, "__name"), val = test::strv(L, "Point");
  luaH_set(L, mt, &name, &val);
  CHECK(std::string(luaT_objtypename(L, &t)) == "Point");
  setivalue(&v, 1);
  CHECK(std::string(luaT_objtypename(L, &v)) == "number");
  CHECK(std::string(ttypename(LUA_TNONE)) == "no value");
  CHECK(std::string(ttypename(LUA_TLIGHTUSERDATA)) == "userdata");
  CHECK(std::string(ttypename(LUA_TUSERDATA)) == "userdata");
  CHECK(std::string(ttypename(LUA_TPROTO)) == "proto");
  CHECK(S.close() == 0);
}

TEST_CASE("the pushstring seam pushes a string that luaO_pushfstring returns",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  StkId top = L->top;
  const char* s = luaO_pushfstring(L, "%s=%d (%I) %c%%", "x", 42,
                                   static_cast<lua_Integer>(-7), 'z');
  CHECK(std::string(s) == "x=42 (-7) z%");
  CHECK(L->top == top + 1);
  REQUIRE(ttisstring(s2v(L->top - 1)));
  CHECK(svalue(s2v(L->top - 1)) == s);  // the contents of the pushed string
  std::string big(100, 'b');
  const char* l = luaO_pushfstring(L, "<%s>", big.c_str());
  CHECK(std::string(l) == "<" + big + ">");
  CHECK(ttislngstring(s2v(L->top - 1)));
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("the pushstring seam grows a full stack", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  L->top = L->stack_last - 1;
  L->base_ci.top = L->top;
  luaO_pushfstring(L, "%d", 1);
  CHECK(stacksize(L) > BASIC_STACK_SIZE);
  CHECK(std::string(svalue(s2v(L->top - 1))) == "1");
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("at the stack limit the pushstring seam uses an extra slot",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  REQUIRE(luaD_reallocstack(L, LUAI_MAXSTACK, true));
  L->top = L->stack_last;  // full, and growing would be an overflow
  L->base_ci.top = L->top;
  const char* msg = luaO_pushfstring(L, "%s", "the original message");
  CHECK(std::string(msg) == "the original message");
  CHECK(L->top == L->stack_last + 1);  // in the EXTRA_STACK slots
  CHECK(stacksize(L) == LUAI_MAXSTACK);
  L->top = L->stack + 1;
  L->base_ci.top = L->top + LUA_MINSTACK;
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("a thread has its own stack and shares the global state", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  std::memset(lua_getextraspace(L), 0xAB, LUA_EXTRASPACE);
  L->hookmask = LUA_MASKCOUNT;
  L->basehookcount = 7;
  StkId top = L->top;
  lua_State* L1 = luaE_newthread(L);
  CHECK(L1->hookmask == LUA_MASKCOUNT);  // hooks are inherited
  CHECK(L1->basehookcount == 7);
  CHECK(L1->hookcount == 7);
  L->hookmask = 0;
  CHECK(L->top == top + 1);  // anchored on the creator's stack
  CHECK(thvalue(s2v(L->top - 1)) == L1);
  CHECK(G(L)->allgc == L1);
  CHECK(G(L1) == G(L));
  CHECK(L1->stack != L->stack);
  CHECK(stacksize(L1) == BASIC_STACK_SIZE);
  CHECK(L1->ci == &L1->base_ci);
  CHECK(yieldable(L1));
  CHECK(static_cast<unsigned char*>(lua_getextraspace(L1))[0] == 0xAB);
  // Using it moves nothing of the creator's.
  test::pushframe(L1, nilv(), 3);
  setivalue(s2v(test::reg(L1, 0)), 1);
  LClosure* cl = test::closure(L1, {0});
  luaD_checkstack(L1, 500);
  CHECK(ivalue(cl->upvals()[0]->v) == 1);
  CHECK(L->top == top + 1);
  CHECK(check_thread(L1) == 0);
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);  // frees the thread, its stack and its upvalues
}

TEST_CASE("luaE_freethread closes the thread's upvalues and leaves twups",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 1);
  LClosure* mine = test::closure(L, {0});
  lua_State* L1 = luaE_newthread(L);
  test::pushframe(L1, nilv(), 2);
  setivalue(s2v(test::reg(L1, 1)), 77);
  LClosure* cl = test::closure(L1, {1});
  CHECK(G(L)->twups == L1);
  std::size_t before = S.heap.held;
  std::size_t stackbytes =
      cast_sizet(stacksize(L1) + EXTRA_STACK) * sizeof(StackValue);
  std::size_t cis = L1->nci * sizeof(lua::CallInfo);
  test::unlinkobj(L, L1);
  luaE_freethread(L, L1);
  L->top--;  // the stack slot that anchored it
  CHECK(before - S.heap.held == sizeof(LX) + stackbytes + cis);
  CHECK_FALSE(upisopen(cl->upvals()[0]));
  CHECK(ivalue(cl->upvals()[0]->v) == 77);
  CHECK(G(L)->twups == L);  // only the creator, whose upvalue is open
  CHECK(upisopen(mine->upvals()[0]));
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("a thread whose stack cannot be allocated is freed with the state",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  S.heap.refuse_after = 1;  // the thread's block, not its stack
  test::Outcome o = protect([L] { (void)luaE_newthread(L); });
  S.heap.refuse_after = -1;
  CHECK(o.status == LUA_ERRMEM);
  REQUIRE(G(L)->allgc->tt == LUA_VTHREAD);
  CHECK(gco2th(G(L)->allgc)->stack == nullptr);
  CHECK(S.close() == 0);
}

TEST_CASE("luaE_resetthread closes everything and shrinks to the base frame",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  lua_State* L1 = luaE_newthread(L);
  test::pushframe(L1, nilv(), 3);
  setivalue(s2v(test::reg(L1, 0)), 5);
  LClosure* cl = test::closure(L1, {0});
  setbtvalue(s2v(test::reg(L1, 2)));
  luaF_newtbcupval(L1, test::reg(L1, 2));
  test::pushframe(L1, nilv(), 100);
  CHECK(luaE_resetthread(L1, LUA_YIELD) == LUA_OK);
  CHECK(L1->status == LUA_OK);
  CHECK(L1->ci == &L1->base_ci);
  CHECK(L1->top == L1->stack + 1);
  CHECK(L1->tbclist == L1->stack);
  CHECK(L1->openupval == nullptr);
  CHECK(ivalue(cl->upvals()[0]->v) == 5);
  CHECK(stacksize(L1) == 1 + LUA_MINSTACK);
  CHECK(check_thread(L1) == 0);
  CHECK(luaE_resetthread(L1, LUA_ERRRUN) == LUA_ERRRUN);
  CHECK(S.close() == 0);
}

TEST_CASE("luaE_freeobj frees an object of every type", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 1);
  std::size_t before = S.heap.held;
  int nuse = G(L)->strt.nuse;
  std::vector<GCObject*> objs;
  objs.push_back(luaS_newliteral(L, "a short one"));
  objs.push_back(luaS_newlstr(L, std::string(60, 'l').data(), 60));
  objs.push_back(luaS_newudata(L, 24, 2));
  Table* t = luaH_new(L);
  luaH_resize(L, t, 4, 4);
  objs.push_back(t);
  Proto* p = luaF_newproto(L);
  p->code = luaM_newvector<Instruction>(L, 3);
  p->sizecode = 3;
  objs.push_back(p);
  LClosure* lcl = test::closure(L, {0});
  objs.push_back(lcl->upvals()[0]);  // open
  objs.push_back(lcl);
  objs.push_back(luaF_newCclosure(L, 2));
  LClosure* closed = luaF_newLclosure(L, 1);
  luaF_initupvals(L, closed);
  objs.push_back(closed->upvals()[0]);
  objs.push_back(closed);
  objs.push_back(luaE_newthread(L));
  L->top--;
  for (GCObject* o : objs) {
    test::unlinkobj(L, o);
    luaE_freeobj(L, o);
  }
  CHECK(L->openupval == nullptr);  // the open upvalue left its list
  CHECK(G(L)->strt.nuse == nuse);  // the short string left its table
  CHECK(S.heap.held == before);
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("check_thread counts broken upvalue and call structures", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  lua::CallInfo* ci = test::pushframe(L, nilv(), 3);
  LClosure* cl = test::closure(L, {0, 1, 2});
  REQUIRE(check_thread(L) == 0);
  UpVal* hi = cl->upvals()[2];
  hi->v = s2v(test::reg(L, 0));  // two upvalues on one slot, out of order
  CHECK(check_thread(L) > 0);
  hi->v = s2v(L->top);  // above the top
  CHECK(check_thread(L) > 0);
  hi->v = s2v(test::reg(L, 2));
  L->twups = L;  // open upvalues, yet out of twups
  CHECK(check_thread(L) > 0);
  L->twups = nullptr;
  L->nci++;  // a count that does not match the list
  CHECK(check_thread(L) > 0);
  L->nci--;
  ci->func = L->stack + 200;  // a call outside its own frame
  CHECK(check_thread(L) > 0);
  ci->func = L->stack + 1;
  StkId last = L->stack_last;
  L->stack_last = L->stack + 20;
  L->top = L->stack + 30;  // past the extra slots
  CHECK(check_thread(L) > 0);
  L->stack_last = last;
  L->top = ci->top;
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(S.close() == 0);
}
