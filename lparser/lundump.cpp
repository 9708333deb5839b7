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
///   declares a gigabyte of code fails as "truncated chunk" after
///   allocating a few kilobytes.
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
///   reports "not enough memory", this loader "truncated chunk".
/// - Upvalue names beyond the number of upvalues are read and dropped:
///   5.4.4 trusts their count and writes them past the vector (lua5.4
///   crashes on such a chunk). Every chunk that lua5.4 loads without
///   writing out of bounds loads here the same way.
/// - Each level of nested functions counts as a C call (luaE_incCstack, as
///   the parser counts its recursion), so a crafted chunk nested thousands
///   of levels deep raises "C stack overflow" instead of exhausting the
///   C stack, which 5.4.4 does not guard against.
#include "lparser/lundump.hpp"

#include <cstring>

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

struct LoadState {
  lua_State* L;
  ZIO* Z;
  const char* name;  // the chunk name as messages show it
};

// Every format error ends here; the reason is one of a few fixed phrases
// (the loader's vocabulary is lua5.4's).
[[noreturn]] void error(LoadState* S, const char* why) {
  luaO_pushfstring(S->L, "%s: bad binary format (%s)", S->name, why);
  luaM_throw(S->L, LUA_ERRSYNTAX);
}

void loadBlock(LoadState* S, void* b, std::size_t size) {
  if (luaZ_read(S->Z, b, size) != 0) error(S, "truncated chunk");
}

// Raw elements, copied as the writing machine laid them out (the header
// guarantees it is laid out like this one).
template <class T>
void loadVector(LoadState* S, T* b, std::size_t n) {
  loadBlock(S, b, n * sizeof(T));
}

template <class T>
void loadVar(LoadState* S, T& x) {
  loadVector(S, &x, 1);
}

lu_byte loadByte(LoadState* S) {
  int b = zgetc(S->Z);
  if (b == EOZ) error(S, "truncated chunk");
  return cast_byte(b);
}

// A varint of at most `limit`. The test comes before each group is shifted
// in and compares with limit >> 7, so it can never overflow; the price,
// which lua5.4 pays too, is that values within 127 of the limit are
// refused as well.
std::size_t loadUnsigned(LoadState* S, std::size_t limit) {
  const std::size_t bound = limit >> 7;
  std::size_t x = 0;
  for (;;) {
    const lu_byte b = loadByte(S);
    if (x >= bound) error(S, "integer overflow");
    x = (x << 7) | (b & 0x7fu);
    if ((b & 0x80u) != 0) return x;  // the last group is marked
  }
}

std::size_t loadSize(LoadState* S) {
  return loadUnsigned(S, ~std::size_t{0});
}

int loadInt(LoadState* S) {
  return cast_int(loadUnsigned(S, static_cast<std::size_t>(MAX_INT)));
}

lua_Number loadNumber(LoadState* S) {
  lua_Number x;
  loadVar(S, x);
  return x;
}

lua_Integer loadInteger(LoadState* S) {
  lua_Integer x;
  loadVar(S, x);
  return x;
}

// The next size of a vector that must reach `n` elements and has `size`
// (invariant BOUNDED): LOADBLOCK bytes' worth first, then doubling.
template <class T>
int nextsize(int size, int n) {
  constexpr int first =
      static_cast<int>(LOADBLOCK / sizeof(T) > 0 ? LOADBLOCK / sizeof(T) : 1);
  int want = (size == 0) ? first : (size > n / 2 ? n : size * 2);
  return want < n ? want : n;
}

// Resizes vector `v` (with size field `size`) to `newsize` elements,
// filling the new slots with `blank` (invariant VALID: the pointer and the
// size change together, with no allocation between them).
template <class T>
void resizevector(LoadState* S, T*& v, int& size, int newsize, const T& blank) {
  void* nv = luaM_saferealloc_(S->L, v, cast_sizet(size) * sizeof(T),
                               cast_sizet(newsize) * sizeof(T));
  v = static_cast<T*>(nv);
  for (int i = size; i < newsize; i++) v[i] = blank;
  size = newsize;
}

// Lua's `luaM_newvectorchecked` plus `loadVector`, for plain data (code,
// line deltas): `n` elements, allocated as they arrive (BOUNDED).
template <class T>
void loadVectorBounded(LoadState* S, T*& v, int& size, int n) {
  while (size < n) {
    const int done = size;
    resizevector(S, v, size, nextsize<T>(size, n), T{});
    loadVector(S, v + done, cast_sizet(size - done));
  }
}

// Makes slot `i` of a vector that will hold `n` elements exist, so that
// loops over structured elements (constants, names, prototypes) grow
// their vector only as far as they have read (BOUNDED, VALID).
template <class T>
T* slot(LoadState* S, T*& v, int& size, int i, int n, const T& blank) {
  if (i >= size) resizevector(S, v, size, nextsize<T>(size, n), blank);
  return &v[i];
}

// A long string is filled in place, on the stack (REACHABLE). Its size is
// not trusted: a string whose size the input does not back is rebuilt
// bigger as its bytes arrive (BOUNDED); the smaller copies are garbage.
TString* loadLongString(LoadState* S, std::size_t size) {
  lua_State* L = S->L;
  std::size_t have = size < LOADBLOCK ? size : LOADBLOCK;
  luaD_checkstack(L, 1);  // see luaU_undump
  TString* ts = luaS_createlngstrobj(L, have);
  setsvalue2s(L, L->top, ts);
  L->top++;
  loadVector(S, getstr(ts), have);
  while (have < size) {
    std::size_t len = (size - have > have) ? 2 * have : size;
    TString* bigger = luaS_createlngstrobj(L, len);
    std::memcpy(getstr(bigger), getstr(ts), have);
    ts = bigger;
    setsvalue2s(L, L->top - 1, ts);
    loadVector(S, getstr(ts) + have, len - have);
    have = len;
  }
  L->top--;
  return ts;
}

// A string or none (size 0), which the caller stores in `p` right away:
// the barrier is for that store (REACHABLE).
TString* loadStringN(LoadState* S, Proto* p) {
  lua_State* L = S->L;
  std::size_t size = loadSize(S);
  if (size == 0) return nullptr;
  size--;  // the stored size counts one more than the bytes
  TString* ts;
  if (size <= static_cast<std::size_t>(LUAI_MAXSHORTLEN)) {
    char buff[LUAI_MAXSHORTLEN];  // short: interned from a copy
    loadVector(S, buff, size);
    ts = luaS_newlstr(L, buff, size);
  } else {
    ts = loadLongString(S, size);
  }
  luaC_objbarrier(L, p, ts);
  return ts;
}

TString* loadString(LoadState* S, Proto* p) {
  TString* st = loadStringN(S, p);
  if (st == nullptr) error(S, "bad format for constant string");
  return st;
}

void loadCode(LoadState* S, Proto* f) {
  int n = loadInt(S);
  loadVectorBounded(S, f->code, f->sizecode, n);
}

void loadFunction(LoadState* S, Proto* f, TString* psource);

// A tag lua5.4 does not know leaves the constant nil, as lua5.4 (built
// without assertions) does: the loader checks the format, not the values.
void loadConstant(LoadState* S, Proto* f, int i, int n) {
  TValue nil;
  setnilvalue(&nil);
  slot(S, f->k, f->sizek, i, n, nil);
  const int t = loadByte(S);
  if (t == LUA_VNIL) {
    setnilvalue(&f->k[i]);
  } else if (t == LUA_VFALSE) {
    setbfvalue(&f->k[i]);
  } else if (t == LUA_VTRUE) {
    setbtvalue(&f->k[i]);
  } else if (t == LUA_VNUMFLT) {
    setfltvalue(&f->k[i], loadNumber(S));
  } else if (t == LUA_VNUMINT) {
    setivalue(&f->k[i], loadInteger(S));
  } else if (t == LUA_VSHRSTR || t == LUA_VLNGSTR) {
    setsvalue2n(S->L, &f->k[i], loadString(S, f));
  }
}

void loadConstants(LoadState* S, Proto* f) {
  int n = loadInt(S);
  for (int i = 0; i < n; i++) loadConstant(S, f, i, n);
}

// Each prototype is created empty, stored in its parent (REACHABLE), and
// only then loaded. Its slot exists first: growing `p` after creating the
// prototype could run an emergency collection while nothing refers to it.
// The nesting is C recursion, so it is counted as C calls are.
void loadProtos(LoadState* S, Proto* f) {
  lua_State* L = S->L;
  int n = loadInt(S);
  for (int i = 0; i < n; i++) {
    slot<Proto*>(S, f->p, f->sizep, i, n, nullptr);
    f->p[i] = luaF_newproto(L);
    luaC_objbarrier(L, f, f->p[i]);
    luaE_incCstack(L);
    loadFunction(S, f->p[i], f->source);
    L->nCcalls--;
  }
}

// The names come later, with the debug information; until then they are
// null (VALID).
void loadUpvalues(LoadState* S, Proto* f) {
  int n = loadInt(S);
  for (int i = 0; i < n; i++) {
    Upvaldesc* uv = slot(S, f->upvalues, f->sizeupvalues, i, n, Upvaldesc{});
    uv->instack = loadByte(S);
    uv->idx = loadByte(S);
    uv->kind = loadByte(S);
  }
}

void loadAbsLineInfo(LoadState* S, Proto* f) {
  int n = loadInt(S);
  for (int i = 0; i < n; i++) {
    AbsLineInfo* a =
        slot(S, f->abslineinfo, f->sizeabslineinfo, i, n, AbsLineInfo{});
    a->pc = loadInt(S);
    a->line = loadInt(S);
  }
}

void loadLocVars(LoadState* S, Proto* f) {
  int n = loadInt(S);
  for (int i = 0; i < n; i++) {
    LocVar* lv = slot(S, f->locvars, f->sizelocvars, i, n, LocVar{});
    lv->varname = loadStringN(S, f);
    lv->startpc = loadInt(S);
    lv->endpc = loadInt(S);
  }
}

// A stripped chunk has none of this: every count is 0.
void loadDebug(LoadState* S, Proto* f) {
  int n = loadInt(S);
  loadVectorBounded(S, f->lineinfo, f->sizelineinfo, n);
  loadAbsLineInfo(S, f);
  loadLocVars(S, f);
  n = loadInt(S);
  for (int i = 0; i < n; i++) {
    TString* name = loadStringN(S, f);
    if (i < f->sizeupvalues) f->upvalues[i].name = name;  // else dropped
  }
}

// A nested function without a source of its own shares its parent's.
void loadFunction(LoadState* S, Proto* f, TString* psource) {
  f->source = loadStringN(S, f);
  if (f->source == nullptr) f->source = psource;
  f->linedefined = loadInt(S);
  f->lastlinedefined = loadInt(S);
  f->numparams = loadByte(S);
  f->is_vararg = loadByte(S);
  f->maxstacksize = loadByte(S);
  loadCode(S, f);
  loadConstants(S, f);
  loadUpvalues(S, f);
  loadProtos(S, f);
  loadDebug(S, f);
}

void checkliteral(LoadState* S, const char* s, const char* msg) {
  char buff[16];  // room for the longest literal (LUAC_DATA)
  std::size_t len = std::strlen(s);
  lua_assert(len <= sizeof(buff));
  loadVector(S, buff, len);
  if (std::memcmp(s, buff, len) != 0) error(S, msg);
}

void fchecksize(LoadState* S, std::size_t size, const char* tname) {
  if (loadByte(S) != size)
    error(S, luaO_pushfstring(S->L, "%s size mismatch", tname));
}

// The header, in order; each field has its own message, so a chunk from
// another build says what differs.
void checkHeader(LoadState* S) {
  checkliteral(S, &LUA_SIGNATURE[1], "not a binary chunk");  // after ESC
  if (loadByte(S) != LUAC_VERSION) error(S, "version mismatch");
  if (loadByte(S) != LUAC_FORMAT) error(S, "format mismatch");
  checkliteral(S, LUAC_DATA, "corrupted chunk");
  fchecksize(S, sizeof(Instruction), "Instruction");
  fchecksize(S, sizeof(lua_Integer), "lua_Integer");
  fchecksize(S, sizeof(lua_Number), "lua_Number");
  if (loadInteger(S) != LUAC_INT) error(S, "integer format mismatch");
  if (loadNumber(S) != LUAC_NUM) error(S, "float format mismatch");
}

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
  checkHeader(&S);
  const int nupvalues = loadByte(&S);
  // Room for the anchor comes first: were the stack to grow with the new
  // closure already in the slot above `top`, an emergency collection
  // during the growth would not see it.
  luaD_checkstack(L, 1);
  LClosure* cl = luaF_newLclosure(L, nupvalues);
  setclLvalue2s(L, L->top, cl);  // the root of everything loaded
  L->top++;
  cl->p = luaF_newproto(L);
  luaC_objbarrier(L, cl, cl->p);
  loadFunction(&S, cl->p, nullptr);
  // Lua asserts that the closure has one slot per upvalue of its main
  // function; a corrupt chunk can break that, so it is not asserted here
  // (the format check is all this loader promises).
  return cl;
}

}  // namespace lua
