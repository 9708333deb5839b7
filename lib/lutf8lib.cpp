/// \file
/// The utf8 library: char, charpattern, codes, codepoint, len and offset,
/// which read and write UTF-8 in ordinary Lua strings.
///
/// Mirrors: Lua 5.4 lutf8lib.c
/// Book: chapter 10
///
/// Design: strings stay byte strings; the library decodes sequences on
/// demand and counts positions in bytes, 1-based, negative ones counting
/// back from the end as in the string library.
///
/// - **Invariant SEQUENCE.** A valid sequence is a lead byte announcing k
///   continuation bytes (0 <= k <= 5: the count of its leading one bits,
///   minus one), followed by exactly k bytes 10xxxxxx, encoding a value
///   that needs k of them (no overlong form) and is at most 0x7FFFFFFF.
///   Strict mode (the default) further rejects values above 0x10FFFF and
///   the surrogates 0xD800-0xDFFF; the `lax` argument drops that rule.
/// - **Invariant TERMINATOR.** Every Lua string ends with a '\0' byte
///   beyond its length, which is not a continuation byte: a scan for
///   continuation bytes, or a decoder reading a truncated sequence, stops
///   there without a length check.
///
/// Differences from Lua: none in behaviour.
#include <bit>
#include <climits>
#include <cstdint>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

constexpr std::uint32_t MAXUNICODE = 0x10FFFFu;
constexpr std::uint32_t MAXUTF = 0x7FFFFFFFu;

// A decoded value: up to 31 bits (MAXUTF).
using utfint = std::uint32_t;

unsigned char byteat(const char* p) {
  return static_cast<unsigned char>(*p);
}

// Whether the byte at `p` is a continuation byte (10xxxxxx).
bool iscont(const char* p) {
  return (byteat(p) & 0xC0u) == 0x80u;
}

// Every function takes the string as argument 1; len and codepoint take
// the byte range [i, j] and the lax flag as arguments 2, 3 and 4.
constexpr int kString = 1;
constexpr int kI = 2;
constexpr int kJ = 3;
constexpr int kLax = 4;

// The string argument: its bytes (invariant TERMINATOR holds) and length.
struct Subject {
  const char* s;
  lua_Integer len;
};

Subject checksubject(lua_State* L) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, kString, &len);
  return {s, static_cast<lua_Integer>(len)};
}

// A position as a 1-based index: negative counts back from the end (-1 is
// the last byte), and anything before the start becomes 0. (`len` is not
// negative, so -len cannot overflow.)
lua_Integer u_posrelat(lua_Integer pos, lua_Integer len) {
  if (pos < 0) return pos < -len ? 0 : len + pos + 1;
  return pos;
}

// The smallest value that needs k continuation bytes (for k >= 1); a
// smaller one in that form is overlong.
constexpr utfint minimum_for[] = {0,        0x80,      0x800,
                                  0x10000u, 0x200000u, 0x4000000u};

bool isvalidcode(utfint code) {
  return code <= MAXUNICODE && (code < 0xD800u || code > 0xDFFFu);
}

// Invariant SEQUENCE: decodes the sequence at `s` into *val (when val is
// not null) and returns the byte after it, or null if it is invalid.
const char* utf8_decode(const char* s, utfint* val, bool strict) {
  const unsigned char lead = byteat(s);
  utfint code = lead;
  int count = 0;  // continuation bytes
  if (lead >= 0x80) {
    count = std::countl_one(lead) - 1;
    if (count == 0 || count > 5) return nullptr;  // stray or 0xFE/0xFF
    code = lead & (0x7Fu >> count);
    for (int k = 1; k <= count; k++) {
      if (!iscont(s + k)) return nullptr;  // invariant TERMINATOR
      code = (code << 6) | (byteat(s + k) & 0x3Fu);
    }
    if (code > MAXUTF || code < minimum_for[count]) return nullptr;
  }
  if (strict && !isvalidcode(code)) return nullptr;
  if (val != nullptr) *val = code;
  return s + count + 1;
}

// Fail and the 1-based position of the invalid sequence at `pos`.
int pushinvalid(lua_State* L, lua_Integer pos) {
  luaL_pushfail(L);
  lua_pushinteger(L, pos + 1);
  return 2;
}

// len(s [, i [, j [, lax]]]): how many sequences start in bytes [i, j];
// on an invalid one, fail and its position.
int utflen(lua_State* L) {
  const auto [s, len] = checksubject(L);
  lua_Integer first = u_posrelat(luaL_optinteger(L, kI, 1), len);
  lua_Integer last = u_posrelat(luaL_optinteger(L, kJ, -1), len);
  const bool strict = !lua_toboolean(L, kLax);
  // Both become 0-based: first in [0, len], last below len.
  luaL_argcheck(L, 1 <= first && --first <= len, kI,
                "initial position out of bounds");
  luaL_argcheck(L, --last < len, kJ, "final position out of bounds");
  lua_Integer count = 0;
  for (lua_Integer pos = first; pos <= last; count++) {
    const char* next = utf8_decode(s + pos, nullptr, strict);
    if (next == nullptr) return pushinvalid(L, pos);
    pos = next - s;
  }
  lua_pushinteger(L, count);
  return 1;
}

// codepoint(s [, i [, j [, lax]]]): the values of every sequence that
// starts in bytes [i, j] (j defaults to i).
int codepoint(lua_State* L) {
  const auto [s, len] = checksubject(L);
  const lua_Integer first = u_posrelat(luaL_optinteger(L, kI, 1), len);
  const lua_Integer last = u_posrelat(luaL_optinteger(L, kJ, first), len);
  const bool strict = !lua_toboolean(L, kLax);
  luaL_argcheck(L, first >= 1, kI, "out of bounds");
  luaL_argcheck(L, last <= len, kJ, "out of bounds");
  if (first > last) return 0;
  if (last - first >= INT_MAX) return luaL_error(L, "string slice too long");
  // At most one value per byte.
  luaL_checkstack(L, static_cast<int>(last - first) + 1,
                  "string slice too long");
  int nvalues = 0;
  const char* const end = s + last;
  for (const char* p = s + first - 1; p < end; nvalues++) {
    utfint code = 0;
    p = utf8_decode(p, &code, strict);
    if (p == nullptr) return luaL_error(L, "invalid UTF-8 code");
    lua_pushinteger(L, code);
  }
  return nvalues;
}

// Pushes the UTF-8 encoding of integer argument `arg`.
void pushutfchar(lua_State* L, int arg) {
  const auto code = static_cast<lua_Unsigned>(luaL_checkinteger(L, arg));
  luaL_argcheck(L, code <= MAXUTF, arg, "value out of range");
  lua_pushfstring(L, "%U", static_cast<long>(code));
}

// char(c1, c2, ...): the concatenated encodings.
int utfchar(lua_State* L) {
  const int nargs = lua_gettop(L);
  if (nargs == 1) {  // the common case needs no buffer
    pushutfchar(L, 1);
    return 1;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int arg = 1; arg <= nargs; arg++) {
    pushutfchar(L, arg);
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}

// The 0-based start of the sequence before the one at `pos` (> 0).
lua_Integer previousstart(const char* s, lua_Integer pos) {
  do pos--;
  while (pos > 0 && iscont(s + pos));
  return pos;
}

// The 0-based start of the sequence after the one at `pos` (< len);
// invariant TERMINATOR ends the scan at the string's end.
lua_Integer nextstart(const char* s, lua_Integer pos) {
  do pos++;
  while (iscont(s + pos));
  return pos;
}

// offset(s, n [, i]): where the n-th character counting from byte i
// starts. n = 0 finds the start of the character containing byte i;
// n > 0 counts forward (i is the first), n < 0 backward. i defaults to
// the start (n >= 0) or to just past the end (n < 0).
int byteoffset(lua_State* L) {
  constexpr int narg = 2;
  constexpr int iarg = 3;
  const auto [s, len] = checksubject(L);
  lua_Integer n = luaL_checkinteger(L, narg);
  const lua_Integer dflt = n >= 0 ? 1 : len + 1;
  lua_Integer pos = u_posrelat(luaL_optinteger(L, iarg, dflt), len);
  // pos becomes 0-based, in [0, len].
  luaL_argcheck(L, 1 <= pos && --pos <= len, iarg, "position out of bounds");
  if (n == 0) {
    while (pos > 0 && iscont(s + pos)) pos--;
  } else if (iscont(s + pos)) {
    return luaL_error(L, "initial position is a continuation byte");
  } else if (n < 0) {
    for (; n < 0 && pos > 0; n++) pos = previousstart(s, pos);
  } else {
    for (n--; n > 0 && pos < len; n--) pos = nextstart(s, pos);
  }
  if (n == 0)
    lua_pushinteger(L, pos + 1);
  else
    luaL_pushfail(L);  // fewer characters than asked for
  return 1;
}

// One step of the codes iteration: from the previous position (0 at the
// start), skips the rest of that sequence's continuation bytes and
// returns the next position and value, or nothing at the end.
int iter_aux(lua_State* L, bool strict) {
  constexpr int control = 2;
  const auto [s, slen] = checksubject(L);
  const auto len = static_cast<lua_Unsigned>(slen);
  // Unsigned, so that a negative control value counts as past the end.
  auto pos = static_cast<lua_Unsigned>(lua_tointeger(L, control));
  if (pos < len)
    while (iscont(s + pos)) pos++;
  if (pos >= len) return 0;
  utfint code = 0;
  if (utf8_decode(s + pos, &code, strict) == nullptr)
    return luaL_error(L, "invalid UTF-8 code");
  lua_pushinteger(L, static_cast<lua_Integer>(pos) + 1);
  lua_pushinteger(L, code);
  return 2;
}

int iter_auxstrict(lua_State* L) {
  return iter_aux(L, true);
}

int iter_auxlax(lua_State* L) {
  return iter_aux(L, false);
}

// codes(s [, lax]): the generic-for triple (iterator, s, 0).
int iter_codes(lua_State* L) {
  const bool lax = lua_toboolean(L, 2) != 0;
  luaL_checkstring(L, kString);
  lua_pushcfunction(L, lax ? iter_auxlax : iter_auxstrict);
  lua_pushvalue(L, kString);
  lua_pushinteger(L, 0);
  return 3;
}

// A pattern matching one UTF-8 sequence (lead byte, then continuations).
// It contains a '\0', so its length is given explicitly.
constexpr char UTF8PATT[] = "[\0-\x7F\xC2-\xFD][\x80-\xBF]*";

// The registration list: names fixed by the language, functions by the
// rule of keeping Lua's names, so these lines are Lua's by necessity.
const luaL_Reg funcs[] = {
    {"offset", byteoffset}, {"codepoint", codepoint}, {"char", utfchar},
    {"len", utflen},        {"codes", iter_codes},    {"charpattern", nullptr},
    {nullptr, nullptr},
};

}  // namespace

int luaopen_utf8(lua_State* L) {
  luaL_newlib(L, funcs);
  lua_pushlstring(L, UTF8PATT, sizeof(UTF8PATT) - 1);
  lua_setfield(L, -2, "charpattern");
  return 1;
}
