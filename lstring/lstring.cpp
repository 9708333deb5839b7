/// \file
/// The string table and string creation.
///
/// Mirrors: Lua 5.4 lstring.c
/// Book: chapter 3
///
/// Invariants BUCKET, UNIQUE and COUNT are stated in lstring.hpp. The
/// table grows by doubling when `nuse` reaches `size` (so chains stay
/// short on average) and shrinks only when the collector asks; a resize
/// that cannot get memory leaves the table untouched, because the table
/// must stay valid for the error to be reported at all.
///
/// Differences from Lua:
/// - A bucket is a chain of strings linked through `u.hnext`; the one
///   operation that puts a string at its head is a helper, `pushchain`,
///   shared by tablerehash and internshrstr.
/// - Short strings are compared as `std::string_view`s (length, then
///   bytes), which is what Lua's length test plus memcmp spell out.
/// - luaS_new picks its cache set from the whole address modulo
///   STRCACHE_N, where Lua first keeps the address's low 32 bits; only
///   which set a pointer uses differs.
#include "lstring/lstring.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace lua {

namespace {

// One step of the string hash: shift-add-xor folds byte `c` into `h`.
constexpr unsigned int hashstep(unsigned int h, unsigned char c) {
  return h ^ ((h << 5) + (h >> 2) + c);
}

}  // namespace

unsigned int luaS_hash(const char* str, std::size_t len, unsigned int seed) {
  // The seed mixed with the length, then every byte, from the last one to
  // the first.
  const auto* bytes = reinterpret_cast<const unsigned char*>(str);
  unsigned int h = seed ^ static_cast<unsigned int>(len);
  while (len > 0) h = hashstep(h, bytes[--len]);
  return h;
}

// A long string's hash costs a pass over all its bytes, and most long
// strings are never used as table keys, so it is computed on demand;
// `extra` records that `hash` is valid.
unsigned int luaS_hashlongstr(TString* ts) {
  lua_assert(ts->tt == LUA_VLNGSTR);
  if (ts->extra != 0) return ts->hash;  // computed before
  // Until now `hash` held the seed (luaS_createlngstrobj put it there).
  ts->hash = luaS_hash(getstr(ts), ts->u.lnglen, ts->hash);
  ts->extra = 1;
  return ts->hash;
}

bool luaS_eqlngstr(TString* a, TString* b) {
  lua_assert(a->tt == LUA_VLNGSTR && b->tt == LUA_VLNGSTR);
  if (a == b) return true;  // the same object
  return std::string_view(getstr(a), a->u.lnglen) ==
         std::string_view(getstr(b), b->u.lnglen);
}

namespace {

// Links string `ts` in front of the chain that starts at `head`.
void pushchain(TString*& head, TString* ts) {
  ts->u.hnext = head;
  head = ts;
}

// Moves every string of buckets [0, osize) to its bucket for `nsize`
// buckets. Used in both directions: to spread strings into a grown vector,
// and to gather them into the first `nsize` buckets before shrinking.
void tablerehash(TString** vect, int osize, int nsize) {
  if (nsize > osize) std::fill(vect + osize, vect + nsize, nullptr);
  for (int i = 0; i < osize; i++) {
    TString* chain = std::exchange(vect[i], nullptr);
    while (chain != nullptr) {
      TString* ts = std::exchange(chain, chain->u.hnext);
      pushchain(vect[lmod(ts->hash, nsize)], ts);
    }
  }
}

}  // namespace

// Shrinking gathers the strings into the buckets that survive before the
// vector is cut; if the reallocation then fails, a second rehash spreads
// them back, and the table is exactly as it was.
void luaS_resize(lua_State* L, int nsize) {
  stringtable& tb = G(L)->strt;
  const int osize = tb.size;
  if (nsize < osize) tablerehash(tb.hash, osize, nsize);
  TString** vect = luaM_reallocvector<TString*>(L, tb.hash, cast_sizet(osize),
                                                cast_sizet(nsize));
  if (vect == nullptr) [[unlikely]] {
    if (nsize < osize) tablerehash(tb.hash, nsize, osize);
    return;
  }
  tb.hash = vect;
  tb.size = nsize;
  if (nsize > osize) tablerehash(vect, osize, nsize);
}

void luaS_clearcache(global_State* g) {
  for (auto& set : g->strcache)
    for (TString*& s : set)
      if (iswhite(s)) s = g->memerrmsg;  // the fixed string is never white
}

void luaS_init(lua_State* L) {
  global_State* g = G(L);
  g->strt = {luaM_newvector<TString*>(L, MINSTRTABSIZE), 0, MINSTRTABSIZE};
  tablerehash(g->strt.hash, 0, MINSTRTABSIZE);  // every bucket empty
  // The memory-error message must exist before memory runs out.
  g->memerrmsg = luaS_newlstr(L, MEMERRMSG, std::strlen(MEMERRMSG));
  luaC_fix(L, g->memerrmsg);
  for (auto& set : g->strcache) std::ranges::fill(set, g->memerrmsg);
}

namespace {

// A new string object with room for `len` bytes plus the terminating '\0'.
TString* createstrobj(lua_State* L, std::size_t len, int tag, unsigned int h) {
  TString* ts = gco2ts(luaC_newobj(L, tag, sizelstring(len)));
  ts->hash = h;
  ts->extra = 0;
  getstr(ts)[len] = '\0';
  return ts;
}

}  // namespace

TString* luaS_createlngstrobj(lua_State* L, std::size_t len) {
  // The seed goes into `hash` now; luaS_hashlongstr starts from it later.
  TString* ts = createstrobj(L, len, LUA_VLNGSTR, G(L)->seed);
  ts->u.lnglen = len;
  return ts;
}

void luaS_remove(lua_State* L, TString* ts) {
  stringtable& tb = G(L)->strt;
  TString** link = &tb.hash[lmod(ts->hash, tb.size)];
  while (*link != ts) link = &(*link)->u.hnext;  // ts must be in its bucket
  *link = ts->u.hnext;
  tb.nuse--;
}

namespace {

// Makes room for one more string. A table with MAX_INT strings first asks
// the collector to free some; a table at MAXSTRTB keeps its size and lets
// its chains grow.
void growstrtab(lua_State* L, stringtable& tb) {
  if (tb.nuse == MAX_INT) [[unlikely]] {
    if (G(L)->seams.fullgc != nullptr) G(L)->seams.fullgc(L);
    if (tb.nuse == MAX_INT) luaM_error(L);
  }
  if (tb.size <= MAXSTRTB / 2) luaS_resize(L, tb.size * 2);
}

// The contents of short string `ts`.
std::string_view shrcontents(TString* ts) {
  return {getstr(ts), ts->shrlen};
}

// The bucket of hash `h` at the table's current size.
TString*& bucket(stringtable& tb, unsigned int h) {
  return tb.hash[lmod(h, tb.size)];
}

// Finds the interned copy of a short string, or creates it.
TString* internshrstr(lua_State* L, const char* str, std::size_t len) {
  lua_assert(str != nullptr);
  global_State* g = G(L);
  stringtable& tb = g->strt;
  const unsigned int h = luaS_hash(str, len, g->seed);
  const std::string_view wanted(str, len);
  for (TString* ts = bucket(tb, h); ts != nullptr; ts = ts->u.hnext) {
    if (shrcontents(ts) != wanted) continue;
    // A dead string not yet swept is revived instead of duplicated.
    if (isdead(g, ts)) changewhite(ts);
    return ts;
  }
  if (tb.nuse >= tb.size) growstrtab(L, tb);  // keep chains short
  TString* ts = createstrobj(L, len, LUA_VSHRSTR, h);
  ts->shrlen = cast_byte(len);
  std::memcpy(getstr(ts), str, len);
  pushchain(bucket(tb, h), ts);  // after growstrtab: the new bucket
  tb.nuse++;
  return ts;
}

}  // namespace

TString* luaS_newlstr(lua_State* L, const char* str, std::size_t len) {
  if (len <= cast_sizet(LUAI_MAXSHORTLEN)) return internshrstr(L, str, len);
  // A long string: its header and the final '\0' must fit a size_t too.
  if (len >= MAX_SIZE - sizeof(TString)) [[unlikely]]
    luaM_toobig(L);
  TString* ts = luaS_createlngstrobj(L, len);
  std::memcpy(getstr(ts), str, len);
  return ts;
}

// The C API creates strings from C pointers constantly, often the same
// literal again and again (field names, for example). The cache maps a
// pointer to the strings last made from it, newest first; a hit still
// compares the contents, because the memory behind a pointer can change.
TString* luaS_new(lua_State* L, const char* str) {
  const auto address = reinterpret_cast<std::uintptr_t>(str);
  auto& set = G(L)->strcache[address % STRCACHE_N];
  for (TString* s : set)
    if (std::strcmp(str, getstr(s)) == 0) return s;
  std::shift_right(std::begin(set), std::end(set), 1);  // the oldest leaves
  set[0] = luaS_newlstr(L, str, std::strlen(str));
  return set[0];
}

Udata* luaS_newudata(lua_State* L, std::size_t size, int nuvalue) {
  if (size > MAX_SIZE - udatamemoffset(nuvalue)) [[unlikely]]
    luaM_toobig(L);
  Udata* u = gco2u(luaC_newobj(L, LUA_VUSERDATA, sizeudata(nuvalue, size)));
  u->len = size;
  u->nuvalue = static_cast<unsigned short>(nuvalue);
  u->metatable = nullptr;
  for (int i = 0; i < nuvalue; i++) setnilvalue(&u->uv()[i].uv);
  return u;
}

namespace {

// Violations of BUCKET (wrong bucket or stale hash) in one chain, and of
// UNIQUE among the strings of that chain: equal contents hash alike, so
// duplicates can only meet in the same chain.
int checkchain(global_State* g, int bucket) {
  int bad = 0;
  for (TString* ts = g->strt.hash[bucket]; ts != nullptr; ts = ts->u.hnext) {
    if (ts->tt != LUA_VSHRSTR) bad++;
    if (lmod(ts->hash, g->strt.size) != bucket) bad++;
    if (ts->hash != luaS_hash(getstr(ts), ts->shrlen, g->seed)) bad++;
    for (TString* o = ts->u.hnext; o != nullptr; o = o->u.hnext)
      if (o->shrlen == ts->shrlen &&
          std::memcmp(getstr(o), getstr(ts), ts->shrlen) == 0 &&
          !isdead(g, o) && !isdead(g, ts))
        bad++;
  }
  return bad;
}

}  // namespace

int check_invariants(global_State* g) {
  const stringtable& tb = g->strt;
  int bad = (tb.size & (tb.size - 1)) != 0 ? 1 : 0;  // power of 2
  int count = 0;
  for (int i = 0; i < tb.size; i++) {
    bad += checkchain(g, i);
    for (TString* ts = tb.hash[i]; ts != nullptr; ts = ts->u.hnext) count++;
  }
  if (count != tb.nuse) bad++;  // COUNT
  return bad;
}

}  // namespace lua
