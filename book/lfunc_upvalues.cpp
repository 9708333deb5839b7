// Diagram generator for chapter 5: runs the frame of
//
//   local function pair()
//     local x, y, z = 10, "hi", {}
//     local function get() return x, y end
//     local function set(v) x = v; z[1] = v end
//     return get, set
//   end
//
// in a real state (the call built as chapter 8's interpreter will build
// it), then prints it as Graphviz DOT twice: while pair's frame is live,
// with the open upvalues pointing into its stack slots, the thread's open
// list, and the two closures sharing x's UpVal; and after pair returns,
// when the upvalues are closed and hold their values. Every label is read
// from the objects; nothing is drawn by hand. The seed is fixed so the
// book is reproducible.
#include <cstdarg>
#include <cstdio>
#include <string>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/lstate.hpp"
#include "lfunc/ltm.hpp"
#include "tests/lfunc/support.hpp"

namespace {

using namespace lua;

// The text of the panel being printed. Graphviz stacks the clusters of a
// left-to-right graph with the last one on top, so the panels are built
// first and printed in reverse order.
std::string panel;

void emit(const char* fmt, ...) {
  char buf[1024];
  std::va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  panel += buf;
}

// A closure whose prototype names its upvalues, as the compiler does.
LClosure* named_closure(lua_State* L, std::initializer_list<int> regs,
                        std::initializer_list<const char*> names) {
  LClosure* cl = test::closure(L, regs);
  Proto* p = luaF_newproto(L);
  p->upvalues = luaM_newvector<Upvaldesc>(L, static_cast<int>(names.size()));
  p->sizeupvalues = static_cast<int>(names.size());
  int i = 0;
  for (const char* n : names)
    p->upvalues[i++] = Upvaldesc{luaS_new(L, n), 1, 0, 0};
  cl->p = p;
  return cl;
}

// The closure of `pair`, whose prototype names its five locals (all
// active over its whole code, which is enough here).
LClosure* pair(lua_State* L) {
  LClosure* cl = luaF_newLclosure(L, 0);
  cl->p = luaF_newproto(L);
  const char* names[] = {"x", "y", "z", "get", "set"};
  cl->p->locvars = luaM_newvector<LocVar>(L, 5);
  cl->p->sizelocvars = 5;
  for (int i = 0; i < 5; i++)
    cl->p->locvars[i] = LocVar{luaS_new(L, names[i]), 0, 10};
  return cl;
}

// The two closures, which name the diagram's nodes.
struct Scene {
  LClosure* get;
  LClosure* set;
};

std::string show(const TValue* v, const Scene& s) {
  if (ttisinteger(v)) return std::to_string(ivalue(v));
  if (ttisstring(v)) return "\\\"" + std::string(svalue(v)) + "\\\"";
  if (ttisLclosure(v)) {
    LClosure* cl = clLvalue(v);
    if (cl == s.get) return "function get";
    if (cl == s.set) return "function set";
    return "function pair";
  }
  return ttypename(ttype(v));
}

// The name of an upvalue: the first closure that uses it names it.
std::string upname(const Scene& s, const UpVal* uv) {
  for (LClosure* cl : {s.get, s.set})
    for (int i = 0; i < cl->nupvalues; i++)
      if (cl->upvals()[i] == uv) return getstr(cl->p->upvalues[i].name);
  return "?";
}

// The name of local `n` (from 1) of the running Lua call, from its
// prototype's debug information, or null outside a Lua frame.
const char* localname(lua_State* L, int n) {
  if (!isLua(L->ci)) return nullptr;
  const Proto* p = clLvalue(s2v(L->ci->func))->p;
  return luaF_getlocalname(p, n, 0);
}

// The stack from slot 0 to `top` (and a few dead slots above it).
void print_stack(lua_State* L, const char* id, const Scene& s, int dead) {
  emit("    %s_stack [shape=record, label=\"", id);
  int n = cast_int(L->top - L->stack);
  int base = cast_int(L->ci->func - L->stack);
  for (int i = 0; i < n + dead; i++) {
    std::string v = i == 0 ? "nil (base call)" : show(s2v(L->stack + i), s);
    const char* name = i > base && i < n ? localname(L, i - base) : nullptr;
    emit("%s<s%d> %d: %s%s%s%s", i ? "|" : "", i, i,
         name != nullptr ? name : "", name != nullptr ? " = " : "", v.c_str(),
         i >= n ? " (above top)" : "");
  }
  emit("\"];\n");
  for (int i = 0; i < n; i++) {
    const TValue* v = s2v(L->stack + i);
    if (ttisLclosure(v) && (clLvalue(v) == s.get || clLvalue(v) == s.set))
      emit("    %s_stack:s%d -> %s_%s;\n", id, i, id,
           clLvalue(v) == s.get ? "get" : "set");
  }
}

// One UpVal node: open ones point at their slot; closed ones hold a value.
void print_upval(lua_State* L, const char* id, const Scene& s, UpVal* uv) {
  std::string name = upname(s, uv);
  if (upisopen(uv)) {
    long slot = static_cast<long>(uplevel(uv) - L->stack);
    emit("    %s_uv_%s [label=\"UpVal %s (open)|v: slot %ld\"];\n", id,
         name.c_str(), name.c_str(), slot);
    emit("    %s_uv_%s -> %s_stack:s%ld [color=blue];\n", id, name.c_str(), id,
         slot);
  } else {
    emit(
        "    %s_uv_%s [label=\"UpVal %s (closed)|v: its own u.value|"
        "u.value: %s\", style=filled, fillcolor=lightyellow];\n",
        id, name.c_str(), name.c_str(), show(uv->v, s).c_str());
  }
}

// Both closures with their upvalue pointers.
void print_closures(const char* id, const Scene& s) {
  for (LClosure* cl : {s.get, s.set}) {
    const char* cn = cl == s.get ? "get" : "set";
    emit("    %s_%s [label=\"LClosure %s", id, cn, cn);
    for (int i = 0; i < cl->nupvalues; i++)
      emit("|<u%d> upvals[%d] (%s)", i, i, getstr(cl->p->upvalues[i].name));
    emit("\"];\n");
    for (int i = 0; i < cl->nupvalues; i++)
      emit("    %s_%s:u%d -> %s_uv_%s;\n", id, cn, i, id,
           getstr(cl->p->upvalues[i].name));
  }
}

// The thread's open list, from L->openupval through u.open.next.
void print_openlist(lua_State* L, const char* id, const Scene& s) {
  emit("    %s_L [label=\"lua_State|openupval\", shape=record];\n", id);
  std::string from = std::string(id) + "_L";
  if (L->openupval == nullptr)
    emit(
        "    %s_null [label=\"NULL\", shape=plaintext];\n"
        "    %s -> %s_null [style=dashed];\n",
        id, from.c_str(), id);
  for (UpVal* uv = L->openupval; uv != nullptr; uv = uv->u.open.next) {
    std::string to = std::string(id) + "_uv_" + upname(s, uv);
    emit("    %s -> %s [style=dashed, label=\"%s\"];\n", from.c_str(),
         to.c_str(), uv == L->openupval ? "openupval" : "next");
    from = to;
  }
}

void print_panel(lua_State* L, const char* id, const char* title,
                 const Scene& s, int dead) {
  emit("  subgraph cluster_%s {\n    label=\"%s\";\n", id, title);
  print_stack(L, id, s, dead);
  UpVal* seen[4] = {};
  int n = 0;
  for (LClosure* cl : {s.get, s.set})
    for (int i = 0; i < cl->nupvalues; i++) {
      UpVal* uv = cl->upvals()[i];
      bool dup = false;
      for (int j = 0; j < n; j++) dup = dup || seen[j] == uv;
      if (!dup) print_upval(L, id, s, seen[n++] = uv);
    }
  print_closures(id, s);
  print_openlist(L, id, s);
  emit("  }\n");
}

}  // namespace

int main() {
  test::Heap heap;
  lua_State* L = test::openseeded(heap);
  if (L == nullptr) return 1;
  TValue fn;
  setclLvalue(L, &fn, pair(L));
  test::pushframe(L, fn, 5);
  setivalue(s2v(test::reg(L, 0)), 10);
  setsvalue2s(L, test::reg(L, 1), luaS_newliteral(L, "hi"));
  sethvalue2s(L, test::reg(L, 2), luaH_new(L));
  Scene s{named_closure(L, {0, 1}, {"x", "y"}),
          named_closure(L, {0, 2}, {"x", "z"})};
  setclLvalue2s(L, test::reg(L, 3), s.get);
  setclLvalue2s(L, test::reg(L, 4), s.set);
  std::printf(
      "digraph upvalues {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
      "  node [shape=record, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [fontsize=8];\n");
  print_panel(L, "open",
              "while pair() runs: open upvalues point into its frame", s, 0);
  std::string open = panel;
  panel.clear();
  // return get, set: the results move down to the function's slot and the
  // frame's upvalues close (luaF_closeupval), as OP_RETURN does.
  StkId res = L->ci->func;
  int bad = check_thread(L);
  test::popframe(L);
  setclLvalue2s(L, res, s.get);
  setclLvalue2s(L, res + 1, s.set);
  L->top = res + 2;
  print_panel(L, "closed", "after pair() returns: the upvalues are closed", s,
              4);
  std::printf("%s%s}\n", panel.c_str(), open.c_str());
  bad += check_thread(L);
  luaE_closestate(L);
  return bad == 0 && heap.held == 0 ? 0 : 1;
}
