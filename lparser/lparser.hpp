/// \file
/// The parser's data structures: expression descriptors, active variables,
/// pending gotos and labels, and the state of a function being compiled.
///
/// Mirrors: Lua 5.4 lparser.h
/// Book: chapter 7
///
/// Design: Lua compiles in one pass, with no syntax tree. The parser reads
/// tokens and calls the code generator (lcode) as soon as it knows enough;
/// what it knows about an expression that is not yet in a register is an
/// `expdesc`: its kind (a constant, a local, a table field, a pending
/// jump, an instruction whose target register is still open...) and the
/// two lists of jumps that leave it when it is true or false.
///
/// - **Invariant FREEREG.** Between statements, `fs->freereg` equals
///   luaY_nvarstack(fs): the registers in use are exactly those of the
///   active local variables (compile-time constants take none).
/// - **Invariant STACKORDER.** Temporary registers are freed in the
///   reverse order of their allocation (freereg is a stack pointer).
/// - **Invariant ACTVAR.** The active variables of every function being
///   compiled sit in one array, `dyd->actvar`, function after function;
///   a function's own start at `fs->firstlocal`.
///
/// Differences from Lua:
/// - `expkind` is an unscoped enum with a fixed underlying type, because
///   the code generator compares kinds in ranges (vkisvar, vkisindexed).
/// - Lua's `Vardesc` is a union that overlays the variable's fields on the
///   padding of a TValue; here it is a plain struct with the fields `vd`
///   and the constant value `k` side by side (eight bytes more per active
///   variable, and no layout trick to explain).
/// - `FuncState`, `Labeldesc` and `Labellist` have default member
///   initialisers, so that the parser value-initialises them (open_func,
///   newlabelentry) instead of zeroing them field by field.
/// - luaY_compile is ours: a protected wrapper around luaY_parser that the
///   tests and the stage demo use before chapter 8 provides lua_load.
#pragma once

#include "lparser/llex.hpp"

namespace lua {

/// Kinds of expression descriptors. The comment says which field of
/// `expdesc::u` holds what.
enum expkind : int {
  VVOID,      ///< no value: an empty expression list
  VNIL,       ///< constant nil
  VTRUE,      ///< constant true
  VFALSE,     ///< constant false
  VK,         ///< constant in `k`; info = its index
  VKFLT,      ///< float constant; nval = its value
  VKINT,      ///< integer constant; ival = its value
  VKSTR,      ///< string constant; strval = the string
  VNONRELOC,  ///< value in a fixed register; info = the register
  VLOCAL,     ///< local variable; var.ridx = register, var.vidx = index
              ///< among the function's active variables
  VUPVAL,     ///< upvalue; info = its index in `upvalues`
  VCONST,     ///< compile-time constant; info = absolute index in actvar
  VINDEXED,   ///< t[k]; ind.t = table register, ind.idx = key register
  VINDEXUP,   ///< upvalue[k]; ind.t = upvalue, ind.idx = key's K index
  VINDEXI,    ///< t[i]; ind.t = table register, ind.idx = the integer
  VINDEXSTR,  ///< t.s; ind.t = table register, ind.idx = key's K index
  VJMP,       ///< a test; info = pc of its jump
  VRELOC,     ///< instruction with an open target register; info = pc
  VCALL,      ///< a call; info = pc of the CALL
  VVARARG     ///< a vararg; info = pc of the VARARG
};

/// Is an expression of kind `k` a variable (assignable)?
constexpr bool vkisvar(expkind k) {
  return VLOCAL <= k && k <= VINDEXSTR;
}
/// Is it a table access?
constexpr bool vkisindexed(expkind k) {
  return VINDEXED <= k && k <= VINDEXSTR;
}

/// What the compiler knows about an expression.
struct expdesc {
  expkind k;
  union {
    lua_Integer ival;  ///< VKINT
    lua_Number nval;   ///< VKFLT
    TString* strval;   ///< VKSTR
    int info;          ///< see expkind
    struct {
      short idx;  ///< key: register, constant index or integer
      lu_byte t;  ///< table: register or upvalue
    } ind;        ///< indexed variables
    struct {
      lu_byte ridx;         ///< register holding the variable
      unsigned short vidx;  ///< index among the function's active vars
    } var;                  ///< local variables
  } u;
  int t;  ///< patch list of "exit when true"
  int f;  ///< patch list of "exit when false"
};

// Kinds of variables (Vardesc::vd.kind, Upvaldesc::kind).
inline constexpr lu_byte VDKREG = 0;      ///< regular
inline constexpr lu_byte RDKCONST = 1;    ///< declared with the attribute const
inline constexpr lu_byte RDKTOCLOSE = 2;  ///< declared with the attribute close
inline constexpr lu_byte RDKCTC = 3;      ///< compile-time constant

/// An active local variable.
struct Vardesc {
  struct {
    lu_byte kind;   ///< VDKREG, RDKCONST, RDKTOCLOSE or RDKCTC
    lu_byte ridx;   ///< register holding it (not for RDKCTC)
    short pidx;     ///< index in the Proto's `locvars`
    TString* name;  ///< the variable's name
  } vd;
  TValue k;  ///< its value, for a compile-time constant
};

/// A pending goto or a label.
struct Labeldesc {
  TString* name = nullptr;  ///< the label
  int pc = 0;               ///< the goto's jump, or the label's position
  int line = 0;             ///< where it appeared
  lu_byte nactvar = 0;      ///< active variables at that point
  lu_byte close = 0;  ///< the goto leaves a scope with upvalues (needs CLOSE)
};

/// A growable list of labels or gotos.
struct Labellist {
  Labeldesc* arr = nullptr;
  int n = 0;     ///< entries in use
  int size = 0;  ///< entries allocated
};

/// The parser's dynamic structures, shared by all functions of a chunk.
/// The caller owns the arrays (they outlive an error, and the caller frees
/// them: see luaY_freedyndata).
struct Dyndata {
  struct {
    Vardesc* arr;
    int n;
    int size;
  } actvar;         ///< active local variables (invariant ACTVAR)
  Labellist gt;     ///< pending gotos
  Labellist label;  ///< active labels
};

struct BlockCnt;  // a block being compiled (lparser.cpp)

/// The state of a function being compiled.
struct FuncState {
  Proto* f = nullptr;         ///< the prototype being built
  FuncState* prev = nullptr;  ///< the enclosing function
  LexState* ls = nullptr;     ///< the lexer
  BlockCnt* bl = nullptr;     ///< the innermost block
  int pc = 0;                 ///< next instruction (== number of instructions)
  int lasttarget = 0;         ///< pc of the last jump target
  int previousline = 0;       ///< line of the last instruction's line info
  int nk = 0;                 ///< constants in `f->k`
  int np = 0;                 ///< prototypes in `f->p`
  int nabslineinfo = 0;       ///< entries in `f->abslineinfo`
  int firstlocal = 0;         ///< this function's first variable in actvar
  int firstlabel = 0;         ///< this function's first label in dyd->label
  short ndebugvars = 0;       ///< entries in `f->locvars`
  lu_byte nactvar = 0;        ///< active local variables
  lu_byte nups = 0;           ///< upvalues
  lu_byte freereg = 0;        ///< first free register (invariant FREEREG)
  lu_byte iwthabs = 0;        ///< instructions since the last absolute line
  lu_byte needclose = 0;      ///< a return must close upvalues or tbc vars
};

/// Number of registers taken by the active local variables.
int luaY_nvarstack(FuncState* fs);

/// Compiles the chunk read from `z` (whose first byte, already read, is
/// `firstchar`) into a main closure with one upvalue (_ENV, not yet
/// initialised), which is left on the stack and returned. `name` is the
/// chunk name. `buff` and `dyd` are work areas owned by the caller, who
/// frees them whatever happens. Errors propagate: a syntax error pushes
/// its message and raises LUA_ERRSYNTAX; memory and nesting errors raise
/// as lmem does.
LClosure* luaY_parser(lua_State* L, ZIO* z, Mbuffer* buff, Dyndata* dyd,
                      const char* name, int firstchar);

/// Frees the arrays of `dyd` (which may be empty or partly filled).
void luaY_freedyndata(lua_State* L, Dyndata* dyd);

/// Compiles `len` bytes of Lua source at `source` as chunk `chunkname`
/// ("=t", "@file.lua", or the source text itself), as lua_load does for
/// text chunks: protected, with the work areas freed on every path. Needs
/// luaX_init(L) to have run once for the state. Returns LUA_OK with the
/// closure pushed on the stack, or an error status (LUA_ERRSYNTAX,
/// LUA_ERRRUN for "C stack overflow" and other limits, LUA_ERRMEM) with the
/// error message, a string, pushed instead. Either way the stack grows by
/// exactly one slot. The closure's one upvalue (_ENV) is a closed upvalue
/// holding nil, for the caller to set. Binary chunks are not recognised.
int luaY_compile(lua_State* L, const char* source, std::size_t len,
                 const char* chunkname);

}  // namespace lua
