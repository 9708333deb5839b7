// Diagram generator for chapter 7: compiles a small chunk with nested
// functions through the real compiler (luaY_compile) and prints its tree
// of prototypes as Graphviz DOT. Each node is one Proto with its line
// range, parameters, stack size, code size, constants and upvalue
// descriptors (instack/idx); each edge goes from a function to one of the
// functions nested in it (p[i]). The seed is fixed and no address is
// printed, so the book is reproducible.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "book/lparser_compiled.hpp"
#include "lparser/lparser.hpp"

namespace {

using namespace lua;

const char kChunk[] =
    "local count = 0\n"
    "local function counter(step)\n"
    "  return function()\n"
    "    count = count + step\n"
    "    return count\n"
    "  end\n"
    "end\n"
    "function show(t, ...)\n"
    "  for i, v in ipairs(t) do print(i, v, ...) end\n"
    "end\n"
    "show({counter(2)(), 1.5, \"x\"})\n";

// Text safe inside a DOT record label.
std::string escape(const char* s) {
  std::string out;
  for (; *s != '\0'; s++) {
    if (std::strchr("{}|<>\"\\", *s) != nullptr) out += '\\';
    out += *s;
  }
  return out;
}

// One constant as luac would show it, escaped for a record label.
std::string constant(const TValue* o) {
  char buf[64];
  if (ttisstring(o))
    return escape(("\"" + std::string(getstr(tsvalue(o))) + "\"").c_str());
  if (ttisinteger(o)) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ivalue(o)));
    return buf;
  }
  if (ttisfloat(o)) {
    std::snprintf(buf, sizeof buf, "%.14g", fltvalue(o));
    if (std::strpbrk(buf, ".eni") == nullptr) std::strcat(buf, ".0");
    return buf;
  }
  if (ttisnil(o)) return "nil";
  if (ttistrue(o)) return "true";
  if (ttisfalse(o)) return "false";
  return "?";
}

// Prints the node of `f` (named by its path from the main function) and,
// recursively, its nested functions with an edge to each.
void print_proto(const Proto* f, const std::string& id) {
  std::printf("  %s [label=\"{", id.c_str());
  if (f->linedefined == 0)
    std::printf("main chunk");
  else
    std::printf("function \\<lines %d-%d\\>", f->linedefined,
                f->lastlinedefined);
  std::printf("|numparams %d, is_vararg %d\\lmaxstacksize %d, sizecode %d\\l",
              f->numparams, f->is_vararg, f->maxstacksize, f->sizecode);
  std::printf("|constants (%d)\\l", f->sizek);
  for (int i = 0; i < f->sizek; i++)
    std::printf("  k[%d] = %s\\l", i, constant(&f->k[i]).c_str());
  std::printf("|upvalues (%d)\\l", f->sizeupvalues);
  for (int i = 0; i < f->sizeupvalues; i++) {
    const Upvaldesc& u = f->upvalues[i];
    std::printf("  %d: %s  instack %d, idx %d\\l", i,
                u.name != nullptr ? escape(getstr(u.name)).c_str() : "?",
                u.instack, u.idx);
  }
  std::printf("}\"];\n");
  for (int i = 0; i < f->sizep; i++) {
    std::string child = id + "_" + std::to_string(i);
    print_proto(f->p[i], child);
    std::printf("  %s -> %s [label=\"p[%d]\"];\n", id.c_str(), child.c_str(),
                i);
  }
}

}  // namespace

int main() {
  return book::withcompiled(
      "lparser_protos", kChunk, sizeof kChunk - 1, [](const Proto* main) {
        std::printf(
            "digraph protos {\n  rankdir=TB;\n  fontname=\"Helvetica\";\n"
            "  node [shape=record, fontname=\"Courier\", fontsize=10];\n"
            "  edge [fontname=\"Helvetica\", fontsize=9];\n");
        print_proto(main, "f");
        std::printf("}\n");
      });
}
