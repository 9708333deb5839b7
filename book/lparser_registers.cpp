// Diagram generator for chapter 7: compiles one small function through the
// real compiler (luaY_compile) and prints, as Graphviz DOT, its register
// window beside its code. The window shows registers 0..maxstacksize-1
// with the local variables that live in each (from the debug information:
// a variable's register is the number of variables still active when it
// starts, since locals occupy the lowest registers in order). The code
// shows each instruction's pc, line, opcode and operands; an edge goes
// from each instruction whose opcode sets register A to that register.
// The seed is fixed and no address is printed.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "book/lparser_compiled.hpp"
#include "lparser/lopcodes.hpp"
#include "lparser/lparser.hpp"

namespace {

using namespace lua;

const char kChunk[] =
    "local function f(a, b)\n"
    "  local t = {}\n"
    "  for i = a, b do\n"
    "    t[#t + 1] = i * 2\n"
    "  end\n"
    "  return t\n"
    "end\n";

// The source line of instruction `pc`: absolute entries first, then the
// per-instruction deltas of `lineinfo`.
int line_of(const Proto* f, int pc) {
  int basepc = -1;
  int line = f->linedefined;
  for (int i = 0; i < f->sizeabslineinfo && f->abslineinfo[i].pc <= pc; i++) {
    basepc = f->abslineinfo[i].pc;
    line = f->abslineinfo[i].line;
  }
  while (basepc++ < pc) line += f->lineinfo[basepc];
  return line;
}

// The operands of `i`, by the format of its opcode.
std::string operands(Instruction i) {
  char buf[64];
  OpCode op = GET_OPCODE(i);
  switch (getOpMode(op)) {
    case iABC:
      std::snprintf(buf, sizeof buf, "A=%d B=%d C=%d%s", GETARG_A(i),
                    GETARG_B(i), GETARG_C(i), GETARG_k(i) ? " k" : "");
      break;
    case iABx:
      std::snprintf(buf, sizeof buf, "A=%d Bx=%d", GETARG_A(i), GETARG_Bx(i));
      break;
    case iAsBx:
      std::snprintf(buf, sizeof buf, "A=%d sBx=%d", GETARG_A(i), GETARG_sBx(i));
      break;
    case iAx:
      std::snprintf(buf, sizeof buf, "Ax=%d", GETARG_Ax(i));
      break;
    case isJ:
      std::snprintf(buf, sizeof buf, "sJ=%d", GETARG_sJ(i));
      break;
  }
  return buf;
}

// The register of each entry of `f->locvars`.
std::vector<int> registers_of_locals(const Proto* f) {
  std::vector<int> reg(f->sizelocvars);
  for (int i = 0; i < f->sizelocvars; i++) {
    int below = 0;
    for (int j = 0; j < i; j++)
      if (f->locvars[j].startpc <= f->locvars[i].startpc &&
          f->locvars[i].startpc < f->locvars[j].endpc)
        below++;
    reg[i] = below;
  }
  return reg;
}

void print_function(const Proto* f) {
  // The register window.
  std::vector<int> reg = registers_of_locals(f);
  std::printf(
      "  regs [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
      "<tr><td colspan=\"2\"><b>registers (maxstacksize %d)</b></td></tr>",
      f->maxstacksize);
  for (int r = 0; r < f->maxstacksize; r++) {
    std::string vars;
    for (int v = 0; v < f->sizelocvars; v++) {
      if (reg[v] != r) continue;
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s%s [pc %d, %d)",
                    vars.empty() ? "" : "<br/>", getstr(f->locvars[v].varname),
                    f->locvars[v].startpc + 1, f->locvars[v].endpc + 1);
      vars += buf;
    }
    if (vars.empty()) vars = "<i>temporary</i>";
    std::printf("<tr><td port=\"r%d\">R%d</td><td align=\"left\">%s</td></tr>",
                r, r, vars.c_str());
  }
  std::printf("</table>>];\n");
  // The code.
  std::printf(
      "  code [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">"
      "<tr><td><b>pc</b></td><td><b>line</b></td><td><b>opcode</b></td>"
      "<td port=\"hdr\"><b>operands</b></td></tr>");
  for (int pc = 0; pc < f->sizecode; pc++) {
    Instruction i = f->code[pc];
    std::printf(
        "<tr><td>%d</td><td>%d</td><td align=\"left\">%s</td>"
        "<td port=\"i%d\" align=\"left\">%s</td></tr>",
        pc + 1, line_of(f, pc), luaP_opnames[GET_OPCODE(i)], pc,
        operands(i).c_str());
  }
  std::printf("</table>>];\n");
  // Who writes which register.
  for (int pc = 0; pc < f->sizecode; pc++) {
    Instruction i = f->code[pc];
    if (testAMode(GET_OPCODE(i)))
      std::printf("  code:i%d:e -> regs:r%d:w;\n", pc, GETARG_A(i));
  }
}

}  // namespace

int main() {
  return book::withcompiled(
      "lparser_registers", kChunk, sizeof kChunk - 1, [](const Proto* main) {
        std::printf(
            "digraph registers {\n  rankdir=LR;\n  fontname=\"Helvetica\";\n"
            "  node [shape=plaintext, fontname=\"Courier\", fontsize=10];\n"
            "  edge [color=\"#4477aa\", arrowsize=0.6];\n");
        if (main->sizep > 0) print_function(main->p[0]);
        std::printf("}\n");
      });
}
