/// \file
/// Strings: interning of short strings in the global string table, long
/// strings with a lazily computed hash, the API string cache, and full
/// userdata.
///
/// Mirrors: Lua 5.4 lstring.h and lstring.c
/// Book: chapter 3
///
/// Design: every short string (at most LUAI_MAXSHORTLEN bytes) exists once
/// per state. `luaS_newlstr` hashes the bytes with the state's seed, looks
/// in the bucket the hash names and returns the string found there, or
/// creates it; so equal short strings are the same object, and comparing
/// them is comparing pointers. Long strings are never interned: each
/// creation makes a new object, whose hash is computed only when a table
/// first needs it.
///
/// - **Invariant BUCKET.** Every short string in the table sits in bucket
///   `lmod(hash, size)` of `g->strt`, and its `hash` is
///   `luaS_hash(contents, len, g->seed)`.
/// - **Invariant UNIQUE.** No two short strings in the table have the same
///   contents (except a dead one awaiting the sweep, chapter 6).
/// - **Invariant COUNT.** `strt.nuse` is the number of strings in the
///   buckets, and `strt.size` is a power of 2.
///
/// `check_invariants` verifies all three.
///
/// Differences from Lua: none in behaviour. The collector (chapter 6)
/// calls `luaS_resize` to shrink the table and `luaS_clearcache`; before
/// it exists the table only grows.
#pragma once

#include <cstring>

#include "lobject/lstate.hpp"

namespace lua {

/// Largest string-table size: the largest int whose vector of pointers
/// still fits size_t (the table never exceeds 2^30 buckets in practice).
inline constexpr int MAXSTRTB = luaM_limitN<TString*>(MAX_INT);

/// `x % size` for a power-of-2 `size`.
constexpr int lmod(unsigned int x, int size) {
  return static_cast<int>(x & static_cast<unsigned int>(size - 1));
}

/// True for reserved words: short strings whose `extra` holds a token.
inline bool isreserved(const TString* s) {
  return s->tt == LUA_VSHRSTR && s->extra > 0;
}
/// Short strings are equal exactly when they are the same object.
inline bool eqshrstr(const TString* a, const TString* b) {
  return check_exp(a->tt == LUA_VSHRSTR, a == b);
}

/// The hash of `len` bytes at `str` with seed `seed`: every byte counts.
unsigned int luaS_hash(const char* str, std::size_t len, unsigned int seed);
/// The hash of long string `ts`, computed on first use and then cached.
unsigned int luaS_hashlongstr(TString* ts);
/// Compares two long strings by length and contents.
bool luaS_eqlngstr(TString* a, TString* b);
/// Resizes the string table to `newsize` buckets (a power of 2), moving
/// every string to its new bucket. If memory runs out, the table is left
/// exactly as it was.
void luaS_resize(lua_State* L, int newsize);
/// Replaces cache entries that are about to be collected (white) by the
/// fixed memory-error string; the collector calls it (chapter 6).
void luaS_clearcache(global_State* g);
/// Creates the string table, the fixed "not enough memory" string and the
/// API string cache. Needs a state whose memory manager works.
void luaS_init(lua_State* L);
/// Removes short string `ts` from the string table (before freeing it).
void luaS_remove(lua_State* L, TString* ts);
/// Creates a full userdata of `size` bytes with `nuvalue` user values
/// (nil).
Udata* luaS_newudata(lua_State* L, std::size_t size, int nuvalue);
/// Returns the string with the `len` bytes at `str`: the interned one for
/// short strings, a new one for long strings.
TString* luaS_newlstr(lua_State* L, const char* str, std::size_t len);
/// Returns the string for a C string, through the API string cache: the
/// same C pointer with the same contents finds its string without hashing.
TString* luaS_new(lua_State* L, const char* str);
/// Creates a long string object of length `len` with unset contents.
TString* luaS_createlngstrobj(lua_State* L, std::size_t len);

/// A string for a C string literal.
template <std::size_t N>
TString* luaS_newliteral(lua_State* L, const char (&s)[N]) {
  return luaS_newlstr(L, s, N - 1);
}

/// Checks BUCKET, UNIQUE and COUNT over the whole string table and returns
/// the number of violations found: 0 when the table is sound. It never
/// asserts and works under NDEBUG too.
int check_invariants(global_State* g);

}  // namespace lua
