/// \file
/// Character classes for the lexer and the number reader, independent of
/// the C locale.
///
/// Mirrors: Lua 5.4 lctype.h and lctype.c
/// Book: chapter 2 (used by chapter 7's lexer)
///
/// Design: Lua classifies source bytes itself instead of calling <ctype.h>,
/// so that a program means the same thing in every locale: letters are the
/// ASCII letters and '_', digits are '0'-'9', and bytes above 127 belong to
/// no class (they may appear only inside strings and comments).
///
/// Differences from Lua: Lua builds a 257-entry table with one bit per
/// class; these are `constexpr` functions with the same names, which the
/// compiler turns into comparisons. The argument may be EOZ (-1), which is
/// in no class.
#pragma once

namespace lua {

/// A letter or '_': the bytes that may start a name.
constexpr bool lislalpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
constexpr bool lisdigit(int c) {
  return c >= '0' && c <= '9';
}
/// A letter, '_' or a digit: the bytes that may continue a name.
constexpr bool lislalnum(int c) {
  return lislalpha(c) || lisdigit(c);
}
/// White space: space, tab, newline, vertical tab, form feed, carriage return.
constexpr bool lisspace(int c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
/// The printable ASCII characters.
constexpr bool lisprint(int c) {
  return c >= 0x20 && c < 0x7F;
}
/// ASCII letters to lower case; other bytes unchanged.
constexpr int ltolower(int c) {
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}
constexpr bool lisxdigit(int c) {
  return lisdigit(c) || (ltolower(c) >= 'a' && ltolower(c) <= 'f');
}

}  // namespace lua
