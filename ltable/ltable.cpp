/// \file
/// Tables: hashing of every key type, lookups, insertion with Brent's
/// variation, rehash and resize, traversal and the border search.
///
/// Mirrors: Lua 5.4 ltable.c
/// Book: chapter 4
///
/// The invariants REACH, CHAIN, LASTFREE, DUMMY, SPLIT, UNIQUE, ALIMIT and
/// FLAGS are stated in ltable.hpp and checked by `check_table` at the end
/// of this file. Two facts carry most of the design:
///
/// - Keys are never removed from nodes between rehashes. Setting a field to
///   nil empties its value but leaves the key in its chain, so `next` can
///   still find a key whose field was cleared during a traversal, and a free
///   node (nil key) really is unused. The next rehash drops such entries.
/// - The hash part is filled from the top (`lastfree` only moves down), so
///   finding a free node costs O(1) amortized between rehashes, and a full
///   node vector is detected when `lastfree` reaches the bottom.
///
/// Differences from Lua: see ltable.hpp. Within this file:
/// - A hash part (node vector, its size and `lastfree`) is a value of its
///   own, `HashPart`: luaH_resize builds the new one aside and swaps it in,
///   where Lua borrows a whole dummy `Table` to hold it.
/// - Every walk along a collision chain is one helper, `searchchain`, with
///   the key comparison as a parameter; Lua writes the loop in each lookup.
/// - The two binary searches of the border (in the array and in the hash
///   part) are one helper, `bisect`, and luaH_getn's three cases are
///   helpers of their own.
/// - computesizes returns the chosen size and its key count as a pair
///   instead of writing one of them through a pointer.
/// - The next power of 2 in luaH_realasize is std::bit_ceil, and the key
///   checks that open Lua's luaH_newkey are a helper, normalizekey.
#include "ltable/ltable.hpp"

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <span>

namespace lua {

namespace {

// ---------------------------------------------------------------------------
// Sizes and hashing
// ---------------------------------------------------------------------------

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
// fault instead of corrupting every empty table at once. newhashpart
// also copies it into every node of a new vector: it is the free node.
constexpr Node dummynode_ = {{{nullptr}, LUA_VEMPTY, LUA_VNIL, 0, {nullptr}}};
static_assert(dummynode_.u.key_tt == LUA_TNIL && dummynode_.u.next == 0,
              "the dummy node is a free node");

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
  const auto u = static_cast<lua_Unsigned>(i);
  const bool fitsint = u <= static_cast<unsigned int>(INT_MAX);
  return fitsint ? hashmod(t, cast_int(u)) : hashmod(t, u);
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
    case LUA_VTRUE:
      return hashboolean(t, ttistrue(key) ? 1u : 0u);
    case LUA_VLIGHTUSERDATA:
      return hashpointer(t, pvalue(key));
    case LUA_VLCF:
      return hashpointer(t, fvalue(key));
    default:
      return hashpointer(t, gcvalue(key));
  }
}

// The key stored in node `n`, as a value of its own.
TValue nodekey(const Node* n) {
  TValue key;
  getnodekey(nullptr, &key, n);
  return key;
}

// The main position of the key stored in node `nd`.
Node* mainpositionfromnode(const Table* t, const Node* nd) {
  const TValue key = nodekey(nd);
  return mainpositionTV(t, &key);
}

// Raw equality of a key value with the key of a node. Integral floats are
// normalized before they get here, so an integer never equals a float.
bool equalkey(const TValue* k1, const Node* n2, bool deadok) {
  if (rawtt(k1) != keytt(n2)) {
    // With `deadok`, a dead key (chapter 6) still equals, by address, the
    // object it was: `next` may be handed a key whose entry was collected.
    return deadok && keyisdead(n2) && iscollectable(k1) &&
           gcvalue(k1) == gckey(n2);
  }
  // The same tag: compare the payloads as that tag reads them.
  const Value& a = k1->value_;
  const Value& b = keyval(n2);
  switch (keytt(n2)) {
    case LUA_VNIL:
    case LUA_VFALSE:
    case LUA_VTRUE:
      return true;  // the tag is the whole value
    case LUA_VNUMINT:
      return a.i == b.i;
    case LUA_VNUMFLT:
      return a.n == b.n;
    case LUA_VLIGHTUSERDATA:
      return a.p == b.p;
    case LUA_VLCF:
      return a.f == b.f;
    case ctb(LUA_VLNGSTR):
      return luaS_eqlngstr(gco2ts(a.gc), gco2ts(b.gc));
    default:  // short strings are interned: the same object or not equal
      return a.gc == b.gc;
  }
}

// Follows the collision chain that starts at node `n` and returns the
// value of the first node whose key `matches`, or the absent-key marker
// at the end of the chain. Started at a key's main position, it finds the
// key if the table has it (invariant REACH).
template <class Matches>
const TValue* searchchain(Node* n, Matches matches) {
  while (!matches(n)) {
    const int step = gnext(n);
    if (step == 0) return &absentkey;
    n += step;
  }
  return gval(n);
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
  const unsigned int size = std::bit_ceil(t->alimit);
  lua_assert(ispow2(size) && t->alimit > size / 2);
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
  const unsigned int size = luaH_realasize(t);
  t->alimit = size;
  setrealasize(t);
  return size;
}

unsigned int limitasasize(const Table* t) {
  return check_exp(isrealasize(t), t->alimit);
}

// The lookup of any key in the hash part. Not for integers, which may
// live in the array part, nor for integral floats.
const TValue* getgeneric(Table* t, const TValue* key, bool deadok) {
  return searchchain(mainpositionTV(t, key),
                     [=](const Node* n) { return equalkey(key, n, deadok); });
}

// `k` itself if it may live in the array part (1 <= k <= MAXASIZE), else
// 0. The unsigned subtraction turns k <= 0 into a huge number.
unsigned int arrayindex(lua_Integer k) {
  const auto u = static_cast<lua_Unsigned>(k);
  return u - 1u < MAXASIZE ? static_cast<unsigned int>(u) : 0;
}

// A traversal position for `key`: 0 before the first entry, i for array
// index i, asize + j + 1 for node j. A key that is not in the table
// cannot say where the traversal stands, so it is an error.
unsigned int findindex(lua_State* L, Table* t, const TValue* key,
                       unsigned int asize) {
  if (ttisnil(key)) return 0;  // the traversal starts
  const unsigned int i = ttisinteger(key) ? arrayindex(ivalue(key)) : 0;
  if (i - 1u < asize) return i;  // an array slot (i == 0 wraps around)
  const TValue* slot = getgeneric(t, key, true);
  if (isabstkey(slot)) [[unlikely]]
    luaM_runerror(L, "invalid key to 'next'");
  const auto node = static_cast<unsigned int>(nodefromval(slot) - t->node);
  return asize + node + 1;
}

}  // namespace

// The traversal resumes right after the previous key's position and skips
// empty slots; because cleared entries keep their keys, clearing fields
// during a traversal never loses the position.
bool luaH_next(lua_State* L, Table* t, TValue* key, TValue* val) {
  const unsigned int asize = luaH_realasize(t);
  unsigned int pos = findindex(L, t, key, asize);
  for (; pos < asize; pos++) {  // positions [0, asize) are array slots
    const TValue* slot = &t->array[pos];
    if (isempty(slot)) continue;
    setivalue(key, pos + 1);
    setobj(L, val, slot);
    return true;
  }
  for (int j = cast_int(pos - asize); j < sizenode(t); j++) {  // the nodes
    const Node* n = gnode(t, j);
    if (isempty(gval(n))) continue;
    getnodekey(L, key, n);
    setobj(L, val, gval(n));
    return true;
  }
  return false;
}

namespace {

// ---------------------------------------------------------------------------
// Rehash
// ---------------------------------------------------------------------------

// A table's hash part: its node vector, log2 of its size and `lastfree`
// (null for the dummy node). luaH_resize moves these three as a unit.
struct HashPart {
  Node* node;
  lu_byte lsizenode;
  Node* lastfree;
};

HashPart hashpart(const Table* t) {
  return {t->node, t->lsizenode, t->lastfree};
}

void sethashpart(Table* t, const HashPart& h) {
  t->node = h.node;
  t->lsizenode = h.lsizenode;
  t->lastfree = h.lastfree;
}

// The nodes of a hash part (the one dummy node when there is none).
std::span<Node> nodesof(const HashPart& h) {
  return {h.node, twoto(h.lsizenode)};
}

void freehash(lua_State* L, const HashPart& h) {
  if (h.lastfree != nullptr)  // not the dummy node
    luaM_freearray(L, h.node, cast_sizet(twoto(h.lsizenode)));
}

// The array size chosen by computesizes, and how many keys will fill it.
struct ArrayChoice {
  unsigned int size = 0;
  unsigned int keys = 0;
};

// The array size: the largest power of 2, n, such that more than n/2 of
// the keys 1..n are present. nums[i] counts the keys in (2^(i-1), 2^i];
// `candidates` is the number of integer keys that could go to an array.
// The search stops once even all the candidates could not fill more than
// half of the next size.
ArrayChoice computesizes(const unsigned int nums[], unsigned int candidates) {
  ArrayChoice best;
  unsigned int upto = 0;  // the keys in [1, 2^i]
  for (int i = 0; i <= MAXABITS; i++) {
    const unsigned int size = twoto(i);
    if (candidates <= size / 2) break;
    upto += nums[i];
    if (upto > size / 2) best = {size, upto};
  }
  lua_assert(best.keys <= best.size &&
             (best.size == 0 || best.size / 2 < best.keys));
  return best;
}

// Counts `key` in its slice of nums if it could be an array index.
bool countint(lua_Integer key, unsigned int* nums) {
  const unsigned int k = arrayindex(key);
  if (k != 0) nums[luaO_ceillog2(k)]++;
  return k != 0;
}

// The present values among the array keys [first, last].
unsigned int countslice(const TValue* array, unsigned int first,
                        unsigned int last) {
  unsigned int used = 0;
  for (unsigned int k = first; k <= last; k++)
    if (!isempty(&array[k - 1])) used++;
  return used;
}

// Counts the present values of the array part into nums, slice by slice
// (slice lg holds the keys (2^(lg-1), 2^lg]), and returns their total.
unsigned int numusearray(const Table* t, unsigned int* nums) {
  const unsigned int asize = limitasasize(t);
  unsigned int total = 0;
  unsigned int first = 1;  // the first key of slice lg
  for (int lg = 0; lg <= MAXABITS && first <= asize; lg++) {
    const unsigned int last = std::min(twoto(lg), asize);
    const unsigned int used = countslice(t->array, first, last);
    nums[lg] += used;
    total += used;
    first = last + 1;
  }
  return total;
}

// Counts the live entries of the hash part (returned) and, among them, the
// integer keys that could be array indices (added to nums and `*pna`).
unsigned int numusehash(const Table* t, unsigned int* nums, unsigned int* pna) {
  unsigned int live = 0;
  for (const Node& n : nodesof(hashpart(t))) {
    if (isempty(gval(&n))) continue;
    live++;
    if (keyisinteger(&n) && countint(keyival(&n), nums)) (*pna)++;
  }
  return live;
}

// A fresh hash part for `size` keys, rounded up to a power of 2, with
// every node free; size 0 means the dummy node. Checking the exponent
// before shifting keeps the shift from overflowing.
HashPart newhashpart(lua_State* L, unsigned int size) {
  if (size == 0) return {dummynode(), 0, nullptr};
  const int lsize = luaO_ceillog2(size);
  if (lsize > MAXHBITS || twoto(lsize) > MAXHSIZE)
    luaM_runerror(L, "table overflow");
  const int n = cast_int(twoto(lsize));
  Node* nodes = luaM_newvector<Node>(L, n);
  std::fill_n(nodes, n, dummynode_);            // nil key, empty value, no next
  return {nodes, cast_byte(lsize), nodes + n};  // every node is free
}

// Gives `t` a fresh hash part for `size` keys (luaH_new's empty one).
void setnodevector(lua_State* L, Table* t, unsigned int size) {
  sethashpart(t, newhashpart(L, size));
}

// Inserts the live entries of hash part `old` into `t`. Entries with an
// empty value are dropped here: this is where cleared keys finally go.
void reinsert(lua_State* L, const HashPart& old, Table* t) {
  for (const Node& n : nodesof(old)) {
    if (isempty(gval(&n))) continue;
    const TValue key = nodekey(&n);
    luaH_set(L, t, &key, gval(&n));
  }
}

// Swaps the hash part of `t` with the one held in `h`.
void exchangehashpart(Table* t, HashPart& h) {
  const HashPart mine = hashpart(t);
  sethashpart(t, h);
  h = mine;
}

// Before the array shrinks to `newasize`, copies the entries of its
// vanishing slots into the new hash part `fresh`. The array keeps them too,
// so whichever allocation fails next, nothing is lost. While `t` holds
// `fresh`, its array seems to end at newasize, so the stores go there.
void copyvanishingslice(lua_State* L, Table* t, HashPart& fresh,
                        unsigned int newasize) {
  const unsigned int oldasize = t->alimit;
  exchangehashpart(t, fresh);
  t->alimit = newasize;
  for (unsigned int i = newasize; i < oldasize; i++) {
    const TValue* v = &t->array[i];
    if (!isempty(v)) luaH_setint(L, t, static_cast<lua_Integer>(i) + 1, v);
  }
  t->alimit = oldasize;
  exchangehashpart(t, fresh);  // `fresh` gets its moved lastfree back
}

}  // namespace

// Every allocation comes before any change that could not be undone. The
// new hash part is built aside; if the array shrinks, the entries of the
// vanishing slice are copied (not moved) into it; then the array is
// reallocated. A failure at either allocation leaves the table's contents
// as they were, and the new hash part is freed. Only then are the parts
// switched and the old hash part's entries reinserted.
void luaH_resize(lua_State* L, Table* t, unsigned int newasize,
                 unsigned int nhsize) {
  const unsigned int oldasize = setlimittosize(t);
  HashPart fresh = newhashpart(L, nhsize);
  if (newasize < oldasize) copyvanishingslice(L, t, fresh, newasize);
  TValue* array = luaM_reallocvector<TValue>(L, t->array, cast_sizet(oldasize),
                                             cast_sizet(newasize));
  if (array == nullptr && newasize > 0) [[unlikely]] {
    freehash(L, fresh);
    luaM_error(L);  // the table is as it was
  }
  exchangehashpart(t, fresh);  // now `fresh` holds the old hash part
  t->array = array;
  t->alimit = newasize;
  for (unsigned int i = oldasize; i < newasize; i++) setempty(&array[i]);
  reinsert(L, fresh, t);
  freehash(L, fresh);
}

void luaH_resizearray(lua_State* L, Table* t, unsigned int nasize) {
  luaH_resize(L, t, nasize, static_cast<unsigned int>(allocsizenode(t)));
}

namespace {

// Called when a new key `ek` finds no free node: counts every live key
// (and `ek`), chooses the array size with computesizes and gives the hash
// part room for the rest.
void rehash(lua_State* L, Table* t, const TValue* ek) {
  unsigned int nums[MAXABITS + 1] = {};
  setlimittosize(t);
  const unsigned int inarray = numusearray(t, nums);
  unsigned int candidates = inarray;  // integer keys that could be indices
  const unsigned int inhash = numusehash(t, nums, &candidates);
  if (ttisinteger(ek) && countint(ivalue(ek), nums)) candidates++;
  const ArrayChoice array = computesizes(nums, candidates);
  const unsigned int total = inarray + inhash + 1;  // with the new key
  luaH_resize(L, t, array.size, total - array.keys);
}

}  // namespace

Table* luaH_new(lua_State* L) {
  Table* t = gco2t(luaC_newobj(L, LUA_VTABLE, sizeof(Table)));
  t->flags = maskflags;  // no metatable, so no metamethod
  t->alimit = 0;
  t->array = nullptr;
  t->metatable = nullptr;
  setnodevector(L, t, 0);
  return t;
}

void luaH_free(lua_State* L, Table* t) {
  freehash(L, hashpart(t));
  luaM_freearray(L, t->array, cast_sizet(luaH_realasize(t)));
  luaM_free(L, t);
}

namespace {

// The next free node below `lastfree`, or null when there is none
// (invariant LASTFREE: nothing at or above lastfree is free).
Node* getfreepos(Table* t) {
  if (isdummy(t)) return nullptr;
  while (t->lastfree > t->node) {
    Node* candidate = --t->lastfree;
    if (keyisnil(candidate)) return candidate;
  }
  return nullptr;
}

// The key a store really uses: nil and NaN are not keys (an error even
// when the value is nil, as in lua5.4), and a float with an integral value
// is the integer it equals (then `aux` holds it).
const TValue* normalizekey(lua_State* L, const TValue* key, TValue* aux) {
  if (ttisnil(key)) [[unlikely]]
    luaM_runerror(L, "table index is nil");
  if (!ttisfloat(key)) return key;
  lua_Integer asint;
  if (luaV_flttointns(fltvalue(key), &asint, F2Ieq)) {  // 2.0 is the key 2
    setivalue(aux, asint);
    return aux;
  }
  if (std::isnan(fltvalue(key))) [[unlikely]]
    luaM_runerror(L, "table index is NaN");
  return key;
}

// Chains free node `f` into the chain of `mp`, right after it.
void linkafter(Node* mp, Node* f) {
  lua_assert(gnext(f) == 0);  // a free node has no successor (LASTFREE)
  if (gnext(mp) != 0) gnext(f) = cast_int(mp + gnext(mp) - f);
  gnext(mp) = cast_int(f - mp);
}

// Moves the guest occupying `mp` to free node `f`. Its chain starts at
// `home`, its own main position; the node before mp in that chain now
// points to f, and the copied `next`, relative to mp, is rebased on f.
void moveguest(Node* home, Node* mp, Node* f) {
  Node* prev = home;
  while (prev + gnext(prev) != mp) prev += gnext(prev);
  gnext(prev) = cast_int(f - prev);
  *f = *mp;
  if (gnext(mp) != 0) {
    gnext(f) += cast_int(mp - f);
    gnext(mp) = 0;
  }
  setempty(gval(mp));
}

// Brent's variation: the new key's main position `mp` is taken and `f` is
// free. Returns the node that the new key gets.
Node* placecolliding(Table* t, Node* mp, Node* f) {
  lua_assert(!isdummy(t));
  Node* home = mainpositionfromnode(t, mp);
  if (home == mp) {  // the occupant is at home: it stays
    linkafter(mp, f);
    return f;
  }
  moveguest(home, mp, f);  // the occupant is a guest: it makes room
  return mp;
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
  Node* slot = mainpositionTV(t, key);
  if (isdummy(t) || !isempty(gval(slot))) {  // the main position is taken
    Node* f = getfreepos(t);
    if (f == nullptr) {  // no free node: resize, then store again
      rehash(L, t, key);
      luaH_set(L, t, key, value);
      return;
    }
    slot = placecolliding(t, slot, f);
  }
  setnodekey(L, slot, key);
  luaC_barrierback(L, obj2gco(t), key);
  lua_assert(isempty(gval(slot)));
  setobj2t(L, gval(slot), value);
}

// Keys in [1, alimit] index the array directly. When `alimit` is only a
// hint, keys up to the real size are still in the array; a key just past
// the hint moves it without computing the real size (the common case of
// a growing sequence), any other such key computes it.
const TValue* luaH_getint(Table* t, lua_Integer key) {
  const auto k = static_cast<lua_Unsigned>(key);
  if (k - 1u < t->alimit) return &t->array[k - 1];
  if (!limitequalsasize(t) &&
      (k == t->alimit + 1u || k - 1u < luaH_realasize(t))) {
    t->alimit = static_cast<unsigned int>(k);  // '#t' is probably here now
    return &t->array[k - 1];
  }
  return searchchain(hashint(t, key), [key](const Node* n) {
    return keyisinteger(n) && keyival(n) == key;
  });
}

// Short strings are interned, so the comparison is by address.
const TValue* luaH_getshortstr(Table* t, TString* key) {
  lua_assert(key->tt == LUA_VSHRSTR);
  return searchchain(hashstr(t, key), [key](const Node* n) {
    return keyisshrstr(n) && eqshrstr(keystrval(n), key);
  });
}

const TValue* luaH_getstr(Table* t, TString* key) {
  if (key->tt == LUA_VSHRSTR) return luaH_getshortstr(t, key);
  TValue ko;
  setsvalue(nullptr, &ko, key);
  return getgeneric(t, &ko, false);
}

namespace {

// A float key: one with an integral value is the integer key it equals.
const TValue* getfloat(Table* t, const TValue* key) {
  lua_Integer asint;
  if (luaV_flttointns(fltvalue(key), &asint, F2Ieq))
    return luaH_getint(t, asint);
  return getgeneric(t, key, false);  // NaN too: never found
}

}  // namespace

// Dispatches on the key's variant to the specialized lookups.
const TValue* luaH_get(Table* t, const TValue* key) {
  switch (ttypetag(key)) {
    case LUA_VSHRSTR:
      return luaH_getshortstr(t, tsvalue(key));
    case LUA_VNUMINT:
      return luaH_getint(t, ivalue(key));
    case LUA_VNUMFLT:
      return getfloat(t, key);
    case LUA_VNIL:
      return &absentkey;
    default:
      return getgeneric(t, key, false);
  }
}

// A slot that exists (even with an empty value) is written in place; only
// the absent-key marker means a new key.
void luaH_finishset(lua_State* L, Table* t, const TValue* key,
                    const TValue* slot, const TValue* value) {
  invalidateTMcache(t);
  if (!isabstkey(slot)) {
    setobj2t(L, const_cast<TValue*>(slot), value);
    return;
  }
  luaH_newkey(L, t, key, value);
}

void luaH_set(lua_State* L, Table* t, const TValue* key, const TValue* value) {
  luaH_finishset(L, t, key, luaH_get(t, key), value);
}

// luaH_finishset by hand: the key value is only built when it is new,
// which keeps the common store into an existing slot short.
void luaH_setint(lua_State* L, Table* t, lua_Integer key, const TValue* value) {
  const TValue* slot = luaH_getint(t, key);
  invalidateTMcache(t);
  if (!isabstkey(slot)) {
    setobj2t(L, const_cast<TValue*>(slot), value);
    return;
  }
  TValue k;
  setivalue(&k, key);
  luaH_newkey(L, t, &k, value);
}

namespace {

// ---------------------------------------------------------------------------
// The border: luaH_getn
// ---------------------------------------------------------------------------

// The binary search behind both border searches: given `present` (0 or a
// present key) and a larger `absent` key, halves the gap until the two are
// neighbours; then `present` is a border.
template <class Key, class IsPresent>
Key bisect(Key present, Key absent, IsPresent ispresent) {
  while (absent - present > 1u) {
    const Key mid = present + (absent - present) / 2;
    if (ispresent(mid))
      present = mid;
    else
      absent = mid;
  }
  return present;
}

// True when integer key `k` has a value (in either part).
bool presentint(Table* t, lua_Unsigned k) {
  return !isempty(luaH_getint(t, static_cast<lua_Integer>(k)));
}

// A border past the array part. The caller knows that j is 0 or present
// and j + 1 is present; doubling j finds an absent key, and bisect finds a
// border between the last present and the first absent one. If doubling
// would pass LUA_MAXINTEGER, that key is tried: absent, it bounds the
// search; present, it is a border itself (no key follows).
lua_Unsigned hash_search(Table* t, lua_Unsigned j) {
  constexpr auto maxkey = static_cast<lua_Unsigned>(LUA_MAXINTEGER);
  lua_Unsigned present = j == 0 ? 1 : j;
  lua_Unsigned absent = 0;
  while (absent == 0) {
    if (present > maxkey / 2) {
      if (presentint(t, maxkey)) return maxkey;
      absent = maxkey;
    } else if (presentint(t, present * 2)) {
      present *= 2;
    } else {
      absent = present * 2;
    }
  }
  return bisect(present, absent,
                [t](lua_Unsigned k) { return presentint(t, k); });
}

// A border in array[i..j) (1-based keys), given t[i] present or i == 0,
// and t[j] absent.
unsigned int binsearch(const TValue* array, unsigned int i, unsigned int j) {
  return bisect(i, j,
                [array](unsigned int k) { return !isempty(&array[k - 1]); });
}

// Makes border `b`, found in the array, the new `alimit` hint.
void sethint(Table* t, unsigned int b) {
  t->alimit = b;
  setnorealasize(t);
}

// Case (1): t[limit] is empty, so a border lies below it. limit - 1 is
// tried first (the case after t[#t] = nil), then a binary search. The
// border becomes the hint when the real size can still be recovered from
// it (ispow2realasize, and more than half the real size).
unsigned int borderbelow(Table* t, unsigned int limit) {
  if (limit >= 2 && !isempty(&t->array[limit - 2])) {
    if (ispow2realasize(t) && !ispow2(limit - 1)) sethint(t, limit - 1);
    return limit - 1;
  }
  const unsigned int border = binsearch(t->array, 0, limit);
  if (ispow2realasize(t) && border > luaH_realasize(t) / 2) sethint(t, border);
  return border;
}

// Case (3): the array is empty or its last slot, `asize`, is present. The
// border is asize unless t[asize + 1] is in the hash part.
lua_Unsigned borderpast(Table* t, unsigned int asize) {
  lua_assert(asize == luaH_realasize(t) &&
             (asize == 0 || !isempty(&t->array[asize - 1])));
  if (isdummy(t) || !presentint(t, lua_Unsigned{asize} + 1)) return asize;
  return hash_search(t, asize);
}

}  // namespace

// The border search starts at `alimit`, the last answer, and keeps the new
// answer there when it lies in the array part:
// (1) t[limit] empty: borderbelow.
// (2) t[limit] present and the array goes on past the hint: limit + 1 is
//     tried (the case after t[#t + 1] = v), then the last slot; if that is
//     empty, a binary search in between, whose border becomes the hint.
// (3) otherwise: borderpast.
lua_Unsigned luaH_getn(Table* t) {
  unsigned int limit = t->alimit;
  if (limit > 0 && isempty(&t->array[limit - 1]))  // (1)
    return borderbelow(t, limit);
  if (!limitequalsasize(t)) {                     // (2)
    if (isempty(&t->array[limit])) return limit;  // t[limit + 1] is empty
    const unsigned int asize = luaH_realasize(t);
    if (isempty(&t->array[asize - 1])) {
      const unsigned int border = binsearch(t->array, limit, asize);
      sethint(t, border);
      return border;
    }
    limit = asize;  // the last slot is present
  }
  return borderpast(t, limit);  // (3), the one call: it stays inlined
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
      lua_Unsigned k = static_cast<lua_Unsigned>(keyival(n));
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

int check_table(Table* t) {
  int bad = checkshape(t);
  if (bad > 0) return bad;  // the parts cannot be walked safely
  unsigned int asize = luaH_realasize(t);
  for (unsigned int i = 0; i < asize; i++) bad += checkvalue(&t->array[i]);
  if (!isdummy(t))
    for (int i = 0; i < sizenode(t); i++) bad += checknode(t, gnode(t, i));
  return bad;
}

}  // namespace lua
