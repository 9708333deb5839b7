/// \file
/// The listing of prototypes, line for line as `luac5.4 -l -l` prints it.
///
/// Mirrors: Lua 5.4 luac.c (PrintString, PrintType, PrintConstant,
/// PrintCode, PrintHeader, PrintDebug, PrintFunction)
/// Book: chapter 7
///
/// See lprint.hpp for the invariant SAME and the differences from luac.
/// An instruction line is "<tab>pc<tab>[line]<tab>NAME<tab>operands", then
/// optionally "<tab>; comment". The operands are the instruction's fields
/// as the opcode uses them (signed fields already decoded, a "k" after C
/// when C names a constant); the comment decodes what a reader would have
/// to look up. The opcodes are printed in six families, by their ranges
/// in OpCode (lopcodes.hpp's invariant ORDER).
#include "lparser/lprint.hpp"

#include "lfunc/lfunc.hpp"
#include "lfunc/ltm.hpp"
#include "lobject/lctype.hpp"
#include "lparser/lopcodes.hpp"

namespace lua {

namespace {

// Separates the operands from their explanation. A macro, as in luac,
// because it is pasted into format literals ("%d %d" COMMENT "%s").
#define COMMENT "\t; "

// C's escape letter for a control byte that has one, else 0.
char escapeletter(int c) {
  switch (c) {
    case '\a':
      return 'a';
    case '\b':
      return 'b';
    case '\f':
      return 'f';
    case '\n':
      return 'n';
    case '\r':
      return 'r';
    case '\t':
      return 't';
    case '\v':
      return 'v';
    default:
      return 0;
  }
}

// A string constant as a C literal: quotes and backslashes escaped,
// control bytes by their letter, other unprintable bytes in decimal.
void PrintString(const TString* ts, std::FILE* out) {
  const char* s = getstr(ts);
  std::fputc('"', out);
  for (std::size_t i = 0; i < tsslen(ts); i++) {
    const int c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\')
      std::fprintf(out, "\\%c", c);
    else if (escapeletter(c) != 0)
      std::fprintf(out, "\\%c", escapeletter(c));
    else if (lisprint(c))
      std::fputc(c, out);
    else
      std::fprintf(out, "\\%03d", c);
  }
  std::fputc('"', out);
}

bool validk(const Proto* f, int i) {
  return i >= 0 && i < f->sizek;
}

// One letter per constant type, for the constants table.
void PrintType(const Proto* f, int i, std::FILE* out) {
  const int tt = ttypetag(&f->k[i]);
  if (tt == LUA_VNIL)
    std::fputs("N", out);
  else if (tt == LUA_VFALSE || tt == LUA_VTRUE)
    std::fputs("B", out);
  else if (tt == LUA_VNUMFLT)
    std::fputs("F", out);
  else if (tt == LUA_VNUMINT)
    std::fputs("I", out);
  else if (tt == LUA_VSHRSTR || tt == LUA_VLNGSTR)
    std::fputs("S", out);
  else
    std::fprintf(out, "?%d", tt);
  std::fputs("\t", out);
}

// Numbers print as Lua prints them (integral floats get ".0"); an index
// outside the constants (corrupt code) prints as "?".
void PrintConstant(const Proto* f, int i, std::FILE* out) {
  if (!validk(f, i)) {
    std::fputs("?", out);
    return;
  }
  const TValue* o = &f->k[i];
  if (ttisnumber(o)) {
    char buff[MAXNUMBER2STR];
    luaO_tostringbuff(o, buff);
    std::fputs(buff, out);
  } else if (ttisstring(o)) {
    PrintString(tsvalue(o), out);
  } else if (ttisnil(o)) {
    std::fputs("nil", out);
  } else if (ttisfalse(o) || ttistrue(o)) {
    std::fputs(ttistrue(o) ? "true" : "false", out);
  } else {
    std::fprintf(out, "?%d", ttypetag(o));
  }
}

const char* upvalname(const Proto* f, int i) {
  if (i < 0 || i >= f->sizeupvalues) return "?";
  const TString* name = f->upvalues[i].name;
  return name != nullptr ? getstr(name) : "-";  // "-": stripped
}

const char* eventname(int e) {
  return e < NUM_TMS ? luaT_eventname[e] : "?";
}

const char* opname(OpCode op) {
  return op < NUM_OPCODES ? luaP_opnames[op] : "?";
}

// One instruction, with every field decoded as each format would read it.
struct Ins {
  const Proto* f;
  int pc;
  std::FILE* o;
  OpCode op;
  int a, b, c, k, ax, bx, sb, sc, sbx, sj;
};

Ins decode(const Proto* f, int pc, std::FILE* out) {
  const Instruction i = f->code[pc];
  return {f,
          pc,
          out,
          GET_OPCODE(i),
          GETARG_A(i),
          GETARG_B(i),
          GETARG_C(i),
          GETARG_k(i),
          GETARG_Ax(i),
          GETARG_Bx(i),
          GETARG_sB(i),
          GETARG_sC(i),
          GETARG_sBx(i),
          GETARG_sJ(i)};
}

// The argument in the EXTRAARG after the instruction (0 past the end).
int extraarg(const Ins& in) {
  if (in.pc + 1 >= in.f->sizecode) return 0;
  return GETARG_Ax(in.f->code[in.pc + 1]);
}

// A count C that EXTRAARG extends: the extra argument holds the high part
// in units of MAXARG_C + 1 (computed modulo 2^32, like luac's int).
int extendedc(const Ins& in) {
  const unsigned high = static_cast<unsigned>(extraarg(in)) * (MAXARG_C + 1);
  return static_cast<int>(high + static_cast<unsigned>(in.c));
}

// "k" after an operand that the k bit turns into a constant index.
const char* ISK(const Ins& in) {
  return in.k ? "k" : "";
}

// The function a CLOSURE creates, as an address (null when the index is
// out of range).
const void* closureproto(const Ins& in) {
  return in.bx < in.f->sizep ? in.f->p[in.bx] : nullptr;
}

// A count stored plus one, 0 meaning "up to the stack top".
void PrintCount(std::FILE* o, int n, const char* what) {
  if (n == 0)
    std::fprintf(o, "all %s", what);
  else
    std::fprintf(o, "%d %s", n - 1, what);
}

// MOVE .. SETUPVAL: loads into a register.
void PrintLoad(const Ins& in) {
  std::FILE* o = in.o;
  switch (in.op) {
    case OP_LOADI:
    case OP_LOADF:
      std::fprintf(o, "%d %d", in.a, in.sbx);
      break;
    case OP_LOADK:
      std::fprintf(o, "%d %d" COMMENT, in.a, in.bx);
      PrintConstant(in.f, in.bx, o);
      break;
    case OP_LOADKX:
      std::fprintf(o, "%d" COMMENT, in.a);
      PrintConstant(in.f, extraarg(in), o);
      break;
    case OP_LOADFALSE:
    case OP_LFALSESKIP:
    case OP_LOADTRUE:
      std::fprintf(o, "%d", in.a);
      break;
    case OP_LOADNIL:
      std::fprintf(o, "%d %d" COMMENT "%d out", in.a, in.b, in.b + 1);
      break;
    case OP_GETUPVAL:
    case OP_SETUPVAL:
      std::fprintf(o, "%d %d" COMMENT "%s", in.a, in.b, upvalname(in.f, in.b));
      break;
    default:
      std::fprintf(o, "%d %d", in.a, in.b);
      break;  // MOVE
  }
}

// GETTABUP .. SELF: table accesses; a "k" C is a constant value.
void PrintTable(const Ins& in) {
  std::FILE* o = in.o;
  switch (in.op) {
    case OP_GETTABUP:
      std::fprintf(o, "%d %d %d" COMMENT "%s ", in.a, in.b, in.c,
                   upvalname(in.f, in.b));
      PrintConstant(in.f, in.c, o);
      return;
    case OP_GETFIELD:
      std::fprintf(o, "%d %d %d" COMMENT, in.a, in.b, in.c);
      PrintConstant(in.f, in.c, o);
      return;
    case OP_NEWTABLE:
      std::fprintf(o, "%d %d %d" COMMENT "%d", in.a, in.b, in.c, extendedc(in));
      return;
    case OP_GETTABLE:
    case OP_GETI:
      std::fprintf(o, "%d %d %d", in.a, in.b, in.c);
      return;
    default:
      break;  // the stores and SELF
  }
  std::fprintf(o, "%d %d %d%s", in.a, in.b, in.c, ISK(in));
  if (in.op == OP_SETTABUP) {
    std::fprintf(o, COMMENT "%s ", upvalname(in.f, in.a));
    PrintConstant(in.f, in.b, o);
  } else if (in.op == OP_SETFIELD) {
    std::fputs(COMMENT, o);
    PrintConstant(in.f, in.b, o);
  }
  if (in.k) {  // the key comment, if any, comes first
    std::fputs(in.op == OP_SETTABUP || in.op == OP_SETFIELD ? " " : COMMENT, o);
    PrintConstant(in.f, in.c, o);
  }
}

// ADDI .. LEN: arithmetic, its metamethod fallbacks, and unary operators.
void PrintArith(const Ins& in) {
  std::FILE* o = in.o;
  if (in.op == OP_ADDI || in.op == OP_SHRI || in.op == OP_SHLI) {
    std::fprintf(o, "%d %d %d", in.a, in.b, in.sc);
  } else if (in.op >= OP_ADDK && in.op <= OP_BXORK) {
    std::fprintf(o, "%d %d %d" COMMENT, in.a, in.b, in.c);
    PrintConstant(in.f, in.c, o);
  } else if (in.op >= OP_ADD && in.op <= OP_SHR) {
    std::fprintf(o, "%d %d %d", in.a, in.b, in.c);
  } else if (in.op == OP_MMBIN) {
    std::fprintf(o, "%d %d %d" COMMENT "%s", in.a, in.b, in.c, eventname(in.c));
  } else if (in.op == OP_MMBINI || in.op == OP_MMBINK) {
    const int b = in.op == OP_MMBINI ? in.sb : in.b;
    std::fprintf(o, "%d %d %d %d" COMMENT "%s", in.a, b, in.c, in.k,
                 eventname(in.c));
    if (in.op == OP_MMBINK) {
      std::fputs(" ", o);
      PrintConstant(in.f, in.b, o);
    }
    if (in.k) std::fputs(" flip", o);  // the operands were swapped
  } else {
    std::fprintf(o, "%d %d", in.a, in.b);  // UNM, BNOT, NOT, LEN
  }
}

// CONCAT .. TESTSET: concatenation, closing, jumps and tests. A jump's
// comment is its target, counted from 1 like the listing's pc column.
void PrintJumpTest(const Ins& in) {
  std::FILE* o = in.o;
  switch (in.op) {
    case OP_CONCAT:
      std::fprintf(o, "%d %d", in.a, in.b);
      break;
    case OP_CLOSE:
    case OP_TBC:
      std::fprintf(o, "%d", in.a);
      break;
    case OP_JMP:
      std::fprintf(o, "%d" COMMENT "to %d", in.sj, in.sj + in.pc + 2);
      break;
    case OP_EQK:
      std::fprintf(o, "%d %d %d" COMMENT, in.a, in.b, in.k);
      PrintConstant(in.f, in.b, o);
      break;
    case OP_EQI:
    case OP_LTI:
    case OP_LEI:
    case OP_GTI:
    case OP_GEI:
      std::fprintf(o, "%d %d %d", in.a, in.sb, in.k);
      break;
    case OP_TEST:
      std::fprintf(o, "%d %d", in.a, in.k);
      break;
    default:
      std::fprintf(o, "%d %d %d", in.a, in.b, in.k);
      break;
  }
}

// CALL .. RETURN1: calls and returns, with their argument and result
// counts.
void PrintCall(const Ins& in) {
  std::FILE* o = in.o;
  switch (in.op) {
    case OP_CALL:
      std::fprintf(o, "%d %d %d" COMMENT, in.a, in.b, in.c);
      PrintCount(o, in.b, "in ");
      PrintCount(o, in.c, "out");
      break;
    case OP_TAILCALL:
      std::fprintf(o, "%d %d %d%s" COMMENT "%d in", in.a, in.b, in.c, ISK(in),
                   in.b - 1);
      break;
    case OP_RETURN:
      std::fprintf(o, "%d %d %d%s" COMMENT, in.a, in.b, in.c, ISK(in));
      PrintCount(o, in.b, "out");
      break;
    case OP_RETURN0:
      break;
    default:
      std::fprintf(o, "%d", in.a);  // RETURN1
      break;
  }
}

// FORLOOP .. EXTRAARG: loops (the comment is the target of the jump),
// lists, closures and varargs.
void PrintLoop(const Ins& in) {
  std::FILE* o = in.o;
  switch (in.op) {
    case OP_FORLOOP:
    case OP_TFORLOOP:
      std::fprintf(o, "%d %d" COMMENT "to %d", in.a, in.bx, in.pc - in.bx + 2);
      break;
    case OP_FORPREP:
      std::fprintf(o, "%d %d" COMMENT "exit to %d", in.a, in.bx,
                   in.pc + in.bx + 3);
      break;
    case OP_TFORPREP:
      std::fprintf(o, "%d %d" COMMENT "to %d", in.a, in.bx, in.pc + in.bx + 2);
      break;
    case OP_TFORCALL:
      std::fprintf(o, "%d %d", in.a, in.c);
      break;
    case OP_SETLIST:
      std::fprintf(o, "%d %d %d", in.a, in.b, in.c);
      if (in.k) std::fprintf(o, COMMENT "%d", extendedc(in));
      break;
    case OP_CLOSURE:
      std::fprintf(o, "%d %d" COMMENT "%p", in.a, in.bx, closureproto(in));
      break;
    case OP_VARARG:
      std::fprintf(o, "%d %d" COMMENT, in.a, in.c);
      PrintCount(o, in.c, "out");
      break;
    case OP_EXTRAARG:
      std::fprintf(o, "%d", in.ax);
      break;
    default:
      std::fprintf(o, "%d", in.a);  // VARARGPREP
      break;
  }
}

void PrintCode(const Proto* f, std::FILE* out) {
  for (int pc = 0; pc < f->sizecode; pc++) {
    const Ins in = decode(f, pc, out);
    const int line = luaG_getfuncline(f, pc);
    std::fprintf(out, "\t%d\t", pc + 1);
    if (line > 0)
      std::fprintf(out, "[%d]\t", line);
    else
      std::fputs("[-]\t", out);
    std::fprintf(out, "%-9s\t", opname(in.op));
    if (in.op <= OP_SETUPVAL)
      PrintLoad(in);
    else if (in.op <= OP_SELF)
      PrintTable(in);
    else if (in.op <= OP_LEN)
      PrintArith(in);
    else if (in.op <= OP_TESTSET)
      PrintJumpTest(in);
    else if (in.op <= OP_RETURN1)
      PrintCall(in);
    else if (in.op < NUM_OPCODES)
      PrintLoop(in);
    std::fputs("\n", out);
  }
}

// "s" unless exactly one.
const char* plural(int n) {
  return n == 1 ? "" : "s";
}

// The source as luac shows it: a file or literal name without its '@' or
// '=', "(bstring)" for a chunk named by its own bytes, "(string)" for
// source text used as its name; a stripped chunk has none ("=?").
const char* sourcename(const Proto* f) {
  const char* s = f->source != nullptr ? getstr(f->source) : "=?";
  if (*s == '@' || *s == '=') return s + 1;
  if (*s == LUA_SIGNATURE[0]) return "(bstring)";
  return "(string)";
}

void PrintHeader(const Proto* f, std::FILE* out) {
  const void* addr = f;
  std::fprintf(out, "\n%s <%s:%d,%d> (%d instruction%s at %p)\n",
               f->linedefined == 0 ? "main" : "function", sourcename(f),
               f->linedefined, f->lastlinedefined, f->sizecode,
               plural(f->sizecode), addr);
  std::fprintf(out, "%d%s param%s, %d slot%s, %d upvalue%s, ", f->numparams,
               f->is_vararg ? "+" : "", plural(f->numparams), f->maxstacksize,
               plural(f->maxstacksize), f->sizeupvalues,
               plural(f->sizeupvalues));
  std::fprintf(out, "%d local%s, %d constant%s, %d function%s\n",
               f->sizelocvars, plural(f->sizelocvars), f->sizek,
               plural(f->sizek), f->sizep, plural(f->sizep));
}

// The three tables of `luac -l -l`. Pcs are shown counted from 1, like
// the code column.
void PrintDebug(const Proto* f, std::FILE* out) {
  const void* addr = f;
  std::fprintf(out, "constants (%d) for %p:\n", f->sizek, addr);
  for (int i = 0; i < f->sizek; i++) {
    std::fprintf(out, "\t%d\t", i);
    PrintType(f, i, out);
    PrintConstant(f, i, out);
    std::fputs("\n", out);
  }
  std::fprintf(out, "locals (%d) for %p:\n", f->sizelocvars, addr);
  for (int i = 0; i < f->sizelocvars; i++) {
    const LocVar* v = &f->locvars[i];
    std::fprintf(out, "\t%d\t%s\t%d\t%d\n", i,
                 v->varname != nullptr ? getstr(v->varname) : "?",
                 v->startpc + 1, v->endpc + 1);
  }
  std::fprintf(out, "upvalues (%d) for %p:\n", f->sizeupvalues, addr);
  for (int i = 0; i < f->sizeupvalues; i++) {
    std::fprintf(out, "\t%d\t%s\t%d\t%d\n", i, upvalname(f, i),
                 f->upvalues[i].instack, f->upvalues[i].idx);
  }
}

void PrintFunction(const Proto* f, bool full, std::FILE* out) {
  PrintHeader(f, out);
  PrintCode(f, out);
  if (full) PrintDebug(f, out);
  for (int i = 0; i < f->sizep; i++) PrintFunction(f->p[i], full, out);
}

}  // namespace

void luaU_print(const Proto* f, bool full, std::FILE* out) {
  PrintFunction(f, full, out);
}

}  // namespace lua
