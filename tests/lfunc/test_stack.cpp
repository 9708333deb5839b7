// Chapter 5: the stack of a thread and its call records. Growth and
// shrinking with every pointer corrected, the stack and C-stack limits,
// and the reuse of call records.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/lfunc/support.hpp"

using namespace lua;
using test::boolv;
using test::intv;
using test::nilv;
using test::protect;
using test::State;

namespace {

// Every pointer of invariant POINTERS, as an offset from the stack base.
struct Offsets {
  std::ptrdiff_t top, tbclist;
  std::vector<std::ptrdiff_t> upvals, calls;
  bool operator==(const Offsets&) const = default;
};

Offsets offsets(lua_State* L) {
  Offsets o{L->top - L->stack, L->tbclist - L->stack, {}, {}};
  for (UpVal* uv = L->openupval; uv != nullptr; uv = uv->u.open.next)
    o.upvals.push_back(uplevel(uv) - L->stack);
  for (lua::CallInfo* ci = L->ci; ci != nullptr; ci = ci->previous) {
    o.calls.push_back(ci->func - L->stack);
    o.calls.push_back(ci->top - L->stack);
  }
  return o;
}

// Two Lua frames over the base record, each with values, open upvalues
// shared by a closure, and a to-be-closed variable.
struct TwoFrames {
  lua::CallInfo* c1;
  lua::CallInfo* c2;
  LClosure* f;
  LClosure* g;
  explicit TwoFrames(lua_State* L) {
    c1 = test::pushframe(L, nilv(), 5);
    for (int r = 0; r < 4; r++) setivalue(s2v(test::reg(L, r)), 100 + r);
    setbtvalue(s2v(test::reg(L, 4)));
    luaF_newtbcupval(L, test::reg(L, 4));
    f = test::closure(L, {1, 3});
    c2 = test::pushframe(L, nilv(), 4);
    for (int r = 0; r < 3; r++) setivalue(s2v(test::reg(L, r)), 200 + r);
    setbtvalue(s2v(test::reg(L, 3)));
    luaF_newtbcupval(L, test::reg(L, 3));
    g = test::closure(L, {0, 2});
  }
  // The values the closures see.
  std::vector<lua_Integer> seen() const {
    return {ivalue(f->upvals()[0]->v), ivalue(f->upvals()[1]->v),
            ivalue(g->upvals()[0]->v), ivalue(g->upvals()[1]->v)};
  }
};

}  // namespace

TEST_CASE("a new thread has a basic stack and one base record", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  CHECK(stacksize(L) == BASIC_STACK_SIZE);
  CHECK(L->stack_last == L->stack + BASIC_STACK_SIZE);
  CHECK(L->top == L->stack + 1);  // the base record's function slot
  CHECK(L->ci == &L->base_ci);
  CHECK(L->base_ci.func == L->stack);
  CHECK(L->base_ci.top == L->top + LUA_MINSTACK);
  CHECK(L->base_ci.callstatus == CIST_C);
  CHECK_FALSE(isLua(L->ci));
  CHECK(L->nci == 0);
  CHECK(L->tbclist == L->stack);
  for (int i = 0; i < BASIC_STACK_SIZE + EXTRA_STACK; i++)
    CHECK(ttisnil(s2v(L->stack + i)));
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("a stack reallocation moves every pointer and keeps every value",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  TwoFrames fr(L);
  REQUIRE(check_thread(L) == 0);
  Offsets before = offsets(L);
  StkId old = L->stack;
  int oldsize = stacksize(L);
  REQUIRE(luaD_reallocstack(L, 500, true));
  CHECK(L->stack != old);  // the old vector was still allocated
  CHECK(stacksize(L) == 500);
  CHECK(offsets(L) == before);
  CHECK(fr.seen() == std::vector<lua_Integer>{101, 103, 200, 202});
  CHECK(ivalue(s2v(L->stack + (fr.c1->func - L->stack) + 2)) == 101);
  for (int i = oldsize + EXTRA_STACK; i < 500 + EXTRA_STACK; i++)
    CHECK(ttisnil(s2v(L->stack + i)));
  CHECK(fr.c1->u.l.trap == 1);  // Lua calls learn that the stack moved
  CHECK(fr.c2->u.l.trap == 1);
  CHECK(check_thread(L) == 0);
  // And back down: a smaller vector keeps the lowest slots.
  REQUIRE(luaD_reallocstack(L, 30, true));
  CHECK(stacksize(L) == 30);
  CHECK(offsets(L) == before);
  CHECK(fr.seen() == std::vector<lua_Integer>{101, 103, 200, 202});
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  test::popframe(L);
  CHECK(fr.seen() == std::vector<lua_Integer>{101, 103, 200, 202});
  CHECK(S.close() == 0);
}

TEST_CASE("luaD_growstack doubles the stack but gives at least what is asked",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  luaD_checkstack(L, 30);  // 39 slots free: nothing to do
  CHECK(stacksize(L) == BASIC_STACK_SIZE);
  L->top = L->stack + 30;
  L->base_ci.top = L->top;
  luaD_checkstack(L, 30);
  CHECK(stacksize(L) == 2 * BASIC_STACK_SIZE);
  REQUIRE(luaD_growstack(L, 1000, true));
  CHECK(stacksize(L) == 30 + 1000);
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaD_shrinkstack shrinks to twice the use past three times the use",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  REQUIRE(luaD_reallocstack(L, 60, true));
  luaD_shrinkstack(L);  // in use: up to base_ci.top, 22 slots; 60 < 66
  CHECK(stacksize(L) == 60);
  REQUIRE(luaD_reallocstack(L, 1000, true));
  TwoFrames fr(L);  // frames up to slot 12
  Offsets before = offsets(L);
  luaD_shrinkstack(L);
  CHECK(fr.c2->top < L->base_ci.top);  // still the highest: 22 in use
  CHECK(stacksize(L) == 2 * 22);
  CHECK(offsets(L) == before);
  CHECK(fr.seen() == std::vector<lua_Integer>{101, 103, 200, 202});
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("luaD_shrinkstack frees every second spare call record", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  for (int i = 0; i < 6; i++) test::pushframe(L, nilv(), 1);
  CHECK(L->nci == 6);
  while (L->ci != &L->base_ci) test::popframe(L);
  CHECK(L->nci == 6);  // kept for reuse
  for (int i = 0; i < 6; i++) test::pushframe(L, nilv(), 1);
  CHECK(L->nci == 6);  // reused, none added
  while (L->ci != &L->base_ci) test::popframe(L);
  luaD_shrinkstack(L);
  CHECK(L->nci == 3);
  CHECK(check_thread(L) == 0);
  luaE_shrinkCI(L);
  CHECK(L->nci == 2);
  luaE_freeCI(L);
  CHECK(L->nci == 0);
  CHECK(L->base_ci.next == nullptr);
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaE_extendCI links a new record after the last one", "[lfunc]") {
  State S;
  lua_State* L = S.L;
  lua::CallInfo* ci = luaE_extendCI(L);
  CHECK(L->base_ci.next == ci);
  CHECK(ci->previous == &L->base_ci);
  CHECK(ci->next == nullptr);
  CHECK(L->nci == 1);
  CHECK(L->ci == &L->base_ci);  // extending does not enter the call
  S.heap.refuse_after = 0;
  CHECK(protect([&] { L->ci = ci, (void)luaE_extendCI(L); }).status ==
        LUA_ERRMEM);
  S.heap.refuse_after = -1;
  CHECK(ci->next == nullptr);  // unchanged by the failure
  CHECK(L->nci == 1);
  L->ci = &L->base_ci;
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("the stack overflows past LUAI_MAXSTACK with 'stack overflow'",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  auto fill = [L] {
    for (;;) {
      luaD_checkstack(L, 10000);
      L->top += 10000;
      L->ci->top = L->top;  // as lua_checkstack does for a C function
    }
  };
  test::Outcome o = protect(fill);
  CHECK(o.status == LUA_ERRRUN);
  CHECK(o.msg == "stack overflow");
  CHECK(stacksize(L) == ERRORSTACKSIZE);  // room to handle the error
  CHECK(L->stack_last - L->top > 200);
  // An overflow while the first one is handled is an error in the error
  // handling.
  o = protect([L] { luaD_growstack(L, 1, true); });
  CHECK(o.status == LUA_ERRERR);
  CHECK(o.msg == "error in error handling");
  CHECK_FALSE(luaD_growstack(L, 1, false));
  // Once handled, the stack returns to a normal size and works again.
  L->top = L->stack + 1;
  L->ci->top = L->top + LUA_MINSTACK;
  luaD_shrinkstack(L);
  CHECK(stacksize(L) == 2 * (LUA_MINSTACK + 2));
  CHECK(check_thread(L) == 0);
  CHECK(std::string(luaO_pushfstring(L, "%s again", "usable")) ==
        "usable again");
  luaD_checkstack(L, 5000);
  CHECK(stacksize(L) >= 5000);
  CHECK(S.close() == 0);
}

TEST_CASE("luaD_growstack without raiseerror reports an overflow as false",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  CHECK_FALSE(luaD_growstack(L, LUAI_MAXSTACK, false));
  CHECK(stacksize(L) == ERRORSTACKSIZE);
  luaD_shrinkstack(L);
  CHECK(stacksize(L) <= LUAI_MAXSTACK);
  CHECK(S.close() == 0);
}

TEST_CASE("a stack reallocation that runs out of memory changes nothing",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  TwoFrames fr(L);
  Offsets before = offsets(L);
  StkId old = L->stack;
  S.heap.refuse_after = 0;
  CHECK_FALSE(luaD_reallocstack(L, 500, false));
  test::Outcome o = protect([L] { luaD_reallocstack(L, 500, true); });
  S.heap.refuse_after = -1;
  CHECK(o.status == LUA_ERRMEM);
  CHECK(o.msg == "not enough memory");
  CHECK(L->stack == old);
  CHECK(offsets(L) == before);
  CHECK(check_thread(L) == 0);
  test::popframe(L);
  test::popframe(L);
  CHECK(S.close() == 0);
}

TEST_CASE("luaD_inctop grows the stack when the pushed slot reaches the end",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  int n = 0;
  while (stacksize(L) == BASIC_STACK_SIZE) {
    setivalue(s2v(L->top), n++);
    luaD_inctop(L);
  }
  CHECK(n == BASIC_STACK_SIZE - 1);  // grown when 1 free slot was left
  for (int i = 0; i < n; i++) CHECK(ivalue(s2v(L->stack + 1 + i)) == i);
  L->base_ci.top = L->top;
  CHECK(check_thread(L) == 0);
  CHECK(S.close() == 0);
}

TEST_CASE(
    "checkstackGCp keeps its pointer on its slot and steps before growing",
    "[lfunc]") {
  State S;
  lua_State* L = S.L;
  test::push(L, intv(7));
  StkId p = L->top - 1;
  StkId oldstack = L->stack;
  bool stepped_before_move = false;
  checkstackGCp(L, 100, p, [&](lua_State* L1) {
    stepped_before_move = L1->stack == oldstack;
  });
  CHECK(stepped_before_move);
  CHECK(L->stack != oldstack);
  CHECK(p == L->top - 1);
  CHECK(ivalue(s2v(p)) == 7);
  int steps = 0;
  checkstackGC(L, 10, [&](lua_State*) { steps++; });  // room enough
  CHECK(steps == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaE_incCstack raises 'C stack overflow' at LUAI_MAXCCALLS",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  std::uint32_t saved = L->nCcalls;
  CHECK(getCcalls(L) == 0);
  CHECK_FALSE(yieldable(L));  // the main thread never yields
  test::Outcome o = protect([L] {
    for (;;) luaE_incCstack(L);
  });
  CHECK(o.status == LUA_ERRRUN);
  CHECK(o.msg == "C stack overflow");
  CHECK(getCcalls(L) == LUAI_MAXCCALLS);
  // Handling the error may nest a few more calls, up to 10% more.
  for (int i = LUAI_MAXCCALLS; i < LUAI_MAXCCALLS / 10 * 11 - 1; i++)
    luaE_incCstack(L);
  o = protect([L] { luaE_incCstack(L); });
  CHECK(o.status == LUA_ERRERR);
  CHECK((L->nCcalls & 0xffff0000u) == (saved & 0xffff0000u));
  L->nCcalls = saved;  // the protected call that caught it restores this
  luaE_incCstack(L);
  CHECK(getCcalls(L) == 1);
  CHECK(S.close() == 0);
}
