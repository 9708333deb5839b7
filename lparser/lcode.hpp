/// \file
/// The code generator's interface: the functions the parser calls to turn
/// expression descriptors into instructions, registers and constants.
///
/// Mirrors: Lua 5.4 lcode.h
/// Book: chapter 7
///
/// Design: see lcode.cpp. The parser never writes an instruction itself;
/// it asks for one (luaK_codeABCk, luaK_jump, ...) and moves expressions
/// towards registers (luaK_exp2nextreg, luaK_exp2anyreg, ...), and the
/// code generator chooses the opcodes.
///
/// Differences from Lua: BinOpr and UnOpr are unscoped enums with a fixed
/// underlying type, because the code generator maps them to opcodes, to
/// metamethod events and to luaO_rawarith's operators by arithmetic on
/// their values (OP_ADDK + (opr - OPR_ADD)), as Lua does.
#pragma once

#include "lparser/lopcodes.hpp"
#include "lparser/lparser.hpp"

namespace lua {

/// Marks the end of a jump list (and an unpatched jump).
inline constexpr int NO_JUMP = -1;

/// Binary operators, in the order of the arithmetic opcodes, of the
/// metamethod events and of LUA_OPADD..LUA_OPSHR (the first twelve), then
/// the comparisons and the logical operators.
enum BinOpr : int {
  OPR_ADD,
  OPR_SUB,
  OPR_MUL,
  OPR_MOD,
  OPR_POW,
  OPR_DIV,
  OPR_IDIV,
  OPR_BAND,
  OPR_BOR,
  OPR_BXOR,
  OPR_SHL,
  OPR_SHR,
  OPR_CONCAT,
  OPR_EQ,
  OPR_LT,
  OPR_LE,
  OPR_NE,
  OPR_GT,
  OPR_GE,
  OPR_AND,
  OPR_OR,
  OPR_NOBINOPR
};

/// Can `op` be folded when both operands are numerals?
constexpr bool foldbinop(BinOpr op) {
  return op <= OPR_SHR;
}

/// Unary operators, in the order of OP_UNM, OP_BNOT, OP_NOT, OP_LEN.
enum UnOpr : int { OPR_MINUS, OPR_BNOT, OPR_NOT, OPR_LEN, OPR_NOUNOPR };

/// The instruction of an expression of kind VRELOC, VCALL or VVARARG.
inline Instruction& getinstruction(FuncState* fs, const expdesc* e) {
  return fs->f->code[e->u.info];
}

/// Appends instruction `i` (with the line of the last token) and returns
/// its pc.
int luaK_code(FuncState* fs, Instruction i);
/// Appends an iABx instruction; returns its pc.
int luaK_codeABx(FuncState* fs, OpCode o, int a, unsigned int bc);
/// Appends an iABC instruction with its k bit; returns its pc.
int luaK_codeABCk(FuncState* fs, OpCode o, int a, int b, int c, int k);
inline int luaK_codeABC(FuncState* fs, OpCode o, int a, int b, int c) {
  return luaK_codeABCk(fs, o, a, b, c, 0);
}
/// Is `e` an integer constant with no jumps?
bool luaK_isKint(const expdesc* e);
/// If `e` is a constant (nil, boolean, number, string, or a compile-time
/// constant variable) with no jumps, stores its value in `v` and returns
/// true.
bool luaK_exp2const(FuncState* fs, const expdesc* e, TValue* v);
/// Gives the last instruction line `line`.
void luaK_fixline(FuncState* fs, int line);
/// Sets registers from..from+n-1 to nil, merging with a LOADNIL just
/// before when no jump lands in between.
void luaK_nil(FuncState* fs, int from, int n);
/// Allocates `n` registers above freereg (invariant STACKORDER).
void luaK_reserveregs(FuncState* fs, int n);
/// Makes sure `n` more registers fit; raises "function or expression needs
/// too many registers".
void luaK_checkstack(FuncState* fs, int n);
/// Loads integer `n` into register `reg` (LOADI or LOADK).
void luaK_int(FuncState* fs, int reg, lua_Integer n);
/// Turns a variable expression into a value expression: locals become
/// VNONRELOC, others get the instruction that reads them (VRELOC).
void luaK_dischargevars(FuncState* fs, expdesc* e);
/// Puts `e` in some register (its own if it is a local without jumps);
/// returns the register.
int luaK_exp2anyreg(FuncState* fs, expdesc* e);
/// Like luaK_exp2anyreg, but leaves an upvalue as it is.
void luaK_exp2anyregup(FuncState* fs, expdesc* e);
/// Puts `e` in the next free register, which it then owns.
void luaK_exp2nextreg(FuncState* fs, expdesc* e);
/// Makes `e` a value: a register, or a constant if it has no jumps.
void luaK_exp2val(FuncState* fs, expdesc* e);
/// Codes `e:key` (OP_SELF): `e` becomes the function, with self above it.
void luaK_self(FuncState* fs, expdesc* e, expdesc* key);
/// Makes `t` the indexed variable t[k].
void luaK_indexed(FuncState* fs, expdesc* t, expdesc* k);
/// Jumps out (to the false list) unless `e` is true; falls through if so.
void luaK_goiftrue(FuncState* fs, expdesc* e);
/// Jumps out (to the true list) unless `e` is false.
void luaK_goiffalse(FuncState* fs, expdesc* e);
/// Stores `e` into variable `var`.
void luaK_storevar(FuncState* fs, expdesc* var, expdesc* e);
/// Makes the open call or vararg `e` produce `nresults` values
/// (LUA_MULTRET: all).
void luaK_setreturns(FuncState* fs, expdesc* e, int nresults);
inline void luaK_setmultret(FuncState* fs, expdesc* e) {
  luaK_setreturns(fs, e, LUA_MULTRET);
}
/// Makes the open call or vararg `e` produce exactly one value.
void luaK_setoneret(FuncState* fs, expdesc* e);
/// Codes an unconditional jump, to be patched; returns its pc.
int luaK_jump(FuncState* fs);
/// Codes a return of `nret` values starting at register `first`.
void luaK_ret(FuncState* fs, int first, int nret);
/// Makes every jump of `list` go to `target` (at or before the current pc).
void luaK_patchlist(FuncState* fs, int list, int target);
/// Makes every jump of `list` go to the current pc, a jump target.
void luaK_patchtohere(FuncState* fs, int list);
/// Appends jump list `l2` to the list `*l1`.
void luaK_concat(FuncState* fs, int* l1, int l2);
/// Marks the current pc as a jump target and returns it.
int luaK_getlabel(FuncState* fs);
/// Codes a jump to `t`.
inline void luaK_jumpto(FuncState* fs, int t) {
  luaK_patchlist(fs, luaK_jump(fs), t);
}
/// Applies unary operator `op` to `v` (folding constants).
void luaK_prefix(FuncState* fs, UnOpr op, expdesc* v, int line);
/// Prepares the first operand `v` of binary operator `op`, before the
/// second one is read.
void luaK_infix(FuncState* fs, BinOpr op, expdesc* v);
/// Completes `v1 op v2` into `v1` (folding constants).
void luaK_posfix(FuncState* fs, BinOpr op, expdesc* v1, expdesc* v2, int line);
/// Fills in the NEWTABLE at `pc` (and its EXTRAARG) with the sizes.
void luaK_settablesize(FuncState* fs, int pc, int ra, int asize, int hsize);
/// Codes a SETLIST storing `tostore` values (LUA_MULTRET: up to the top)
/// above register `base` into the table at `base`, after `nelems` items.
void luaK_setlist(FuncState* fs, int base, int nelems, int tostore);
/// The final pass over a function's code: jumps to jumps go straight to
/// their final target, and returns learn whether they must close upvalues
/// (k) and how to restore a vararg frame (C).
void luaK_finish(FuncState* fs);
/// Raises a syntax error `msg` without the "near <token>" suffix.
[[noreturn]] void luaK_semerror(LexState* ls, const char* msg);

/// Checks the code of a finished prototype and of its children, and
/// returns the number of violations found (0: all is well): every jump
/// lands inside the code, each instruction that takes its operands up to
/// the stack top follows one that sets it (TOP), line information covers
/// every instruction and each ABSLINEINFO mark has its absolute entry
/// (LINEINFO), and no function uses more than 255 registers. Never
/// asserts, and works under NDEBUG. Meant for prototypes the compiler made
/// (a stripped chunk that was loaded has no line information, which counts
/// as a violation).
int check_code(const Proto* f);

}  // namespace lua
