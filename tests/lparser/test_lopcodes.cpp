// Chapter 7: the instruction formats and opcode tables of lopcodes.
#include <catch2/catch.hpp>
#include <cstring>

#include "lparser/lopcodes.hpp"

using namespace lua;

TEST_CASE("the opcodes have Lua 5.4.4's numbers and names", "[lparser]") {
  CHECK(OP_MOVE == 0);
  CHECK(OP_LOADKX == 4);
  CHECK(OP_SETFIELD == 18);
  CHECK(OP_ADDI == 21);
  CHECK(OP_SHLI == 33);
  CHECK(OP_ADD == 34);
  CHECK(OP_MMBIN == 46);
  CHECK(OP_JMP == 56);
  CHECK(OP_CALL == 68);
  CHECK(OP_FORLOOP == 73);
  CHECK(OP_EXTRAARG == 82);
  CHECK(NUM_OPCODES == 83);
  CHECK(std::strcmp(luaP_opnames[OP_LFALSESKIP], "LFALSESKIP") == 0);
  CHECK(std::strcmp(luaP_opnames[OP_TFORPREP], "TFORPREP") == 0);
  CHECK(std::strcmp(luaP_opnames[OP_EXTRAARG], "EXTRAARG") == 0);
  CHECK(luaP_opnames[NUM_OPCODES] == nullptr);
  // The K forms sit at fixed distances from the register forms.
  CHECK(OP_ADDK - OP_ADDI == 1);
  CHECK(OP_BXORK - OP_ADDK == OP_BXOR - OP_ADD);
  CHECK(OP_LEI - OP_LTI == OP_LE - OP_LT);
  CHECK(OP_GEI - OP_GTI == OP_LE - OP_LT);
}

TEST_CASE("fields round-trip through every instruction format", "[lparser]") {
  Instruction i = CREATE_ABCk(OP_ADD, 255, 254, 253, 1);
  CHECK(GET_OPCODE(i) == OP_ADD);
  CHECK(GETARG_A(i) == 255);
  CHECK(GETARG_B(i) == 254);
  CHECK(GETARG_C(i) == 253);
  CHECK(GETARG_k(i) == 1);
  SETARG_B(i, 7);
  SETARG_k(i, 0);
  CHECK(GETARG_B(i) == 7);
  CHECK(GETARG_k(i) == 0);
  CHECK(GETARG_C(i) == 253);
  CHECK(GETARG_A(i) == 255);

  Instruction bx = CREATE_ABx(OP_LOADK, 3, MAXARG_Bx);
  CHECK(GETARG_Bx(bx) == MAXARG_Bx);
  CHECK(GETARG_A(bx) == 3);
  SETARG_sBx(bx, -OFFSET_sBx);
  CHECK(GETARG_sBx(bx) == -OFFSET_sBx);
  CHECK(GETARG_Bx(bx) == 0);

  Instruction j = CREATE_sJ(OP_JMP, -5 + OFFSET_sJ, 0);
  CHECK(GETARG_sJ(j) == -5);
  SETARG_sJ(j, MAXARG_sJ - OFFSET_sJ);
  CHECK(GETARG_sJ(j) == MAXARG_sJ - OFFSET_sJ);
  CHECK(GET_OPCODE(j) == OP_JMP);

  Instruction ax = CREATE_Ax(OP_EXTRAARG, MAXARG_Ax);
  CHECK(GETARG_Ax(ax) == MAXARG_Ax);
  SET_OPCODE(ax, OP_LOADKX);
  CHECK(GET_OPCODE(ax) == OP_LOADKX);
  CHECK(GETARG_Ax(ax) == MAXARG_Ax);

  CHECK(sC2int(int2sC(-127)) == -127);
  CHECK(GETARG_sC(CREATE_ABCk(OP_ADDI, 0, 0, int2sC(-1), 0)) == -1);
  CHECK(GETARG_sB(CREATE_ABCk(OP_EQI, 0, int2sC(100), 0, 0)) == 100);
}

TEST_CASE("opcode modes say what each instruction reads and writes",
          "[lparser]") {
  CHECK(getOpMode(OP_MOVE) == iABC);
  CHECK(getOpMode(OP_LOADI) == iAsBx);
  CHECK(getOpMode(OP_LOADK) == iABx);
  CHECK(getOpMode(OP_JMP) == isJ);
  CHECK(getOpMode(OP_EXTRAARG) == iAx);
  CHECK(testAMode(OP_MOVE));
  CHECK_FALSE(testAMode(OP_SETFIELD));
  CHECK(testTMode(OP_EQK));
  CHECK(testTMode(OP_TESTSET));
  CHECK_FALSE(testTMode(OP_JMP));
  CHECK(testMMMode(OP_MMBINK));
  CHECK_FALSE(testMMMode(OP_ADD));
  // open calls and varargs set the top; calls and returns may use it
  CHECK(isOT(CREATE_ABCk(OP_CALL, 0, 1, 0, 0)));
  CHECK_FALSE(isOT(CREATE_ABCk(OP_CALL, 0, 1, 2, 0)));
  CHECK(isOT(CREATE_ABCk(OP_TAILCALL, 0, 1, 2, 0)));
  CHECK(isOT(CREATE_ABCk(OP_VARARG, 0, 0, 0, 0)));
  CHECK(isIT(CREATE_ABCk(OP_RETURN, 0, 0, 0, 0)));
  CHECK(isIT(CREATE_ABCk(OP_SETLIST, 0, 0, 0, 0)));
  CHECK_FALSE(isIT(CREATE_ABCk(OP_RETURN, 0, 2, 0, 0)));
  CHECK_FALSE(isIT(CREATE_ABCk(OP_MOVE, 0, 0, 0, 0)));
}
