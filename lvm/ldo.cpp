/// \file
/// Calls, returns, errors, coroutines and protected execution.
///
/// Mirrors: Lua 5.4 ldo.c (and lfunc.c's prepcallclosemth, luaF_close)
/// Book: chapter 8
///
/// See ldo.hpp for the invariants RESULTS, ERRORS and NCCALLS. The parts
/// of ldo.c live in three chapters: chapter 1's lmem/lmem.cpp raises and
/// catches errors through stand-ins (luaM_throw, luaM_runprotected) that
/// this chapter's luaD_openstate replaces; the stack reallocation section
/// is chapter 5's lfunc/ldo.cpp; and everything else is here, in ldo.c's
/// order. The two functions of lfunc.c that call `__close` methods, and
/// the state set-up of this chapter, close the file in marked sections.
#include "lvm/ldo.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/llex.hpp"
#include "lparser/lparser.hpp"
#include "lparser/lundump.hpp"
#include "lstring/lstring.hpp"
#include "lvm/ldebug.hpp"
#include "lvm/ltm.hpp"
#include "lvm/lvm.hpp"

namespace lua {

namespace {

// A protected runner's record. The exception itself carries the status;
// the record only chains the runners, so that luaD_throw can tell whether
// the thread has one.
struct lua_longjmp {
  lua_longjmp* previous;
};

// The error status kept in a C call record while its to-be-closed
// variables are closed after an error (three bits from CIST_RECST).
int getcistrecst(const CallInfo* ci) {
  return (ci->callstatus >> CIST_RECST) & 7;
}
void setcistrecst(CallInfo* ci, int status) {
  lua_assert((status & 7) == status);
  ci->callstatus = static_cast<unsigned short>(
      (ci->callstatus & ~(7u << CIST_RECST)) | (status << CIST_RECST));
}

bool errorstatus(int s) {
  return s > LUA_YIELD;
}

}  // namespace

// ---------------------------------------------------------------------------
// Error recovery
// ---------------------------------------------------------------------------

void luaD_seterrorobj(lua_State* L, int errcode, StkId oldtop) {
  TValue* dest = s2v(oldtop);
  if (errcode == LUA_ERRMEM)  // its message was made with the state
    setsvalue(L, dest, G(L)->memerrmsg);
  else if (errcode == LUA_ERRERR)
    setsvalue(L, dest, luaS_newliteral(L, "error in error handling"));
  else if (errcode == LUA_OK)  // closing without an error: nil
    setnilvalue(dest);
  else  // the error object is on top of the stack
    setobj(L, dest, s2v(L->top - 1));
  L->top = oldtop + 1;
}

void luaD_throw(lua_State* L, int errcode) {
  if (L->errorJmp != nullptr) throw LuaError{errcode, {}};
  // No runner in this thread: a coroutine resumed from C without a
  // runner of its own hands the error to the main thread.
  global_State* g = G(L);
  errcode = luaD_resetthread(L, errcode);
  lua_State* main = g->mainthread;
  if (main->errorJmp != nullptr) {
    setobjs2s(L, main->top, L->top - 1);
    main->top++;
    luaD_throw(main, errcode);
  }
  if (g->panic != nullptr) g->panic(L);  // its last chance to leave
  std::abort();
}

int luaD_rawrunprotected(lua_State* L, Pfunc f, void* ud) {
  const std::uint32_t oldnCcalls = L->nCcalls;
  lua_longjmp jmp{static_cast<lua_longjmp*>(L->errorJmp)};
  L->errorJmp = &jmp;
  int status = LUA_OK;
  try {
    f(L, ud);
  } catch (const LuaError& e) {
    status = e.status;
  }
  L->errorJmp = jmp.previous;
  L->nCcalls = oldnCcalls;
  return status;
}

// (Stack reallocation: chapter 5, lfunc/ldo.cpp.)

// ---------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------

// The hook runs as part of the current call: the record is marked
// CIST_HOOKED (and CIST_TRAN when values are transferred), hooks are off
// inside it, and it gets LUA_MINSTACK free slots above everything the
// frame uses. Both tops are put back afterwards.
void luaD_hook(lua_State* L, int event, int line, int ftransfer,
               int ntransfer) {
  lua_Hook hook = L->hook;
  if (hook == nullptr || !L->allowhook) return;
  CallInfo* ci = L->ci;
  const std::ptrdiff_t savedtop = savestack(L, L->top);
  const std::ptrdiff_t savedcitop = savestack(L, ci->top);
  unsigned short marks = CIST_HOOKED;
  if (ntransfer != 0) {
    marks |= CIST_TRAN;
    ci->u2.transferinfo = {static_cast<unsigned short>(ftransfer),
                           static_cast<unsigned short>(ntransfer)};
  }
  if (isLua(ci)) L->top = std::max(L->top, ci->top);  // keep the registers
  luaD_checkstack(L, LUA_MINSTACK);
  ci->top = std::max(ci->top, L->top + LUA_MINSTACK);
  lua_Debug ar{};
  ar.event = event;
  ar.currentline = line;
  ar.i_ci = reinterpret_cast<::CallInfo*>(ci);
  L->allowhook = 0;
  ci->callstatus |= marks;
  hook(L, &ar);
  L->allowhook = 1;
  ci->callstatus &= static_cast<unsigned short>(~marks);
  ci->top = restorestack(L, savedcitop);
  L->top = restorestack(L, savedtop);
}

void luaD_hookcall(lua_State* L, CallInfo* ci) {
  L->oldpc = 0;  // the line hook of the new function starts afresh
  if (!(L->hookmask & LUA_MASKCALL)) return;
  const int event =
      (ci->callstatus & CIST_TAIL) ? LUA_HOOKTAILCALL : LUA_HOOKCALL;
  const Proto* p = ci_func(ci)->p;
  // Hooks expect `savedpc` to point past the current instruction.
  ci->u.l.savedpc++;
  luaD_hook(L, event, -1, 1, p->numparams);
  ci->u.l.savedpc--;
}

namespace {

// The return hook of `ci`, whose `nres` results are on top. A vararg
// function's `func` was moved above its extra arguments; the hook sees
// the frame as the function declared it. Also resets `oldpc` for the
// caller's line hook, even when return hooks are off.
void rethook(lua_State* L, CallInfo* ci, int nres) {
  if (L->hookmask & LUA_MASKRET) {
    StkId firstres = L->top - nres;
    int delta = 0;
    if (isLua(ci) && ci_func(ci)->p->is_vararg)
      delta = ci->u.l.nextraargs + ci_func(ci)->p->numparams + 1;
    ci->func += delta;
    luaD_hook(L, LUA_HOOKRET, -1, cast_int(firstres - ci->func), nres);
    ci->func -= delta;
  }
  CallInfo* caller = ci->previous;
  if (isLua(caller)) L->oldpc = pcRel(caller->u.l.savedpc, ci_func(caller)->p);
}

}  // namespace

// ---------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------

StkId luaD_tryfuncTM(lua_State* L, StkId func) {
  checkstackGCp(L, 1, func, luaC_checkGC);
  const TValue* tm = luaT_gettmbyobj(L, s2v(func), TM_CALL);
  if (ttisnil(tm)) [[unlikely]]
    luaG_callerror(L, s2v(func));
  // Shift the callee and its arguments up one slot; the metamethod takes
  // the callee's place and the callee becomes its first argument.
  for (StkId p = L->top; p > func; p--) setobjs2s(L, p, p - 1);
  L->top++;
  setobj2s(L, func, tm);
  return func;
}

namespace {

// Closes the to-be-closed variables of a returning C function (whose
// wanted count is encoded, see hastocloseCfunc) before its results move.
// Returns the decoded wanted count; `res` follows a moved stack.
int closeCfuncvars(lua_State* L, StkId& res, int nres, int wanted) {
  const std::ptrdiff_t saved = savestack(L, res);
  L->ci->callstatus |= CIST_CLSRET;  // a yielding __close redoes poscall
  L->ci->u2.nres = nres;
  luaF_close(L, res, CLOSEKTOP, true);
  L->ci->callstatus &= static_cast<unsigned short>(~CIST_CLSRET);
  if (L->hookmask) rethook(L, L->ci, nres);  // after the __close calls
  res = restorestack(L, saved);
  wanted = decodeNresults(wanted);
  return wanted == LUA_MULTRET ? nres : wanted;
}

// Moves `wanted` of the `nres` values on top of the stack down to `res`
// (invariant RESULTS). Statements (0 results) and expressions (1) are
// the common cases and skip the general loop.
inline void moveresults(lua_State* L, StkId res, int nres, int wanted) {
  if (wanted == 0) {
    L->top = res;
    return;
  }
  if (wanted == 1) {
    if (nres == 0)
      setnilvalue(s2v(res));
    else
      setobjs2s(L, res, L->top - nres);
    L->top = res + 1;
    return;
  }
  if (wanted == LUA_MULTRET)
    wanted = nres;
  else if (hastocloseCfunc(wanted))
    wanted = closeCfuncvars(L, res, nres, wanted);
  StkId first = L->top - nres;
  const int ncopy = nres < wanted ? nres : wanted;
  for (int i = 0; i < ncopy; i++) setobjs2s(L, res + i, first + i);
  for (int i = ncopy; i < wanted; i++) setnilvalue(s2v(res + i));
  L->top = res + wanted;
}

}  // namespace

void luaD_poscall(lua_State* L, CallInfo* ci, int nres) {
  const int wanted = ci->nresults;
  // With variables to close, the hook runs after them (closeCfuncvars).
  if (L->hookmask && !hastocloseCfunc(wanted)) [[unlikely]]
    rethook(L, ci, nres);
  moveresults(L, ci->func, nres, wanted);
  lua_assert(!(ci->callstatus & (CIST_HOOKED | CIST_YPCALL | CIST_FIN |
                                 CIST_TRAN | CIST_CLSRET)));
  L->ci = ci->previous;
}

namespace {

// The record after the current one, reused if the list has it.
inline CallInfo* next_ci(lua_State* L) {
  return L->ci->next != nullptr ? L->ci->next : luaE_extendCI(L);
}

// Makes the next record current, describing a call of `func`.
inline CallInfo* prepCallInfo(lua_State* L, StkId func, int nresults,
                              unsigned short status, StkId top) {
  CallInfo* ci = L->ci = next_ci(L);
  ci->func = func;
  ci->nresults = static_cast<short>(nresults);
  ci->callstatus = status;
  ci->top = top;
  return ci;
}

// Calls C function `f` at `func` to completion and returns its number of
// results, which luaD_poscall has already moved into place.
inline int precallC(lua_State* L, StkId func, int nresults, lua_CFunction f) {
  checkstackGCp(L, LUA_MINSTACK, func, luaC_checkGC);
  CallInfo* ci = prepCallInfo(L, func, nresults, CIST_C, L->top + LUA_MINSTACK);
  lua_assert(ci->top <= L->stack_last);
  if (L->hookmask & LUA_MASKCALL) [[unlikely]]
    luaD_hook(L, LUA_HOOKCALL, -1, 1, cast_int(L->top - func) - 1);
  const int n = f(L);
  if (n < 0) [[unlikely]] {  // a yield without unwinding: no return yet
    lua_assert(L->status == LUA_YIELD);
    return n;
  }
  lua_assert(n <= L->top - (ci->func + 1));
  luaD_poscall(L, ci, n);
  return n;
}

// The C function of a C closure or light C function at `func`, or null
// for any other value.
inline lua_CFunction cfunctionof(const TValue* func) {
  switch (ttypetag(func)) {
    case LUA_VCCL:
      return clCvalue(func)->f;
    case LUA_VLCF:
      return fvalue(func);
    default:
      return nullptr;
  }
}

}  // namespace

namespace {

// Resolves the callee at `func`: a value with `__call` is replaced by its
// handler (the value becomes the first argument, `*nargs` counts it).
// Returns the C function to run, or null for a Lua function.
lua_CFunction resolvecallee(lua_State* L, StkId& func, int* nargs) {
  while (!ttisLclosure(s2v(func))) {
    if (lua_CFunction f = cfunctionof(s2v(func))) return f;
    func = luaD_tryfuncTM(L, func);
    if (nargs != nullptr) ++*nargs;
  }
  return nullptr;
}

// Gives the Lua function at `func`, which has `nargs` arguments above it,
// nil for each missing fixed parameter, and returns the new top.
StkId fillparams(StkId func, int nargs, const Proto* p) {
  for (; nargs < p->numparams; nargs++) setnilvalue(s2v(func + 1 + nargs));
  return func + 1 + nargs;
}

}  // namespace

int luaD_pretailcall(lua_State* L, CallInfo* ci, StkId func, int narg1,
                     int delta) {
  int nargs = narg1 - 1;
  if (lua_CFunction f = resolvecallee(L, func, &nargs))
    return precallC(L, func, LUA_MULTRET, f);
  const Proto* p = clLvalue(s2v(func))->p;
  checkstackGCp(L, p->maxstacksize - delta, func, luaC_checkGC);
  // The callee takes over the caller's frame: it and its arguments move
  // down to where the caller was (below a vararg caller's extra args).
  ci->func -= delta;
  std::copy(func, func + nargs + 1, ci->func);
  L->top = fillparams(ci->func, nargs, p);
  ci->top = ci->func + 1 + p->maxstacksize;
  lua_assert(ci->top <= L->stack_last);
  ci->u.l.savedpc = p->code;
  ci->callstatus |= CIST_TAIL;
  return -1;
}

CallInfo* luaD_precall(lua_State* L, StkId func, int nresults) {
  if (lua_CFunction f = resolvecallee(L, func, nullptr)) {
    precallC(L, func, nresults, f);
    return nullptr;
  }
  const Proto* p = clLvalue(s2v(func))->p;
  checkstackGCp(L, p->maxstacksize, func, luaC_checkGC);
  CallInfo* ci = prepCallInfo(L, func, nresults, 0, func + 1 + p->maxstacksize);
  ci->u.l.savedpc = p->code;
  L->top = fillparams(func, cast_int(L->top - func) - 1, p);
  lua_assert(ci->top <= L->stack_last);
  return ci;
}

namespace {

// One more level of C++ recursion for the duration of a call from C++
// (a C function, a metamethod, a finalizer): `inc` is 1, or nyci when the
// call cannot yield either. An error unwinding through it is no problem:
// the protected runner that catches it restores `nCcalls` anyway.
class CLevel {
 public:
  CLevel(lua_State* L, std::uint32_t inc) : L_(L), inc_(inc) {
    L->nCcalls += inc;
    if (getCcalls(L) >= LUAI_MAXCCALLS) [[unlikely]]
      luaE_checkcstack(L);  // "C stack overflow"
  }
  ~CLevel() { L_->nCcalls -= inc_; }
  CLevel(const CLevel&) = delete;
  CLevel& operator=(const CLevel&) = delete;

 private:
  lua_State* L_;
  std::uint32_t inc_;
};

// A call from C++. A Lua callee runs on a fresh interpreter loop, marked
// CIST_FRESH so that the loop returns when the callee does.
inline void ccall(lua_State* L, StkId func, int nresults, std::uint32_t inc) {
  CLevel level(L, inc);
  CallInfo* ci = luaD_precall(L, func, nresults);
  if (ci == nullptr) return;  // a C function, already done
  ci->callstatus = CIST_FRESH;
  luaV_execute(L, ci);
}

}  // namespace

void luaD_call(lua_State* L, StkId func, int nresults) {
  ccall(L, func, nresults, 1);
}

void luaD_callnoyield(lua_State* L, StkId func, int nresults) {
  ccall(L, func, nresults, nyci);
}

// ---------------------------------------------------------------------------
// Coroutines
// ---------------------------------------------------------------------------

namespace {

// Finishes a lua_pcallk that a yield or an error interrupted: after an
// error, closes its pending variables (which may yield or fail again; the
// status stays in the record so that a rerun sees it) and puts the error
// object in place of the called function. Returns the status to pass to
// the continuation.
int finishpcallk(lua_State* L, CallInfo* ci) {
  int status = getcistrecst(ci);
  if (status == LUA_OK) {
    status = LUA_YIELD;  // interrupted by a yield, not an error
  } else {
    L->allowhook = ci->callstatus & CIST_OAH;
    luaF_close(L, restorestack(L, ci->u2.funcidx), status, true);
    luaD_seterrorobj(L, status, restorestack(L, ci->u2.funcidx));
    luaD_shrinkstack(L);  // in case the error was a stack overflow
    setcistrecst(ci, LUA_OK);
  }
  ci->callstatus &= static_cast<unsigned short>(~CIST_YPCALL);
  L->errfunc = ci->u.c.old_errfunc;
  return status;
}

// Completes C call `ci`, interrupted either while closing its variables
// on return (then the return is redone) or inside lua_callk/lua_pcallk
// (then its continuation runs with the callee's results).
void finishCcall(lua_State* L, CallInfo* ci) {
  int n;
  if (ci->callstatus & CIST_CLSRET) {
    lua_assert(hastocloseCfunc(ci->nresults));
    n = ci->u2.nres;
  } else {
    lua_assert(ci->u.c.k != nullptr && yieldable(L));
    int status = LUA_YIELD;
    if (ci->callstatus & CIST_YPCALL) status = finishpcallk(L, ci);
    // The callee's result count is unknown here: adjust as for MULTRET.
    if (L->top > ci->top) ci->top = L->top;
    n = ci->u.c.k(L, status, ci->u.c.ctx);
    if (n < 0) return;  // it yielded again, by returning
  }
  luaD_poscall(L, ci, n);
}

// Runs what a yield interrupted, record by record, until the coroutine's
// base: C calls through their continuations, Lua calls by finishing the
// interrupted instruction and going on in the interpreter.
void unroll(lua_State* L, void*) {
  while (L->ci != &L->base_ci) {
    CallInfo* ci = L->ci;
    if (!isLua(ci)) {
      finishCcall(L, ci);
    } else {
      luaV_finishOp(L);
      luaV_execute(L, ci);
    }
    if (L->status == LUA_YIELD) return;  // yielded without unwinding
  }
}

// The innermost call of `L` running inside a yieldable lua_pcallk, or
// null.
CallInfo* findpcall(lua_State* L) {
  for (CallInfo* ci = L->ci; ci != nullptr; ci = ci->previous)
    if (ci->callstatus & CIST_YPCALL) return ci;
  return nullptr;
}

// An error of the resume request itself (not of the coroutine's code):
// the coroutine is untouched, and `msg` replaces the arguments.
int resume_error(lua_State* L, const char* msg, int narg) {
  L->top -= narg;
  setsvalue2s(L, L->top, luaS_new(L, msg));
  L->top++;
  return LUA_ERRRUN;
}

// The protected body of luaD_resume.
void resume(lua_State* L, void* ud) {
  int n = *static_cast<int*>(ud);
  StkId firstarg = L->top - n;
  CallInfo* ci = L->ci;
  if (L->status == LUA_OK) {  // first resume: call the body
    ccall(L, firstarg - 1, LUA_MULTRET, 0);
    return;
  }
  lua_assert(L->status == LUA_YIELD);
  L->status = LUA_OK;
  if (isLua(ci)) {  // yielded inside a hook: go on with the Lua code
    L->top = firstarg;
    luaV_execute(L, ci);
  } else {  // yielded by a C function (lua_yieldk)
    if (ci->u.c.k != nullptr) n = ci->u.c.k(L, LUA_YIELD, ci->u.c.ctx);
    if (n >= 0) luaD_poscall(L, ci, n);
  }
  if (L->status != LUA_YIELD) unroll(L, nullptr);
}

// After an error inside a coroutine, goes on from the innermost yieldable
// pcall, if any, as if that pcall had caught it; repeats for new errors.
int precover(lua_State* L, int status) {
  while (errorstatus(status)) {
    CallInfo* ci = findpcall(L);
    if (ci == nullptr) break;
    L->ci = ci;
    setcistrecst(ci, status);
    status = luaD_rawrunprotected(L, unroll, nullptr);
  }
  return status;
}

}  // namespace

namespace {

// Why coroutine `L` cannot be resumed with `narg` arguments on its stack,
// or null when it can: it must be suspended in a yield, or not started
// (its body below the arguments, nothing running).
const char* unresumable(lua_State* L, int narg) {
  if (L->status == LUA_YIELD) return nullptr;
  if (L->status != LUA_OK) return "cannot resume dead coroutine";
  if (L->ci != &L->base_ci) return "cannot resume non-suspended coroutine";
  if (L->top - (L->ci->func + 1) == narg)  // nothing below the arguments
    return "cannot resume dead coroutine";
  return nullptr;
}

}  // namespace

int luaD_resume(lua_State* L, lua_State* from, int narg, int* nres) {
  if (const char* why = unresumable(L, narg)) return resume_error(L, why, narg);
  // The coroutine continues the resumer's C levels, plus this one.
  L->nCcalls =
      from != nullptr ? static_cast<std::uint32_t>(getCcalls(from)) : 0u;
  if (getCcalls(L) >= LUAI_MAXCCALLS)
    return resume_error(L, "C stack overflow", narg);
  L->nCresume = static_cast<unsigned short>(++L->nCcalls);
  int status = precover(L, luaD_rawrunprotected(L, resume, &narg));
  // A yield without unwinding ends the run normally (luaD_yieldreturn).
  if (status == LUA_OK && L->status == LUA_YIELD) status = LUA_YIELD;
  if (errorstatus(status)) {  // the coroutine dies with its error object
    L->status = cast_byte(status);
    luaD_seterrorobj(L, status, L->top);
    L->ci->top = L->top;
  }
  lua_assert(status == L->status);
  const int onstack = cast_int(L->top - (L->ci->func + 1));
  *nres = status == LUA_YIELD ? L->ci->u2.nyield : onstack;
  return status;
}

bool luaD_isyieldable(lua_State* L) {
  return yieldable(L);
}

int luaD_yield(lua_State* L, int nresults, lua_KContext ctx, lua_KFunction k) {
  if (!yieldable(L)) [[unlikely]]
    luaG_runerror(L, "%s",
                  L == G(L)->mainthread
                      ? "attempt to yield from outside a coroutine"
                      : "attempt to yield across a C-call boundary");
  CallInfo* ci = L->ci;
  L->status = LUA_YIELD;
  ci->u2.nyield = nresults;
  // Inside a hook (the record is a Lua call's) the hook returns, and
  // luaG_traceexec does the yielding.
  if (isLua(ci)) return 0;
  ci->u.c.k = k;  // continuation and context, for when it is resumed
  ci->u.c.ctx = ctx;
  luaD_throw(L, LUA_YIELD);
}

int luaD_yieldreturn(lua_State* L, int nresults) {
  CallInfo* ci = L->ci;
  const bool direct = yieldable(L) && !isLua(ci) &&
                      !(ci->callstatus & CIST_HOOKED) &&
                      getCcalls(L) == L->nCresume;
  if (!direct) return luaD_yield(L, nresults, 0, nullptr);
  L->status = LUA_YIELD;
  ci->u2.nyield = nresults;
  ci->u.c.k = nullptr;
  return -1;
}

// ---------------------------------------------------------------------------
// Protected operations
// ---------------------------------------------------------------------------

namespace {

// What a protected operation puts back after an error: the call record
// that was current and whether hooks could run.
struct Checkpoint {
  CallInfo* ci;
  lu_byte allowhook;
  explicit Checkpoint(const lua_State* L)
      : ci(L->ci), allowhook(L->allowhook) {}
  void restore(lua_State* L) const {
    L->ci = ci;
    L->allowhook = allowhook;
  }
};

}  // namespace

// An error in a __close method becomes the new status, and closing goes
// on with the variables that remain, until one round ends cleanly.
int luaD_closeprotected(lua_State* L, std::ptrdiff_t level, int status) {
  const Checkpoint checkpoint(L);
  struct Args {
    std::ptrdiff_t level;
    int status;
  } args{level, status};
  auto closeall = [](lua_State* L, void* ud) {
    auto* a = static_cast<Args*>(ud);
    luaF_close(L, restorestack(L, a->level), a->status, false);
  };
  while (const int err = luaD_rawrunprotected(L, closeall, &args)) {
    args.status = err;
    checkpoint.restore(L);
  }
  return args.status;
}

int luaD_pcall(lua_State* L, Pfunc func, void* u, std::ptrdiff_t oldtop,
               std::ptrdiff_t ef) {
  const Checkpoint checkpoint(L);
  const std::ptrdiff_t olderrfunc = std::exchange(L->errfunc, ef);
  int status = luaD_rawrunprotected(L, func, u);
  if (status != LUA_OK) [[unlikely]] {
    checkpoint.restore(L);
    status = luaD_closeprotected(L, oldtop, status);
    luaD_seterrorobj(L, status, restorestack(L, oldtop));
    luaD_shrinkstack(L);  // in case the error was a stack overflow
  }
  L->errfunc = olderrfunc;
  return status;
}

namespace {

// What the protected parser works with.
struct SParser {
  ZIO* z;
  Mbuffer buff;  // the lexer's token buffer
  Dyndata dyd;   // the parser's variable, goto and label lists
  const char* mode;
  const char* name;
};

// Rejects a chunk of kind `kind` ("binary" or "text") that `mode` does not
// allow.
void checkmode(lua_State* L, const char* mode, const char* kind) {
  if (mode == nullptr || std::strchr(mode, kind[0]) != nullptr) return;
  luaO_pushfstring(L, "attempt to load a %s chunk (mode is '%s')", kind, mode);
  luaD_throw(L, LUA_ERRSYNTAX);
}

// The protected body of luaD_protectedparser: the first byte tells a
// binary chunk (it starts with LUA_SIGNATURE) from source text.
void f_parser(lua_State* L, void* ud) {
  auto* p = static_cast<SParser*>(ud);
  const int first = zgetc(p->z);
  const bool binary = first == LUA_SIGNATURE[0];
  checkmode(L, p->mode, binary ? "binary" : "text");
  LClosure* cl = binary
                     ? luaU_undump(L, p->z, p->name)
                     : luaY_parser(L, p->z, &p->buff, &p->dyd, p->name, first);
  lua_assert(cl->nupvalues == cl->p->sizeupvalues);
  luaF_initupvals(L, cl);  // fresh upvalues; the loader sets _ENV
}

}  // namespace

int luaD_protectedparser(lua_State* L, ZIO* z, const char* name,
                         const char* mode) {
  incnny(L);  // the parser's frames cannot be resumed
  SParser p{z, {}, {}, mode, name};
  luaZ_initbuffer(L, &p.buff);
  const int status =
      luaD_pcall(L, f_parser, &p, savestack(L, L->top), L->errfunc);
  luaZ_freebuffer(L, &p.buff);
  luaY_freedyndata(L, &p.dyd);
  decnny(L);
  return status;
}

// ---------------------------------------------------------------------------
// States (ours)
// ---------------------------------------------------------------------------

namespace {

// The `throwstatus` seam: chapter 1's luaM_throw lands here. A syntax
// error has its message on the stack already; LUA_ERRMEM and LUA_ERRERR
// get their fixed messages from the runner that catches them.
[[noreturn]] void throwstatus(lua_State* L, int status) {
  luaD_throw(L, status);
}

// The `runerror` seam: chapter 1's luaM_runerror lands here with an
// already formatted message.
[[noreturn]] void runerror(lua_State* L, const char* msg) {
  luaG_runerror(L, "%s", msg);
}

// The `callgc` seam: a finalizer call, protected, with no results, that
// cannot yield. The collector (GCTM) has already stopped itself, turned
// hooks off and marked the call record with CIST_FIN.
int callgc(lua_State* L, const TValue* tm, const TValue* obj) {
  StkId top = L->top;
  setobj2s(L, top, tm);
  setobj2s(L, top + 1, obj);
  L->top = top + 2;
  return luaD_pcall(
      L, [](lua_State* L, void*) { luaD_callnoyield(L, L->top - 2, 0); },
      nullptr, savestack(L, top), 0);
}

}  // namespace

lua_State* luaD_openstate(lua_Alloc f, void* ud) {
  lua_State* L = luaC_openstate(f, ud);
  if (L == nullptr) return nullptr;
  global_State* g = G(L);
  g->seams.throwstatus = throwstatus;
  g->seams.runerror = runerror;
  g->seams.callgc = callgc;
  // The reserved words are the last allocation of the set-up; if memory
  // runs out here the state is closed again.
  const int status = luaD_rawrunprotected(
      L, [](lua_State* L, void*) { luaX_init(L); }, nullptr);
  if (status != LUA_OK) {
    luaC_closestate(L);
    return nullptr;
  }
  return L;
}

void luaD_closestate(lua_State* L) {
  L = G(L)->mainthread;
  L->ci = &L->base_ci;
  luaD_closeprotected(L, savestack(L, L->stack + 1), LUA_OK);
  luaC_closestate(L);
}

// Closing may call __close methods, so it runs first, with the base
// record current; the final error object then goes to slot 1, and only
// after that, with `top` above it, may the stack shrink (a failed
// shrink's emergency collection must see the error object).
int luaD_resetthread(lua_State* L, int status) {
  luaE_resetbase(L);
  if (status == LUA_YIELD) status = LUA_OK;
  status = luaD_closeprotected(L, savestack(L, L->stack + 1), status);
  if (status != LUA_OK)
    luaD_seterrorobj(L, status, L->stack + 1);
  else
    L->top = L->stack + 1;
  luaE_shrinkbase(L);
  return status;
}

// ---------------------------------------------------------------------------
// Functions of lfunc.c
// ---------------------------------------------------------------------------

void luaF_checkclosemth(lua_State* L, StkId level) {
  if (l_isfalse(s2v(level))) return;  // false and nil close nothing
  const TValue* tm = luaT_gettmbyobj(L, s2v(level), TM_CLOSE);
  if (!ttisnil(tm)) return;
  const int idx = cast_int(level - L->ci->func);
  const char* vname = luaG_findlocal(L, L->ci, idx, nullptr);
  luaG_runerror(L, "variable '%s' got a non-closable value",
                vname != nullptr ? vname : "?");
}

namespace {

// Calls the `__close` method of the variable at `level` with the error
// object of `status` (nil for CLOSEKTOP, which keeps the values above).
void prepcallclosemth(lua_State* L, StkId level, int status, bool yy) {
  const TValue* errobj = &G(L)->nilvalue;
  if (status != CLOSEKTOP) {
    luaD_seterrorobj(L, status, level + 1);  // sets top to level + 2
    errobj = s2v(level + 1);
  }
  StkId top = L->top;
  const TValue* tm = luaT_gettmbyobj(L, s2v(level), TM_CLOSE);
  setobj2s(L, top, tm);
  setobj2s(L, top + 1, s2v(level));
  setobj2s(L, top + 2, errobj);
  L->top = top + 3;
  if (yy)
    luaD_call(L, top, 0);
  else
    luaD_callnoyield(L, top, 0);
}

}  // namespace

StkId luaF_close(lua_State* L, StkId level, int status, bool yy) {
  const std::ptrdiff_t levelrel = savestack(L, level);
  luaF_closeupval(L, level);
  while (L->tbclist >= level && L->tbclist > L->stack) {
    StkId tbc = L->tbclist;
    luaF_poptbclist(L);
    prepcallclosemth(L, tbc, status, yy);
    level = restorestack(L, levelrel);  // the calls may move the stack
  }
  return level;
}

}  // namespace lua
