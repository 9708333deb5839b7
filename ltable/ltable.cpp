/// \file
/// Tables: hashing of every key type, lookups, insertion with Brent's
/// variation, rehash and resize, traversal and the border search.
///
/// Mirrors: Lua 5.4 ltable.c
/// Book: chapter 4
///
/// The invariants REACH, CHAIN, LASTFREE, DUMMY, SPLIT, UNIQUE, ALIMIT and
/// FLAGS are stated in ltable.hpp and checked by `check_invariants` at the
/// end of this file. Two facts carry most of the design:
///
/// - Keys are never removed from nodes between rehashes. Setting a field to
///   nil empties its value but leaves the key in its chain, so `next` can
///   still find a key whose field was cleared during a traversal, and a free
///   node (nil key) really is unused. The next rehash drops such entries.
/// - The hash part is filled from the top (`lastfree` only moves down), so
///   finding a free node costs O(1) amortized between rehashes, and a full
///   node vector is detected when `lastfree` reaches the bottom.
///
/// Differences from Lua: see ltable.hpp. Within this file: Lua's
/// bit-smearing computation of the next power of 2 in luaH_realasize is
/// std::bit_ceil here, and the key checks that open Lua's luaH_newkey are a
/// helper of their own, normalizekey, to keep luaH_newkey short.
#include "ltable/ltable.hpp"

#include <bit>
#include <climits>
#include <cmath>

namespace lua {

namespace {

// The largest exponent with 2^MAXABITS still an unsigned int: the array
// part's index range.
constexpr int MAXABITS = cast_int(sizeof(int) * CHAR_BIT - 1);

// Largest array part: 2^MAXABITS slots, or fewer when their bytes would not
// fit a size_t.
constexpr unsigned int MAXASIZE =
    (std::size_t{1} << MAXABITS) <= MAX_SIZET / sizeof(TValue)
        ? 1u << MAXABITS
        : static_cast<unsigned int>(MAX_SIZET / sizeof(TValue));

// The largest exponent with 2^MAXHBITS still a signed int: node offsets
// (`next`) are ints.
constexpr int MAXHBITS = MAXABITS - 1;

// Largest hash part, in nodes, with the same size_t caveat.
constexpr unsigned int MAXHSIZE =
    (std::size_t{1} << MAXHBITS) <= MAX_SIZET / sizeof(Node)
        ? 1u << MAXHBITS
        : static_cast<unsigned int>(MAX_SIZET / sizeof(Node));

constexpr lua_Unsigned l_castS2U(lua_Integer i) {
  return static_cast<lua_Unsigned>(i);
}

// Hashes whose low bits are already well mixed (strings, booleans) index
// the vector with a mask.
Node* hashpow2(const Table* t, unsigned int n) {
  return gnode(t, lmod(n, sizenode(t)));
}

// Numbers and addresses often share their low bits (multiples of 8, of
// 1024, ...), so they are reduced modulo an odd number instead: the size
// minus one, forced odd so that it is never 0.
template <class N>
Node* hashmod(const Table* t, N n) {
  return gnode(t, cast_int(n % static_cast<N>((sizenode(t) - 1) | 1)));
}

Node* hashstr(const Table* t, const TString* str) {
  return hashpow2(t, str->hash);
}

Node* hashboolean(const Table* t, unsigned int b) {
  return hashpow2(t, b);
}

// Only the low 32 bits of an address take part, as in Lua.
template <class P>
Node* hashpointer(const Table* t, P p) {
  auto u = reinterpret_cast<std::uintptr_t>(p) & UINT_MAX;
  return hashmod(t, static_cast<unsigned int>(u));
}

// The hash part of every table with no hash part: one free node that is
// never written (invariant DUMMY). It is constant, so a stray write would
// fault instead of corrupting every empty table at once.
constexpr Node dummynode_ = {{{nullptr}, LUA_VEMPTY, LUA_VNIL, 0, {nullptr}}};

Node* dummynode() {
  return const_cast<Node*>(&dummynode_);
}

// What every failed lookup returns: a nil whose tag says "no such key", so
// that a store can tell an absent key from a present key with an empty
// value.
constexpr TValue absentkey = {{nullptr}, LUA_VABSTKEY};

// Integers that fit a non-negative int are reduced with an int remainder,
// which is cheaper; the others use all 64 bits, unsigned, so negative keys
// spread too.
Node* hashint(const Table* t, lua_Integer i) {
  lua_Unsigned ui = l_castS2U(i);
  if (ui <= static_cast<unsigned int>(INT_MAX)) return hashmod(t, cast_int(ui));
  return hashmod(t, ui);
}

// A float's hash mixes its mantissa (scaled to an int's range) with its
// exponent. frexp's mantissa is below 1 in magnitude, so the product fits
// an int; adding as unsigned avoids overflow, and folding with ~ (not -)
// keeps the result non-negative even for INT_MIN. inf and NaN hash to 0.
int l_hashfloat(lua_Number n) {
  int i = 0;
  n = std::frexp(n, &i) * -static_cast<lua_Number>(INT_MIN);
  if (!(n >= static_cast<lua_Number>(LUA_MININTEGER) &&
        n < -static_cast<lua_Number>(LUA_MININTEGER))) {
    lua_assert(std::isnan(n) || std::fabs(n) == HUGE_VAL);
    return 0;
  }
  auto ni = static_cast<lua_Integer>(n);
  unsigned int u = static_cast<unsigned int>(i) + static_cast<unsigned int>(ni);
  return cast_int(u <= static_cast<unsigned int>(INT_MAX) ? u : ~u);
}

// The main position of a key: the node its hash names. Each type has its
// own hash; collectable objects other than strings hash by address.
Node* mainpositionTV(const Table* t, const TValue* key) {
  switch (ttypetag(key)) {
    case LUA_VNUMINT:
      return hashint(t, ivalue(key));
    case LUA_VNUMFLT:
      return hashmod(t, l_hashfloat(fltvalue(key)));
    case LUA_VSHRSTR:
      return hashstr(t, tsvalue(key));
    case LUA_VLNGSTR:
      return hashpow2(t, luaS_hashlongstr(tsvalue(key)));
    case LUA_VFALSE:
      return hashboolean(t, 0);
    case LUA_VTRUE:
      return hashboolean(t, 1);
    case LUA_VLIGHTUSERDATA:
      return hashpointer(t, pvalue(key));
    case LUA_VLCF:
      return hashpointer(t, fvalue(key));
    default:
      return hashpointer(t, gcvalue(key));
  }
}

// The main position of the key stored in node `nd`.
Node* mainpositionfromnode(const Table* t, const Node* nd) {
  TValue key;
  getnodekey(nullptr, &key, nd);
  return mainpositionTV(t, &key);
}

// Raw equality of a key value with the key of a node. Integral floats are
// normalized before they get here, so an integer never equals a float, and
// short strings, being interned, compare by address in the default case.
// With `deadok`, a dead key (chapter 6) equals the object it was, by
// address: `next` may be handed a key whose entry the collector cleared.
bool equalkey(const TValue* k1, const Node* n2, bool deadok) {
  if (rawtt(k1) != keytt(n2) && !(deadok && keyisdead(n2) && iscollectable(k1)))
    return false;
  switch (keytt(n2)) {
    case LUA_VNIL:
    case LUA_VFALSE:
    case LUA_VTRUE:
      return true;
    case LUA_VNUMINT:
      return ivalue(k1) == keyival(n2);
    case LUA_VNUMFLT:
      return fltvalue(k1) == keyval(n2).n;
    case LUA_VLIGHTUSERDATA:
      return pvalue(k1) == keyval(n2).p;
    case LUA_VLCF:
      return fvalue(k1) == keyval(n2).f;
    case ctb(LUA_VLNGSTR):
      return luaS_eqlngstr(tsvalue(k1), keystrval(n2));
    default:
      return gcvalue(k1) == gckey(n2);
  }
}

// `alimit` is the real size when BITRAS is clear, and also when it is a
// power of 2 (the real size is the smallest power of 2 not below it).
bool limitequalsasize(const Table* t) {
  return isrealasize(t) || ispow2(t->alimit);
}

}  // namespace

// When `alimit` is a hint, the real size is the power of 2 just above it
// (invariant ALIMIT); Lua smears the bits right, C++20 has bit_ceil.
unsigned int luaH_realasize(const Table* t) {
  if (limitequalsasize(t)) return t->alimit;
  unsigned int size = std::bit_ceil(t->alimit);
  lua_assert(ispow2(size) && size / 2 < t->alimit && t->alimit < size);
  return size;
}

namespace {

// True when `alimit` may move without changing the real size: either it
// is already a hint, or the real size is a power of 2 and can be recovered
// from any hint above its half.
bool ispow2realasize(const Table* t) {
  return !isrealasize(t) || ispow2(t->alimit);
}

// Makes `alimit` the real size again (before the array is resized or
// counted) and returns it.
unsigned int setlimittosize(Table* t) {
  t->alimit = luaH_realasize(t);
  setrealasize(t);
  return t->alimit;
}

unsigned int limitasasize(const Table* t) {
  return check_exp(isrealasize(t), t->alimit);
}

// The lookup of any key in the hash part: walk the chain that starts at
// the key's main position (invariant REACH). Not for integers, which may
// live in the array part, nor for integral floats.
const TValue* getgeneric(Table* t, const TValue* key, bool deadok) {
  Node* n = mainpositionTV(t, key);
  for (;;) {
    if (equalkey(key, n, deadok)) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &absentkey;
    n += nx;
  }
}

// `k` itself if it may live in the array part (1 <= k <= MAXASIZE), else
// 0. The unsigned subtraction turns k <= 0 into a huge number.
unsigned int arrayindex(lua_Integer k) {
  if (l_castS2U(k) - 1u < MAXASIZE) return static_cast<unsigned int>(k);
  return 0;
}

// A traversal position for `key`: 0 before the first entry, i for array
// index i, asize + j + 1 for node j. A key that is not in the table
// cannot say where the traversal stands, so it is an error.
unsigned int findindex(lua_State* L, Table* t, const TValue* key,
                       unsigned int asize) {
  if (ttisnil(key)) return 0;
  unsigned int i = ttisinteger(key) ? arrayindex(ivalue(key)) : 0;
  if (i - 1u < asize) return i;
  const TValue* n = getgeneric(t, key, true);
  if (isabstkey(n)) [[unlikely]]
    luaM_runerror(L, "invalid key to 'next'");
  i = static_cast<unsigned int>(nodefromval(n) - gnode(t, 0));
  return (i + 1) + asize;
}

}  // namespace

// The traversal resumes right after the previous key's position and skips
// empty slots; because cleared entries keep their keys, clearing fields
// during a traversal never loses the position.
bool luaH_next(lua_State* L, Table* t, TValue* key, TValue* val) {
  unsigned int asize = luaH_realasize(t);
  unsigned int i = findindex(L, t, key, asize);
  for (; i < asize; i++) {
    if (!isempty(&t->array[i])) {
      setivalue(key, i + 1);
      setobj(L, val, &t->array[i]);
      return true;
    }
  }
  for (i -= asize; cast_int(i) < sizenode(t); i++) {
    Node* n = gnode(t, cast_int(i));
    if (!isempty(gval(n))) {
      getnodekey(L, key, n);
      setobj(L, val, gval(n));
      return true;
    }
  }
  return false;
}

namespace {

void freehash(lua_State* L, Table* t) {
  if (!isdummy(t)) luaM_freearray(L, t->node, cast_sizet(sizenode(t)));
}

// ---------------------------------------------------------------------------
// Rehash
// ---------------------------------------------------------------------------

// The array size: the largest power of 2, n, such that more than n/2 of
// the keys 1..n are present. nums[i] counts the keys in (2^(i-1), 2^i];
// `*pna` comes in as the number of integer keys that could go to an array
// and leaves as the number that will. The loop stops once even all the
// candidate keys could not fill half of the next size (or 2^i overflows).
unsigned int computesizes(const unsigned int nums[], unsigned int* pna) {
  unsigned int a = 0;        // keys in [1, twotoi]
  unsigned int na = 0;       // keys that go to the array part
  unsigned int optimal = 0;  // best size so far
  int i = 0;
  for (unsigned int twotoi = 1; twotoi > 0 && *pna > twotoi / 2;
       i++, twotoi *= 2) {
    a += nums[i];
    if (a > twotoi / 2) {
      optimal = twotoi;
      na = a;
    }
  }
  lua_assert((optimal == 0 || optimal / 2 < na) && na <= optimal);
  *pna = na;
  return optimal;
}

// Counts `key` in its slice of nums if it could be an array index.
int countint(lua_Integer key, unsigned int* nums) {
  unsigned int k = arrayindex(key);
  if (k == 0) return 0;
  nums[luaO_ceillog2(k)]++;
  return 1;
}

// Counts the non-empty slots of the array part slice by slice, adding
// them to nums; returns their total.
unsigned int numusearray(const Table* t, unsigned int* nums) {
  unsigned int ause = 0;
  unsigned int i = 1;  // the key being counted
  unsigned int asize = limitasasize(t);
  unsigned int ttlg = 1;  // 2^lg, the end of slice lg
  for (int lg = 0; lg <= MAXABITS; lg++, ttlg *= 2) {
    unsigned int lc = 0;
    unsigned int lim = ttlg;
    if (lim > asize) {
      lim = asize;
      if (i > lim) break;  // past the end of the array
    }
    for (; i <= lim; i++)
      if (!isempty(&t->array[i - 1])) lc++;
    nums[lg] += lc;
    ause += lc;
  }
  return ause;
}

// Counts the live entries of the hash part (returned) and, among them, the
// integer keys that could be array indices (added to nums and `*pna`).
int numusehash(const Table* t, unsigned int* nums, unsigned int* pna) {
  int totaluse = 0;
  int ause = 0;
  for (int i = sizenode(t) - 1; i >= 0; i--) {
    const Node* n = gnode(t, i);
    if (!isempty(gval(n))) {
      if (keyisinteger(n)) ause += countint(keyival(n), nums);
      totaluse++;
    }
  }
  *pna += static_cast<unsigned int>(ause);
  return totaluse;
}

// Gives `t` a fresh node vector for `size` keys, rounded up to a power of
// 2, with every node free; size 0 means the dummy node. Checking the
// exponent before shifting keeps the shift from overflowing.
void setnodevector(lua_State* L, Table* t, unsigned int size) {
  if (size == 0) {
    t->node = dummynode();
    t->lsizenode = 0;
    t->lastfree = nullptr;
    return;
  }
  int lsize = luaO_ceillog2(size);
  if (lsize > MAXHBITS || twoto(lsize) > MAXHSIZE)
    luaM_runerror(L, "table overflow");
  size = twoto(lsize);
  t->node = luaM_newvector<Node>(L, cast_int(size));
  for (int i = 0; i < cast_int(size); i++) {
    Node* n = gnode(t, i);
    gnext(n) = 0;
    setnilkey(n);
    setempty(gval(n));
  }
  t->lsizenode = cast_byte(lsize);
  t->lastfree = gnode(t, cast_int(size));  // every node is free
}

// Inserts the live entries of `ot`'s hash part into `t`. Entries with an
// empty value are dropped here: this is where cleared keys finally go.
void reinsert(lua_State* L, Table* ot, Table* t) {
  int size = sizenode(ot);
  for (int j = 0; j < size; j++) {
    Node* old = gnode(ot, j);
    if (!isempty(gval(old))) {
      TValue k;
      getnodekey(L, &k, old);
      luaH_set(L, t, &k, gval(old));
    }
  }
}

// Swaps the hash parts of two tables (node vector, size and lastfree).
void exchangehashpart(Table* t1, Table* t2) {
  lu_byte lsizenode = t1->lsizenode;
  Node* node = t1->node;
  Node* lastfree = t1->lastfree;
  t1->lsizenode = t2->lsizenode;
  t1->node = t2->node;
  t1->lastfree = t2->lastfree;
  t2->lsizenode = lsizenode;
  t2->node = node;
  t2->lastfree = lastfree;
}

}  // namespace

// Every allocation comes before any change that could not be undone. The
// new hash part is built aside (in `newt`); if the array shrinks, the
// entries of the vanishing slice are copied (not moved) into it; then the
// array is reallocated. A failure at either allocation leaves the table's
// contents as they were, and the new hash part is freed. Only then are the
// parts switched and the old hash part's entries reinserted.
void luaH_resize(lua_State* L, Table* t, unsigned int newasize,
                 unsigned int nhsize) {
  Table newt;  // holds the new hash part, then the old one
  unsigned int oldasize = setlimittosize(t);
  setnodevector(L, &newt, nhsize);
  if (newasize < oldasize) {     // copy the vanishing slice into the new hash
    t->alimit = newasize;        // the array seems to end at newasize...
    exchangehashpart(t, &newt);  // ...and the new hash is t's
    for (unsigned int i = newasize; i < oldasize; i++)
      if (!isempty(&t->array[i]))
        luaH_setint(L, t, static_cast<lua_Integer>(i) + 1, &t->array[i]);
    t->alimit = oldasize;  // back to the old state, in case of errors
    exchangehashpart(t, &newt);
  }
  TValue* newarray = luaM_reallocvector<TValue>(
      L, t->array, cast_sizet(oldasize), cast_sizet(newasize));
  if (newarray == nullptr && newasize > 0) [[unlikely]] {
    freehash(L, &newt);
    luaM_error(L);  // the array is unchanged
  }
  exchangehashpart(t, &newt);  // t has the new hash, newt the old one
  t->array = newarray;
  t->alimit = newasize;
  for (unsigned int i = oldasize; i < newasize; i++) setempty(&t->array[i]);
  reinsert(L, &newt, t);
  freehash(L, &newt);
}

void luaH_resizearray(lua_State* L, Table* t, unsigned int nasize) {
  int nsize = allocsizenode(t);
  luaH_resize(L, t, nasize, static_cast<unsigned int>(nsize));
}

namespace {

// Called when a new key `ek` finds no free node: counts every live key
// (and `ek`), chooses the array size with computesizes and gives the hash
// part room for the rest.
void rehash(lua_State* L, Table* t, const TValue* ek) {
  unsigned int nums[MAXABITS + 1] = {};
  setlimittosize(t);
  unsigned int na = numusearray(t, nums);  // all of them integer keys
  int totaluse = cast_int(na);
  totaluse += numusehash(t, nums, &na);
  if (ttisinteger(ek))
    na += static_cast<unsigned int>(countint(ivalue(ek), nums));
  totaluse++;
  unsigned int asize = computesizes(nums, &na);
  luaH_resize(L, t, asize, static_cast<unsigned int>(totaluse) - na);
}

}  // namespace

Table* luaH_new(lua_State* L) {
  GCObject* o = luaC_newobj(L, LUA_VTABLE, sizeof(Table));
  Table* t = gco2t(o);
  t->metatable = nullptr;
  t->flags = maskflags;  // no metatable, so no metamethod
  t->array = nullptr;
  t->alimit = 0;
  setnodevector(L, t, 0);
  return t;
}

void luaH_free(lua_State* L, Table* t) {
  freehash(L, t);
  luaM_freearray(L, t->array, cast_sizet(luaH_realasize(t)));
  luaM_free(L, t);
}

namespace {

// The next free node below `lastfree`, or null when there is none
// (invariant LASTFREE: nothing at or above lastfree is free).
Node* getfreepos(Table* t) {
  if (!isdummy(t)) {
    while (t->lastfree > t->node) {
      t->lastfree--;
      if (keyisnil(t->lastfree)) return t->lastfree;
    }
  }
  return nullptr;
}

// The key a store really uses: nil and NaN are not keys (an error even
// when the value is nil, as in lua5.4), and a float with an integral value
// is the integer it equals (then `aux` holds it).
const TValue* normalizekey(lua_State* L, const TValue* key, TValue* aux) {
  if (ttisnil(key)) [[unlikely]]
    luaM_runerror(L, "table index is nil");
  if (ttisfloat(key)) {
    lua_Number f = fltvalue(key);
    lua_Integer k;
    if (luaV_flttointns(f, &k, F2Ieq)) {  // 2.0 is the key 2
      setivalue(aux, k);
      return aux;
    }
    if (std::isnan(f)) [[unlikely]]
      luaM_runerror(L, "table index is NaN");
  }
  return key;
}

}  // namespace

// Inserts a key known to be absent. If its main position is taken, Brent's
// variation decides who moves: a colliding key that is not in its own main
// position is moved to a free node (its chain is relinked) and the new key
// takes the main position; a colliding key that is at home stays, and the
// new key goes to a free node chained right after it. Either way invariant
// CHAIN holds, so chains stay short even when the table is full.
void luaH_newkey(lua_State* L, Table* t, const TValue* key,
                 const TValue* value) {
  TValue aux;
  key = normalizekey(L, key, &aux);
  if (ttisnil(value)) return;  // storing nil creates no key
  invalidateTMcache(t);
  Node* mp = mainpositionTV(t, key);
  if (!isempty(gval(mp)) || isdummy(t)) {  // main position taken?
    Node* f = getfreepos(t);
    if (f == nullptr) {  // no free node: grow, then insert again
      rehash(L, t, key);
      luaH_set(L, t, key, value);
      return;
    }
    lua_assert(!isdummy(t));
    Node* othern = mainpositionfromnode(t, mp);
    if (othern != mp) {  // the colliding key is not at home: move it
      while (othern + gnext(othern) != mp) othern += gnext(othern);
      gnext(othern) = cast_int(f - othern);  // its predecessor points to f
      *f = *mp;  // the copy keeps mp's `next`, relative to mp...
      if (gnext(mp) != 0) {
        gnext(f) += cast_int(mp - f);  // ...so make it relative to f
        gnext(mp) = 0;
      }
      setempty(gval(mp));
    } else {  // the colliding key is at home: the new key goes to f
      if (gnext(mp) != 0)
        gnext(f) = cast_int((mp + gnext(mp)) - f);
      else
        lua_assert(gnext(f) == 0);
      gnext(mp) = cast_int(f - mp);
      mp = f;
    }
  }
  setnodekey(L, mp, key);
  luaC_barrierback(L, obj2gco(t), key);
  lua_assert(isempty(gval(mp)));
  setobj2t(L, gval(mp), value);
}

// Keys in [1, alimit] index the array directly. When `alimit` is only a
// hint, keys up to the real size are still in the array; a key just past
// the hint moves it without computing the real size (the common case of
// a growing sequence), any other such key computes it.
const TValue* luaH_getint(Table* t, lua_Integer key) {
  if (l_castS2U(key) - 1u < t->alimit) return &t->array[key - 1];
  if (!limitequalsasize(t) && (l_castS2U(key) == t->alimit + 1u ||
                               l_castS2U(key) - 1u < luaH_realasize(t))) {
    t->alimit = static_cast<unsigned int>(key);  // '#t' is probably here now
    return &t->array[key - 1];
  }
  Node* n = hashint(t, key);
  for (;;) {
    if (keyisinteger(n) && keyival(n) == key) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &absentkey;
    n += nx;
  }
}

// Short strings are interned, so the comparison is by address.
const TValue* luaH_getshortstr(Table* t, TString* key) {
  Node* n = hashstr(t, key);
  lua_assert(key->tt == LUA_VSHRSTR);
  for (;;) {
    if (keyisshrstr(n) && eqshrstr(keystrval(n), key)) return gval(n);
    int nx = gnext(n);
    if (nx == 0) return &absentkey;
    n += nx;
  }
}

const TValue* luaH_getstr(Table* t, TString* key) {
  if (key->tt == LUA_VSHRSTR) return luaH_getshortstr(t, key);
  TValue ko;
  setsvalue(nullptr, &ko, key);
  return getgeneric(t, &ko, false);
}

// Dispatches on the key's variant to the specialized lookups; an integral
// float is looked up as the integer it equals.
const TValue* luaH_get(Table* t, const TValue* key) {
  switch (ttypetag(key)) {
    case LUA_VSHRSTR:
      return luaH_getshortstr(t, tsvalue(key));
    case LUA_VNUMINT:
      return luaH_getint(t, ivalue(key));
    case LUA_VNIL:
      return &absentkey;
    case LUA_VNUMFLT: {
      lua_Integer k;
      if (luaV_flttointns(fltvalue(key), &k, F2Ieq)) return luaH_getint(t, k);
      return getgeneric(t, key, false);  // also NaN: never found
    }
    default:
      return getgeneric(t, key, false);
  }
}

// A slot that exists (even with an empty value) is written in place; only
// the absent-key marker means a new key.
void luaH_finishset(lua_State* L, Table* t, const TValue* key,
                    const TValue* slot, const TValue* value) {
  invalidateTMcache(t);
  if (isabstkey(slot))
    luaH_newkey(L, t, key, value);
  else
    setobj2t(L, const_cast<TValue*>(slot), value);
}

void luaH_set(lua_State* L, Table* t, const TValue* key, const TValue* value) {
  const TValue* slot = luaH_get(t, key);
  luaH_finishset(L, t, key, slot, value);
}

void luaH_setint(lua_State* L, Table* t, lua_Integer key, const TValue* value) {
  const TValue* p = luaH_getint(t, key);
  invalidateTMcache(t);
  if (isabstkey(p)) {
    TValue k;
    setivalue(&k, key);
    luaH_newkey(L, t, &k, value);
  } else {
    setobj2t(L, const_cast<TValue*>(p), value);
  }
}

namespace {

// A border past the array part. The caller knows that j is 0 or present
// and j + 1 is present; doubling j finds an absent key, and a binary
// search between the last present and the first absent one finds a
// border. If doubling would pass LUA_MAXINTEGER, that key is tried: absent,
// it bounds the search; present, it is a border itself (no key follows).
lua_Unsigned hash_search(Table* t, lua_Unsigned j) {
  lua_Unsigned i;
  if (j == 0) j++;
  do {
    i = j;  // present
    if (j <= l_castS2U(LUA_MAXINTEGER) / 2) {
      j *= 2;
    } else {
      j = LUA_MAXINTEGER;
      if (isempty(luaH_getint(t, static_cast<lua_Integer>(j)))) break;
      return j;
    }
  } while (!isempty(luaH_getint(t, static_cast<lua_Integer>(j))));
  while (j - i > 1u) {  // t[i] present, t[j] absent
    lua_Unsigned m = (i + j) / 2;
    if (isempty(luaH_getint(t, static_cast<lua_Integer>(m))))
      j = m;
    else
      i = m;
  }
  return i;
}

// A border in array[i..j) (1-based keys), given t[i] present or i == 0,
// and t[j] absent.
unsigned int binsearch(const TValue* array, unsigned int i, unsigned int j) {
  while (j - i > 1u) {
    unsigned int m = (i + j) / 2;
    if (isempty(&array[m - 1]))
      j = m;
    else
      i = m;
  }
  return i;
}

}  // namespace

// The border search starts at `alimit`, the last answer, and keeps the new
// answer there when it lies in the array part:
// (1) t[limit] empty: there is a border below; limit - 1 is tried first
//     (the case after t[#t] = nil), then a binary search in [0, limit].
// (2) t[limit] present and the array goes on: limit + 1 is tried (the
//     case after t[#t + 1] = v), then the last slot; if that is empty, a
//     binary search in between.
// (3) the array is empty or its last slot is present: the border is
//     `limit` unless t[limit + 1] is in the hash part; then hash_search.
// A new hint may only be stored when the real size can still be computed
// from it (ispow2realasize and more than half the real size).
lua_Unsigned luaH_getn(Table* t) {
  unsigned int limit = t->alimit;
  if (limit > 0 && isempty(&t->array[limit - 1])) {  // (1)
    if (limit >= 2 && !isempty(&t->array[limit - 2])) {
      if (ispow2realasize(t) && !ispow2(limit - 1)) {
        t->alimit = limit - 1;
        setnorealasize(t);
      }
      return limit - 1;
    }
    unsigned int boundary = binsearch(t->array, 0, limit);
    if (ispow2realasize(t) && boundary > luaH_realasize(t) / 2) {
      t->alimit = boundary;
      setnorealasize(t);
    }
    return boundary;
  }
  if (!limitequalsasize(t)) {                     // (2)
    if (isempty(&t->array[limit])) return limit;  // t[limit + 1] empty
    limit = luaH_realasize(t);
    if (isempty(&t->array[limit - 1])) {
      unsigned int boundary = binsearch(t->array, t->alimit, limit);
      t->alimit = boundary;
      return boundary;
    }
  }
  lua_assert(limit == luaH_realasize(t) &&
             (limit == 0 || !isempty(&t->array[limit - 1])));  // (3)
  if (isdummy(t) ||
      isempty(luaH_getint(t, static_cast<lua_Integer>(limit) + 1)))
    return limit;
  return hash_search(t, limit);
}

Node* luaH_mainposition(const Table* t, const TValue* key) {
  return mainpositionTV(t, key);
}

bool luaH_isdummy(const Table* t) {
  return isdummy(t);
}

// ---------------------------------------------------------------------------
// The table checker (not in Lua; ltests.c checks some of this)
// ---------------------------------------------------------------------------

namespace {

// DUMMY, the bounds of lastfree, FLAGS and ALIMIT.
int checkshape(Table* t) {
  int bad = 0;
  if (isdummy(t)) {
    if (t->node != dummynode() || t->lsizenode != 0) bad++;
    if (!keyisnil(&dummynode_) || !isempty(gval(&dummynode_)) ||
        gnext(&dummynode_) != 0)
      bad++;
  } else {
    if (t->node == dummynode() || t->lsizenode > MAXHBITS) bad++;
    if (t->lastfree < t->node || t->lastfree > gnode(t, sizenode(t))) bad++;
  }
  if ((t->flags & ~(maskflags | BITRAS)) != 0) bad++;
  if (isrealasize(t)) {
    if ((t->alimit == 0) != (t->array == nullptr)) bad++;
  } else if (t->alimit == 0 || t->array == nullptr) {
    bad++;
  }
  return bad;
}

// A value slot may hold any value or an empty one, never the absent-key
// marker, which only lookups return.
int checkvalue(const TValue* v) {
  return checktag(v, LUA_VABSTKEY) ? 1 : 0;
}

// SPLIT: the kinds of keys the hash part may hold.
int checkkey(Table* t, const Node* n) {
  switch (keytt(n)) {
    case LUA_VNUMINT: {
      lua_Unsigned k = l_castS2U(keyival(n));
      return (k - 1u < luaH_realasize(t)) ? 1 : 0;
    }
    case LUA_VNUMFLT: {
      lua_Integer i;
      lua_Number f = keyval(n).n;
      return (std::isnan(f) || luaV_flttointns(f, &i, F2Ieq)) ? 1 : 0;
    }
    case LUA_VEMPTY:
    case LUA_VABSTKEY:
    case LUA_VNIL:
      return 1;  // not keys (LUA_VNIL is handled by the caller)
    default:
      return 0;
  }
}

// True when the `next` of node `n` stays inside the node vector (computed
// on indices: a wild offset must not even form a pointer).
bool nextinrange(const Table* t, const Node* n) {
  long target = static_cast<long>(n - t->node) + gnext(n);
  return target >= 0 && target < sizenode(t);
}

// REACH and UNIQUE for node `n`: walking from the key's main position, the
// chain must reach `n` and meet no other node with the same key, within
// as many steps as there are nodes (so a loop is a violation too).
int checkchain(Table* t, Node* n) {
  TValue key;
  getnodekey(nullptr, &key, n);
  Node* p = mainpositionTV(t, &key);
  int seen = 0;
  int bad = 0;
  for (int steps = 0; steps <= sizenode(t); steps++) {
    if (p == n)
      seen++;
    else if (equalkey(&key, p, false))
      bad++;  // a duplicate
    if (gnext(p) == 0) return bad + (seen == 1 ? 0 : 1);
    if (!nextinrange(t, p)) return bad + 1;
    p += gnext(p);
  }
  return bad + 1;  // the chain loops
}

// Everything about node `n` of a real hash part.
int checknode(Table* t, Node* n) {
  int bad = checkvalue(gval(n));
  if (!nextinrange(t, n)) return bad + 1;  // the chain cannot be walked
  if (keyisnil(n)) {                       // a free node (LASTFREE)
    if (n >= t->lastfree || !isempty(gval(n)) || gnext(n) != 0) bad++;
    return bad;
  }
  if (keyisdead(n)) return bad;  // its hash is unknown (chapter 6)
  bad += checkkey(t, n);
  bad += checkchain(t, n);
  Node* mp = mainpositionfromnode(t, n);  // CHAIN
  if (mp != n && (keyisnil(mp) ||         // a dead key at mp was at home too
                  (!keyisdead(mp) && mainpositionfromnode(t, mp) != mp)))
    bad++;
  return bad;
}

}  // namespace

int check_invariants(Table* t) {
  int bad = checkshape(t);
  if (bad > 0) return bad;  // the parts cannot be walked safely
  unsigned int asize = luaH_realasize(t);
  for (unsigned int i = 0; i < asize; i++) bad += checkvalue(&t->array[i]);
  if (!isdummy(t))
    for (int i = 0; i < sizenode(t); i++) bad += checknode(t, gnode(t, i));
  return bad;
}

}  // namespace lua
