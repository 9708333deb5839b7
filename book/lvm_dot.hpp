/// \file
/// Graphviz DOT pieces for the book's diagrams of threads, call records
/// and stack slots, drawn from a running state.
///
/// Mirrors: nothing in Lua; it draws a thread's CallInfo list and stack.
/// Book: chapters 8 and 9 (lvm_callstack.cpp, lvm_coroutine.cpp and
/// lapi_window.cpp include it)
///
/// Design: cluster() prints a snapshot of one thread as a DOT cluster: the
/// thread (`lua_State`: status, top, ci, nci, nCcalls), its call records
/// from `L->ci` back to `base_ci` (each with its function, func and top
/// slots, the instruction it is at, nresults and callstatus), and its
/// stack slots from 0 to `L->top`, each with its value and the part it
/// plays in the frame that owns it (function slot, register and local
/// name, extra argument of a vararg call, C temporary). Names come from the
/// debug interface (luaG_getinfo, luaG_findlocal) exactly as error messages
/// get them. Invariant OWNER: a frame owns the slots from its lowest slot
/// (lowslot) up to the next frame's, so every slot below `L->top` has
/// exactly one owner. No address is printed: slots are indices from
/// `L->stack`. Chapter 9's lapi_window.cpp draws a C function's window with
/// the same pieces (the text helpers, the frames and their slots, and the
/// call list, whose nodes it names without a cluster prefix: an empty id).
///
/// Differences from Lua: none; Lua draws no diagrams.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "lparser/lopcodes.hpp"
#include "lvm/ldebug.hpp"
#include "tests/lvm/support.hpp"

namespace lvmdot {

using namespace lua;
using lua::CallInfo;  // lua.h declares a global CallInfo too

// The C functions a diagram can meet, by name (light C functions have no
// name of their own).
inline std::vector<std::pair<lua_CFunction, std::string>>& cfunctions() {
  static std::vector<std::pair<lua_CFunction, std::string>> list = {
      {test::l_print, "print"},     {test::l_setmetatable, "setmetatable"},
      {test::l_error, "error"},     {test::l_pcall, "pcall"},
      {test::l_collect, "collect"}, {test::l_yield, "yield"},
      {test::l_tostr, "tostr"}};
  return list;
}

// Makes `f` the global `name` and remembers its name for the diagram.
inline void addfunction(lua_State* L, const char* name, lua_CFunction f) {
  test::setglobalfunction(L, name, f);
  cfunctions().push_back({f, name});
}

inline std::string cname(lua_CFunction f) {
  for (const auto& [fn, name] : cfunctions())
    if (fn == f) return name;
  return "?";
}

// Text for an HTML-like Graphviz label. Quotes need no escape there;
// `quotes` says whether to escape them all the same.
inline std::string esc(const std::string& s, bool quotes = true) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += quotes ? "&quot;" : "\"";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// printf into a string of whatever length the text needs.
inline std::string fmt(const char* f, ...) {
  std::va_list ap;
  va_start(ap, f);
  std::va_list again;
  va_copy(again, ap);
  const int n = std::vsnprintf(nullptr, 0, f, ap);
  va_end(ap);
  std::string out(static_cast<std::size_t>(n), '\0');
  std::vsnprintf(out.data(), out.size() + 1, f, again);
  va_end(again);
  return out;
}

inline int slot(const lua_State* L, const StackValue* p) {
  return cast_int(p - L->stack);
}

// A value as the diagram shows it: functions by where they come from,
// strings quoted, everything else as `print` shows it.
inline std::string showvalue(const TValue* o) {
  if (ttisstring(o)) return "\"" + test::tostr(o) + "\"";
  if (ttislcf(o)) return "C function " + cname(fvalue(o));
  if (ttisLclosure(o)) {
    const Proto* p = clLvalue(o)->p;
    if (p->linedefined == 0) return "main chunk";
    return fmt("function <line %d>", p->linedefined);
  }
  return test::tostr(o);
}

// One call record, with what the debug interface says about it.
struct Frame {
  CallInfo* ci;
  std::string name;  // how the caller named the function
  int low;           // lowest slot the frame owns
  const char* colour;
};

inline bool isbase(const lua_State* L, const CallInfo* ci) {
  return ci == &L->base_ci;
}

// A vararg call moved its function and fixed parameters above the
// actual arguments (luaT_adjustvarargs); the frame starts where the
// function was put by its caller.
inline int lowslot(const lua_State* L, const CallInfo* ci) {
  int low = slot(L, ci->func);
  if (!isbase(L, ci) && isLua(ci)) {
    const Proto* p = ci_func(ci)->p;
    if (p->is_vararg) low -= ci->u.l.nextraargs + p->numparams + 1;
  }
  return low;
}

// The function's name as a traceback shows it: the caller's name for it
// when the calling instruction gives one, else where it was defined.
inline std::string framename(lua_State* L, CallInfo* ci) {
  if (isbase(L, ci)) return "base_ci";
  lua_Debug ar{};
  ar.i_ci = reinterpret_cast<::CallInfo*>(ci);
  luaG_getinfo(L, "nS", &ar);
  if (ar.name != nullptr) return fmt("%s '%s'", ar.namewhat, ar.name);
  if (std::string(ar.what) == "main") return "main chunk";
  if (std::string(ar.what) != "C")
    return fmt("function <%s:%d>", ar.short_src, ar.linedefined);
  const TValue* f = s2v(ci->func);
  return ttislcf(f) ? "C function " + cname(fvalue(f)) : "C closure";
}

inline constexpr const char* kPalette[] = {"#e8e8e8", "#fde2e4", "#dfe7fd",
                                           "#e2f0cb", "#fff1c1", "#e4d8f0",
                                           "#cdeef0", "#f8dcc8"};

// The call records from base_ci to L->ci, coloured from `palette` in turn.
inline std::vector<Frame> frames(
    lua_State* L, std::span<const char* const> palette = kPalette) {
  std::vector<CallInfo*> chain;
  for (CallInfo* ci = L->ci; ci != nullptr; ci = ci->previous)
    chain.insert(chain.begin(), ci);  // outermost first
  std::vector<Frame> out;
  std::size_t n = 0;
  for (CallInfo* ci : chain)
    out.push_back(
        {ci, framename(L, ci), lowslot(L, ci), palette[n++ % palette.size()]});
  return out;
}

// The frame that owns slot `s`: the innermost one starting at or below it.
inline const Frame* owner(const std::vector<Frame>& fs, int s) {
  const Frame* found = &fs.front();
  for (const Frame& f : fs)
    if (f.low <= s) found = &f;
  return found;
}

inline std::string callstatus(const CallInfo* ci) {
  static const std::pair<unsigned short, const char*> bits[] = {
      {CIST_OAH, "OAH"},
      {CIST_C, "C"},
      {CIST_FRESH, "FRESH"},
      {CIST_HOOKED, "HOOKED"},
      {CIST_YPCALL, "YPCALL"},
      {CIST_TAIL, "TAIL"},
      {CIST_HOOKYIELD, "HOOKYIELD"},
      {CIST_FIN, "FIN"},
      {CIST_TRAN, "TRAN"},
      {CIST_CLSRET, "CLSRET"}};
  std::string s;
  for (const auto& [bit, name] : bits) {
    if ((ci->callstatus & bit) == 0) continue;
    s += s.empty() ? "CIST_" : " | CIST_";
    s += name;
  }
  return s.empty() ? "0" : s;
}

inline std::string nresults(const CallInfo* ci) {
  return ci->nresults == LUA_MULTRET ? "LUA_MULTRET"
                                     : std::to_string(ci->nresults);
}

// " (caller's Rn)" when slot `s` is register n of the Lua function that
// called frame `f`; "" when no Lua function called it.
inline std::string callerslot(lua_State* L, const std::vector<Frame>& fs,
                              const Frame& f, int s) {
  if (&f == &fs.front()) return "";
  const CallInfo* caller = (&f - 1)->ci;
  if (isbase(L, caller) || !isLua(caller)) return "";
  return fmt(" (caller's R%d)", s - slot(L, caller->func) - 1);
}

// A callee's function sits in a register of a Lua caller: callerslot for
// the frame's lowest slot `s`, "" for the others.
inline std::string callerreg(lua_State* L, const std::vector<Frame>& fs,
                             const Frame& f, int s) {
  return s == f.low ? callerslot(L, fs, f, s) : "";
}

// The role of slot `s` in frame `f`, and the register it is, if any.
inline std::string role(lua_State* L, const std::vector<Frame>& fs,
                        const Frame& f, int s) {
  CallInfo* ci = f.ci;
  const int func = slot(L, ci->func);
  if (isbase(L, ci)) return s == func ? "base_ci's function slot" : "";
  if (s < func) {  // below a vararg frame's function: see lowslot
    const Proto* p = ci_func(ci)->p;
    const int shift = func - f.low;
    if (s == f.low)
      return fmt("function as called%s, copied to %d",
                 callerreg(L, fs, f, s).c_str(), s + shift);
    if (s <= f.low + p->numparams)
      return fmt("parameter '%s', copied to %d",
                 luaF_getlocalname(p, s - f.low, 0), s + shift);
    return fmt("extra argument %d", s - f.low - p->numparams);
  }
  if (s == func) return "func" + callerreg(L, fs, f, s);
  const int reg = s - func - 1;
  const char* name = luaG_findlocal(L, ci, reg + 1, nullptr);
  if (!isLua(ci)) return name != nullptr ? std::string(name) : "";
  std::string r = fmt("R%d", reg);
  if (name != nullptr) r += std::string(" ") + name;
  return r;
}

// The instruction a Lua call is at: savedpc points just past it.
inline std::string position(const CallInfo* ci) {
  const Proto* p = ci_func(ci)->p;
  const int pc = pcRel(ci->u.l.savedpc, p);
  return fmt("at [%d] %s, line %d", pc + 1,
             luaP_opnames[GET_OPCODE(p->code[pc])], luaG_getfuncline(p, pc));
}

inline std::string cirow(lua_State* L, const Frame& f) {
  const CallInfo* ci = f.ci;
  std::string text = "<b>" + esc(f.name) + "</b>";
  text += fmt("<br/>func: slot %d, top: slot %d", slot(L, ci->func),
              slot(L, ci->top));
  if (!isbase(L, ci) && isLua(ci)) {
    text += "<br/>savedpc: " + esc(position(ci));
    text += fmt("<br/>trap: %d", static_cast<int>(ci->u.l.trap));
    if (ci_func(ci)->p->is_vararg)
      text += fmt(", nextraargs: %d", ci->u.l.nextraargs);
  }
  if (!isbase(L, ci) && !isLua(ci) && ci == L->ci && L->status == LUA_YIELD)
    text += fmt("<br/>u2.nyield: %d, u.c.k: %s", ci->u2.nyield,
                ci->u.c.k != nullptr ? "set" : "null");
  text += "<br/>nresults: " + nresults(ci);
  text += "<br/>callstatus: " + callstatus(ci);
  return text;
}

// Node `what` of the drawing of thread `id`: inside the thread's cluster
// as `<id>_<what>`, or at the top level of the graph when `id` is empty.
inline std::string node(const std::string& id, const char* what) {
  return id.empty() ? what : id + "_" + what;
}

// A cluster's lines sit one level deeper than the graph's own.
inline const char* indent(const std::string& id) {
  return id.empty() ? "  " : "    ";
}

// The call records, L->ci first, each pointing at its function's slot in
// the stack node; `text(L, frame)` says what a record's row shows.
template <class RowText>
std::string calllist(lua_State* L, const std::string& id,
                     const std::vector<Frame>& fs, RowText text) {
  const std::string ci = node(id, "ci"), stack = node(id, "stack");
  std::string out =
      fmt("%s%s [label=<<table border=\"0\" cellborder=\"1\" "
          "cellspacing=\"0\" cellpadding=\"4\">"
          "<tr><td colspan=\"2\"><b>CallInfo list</b> (following "
          "previous)</td></tr>",
          indent(id), ci.c_str());
  for (int i = cast_int(fs.size()) - 1; i >= 0; i--) {
    const Frame& f = fs[static_cast<std::size_t>(i)];
    const char* which = i == cast_int(fs.size()) - 1 ? "L-&gt;ci"
                        : i == 0                     ? "&amp;L-&gt;base_ci"
                                                     : "previous";
    out +=
        fmt("<tr><td port=\"in%d\" bgcolor=\"%s\">%s</td>"
            "<td port=\"c%d\" bgcolor=\"%s\" align=\"left\" "
            "balign=\"left\">%s</td></tr>",
            i, f.colour, which, i, f.colour, text(L, f).c_str());
  }
  out += "</table>>];\n";
  for (std::size_t i = 0; i < fs.size(); i++)
    out += fmt("%s%s:c%zu:e -> %s:s%d:w [color=\"#555555\"];\n", indent(id),
               ci.c_str(), i, stack.c_str(), slot(L, fs[i].ci->func));
  return out;
}

inline std::string calllist(lua_State* L, const std::string& id,
                            const std::vector<Frame>& fs) {
  return calllist(L, id, fs, cirow);
}

// The stack from L->top (the first free slot) down to slot 0.
inline std::string stack(lua_State* L, const std::string& id,
                         const std::vector<Frame>& fs) {
  const int top = slot(L, L->top);
  std::string out =
      fmt("    %s_stack [label=<<table border=\"0\" cellborder=\"1\" "
          "cellspacing=\"0\" cellpadding=\"3\">"
          "<tr><td><b>slot</b></td><td><b>value</b></td>"
          "<td><b>role in its frame</b></td></tr>"
          "<tr><td port=\"s%d\">%d</td><td colspan=\"2\"><i>L-&gt;top: first "
          "free slot</i></td></tr>",
          id.c_str(), top, top);
  for (int s = top - 1; s >= 0; s--) {
    const Frame& f = *owner(fs, s);
    out +=
        fmt("<tr><td port=\"s%d\" bgcolor=\"%s\">%d</td>"
            "<td bgcolor=\"%s\" align=\"left\">%s</td>"
            "<td port=\"r%d\" bgcolor=\"%s\" align=\"left\">%s</td></tr>",
            s, f.colour, s, f.colour, esc(showvalue(s2v(L->stack + s))).c_str(),
            s, f.colour, esc(role(L, fs, f, s)).c_str());
  }
  out += "</table>>];\n";
  return out;
}

inline const char* statusname(int status) {
  switch (status) {
    case LUA_OK:
      return "LUA_OK";
    case LUA_YIELD:
      return "LUA_YIELD";
    default:
      return "an error status";
  }
}

// The thread itself. `what` says what coroutine.status would call it.
inline std::string thread(lua_State* L, const std::string& id,
                          const char* title, const char* what) {
  const int nccalls = getCcalls(L);
  const int nny = cast_int(L->nCcalls >> 16);
  return fmt(
      "    %s_L [label=<<table border=\"0\" cellborder=\"1\" "
      "cellspacing=\"0\" cellpadding=\"4\">"
      "<tr><td><b>lua_State</b> (%s)</td></tr>"
      "<tr><td port=\"status\">status: %s (%s)</td></tr>"
      "<tr><td port=\"ci\">ci</td></tr>"
      "<tr><td port=\"top\">top: slot %d</td></tr>"
      "<tr><td>stack: %d slots</td></tr>"
      "<tr><td>nci: %d</td></tr>"
      "<tr><td>nCcalls: %d C, %d non-yieldable</td></tr>"
      "</table>>];\n"
      "    %s_L:ci:e -> %s_ci:in%d:w;\n",
      id.c_str(), title, statusname(L->status), what, slot(L, L->top),
      stacksize(L), L->nci, nccalls, nny, id.c_str(), id.c_str(),
      cast_int(frames(L).size()) - 1);
}

// A cluster with everything about thread `L`. In a top-to-bottom graph,
// `beside` puts the call records and the stack side by side, below the
// thread.
inline std::string cluster(lua_State* L, const std::string& id,
                           const char* title, const char* what,
                           bool beside = false) {
  const std::vector<Frame> fs = frames(L);
  std::string out =
      fmt("  subgraph cluster_%s {\n    label=\"%s\";\n    style=rounded;\n"
          "    color=\"#999999\";\n",
          id.c_str(), title);
  out += thread(L, id, title, what);
  out += calllist(L, id, fs);
  out += stack(L, id, fs);
  if (beside)
    out += fmt("    { rank=same; %s_ci; %s_stack; }\n", id.c_str(), id.c_str());
  out += "  }\n";
  return out;
}

// The first lines of graph `name`: its direction and its fonts.
// `titlesize` is the size of the clusters' titles; a graph without
// clusters passes 0 and leaves it out.
inline std::string opening(const char* name, const char* rankdir,
                           int titlesize) {
  std::string out = fmt("digraph %s {\n  rankdir=%s;\n", name, rankdir);
  out += "  fontname=\"Helvetica\";\n";
  if (titlesize != 0) out += fmt("  fontsize=%d;\n", titlesize);
  out +=
      "  newrank=true;\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n"
      "  edge [arrowsize=0.6];\n";
  return out;
}

inline void header(const char* name, const char* rankdir) {
  std::fputs(opening(name, rankdir, 12).c_str(), stdout);
}

}  // namespace lvmdot
