/// \file
/// The dumper: writes a prototype and its nested functions as a binary
/// chunk, the inverse of lundump.cpp.
///
/// Mirrors: Lua 5.4 ldump.c
/// Book: chapter 7
///
/// Design: the dumper walks the prototype in the loader's order and hands
/// each field to the writer as soon as it is encoded; it builds nothing
/// and allocates nothing, so it cannot fail by itself. Only the writer can
/// fail, and then:
///
/// - **Invariant STICKY.** Once the writer has returned nonzero it is
///   never called again, and that first status is the result.
/// - **Invariant INVERSE.** For every prototype `f` the loader accepts,
///   loading luaU_dump(f) gives back `f`: the same fields, the same
///   constants, and strings with the same contents (the `source` of a
///   nested function is written only when it differs from its parent's,
///   and the loader restores it from the parent). With `strip`, the
///   debug fields come back empty and the sources null.
///
/// Differences from Lua: none in behaviour. Lua's dumpVector and dumpVar
/// macros are templates here.
#include <cstring>
#include <limits>

#include "lparser/lundump.hpp"

namespace lua {

namespace {

struct DumpState {
  lua_State* L;
  lua_Writer writer;
  void* data;
  int strip;
  int status;  // the writer's first nonzero result (STICKY)
};

void dumpBlock(DumpState* D, const void* b, std::size_t size) {
  if (D->status == 0 && size > 0) D->status = D->writer(D->L, b, size, D->data);
}

template <class T>
void dumpVector(DumpState* D, const T* v, std::size_t n) {
  dumpBlock(D, v, n * sizeof(T));
}

template <class T>
void dumpVar(DumpState* D, const T& x) {
  dumpVector(D, &x, 1);
}

// A string literal without its terminating '\0'.
void dumpLiteral(DumpState* D, const char* s) {
  dumpBlock(D, s, std::strlen(s));
}

void dumpByte(DumpState* D, int y) {
  dumpVar(D, cast_byte(y));
}

// Enough 7-bit groups for any size_t.
constexpr int DIBS = std::numeric_limits<std::size_t>::digits / 7 + 1;

// Groups of 7 bits, most significant first; the last group carries the
// 0x80 mark. The groups are produced from the low end, so they fill the
// buffer from its end.
void dumpSize(DumpState* D, std::size_t x) {
  lu_byte buff[DIBS];
  int first = DIBS;
  do {
    buff[--first] = cast_byte(x & 0x7f);
    x >>= 7;
  } while (x != 0);
  buff[DIBS - 1] |= 0x80;
  dumpVector(D, buff + first, cast_sizet(DIBS - first));
}

// Counts and line numbers are never negative in a valid prototype.
void dumpInt(DumpState* D, int x) {
  lua_assert(x >= 0);
  dumpSize(D, static_cast<std::size_t>(x));
}

void dumpNumber(DumpState* D, lua_Number x) {
  dumpVar(D, x);
}

void dumpInteger(DumpState* D, lua_Integer x) {
  dumpVar(D, x);
}

// The size is stored plus one, so that 0 can mean "no string".
void dumpString(DumpState* D, const TString* s) {
  if (s == nullptr) {
    dumpSize(D, 0);
    return;
  }
  std::size_t size = tsslen(s);
  dumpSize(D, size + 1);
  dumpVector(D, getstr(s), size);
}

void dumpCode(DumpState* D, const Proto* f) {
  dumpInt(D, f->sizecode);
  dumpVector(D, f->code, cast_sizet(f->sizecode));
}

void dumpFunction(DumpState* D, const Proto* f, const TString* psource);

// The tag says how much payload follows: none for nil and the booleans.
void dumpConstants(DumpState* D, const Proto* f) {
  dumpInt(D, f->sizek);
  for (int i = 0; i < f->sizek; i++) {
    const TValue* o = &f->k[i];
    const int tt = ttypetag(o);
    dumpByte(D, tt);
    if (tt == LUA_VNUMFLT) {
      dumpNumber(D, fltvalue(o));
    } else if (tt == LUA_VNUMINT) {
      dumpInteger(D, ivalue(o));
    } else if (tt == LUA_VSHRSTR || tt == LUA_VLNGSTR) {
      dumpString(D, tsvalue(o));
    } else {
      lua_assert(tt == LUA_VNIL || tt == LUA_VFALSE || tt == LUA_VTRUE);
    }
  }
}

void dumpProtos(DumpState* D, const Proto* f) {
  dumpInt(D, f->sizep);
  for (int i = 0; i < f->sizep; i++) dumpFunction(D, f->p[i], f->source);
}

void dumpUpvalues(DumpState* D, const Proto* f) {
  dumpInt(D, f->sizeupvalues);
  for (int i = 0; i < f->sizeupvalues; i++) {
    dumpByte(D, f->upvalues[i].instack);
    dumpByte(D, f->upvalues[i].idx);
    dumpByte(D, f->upvalues[i].kind);
  }
}

void dumpLocVars(DumpState* D, const Proto* f, int n) {
  dumpInt(D, n);
  for (int i = 0; i < n; i++) {
    dumpString(D, f->locvars[i].varname);
    dumpInt(D, f->locvars[i].startpc);
    dumpInt(D, f->locvars[i].endpc);
  }
}

// Stripping writes every debug vector as empty, so the layout stays the
// same and the loader needs no flag.
void dumpDebug(DumpState* D, const Proto* f) {
  int n = D->strip ? 0 : f->sizelineinfo;
  dumpInt(D, n);
  dumpVector(D, f->lineinfo, cast_sizet(n));
  n = D->strip ? 0 : f->sizeabslineinfo;
  dumpInt(D, n);
  for (int i = 0; i < n; i++) {
    dumpInt(D, f->abslineinfo[i].pc);
    dumpInt(D, f->abslineinfo[i].line);
  }
  dumpLocVars(D, f, D->strip ? 0 : f->sizelocvars);
  n = D->strip ? 0 : f->sizeupvalues;
  dumpInt(D, n);
  for (int i = 0; i < n; i++) dumpString(D, f->upvalues[i].name);
}

// The source is written only when the loader could not restore it from
// the parent (INVERSE): almost every nested function shares its parent's.
void dumpFunction(DumpState* D, const Proto* f, const TString* psource) {
  if (D->strip || f->source == psource)
    dumpString(D, nullptr);
  else
    dumpString(D, f->source);
  dumpInt(D, f->linedefined);
  dumpInt(D, f->lastlinedefined);
  dumpByte(D, f->numparams);
  dumpByte(D, f->is_vararg);
  dumpByte(D, f->maxstacksize);
  dumpCode(D, f);
  dumpConstants(D, f);
  dumpUpvalues(D, f);
  dumpProtos(D, f);
  dumpDebug(D, f);
}

void dumpHeader(DumpState* D) {
  dumpLiteral(D, LUA_SIGNATURE);
  dumpByte(D, LUAC_VERSION);
  dumpByte(D, LUAC_FORMAT);
  dumpLiteral(D, LUAC_DATA);
  dumpByte(D, sizeof(Instruction));
  dumpByte(D, sizeof(lua_Integer));
  dumpByte(D, sizeof(lua_Number));
  dumpInteger(D, LUAC_INT);
  dumpNumber(D, LUAC_NUM);
}

}  // namespace

// The byte after the header is the number of upvalues of the main
// function: the loader needs it to create the closure before the
// prototype.
int luaU_dump(lua_State* L, const Proto* f, lua_Writer w, void* data,
              int strip) {
  DumpState D{L, w, data, strip, 0};
  dumpHeader(&D);
  dumpByte(&D, f->sizeupvalues);
  dumpFunction(&D, f, nullptr);
  return D.status;
}

}  // namespace lua
