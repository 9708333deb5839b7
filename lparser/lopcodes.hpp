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

/// The opcodes, in Lua 5.4.4's order (invariant ORDER). In the notes,
/// A, B, C name registers unless said otherwise; "RK(C)" is register C, or
/// constant C when the bit k is set; "imm" is a small signed number stored
/// in the operand itself; "a test" decides whether the jump that follows
/// it is taken.
enum OpCode : int {
  OP_MOVE,        ///< copy B into A
  OP_LOADI,       ///< load the integer in sBx into A
  OP_LOADF,       ///< load the integer in sBx into A, as a float
  OP_LOADK,       ///< load constant Bx into A
  OP_LOADKX,      ///< load into A the constant numbered by the EXTRAARG after
  OP_LOADFALSE,   ///< load false into A
  OP_LFALSESKIP,  ///< load false into A and skip the next instruction
  OP_LOADTRUE,    ///< load true into A
  OP_LOADNIL,     ///< set A and the B registers after it to nil
  OP_GETUPVAL,    ///< copy upvalue B into A
  OP_SETUPVAL,    ///< copy A into upvalue B
  OP_GETTABUP,    ///< index upvalue B with string constant C, into A
  OP_GETTABLE,    ///< index table B with register C, into A
  OP_GETI,        ///< index table B with the integer C, into A
  OP_GETFIELD,    ///< index table B with string constant C, into A
  OP_SETTABUP,    ///< store RK(C) in upvalue A at string constant B
  OP_SETTABLE,    ///< store RK(C) in table A at the key in register B
  OP_SETI,        ///< store RK(C) in table A at the integer B
  OP_SETFIELD,    ///< store RK(C) in table A at string constant B
  OP_NEWTABLE,    ///< a new table into A, B and C giving its part sizes
  OP_SELF,        ///< object B into A+1, its method named RK(C) into A
  OP_ADDI,        ///< A gets B plus the imm in C
  OP_ADDK,        ///< A gets B plus number constant C; up to IDIVK the
                  ///< K forms follow the operators' order
  OP_SUBK,
  OP_MULK,
  OP_MODK,
  OP_POWK,
  OP_DIVK,
  OP_IDIVK,
  OP_BANDK,  ///< A gets B and integer constant C, bitwise (BORK, BXORK too)
  OP_BORK,
  OP_BXORK,
  OP_SHRI,  ///< A gets B shifted right by the imm in C
  OP_SHLI,  ///< A gets the imm in C shifted left by B
  OP_ADD,   ///< A gets B plus C; the register forms follow to SHR
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
  OP_MMBIN,   ///< after an arithmetic opcode failed: event C on A and B
  OP_MMBINI,  ///< the same with the imm in B as an operand (k: swapped)
  OP_MMBINK,  ///< the same with constant B as an operand (k: swapped)
  OP_UNM,     ///< A gets minus B
  OP_BNOT,    ///< A gets the bitwise complement of B
  OP_NOT,     ///< A gets the negation of B's truth
  OP_LEN,     ///< A gets the length of B (the \# operator)
  OP_CONCAT,  ///< join the B registers from A on, into A
  OP_CLOSE,   ///< close the upvalues and tbc variables from A up
  OP_TBC,     ///< A is a to-be-closed variable from here on
  OP_JMP,     ///< jump by sJ
  OP_EQ,      ///< test: A equals B, the jump taken when that matches k
  OP_LT,
  OP_LE,
  OP_EQK,  ///< test A against constant B, as EQ does
  OP_EQI,  ///< test A against the imm in B (C: it stands for a float);
           ///< LTI to GEI the same with their orders
  OP_LTI,
  OP_LEI,
  OP_GTI,
  OP_GEI,
  OP_TEST,        ///< test: the truth of A, the jump taken when it matches k
  OP_TESTSET,     ///< as TEST on B; when the jump is taken, A gets B first
  OP_CALL,        ///< call A with the B-1 values after it, C-1 results from A
                  ///< on (B 0: arguments up to the top; C 0: every result)
  OP_TAILCALL,    ///< a call of A with B-1 arguments, returning its results
  OP_RETURN,      ///< return the B-1 values from A (B 0: up to the top)
  OP_RETURN0,     ///< return nothing
  OP_RETURN1,     ///< return A alone
  OP_FORLOOP,     ///< numeric for: count a step; if more remain, jump back Bx
  OP_FORPREP,     ///< numeric for: check and set up the counter; when the
                  ///< loop runs no step, jump past it (Bx + 1)
  OP_TFORPREP,    ///< generic for: A+3 becomes tbc; jump Bx to the TFORCALL
  OP_TFORCALL,    ///< generic for: call iterator A with A+1 and A+2, C
                  ///< results into A+4 on
  OP_TFORLOOP,    ///< generic for: unless A+4 is nil, it becomes the control
                  ///< variable A+2 and the loop jumps back Bx
  OP_SETLIST,     ///< store the B registers after A in table A from index
                  ///< C+1 (B 0: up to the top; k: C goes on in an EXTRAARG)
  OP_CLOSURE,     ///< a new closure of nested prototype Bx into A
  OP_VARARG,      ///< copy C-1 extra arguments from A on (C 0: all)
  OP_VARARGPREP,  ///< a vararg function's first instruction: moves the A
                  ///< fixed parameters above the extra arguments
  OP_EXTRAARG     ///< no operation: the Ax operand of the one before it
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
