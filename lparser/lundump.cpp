/// \file
/// The loader of binary chunks: checks the header, then rebuilds the main
/// function and its nested functions field by field.
///
/// Mirrors: Lua 5.4 lundump.c
/// Book: chapter 7
///
/// Design: the loader reads a stream it cannot trust. It may be truncated,
/// corrupted, or crafted, and it arrives through a reader that can run
/// arbitrary code, a collection included, every time it is asked for more
/// bytes. Three invariants make any input safe to read:
///
/// - **Invariant REACHABLE.** Every object the loader has created is
///   reachable from the stack whenever it allocates or calls the reader:
///   the closure is pushed first, the main prototype hangs from it, every
///   nested prototype is stored in its parent's `p` and every string in its
///   prototype as soon as they exist (with the forward barrier, since the
///   parent may already be black), and a long string being filled sits on
///   the stack.
/// - **Invariant VALID.** A prototype under construction is always well
///   formed for the collector and for luaF_freeproto: each size field
///   counts exactly the slots allocated, and slots that the collector
///   traverses (constants, names, nested prototypes) are nil or null until
///   loaded. An error at any byte leaves garbage, never a broken object.
/// - **Invariant BOUNDED.** Memory follows the input: a vector or a long
///   string whose declared size the input has not yet delivered is
///   allocated in steps, a first one of LOADBLOCK bytes and then at most
///   doubling what has been read into it. A chunk of a few bytes that
///   declares a gigabyte of code allocates a few kilobytes before it fails,
///   with whatever format error its bytes reach first: "truncated chunk"
///   when they run out, or a later check, such as "bad format for constant
///   string" for a chunk that declares two billion constants and whose
///   first constant is a string tag followed by a 0 length.
///
/// Every error but memory exhaustion is raised as Lua raises a syntax
/// error: the message "<name>: bad binary format (<why>)" is pushed and
/// the status is LUA_ERRSYNTAX. The checks, their order and their words
/// are lua5.4's, so the same corrupt chunk gets the same message.
///
/// Differences from Lua:
/// - Invariant BOUNDED is ours: Lua allocates each vector (and each long
///   string) at its declared size before reading it, so a tiny chunk can
///   ask for gigabytes. The only visible change is the message for a size
///   that the allocator cannot provide and the input does not back: Lua
///   reports "not enough memory", this loader the format error that the
///   bytes give (above; when the allocator does provide the size, lua5.4
///   reports the same format error).
/// - Upvalue names beyond the number of upvalues are read and dropped:
///   5.4.4 trusts their count and writes them past the vector (lua5.4
///   crashes on such a chunk). Every chunk that lua5.4 loads without
///   writing out of bounds loads here the same way, unless it nests
///   functions deeper than the limit below.
/// - Each level of nested functions counts as a C call (luaE_incCstack, as
///   the parser counts its recursion), so the nesting is limited to 199
///   levels below the main function (LUAI_MAXCCALLS is 200), less one per C
///   call already active: `load` called from a script accepts 197. Deeper
///   chunks raise "C stack overflow". 5.4.4 does not guard this recursion:
///   lua5.4 loads a chunk nested 10000 levels deep and crashes on one
///   nested 100000 levels deep. The parser cannot produce such chunks.
#include "lparser/lundump.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/lstate.hpp"
#include "lstring/lstring.hpp"

namespace lua {

namespace {

// Bytes of the first allocation for a vector or long string of unbacked
// size (invariant BOUNDED). Smaller items are loaded in one allocation, as
// in Lua.
constexpr std::size_t LOADBLOCK = 4096;

static_assert(LUA_VNIL == 0, "a value-initialised TValue is nil");

// The next size of a vector of T that must reach `n` elements and has
// `size` (invariant BOUNDED): LOADBLOCK bytes' worth first, then doubling,
// never past `n`.
template <class T>
int nextsize(int size, int n) {
  constexpr int first =
      static_cast<int>(std::max<std::size_t>(LOADBLOCK / sizeof(T), 1));
  if (size == 0) return std::min(first, n);
  return size > n / 2 ? n : 2 * size;
}

// A vector of a prototype as the loader grows it: the pointer and the size
// field, which change together (invariant VALID).
template <class T>
struct Growing {
  T*& v;
  int& size;
};

// The loader's state and its reading functions, in the order of lundump.c
// (with the BOUNDED helpers next to their first user). Each load* function
// consumes exactly the bytes the matching dump* function of ldump.cpp
// writes.
struct LoadState {
  lua_State* L;
  ZIO* Z;
  const char* name;  // the chunk name as messages show it

  // Every format error ends here; `why` is one of a few fixed phrases (the
  // loader's vocabulary is lua5.4's).
  [[noreturn]] void error(const char* why) {
    luaO_pushfstring(L, "%s: bad binary format (%s)", name, why);
    luaM_throw(L, LUA_ERRSYNTAX);
  }

  void loadBlock(void* b, std::size_t size) {
    if (luaZ_read(Z, b, size) != 0) error("truncated chunk");
  }

  // Raw elements, copied as the writing machine laid them out (the header
  // guarantees that it lays them out as this one does).
  template <class T>
  void loadVector(T* b, std::size_t n) {
    loadBlock(b, n * sizeof(T));
  }

  template <class T>
  T loadVar() {
    T x;
    loadVector(&x, 1);
    return x;
  }

  lu_byte loadByte() {
    const int b = zgetc(Z);
    if (b == EOZ) error("truncated chunk");
    return static_cast<lu_byte>(b);
  }

  // A varint of at most `limit`. The test comes before each group is
  // shifted in and compares with limit >> 7, so it can never overflow; the
  // price, which lua5.4 pays too, is that values within 127 of the limit
  // are refused as well.
  std::size_t loadUnsigned(std::size_t limit) {
    const std::size_t bound = limit >> 7;
    std::size_t x = 0;
    for (;;) {
      const lu_byte group = loadByte();
      if (x >= bound) error("integer overflow");
      x = (x << 7) | (group & 0x7fu);
      if ((group & 0x80u) != 0) return x;  // the last group is marked
    }
  }

  std::size_t loadSize() {
    return loadUnsigned(std::numeric_limits<std::size_t>::max());
  }

  int loadInt() { return cast_int(loadUnsigned(cast_sizet(MAX_INT))); }

  lua_Number loadNumber() { return loadVar<lua_Number>(); }

  lua_Integer loadInteger() { return loadVar<lua_Integer>(); }

  // Resizes `vec` to `newsize` elements, the new ones set to `blank`; no
  // allocation comes between the pointer's and the size's change (VALID).
  template <class T>
  void resizevector(Growing<T> vec, int newsize,
                    const std::type_identity_t<T>& blank) {
    const std::size_t oldbytes = cast_sizet(vec.size) * sizeof(T);
    void* fresh =
        luaM_saferealloc_(L, vec.v, oldbytes, cast_sizet(newsize) * sizeof(T));
    vec.v = static_cast<T*>(fresh);
    std::fill(vec.v + vec.size, vec.v + newsize, blank);
    vec.size = newsize;
  }

  // Lua's luaM_newvectorchecked plus loadVector, for plain data (code,
  // line deltas): `n` elements, allocated as they arrive (BOUNDED).
  template <class T>
  void loadVectorBounded(Growing<T> vec, int n) {
    while (vec.size < n) {
      const int loaded = vec.size;
      resizevector(vec, nextsize<T>(loaded, n), T{});
      loadVector(vec.v + loaded, cast_sizet(vec.size - loaded));
    }
  }

  // Slot `i` of a vector that will hold `n` structured elements (constants,
  // names, prototypes), grown only as far as the loop has read (BOUNDED)
  // and blank until loaded (VALID).
  template <class T>
  T& slot(Growing<T> vec, int i, int n, const std::type_identity_t<T>& blank) {
    if (i >= vec.size) resizevector(vec, nextsize<T>(vec.size, n), blank);
    return vec.v[i];
  }

  // A long string is filled in place, on the stack (REACHABLE). Its size is
  // not trusted: a string whose size the input does not back is rebuilt
  // bigger as its bytes arrive (BOUNDED); the smaller copies are garbage.
  TString* loadLongString(std::size_t size) {
    std::size_t have = std::min(size, LOADBLOCK);
    luaD_checkstack(L, 1);  // see luaU_undump
    TString* ts = luaS_createlngstrobj(L, have);
    setsvalue2s(L, L->top, ts);
    L->top++;
    loadVector(getstr(ts), have);
    while (have < size) {
      const std::size_t want = std::min(2 * have, size);
      TString* bigger = luaS_createlngstrobj(L, want);
      std::memcpy(getstr(bigger), getstr(ts), have);
      ts = bigger;
      setsvalue2s(L, L->top - 1, ts);
      loadVector(getstr(ts) + have, want - have);
      have = want;
    }
    L->top--;
    return ts;
  }

  // A string or none (stored length 0). The caller stores the result in
  // `p` at once, so the barrier is for that store (REACHABLE).
  TString* loadStringN(Proto& p) {
    const std::size_t stored = loadSize();
    if (stored == 0) return nullptr;
    const std::size_t len = stored - 1;  // stored is the length plus one
    TString* ts;
    if (len <= static_cast<std::size_t>(LUAI_MAXSHORTLEN)) {
      char text[LUAI_MAXSHORTLEN];  // interned from a copy
      loadVector(text, len);
      ts = luaS_newlstr(L, text, len);
    } else {
      ts = loadLongString(len);
    }
    luaC_objbarrier(L, &p, ts);
    return ts;
  }

  TString* loadString(Proto& p) {
    TString* ts = loadStringN(p);
    if (ts == nullptr) error("bad format for constant string");
    return ts;
  }

  void loadCode(Proto& f) {
    const int n = loadInt();
    loadVectorBounded(Growing<Instruction>{f.code, f.sizecode}, n);
  }

  // A tag lua5.4 does not know leaves the constant nil, as lua5.4 (built
  // without assertions) does: the loader checks the format, not the values.
  void loadConstant(Proto& f, int i, int n) {
    TValue& k = slot(Growing<TValue>{f.k, f.sizek}, i, n, {});  // nil
    switch (loadByte()) {
      case LUA_VNIL:
        setnilvalue(&k);
        break;
      case LUA_VFALSE:
        setbfvalue(&k);
        break;
      case LUA_VTRUE:
        setbtvalue(&k);
        break;
      case LUA_VNUMFLT:
        setfltvalue(&k, loadNumber());
        break;
      case LUA_VNUMINT:
        setivalue(&k, loadInteger());
        break;
      case LUA_VSHRSTR:
      case LUA_VLNGSTR:
        setsvalue2n(L, &k, loadString(f));
        break;
      default:
        break;
    }
  }

  void loadConstants(Proto& f) {
    const int n = loadInt();
    for (int i = 0; i < n; i++) loadConstant(f, i, n);
  }

  // Each prototype is created empty, stored in its parent (REACHABLE), and
  // only then loaded. Its slot exists first: growing `p` after creating
  // the prototype could run an emergency collection while nothing refers
  // to it. The nesting is C recursion, so it is counted as C calls are.
  void loadProtos(Proto& f) {
    const int n = loadInt();
    for (int i = 0; i < n; i++) {
      Proto*& child = slot(Growing<Proto*>{f.p, f.sizep}, i, n, nullptr);
      child = luaF_newproto(L);
      luaC_objbarrier(L, &f, child);
      luaE_incCstack(L);
      loadFunction(*child, f.source);
      L->nCcalls--;
    }
  }

  // The names come later, with the debug information; until then they are
  // null (VALID).
  void loadUpvalues(Proto& f) {
    const int n = loadInt();
    for (int i = 0; i < n; i++) {
      Upvaldesc& uv =
          slot(Growing<Upvaldesc>{f.upvalues, f.sizeupvalues}, i, n, {});
      uv.instack = loadByte();
      uv.idx = loadByte();
      uv.kind = loadByte();
    }
  }

  void loadAbsLineInfo(Proto& f) {
    const int n = loadInt();
    for (int i = 0; i < n; i++) {
      AbsLineInfo& entry = slot(
          Growing<AbsLineInfo>{f.abslineinfo, f.sizeabslineinfo}, i, n, {});
      entry.pc = loadInt();
      entry.line = loadInt();
    }
  }

  void loadLocVars(Proto& f) {
    const int n = loadInt();
    for (int i = 0; i < n; i++) {
      LocVar& var = slot(Growing<LocVar>{f.locvars, f.sizelocvars}, i, n, {});
      var.varname = loadStringN(f);
      var.startpc = loadInt();
      var.endpc = loadInt();
    }
  }

  // A stripped chunk has none of this: every count is 0. Upvalue names
  // beyond the number of upvalues are read and dropped.
  void loadDebug(Proto& f) {
    const int nlines = loadInt();
    loadVectorBounded(Growing<ls_byte>{f.lineinfo, f.sizelineinfo}, nlines);
    loadAbsLineInfo(f);
    loadLocVars(f);
    const int nnames = loadInt();
    for (int i = 0; i < nnames; i++) {
      TString* upname = loadStringN(f);
      if (i < f.sizeupvalues) f.upvalues[i].name = upname;
    }
  }

  // The fields in the order ldump.cpp's dumpFunction writes them. A nested
  // function without a source of its own shares its parent's.
  void loadFunction(Proto& f, TString* psource) {
    TString* own = loadStringN(f);
    f.source = own != nullptr ? own : psource;
    f.linedefined = loadInt();
    f.lastlinedefined = loadInt();
    f.numparams = loadByte();
    f.is_vararg = loadByte();
    f.maxstacksize = loadByte();
    loadCode(f);
    loadConstants(f);
    loadUpvalues(f);
    loadProtos(f);
    loadDebug(f);
  }

  // `expected` must come next; the longest is LUAC_DATA.
  void checkliteral(std::string_view expected, const char* msg) {
    char found[16];
    lua_assert(expected.size() <= sizeof(found));
    loadVector(found, expected.size());
    if (expected != std::string_view(found, expected.size())) error(msg);
  }

  void fchecksize(std::size_t size, const char* tname) {
    if (loadByte() == size) return;
    error(luaO_pushfstring(L, "%s size mismatch", tname));
  }

  // The header, in order; each field has its own message, so that a chunk
  // from another build says what differs. The signature's first byte was
  // read by the caller.
  void checkHeader() {
    checkliteral(&LUA_SIGNATURE[1], "not a binary chunk");
    if (loadByte() != LUAC_VERSION) error("version mismatch");
    if (loadByte() != LUAC_FORMAT) error("format mismatch");
    checkliteral(LUAC_DATA, "corrupted chunk");
    fchecksize(sizeof(Instruction), "Instruction");
    fchecksize(sizeof(lua_Integer), "lua_Integer");
    fchecksize(sizeof(lua_Number), "lua_Number");
    if (loadInteger() != LUAC_INT) error("integer format mismatch");
    if (loadNumber() != LUAC_NUM) error("float format mismatch");
  }
};

// Messages name the chunk as a user would: without the '@' of a file name
// or the '=' of a literal name, and not by its own binary bytes.
const char* chunkname(const char* name) {
  if (*name == '@' || *name == '=') return name + 1;
  if (*name == LUA_SIGNATURE[0]) return "binary string";
  return name;
}

}  // namespace

LClosure* luaU_undump(lua_State* L, ZIO* Z, const char* name) {
  LoadState S{L, Z, chunkname(name)};
  S.checkHeader();
  const int nupvalues = S.loadByte();
  // Room for the anchor comes first: were the stack to grow with the new
  // closure already in the slot above `top`, an emergency collection
  // during the growth would not see it.
  luaD_checkstack(L, 1);
  LClosure* cl = luaF_newLclosure(L, nupvalues);
  setclLvalue2s(L, L->top, cl);  // the root of everything loaded
  L->top++;
  cl->p = luaF_newproto(L);
  luaC_objbarrier(L, cl, cl->p);
  S.loadFunction(*cl->p, nullptr);
  // Lua asserts that the closure has one slot per upvalue of its main
  // function; a corrupt chunk can break that, so it is not asserted here
  // (the format check is all this loader promises).
  return cl;
}

}  // namespace lua
