// Diagram generator for chapter 6: the gray lists of a real state in the
// middle of propagation. Each gray object is linked to the next through
// its `gclist` field; a traversed coroutine waits in `grayagain` (threads
// have no barrier and are traversed again atomically), as does a table
// written to after it was traversed (a backward barrier).
#include <cstdio>
#include <string>

#include "book/lgc_dot.hpp"

namespace {

using namespace lgcdot;

// A gray list as a chain from its head, `gclist` links labelled. Objects
// the diagram did not name get a name from their type.
void chain(Names& names, const char* head, GCObject* l) {
  std::printf("  %s [shape=plaintext, label=\"g->%s\"];\n", head, head);
  std::string from = head;
  for (; l != nullptr; l = graynext(l)) {
    if (names.find(l) == nullptr)
      names.add(l, std::string(ttypename(novariant(l->tt))) +
                       std::to_string(names.list.size()));
    std::string to = "o_" + *names.find(l);
    std::printf("  %s -> %s%s;\n", from.c_str(), to.c_str(),
                from == head ? "" : " [label=\"gclist\"]");
    from = to;
  }
}

}  // namespace

int main() {
  GCState s;
  lua_State* L = s.L;
  Names names;
  Table* root = roottable(L, "root");
  names.add(root, "root");
  for (int i = 1; i <= 4; i++) {
    Table* t = newtable(L);
    rawseti(L, root, i, objv(L, t));
    names.add(t, "t" + std::to_string(i));
    pop(L);
  }
  Udata* u = newudata(L, 8, 1);
  rawseti(L, root, 5, objv(L, u));
  names.add(u, "u");
  pop(L);
  lua_State* co = luaE_newthread(L);
  rawseti(L, root, 6, objv(L, co));
  names.add(co, "coroutine");
  pop(L);
  names.add(gcvalue(&s.g()->l_registry), "registry");
  names.add(s.g()->mainthread, "mainthread");
  Table* reg = hvalue(&s.g()->l_registry);
  names.add(gcvalue(&reg->array[LUA_RIDX_GLOBALS - 1]), "globals");
  luaC_fullgc(L, 0);
  int bad = 0;
  auto step = [&] {
    luaC_singlestep(L);
    bad += check_heap(s.g());
  };
  // Until `root` has been traversed and its children are gray.
  step();
  while (!isblack(root)) step();
  while (s.g()->gray != co) step();
  step();  // the coroutine: traversed, and into grayagain
  {
    NoEmergency guard(L);  // keep the collector where it is
    Table* late = newtable(L);
    rawseti(L, root, 7, objv(L, late));  // a backward barrier
    pop(L);
  }
  global_State* g = s.g();
  header("lgc_graylist");
  std::printf("  rankdir=LR;\n");
  chain(names, "gray", g->gray);
  chain(names, "grayagain", g->grayagain);
  for (const auto& [o, name] : names.list) {
    std::string colour = luaC_colourname(g, o);
    std::printf(
        "  o_%s [label=\"%s\\n%s\", style=filled, fillcolor=%s, "
        "fontcolor=%s];\n",
        name.c_str(), name.c_str(), colour.c_str(),
        colour == "black"  ? "black"
        : colour == "gray" ? "gray65"
                           : "white",
        colour == "black" ? "white" : "black");
  }
  std::printf("}\n");
  return bad == 0 && check_heap(g) == 0 ? 0 : 1;
}
