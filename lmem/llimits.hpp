/// \file
/// Basic internal types, limits and checking helpers shared by every module.
///
/// Mirrors: Lua 5.4 llimits.h
/// Book: chapter 1
///
/// Design: Lua sizes its memory accounting with two integer types as wide as
/// a pointer: `lu_mem` (unsigned, for totals) and `l_mem` (signed, for the
/// debt, which may be negative). Everything else here is a named limit that
/// later chapters test against, or a small helper that replaces one of
/// llimits.h's macros with a typed function of the same name.
///
/// Differences from Lua: the macros are `constexpr` values and inline
/// functions; `lua_assert` is active whenever NDEBUG is not defined, so the
/// debug builds used by the tests check every stated invariant.
#pragma once

#include <cassert>
#include <climits>
#include <cstddef>
#include <cstdint>

#include "lmem/lua.h"

namespace lua {

/// Unsigned byte counts: totals of allocated memory.
using lu_mem = std::size_t;
/// Signed byte counts: the collector's debt, which can be negative.
using l_mem = std::ptrdiff_t;
/// Small unsigned and signed fields (tags, flags, colours).
using lu_byte = unsigned char;
using ls_byte = signed char;

/// Largest value of size_t, and the largest value a vector size may have.
inline constexpr std::size_t MAX_SIZET = SIZE_MAX;
/// Largest size a Lua object or vector may have: it must fit both size_t
/// and lua_Integer, because sizes are exposed to Lua code as integers.
inline constexpr std::size_t MAX_SIZE =
    sizeof(std::size_t) < sizeof(lua_Integer)
        ? MAX_SIZET
        : static_cast<std::size_t>(LUA_MAXINTEGER);
inline constexpr lu_mem MAX_LUMEM = SIZE_MAX;
inline constexpr l_mem MAX_LMEM = PTRDIFF_MAX;
inline constexpr int MAX_INT = INT_MAX;

/// Length limit of short (interned) strings; longer strings are not
/// interned (chapter 3).
inline constexpr int LUAI_MAXSHORTLEN = 40;
/// Smallest size of the string table (chapter 3).
inline constexpr int MINSTRTABSIZE = 128;
/// Size of the API string cache (chapter 3): STRCACHE_N sets of
/// STRCACHE_M entries.
inline constexpr int STRCACHE_N = 53;
inline constexpr int STRCACHE_M = 2;
/// Smallest size of a string buffer (chapters 7 and 10).
inline constexpr int LUA_MINBUFFER = 32;
/// Limit of nested C calls plus Lua calls ("C stack overflow").
inline constexpr int LUAI_MAXCCALLS = 200;

/// Checked conversions with the names of Lua's cast macros.
template <class T, class F>
constexpr T cast(F x) noexcept {
  return static_cast<T>(x);
}
constexpr int cast_int(auto x) noexcept {
  return static_cast<int>(x);
}
constexpr lu_byte cast_byte(auto x) noexcept {
  return static_cast<lu_byte>(x);
}
constexpr std::size_t cast_sizet(auto x) noexcept {
  return static_cast<std::size_t>(x);
}

/// True when the build checks internal invariants (debug builds).
#ifdef NDEBUG
inline constexpr bool LUAI_ASSERT = false;
#else
inline constexpr bool LUAI_ASSERT = true;
#endif

}  // namespace lua

/// Internal assertion: checked in debug builds, free in release builds.
#define lua_assert(c) assert(c)
/// An expression that asserts `c` and then yields `e`.
#define check_exp(c, e) (lua_assert(c), (e))
