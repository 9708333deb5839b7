/// \file
/// The parser: a recursive-descent reader of Lua 5.4's grammar that drives
/// the code generator as it goes, with scopes, upvalues, gotos and labels.
///
/// Mirrors: Lua 5.4 lparser.c
/// Book: chapter 7
///
/// Design: one function per grammar rule, in Lua's order (the complete
/// syntax is section 9 of the reference manual). Expressions are parsed
/// by precedence climbing (subexpr) into `expdesc`s; statements emit code
/// at once. Scopes are `BlockCnt`s chained on the C++ stack, one per block.
///
/// - **Invariant FREEREG** (lparser.hpp) is restored after every
///   statement: `statement` resets freereg to luaY_nvarstack.
/// - **Invariant NESTING.** Every recursive rule (statement, subexpr,
///   restassign) holds one level of `L->nCcalls` while it runs (a
///   `NestingLevel`), so deep nesting ends in "C stack overflow" at
///   LUAI_MAXCCALLS levels instead of overflowing the C++ stack.
/// - **Invariant GOTO.** A pending goto's `nactvar` is the number of
///   variables active where it would land if its label were in the current
///   block; leaving a block lowers it (movegotosout). A label closes the
///   pending gotos of its block with its name, and jumping forward into
///   the scope of a variable is an error.
/// - **Invariant ANCHOR** (llex.hpp) extends to prototypes: each new Proto
///   is stored in its parent's `p` at once, and the main closure and the
///   scanner table sit on the stack, so a collection during compilation
///   frees nothing in use. The slots a vector grows by are cleared before
///   anything else can allocate (growcleared).
/// - **Invariant KEYWORD.** `statement` consumes the keyword that starts a
///   statement before it calls the rule for it: `whilestat`, `forstat`,
///   `ifstat`, `breakstat`... start at the token after their keyword.
///
/// Differences from Lua:
/// - Invariant KEYWORD: Lua skips the keyword in some rules and in
///   `statement` for others; one place is easier to check. No code is
///   emitted between the two places, so the line information is the same.
/// - Lua's `enterlevel`/`leavelevel` macros are functions, used through
///   the `NestingLevel` guard, so that no early return can skip a
///   `leavelevel`.
/// - `priority` also holds each binary operator's token, and getbinopr
///   reads a table built from it at compile time instead of a switch.
/// - `codename` and `yindex` return the key they read, and the rules for
///   parameters, local names, return values and the `if ... then break`
///   shortcut are split into named helpers.
/// - luaY_compile and luaY_freedyndata are ours (see lparser.hpp); they sit
///   in a marked section at the end.
#include "lparser/lparser.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <optional>
#include <span>
#include <string_view>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/lcode.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"

namespace lua {

/// A block being compiled: its scope and what leaving it must do.
struct BlockCnt {
  BlockCnt* previous = nullptr;  ///< the enclosing block
  int firstlabel = 0;            ///< index of its first label in dyd->label
  int firstgoto = 0;             ///< index of its first pending goto in dyd->gt
  lu_byte nactvar = 0;           ///< active locals outside the block
  bool upval = false;            ///< some local of the block is an upvalue
  bool isloop = false;           ///< a loop: 'break' lands at its end
  bool insidetbc = false;  ///< inside the scope of a to-be-closed variable
};

namespace {

/// Largest number of active local variables in a function.
constexpr int MAXVARS = 200;

bool hasmultret(expkind k) {
  return k == VCALL || k == VVARARG;
}

// Names compare by identity: the lexer interns every name of a chunk
// (long ones through the scanner table).
bool eqstr(const TString* a, const TString* b) {
  return a == b;
}

// The entries of a label or goto list from index `from` on.
std::span<Labeldesc> entries(Labellist& list, int from) {
  return {list.arr + from, list.arr + list.n};
}

// Grows vector `v` so that index `n` exists, and clears the new slots:
// they hold pointers the collector may look at (invariant ANCHOR).
template <class T>
void growcleared(lua_State* L, T*& v, int n, int& size, int limit,
                 const char* what) {
  const int oldsize = size;
  luaM_growvector(L, v, n, size, limit, what);
  std::fill(v + oldsize, v + size, T{});
}

// The name under which 'break' is a goto (to a label at the loop's end).
TString* breakname(LexState* ls) {
  return luaS_newliteral(ls->L, "break");
}

// Emits a CLOSE of the upvalues and to-be-closed variables from register
// `level` up.
void closefrom(FuncState* fs, int level) {
  luaK_codeABC(fs, OP_CLOSE, level, 0, 0);
}

void statement(LexState* ls);
void expr(LexState* ls, expdesc* v);
BinOpr subexpr(LexState* ls, expdesc* v, int limit);

[[noreturn]] void error_expected(LexState* ls, int token) {
  const char* name = luaX_token2str(ls, token);
  luaX_syntaxerror(ls, luaO_pushfstring(ls->L, "%s expected", name));
}

[[noreturn]] void errorlimit(FuncState* fs, int limit, const char* what) {
  LexState* ls = fs->ls;
  const int line = fs->f->linedefined;
  const char* where = "main function";
  if (line != 0) where = luaO_pushfstring(ls->L, "function at line %d", line);
  luaX_syntaxerror(
      ls, luaO_pushfstring(ls->L, "too many %s (limit is %d) in %s", what,
                           limit, where));
}

void checklimit(FuncState* fs, int v, int l, const char* what) {
  if (v > l) errorlimit(fs, l, what);
}

// Consumes the current token if it is `c`.
bool testnext(LexState* ls, int c) {
  if (ls->t.token != c) return false;
  luaX_next(ls);
  return true;
}

void check(LexState* ls, int c) {
  if (ls->t.token != c) error_expected(ls, c);
}

void checknext(LexState* ls, int c) {
  check(ls, c);
  luaX_next(ls);
}

void check_condition(LexState* ls, bool c, const char* msg) {
  if (!c) luaX_syntaxerror(ls, msg);
}

// Consumes `what`, which closes `who` opened at line `where`; the error
// names the opening token when it is on another line.
void check_match(LexState* ls, int what, int who, int where) {
  if (testnext(ls, what)) [[likely]]
    return;
  if (where == ls->linenumber) error_expected(ls, what);
  luaX_syntaxerror(
      ls, luaO_pushfstring(ls->L, "%s expected (to close %s at line %d)",
                           luaX_token2str(ls, what), luaX_token2str(ls, who),
                           where));
}

TString* str_checkname(LexState* ls) {
  check(ls, TK_NAME);
  TString* const name = ls->t.seminfo.ts;  // luaX_next replaces t
  luaX_next(ls);
  return name;
}

// A descriptor of kind `k`, with no pending jumps and a cleared payload.
expdesc fresh_exp(expkind k) {
  return expdesc{k, {}, NO_JUMP, NO_JUMP};
}

void init_exp(expdesc* e, expkind k, int i) {
  *e = fresh_exp(k);
  e->u.info = i;
}

void codestring(expdesc* e, TString* s) {
  *e = fresh_exp(VKSTR);
  e->u.strval = s;
}

// NAME, as a string constant (a field name or a method name).
expdesc codename(LexState* ls) {
  expdesc name;
  codestring(&name, str_checkname(ls));
  return name;
}

// Adds a local's debug entry (name and start pc) to the prototype and
// returns its index.
int registerlocalvar(LexState* ls, FuncState* fs, TString* varname) {
  Proto* f = fs->f;
  growcleared(ls->L, f->locvars, fs->ndebugvars, f->sizelocvars, SHRT_MAX,
              "local variables");
  const int idx = fs->ndebugvars++;
  f->locvars[idx] = LocVar{varname, fs->pc, 0};  // endpc: see removevars
  luaC_objbarrier(ls->L, f, varname);
  return idx;
}

// Declares a local variable, not yet active (adjustlocalvars activates
// it); returns its index among the function's variables.
int new_localvar(LexState* ls, TString* name) {
  auto& actvar = ls->dyd->actvar;
  const int vidx = actvar.n - ls->fs->firstlocal;
  checklimit(ls->fs, vidx + 1, MAXVARS, "local variables");
  luaM_growvector(ls->L, actvar.arr, actvar.n + 1, actvar.size, USHRT_MAX,
                  "local variables");
  actvar.arr[actvar.n++].vd = {VDKREG, 0, 0, name};
  return vidx;
}

// An interned name made from a string literal (anchored, as the lexer's).
template <std::size_t N>
TString* literalname(LexState* ls, const char (&name)[N]) {
  return luaX_newstring(ls, name, N - 1);
}

template <std::size_t N>
int new_localvarliteral(LexState* ls, const char (&v)[N]) {
  return new_localvar(ls, literalname(ls, v));
}

Vardesc* getlocalvardesc(FuncState* fs, int vidx) {
  return &fs->ls->dyd->actvar.arr[fs->firstlocal + vidx];
}

// Does the variable live in a register? Compile-time constants do not.
bool inregister(const Vardesc& var) {
  return var.vd.kind != RDKCTC;
}

// The register level of the first `nvar` variables: one above the
// register of the last of them that lives in a register.
int reglevel(FuncState* fs, int nvar) {
  for (int vidx = nvar - 1; vidx >= 0; vidx--) {
    const Vardesc& var = *getlocalvardesc(fs, vidx);
    if (inregister(var)) return var.vd.ridx + 1;
  }
  return 0;
}

}  // namespace

int luaY_nvarstack(FuncState* fs) {
  return reglevel(fs, fs->nactvar);
}

namespace {

// The debug entry of variable `vidx`; compile-time constants have none.
LocVar* localdebuginfo(FuncState* fs, int vidx) {
  const Vardesc& var = *getlocalvardesc(fs, vidx);
  if (!inregister(var)) return nullptr;
  lua_assert(var.vd.pidx < fs->ndebugvars);
  return &fs->f->locvars[var.vd.pidx];
}

void init_var(FuncState* fs, expdesc* e, int vidx) {
  *e = fresh_exp(VLOCAL);
  e->u.var = {getlocalvardesc(fs, vidx)->vd.ridx,
              static_cast<unsigned short>(vidx)};
}

// The name of the variable `e` stands for when that variable may not be
// assigned (a <const> or <close> local, or an upvalue of one); null for
// anything else.
TString* readonlyname(LexState* ls, const expdesc* e) {
  switch (e->k) {
    case VCONST:
      return ls->dyd->actvar.arr[e->u.info].vd.name;
    case VLOCAL: {
      const Vardesc& var = *getlocalvardesc(ls->fs, e->u.var.vidx);
      return var.vd.kind == VDKREG ? nullptr : var.vd.name;
    }
    case VUPVAL: {
      const Upvaldesc& up = ls->fs->f->upvalues[e->u.info];
      return up.kind == VDKREG ? nullptr : up.name;
    }
    default:
      return nullptr;
  }
}

void check_readonly(LexState* ls, expdesc* e) {
  const TString* name = readonlyname(ls, e);
  if (name == nullptr) return;
  luaK_semerror(
      ls, luaO_pushfstring(ls->L, "attempt to assign to const variable '%s'",
                           getstr(name)));
}

// Activates the last `nvars` declared variables: each gets the next
// register and a debug entry starting here.
void adjustlocalvars(LexState* ls, int nvars) {
  FuncState* fs = ls->fs;
  for (int reg = luaY_nvarstack(fs); nvars > 0; nvars--, reg++) {
    Vardesc& var = *getlocalvardesc(fs, fs->nactvar++);
    var.vd.ridx = cast_byte(reg);
    var.vd.pidx = static_cast<short>(registerlocalvar(ls, fs, var.vd.name));
  }
}

// Ends the scope of the variables above `tolevel`: their debug entries
// end at the current pc.
void removevars(FuncState* fs, int tolevel) {
  fs->ls->dyd->actvar.n -= fs->nactvar - tolevel;
  for (int vidx = fs->nactvar - 1; vidx >= tolevel; vidx--)
    if (LocVar* debug = localdebuginfo(fs, vidx)) debug->endpc = fs->pc;
  fs->nactvar = cast_byte(tolevel);
}

int searchupvalue(FuncState* fs, TString* name) {
  const std::span<const Upvaldesc> ups(fs->f->upvalues, fs->nups);
  const auto found = std::find_if(
      ups.begin(), ups.end(), [&](auto& up) { return eqstr(up.name, name); });
  return found == ups.end() ? -1 : static_cast<int>(found - ups.begin());
}

Upvaldesc* allocupvalue(FuncState* fs) {
  Proto* f = fs->f;
  checklimit(fs, fs->nups + 1, MAXUPVAL, "upvalues");
  growcleared(fs->ls->L, f->upvalues, fs->nups, f->sizeupvalues, MAXUPVAL,
              "upvalues");
  return &f->upvalues[fs->nups++];
}

// How a function nested in `prev` reaches `prev`'s variable `v`: as a
// local of `prev` (instack) or as one of its upvalues. The upvalue
// inherits the variable's kind, so that a <const> stays read-only.
Upvaldesc capture(FuncState* prev, TString* name, const expdesc* v) {
  if (v->k == VLOCAL) {
    const Vardesc& var = *getlocalvardesc(prev, v->u.var.vidx);
    return {name, 1, v->u.var.ridx, var.vd.kind};
  }
  const Upvaldesc& outer = prev->f->upvalues[v->u.info];
  return {name, 0, cast_byte(v->u.info), outer.kind};
}

// A new upvalue of `fs` for variable `v` of the enclosing function.
int newupvalue(FuncState* fs, TString* name, expdesc* v) {
  const Upvaldesc desc = capture(fs->prev, name, v);
  const int idx = fs->nups;
  *allocupvalue(fs) = desc;
  luaC_objbarrier(fs->ls->L, fs->f, name);
  return idx;
}

// Looks `n` up among the active locals of `fs`, innermost first; returns
// the kind found (VLOCAL or VCONST) or -1.
int searchvar(FuncState* fs, TString* n, expdesc* var) {
  for (int vidx = fs->nactvar - 1; vidx >= 0; vidx--) {
    const Vardesc& local = *getlocalvardesc(fs, vidx);
    if (!eqstr(n, local.vd.name)) continue;
    if (inregister(local))
      init_var(fs, var, vidx);
    else  // a compile-time constant, found by its absolute index
      init_exp(var, VCONST, fs->firstlocal + vidx);
    return var->k;
  }
  return -1;
}

// The innermost block of `fs` in which variable `level` is active: the
// block that declares it.
BlockCnt* declaringblock(FuncState* fs, int level) {
  BlockCnt* bl = fs->bl;
  while (bl->nactvar > level) bl = bl->previous;
  return bl;
}

// Variable `level` is captured by a closure: the block that declares it
// must close its upvalues when it ends.
void markupval(FuncState* fs, int level) {
  declaringblock(fs, level)->upval = true;
  fs->needclose = true;
}

void marktobeclosed(FuncState* fs) {
  BlockCnt& bl = *fs->bl;
  bl.upval = true;
  bl.insidetbc = true;
  fs->needclose = true;
}

// Resolves `n` in `fs` and, failing that, in the enclosing functions,
// creating upvalues along the way back. VVOID means global. `base` is
// true in the function where the name is used (a local found there is
// not an upvalue).
void singlevaraux(FuncState* fs, TString* n, expdesc* var, bool base) {
  if (fs == nullptr) {  // past the main function: a global
    *var = fresh_exp(VVOID);
    return;
  }
  if (const int kind = searchvar(fs, n, var); kind >= 0) {
    if (kind == VLOCAL && !base) markupval(fs, var->u.var.vidx);
    return;
  }
  int idx = searchupvalue(fs, n);
  if (idx < 0) {  // not yet an upvalue of fs: ask the enclosing function
    singlevaraux(fs->prev, n, var, false);
    const bool captured = var->k == VLOCAL || var->k == VUPVAL;
    if (!captured) return;  // a global or a constant needs no upvalue
    idx = newupvalue(fs, n, var);
  }
  init_exp(var, VUPVAL, idx);
}

// The global `name`: the field _ENV.name, where _ENV is the usual
// upvalue of the main function or any variable of that name in scope.
void globalvar(LexState* ls, TString* name, expdesc* var) {
  singlevaraux(ls->fs, ls->envn, var, true);  // always found
  luaK_exp2anyregup(ls->fs, var);
  expdesc key;
  codestring(&key, name);
  luaK_indexed(ls->fs, var, &key);
}

// A name: a local, an upvalue, or a global, which is _ENV.name.
void singlevar(LexState* ls, expdesc* var) {
  TString* name = str_checkname(ls);
  singlevaraux(ls->fs, name, var, true);
  if (var->k == VVOID) globalvar(ls, name, var);
}

// Makes `nexps` values, the last one `e`, fill `nvars` consecutive
// registers: a multi-value last expression supplies the missing ones,
// otherwise nils do; extra values are dropped.
void adjust_assign(FuncState* fs, int nvars, int nexps, expdesc* e) {
  const int missing = nvars - nexps;  // negative when there are extras
  if (hasmultret(e->k)) {
    // the expression itself is one of the values it supplies
    luaK_setreturns(fs, e, std::max(missing + 1, 0));
  } else {
    if (e->k != VVOID) luaK_exp2nextreg(fs, e);
    if (missing > 0) luaK_nil(fs, fs->freereg, missing);
  }
  if (missing > 0)
    luaK_reserveregs(fs, missing);
  else  // forget the registers of the extra values
    fs->freereg = cast_byte(fs->freereg + missing);
}

// Invariant NESTING.
void enterlevel(LexState* ls) {
  luaE_incCstack(ls->L);
}

void leavelevel(LexState* ls) {
  ls->L->nCcalls--;
}

// Holds one nesting level for its lifetime (invariant NESTING).
class NestingLevel {
 public:
  explicit NestingLevel(LexState* ls) : ls_(ls) { enterlevel(ls); }
  ~NestingLevel() { leavelevel(ls_); }
  NestingLevel(const NestingLevel&) = delete;
  NestingLevel& operator=(const NestingLevel&) = delete;

 private:
  LexState* ls_;
};

[[noreturn]] void jumpscopeerror(LexState* ls, Labeldesc* gt) {
  const TString* local = getlocalvardesc(ls->fs, gt->nactvar)->vd.name;
  luaK_semerror(
      ls, luaO_pushfstring(
              ls->L, "<goto %s> at line %d jumps into the scope of local '%s'",
              getstr(gt->name), gt->line, getstr(local)));
}

// Points pending goto `g` at `label` and removes it from the list.
void solvegoto(LexState* ls, int g, Labeldesc* label) {
  Labellist& gotos = ls->dyd->gt;
  Labeldesc& gt = gotos.arr[g];
  lua_assert(eqstr(gt.name, label->name));
  if (gt.nactvar < label->nactvar) [[unlikely]]
    jumpscopeerror(ls, &gt);  // invariant GOTO
  luaK_patchlist(ls->fs, gt.pc, label->pc);
  std::copy(gotos.arr + g + 1, gotos.arr + gotos.n, gotos.arr + g);
  gotos.n--;
}

// A visible label called `name` in the current function (labels of
// closed blocks are already removed).
Labeldesc* findlabel(LexState* ls, TString* name) {
  for (Labeldesc& lb : entries(ls->dyd->label, ls->fs->firstlabel))
    if (eqstr(lb.name, name)) return &lb;
  return nullptr;
}

int newlabelentry(LexState* ls, Labellist* l, TString* name, int line, int pc) {
  luaM_growvector(ls->L, l->arr, l->n, l->size, SHRT_MAX, "labels/gotos");
  l->arr[l->n] = Labeldesc{name, pc, line, ls->fs->nactvar, 0};
  return l->n++;
}

int newgotoentry(LexState* ls, TString* name, int line, int pc) {
  return newlabelentry(ls, &ls->dyd->gt, name, line, pc);
}

// Resolves the pending gotos of the current block that go to `lb`;
// returns whether any of them needs to close upvalues.
bool solvegotos(LexState* ls, Labeldesc* lb) {
  Labellist& gotos = ls->dyd->gt;
  bool close = false;
  for (int i = ls->fs->bl->firstgoto; i < gotos.n;) {
    if (!eqstr(gotos.arr[i].name, lb->name)) {
      i++;
      continue;
    }
    close = close || gotos.arr[i].close != 0;
    solvegoto(ls, i, lb);  // entry i is now the next goto
  }
  return close;
}

// Creates a label here. A label that ends its block (`last`) sees the
// block's locals as already out of scope, so gotos may jump to it. When a
// resolved goto leaves the scope of an upvalue, the label starts with a
// CLOSE; returns whether it does.
bool createlabel(LexState* ls, TString* name, int line, bool last) {
  FuncState* fs = ls->fs;
  Labellist& labels = ls->dyd->label;
  const int l = newlabelentry(ls, &labels, name, line, luaK_getlabel(fs));
  Labeldesc& lb = labels.arr[l];
  if (last) lb.nactvar = fs->bl->nactvar;
  if (!solvegotos(ls, &lb)) return false;
  closefrom(fs, luaY_nvarstack(fs));
  return true;
}

// The pending gotos of block `bl`, which is ending, now belong to the
// enclosing block (invariant GOTO); those that leave the scope of a
// captured variable must close upvalues.
void movegotosout(FuncState* fs, const BlockCnt& bl) {
  const int outside = reglevel(fs, bl.nactvar);
  for (Labeldesc& gt : entries(fs->ls->dyd->gt, bl.firstgoto)) {
    const bool leavesregisters = reglevel(fs, gt.nactvar) > outside;
    if (leavesregisters && bl.upval) gt.close = 1;
    gt.nactvar = bl.nactvar;
  }
}

// Invariant FREEREG: the registers in use are those of the active locals.
[[maybe_unused]] bool onlylocalsinregisters(FuncState* fs) {
  return fs->freereg == luaY_nvarstack(fs);
}

void enterblock(FuncState* fs, BlockCnt* bl, bool isloop) {
  const Dyndata* dyd = fs->ls->dyd;
  const bool intbc = fs->bl != nullptr && fs->bl->insidetbc;
  *bl = BlockCnt{.previous = fs->bl,
                 .firstlabel = dyd->label.n,
                 .firstgoto = dyd->gt.n,
                 .nactvar = fs->nactvar,
                 .isloop = isloop,
                 .insidetbc = intbc};
  fs->bl = bl;
  lua_assert(onlylocalsinregisters(fs));
}

// A goto still pending at the end of the function's outermost block.
[[noreturn]] void undefgoto(LexState* ls, Labeldesc* gt) {
  const bool isbreak = eqstr(gt->name, breakname(ls));
  luaK_semerror(
      ls, isbreak ? luaO_pushfstring(ls->L, "break outside loop at line %d",
                                     gt->line)
                  : luaO_pushfstring(
                        ls->L, "no visible label '%s' for <goto> at line %d",
                        getstr(gt->name), gt->line));
}

// Ends the current block: its locals go out of scope, a loop's breaks
// land here, captured locals are closed, and its pending gotos move out.
void leaveblock(FuncState* fs) {
  const BlockCnt& bl = *fs->bl;
  LexState* ls = fs->ls;
  const int outside = reglevel(fs, bl.nactvar);  // the register level
  // The breaks' label closes what they leave; if it emitted a CLOSE, the
  // fall-through path shares it.
  const bool closed = bl.isloop && createlabel(ls, breakname(ls), 0, false);
  const bool nested = bl.previous != nullptr;
  if (!closed && nested && bl.upval) closefrom(fs, outside);
  fs->freereg = cast_byte(outside);
  removevars(fs, bl.nactvar);        // after the CLOSE, which is in their scope
  ls->dyd->label.n = bl.firstlabel;  // its labels are no longer visible
  fs->bl = bl.previous;
  if (nested) {
    movegotosout(fs, bl);
    return;
  }
  Labellist& gotos = ls->dyd->gt;
  if (bl.firstgoto < gotos.n) undefgoto(ls, &gotos.arr[bl.firstgoto]);
}

// A new prototype for a nested function, stored in the parent at once
// (invariant ANCHOR).
Proto* addprototype(LexState* ls) {
  lua_State* L = ls->L;
  Proto* parent = ls->fs->f;
  growcleared(L, parent->p, ls->fs->np, parent->sizep, MAXARG_Bx, "functions");
  Proto* child = luaF_newproto(L);
  parent->p[ls->fs->np++] = child;
  luaC_objbarrier(L, parent, child);
  return child;
}

// The CLOSURE for the function just compiled (the parent's last
// prototype), in the parent's next register.
void codeclosure(LexState* ls, expdesc* v) {
  FuncState* parent = ls->fs->prev;
  const auto last = static_cast<unsigned int>(parent->np - 1);
  init_exp(v, VRELOC, luaK_codeABx(parent, OP_CLOSURE, 0, last));
  luaK_exp2nextreg(parent, v);
}

// Starts compiling `fs->f`, nested in the function being compiled.
void open_func(LexState* ls, FuncState* fs, BlockCnt* bl) {
  Proto* f = fs->f;
  *fs = FuncState{.f = f,
                  .prev = ls->fs,
                  .ls = ls,
                  .previousline = f->linedefined,
                  .firstlocal = ls->dyd->actvar.n,
                  .firstlabel = ls->dyd->label.n};
  ls->fs = fs;
  f->source = ls->source;
  luaC_objbarrier(ls->L, f, f->source);
  f->maxstacksize = 2;  // registers 0 and 1 are always valid
  enterblock(fs, bl, false);
}

// Trims the prototype's vectors to the sizes the function used.
void shrinkvectors(lua_State* L, FuncState* fs) {
  Proto& f = *fs->f;
  luaM_shrinkvector(L, f.code, f.sizecode, fs->pc);
  luaM_shrinkvector(L, f.lineinfo, f.sizelineinfo, fs->pc);
  luaM_shrinkvector(L, f.abslineinfo, f.sizeabslineinfo, fs->nabslineinfo);
  luaM_shrinkvector(L, f.k, f.sizek, fs->nk);
  luaM_shrinkvector(L, f.p, f.sizep, fs->np);
  luaM_shrinkvector(L, f.locvars, f.sizelocvars, fs->ndebugvars);
  luaM_shrinkvector(L, f.upvalues, f.sizeupvalues, fs->nups);
}

// Finishes the current function: the final return, the last block, the
// final pass, and the vectors trimmed to their sizes.
void close_func(LexState* ls) {
  FuncState* fs = ls->fs;
  luaK_ret(fs, luaY_nvarstack(fs), 0);  // falling off the end returns
  leaveblock(fs);
  luaK_finish(fs);
  shrinkvectors(ls->L, fs);
  ls->fs = fs->prev;
  luaC_checkGC(ls->L);
}

// ---------------------------------------------------------------------------
// Grammar rules
// ---------------------------------------------------------------------------

// Does the current token end a block? 'until' does only for repeat.
bool block_follow(LexState* ls, bool withuntil) {
  const int token = ls->t.token;
  if (token == TK_UNTIL) return withuntil;
  return token == TK_ELSE || token == TK_ELSEIF || token == TK_END ||
         token == TK_EOS;
}

// statlist -> { stat [';'] }, where a return must be the last statement.
void statlist(LexState* ls) {
  while (!block_follow(ls, true)) {
    const bool isreturn = ls->t.token == TK_RETURN;
    statement(ls);
    if (isreturn) return;
  }
}

// fieldsel -> ['.' | ':'] NAME
void fieldsel(LexState* ls, expdesc* v) {
  luaK_exp2anyregup(ls->fs, v);  // the table, where an index can reach it
  luaX_next(ls);                 // the dot or colon
  expdesc key = codename(ls);
  luaK_indexed(ls->fs, v, &key);
}

// index -> '[' expr ']'; returns the key, as a value.
expdesc yindex(LexState* ls) {
  checknext(ls, '[');
  expdesc key;
  expr(ls, &key);
  luaK_exp2val(ls->fs, &key);
  checknext(ls, ']');
  return key;
}

// The state of a table constructor being parsed.
struct ConsControl {
  expdesc v;        ///< the last list item read (VVOID once stored)
  expdesc* t;       ///< the table descriptor
  int nh = 0;       ///< record fields
  int na = 0;       ///< list items already stored
  int tostore = 0;  ///< list items waiting in registers for a SETLIST

  // One SETLIST for the items waiting in registers; `count` is how many
  // values it stores (LUA_MULTRET: up to the top).
  void storepending(FuncState* fs, int count) {
    luaK_setlist(fs, t->u.info, na, count);
    na += tostore;
    tostore = 0;
  }
};

// recfield -> (NAME | '['exp']') = exp
void recfield(LexState* ls, ConsControl& cc) {
  FuncState* fs = ls->fs;
  const int firstfree = fs->freereg;  // key and value are temporaries
  checklimit(fs, cc.nh, MAX_INT, "items in a constructor");
  expdesc key = (ls->t.token == TK_NAME) ? codename(ls) : yindex(ls);
  cc.nh++;
  checknext(ls, '=');
  expdesc field = *cc.t;
  luaK_indexed(fs, &field, &key);
  expdesc value;
  expr(ls, &value);
  luaK_storevar(fs, &field, &value);
  fs->freereg = cast_byte(firstfree);
}

// Puts the previous list item in its register, flushing a full batch of
// LFIELDS_PER_FLUSH items with a SETLIST.
void closelistfield(FuncState* fs, ConsControl& cc) {
  if (cc.v.k == VVOID) return;  // no item pending
  luaK_exp2nextreg(fs, &cc.v);
  cc.v = fresh_exp(VVOID);
  if (cc.tostore == LFIELDS_PER_FLUSH) cc.storepending(fs, cc.tostore);
}

// Stores the remaining items; a call or vararg at the end contributes
// all its values, which the table's size hint cannot count.
void lastlistfield(FuncState* fs, ConsControl& cc) {
  if (cc.tostore == 0) return;
  if (!hasmultret(cc.v.k)) {
    if (cc.v.k != VVOID) luaK_exp2nextreg(fs, &cc.v);
    cc.storepending(fs, cc.tostore);
    return;
  }
  luaK_setmultret(fs, &cc.v);
  cc.storepending(fs, LUA_MULTRET);
  cc.na--;
}

// listfield -> exp
void listfield(LexState* ls, ConsControl& cc) {
  expr(ls, &cc.v);
  cc.tostore++;
}

// Does the next field have a key: `[exp] = exp` or `NAME = exp`?
bool haskey(LexState* ls) {
  if (ls->t.token == '[') return true;
  return ls->t.token == TK_NAME && luaX_lookahead(ls) == '=';
}

// field -> listfield | recfield
void field(LexState* ls, ConsControl& cc) {
  if (haskey(ls))
    recfield(ls, cc);
  else
    listfield(ls, cc);
}

// constructor -> '{' [ field { sep field } [sep] ] '}'
// Returns the table, in the next register. Its NEWTABLE and EXTRAARG are
// emitted first and given the table's sizes at the end.
expdesc constructor(LexState* ls) {
  FuncState* fs = ls->fs;
  const int line = ls->linenumber;
  const int pc = luaK_codeABC(fs, OP_NEWTABLE, 0, 0, 0);
  luaK_code(fs, 0);  // room for the EXTRAARG
  expdesc table;
  init_exp(&table, VNONRELOC, fs->freereg);
  luaK_reserveregs(fs, 1);
  ConsControl cc{.v = fresh_exp(VVOID), .t = &table};
  checknext(ls, '{');
  while (ls->t.token != '}') {
    closelistfield(fs, cc);
    field(ls, cc);
    const bool separator = testnext(ls, ',') || testnext(ls, ';');
    if (!separator) break;
  }
  check_match(ls, '}', '{', line);
  lastlistfield(fs, cc);
  luaK_settablesize(fs, pc, table.u.info, cc.na, cc.nh);
  return table;
}

void setvararg(FuncState* fs, int nparams) {
  fs->f->is_vararg = 1;
  luaK_codeABC(fs, OP_VARARGPREP, nparams, 0, 0);
}

// parlist -> [ {NAME ','} (NAME | '...') ]
void parlist(LexState* ls) {
  int nparams = 0;
  bool isvararg = false;
  for (bool more = ls->t.token != ')'; more; more = testnext(ls, ',')) {
    if (testnext(ls, TK_DOTS)) {
      isvararg = true;  // '...' ends the list
      break;
    }
    if (ls->t.token != TK_NAME)
      luaX_syntaxerror(ls, "<name> or '...' expected");
    new_localvar(ls, str_checkname(ls));
    nparams++;
  }
  adjustlocalvars(ls, nparams);
  FuncState* fs = ls->fs;
  fs->f->numparams = fs->nactvar;  // with 'self' for a method
  if (isvararg) setvararg(fs, fs->f->numparams);
  luaK_reserveregs(fs, fs->nactvar);
}

// Declares a local called `name` and activates it at once.
void activelocal(LexState* ls, TString* name) {
  new_localvar(ls, name);
  adjustlocalvars(ls, 1);
}

// body -> '(' parlist ')' block END
void body(LexState* ls, expdesc* e, bool ismethod, int line) {
  FuncState new_fs{.f = addprototype(ls)};
  BlockCnt bl;
  Proto* f = new_fs.f;
  f->linedefined = line;
  open_func(ls, &new_fs, &bl);
  if (ismethod) activelocal(ls, literalname(ls, "self"));  // parameter 0
  checknext(ls, '(');
  parlist(ls);
  checknext(ls, ')');
  statlist(ls);
  f->lastlinedefined = ls->linenumber;
  check_match(ls, TK_END, TK_FUNCTION, line);
  codeclosure(ls, e);
  close_func(ls);
}

// explist -> expr { ',' expr }; all but the last go to registers.
int explist(LexState* ls, expdesc* v) {
  int n = 0;
  for (;;) {
    expr(ls, v);
    n++;
    if (!testnext(ls, ',')) return n;
    luaK_exp2nextreg(ls->fs, v);
  }
}

// The current token, a string literal, as a string constant.
expdesc stringliteral(LexState* ls) {
  expdesc literal;
  codestring(&literal, ls->t.seminfo.ts);
  luaX_next(ls);
  return literal;
}

// The arguments of a call: '(' [ explist ] ')', a table constructor or a
// string. The last one is left open (an open call or vararg keeps all
// its values).
expdesc callargs(LexState* ls, int line) {
  if (ls->t.token == '{') return constructor(ls);
  if (ls->t.token == TK_STRING) return stringliteral(ls);
  if (!testnext(ls, '(')) luaX_syntaxerror(ls, "function arguments expected");
  expdesc args = fresh_exp(VVOID);  // no arguments
  if (ls->t.token != ')') {
    explist(ls, &args);
    if (hasmultret(args.k)) luaK_setmultret(ls->fs, &args);
  }
  check_match(ls, ')', '(', line);
  return args;
}

// funcargs -> callargs; the CALL itself. The function is in register
// `f->u.info`, the arguments above it.
void funcargs(LexState* ls, expdesc* f, int line) {
  FuncState* fs = ls->fs;
  expdesc args = callargs(ls, line);
  const int base = f->u.info;
  int nargs = LUA_MULTRET;  // up to the top, for an open last argument
  if (!hasmultret(args.k)) {
    if (args.k != VVOID) luaK_exp2nextreg(fs, &args);
    nargs = fs->freereg - (base + 1);
  }
  const int call = luaK_codeABC(fs, OP_CALL, base, nargs + 1, 2);
  init_exp(f, VCALL, call);
  luaK_fixline(fs, line);
  fs->freereg = cast_byte(base + 1);  // one result, unless changed later
}

// primaryexp -> NAME | '(' expr ')'
void primaryexp(LexState* ls, expdesc* v) {
  if (ls->t.token == TK_NAME) return singlevar(ls, v);
  const int line = ls->linenumber;
  if (!testnext(ls, '(')) luaX_syntaxerror(ls, "unexpected symbol");
  expr(ls, v);
  check_match(ls, ')', '(', line);
  luaK_dischargevars(ls->fs, v);  // (f()) is one value
}

// '[' exp ']' after table `v`: the indexed field.
void indexsel(LexState* ls, expdesc* v) {
  luaK_exp2anyregup(ls->fs, v);
  expdesc key = yindex(ls);
  luaK_indexed(ls->fs, v, &key);
}

// ':' NAME funcargs: SELF puts the method and `v` (its receiver) in
// consecutive registers, then the call follows.
void methodcall(LexState* ls, expdesc* v, int line) {
  checknext(ls, ':');
  expdesc method = codename(ls);
  luaK_self(ls->fs, v, &method);
  funcargs(ls, v, line);
}

// Do the arguments of a call start here?
bool startsargs(int token) {
  return token == '(' || token == '{' || token == TK_STRING;
}

// suffixedexp ->
//   primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }
void suffixedexp(LexState* ls, expdesc* v) {
  const int line = ls->linenumber;  // calls take the line of their start
  primaryexp(ls, v);
  for (;;) {
    const int token = ls->t.token;
    if (token == '.') {
      fieldsel(ls, v);
    } else if (token == '[') {
      indexsel(ls, v);
    } else if (token == ':') {
      methodcall(ls, v, line);
    } else if (startsargs(token)) {
      luaK_exp2nextreg(ls->fs, v);  // the function, below its arguments
      funcargs(ls, v, line);
    } else {
      return;
    }
  }
}

// simpleexp -> FLT | INT | STRING | NIL | TRUE | FALSE | ... |
//              constructor | FUNCTION body | suffixedexp
void simpleexp(LexState* ls, expdesc* v) {
  const SemInfo& value = ls->t.seminfo;
  switch (ls->t.token) {
    case TK_FLT:
      *v = fresh_exp(VKFLT);
      v->u.nval = value.r;
      break;
    case TK_INT:
      *v = fresh_exp(VKINT);
      v->u.ival = value.i;
      break;
    case TK_STRING:
      *v = stringliteral(ls);
      return;
    case TK_NIL:
      *v = fresh_exp(VNIL);
      break;
    case TK_TRUE:
      *v = fresh_exp(VTRUE);
      break;
    case TK_FALSE:
      *v = fresh_exp(VFALSE);
      break;
    case TK_DOTS:
      check_condition(ls, ls->fs->f->is_vararg,
                      "cannot use '...' outside a vararg function");
      init_exp(v, VVARARG, luaK_codeABC(ls->fs, OP_VARARG, 0, 0, 1));
      break;
    case '{':
      *v = constructor(ls);
      return;
    case TK_FUNCTION:
      checknext(ls, TK_FUNCTION);
      return body(ls, v, false, ls->linenumber);
    default:
      return suffixedexp(ls, v);
  }
  luaX_next(ls);  // the one token of a constant or '...'
}

UnOpr getunopr(int op) {
  switch (op) {
    case TK_NOT:
      return OPR_NOT;
    case '-':
      return OPR_MINUS;
    case '~':
      return OPR_BNOT;
    case '#':
      return OPR_LEN;
    default:
      return OPR_NOUNOPR;
  }
}

// Each binary operator, in BinOpr order: its token, then its left and
// right priorities. A right priority lower than the left one makes an
// operator right associative ('^' and '..').
struct Priority {
  int token;
  lu_byte left;
  lu_byte right;
};
constexpr Priority priority[] = {
    {'+', 10, 10},     {'-', 10, 10},                     // arithmetic
    {'*', 11, 11},     {'%', 11, 11},     {'^', 14, 13},  //
    {'/', 11, 11},     {TK_IDIV, 11, 11},                 //
    {'&', 6, 6},       {'|', 4, 4},       {'~', 5, 5},    // bitwise
    {TK_SHL, 7, 7},    {TK_SHR, 7, 7},                    //
    {TK_CONCAT, 9, 8},                                    // string
    {TK_EQ, 3, 3},     {'<', 3, 3},       {TK_LE, 3, 3},  // comparison
    {TK_NE, 3, 3},     {'>', 3, 3},       {TK_GE, 3, 3},  //
    {TK_AND, 2, 2},    {TK_OR, 1, 1}                      // logical
};
static_assert(std::ssize(priority) == OPR_NOBINOPR);

// The binary operator of each token, OPR_NOBINOPR for the others.
constexpr auto binopr_of = [] {
  std::array<BinOpr, TK_STRING + 1> table{};
  table.fill(OPR_NOBINOPR);
  for (int op = 0; op < OPR_NOBINOPR; op++)
    table[priority[op].token] = static_cast<BinOpr>(op);
  return table;
}();

BinOpr getbinopr(int op) {
  if (op < 0 || op >= static_cast<int>(binopr_of.size())) return OPR_NOBINOPR;
  return binopr_of[op];
}

constexpr int UNARY_PRIORITY = 12;

// The left operand of subexpr: a unary operator applied to its operand,
// or a simple expression.
void firstoperand(LexState* ls, expdesc* v) {
  const UnOpr uop = getunopr(ls->t.token);
  if (uop == OPR_NOUNOPR) return simpleexp(ls, v);
  const int line = ls->linenumber;
  luaX_next(ls);
  subexpr(ls, v, UNARY_PRIORITY);
  luaK_prefix(ls->fs, uop, v, line);
}

// subexpr -> (simpleexp | unop subexpr) { binop subexpr }
// Reads operators while they bind tighter than `limit`; returns the first
// operator it did not consume.
BinOpr subexpr(LexState* ls, expdesc* v, int limit) {
  NestingLevel level(ls);
  firstoperand(ls, v);
  BinOpr op = getbinopr(ls->t.token);
  while (op != OPR_NOBINOPR && priority[op].left > limit) {
    const int line = ls->linenumber;
    luaX_next(ls);
    luaK_infix(ls->fs, op, v);  // v waits for its right operand
    expdesc right;
    const BinOpr next = subexpr(ls, &right, priority[op].right);
    luaK_posfix(ls->fs, op, v, &right, line);
    op = next;
  }
  return op;
}

void expr(LexState* ls, expdesc* v) {
  subexpr(ls, v, 0);
}

// ---------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------

// block -> statlist
void block(LexState* ls) {
  BlockCnt bl;
  enterblock(ls->fs, &bl, false);
  statlist(ls);
  leaveblock(ls->fs);
}

// The variables on the left of a multiple assignment, linked backwards.
struct LHS_assign {
  LHS_assign* prev = nullptr;
  expdesc v{};
};

// If target `lhs` reads its table or key from the variable that `v`
// names, which the assignment may overwrite first, makes it read the copy
// in register `copy` instead; returns whether it did.
bool usecopy(expdesc& lhs, const expdesc& v, int copy) {
  if (!vkisindexed(lhs.k)) return false;
  if (lhs.k == VINDEXUP) {  // the table is an upvalue, the key a constant
    if (v.k != VUPVAL || lhs.u.ind.t != v.u.info) return false;
    lhs.k = VINDEXSTR;  // the table is now in a register
    lhs.u.ind.t = cast_byte(copy);
    return true;
  }
  if (v.k != VLOCAL) return false;
  bool changed = false;
  if (lhs.u.ind.t == v.u.var.ridx) {
    lhs.u.ind.t = cast_byte(copy);
    changed = true;
  }
  if (lhs.k == VINDEXED && lhs.u.ind.idx == v.u.var.ridx) {
    lhs.u.ind.idx = static_cast<short>(copy);
    changed = true;
  }
  return changed;
}

// In `a[i], i = ...` the table or key register of an earlier target may
// be the local (or the upvalue) that this target `v` assigns first.
// Those earlier targets then use a copy of the old value, made here.
void check_conflict(FuncState* fs, LHS_assign* lh, const expdesc* v) {
  const int copy = fs->freereg;
  bool conflict = false;
  for (LHS_assign* target = lh; target != nullptr; target = target->prev)
    conflict = usecopy(target->v, *v, copy) || conflict;
  if (!conflict) return;
  if (v->k == VLOCAL)  // copy the old value, before it changes
    luaK_codeABC(fs, OP_MOVE, copy, v->u.var.ridx, 0);
  else
    luaK_codeABC(fs, OP_GETUPVAL, copy, v->u.info, 0);
  luaK_reserveregs(fs, 1);
}

// '=' explist, for `nvars` targets of which `lh` is the last. Leaves the
// values in consecutive registers, except when the counts agree: then the
// last value goes straight into `lh`, and the result is true.
bool assignvalues(LexState* ls, LHS_assign& lh, int nvars) {
  checknext(ls, '=');
  expdesc e;
  const int nexps = explist(ls, &e);
  if (nexps != nvars) {
    adjust_assign(ls->fs, nvars, nexps, &e);
    return false;
  }
  luaK_setoneret(ls->fs, &e);
  luaK_storevar(ls->fs, &lh.v, &e);
  return true;
}

// restassign -> ',' suffixedexp restassign | '=' explist
// The values are computed into consecutive registers, then stored from
// the last target to the first as the recursion unwinds.
void restassign(LexState* ls, LHS_assign& lh, int nvars) {
  check_condition(ls, vkisvar(lh.v.k), "syntax error");
  check_readonly(ls, &lh.v);
  if (testnext(ls, ',')) {
    LHS_assign next{.prev = &lh};
    suffixedexp(ls, &next.v);
    if (!vkisindexed(next.v.k)) check_conflict(ls->fs, &lh, &next.v);
    NestingLevel level(ls);
    restassign(ls, next, nvars + 1);
  } else if (assignvalues(ls, lh, nvars)) {
    return;
  }
  expdesc top;  // the value for this target, on top of the stack
  init_exp(&top, VNONRELOC, ls->fs->freereg - 1);
  luaK_storevar(ls->fs, &lh.v, &top);
}

// cond -> exp; returns the jumps taken when it is false.
int cond(LexState* ls) {
  expdesc v;
  expr(ls, &v);
  if (v.k == VNIL) v.k = VFALSE;  // one kind of false is enough
  luaK_goiftrue(ls->fs, &v);
  return v.f;
}

// A goto to the visible label `lb`, behind it: close the variables the
// jump leaves, then jump.
void jumpback(FuncState* fs, const Labeldesc* lb) {
  const int target = reglevel(fs, lb->nactvar);
  if (luaY_nvarstack(fs) > target) closefrom(fs, target);
  const int jump = luaK_jump(fs);
  luaK_patchlist(fs, jump, lb->pc);
}

// goto NAME: backward to a visible label now, forward when it appears.
void gotostat(LexState* ls) {
  const int line = ls->linenumber;  // the line of NAME
  TString* name = str_checkname(ls);
  if (const Labeldesc* lb = findlabel(ls, name))
    jumpback(ls->fs, lb);
  else
    newgotoentry(ls, name, line, luaK_jump(ls->fs));
}

// break is a goto to the label "break" that each loop creates at its end.
void breakstat(LexState* ls, int line) {
  newgotoentry(ls, breakname(ls), line, luaK_jump(ls->fs));
}

void checkrepeated(LexState* ls, TString* name) {
  const Labeldesc* lb = findlabel(ls, name);
  if (lb != nullptr) [[unlikely]]
    luaK_semerror(
        ls, luaO_pushfstring(ls->L, "label '%s' already defined on line %d",
                             getstr(name), lb->line));
}

// label -> '::' NAME '::'. Empty statements and labels after it do not
// count: a label followed only by them still ends its block.
void labelstat(LexState* ls, TString* name, int line) {
  checknext(ls, TK_DBCOLON);
  while (ls->t.token == ';' || ls->t.token == TK_DBCOLON) statement(ls);
  checkrepeated(ls, name);
  createlabel(ls, name, line, block_follow(ls, false));
}

// whilestat -> WHILE cond DO block END
void whilestat(LexState* ls, int line) {
  FuncState* fs = ls->fs;
  const int top = luaK_getlabel(fs);  // where each round starts
  const int exits = cond(ls);
  BlockCnt loop;
  enterblock(fs, &loop, true);
  checknext(ls, TK_DO);
  block(ls);
  luaK_jumpto(fs, top);
  check_match(ls, TK_END, TK_WHILE, line);
  leaveblock(fs);
  luaK_patchtohere(fs, exits);
}

// When the body of a repeat loop has captured locals, going round again
// must close them too: the condition's false exits go to a CLOSE of
// register `level` and from there jump back. Returns those jumps back.
int closeonrepeat(FuncState* fs, int condexit, int level) {
  const int leave = luaK_jump(fs);  // the true exit skips the CLOSE
  luaK_patchtohere(fs, condexit);
  closefrom(fs, level);
  const int back = luaK_jump(fs);
  luaK_patchtohere(fs, leave);
  return back;
}

// repeatstat -> REPEAT block UNTIL cond. The condition sees the body's
// locals, so it is read inside their scope.
void repeatstat(LexState* ls, int line) {
  FuncState* fs = ls->fs;
  const int top = luaK_getlabel(fs);
  BlockCnt loop, scope;
  enterblock(fs, &loop, true);
  enterblock(fs, &scope, false);  // the body's locals
  statlist(ls);
  check_match(ls, TK_UNTIL, TK_REPEAT, line);
  int again = cond(ls);  // false: go round again
  leaveblock(fs);        // the scope
  if (scope.upval)
    again = closeonrepeat(fs, again, reglevel(fs, scope.nactvar));
  luaK_patchlist(fs, again, top);
  leaveblock(fs);  // the loop
}

// An expression into the next register (a for loop's control values).
void exp1(LexState* ls) {
  expdesc e;
  expr(ls, &e);
  luaK_exp2nextreg(ls->fs, &e);
}

// FORPREP/FORLOOP and their generic forms keep an unsigned Bx offset;
// `back` says it counts backwards.
void fixforjump(FuncState* fs, int pc, int dest, bool back) {
  const int next = pc + 1;
  const int offset = back ? next - dest : dest - next;
  if (offset > MAXARG_Bx) [[unlikely]]
    luaX_syntaxerror(fs->ls, "control structure too long");
  SETARG_Bx(fs->f->code[pc], offset);
}

// The body of a for loop, in a block of its own where its `nvars`
// declared variables live.
void forblock(LexState* ls, int nvars) {
  BlockCnt bl;
  enterblock(ls->fs, &bl, false);
  adjustlocalvars(ls, nvars);
  luaK_reserveregs(ls->fs, nvars);
  block(ls);
  leaveblock(ls->fs);
}

// Emits instruction `i` of a for loop's control, with the line of the
// 'for' (where errors in the loop's control are reported).
int codeforline(FuncState* fs, Instruction i, int line) {
  const int pc = luaK_code(fs, i);
  luaK_fixline(fs, line);
  return pc;
}

// forbody -> DO block. The loop's instructions take the `line` of 'for'.
void forbody(LexState* ls, int base, int line, int nvars, bool isgen) {
  FuncState* fs = ls->fs;
  checknext(ls, TK_DO);
  const int prep = luaK_codeABx(fs, isgen ? OP_TFORPREP : OP_FORPREP, base, 0);
  forblock(ls, nvars);
  fixforjump(fs, prep, luaK_getlabel(fs), false);
  if (isgen)  // the generic loop calls its iterator first
    codeforline(fs, CREATE_ABCk(OP_TFORCALL, base, 0, nvars, 0), line);
  const OpCode loop = isgen ? OP_TFORLOOP : OP_FORLOOP;
  const int endfor = codeforline(fs, CREATE_ABx(loop, base, 0), line);
  fixforjump(fs, endfor, prep + 1, true);
}

// Declares the `n` hidden variables a for loop keeps its state in.
void forstatevars(LexState* ls, int n) {
  while (n-- > 0) new_localvarliteral(ls, "(for state)");
}

// fornum -> NAME = exp, exp [, exp] forbody. Three hidden variables
// (initial value, limit, step) come first.
void fornum(LexState* ls, TString* varname, int line) {
  FuncState* fs = ls->fs;
  const int base = fs->freereg;
  forstatevars(ls, 3);
  new_localvar(ls, varname);
  for (const int separator : {'=', ','}) {  // '=' initial ',' limit
    checknext(ls, separator);
    exp1(ls);
  }
  if (testnext(ls, ',')) {
    exp1(ls);  // the step
  } else {     // the step is 1
    luaK_int(fs, fs->freereg, 1);
    luaK_reserveregs(fs, 1);
  }
  adjustlocalvars(ls, 3);
  forbody(ls, base, line, 1, false);
}

// forlist -> NAME {, NAME} IN explist forbody. Four hidden variables
// (iterator, state, control, closing value) come first.
void forlist(LexState* ls, TString* indexname) {
  const int base = ls->fs->freereg;
  forstatevars(ls, 4);
  new_localvar(ls, indexname);
  int nvars = 1;
  for (; testnext(ls, ','); nvars++) new_localvar(ls, str_checkname(ls));
  checknext(ls, TK_IN);
  const int line = ls->linenumber;
  expdesc e;
  const int nexps = explist(ls, &e);
  adjust_assign(ls->fs, 4, nexps, &e);
  adjustlocalvars(ls, 4);
  marktobeclosed(ls->fs);      // the closing value
  luaK_checkstack(ls->fs, 3);  // room to call the iterator
  forbody(ls, base, line, nvars, true);
}

// forstat -> FOR (fornum | forlist) END
void forstat(LexState* ls, int line) {
  BlockCnt loop;
  enterblock(ls->fs, &loop, true);  // the loop, with its control variables
  TString* varname = str_checkname(ls);
  const int token = ls->t.token;
  if (token == '=')
    fornum(ls, varname, line);
  else if (token == ',' || token == TK_IN)
    forlist(ls, varname);
  else
    luaX_syntaxerror(ls, "'=' or 'in' expected");
  check_match(ls, TK_END, TK_FOR, line);
  leaveblock(ls->fs);
}

// `if cond then break`, with the 'break' current: the condition's true
// exits are the break itself, a goto of the 'then' block `bl`, entered
// here. Returns the jump over the rest of the block, or nothing when the
// break is the whole block (which is then left).
std::optional<int> thenbreak(LexState* ls, expdesc* v, BlockCnt* bl) {
  const int line = ls->linenumber;
  luaK_goiffalse(ls->fs, v);
  checknext(ls, TK_BREAK);
  enterblock(ls->fs, bl, false);
  newgotoentry(ls, breakname(ls), line, v->t);
  while (testnext(ls, ';')) {
  }
  if (!block_follow(ls, false)) return luaK_jump(ls->fs);
  leaveblock(ls->fs);
  return std::nullopt;
}

// The usual 'then' part: the condition's false exits skip it; they are
// returned. Enters its block `bl`.
int thenblock(LexState* ls, expdesc* v, BlockCnt* bl) {
  luaK_goiftrue(ls->fs, v);
  enterblock(ls->fs, bl, false);
  return v->f;
}

// test_then_block -> [IF | ELSEIF] cond THEN block, the keyword already
// read. A part followed by another jumps to the end of the statement
// (`escapelist`).
void test_then_block(LexState* ls, int* escapelist) {
  expdesc v;
  expr(ls, &v);
  checknext(ls, TK_THEN);
  BlockCnt bl;
  // the jumps over the 'then' part when the condition fails, if any
  const std::optional<int> skip =
      ls->t.token == TK_BREAK ? thenbreak(ls, &v, &bl) : thenblock(ls, &v, &bl);
  if (!skip) return;  // the 'break' was the whole block
  statlist(ls);
  leaveblock(ls->fs);
  const int next = ls->t.token;
  if (next == TK_ELSE || next == TK_ELSEIF)  // jump over what follows
    luaK_concat(ls->fs, escapelist, luaK_jump(ls->fs));
  luaK_patchtohere(ls->fs, *skip);
}

// ifstat -> IF cond THEN block {ELSEIF cond THEN block} [ELSE block] END
void ifstat(LexState* ls, int line) {
  int escapelist = NO_JUMP;
  do {
    test_then_block(ls, &escapelist);
  } while (testnext(ls, TK_ELSEIF));
  if (testnext(ls, TK_ELSE)) block(ls);
  check_match(ls, TK_END, TK_IF, line);
  luaK_patchtohere(ls->fs, escapelist);
}

// local function NAME body: the variable is in scope inside the body (for
// recursion), but its debug entry starts after the CLOSURE.
void localfunc(LexState* ls) {
  const int vidx = ls->fs->nactvar;
  activelocal(ls, str_checkname(ls));
  expdesc closure;
  body(ls, &closure, false, ls->linenumber);
  localdebuginfo(ls->fs, vidx)->startpc = ls->fs->pc;
}

// attrib -> ['<' NAME '>']
lu_byte getlocalattribute(LexState* ls) {
  if (!testnext(ls, '<')) return VDKREG;
  const std::string_view attr = getstr(str_checkname(ls));
  checknext(ls, '>');
  if (attr == "const") return RDKCONST;
  if (attr == "close") return RDKTOCLOSE;
  luaK_semerror(ls,
                luaO_pushfstring(ls->L, "unknown attribute '%s'", attr.data()));
}

// Marks variable `level`, if there is one, to be closed (OP_TBC).
void checktoclose(FuncState* fs, std::optional<int> level) {
  if (!level) return;
  marktobeclosed(fs);
  luaK_codeABC(fs, OP_TBC, reglevel(fs, *level), 0, 0);
}

// NAME attrib { ',' NAME attrib }: declares the variables; returns how
// many, and sets `toclose` to the index of the <close> one, if any.
int localnames(LexState* ls, std::optional<int>& toclose) {
  int nvars = 0;
  do {
    const int vidx = new_localvar(ls, str_checkname(ls));
    const lu_byte kind = getlocalattribute(ls);
    getlocalvardesc(ls->fs, vidx)->vd.kind = kind;
    if (kind == RDKTOCLOSE) {
      if (toclose)
        luaK_semerror(ls, "multiple to-be-closed variables in local list");
      toclose = ls->fs->nactvar + nvars;
    }
    nvars++;
  } while (testnext(ls, ','));
  return nvars;
}

// localstat -> LOCAL NAME attrib { ',' NAME attrib } ['=' explist]
// A <const> last variable initialised by a constant expression takes no
// register: it becomes a compile-time constant.
void localstat(LexState* ls) {
  FuncState* fs = ls->fs;
  std::optional<int> toclose;
  const int nvars = localnames(ls, toclose);
  expdesc e = fresh_exp(VVOID);
  const int nexps = testnext(ls, '=') ? explist(ls, &e) : 0;
  // The declared variables follow the active ones; explist may have moved
  // the array, so the last one is looked up only now.
  Vardesc* last = getlocalvardesc(fs, fs->nactvar + nvars - 1);
  const bool constant = nvars == nexps && last->vd.kind == RDKCONST &&
                        luaK_exp2const(fs, &e, &last->k);
  if (constant) {
    last->vd.kind = RDKCTC;
    adjustlocalvars(ls, nvars - 1);
    fs->nactvar++;  // active, with no register
  } else {
    adjust_assign(ls->fs, nvars, nexps, &e);
    adjustlocalvars(ls, nvars);
  }
  checktoclose(fs, toclose);
}

// funcname -> NAME {fieldsel} [':' NAME]; returns whether it is a method.
bool funcname(LexState* ls, expdesc* v) {
  singlevar(ls, v);
  while (ls->t.token == '.') fieldsel(ls, v);
  if (ls->t.token != ':') return false;
  fieldsel(ls, v);
  return true;
}

// funcstat -> FUNCTION funcname body
void funcstat(LexState* ls, int line) {
  expdesc v, b;
  const bool ismethod = funcname(ls, &v);
  body(ls, &b, ismethod, line);
  check_readonly(ls, &v);
  luaK_storevar(ls->fs, &v, &b);
  luaK_fixline(ls->fs, line);  // the definition is on the 'function' line
}

// stat -> func | assignment
void exprstat(LexState* ls) {
  LHS_assign first{};
  suffixedexp(ls, &first.v);
  if (ls->t.token == '=' || ls->t.token == ',') return restassign(ls, first, 1);
  check_condition(ls, first.v.k == VCALL, "syntax error");
  SETARG_C(getinstruction(ls->fs, &first.v), 1);  // a statement keeps no result
}

// The values of a return, in consecutive registers from `*first`; returns
// how many (LUA_MULTRET: up to the top). `return f(x)` is a tail call
// unless a to-be-closed variable must be closed after the call.
int retvalues(LexState* ls, int* first) {
  FuncState* fs = ls->fs;
  expdesc e;
  const int n = explist(ls, &e);
  if (hasmultret(e.k)) {
    luaK_setmultret(fs, &e);
    if (e.k == VCALL && n == 1 && !fs->bl->insidetbc)
      SET_OPCODE(getinstruction(fs, &e), OP_TAILCALL);
    return LUA_MULTRET;
  }
  if (n == 1) {
    *first = luaK_exp2anyreg(fs, &e);  // any register will do
    return 1;
  }
  luaK_exp2nextreg(fs, &e);
  lua_assert(n == fs->freereg - *first);
  return n;
}

// retstat -> RETURN [explist] [';']
void retstat(LexState* ls) {
  int first = luaY_nvarstack(ls->fs);
  const bool novalues = block_follow(ls, true) || ls->t.token == ';';
  const int nret = novalues ? 0 : retvalues(ls, &first);
  luaK_ret(ls->fs, first, nret);
  testnext(ls, ';');
}

// Does `token` start a statement by a keyword (or is it ';')? Those
// statements are the ones `statement` reads the first token of
// (invariant KEYWORD); the others start with an expression.
bool startskeyword(int token) {
  switch (token) {
    case ';':
    case TK_IF:
    case TK_WHILE:
    case TK_DO:
    case TK_FOR:
    case TK_REPEAT:
    case TK_FUNCTION:
    case TK_LOCAL:
    case TK_DBCOLON:
    case TK_RETURN:
    case TK_BREAK:
    case TK_GOTO:
      return true;
    default:
      return false;
  }
}

// The statement that `keyword` (already read) starts, at `line`.
void keywordstat(LexState* ls, int keyword, int line) {
  switch (keyword) {
    case ';':
      return;
    case TK_IF:
      return ifstat(ls, line);
    case TK_WHILE:
      return whilestat(ls, line);
    case TK_DO:
      block(ls);
      return check_match(ls, TK_END, TK_DO, line);
    case TK_FOR:
      return forstat(ls, line);
    case TK_REPEAT:
      return repeatstat(ls, line);
    case TK_FUNCTION:
      return funcstat(ls, line);
    case TK_LOCAL:
      return testnext(ls, TK_FUNCTION) ? localfunc(ls) : localstat(ls);
    case TK_DBCOLON:
      return labelstat(ls, str_checkname(ls), line);
    case TK_RETURN:
      return retstat(ls);
    case TK_BREAK:
      return breakstat(ls, line);
    case TK_GOTO:
      return gotostat(ls);
    default:
      lua_assert(false);  // startskeyword said otherwise
  }
}

// Frees the registers of a statement's temporaries (invariant FREEREG).
void freetemporaries(FuncState* fs) {
  const int locals = luaY_nvarstack(fs);
  lua_assert(locals <= fs->freereg && fs->freereg <= fs->f->maxstacksize);
  fs->freereg = cast_byte(locals);
}

// stat -> ';' | ifstat | whilestat | DO block END | forstat | repeatstat |
//         funcstat | localstat | label | retstat | breakstat | gotostat |
//         exprstat
void statement(LexState* ls) {
  const int line = ls->linenumber;  // for error messages
  NestingLevel level(ls);
  const int token = ls->t.token;
  if (startskeyword(token)) {
    luaX_next(ls);  // invariant KEYWORD
    keywordstat(ls, token, line);
  } else {
    exprstat(ls);
  }
  freetemporaries(ls->fs);
}

// chunk -> block EOS, from the first token on.
void chunk(LexState* ls) {
  luaX_next(ls);  // read the first token
  statlist(ls);
  check(ls, TK_EOS);
}

// The main function's one upvalue: _ENV, in the loader's register 0
// (the loader sets it).
void addenvupvalue(LexState* ls, FuncState* fs) {
  Upvaldesc* env = allocupvalue(fs);
  *env = Upvaldesc{ls->envn, 1, 0, VDKREG};
  luaC_objbarrier(ls->L, fs->f, ls->envn);
}

// The main function: vararg, with _ENV as its only upvalue.
void mainfunc(LexState* ls, FuncState* fs) {
  BlockCnt bl;
  open_func(ls, fs, &bl);
  setvararg(fs, 0);
  addenvupvalue(ls, fs);
  chunk(ls);
  close_func(ls);
}

// The main closure, anchored on the stack (invariant ANCHOR).
LClosure* pushmainclosure(lua_State* L) {
  LClosure* cl = luaF_newLclosure(L, 1);
  setclLvalue2s(L, L->top, cl);
  luaD_inctop(L);
  return cl;
}

// The scanner table, anchored on the stack above the closure.
Table* pushscannertable(lua_State* L) {
  Table* h = luaH_new(L);
  sethvalue2s(L, L->top, h);
  luaD_inctop(L);
  return h;
}

// The main function's prototype, owned by `cl`, for chunk `name`.
Proto* newmainproto(lua_State* L, LClosure* cl, const char* name) {
  Proto* f = luaF_newproto(L);
  cl->p = f;
  luaC_objbarrier(L, cl, f);
  f->source = luaS_new(L, name);
  luaC_objbarrier(L, f, f->source);
  return f;
}

}  // namespace

LClosure* luaY_parser(lua_State* L, ZIO* z, Mbuffer* buff, Dyndata* dyd,
                      const char* name, int firstchar) {
  LClosure* cl = pushmainclosure(L);
  LexState lexstate{};
  lexstate.h = pushscannertable(L);
  lexstate.buff = buff;
  lexstate.dyd = dyd;
  dyd->actvar.n = 0;  // the arrays are kept for reuse
  dyd->gt.n = 0;
  dyd->label.n = 0;
  Proto* mainproto = newmainproto(L, cl, name);
  FuncState funcstate{.f = mainproto};
  luaX_setinput(L, &lexstate, z, mainproto->source, firstchar);
  mainfunc(&lexstate, &funcstate);
  // every function, block, goto and label was closed
  lua_assert(lexstate.fs == nullptr && funcstate.nups == 1);
  lua_assert(dyd->actvar.n + dyd->gt.n + dyd->label.n == 0);
  L->top--;  // the scanner table; the closure stays, as the result
  return cl;
}

// ---------------------------------------------------------------------------
// Ours, not in lparser.c: freeing the work areas, and a protected compile
// of a string for the stages before chapter 8 (lua_load's text path).
// ---------------------------------------------------------------------------

void luaY_freedyndata(lua_State* L, Dyndata* dyd) {
  luaM_freearray(L, dyd->actvar.arr, cast_sizet(dyd->actvar.size));
  luaM_freearray(L, dyd->gt.arr, cast_sizet(dyd->gt.size));
  luaM_freearray(L, dyd->label.arr, cast_sizet(dyd->label.size));
  *dyd = Dyndata{};
}

namespace {

// A lua_Reader over one block of memory.
struct LoadS {
  const char* s;
  std::size_t size;
};

const char* getS(lua_State*, void* ud, std::size_t* size) {
  auto* ls = static_cast<LoadS*>(ud);
  if (ls->size == 0) return nullptr;
  *size = ls->size;
  ls->size = 0;
  return ls->s;
}

// Does every error leave its message on the stack, as luaG_runerror does?
// True once chapter 8 has installed its runerror seam; before that, the
// stand-in runner's exception carries the message of errors other than
// syntax errors.
bool errors_push_message(lua_State* L) {
  return G(L)->seams.runerror != nullptr;
}

// Puts the error object of a failed compilation at `oldtop`, as ldo's
// seterrorobj does.
void seterrorobj(lua_State* L, int status, std::ptrdiff_t oldtop,
                 const LuaError& err, StkId errtop) {
  StkId base = restorestack(L, oldtop);
  if (status == LUA_ERRMEM) {
    setsvalue2s(L, base, G(L)->memerrmsg);
  } else if (status == LUA_ERRSYNTAX || errors_push_message(L)) {
    lua_assert(errtop > base);
    setobj(L, s2v(base), s2v(errtop - 1));
  } else {
    L->top = base;                   // room to create the message
    TString* msg = G(L)->memerrmsg;  // if even that fails
    luaM_runprotected([&] { msg = luaS_new(L, err.msg); });
    setsvalue2s(L, base, msg);
  }
  L->top = base + 1;
}

}  // namespace

int luaY_compile(lua_State* L, const char* source, std::size_t len,
                 const char* chunkname) {
  std::ptrdiff_t oldtop = savestack(L, L->top);
  std::uint32_t oldnCcalls = L->nCcalls;
  Mbuffer buff;
  luaZ_initbuffer(L, &buff);
  Dyndata dyd{};
  LuaError err{};
  int status = luaM_runprotected(
      [&] {
        ZIO z;
        LoadS ls{source, len};
        luaZ_init(L, &z, getS, &ls);
        LClosure* cl = luaY_parser(L, &z, &buff, &dyd, chunkname, zgetc(&z));
        luaF_initupvals(L, cl);  // as ldo's f_parser does
      },
      &err);
  luaZ_freebuffer(L, &buff);
  luaY_freedyndata(L, &dyd);
  if (status != LUA_OK) {
    L->nCcalls = oldnCcalls;  // the levels the error skipped
    seterrorobj(L, status, oldtop, err, L->top);
  }
  return status;
}

}  // namespace lua
