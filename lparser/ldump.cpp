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
/// The dump functions are members of `DumpState`, in the order of
/// ldump.c, so each reads as the list of fields it writes. Vectors are
/// walked as `std::span`s.
///
/// Differences from Lua: none in behaviour. Lua's dumpVector, dumpVar and
/// dumpLiteral macros are member templates and functions here, and the
/// counts of vectors are written with dumpSize (dumpInt of a count that is
/// never negative writes the same bytes).
#include <cstring>
#include <iterator>
#include <limits>
#include <span>
#include <string_view>

#include "lparser/lundump.hpp"

namespace lua {

namespace {

// Enough 7-bit groups for any size_t.
constexpr int DIBS = std::numeric_limits<std::size_t>::digits / 7 + 1;

// The `n` elements at `v`, as a range (`v` may be null when `n` is 0).
template <class T>
std::span<const T> elements(const T* v, int n) {
  return {v, cast_sizet(n)};
}

struct DumpState {
  lua_State* L;
  lua_Writer writer;
  void* data;
  bool strip;
  int status = 0;  // the writer's first nonzero result (STICKY)

  // Every byte of the chunk goes through here.
  void dumpBlock(const void* b, std::size_t size) {
    if (status != 0 || size == 0) return;
    status = writer(L, b, size, data);
  }

  template <class T>
  void dumpVector(const T* v, std::size_t n) {
    dumpBlock(v, n * sizeof(T));
  }

  // Raw bytes of the value, as this machine lays it out; the header tells
  // a loader whether its machine agrees.
  template <class T>
  void dumpVar(const T& x) {
    dumpVector(&x, 1);
  }

  // A literal's characters, without its terminating '\0'.
  void dumpLiteral(std::string_view s) { dumpBlock(s.data(), s.size()); }

  void dumpByte(int y) { dumpVar(cast_byte(y)); }

  // Groups of 7 bits, most significant first; the last group carries the
  // 0x80 mark. The groups come out of `x` low end first, so they fill the
  // buffer backwards.
  void dumpSize(std::size_t x) {
    lu_byte groups[DIBS];
    lu_byte* first = std::end(groups);
    lu_byte mark = 0x80;
    do {
      *--first = cast_byte((x & 0x7f) | mark);
      mark = 0;
      x >>= 7;
    } while (x != 0);
    dumpVector(first, static_cast<std::size_t>(std::end(groups) - first));
  }

  // Counts and line numbers are never negative in a valid prototype.
  void dumpInt(int x) {
    lua_assert(x >= 0);
    dumpSize(static_cast<std::size_t>(x));
  }

  void dumpNumber(lua_Number x) { dumpVar(x); }

  void dumpInteger(lua_Integer x) { dumpVar(x); }

  // The length is written plus one, so that 0 can mean "no string".
  void dumpString(const TString* s) {
    if (s == nullptr) {
      dumpSize(0);
      return;
    }
    const std::size_t len = tsslen(s);
    dumpSize(len + 1);
    dumpVector(getstr(s), len);
  }

  void dumpCode(const Proto& f) {
    dumpInt(f.sizecode);
    dumpVector(f.code, cast_sizet(f.sizecode));
  }

  // The tag says what follows: nothing for nil and the booleans.
  void dumpConstant(const TValue& k) {
    const int tag = ttypetag(&k);
    dumpByte(tag);
    switch (tag) {
      case LUA_VNUMFLT:
        dumpNumber(fltvalue(&k));
        break;
      case LUA_VNUMINT:
        dumpInteger(ivalue(&k));
        break;
      case LUA_VSHRSTR:
      case LUA_VLNGSTR:
        dumpString(tsvalue(&k));
        break;
      default:  // the tag is the whole value
        lua_assert(tag == LUA_VNIL || tag == LUA_VFALSE || tag == LUA_VTRUE);
    }
  }

  void dumpConstants(const Proto& f) {
    dumpInt(f.sizek);
    for (const TValue& k : elements(f.k, f.sizek)) dumpConstant(k);
  }

  void dumpProtos(const Proto& f) {
    dumpInt(f.sizep);
    for (const Proto* p : elements(f.p, f.sizep)) dumpFunction(*p, f.source);
  }

  // The names come later, with the debug information.
  void dumpUpvalues(const Proto& f) {
    dumpInt(f.sizeupvalues);
    for (const Upvaldesc& uv : elements(f.upvalues, f.sizeupvalues)) {
      dumpByte(uv.instack);
      dumpByte(uv.idx);
      dumpByte(uv.kind);
    }
  }

  // A debug vector as written: empty when stripping, so that the layout
  // stays the same and the loader needs no flag.
  template <class T>
  std::span<const T> debuginfo(const T* v, int n) const {
    return elements(v, strip ? 0 : n);
  }

  void dumpDebug(const Proto& f) {
    const auto lines = debuginfo(f.lineinfo, f.sizelineinfo);
    dumpSize(lines.size());
    dumpVector(lines.data(), lines.size());
    const auto abslines = debuginfo(f.abslineinfo, f.sizeabslineinfo);
    dumpSize(abslines.size());
    for (const AbsLineInfo& a : abslines) {
      dumpInt(a.pc);
      dumpInt(a.line);
    }
    const auto locals = debuginfo(f.locvars, f.sizelocvars);
    dumpSize(locals.size());
    for (const LocVar& var : locals) {
      dumpString(var.varname);
      dumpInt(var.startpc);
      dumpInt(var.endpc);
    }
    const auto upvalues = debuginfo(f.upvalues, f.sizeupvalues);
    dumpSize(upvalues.size());
    for (const Upvaldesc& uv : upvalues) dumpString(uv.name);
  }

  // The source is written only when the loader cannot take it from the
  // parent (INVERSE): almost every nested function shares its parent's.
  void dumpFunction(const Proto& f, const TString* psource) {
    const bool inherited = strip || f.source == psource;
    dumpString(inherited ? nullptr : f.source);
    dumpInt(f.linedefined);
    dumpInt(f.lastlinedefined);
    dumpByte(f.numparams);
    dumpByte(f.is_vararg);
    dumpByte(f.maxstacksize);
    dumpCode(f);
    dumpConstants(f);
    dumpUpvalues(f);
    dumpProtos(f);
    dumpDebug(f);
  }

  // Everything that must agree between the writing and the loading
  // machine, in the order checkHeader reads it.
  void dumpHeader() {
    dumpLiteral(LUA_SIGNATURE);
    dumpByte(LUAC_VERSION);
    dumpByte(LUAC_FORMAT);
    dumpLiteral(LUAC_DATA);
    dumpByte(sizeof(Instruction));
    dumpByte(sizeof(lua_Integer));
    dumpByte(sizeof(lua_Number));
    dumpInteger(LUAC_INT);
    dumpNumber(LUAC_NUM);
  }
};

}  // namespace

// The byte after the header is the number of upvalues of the main
// function: the loader needs it to create the closure before the
// prototype.
int luaU_dump(lua_State* L, const Proto* f, lua_Writer w, void* data,
              int strip) {
  DumpState D{L, w, data, strip != 0};
  D.dumpHeader();
  D.dumpByte(f->sizeupvalues);
  D.dumpFunction(*f, nullptr);
  return D.status;
}

}  // namespace lua
