// Shared by chapter 6's diagram generators: a set of named objects of a
// real state and their printing as Graphviz DOT nodes and edges, in the
// collector's colours (white, gray, black; a dead object dashed). Only
// named objects are drawn, so a diagram shows the part of the heap it is
// about.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "tests/lgc/support.hpp"

namespace lgcdot {

using namespace lgctest;

struct Names {
  std::vector<std::pair<GCObject*, std::string>> list;
  void add(GCObject* o, const std::string& name) { list.push_back({o, name}); }
  const std::string* find(const GCObject* o) const {
    for (const auto& [p, n] : list)
      if (p == o) return &n;
    return nullptr;
  }
};

// One node per named object still alive, its colour as fill, in cluster
// `prefix`. `alive` says which objects still exist (freed ones are left
// out).
template <class Alive>
void nodes(global_State* g, const Names& names, const std::string& prefix,
           Alive alive) {
  for (const auto& [o, name] : names.list) {
    if (!alive(o)) continue;
    std::string colour = luaC_colourname(g, o);
    const char* fill = colour == "black"  ? "black"
                       : colour == "gray" ? "gray65"
                                          : "white";
    const char* font = colour == "black" ? "white" : "black";
    const char* style = colour == "dead" ? "filled,dashed" : "filled";
    std::printf(
        "    %s_%s [label=\"%s\\n%s\", style=\"%s\", fillcolor=%s, "
        "fontcolor=%s];\n",
        prefix.c_str(), name.c_str(), name.c_str(), colour.c_str(), style, fill,
        font);
  }
}

// The references between named objects, weak ones dashed.
template <class Alive>
void edges(global_State* g, const Names& names, const std::string& prefix,
           Alive alive) {
  for (const auto& [o, name] : names.list) {
    if (!alive(o)) continue;
    for (const Edge& e : refs(g, o)) {
      const std::string* to = names.find(e.to);
      if (to == nullptr || !alive(e.to)) continue;
      std::printf("    %s_%s -> %s_%s%s;\n", prefix.c_str(), name.c_str(),
                  prefix.c_str(), to->c_str(),
                  e.kind == Ref::Strong ? "" : " [style=dashed]");
    }
  }
}

inline void header(const char* name) {
  std::printf(
      "digraph %s {\n  fontname=\"Helvetica\";\n  compound=true;\n"
      "  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [fontsize=8];\n",
      name);
}

}  // namespace lgcdot
