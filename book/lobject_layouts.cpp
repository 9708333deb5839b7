// Diagram generator for chapter 2: prints a Graphviz DOT graph of the value
// and object layouts, with every offset and size measured from the real
// structs of lobject.hpp and lstate.hpp, and the variant tags with their
// real values. The book build runs it and Doxygen renders the output.
#include <cstddef>
#include <cstdio>
#include <vector>

#include "lobject/lstate.hpp"

namespace {

using namespace lua;

struct Field {
  const char* name;
  std::size_t offset;
  std::size_t size;
  bool header;  // part of the common GCObject header
};

struct Layout {
  const char* name;
  std::size_t size;
  const char* tail;  // what follows the struct, if anything
  std::vector<Field> fields;
};

// Offset of a member measured on a real object, which works for the
// non-standard-layout objects (offsetof would only be conditionally
// supported there).
template <class S, class M>
std::size_t offset_of(const S& s, const M& m) {
  return static_cast<std::size_t>(reinterpret_cast<const char*>(&m) -
                                  reinterpret_cast<const char*>(&s));
}

#define FIELD(obj, member)                                         \
  Field {                                                          \
#member, offset_of(obj, obj.member), sizeof(obj.member), false \
  }
#define HEADER(obj)                                                \
  Field{"next", offset_of(obj, obj.next), sizeof(obj.next), true}, \
      Field{"tt", offset_of(obj, obj.tt), 1, true}, Field {        \
    "marked", offset_of(obj, obj.marked), 1, true                  \
  }

std::vector<Layout> layouts() {
  static TValue tv;
  static TString ts;
  static Udata ud;
  static Table t;
  static Node n;
  static UpVal uv;
  static LClosure lcl;
  static CClosure ccl;
  static Proto p;
  return {
      {"TValue", sizeof(TValue), nullptr, {FIELD(tv, value_), FIELD(tv, tt_)}},
      {"Node",
       sizeof(Node),
       nullptr,
       {Field{"i_val.value_", offset_of(n, n.u.value_), 8, false},
        Field{"i_val.tt_", offset_of(n, n.u.tt_), 1, false},
        Field{"key_tt", offset_of(n, n.u.key_tt), 1, false},
        Field{"next", offset_of(n, n.u.next), 4, false},
        Field{"key_val", offset_of(n, n.u.key_val), 8, false}}},
      {"TString",
       sizeof(TString),
       "contents: len + 1 bytes",
       {HEADER(ts), FIELD(ts, extra), FIELD(ts, shrlen), FIELD(ts, hash),
        FIELD(ts, u)}},
      {"Table",
       sizeof(Table),
       nullptr,
       {HEADER(t), FIELD(t, flags), FIELD(t, lsizenode), FIELD(t, alimit),
        FIELD(t, array), FIELD(t, node), FIELD(t, lastfree),
        FIELD(t, metatable), FIELD(t, gclist)}},
      {"Udata",
       sizeof(Udata),
       "uv[nuvalue], then len bytes",
       {HEADER(ud), FIELD(ud, nuvalue), FIELD(ud, len), FIELD(ud, metatable),
        FIELD(ud, gclist)}},
      {"UpVal",
       sizeof(UpVal),
       nullptr,
       {HEADER(uv), FIELD(uv, v), FIELD(uv, u)}},
      {"LClosure",
       sizeof(LClosure),
       "upvals[nupvalues]",
       {HEADER(lcl), FIELD(lcl, nupvalues), FIELD(lcl, gclist), FIELD(lcl, p)}},
      {"CClosure",
       sizeof(CClosure),
       "upvalue[nupvalues]",
       {HEADER(ccl), FIELD(ccl, nupvalues), FIELD(ccl, gclist), FIELD(ccl, f)}},
      {"Proto",
       sizeof(Proto),
       nullptr,
       {HEADER(p),
        FIELD(p, numparams),
        FIELD(p, is_vararg),
        FIELD(p, maxstacksize),
        FIELD(p, sizeupvalues),
        FIELD(p, sizek),
        FIELD(p, sizecode),
        FIELD(p, sizelineinfo),
        FIELD(p, sizep),
        FIELD(p, sizelocvars),
        FIELD(p, sizeabslineinfo),
        FIELD(p, linedefined),
        FIELD(p, lastlinedefined),
        FIELD(p, k),
        FIELD(p, code),
        FIELD(p, p),
        FIELD(p, upvalues),
        FIELD(p, lineinfo),
        FIELD(p, abslineinfo),
        FIELD(p, locvars),
        FIELD(p, source),
        FIELD(p, gclist)}},
  };
}

// One struct as an HTML-like table: a row per field with offset and size,
// header fields shaded, padding shown where a gap appears.
void print_layout(const Layout& l) {
  std::printf(
      "  \"%s\" [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\">\n",
      l.name);
  std::printf(
      "    <tr><td colspan=\"3\" bgcolor=\"#dddddd\"><b>%s</b> "
      "(%zu bytes)</td></tr>\n",
      l.name, l.size);
  std::size_t at = 0;
  for (const Field& f : l.fields) {
    if (f.offset > at)
      std::printf(
          "    <tr><td>%zu</td><td><i>padding</i></td>"
          "<td>%zu</td></tr>\n",
          at, f.offset - at);
    std::printf("    <tr><td>%zu</td><td%s>%s</td><td>%zu</td></tr>\n",
                f.offset, f.header ? " bgcolor=\"#cfe8ff\"" : "", f.name,
                f.size);
    at = f.offset + f.size;
  }
  if (at < l.size)
    std::printf(
        "    <tr><td>%zu</td><td><i>padding</i></td>"
        "<td>%zu</td></tr>\n",
        at, l.size - at);
  if (l.tail != nullptr)
    std::printf(
        "    <tr><td>%zu</td><td colspan=\"2\"><i>%s</i></td>"
        "</tr>\n",
        l.size, l.tail);
  std::printf("  </table>>];\n");
}

struct Tag {
  const char* name;
  int value;
  bool collectable;
};

// The tag byte of every variant, as stored in a TValue.
void print_tags() {
  const Tag tags[] = {
      {"LUA_VNIL", LUA_VNIL, false},
      {"LUA_VEMPTY", LUA_VEMPTY, false},
      {"LUA_VABSTKEY", LUA_VABSTKEY, false},
      {"LUA_VFALSE", LUA_VFALSE, false},
      {"LUA_VTRUE", LUA_VTRUE, false},
      {"LUA_VLIGHTUSERDATA", LUA_VLIGHTUSERDATA, false},
      {"LUA_VNUMINT", LUA_VNUMINT, false},
      {"LUA_VNUMFLT", LUA_VNUMFLT, false},
      {"LUA_VSHRSTR", LUA_VSHRSTR, true},
      {"LUA_VLNGSTR", LUA_VLNGSTR, true},
      {"LUA_VTABLE", LUA_VTABLE, true},
      {"LUA_VLCL", LUA_VLCL, true},
      {"LUA_VLCF", LUA_VLCF, false},
      {"LUA_VCCL", LUA_VCCL, true},
      {"LUA_VUSERDATA", LUA_VUSERDATA, true},
      {"LUA_VTHREAD", LUA_VTHREAD, true},
      {"LUA_VUPVAL", LUA_VUPVAL, false},
      {"LUA_VPROTO", LUA_VPROTO, false},
  };
  std::printf(
      "  tags [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\">\n"
      "    <tr><td colspan=\"5\" bgcolor=\"#dddddd\"><b>tt_ "
      "in a TValue</b>: bit 6 collectable, bits 4-5 variant, "
      "bits 0-3 type (UPVAL, PROTO: only as an object tt)</td></tr>\n"
      "    <tr><td>variant</td><td>tt_</td><td>bit 6</td>"
      "<td>variant</td><td>type</td></tr>\n");
  for (const Tag& t : tags) {
    int tt = t.collectable ? ctb(t.value) : t.value;
    std::printf(
        "    <tr><td>%s</td><td>0x%02X</td><td>%d</td><td>%d</td>"
        "<td>%d</td></tr>\n",
        t.name, tt, (tt >> 6) & 1, (tt >> 4) & 3, tt & 0x0F);
  }
  std::printf("  </table>>];\n");
}

}  // namespace

int main() {
  std::printf(
      "digraph layouts {\n"
      "  graph [rankdir=TB, fontname=\"Helvetica\"];\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", "
      "fontsize=10];\n");
  print_tags();
  // Three columns: each layout sits above the one three places later.
  std::vector<Layout> all = layouts();
  for (std::size_t i = 0; i < all.size(); i++) {
    print_layout(all[i]);
    if (i >= 3)
      std::printf("  \"%s\" -> \"%s\" [style=invis];\n", all[i - 3].name,
                  all[i].name);
  }
  std::printf("}\n");
  return 0;
}
