/// \file
/// Diagram generator of chapter 9: a C function's stack window, drawn from
/// inside a real call, as one Graphviz DOT graph.
///
/// Mirrors: nothing in Lua; it draws what lapi.c's index2value resolves.
/// Book: chapter 9 (the book target captures stdout as lapi_window.dot)
///
/// Design: the host opens a state with luaL_newstate, keeps a string in
/// the registry with luaL_ref, and registers `window`, a C closure with
/// two upvalues (a call counter and a tag). A chunk calls it from a Lua
/// function, `outer`, with three arguments. `window` counts the call
/// through lua_upvalueindex(1), pushes its second upvalue and the value
/// of the reference, and then draws what it sees: the thread, its call
/// records, the stack from slot 0 to beyond `ci->top` (the caller's
/// frames, the function slot, each value with its positive and its
/// negative index, the free slots whose indices are acceptable but read
/// as none), and the pseudo-indices with what they resolve to (the
/// registry, the closure's upvalues, the shared nil).
///
/// The picture is also a test. Before drawing, the program checks through
/// the public API what the picture claims: index i and index i - n - 1
/// name the same value, an index between the top and `ci->top` reads as
/// LUA_TNONE, the pseudo-indices give the registry and the closure's
/// upvalues, and one past the upvalues reads as none. Any mismatch makes
/// it fail, and the book build with it. No address is printed: slots are
/// numbered from `L->stack`, and the hash seed is fixed.
///
/// The text helpers, the call records with the slots they own and the
/// call list node come from chapter 8's lvm_dot.hpp; what is drawn here
/// alone is the window: indices, free slots and pseudo-indices.
///
/// Differences from Lua: none; Lua draws no diagrams.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

// The core's headers come first: lauxlib.h defines lua_assert only when
// the core has not.
#include "book/lvm_dot.hpp"
#include "lfunc/lstate.hpp"
#include "lfunc/ltm.hpp"
#include "lobject/lstate.hpp"
#include "lvm/lvm.hpp"

#include "lapi/lauxlib.h"

namespace {

using namespace lua;
using lua::CallInfo;  // lua.h declares a global CallInfo too
using lvmdot::callerslot;
using lvmdot::callstatus;
using lvmdot::fmt;
using lvmdot::Frame;
using lvmdot::isbase;
using lvmdot::nresults;
using lvmdot::slot;

// The chunk. `window(x, label, {})` runs in the middle of an assignment,
// so that the callers' frames are still open while it draws.
const char kChunk[] =
    "local function outer(x)\n"
    "  local label = \"args\"\n"
    "  local n = window(x, label, {})\n"
    "  return n\n"
    "end\n"
    "local r = outer(42)\n"
    "return r\n";

constexpr int kUpvalues = 2;

int keptref = LUA_NOREF;  // the host's luaL_ref in the registry
int mismatches = 0;       // claims of the picture that the API denied
std::string diagram;

// ---------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------

// Text for a label; this diagram leaves its quotes as they are.
std::string esc(const std::string& s) {
  return lvmdot::esc(s, false);
}

// Records a claim of the picture that the API does not confirm.
void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "lapi_window: not so: %s\n", what);
  mismatches++;
}

// ---------------------------------------------------------------------
// Values and slots
// ---------------------------------------------------------------------

int window(lua_State* L);

Table* registry(lua_State* L) {
  return hvalue(&G(L)->l_registry);
}

const TValue* globals(lua_State* L) {
  return &registry(L)->array[LUA_RIDX_GLOBALS - 1];
}

std::string showtable(lua_State* L, const Table* t) {
  if (t == registry(L)) return "table (the registry)";
  if (t == hvalue(globals(L))) return "table (the globals)";
  return "table";
}

std::string showfunction(const TValue* o) {
  if (ttisCclosure(o))
    return clCvalue(o)->f == window ? "C closure window" : "C closure";
  if (ttislcf(o)) return "light C function";
  const Proto* p = clLvalue(o)->p;
  if (p->linedefined == 0) return "main chunk";
  return fmt("function <chunk:%d>", p->linedefined);
}

// A value as the diagram shows it: strings quoted, objects by what they
// are, never by address.
std::string show(lua_State* L, const TValue* o) {
  switch (ttype(o)) {
    case LUA_TNIL:
      return "nil";
    case LUA_TBOOLEAN:
      return l_isfalse(o) ? "false" : "true";
    case LUA_TNUMBER:
      return ttisinteger(o) ? fmt("%lld", static_cast<long long>(ivalue(o)))
                            : fmt("%.14g", fltvalue(o));
    case LUA_TSTRING:
      return "\"" + std::string(svalue(o), vslen(o)) + "\"";
    case LUA_TTABLE:
      return showtable(L, hvalue(o));
    case LUA_TFUNCTION:
      return showfunction(o);
    case LUA_TTHREAD:
      return thvalue(o) == G(L)->mainthread ? "thread (main)" : "thread";
    default:
      return ttypename(ttype(o));
  }
}

// ---------------------------------------------------------------------
// Call records
// ---------------------------------------------------------------------

// The call records from base_ci to the running one, each named as a
// traceback names its function.
std::vector<Frame> records(lua_State* L) {
  static const char* const palette[] = {"#e8e8e8", "#e2f0cb", "#dfe7fd",
                                        "#fff1c1"};
  return lvmdot::frames(L, palette);
}

std::string recordtext(lua_State* L, const Frame& r) {
  const CallInfo* ci = r.ci;
  std::string text = "<b>" + esc(r.name) + "</b>";
  text += fmt("<br/>func: slot %d, top: slot %d", slot(L, ci->func),
              slot(L, ci->top));
  if (!isbase(L, ci)) {
    text += "<br/>nresults: " + nresults(ci);
    text += "<br/>callstatus: " + callstatus(ci);
  }
  return text;
}

// ---------------------------------------------------------------------
// The window, checked through the API
// ---------------------------------------------------------------------

// What the running C function did to its window before drawing it.
struct Window {
  int nargs;                        // values it was called with
  std::vector<std::string> pushed;  // what each push was, bottom first
};

// Index i and index i - n - 1 are one value; both sit at ci->func + i.
void checkindices(lua_State* L, int n) {
  for (int i = 1; i <= n; i++) {
    const int neg = i - n - 1;
    expect(lua_absindex(L, neg) == i, "lua_absindex(-k) is n + 1 - k");
    expect(lua_rawequal(L, i, neg) != 0, "index i and i - n - 1 agree");
    expect(lua_type(L, i) == ttype(s2v(L->ci->func + i)),
           "index i is slot ci->func + i");
  }
}

// Between L->top and ci->top an index is acceptable and reads as none.
void checkfree(lua_State* L, int n) {
  const int last = cast_int(L->ci->top - (L->ci->func + 1));
  expect(lua_type(L, n + 1) == LUA_TNONE, "index n + 1 reads as none");
  expect(lua_type(L, last) == LUA_TNONE, "the last acceptable index");
}

// The pseudo-indices reach the registry and the running closure's
// upvalues; one past the last upvalue reads as none.
void checkpseudo(lua_State* L) {
  expect(lua_topointer(L, LUA_REGISTRYINDEX) == registry(L),
         "LUA_REGISTRYINDEX is the registry");
  CClosure* cl = clCvalue(s2v(L->ci->func));
  for (int k = 1; k <= kUpvalues; k++) {
    lua_pushvalue(L, lua_upvalueindex(k));
    expect(luaV_rawequalobj(s2v(L->top - 1), &cl->upvalue()[k - 1]),
           "lua_upvalueindex(k) is upvalue k");
    lua_pop(L, 1);
  }
  expect(lua_type(L, lua_upvalueindex(kUpvalues + 1)) == LUA_TNONE,
         "an upvalue index past the closure's reads as none");
}

// ---------------------------------------------------------------------
// The stack
// ---------------------------------------------------------------------

// The name of local `n` of record `r`, through the public debug API.
std::string localname(lua_State* L, const std::vector<Frame>& rs,
                      const Frame& r, int n) {
  const int level = cast_int(&rs.back() - &r);  // 0 is the running call
  lua_Debug ar;
  if (lua_getstack(L, level, &ar) == 0) return "";
  const char* name = lua_getlocal(L, &ar, n);
  if (name == nullptr) return "";
  lua_pop(L, 1);  // lua_getlocal pushed the local's value
  return name;
}

// The role of slot s of a Lua frame (or of base_ci).
std::string luarole(lua_State* L, const std::vector<Frame>& rs, const Frame& r,
                    int s) {
  const int func = slot(L, r.ci->func);
  if (isbase(L, r.ci)) return "base_ci's function slot";
  if (s < func)
    return fmt("function as called; VARARGPREP copied it to slot %d", func);
  if (s == func) return "func" + callerslot(L, rs, r, s);
  const int reg = s - func - 1;
  std::string role = fmt("R%d", reg);
  const std::string name = localname(L, rs, r, reg + 1);
  return name.empty() ? role : role + " " + name;
}

// The role of slot s in the running C function's window.
std::string crole(lua_State* L, const std::vector<Frame>& rs, const Window& w,
                  int s) {
  const Frame& r = rs.back();
  const int i = s - slot(L, r.ci->func);
  if (i == 0)
    return "ci-&gt;func: the running closure" + esc(callerslot(L, rs, r, s));
  if (i <= w.nargs) return fmt("argument %d", i) + esc(callerslot(L, rs, r, s));
  return "pushed: " + esc(w.pushed[static_cast<std::size_t>(i - w.nargs - 1)]);
}

std::string row(int s, const char* colour, const std::string& value,
                const std::string& pos, const std::string& neg,
                const std::string& role) {
  return fmt(
      "<tr><td port=\"s%d\" bgcolor=\"%s\">%d</td><td port=\"v%d\" "
      "bgcolor=\"%s\" align=\"left\">%s</td><td bgcolor=\"%s\">%s</td>"
      "<td bgcolor=\"%s\">%s</td><td port=\"r%d\" bgcolor=\"%s\" "
      "align=\"left\">%s</td></tr>",
      s, colour, s, s, colour, value.c_str(), colour, pos.c_str(), colour,
      neg.c_str(), s, colour, role.c_str());
}

// A run of slots shown as one row.
std::string spanrow(int from, int to, const char* colour,
                    const std::string& text) {
  return fmt(
      "<tr><td port=\"s%d\" bgcolor=\"%s\">%d-%d</td><td colspan=\"4\" "
      "bgcolor=\"%s\" align=\"left\"><i>%s</i></td></tr>",
      from, colour, from, to, colour, text.c_str());
}

// The rows above the values: the rest of the stack, ci->top, the free
// slots and L->top.
std::string upperrows(lua_State* L, int n) {
  const CallInfo* ci = L->ci;
  const int top = slot(L, L->top);
  const int citop = slot(L, ci->top);
  const int last = citop - slot(L, ci->func) - 1;  // last acceptable index
  const char* free = "#fffbe6";
  std::string out = spanrow(
      citop + 1, slot(L, L->stack_last) + EXTRA_STACK - 1, "#f4f4f4",
      fmt("the rest of the stack (stack_last: slot %d, then %d spare "
          "slots): no index reaches it until lua_checkstack moves ci-&gt;top",
          slot(L, L->stack_last), EXTRA_STACK));
  out += row(citop, "#f4f4f4", "", fmt("%d", last + 1), "",
             "<b>ci-&gt;top</b>: index unacceptable (an API check fails)");
  out += spanrow(top + 1, citop - 1, free,
                 fmt("free: indices %d to %d are acceptable and read as "
                     "none (LUA_TNONE)",
                     n + 2, last));
  out += row(top, free, "", fmt("%d", n + 1), "",
             "<b>L-&gt;top</b>: first free slot; reads as none");
  return out;
}

std::string stack(lua_State* L, const std::vector<Frame>& rs, const Window& w) {
  const int n = lua_gettop(L);
  const int func = slot(L, L->ci->func);
  std::string out =
      "  stack [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" "
      "cellpadding=\"3\"><tr><td><b>slot</b></td><td><b>value</b></td>"
      "<td><b>index</b></td><td><b>or</b></td><td><b>role</b></td></tr>";
  out += upperrows(L, n);
  for (int s = slot(L, L->top) - 1; s >= 0; s--) {
    const Frame& r = *lvmdot::owner(rs, s);
    const std::string value = esc(show(L, s2v(L->stack + s)));
    if (s > func) {
      const int i = s - func;
      out += row(s, r.colour, value, fmt("%d", i), fmt("%d", i - n - 1),
                 crole(L, rs, w, s));
    } else if (s == func) {
      out += row(s, r.colour, value, "", "", crole(L, rs, w, s));
    } else {
      out += row(s, r.colour, value, "", "", esc(luarole(L, rs, r, s)));
    }
  }
  out += "</table>>];\n";
  return out;
}

// ---------------------------------------------------------------------
// What the pseudo-indices reach
// ---------------------------------------------------------------------

// The meaning of each registry key this state has.
std::string registrykey(lua_Integer k) {
  if (k == LUA_RIDX_MAINTHREAD) return "LUA_RIDX_MAINTHREAD";
  if (k == LUA_RIDX_GLOBALS) return "LUA_RIDX_GLOBALS";
  if (k == LUA_RIDX_LAST + 1) return "head of luaL_ref's free list (0: empty)";
  if (k == keptref) return "the host's luaL_ref";
  return "";
}

// The registry's entries, read with lua_next as any C code could, and
// sorted by key (this registry has integer keys only).
std::string registrynode(lua_State* L) {
  std::vector<std::pair<lua_Integer, std::string>> entries;
  lua_pushnil(L);
  while (lua_next(L, LUA_REGISTRYINDEX) != 0) {
    expect(lua_isinteger(L, -2) != 0, "the registry has integer keys only");
    entries.push_back({lua_tointeger(L, -2), show(L, s2v(L->top - 1))});
    lua_pop(L, 1);
  }
  std::sort(entries.begin(), entries.end());
  std::string out =
      "  registry [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\" cellpadding=\"3\"><tr><td colspan=\"3\" "
      "port=\"t\"><b>the registry</b> (G(L)-&gt;l_registry)</td></tr>";
  for (const auto& [key, value] : entries)
    out +=
        fmt("<tr><td>[%lld]</td><td align=\"left\">%s</td>"
            "<td align=\"left\"><i>%s</i></td></tr>",
            static_cast<long long>(key), esc(value).c_str(),
            esc(registrykey(key)).c_str());
  out += "</table>>];\n";
  return out;
}

std::string closurenode(lua_State* L) {
  CClosure* cl = clCvalue(s2v(L->ci->func));
  std::string out = fmt(
      "  closure [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\" cellpadding=\"3\" bgcolor=\"#fff1c1\"><tr><td "
      "port=\"t\"><b>CClosure</b> window</td></tr><tr><td align=\"left\">f: "
      "window, nupvalues: %d</td></tr>",
      cl->nupvalues);
  static const char* const what[] = {"calls so far, just written", "a tag"};
  for (int k = 0; k < cl->nupvalues; k++)
    out +=
        fmt("<tr><td port=\"u%d\" align=\"left\">upvalue[%d]: %s "
            "<i>(%s)</i></td></tr>",
            k + 1, k, esc(show(L, &cl->upvalue()[k])).c_str(), what[k]);
  out += "</table>>];\n";
  return out;
}

std::string pseudonode() {
  std::string out =
      "  pseudo [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\" cellpadding=\"3\"><tr><td><b>pseudo-indices</b>"
      "</td></tr>";
  out += fmt("<tr><td port=\"reg\">LUA_REGISTRYINDEX (%d)</td></tr>",
             LUA_REGISTRYINDEX);
  for (int k = 1; k <= kUpvalues + 1; k++)
    out += fmt("<tr><td port=\"up%d\">lua_upvalueindex(%d) (%d)</td></tr>", k,
               k, lua_upvalueindex(k));
  out += "</table>>];\n";
  out +=
      "  none [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\" cellpadding=\"3\"><tr><td>G(L)-&gt;nilvalue: the "
      "shared nil,<br/>which lua_type reports as LUA_TNONE</td></tr>"
      "</table>>];\n";
  return out;
}

std::string threadnode(lua_State* L) {
  return fmt(
      "  L [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" "
      "cellpadding=\"4\"><tr><td><b>lua_State</b> (main thread)</td></tr>"
      "<tr><td port=\"ci\">ci</td></tr><tr><td port=\"top\">top: slot "
      "%d</td></tr><tr><td>stack: %d slots</td></tr></table>>];\n",
      slot(L, L->top), stacksize(L));
}

std::string edges(lua_State* L, const std::vector<Frame>& rs) {
  std::string out = fmt("  L:ci:e -> ci:in%d:w;\n  L:top:e -> stack:s%d:w;\n",
                        cast_int(rs.size()) - 1, slot(L, L->top));
  out +=
      fmt("  ci:c%d:e -> stack:s%d:w [style=dashed, color=\"#555555\", "
          "label=\"top\", fontsize=9];\n",
          cast_int(rs.size()) - 1, slot(L, L->ci->top));
  out += fmt("  stack:r%d:e -> closure:t:w [style=dashed];\n",
             slot(L, L->ci->func));
  out += "  stack -> pseudo [style=invis];\n";
  out += "  pseudo:reg:e -> registry:t:w;\n";
  for (int k = 1; k <= kUpvalues; k++)
    out += fmt("  pseudo:up%d:e -> closure:u%d:w;\n", k, k);
  out += fmt("  pseudo:up%d:e -> none:w;\n", kUpvalues + 1);
  return out;
}

std::string draw(lua_State* L, const Window& w) {
  const int n = lua_gettop(L);
  checkindices(L, n);
  checkfree(L, n);
  checkpseudo(L);
  const std::vector<Frame> rs = records(L);
  std::string out = lvmdot::opening("lapi_window", "LR", 0);
  out += threadnode(L);
  out += lvmdot::calllist(L, "", rs, recordtext);
  out += stack(L, rs, w);
  out += pseudonode();
  out += closurenode(L);
  out += registrynode(L);
  out += edges(L, rs);
  out += "}\n";
  return out;
}

// ---------------------------------------------------------------------
// The C function and the host
// ---------------------------------------------------------------------

// Counts its calls in upvalue 1, pushes upvalue 2 and the host's
// reference, draws its window and returns how many values it held.
int window(lua_State* L) {
  Window w{lua_gettop(L), {}};
  lua_pushinteger(L, lua_tointeger(L, lua_upvalueindex(1)) + 1);
  lua_replace(L, lua_upvalueindex(1));
  lua_pushvalue(L, lua_upvalueindex(2));
  w.pushed.push_back("lua_pushvalue(L, lua_upvalueindex(2))");
  lua_rawgeti(L, LUA_REGISTRYINDEX, keptref);
  w.pushed.push_back("lua_rawgeti(L, LUA_REGISTRYINDEX, ref)");
  diagram = draw(L, w);
  lua_pushinteger(L, lua_gettop(L));
  return 1;
}

// Registers `window` as a global C closure over a counter and a tag.
void openwindow(lua_State* L) {
  lua_pushinteger(L, 0);
  lua_pushstring(L, "tag");
  lua_pushcclosure(L, window, kUpvalues);
  lua_setglobal(L, "window");
}

}  // namespace

int main() {
  setenv("LUA_ANATOMY_SEED", "2024", 1);
  lua_State* L = luaL_newstate();
  if (L == nullptr) return 1;
  lua_pushstring(L, "kept by luaL_ref");
  keptref = luaL_ref(L, LUA_REGISTRYINDEX);
  openwindow(L);
  int status = luaL_loadbufferx(L, kChunk, sizeof kChunk - 1, "=chunk", "t");
  if (status == LUA_OK) status = lua_pcall(L, 0, LUA_MULTRET, 0);
  const bool ran = status == LUA_OK && lua_tointeger(L, -1) == 5;
  if (!ran || diagram.empty() || mismatches != 0) {
    std::fprintf(stderr, "lapi_window: %s\n",
                 status != LUA_OK ? lua_tostring(L, -1) : "unexpected result");
    lua_close(L);
    return 1;
  }
  lua_close(L);
  std::fputs(diagram.c_str(), stdout);
  return 0;
}
