/// \file
/// Tables: Lua's one data structure, an array part for the keys 1..n and a
/// hash part for everything else, with the lookups, stores, traversal and
/// length operator that the rest of the interpreter builds on.
///
/// Mirrors: Lua 5.4 ltable.h and ltable.c (plus the node-key accessors of
/// lobject.h and the `maskflags` of ltm.h that tables need)
/// Book: chapter 4
///
/// Design: a `Table` keeps the values of the integer keys 1..asize in a
/// plain vector (`array`) and every other entry in a vector of 2^lsizenode
/// `Node`s, a chained scatter table: each key has a *main position* given
/// by its hash, and keys that collide are linked through `next`, an offset
/// to another node of the same vector. New keys take free nodes from the
/// top down (`lastfree`); when none is left, `rehash` counts the keys and
/// chooses new sizes for both parts, the array part being the largest
/// power of 2 that would be more than half full.
///
/// - **Invariant REACH.** Every key in the hash part, live or with an
///   empty value, is found by starting at its main position and following
///   `next`; `next` offsets stay inside the node vector and no chain loops.
/// - **Invariant CHAIN** (Brent's variation). A key that is not in its main
///   position has, at its main position, a key that is in its own main
///   position. So a chain starts at the main position of its keys.
/// - **Invariant LASTFREE.** Every node at or above `lastfree` holds a key;
///   a node with no key has an empty value and no `next`.
/// - **Invariant DUMMY.** A table with no hash part points to the one shared
///   dummy node, has `lastfree == nullptr` and `lsizenode == 0`; nothing
///   ever writes to the dummy node.
/// - **Invariant SPLIT.** No key in the hash part is an integer in
///   [1, luaH_realasize(t)], a float with an integral value, or a NaN: float
///   keys are normalized, and a resize moves every key that fits the new
///   array into it.
/// - **Invariant UNIQUE.** No key appears in two nodes.
/// - **Invariant ALIMIT.** With `isrealasize(t)`, `alimit` is the size of
///   `array`; otherwise the size is the smallest power of 2 not below
///   `alimit`, and `alimit` is more than half of it.
/// - **Invariant FLAGS.** Bits 0-5 of `flags` cache absent metamethods,
///   bit 7 is BITRAS, bit 6 is always 0; every store into the table clears
///   the cache bits.
///
/// `check_table(Table *)` verifies all of them.
///
/// Differences from Lua:
/// - The accessors of a node's key (keytt, setnodekey, ...) live here, not
///   in lobject.hpp: chapter 2 fixed the `Node` layout, and this chapter is
///   the first to give its key a meaning. `maskflags` (ltm.h in Lua) is here
///   for the same reason; chapter 8's metamethod code includes this header.
/// - The store functions (luaH_set, luaH_setint, luaH_finishset and
///   luaH_newkey) clear the metamethod cache themselves; Lua leaves that to
///   every caller in lvm.c and lapi.c. One AND per store buys one place
///   that cannot be forgotten. The value's write barrier stays with the
///   callers, as in Lua; luaH_newkey barriers the key, as in Lua.
/// - luaH_next takes the key and the value slots as two `TValue *` (Lua
///   takes one stack slot and uses the next one), because there is no stack
///   before chapter 5.
/// - luaH_mainposition and luaH_isdummy are always exported (Lua exports
///   them only in its debug build), for the tests and the diagrams.
#pragma once

#include <cstddef>

#include "lstring/lstring.hpp"

namespace lua {

// ---------------------------------------------------------------------------
// Node and size accessors (ltable.h, lobject.h, llimits.h)
// ---------------------------------------------------------------------------

/// 2^x.
constexpr unsigned int twoto(int x) {
  return 1u << x;
}
/// True for 0 and the powers of 2.
constexpr bool ispow2(unsigned int x) {
  return (x & (x - 1)) == 0;
}
/// Number of nodes in the node vector (1 for the dummy node).
inline int sizenode(const Table* t) {
  return cast_int(twoto(t->lsizenode));
}
/// Node `i` of the hash part.
inline Node* gnode(const Table* t, int i) {
  return &t->node[i];
}
/// The value of node `n`.
inline TValue* gval(Node* n) {
  return &n->i_val;
}
inline const TValue* gval(const Node* n) {
  return &n->i_val;
}
/// The offset from node `n` to the next node of its chain (0: none).
inline int& gnext(Node* n) {
  return n->u.next;
}
inline int gnext(const Node* n) {
  return n->u.next;
}
/// The node whose value is `v` (a value returned by a lookup of the hash
/// part); the value sits at offset 0 of its node.
inline Node* nodefromval(const TValue* v) {
  return reinterpret_cast<Node*>(const_cast<TValue*>(v));
}
static_assert(offsetof(Node, i_val) == 0, "nodefromval needs it");

/// The key's tag and payload, stored unpacked beside the value.
inline int keytt(const Node* n) {
  return n->u.key_tt;
}
inline const Value& keyval(const Node* n) {
  return n->u.key_val;
}
/// A node with a nil key is free: it was never used since the node vector
/// was made.
inline bool keyisnil(const Node* n) {
  return keytt(n) == LUA_TNIL;
}
inline bool keyisinteger(const Node* n) {
  return keytt(n) == LUA_VNUMINT;
}
inline lua_Integer keyival(const Node* n) {
  return keyval(n).i;
}
inline bool keyisshrstr(const Node* n) {
  return keytt(n) == ctb(LUA_VSHRSTR);
}
inline TString* keystrval(const Node* n) {
  return gco2ts(keyval(n).gc);
}
inline void setnilkey(Node* n) {
  n->u.key_tt = LUA_TNIL;
}
inline bool keyiscollectable(const Node* n) {
  return (keytt(n) & BIT_ISCOLLECTABLE) != 0;
}
/// The object of a collectable key, or null for other keys.
inline GCObject* gckey(const Node* n) {
  return keyval(n).gc;
}
inline GCObject* gckeyN(const Node* n) {
  return keyiscollectable(n) ? gckey(n) : nullptr;
}
/// Dead keys (chapter 6): the collector marks the key of an empty entry
/// whose object it freed; the pointer stays for `next` to compare.
inline void setdeadkey(Node* n) {
  n->u.key_tt = LUA_TDEADKEY;
}
inline bool keyisdead(const Node* n) {
  return keytt(n) == LUA_TDEADKEY;
}
/// Copies value `obj` into the key of `node`.
inline void setnodekey(lua_State* L, Node* node, const TValue* obj) {
  (void)L;
  node->u.key_val = obj->value_;
  node->u.key_tt = obj->tt_;
}
/// Copies the key of `node` into value `obj`.
inline void getnodekey(lua_State* L, TValue* obj, const Node* node) {
  (void)L;
  obj->value_ = node->u.key_val;
  settt_(obj, node->u.key_tt);
}

// ---------------------------------------------------------------------------
// The `flags` byte: the metamethod cache and BITRAS
// ---------------------------------------------------------------------------

/// The cache bits of `flags`, one per event TM_INDEX..TM_EQ: a set bit says
/// that the metatable is known to lack that metamethod.
inline constexpr lu_byte maskflags =
    static_cast<lu_byte>(~(~0u << (static_cast<int>(TM_EQ) + 1)));
/// Bit of `flags` set when `alimit` is not the real size of the array.
inline constexpr lu_byte BITRAS = 1 << 7;
static_assert((maskflags & BITRAS) == 0, "cache and BITRAS share no bit");

/// Forgets every cached absence (the table may now have any metamethod).
inline void invalidateTMcache(Table* t) {
  t->flags = static_cast<lu_byte>(t->flags & ~maskflags);
}
/// True when `alimit` is the size of the array part.
inline bool isrealasize(const Table* t) {
  return (t->flags & BITRAS) == 0;
}
inline void setrealasize(Table* t) {
  t->flags = static_cast<lu_byte>(t->flags & ~BITRAS);
}
inline void setnorealasize(Table* t) {
  t->flags = static_cast<lu_byte>(t->flags | BITRAS);
}

/// True when `t` has no hash part (its `node` is the shared dummy node).
inline bool isdummy(const Table* t) {
  return t->lastfree == nullptr;
}
/// Number of nodes allocated for the hash part (0 for the dummy node).
inline int allocsizenode(const Table* t) {
  return isdummy(t) ? 0 : sizenode(t);
}

// ---------------------------------------------------------------------------
// ltable.c
// ---------------------------------------------------------------------------

/// The value of integer key `key`, or the absent-key marker (a nil with
/// tag LUA_VABSTKEY) if there is none. The result may be an empty slot of
/// the array part or of a node; it stays valid until the table is resized.
/// May move `alimit` (a hint), never the contents.
const TValue* luaH_getint(Table* t, lua_Integer key);
/// Stores `value` under integer `key`, creating the key if needed (a nil
/// `value` creates nothing). May resize the table; raises LUA_ERRMEM, and
/// then the table is unchanged. Clears the metamethod cache. The caller
/// applies the write barrier for `value` (luaC_barrierback), as in Lua.
void luaH_setint(lua_State* L, Table* t, lua_Integer key, const TValue* value);
/// The value of short string `key` (or the absent-key marker).
const TValue* luaH_getshortstr(Table* t, TString* key);
/// The value of string `key`, short or long (or the absent-key marker).
const TValue* luaH_getstr(Table* t, TString* key);
/// The value of any `key` (or the absent-key marker). A float with an
/// integral value finds the integer key; nil and NaN find nothing.
const TValue* luaH_get(Table* t, const TValue* key);
/// Inserts `key`, which must be absent from `t`, with `value` (a nil value
/// inserts nothing). Raises "table index is nil" or "table index is NaN"
/// for such keys, even with a nil value; converts an integral float key to
/// an integer. When no node is free, rehashes: the table grows or shrinks
/// to fit and the key goes in then. Barriers the key; clears the cache.
void luaH_newkey(lua_State* L, Table* t, const TValue* key,
                 const TValue* value);
/// Completes a store whose lookup gave `slot` (from luaH_get and friends):
/// writes `value` there, or inserts `key` if the slot is the absent-key
/// marker. Clears the metamethod cache; the caller barriers `value`.
void luaH_finishset(lua_State* L, Table* t, const TValue* key,
                    const TValue* slot, const TValue* value);
/// The raw assignment t[key] = value (luaH_get, then luaH_finishset).
void luaH_set(lua_State* L, Table* t, const TValue* key, const TValue* value);
/// Creates an empty table, linked into `allgc`: no array, the dummy node,
/// no metatable, every metamethod marked absent.
Table* luaH_new(lua_State* L);
/// Resizes the array part to `nasize` slots and the hash part to hold
/// `nhsize` keys (rounded up to a power of 2), keeping every entry.
/// Precondition: the new hash part can hold the entries that will not fit
/// the new array (rehash computes exactly that). Raises "table overflow"
/// for a hash part above 2^30 nodes and LUA_ERRMEM when memory runs out;
/// in both cases the contents of the table are unchanged, because the new
/// parts are allocated before the old ones are touched.
void luaH_resize(lua_State* L, Table* t, unsigned int nasize,
                 unsigned int nhsize);
/// Resizes only the array part (keeping the hash part's size).
void luaH_resizearray(lua_State* L, Table* t, unsigned int nasize);
/// Frees the table, its array and its node vector.
void luaH_free(lua_State* L, Table* t);
/// Traversal: given the key of the previous step in `*key` (nil to start),
/// writes the next key and its value to `*key` and `*val` and returns
/// true, or returns false after the last entry. Array entries come first,
/// in index order, then the nodes in vector order. Raises "invalid key to
/// 'next'" for a key that is not in the table. Entries may be cleared (set
/// to nil) during a traversal; new keys must not be added.
bool luaH_next(lua_State* L, Table* t, TValue* key, TValue* val);
/// A border of `t`: 0 if t[1] is absent, otherwise some n with t[n]
/// present and t[n+1] absent (LUA_MAXINTEGER if that key is present). Any
/// border may be returned when there are several. May move `alimit`.
lua_Unsigned luaH_getn(Table* t);
/// The real size of the array part (invariant ALIMIT).
unsigned int luaH_realasize(const Table* t);
/// The main position of `key` in the hash part of `t` (for tests and
/// diagrams).
Node* luaH_mainposition(const Table* t, const TValue* key);
/// True when `t` uses the shared dummy node (for tests and diagrams).
bool luaH_isdummy(const Table* t);

/// Checks REACH, CHAIN, LASTFREE, DUMMY, SPLIT, UNIQUE, ALIMIT and FLAGS
/// over the whole table and returns the number of violations found: 0
/// when the table is sound. It never asserts and works under NDEBUG too;
/// a corrupt chain is counted, never followed out of the node vector.
int check_table(Table* t);

}  // namespace lua
