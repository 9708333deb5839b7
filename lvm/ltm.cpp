/// \file
/// Metamethod calls and the fallbacks of the operators.
///
/// Mirrors: Lua 5.4 ltm.c
/// Book: chapter 8
///
/// See ltm.hpp for the invariants LOOKUP and NOTM. The first half of
/// ltm.c (the event names, luaT_gettm, luaT_gettmbyobj, luaT_objtypename)
/// is chapter 5's lfunc/ltm.cpp; this file continues from luaT_callTM.
#include "lvm/ltm.hpp"

#include <initializer_list>

#include "lgc/lgc.hpp"
#include "lvm/ldebug.hpp"
#include "lvm/ldo.hpp"

namespace lua {

// (luaT_init ... luaT_objtypename: chapter 5, lfunc/ltm.cpp.)

namespace {

// Pushes a metamethod and its arguments, in order, from the top up (the
// stack keeps EXTRA_STACK spare slots for exactly this) and returns the
// metamethod's slot.
StkId pushcall(lua_State* L, std::initializer_list<const TValue*> values) {
  StkId func = L->top;
  for (const TValue* v : values) setobj2s(L, L->top++, v);
  return func;
}

// A metamethod called from Lua code may yield; one called from C (the
// API, a library) may not, as C has no continuation to resume.
void callmeta(lua_State* L, StkId func, int nresults) {
  if (isLuacode(L->ci))
    luaD_call(L, func, nresults);
  else
    luaD_callnoyield(L, func, nresults);
}

}  // namespace

void luaT_callTM(lua_State* L, const TValue* f, const TValue* p1,
                 const TValue* p2, const TValue* p3) {
  callmeta(L, pushcall(L, {f, p1, p2, p3}), 0);
}

void luaT_callTMres(lua_State* L, const TValue* f, const TValue* p1,
                    const TValue* p2, StkId res) {
  const std::ptrdiff_t resoff = savestack(L, res);  // the call may move it
  callmeta(L, pushcall(L, {f, p1, p2}), 1);
  L->top--;
  setobjs2s(L, restorestack(L, resoff), L->top);
}

namespace {

// Calls the metamethod of `event` found first on `p1`, then on `p2`
// (invariant LOOKUP), storing its result in `res`. False when neither
// operand has one.
bool callbinTM(lua_State* L, const TValue* p1, const TValue* p2, StkId res,
               TMS event) {
  const TValue* tm = luaT_gettmbyobj(L, p1, event);
  if (notm(tm)) tm = luaT_gettmbyobj(L, p2, event);
  if (notm(tm)) return false;
  luaT_callTMres(L, tm, p1, p2, res);
  return true;
}

bool isbitwise(TMS event) {
  switch (event) {
    case TM_BAND:
    case TM_BOR:
    case TM_BXOR:
    case TM_SHL:
    case TM_SHR:
    case TM_BNOT:
      return true;
    default:
      return false;
  }
}

}  // namespace

void luaT_trybinTM(lua_State* L, const TValue* p1, const TValue* p2, StkId res,
                   TMS event) {
  if (callbinTM(L, p1, p2, res, event)) [[likely]]
    return;
  // Invariant NOTM: two numbers failing a bitwise operator must have had
  // a float without an integer value.
  if (!isbitwise(event)) luaG_opinterror(L, p1, p2, "perform arithmetic on");
  if (ttisnumber(p1) && ttisnumber(p2)) luaG_tointerror(L, p1, p2);
  luaG_opinterror(L, p1, p2, "perform bitwise operation on");
}

void luaT_tryconcatTM(lua_State* L) {
  StkId top = L->top;
  if (!callbinTM(L, s2v(top - 2), s2v(top - 1), top - 2, TM_CONCAT))
    luaG_concaterror(L, s2v(top - 2), s2v(top - 1));
}

void luaT_trybinassocTM(lua_State* L, const TValue* p1, const TValue* p2,
                        bool flip, StkId res, TMS event) {
  // With `flip`, the constant came first in the source: keep that order.
  const TValue* first = flip ? p2 : p1;
  const TValue* second = flip ? p1 : p2;
  luaT_trybinTM(L, first, second, res, event);
}

void luaT_trybiniTM(lua_State* L, const TValue* p1, lua_Integer i2, bool flip,
                    StkId res, TMS event) {
  TValue imm;
  setivalue(&imm, i2);
  luaT_trybinassocTM(L, p1, &imm, flip, res, event);
}

bool luaT_callorderTM(lua_State* L, const TValue* p1, const TValue* p2,
                      TMS event) {
  if (callbinTM(L, p1, p2, L->top, event)) return !l_isfalse(s2v(L->top));
  // Lua 5.3 compatibility, on in Debian's lua5.4: without `__le`,
  // `a <= b` is `not (b < a)`. CIST_LEQ tells luaV_finishOp to negate the
  // result if the `__lt` call yields.
  if (event == TM_LE) {
    L->ci->callstatus |= CIST_LEQ;
    const bool found = callbinTM(L, p2, p1, L->top, TM_LT);
    L->ci->callstatus &= static_cast<unsigned short>(~CIST_LEQ);
    if (found) return l_isfalse(s2v(L->top));
  }
  luaG_ordererror(L, p1, p2);
}

bool luaT_callorderiTM(lua_State* L, const TValue* p1, int v2, bool flip,
                       bool isfloat, TMS event) {
  TValue imm;
  if (isfloat)
    setfltvalue(&imm, static_cast<lua_Number>(v2));
  else
    setivalue(&imm, v2);
  return flip ? luaT_callorderTM(L, &imm, p1, event)
              : luaT_callorderTM(L, p1, &imm, event);
}

// A vararg call arrives as func, fixed parameters, extra arguments. The
// frame is rebuilt above the arguments: a copy of the function and of the
// fixed parameters goes on top, and `func` moves up to that copy, so the
// extra arguments lie just below the new frame, where OP_VARARG finds
// them (`nextraargs` of them).
void luaT_adjustvarargs(lua_State* L, int nfixparams, CallInfo* ci,
                        const Proto* p) {
  const int nargs = cast_int(L->top - ci->func) - 1;
  ci->u.l.nextraargs = nargs - nfixparams;  // luaD_precall filled the rest
  luaD_checkstack(L, p->maxstacksize + 1);
  StkId oldfunc = ci->func;
  StkId newfunc = L->top;
  for (int slot = 0; slot <= nfixparams; slot++) {  // function and params
    setobjs2s(L, newfunc + slot, oldfunc + slot);
    if (slot > 0) setnilvalue(s2v(oldfunc + slot));  // nothing to keep alive
  }
  L->top = newfunc + nfixparams + 1;
  const std::ptrdiff_t shift = newfunc - oldfunc;
  ci->func += shift;
  ci->top += shift;
  lua_assert(L->top <= ci->top && ci->top <= L->stack_last);
}

void luaT_getvarargs(lua_State* L, CallInfo* ci, StkId where, int wanted) {
  const int nextra = ci->u.l.nextraargs;
  if (wanted < 0) {  // all of them, and `top` marks their end
    wanted = nextra;
    checkstackGCp(L, nextra, where, luaC_checkGC);
    L->top = where + nextra;
  }
  StkId extra = ci->func - nextra;
  const int ncopy = wanted < nextra ? wanted : nextra;
  for (int i = 0; i < ncopy; i++) setobjs2s(L, where + i, extra + i);
  for (int i = ncopy; i < wanted; i++) setnilvalue(s2v(where + i));
}

}  // namespace lua
