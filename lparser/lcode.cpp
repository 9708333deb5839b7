/// \file
/// The code generator: instructions, jump lists, registers, constants,
/// constant folding and the final pass over a function's code.
///
/// Mirrors: Lua 5.4 lcode.c
/// Book: chapter 7
///
/// Design: the parser hands over expressions as `expdesc`s, and this file
/// decides as late as possible where their values go. An expression stays
/// symbolic (a constant, a local, a table field, an instruction whose
/// target register is still open) until its consumer says what it needs:
/// any register, the next register, a K operand, an immediate. That is
/// how `a = b + 1` becomes one ADDI into `a`'s register, with no copies.
///
/// Jumps that are not yet resolved form linked lists threaded through the
/// jumps themselves: the sJ field of each holds the offset to the next one
/// (NO_JUMP ends the list). A condition is a VJMP whose `t` and `f` lists
/// are patched when the code they lead to exists.
///
/// - **Invariant STACKORDER** (lparser.hpp). freereg only moves as a stack:
///   freereg() asserts that the register freed is the last one allocated.
/// - **Invariant LINEINFO.** `lineinfo[pc]` is the line of instruction pc
///   minus the line of pc-1, or ABSLINEINFO when `abslineinfo` holds the
///   absolute line; there is an absolute entry at least every MAXIWTHABS
///   instructions, so a line is found without scanning from the start.
/// - **Invariant KDEDUP.** The scanner table `ls->h` maps each constant
///   (or a stand-in key: nil uses the table itself, integral floats a
///   nearby non-integral float) to its index in the `k` of the function
///   that added it last; addk checks that the index really holds an equal
///   constant of the same variant before reusing it.
/// - **Invariant TOP.** After luaK_finish, an instruction that takes its
///   operands up to the stack top (isIT) follows exactly one that leaves
///   values there (isOT).
///
/// Differences from Lua: lvm's luaV_rawequalobj belongs to chapter 8; the
/// one use here needs only its simplest case (constants of the same
/// variant), which is a local function. luaV_tointegerns comes from
/// chapter 2 without string coercion, which constant folding never needs.
#include "lparser/lcode.hpp"

#include <cfloat>
#include <cmath>
#include <cstdlib>

#include "lgc/lgc.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"

namespace lua {

namespace {

/// Largest number of registers a function may use.
constexpr int MAXREGS = 255;

bool hasjumps(const expdesc* e) {
  return e->t != e->f;
}

int codesJ(FuncState* fs, OpCode o, int sj, int k);

}  // namespace

void luaK_semerror(LexState* ls, const char* msg) {
  ls->t.token = 0;  // no "near <token>" in the message
  luaX_syntaxerror(ls, msg);
}

namespace {

// A numeral without jumps, its value copied to `v` when given.
bool tonumeral(const expdesc* e, TValue* v) {
  if (hasjumps(e)) return false;
  switch (e->k) {
    case VKINT:
      if (v != nullptr) setivalue(v, e->u.ival);
      return true;
    case VKFLT:
      if (v != nullptr) setfltvalue(v, e->u.nval);
      return true;
    default:
      return false;
  }
}

// The value of a compile-time constant variable.
TValue* const2val(FuncState* fs, const expdesc* e) {
  lua_assert(e->k == VCONST);
  return &fs->ls->dyd->actvar.arr[e->u.info].k;
}

}  // namespace

bool luaK_exp2const(FuncState* fs, const expdesc* e, TValue* v) {
  if (hasjumps(e)) return false;
  switch (e->k) {
    case VFALSE:
      setbfvalue(v);
      return true;
    case VTRUE:
      setbtvalue(v);
      return true;
    case VNIL:
      setnilvalue(v);
      return true;
    case VKSTR:
      setsvalue(fs->ls->L, v, e->u.strval);
      return true;
    case VCONST:
      setobj(fs->ls->L, v, const2val(fs, e));
      return true;
    default:
      return tonumeral(e, v);
  }
}

namespace {

// The previous instruction, if it may be changed: when a jump lands on the
// current pc, the previous instruction is not always executed before the
// next, so it must be left alone. Then an all-ones stand-in is returned,
// whose opcode (127) matches nothing a caller would modify, so callers
// never write through it.
Instruction* previousinstruction(FuncState* fs) {
  static const Instruction invalidinstruction = ~Instruction{0};
  if (fs->pc > fs->lasttarget) return &fs->f->code[fs->pc - 1];
  return const_cast<Instruction*>(&invalidinstruction);
}

}  // namespace

// Consecutive nil assignments (local a; local b) share one LOADNIL when the
// ranges touch or overlap.
void luaK_nil(FuncState* fs, int from, int n) {
  int l = from + n - 1;  // last register
  Instruction* previous = previousinstruction(fs);
  if (GET_OPCODE(*previous) == OP_LOADNIL) {
    int pfrom = GETARG_A(*previous);
    int pl = pfrom + GETARG_B(*previous);
    if ((pfrom <= from && from <= pl + 1) ||
        (from <= pfrom && pfrom <= l + 1)) {
      if (pfrom < from) from = pfrom;
      if (pl > l) l = pl;
      SETARG_A(*previous, from);
      SETARG_B(*previous, l - from);
      return;
    }
  }
  luaK_codeABC(fs, OP_LOADNIL, from, n - 1, 0);
}

namespace {

// The destination of the jump at `pc`, or NO_JUMP at the end of a list
// (a jump to itself plus one, offset -1, marks the end).
int getjump(FuncState* fs, int pc) {
  int offset = GETARG_sJ(fs->f->code[pc]);
  if (offset == NO_JUMP) return NO_JUMP;
  return (pc + 1) + offset;
}

// Points the jump at `pc` to `dest`.
void fixjump(FuncState* fs, int pc, int dest) {
  Instruction* jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  lua_assert(dest != NO_JUMP);
  if (!(-OFFSET_sJ <= offset && offset <= MAXARG_sJ - OFFSET_sJ))
    luaX_syntaxerror(fs->ls, "control structure too long");
  lua_assert(GET_OPCODE(*jmp) == OP_JMP);
  SETARG_sJ(*jmp, offset);
}

}  // namespace

void luaK_concat(FuncState* fs, int* l1, int l2) {
  if (l2 == NO_JUMP) return;
  if (*l1 == NO_JUMP) {
    *l1 = l2;
    return;
  }
  int list = *l1;
  for (int next; (next = getjump(fs, list)) != NO_JUMP;) list = next;
  fixjump(fs, list, l2);  // the last jump of l1 now leads into l2
}

int luaK_jump(FuncState* fs) {
  return codesJ(fs, OP_JMP, NO_JUMP, 0);
}

// RETURN0 and RETURN1 are the fast forms; luaK_finish may still turn
// them into RETURN when the function needs to close or is vararg.
void luaK_ret(FuncState* fs, int first, int nret) {
  OpCode op;
  switch (nret) {
    case 0:
      op = OP_RETURN0;
      break;
    case 1:
      op = OP_RETURN1;
      break;
    default:
      op = OP_RETURN;
      break;
  }
  luaK_codeABC(fs, op, first, nret + 1, 0);
}

namespace {

// A test followed by its jump; returns the jump's pc.
int condjump(FuncState* fs, OpCode op, int A, int B, int C, int k) {
  luaK_codeABCk(fs, op, A, B, C, k);
  return luaK_jump(fs);
}

}  // namespace

// Recording the last target keeps luaK_nil and codeconcat from merging an
// instruction into one that some jump skips.
int luaK_getlabel(FuncState* fs) {
  fs->lasttarget = fs->pc;
  return fs->pc;
}

namespace {

// The instruction that controls the jump at `pc`: the test before it, if
// there is one, else the jump itself.
Instruction* getjumpcontrol(FuncState* fs, int pc) {
  Instruction* pi = &fs->f->code[pc];
  if (pc >= 1 && testTMode(GET_OPCODE(*(pi - 1)))) return pi - 1;
  return pi;
}

// A TESTSET before the jump at `node` copies the tested value to a
// register when it jumps. Point it at `reg`, or make it a plain TEST when
// there is no register to fill (or the value is already there). Returns
// false when the jump is not controlled by a TESTSET.
bool patchtestreg(FuncState* fs, int node, int reg) {
  Instruction* i = getjumpcontrol(fs, node);
  if (GET_OPCODE(*i) != OP_TESTSET) return false;
  if (reg != NO_REG && reg != GETARG_B(*i))
    SETARG_A(*i, reg);
  else
    *i = CREATE_ABCk(OP_TEST, GETARG_B(*i), 0, 0, GETARG_k(*i));
  return true;
}

// Drops the values the jumps of `list` would produce.
void removevalues(FuncState* fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list))
    patchtestreg(fs, list, NO_REG);
}

// Patches `list`: jumps whose TESTSET delivers a value into `reg` go to
// `vtarget`, the others to `dtarget`.
void patchlistaux(FuncState* fs, int list, int vtarget, int reg, int dtarget) {
  while (list != NO_JUMP) {
    int next = getjump(fs, list);
    if (patchtestreg(fs, list, reg))
      fixjump(fs, list, vtarget);
    else
      fixjump(fs, list, dtarget);
    list = next;
  }
}

}  // namespace

void luaK_patchlist(FuncState* fs, int list, int target) {
  lua_assert(target <= fs->pc);
  patchlistaux(fs, list, target, NO_REG, target);
}

void luaK_patchtohere(FuncState* fs, int list) {
  int hr = luaK_getlabel(fs);
  luaK_patchlist(fs, list, hr);
}

namespace {

// Line information (invariant LINEINFO).
constexpr int MAXIWTHABS = 128;     // instructions between absolute lines
constexpr int LIMLINEDIFF = 0x80;   // deltas must fit a signed byte
constexpr int ABSLINEINFO = -0x80;  // marks an absolute entry

// Records the line of the last instruction: a delta from the previous
// one, or an absolute entry when the delta is too big or too many deltas
// have passed since the last absolute entry.
void savelineinfo(FuncState* fs, Proto* f, int line) {
  int linedif = line - fs->previousline;
  int pc = fs->pc - 1;
  if (std::abs(linedif) >= LIMLINEDIFF || fs->iwthabs++ >= MAXIWTHABS) {
    luaM_growvector(fs->ls->L, f->abslineinfo, fs->nabslineinfo,
                    f->sizeabslineinfo, MAX_INT, "lines");
    f->abslineinfo[fs->nabslineinfo].pc = pc;
    f->abslineinfo[fs->nabslineinfo++].line = line;
    linedif = ABSLINEINFO;
    fs->iwthabs = 1;
  }
  luaM_growvector(fs->ls->L, f->lineinfo, pc, f->sizelineinfo, MAX_INT,
                  "opcodes");
  f->lineinfo[pc] = static_cast<ls_byte>(linedif);
  fs->previousline = line;
}

// Undoes savelineinfo for the last instruction, so that the next line
// saved is relative to the one before it (or absolute, when the removed
// entry was absolute and the chain of deltas is broken).
void removelastlineinfo(FuncState* fs) {
  Proto* f = fs->f;
  int pc = fs->pc - 1;
  if (f->lineinfo[pc] != ABSLINEINFO) {
    fs->previousline -= f->lineinfo[pc];
    fs->iwthabs--;
  } else {
    lua_assert(f->abslineinfo[fs->nabslineinfo - 1].pc == pc);
    fs->nabslineinfo--;
    fs->iwthabs = MAXIWTHABS + 1;  // force an absolute entry next
  }
}

void removelastinstruction(FuncState* fs) {
  removelastlineinfo(fs);
  fs->pc--;
}

}  // namespace

int luaK_code(FuncState* fs, Instruction i) {
  Proto* f = fs->f;
  luaM_growvector(fs->ls->L, f->code, fs->pc, f->sizecode, MAX_INT, "opcodes");
  f->code[fs->pc++] = i;
  savelineinfo(fs, f, fs->ls->lastline);
  return fs->pc - 1;
}

int luaK_codeABCk(FuncState* fs, OpCode o, int a, int b, int c, int k) {
  lua_assert(getOpMode(o) == iABC);
  lua_assert(a <= MAXARG_A && b <= MAXARG_B && c <= MAXARG_C && (k & ~1) == 0);
  return luaK_code(fs, CREATE_ABCk(o, a, b, c, k));
}

int luaK_codeABx(FuncState* fs, OpCode o, int a, unsigned int bc) {
  lua_assert(getOpMode(o) == iABx);
  lua_assert(a <= MAXARG_A && bc <= static_cast<unsigned int>(MAXARG_Bx));
  return luaK_code(fs, CREATE_ABx(o, a, bc));
}

namespace {

int codeAsBx(FuncState* fs, OpCode o, int a, int bc) {
  unsigned int b = static_cast<unsigned int>(bc + OFFSET_sBx);
  lua_assert(getOpMode(o) == iAsBx);
  return luaK_code(fs, CREATE_ABx(o, a, b));
}

int codesJ(FuncState* fs, OpCode o, int sj, int k) {
  lua_assert(getOpMode(o) == isJ);
  lua_assert(-OFFSET_sJ <= sj && sj <= MAXARG_sJ - OFFSET_sJ);
  return luaK_code(fs, CREATE_sJ(o, sj + OFFSET_sJ, k));
}

int codeextraarg(FuncState* fs, int a) {
  lua_assert(a <= MAXARG_Ax);
  return luaK_code(fs, CREATE_Ax(OP_EXTRAARG, static_cast<unsigned int>(a)));
}

// Loads constant `k` into `reg`: LOADK, or LOADKX plus EXTRAARG when the
// index does not fit Bx.
int luaK_codek(FuncState* fs, int reg, int k) {
  if (k <= MAXARG_Bx)
    return luaK_codeABx(fs, OP_LOADK, reg, static_cast<unsigned int>(k));
  int p = luaK_codeABx(fs, OP_LOADKX, reg, 0);
  codeextraarg(fs, k);
  return p;
}

}  // namespace

void luaK_checkstack(FuncState* fs, int n) {
  int newstack = fs->freereg + n;
  if (newstack > fs->f->maxstacksize) {
    if (newstack >= MAXREGS)
      luaX_syntaxerror(fs->ls,
                       "function or expression needs too many registers");
    fs->f->maxstacksize = cast_byte(newstack);
  }
}

void luaK_reserveregs(FuncState* fs, int n) {
  luaK_checkstack(fs, n);
  fs->freereg = cast_byte(fs->freereg + n);
}

namespace {

// Frees `reg` if it is a temporary (not a local variable's register);
// temporaries go in stack order (invariant STACKORDER).
void freereg(FuncState* fs, int reg) {
  if (reg >= luaY_nvarstack(fs)) {
    fs->freereg--;
    lua_assert(reg == fs->freereg);
  }
}

// Frees two registers, the higher first.
void freeregs(FuncState* fs, int r1, int r2) {
  if (r1 > r2) {
    freereg(fs, r1);
    freereg(fs, r2);
  } else {
    freereg(fs, r2);
    freereg(fs, r1);
  }
}

void freeexp(FuncState* fs, expdesc* e) {
  if (e->k == VNONRELOC) freereg(fs, e->u.info);
}

void freeexps(FuncState* fs, expdesc* e1, expdesc* e2) {
  int r1 = (e1->k == VNONRELOC) ? e1->u.info : -1;
  int r2 = (e2->k == VNONRELOC) ? e2->u.info : -1;
  freeregs(fs, r1, r2);
}

// Equality of two constants of the same variant (what luaV_rawequalobj
// reduces to for them).
bool samekvalue(const TValue* a, const TValue* b) {
  lua_assert(ttypetag(a) == ttypetag(b));
  switch (ttypetag(a)) {
    case LUA_VNUMINT:
      return ivalue(a) == ivalue(b);
    case LUA_VNUMFLT:
      return fltvalue(a) == fltvalue(b);
    case LUA_VSHRSTR:
      return tsvalue(a) == tsvalue(b);
    case LUA_VLNGSTR:
      return luaS_eqlngstr(tsvalue(a), tsvalue(b));
    default:  // nil and booleans
      return true;
  }
}

// The index of constant `v` in the function's `k`, added if new. `key`
// finds it in the scanner table (invariant KDEDUP).
int addk(FuncState* fs, TValue* key, TValue* v) {
  lua_State* L = fs->ls->L;
  Proto* f = fs->f;
  const TValue* idx = luaH_get(fs->ls->h, key);
  if (ttisinteger(idx)) {
    int k = cast_int(ivalue(idx));
    if (k < fs->nk && ttypetag(&f->k[k]) == ttypetag(v) &&
        samekvalue(&f->k[k], v))
      return k;
  }
  int oldsize = f->sizek;
  int k = fs->nk;
  TValue val;
  setivalue(&val, k);  // a number needs no barrier
  luaH_finishset(L, fs->ls->h, key, idx, &val);
  luaM_growvector(L, f->k, k, f->sizek, MAXARG_Ax, "constants");
  while (oldsize < f->sizek) setnilvalue(&f->k[oldsize++]);
  setobj(L, &f->k[k], v);
  fs->nk++;
  luaC_barrier(L, f, v);
  return k;
}

int stringK(FuncState* fs, TString* s) {
  TValue o;
  setsvalue(fs->ls->L, &o, s);
  return addk(fs, &o, &o);
}

int luaK_intK(FuncState* fs, lua_Integer n) {
  TValue o;
  setivalue(&o, n);
  return addk(fs, &o, &o);
}

// A float with an integral value would find the integer's entry in the
// scanner table (table keys normalise 2.0 to 2), so it is keyed by a
// nearby float that is not integral: r + r*2^-52 (or 2^-52 for zero).
int luaK_numberK(FuncState* fs, lua_Number r) {
  TValue o;
  lua_Integer ik;
  setfltvalue(&o, r);
  if (!luaV_flttointns(r, &ik, F2Ieq)) return addk(fs, &o, &o);
  const lua_Number q = std::ldexp(1.0, -DBL_MANT_DIG + 1);
  const lua_Number k = (ik == 0) ? q : r + r * q;
  TValue kv;
  setfltvalue(&kv, k);
  lua_assert(!luaV_flttointns(k, &ik, F2Ieq) || std::fabs(r) >= 1e6);
  return addk(fs, &kv, &o);
}

int boolF(FuncState* fs) {
  TValue o;
  setbfvalue(&o);
  return addk(fs, &o, &o);
}

int boolT(FuncState* fs) {
  TValue o;
  setbtvalue(&o);
  return addk(fs, &o, &o);
}

// nil cannot be a table key; the scanner table itself stands for it.
int nilK(FuncState* fs) {
  TValue k, v;
  setnilvalue(&v);
  sethvalue(fs->ls->L, &k, fs->ls->h);
  return addk(fs, &k, &v);
}

// Does `i` fit the signed 8-bit form of the C operand?
bool fitsC(lua_Integer i) {
  return static_cast<lua_Unsigned>(i) + OFFSET_sC <=
         static_cast<lua_Unsigned>(MAXARG_C);
}

// Does `i` fit the signed Bx operand?
bool fitsBx(lua_Integer i) {
  return -OFFSET_sBx <= i && i <= MAXARG_Bx - OFFSET_sBx;
}

}  // namespace

void luaK_int(FuncState* fs, int reg, lua_Integer i) {
  if (fitsBx(i))
    codeAsBx(fs, OP_LOADI, reg, cast_int(i));
  else
    luaK_codek(fs, reg, luaK_intK(fs, i));
}

namespace {

// An integral float in the sBx range loads with LOADF, with no constant.
void luaK_float(FuncState* fs, int reg, lua_Number f) {
  lua_Integer fi;
  if (luaV_flttointns(f, &fi, F2Ieq) && fitsBx(fi))
    codeAsBx(fs, OP_LOADF, reg, cast_int(fi));
  else
    luaK_codek(fs, reg, luaK_numberK(fs, f));
}

// The expression for constant value `v` (of a compile-time constant).
void const2exp(const TValue* v, expdesc* e) {
  switch (ttypetag(v)) {
    case LUA_VNUMINT:
      e->k = VKINT;
      e->u.ival = ivalue(v);
      break;
    case LUA_VNUMFLT:
      e->k = VKFLT;
      e->u.nval = fltvalue(v);
      break;
    case LUA_VFALSE:
      e->k = VFALSE;
      break;
    case LUA_VTRUE:
      e->k = VTRUE;
      break;
    case LUA_VNIL:
      e->k = VNIL;
      break;
    case LUA_VSHRSTR:
    case LUA_VLNGSTR:
      e->k = VKSTR;
      e->u.strval = tsvalue(v);
      break;
    default:
      lua_assert(false);
  }
}

}  // namespace

// C is the number of results plus one (0: all of them). A vararg also
// needs its target register, the next free one.
void luaK_setreturns(FuncState* fs, expdesc* e, int nresults) {
  Instruction* pc = &getinstruction(fs, e);
  SETARG_C(*pc, nresults + 1);
  if (e->k == VVARARG) {
    SETARG_A(*pc, fs->freereg);
    luaK_reserveregs(fs, 1);
  } else {
    lua_assert(e->k == VCALL);
  }
}

namespace {

void str2K(FuncState* fs, expdesc* e) {
  lua_assert(e->k == VKSTR);
  e->u.info = stringK(fs, e->u.strval);
  e->k = VK;
}

}  // namespace

// A call already returns one value (C == 2) in its base register; a
// vararg is told to produce one, wherever it will be put.
void luaK_setoneret(FuncState* fs, expdesc* e) {
  if (e->k == VCALL) {
    lua_assert(GETARG_C(getinstruction(fs, e)) == 2);
    e->k = VNONRELOC;
    e->u.info = GETARG_A(getinstruction(fs, e));
  } else if (e->k == VVARARG) {
    SETARG_C(getinstruction(fs, e), 2);
    e->k = VRELOC;
  }
}

void luaK_dischargevars(FuncState* fs, expdesc* e) {
  switch (e->k) {
    case VCONST:
      const2exp(const2val(fs, e), e);
      break;
    case VLOCAL:
      e->u.info = e->u.var.ridx;
      e->k = VNONRELOC;
      break;
    case VUPVAL:
      e->u.info = luaK_codeABC(fs, OP_GETUPVAL, 0, e->u.info, 0);
      e->k = VRELOC;
      break;
    case VINDEXUP:
      e->u.info = luaK_codeABC(fs, OP_GETTABUP, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXI:
      freereg(fs, e->u.ind.t);
      e->u.info = luaK_codeABC(fs, OP_GETI, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXSTR:
      freereg(fs, e->u.ind.t);
      e->u.info = luaK_codeABC(fs, OP_GETFIELD, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VINDEXED:
      freeregs(fs, e->u.ind.t, e->u.ind.idx);
      e->u.info = luaK_codeABC(fs, OP_GETTABLE, 0, e->u.ind.t, e->u.ind.idx);
      e->k = VRELOC;
      break;
    case VVARARG:
    case VCALL:
      luaK_setoneret(fs, e);
      break;
    default:
      break;  // already a value
  }
}

namespace {

// Puts the value of `e` in register `reg`, except for a VJMP, whose value
// exists only as its jump lists (exp2reg handles those).
void discharge2reg(FuncState* fs, expdesc* e, int reg) {
  luaK_dischargevars(fs, e);
  switch (e->k) {
    case VNIL:
      luaK_nil(fs, reg, 1);
      break;
    case VFALSE:
      luaK_codeABC(fs, OP_LOADFALSE, reg, 0, 0);
      break;
    case VTRUE:
      luaK_codeABC(fs, OP_LOADTRUE, reg, 0, 0);
      break;
    case VKSTR:
      str2K(fs, e);
      [[fallthrough]];
    case VK:
      luaK_codek(fs, reg, e->u.info);
      break;
    case VKFLT:
      luaK_float(fs, reg, e->u.nval);
      break;
    case VKINT:
      luaK_int(fs, reg, e->u.ival);
      break;
    case VRELOC:
      SETARG_A(getinstruction(fs, e), reg);  // open target: fill it in
      break;
    case VNONRELOC:
      if (reg != e->u.info) luaK_codeABC(fs, OP_MOVE, reg, e->u.info, 0);
      break;
    default:
      lua_assert(e->k == VJMP);
      return;
  }
  e->u.info = reg;
  e->k = VNONRELOC;
}

void discharge2anyreg(FuncState* fs, expdesc* e) {
  if (e->k != VNONRELOC) {
    luaK_reserveregs(fs, 1);
    discharge2reg(fs, e, fs->freereg - 1);
  }
}

// LFALSESKIP and LOADTRUE are jump targets of the lists that produce
// booleans.
int code_loadbool(FuncState* fs, int A, OpCode op) {
  luaK_getlabel(fs);
  return luaK_codeABC(fs, op, A, 0, 0);
}

// Does some jump of `list` produce no value by itself (a comparison, not
// a TESTSET), so that a boolean must be loaded for it?
bool need_value(FuncState* fs, int list) {
  for (; list != NO_JUMP; list = getjump(fs, list)) {
    Instruction i = *getjumpcontrol(fs, list);
    if (GET_OPCODE(i) != OP_TESTSET) return true;
  }
  return false;
}

// Puts the whole value of `e`, jump lists included, in `reg`. TESTSET
// jumps deliver their operand into `reg`; comparison jumps land on a
// LFALSESKIP/LOADTRUE pair placed after the value's own code.
void exp2reg(FuncState* fs, expdesc* e, int reg) {
  discharge2reg(fs, e, reg);
  if (e->k == VJMP) luaK_concat(fs, &e->t, e->u.info);
  if (hasjumps(e)) {
    int p_f = NO_JUMP;
    int p_t = NO_JUMP;
    if (need_value(fs, e->t) || need_value(fs, e->f)) {
      int fj = (e->k == VJMP) ? NO_JUMP : luaK_jump(fs);
      p_f = code_loadbool(fs, reg, OP_LFALSESKIP);
      p_t = code_loadbool(fs, reg, OP_LOADTRUE);
      luaK_patchtohere(fs, fj);  // the value itself skips the booleans
    }
    int final = luaK_getlabel(fs);
    patchlistaux(fs, e->f, final, reg, p_f);
    patchlistaux(fs, e->t, final, reg, p_t);
  }
  e->f = e->t = NO_JUMP;
  e->u.info = reg;
  e->k = VNONRELOC;
}

}  // namespace

void luaK_exp2nextreg(FuncState* fs, expdesc* e) {
  luaK_dischargevars(fs, e);
  freeexp(fs, e);
  luaK_reserveregs(fs, 1);
  exp2reg(fs, e, fs->freereg - 1);
}

// A value in a temporary register with jumps can collect them in place; a
// local's register cannot (the jumps would overwrite the variable), so it
// is copied to the next register.
int luaK_exp2anyreg(FuncState* fs, expdesc* e) {
  luaK_dischargevars(fs, e);
  if (e->k == VNONRELOC) {
    if (!hasjumps(e)) return e->u.info;
    if (e->u.info >= luaY_nvarstack(fs)) {
      exp2reg(fs, e, e->u.info);
      return e->u.info;
    }
  }
  luaK_exp2nextreg(fs, e);
  return e->u.info;
}

void luaK_exp2anyregup(FuncState* fs, expdesc* e) {
  if (e->k != VUPVAL || hasjumps(e)) luaK_exp2anyreg(fs, e);
}

void luaK_exp2val(FuncState* fs, expdesc* e) {
  if (hasjumps(e))
    luaK_exp2anyreg(fs, e);
  else
    luaK_dischargevars(fs, e);
}

namespace {

// Makes `e` a K operand (VK with an index that fits B or C) if it is a
// constant without jumps; leaves it unchanged otherwise.
bool luaK_exp2K(FuncState* fs, expdesc* e) {
  if (hasjumps(e)) return false;
  int info;
  switch (e->k) {
    case VTRUE:
      info = boolT(fs);
      break;
    case VFALSE:
      info = boolF(fs);
      break;
    case VNIL:
      info = nilK(fs);
      break;
    case VKINT:
      info = luaK_intK(fs, e->u.ival);
      break;
    case VKFLT:
      info = luaK_numberK(fs, e->u.nval);
      break;
    case VKSTR:
      info = stringK(fs, e->u.strval);
      break;
    case VK:
      info = e->u.info;
      break;
    default:
      return false;
  }
  if (info > MAXINDEXRK) return false;  // the constant stays, unused here
  e->k = VK;
  e->u.info = info;
  return true;
}

// A K operand if possible, else a register.
bool exp2RK(FuncState* fs, expdesc* e) {
  if (luaK_exp2K(fs, e)) return true;
  luaK_exp2anyreg(fs, e);
  return false;
}

void codeABRK(FuncState* fs, OpCode o, int a, int b, expdesc* ec) {
  int k = exp2RK(fs, ec) ? 1 : 0;
  luaK_codeABCk(fs, o, a, b, ec->u.info, k);
}

}  // namespace

void luaK_storevar(FuncState* fs, expdesc* var, expdesc* ex) {
  switch (var->k) {
    case VLOCAL:
      freeexp(fs, ex);
      exp2reg(fs, ex, var->u.var.ridx);  // compute straight into the local
      return;
    case VUPVAL: {
      int e = luaK_exp2anyreg(fs, ex);
      luaK_codeABC(fs, OP_SETUPVAL, e, var->u.info, 0);
      break;
    }
    case VINDEXUP:
      codeABRK(fs, OP_SETTABUP, var->u.ind.t, var->u.ind.idx, ex);
      break;
    case VINDEXI:
      codeABRK(fs, OP_SETI, var->u.ind.t, var->u.ind.idx, ex);
      break;
    case VINDEXSTR:
      codeABRK(fs, OP_SETFIELD, var->u.ind.t, var->u.ind.idx, ex);
      break;
    case VINDEXED:
      codeABRK(fs, OP_SETTABLE, var->u.ind.t, var->u.ind.idx, ex);
      break;
    default:
      lua_assert(false);
  }
  freeexp(fs, ex);
}

// SELF puts the method in the base register and the object above it,
// ready for the call's arguments.
void luaK_self(FuncState* fs, expdesc* e, expdesc* key) {
  luaK_exp2anyreg(fs, e);
  int ereg = e->u.info;
  freeexp(fs, e);
  e->u.info = fs->freereg;
  e->k = VNONRELOC;
  luaK_reserveregs(fs, 2);
  codeABRK(fs, OP_SELF, e->u.info, ereg, key);
  freeexp(fs, key);
}

namespace {

// Inverts the test of the VJMP `e` by flipping its k bit.
void negatecondition(FuncState* fs, expdesc* e) {
  Instruction* pc = getjumpcontrol(fs, e->u.info);
  lua_assert(testTMode(GET_OPCODE(*pc)) && GET_OPCODE(*pc) != OP_TESTSET &&
             GET_OPCODE(*pc) != OP_TEST);
  SETARG_k(*pc, GETARG_k(*pc) ^ 1);
}

// Jumps when `e` is `cond`. `not x` just computed is undone and tested
// with the opposite sense.
int jumponcond(FuncState* fs, expdesc* e, int cond) {
  if (e->k == VRELOC) {
    Instruction ie = getinstruction(fs, e);
    if (GET_OPCODE(ie) == OP_NOT) {
      removelastinstruction(fs);
      return condjump(fs, OP_TEST, GETARG_B(ie), 0, 0, !cond);
    }
  }
  discharge2anyreg(fs, e);
  freeexp(fs, e);
  return condjump(fs, OP_TESTSET, NO_REG, e->u.info, 0, cond);
}

}  // namespace

void luaK_goiftrue(FuncState* fs, expdesc* e) {
  int pc;
  luaK_dischargevars(fs, e);
  switch (e->k) {
    case VJMP:
      negatecondition(fs, e);  // jump when the condition is false
      pc = e->u.info;
      break;
    case VK:
    case VKFLT:
    case VKINT:
    case VKSTR:
    case VTRUE:
      pc = NO_JUMP;  // always true
      break;
    default:
      pc = jumponcond(fs, e, 0);
      break;
  }
  luaK_concat(fs, &e->f, pc);
  luaK_patchtohere(fs, e->t);  // true exits fall through to here
  e->t = NO_JUMP;
}

void luaK_goiffalse(FuncState* fs, expdesc* e) {
  int pc;
  luaK_dischargevars(fs, e);
  switch (e->k) {
    case VJMP:
      pc = e->u.info;  // already jumps when true
      break;
    case VNIL:
    case VFALSE:
      pc = NO_JUMP;  // always false
      break;
    default:
      pc = jumponcond(fs, e, 1);
      break;
  }
  luaK_concat(fs, &e->t, pc);
  luaK_patchtohere(fs, e->f);
  e->f = NO_JUMP;
}

namespace {

// `not e`: folded for constants, a flipped test for a condition, OP_NOT
// otherwise. The jump lists swap, and lose their values (a negated value
// is a boolean, not the operand).
void codenot(FuncState* fs, expdesc* e) {
  switch (e->k) {
    case VNIL:
    case VFALSE:
      e->k = VTRUE;
      break;
    case VK:
    case VKFLT:
    case VKINT:
    case VKSTR:
    case VTRUE:
      e->k = VFALSE;
      break;
    case VJMP:
      negatecondition(fs, e);
      break;
    case VRELOC:
    case VNONRELOC:
      discharge2anyreg(fs, e);
      freeexp(fs, e);
      e->u.info = luaK_codeABC(fs, OP_NOT, 0, e->u.info, 0);
      e->k = VRELOC;
      break;
    default:
      lua_assert(false);
  }
  int temp = e->f;
  e->f = e->t;
  e->t = temp;
  removevalues(fs, e->f);
  removevalues(fs, e->t);
}

// A short string constant whose index fits B (GETFIELD's key).
bool isKstr(FuncState* fs, const expdesc* e) {
  return e->k == VK && !hasjumps(e) && e->u.info <= MAXARG_B &&
         ttisshrstring(&fs->f->k[e->u.info]);
}

}  // namespace

bool luaK_isKint(expdesc* e) {
  return e->k == VKINT && !hasjumps(e);
}

namespace {

// An integer constant that fits the unsigned C operand (GETI's key).
bool isCint(expdesc* e) {
  return luaK_isKint(e) && static_cast<lua_Unsigned>(e->u.ival) <=
                               static_cast<lua_Unsigned>(MAXARG_C);
}

// An integer constant that fits the signed C operand.
bool isSCint(expdesc* e) {
  return luaK_isKint(e) && fitsC(e->u.ival);
}

// A number with an integral value that fits the signed C operand; `*pi`
// gets the operand, `*isfloat` whether it was written as a float.
bool isSCnumber(expdesc* e, int* pi, int* isfloat) {
  lua_Integer i;
  if (e->k == VKINT)
    i = e->u.ival;
  else if (e->k == VKFLT && luaV_flttointns(e->u.nval, &i, F2Ieq))
    *isfloat = 1;
  else
    return false;
  if (hasjumps(e) || !fitsC(i)) return false;
  *pi = int2sC(cast_int(i));
  return true;
}

}  // namespace

// t[k] picks the cheapest access: an upvalue table with a string key
// (GETTABUP, for globals), a string key (GETFIELD), a small integer
// (GETI), or a key in a register (GETTABLE).
void luaK_indexed(FuncState* fs, expdesc* t, expdesc* k) {
  if (k->k == VKSTR) str2K(fs, k);
  lua_assert(!hasjumps(t) &&
             (t->k == VLOCAL || t->k == VNONRELOC || t->k == VUPVAL));
  if (t->k == VUPVAL && !isKstr(fs, k)) luaK_exp2anyreg(fs, t);
  if (t->k == VUPVAL) {
    t->u.ind.t = cast_byte(t->u.info);
    t->u.ind.idx = static_cast<short>(k->u.info);
    t->k = VINDEXUP;
    return;
  }
  t->u.ind.t = cast_byte((t->k == VLOCAL) ? t->u.var.ridx : t->u.info);
  if (isKstr(fs, k)) {
    t->u.ind.idx = static_cast<short>(k->u.info);
    t->k = VINDEXSTR;
  } else if (isCint(k)) {
    t->u.ind.idx = static_cast<short>(k->u.ival);
    t->k = VINDEXI;
  } else {
    t->u.ind.idx = static_cast<short>(luaK_exp2anyreg(fs, k));
    t->k = VINDEXED;
  }
}

namespace {

// May `op` be folded at compile time? Not when it would raise an error at
// run time instead: a bitwise operation on a non-integral float, or a
// division or modulo by zero.
bool validop(int op, const TValue* v1, const TValue* v2) {
  switch (op) {
    case LUA_OPBAND:
    case LUA_OPBOR:
    case LUA_OPBXOR:
    case LUA_OPSHL:
    case LUA_OPSHR:
    case LUA_OPBNOT: {
      lua_Integer i;
      return luaV_tointegerns(v1, &i, F2Ieq) && luaV_tointegerns(v2, &i, F2Ieq);
    }
    case LUA_OPDIV:
    case LUA_OPIDIV:
    case LUA_OPMOD:
      return nvalue(v2) != 0;
    default:
      return true;
  }
}

// Folds `e1 op e2` into `e1` when both are numerals and the operation is
// safe. A float result of NaN or zero is not folded: the constant table
// could not tell 0.0 from -0.0, and NaN is not a valid key.
bool constfolding(FuncState* fs, int op, expdesc* e1, const expdesc* e2) {
  TValue v1, v2, res;
  if (!tonumeral(e1, &v1) || !tonumeral(e2, &v2) || !validop(op, &v1, &v2))
    return false;
  luaO_rawarith(fs->ls->L, op, &v1, &v2, &res);
  if (ttisinteger(&res)) {
    e1->k = VKINT;
    e1->u.ival = ivalue(&res);
    return true;
  }
  lua_Number n = fltvalue(&res);
  if (std::isnan(n) || n == 0) return false;
  e1->k = VKFLT;
  e1->u.nval = n;
  return true;
}

// Unary operators that operate on a register (UNM, BNOT, LEN).
void codeunexpval(FuncState* fs, OpCode op, expdesc* e, int line) {
  int r = luaK_exp2anyreg(fs, e);
  freeexp(fs, e);
  e->u.info = luaK_codeABC(fs, op, 0, r, 0);
  e->k = VRELOC;
  luaK_fixline(fs, line);
}

// Emits binary `op` (first operand in a register, second `v2`: register,
// constant or immediate) followed by the MMBIN* that calls the metamethod
// when the fast path fails; `flip` says the operands were swapped.
void finishbinexpval(FuncState* fs, expdesc* e1, expdesc* e2, OpCode op, int v2,
                     int flip, int line, OpCode mmop, TMS event) {
  int v1 = luaK_exp2anyreg(fs, e1);
  int pc = luaK_codeABCk(fs, op, 0, v1, v2, 0);
  freeexps(fs, e1, e2);
  e1->u.info = pc;
  e1->k = VRELOC;
  luaK_fixline(fs, line);
  luaK_codeABCk(fs, mmop, v1, v2, static_cast<int>(event), flip);
  luaK_fixline(fs, line);
}

// Both operands in registers.
void codebinexpval(FuncState* fs, OpCode op, expdesc* e1, expdesc* e2,
                   int line) {
  int v2 = luaK_exp2anyreg(fs, e2);
  lua_assert((VNIL <= e1->k && e1->k <= VKSTR) || e1->k == VNONRELOC ||
             e1->k == VRELOC);
  lua_assert(OP_ADD <= op && op <= OP_SHR);
  finishbinexpval(fs, e1, e2, op, v2, 0, line, OP_MMBIN,
                  static_cast<TMS>((op - OP_ADD) + static_cast<int>(TM_ADD)));
}

// Second operand an immediate (ADDI, SHRI, SHLI).
void codebini(FuncState* fs, OpCode op, expdesc* e1, expdesc* e2, int flip,
              int line, TMS event) {
  int v2 = int2sC(cast_int(e2->u.ival));
  lua_assert(e2->k == VKINT);
  finishbinexpval(fs, e1, e2, op, v2, flip, line, OP_MMBINI, event);
}

// Second operand a K constant (ADDK ... BXORK).
void codebinK(FuncState* fs, BinOpr opr, expdesc* e1, expdesc* e2, int flip,
              int line) {
  TMS event = static_cast<TMS>(opr + static_cast<int>(TM_ADD));
  int v2 = e2->u.info;
  OpCode op = static_cast<OpCode>(static_cast<int>(opr) + OP_ADDK);
  finishbinexpval(fs, e1, e2, op, v2, flip, line, OP_MMBINK, event);
}

// `x - I` and `x << -I` become `x + -I` and `x >> I` when both I and -I
// fit the immediate operand; the metamethod still gets the original I.
bool finishbinexpneg(FuncState* fs, expdesc* e1, expdesc* e2, OpCode op,
                     int line, TMS event) {
  if (!luaK_isKint(e2)) return false;
  lua_Integer i2 = e2->u.ival;
  if (!(fitsC(i2) && fitsC(-i2))) return false;
  int v2 = cast_int(i2);
  finishbinexpval(fs, e1, e2, op, int2sC(-v2), 0, line, OP_MMBINI, event);
  SETARG_B(fs->f->code[fs->pc - 1], int2sC(v2));  // the MMBINI's operand
  return true;
}

void swapexps(expdesc* e1, expdesc* e2) {
  expdesc temp = *e1;
  *e1 = *e2;
  *e2 = temp;
}

// Arithmetic: a numeral second operand becomes a K operand; otherwise
// both operands go to registers.
void codearith(FuncState* fs, BinOpr opr, expdesc* e1, expdesc* e2, int flip,
               int line) {
  if (tonumeral(e2, nullptr) && luaK_exp2K(fs, e2)) {
    codebinK(fs, opr, e1, e2, flip, line);
    return;
  }
  if (flip) swapexps(e1, e2);  // back to the original order
  codebinexpval(fs, static_cast<OpCode>(static_cast<int>(opr) + OP_ADD), e1, e2,
                line);
}

// + and *: a numeral first operand is moved second (flip records it for
// the metamethod); `x + I` uses ADDI.
void codecommutative(FuncState* fs, BinOpr op, expdesc* e1, expdesc* e2,
                     int line) {
  int flip = 0;
  if (tonumeral(e1, nullptr)) {
    swapexps(e1, e2);
    flip = 1;
  }
  if (op == OPR_ADD && isSCint(e2))
    codebini(fs, OP_ADDI, e1, e2, flip, line, TM_ADD);
  else
    codearith(fs, op, e1, e2, flip, line);
}

// &, |, ~: commutative, with K forms for integer constants only. An
// integer first operand whose constant does not fit a K operand is put in
// a register right away (exp2RK), before the second operand.
void codebitwise(FuncState* fs, BinOpr opr, expdesc* e1, expdesc* e2,
                 int line) {
  int flip = 0;
  if (e1->k == VKINT && exp2RK(fs, e1)) {
    swapexps(e1, e2);  // the constant goes second
    flip = 1;
  } else if (!(e2->k == VKINT && exp2RK(fs, e2))) {
    codebinexpval(fs, static_cast<OpCode>(static_cast<int>(opr) + OP_ADD), e1,
                  e2, line);
    return;
  }
  lua_assert(ttisinteger(&fs->f->k[e2->u.info]));
  codebinK(fs, opr, e1, e2, flip, line);
}

// < and <= (and > and >= swapped into them): an immediate operand when
// one side is a small number; `I < x` becomes `x > I`.
void codeorder(FuncState* fs, OpCode op, expdesc* e1, expdesc* e2) {
  int r1, r2;
  int im;
  int isfloat = 0;
  if (isSCnumber(e2, &im, &isfloat)) {
    r1 = luaK_exp2anyreg(fs, e1);
    r2 = im;
    op = static_cast<OpCode>((op - OP_LT) + OP_LTI);
  } else if (isSCnumber(e1, &im, &isfloat)) {
    r1 = luaK_exp2anyreg(fs, e2);
    r2 = im;
    op = (op == OP_LT) ? OP_GTI : OP_GEI;
  } else {
    r1 = luaK_exp2anyreg(fs, e1);
    r2 = luaK_exp2anyreg(fs, e2);
  }
  freeexps(fs, e1, e2);
  e1->u.info = condjump(fs, op, r1, r2, isfloat, 1);
  e1->k = VJMP;
}

// == and ~=: the register operand goes first (infix left a numeral or a
// constant unplaced); the other may be an immediate or a K operand.
void codeeq(FuncState* fs, BinOpr opr, expdesc* e1, expdesc* e2) {
  int r1, r2;
  int im;
  int isfloat = 0;
  OpCode op;
  if (e1->k != VNONRELOC) {
    lua_assert(e1->k == VK || e1->k == VKINT || e1->k == VKFLT);
    swapexps(e1, e2);
  }
  r1 = luaK_exp2anyreg(fs, e1);
  if (isSCnumber(e2, &im, &isfloat)) {
    op = OP_EQI;
    r2 = im;
  } else if (exp2RK(fs, e2)) {
    op = OP_EQK;
    r2 = e2->u.info;
  } else {
    op = OP_EQ;
    r2 = luaK_exp2anyreg(fs, e2);
  }
  freeexps(fs, e1, e2);
  e1->u.info = condjump(fs, op, r1, r2, isfloat, (opr == OPR_EQ) ? 1 : 0);
  e1->k = VJMP;
}

}  // namespace

// Unary minus and ~ fold constants, with a zero as the dummy second
// operand luaO_rawarith expects.
void luaK_prefix(FuncState* fs, UnOpr opr, expdesc* e, int line) {
  static const expdesc ef = {VKINT, {0}, NO_JUMP, NO_JUMP};
  luaK_dischargevars(fs, e);
  switch (opr) {
    case OPR_MINUS:
    case OPR_BNOT:
      if (constfolding(fs, opr + LUA_OPUNM, e, &ef)) break;
      [[fallthrough]];
    case OPR_LEN:
      codeunexpval(fs, static_cast<OpCode>(static_cast<int>(opr) + OP_UNM), e,
                   line);
      break;
    case OPR_NOT:
      codenot(fs, e);
      break;
    default:
      lua_assert(false);
  }
}

// What the first operand needs before the second is parsed: a logical
// operator emits its test now, concatenation needs consecutive registers,
// and numerals stay unplaced in case they fold or become immediates.
void luaK_infix(FuncState* fs, BinOpr op, expdesc* v) {
  luaK_dischargevars(fs, v);
  switch (op) {
    case OPR_AND:
      luaK_goiftrue(fs, v);
      break;
    case OPR_OR:
      luaK_goiffalse(fs, v);
      break;
    case OPR_CONCAT:
      luaK_exp2nextreg(fs, v);
      break;
    case OPR_ADD:
    case OPR_SUB:
    case OPR_MUL:
    case OPR_DIV:
    case OPR_IDIV:
    case OPR_MOD:
    case OPR_POW:
    case OPR_BAND:
    case OPR_BOR:
    case OPR_BXOR:
    case OPR_SHL:
    case OPR_SHR:
      if (!tonumeral(v, nullptr)) luaK_exp2anyreg(fs, v);
      break;
    case OPR_EQ:
    case OPR_NE:
      if (!tonumeral(v, nullptr)) exp2RK(fs, v);
      break;
    case OPR_LT:
    case OPR_LE:
    case OPR_GT:
    case OPR_GE: {
      int dummy, dummy2;
      if (!isSCnumber(v, &dummy, &dummy2)) luaK_exp2anyreg(fs, v);
      break;
    }
    default:
      lua_assert(false);
  }
}

namespace {

// a .. b .. c is right associative, so `e2` may already be a CONCAT of
// the registers just above `e1`: then that one instruction grows by one
// operand instead of a second CONCAT being coded.
void codeconcat(FuncState* fs, expdesc* e1, expdesc* e2, int line) {
  Instruction* ie2 = previousinstruction(fs);
  if (GET_OPCODE(*ie2) == OP_CONCAT) {
    int n = GETARG_B(*ie2);
    lua_assert(e1->u.info + 1 == GETARG_A(*ie2));
    freeexp(fs, e2);
    SETARG_A(*ie2, e1->u.info);
    SETARG_B(*ie2, n + 1);
  } else {
    luaK_codeABC(fs, OP_CONCAT, e1->u.info, 2, 0);
    freeexp(fs, e2);
    luaK_fixline(fs, line);
  }
}

}  // namespace

void luaK_posfix(FuncState* fs, BinOpr opr, expdesc* e1, expdesc* e2,
                 int line) {
  luaK_dischargevars(fs, e2);
  if (foldbinop(opr) && constfolding(fs, opr + LUA_OPADD, e1, e2)) return;
  switch (opr) {
    case OPR_AND:
      lua_assert(e1->t == NO_JUMP);  // closed by luaK_infix
      luaK_concat(fs, &e2->f, e1->f);
      *e1 = *e2;
      break;
    case OPR_OR:
      lua_assert(e1->f == NO_JUMP);  // closed by luaK_infix
      luaK_concat(fs, &e2->t, e1->t);
      *e1 = *e2;
      break;
    case OPR_CONCAT:
      luaK_exp2nextreg(fs, e2);
      codeconcat(fs, e1, e2, line);
      break;
    case OPR_ADD:
    case OPR_MUL:
      codecommutative(fs, opr, e1, e2, line);
      break;
    case OPR_SUB:
      if (finishbinexpneg(fs, e1, e2, OP_ADDI, line, TM_SUB)) break;
      [[fallthrough]];
    case OPR_DIV:
    case OPR_IDIV:
    case OPR_MOD:
    case OPR_POW:
      codearith(fs, opr, e1, e2, 0, line);
      break;
    case OPR_BAND:
    case OPR_BOR:
    case OPR_BXOR:
      codebitwise(fs, opr, e1, e2, line);
      break;
    case OPR_SHL:
      if (isSCint(e1)) {
        swapexps(e1, e2);
        codebini(fs, OP_SHLI, e1, e2, 1, line, TM_SHL);  // I << r
      } else if (!finishbinexpneg(fs, e1, e2, OP_SHRI, line, TM_SHL)) {
        codebinexpval(fs, OP_SHL, e1, e2, line);
      }
      break;
    case OPR_SHR:
      if (isSCint(e2))
        codebini(fs, OP_SHRI, e1, e2, 0, line, TM_SHR);
      else
        codebinexpval(fs, OP_SHR, e1, e2, line);
      break;
    case OPR_EQ:
    case OPR_NE:
      codeeq(fs, opr, e1, e2);
      break;
    case OPR_LT:
    case OPR_LE:
      codeorder(fs, static_cast<OpCode>((opr - OPR_EQ) + OP_EQ), e1, e2);
      break;
    case OPR_GT:
    case OPR_GE:
      // a > b is b < a; a >= b is b <= a
      swapexps(e1, e2);
      codeorder(fs, static_cast<OpCode>((opr - OPR_NE) + OP_EQ), e1, e2);
      break;
    default:
      lua_assert(false);
  }
}

void luaK_fixline(FuncState* fs, int line) {
  removelastlineinfo(fs);
  savelineinfo(fs, fs->f, line);
}

// B is the hash size as ceil(log2)+1 (0 for none); the array size goes in
// C, with its higher bits in the EXTRAARG when k is set.
void luaK_settablesize(FuncState* fs, int pc, int ra, int asize, int hsize) {
  Instruction* inst = &fs->f->code[pc];
  int rb =
      (hsize != 0) ? luaO_ceillog2(static_cast<unsigned int>(hsize)) + 1 : 0;
  int extra = asize / (MAXARG_C + 1);
  int rc = asize % (MAXARG_C + 1);
  int k = (extra > 0) ? 1 : 0;
  *inst = CREATE_ABCk(OP_NEWTABLE, ra, rb, rc, k);
  *(inst + 1) = CREATE_Ax(OP_EXTRAARG, static_cast<unsigned int>(extra));
}

void luaK_setlist(FuncState* fs, int base, int nelems, int tostore) {
  lua_assert(tostore != 0 && tostore <= LFIELDS_PER_FLUSH);
  if (tostore == LUA_MULTRET) tostore = 0;
  if (nelems <= MAXARG_C) {
    luaK_codeABC(fs, OP_SETLIST, base, tostore, nelems);
  } else {
    int extra = nelems / (MAXARG_C + 1);
    nelems %= (MAXARG_C + 1);
    luaK_codeABCk(fs, OP_SETLIST, base, tostore, nelems, 1);
    codeextraarg(fs, extra);
  }
  fs->freereg = cast_byte(base + 1);  // the list values are consumed
}

namespace {

// Where a chain of jumps starting at `i` really ends (at most 100 hops,
// which also stops a loop of jumps).
int finaltarget(Instruction* code, int i) {
  for (int count = 0; count < 100; count++) {
    Instruction pc = code[i];
    if (GET_OPCODE(pc) != OP_JMP) break;
    i += GETARG_sJ(pc) + 1;
  }
  return i;
}

}  // namespace

void luaK_finish(FuncState* fs) {
  Proto* p = fs->f;
  for (int i = 0; i < fs->pc; i++) {
    Instruction* pc = &p->code[i];
    lua_assert(i == 0 || isOT(*(pc - 1)) == isIT(*pc));  // invariant TOP
    switch (GET_OPCODE(*pc)) {
      case OP_RETURN0:
      case OP_RETURN1:
        if (!(fs->needclose || p->is_vararg)) break;
        SET_OPCODE(*pc, OP_RETURN);  // needs the general form
        [[fallthrough]];
      case OP_RETURN:
      case OP_TAILCALL:
        if (fs->needclose) SETARG_k(*pc, 1);
        if (p->is_vararg) SETARG_C(*pc, p->numparams + 1);
        break;
      case OP_JMP:
        fixjump(fs, i, finaltarget(p->code, i));
        break;
      default:
        break;
    }
  }
}

namespace {

// The target of jump-like instruction `i` at `pc`, or -1.
int jumptarget(Instruction i, int pc) {
  switch (GET_OPCODE(i)) {
    case OP_JMP:
      return pc + 1 + GETARG_sJ(i);
    case OP_FORPREP:
    case OP_TFORPREP:
      return pc + 1 + GETARG_Bx(i);
    case OP_FORLOOP:
    case OP_TFORLOOP:
      return pc + 1 - GETARG_Bx(i);
    default:
      return -1;
  }
}

}  // namespace

int check_invariants(const Proto* f) {
  lua_assert(f->sizecode > 0 && f->sizelineinfo == f->sizecode);
  for (int pc = 0; pc < f->sizecode; pc++) {
    Instruction i = f->code[pc];
    int target = jumptarget(i, pc);
    lua_assert(target == -1 || (0 <= target && target <= f->sizecode));
    lua_assert(pc == 0 || isOT(f->code[pc - 1]) == isIT(i));  // TOP
    (void)target;
  }
  lua_assert(f->maxstacksize <= MAXREGS);
  int n = 1;
  for (int i = 0; i < f->sizep; i++) n += check_invariants(f->p[i]);
  return n;
}

}  // namespace lua
