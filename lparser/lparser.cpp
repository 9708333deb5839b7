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
///   restassign) counts one level in `L->nCcalls` while it runs, so deep
///   nesting ends in "C stack overflow" at LUAI_MAXCCALLS levels instead
///   of overflowing the C++ stack.
/// - **Invariant GOTO.** A pending goto's `nactvar` is the number of
///   variables active where it would land if its label were in the current
///   block; leaving a block lowers it (movegotosout). A label closes the
///   pending gotos of its block with its name, and jumping forward into
///   the scope of a variable is an error.
/// - **Invariant ANCHOR** (llex.hpp) extends to prototypes: each new Proto
///   is stored in its parent's `p` at once, and the main closure and the
///   scanner table sit on the stack, so a collection during compilation
///   frees nothing in use.
///
/// Differences from Lua: Lua's `new_localvarliteral`, `check_condition`,
/// `enterlevel` and `leavelevel` macros are functions. luaY_compile and
/// luaY_freedyndata are ours (see lparser.hpp).
#include "lparser/lparser.hpp"

#include <climits>
#include <cstring>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/lcode.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"

namespace lua {

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

}  // namespace

/// A block being compiled: its scope and what leaving it must do.
struct BlockCnt {
  BlockCnt* previous;  ///< the enclosing block
  int firstlabel;      ///< index of its first label in dyd->label
  int firstgoto;       ///< index of its first pending goto in dyd->gt
  lu_byte nactvar;     ///< active locals outside the block
  lu_byte upval;       ///< some local of the block is an upvalue
  lu_byte isloop;      ///< a loop: 'break' lands at its end
  lu_byte insidetbc;   ///< inside the scope of a to-be-closed variable
};

namespace {

void statement(LexState* ls);
void expr(LexState* ls, expdesc* v);

[[noreturn]] void error_expected(LexState* ls, int token) {
  luaX_syntaxerror(
      ls, luaO_pushfstring(ls->L, "%s expected", luaX_token2str(ls, token)));
}

[[noreturn]] void errorlimit(FuncState* fs, int limit, const char* what) {
  lua_State* L = fs->ls->L;
  int line = fs->f->linedefined;
  const char* where = (line == 0)
                          ? "main function"
                          : luaO_pushfstring(L, "function at line %d", line);
  const char* msg = luaO_pushfstring(L, "too many %s (limit is %d) in %s", what,
                                     limit, where);
  luaX_syntaxerror(fs->ls, msg);
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
  TString* ts = ls->t.seminfo.ts;
  luaX_next(ls);
  return ts;
}

void init_exp(expdesc* e, expkind k, int i) {
  e->f = e->t = NO_JUMP;
  e->k = k;
  e->u.info = i;
}

void codestring(expdesc* e, TString* s) {
  e->f = e->t = NO_JUMP;
  e->k = VKSTR;
  e->u.strval = s;
}

void codename(LexState* ls, expdesc* e) {
  codestring(e, str_checkname(ls));
}

// Adds a local's debug entry (name and start pc) to the prototype and
// returns its index.
int registerlocalvar(LexState* ls, FuncState* fs, TString* varname) {
  Proto* f = fs->f;
  int oldsize = f->sizelocvars;
  luaM_growvector(ls->L, f->locvars, fs->ndebugvars, f->sizelocvars, SHRT_MAX,
                  "local variables");
  while (oldsize < f->sizelocvars) f->locvars[oldsize++].varname = nullptr;
  f->locvars[fs->ndebugvars].varname = varname;
  f->locvars[fs->ndebugvars].startpc = fs->pc;
  luaC_objbarrier(ls->L, f, varname);
  return fs->ndebugvars++;
}

// Declares a local variable, not yet active (adjustlocalvars activates
// it); returns its index among the function's variables.
int new_localvar(LexState* ls, TString* name) {
  FuncState* fs = ls->fs;
  Dyndata* dyd = ls->dyd;
  checklimit(fs, dyd->actvar.n + 1 - fs->firstlocal, MAXVARS,
             "local variables");
  luaM_growvector(ls->L, dyd->actvar.arr, dyd->actvar.n + 1, dyd->actvar.size,
                  USHRT_MAX, "local variables");
  Vardesc* var = &dyd->actvar.arr[dyd->actvar.n++];
  var->vd.kind = VDKREG;
  var->vd.name = name;
  return dyd->actvar.n - 1 - fs->firstlocal;
}

template <std::size_t N>
int new_localvarliteral(LexState* ls, const char (&v)[N]) {
  return new_localvar(ls, luaX_newstring(ls, v, N - 1));
}

Vardesc* getlocalvardesc(FuncState* fs, int vidx) {
  return &fs->ls->dyd->actvar.arr[fs->firstlocal + vidx];
}

// The register level of the first `nvar` variables: one above the
// register of the last of them that lives in a register.
int reglevel(FuncState* fs, int nvar) {
  while (nvar-- > 0) {
    Vardesc* vd = getlocalvardesc(fs, nvar);
    if (vd->vd.kind != RDKCTC) return vd->vd.ridx + 1;
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
  Vardesc* vd = getlocalvardesc(fs, vidx);
  if (vd->vd.kind == RDKCTC) return nullptr;
  int idx = vd->vd.pidx;
  lua_assert(idx < fs->ndebugvars);
  return &fs->f->locvars[idx];
}

void init_var(FuncState* fs, expdesc* e, int vidx) {
  e->f = e->t = NO_JUMP;
  e->k = VLOCAL;
  e->u.var.vidx = static_cast<unsigned short>(vidx);
  e->u.var.ridx = getlocalvardesc(fs, vidx)->vd.ridx;
}

// Raises an error if `e` is a variable that may not be assigned: a
// <const> or <close> local, or an upvalue of one.
void check_readonly(LexState* ls, expdesc* e) {
  FuncState* fs = ls->fs;
  TString* varname = nullptr;
  switch (e->k) {
    case VCONST:
      varname = ls->dyd->actvar.arr[e->u.info].vd.name;
      break;
    case VLOCAL: {
      Vardesc* vardesc = getlocalvardesc(fs, e->u.var.vidx);
      if (vardesc->vd.kind != VDKREG) varname = vardesc->vd.name;
      break;
    }
    case VUPVAL: {
      Upvaldesc* up = &fs->f->upvalues[e->u.info];
      if (up->kind != VDKREG) varname = up->name;
      break;
    }
    default:
      return;
  }
  if (varname != nullptr)
    luaK_semerror(
        ls, luaO_pushfstring(ls->L, "attempt to assign to const variable '%s'",
                             getstr(varname)));
}

// Activates the last `nvars` declared variables: each gets the next
// register and a debug entry starting here.
void adjustlocalvars(LexState* ls, int nvars) {
  FuncState* fs = ls->fs;
  int reglevel = luaY_nvarstack(fs);
  for (int i = 0; i < nvars; i++) {
    int vidx = fs->nactvar++;
    Vardesc* var = getlocalvardesc(fs, vidx);
    var->vd.ridx = cast_byte(reglevel++);
    var->vd.pidx = static_cast<short>(registerlocalvar(ls, fs, var->vd.name));
  }
}

// Ends the scope of the variables above `tolevel`: their debug entries
// end at the current pc.
void removevars(FuncState* fs, int tolevel) {
  fs->ls->dyd->actvar.n -= (fs->nactvar - tolevel);
  while (fs->nactvar > tolevel) {
    LocVar* var = localdebuginfo(fs, --fs->nactvar);
    if (var != nullptr) var->endpc = fs->pc;
  }
}

int searchupvalue(FuncState* fs, TString* name) {
  Upvaldesc* up = fs->f->upvalues;
  for (int i = 0; i < fs->nups; i++)
    if (eqstr(up[i].name, name)) return i;
  return -1;
}

Upvaldesc* allocupvalue(FuncState* fs) {
  Proto* f = fs->f;
  int oldsize = f->sizeupvalues;
  checklimit(fs, fs->nups + 1, MAXUPVAL, "upvalues");
  luaM_growvector(fs->ls->L, f->upvalues, fs->nups, f->sizeupvalues, MAXUPVAL,
                  "upvalues");
  while (oldsize < f->sizeupvalues) f->upvalues[oldsize++].name = nullptr;
  return &f->upvalues[fs->nups++];
}

// A new upvalue of `fs` for variable `v` of the enclosing function: a
// local there (instack) or one of its upvalues.
int newupvalue(FuncState* fs, TString* name, expdesc* v) {
  Upvaldesc* up = allocupvalue(fs);
  FuncState* prev = fs->prev;
  if (v->k == VLOCAL) {
    up->instack = 1;
    up->idx = v->u.var.ridx;
    up->kind = getlocalvardesc(prev, v->u.var.vidx)->vd.kind;
    lua_assert(eqstr(name, getlocalvardesc(prev, v->u.var.vidx)->vd.name));
  } else {
    up->instack = 0;
    up->idx = cast_byte(v->u.info);
    up->kind = prev->f->upvalues[v->u.info].kind;
    lua_assert(eqstr(name, prev->f->upvalues[v->u.info].name));
  }
  up->name = name;
  luaC_objbarrier(fs->ls->L, fs->f, name);
  return fs->nups - 1;
}

// Looks `n` up among the active locals of `fs`, innermost first; returns
// the kind found (VLOCAL or VCONST) or -1.
int searchvar(FuncState* fs, TString* n, expdesc* var) {
  for (int i = cast_int(fs->nactvar) - 1; i >= 0; i--) {
    Vardesc* vd = getlocalvardesc(fs, i);
    if (eqstr(n, vd->vd.name)) {
      if (vd->vd.kind == RDKCTC)
        init_exp(var, VCONST, fs->firstlocal + i);
      else
        init_var(fs, var, i);
      return var->k;
    }
  }
  return -1;
}

// Variable `level` is captured by a closure: the block that declares it
// must close its upvalues when it ends.
void markupval(FuncState* fs, int level) {
  BlockCnt* bl = fs->bl;
  while (bl->nactvar > level) bl = bl->previous;
  bl->upval = 1;
  fs->needclose = 1;
}

void marktobeclosed(FuncState* fs) {
  BlockCnt* bl = fs->bl;
  bl->upval = 1;
  bl->insidetbc = 1;
  fs->needclose = 1;
}

// Resolves `n` in `fs` and, failing that, in the enclosing functions,
// creating upvalues along the way back. VVOID means global. `base` is
// true in the function where the name is used (a local found there is
// not an upvalue).
void singlevaraux(FuncState* fs, TString* n, expdesc* var, int base) {
  if (fs == nullptr) {
    init_exp(var, VVOID, 0);
    return;
  }
  int v = searchvar(fs, n, var);
  if (v >= 0) {
    if (v == VLOCAL && !base) markupval(fs, var->u.var.vidx);
    return;
  }
  int idx = searchupvalue(fs, n);
  if (idx < 0) {
    singlevaraux(fs->prev, n, var, 0);
    if (var->k != VLOCAL && var->k != VUPVAL) return;  // global or constant
    idx = newupvalue(fs, n, var);
  }
  init_exp(var, VUPVAL, idx);
}

// A name: a local, an upvalue, or a global, which is _ENV.name.
void singlevar(LexState* ls, expdesc* var) {
  TString* varname = str_checkname(ls);
  FuncState* fs = ls->fs;
  singlevaraux(fs, varname, var, 1);
  if (var->k == VVOID) {
    expdesc key;
    singlevaraux(fs, ls->envn, var, 1);
    lua_assert(var->k != VVOID);  // _ENV always resolves
    luaK_exp2anyregup(fs, var);
    codestring(&key, varname);
    luaK_indexed(fs, var, &key);
  }
}

// Makes `nexps` values, the last one `e`, fill `nvars` consecutive
// registers: a multi-value last expression supplies the missing ones,
// otherwise nils do; extra values are dropped.
void adjust_assign(LexState* ls, int nvars, int nexps, expdesc* e) {
  FuncState* fs = ls->fs;
  int needed = nvars - nexps;
  if (hasmultret(e->k)) {
    int extra = needed + 1;  // the expression itself counts
    if (extra < 0) extra = 0;
    luaK_setreturns(fs, e, extra);
  } else {
    if (e->k != VVOID) luaK_exp2nextreg(fs, e);
    if (needed > 0) luaK_nil(fs, fs->freereg, needed);
  }
  if (needed > 0)
    luaK_reserveregs(fs, needed);
  else
    fs->freereg = cast_byte(fs->freereg + needed);  // drop the extras
}

// Invariant NESTING.
void enterlevel(LexState* ls) {
  luaE_incCstack(ls->L);
}

void leavelevel(LexState* ls) {
  ls->L->nCcalls--;
}

[[noreturn]] void jumpscopeerror(LexState* ls, Labeldesc* gt) {
  const char* varname = getstr(getlocalvardesc(ls->fs, gt->nactvar)->vd.name);
  const char* msg = luaO_pushfstring(
      ls->L, "<goto %s> at line %d jumps into the scope of local '%s'",
      getstr(gt->name), gt->line, varname);
  luaK_semerror(ls, msg);
}

// Points pending goto `g` at `label` and removes it from the list.
void solvegoto(LexState* ls, int g, Labeldesc* label) {
  Labellist* gl = &ls->dyd->gt;
  Labeldesc* gt = &gl->arr[g];
  lua_assert(eqstr(gt->name, label->name));
  if (gt->nactvar < label->nactvar) [[unlikely]]
    jumpscopeerror(ls, gt);  // invariant GOTO
  luaK_patchlist(ls->fs, gt->pc, label->pc);
  for (int i = g; i < gl->n - 1; i++) gl->arr[i] = gl->arr[i + 1];
  gl->n--;
}

// A visible label called `name` in the current function (labels of
// closed blocks are already removed).
Labeldesc* findlabel(LexState* ls, TString* name) {
  Dyndata* dyd = ls->dyd;
  for (int i = ls->fs->firstlabel; i < dyd->label.n; i++) {
    Labeldesc* lb = &dyd->label.arr[i];
    if (eqstr(lb->name, name)) return lb;
  }
  return nullptr;
}

int newlabelentry(LexState* ls, Labellist* l, TString* name, int line, int pc) {
  int n = l->n;
  luaM_growvector(ls->L, l->arr, n, l->size, SHRT_MAX, "labels/gotos");
  l->arr[n].name = name;
  l->arr[n].line = line;
  l->arr[n].nactvar = ls->fs->nactvar;
  l->arr[n].close = 0;
  l->arr[n].pc = pc;
  l->n = n + 1;
  return n;
}

int newgotoentry(LexState* ls, TString* name, int line, int pc) {
  return newlabelentry(ls, &ls->dyd->gt, name, line, pc);
}

// Resolves the pending gotos of the current block that go to `lb`;
// returns whether any of them needs to close upvalues.
bool solvegotos(LexState* ls, Labeldesc* lb) {
  Labellist* gl = &ls->dyd->gt;
  int i = ls->fs->bl->firstgoto;
  bool needsclose = false;
  while (i < gl->n) {
    if (eqstr(gl->arr[i].name, lb->name)) {
      needsclose = needsclose || gl->arr[i].close != 0;
      solvegoto(ls, i, lb);  // removes entry i
    } else {
      i++;
    }
  }
  return needsclose;
}

// Creates a label here. A label that ends its block (`last`) sees the
// block's locals as already out of scope, so gotos may jump to it. When a
// resolved goto leaves the scope of an upvalue, the label starts with a
// CLOSE; returns whether it does.
bool createlabel(LexState* ls, TString* name, int line, bool last) {
  FuncState* fs = ls->fs;
  Labellist* ll = &ls->dyd->label;
  int l = newlabelentry(ls, ll, name, line, luaK_getlabel(fs));
  if (last) ll->arr[l].nactvar = fs->bl->nactvar;
  if (solvegotos(ls, &ll->arr[l])) {
    luaK_codeABC(fs, OP_CLOSE, luaY_nvarstack(fs), 0, 0);
    return true;
  }
  return false;
}

// The pending gotos of block `bl`, which is ending, now belong to the
// enclosing block (invariant GOTO); those that leave the scope of a
// captured variable must close upvalues.
void movegotosout(FuncState* fs, BlockCnt* bl) {
  Labellist* gl = &fs->ls->dyd->gt;
  for (int i = bl->firstgoto; i < gl->n; i++) {
    Labeldesc* gt = &gl->arr[i];
    if (reglevel(fs, gt->nactvar) > reglevel(fs, bl->nactvar))
      gt->close |= bl->upval;
    gt->nactvar = bl->nactvar;
  }
}

void enterblock(FuncState* fs, BlockCnt* bl, lu_byte isloop) {
  bl->isloop = isloop;
  bl->nactvar = fs->nactvar;
  bl->firstlabel = fs->ls->dyd->label.n;
  bl->firstgoto = fs->ls->dyd->gt.n;
  bl->upval = 0;
  bl->insidetbc = (fs->bl != nullptr && fs->bl->insidetbc) ? 1 : 0;
  bl->previous = fs->bl;
  fs->bl = bl;
  lua_assert(fs->freereg == luaY_nvarstack(fs));  // invariant FREEREG
}

// A goto still pending at the end of the function's outermost block.
[[noreturn]] void undefgoto(LexState* ls, Labeldesc* gt) {
  const char* msg;
  if (eqstr(gt->name, luaS_newliteral(ls->L, "break")))
    msg = luaO_pushfstring(ls->L, "break outside loop at line %d", gt->line);
  else
    msg = luaO_pushfstring(ls->L, "no visible label '%s' for <goto> at line %d",
                           getstr(gt->name), gt->line);
  luaK_semerror(ls, msg);
}

// Ends the current block: its locals go out of scope, a loop's breaks
// land here, captured locals are closed, and its pending gotos move out.
void leaveblock(FuncState* fs) {
  BlockCnt* bl = fs->bl;
  LexState* ls = fs->ls;
  bool hasclose = false;
  int stklevel = reglevel(fs, bl->nactvar);  // the level outside
  if (bl->isloop)  // 'break' is a goto to a label at the loop's end
    hasclose = createlabel(ls, luaS_newliteral(ls->L, "break"), 0, false);
  if (!hasclose && bl->previous != nullptr && bl->upval)
    luaK_codeABC(fs, OP_CLOSE, stklevel, 0, 0);
  fs->freereg = cast_byte(stklevel);
  removevars(fs, bl->nactvar);  // after the CLOSE, which is in their scope
  lua_assert(bl->nactvar == fs->nactvar);
  ls->dyd->label.n = bl->firstlabel;  // its labels are no longer visible
  fs->bl = bl->previous;
  if (bl->previous != nullptr)
    movegotosout(fs, bl);
  else if (bl->firstgoto < ls->dyd->gt.n)
    undefgoto(ls, &ls->dyd->gt.arr[bl->firstgoto]);
}

// A new prototype for a nested function, stored in the parent at once
// (invariant ANCHOR).
Proto* addprototype(LexState* ls) {
  lua_State* L = ls->L;
  FuncState* fs = ls->fs;
  Proto* f = fs->f;
  if (fs->np >= f->sizep) {
    int oldsize = f->sizep;
    luaM_growvector(L, f->p, fs->np, f->sizep, MAXARG_Bx, "functions");
    while (oldsize < f->sizep) f->p[oldsize++] = nullptr;
  }
  Proto* clp = luaF_newproto(L);
  f->p[fs->np++] = clp;
  luaC_objbarrier(L, f, clp);
  return clp;
}

// The CLOSURE for the function just compiled, in the parent's next
// register.
void codeclosure(LexState* ls, expdesc* v) {
  FuncState* fs = ls->fs->prev;
  init_exp(
      v, VRELOC,
      luaK_codeABx(fs, OP_CLOSURE, 0, static_cast<unsigned int>(fs->np - 1)));
  luaK_exp2nextreg(fs, v);
}

void open_func(LexState* ls, FuncState* fs, BlockCnt* bl) {
  Proto* f = fs->f;
  fs->prev = ls->fs;
  fs->ls = ls;
  ls->fs = fs;
  fs->pc = 0;
  fs->previousline = f->linedefined;
  fs->iwthabs = 0;
  fs->lasttarget = 0;
  fs->freereg = 0;
  fs->nk = 0;
  fs->nabslineinfo = 0;
  fs->np = 0;
  fs->nups = 0;
  fs->ndebugvars = 0;
  fs->nactvar = 0;
  fs->needclose = 0;
  fs->firstlocal = ls->dyd->actvar.n;
  fs->firstlabel = ls->dyd->label.n;
  fs->bl = nullptr;
  f->source = ls->source;
  luaC_objbarrier(ls->L, f, f->source);
  f->maxstacksize = 2;  // registers 0 and 1 are always valid
  enterblock(fs, bl, 0);
}

// Finishes the current function: the final return, the last block, the
// final pass, and the vectors trimmed to their sizes.
void close_func(LexState* ls) {
  lua_State* L = ls->L;
  FuncState* fs = ls->fs;
  Proto* f = fs->f;
  luaK_ret(fs, luaY_nvarstack(fs), 0);
  leaveblock(fs);
  lua_assert(fs->bl == nullptr);
  luaK_finish(fs);
  luaM_shrinkvector(L, f->code, f->sizecode, fs->pc);
  luaM_shrinkvector(L, f->lineinfo, f->sizelineinfo, fs->pc);
  luaM_shrinkvector(L, f->abslineinfo, f->sizeabslineinfo, fs->nabslineinfo);
  luaM_shrinkvector(L, f->k, f->sizek, fs->nk);
  luaM_shrinkvector(L, f->p, f->sizep, fs->np);
  luaM_shrinkvector(L, f->locvars, f->sizelocvars, fs->ndebugvars);
  luaM_shrinkvector(L, f->upvalues, f->sizeupvalues, fs->nups);
  ls->fs = fs->prev;
  luaC_checkGC(L);
}

// ---------------------------------------------------------------------------
// Grammar rules
// ---------------------------------------------------------------------------

// Does the current token end a block? 'until' does only for repeat.
bool block_follow(LexState* ls, bool withuntil) {
  switch (ls->t.token) {
    case TK_ELSE:
    case TK_ELSEIF:
    case TK_END:
    case TK_EOS:
      return true;
    case TK_UNTIL:
      return withuntil;
    default:
      return false;
  }
}

// statlist -> { stat [';'] }, where a return must be the last statement.
void statlist(LexState* ls) {
  while (!block_follow(ls, true)) {
    if (ls->t.token == TK_RETURN) {
      statement(ls);
      return;
    }
    statement(ls);
  }
}

// fieldsel -> ['.' | ':'] NAME
void fieldsel(LexState* ls, expdesc* v) {
  FuncState* fs = ls->fs;
  expdesc key;
  luaK_exp2anyregup(fs, v);
  luaX_next(ls);  // the dot or colon
  codename(ls, &key);
  luaK_indexed(fs, v, &key);
}

// index -> '[' expr ']'
void yindex(LexState* ls, expdesc* v) {
  luaX_next(ls);  // the '['
  expr(ls, v);
  luaK_exp2val(ls->fs, v);
  checknext(ls, ']');
}

// The state of a table constructor being parsed.
struct ConsControl {
  expdesc v;    ///< the last list item read
  expdesc* t;   ///< the table descriptor
  int nh;       ///< record fields
  int na;       ///< list items already stored
  int tostore;  ///< list items waiting for a SETLIST
};

// recfield -> (NAME | '['exp']') = exp
void recfield(LexState* ls, ConsControl* cc) {
  FuncState* fs = ls->fs;
  int reg = ls->fs->freereg;
  expdesc tab, key, val;
  if (ls->t.token == TK_NAME) {
    checklimit(fs, cc->nh, MAX_INT, "items in a constructor");
    codename(ls, &key);
  } else {
    yindex(ls, &key);
  }
  cc->nh++;
  checknext(ls, '=');
  tab = *cc->t;
  luaK_indexed(fs, &tab, &key);
  expr(ls, &val);
  luaK_storevar(fs, &tab, &val);
  fs->freereg = cast_byte(reg);
}

// Puts the previous list item in its register, flushing a full batch of
// LFIELDS_PER_FLUSH items with a SETLIST.
void closelistfield(FuncState* fs, ConsControl* cc) {
  if (cc->v.k == VVOID) return;
  luaK_exp2nextreg(fs, &cc->v);
  cc->v.k = VVOID;
  if (cc->tostore == LFIELDS_PER_FLUSH) {
    luaK_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
    cc->na += cc->tostore;
    cc->tostore = 0;
  }
}

// Stores the remaining items; a call or vararg at the end contributes
// all its values.
void lastlistfield(FuncState* fs, ConsControl* cc) {
  if (cc->tostore == 0) return;
  if (hasmultret(cc->v.k)) {
    luaK_setmultret(fs, &cc->v);
    luaK_setlist(fs, cc->t->u.info, cc->na, LUA_MULTRET);
    cc->na--;  // its count is not known
  } else {
    if (cc->v.k != VVOID) luaK_exp2nextreg(fs, &cc->v);
    luaK_setlist(fs, cc->t->u.info, cc->na, cc->tostore);
  }
  cc->na += cc->tostore;
}

// listfield -> exp
void listfield(LexState* ls, ConsControl* cc) {
  expr(ls, &cc->v);
  cc->tostore++;
}

// field -> listfield | recfield
void field(LexState* ls, ConsControl* cc) {
  switch (ls->t.token) {
    case TK_NAME:
      if (luaX_lookahead(ls) != '=')
        listfield(ls, cc);
      else
        recfield(ls, cc);
      break;
    case '[':
      recfield(ls, cc);
      break;
    default:
      listfield(ls, cc);
      break;
  }
}

// constructor -> '{' [ field { sep field } [sep] ] '}'
// The NEWTABLE and its EXTRAARG are reserved first and sized at the end.
void constructor(LexState* ls, expdesc* t) {
  FuncState* fs = ls->fs;
  int line = ls->linenumber;
  int pc = luaK_codeABC(fs, OP_NEWTABLE, 0, 0, 0);
  ConsControl cc;
  luaK_code(fs, 0);  // room for the EXTRAARG
  cc.na = cc.nh = cc.tostore = 0;
  cc.t = t;
  init_exp(t, VNONRELOC, fs->freereg);
  luaK_reserveregs(fs, 1);
  init_exp(&cc.v, VVOID, 0);
  checknext(ls, '{');
  do {
    lua_assert(cc.v.k == VVOID || cc.tostore > 0);
    if (ls->t.token == '}') break;
    closelistfield(fs, &cc);
    field(ls, &cc);
  } while (testnext(ls, ',') || testnext(ls, ';'));
  check_match(ls, '}', '{', line);
  lastlistfield(fs, &cc);
  luaK_settablesize(fs, pc, t->u.info, cc.na, cc.nh);
}

void setvararg(FuncState* fs, int nparams) {
  fs->f->is_vararg = 1;
  luaK_codeABC(fs, OP_VARARGPREP, nparams, 0, 0);
}

// parlist -> [ {NAME ','} (NAME | '...') ]
void parlist(LexState* ls) {
  FuncState* fs = ls->fs;
  Proto* f = fs->f;
  int nparams = 0;
  bool isvararg = false;
  if (ls->t.token != ')') {
    do {
      switch (ls->t.token) {
        case TK_NAME:
          new_localvar(ls, str_checkname(ls));
          nparams++;
          break;
        case TK_DOTS:
          luaX_next(ls);
          isvararg = true;
          break;
        default:
          luaX_syntaxerror(ls, "<name> or '...' expected");
      }
    } while (!isvararg && testnext(ls, ','));
  }
  adjustlocalvars(ls, nparams);
  f->numparams = fs->nactvar;
  if (isvararg) setvararg(fs, f->numparams);
  luaK_reserveregs(fs, fs->nactvar);
}

// body -> '(' parlist ')' block END
void body(LexState* ls, expdesc* e, bool ismethod, int line) {
  FuncState new_fs;
  BlockCnt bl;
  new_fs.f = addprototype(ls);
  new_fs.f->linedefined = line;
  open_func(ls, &new_fs, &bl);
  if (ismethod) {
    new_localvarliteral(ls, "self");
    adjustlocalvars(ls, 1);
  }
  checknext(ls, '(');
  parlist(ls);
  checknext(ls, ')');
  statlist(ls);
  new_fs.f->lastlinedefined = ls->linenumber;
  check_match(ls, TK_END, TK_FUNCTION, line);
  codeclosure(ls, e);
  close_func(ls);
}

// explist -> expr { ',' expr }; all but the last go to registers.
int explist(LexState* ls, expdesc* v) {
  int n = 1;
  expr(ls, v);
  while (testnext(ls, ',')) {
    luaK_exp2nextreg(ls->fs, v);
    expr(ls, v);
    n++;
  }
  return n;
}

// funcargs -> '(' [ explist ] ')' | constructor | STRING
// The function is in register `f->u.info`, the arguments above it.
void funcargs(LexState* ls, expdesc* f, int line) {
  FuncState* fs = ls->fs;
  expdesc args;
  switch (ls->t.token) {
    case '(':
      luaX_next(ls);
      if (ls->t.token == ')') {
        args.k = VVOID;
      } else {
        explist(ls, &args);
        if (hasmultret(args.k)) luaK_setmultret(fs, &args);
      }
      check_match(ls, ')', '(', line);
      break;
    case '{':
      constructor(ls, &args);
      break;
    case TK_STRING:
      codestring(&args, ls->t.seminfo.ts);
      luaX_next(ls);
      break;
    default:
      luaX_syntaxerror(ls, "function arguments expected");
  }
  lua_assert(f->k == VNONRELOC);
  int base = f->u.info;
  int nparams;
  if (hasmultret(args.k)) {
    nparams = LUA_MULTRET;
  } else {
    if (args.k != VVOID) luaK_exp2nextreg(fs, &args);
    nparams = fs->freereg - (base + 1);
  }
  init_exp(f, VCALL, luaK_codeABC(fs, OP_CALL, base, nparams + 1, 2));
  luaK_fixline(fs, line);
  fs->freereg = cast_byte(base + 1);  // one result, unless changed later
}

// primaryexp -> NAME | '(' expr ')'
void primaryexp(LexState* ls, expdesc* v) {
  switch (ls->t.token) {
    case '(': {
      int line = ls->linenumber;
      luaX_next(ls);
      expr(ls, v);
      check_match(ls, ')', '(', line);
      luaK_dischargevars(ls->fs, v);  // (f()) is one value
      return;
    }
    case TK_NAME:
      singlevar(ls, v);
      return;
    default:
      luaX_syntaxerror(ls, "unexpected symbol");
  }
}

// suffixedexp ->
//   primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }
void suffixedexp(LexState* ls, expdesc* v) {
  FuncState* fs = ls->fs;
  int line = ls->linenumber;
  primaryexp(ls, v);
  for (;;) {
    switch (ls->t.token) {
      case '.':
        fieldsel(ls, v);
        break;
      case '[': {
        expdesc key;
        luaK_exp2anyregup(fs, v);
        yindex(ls, &key);
        luaK_indexed(fs, v, &key);
        break;
      }
      case ':': {
        expdesc key;
        luaX_next(ls);
        codename(ls, &key);
        luaK_self(fs, v, &key);
        funcargs(ls, v, line);
        break;
      }
      case '(':
      case TK_STRING:
      case '{':
        luaK_exp2nextreg(fs, v);
        funcargs(ls, v, line);
        break;
      default:
        return;
    }
  }
}

// simpleexp -> FLT | INT | STRING | NIL | TRUE | FALSE | ... |
//              constructor | FUNCTION body | suffixedexp
void simpleexp(LexState* ls, expdesc* v) {
  switch (ls->t.token) {
    case TK_FLT:
      init_exp(v, VKFLT, 0);
      v->u.nval = ls->t.seminfo.r;
      break;
    case TK_INT:
      init_exp(v, VKINT, 0);
      v->u.ival = ls->t.seminfo.i;
      break;
    case TK_STRING:
      codestring(v, ls->t.seminfo.ts);
      break;
    case TK_NIL:
      init_exp(v, VNIL, 0);
      break;
    case TK_TRUE:
      init_exp(v, VTRUE, 0);
      break;
    case TK_FALSE:
      init_exp(v, VFALSE, 0);
      break;
    case TK_DOTS: {
      FuncState* fs = ls->fs;
      check_condition(ls, fs->f->is_vararg,
                      "cannot use '...' outside a vararg function");
      init_exp(v, VVARARG, luaK_codeABC(fs, OP_VARARG, 0, 0, 1));
      break;
    }
    case '{':
      constructor(ls, v);
      return;
    case TK_FUNCTION:
      luaX_next(ls);
      body(ls, v, false, ls->linenumber);
      return;
    default:
      suffixedexp(ls, v);
      return;
  }
  luaX_next(ls);
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

BinOpr getbinopr(int op) {
  // clang-format off
  switch (op) {
    case '+': return OPR_ADD;
    case '-': return OPR_SUB;
    case '*': return OPR_MUL;
    case '%': return OPR_MOD;
    case '^': return OPR_POW;
    case '/': return OPR_DIV;
    case TK_IDIV: return OPR_IDIV;
    case '&': return OPR_BAND;
    case '|': return OPR_BOR;
    case '~': return OPR_BXOR;
    case TK_SHL: return OPR_SHL;
    case TK_SHR: return OPR_SHR;
    case TK_CONCAT: return OPR_CONCAT;
    case TK_NE: return OPR_NE;
    case TK_EQ: return OPR_EQ;
    case '<': return OPR_LT;
    case TK_LE: return OPR_LE;
    case '>': return OPR_GT;
    case TK_GE: return OPR_GE;
    case TK_AND: return OPR_AND;
    case TK_OR: return OPR_OR;
    default: return OPR_NOBINOPR;
  }
  // clang-format on
}

// Left and right priorities of the binary operators, in BinOpr order. A
// right priority lower than the left one makes an operator right
// associative ('^' and '..').
struct Priority {
  lu_byte left;
  lu_byte right;
};
constexpr Priority priority[] = {
    {10, 10}, {10, 10},          // + -
    {11, 11}, {11, 11},          // * %
    {14, 13},                    // ^
    {11, 11}, {11, 11},          // / //
    {6, 6},   {4, 4},   {5, 5},  // & | ~
    {7, 7},   {7, 7},            // << >>
    {9, 8},                      // ..
    {3, 3},   {3, 3},   {3, 3},  // == < <=
    {3, 3},   {3, 3},   {3, 3},  // ~= > >=
    {2, 2},   {1, 1}             // and or
};
static_assert(sizeof(priority) / sizeof(priority[0]) == OPR_NOBINOPR);

constexpr int UNARY_PRIORITY = 12;

// subexpr -> (simpleexp | unop subexpr) { binop subexpr }
// Reads operators while they bind tighter than `limit`; returns the first
// operator it did not consume.
BinOpr subexpr(LexState* ls, expdesc* v, int limit) {
  enterlevel(ls);
  UnOpr uop = getunopr(ls->t.token);
  if (uop != OPR_NOUNOPR) {
    int line = ls->linenumber;
    luaX_next(ls);
    subexpr(ls, v, UNARY_PRIORITY);
    luaK_prefix(ls->fs, uop, v, line);
  } else {
    simpleexp(ls, v);
  }
  BinOpr op = getbinopr(ls->t.token);
  while (op != OPR_NOBINOPR && priority[op].left > limit) {
    expdesc v2;
    int line = ls->linenumber;
    luaX_next(ls);
    luaK_infix(ls->fs, op, v);
    BinOpr nextop = subexpr(ls, &v2, priority[op].right);
    luaK_posfix(ls->fs, op, v, &v2, line);
    op = nextop;
  }
  leavelevel(ls);
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
  FuncState* fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 0);
  statlist(ls);
  leaveblock(fs);
}

// The variables on the left of a multiple assignment, linked backwards.
struct LHS_assign {
  LHS_assign* prev;
  expdesc v;
};

// In `a[i], i = ...` the table or key register of an earlier target may
// be the local (or the upvalue) that this target `v` assigns first.
// Those earlier targets then use a copy of the old value, made here.
void check_conflict(LexState* ls, LHS_assign* lh, expdesc* v) {
  FuncState* fs = ls->fs;
  int extra = fs->freereg;  // where the copy goes
  bool conflict = false;
  for (; lh != nullptr; lh = lh->prev) {
    if (!vkisindexed(lh->v.k)) continue;
    if (lh->v.k == VINDEXUP) {
      if (v->k == VUPVAL && lh->v.u.ind.t == v->u.info) {
        conflict = true;
        lh->v.k = VINDEXSTR;
        lh->v.u.ind.t = cast_byte(extra);
      }
    } else {
      if (v->k == VLOCAL && lh->v.u.ind.t == v->u.var.ridx) {
        conflict = true;
        lh->v.u.ind.t = cast_byte(extra);
      }
      if (lh->v.k == VINDEXED && v->k == VLOCAL &&
          lh->v.u.ind.idx == v->u.var.ridx) {
        conflict = true;
        lh->v.u.ind.idx = static_cast<short>(extra);
      }
    }
  }
  if (conflict) {
    if (v->k == VLOCAL)
      luaK_codeABC(fs, OP_MOVE, extra, v->u.var.ridx, 0);
    else
      luaK_codeABC(fs, OP_GETUPVAL, extra, v->u.info, 0);
    luaK_reserveregs(fs, 1);
  }
}

// restassign -> ',' suffixedexp restassign | '=' explist
// The values are computed into consecutive registers, then stored from
// the last target to the first as the recursion unwinds.
void restassign(LexState* ls, LHS_assign* lh, int nvars) {
  expdesc e;
  check_condition(ls, vkisvar(lh->v.k), "syntax error");
  check_readonly(ls, &lh->v);
  if (testnext(ls, ',')) {
    LHS_assign nv;
    nv.prev = lh;
    suffixedexp(ls, &nv.v);
    if (!vkisindexed(nv.v.k)) check_conflict(ls, lh, &nv.v);
    enterlevel(ls);  // invariant NESTING
    restassign(ls, &nv, nvars + 1);
    leavelevel(ls);
  } else {
    checknext(ls, '=');
    int nexps = explist(ls, &e);
    if (nexps != nvars) {
      adjust_assign(ls, nvars, nexps, &e);
    } else {
      luaK_setoneret(ls->fs, &e);
      luaK_storevar(ls->fs, &lh->v, &e);
      return;  // the last value went straight to its target
    }
  }
  init_exp(&e, VNONRELOC, ls->fs->freereg - 1);  // the top value
  luaK_storevar(ls->fs, &lh->v, &e);
}

// cond -> exp; returns the jumps taken when it is false.
int cond(LexState* ls) {
  expdesc v;
  expr(ls, &v);
  if (v.k == VNIL) v.k = VFALSE;  // one kind of false is enough
  luaK_goiftrue(ls->fs, &v);
  return v.f;
}

// goto NAME: backward to a visible label now, forward when it appears.
void gotostat(LexState* ls) {
  FuncState* fs = ls->fs;
  int line = ls->linenumber;
  TString* name = str_checkname(ls);
  Labeldesc* lb = findlabel(ls, name);
  if (lb == nullptr) {
    newgotoentry(ls, name, line, luaK_jump(fs));
    return;
  }
  int lblevel = reglevel(fs, lb->nactvar);
  if (luaY_nvarstack(fs) > lblevel)  // leaving some variables' scope
    luaK_codeABC(fs, OP_CLOSE, lblevel, 0, 0);
  luaK_patchlist(fs, luaK_jump(fs), lb->pc);
}

// break is a goto to the label "break" that each loop creates at its end.
void breakstat(LexState* ls) {
  int line = ls->linenumber;
  luaX_next(ls);
  newgotoentry(ls, luaS_newliteral(ls->L, "break"), line, luaK_jump(ls->fs));
}

void checkrepeated(LexState* ls, TString* name) {
  Labeldesc* lb = findlabel(ls, name);
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
  BlockCnt bl;
  luaX_next(ls);
  int whileinit = luaK_getlabel(fs);
  int condexit = cond(ls);
  enterblock(fs, &bl, 1);
  checknext(ls, TK_DO);
  block(ls);
  luaK_jumpto(fs, whileinit);
  check_match(ls, TK_END, TK_WHILE, line);
  leaveblock(fs);
  luaK_patchtohere(fs, condexit);
}

// repeatstat -> REPEAT block UNTIL cond. The condition sees the body's
// locals; when they are captured, going round again must close them, so
// the back jump goes through a CLOSE.
void repeatstat(LexState* ls, int line) {
  FuncState* fs = ls->fs;
  int repeat_init = luaK_getlabel(fs);
  BlockCnt bl1, bl2;
  enterblock(fs, &bl1, 1);  // the loop
  enterblock(fs, &bl2, 0);  // the scope of the body's locals
  luaX_next(ls);
  statlist(ls);
  check_match(ls, TK_UNTIL, TK_REPEAT, line);
  int condexit = cond(ls);
  leaveblock(fs);
  if (bl2.upval) {
    int exit = luaK_jump(fs);
    luaK_patchtohere(fs, condexit);
    luaK_codeABC(fs, OP_CLOSE, reglevel(fs, bl2.nactvar), 0, 0);
    condexit = luaK_jump(fs);
    luaK_patchtohere(fs, exit);
  }
  luaK_patchlist(fs, condexit, repeat_init);
  leaveblock(fs);
}

// An expression into the next register (a for loop's control values).
void exp1(LexState* ls) {
  expdesc e;
  expr(ls, &e);
  luaK_exp2nextreg(ls->fs, &e);
  lua_assert(e.k == VNONRELOC);
}

// FORPREP/FORLOOP and their generic forms keep an unsigned Bx offset;
// `back` says it counts backwards.
void fixforjump(FuncState* fs, int pc, int dest, bool back) {
  Instruction* jmp = &fs->f->code[pc];
  int offset = dest - (pc + 1);
  if (back) offset = -offset;
  if (offset > MAXARG_Bx) [[unlikely]]
    luaX_syntaxerror(fs->ls, "control structure too long");
  SETARG_Bx(*jmp, offset);
}

// forbody -> DO block. The loop's instructions take the `line` of 'for'.
void forbody(LexState* ls, int base, int line, int nvars, bool isgen) {
  static constexpr OpCode forprep[2] = {OP_FORPREP, OP_TFORPREP};
  static constexpr OpCode forloop[2] = {OP_FORLOOP, OP_TFORLOOP};
  BlockCnt bl;
  FuncState* fs = ls->fs;
  checknext(ls, TK_DO);
  int prep = luaK_codeABx(fs, forprep[isgen], base, 0);
  enterblock(fs, &bl, 0);  // the declared variables' scope
  adjustlocalvars(ls, nvars);
  luaK_reserveregs(fs, nvars);
  block(ls);
  leaveblock(fs);
  fixforjump(fs, prep, luaK_getlabel(fs), false);
  if (isgen) {
    luaK_codeABC(fs, OP_TFORCALL, base, 0, nvars);
    luaK_fixline(fs, line);
  }
  int endfor = luaK_codeABx(fs, forloop[isgen], base, 0);
  fixforjump(fs, endfor, prep + 1, true);
  luaK_fixline(fs, line);
}

// fornum -> NAME = exp, exp [, exp] forbody
void fornum(LexState* ls, TString* varname, int line) {
  FuncState* fs = ls->fs;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvar(ls, varname);
  checknext(ls, '=');
  exp1(ls);  // initial value
  checknext(ls, ',');
  exp1(ls);  // limit
  if (testnext(ls, ',')) {
    exp1(ls);  // step
  } else {
    luaK_int(fs, fs->freereg, 1);
    luaK_reserveregs(fs, 1);
  }
  adjustlocalvars(ls, 3);
  forbody(ls, base, line, 1, false);
}

// forlist -> NAME {, NAME} IN explist forbody. Four hidden variables
// (iterator, state, control, closing value) come first.
void forlist(LexState* ls, TString* indexname) {
  FuncState* fs = ls->fs;
  expdesc e;
  int nvars = 5;
  int base = fs->freereg;
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvarliteral(ls, "(for state)");
  new_localvar(ls, indexname);
  while (testnext(ls, ',')) {
    new_localvar(ls, str_checkname(ls));
    nvars++;
  }
  checknext(ls, TK_IN);
  int line = ls->linenumber;
  adjust_assign(ls, 4, explist(ls, &e), &e);
  adjustlocalvars(ls, 4);
  marktobeclosed(fs);      // the closing value
  luaK_checkstack(fs, 3);  // room to call the iterator
  forbody(ls, base, line, nvars - 4, true);
}

// forstat -> FOR (fornum | forlist) END
void forstat(LexState* ls, int line) {
  FuncState* fs = ls->fs;
  BlockCnt bl;
  enterblock(fs, &bl, 1);  // the loop, with its control variables
  luaX_next(ls);
  TString* varname = str_checkname(ls);
  switch (ls->t.token) {
    case '=':
      fornum(ls, varname, line);
      break;
    case ',':
    case TK_IN:
      forlist(ls, varname);
      break;
    default:
      luaX_syntaxerror(ls, "'=' or 'in' expected");
  }
  check_match(ls, TK_END, TK_FOR, line);
  leaveblock(fs);
}

// test_then_block -> [IF | ELSEIF] cond THEN block. `if c then break`
// jumps straight out of the loop when c is true.
void test_then_block(LexState* ls, int* escapelist) {
  BlockCnt bl;
  FuncState* fs = ls->fs;
  expdesc v;
  int jf;  // skips the 'then' part when the condition is false
  luaX_next(ls);
  expr(ls, &v);
  checknext(ls, TK_THEN);
  if (ls->t.token == TK_BREAK) {
    int line = ls->linenumber;
    luaK_goiffalse(ls->fs, &v);
    luaX_next(ls);
    enterblock(fs, &bl, 0);  // the goto belongs to the 'then' block
    newgotoentry(ls, luaS_newliteral(ls->L, "break"), line, v.t);
    while (testnext(ls, ';')) {
    }
    if (block_follow(ls, false)) {
      leaveblock(fs);
      return;
    }
    jf = luaK_jump(fs);
  } else {
    luaK_goiftrue(ls->fs, &v);
    enterblock(fs, &bl, 0);
    jf = v.f;
  }
  statlist(ls);
  leaveblock(fs);
  if (ls->t.token == TK_ELSE || ls->t.token == TK_ELSEIF)
    luaK_concat(fs, escapelist, luaK_jump(fs));
  luaK_patchtohere(fs, jf);
}

// ifstat -> IF cond THEN block {ELSEIF cond THEN block} [ELSE block] END
void ifstat(LexState* ls, int line) {
  int escapelist = NO_JUMP;
  test_then_block(ls, &escapelist);
  while (ls->t.token == TK_ELSEIF) test_then_block(ls, &escapelist);
  if (testnext(ls, TK_ELSE)) block(ls);
  check_match(ls, TK_END, TK_IF, line);
  luaK_patchtohere(ls->fs, escapelist);
}

// local function NAME body: the variable is in scope inside the body (for
// recursion), but its debug entry starts after the CLOSURE.
void localfunc(LexState* ls) {
  expdesc b;
  FuncState* fs = ls->fs;
  int fvar = fs->nactvar;
  new_localvar(ls, str_checkname(ls));
  adjustlocalvars(ls, 1);
  body(ls, &b, false, ls->linenumber);
  localdebuginfo(fs, fvar)->startpc = fs->pc;
}

// attrib -> ['<' NAME '>']
lu_byte getlocalattribute(LexState* ls) {
  if (!testnext(ls, '<')) return VDKREG;
  const char* attr = getstr(str_checkname(ls));
  checknext(ls, '>');
  if (std::strcmp(attr, "const") == 0) return RDKCONST;
  if (std::strcmp(attr, "close") == 0) return RDKTOCLOSE;
  luaK_semerror(ls, luaO_pushfstring(ls->L, "unknown attribute '%s'", attr));
}

// Marks variable `level`, if any, to be closed (OP_TBC).
void checktoclose(FuncState* fs, int level) {
  if (level == -1) return;
  marktobeclosed(fs);
  luaK_codeABC(fs, OP_TBC, reglevel(fs, level), 0, 0);
}

// localstat -> LOCAL NAME attrib { ',' NAME attrib } ['=' explist]
// A <const> last variable initialised by a constant expression takes no
// register: it becomes a compile-time constant.
void localstat(LexState* ls) {
  FuncState* fs = ls->fs;
  int toclose = -1;
  int vidx;
  int nvars = 0;
  int nexps;
  expdesc e;
  do {
    vidx = new_localvar(ls, str_checkname(ls));
    lu_byte kind = getlocalattribute(ls);
    getlocalvardesc(fs, vidx)->vd.kind = kind;
    if (kind == RDKTOCLOSE) {
      if (toclose != -1)
        luaK_semerror(ls, "multiple to-be-closed variables in local list");
      toclose = fs->nactvar + nvars;
    }
    nvars++;
  } while (testnext(ls, ','));
  if (testnext(ls, '=')) {
    nexps = explist(ls, &e);
  } else {
    e.k = VVOID;
    nexps = 0;
  }
  Vardesc* var = getlocalvardesc(fs, vidx);  // the last variable
  if (nvars == nexps && var->vd.kind == RDKCONST &&
      luaK_exp2const(fs, &e, &var->k)) {
    var->vd.kind = RDKCTC;
    adjustlocalvars(ls, nvars - 1);
    fs->nactvar++;  // active, with no register
  } else {
    adjust_assign(ls, nvars, nexps, &e);
    adjustlocalvars(ls, nvars);
  }
  checktoclose(fs, toclose);
}

// funcname -> NAME {fieldsel} [':' NAME]; returns whether it is a method.
bool funcname(LexState* ls, expdesc* v) {
  bool ismethod = false;
  singlevar(ls, v);
  while (ls->t.token == '.') fieldsel(ls, v);
  if (ls->t.token == ':') {
    ismethod = true;
    fieldsel(ls, v);
  }
  return ismethod;
}

// funcstat -> FUNCTION funcname body
void funcstat(LexState* ls, int line) {
  expdesc v, b;
  luaX_next(ls);
  bool ismethod = funcname(ls, &v);
  body(ls, &b, ismethod, line);
  check_readonly(ls, &v);
  luaK_storevar(ls->fs, &v, &b);
  luaK_fixline(ls->fs, line);  // the definition is on the 'function' line
}

// stat -> func | assignment
void exprstat(LexState* ls) {
  FuncState* fs = ls->fs;
  LHS_assign v;
  suffixedexp(ls, &v.v);
  if (ls->t.token == '=' || ls->t.token == ',') {
    v.prev = nullptr;
    restassign(ls, &v, 1);
  } else {
    check_condition(ls, v.v.k == VCALL, "syntax error");
    SETARG_C(getinstruction(fs, &v.v), 1);  // a statement keeps no result
  }
}

// retstat -> RETURN [explist] [';']. `return f(x)` is a tail call unless
// a to-be-closed variable must be closed after the call.
void retstat(LexState* ls) {
  FuncState* fs = ls->fs;
  expdesc e;
  int nret;
  int first = luaY_nvarstack(fs);
  if (block_follow(ls, true) || ls->t.token == ';') {
    nret = 0;
  } else {
    nret = explist(ls, &e);
    if (hasmultret(e.k)) {
      luaK_setmultret(fs, &e);
      if (e.k == VCALL && nret == 1 && !fs->bl->insidetbc) {
        SET_OPCODE(getinstruction(fs, &e), OP_TAILCALL);
        lua_assert(GETARG_A(getinstruction(fs, &e)) == luaY_nvarstack(fs));
      }
      nret = LUA_MULTRET;
    } else if (nret == 1) {
      first = luaK_exp2anyreg(fs, &e);  // any register will do
    } else {
      luaK_exp2nextreg(fs, &e);
      first = luaY_nvarstack(fs);
      lua_assert(nret == fs->freereg - first);
    }
  }
  luaK_ret(fs, first, nret);
  testnext(ls, ';');
}

void statement(LexState* ls) {
  int line = ls->linenumber;  // for error messages
  enterlevel(ls);
  switch (ls->t.token) {
    case ';':
      luaX_next(ls);
      break;
    case TK_IF:
      ifstat(ls, line);
      break;
    case TK_WHILE:
      whilestat(ls, line);
      break;
    case TK_DO:
      luaX_next(ls);
      block(ls);
      check_match(ls, TK_END, TK_DO, line);
      break;
    case TK_FOR:
      forstat(ls, line);
      break;
    case TK_REPEAT:
      repeatstat(ls, line);
      break;
    case TK_FUNCTION:
      funcstat(ls, line);
      break;
    case TK_LOCAL:
      luaX_next(ls);
      if (testnext(ls, TK_FUNCTION))
        localfunc(ls);
      else
        localstat(ls);
      break;
    case TK_DBCOLON:
      luaX_next(ls);
      labelstat(ls, str_checkname(ls), line);
      break;
    case TK_RETURN:
      luaX_next(ls);
      retstat(ls);
      break;
    case TK_BREAK:
      breakstat(ls);
      break;
    case TK_GOTO:
      luaX_next(ls);
      gotostat(ls);
      break;
    default:
      exprstat(ls);
      break;
  }
  lua_assert(ls->fs->f->maxstacksize >= ls->fs->freereg &&
             ls->fs->freereg >= luaY_nvarstack(ls->fs));
  ls->fs->freereg = cast_byte(luaY_nvarstack(ls->fs));  // FREEREG
  leavelevel(ls);
}

// The main function: vararg, with _ENV as its only upvalue.
void mainfunc(LexState* ls, FuncState* fs) {
  BlockCnt bl;
  open_func(ls, fs, &bl);
  setvararg(fs, 0);
  Upvaldesc* env = allocupvalue(fs);
  env->instack = 1;
  env->idx = 0;
  env->kind = VDKREG;
  env->name = ls->envn;
  luaC_objbarrier(ls->L, fs->f, env->name);
  luaX_next(ls);  // the first token
  statlist(ls);
  check(ls, TK_EOS);
  close_func(ls);
}

}  // namespace

LClosure* luaY_parser(lua_State* L, ZIO* z, Mbuffer* buff, Dyndata* dyd,
                      const char* name, int firstchar) {
  LexState lexstate;
  FuncState funcstate;
  LClosure* cl = luaF_newLclosure(L, 1);
  setclLvalue2s(L, L->top, cl);  // anchored (invariant ANCHOR)
  luaD_inctop(L);
  lexstate.h = luaH_new(L);
  sethvalue2s(L, L->top, lexstate.h);
  luaD_inctop(L);
  funcstate.f = cl->p = luaF_newproto(L);
  luaC_objbarrier(L, cl, cl->p);
  funcstate.f->source = luaS_new(L, name);
  luaC_objbarrier(L, funcstate.f, funcstate.f->source);
  lexstate.buff = buff;
  lexstate.dyd = dyd;
  dyd->actvar.n = dyd->gt.n = dyd->label.n = 0;
  luaX_setinput(L, &lexstate, z, funcstate.f->source, firstchar);
  mainfunc(&lexstate, &funcstate);
  lua_assert(!funcstate.prev && funcstate.nups == 1 && !lexstate.fs);
  lua_assert(dyd->actvar.n == 0 && dyd->gt.n == 0 && dyd->label.n == 0);
  L->top--;  // the scanner table
  return cl;
}

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

// Puts the error object of a failed compilation at `oldtop`, as ldo's
// seterrorobj does. A syntax error (and, from chapter 8 on, any error)
// left its message on the stack; before chapter 8 the stand-in runner's
// exception carries the message of other errors.
void seterrorobj(lua_State* L, int status, std::ptrdiff_t oldtop,
                 const LuaError& err, StkId errtop) {
  StkId base = restorestack(L, oldtop);
  if (status == LUA_ERRMEM) {
    setsvalue2s(L, base, G(L)->memerrmsg);
  } else if (status == LUA_ERRSYNTAX || G(L)->seams.runerror != nullptr) {
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
