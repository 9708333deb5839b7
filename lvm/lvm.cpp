/// \file
/// The interpreter: value conversions, comparisons, the table access
/// protocol, concatenation, length, and the instruction loop.
///
/// Mirrors: Lua 5.4 lvm.c
/// Book: chapter 8
///
/// See lvm.hpp for the invariants FRAME, SAVEDPC and FASTGET. The loop
/// keeps `pc`, `base` (the first register) and `k` (the constants) in
/// locals. Anything that may reallocate the stack or change the hooks
/// sets the call's `trap`; the loop then reloads `base` before its next
/// instruction (and runs the hooks when they are on). Each opcode's body
/// does the common case inline and calls a named helper for the rest.
///
/// Differences from Lua:
/// - Lua's op_arith/op_bitwise/op_order macro families are function
///   templates taking the integer and float operations as lambdas; the
///   compiler inlines them to the same code.
/// - luaV_idiv, luaV_mod, luaV_modf and luaV_shiftl are chapter 2's
///   (constant folding needs them); luaO_tostring, which lobject.c holds,
///   is here at the end because it creates strings.
#include "lvm/lvm.hpp"

#include <cmath>
#include <cstring>
#include <functional>

#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/lopcodes.hpp"
#include "lstring/lstring.hpp"
#include "lvm/ldebug.hpp"
#include "lvm/ldo.hpp"
#include "lvm/ltm.hpp"

namespace lua {

namespace {

// Integers whose every value a float represents exactly: |i| <= 2^53.
constexpr int NBM = 53;  // mantissa bits of a double
inline bool l_intfitsf(lua_Integer i) {
  constexpr lua_Unsigned maxexact = lua_Unsigned{1} << NBM;
  return static_cast<lua_Unsigned>(i) + maxexact <= 2 * maxexact;
}

// Converts a string value to a number value; false when it does not
// read as a whole numeral.
bool l_strton(const TValue* obj, TValue* result) {
  if (!ttisstring(obj)) return false;
  return luaO_str2num(svalue(obj), result) == vslen(obj) + 1;
}

}  // namespace

// ---------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------

// Integers convert exactly; strings through the lexer's reading of
// numerals (l_strton). Floats never get here (tonumber handles them).
bool luaV_tonumber_(lua_State*, const TValue* obj, lua_Number* n) {
  TValue numeral;
  const TValue* num = obj;
  if (!ttisinteger(obj)) {
    if (!l_strton(obj, &numeral)) return false;
    num = &numeral;
  }
  *n = nvalue(num);
  return true;
}

bool luaV_tointeger(const TValue* obj, lua_Integer* p, F2Imod mode) {
  TValue v;
  if (l_strton(obj, &v)) obj = &v;  // a numeral converts like its value
  return luaV_tointegerns(obj, p, mode);
}

// ---------------------------------------------------------------------------
// Numeric for loops
// ---------------------------------------------------------------------------

namespace {

// Converts the limit of an integer loop to an integer `*p`, clipping a
// float beyond the integer range. True when the loop must not run at all.
bool forlimit(lua_State* L, lua_Integer init, const TValue* lim, lua_Integer* p,
              lua_Integer step) {
  const F2Imod mode = step < 0 ? F2Imod::F2Iceil : F2Imod::F2Ifloor;
  if (!luaV_tointeger(lim, p, mode)) {
    lua_Number flim;
    if (!tonumber(L, lim, &flim)) luaG_forerror(L, lim, "limit");
    // A float out of the integer range: clip it, unless the loop cannot
    // even start in that direction.
    if (flim > 0) {
      if (step < 0) return true;
      *p = LUA_MAXINTEGER;
    } else {
      if (step > 0) return true;
      *p = LUA_MININTEGER;
    }
  }
  return step > 0 ? init > *p : init < *p;
}

// The iteration count of an integer loop that runs at least once. It is
// computed once, as an unsigned number, so that the loop can neither
// overflow nor run forever near the ends of the integer range.
lua_Unsigned forcount(lua_Integer init, lua_Integer limit, lua_Integer step) {
  if (step > 0) {
    lua_Unsigned span =
        static_cast<lua_Unsigned>(limit) - static_cast<lua_Unsigned>(init);
    return step == 1 ? span : span / static_cast<lua_Unsigned>(step);
  }
  lua_Unsigned span =
      static_cast<lua_Unsigned>(init) - static_cast<lua_Unsigned>(limit);
  // -(step + 1) + 1 is |step| without negating LUA_MININTEGER.
  return span / (static_cast<lua_Unsigned>(-(step + 1)) + 1u);
}

// The float value of a loop's control value `o` (numbers and numeric
// strings), or the "bad 'for'" error naming `what` it is.
lua_Number forfloat(lua_State* L, const TValue* o, const char* what) {
  lua_Number n;
  if (!tonumber(L, o, &n)) luaG_forerror(L, o, what);
  return n;
}

// Prepares a float loop: the index, limit, step and control variable all
// become floats. True when the loop must be skipped.
bool floatforprep(lua_State* L, StkId ra) {
  // Lua checks the limit, then the step, then the initial value.
  const lua_Number limit = forfloat(L, s2v(ra + 1), "limit");
  const lua_Number step = forfloat(L, s2v(ra + 2), "step");
  const lua_Number start = forfloat(L, s2v(ra), "initial value");
  if (step == 0) luaG_runerror(L, "'for' step is zero");
  if (step > 0 ? limit < start : start < limit) return true;
  const lua_Number values[] = {start, limit, step, start};
  for (int r = 0; r < 4; r++) setfltvalue(s2v(ra + r), values[r]);
  return false;
}

// OP_FORPREP: registers ra..ra+3 are the internal index, the limit, the
// step and the control variable. An integer loop (integer start and
// step) replaces the limit by the iteration count. True when the loop
// must be skipped.
bool forprep(lua_State* L, StkId ra) {
  if (!ttisinteger(s2v(ra)) || !ttisinteger(s2v(ra + 2)))
    return floatforprep(L, ra);
  const lua_Integer start = ivalue(s2v(ra));
  const lua_Integer step = ivalue(s2v(ra + 2));
  if (step == 0) luaG_runerror(L, "'for' step is zero");
  setivalue(s2v(ra + 3), start);  // the control variable
  lua_Integer last;
  if (forlimit(L, start, s2v(ra + 1), &last, step)) return true;
  const lua_Unsigned count = forcount(start, last, step);
  setivalue(s2v(ra + 1), static_cast<lua_Integer>(count));
  return false;
}

// OP_FORLOOP for floats: advances the index; true when the loop goes on.
bool floatforloop(StkId ra) {
  const lua_Number step = fltvalue(s2v(ra + 2));
  const lua_Number limit = fltvalue(s2v(ra + 1));
  const lua_Number next = fltvalue(s2v(ra)) + step;
  const bool inrange = step > 0 ? next <= limit : limit <= next;
  if (inrange) {  // the index and the control variable advance together
    chgfltvalue(s2v(ra), next);
    setfltvalue(s2v(ra + 3), next);
  }
  return inrange;
}

}  // namespace

// ---------------------------------------------------------------------------
// Table access with metamethods
// ---------------------------------------------------------------------------

namespace {

// What a missed access to `t` turns to: for a table (`slot` is its absent
// entry) the metatable's handler of `event`, or null when it has none and
// the miss is final; for any other value its type's handler, which must
// exist ("attempt to index").
const TValue* misshandler(lua_State* L, const TValue* t, const TValue* slot,
                          TMS event) {
  if (slot != nullptr) return fasttm(L, hvalue(t)->metatable, event);
  const TValue* handler = luaT_gettmbyobj(L, t, event);
  if (notm(handler)) luaG_typeerror(L, t, "index");
  return handler;
}

}  // namespace

// Each round follows one handler: a function is called and ends the
// chain; any other value is indexed in turn, raw first (invariant
// FASTGET), for at most MAXTAGLOOP rounds.
void luaV_finishget(lua_State* L, const TValue* t, TValue* key, StkId val,
                    const TValue* slot) {
  for (int depth = 0; depth < MAXTAGLOOP; depth++) {
    const TValue* handler = misshandler(L, t, slot, TM_INDEX);
    if (handler == nullptr) {  // a plain table miss reads nil
      setnilvalue(s2v(val));
      return;
    }
    if (ttisfunction(handler)) return luaT_callTMres(L, handler, t, key, val);
    t = handler;
    if (luaV_fastget(t, key, slot)) {
      setobj2s(L, val, slot);
      return;
    }
  }
  luaG_runerror(L, "'__index' chain too long; possible loop");
}

void luaV_finishset(lua_State* L, const TValue* t, TValue* key, TValue* val,
                    const TValue* slot) {
  for (int depth = 0; depth < MAXTAGLOOP; depth++) {
    const TValue* handler = misshandler(L, t, slot, TM_NEWINDEX);
    if (handler == nullptr) {  // a plain table miss creates the key
      Table* h = hvalue(t);
      luaH_finishset(L, h, key, slot, val);
      invalidateTMcache(h);  // the key may be a metamethod name
      luaC_barrierback(L, h, val);
      return;
    }
    if (ttisfunction(handler)) return luaT_callTM(L, handler, t, key, val);
    t = handler;
    if (luaV_fastget(t, key, slot)) return luaV_finishfastset(L, t, slot, val);
  }
  luaG_runerror(L, "'__newindex' chain too long; possible loop");
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

namespace {

// Compares two strings as the C library's strcoll does, chunk by chunk
// between embedded zeros (strcoll stops at the first zero).
int l_strcmp(const TString* ts1, const TString* ts2) {
  const char* s1 = getstr(ts1);
  std::size_t rest1 = tsslen(ts1);
  const char* s2 = getstr(ts2);
  std::size_t rest2 = tsslen(ts2);
  for (;;) {
    if (int c = std::strcoll(s1, s2); c != 0) return c;
    const std::size_t chunk = std::strlen(s1);  // equal in both
    if (chunk == rest2) return chunk == rest1 ? 0 : 1;
    if (chunk == rest1) return -1;
    // Both go on past an embedded zero: compare what follows it.
    s1 += chunk + 1;
    rest1 -= chunk + 1;
    s2 += chunk + 1;
    rest2 -= chunk + 1;
  }
}

// Order between an integer and a float without losing precision. An
// integer that a float cannot hold exactly is compared with the float
// rounded to an integer instead: `i < f` is `i < ceil(f)` and `i <= f` is
// `i <= floor(f)` (and symmetrically for `f < i`, `f <= i`). A float
// beyond the integer range, or NaN, decides by its sign (NaN never
// orders).
bool intbeforefloat(lua_Integer i, lua_Number f, bool orequal) {
  const auto fi = static_cast<lua_Number>(i);
  if (l_intfitsf(i)) return orequal ? fi <= f : fi < f;
  lua_Integer rounded;
  const F2Imod mode = orequal ? F2Imod::F2Ifloor : F2Imod::F2Iceil;
  if (!luaV_flttointns(f, &rounded, mode)) return f > 0;
  return orequal ? i <= rounded : i < rounded;
}
bool floatbeforeint(lua_Number f, lua_Integer i, bool orequal) {
  const auto fi = static_cast<lua_Number>(i);
  if (l_intfitsf(i)) return orequal ? f <= fi : f < fi;
  lua_Integer rounded;
  const F2Imod mode = orequal ? F2Imod::F2Iceil : F2Imod::F2Ifloor;
  if (!luaV_flttointns(f, &rounded, mode)) return f < 0;
  return orequal ? rounded <= i : rounded < i;
}

// `l < r`, or `l <= r` when `orequal`, for two numbers of any subtypes.
inline bool numorder(const TValue* l, const TValue* r, bool orequal) {
  const bool lint = ttisinteger(l), rint = ttisinteger(r);
  if (lint && rint)
    return orequal ? ivalue(l) <= ivalue(r) : ivalue(l) < ivalue(r);
  if (lint) return intbeforefloat(ivalue(l), fltvalue(r), orequal);
  if (rint) return floatbeforeint(fltvalue(l), ivalue(r), orequal);
  return orequal ? fltvalue(l) <= fltvalue(r) : fltvalue(l) < fltvalue(r);
}

// The order of anything but two numbers: two strings compare as strcoll
// does; everything else needs the `__lt` or `__le` metamethod.
bool orderothers(lua_State* L, const TValue* l, const TValue* r, TMS event) {
  if (!ttisstring(l) || !ttisstring(r)) return luaT_callorderTM(L, l, r, event);
  const int cmp = l_strcmp(tsvalue(l), tsvalue(r));
  return event == TM_LE ? cmp <= 0 : cmp < 0;
}

}  // namespace

bool luaV_lessthan(lua_State* L, const TValue* l, const TValue* r) {
  if (ttisnumber(l) && ttisnumber(r)) return numorder(l, r, false);
  return orderothers(L, l, r, TM_LT);
}

bool luaV_lessequal(lua_State* L, const TValue* l, const TValue* r) {
  if (ttisnumber(l) && ttisnumber(r)) return numorder(l, r, true);
  return orderothers(L, l, r, TM_LE);
}

namespace {

// Two distinct tables or userdata are equal when the `__eq` of the first
// operand's metatable (or else of the second's) says so. L is null for
// raw equality.
bool eqbymetamethod(lua_State* L, const TValue* t1, const TValue* t2,
                    Table* mt1, Table* mt2) {
  if (L == nullptr) return false;
  const TValue* tm = fasttm(L, mt1, TM_EQ);
  if (tm == nullptr) tm = fasttm(L, mt2, TM_EQ);
  if (tm == nullptr) return false;
  luaT_callTMres(L, tm, t1, t2, L->top);  // the result lands on top
  return !l_isfalse(s2v(L->top));
}

// Numbers of different subtypes are equal when both are integral values
// and those integers are equal.
bool mixednumbersequal(const TValue* t1, const TValue* t2) {
  lua_Integer i1, i2;
  return luaV_tointegerns(t1, &i1, F2Imod::F2Ieq) &&
         luaV_tointegerns(t2, &i2, F2Imod::F2Ieq) && i1 == i2;
}

}  // namespace

bool luaV_equalobj(lua_State* L, const TValue* t1, const TValue* t2) {
  const int tag = ttypetag(t1);
  if (tag != ttypetag(t2))  // only numbers compare across variants
    return ttisnumber(t1) && ttisnumber(t2) && mixednumbersequal(t1, t2);
  switch (tag) {
    case LUA_VNIL:
    case LUA_VFALSE:
    case LUA_VTRUE:
      return true;
    case LUA_VNUMINT:
      return ivalue(t1) == ivalue(t2);
    case LUA_VNUMFLT:
      return fltvalue(t1) == fltvalue(t2);
    case LUA_VLIGHTUSERDATA:
      return pvalue(t1) == pvalue(t2);
    case LUA_VLCF:
      return fvalue(t1) == fvalue(t2);
    case LUA_VLNGSTR:
      return luaS_eqlngstr(tsvalue(t1), tsvalue(t2));
    case LUA_VUSERDATA:
      return uvalue(t1) == uvalue(t2) ||
             eqbymetamethod(L, t1, t2, uvalue(t1)->metatable,
                            uvalue(t2)->metatable);
    case LUA_VTABLE:
      return hvalue(t1) == hvalue(t2) ||
             eqbymetamethod(L, t1, t2, hvalue(t1)->metatable,
                            hvalue(t2)->metatable);
    default:  // short strings (interned), closures, threads: identity
      return gcvalue(t1) == gcvalue(t2);
  }
}

// ---------------------------------------------------------------------------
// Concatenation and length
// ---------------------------------------------------------------------------

namespace {

// A number converts to a string in place for concatenation.
inline bool tostring(lua_State* L, TValue* o) {
  if (ttisstring(o)) return true;
  if (!ttisnumber(o)) return false;
  luaO_tostring(L, o);
  return true;
}

inline bool isemptystr(const TValue* o) {
  return ttisshrstring(o) && tsvalue(o)->shrlen == 0;
}

// Copies the `n` strings below `top` into `buff`, in order.
void copy2buff(StkId top, int n, char* buff) {
  std::size_t done = 0;
  for (StkId p = top - n; p < top; p++) {
    const std::size_t len = vslen(s2v(p));
    std::memcpy(buff + done, svalue(s2v(p)), len);
    done += len;
  }
}

// Joins as many of the `total` values below `top` as are strings or
// numbers, from the top down, into one string stored at the lowest of
// them. Returns how many values it joined (at least 2).
int concatrun(lua_State* L, StkId top, int total) {
  std::size_t len = vslen(s2v(top - 1));
  int n = 1;
  for (; n < total && tostring(L, s2v(top - n - 1)); n++) {
    const std::size_t more = vslen(s2v(top - n - 1));
    if (more >= MAX_SIZE - len) [[unlikely]] {
      L->top = top - total;  // drop the operands before the error
      luaG_runerror(L, "string length overflow");
    }
    len += more;
  }
  // A short result is built on the C++ stack and interned; a long one is
  // written straight into a new string object.
  TString* joined;
  if (len <= static_cast<std::size_t>(LUAI_MAXSHORTLEN)) {
    char shortbuf[LUAI_MAXSHORTLEN];
    copy2buff(top, n, shortbuf);
    joined = luaS_newlstr(L, shortbuf, len);
  } else {
    joined = luaS_createlngstrobj(L, len);
    copy2buff(top, n, getstr(joined));
  }
  setsvalue2s(L, top - n, joined);
  return n;
}

}  // namespace

// Works from the top pair down: each round joins what it can (or calls
// `__concat` for the top two) and pops what it consumed.
void luaV_concat(lua_State* L, int total) {
  while (total > 1) {
    StkId top = L->top;
    int n = 2;  // values consumed by this round
    if (!(ttisstring(s2v(top - 2)) || ttisnumber(s2v(top - 2))) ||
        !tostring(L, s2v(top - 1))) {
      luaT_tryconcatTM(L);
    } else if (isemptystr(s2v(top - 1))) {
      tostring(L, s2v(top - 2));  // "x" .. "" is "x"
    } else if (isemptystr(s2v(top - 2))) {
      setobjs2s(L, top - 2, top - 1);
    } else {
      n = concatrun(L, top, total);
    }
    total -= n - 1;
    L->top -= n - 1;
  }
}

// A string's length is its byte count and a table's its border, unless
// a `__len` metamethod answers instead; any other value needs one.
void luaV_objlen(lua_State* L, StkId ra, const TValue* rb) {
  if (ttisstring(rb)) {
    setivalue(s2v(ra), static_cast<lua_Integer>(tsslen(tsvalue(rb))));
    return;
  }
  const TValue* handler = nullptr;
  if (!ttistable(rb)) {
    handler = luaT_gettmbyobj(L, rb, TM_LEN);
    if (notm(handler)) luaG_typeerror(L, rb, "get length of");
  } else if ((handler = fasttm(L, hvalue(rb)->metatable, TM_LEN)) == nullptr) {
    setivalue(s2v(ra), static_cast<lua_Integer>(luaH_getn(hvalue(rb))));
    return;
  }
  luaT_callTMres(L, handler, rb, rb, ra);
}

// (luaV_idiv, luaV_mod, luaV_modf, luaV_shiftl: chapter 2, lobject.)

namespace {

// OP_CLOSURE: a new closure of `p` in `ra`. Each upvalue is either a
// local of the running function (found or created among the open
// upvalues) or one of the running closure's own upvalues.
void pushclosure(lua_State* L, Proto* p, UpVal** encup, StkId base, StkId ra) {
  const int nup = p->sizeupvalues;
  LClosure* ncl = luaF_newLclosure(L, nup);
  ncl->p = p;
  setclLvalue2s(L, ra, ncl);  // anchored before the upvalues allocate
  for (int i = 0; i < nup; i++) {
    const Upvaldesc& d = p->upvalues[i];
    UpVal* uv = d.instack ? luaF_findupval(L, base + d.idx) : encup[d.idx];
    ncl->upvals()[i] = uv;
    luaC_objbarrier(L, ncl, uv);
  }
}

}  // namespace

namespace {

// Pops the metamethod's result into register `reg` of the frame.
void popinto(lua_State* L, StkId reg) {
  L->top--;
  setobjs2s(L, reg, L->top);
}

// A comparison's metamethod answered: take the jump that follows the
// instruction when the (possibly negated, see CIST_LEQ) answer matches its
// k bit, skip it otherwise.
void finishcompare(lua_State* L, CallInfo* ci, Instruction inst) {
  L->top--;
  bool answer = !l_isfalse(s2v(L->top));
  if (ci->callstatus & CIST_LEQ) {  // `a <= b` was run as `not (b < a)`
    ci->callstatus &= static_cast<unsigned short>(~CIST_LEQ);
    answer = !answer;
  }
  lua_assert(GET_OPCODE(*ci->u.l.savedpc) == OP_JMP);
  if (answer != static_cast<bool>(GETARG_k(inst))) ci->u.l.savedpc++;
}

// A `__concat` answered for the top two operands of a CONCAT: its result
// replaces them, and the concatenation goes on with those below.
void finishconcat(lua_State* L, StkId first) {
  StkId result = L->top - 1;
  setobjs2s(L, result - 2, result);
  L->top = result - 1;
  luaV_concat(L, cast_int(L->top - first));
}

}  // namespace

// The instruction that was interrupted is the one before `savedpc`.
void luaV_finishOp(lua_State* L) {
  CallInfo* ci = L->ci;
  StkId base = ci->func + 1;
  const Instruction* next = ci->u.l.savedpc;
  const Instruction inst = next[-1];
  switch (GET_OPCODE(inst)) {
    case OP_MMBIN:
    case OP_MMBINI:
    case OP_MMBINK:  // the result belongs to the arithmetic instruction
      popinto(L, base + GETARG_A(next[-2]));
      break;
    case OP_UNM:
    case OP_BNOT:
    case OP_LEN:
    case OP_GETTABUP:
    case OP_GETTABLE:
    case OP_GETI:
    case OP_GETFIELD:
    case OP_SELF:
      popinto(L, base + GETARG_A(inst));
      break;
    case OP_LT:
    case OP_LE:
    case OP_LTI:
    case OP_LEI:
    case OP_GTI:
    case OP_GEI:
    case OP_EQ:
      finishcompare(L, ci, inst);
      break;
    case OP_CONCAT:
      finishconcat(L, base + GETARG_A(inst));
      break;
    case OP_RETURN:  // restore the result count, then as OP_CLOSE
      L->top = base + GETARG_A(inst) + ci->u2.nres;
      [[fallthrough]];
    case OP_CLOSE:        // a __close yielded: run the instruction again, which
      ci->u.l.savedpc--;  // closes the variables still open
      break;
    default:  // calls and stores have nothing left to do
      break;
  }
}

// ---------------------------------------------------------------------------
// The instruction loop
// ---------------------------------------------------------------------------

namespace {

// Integer arithmetic wraps around, as two's complement.
inline lua_Integer intop_add(lua_Integer a, lua_Integer b) {
  return static_cast<lua_Integer>(static_cast<lua_Unsigned>(a) +
                                  static_cast<lua_Unsigned>(b));
}
inline lua_Integer intop_sub(lua_Integer a, lua_Integer b) {
  return static_cast<lua_Integer>(static_cast<lua_Unsigned>(a) -
                                  static_cast<lua_Unsigned>(b));
}
inline lua_Integer intop_mul(lua_Integer a, lua_Integer b) {
  return static_cast<lua_Integer>(static_cast<lua_Unsigned>(a) *
                                  static_cast<lua_Unsigned>(b));
}
inline lua_Number numpow(lua_Number a, lua_Number b) {
  return b == 2 ? a * a : std::pow(a, b);
}
inline lua_Number numidiv(lua_Number a, lua_Number b) {
  return std::floor(a / b);
}

// The fast paths of the arithmetic opcodes. Each stores into `ra` and
// returns true when both operands are numbers of the right kinds; false
// leaves the work to the OP_MMBIN* instruction that follows.
template <class IOp, class FOp>
inline bool arith(lua_State* L, StkId ra, const TValue* v1, const TValue* v2,
                  IOp iop, FOp fop) {
  if (ttisinteger(v1) && ttisinteger(v2)) {
    setivalue(s2v(ra), iop(L, ivalue(v1), ivalue(v2)));
    return true;
  }
  lua_Number n1, n2;
  if (tonumberns(v1, n1) && tonumberns(v2, n2)) {
    setfltvalue(s2v(ra), fop(n1, n2));
    return true;
  }
  return false;
}
// Float-only operations (`/` and `^`).
template <class FOp>
inline bool arithf(StkId ra, const TValue* v1, const TValue* v2, FOp fop) {
  lua_Number n1, n2;
  if (!tonumberns(v1, n1) || !tonumberns(v2, n2)) return false;
  setfltvalue(s2v(ra), fop(n1, n2));
  return true;
}
// Bitwise operations, on numbers with an integer value.
template <class IOp>
inline bool bitwise(StkId ra, const TValue* v1, const TValue* v2, IOp iop) {
  lua_Integer i1, i2;
  if (!tointegerns(v1, &i1) || !tointegerns(v2, &i2)) return false;
  setivalue(s2v(ra), iop(i1, i2));
  return true;
}

// The integer operations of `arith`, with Lua's semantics.
constexpr auto l_add = [](lua_State*, lua_Integer a, lua_Integer b) {
  return intop_add(a, b);
};
constexpr auto l_sub = [](lua_State*, lua_Integer a, lua_Integer b) {
  return intop_sub(a, b);
};
constexpr auto l_mul = [](lua_State*, lua_Integer a, lua_Integer b) {
  return intop_mul(a, b);
};
constexpr auto l_mod = [](lua_State* L, lua_Integer a, lua_Integer b) {
  return luaV_mod(L, a, b);
};
constexpr auto l_idiv = [](lua_State* L, lua_Integer a, lua_Integer b) {
  return luaV_idiv(L, a, b);
};
constexpr auto f_add = [](lua_Number a, lua_Number b) { return a + b; };
constexpr auto f_sub = [](lua_Number a, lua_Number b) { return a - b; };
constexpr auto f_mul = [](lua_Number a, lua_Number b) { return a * b; };
constexpr auto f_div = [](lua_Number a, lua_Number b) { return a / b; };
constexpr auto f_pow = [](lua_Number a, lua_Number b) { return numpow(a, b); };
constexpr auto f_idiv = [](lua_Number a, lua_Number b) {
  return numidiv(a, b);
};
constexpr auto f_mod = [](lua_Number a, lua_Number b) {
  return luaV_modf(nullptr, a, b);
};
constexpr auto b_and = [](lua_Integer a, lua_Integer b) {
  return static_cast<lua_Integer>(static_cast<lua_Unsigned>(a) &
                                  static_cast<lua_Unsigned>(b));
};
constexpr auto b_or = [](lua_Integer a, lua_Integer b) {
  return static_cast<lua_Integer>(static_cast<lua_Unsigned>(a) |
                                  static_cast<lua_Unsigned>(b));
};
constexpr auto b_xor = [](lua_Integer a, lua_Integer b) {
  return static_cast<lua_Integer>(static_cast<lua_Unsigned>(a) ^
                                  static_cast<lua_Unsigned>(b));
};
constexpr auto b_shl = [](lua_Integer a, lua_Integer b) {
  return luaV_shiftl(a, b);
};
constexpr auto b_shr = [](lua_Integer a, lua_Integer b) {
  return luaV_shiftl(a, intop_sub(0, b));
};

// OP_SHRI and OP_SHLI: `v` shifted by the immediate `imm` (a right shift
// is a left shift by -imm), or `imm` shifted left by `v`. False when `v`
// has no integer value (the OP_MMBINI that follows handles it).
inline bool shiftimm(StkId ra, const TValue* v, int imm, bool vfirst) {
  lua_Integer n;
  if (!tointegerns(v, &n)) return false;
  setivalue(s2v(ra), vfirst ? luaV_shiftl(n, imm) : luaV_shiftl(imm, n));
  return true;
}

// Order of two numbers, or false when one is not a number: then the
// slow path (strings, metamethods) decides.
inline bool ordernum(const TValue* l, const TValue* r, bool le, bool& res) {
  if (!ttisnumber(l) || !ttisnumber(r)) return false;
  res = numorder(l, r, le);
  return true;
}

// Order against an immediate operand `im` (OP_LTI ... OP_GEI); `cmp`
// compares two floats or two integers the way the opcode wants.
template <class Cmp>
inline bool orderimm(const TValue* v, int im, Cmp cmp, bool& res) {
  if (ttisinteger(v)) {
    res = cmp(ivalue(v), static_cast<lua_Integer>(im));
    return true;
  }
  if (ttisfloat(v)) {
    res = cmp(fltvalue(v), static_cast<lua_Number>(im));
    return true;
  }
  return false;
}

// OP_EQK and OP_EQI compare without metamethods.
inline bool eqimm(const TValue* v, int im) {
  if (ttisinteger(v)) return ivalue(v) == im;
  if (ttisfloat(v)) return fltvalue(v) == static_cast<lua_Number>(im);
  return false;
}

// OP_SETLIST: stores `n` values above `ra` into the array part of the
// table in `ra`, ending at index `last`.
void setlist(lua_State* L, StkId ra, int n, unsigned int last) {
  Table* h = hvalue(s2v(ra));
  if (last > luaH_realasize(h)) luaH_resizearray(L, h, last);
  for (; n > 0; n--, last--) {
    TValue* val = s2v(ra + n);
    setobj2t(L, &h->array[last - 1], val);
    luaC_barrierback(L, h, val);
  }
}

// OP_NEWTABLE: a new table in `ra`. B is log2 of the hash size plus one,
// C the array size, extended by the next EXTRAARG when `k` is set. The
// table is anchored in `ra` before sizing it allocates.
void newtable(lua_State* L, StkId ra, Instruction i, const Instruction* pc) {
  const int b = GETARG_B(i);
  unsigned int c = static_cast<unsigned int>(GETARG_C(i));
  const unsigned int hsize = b > 0 ? 1u << (b - 1) : 0u;
  if (GETARG_k(i))
    c += static_cast<unsigned int>(GETARG_Ax(*pc)) * (MAXARG_C + 1);
  L->top = ra + 1;  // an emergency collection sees no stale register
  Table* t = luaH_new(L);
  sethvalue2s(L, ra, t);
  if (b != 0 || c != 0) luaH_resize(L, t, c, hsize);
}

inline void setboolean(TValue* o, bool b) {
  if (b)
    setbtvalue(o);
  else
    setbfvalue(o);
}

// The slow paths of OP_GETI and OP_SETI, which need the key as a value.
void finishgeti(lua_State* L, const TValue* t, int n, StkId ra,
                const TValue* slot) {
  TValue key;
  setivalue(&key, n);
  luaV_finishget(L, t, &key, ra, slot);
}
void finishseti(lua_State* L, const TValue* t, int n, TValue* v,
                const TValue* slot) {
  TValue key;
  setivalue(&key, n);
  luaV_finishset(L, t, &key, v, slot);
}

// The fast lookup of OP_GETTABLE and OP_SETTABLE: integer keys go
// straight to the array part when they can.
inline bool fastgetany(const TValue* t, const TValue* key,
                       const TValue*& slot) {
  if (ttisinteger(key)) return luaV_fastgeti(t, ivalue(key), slot);
  return luaV_fastget(t, key, slot);
}

// OP_FORLOOP for integers: the limit slot counts the iterations left.
inline bool intforloop(StkId ra) {
  const auto left = static_cast<lua_Unsigned>(ivalue(s2v(ra + 1)));
  if (left == 0) return false;
  const lua_Integer next = intop_add(ivalue(s2v(ra)), ivalue(s2v(ra + 2)));
  chgivalue(s2v(ra + 1), static_cast<lua_Integer>(left - 1));
  chgivalue(s2v(ra), next);
  setivalue(s2v(ra + 3), next);
  return true;
}

// OP_RETURN0 and OP_RETURN1 without hooks: luaD_poscall's work done
// inline. A Lua function's caller never asks for to-be-closed handling,
// so `nresults` is a count or LUA_MULTRET.
inline void quickreturn(lua_State* L, CallInfo* ci, StkId ra, int n) {
  StkId res = ci->func;
  const int wanted = ci->nresults < 0 ? n : ci->nresults;
  L->ci = ci->previous;
  if (n > 0 && wanted > 0) setobjs2s(L, res, ra);
  for (int k = n; k < wanted; k++) setnilvalue(s2v(res + k));
  L->top = res + wanted;
}

// The same returns with hooks on: the general path, which calls them.
// Returns the new `trap`.
inline int hookedreturn(lua_State* L, CallInfo* ci, const Instruction* pc,
                        StkId ra, int n) {
  L->top = ra + n;
  ci->u.l.savedpc = pc;
  luaD_poscall(L, ci, n);
  return 1;
}

// OP_TBC: marks the variable in `ra` to be closed.
void newtbcvar(lua_State* L, StkId ra) {
  luaF_checkclosemth(L, ra);
  luaF_newtbcupval(L, ra);
}

// Entering (or returning to) a Lua call while hooks are on: a fresh call
// runs its call hook now, or, for a vararg function, after OP_VARARGPREP
// has built its frame. The call keeps checking hooks (`trap`). Returns
// the loop's new `trap`.
int hookentry(lua_State* L, CallInfo* ci, const Proto* p) {
  int trap = 1;
  const bool fresh = ci->u.l.savedpc == p->code;  // not a resumed call
  if (fresh && p->is_vararg)
    trap = 0;
  else if (fresh)
    luaD_hookcall(L, ci);
  ci->u.l.trap = 1;
  return trap;
}

}  // namespace

// Dispatch: computed goto under GCC and Clang (one indirect jump per
// opcode, which predicts better), a switch elsewhere.
// Label addresses are a GNU extension, which -Wpedantic reports; the
// pragma accepts them in this one function.
//
// The loop starts on a 64-byte boundary (a cache line). Its code does not
// change when other files do, but the linker places it wherever the code
// before it ends, and the handlers' positions within cache lines and
// branch-predictor windows then change with it: measured with bench/, one
// unrelated commit moved the loop by 16 bytes and cost 5-10% on the
// integer loops. Aligning it makes its speed the same from build to build.
#if defined(__GNUC__)
#define LUAI_JUMPTABLE 1
#define LUAI_LOOPALIGN [[gnu::aligned(64)]]
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#else
#define LUAI_JUMPTABLE 0
#define LUAI_LOOPALIGN
#endif

LUAI_LOOPALIGN void luaV_execute(lua_State* L, CallInfo* ci) {
  LClosure* cl;
  TValue* k;
  StkId base;
  const Instruction* pc;
  int trap;
  Instruction i;
  StkId ra;
  const TValue* slot;  // the entry a fast table lookup found

#if LUAI_JUMPTABLE
  // Labels in OpCode order; the static_assert keeps the table complete.
  static const void* const disptab[] = {
      &&L_OP_MOVE,     &&L_OP_LOADI,      &&L_OP_LOADF,      &&L_OP_LOADK,
      &&L_OP_LOADKX,   &&L_OP_LOADFALSE,  &&L_OP_LFALSESKIP, &&L_OP_LOADTRUE,
      &&L_OP_LOADNIL,  &&L_OP_GETUPVAL,   &&L_OP_SETUPVAL,   &&L_OP_GETTABUP,
      &&L_OP_GETTABLE, &&L_OP_GETI,       &&L_OP_GETFIELD,   &&L_OP_SETTABUP,
      &&L_OP_SETTABLE, &&L_OP_SETI,       &&L_OP_SETFIELD,   &&L_OP_NEWTABLE,
      &&L_OP_SELF,     &&L_OP_ADDI,       &&L_OP_ADDK,       &&L_OP_SUBK,
      &&L_OP_MULK,     &&L_OP_MODK,       &&L_OP_POWK,       &&L_OP_DIVK,
      &&L_OP_IDIVK,    &&L_OP_BANDK,      &&L_OP_BORK,       &&L_OP_BXORK,
      &&L_OP_SHRI,     &&L_OP_SHLI,       &&L_OP_ADD,        &&L_OP_SUB,
      &&L_OP_MUL,      &&L_OP_MOD,        &&L_OP_POW,        &&L_OP_DIV,
      &&L_OP_IDIV,     &&L_OP_BAND,       &&L_OP_BOR,        &&L_OP_BXOR,
      &&L_OP_SHL,      &&L_OP_SHR,        &&L_OP_MMBIN,      &&L_OP_MMBINI,
      &&L_OP_MMBINK,   &&L_OP_UNM,        &&L_OP_BNOT,       &&L_OP_NOT,
      &&L_OP_LEN,      &&L_OP_CONCAT,     &&L_OP_CLOSE,      &&L_OP_TBC,
      &&L_OP_JMP,      &&L_OP_EQ,         &&L_OP_LT,         &&L_OP_LE,
      &&L_OP_EQK,      &&L_OP_EQI,        &&L_OP_LTI,        &&L_OP_LEI,
      &&L_OP_GTI,      &&L_OP_GEI,        &&L_OP_TEST,       &&L_OP_TESTSET,
      &&L_OP_CALL,     &&L_OP_TAILCALL,   &&L_OP_RETURN,     &&L_OP_RETURN0,
      &&L_OP_RETURN1,  &&L_OP_FORLOOP,    &&L_OP_FORPREP,    &&L_OP_TFORPREP,
      &&L_OP_TFORCALL, &&L_OP_TFORLOOP,   &&L_OP_SETLIST,    &&L_OP_CLOSURE,
      &&L_OP_VARARG,   &&L_OP_VARARGPREP, &&L_OP_EXTRAARG};
  static_assert(sizeof(disptab) / sizeof(disptab[0]) == NUM_OPCODES);
#define vmdispatch(o) goto* disptab[o];
#define vmcase(l) L_##l:
#define vmbreak \
  vmfetch();    \
  vmdispatch(GET_OPCODE(i))
#else
#define vmdispatch(o) switch (o)
#define vmcase(l) case l:
#define vmbreak break
#endif

// Table access: the fast lookup `hit` decides; a miss saves the state
// and takes the slow path, which may call __index or __newindex.
#define getop(hit, slow)     \
  do {                       \
    if (hit)                 \
      setobj2s(L, ra, slot); \
    else                     \
      Protect(slow);         \
  } while (0)
#define setop(t, hit, v, slow)           \
  do {                                   \
    if (hit)                             \
      luaV_finishfastset(L, t, slot, v); \
    else                                 \
      Protect(slow);                     \
  } while (0)

// One opcode of the arithmetic and bitwise families (see their cases).
#define arithop(op, v2, iop, fop)                 \
  vmcase(op) {                                    \
    if (arith(L, ra, vRB(i), v2, iop, fop)) pc++; \
    vmbreak;                                      \
  }
#define arithop_raising(op, v2, iop, fop)         \
  vmcase(op) {                                    \
    savestate();                                  \
    if (arith(L, ra, vRB(i), v2, iop, fop)) pc++; \
    vmbreak;                                      \
  }
#define floatop(op, v2, fop)               \
  vmcase(op) {                             \
    if (arithf(ra, vRB(i), v2, fop)) pc++; \
    vmbreak;                               \
  }
#define bitop(op, v2, iop)                  \
  vmcase(op) {                              \
    if (bitwise(ra, vRB(i), v2, iop)) pc++; \
    vmbreak;                                \
  }

// One comparison with an immediate operand (see their cases).
#define orderimmop(op, cmp, flip, event)                                       \
  vmcase(op) {                                                                 \
    bool cond;                                                                 \
    const int im = GETARG_sB(i);                                               \
    if (!orderimm(s2v(ra), im, cmp, cond))                                     \
      Protect(                                                                 \
          cond = luaT_callorderiTM(L, s2v(ra), im, flip, GETARG_C(i), event)); \
    docondjump(cond);                                                          \
    vmbreak;                                                                   \
  }

// The registers and constants an instruction names.
#define MMRESULT (base + GETARG_A(pc[-2]))
#define MMEVENT static_cast<TMS>(GETARG_C(i))
#define RA(i) (base + GETARG_A(i))
#define vRB(i) s2v(base + GETARG_B(i))
#define vRC(i) s2v(base + GETARG_C(i))
#define KB(i) (k + GETARG_B(i))
#define KC(i) (k + GETARG_C(i))
#define RKC(i) (GETARG_k(i) ? k + GETARG_C(i) : s2v(base + GETARG_C(i)))
// Invariant SAVEDPC: the pc goes to the call record before anything that
// can raise, call or collect; `trap` is reread after it.
#define updatetrap() (trap = ci->u.l.trap)
#define updatebase() (base = ci->func + 1)
#define updatestack() \
  do {                \
    if (trap) {       \
      updatebase();   \
      ra = RA(i);     \
    }                 \
  } while (0)
#define savepc() (ci->u.l.savedpc = pc)
#define savestate() (savepc(), L->top = ci->top)
#define Protect(exp) (savestate(), (exp), updatetrap())
#define ProtectNT(exp) (savepc(), (exp), updatetrap())
#define halfProtect(exp) (savestate(), (exp))
// A GC check point (chapter 6's luaC_condGC, spelled out). Lambdas that
// capture `pc` and `trap` by reference take their addresses; with them,
// GCC kept `pc` and `ra` in stack slots for the whole function, a store
// and a load on every instruction, and bench/'s integer and float loops
// ran about 10% slower.
#define checkGC(c)       \
  do {                   \
    if (luaC_gcdue(L)) { \
      savepc();          \
      L->top = (c);      \
      luaC_gcwork(L);    \
      updatetrap();      \
    }                    \
  } while (0)
#define dojump(ni, e)          \
  do {                         \
    pc += GETARG_sJ(ni) + (e); \
    updatetrap();              \
  } while (0)
#define donextjump() dojump(*pc, 1)
// A test instruction is followed by a jump, taken when the condition
// equals the k bit; otherwise the jump is skipped.
#define docondjump(cond)                          \
  do {                                            \
    if ((cond) != static_cast<bool>(GETARG_k(i))) \
      pc++;                                       \
    else                                          \
      donextjump();                               \
  } while (0)
#define vmfetch()                   \
  do {                              \
    if (trap) [[unlikely]] {        \
      trap = luaG_traceexec(L, pc); \
      updatebase();                 \
    }                               \
    i = *(pc++);                    \
    ra = RA(i);                     \
  } while (0)

startfunc:
  trap = L->hookmask;
returning:  // `trap` is already set
  cl = clLvalue(s2v(ci->func));
  k = cl->p->k;
  pc = ci->u.l.savedpc;
  if (trap) [[unlikely]]
    trap = hookentry(L, ci, cl->p);
  base = ci->func + 1;
  for (;;) {
    vmfetch();
    lua_assert(base == ci->func + 1);
    lua_assert(base <= L->top && L->top <= L->stack_last);
    vmdispatch(GET_OPCODE(i)) {
      vmcase(OP_MOVE) {
        setobjs2s(L, ra, base + GETARG_B(i));
        vmbreak;
      }
      vmcase(OP_LOADI) {
        setivalue(s2v(ra), GETARG_sBx(i));
        vmbreak;
      }
      vmcase(OP_LOADF) {
        setfltvalue(s2v(ra), static_cast<lua_Number>(GETARG_sBx(i)));
        vmbreak;
      }
      vmcase(OP_LOADK) {
        setobj2s(L, ra, k + GETARG_Bx(i));
        vmbreak;
      }
      vmcase(OP_LOADKX) {
        setobj2s(L, ra, k + GETARG_Ax(*pc));
        pc++;
        vmbreak;
      }
      vmcase(OP_LOADFALSE) {
        setbfvalue(s2v(ra));
        vmbreak;
      }
      vmcase(OP_LFALSESKIP) {
        setbfvalue(s2v(ra));
        pc++;
        vmbreak;
      }
      vmcase(OP_LOADTRUE) {
        setbtvalue(s2v(ra));
        vmbreak;
      }
      vmcase(OP_LOADNIL) {
        for (int b = GETARG_B(i); b >= 0; b--) setnilvalue(s2v(ra++));
        vmbreak;
      }
      vmcase(OP_GETUPVAL) {
        setobj2s(L, ra, cl->upvals()[GETARG_B(i)]->v);
        vmbreak;
      }
      vmcase(OP_SETUPVAL) {
        UpVal* uv = cl->upvals()[GETARG_B(i)];
        setobj(L, uv->v, s2v(ra));
        luaC_barrier(L, uv, s2v(ra));
        vmbreak;
      }
      vmcase(OP_GETTABUP) {
        const TValue* env = cl->upvals()[GETARG_B(i)]->v;
        getop(luaV_fastgetshortstr(env, tsvalue(KC(i)), slot),
              luaV_finishget(L, env, KC(i), ra, slot));
        vmbreak;
      }
      vmcase(OP_GETTABLE) {
        getop(fastgetany(vRB(i), vRC(i), slot),
              luaV_finishget(L, vRB(i), vRC(i), ra, slot));
        vmbreak;
      }
      vmcase(OP_GETI) {
        getop(luaV_fastgeti(vRB(i), GETARG_C(i), slot),
              finishgeti(L, vRB(i), GETARG_C(i), ra, slot));
        vmbreak;
      }
      vmcase(OP_GETFIELD) {
        getop(luaV_fastgetshortstr(vRB(i), tsvalue(KC(i)), slot),
              luaV_finishget(L, vRB(i), KC(i), ra, slot));
        vmbreak;
      }
      vmcase(OP_SETTABUP) {
        const TValue* env = cl->upvals()[GETARG_A(i)]->v;
        setop(env, luaV_fastgetshortstr(env, tsvalue(KB(i)), slot), RKC(i),
              luaV_finishset(L, env, KB(i), RKC(i), slot));
        vmbreak;
      }
      vmcase(OP_SETTABLE) {
        setop(s2v(ra), fastgetany(s2v(ra), vRB(i), slot), RKC(i),
              luaV_finishset(L, s2v(ra), vRB(i), RKC(i), slot));
        vmbreak;
      }
      vmcase(OP_SETI) {
        setop(s2v(ra), luaV_fastgeti(s2v(ra), GETARG_B(i), slot), RKC(i),
              finishseti(L, s2v(ra), GETARG_B(i), RKC(i), slot));
        vmbreak;
      }
      vmcase(OP_SETFIELD) {
        setop(s2v(ra), luaV_fastgetshortstr(s2v(ra), tsvalue(KB(i)), slot),
              RKC(i), luaV_finishset(L, s2v(ra), KB(i), RKC(i), slot));
        vmbreak;
      }
      vmcase(OP_NEWTABLE) {
        savepc();
        newtable(L, ra, i, pc);
        pc++;  // the EXTRAARG, used or not
        checkGC(ra + 1);
        vmbreak;
      }
      vmcase(OP_SELF) {
        // The receiver is the method's first argument, in ra + 1.
        const TValue* receiver = vRB(i);
        setobj2s(L, ra + 1, receiver);
        getop(luaV_fastget(receiver, RKC(i), slot),
              luaV_finishget(L, receiver, RKC(i), ra, slot));
        vmbreak;
      }
      vmcase(OP_ADDI) {
        TValue* v1 = vRB(i);
        const int imm = GETARG_sC(i);
        if (ttisinteger(v1)) {
          pc++;
          setivalue(s2v(ra), intop_add(ivalue(v1), imm));
        } else if (ttisfloat(v1)) {
          pc++;
          setfltvalue(s2v(ra), fltvalue(v1) + imm);
        }
        vmbreak;
      }
      // The binary arithmetic and bitwise opcodes share one shape: the
      // fast path stores into ra and skips the OP_MMBIN* that follows;
      // otherwise that instruction calls the metamethod. The second
      // operand is a constant (K) or a register. Integer `%` and `//`
      // raise on a zero divisor, so they save the state first.
      arithop(OP_ADDK, KC(i), l_add, f_add);
      arithop(OP_SUBK, KC(i), l_sub, f_sub);
      arithop(OP_MULK, KC(i), l_mul, f_mul);
      arithop_raising(OP_MODK, KC(i), l_mod, f_mod);
      floatop(OP_POWK, KC(i), f_pow);
      floatop(OP_DIVK, KC(i), f_div);
      arithop_raising(OP_IDIVK, KC(i), l_idiv, f_idiv);
      bitop(OP_BANDK, KC(i), b_and);
      bitop(OP_BORK, KC(i), b_or);
      bitop(OP_BXORK, KC(i), b_xor);
      vmcase(OP_SHRI) {  // register >> immediate
        if (shiftimm(ra, vRB(i), -GETARG_sC(i), true)) pc++;
        vmbreak;
      }
      vmcase(OP_SHLI) {  // immediate << register
        if (shiftimm(ra, vRB(i), GETARG_sC(i), false)) pc++;
        vmbreak;
      }
      arithop(OP_ADD, vRC(i), l_add, f_add);
      arithop(OP_SUB, vRC(i), l_sub, f_sub);
      arithop(OP_MUL, vRC(i), l_mul, f_mul);
      arithop_raising(OP_MOD, vRC(i), l_mod, f_mod);
      floatop(OP_POW, vRC(i), f_pow);
      floatop(OP_DIV, vRC(i), f_div);
      arithop_raising(OP_IDIV, vRC(i), l_idiv, f_idiv);
      bitop(OP_BAND, vRC(i), b_and);
      bitop(OP_BOR, vRC(i), b_or);
      bitop(OP_BXOR, vRC(i), b_xor);
      bitop(OP_SHR, vRC(i), b_shr);
      bitop(OP_SHL, vRC(i), b_shl);
      // An OP_MMBIN* runs only when the arithmetic instruction before it
      // failed its fast path: the metamethod's result goes to that
      // instruction's target register (MMRESULT), the event is in C.
      vmcase(OP_MMBIN) {
        Protect(luaT_trybinTM(L, s2v(ra), vRB(i), MMRESULT, MMEVENT));
        vmbreak;
      }
      vmcase(OP_MMBINI) {
        Protect(luaT_trybiniTM(L, s2v(ra), GETARG_sB(i), GETARG_k(i), MMRESULT,
                               MMEVENT));
        vmbreak;
      }
      vmcase(OP_MMBINK) {
        Protect(luaT_trybinassocTM(L, s2v(ra), KB(i), GETARG_k(i), MMRESULT,
                                   MMEVENT));
        vmbreak;
      }
      vmcase(OP_UNM) {
        const TValue* operand = vRB(i);
        lua_Number f;
        if (ttisinteger(operand))
          setivalue(s2v(ra), intop_sub(0, ivalue(operand)));
        else if (tonumberns(operand, f))
          setfltvalue(s2v(ra), -f);
        else
          Protect(luaT_trybinTM(L, operand, operand, ra, TM_UNM));
        vmbreak;
      }
      vmcase(OP_BNOT) {
        const TValue* operand = vRB(i);
        lua_Integer bits;
        if (tointegerns(operand, &bits))
          setivalue(s2v(ra), b_xor(~lua_Integer{0}, bits));
        else
          Protect(luaT_trybinTM(L, operand, operand, ra, TM_BNOT));
        vmbreak;
      }
      vmcase(OP_NOT) {
        setboolean(s2v(ra), l_isfalse(vRB(i)));
        vmbreak;
      }
      vmcase(OP_LEN) {
        Protect(luaV_objlen(L, ra, vRB(i)));
        vmbreak;
      }
      vmcase(OP_CONCAT) {
        const int n = GETARG_B(i);  // operands in ra .. ra + n - 1
        L->top = ra + n;
        ProtectNT(luaV_concat(L, n));
        checkGC(L->top);  // the result is the only value left
        vmbreak;
      }
      vmcase(OP_CLOSE) {
        Protect(luaF_close(L, ra, LUA_OK, true));
        vmbreak;
      }
      vmcase(OP_TBC) {
        halfProtect(newtbcvar(L, ra));
        vmbreak;
      }
      vmcase(OP_JMP) {
        dojump(i, 0);
        vmbreak;
      }
      vmcase(OP_EQ) {
        bool cond;
        Protect(cond = luaV_equalobj(L, s2v(ra), vRB(i)));
        docondjump(cond);
        vmbreak;
      }
      vmcase(OP_LT) {
        bool cond;
        if (!ordernum(s2v(ra), vRB(i), false, cond))
          Protect(cond = orderothers(L, s2v(ra), vRB(i), TM_LT));
        docondjump(cond);
        vmbreak;
      }
      vmcase(OP_LE) {
        bool cond;
        if (!ordernum(s2v(ra), vRB(i), true, cond))
          Protect(cond = orderothers(L, s2v(ra), vRB(i), TM_LE));
        docondjump(cond);
        vmbreak;
      }
      vmcase(OP_EQK) {
        // Constants are never tables or userdata: no __eq to call.
        docondjump(luaV_rawequalobj(s2v(ra), KB(i)));
        vmbreak;
      }
      vmcase(OP_EQI) {
        docondjump(eqimm(s2v(ra), GETARG_sB(i)));
        vmbreak;
      }
      // Comparisons with an immediate operand: `ra < sB` and so on; GTI
      // and GEI are `sB < ra` and `sB <= ra`, so a metamethod gets the
      // operands flipped back.
      orderimmop(OP_LTI, std::less<>{}, false, TM_LT);
      orderimmop(OP_LEI, std::less_equal<>{}, false, TM_LE);
      orderimmop(OP_GTI, std::greater<>{}, true, TM_LT);
      orderimmop(OP_GEI, std::greater_equal<>{}, true, TM_LE);
      vmcase(OP_TEST) {
        docondjump(!l_isfalse(s2v(ra)));
        vmbreak;
      }
      vmcase(OP_TESTSET) {
        // Copy and jump when the value's truth is the k bit's.
        const TValue* value = vRB(i);
        if (l_isfalse(value) != static_cast<bool>(GETARG_k(i))) {
          setobj2s(L, ra, value);
          donextjump();
        } else {
          pc++;
        }
        vmbreak;
      }
      vmcase(OP_CALL) {
        const int b = GETARG_B(i);  // arguments + 1, or 0: up to top
        const int nresults = GETARG_C(i) - 1;
        if (b != 0) L->top = ra + b;
        savepc();
        CallInfo* newci = luaD_precall(L, ra, nresults);
        if (newci == nullptr) {  // a C function, already done
          if (L->status == LUA_YIELD) [[unlikely]]
            return;  // it yielded without unwinding: back to the resume
          updatetrap();
        } else {  // a Lua function: run it in this same loop
          ci = newci;
          goto startfunc;
        }
        vmbreak;
      }
      vmcase(OP_TAILCALL) {
        int b = GETARG_B(i);
        const int nparams1 = GETARG_C(i);
        // A vararg caller's `func` sits above its extra arguments.
        const int delta = nparams1 ? ci->u.l.nextraargs + nparams1 : 0;
        if (b != 0)
          L->top = ra + b;
        else
          b = cast_int(L->top - ra);
        savepc();
        if (GETARG_k(i)) {  // the caller's upvalues close now
          luaF_closeupval(L, base);
          lua_assert(L->tbclist < base);
        }
        const int n = luaD_pretailcall(L, ci, ra, b, delta);
        if (L->status == LUA_YIELD) [[unlikely]]
          return;                   // a C callee yielded without unwinding
        if (n < 0) goto startfunc;  // a Lua callee reuses the frame
        ci->func -= delta;  // a C callee has returned: so does the caller
        luaD_poscall(L, ci, n);
        updatetrap();
        goto ret;
      }
      vmcase(OP_RETURN) {
        int n = GETARG_B(i) - 1;
        const int nparams1 = GETARG_C(i);
        if (n < 0) n = cast_int(L->top - ra);
        savepc();
        if (GETARG_k(i)) {  // close upvalues and tbc variables first
          ci->u2.nres = n;  // a yielding __close needs it (finishOp)
          if (L->top < ci->top) L->top = ci->top;
          luaF_close(L, base, CLOSEKTOP, true);
          updatetrap();
          updatestack();
        }
        if (nparams1) ci->func -= ci->u.l.nextraargs + nparams1;
        L->top = ra + n;
        luaD_poscall(L, ci, n);
        updatetrap();
        goto ret;
      }
      vmcase(OP_RETURN0) {
        if (L->hookmask) [[unlikely]]
          trap = hookedreturn(L, ci, pc, ra, 0);
        else
          quickreturn(L, ci, ra, 0);
        goto ret;
      }
      vmcase(OP_RETURN1) {
        if (L->hookmask) [[unlikely]]
          trap = hookedreturn(L, ci, pc, ra, 1);
        else
          quickreturn(L, ci, ra, 1);
        goto ret;
      }
      vmcase(OP_FORLOOP) {
        const bool again =
            ttisinteger(s2v(ra + 2)) ? intforloop(ra) : floatforloop(ra);
        if (again) pc -= GETARG_Bx(i);
        updatetrap();  // lets a hook (a signal) stop the loop
        vmbreak;
      }
      vmcase(OP_FORPREP) {
        savestate();
        if (forprep(L, ra)) pc += GETARG_Bx(i) + 1;
        vmbreak;
      }
      vmcase(OP_TFORPREP) {
        halfProtect(newtbcvar(L, ra + 3));
        pc += GETARG_Bx(i);
        i = *(pc++);
        lua_assert(GET_OPCODE(i) == OP_TFORCALL && ra == RA(i));
        goto l_tforcall;
      }
      vmcase(OP_TFORCALL) {
      l_tforcall:
        // ra: iterator, ra+1: state, ra+2: control, ra+3: closing value.
        // The call runs on copies of the first three at ra+4.
        std::memcpy(static_cast<void*>(ra + 4), ra, 3 * sizeof(*ra));
        L->top = ra + 4 + 3;
        ProtectNT(luaD_call(L, ra + 4, GETARG_C(i)));
        updatestack();
        i = *(pc++);
        lua_assert(GET_OPCODE(i) == OP_TFORLOOP && ra == RA(i));
        goto l_tforloop;
      }
      vmcase(OP_TFORLOOP) {
      l_tforloop:
        if (!ttisnil(s2v(ra + 4))) {
          setobjs2s(L, ra + 2, ra + 4);
          pc -= GETARG_Bx(i);
        }
        vmbreak;
      }
      vmcase(OP_SETLIST) {
        int n = GETARG_B(i);
        unsigned int last = static_cast<unsigned int>(GETARG_C(i));
        if (n == 0)
          n = cast_int(L->top - ra) - 1;
        else
          L->top = ci->top;  // an emergency collection sees every value
        last += static_cast<unsigned int>(n);
        if (GETARG_k(i)) {
          last += static_cast<unsigned int>(GETARG_Ax(*pc)) * (MAXARG_C + 1);
          pc++;
        }
        setlist(L, ra, n, last);
        vmbreak;
      }
      vmcase(OP_CLOSURE) {
        Proto* p = cl->p->p[GETARG_Bx(i)];
        halfProtect(pushclosure(L, p, cl->upvals(), base, ra));
        checkGC(ra + 1);
        vmbreak;
      }
      vmcase(OP_VARARG) {
        Protect(luaT_getvarargs(L, ci, ra, GETARG_C(i) - 1));
        vmbreak;
      }
      vmcase(OP_VARARGPREP) {
        ProtectNT(luaT_adjustvarargs(L, GETARG_A(i), ci, cl->p));
        if (trap) [[unlikely]] {
          luaD_hookcall(L, ci);
          L->oldpc = 1;  // the next instruction starts a "new" line
        }
        updatebase();
        vmbreak;
      }
      vmcase(OP_EXTRAARG) {
        lua_assert(false);  // always consumed by the instruction before
        vmbreak;
      }
    }
  }
ret:  // a Lua function returned
  if (ci->callstatus & CIST_FRESH) return;
  ci = ci->previous;
  goto returning;
}

#if LUAI_JUMPTABLE
#pragma GCC diagnostic pop
#endif
#undef vmdispatch
#undef vmcase
#undef vmbreak
#undef vmfetch

// ---------------------------------------------------------------------------
// Functions of lobject.c
// ---------------------------------------------------------------------------

void luaO_tostring(lua_State* L, TValue* obj) {
  char buff[MAXNUMBER2STR];
  const int len = luaO_tostringbuff(obj, buff);
  setsvalue(L, obj, luaS_newlstr(L, buff, static_cast<std::size_t>(len)));
}

}  // namespace lua
