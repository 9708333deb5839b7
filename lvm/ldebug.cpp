/// \file
/// The debug interface and the run-time errors: which line and function a
/// call is at, what its locals are, what a failing instruction was working
/// on, and the raising of every error with "chunk:line:" in front.
///
/// Mirrors: Lua 5.4 ldebug.c
/// Book: chapter 8
///
/// Design: nothing here runs on the fast path. The interpreter keeps no
/// names, so every name a message shows is recovered after the fact from
/// the prototype's debug information and its code (symbolic execution):
/// the instruction at `savedpc - 1` failed, and the code before it says
/// which instruction last wrote the offending register.
///
/// - **Invariant LINES** (lfunc.hpp): lines come from luaG_getfuncline,
///   which starts from the nearest absolute entry.
/// - **Invariant CURRENTPC.** For a Lua call, `savedpc` points just past
///   the instruction being run (the interpreter stores it before anything
///   that can fail or call out, lvm.hpp's invariant SAVEDPC), so
///   `currentpc` is that instruction's index.
/// - **Invariant CONDITIONAL.** Symbolic execution only trusts a register
///   write that every path to the failing instruction runs: a write that a
///   forward jump (to at most the failing instruction) may skip makes the
///   register's origin unknown, and the message names nothing.
/// - **Invariant TRAPS.** While any hook is set, every Lua call in the
///   thread has `trap` set, so that the interpreter calls luaG_traceexec
///   before each instruction; luaG_traceexec clears it again when neither
///   the line nor the count hook is on.
///
/// Differences from Lua:
/// - The API functions (lua_getstack, lua_getinfo, lua_getlocal,
///   lua_setlocal, lua_sethook and the hook queries) are luaG_ functions
///   here (ldebug.hpp); chapter 9 exports the C names.
/// - The symbolic-execution helpers return a `VarName` (kind and name
///   together) instead of returning the kind and setting `*name`.
/// - getinfo works on the function value rather than on a `Closure *`,
///   so that telling a Lua closure from a C one reads the value's tag, not
///   a union member that may not be the active one.
/// - funcnamefromcode names metamethods from chapter 5's `luaT_eventname`
///   instead of the state's interned `tmname` strings; the text is the
///   same and no state is needed.
/// - collectvalidlines returns an empty table for a stripped vararg
///   function, where 5.4.4 reads the missing line information.
#include "lvm/ldebug.hpp"

#include <cstdarg>
#include <cstring>

#include "lfunc/ltm.hpp"
#include "lgc/lgc.hpp"
#include "lparser/llex.hpp"
#include "lparser/lopcodes.hpp"
#include "ltable/ltable.hpp"
#include "lvm/ldo.hpp"
#include "lvm/lvm.hpp"

namespace lua {

namespace {

// lua.h declares `i_ci` as a pointer to a global-namespace `CallInfo` that
// C code never looks into; ours is lua::CallInfo. The pointer is stored
// and read back only through these two conversions.
CallInfo* callinfo(const lua_Debug* ar) {
  return reinterpret_cast<CallInfo*>(ar->i_ci);
}
void setcallinfo(lua_Debug* ar, CallInfo* ci) {
  ar->i_ci = reinterpret_cast<::CallInfo*>(ci);
}

// What symbolic execution learnt about a value: how it was reached (its
// kind: "local", "global", "field", "method", "upvalue", "constant", ...)
// and under which name. No kind means nothing is known.
struct VarName {
  const char* kind = nullptr;
  const char* name = nullptr;
};

VarName funcnamefromcall(const CallInfo* ci);

// Invariant CURRENTPC.
int currentpc(const CallInfo* ci) {
  lua_assert(isLua(ci));
  const Proto* p = ci_func(ci)->p;
  return pcRel(ci->u.l.savedpc, p);
}

int getcurrentline(const CallInfo* ci) {
  const Proto* p = ci_func(ci)->p;
  return luaG_getfuncline(p, currentpc(ci));
}

// Invariant TRAPS. A signal handler may set a hook, so this only walks
// the list and stores into `trap`: a record is fully linked before it
// becomes part of the active list.
void settraps(CallInfo* ci) {
  for (; ci != nullptr; ci = ci->previous) {
    if (isLua(ci)) ci->u.l.trap = 1;
  }
}

}  // namespace

// A null function or an empty mask both mean "no hook", and are stored
// as both, so that `hookmask` alone tells whether hooks are on.
void luaG_sethook(lua_State* L, lua_Hook func, int mask, int count) {
  const bool off = func == nullptr || mask == 0;
  L->hook = off ? nullptr : func;
  L->basehookcount = count;
  resethookcount(L);
  L->hookmask = off ? 0 : cast_byte(mask);
  if (!off) settraps(L->ci);
}

lua_Hook luaG_gethook(lua_State* L) {
  return L->hook;
}

int luaG_gethookmask(lua_State* L) {
  return L->hookmask;
}

int luaG_gethookcount(lua_State* L) {
  return L->basehookcount;
}

// Level 0 is the running call; the base record belongs to no function and
// is never a level.
bool luaG_getstack(lua_State* L, int level, lua_Debug* ar) {
  if (level < 0) return false;
  CallInfo* ci = L->ci;
  while (level > 0 && ci != &L->base_ci) {
    ci = ci->previous;
    level--;
  }
  if (level > 0 || ci == &L->base_ci) return false;
  setcallinfo(ar, ci);
  return true;
}

namespace {

// A stripped function keeps its upvalues but not their names.
const char* upvalname(const Proto* p, int uv) {
  lua_assert(uv < p->sizeupvalues);
  const TString* name = p->upvalues[uv].name;
  return name != nullptr ? getstr(name) : "?";
}

// luaT_adjustvarargs left the extra arguments just below the function,
// the first of them lowest: vararg number k (n = -k) is k - 1 slots above
// the first, which is `nextra` slots below the function.
const char* findvararg(CallInfo* ci, int n, StkId* pos) {
  if (!ci_func(ci)->p->is_vararg) return nullptr;
  const int nextra = ci->u.l.nextraargs;
  const int k = -n;
  if (k > nextra) return nullptr;
  *pos = ci->func - nextra + (k - 1);
  return "(vararg)";
}

// A slot with no variable still holds a value of the call while it lies
// below the next call's function (or below `top`, for the running call).
const char* temporaryname(lua_State* L, CallInfo* ci, int n) {
  const StkId limit = ci == L->ci ? L->top : ci->next->func;
  if (n <= 0 || limit - (ci->func + 1) < n) return nullptr;
  return isLua(ci) ? "(temporary)" : "(C temporary)";
}

// lapi's api_incr_top: a push into the room the caller reserved.
void incrtop(lua_State* L) {
  L->top++;
  lua_assert(L->top <= L->ci->top);
}

}  // namespace

// Named locals first (the debug information knows which are active at
// the current pc), then temporaries; negative numbers are varargs.
const char* luaG_findlocal(lua_State* L, CallInfo* ci, int n, StkId* pos) {
  const bool luacall = isLua(ci);
  if (luacall && n < 0) return findvararg(ci, n, pos);
  const char* name =
      luacall ? luaF_getlocalname(ci_func(ci)->p, n, currentpc(ci)) : nullptr;
  if (name == nullptr) name = temporaryname(L, ci, n);
  if (name != nullptr && pos != nullptr) *pos = ci->func + n;
  return name;
}

// Without a call record, the function on top of the stack is not running:
// only its parameters (the locals active at pc 0) have names.
const char* luaG_getlocal(lua_State* L, const lua_Debug* ar, int n) {
  if (ar != nullptr) {
    StkId slot{};
    const char* name = luaG_findlocal(L, callinfo(ar), n, &slot);
    if (name == nullptr) return nullptr;
    setobj2s(L, L->top, s2v(slot));
    incrtop(L);
    return name;
  }
  const TValue* f = s2v(L->top - 1);
  if (!ttisLclosure(f)) return nullptr;
  return luaF_getlocalname(clLvalue(f)->p, n, 0);
}

const char* luaG_setlocal(lua_State* L, const lua_Debug* ar, int n) {
  StkId pos{};
  const char* name = luaG_findlocal(L, callinfo(ar), n, &pos);
  if (name == nullptr) return nullptr;  // the value stays, as in Lua
  L->top--;
  setobjs2s(L, pos, L->top);
  return name;
}

namespace {

// The prototype of a Lua function value; null for both kinds of C
// function (light and closure), which getinfo reports alike.
const Proto* luaproto(const TValue* func) {
  return ttisLclosure(func) ? clLvalue(func)->p : nullptr;
}

void setsource(lua_Debug* ar, const char* source, std::size_t len) {
  ar->source = source;
  ar->srclen = len;
  luaO_chunkid(ar->short_src, source, len);
}

void setdefinition(lua_Debug* ar, int first, int last, const char* what) {
  ar->linedefined = first;
  ar->lastlinedefined = last;
  ar->what = what;
}

// 'S': where the function comes from. A chunk loaded stripped has no
// source, shown as "=?"; a main chunk is "defined" at line 0.
void funcinfo(lua_Debug* ar, const Proto* p) {
  if (p == nullptr) {
    setsource(ar, "=[C]", std::strlen("=[C]"));
    setdefinition(ar, -1, -1, "C");
    return;
  }
  if (p->source == nullptr)
    setsource(ar, "=?", std::strlen("=?"));
  else
    setsource(ar, getstr(p->source), tsslen(p->source));
  const char* what = p->linedefined == 0 ? "main" : "Lua";
  setdefinition(ar, p->linedefined, p->lastlinedefined, what);
}

// The line of instruction `pc` from the line of `pc - 1`: one delta,
// unless the instruction has an absolute entry (invariant LINES).
int nextline(const Proto* p, int currentline, int pc) {
  const int delta = p->lineinfo[pc];
  return delta == ABSLINEINFO ? luaG_getfuncline(p, pc) : currentline + delta;
}

// 'L': a table whose keys are the lines that have code. A vararg
// function's VARARGPREP carries the line of its definition, where no
// statement is, so it is skipped (but its delta still counts).
void collectvalidlines(lua_State* L, const Proto* p) {
  if (p == nullptr) {
    setnilvalue(s2v(L->top));
    incrtop(L);
    return;
  }
  Table* lines = luaH_new(L);
  sethvalue2s(L, L->top, lines);
  incrtop(L);
  if (p->lineinfo == nullptr) return;  // stripped: no lines known
  TValue yes;
  setbtvalue(&yes);
  int line = p->linedefined;
  int pc = 0;
  if (p->is_vararg) {
    lua_assert(GET_OPCODE(p->code[0]) == OP_VARARGPREP);
    line = nextline(p, line, pc++);
  }
  for (; pc < p->sizelineinfo; pc++) {
    line = nextline(p, line, pc);
    luaH_setint(L, lines, line, &yes);
  }
}

// 'n': a function's name is only known from how its caller called it,
// which a tail call has erased.
VarName getfuncname(const CallInfo* ci) {
  if (ci == nullptr || (ci->callstatus & CIST_TAIL) != 0) return {};
  return funcnamefromcall(ci->previous);
}

// 'u': a C function accepts any number of arguments.
void paraminfo(lua_Debug* ar, const TValue* func) {
  if (ttisLclosure(func))
    ar->nups = clLvalue(func)->nupvalues;
  else
    ar->nups = ttisCclosure(func) ? clCvalue(func)->nupvalues : 0;
  const Proto* p = luaproto(func);
  ar->isvararg = p != nullptr ? static_cast<char>(p->is_vararg) : 1;
  ar->nparams = p != nullptr ? p->numparams : 0;
}

// 'r': the values a call or return hook may look at, recorded only while
// such a hook runs.
void transferinfo(lua_Debug* ar, const CallInfo* ci) {
  const bool known = ci != nullptr && (ci->callstatus & CIST_TRAN) != 0;
  ar->ftransfer = known ? ci->u2.transferinfo.ftransfer : 0;
  ar->ntransfer = known ? ci->u2.transferinfo.ntransfer : 0;
}

// Fills the fields that `what` asks for; 'f' and 'L' push values and are
// done by the caller. `ci` is null for a function that is not running.
bool auxgetinfo(const char* what, lua_Debug* ar, const TValue* func,
                const CallInfo* ci) {
  bool valid = true;
  for (const char* option = what; *option != '\0'; option++) {
    switch (*option) {
      case 'S':
        funcinfo(ar, luaproto(func));
        break;
      case 'l':
        ar->currentline = ci != nullptr && isLua(ci) ? getcurrentline(ci) : -1;
        break;
      case 'u':
        paraminfo(ar, func);
        break;
      case 't':  // Lua stores the status bit itself, not 1
        ar->istailcall =
            ci != nullptr ? static_cast<char>(ci->callstatus & CIST_TAIL) : 0;
        break;
      case 'n': {
        const VarName fn = getfuncname(ci);
        ar->namewhat = fn.kind != nullptr ? fn.kind : "";
        ar->name = fn.kind != nullptr ? fn.name : nullptr;
        break;
      }
      case 'r':
        transferinfo(ar, ci);
        break;
      case 'L':
      case 'f':
        break;
      default:
        valid = false;
    }
  }
  return valid;
}

}  // namespace

// With '>', the function is popped from the stack and is not running, so
// the options about a call ('l', 'n', 't', 'r') have nothing to report.
bool luaG_getinfo(lua_State* L, const char* what, lua_Debug* ar) {
  const bool popped = what[0] == '>';
  if (popped) {
    what++;
    L->top--;
  }
  CallInfo* ci = popped ? nullptr : callinfo(ar);
  const TValue* func = popped ? s2v(L->top) : s2v(ci->func);
  lua_assert(ttisfunction(func));
  const bool valid = auxgetinfo(what, ar, func, ci);
  if (std::strchr(what, 'f') != nullptr) {
    setobj2s(L, L->top, func);
    incrtop(L);
  }
  if (std::strchr(what, 'L') != nullptr) collectvalidlines(L, luaproto(func));
  return valid;
}

// ---------------------------------------------------------------------------
// Symbolic execution
// ---------------------------------------------------------------------------

namespace {

VarName getobjname(const Proto* p, int lastpc, int reg);

// A constant used as a key names the field when it is a string.
const char* kname(const Proto* p, int k) {
  const TValue* key = &p->k[k];
  return ttisstring(key) ? svalue(key) : "?";
}

// A register used as a key names the field only when it was loaded with
// a string constant.
const char* rname(const Proto* p, int pc, int reg) {
  const VarName key = getobjname(p, pc, reg);
  const bool constant =
      key.kind != nullptr && std::strcmp(key.kind, "constant") == 0;
  return constant ? key.name : "?";
}

// The key of an instruction whose C operand is a constant when k is set.
const char* rkname(const Proto* p, int pc, Instruction i) {
  const int c = GETARG_C(i);
  return GETARG_k(i) ? kname(p, c) : rname(p, pc, c);
}

// Invariant CONDITIONAL: a write before the latest jump target may have
// been skipped.
int filterpc(int pc, int jmptarget) {
  return pc < jmptarget ? -1 : pc;
}

// Whether instruction `i` writes register `reg`. Calls clobber every
// register from their base up; for TFORCALL, whose call happens at A + 4,
// Lua counts from the loop's control variable, A + 2.
bool changesreg(Instruction i, int reg) {
  const OpCode op = GET_OPCODE(i);
  const int a = GETARG_A(i);
  switch (op) {
    case OP_LOADNIL:
      return a <= reg && reg <= a + GETARG_B(i);
    case OP_TFORCALL:
      return reg >= a + 2;
    case OP_CALL:
    case OP_TAILCALL:
      return reg >= a;
    case OP_JMP:
      return false;
    default:
      return testAMode(op) && reg == a;
  }
}

// The last instruction before `lastpc` that wrote `reg`, or -1 when none
// did unconditionally (invariant CONDITIONAL). An MMBIN runs only because
// the arithmetic instruction before it failed, without writing its
// target, so that instruction is left out too.
int findsetreg(const Proto* p, int lastpc, int reg) {
  if (testMMMode(GET_OPCODE(p->code[lastpc]))) lastpc--;
  int writer = -1;
  int target = 0;  // code before it may have been jumped over
  for (int pc = 0; pc < lastpc; pc++) {
    const Instruction i = p->code[pc];
    if (GET_OPCODE(i) == OP_JMP) {
      const int dest = pc + 1 + GETARG_sJ(i);
      if (dest <= lastpc && dest > target) target = dest;
    } else if (changesreg(i, reg)) {
      writer = filterpc(pc, target);
    }
  }
  return writer;
}

// Indexing the table named _ENV is reading a global; any other table
// gives a field. The table is upvalue or register B of `i`.
const char* gxf(const Proto* p, int pc, Instruction i, bool isup) {
  const int t = GETARG_B(i);
  const char* name = isup ? upvalname(p, t) : getobjname(p, pc, t).name;
  const bool env = name != nullptr && std::strcmp(name, LUA_ENV) == 0;
  return env ? "global" : "field";
}

// A register loaded from a string constant is named by the string.
VarName constantname(const Proto* p, int k) {
  const TValue* value = &p->k[k];
  if (!ttisstring(value)) return {};
  return {"constant", svalue(value)};
}

// What the instruction at `pc`, which wrote the register, says about the
// value it wrote. A MOVE is followed to its source only when that is a
// lower register (a variable); a higher one is a temporary.
VarName loadedname(const Proto* p, int pc) {
  const Instruction i = p->code[pc];
  const OpCode op = GET_OPCODE(i);
  switch (op) {
    case OP_MOVE:
      if (GETARG_B(i) >= GETARG_A(i)) return {};
      return getobjname(p, pc, GETARG_B(i));
    case OP_GETTABUP:
      return {gxf(p, pc, i, true), kname(p, GETARG_C(i))};
    case OP_GETTABLE:
      return {gxf(p, pc, i, false), rname(p, pc, GETARG_C(i))};
    case OP_GETI:
      return {"field", "integer index"};
    case OP_GETFIELD:
      return {gxf(p, pc, i, false), kname(p, GETARG_C(i))};
    case OP_GETUPVAL:
      return {"upvalue", upvalname(p, GETARG_B(i))};
    case OP_LOADK:
      return constantname(p, GETARG_Bx(i));
    case OP_LOADKX:
      return constantname(p, GETARG_Ax(p->code[pc + 1]));
    case OP_SELF:
      return {"method", rkname(p, pc, i)};
    default:
      return {};
  }
}

// The name of the value in register `reg` just before instruction
// `lastpc`: an active local's own name, or what the instruction that
// loaded it says.
VarName getobjname(const Proto* p, int lastpc, int reg) {
  const char* local = luaF_getlocalname(p, reg + 1, lastpc);
  if (local != nullptr) return {"local", local};
  const int pc = findsetreg(p, lastpc, reg);
  return pc == -1 ? VarName{} : loadedname(p, pc);
}

// The metamethod that instruction `i` may call, or TM_N when it calls
// none. EQK and EQI compare with constants, which have no metamethods.
TMS calledevent(Instruction i) {
  const OpCode op = GET_OPCODE(i);
  switch (op) {
    case OP_SELF:
    case OP_GETTABUP:
    case OP_GETTABLE:
    case OP_GETI:
    case OP_GETFIELD:
      return TM_INDEX;
    case OP_SETTABUP:
    case OP_SETTABLE:
    case OP_SETI:
    case OP_SETFIELD:
      return TM_NEWINDEX;
    case OP_MMBIN:
    case OP_MMBINI:
    case OP_MMBINK:
      return GETARG_C(i) < NUM_TMS ? static_cast<TMS>(GETARG_C(i)) : TM_N;
    case OP_UNM:
      return TM_UNM;
    case OP_BNOT:
      return TM_BNOT;
    case OP_LEN:
      return TM_LEN;
    case OP_CONCAT:
      return TM_CONCAT;
    case OP_EQ:
      return TM_EQ;
    case OP_LT:
    case OP_LTI:
    case OP_GTI:
      return TM_LT;
    case OP_LE:
    case OP_LEI:
    case OP_GEI:
      return TM_LE;
    case OP_CLOSE:
    case OP_RETURN:
      return TM_CLOSE;
    default:
      return TM_N;
  }
}

// The called function's name from the calling instruction at `pc`: the
// called register's name for a call, or the metamethod's event (without
// its "__") for an instruction that called one.
VarName funcnamefromcode(const Proto* p, int pc) {
  const Instruction i = p->code[pc];
  const OpCode op = GET_OPCODE(i);
  if (op == OP_CALL || op == OP_TAILCALL) return getobjname(p, pc, GETARG_A(i));
  if (op == OP_TFORCALL) return {"for iterator", "for iterator"};
  const TMS event = calledevent(i);
  if (event == TM_N) return {};
  return {"metamethod", luaT_eventname[static_cast<int>(event)] + 2};
}

// How call `ci` called the function running above it. Hooks and
// finalizers are called by the interpreter itself, not by an instruction.
VarName funcnamefromcall(const CallInfo* ci) {
  if ((ci->callstatus & CIST_HOOKED) != 0) return {"hook", "?"};
  if ((ci->callstatus & CIST_FIN) != 0) return {"metamethod", "__gc"};
  if (isLua(ci)) return funcnamefromcode(ci_func(ci)->p, currentpc(ci));
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

namespace {

// Whether `o` is one of the registers of call `ci`. The pointer may point
// anywhere (into a table, an upvalue), and ordering unrelated pointers is
// unspecified, so the registers are compared one by one.
bool isinstack(const CallInfo* ci, const TValue* o) {
  for (StkId slot = ci->func + 1; slot < ci->top; slot++) {
    if (s2v(slot) == o) return true;
  }
  return false;
}

// Only GETTABUP and SETTABUP operate on an upvalue in place, so a value
// that is an upvalue's own slot was indexed through one.
VarName upvalueof(const CallInfo* ci, const TValue* o) {
  LClosure* cl = ci_func(ci);
  for (int i = 0; i < cl->nupvalues; i++) {
    if (cl->upvals()[i]->v == o) return {"upvalue", upvalname(cl->p, i)};
  }
  return {};
}

// " (kind 'name')", pushed on the stack, or "" when nothing is known.
const char* formatvarinfo(lua_State* L, VarName v) {
  if (v.kind == nullptr) return "";
  return luaO_pushfstring(L, " (%s '%s')", v.kind, v.name);
}

// Describes value `o`, an operand of the running instruction, for a
// message about it.
const char* varinfo(lua_State* L, const TValue* o) {
  const CallInfo* ci = L->ci;
  if (!isLua(ci)) return "";  // a C function's values have no names
  VarName v = upvalueof(ci, o);
  if (v.kind == nullptr && isinstack(ci, o)) {
    const auto* slot = reinterpret_cast<const StackValue*>(o);
    const int reg = cast_int(slot - (ci->func + 1));
    v = getobjname(ci_func(ci)->p, currentpc(ci), reg);
  }
  return formatvarinfo(L, v);
}

[[noreturn]] void typeerror(lua_State* L, const TValue* o, const char* op,
                            const char* extra) {
  const char* type = luaT_objtypename(L, o);
  luaG_runerror(L, "attempt to %s a %s value%s", op, type, extra);
}

// The message handler replaces the error object with its result: the
// object moves up one slot and the handler goes below it, as a call with
// one argument. EXTRA_STACK guarantees the slot.
void callerrorhandler(lua_State* L) {
  const StkId handler = restorestack(L, L->errfunc);
  lua_assert(ttisfunction(s2v(handler)));
  const StkId call = L->top - 1;
  setobjs2s(L, call + 1, call);
  setobjs2s(L, call, handler);
  L->top = call + 2;
  luaD_callnoyield(L, call, 1);
}

}  // namespace

void luaG_typeerror(lua_State* L, const TValue* o, const char* opname) {
  typeerror(L, o, opname, varinfo(L, o));
}

// The calling instruction usually knows the callee's name better than the
// register does (a method, a metamethod, a for iterator).
void luaG_callerror(lua_State* L, const TValue* o) {
  const VarName callee = funcnamefromcall(L->ci);
  const char* extra =
      callee.kind != nullptr ? formatvarinfo(L, callee) : varinfo(L, o);
  typeerror(L, o, "call", extra);
}

void luaG_forerror(lua_State* L, const TValue* o, const char* what) {
  luaG_runerror(L, "bad 'for' %s (number expected, got %s)", what,
                luaT_objtypename(L, o));
}

// Numbers convert to strings, so the culprit is the first operand that is
// neither.
void luaG_concaterror(lua_State* L, const TValue* p1, const TValue* p2) {
  const bool firstok = ttisstring(p1) || ttisnumber(p1);
  luaG_typeerror(L, firstok ? p2 : p1, "concatenate");
}

void luaG_opinterror(lua_State* L, const TValue* p1, const TValue* p2,
                     const char* msg) {
  luaG_typeerror(L, ttisnumber(p1) ? p2 : p1, msg);
}

// Both operands are numbers here; the culprit is the first one without an
// integer value.
void luaG_tointerror(lua_State* L, const TValue* p1, const TValue* p2) {
  lua_Integer ignored;
  const bool firstok = luaV_tointegerns(p1, &ignored, LUA_FLOORN2I);
  luaG_runerror(L, "number%s has no integer representation",
                varinfo(L, firstok ? p2 : p1));
}

void luaG_ordererror(lua_State* L, const TValue* p1, const TValue* p2) {
  const char* left = luaT_objtypename(L, p1);
  const char* right = luaT_objtypename(L, p2);
  if (std::strcmp(left, right) != 0)
    luaG_runerror(L, "attempt to compare %s with %s", left, right);
  luaG_runerror(L, "attempt to compare two %s values", left);
}

// A function loaded stripped has no source; "?" stands for it.
const char* luaG_addinfo(lua_State* L, const char* msg, TString* src,
                         int line) {
  char where[LUA_IDSIZE] = "?";
  if (src != nullptr) luaO_chunkid(where, getstr(src), tsslen(src));
  return luaO_pushfstring(L, "%s:%d: %s", where, line, msg);
}

void luaG_errormsg(lua_State* L) {
  if (L->errfunc != 0) callerrorhandler(L);
  luaD_throw(L, LUA_ERRRUN);
}

// The message is built before the position is added, and both strings
// stay on the stack until the error unwinds it. Building them allocates,
// so the collector gets its step first.
void luaG_runerror(lua_State* L, const char* fmt, ...) {
  luaC_checkGC(L);
  std::va_list argp;
  va_start(argp, fmt);
  const char* msg = luaO_pushvfstring(L, fmt, argp);
  va_end(argp);
  const CallInfo* ci = L->ci;
  if (isLua(ci)) {
    const Proto* p = ci_func(ci)->p;
    luaG_addinfo(L, msg, p->source, getcurrentline(ci));
  }
  luaG_errormsg(L);
}

// ---------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------

namespace {

// Whether instruction `newpc` is on another line than `oldpc`, which comes
// before it. Usually it is a few instructions on, and adding their deltas
// is cheaper than two lookups; an absolute entry on the way, or a long
// distance (likely to cross one), takes the two lookups.
bool changedline(const Proto* p, int oldpc, int newpc) {
  if (p->lineinfo == nullptr) return false;
  const bool near = newpc - oldpc < MAXIWTHABS / 2;
  if (near) {
    int delta = 0;
    int pc = oldpc + 1;
    for (; pc <= newpc && p->lineinfo[pc] != ABSLINEINFO; pc++)
      delta += p->lineinfo[pc];
    if (pc > newpc) return delta != 0;
  }
  return luaG_getfuncline(p, oldpc) != luaG_getfuncline(p, newpc);
}

// The line hook runs on entering a new line, and on every backward jump
// (each iteration of a one-line loop). `L->oldpc` may be stale (a
// coroutine resumed into another function, an error unwound to this one):
// a pc outside the function becomes 0, which costs at most one extra hook.
void linehook(lua_State* L, const Proto* p, int npci) {
  const int oldpc = L->oldpc < p->sizecode ? L->oldpc : 0;
  if (npci <= oldpc || changedline(p, oldpc, npci))
    luaD_hook(L, LUA_HOOKLINE, luaG_getfuncline(p, npci), 0, 0);
  L->oldpc = npci;
}

// The hook yielded: put `savedpc` and the count back as they were before
// this instruction, so that resuming runs it again, and mark the call so
// that the hooks are not called a second time for it.
[[noreturn]] void hookyielded(lua_State* L, CallInfo* ci, bool counthook) {
  if (counthook) L->hookcount = 1;
  ci->u.l.savedpc--;
  ci->callstatus = static_cast<unsigned short>(ci->callstatus | CIST_HOOKYIELD);
  luaD_throw(L, LUA_YIELD);
}

}  // namespace

// Runs before instruction `pc` while `trap` is set. The interpreter calls
// it without first saving its state as it does around calls, so `top` is
// put back to the frame's end before a hook (which may run the collector)
// is called, unless the instruction takes its operands up to the current
// top (invariant FRAME of lvm.hpp).
int luaG_traceexec(lua_State* L, const Instruction* pc) {
  CallInfo* ci = L->ci;
  const int mask = L->hookmask;
  const Proto* p = ci_func(ci)->p;
  if ((mask & (LUA_MASKLINE | LUA_MASKCOUNT)) == 0) {
    ci->u.l.trap = 0;  // only call/return hooks: the loop need not stop
    return 0;
  }
  ci->u.l.savedpc = ++pc;  // hooks see the instruction as the current one
  const bool counthook = --L->hookcount == 0 && (mask & LUA_MASKCOUNT) != 0;
  if (!counthook && (mask & LUA_MASKLINE) == 0) return 1;  // nothing due
  if (counthook) resethookcount(L);
  if ((ci->callstatus & CIST_HOOKYIELD) != 0) {  // resumed after a yield
    ci->callstatus =
        static_cast<unsigned short>(ci->callstatus & ~CIST_HOOKYIELD);
    return 1;
  }
  if (!isIT(*(pc - 1))) L->top = ci->top;
  if (counthook) luaD_hook(L, LUA_HOOKCOUNT, -1, 0, 0);
  if ((mask & LUA_MASKLINE) != 0) linehook(L, p, pcRel(pc, p));
  if (L->status == LUA_YIELD) hookyielded(L, ci, counthook);
  return 1;
}

}  // namespace lua
