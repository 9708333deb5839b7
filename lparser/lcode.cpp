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
/// (NO_JUMP ends the list), and JumpList walks them. A condition is a VJMP
/// whose `t` and `f` lists are patched when the code they lead to exists.
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
/// check_code (at the end) counts what breaks TOP or LINEINFO in a finished
/// prototype, with jumps that leave the code and the register limit.
///
/// Differences from Lua: lvm's luaV_rawequalobj belongs to chapter 8; the
/// one use here needs only its simplest case (constants of the same
/// variant), which is a local function. luaV_tointegerns comes from
/// chapter 2 without string coercion, which constant folding never needs.
/// Helpers that take an expression by reference cannot receive a null one;
/// the luaK_* interface keeps Lua's pointers, as lparser calls it.
/// swapexps is std::swap. luaK_exp2RK is file-local, since lparser never
/// calls it. The kinds of indexed variables map to their
/// GET and SET opcodes through one table (indexedops) instead of two
/// switches, and the expression kinds that always test true or false are
/// named predicates shared by the jumps and `not`. The file-local helper
/// functions are `static`, not in an anonymous namespace: lcode.c
/// interleaves them with the luaK_* functions, and keeping Lua's order
/// would reopen the namespace twenty times; only the two types (JumpList,
/// IndexedOps) sit in anonymous namespaces.
#include "lparser/lcode.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <utility>

#include "lgc/lgc.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"

namespace lua {

// Largest number of registers a function may use.
constexpr int MAXREGS = 255;

// How many values the C operand can hold; bigger counts spill into an
// EXTRAARG, which holds the multiples of this.
constexpr int CSPAN = MAXARG_C + 1;

static bool hasjumps(const expdesc& e) {
  return e.t != e.f;
}

static Instruction& instat(FuncState* fs, int pc) {
  return fs->f->code[pc];
}

// The two ways an expression settles: its value is in register `reg`
// (VNONRELOC), or the instruction at `pc` will compute it into a register
// still to be chosen (VRELOC).
static void toregister(expdesc& e, int reg) {
  e.k = VNONRELOC;
  e.u.info = reg;
}

static void torelocatable(expdesc& e, int pc) {
  e.k = VRELOC;
  e.u.info = pc;
}

// Kinds that, with no jumps, always test true / always test false.
static constexpr bool isalwaystrue(expkind k) {
  return k == VK || k == VKFLT || k == VKINT || k == VKSTR || k == VTRUE;
}

static constexpr bool isalwaysfalse(expkind k) {
  return k == VNIL || k == VFALSE;
}

static int codesJ(FuncState* fs, OpCode o, int sj, int k);

void luaK_semerror(LexState* ls, const char* msg) {
  ls->t = Token{};  // token 0: the message gets no "near <token>"
  luaX_syntaxerror(ls, msg);
}

// A numeral without jumps, its value copied to `v` when given.
static bool tonumeral(const expdesc& e, TValue* v) {
  const bool numeral = e.k == VKINT || e.k == VKFLT;
  if (!numeral || hasjumps(e)) return false;
  if (v == nullptr) return true;
  if (e.k == VKINT)
    setivalue(v, e.u.ival);
  else
    setfltvalue(v, e.u.nval);
  return true;
}

// The value of a compile-time constant variable.
static TValue* const2val(FuncState* fs, const expdesc& e) {
  lua_assert(e.k == VCONST);
  Vardesc& var = fs->ls->dyd->actvar.arr[e.u.info];
  return &var.k;
}

bool luaK_exp2const(FuncState* fs, const expdesc* e, TValue* v) {
  if (hasjumps(*e)) return false;
  lua_State* L = fs->ls->L;
  if (e->k == VKSTR)
    setsvalue(L, v, e->u.strval);
  else if (e->k == VCONST)
    setobj(L, v, const2val(fs, *e));
  else if (e->k == VNIL)
    setnilvalue(v);
  else if (e->k == VTRUE)
    setbtvalue(v);
  else if (e->k == VFALSE)
    setbfvalue(v);
  else
    return tonumeral(*e, v);
  return true;
}

// The previous instruction, if it may be changed. When some jump lands on
// the current pc, the previous instruction does not always run before the
// next one, so it is left alone: the caller gets an all-ones stand-in
// instead, whose opcode (127) matches nothing a caller would modify, so it
// is never written through.
static Instruction* previousinstruction(FuncState* fs) {
  static const Instruction invalidinstruction = ~Instruction{0};
  const bool jumptarget = fs->pc <= fs->lasttarget;
  if (jumptarget) return const_cast<Instruction*>(&invalidinstruction);
  return &instat(fs, fs->pc - 1);
}

// Consecutive nil assignments (local a; local b) share one LOADNIL when
// their register ranges touch or overlap: the LOADNIL just before grows to
// cover both.
void luaK_nil(FuncState* fs, int from, int n) {
  const int last = from + n - 1;
  Instruction* prev = previousinstruction(fs);
  if (GET_OPCODE(*prev) == OP_LOADNIL) {
    const int pfirst = GETARG_A(*prev);
    const int plast = pfirst + GETARG_B(*prev);
    const bool touching = from <= plast + 1 && pfirst <= last + 1;
    if (touching) {
      const int first = std::min(from, pfirst);
      SETARG_A(*prev, first);
      SETARG_B(*prev, std::max(last, plast) - first);
      return;
    }
  }
  luaK_codeABC(fs, OP_LOADNIL, from, n - 1, 0);
}

// The destination of the jump at `pc`, or NO_JUMP at the end of a list
// (an offset of -1, a jump to itself plus one, marks the end).
static int getjump(FuncState* fs, int pc) {
  const int offset = GETARG_sJ(instat(fs, pc));
  return (offset == NO_JUMP) ? NO_JUMP : pc + 1 + offset;
}

// Points the jump at `pc` to `dest`.
static void fixjump(FuncState* fs, int pc, int dest) {
  Instruction& jmp = instat(fs, pc);
  lua_assert(dest != NO_JUMP && GET_OPCODE(jmp) == OP_JMP);
  const int offset = dest - (pc + 1);
  const bool fits = -OFFSET_sJ <= offset && offset <= MAXARG_sJ - OFFSET_sJ;
  if (!fits) luaX_syntaxerror(fs->ls, "control structure too long");
  SETARG_sJ(jmp, offset);
}

namespace {

// The pcs of the jumps of a list, first to last. The link to the next jump
// is read before a jump is visited, so the loop body may repoint it.
class JumpList {
 public:
  JumpList(FuncState* fs, int head) : fs_(fs), head_(head) {}

  class iterator {
   public:
    iterator(FuncState* fs, int pc) : fs_(fs), pc_(pc) { readnext(); }
    int operator*() const { return pc_; }
    iterator& operator++() {
      pc_ = next_;
      readnext();
      return *this;
    }
    bool operator!=(const iterator& other) const { return pc_ != other.pc_; }

   private:
    void readnext() { next_ = (pc_ == NO_JUMP) ? NO_JUMP : getjump(fs_, pc_); }
    FuncState* fs_;
    int pc_;
    int next_ = NO_JUMP;
  };

  iterator begin() const { return {fs_, head_}; }
  iterator end() const { return {fs_, NO_JUMP}; }

 private:
  FuncState* fs_;
  int head_;
};

}  // namespace

void luaK_concat(FuncState* fs, int* l1, int l2) {
  if (l2 == NO_JUMP) return;  // nothing to append
  if (*l1 == NO_JUMP) {
    *l1 = l2;
    return;
  }
  int tail = *l1;
  for (int pc : JumpList(fs, *l1)) tail = pc;
  fixjump(fs, tail, l2);  // the end of l1 now continues into l2
}

int luaK_jump(FuncState* fs) {
  return codesJ(fs, OP_JMP, NO_JUMP, 0);
}

// RETURN0 and RETURN1 are the fast forms; luaK_finish may still turn
// them into RETURN when the function needs to close or is vararg.
void luaK_ret(FuncState* fs, int first, int nret) {
  const OpCode op = (nret == 0)   ? OP_RETURN0
                    : (nret == 1) ? OP_RETURN1
                                  : OP_RETURN;
  luaK_codeABC(fs, op, first, nret + 1, 0);
}

// A test followed by the jump it controls; returns the jump's pc.
static int condjump(FuncState* fs, OpCode op, int a, int b, int c, bool k) {
  luaK_codeABCk(fs, op, a, b, c, k);
  return luaK_jump(fs);
}

// Recording the last target keeps luaK_nil and codeconcat from merging an
// instruction into one that some jump skips.
int luaK_getlabel(FuncState* fs) {
  return fs->lasttarget = fs->pc;
}

// The instruction that controls the jump at `pc`: the test before it, if
// there is one, else the jump itself.
static Instruction& getjumpcontrol(FuncState* fs, int pc) {
  if (pc >= 1) {
    Instruction& before = instat(fs, pc - 1);
    if (testTMode(GET_OPCODE(before))) return before;
  }
  return instat(fs, pc);
}

// A TESTSET before the jump at `node` copies the tested value to a
// register when it jumps. Point it at `reg`, or make it a plain TEST when
// no register wants the value (or the value is already there). Returns
// false when the jump is not controlled by a TESTSET.
static bool patchtestreg(FuncState* fs, int node, int reg) {
  Instruction& i = getjumpcontrol(fs, node);
  if (GET_OPCODE(i) != OP_TESTSET) return false;
  const int tested = GETARG_B(i);
  if (reg == NO_REG || reg == tested)
    i = CREATE_ABCk(OP_TEST, tested, 0, 0, GETARG_k(i));
  else
    SETARG_A(i, reg);
  return true;
}

// Drops the values the jumps of `list` would produce.
static void removevalues(FuncState* fs, int list) {
  for (int pc : JumpList(fs, list)) patchtestreg(fs, pc, NO_REG);
}

// Patches `list`: jumps whose TESTSET delivers a value into `reg` go to
// `vtarget`, the others to `dtarget`.
static void patchlistaux(FuncState* fs, int list, int vtarget, int reg,
                         int dtarget) {
  for (int pc : JumpList(fs, list)) {
    const bool delivers = patchtestreg(fs, pc, reg);
    fixjump(fs, pc, delivers ? vtarget : dtarget);
  }
}

// With no register to fill, every jump of the list, TESTSET or not, goes
// to `target` and its value is dropped.
void luaK_patchlist(FuncState* fs, int list, int target) {
  lua_assert(target <= fs->pc);  // backwards, or to here
  for (int pc : JumpList(fs, list)) {
    patchtestreg(fs, pc, NO_REG);
    fixjump(fs, pc, target);
  }
}

void luaK_patchtohere(FuncState* fs, int list) {
  luaK_patchlist(fs, list, luaK_getlabel(fs));
}

// Line information (invariant LINEINFO).
constexpr int MAXIWTHABS = 128;     // instructions between absolute lines
constexpr int LIMLINEDIFF = 0x80;   // deltas must fit a signed byte
constexpr int ABSLINEINFO = -0x80;  // marks an absolute entry

// Records the line of the last instruction: a delta from the previous
// one, or an absolute entry when the delta is too big or too many deltas
// have passed since the last absolute entry.
static void savelineinfo(FuncState* fs, int line) {
  lua_State* L = fs->ls->L;
  Proto& f = *fs->f;
  const int pc = fs->pc - 1;
  int delta = line - fs->previousline;
  // (the counter only advances when the delta itself would fit)
  const bool absolute =
      std::abs(delta) >= LIMLINEDIFF || fs->iwthabs++ >= MAXIWTHABS;
  if (absolute) {
    luaM_growvector(L, f.abslineinfo, fs->nabslineinfo, f.sizeabslineinfo,
                    MAX_INT, "lines");
    f.abslineinfo[fs->nabslineinfo++] = AbsLineInfo{pc, line};
    fs->iwthabs = 1;
    delta = ABSLINEINFO;
  }
  luaM_growvector(L, f.lineinfo, pc, f.sizelineinfo, MAX_INT, "opcodes");
  f.lineinfo[pc] = static_cast<ls_byte>(delta);
  fs->previousline = line;
}

// Undoes savelineinfo for the last instruction, so that the next line
// saved is relative to the one before it; when the removed entry was
// absolute, the chain of deltas is broken and the next entry must be
// absolute too.
static void removelastlineinfo(FuncState* fs) {
  const int pc = fs->pc - 1;
  const ls_byte delta = fs->f->lineinfo[pc];
  if (delta != ABSLINEINFO) {
    fs->previousline -= delta;
    fs->iwthabs--;
    return;
  }
  const AbsLineInfo& dropped = fs->f->abslineinfo[--fs->nabslineinfo];
  lua_assert(dropped.pc == pc);
  (void)dropped;
  fs->iwthabs = MAXIWTHABS + 1;
}

static void removelastinstruction(FuncState* fs) {
  removelastlineinfo(fs);
  fs->pc--;
}

int luaK_code(FuncState* fs, Instruction i) {
  Proto& f = *fs->f;
  const int pc = fs->pc;
  luaM_growvector(fs->ls->L, f.code, pc, f.sizecode, MAX_INT, "opcodes");
  f.code[pc] = i;
  fs->pc = pc + 1;
  savelineinfo(fs, fs->ls->lastline);
  return pc;
}

// Appends `i`, whose opcode must use instruction format `mode`.
static int codeformat(FuncState* fs, OpMode mode, Instruction i) {
  lua_assert(getOpMode(GET_OPCODE(i)) == mode);
  (void)mode;
  return luaK_code(fs, i);
}

int luaK_codeABCk(FuncState* fs, OpCode o, int a, int b, int c, int k) {
  lua_assert(a <= MAXARG_A && b <= MAXARG_B && c <= MAXARG_C && (k & ~1) == 0);
  return codeformat(fs, iABC, CREATE_ABCk(o, a, b, c, k));
}

int luaK_codeABx(FuncState* fs, OpCode o, int a, unsigned int bc) {
  lua_assert(a <= MAXARG_A && bc <= static_cast<unsigned int>(MAXARG_Bx));
  return codeformat(fs, iABx, CREATE_ABx(o, a, bc));
}

// The signed Bx is stored with an excess of OFFSET_sBx.
static int codeAsBx(FuncState* fs, OpCode o, int a, int sbx) {
  const auto bx = static_cast<unsigned int>(sbx + OFFSET_sBx);
  return codeformat(fs, iAsBx, CREATE_ABx(o, a, bx));
}

static int codesJ(FuncState* fs, OpCode o, int sj, int k) {
  lua_assert(-OFFSET_sJ <= sj && sj <= MAXARG_sJ - OFFSET_sJ);
  return codeformat(fs, isJ, CREATE_sJ(o, sj + OFFSET_sJ, k));
}

static int codeextraarg(FuncState* fs, int a) {
  lua_assert(a <= MAXARG_Ax);
  return codeformat(fs, iAx,
                    CREATE_Ax(OP_EXTRAARG, static_cast<unsigned int>(a)));
}

// Loads constant `k` into `reg`: LOADK, or LOADKX plus EXTRAARG when the
// index does not fit Bx.
static int luaK_codek(FuncState* fs, int reg, int k) {
  if (k <= MAXARG_Bx)
    return luaK_codeABx(fs, OP_LOADK, reg, static_cast<unsigned int>(k));
  const int loadkx = luaK_codeABx(fs, OP_LOADKX, reg, 0);
  codeextraarg(fs, k);
  return loadkx;
}

void luaK_checkstack(FuncState* fs, int n) {
  const int needed = fs->freereg + n;
  if (needed <= fs->f->maxstacksize) return;
  if (needed >= MAXREGS)
    luaX_syntaxerror(fs->ls, "function or expression needs too many registers");
  fs->f->maxstacksize = cast_byte(needed);
}

void luaK_reserveregs(FuncState* fs, int n) {
  luaK_checkstack(fs, n);
  fs->freereg = cast_byte(fs->freereg + n);
}

// Allocates the next register and returns it.
static int newreg(FuncState* fs) {
  luaK_reserveregs(fs, 1);
  return fs->freereg - 1;
}

// Frees `reg` if it is a temporary (not a local variable's register);
// temporaries go in stack order (invariant STACKORDER).
static void freereg(FuncState* fs, int reg) {
  if (reg < luaY_nvarstack(fs)) return;  // a local variable stays
  lua_assert(reg == fs->freereg - 1);
  fs->freereg = cast_byte(reg);
}

// Frees two registers, the one allocated last (the higher) first.
static void freeregs(FuncState* fs, int r1, int r2) {
  freereg(fs, std::max(r1, r2));
  freereg(fs, std::min(r1, r2));
}

static void freeexp(FuncState* fs, const expdesc& e) {
  if (e.k == VNONRELOC) freereg(fs, e.u.info);
}

// The register `e` owns, or -1 (below every register, so never freed).
static int ownreg(const expdesc& e) {
  return (e.k == VNONRELOC) ? e.u.info : -1;
}

static void freeexps(FuncState* fs, const expdesc& e1, const expdesc& e2) {
  freeregs(fs, ownreg(e1), ownreg(e2));
}

// Equality of two constants of the same variant (what luaV_rawequalobj
// reduces to for them).
static bool samekvalue(const TValue* a, const TValue* b) {
  lua_assert(ttypetag(a) == ttypetag(b));
  if (ttisinteger(a)) return ivalue(a) == ivalue(b);
  if (ttisfloat(a)) return fltvalue(a) == fltvalue(b);
  if (ttisshrstring(a)) return tsvalue(a) == tsvalue(b);  // interned
  if (ttislngstring(a)) return luaS_eqlngstr(tsvalue(a), tsvalue(b));
  return true;  // nil, false, true: the variant is the value
}

// May the scanner table's index `k` be reused for `v`? Only if it is an
// index of this function's constants (the table is shared by all the
// functions of the chunk) holding the same value, variant included.
static bool reusablek(FuncState* fs, int k, const TValue* v) {
  if (k >= fs->nk) return false;
  const TValue* old = &fs->f->k[k];
  return ttypetag(old) == ttypetag(v) && samekvalue(old, v);
}

// The index of constant `v` in the function's `k`, added if new. `key`
// finds it in the scanner table (invariant KDEDUP).
static int addk(FuncState* fs, TValue* key, TValue* v) {
  const TValue* known = luaH_get(fs->ls->h, key);
  if (ttisinteger(known)) {
    const int k = cast_int(ivalue(known));
    if (reusablek(fs, k, v)) return k;
  }
  lua_State* L = fs->ls->L;
  Proto& f = *fs->f;
  const int k = fs->nk;
  TValue index;
  setivalue(&index, k);  // an integer: no write barrier needed
  luaH_finishset(L, fs->ls->h, key, known, &index);
  const int oldsize = f.sizek;
  luaM_growvector(L, f.k, k, f.sizek, MAXARG_Ax, "constants");
  // the collector traverses every slot, so new ones must hold a value
  for (TValue* slot = f.k + oldsize; slot < f.k + f.sizek; ++slot)
    setnilvalue(slot);
  setobj(L, &f.k[k], v);
  fs->nk = k + 1;
  luaC_barrier(L, &f, v);
  return k;
}

// A constant that is its own key in the scanner table.
static int selfkeyedk(FuncState* fs, TValue value) {
  return addk(fs, &value, &value);
}

static int stringK(FuncState* fs, TString* s) {
  TValue value;
  setsvalue(fs->ls->L, &value, s);
  return selfkeyedk(fs, value);
}

static int luaK_intK(FuncState* fs, lua_Integer n) {
  TValue value;
  setivalue(&value, n);
  return selfkeyedk(fs, value);
}

// A float with an integral value would find the integer's entry in the
// scanner table (table keys normalise 2.0 to 2), so it is keyed by a
// nearby float that is not integral: r + r*2^-52 (or 2^-52 for zero).
static int luaK_numberK(FuncState* fs, lua_Number r) {
  TValue value;
  setfltvalue(&value, r);
  lua_Integer asint;
  if (!luaV_flttointns(r, &asint, F2Ieq)) return selfkeyedk(fs, value);
  constexpr lua_Number eps = std::numeric_limits<lua_Number>::epsilon();
  const lua_Number standin = (asint == 0) ? eps : r + r * eps;
  // (from 2^53 up the stand-in is integral too, and may share an entry
  // with an integer constant; reusablek tells the variants apart)
  lua_assert(!luaV_flttointns(standin, &asint, F2Ieq) || std::fabs(r) >= 1e6);
  TValue key;
  setfltvalue(&key, standin);
  return addk(fs, &key, &value);
}

static int boolF(FuncState* fs) {
  TValue value;
  setbfvalue(&value);
  return selfkeyedk(fs, value);
}

static int boolT(FuncState* fs) {
  TValue value;
  setbtvalue(&value);
  return selfkeyedk(fs, value);
}

// nil cannot be a table key; the scanner table itself stands for it.
static int nilK(FuncState* fs) {
  TValue key, value;
  setnilvalue(&value);
  sethvalue(fs->ls->L, &key, fs->ls->h);
  return addk(fs, &key, &value);
}

// Does `i` fit the signed 8-bit form of the C operand?
static bool fitsC(lua_Integer i) {
  return static_cast<lua_Unsigned>(i) + OFFSET_sC <=
         static_cast<lua_Unsigned>(MAXARG_C);
}

// Does `i` fit the signed Bx operand?
static bool fitsBx(lua_Integer i) {
  return -OFFSET_sBx <= i && i <= MAXARG_Bx - OFFSET_sBx;
}

// A small integer travels inside LOADI; others become constants.
void luaK_int(FuncState* fs, int reg, lua_Integer i) {
  if (!fitsBx(i)) {
    luaK_codek(fs, reg, luaK_intK(fs, i));
    return;
  }
  codeAsBx(fs, OP_LOADI, reg, cast_int(i));
}

// An integral float in the sBx range loads with LOADF, with no constant.
static void luaK_float(FuncState* fs, int reg, lua_Number f) {
  lua_Integer fi;
  const bool immediate = luaV_flttointns(f, &fi, F2Ieq) && fitsBx(fi);
  if (!immediate) {
    luaK_codek(fs, reg, luaK_numberK(fs, f));
    return;
  }
  codeAsBx(fs, OP_LOADF, reg, cast_int(fi));
}

// The expression for constant value `v` (of a compile-time constant).
static void const2exp(const TValue* v, expdesc& e) {
  if (ttisinteger(v)) {
    e.k = VKINT;
    e.u.ival = ivalue(v);
  } else if (ttisfloat(v)) {
    e.k = VKFLT;
    e.u.nval = fltvalue(v);
  } else if (ttisstring(v)) {
    e.k = VKSTR;
    e.u.strval = tsvalue(v);
  } else if (ttisnil(v)) {
    e.k = VNIL;
  } else {
    lua_assert(ttisboolean(v));
    e.k = ttistrue(v) ? VTRUE : VFALSE;
  }
}

// C is the number of results plus one (0: all of them). A call's results
// start at its base register; a vararg also needs its target register,
// the next free one.
void luaK_setreturns(FuncState* fs, expdesc* e, int nresults) {
  Instruction& i = getinstruction(fs, e);
  SETARG_C(i, nresults + 1);
  if (e->k == VCALL) return;
  lua_assert(e->k == VVARARG);
  SETARG_A(i, newreg(fs));
}

static void str2K(FuncState* fs, expdesc& e) {
  lua_assert(e.k == VKSTR);
  const int k = stringK(fs, e.u.strval);
  e.k = VK;
  e.u.info = k;
}

// A call already returns one value (C == 2) in its base register; a
// vararg is told to produce one, wherever it will be put.
void luaK_setoneret(FuncState* fs, expdesc* e) {
  if (e->k == VCALL) {
    const Instruction call = getinstruction(fs, e);
    lua_assert(GETARG_C(call) == 2);
    toregister(*e, GETARG_A(call));
  } else if (e->k == VVARARG) {
    SETARG_C(getinstruction(fs, e), 2);
    e->k = VRELOC;
  }
}

namespace {

// The instructions that read and write each kind of indexed variable.
struct IndexedOps {
  OpCode get;
  OpCode set;
};

}  // namespace

static constexpr IndexedOps indexedops(expkind k) {
  switch (k) {
    case VINDEXUP:
      return {OP_GETTABUP, OP_SETTABUP};  // table: an upvalue
    case VINDEXI:
      return {OP_GETI, OP_SETI};  // key: a small integer
    case VINDEXSTR:
      return {OP_GETFIELD, OP_SETFIELD};  // key: a short string constant
    default:
      lua_assert(k == VINDEXED);
      return {OP_GETTABLE, OP_SETTABLE};  // key: a register
  }
}

// Reads indexed variable `e`. The registers of the table and the key are
// released first, so the value may land in one of them.
static void dischargeindexed(FuncState* fs, expdesc& e) {
  const int t = e.u.ind.t;
  const int key = e.u.ind.idx;
  if (e.k == VINDEXED)
    freeregs(fs, t, key);
  else if (e.k != VINDEXUP)  // there `t` is an upvalue, not a register
    freereg(fs, t);
  torelocatable(e, luaK_codeABC(fs, indexedops(e.k).get, 0, t, key));
}

void luaK_dischargevars(FuncState* fs, expdesc* e) {
  switch (e->k) {
    case VCONST:
      const2exp(const2val(fs, *e), *e);
      return;
    case VLOCAL:
      toregister(*e, e->u.var.ridx);
      return;
    case VUPVAL:
      torelocatable(*e, luaK_codeABC(fs, OP_GETUPVAL, 0, e->u.info, 0));
      return;
    case VINDEXUP:
    case VINDEXI:
    case VINDEXSTR:
    case VINDEXED:
      dischargeindexed(fs, *e);
      return;
    case VVARARG:
    case VCALL:
      luaK_setoneret(fs, e);
      return;
    default:
      return;  // already a value
  }
}

// Puts the value of `e` in register `reg`, except for a VJMP, whose value
// exists only as its jump lists (exp2reg handles those).
static void discharge2reg(FuncState* fs, expdesc& e, int reg) {
  luaK_dischargevars(fs, &e);
  switch (e.k) {
    case VNIL:
      luaK_nil(fs, reg, 1);
      break;
    case VFALSE:
    case VTRUE:
      luaK_codeABC(fs, (e.k == VTRUE) ? OP_LOADTRUE : OP_LOADFALSE, reg, 0, 0);
      break;
    case VKSTR:
      str2K(fs, e);
      [[fallthrough]];
    case VK:
      luaK_codek(fs, reg, e.u.info);
      break;
    case VKFLT:
      luaK_float(fs, reg, e.u.nval);
      break;
    case VKINT:
      luaK_int(fs, reg, e.u.ival);
      break;
    case VRELOC:
      SETARG_A(getinstruction(fs, &e), reg);  // the open target, filled in
      break;
    case VNONRELOC:
      if (e.u.info != reg) luaK_codeABC(fs, OP_MOVE, reg, e.u.info, 0);
      break;
    default:
      lua_assert(e.k == VJMP);
      return;
  }
  toregister(e, reg);
}

static void discharge2anyreg(FuncState* fs, expdesc& e) {
  if (e.k != VNONRELOC) discharge2reg(fs, e, newreg(fs));
}

// Puts `e` in a register and releases that register at once: the
// instruction coded next reads it before anything can reuse it.
static int usereg(FuncState* fs, expdesc& e) {
  discharge2anyreg(fs, e);
  freeexp(fs, e);
  return e.u.info;
}

// The LFALSESKIP/LOADTRUE pair that gives comparisons a value. Jumps land
// on each, so each is a label (nothing merges into what precedes it).
static int code_loadbool(FuncState* fs, int reg, OpCode op) {
  luaK_getlabel(fs);
  return luaK_codeABC(fs, op, reg, 0, 0);
}

// Does some jump of `list` produce no value by itself (a comparison, not
// a TESTSET), so that a boolean must be loaded for it?
static bool need_value(FuncState* fs, int list) {
  for (int pc : JumpList(fs, list))
    if (GET_OPCODE(getjumpcontrol(fs, pc)) != OP_TESTSET) return true;
  return false;
}

// Lands the jump lists of `e` (whose own value is in `reg`, or which is a
// bare VJMP) with their values in `reg`. TESTSET jumps deliver their
// operand there; comparison jumps go through a LFALSESKIP/LOADTRUE pair,
// which the value computed in line jumps over.
static void patchvalues(FuncState* fs, const expdesc& e, int reg) {
  int onfalse = NO_JUMP;  // where valueless jumps of each list land
  int ontrue = NO_JUMP;
  if (need_value(fs, e.t) || need_value(fs, e.f)) {
    const int skip = (e.k == VJMP) ? NO_JUMP : luaK_jump(fs);
    onfalse = code_loadbool(fs, reg, OP_LFALSESKIP);
    ontrue = code_loadbool(fs, reg, OP_LOADTRUE);
    luaK_patchtohere(fs, skip);
  }
  const int end = luaK_getlabel(fs);
  patchlistaux(fs, e.f, end, reg, onfalse);
  patchlistaux(fs, e.t, end, reg, ontrue);
}

// Puts the whole value of `e`, jump lists included, in `reg`.
static void exp2reg(FuncState* fs, expdesc& e, int reg) {
  discharge2reg(fs, e, reg);
  if (e.k == VJMP) luaK_concat(fs, &e.t, e.u.info);  // it jumps when true
  if (hasjumps(e)) patchvalues(fs, e, reg);
  e.t = NO_JUMP;
  e.f = NO_JUMP;
  toregister(e, reg);
}

void luaK_exp2nextreg(FuncState* fs, expdesc* e) {
  luaK_dischargevars(fs, e);
  freeexp(fs, *e);  // its register may be the next one
  exp2reg(fs, *e, newreg(fs));
}

// A value in a temporary register with jumps can collect them in place; a
// local's register cannot (the jumps would overwrite the variable), so it
// is copied to the next register.
int luaK_exp2anyreg(FuncState* fs, expdesc* e) {
  luaK_dischargevars(fs, e);
  const bool inreg = e->k == VNONRELOC;
  if (inreg && !hasjumps(*e)) return e->u.info;
  const bool temporary = inreg && e->u.info >= luaY_nvarstack(fs);
  if (temporary)
    exp2reg(fs, *e, e->u.info);
  else
    luaK_exp2nextreg(fs, e);
  return e->u.info;
}

// An upvalue without jumps is already an operand (of GETTABUP).
void luaK_exp2anyregup(FuncState* fs, expdesc* e) {
  const bool operand = e->k == VUPVAL && !hasjumps(*e);
  if (!operand) luaK_exp2anyreg(fs, e);
}

void luaK_exp2val(FuncState* fs, expdesc* e) {
  if (!hasjumps(*e)) {
    luaK_dischargevars(fs, e);
    return;
  }
  luaK_exp2anyreg(fs, e);
}

// The index in `k` of constant `e` (added if needed), or -1 when `e` is
// not a constant.
static int constindex(FuncState* fs, const expdesc& e) {
  switch (e.k) {
    case VTRUE:
      return boolT(fs);
    case VFALSE:
      return boolF(fs);
    case VNIL:
      return nilK(fs);
    case VKINT:
      return luaK_intK(fs, e.u.ival);
    case VKFLT:
      return luaK_numberK(fs, e.u.nval);
    case VKSTR:
      return stringK(fs, e.u.strval);
    case VK:
      return e.u.info;
    default:
      return -1;
  }
}

// Makes `e` a K operand (VK with an index that fits B or C) if it is a
// constant without jumps, and returns true; else leaves it unchanged. A
// constant whose index is too big stays in `k` all the same.
static bool luaK_exp2K(FuncState* fs, expdesc& e) {
  if (hasjumps(e)) return false;
  const int k = constindex(fs, e);
  if (k < 0 || k > MAXINDEXRK) return false;
  e.k = VK;
  e.u.info = k;
  return true;
}

// A K operand if possible (returns true), else a register. It changes only
// `e`; the caller puts the index where its opcode wants it: in C with the
// k bit set (codeABRK), or in B for EQK.
static bool luaK_exp2RK(FuncState* fs, expdesc& e) {
  if (luaK_exp2K(fs, e)) return true;
  luaK_exp2anyreg(fs, &e);
  return false;
}

// An instruction whose C operand is `ec`, a register or (k set) a
// constant.
static void codeABRK(FuncState* fs, OpCode o, int a, int b, expdesc& ec) {
  const bool isk = luaK_exp2RK(fs, ec);
  luaK_codeABCk(fs, o, a, b, ec.u.info, isk);
}

void luaK_storevar(FuncState* fs, expdesc* var, expdesc* ex) {
  if (var->k == VLOCAL) {
    freeexp(fs, *ex);
    exp2reg(fs, *ex, var->u.var.ridx);  // computed straight into the local
    return;
  }
  if (var->k == VUPVAL) {
    const int value = luaK_exp2anyreg(fs, ex);
    luaK_codeABC(fs, OP_SETUPVAL, value, var->u.info, 0);
  } else {
    const OpCode set = indexedops(var->k).set;
    codeABRK(fs, set, var->u.ind.t, var->u.ind.idx, *ex);
  }
  freeexp(fs, *ex);
}

// SELF puts the method in a new base register and the object above it,
// ready for the call's arguments.
void luaK_self(FuncState* fs, expdesc* e, expdesc* key) {
  const int object = luaK_exp2anyreg(fs, e);
  freeexp(fs, *e);
  const int base = fs->freereg;
  luaK_reserveregs(fs, 2);  // the method, and the object again
  codeABRK(fs, OP_SELF, base, object, *key);
  freeexp(fs, *key);
  toregister(*e, base);
}

// Inverts the comparison of the VJMP `e` by flipping its k bit.
static void negatecondition(FuncState* fs, const expdesc& e) {
  Instruction& test = getjumpcontrol(fs, e.u.info);
  lua_assert(testTMode(GET_OPCODE(test)) && GET_OPCODE(test) != OP_TESTSET &&
             GET_OPCODE(test) != OP_TEST);
  SETARG_k(test, !GETARG_k(test));
}

// Jumps when `e` is `cond`; returns the jump.
static int jumponcond(FuncState* fs, expdesc& e, bool cond) {
  if (e.k == VRELOC) {
    const Instruction last = getinstruction(fs, &e);
    if (GET_OPCODE(last) == OP_NOT) {
      // `not x` just coded: drop it, and test x the other way round
      removelastinstruction(fs);
      return condjump(fs, OP_TEST, GETARG_B(last), 0, 0, !cond);
    }
  }
  return condjump(fs, OP_TESTSET, NO_REG, usereg(fs, e), 0, cond);
}

// The jump taken when `e` is false (NO_JUMP: never), and the one taken
// when it is true.
static int jumpiffalse(FuncState* fs, expdesc& e) {
  if (e.k == VJMP) {
    negatecondition(fs, e);  // it jumped when true
    return e.u.info;
  }
  return isalwaystrue(e.k) ? NO_JUMP : jumponcond(fs, e, false);
}

static int jumpiftrue(FuncState* fs, expdesc& e) {
  if (e.k == VJMP) return e.u.info;
  return isalwaysfalse(e.k) ? NO_JUMP : jumponcond(fs, e, true);
}

// Falls through when `e` is true; its false exits are collected in `f`,
// and its true exits land here.
void luaK_goiftrue(FuncState* fs, expdesc* e) {
  luaK_dischargevars(fs, e);
  luaK_concat(fs, &e->f, jumpiffalse(fs, *e));
  luaK_patchtohere(fs, std::exchange(e->t, NO_JUMP));
}

void luaK_goiffalse(FuncState* fs, expdesc* e) {
  luaK_dischargevars(fs, e);
  luaK_concat(fs, &e->t, jumpiftrue(fs, *e));
  luaK_patchtohere(fs, std::exchange(e->f, NO_JUMP));
}

// `not e`: folded for constants, a flipped test for a condition, OP_NOT
// otherwise. The jump lists swap, and lose their values (a negated value
// is a boolean, not the operand).
static void codenot(FuncState* fs, expdesc& e) {
  if (isalwaysfalse(e.k)) {
    e.k = VTRUE;
  } else if (isalwaystrue(e.k)) {
    e.k = VFALSE;
  } else if (e.k == VJMP) {
    negatecondition(fs, e);
  } else {
    lua_assert(e.k == VRELOC || e.k == VNONRELOC);
    torelocatable(e, luaK_codeABC(fs, OP_NOT, 0, usereg(fs, e), 0));
  }
  std::swap(e.t, e.f);
  for (int list : {e.f, e.t}) removevalues(fs, list);
}

// A short string constant whose index fits B (GETFIELD's key).
static bool isKstr(FuncState* fs, const expdesc& e) {
  if (e.k != VK || hasjumps(e) || e.u.info > MAXARG_B) return false;
  return ttisshrstring(&fs->f->k[e.u.info]);
}

bool luaK_isKint(const expdesc* e) {
  return e->k == VKINT && !hasjumps(*e);
}

// An integer constant that fits the unsigned C operand (GETI's key).
static bool isCint(const expdesc& e) {
  if (!luaK_isKint(&e)) return false;
  return static_cast<lua_Unsigned>(e.u.ival) <=
         static_cast<lua_Unsigned>(MAXARG_C);
}

// An integer constant that fits the signed C operand.
static bool isSCint(const expdesc& e) {
  return luaK_isKint(&e) && fitsC(e.u.ival);
}

// A numeral with an integral value that fits the signed C operand: sets
// `operand` to its encoding. `isfloat` is set for any integral float, even
// one that does not fit: luac does the same, and codeorder shares the flag
// between its two tries, which shows in the listing (`1 < 1000.0`).
static bool isSCnumber(const expdesc& e, int& operand, bool& isfloat) {
  lua_Integer i;
  if (e.k == VKINT)
    i = e.u.ival;
  else if (e.k == VKFLT && luaV_flttointns(e.u.nval, &i, F2Ieq))
    isfloat = true;
  else
    return false;
  if (hasjumps(e) || !fitsC(i)) return false;
  operand = int2sC(cast_int(i));
  return true;
}

// t[k] picks the cheapest access: an upvalue table with a string key
// (GETTABUP, for globals), a string key (GETFIELD), a small integer
// (GETI), or a key in a register (GETTABLE).
void luaK_indexed(FuncState* fs, expdesc* t, expdesc* k) {
  if (k->k == VKSTR) str2K(fs, *k);
  lua_assert(!hasjumps(*t) &&
             (t->k == VLOCAL || t->k == VNONRELOC || t->k == VUPVAL));
  const bool strkey = isKstr(fs, *k);
  if (t->k == VUPVAL && !strkey) luaK_exp2anyreg(fs, t);  // GETTABUP needs one
  // (the union shares storage: read everything before writing `ind`)
  const int table = (t->k == VLOCAL) ? t->u.var.ridx : t->u.info;
  expkind kind;
  int key;
  if (t->k == VUPVAL) {
    kind = VINDEXUP;
    key = k->u.info;
  } else if (strkey) {
    kind = VINDEXSTR;
    key = k->u.info;
  } else if (isCint(*k)) {
    kind = VINDEXI;
    key = cast_int(k->u.ival);
  } else {
    kind = VINDEXED;
    key = luaK_exp2anyreg(fs, k);
  }
  t->u.ind.t = cast_byte(table);
  t->u.ind.idx = static_cast<short>(key);
  t->k = kind;
}

static_assert(LUA_OPBAND + 4 == LUA_OPSHR, "bitwise operators in a row");

// Does `v` have an integer value (an integer, or an integral float)?
static bool isintegral(const TValue* v) {
  lua_Integer i;
  return luaV_tointegerns(v, &i, F2Ieq);
}

// May `op` be folded at compile time? Not when it would raise an error at
// run time instead: a bitwise operation on a non-integral float, or a
// division or modulo by zero.
static bool validop(int op, const TValue* v1, const TValue* v2) {
  const bool bitwise =
      (LUA_OPBAND <= op && op <= LUA_OPSHR) || op == LUA_OPBNOT;
  if (bitwise) return isintegral(v1) && isintegral(v2);
  const bool divides = op == LUA_OPDIV || op == LUA_OPIDIV || op == LUA_OPMOD;
  return !divides || nvalue(v2) != 0;
}

// Folds `e1 op e2` into `e1` when both are numerals and the operation is
// safe. A float result of NaN or zero is not folded: the constant table
// could not tell 0.0 from -0.0, and NaN is not a valid key.
static bool constfolding(FuncState* fs, int op, expdesc& e1,
                         const expdesc& e2) {
  TValue a, b, result;
  const bool foldable =
      tonumeral(e1, &a) && tonumeral(e2, &b) && validop(op, &a, &b);
  if (!foldable) return false;
  luaO_rawarith(fs->ls->L, op, &a, &b, &result);
  if (ttisinteger(&result)) {
    e1.k = VKINT;
    e1.u.ival = ivalue(&result);
    return true;
  }
  const lua_Number n = fltvalue(&result);
  if (std::isnan(n) || n == 0) return false;
  e1.k = VKFLT;
  e1.u.nval = n;
  return true;
}

// Binary operators map to the arithmetic opcodes (from `base`: OP_ADD,
// OP_ADDK) and to the metamethod events by their order.
static_assert(OPR_SHR - OPR_ADD == OP_SHR - OP_ADD);
static_assert(OPR_BXOR - OPR_ADD == OP_BXORK - OP_ADDK);
static_assert(OPR_SHR - OPR_ADD ==
              static_cast<int>(TM_SHR) - static_cast<int>(TM_ADD));

static constexpr OpCode binopr2op(BinOpr opr, OpCode base) {
  return static_cast<OpCode>(base + (opr - OPR_ADD));
}

static constexpr TMS binopr2TM(BinOpr opr) {
  return static_cast<TMS>(static_cast<int>(TM_ADD) + (opr - OPR_ADD));
}

// Codes an instruction and credits it to the operator's `line` rather
// than to the last token read.
static int codeABCkline(FuncState* fs, int line, OpCode o, int a, int b, int c,
                        int k) {
  const int pc = luaK_codeABCk(fs, o, a, b, c, k);
  luaK_fixline(fs, line);
  return pc;
}

// Unary operators that operate on a register (UNM, BNOT, LEN).
static void codeunexpval(FuncState* fs, OpCode op, expdesc& e, int line) {
  const int operand = luaK_exp2anyreg(fs, &e);
  freeexp(fs, e);
  torelocatable(e, codeABCkline(fs, line, op, 0, operand, 0, 0));
}

// Emits binary `op` (first operand in a register, second `v2`: register,
// constant or immediate) followed by the MMBIN* that calls the metamethod
// when the fast path fails; `flip` says the operands were swapped.
static void finishbinexpval(FuncState* fs, expdesc& e1, expdesc& e2, OpCode op,
                            int v2, bool flip, int line, OpCode mmop,
                            TMS event) {
  const int v1 = luaK_exp2anyreg(fs, &e1);
  const int pc = codeABCkline(fs, line, op, 0, v1, v2, 0);
  freeexps(fs, e1, e2);
  torelocatable(e1, pc);
  codeABCkline(fs, line, mmop, v1, v2, static_cast<int>(event), flip);
}

// Both operands in registers.
static void codebinexpval(FuncState* fs, BinOpr opr, expdesc& e1, expdesc& e2,
                          int line) {
  lua_assert(foldbinop(opr));
  const int v2 = luaK_exp2anyreg(fs, &e2);
  lua_assert((VNIL <= e1.k && e1.k <= VKSTR) || e1.k == VNONRELOC ||
             e1.k == VRELOC);
  finishbinexpval(fs, e1, e2, binopr2op(opr, OP_ADD), v2, false, line, OP_MMBIN,
                  binopr2TM(opr));
}

// Second operand an immediate (ADDI, SHRI, SHLI).
static void codebini(FuncState* fs, OpCode op, expdesc& e1, expdesc& e2,
                     bool flip, int line, TMS event) {
  lua_assert(e2.k == VKINT);
  const int immediate = int2sC(cast_int(e2.u.ival));
  finishbinexpval(fs, e1, e2, op, immediate, flip, line, OP_MMBINI, event);
}

// Second operand a K constant (ADDK ... BXORK).
static void codebinK(FuncState* fs, BinOpr opr, expdesc& e1, expdesc& e2,
                     bool flip, int line) {
  finishbinexpval(fs, e1, e2, binopr2op(opr, OP_ADDK), e2.u.info, flip, line,
                  OP_MMBINK, binopr2TM(opr));
}

// `x - I` and `x >> ...` forms: `op` is coded with -I when both I and -I
// fit the immediate operand, and the metamethod still gets the original I.
static bool finishbinexpneg(FuncState* fs, expdesc& e1, expdesc& e2, OpCode op,
                            int line, TMS event) {
  if (!luaK_isKint(&e2)) return false;
  const lua_Integer i = e2.u.ival;
  if (!fitsC(i) || !fitsC(-i)) return false;
  finishbinexpval(fs, e1, e2, op, int2sC(cast_int(-i)), false, line, OP_MMBINI,
                  event);
  Instruction& mmbini = instat(fs, fs->pc - 1);
  SETARG_B(mmbini, int2sC(cast_int(i)));
  return true;
}

// Arithmetic: a numeral second operand becomes a K operand; otherwise
// both operands go to registers, in source order.
static void codearith(FuncState* fs, BinOpr opr, expdesc& e1, expdesc& e2,
                      bool flip, int line) {
  const bool kform = tonumeral(e2, nullptr) && luaK_exp2K(fs, e2);
  if (kform) {
    codebinK(fs, opr, e1, e2, flip, line);
    return;
  }
  if (flip) std::swap(e1, e2);
  codebinexpval(fs, opr, e1, e2, line);
}

// + and *: a numeral first operand is moved second (flip records it for
// the metamethod); `x + I` uses ADDI.
static void codecommutative(FuncState* fs, BinOpr opr, expdesc& e1, expdesc& e2,
                            int line) {
  const bool flip = tonumeral(e1, nullptr);
  if (flip) std::swap(e1, e2);
  const bool addi = opr == OPR_ADD && isSCint(e2);
  if (!addi) {
    codearith(fs, opr, e1, e2, flip, line);
    return;
  }
  codebini(fs, OP_ADDI, e1, e2, flip, line, TM_ADD);
}

// &, |, ~: commutative, with K forms for integer constants only. Beware
// luaK_exp2RK's side effect: an integer first operand whose constant does not
// fit a K operand goes to a register right away, before the second.
static void codebitwise(FuncState* fs, BinOpr opr, expdesc& e1, expdesc& e2,
                        int line) {
  const bool kfirst = e1.k == VKINT && luaK_exp2RK(fs, e1);
  if (kfirst) {
    std::swap(e1, e2);  // the constant goes second
  } else if (!(e2.k == VKINT && luaK_exp2RK(fs, e2))) {
    codebinexpval(fs, opr, e1, e2, line);
    return;
  }
  lua_assert(ttisinteger(&fs->f->k[e2.u.info]));
  codebinK(fs, opr, e1, e2, kfirst, line);
}

// < and <= (and > and >= swapped into them): an immediate operand when
// one side is a small number; `I < x` becomes `x > I`.
static void codeorder(FuncState* fs, OpCode op, expdesc& e1, expdesc& e2) {
  int immediate;
  bool isfloat = false;
  int a, b;
  if (isSCnumber(e2, immediate, isfloat)) {
    a = luaK_exp2anyreg(fs, &e1);
    b = immediate;
    op = (op == OP_LT) ? OP_LTI : OP_LEI;
  } else if (isSCnumber(e1, immediate, isfloat)) {
    a = luaK_exp2anyreg(fs, &e2);
    b = immediate;
    op = (op == OP_LT) ? OP_GTI : OP_GEI;
  } else {
    a = luaK_exp2anyreg(fs, &e1);
    b = luaK_exp2anyreg(fs, &e2);
  }
  freeexps(fs, e1, e2);
  e1.u.info = condjump(fs, op, a, b, isfloat, true);
  e1.k = VJMP;
}

// == and ~=: the register operand goes first (luaK_infix left a numeral
// or a constant unplaced); the other may be an immediate or a K operand.
static void codeeq(FuncState* fs, BinOpr opr, expdesc& e1, expdesc& e2) {
  if (e1.k != VNONRELOC) {
    lua_assert(e1.k == VK || e1.k == VKINT || e1.k == VKFLT);
    std::swap(e1, e2);
  }
  const int a = luaK_exp2anyreg(fs, &e1);
  int b;
  bool isfloat = false;
  OpCode op = OP_EQ;
  if (isSCnumber(e2, b, isfloat)) {
    op = OP_EQI;
  } else if (luaK_exp2RK(fs, e2)) {
    op = OP_EQK;
    b = e2.u.info;
  } else {
    b = luaK_exp2anyreg(fs, &e2);
  }
  freeexps(fs, e1, e2);
  e1.u.info = condjump(fs, op, a, b, isfloat, opr == OPR_EQ);
  e1.k = VJMP;
}

static_assert(OPR_BNOT - OPR_MINUS == LUA_OPBNOT - LUA_OPUNM);
static_assert(OPR_LEN - OPR_MINUS == OP_LEN - OP_UNM);

// `not` has its own code. Unary minus and ~ fold numerals (with a zero
// as the second operand luaO_rawarith expects); # never folds.
void luaK_prefix(FuncState* fs, UnOpr opr, expdesc* e, int line) {
  static constexpr expdesc zero = {VKINT, {0}, NO_JUMP, NO_JUMP};
  luaK_dischargevars(fs, e);
  if (opr == OPR_NOT) {
    codenot(fs, *e);
    return;
  }
  const bool folded =
      opr != OPR_LEN && constfolding(fs, LUA_OPUNM + opr, *e, zero);
  if (!folded)
    codeunexpval(fs, static_cast<OpCode>(OP_UNM + (opr - OPR_MINUS)), *e, line);
}

// What the first operand needs before the second is parsed: a logical
// operator emits its test now, concatenation needs consecutive registers,
// and numerals stay unplaced in case they fold or become immediates (or,
// for equality, K operands).
void luaK_infix(FuncState* fs, BinOpr op, expdesc* v) {
  luaK_dischargevars(fs, v);
  int immediate;
  bool isfloat;
  switch (op) {
    case OPR_AND:
      luaK_goiftrue(fs, v);
      return;
    case OPR_OR:
      luaK_goiffalse(fs, v);
      return;
    case OPR_CONCAT:
      luaK_exp2nextreg(fs, v);
      return;
    case OPR_EQ:
    case OPR_NE:
      if (!tonumeral(*v, nullptr)) luaK_exp2RK(fs, *v);
      return;
    case OPR_LT:
    case OPR_LE:
    case OPR_GT:
    case OPR_GE:
      if (!isSCnumber(*v, immediate, isfloat)) luaK_exp2anyreg(fs, v);
      return;
    default:
      lua_assert(foldbinop(op));  // the arithmetic and bitwise operators
      if (!tonumeral(*v, nullptr)) luaK_exp2anyreg(fs, v);
      return;
  }
}

// a .. b .. c is right associative, so `e2` may already be a CONCAT of
// the registers just above `e1`: then that one instruction grows by one
// operand instead of a second CONCAT being coded.
static void codeconcat(FuncState* fs, expdesc& e1, expdesc& e2, int line) {
  freeexp(fs, e2);  // consumed either way
  Instruction* last = previousinstruction(fs);
  if (GET_OPCODE(*last) != OP_CONCAT) {
    codeABCkline(fs, line, OP_CONCAT, e1.u.info, 2, 0, 0);
    return;
  }
  lua_assert(e1.u.info + 1 == GETARG_A(*last));
  SETARG_B(*last, GETARG_B(*last) + 1);
  SETARG_A(*last, e1.u.info);
}

// `e1 and e2` / `e1 or e2`: luaK_infix already coded e1's test, so only
// its exits in one direction are open (`exits`: f for and, t for or). They
// join e2's, and the result is e2.
static void codelogical(FuncState* fs, expdesc& e1, expdesc& e2,
                        int expdesc::*exits) {
  luaK_concat(fs, &(e2.*exits), e1.*exits);
  e1 = e2;
}

// `I << x` has an immediate form; `x << I` is coded as `x >> -I`.
static void codeshl(FuncState* fs, expdesc& e1, expdesc& e2, int line) {
  if (isSCint(e1)) {
    std::swap(e1, e2);
    codebini(fs, OP_SHLI, e1, e2, true, line, TM_SHL);
  } else if (!finishbinexpneg(fs, e1, e2, OP_SHRI, line, TM_SHL)) {
    codebinexpval(fs, OPR_SHL, e1, e2, line);
  }
}

// `x >> I` has an immediate form; `I >> x` does not.
static void codeshr(FuncState* fs, expdesc& e1, expdesc& e2, int line) {
  if (!isSCint(e2)) {
    codebinexpval(fs, OPR_SHR, e1, e2, line);
    return;
  }
  codebini(fs, OP_SHRI, e1, e2, false, line, TM_SHR);
}

static_assert(OPR_LE - OPR_LT == OP_LE - OP_LT);
static_assert(OPR_GE - OPR_GT == OP_LE - OP_LT);

void luaK_posfix(FuncState* fs, BinOpr opr, expdesc* e1, expdesc* e2,
                 int line) {
  luaK_dischargevars(fs, e2);
  if (foldbinop(opr) && constfolding(fs, LUA_OPADD + opr, *e1, *e2)) return;
  expdesc& a = *e1;
  expdesc& b = *e2;
  switch (opr) {
    case OPR_AND:
      lua_assert(a.t == NO_JUMP);
      codelogical(fs, a, b, &expdesc::f);
      return;
    case OPR_OR:
      lua_assert(a.f == NO_JUMP);
      codelogical(fs, a, b, &expdesc::t);
      return;
    case OPR_CONCAT:
      luaK_exp2nextreg(fs, e2);
      codeconcat(fs, a, b, line);
      return;
    case OPR_ADD:
    case OPR_MUL:
      codecommutative(fs, opr, a, b, line);
      return;
    case OPR_SUB:
      if (!finishbinexpneg(fs, a, b, OP_ADDI, line, TM_SUB))
        codearith(fs, opr, a, b, false, line);  // x - I is x + -I
      return;
    case OPR_DIV:
    case OPR_IDIV:
    case OPR_MOD:
    case OPR_POW:
      codearith(fs, opr, a, b, false, line);
      return;
    case OPR_BAND:
    case OPR_BOR:
    case OPR_BXOR:
      codebitwise(fs, opr, a, b, line);
      return;
    case OPR_SHL:
      codeshl(fs, a, b, line);
      return;
    case OPR_SHR:
      codeshr(fs, a, b, line);
      return;
    case OPR_EQ:
    case OPR_NE:
      codeeq(fs, opr, a, b);
      return;
    case OPR_LT:
    case OPR_LE:
      codeorder(fs, static_cast<OpCode>(OP_LT + (opr - OPR_LT)), a, b);
      return;
    case OPR_GT:
    case OPR_GE:
      std::swap(a, b);  // a > b is b < a; a >= b is b <= a
      codeorder(fs, static_cast<OpCode>(OP_LT + (opr - OPR_GT)), a, b);
      return;
    default:
      lua_assert(false);
  }
}

void luaK_fixline(FuncState* fs, int line) {
  removelastlineinfo(fs);
  savelineinfo(fs, line);
}

// B is the hash size as ceil(log2)+1 (0 for none); the array size goes in
// C, with its higher part in the EXTRAARG, and k says there is one.
void luaK_settablesize(FuncState* fs, int pc, int ra, int asize, int hsize) {
  const int rb =
      (hsize == 0) ? 0 : luaO_ceillog2(static_cast<unsigned int>(hsize)) + 1;
  const int high = asize / CSPAN;
  Instruction* newtable = &instat(fs, pc);
  newtable[0] = CREATE_ABCk(OP_NEWTABLE, ra, rb, asize % CSPAN, high > 0);
  newtable[1] = CREATE_Ax(OP_EXTRAARG, static_cast<unsigned int>(high));
}

// B counts the values (0: up to the top), C the items already stored (the
// higher part in an EXTRAARG, with k set, when it does not fit).
void luaK_setlist(FuncState* fs, int base, int nelems, int tostore) {
  lua_assert(tostore != 0 && tostore <= LFIELDS_PER_FLUSH);
  const int count = (tostore == LUA_MULTRET) ? 0 : tostore;
  if (nelems < CSPAN) {
    luaK_codeABC(fs, OP_SETLIST, base, count, nelems);
  } else {
    luaK_codeABCk(fs, OP_SETLIST, base, count, nelems % CSPAN, 1);
    codeextraarg(fs, nelems / CSPAN);
  }
  fs->freereg = cast_byte(base + 1);  // the list values are consumed
}

// Where a chain of jumps starting at `pc` really ends. At most 100 hops:
// that also stops a loop of jumps.
static int finaltarget(const Instruction* code, int pc) {
  for (int hops = 0; hops < 100 && GET_OPCODE(code[pc]) == OP_JMP; hops++)
    pc += GETARG_sJ(code[pc]) + 1;
  return pc;
}

// A general return closes the upvalues (k) when some need it, and in a
// vararg function it must also restore the frame, whose shift C encodes.
static void finishreturn(FuncState* fs, Instruction& ret) {
  if (fs->needclose) SETARG_k(ret, 1);
  if (fs->f->is_vararg) SETARG_C(ret, fs->f->numparams + 1);
}

void luaK_finish(FuncState* fs) {
  Instruction* code = fs->f->code;
  for (int pc = 0; pc < fs->pc; pc++) {
    Instruction& i = code[pc];
    lua_assert(pc == 0 || isOT(code[pc - 1]) == isIT(i));  // invariant TOP
    switch (GET_OPCODE(i)) {
      case OP_RETURN0:
      case OP_RETURN1:
        if (!fs->needclose && !fs->f->is_vararg) break;  // fast form stays
        SET_OPCODE(i, OP_RETURN);
        finishreturn(fs, i);
        break;
      case OP_RETURN:
      case OP_TAILCALL:
        finishreturn(fs, i);
        break;
      case OP_JMP:
        fixjump(fs, pc, finaltarget(code, pc));
        break;
      default:
        break;
    }
  }
}

// The target of jump-like instruction `i` at `pc`, or -1.
static int jumptarget(Instruction i, int pc) {
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

// Violations of LINEINFO's bookkeeping: every ABSLINEINFO mark has its
// absolute entry, in pc order.
static int check_lineinfo(const Proto* f) {
  int bad = 0;
  int entry = 0;
  for (int pc = 0; pc < f->sizelineinfo; pc++) {
    if (f->lineinfo[pc] != ABSLINEINFO) continue;
    if (entry >= f->sizeabslineinfo || f->abslineinfo[entry].pc != pc) bad++;
    entry++;
  }
  if (entry != f->sizeabslineinfo) bad++;
  return bad;
}

int check_code(const Proto* f) {
  int bad = 0;
  if (f->sizecode <= 0 || f->sizelineinfo != f->sizecode) bad++;
  for (int pc = 0; pc < f->sizecode; pc++) {
    const Instruction i = f->code[pc];
    const int target = jumptarget(i, pc);
    if (target != -1 && (target < 0 || target > f->sizecode)) bad++;
    if (pc > 0 && isOT(f->code[pc - 1]) != isIT(i)) bad++;  // TOP
  }
  bad += check_lineinfo(f);
  if (f->maxstacksize > MAXREGS) bad++;
  for (int i = 0; i < f->sizep; i++) bad += check_code(f->p[i]);
  return bad;
}

}  // namespace lua
