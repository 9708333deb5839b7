/// \file
/// The instruction set of the virtual machine: opcodes, instruction
/// formats, and the functions that take instructions apart and build them.
///
/// Mirrors: Lua 5.4 lopcodes.h and lopcodes.c
/// Book: chapter 7
///
/// Design: an instruction is 32 bits, the opcode in the low 7 bits and the
/// operands above it in one of five formats:
///
///     iABC   C(8) | B(8) | k(1) | A(8) | Op(7)
///     iABx        Bx(17)        | A(8) | Op(7)
///     iAsBx      sBx(17)        | A(8) | Op(7)
///     iAx              Ax(25)          | Op(7)
///     isJ              sJ(25)          | Op(7)
///
/// Signed operands (sBx, sJ, and sB/sC where an opcode reads B or C as a
/// signed number) are stored in excess-K: the stored field is the value
/// plus half the field's range (OFFSET_sBx, OFFSET_sJ, OFFSET_sC), so the
/// field itself stays unsigned. The bit k is a flag whose meaning depends
/// on the opcode (a constant operand, a test's sense, "close upvalues").
///
/// - **Invariant ORDER.** The opcodes have Lua 5.4.4's numbers; the
///   compiler relies on the order of some groups (the arithmetic opcodes
///   follow the order of the operators in ltm's TM_ADD.., and the K and
///   register forms are at fixed distances).
/// - **Invariant FIT.** Every field fits in its bits: a setter truncates
///   to the field's width, and callers check the MAXARG_* limits first.
///
/// Differences from Lua: the macros are constexpr values and inline
/// functions with the same names. `OpCode` and `OpMode` are unscoped enums
/// with a fixed underlying type, because the code generator does
/// arithmetic on opcodes (`OP_ADDK + (op - OPR_ADD)`) and compares them in
/// ranges, as Lua does.
#pragma once

#include <cstdint>

#include "lobject/lobject.hpp"

namespace lua {

/// The five instruction formats.
enum OpMode : int { iABC, iABx, iAsBx, iAx, isJ };

// Field widths and positions.
inline constexpr int SIZE_C = 8;
inline constexpr int SIZE_B = 8;
inline constexpr int SIZE_Bx = SIZE_C + SIZE_B + 1;
inline constexpr int SIZE_A = 8;
inline constexpr int SIZE_Ax = SIZE_Bx + SIZE_A;
inline constexpr int SIZE_sJ = SIZE_Bx + SIZE_A;
inline constexpr int SIZE_OP = 7;

inline constexpr int POS_OP = 0;
inline constexpr int POS_A = POS_OP + SIZE_OP;
inline constexpr int POS_k = POS_A + SIZE_A;
inline constexpr int POS_B = POS_k + 1;
inline constexpr int POS_C = POS_B + SIZE_B;
inline constexpr int POS_Bx = POS_k;
inline constexpr int POS_Ax = POS_A;
inline constexpr int POS_sJ = POS_A;

// Largest values of the fields, and the offsets of the signed ones.
inline constexpr int MAXARG_Bx = (1 << SIZE_Bx) - 1;
inline constexpr int OFFSET_sBx = MAXARG_Bx >> 1;
inline constexpr int MAXARG_Ax = (1 << SIZE_Ax) - 1;
inline constexpr int MAXARG_sJ = (1 << SIZE_sJ) - 1;
inline constexpr int OFFSET_sJ = MAXARG_sJ >> 1;
inline constexpr int MAXARG_A = (1 << SIZE_A) - 1;
inline constexpr int MAXARG_B = (1 << SIZE_B) - 1;
inline constexpr int MAXARG_C = (1 << SIZE_C) - 1;
inline constexpr int OFFSET_sC = MAXARG_C >> 1;

/// A signed value stored in an 8-bit B or C field, and back.
constexpr int int2sC(int i) {
  return i + OFFSET_sC;
}
constexpr int sC2int(int i) {
  return i - OFFSET_sC;
}

/// `n` one bits starting at bit `p`, and its complement.
constexpr Instruction MASK1(int n, int p) {
  return (~((~Instruction{0}) << n)) << p;
}
constexpr Instruction MASK0(int n, int p) {
  return ~MASK1(n, p);
}

/// The opcodes, in Lua 5.4.4's order (invariant ORDER). R[x] is a
/// register, K[x] a constant, RK(x) a register or (with k) a constant.
enum OpCode : int {
  OP_MOVE,        ///< R[A] := R[B]
  OP_LOADI,       ///< R[A] := sBx
  OP_LOADF,       ///< R[A] := (lua_Number)sBx
  OP_LOADK,       ///< R[A] := K[Bx]
  OP_LOADKX,      ///< R[A] := K[extra arg]
  OP_LOADFALSE,   ///< R[A] := false
  OP_LFALSESKIP,  ///< R[A] := false; pc++
  OP_LOADTRUE,    ///< R[A] := true
  OP_LOADNIL,     ///< R[A], ..., R[A+B] := nil
  OP_GETUPVAL,    ///< R[A] := UpValue[B]
  OP_SETUPVAL,    ///< UpValue[B] := R[A]
  OP_GETTABUP,    ///< R[A] := UpValue[B][K[C]:string]
  OP_GETTABLE,    ///< R[A] := R[B][R[C]]
  OP_GETI,        ///< R[A] := R[B][C]
  OP_GETFIELD,    ///< R[A] := R[B][K[C]:string]
  OP_SETTABUP,    ///< UpValue[A][K[B]:string] := RK(C)
  OP_SETTABLE,    ///< R[A][R[B]] := RK(C)
  OP_SETI,        ///< R[A][B] := RK(C)
  OP_SETFIELD,    ///< R[A][K[B]:string] := RK(C)
  OP_NEWTABLE,    ///< R[A] := {}
  OP_SELF,        ///< R[A+1] := R[B]; R[A] := R[B][RK(C):string]
  OP_ADDI,        ///< R[A] := R[B] + sC
  OP_ADDK,        ///< R[A] := R[B] + K[C]:number
  OP_SUBK,
  OP_MULK,
  OP_MODK,
  OP_POWK,
  OP_DIVK,
  OP_IDIVK,
  OP_BANDK,  ///< R[A] := R[B] & K[C]:integer
  OP_BORK,
  OP_BXORK,
  OP_SHRI,  ///< R[A] := R[B] >> sC
  OP_SHLI,  ///< R[A] := sC << R[B]
  OP_ADD,   ///< R[A] := R[B] + R[C]
  OP_SUB,
  OP_MUL,
  OP_MOD,
  OP_POW,
  OP_DIV,
  OP_IDIV,
  OP_BAND,
  OP_BOR,
  OP_BXOR,
  OP_SHL,
  OP_SHR,
  OP_MMBIN,   ///< call C metamethod over R[A] and R[B]
  OP_MMBINI,  ///< call C metamethod over R[A] and sB
  OP_MMBINK,  ///< call C metamethod over R[A] and K[B]
  OP_UNM,     ///< R[A] := -R[B]
  OP_BNOT,    ///< R[A] := ~R[B]
  OP_NOT,     ///< R[A] := not R[B]
  OP_LEN,     ///< R[A] := \#R[B] (length operator)
  OP_CONCAT,  ///< R[A] := R[A].. ... ..R[A + B - 1]
  OP_CLOSE,   ///< close all upvalues >= R[A]
  OP_TBC,     ///< mark variable A "to be closed"
  OP_JMP,     ///< pc += sJ
  OP_EQ,      ///< if ((R[A] == R[B]) ~= k) then pc++
  OP_LT,
  OP_LE,
  OP_EQK,  ///< if ((R[A] == K[B]) ~= k) then pc++
  OP_EQI,  ///< if ((R[A] == sB) ~= k) then pc++
  OP_LTI,
  OP_LEI,
  OP_GTI,
  OP_GEI,
  OP_TEST,        ///< if (not R[A] == k) then pc++
  OP_TESTSET,     ///< if (not R[B] == k) then pc++ else R[A] := R[B]
  OP_CALL,        ///< R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1])
  OP_TAILCALL,    ///< return R[A](R[A+1], ... ,R[A+B-1])
  OP_RETURN,      ///< return R[A], ... ,R[A+B-2]
  OP_RETURN0,     ///< return
  OP_RETURN1,     ///< return R[A]
  OP_FORLOOP,     ///< update counters; if loop continues then pc-=Bx;
  OP_FORPREP,     ///< check values and prepare counters; skip if not run
  OP_TFORPREP,    ///< create upvalue for R[A + 3]; pc+=Bx
  OP_TFORCALL,    ///< R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2]);
  OP_TFORLOOP,    ///< if R[A+2] ~= nil then { R[A]=R[A+2]; pc -= Bx }
  OP_SETLIST,     ///< R[A][C+i] := R[A+i], 1 <= i <= B
  OP_CLOSURE,     ///< R[A] := closure(KPROTO[Bx])
  OP_VARARG,      ///< R[A], R[A+1], ..., R[A+C-2] = vararg
  OP_VARARGPREP,  ///< adjust vararg parameters
  OP_EXTRAARG     ///< extra (larger) argument for previous opcode
};

inline constexpr int NUM_OPCODES = OP_EXTRAARG + 1;

// ---------------------------------------------------------------------------
// Reading and writing fields
// ---------------------------------------------------------------------------

constexpr OpCode GET_OPCODE(Instruction i) {
  return static_cast<OpCode>((i >> POS_OP) & MASK1(SIZE_OP, 0));
}
constexpr void SET_OPCODE(Instruction& i, int o) {
  i = (i & MASK0(SIZE_OP, POS_OP)) |
      ((static_cast<Instruction>(o) << POS_OP) & MASK1(SIZE_OP, POS_OP));
}

/// The unsigned field of `size` bits at `pos`.
constexpr int getarg(Instruction i, int pos, int size) {
  return static_cast<int>((i >> pos) & MASK1(size, 0));
}
/// Stores `v` in the field of `size` bits at `pos` (invariant FIT).
constexpr void setarg(Instruction& i, int v, int pos, int size) {
  i = (i & MASK0(size, pos)) |
      ((static_cast<Instruction>(v) << pos) & MASK1(size, pos));
}

constexpr int GETARG_A(Instruction i) {
  return getarg(i, POS_A, SIZE_A);
}
constexpr void SETARG_A(Instruction& i, int v) {
  setarg(i, v, POS_A, SIZE_A);
}
constexpr int GETARG_B(Instruction i) {
  return getarg(i, POS_B, SIZE_B);
}
constexpr int GETARG_sB(Instruction i) {
  return sC2int(GETARG_B(i));
}
constexpr void SETARG_B(Instruction& i, int v) {
  setarg(i, v, POS_B, SIZE_B);
}
constexpr int GETARG_C(Instruction i) {
  return getarg(i, POS_C, SIZE_C);
}
constexpr int GETARG_sC(Instruction i) {
  return sC2int(GETARG_C(i));
}
constexpr void SETARG_C(Instruction& i, int v) {
  setarg(i, v, POS_C, SIZE_C);
}
constexpr int GETARG_k(Instruction i) {
  return getarg(i, POS_k, 1);
}
constexpr void SETARG_k(Instruction& i, int v) {
  setarg(i, v, POS_k, 1);
}
constexpr int GETARG_Bx(Instruction i) {
  return getarg(i, POS_Bx, SIZE_Bx);
}
constexpr void SETARG_Bx(Instruction& i, int v) {
  setarg(i, v, POS_Bx, SIZE_Bx);
}
constexpr int GETARG_Ax(Instruction i) {
  return getarg(i, POS_Ax, SIZE_Ax);
}
constexpr void SETARG_Ax(Instruction& i, int v) {
  setarg(i, v, POS_Ax, SIZE_Ax);
}
constexpr int GETARG_sBx(Instruction i) {
  return getarg(i, POS_Bx, SIZE_Bx) - OFFSET_sBx;
}
constexpr void SETARG_sBx(Instruction& i, int b) {
  SETARG_Bx(i, b + OFFSET_sBx);
}
constexpr int GETARG_sJ(Instruction i) {
  return getarg(i, POS_sJ, SIZE_sJ) - OFFSET_sJ;
}
constexpr void SETARG_sJ(Instruction& i, int j) {
  setarg(i, j + OFFSET_sJ, POS_sJ, SIZE_sJ);
}

// Building instructions. The operands must fit (invariant FIT).
constexpr Instruction CREATE_ABCk(int o, int a, int b, int c, int k) {
  return (static_cast<Instruction>(o) << POS_OP) |
         (static_cast<Instruction>(a) << POS_A) |
         (static_cast<Instruction>(b) << POS_B) |
         (static_cast<Instruction>(c) << POS_C) |
         (static_cast<Instruction>(k) << POS_k);
}
constexpr Instruction CREATE_ABx(int o, int a, unsigned int bc) {
  return (static_cast<Instruction>(o) << POS_OP) |
         (static_cast<Instruction>(a) << POS_A) |
         (static_cast<Instruction>(bc) << POS_Bx);
}
constexpr Instruction CREATE_Ax(int o, unsigned int a) {
  return (static_cast<Instruction>(o) << POS_OP) |
         (static_cast<Instruction>(a) << POS_Ax);
}
constexpr Instruction CREATE_sJ(int o, int j, int k) {
  return (static_cast<Instruction>(o) << POS_OP) |
         (static_cast<Instruction>(j) << POS_sJ) |
         (static_cast<Instruction>(k) << POS_k);
}

/// Largest index of a constant that an RK operand (B or C) can address.
inline constexpr int MAXINDEXRK = MAXARG_B;
/// "No register": a jump list entry that produces no value.
inline constexpr int NO_REG = MAXARG_A;

// ---------------------------------------------------------------------------
// Opcode properties
// ---------------------------------------------------------------------------

/// Per opcode, bits 0-2: the format (OpMode); bit 3: sets register A;
/// bit 4: is a test (the next instruction is a jump); bit 5: uses the
/// stack top set by the previous instruction (B == 0); bit 6: sets the
/// stack top for the next instruction (C == 0); bit 7: is a metamethod
/// call (MMBIN*).
extern const lu_byte luaP_opmodes[NUM_OPCODES];

inline OpMode getOpMode(OpCode m) {
  return static_cast<OpMode>(luaP_opmodes[m] & 7);
}
inline bool testAMode(OpCode m) {
  return (luaP_opmodes[m] & (1 << 3)) != 0;
}
inline bool testTMode(OpCode m) {
  return (luaP_opmodes[m] & (1 << 4)) != 0;
}
inline bool testITMode(OpCode m) {
  return (luaP_opmodes[m] & (1 << 5)) != 0;
}
inline bool testOTMode(OpCode m) {
  return (luaP_opmodes[m] & (1 << 6)) != 0;
}
inline bool testMMMode(OpCode m) {
  return (luaP_opmodes[m] & (1 << 7)) != 0;
}

/// Does instruction `i` leave a variable number of values on the stack
/// top (a multi-result call, or a vararg)?
inline bool isOT(Instruction i) {
  return (testOTMode(GET_OPCODE(i)) && GETARG_C(i) == 0) ||
         GET_OPCODE(i) == OP_TAILCALL;
}
/// Does instruction `i` take its operands up to the stack top?
inline bool isIT(Instruction i) {
  return testITMode(GET_OPCODE(i)) && GETARG_B(i) == 0;
}

/// The opcodes' names as luac prints them ("MOVE", "LOADI", ...), followed
/// by a null pointer.
extern const char* const luaP_opnames[NUM_OPCODES + 1];

/// Number of list items a constructor accumulates before a SETLIST.
inline constexpr int LFIELDS_PER_FLUSH = 50;

}  // namespace lua
