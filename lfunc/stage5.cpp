// Stage 5 demo: what exists after chapter 5. A complete state is opened;
// a Lua frame holds three locals; two closures capture them and share the
// UpVal of the variable they both use; the stack grows and every pointer
// into it follows; the scope ends and the upvalues close over their
// values; a second thread runs on a stack of its own; the stack and C-call
// limits raise their errors; and the state closes with nothing left. The
// seed is fixed (LUA_ANATOMY_SEED), so the output is the same on every run.
#include <cstdio>
#include <string>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/lstate.hpp"
#include "lfunc/ltm.hpp"
#include "tests/lfunc/support.hpp"

namespace {

using namespace lua;

// A value as a line of the demo shows it.
std::string show(const TValue* v) {
  if (ttisinteger(v)) return std::to_string(ivalue(v));
  if (ttisstring(v)) return "\"" + std::string(svalue(v)) + "\"";
  return ttypename(ttype(v));
}

// The slots of the current frame, with the open upvalue of each.
void show_frame(lua_State* L, const char* const names[]) {
  StkId func = L->ci->func;
  std::printf("    slot %ld: %s (the frame's function)\n",
              static_cast<long>(func - L->stack), show(s2v(func)).c_str());
  for (StkId p = func + 1; p < L->top; p++) {
    const char* open = "";
    for (UpVal* uv = L->openupval; uv != nullptr; uv = uv->u.open.next)
      if (uplevel(uv) == p) open = "  <- open UpVal";
    std::printf("    slot %ld: %-8s %s = %s%s\n",
                static_cast<long>(p - L->stack), "local", names[p - func - 1],
                show(s2v(p)).c_str(), open);
  }
}

void show_openlist(lua_State* L) {
  std::printf("  open upvalues, highest slot first:");
  if (L->openupval == nullptr) std::printf(" none");
  for (UpVal* uv = L->openupval; uv != nullptr; uv = uv->u.open.next)
    std::printf(" slot %ld%s", static_cast<long>(uplevel(uv) - L->stack),
                uv->u.open.next != nullptr ? " ->" : "");
  std::printf("\n");
}

const char* yesno(bool b) {
  return b ? "yes" : "no";
}

void show_state(lua_State* L, test::Heap& heap) {
  global_State* g = G(L);
  Table* reg = hvalue(&g->l_registry);
  std::printf("Opening a state with luaE_openstate: %zu bytes in use.\n",
              heap.held);
  std::printf("  stack: %d usable slots + EXTRA_STACK %d; top at slot %ld\n",
              stacksize(L), EXTRA_STACK, static_cast<long>(L->top - L->stack));
  std::printf("  registry[1] is the main thread: %s; registry[2] is %s\n",
              yesno(thvalue(luaH_getint(reg, LUA_RIDX_MAINTHREAD)) == L),
              show(luaH_getint(reg, LUA_RIDX_GLOBALS)).c_str());
  std::printf("  %d metamethod names, fixed: %s ... %s\n", NUM_TMS,
              getstr(g->tmname[0]), getstr(g->tmname[NUM_TMS - 1]));
  std::printf("  thread invariants: %d violations\n\n", check_thread(L));
}

// local x, y, z = 10, "hi", {} in a Lua frame; then the closures
//   get = function() return x, y end   and   set = function(v) x = v; ... z
struct Demo {
  LClosure* get;
  LClosure* set;
};

Demo show_closures(lua_State* L) {
  static const char* const names[] = {"x", "y", "z"};
  TValue fn;
  setclLvalue(L, &fn, luaF_newLclosure(L, 0));
  test::pushframe(L, fn, 3);
  setivalue(s2v(test::reg(L, 0)), 10);
  setsvalue2s(L, test::reg(L, 1), luaS_newliteral(L, "hi"));
  sethvalue2s(L, test::reg(L, 2), luaH_new(L));
  std::printf("A Lua frame: local x, y, z = 10, \"hi\", {}\n");
  Demo d{test::closure(L, {0, 1}), test::closure(L, {0, 2})};
  std::printf(
      "then get = function() return x, y end and"
      " set = function(v) x = v; z[1] = v end:\n");
  show_frame(L, names);
  show_openlist(L);
  std::printf("  get's x and set's x are one UpVal: %s; y and z are two: %s\n",
              yesno(d.get->upvals()[0] == d.set->upvals()[0]),
              yesno(d.get->upvals()[1] != d.set->upvals()[1]));
  std::printf("  the main thread is in g->twups: %s\n", yesno(isintwups(L)));
  setivalue(d.set->upvals()[0]->v, 11);
  std::printf("  set(11) writes through its UpVal; the frame's x reads %s\n\n",
              show(s2v(test::reg(L, 0))).c_str());
  return d;
}

void show_growth(lua_State* L, const Demo& d) {
  StkId oldstack = L->stack;
  int oldsize = stacksize(L);
  std::ptrdiff_t func = L->ci->func - L->stack;
  luaD_checkstack(L, 1000);
  std::printf("Making room for 1000 more slots (luaD_checkstack):\n");
  std::printf("  the stack moved to a new vector: %s; size %d -> %d\n",
              yesno(L->stack != oldstack), oldsize, stacksize(L));
  std::printf("  the frame's func is still slot %ld: %s\n",
              static_cast<long>(func), yesno(L->ci->func - L->stack == func));
  std::printf(
      "  through get's upvalues: x = %s, y = %s; every UpVal at its"
      " slot: %s\n",
      show(d.get->upvals()[0]->v).c_str(), show(d.get->upvals()[1]->v).c_str(),
      yesno(uplevel(d.get->upvals()[0]) == test::reg(L, 0) &&
            uplevel(d.set->upvals()[1]) == test::reg(L, 2)));
  std::printf("  thread invariants: %d violations\n\n", check_thread(L));
}

void show_closing(lua_State* L, const Demo& d) {
  std::printf(
      "The scope ends: luaF_closeupval from slot %ld, then the slots"
      " are reused.\n",
      static_cast<long>(test::reg(L, 0) - L->stack));
  test::popframe(L);
  test::push(L, test::intv(-1));
  test::push(L, test::intv(-2));
  show_openlist(L);
  UpVal* x = d.get->upvals()[0];
  std::printf("  x is closed: %s, holding %s\n", yesno(!upisopen(x)),
              show(x->v).c_str());
  setivalue(d.set->upvals()[0]->v, 12);
  std::printf("  set(12), then get() sees x = %s (still one UpVal)\n\n",
              show(d.get->upvals()[0]->v).c_str());
  L->top -= 2;
}

void show_thread(lua_State* L) {
  lua_State* co = luaE_newthread(L);
  std::printf("A second thread, as coroutine.create makes one:\n");
  std::printf(
      "  anchored on the main stack at slot %ld; its own stack: %s,"
      " %d slots\n",
      static_cast<long>(L->top - 1 - L->stack), yesno(co->stack != L->stack),
      stacksize(co));
  test::pushframe(co, test::nilv(), 2);
  setivalue(s2v(test::reg(co, 1)), 42);
  LClosure* cl = test::closure(co, {1});
  std::printf(
      "  a frame on it with an upvalue: twups is now thread -> main"
      " thread: %s\n",
      yesno(G(L)->twups == co && co->twups == L));
  std::printf(
      "  main stack top unchanged at slot %ld; thread invariants:"
      " %d and %d\n",
      static_cast<long>(L->top - L->stack), check_thread(co), check_thread(L));
  luaE_resetthread(co, LUA_OK);
  std::printf(
      "  luaE_resetthread: upvalue closed holding %s, stack back to"
      " %d slots\n\n",
      show(cl->upvals()[0]->v).c_str(), stacksize(co));
}

void show_limits(lua_State* L) {
  LuaError e{};
  int status = luaM_runprotected(
      [L] {
        for (;;) {
          luaD_checkstack(L, 10000);
          L->top += 10000;
          L->ci->top = L->top;
        }
      },
      &e);
  std::printf(
      "Pushing 10000 slots at a time: status %d, \"%s\" at top %ld;"
      " the stack has %d slots to handle it\n",
      status, e.msg, static_cast<long>(L->top - L->stack), stacksize(L));
  L->top = L->stack + 1;
  L->ci->top = L->top + LUA_MINSTACK;
  luaD_shrinkstack(L);
  std::printf("  once handled, luaD_shrinkstack brings it to %d slots\n",
              stacksize(L));
  std::uint32_t saved = L->nCcalls;
  status = luaM_runprotected(
      [L] {
        for (;;) luaE_incCstack(L);
      },
      &e);
  std::printf("Nesting C calls: status %d, \"%s\" at depth %d\n\n", status,
              e.msg, getCcalls(L));
  L->nCcalls = saved;
}

}  // namespace

int main() {
  test::Heap heap;
  lua_State* L = test::openseeded(heap);
  if (L == nullptr) return 1;
  std::printf("Stage 5: closures, upvalues and stacks\n\n");
  show_state(L, heap);
  Demo d = show_closures(L);
  show_growth(L, d);
  show_closing(L, d);
  show_thread(L);
  show_limits(L);
  const char* s = luaO_pushfstring(L, "stage %d of %s", 5, "11");
  std::printf("luaO_pushfstring through the pushstring seam: \"%s\"\n", s);
  std::printf("\nClosing the state (%zu bytes in use): ",
              static_cast<std::size_t>(gettotalbytes(G(L))));
  luaE_closestate(L);
  std::printf("%zu bytes left.\n", heap.held);
  return heap.held == 0 ? 0 : 1;
}
