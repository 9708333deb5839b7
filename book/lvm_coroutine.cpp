// Diagram generator for chapter 8: a coroutine's stack beside its
// creator's, drawn from a real run. There is no coroutine library before
// chapter 10, so this program gives the chunk two C functions of its own,
// written against the interpreter's stack as that library will be:
// `create(f)` makes a thread (luaE_newthread) with `f` on its stack, and
// `resume(co, ...)` moves the arguments over and runs luaD_resume. The
// chunk resumes a coroutine that calls `snapshot` two calls deep, and
// calls `snapshot` again once the coroutine has yielded. Each snapshot is
// a row of two clusters (lvm_dot.hpp): the main thread, with its call
// records and stack, and the coroutine, with its own. The seed is fixed
// and no address is printed.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "book/lvm_dot.hpp"
#include "lfunc/lstate.hpp"

namespace {

using namespace lua;

const char kChunk[] =
    "local function inner(a)\n"
    "  local b = a * 2\n"
    "  snapshot()\n"
    "  local c = yield(b)\n"
    "  return b + c\n"
    "end\n"
    "local function body(x)\n"
    "  local r = inner(x + 1)\n"
    "  return r\n"
    "end\n"
    "local co = create(body)\n"
    "print(resume(co, 10))\n"
    "snapshot()\n"
    "print(resume(co, 5))\n";

lua_State* coroutine = nullptr;  // the one thread `create` made
std::string panels;
int npanel = 0;

// What coroutine.status would say about `co`, seen from `running`.
const char* costatus(lua_State* co, lua_State* running) {
  if (co == running) return "running";
  if (co->status == LUA_YIELD) return "suspended";
  if (co->ci != &co->base_ci) return "normal";
  return co->top == co->stack + 1 ? "dead" : "suspended";
}

// Both threads, side by side, with an edge from each slot of the main
// thread that holds the coroutine to the coroutine's lua_State.
int l_snapshot(lua_State* L) {
  const std::string p = "p" + std::to_string(++npanel);
  lua_State* main = G(L)->mainthread;
  const char* title = npanel == 1
                          ? "1. inside the coroutine: snapshot() called "
                            "by inner()"
                          : "2. back in the main thread: the coroutine "
                            "has yielded";
  panels += lvmdot::fmt("  subgraph cluster_%s {\n    label=\"%s\";\n",
                        p.c_str(), title);
  // Graphviz places the later cluster on the left.
  panels += lvmdot::cluster(coroutine, p + "co", "coroutine co",
                            costatus(coroutine, L), true);
  panels +=
      lvmdot::cluster(main, p + "main", "main thread", costatus(main, L), true);
  // The main thread on the left, the coroutine on its right.
  panels += lvmdot::fmt(
      "  { rank=same; %smain_L; %sco_L; }\n"
      "  %smain_L -> %sco_L [style=invis];\n",
      p.c_str(), p.c_str(), p.c_str(), p.c_str());
  panels += "  }\n";
  for (StkId s = main->stack; s < main->top; s++) {
    const TValue* v = s2v(s);
    if (ttisthread(v) && thvalue(v) == coroutine)
      panels += lvmdot::fmt(
          "  %smain_stack:r%d:e -> %sco_L:w [style=dashed, "
          "color=\"#4477aa\", constraint=false];\n",
          p.c_str(), lvmdot::slot(main, s), p.c_str());
  }
  return 0;
}

// create(f): a new thread, with `f` as the body it will run when first
// resumed. luaE_newthread pushes the thread, which is the result.
int l_create(lua_State* L) {
  lua_State* co = luaE_newthread(L);
  setobj2s(co, co->top, test::arg(L, 1));
  co->top++;
  coroutine = co;
  return 1;
}

// resume(co, ...): true and what the coroutine yielded or returned, or
// false and the error object.
int l_resume(lua_State* L) {
  lua_State* co = thvalue(test::arg(L, 1));
  const int narg = test::nargs(L) - 1;
  luaD_checkstack(co, narg);
  for (int i = 2; i <= narg + 1; i++) {
    setobj2s(co, co->top, test::arg(L, i));
    co->top++;
  }
  int nres = 0;
  const int status = luaD_resume(co, L, narg, &nres);
  const bool ok = status == LUA_OK || status == LUA_YIELD;
  if (!ok) nres = 1;  // the error object
  luaD_checkstack(L, nres + 1);
  if (ok)
    setbtvalue(s2v(L->top));
  else
    setbfvalue(s2v(L->top));
  L->top++;
  for (StkId v = co->top - nres; v < co->top; v++) {
    setobj2s(L, L->top, s2v(v));
    L->top++;
  }
  co->top -= nres;
  return nres + 1;
}

}  // namespace

int main() {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  test::Machine m;  // `print` writes into m.out, not into the diagram
  lvmdot::addfunction(m.L, "snapshot", l_snapshot);
  lvmdot::addfunction(m.L, "create", l_create);
  lvmdot::addfunction(m.L, "resume", l_resume);
  if (m.run(kChunk, "=chunk") != LUA_OK || npanel != 2 ||
      m.out != "true\t22\ntrue\t27\n") {
    std::fprintf(stderr, "lvm_coroutine: %s%s\n", m.err.c_str(), m.out.c_str());
    return 1;
  }
  lvmdot::header("lvm_coroutine", "TB");
  // The second panel goes below the first.
  std::printf(
      "%s  p1main_stack -> p2main_L [style=invis];\n"
      "  p1co_stack -> p2co_L [style=invis];\n}\n",
      panels.c_str());
  return m.close() == 0 ? 0 : 1;
}
