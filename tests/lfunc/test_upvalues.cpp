// Chapter 5: closures and upvalues. One UpVal per stack slot, shared by
// every closure over that slot; the sorted open list; twups; closing.
#include <catch2/catch.hpp>
#include <vector>

#include "tests/lfunc/support.hpp"

using namespace lua;
using test::intv;
using test::nilv;
using test::State;

namespace {

// The levels of the open upvalues of `L`, in list order, as register
// numbers of the current call.
std::vector<long> openlevels(lua_State* L) {
  std::vector<long> levels;
  for (UpVal* uv = L->openupval; uv != nullptr; uv = uv->u.open.next)
    levels.push_back(uplevel(uv) - test::reg(L, 0));
  return levels;
}

}  // namespace

TEST_CASE("luaF_findupval returns one UpVal per stack slot", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 4);
  UpVal* a = luaF_findupval(L, test::reg(L, 1));
  CHECK(luaF_findupval(L, test::reg(L, 1)) == a);
  UpVal* b = luaF_findupval(L, test::reg(L, 2));
  CHECK(b != a);
  CHECK(upisopen(a));
  CHECK(a->v == s2v(test::reg(L, 1)));
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("the open list stays sorted highest slot first in any creation order",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 6);
  for (int r : {2, 0, 5, 3, 1, 4, 3, 0}) {
    (void)luaF_findupval(L, test::reg(L, r));
    CHECK(check_thread(L) == 0);
  }
  CHECK(openlevels(L) == std::vector<long>{5, 4, 3, 2, 1, 0});
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("two closures over the same variable share its UpVal", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 3);  // local x, y, z
  setivalue(s2v(test::reg(L, 0)), 10);
  setivalue(s2v(test::reg(L, 1)), 20);
  setivalue(s2v(test::reg(L, 2)), 30);
  LClosure* get = test::closure(L, {0, 1});  // captures x, y
  LClosure* set = test::closure(L, {0, 2});  // captures x, z
  CHECK(get->upvals()[0] == set->upvals()[0]);
  CHECK(get->upvals()[1] != set->upvals()[1]);
  // A write through one closure is seen by the other and by the frame.
  setivalue(set->upvals()[0]->v, 11);
  CHECK(ivalue(get->upvals()[0]->v) == 11);
  CHECK(ivalue(s2v(test::reg(L, 0))) == 11);
  CHECK(openlevels(L) == std::vector<long>{2, 1, 0});
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("closing copies the value into the UpVal and both closures see it",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 2);
  setivalue(s2v(test::reg(L, 0)), 10);
  TValue s = test::strv(L, "shared");
  setobj2s(L, test::reg(L, 1), &s);
  LClosure* f = test::closure(L, {0, 1});
  LClosure* g = test::closure(L, {1, 0});
  test::popframe(L);  // the scope ends: every upvalue of the frame closes
  CHECK(L->openupval == nullptr);
  for (UpVal* uv : {f->upvals()[0], f->upvals()[1]}) {
    CHECK_FALSE(upisopen(uv));
    CHECK(uv->v == &uv->u.value);
  }
  CHECK(ivalue(f->upvals()[0]->v) == 10);
  CHECK(tsvalue(g->upvals()[0]->v) == tsvalue(&s));
  // The old slots are reused; the closed values do not change.
  test::push(L, intv(99));
  test::push(L, intv(98));
  CHECK(ivalue(f->upvals()[0]->v) == 10);
  // Still shared after closing: a write through g is read through f.
  setivalue(g->upvals()[1]->v, 12);
  CHECK(ivalue(f->upvals()[0]->v) == 12);
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaF_closeupval closes only the upvalues at or above its level",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 4);
  for (int r = 0; r < 4; r++) setivalue(s2v(test::reg(L, r)), r);
  LClosure* cl = test::closure(L, {0, 1, 2, 3});
  luaF_closeupval(L, test::reg(L, 2));
  CHECK(upisopen(cl->upvals()[0]));
  CHECK(upisopen(cl->upvals()[1]));
  CHECK_FALSE(upisopen(cl->upvals()[2]));
  CHECK_FALSE(upisopen(cl->upvals()[3]));
  CHECK(ivalue(cl->upvals()[3]->v) == 3);
  CHECK(openlevels(L) == std::vector<long>{1, 0});
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  CHECK(L->openupval == nullptr);
  CHECK(S.close() == 0);
}

TEST_CASE("a thread with open upvalues is linked into twups once", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  CHECK(G(L)->twups == nullptr);
  CHECK_FALSE(isintwups(L));
  test::pushframe(L, nilv(), 2);
  (void)luaF_findupval(L, test::reg(L, 0));
  CHECK(G(L)->twups == L);
  CHECK(isintwups(L));
  (void)luaF_findupval(L, test::reg(L, 1));
  CHECK(G(L)->twups == L);
  CHECK(L->twups == nullptr);  // the only thread in the list
  lua_State* L1 = luaE_newthread(L);
  test::pushframe(L1, nilv(), 1);
  (void)luaF_findupval(L1, test::reg(L1, 0));
  CHECK(G(L)->twups == L1);
  CHECK(L1->twups == L);
  CHECK(check_thread(L) == 0);
  CHECK(check_thread(L1) == 0);
  test::popframe(L1);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("luaF_unlinkupval takes an upvalue out of the middle of the list",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::pushframe(L, nilv(), 3);
  LClosure* cl = test::closure(L, {0, 1, 2});
  UpVal* mid = cl->upvals()[1];
  luaF_unlinkupval(mid);
  CHECK(openlevels(L) == std::vector<long>{2, 0});
  CHECK(check_thread(L) == 0);
  // Leave it closed, as it would be when freed, so the close does not
  // unlink it a second time.
  setnilvalue(&mid->u.value);
  mid->v = &mid->u.value;
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("luaF_initupvals gives each upvalue a fresh closed nil UpVal",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  LClosure* cl = luaF_newLclosure(L, 3);
  CHECK(cl->p == nullptr);
  for (int i = 0; i < 3; i++) CHECK(cl->upvals()[i] == nullptr);
  luaF_initupvals(L, cl);
  for (int i = 0; i < 3; i++) {
    UpVal* uv = cl->upvals()[i];
    CHECK_FALSE(upisopen(uv));
    CHECK(ttisnil(uv->v));
    for (int j = 0; j < i; j++) CHECK(cl->upvals()[j] != uv);
  }
  CHECK(L->openupval == nullptr);
  CHECK_FALSE(isintwups(L));
  CHECK(S.close() == 0);
}

TEST_CASE("closures take exactly the bytes of their upvalues", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  for (int n : {0, 1, 5, MAXUPVAL}) {
    std::size_t before = S.heap.held;
    LClosure* l = luaF_newLclosure(L, n);
    CHECK(S.heap.held - before == sizeLclosure(n));
    CHECK(l->nupvalues == n);
    before = S.heap.held;
    CClosure* c = luaF_newCclosure(L, n);
    CHECK(S.heap.held - before == sizeCclosure(n));
    CHECK(c->nupvalues == n);
    for (int i = 0; i < n; i++) setivalue(&c->upvalue()[i], i);
  }
  CHECK(S.close() == 0);
}
