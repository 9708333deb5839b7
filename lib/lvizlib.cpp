/// \file
/// The viz library: Graphviz diagrams of a running program's own
/// structures, drawn from the live objects. `require "viz"` gives five
/// functions, each returning a DOT text to write to a file and render
/// with `dot -Tsvg`:
///
/// - `viz.table(t)`: t's array part and node vector, each node coloured
///   by whether its key sits in its main position, with the collision
///   chains and `lastfree` (chapter 4);
/// - `viz.strings([n])`: the string table's first n non-empty buckets
///   (32 by default) and their chains of short strings (chapter 3);
/// - `viz.closure(f, ...)`: closures with their prototypes and upvalues,
///   open ones pointing at their stack slot; an upvalue that several of
///   the closures share is drawn once (chapter 5);
/// - `viz.stack([co])`: the call records of a thread (the running one by
///   default) beside the stack slots each one spans (chapters 5 and 8);
/// - `viz.heap(v [, n])`: up to n objects (60 by default) reachable from
///   v, in their collector colours, with the collector's state (chapter 6).
///
/// Mirrors: no Lua file. Lua's nearest relative is ltests.c, whose `T`
/// library reads the same internals for the test suite.
/// Book: chapter 10
///
/// Design: the library reads the internal structures directly (it is the
/// one library of chapter 10 that includes the chapters' headers) and
/// never changes them. Each function writes its whole diagram into a C++
/// string first and pushes it as one Lua string at the end, so that no
/// Lua allocation, and therefore no collector step, happens while it
/// walks the objects: the drawing is a snapshot of one moment.
///
/// - **Invariant READ-ONLY.** Nothing here writes to a Lua object, a
///   stack slot or the collector's state, so drawing never changes what
///   is drawn (colours included).
/// - **Invariant NO-ADDRESSES.** Objects are named by the order in which
///   the drawing meets them (#1, #2 ...), never by address, so the same
///   program draws the same diagram on every run.
#include "lib/lvizlib.hpp"

#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "lfunc/lfunc.hpp"
#include "lfunc/ltm.hpp"
#include "lgc/lgc.hpp"
#include "ltable/ltable.hpp"
#include "lvm/ldebug.hpp"

// After the internal headers, whose lua_assert lauxlib.h then keeps.
#include "lapi/lauxlib.h"

namespace {

using namespace lua;

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

// `s` made safe inside a Graphviz HTML label.
std::string escaped(const char* s, std::size_t len) {
  std::string out;
  for (std::size_t i = 0; i < len; i++) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (c < 32 || c >= 127)
          out += "?";  // control bytes and UTF-8 both, kept one cell wide
        else
          out += static_cast<char>(c);
    }
  }
  return out;
}

// A string value as drawn: quoted, cut after 16 bytes.
std::string quoted(const TString* ts) {
  constexpr std::size_t kShown = 16;
  const std::size_t len = tsslen(ts);
  std::string out = "&quot;" + escaped(getstr(ts), len < kShown ? len : kShown);
  return out + (len > kShown ? "...&quot;" : "&quot;");
}

// Any value as drawn in a cell: numbers and strings by value, other
// objects by their type name (the heap diagram numbers them).
std::string valuetext(const TValue* v) {
  char buf[64];
  switch (ttypetag(v)) {
    case LUA_VNUMINT:
      std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ivalue(v)));
      return buf;
    case LUA_VNUMFLT:
      std::snprintf(buf, sizeof buf, "%.14g", fltvalue(v));
      return buf;
    case LUA_VSHRSTR:
    case LUA_VLNGSTR:
      return quoted(tsvalue(v));
    case LUA_VFALSE:
      return "false";
    case LUA_VTRUE:
      return "true";
    default:
      return isempty(v) ? "nil" : ttypename(ttype(v));
  }
}

// The header every diagram starts with.
void opengraph(std::string& out, const char* name, const char* rankdir) {
  out += "digraph ";
  out += name;
  out += " {\n  rankdir=";
  out += rankdir;
  out +=
      ";\n  fontname=\"Helvetica\";\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [fontsize=8];\n";
}

// Runs `draw` into a string and pushes it; a C++ allocation failure
// becomes Lua's own memory error (status LUA_ERRMEM, "not enough memory").
template <class Draw>
int pushdiagram(lua_State* L, Draw draw) {
  try {
    std::string out;
    draw(out);
    lua_pushlstring(L, out.data(), out.size());
  } catch (const std::bad_alloc&) {
    luaM_error(L);
  }
  return 1;
}

// Opens a node drawn as an HTML table with a blue title row; the caller
// adds the rows and closes it with "</TABLE>>];".
void opentable(std::string& out, const char* node, const std::string& title) {
  out += "  ";
  out += node;
  out +=
      " [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\">"
      "<TR><TD BGCOLOR=\"lightblue\">" +
      title + "</TD></TR>";
}

// The value of argument `arg` of the running C function.
const TValue* argvalue(lua_State* L, int arg) {
  luaL_checkany(L, arg);
  return s2v(L->ci->func + arg);
}

// ---------------------------------------------------------------------------
// viz.table
// ---------------------------------------------------------------------------

void drawarray(std::string& out, Table* t) {
  const unsigned int size = luaH_realasize(t);
  opentable(out, "array", "array (" + std::to_string(size) + ")");
  for (unsigned int i = 0; i < size; i++)
    out += "<TR><TD>[" + std::to_string(i + 1) + "] " +
           (isempty(&t->array[i]) ? "" : valuetext(&t->array[i])) +
           "</TD></TR>";
  out += "</TABLE>>];\n";
}

// Green: the key is in its main position; orange: it was moved away
// from it (it collided with a key at home there); grey: a free node.
void drawnodes(std::string& out, Table* t) {
  opentable(out, "node_", "node (" + std::to_string(allocsizenode(t)) + ")");
  for (int i = 0; i < allocsizenode(t); i++) {
    const Node* n = gnode(t, i);
    const std::string at = "[" + std::to_string(i) + "] ";
    const std::string port = "PORT=\"n" + std::to_string(i) + "\" ";
    if (keyisnil(n)) {
      out += "<TR><TD " + port + "BGCOLOR=\"grey90\">" + at + "free</TD></TR>";
      continue;
    }
    if (keyisdead(n)) {  // its key was collected (a weak table); the node
      // stays in its chain until a rehash, and the key is not to be read
      out +=
          "<TR><TD " + port + "BGCOLOR=\"grey70\">" + at + "dead key</TD></TR>";
      continue;
    }
    TValue key;
    getnodekey(nullptr, &key, n);
    const int home = cast_int(luaH_mainposition(t, &key) - t->node);
    out += "<TR><TD " + port + "BGCOLOR=\"" +
           (home == i ? "palegreen" : "orange") + "\">" + at + valuetext(&key) +
           " = " + valuetext(gval(n)) + "  (mp " + std::to_string(home) +
           ")</TD></TR>";
  }
  out += "<TR><TD PORT=\"end\">end</TD></TR></TABLE>>];\n";
}

void drawchains(std::string& out, Table* t) {
  if (isdummy(t)) return;
  for (int i = 0; i < sizenode(t); i++) {
    const int step = gnext(gnode(t, i));
    if (step != 0)
      out += "  node_:n" + std::to_string(i) + ":e -> node_:n" +
             std::to_string(i + step) + ":e;\n";
  }
  const int lastfree = cast_int(t->lastfree - t->node);
  out += "  lastfree [label=\"lastfree\"];\n  lastfree -> node_:";
  out += lastfree == sizenode(t) ? "end" : "n" + std::to_string(lastfree);
  out += ":w;\n";
}

int viz_table(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  Table* t = hvalue(argvalue(L, 1));
  return pushdiagram(L, [t](std::string& out) {
    opengraph(out, "table", "LR");
    out += "  t [shape=box, label=<table<BR/>";
    out += t->metatable != nullptr ? "with a metatable" : "no metatable";
    out += ">];\n  t -> array;\n  t -> node_;\n";
    drawarray(out, t);
    drawnodes(out, t);
    drawchains(out, t);
    out += "}\n";
  });
}

// ---------------------------------------------------------------------------
// viz.strings
// ---------------------------------------------------------------------------

int viz_strings(lua_State* L) {
  const lua_Integer shown = luaL_optinteger(L, 1, 32);
  luaL_argcheck(L, shown >= 1, 1, "must be positive");
  const stringtable& tb = G(L)->strt;
  return pushdiagram(L, [&tb, shown](std::string& out) {
    opengraph(out, "strings", "LR");
    opentable(out, "buckets",
              "string table: " + std::to_string(tb.nuse) + " strings, " +
                  std::to_string(tb.size) + " buckets");
    std::string chains;
    lua_Integer drawn = 0;
    for (int b = 0; b < tb.size && drawn < shown; b++) {
      if (tb.hash[b] == nullptr) continue;
      drawn++;
      const std::string bucket = std::to_string(b);
      out += "<TR><TD PORT=\"b" + bucket + "\">[" + bucket + "]</TD></TR>";
      std::string from = "buckets:b" + bucket + ":e";
      int k = 0;
      for (TString* ts = tb.hash[b]; ts != nullptr; ts = ts->u.hnext, k++) {
        const std::string id = "s" + bucket + "_" + std::to_string(k);
        chains += "  " + id + " [shape=box, label=<" + quoted(ts) + ">];\n";
        chains += "  " + from + " -> " + id + ";\n";
        from = id;
      }
    }
    out += "</TABLE>>];\n" + chains + "}\n";
  });
}

// ---------------------------------------------------------------------------
// viz.closure
// ---------------------------------------------------------------------------

// Node names for objects met while drawing, in the order met.
class Ids {
 public:
  // The object's name, and whether this is the first time it is met.
  std::pair<std::string, bool> name(const void* p, const char* prefix) {
    auto [it, fresh] = ids_.try_emplace(p, ids_.size() + 1);
    return {prefix + std::to_string(it->second), fresh};
  }

 private:
  std::map<const void*, std::size_t> ids_;
};

// "source:line" of a prototype, as tracebacks name functions.
std::string wherefrom(const Proto* p) {
  char src[LUA_IDSIZE];
  if (p->source == nullptr) return "?";
  luaO_chunkid(src, getstr(p->source), tsslen(p->source));
  return escaped(src, std::strlen(src)) + ":" + std::to_string(p->linedefined);
}

// Where the slot of an open upvalue is: "stack slot N" of the running
// thread, "stack slot N of another thread" for a thread in `g->twups` (the
// threads with open upvalues), or "a stack slot of another thread" for a
// dying thread the collector has already taken out of that list.
std::string slotname(lua_State* L, const TValue* slot) {
  const StkId s = reinterpret_cast<StkId>(const_cast<TValue*>(slot));
  auto holds = [s](const lua_State* th) {
    return s >= th->stack && s < th->stack_last;
  };
  if (holds(L)) return "stack slot " + std::to_string(s - L->stack);
  for (lua_State* th = G(L)->twups; th != nullptr; th = th->twups)
    if (holds(th))
      return "stack slot " + std::to_string(s - th->stack) +
             " of another thread";
  return "a stack slot of another thread";
}

void drawupvalue(std::string& out, lua_State* L, Ids& ids, const UpVal* uv,
                 const std::string& from, const std::string& name) {
  auto [id, fresh] = ids.name(uv, "up");
  if (fresh) {
    if (upisopen(uv)) {
      out += "  " + id +
             " [shape=box, style=filled, fillcolor=lightyellow, "
             "label=<upvalue (open)<BR/>" +
             slotname(L, uv->v) + "<BR/>value " + valuetext(uv->v) + ">];\n";
    } else {
      out += "  " + id +
             " [shape=box, style=filled, fillcolor=palegreen, "
             "label=<upvalue (closed)<BR/>value " +
             valuetext(uv->v) + ">];\n";
    }
  }
  out += "  " + from + " -> " + id + " [label=<" + name + ">];\n";
}

// The node of argument `arg`, labelled "argument N" and `what`.
std::string drawargument(std::string& out, int arg, const char* what) {
  const std::string id = "arg" + std::to_string(arg);
  out +=
      "  " + id + " [label=\"argument " + std::to_string(arg) + what + "\"];\n";
  return id;
}

void drawclosure(std::string& out, lua_State* L, Ids& ids, const TValue* f,
                 int arg) {
  auto [id, fresh] = ids.name(gcvalue(f), "f");
  const std::string argid = drawargument(out, arg, "");
  out += "  " + argid + " -> " + id + ";\n";
  if (!fresh) return;  // an argument repeated: drawn once
  if (ttisLclosure(f)) {
    LClosure* cl = clLvalue(f);
    const Proto* p = cl->p;
    out += "  " + id + " [shape=box, label=<Lua closure>];\n";
    auto [pid, pfresh] = ids.name(p, "p");
    if (pfresh)
      out += "  " + pid + " [shape=box, style=rounded, label=<prototype " +
             wherefrom(p) + "<BR/>" + std::to_string(p->numparams) +
             " params, " + std::to_string(p->maxstacksize) + " registers, " +
             std::to_string(p->sizecode) + " instructions>];\n";
    out += "  " + id + " -> " + pid + " [label=\"p\"];\n";
    for (int i = 0; i < cl->nupvalues; i++) {
      const TString* name = p->upvalues[i].name;
      drawupvalue(out, L, ids, cl->upvals()[i], id,
                  name != nullptr ? escaped(getstr(name), tsslen(name)) : "?");
    }
  } else {
    CClosure* cl = clCvalue(f);
    out += "  " + id + " [shape=box, label=<C closure<BR/>" +
           std::to_string(cl->nupvalues) + " upvalues>];\n";
    for (int i = 0; i < cl->nupvalues; i++) {
      const std::string uid = id + "_u" + std::to_string(i);
      out += "  " + uid + " [shape=box, label=<" +
             valuetext(&cl->upvalue()[i]) + ">];\n  " + id + " -> " + uid +
             " [label=\"" + std::to_string(i + 1) + "\"];\n";
    }
  }
}

int viz_closure(lua_State* L) {
  const int n = lua_gettop(L);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  for (int i = 2; i <= n; i++) luaL_checktype(L, i, LUA_TFUNCTION);
  return pushdiagram(L, [L, n](std::string& out) {
    opengraph(out, "closures", "LR");
    Ids ids;
    for (int i = 1; i <= n; i++) {
      const TValue* f = argvalue(L, i);
      if (ttislcf(f))
        drawargument(out, i, ": light C function");
      else
        drawclosure(out, L, ids, f, i);
    }
    out += "}\n";
  });
}

// ---------------------------------------------------------------------------
// viz.stack
// ---------------------------------------------------------------------------

// The stack as one column of slots, from the bottom to the thread's top.
void drawslots(std::string& out, lua_State* L1) {
  opentable(out, "stack",
            "stack (" + std::to_string(L1->top - L1->stack) + " slots in use)");
  for (StkId s = L1->stack; s < L1->top; s++) {
    const std::string k = std::to_string(s - L1->stack);
    out += "<TR><TD PORT=\"s" + k + "\" ALIGN=\"LEFT\">" + k + ": " +
           valuetext(s2v(s)) + "</TD></TR>";
  }
  out += "<TR><TD PORT=\"top\">top</TD></TR></TABLE>>];\n";
}

// One node per call record, linked to the slot of its function; Lua
// calls name their function and current line, as a traceback does.
void drawcalls(std::string& out, lua_State* L1) {
  int level = 0;
  for (lua::CallInfo* ci : activecalls(L1)) {
    const std::string id = "ci" + std::to_string(level);
    std::string what;
    lua_Debug ar;
    if (ci == &L1->base_ci) {
      what = "base record";
    } else if (lua_getstack(L1, level, &ar) && lua_getinfo(L1, "Sln", &ar)) {
      what = escaped(ar.short_src, std::strlen(ar.short_src));
      if (ar.currentline > 0) what += ":" + std::to_string(ar.currentline);
      if (ar.name != nullptr)
        what += " (" + escaped(ar.name, std::strlen(ar.name)) + ")";
    }
    out += "  " + id + " [shape=box, style=filled, fillcolor=" +
           (isLua(ci) ? "lightyellow" : "lightgrey") + ", label=<" +
           (isLua(ci) ? "Lua call" : "C call") + "<BR/>" + what + ">];\n";
    out += "  " + id + " -> stack:s" + std::to_string(ci->func - L1->stack) +
           ":w;\n";
    if (level > 0)
      out += "  ci" + std::to_string(level - 1) + " -> " + id +
             " [style=dotted, label=\"previous\"];\n";
    level++;
  }
}

int viz_stack(lua_State* L) {
  luaL_argexpected(L, lua_isnoneornil(L, 1) || lua_isthread(L, 1), 1, "thread");
  lua_State* L1 = lua_isthread(L, 1) ? lua_tothread(L, 1) : L;
  return pushdiagram(L, [L1](std::string& out) {
    opengraph(out, "stack", "RL");
    drawslots(out, L1);
    drawcalls(out, L1);
    out += "}\n";
  });
}

// ---------------------------------------------------------------------------
// viz.heap
// ---------------------------------------------------------------------------

// Calls `edge(target, label)` for each reference out of `o` that the
// collector follows when it traverses `o` (chapter 6's traverse*
// functions), with null and non-object targets left out.
template <class Edge>
void references(GCObject* o, Edge edge) {
  auto object = [&edge](GCObject* target, const std::string& label) {
    if (target != nullptr) edge(target, label);
  };
  auto value = [&edge](const TValue* v, const std::string& label) {
    if (iscollectable(v)) edge(gcvalue(v), label);
  };
  switch (o->tt) {
    case LUA_VTABLE: {
      Table* t = gco2t(o);
      object(obj2gco(t->metatable), "metatable");
      for (unsigned int i = 0; i < luaH_realasize(t); i++)
        value(&t->array[i], "[" + std::to_string(i + 1) + "]");
      for (int i = 0; i < allocsizenode(t); i++) {
        const Node* n = gnode(t, i);
        if (isempty(gval(n)) || keyisdead(n)) continue;
        TValue key;
        getnodekey(nullptr, &key, n);
        value(&key, "key");
        value(gval(n), "[" + valuetext(&key) + "]");
      }
      break;
    }
    case LUA_VLCL: {
      LClosure* cl = gco2lcl(o);
      object(obj2gco(cl->p), "p");
      for (int i = 0; i < cl->nupvalues; i++)
        object(obj2gco(cl->upvals()[i]), "up " + std::to_string(i + 1));
      break;
    }
    case LUA_VCCL: {
      CClosure* cl = gco2ccl(o);
      for (int i = 0; i < cl->nupvalues; i++)
        value(&cl->upvalue()[i], "up " + std::to_string(i + 1));
      break;
    }
    case LUA_VPROTO: {
      Proto* p = gco2p(o);
      for (int i = 0; i < p->sizek; i++)
        value(&p->k[i], "k " + std::to_string(i));
      for (int i = 0; i < p->sizep; i++)
        object(obj2gco(p->p[i]), "p " + std::to_string(i));
      break;
    }
    case LUA_VUPVAL:
      value(gco2upv(o)->v, "value");
      break;
    case LUA_VUSERDATA: {
      Udata* u = gco2u(o);
      object(obj2gco(u->metatable), "metatable");
      for (int i = 0; i < u->nuvalue; i++)
        value(&u->uv()[i].uv, "user value " + std::to_string(i + 1));
      break;
    }
    case LUA_VTHREAD: {
      lua_State* th = gco2th(o);
      for (StkId s = th->stack; s < th->top; s++)
        value(s2v(s), "slot " + std::to_string(s - th->stack));
      break;
    }
    default:
      break;  // strings refer to nothing
  }
}

// A breadth-first walk from the root, drawing each object once and each
// reference between drawn objects, up to `limit` objects.
class HeapWalk {
 public:
  HeapWalk(global_State* g, std::size_t limit) : g_(g), limit_(limit) {}

  void walk(std::string& out, const TValue* root) {
    out_ = &out;
    if (!iscollectable(root)) {
      out += "  v [label=<" + valuetext(root) + " (not an object)>];\n";
      return;
    }
    visit(gcvalue(root));
    for (std::size_t next = 0; next < queue_.size(); next++)
      references(queue_[next], [this, from = queue_[next]](
                                   GCObject* to, const std::string& label) {
        edge(from, to, label);
      });
    if (skipped_ > 0)
      out += "  more [label=\"... and more objects not drawn (limit " +
             std::to_string(limit_) + ")\"];\n";
  }

 private:
  // The node of `o`, drawn on first sight; empty past the limit.
  std::string visit(GCObject* o) {
    auto found = names_.find(o);
    if (found != names_.end()) return found->second;
    if (queue_.size() >= limit_) {
      skipped_++;
      return "";
    }
    const std::string id = "o" + std::to_string(queue_.size() + 1);
    names_.emplace(o, id);
    queue_.push_back(o);
    const std::string colour = luaC_colourname(g_, o);
    std::string label = "#" + std::to_string(queue_.size()) + " " + kind(o);
    label += "<BR/>" + colour;
    if (g_->gckind == KGC_GEN)
      label += ", " + std::string(luaC_agename(getage(o)));
    const char* fill = colour == "black"  ? "black"
                       : colour == "gray" ? "gray65"
                                          : "white";
    *out_ += "  " + id + " [shape=box, style=\"filled" +
             (colour == "dead" ? std::string(",dashed") : "") +
             "\", fillcolor=" + fill +
             ", fontcolor=" + (colour == "black" ? "white" : "black") +
             ", label=<" + label + ">];\n";
    return id;
  }

  std::string kind(GCObject* o) {
    switch (o->tt) {
      case LUA_VSHRSTR:
      case LUA_VLNGSTR:
        return "string " + quoted(gco2ts(o));
      case LUA_VTABLE:
        return "table";
      case LUA_VLCL:
        return "Lua closure";
      case LUA_VCCL:
        return "C closure";
      case LUA_VPROTO:
        return "prototype " + wherefrom(gco2p(o));
      case LUA_VUPVAL:
        return upisopen(gco2upv(o)) ? "upvalue (open)" : "upvalue (closed)";
      case LUA_VUSERDATA:
        return "userdata";
      case LUA_VTHREAD:
        return "thread";
      default:
        return "object";
    }
  }

  void edge(GCObject* from, GCObject* to, const std::string& label) {
    const std::string target = visit(to);
    if (target.empty()) return;
    *out_ +=
        "  " + names_[from] + " -> " + target + " [label=<" + label + ">];\n";
  }

  global_State* g_;
  std::size_t limit_;
  std::string* out_ = nullptr;
  std::vector<GCObject*> queue_;
  std::map<const GCObject*, std::string> names_;
  std::size_t skipped_ = 0;
};

int viz_heap(lua_State* L) {
  const TValue* root = argvalue(L, 1);
  const lua_Integer limit = luaL_optinteger(L, 2, 60);
  luaL_argcheck(L, limit >= 1, 2, "must be positive");
  global_State* g = G(L);
  return pushdiagram(L, [g, root, limit](std::string& out) {
    opengraph(out, "heap", "LR");
    out += "  state [shape=note, label=\"collector: " +
           std::string(g->gckind == KGC_GEN ? "generational" : "incremental") +
           ", state " + luaC_statename(g->gcstate) + "\"];\n";
    HeapWalk(g, static_cast<std::size_t>(limit)).walk(out, root);
    out += "}\n";
  });
}

const luaL_Reg vizlib[] = {{"table", viz_table},     {"strings", viz_strings},
                           {"closure", viz_closure}, {"stack", viz_stack},
                           {"heap", viz_heap},       {nullptr, nullptr}};

}  // namespace

int luaopen_viz(lua_State* L) {
  luaL_newlib(L, vizlib);
  return 1;
}

void viz_preload(lua_State* L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_viz);
  lua_setfield(L, -2, "viz");
  lua_pop(L, 1);
}
