// Stage 2 demo: what exists after chapter 2. Values are tagged, numerals
// become integers or floats exactly as Lua reads them, numbers print as
// Lua prints them, and arithmetic follows Lua's integer/float rules. Run
// with numerals as arguments to see how each one is read, for example:
//   ./build/lobject/stage2 10 0x10 1e2 9223372036854775808 " 0x1p4 " 3x
#include <cstdio>
#include <cstdlib>

#include "lobject/lstate.hpp"

namespace {

using namespace lua;

const char* variant_name(const TValue* o) {
  return ttisinteger(o) ? "integer" : ttisfloat(o) ? "float" : "?";
}

// How a numeral is read: its variant, the tag byte and how it prints back.
void show_numeral(const char* s) {
  TValue v;
  std::size_t n = luaO_str2num(s, &v);
  if (n == 0) {
    std::printf("  %-24s  not a numeral\n", s);
    return;
  }
  char buff[MAXNUMBER2STR];
  int len = luaO_tostringbuff(&v, buff);
  std::printf("  %-24s  %-7s tag 0x%02X  prints as %.*s\n", s, variant_name(&v),
              rawtt(&v), len, buff);
}

const char* opname(int op) {
  static const char* const names[] = {"+", "-", "*", "%",  "^",  "/", "//",
                                      "&", "|", "~", "<<", ">>", "-", "~"};
  return names[op];
}

// One arithmetic operation through luaO_rawarith, errors included.
void show_arith(lua_State* L, const char* a, int op, const char* b) {
  TValue x, y, r;
  if (luaO_str2num(a, &x) == 0 || luaO_str2num(b, &y) == 0) std::abort();
  bool ok = false;
  LuaError err;
  int status =
      luaM_runprotected([&] { ok = luaO_rawarith(L, op, &x, &y, &r); }, &err);
  std::printf("  %-22s %-3s %-22s = ", a, opname(op), b);
  if (status != LUA_OK) {
    std::printf("error: %s\n", err.msg);
  } else if (!ok) {
    std::printf("no raw result (a metamethod would be tried)\n");
  } else {
    char buff[MAXNUMBER2STR];
    int len = luaO_tostringbuff(&r, buff);
    std::printf("%.*s (%s)\n", len, buff, variant_name(&r));
  }
}

void* plain_alloc(void*, void* ptr, std::size_t, std::size_t nsize) {
  if (nsize == 0) {
    std::free(ptr);
    return nullptr;
  }
  return std::realloc(ptr, nsize);
}

}  // namespace

int main(int argc, char** argv) {
  std::printf(
      "Numerals, read by luaO_str2num and printed by "
      "luaO_tostringbuff:\n");
  if (argc > 1) {
    for (int i = 1; i < argc; i++) show_numeral(argv[i]);
  } else {
    const char* samples[] = {"10",
                             "0x10",
                             "1e2",
                             "  7  ",
                             "0x7fffffffffffffff",
                             "9223372036854775807",
                             "9223372036854775808",
                             "0xffffffffffffffff",
                             "0x1p4",
                             "3.0",
                             ".5",
                             "1e400",
                             "3x",
                             "nan",
                             "0x"};
    for (const char* s : samples) show_numeral(s);
  }

  lua_State* L = luaE_newbarestate(plain_alloc, nullptr);
  if (L == nullptr) return 1;
  std::printf("\nArithmetic, by luaO_rawarith:\n");
  show_arith(L, "7", LUA_OPIDIV, "2");
  show_arith(L, "-7", LUA_OPIDIV, "2");
  show_arith(L, "-7", LUA_OPMOD, "3");
  show_arith(L, "7", LUA_OPMOD, "-3");
  show_arith(L, "7.5", LUA_OPMOD, "-2");
  show_arith(L, "7", LUA_OPDIV, "2");
  show_arith(L, "2", LUA_OPPOW, "10");
  show_arith(L, "9223372036854775807", LUA_OPADD, "1");
  show_arith(L, "1", LUA_OPSHL, "63");
  show_arith(L, "1", LUA_OPSHL, "64");
  show_arith(L, "3", LUA_OPBOR, "4.0");
  show_arith(L, "3", LUA_OPBOR, "4.5");
  show_arith(L, "1", LUA_OPIDIV, "0");
  show_arith(L, "1", LUA_OPMOD, "0");
  show_arith(L, "1.0", LUA_OPIDIV, "0");
  show_arith(L, "-1", LUA_OPDIV, "0");

  std::printf(
      "\nObject sizes (bytes): TValue %zu, TString %zu + len + 1, "
      "Table %zu, Node %zu,\n  Udata %zu, UpVal %zu, LClosure %zu, "
      "CClosure %zu, Proto %zu, lua_State %zu\n",
      sizeof(TValue), sizeof(TString), sizeof(Table), sizeof(Node),
      sizeof(Udata), sizeof(UpVal), sizeof(LClosure), sizeof(CClosure),
      sizeof(Proto), sizeof(lua_State));
  std::printf(
      "A bare state holds %zu bytes (main thread and global "
      "state, allocated together).\n",
      static_cast<std::size_t>(gettotalbytes(G(L))));
  luaE_freebarestate(L);
  return 0;
}
