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
#include "lstring/lstring.hpp"

namespace lua {

unsigned int luaS_hash(const char* str, std::size_t l, unsigned int seed) {
  // Start from the seed mixed with the length, then fold in every byte
  // from the last to the first with a shift-add-xor step.
  unsigned int h = seed ^ static_cast<unsigned int>(l);
  for (; l > 0; l--)
    h ^= (h << 5) + (h >> 2) + static_cast<lu_byte>(str[l - 1]);
  return h;
}

// A long string's hash costs a pass over all its bytes, and most long
// strings are never used as table keys, so it is computed on demand;
// `extra` records that `hash` is valid.
unsigned int luaS_hashlongstr(TString* ts) {
  lua_assert(ts->tt == LUA_VLNGSTR);
  if (ts->extra == 0) {
    std::size_t len = ts->u.lnglen;
    ts->hash = luaS_hash(getstr(ts), len, ts->hash);
    ts->extra = 1;
  }
  return ts->hash;
}

bool luaS_eqlngstr(TString* a, TString* b) {
  std::size_t len = a->u.lnglen;
  lua_assert(a->tt == LUA_VLNGSTR && b->tt == LUA_VLNGSTR);
  return a == b ||
         (len == b->u.lnglen && std::memcmp(getstr(a), getstr(b), len) == 0);
}

namespace {

// Moves every string of buckets [0, osize) to its bucket for `nsize`
// buckets. Used in both directions: to spread strings into a grown vector,
// and to gather them into the first `nsize` buckets before shrinking.
void tablerehash(TString** vect, int osize, int nsize) {
  for (int i = osize; i < nsize; i++) vect[i] = nullptr;  // new buckets
  for (int i = 0; i < osize; i++) {
    TString* p = vect[i];
    vect[i] = nullptr;
    while (p != nullptr) {
      TString* hnext = p->u.hnext;
      int h = lmod(p->hash, nsize);
      p->u.hnext = vect[h];
      vect[h] = p;
      p = hnext;
    }
  }
}

}  // namespace

void luaS_resize(lua_State* L, int nsize) {
  stringtable* tb = &G(L)->strt;
  int osize = tb->size;
  if (nsize < osize) tablerehash(tb->hash, osize, nsize);  // gather first
  TString** newvect = luaM_reallocvector<TString*>(
      L, tb->hash, cast_sizet(osize), cast_sizet(nsize));
  if (newvect == nullptr) [[unlikely]] {
    if (nsize < osize) tablerehash(tb->hash, nsize, osize);  // undo
    return;  // the table is as it was
  }
  tb->hash = newvect;
  tb->size = nsize;
  if (nsize > osize) tablerehash(newvect, osize, nsize);
}

void luaS_clearcache(global_State* g) {
  for (auto& set : g->strcache)
    for (TString*& s : set)
      if (iswhite(s)) s = g->memerrmsg;  // the fixed string is never white
}

void luaS_init(lua_State* L) {
  global_State* g = G(L);
  stringtable* tb = &g->strt;
  tb->hash = luaM_newvector<TString*>(L, MINSTRTABSIZE);
  tablerehash(tb->hash, 0, MINSTRTABSIZE);  // clear every bucket
  tb->size = MINSTRTABSIZE;
  tb->nuse = 0;
  // The memory-error message must exist before memory runs out.
  g->memerrmsg = luaS_newliteral(L, "not enough memory");
  luaC_fix(L, g->memerrmsg);
  for (auto& set : g->strcache)
    for (TString*& s : set) s = g->memerrmsg;
}

namespace {

// A new string object with room for `l` bytes plus the terminating '\0'.
TString* createstrobj(lua_State* L, std::size_t l, int tag, unsigned int h) {
  GCObject* o = luaC_newobj(L, tag, sizelstring(l));
  TString* ts = gco2ts(o);
  ts->hash = h;
  ts->extra = 0;
  getstr(ts)[l] = '\0';
  return ts;
}

}  // namespace

TString* luaS_createlngstrobj(lua_State* L, std::size_t l) {
  // The seed goes into `hash` now; luaS_hashlongstr starts from it later.
  TString* ts = createstrobj(L, l, LUA_VLNGSTR, G(L)->seed);
  ts->u.lnglen = l;
  return ts;
}

void luaS_remove(lua_State* L, TString* ts) {
  stringtable* tb = &G(L)->strt;
  TString** p = &tb->hash[lmod(ts->hash, tb->size)];
  while (*p != ts) p = &(*p)->u.hnext;  // ts must be in its bucket
  *p = (*p)->u.hnext;
  tb->nuse--;
}

namespace {

// Makes room for one more string. A table with MAX_INT strings first asks
// the collector to free some; a table at MAXSTRTB keeps its size and lets
// its chains grow.
void growstrtab(lua_State* L, stringtable* tb) {
  if (tb->nuse == MAX_INT) [[unlikely]] {
    if (G(L)->seams.fullgc != nullptr) G(L)->seams.fullgc(L);
    if (tb->nuse == MAX_INT) luaM_error(L);
  }
  if (tb->size <= MAXSTRTB / 2) luaS_resize(L, tb->size * 2);
}

// Finds the interned copy of a short string, or creates it.
TString* internshrstr(lua_State* L, const char* str, std::size_t l) {
  global_State* g = G(L);
  stringtable* tb = &g->strt;
  unsigned int h = luaS_hash(str, l, g->seed);
  TString** list = &tb->hash[lmod(h, tb->size)];
  lua_assert(str != nullptr);
  for (TString* ts = *list; ts != nullptr; ts = ts->u.hnext) {
    if (l == ts->shrlen && std::memcmp(str, getstr(ts), l) == 0) {
      // A dead string not yet swept is revived instead of duplicated.
      if (isdead(g, ts)) changewhite(ts);
      return ts;
    }
  }
  if (tb->nuse >= tb->size) {  // keep the average chain length below 1
    growstrtab(L, tb);
    list = &tb->hash[lmod(h, tb->size)];  // the bucket may have moved
  }
  TString* ts = createstrobj(L, l, LUA_VSHRSTR, h);
  ts->shrlen = cast_byte(l);
  std::memcpy(getstr(ts), str, l);
  ts->u.hnext = *list;
  *list = ts;
  tb->nuse++;
  return ts;
}

}  // namespace

TString* luaS_newlstr(lua_State* L, const char* str, std::size_t l) {
  if (l <= cast_sizet(LUAI_MAXSHORTLEN)) return internshrstr(L, str, l);
  if (l >= (MAX_SIZE - sizeof(TString)) / sizeof(char)) [[unlikely]]
    luaM_toobig(L);
  TString* ts = luaS_createlngstrobj(L, l);
  std::memcpy(getstr(ts), str, l);
  return ts;
}

// The C API creates strings from C pointers constantly, often the same
// literal again and again (field names, for example). The cache maps a
// pointer to the string last made from it; a hit still compares the
// contents, because the memory behind a pointer can change.
TString* luaS_new(lua_State* L, const char* str) {
  auto i = static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(str) %
                                     STRCACHE_N);
  TString** p = G(L)->strcache[i];
  for (int j = 0; j < STRCACHE_M; j++)
    if (std::strcmp(str, getstr(p[j])) == 0) return p[j];    // hit
  for (int j = STRCACHE_M - 1; j > 0; j--) p[j] = p[j - 1];  // evict last
  p[0] = luaS_newlstr(L, str, std::strlen(str));
  return p[0];
}

Udata* luaS_newudata(lua_State* L, std::size_t s, int nuvalue) {
  if (s > MAX_SIZE - udatamemoffset(nuvalue)) [[unlikely]]
    luaM_toobig(L);
  GCObject* o = luaC_newobj(L, LUA_VUSERDATA, sizeudata(nuvalue, s));
  Udata* u = gco2u(o);
  u->len = s;
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
