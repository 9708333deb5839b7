/// \file
/// The string library: slicing and case (len, sub, rep, byte ...),
/// string.dump, the string metatable's arithmetic, pattern matching (find,
/// match, gmatch, gsub), string.format, and binary packing (pack, unpack,
/// packsize).
///
/// Mirrors: Lua 5.4 lstrlib.c
/// Book: chapter 10
///
/// Design: every function is a lua_CFunction written against lua.h and
/// lauxlib.h only, and every result is built in a luaL_Buffer, so a long
/// result costs one allocation per doubling, never one per character.
/// Positions follow the manual: 1-based, negative ones counted back from
/// the end, and clipped rather than refused.
///
/// Lua 5.4's virtual machine never converts a string to a number by
/// itself: `"10" + 1` fails the arithmetic fast path, and the instruction
/// calls the `__add` of the strings' metatable, which lives here. So the
/// coercion is a library rule, and a state without this library has none
/// (chapter 8's stage demo shows "attempt to perform arithmetic on a
/// string value").
///
/// The pattern matcher is Lua's backtracking one: `match` walks the
/// pattern and the subject together, loops where the rest of the match
/// is a tail call, and recurses only where it must be able to undo a
/// choice (quantifiers, captures, `?`).
///
/// - **Invariant NUMERAL.** An arithmetic operand converts when it is a
///   number, or a string that reads completely as a numeral
///   (lua_stringtonumber consumed all its bytes); `" 0x10 "` converts,
///   `"10x"` does not.
/// - **Invariant DEFER.** When an operand does not convert, the other
///   operand's own metamethod (if it is not a string) gets the operation;
///   without one, the error names the operation and both types: "attempt
///   to add a 'string' with a 'number'".
/// - **Invariant NUL-END.** Every string read through the API has a '\0'
///   one past its last byte (Lua strings always do). The matcher, the
///   replacement scanner and the format parser read that byte instead of
///   testing the bound: the "suffix" of a pattern's last item, the byte
///   after a final '%', the frontier at the end of the subject.
/// - **Invariant DEPTH.** MatchState::matchdepth is the number of nested
///   `match` calls still allowed (MAXCCALLS at rest). Each call takes one
///   and gives it back however it ends, a raised error included, so a
///   state that gmatch keeps between calls always starts at MAXCCALLS.
/// - **Invariant CAPTURES.** capture[0, level) are the captures opened so
///   far, in the order of their '('. Each is open (CAP_UNFINISHED), closed
///   (its length) or a position (CAP_POSITION); a branch of the match that
///   fails restores the level and the length it found.
/// - **Invariant LASTMATCH.** gsub and gmatch never accept an empty match
///   that ends where the previous match ended (the rule that makes
///   `("abc"):gsub("%w*", "-")` give "-" once per word).
/// - **Invariant FIRST-BYTE.** When a pattern opens with a plain
///   character that must occur, no match starts anywhere else, so an
///   unanchored search moves between candidate positions with memchr.
///   Skipping is unobservable: at a skipped position Lua's matcher fails
///   on the first item, before it reads (and could reject) the rest.
/// - **Invariant ITEM-ROOM.** A format conversion writes at most MAX_ITEM
///   bytes (MAX_ITEMF for '%f'): checkformat admits two-digit widths and
///   precisions only, and longer strings bypass snprintf.
/// - **Invariant PACK-ALIGN.** pack, unpack and packsize read a format
///   through the same getdetails, which computes each option's padding
///   from the running total, so the three always agree on a layout.
///
/// Differences from Lua (none changes a result or a message):
/// - '%a' and '%q' on floats use the C library's "%a", as Debian's
///   luaconf.h does; Lua's own hexadecimal formatter, for C libraries
///   without "%a", is left out because C++20's library has it.
/// - A match that raises an error ("pattern too complex", "invalid capture
///   index") gives its depth back (invariant DEPTH). Lua's longjmp skips
///   the increments, which leaves a gmatch iterator that goes on after
///   such an error with less depth, or with a count past zero that never
///   stops it again.
/// - Unanchored searches skip to the pattern's first byte with memchr
///   (invariant FIRST-BYTE), a plain "%d" is written without snprintf, and
///   string.rep doubles what it has written instead of copying once per
///   repetition; an empty result of string.rep is returned at once, where
///   Lua loops n times (`("").rep("", 1 << 40)` takes Lua hours).
/// - Class letters ("%a", "%D" ...) are folded to lower case as ASCII,
///   not with the locale's tolower: glibc's tolower is a call per test in
///   C++, and no locale maps another byte to an ASCII class letter.
#include <algorithm>
#include <bit>
#include <cctype>
#include <cfloat>
#include <climits>
#include <clocale>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <string_view>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// How many captures one pattern may hold (each index fits a byte).
constexpr int LUA_MAXCAPTURES = 32;

constexpr unsigned char uchar(char c) {
  return static_cast<unsigned char>(c);
}

// Lengths the library computes (string.rep, packsize) stay within int,
// which also keeps them within size_t.
constexpr size_t MAXSIZE =
    sizeof(size_t) < sizeof(int) ? SIZE_MAX : static_cast<size_t>(INT_MAX);

int str_len(lua_State* L) {
  size_t len = 0;
  luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, static_cast<lua_Integer>(len));
  return 1;
}

// A start position: negative counts back from the end, and the result is
// clipped to [1, inf). `pos` is compared with `-len` because `-pos`
// overflows for the minimum integer, and a string's length always fits
// a lua_Integer.
size_t posrelatI(lua_Integer pos, size_t len) {
  if (pos > 0) return static_cast<size_t>(pos);
  if (pos == 0 || pos < -static_cast<lua_Integer>(len)) return 1;
  return len + static_cast<size_t>(pos) + 1;
}

// An end position from optional argument `arg` (default `def`): negative
// counts back from the end, and the result is clipped to [0, len].
size_t getendpos(lua_State* L, int arg, lua_Integer def, size_t len) {
  const lua_Integer pos = luaL_optinteger(L, arg, def);
  const auto slen = static_cast<lua_Integer>(len);
  if (pos > slen) return len;
  if (pos >= 0) return static_cast<size_t>(pos);
  if (pos < -slen) return 0;
  return len + static_cast<size_t>(pos) + 1;
}

int str_sub(lua_State* L) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  const size_t first = posrelatI(luaL_checkinteger(L, 2), len);
  const size_t last = getendpos(L, 3, -1, len);
  if (first > last)
    lua_pushliteral(L, "");
  else
    lua_pushlstring(L, s + first - 1, last - first + 1);
  return 1;
}

// Pushes a string as long as argument 1 whose byte i is
// `byteat(s, len, i)`: the common shape of reverse, lower and upper.
template <typename ByteAt>
int mapbytes(lua_State* L, ByteAt byteat) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  luaL_Buffer b;
  char* out = luaL_buffinitsize(L, &b, len);
  for (size_t i = 0; i < len; i++) out[i] = byteat(s, len, i);
  luaL_pushresultsize(&b, len);
  return 1;
}

int str_reverse(lua_State* L) {
  return mapbytes(
      L, [](const char* s, size_t len, size_t i) { return s[len - 1 - i]; });
}

int str_lower(lua_State* L) {
  return mapbytes(L, [](const char* s, size_t, size_t i) {
    return static_cast<char>(std::tolower(uchar(s[i])));
  });
}

int str_upper(lua_State* L) {
  return mapbytes(L, [](const char* s, size_t, size_t i) {
    return static_cast<char>(std::toupper(uchar(s[i])));
  });
}

// n copies of s with n-1 separators between them, built in place in one
// buffer of the exact final size. The first "s sep" unit comes from the
// arguments; after it, each step copies everything written so far, so a
// long repetition takes a logarithmic number of memcpy calls.
int str_rep(lua_State* L) {
  size_t len = 0;
  size_t seplen = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  const lua_Integer n = luaL_checkinteger(L, 2);
  const char* sep = luaL_optlstring(L, 3, "", &seplen);
  const size_t unit = len + seplen;  // one copy and the separator after it
  if (n <= 0 || unit == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  if (unit < len || unit > MAXSIZE / static_cast<size_t>(n))
    return luaL_error(L, "resulting string too large");
  const size_t units = (static_cast<size_t>(n) - 1) * unit;  // all but last
  luaL_Buffer b;
  char* out = luaL_buffinitsize(L, &b, units + len);
  if (units > 0) {
    std::memcpy(out, s, len);
    std::memcpy(out + len, sep, seplen);
  }
  for (size_t done = unit; done < units;) {
    const size_t more = std::min(done, units - done);  // whole units
    std::memcpy(out + done, out, more);
    done += more;
  }
  std::memcpy(out + units, s, len);
  luaL_pushresultsize(&b, units + len);
  return 1;
}

// string.byte(s, i, j): the codes of s[i..j]; j defaults to i, which
// defaults to 1.
int str_byte(lua_State* L) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  const lua_Integer start = luaL_optinteger(L, 2, 1);
  const size_t first = posrelatI(start, len);
  const size_t last = getendpos(L, 3, start, len);
  if (first > last) return 0;  // an empty slice has no codes
  if (last - first >= static_cast<size_t>(INT_MAX))
    return luaL_error(L, "string slice too long");
  const int count = static_cast<int>(last - first) + 1;
  luaL_checkstack(L, count, "string slice too long");
  const char* slice = s + first - 1;
  for (int i = 0; i < count; i++) lua_pushinteger(L, uchar(slice[i]));
  return count;
}

int str_char(lua_State* L) {
  const int nargs = lua_gettop(L);
  luaL_Buffer b;
  char* out = luaL_buffinitsize(L, &b, static_cast<size_t>(nargs));
  for (int arg = 1; arg <= nargs; arg++) {
    // Negative codes wrap to huge unsigned ones and fail the same test.
    const auto code = static_cast<lua_Unsigned>(luaL_checkinteger(L, arg));
    luaL_argcheck(L, code <= UCHAR_MAX, arg, "value out of range");
    out[arg - 1] = static_cast<char>(code);
  }
  luaL_pushresultsize(&b, static_cast<size_t>(nargs));
  return 1;
}

// The dump collects into a buffer that starts with the first piece, not
// before: luaL_buffinit may push a slot, and lua_dump needs the function
// on top of the stack when it starts.
struct str_Writer {
  bool started = false;
  luaL_Buffer B;
};

int writer(lua_State* L, const void* piece, size_t size, void* ud) {
  auto& state = *static_cast<str_Writer*>(ud);
  if (!state.started) {
    luaL_buffinit(L, &state.B);
    state.started = true;
  }
  luaL_addlstring(&state.B, static_cast<const char*>(piece), size);
  return 0;
}

int str_dump(lua_State* L) {
  const int strip = lua_toboolean(L, 2);
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);  // the function on top, for lua_dump
  str_Writer state;
  if (lua_dump(L, writer, &state, strip) != 0)  // a C function
    return luaL_error(L, "unable to dump given function");
  if (!state.started) luaL_buffinit(L, &state.B);
  luaL_pushresult(&state.B);
  return 1;
}

// =====================================================================
// METAMETHODS
// =====================================================================

// Pushes the number value of argument `arg` (invariant NUMERAL) and
// returns true, or returns false when it has none. A string that reads as
// a numeral leaves its number pushed by lua_stringtonumber.
bool tonum(lua_State* L, int arg) {
  if (lua_type(L, arg) == LUA_TNUMBER) {
    lua_pushvalue(L, arg);
    return true;
  }
  std::size_t len;
  const char* s = lua_tolstring(L, arg, &len);
  return s != nullptr && lua_stringtonumber(L, s) == len + 1;
}

// Invariant DEFER: the operation goes to the second operand's metamethod
// `event` (its name, "__add" ...), or fails naming both types.
void trymt(lua_State* L, const char* event) {
  lua_settop(L, 2);
  const bool deferrable =
      lua_type(L, 2) != LUA_TSTRING && luaL_getmetafield(L, 2, event);
  if (!deferrable)
    luaL_error(L, "attempt to %s a '%s' with a '%s'", event + 2,
               luaL_typename(L, 1), luaL_typename(L, 2));
  lua_insert(L, 1);  // the metamethod below its two operands
  lua_call(L, 2, 1);
}

// The metamethod names of the operations strings take part in.
constexpr const char* eventname(int op) {
  switch (op) {
    case LUA_OPADD:
      return "__add";
    case LUA_OPSUB:
      return "__sub";
    case LUA_OPMUL:
      return "__mul";
    case LUA_OPMOD:
      return "__mod";
    case LUA_OPPOW:
      return "__pow";
    case LUA_OPDIV:
      return "__div";
    case LUA_OPIDIV:
      return "__idiv";
    default:
      return "__unm";
  }
}

// The metamethod of operation `op`: both operands converted, the
// operation redone on numbers; otherwise deferred. (Unary minus gets its
// operand twice, as every unary metamethod does.)
template <int op>
int arith(lua_State* L) {
  if (tonum(L, 1) && tonum(L, 2))
    lua_arith(L, op);
  else
    trymt(L, eventname(op));
  return 1;
}

// The metamethods of strings. Bitwise operators are absent on purpose:
// Lua 5.4 does not convert strings for them. "__index" is a placeholder
// that createmetatable fills.
const luaL_Reg stringmetamethods[] = {
    {eventname(LUA_OPADD), arith<LUA_OPADD>},
    {eventname(LUA_OPSUB), arith<LUA_OPSUB>},
    {eventname(LUA_OPMUL), arith<LUA_OPMUL>},
    {eventname(LUA_OPMOD), arith<LUA_OPMOD>},
    {eventname(LUA_OPPOW), arith<LUA_OPPOW>},
    {eventname(LUA_OPDIV), arith<LUA_OPDIV>},
    {eventname(LUA_OPIDIV), arith<LUA_OPIDIV>},
    {eventname(LUA_OPUNM), arith<LUA_OPUNM>},
    {"__index", nullptr},
    {nullptr, nullptr}};

// =====================================================================
// PATTERN MATCHING
// =====================================================================

// The two non-lengths a capture can hold (invariant CAPTURES).
constexpr ptrdiff_t CAP_UNFINISHED = -1;  // '(' seen, ')' not yet
constexpr ptrdiff_t CAP_POSITION = -2;    // "()": a position, no text

// The deepest nesting of `match` calls (invariant DEPTH): a bound on the
// C stack a pattern may take.
constexpr int MAXCCALLS = 200;

constexpr char L_ESC = '%';

// A pattern without any of these matches only its own text.
constexpr std::string_view SPECIALS = "^$*+?.([%-";

struct MatchState {
  const char* src_init;  // the subject
  const char* src_end;   // one past its last byte
  const char* p_end;     // one past the pattern's last byte
  lua_State* L;
  int matchdepth;       // invariant DEPTH
  unsigned char level;  // captures opened so far (invariant CAPTURES)
  int firstbyte;        // what every match starts with, or -1 (FIRST-BYTE)
  struct {
    const char* init;
    ptrdiff_t len;  // a length, CAP_UNFINISHED or CAP_POSITION
  } capture[LUA_MAXCAPTURES];
};

const char* match(MatchState& ms, const char* s, const char* p);

// Holds one level of `match` nesting for as long as it lives (invariant
// DEPTH); the check comes first, so a refused level is never taken.
class MatchDepth {
 public:
  explicit MatchDepth(MatchState& ms) : ms_(ms) {
    if (ms_.matchdepth == 0) luaL_error(ms_.L, "pattern too complex");
    ms_.matchdepth--;
  }
  ~MatchDepth() { ms_.matchdepth++; }
  MatchDepth(const MatchDepth&) = delete;
  MatchDepth& operator=(const MatchDepth&) = delete;

 private:
  MatchState& ms_;
};

// The capture that back reference `%<digit>` names: it must exist and be
// closed.
int check_capture(MatchState& ms, char digit) {
  const int index = digit - '1';
  const bool valid =
      index >= 0 && index < ms.level && ms.capture[index].len != CAP_UNFINISHED;
  if (!valid) return luaL_error(ms.L, "invalid capture index %%%d", index + 1);
  return index;
}

// The capture a ')' closes: the innermost one still open.
int capture_to_close(MatchState& ms) {
  for (int index = ms.level - 1; index >= 0; index--)
    if (ms.capture[index].len == CAP_UNFINISHED) return index;
  return luaL_error(ms.L, "invalid pattern capture");
}

// One past the single-character class at `p`: "%x", a set "[...]" or
// one plain character. In a set, the first character after '[' (or "[^")
// belongs to the set even when it is ']', and "%]" does not close it.
const char* classend(MatchState& ms, const char* p) {
  const char first = *p++;
  if (first == L_ESC) {
    if (p == ms.p_end) luaL_error(ms.L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (first != '[') return p;
  if (*p == '^') p++;
  do {
    if (p == ms.p_end) luaL_error(ms.L, "malformed pattern (missing ']')");
    const char c = *p++;
    if (c == L_ESC && p < ms.p_end) p++;  // the escaped character
  } while (*p != ']');                    // NUL-END at p_end
  return p + 1;
}

// Folds an ASCII letter to lower case. Class letters are the pattern's
// own ASCII letters, so their case is folded without the locale; the
// subject's bytes are classified by the C library (and its locale), as
// in Lua.
constexpr int asciilower(int c) {
  return 'A' <= c && c <= 'Z' ? c - 'A' + 'a' : c;
}

// Whether byte `c` is in the class of lower-case letter `letter`: 1 or 0,
// or -1 when the letter names no class.
int classmember(int c, int letter) {
  switch (letter) {
    case 'a':
      return std::isalpha(c) != 0;
    case 'c':
      return std::iscntrl(c) != 0;
    case 'd':
      return std::isdigit(c) != 0;
    case 'g':
      return std::isgraph(c) != 0;
    case 'l':
      return std::islower(c) != 0;
    case 'p':
      return std::ispunct(c) != 0;
    case 's':
      return std::isspace(c) != 0;
    case 'u':
      return std::isupper(c) != 0;
    case 'w':
      return std::isalnum(c) != 0;
    case 'x':
      return std::isxdigit(c) != 0;
    case 'z':
      return c == 0;  // deprecated, still accepted
    default:
      return -1;
  }
}

// Whether byte `c` belongs to class "%cl". An upper-case class letter is
// the complement of its lower-case one; any other `cl` is a literal.
bool match_class(int c, int cl) {
  const int letter = asciilower(cl);
  const int member = classmember(c, letter);
  if (member < 0) return cl == c;  // an escaped literal, such as "%."
  return (member == 1) == (cl == letter);
}

// Whether byte `c` belongs to the set whose '[' is at `p` and whose ']'
// is at `ec`. Inside, "%x" is a class, "a-z" a range, anything else a
// literal; a leading '^' complements the set.
bool matchbracketclass(int c, const char* p, const char* ec) {
  const bool complemented = p[1] == '^';
  if (complemented) p++;
  for (p++; p < ec; p++) {
    bool hit = false;
    if (*p == L_ESC) {
      p++;
      hit = match_class(c, uchar(*p));
    } else if (p[1] == '-' && p + 2 < ec) {
      hit = uchar(p[0]) <= c && c <= uchar(p[2]);
      p += 2;
    } else {
      hit = uchar(*p) == c;
    }
    if (hit) return !complemented;
  }
  return complemented;
}

// Whether the subject byte at `s` exists and belongs to the class from
// `p` to `ep`.
bool singlematch(const MatchState& ms, const char* s, const char* p,
                 const char* ep) {
  if (s >= ms.src_end) return false;
  const int c = uchar(*s);
  switch (*p) {
    case '.':
      return true;
    case L_ESC:
      return match_class(c, uchar(p[1]));
    case '[':
      return matchbracketclass(c, p, ep - 1);
    default:
      return uchar(*p) == c;
  }
}

// "%bxy" at `s` (`p` points at x): the end of the shortest run from an x
// to the y that balances it, or null.
const char* matchbalance(MatchState& ms, const char* s, const char* p) {
  if (p >= ms.p_end - 1)
    luaL_error(ms.L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms.src_end || *s != p[0]) return nullptr;
  const char open = p[0];
  const char close = p[1];
  int depth = 1;
  while (++s < ms.src_end) {
    if (*s == close) {  // tested first: "%bxx" closes at the next x
      if (--depth == 0) return s + 1;
    } else if (*s == open) {
      depth++;
    }
  }
  return nullptr;
}

// "x*" (and the rest of "x+"): take every x there is, then give them back
// one at a time until the pattern after `ep` matches.
const char* max_expand(MatchState& ms, const char* s, const char* p,
                       const char* ep) {
  ptrdiff_t count = 0;
  while (singlematch(ms, s + count, p, ep)) count++;
  for (; count >= 0; count--)
    if (const char* res = match(ms, s + count, ep + 1)) return res;
  return nullptr;
}

// "x-": try the rest of the pattern first, and take one more x only when
// it fails.
const char* min_expand(MatchState& ms, const char* s, const char* p,
                       const char* ep) {
  for (;; s++) {
    if (const char* res = match(ms, s, ep + 1)) return res;
    if (!singlematch(ms, s, p, ep)) return nullptr;
  }
}

// Opens capture number `level` at `s` (`what` is CAP_UNFINISHED or
// CAP_POSITION) and matches the rest; a failure closes it again.
const char* start_capture(MatchState& ms, const char* s, const char* p,
                          ptrdiff_t what) {
  if (ms.level >= LUA_MAXCAPTURES) luaL_error(ms.L, "too many captures");
  ms.capture[ms.level].init = s;
  ms.capture[ms.level].len = what;
  ms.level++;
  const char* res = match(ms, s, p);
  if (res == nullptr) ms.level--;
  return res;
}

// Closes the innermost open capture at `s` and matches the rest; a
// failure reopens it.
const char* end_capture(MatchState& ms, const char* s, const char* p) {
  auto& cap = ms.capture[capture_to_close(ms)];
  cap.len = s - cap.init;
  const char* res = match(ms, s, p);
  if (res == nullptr) cap.len = CAP_UNFINISHED;
  return res;
}

// "%1".."%9": the same text as that capture, at `s`. (A position capture
// has a negative length, which as a size never fits.)
const char* match_capture(MatchState& ms, const char* s, char digit) {
  const auto& cap = ms.capture[check_capture(ms, digit)];
  const auto len = static_cast<size_t>(cap.len);
  const auto left = static_cast<size_t>(ms.src_end - s);
  if (left < len || std::memcmp(cap.init, s, len) != 0) return nullptr;
  return s + len;
}

// "%f[set]" at `s` (`p` just after the 'f'): the byte before `s` ('\0' at
// the start) is outside the set and the byte at `s` ('\0' at the end, by
// NUL-END) is inside. Moves `p` past the set.
bool matchfrontier(MatchState& ms, const char* s, const char*& p) {
  if (*p != '[') luaL_error(ms.L, "missing '[' after '%%f' in pattern");
  const char* set = p;
  p = classend(ms, set);
  const char previous = s == ms.src_init ? '\0' : s[-1];
  return !matchbracketclass(uchar(previous), set, p - 1) &&
         matchbracketclass(uchar(*s), set, p - 1);
}

// Whether `p` (at a '%') starts an item that is not a class: "%b", "%f"
// or a back reference.
bool isspecialescape(const char* p) {
  return p[1] == 'b' || p[1] == 'f' || std::isdigit(uchar(p[1]));
}

// Matches the special escape at `p` against the subject at `s`; returns
// the subject position after it (null on failure) and moves `p` past it.
const char* match_escape(MatchState& ms, const char* s, const char*& p) {
  switch (p[1]) {
    case 'b':
      s = matchbalance(ms, s, p + 2);
      p += 4;  // "%bxy"
      return s;
    case 'f':
      p += 2;
      return matchfrontier(ms, s, p) ? s : nullptr;
    default:
      s = match_capture(ms, s, p[1]);
      p += 2;
      return s;
  }
}

// Matches pattern `p` (to p_end) at subject position `s`: the end of the
// match, or null. Items whose match is final continue the loop; only
// those that may have to be undone recurse.
const char* match(MatchState& ms, const char* s, const char* p) {
  const MatchDepth depth(ms);
  while (p != ms.p_end) {
    switch (*p) {
      case '(':
        if (p[1] == ')') return start_capture(ms, s, p + 2, CAP_POSITION);
        return start_capture(ms, s, p + 1, CAP_UNFINISHED);
      case ')':
        return end_capture(ms, s, p + 1);
      case '$':
        if (p + 1 == ms.p_end) return s == ms.src_end ? s : nullptr;
        break;  // a '$' before the end is a plain character
      case L_ESC:
        if (!isspecialescape(p)) break;  // a class: a single item
        s = match_escape(ms, s, p);
        if (s == nullptr) return nullptr;
        continue;
      default:
        break;
    }
    // A single item, with its optional suffix (NUL-END past the end).
    const char* ep = classend(ms, p);
    const char suffix = *ep;
    if (!singlematch(ms, s, p, ep)) {
      if (suffix != '*' && suffix != '?' && suffix != '-') return nullptr;
      p = ep + 1;  // zero repetitions are allowed
      continue;
    }
    switch (suffix) {
      case '?':
        if (const char* res = match(ms, s + 1, ep + 1)) return res;
        p = ep + 1;
        continue;
      case '+':
        return max_expand(ms, s + 1, p, ep);
      case '*':
        return max_expand(ms, s, p, ep);
      case '-':
        return min_expand(ms, s, p, ep);
      default:
        s++;
        p = ep;
        continue;
    }
  }
  return s;
}

// Where `needle` first occurs in `hay`, or null; the empty needle occurs
// at the start.
const char* lmemfind(const char* hay, size_t hlen, const char* needle,
                     size_t nlen) {
  const size_t at =
      std::string_view(hay, hlen).find(std::string_view(needle, nlen));
  return at == std::string_view::npos ? nullptr : hay + at;
}

// Capture `i` as its text (`cap`, and the length returned). A position
// capture pushes its position and returns CAP_POSITION. With no captures
// at all, capture 0 is the whole match s..e.
ptrdiff_t get_onecapture(MatchState& ms, int i, const char* s, const char* e,
                         const char*& cap) {
  if (i >= ms.level) {
    if (i != 0) luaL_error(ms.L, "invalid capture index %%%d", i + 1);
    cap = s;
    return e - s;
  }
  const auto& capture = ms.capture[i];
  cap = capture.init;
  if (capture.len == CAP_UNFINISHED) luaL_error(ms.L, "unfinished capture");
  if (capture.len == CAP_POSITION)
    lua_pushinteger(ms.L, capture.init - ms.src_init + 1);
  return capture.len;
}

void push_onecapture(MatchState& ms, int i, const char* s, const char* e) {
  const char* cap = nullptr;
  const ptrdiff_t len = get_onecapture(ms, i, s, e, cap);
  if (len != CAP_POSITION) lua_pushlstring(ms.L, cap, len);
}

// Pushes every capture, or the whole match s..e when there are none (and
// `s` is not null: find pushes its captures only).
int push_captures(MatchState& ms, const char* s, const char* e) {
  const int count = ms.level == 0 && s != nullptr ? 1 : ms.level;
  luaL_checkstack(ms.L, count, "too many captures");
  for (int i = 0; i < count; i++) push_onecapture(ms, i, s, e);
  return count;
}

bool nospecials(const char* p, size_t lp) {
  return std::string_view(p, lp).find_first_of(SPECIALS) ==
         std::string_view::npos;
}

// The byte every match of `p` must start with, or -1: a pattern that
// opens with a plain character which must occur (no '*', '?' or '-'
// after it) has one. A '\0' (or '$') there is not worth the special case.
int firstliteral(const char* p, const char* p_end) {
  if (p == p_end || std::strchr("()%.[$", *p) != nullptr) return -1;
  const char suffix = p[1];  // NUL-END when p is the last character
  if (suffix == '*' || suffix == '?' || suffix == '-') return -1;
  return uchar(*p);
}

void prepstate(MatchState& ms, lua_State* L, const char* s, size_t ls,
               const char* p, size_t lp) {
  ms.L = L;
  ms.matchdepth = MAXCCALLS;
  ms.src_init = s;
  ms.src_end = s + ls;
  ms.p_end = p + lp;
  ms.firstbyte = firstliteral(p, ms.p_end);
}

// The first position from `s` where an unanchored match can start
// (invariant FIRST-BYTE): the next occurrence of the first byte, or the
// end of the subject when there is none.
const char* skipto(const MatchState& ms, const char* s) {
  if (ms.firstbyte < 0 || s >= ms.src_end) return s;
  const void* at =
      std::memchr(s, ms.firstbyte, static_cast<size_t>(ms.src_end - s));
  return at != nullptr ? static_cast<const char*>(at) : ms.src_end;
}

// Forgets the captures of a previous attempt.
void reprepstate(MatchState& ms) {
  ms.level = 0;
  lua_assert(ms.matchdepth == MAXCCALLS);
}

// The anchor '^' of a pattern: strips it, and tells whether there was one.
bool stripanchor(const char*& p, size_t& lp) {
  if (*p != '^') return false;
  p++;
  lp--;
  return true;
}

// find with a plain pattern: its first occurrence in s from `init`.
int str_find_plain(lua_State* L, const char* s, size_t ls, size_t init,
                   const char* p, size_t lp) {
  const char* at = lmemfind(s + init, ls - init, p, lp);
  if (at == nullptr) {
    luaL_pushfail(L);
    return 1;
  }
  lua_pushinteger(L, at - s + 1);
  lua_pushinteger(L, at - s + static_cast<ptrdiff_t>(lp));
  return 2;
}

// find and match: try the pattern at each position from `init` (only
// there when it starts with '^'). find answers the match's bounds and its
// captures, match the captures or the whole match.
int str_find_aux(lua_State* L, bool find) {
  size_t ls = 0;
  size_t lp = 0;
  const char* s = luaL_checklstring(L, 1, &ls);
  const char* p = luaL_checklstring(L, 2, &lp);
  const size_t init = posrelatI(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) {  // nothing can start past the end
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || nospecials(p, lp)))
    return str_find_plain(L, s, ls, init, p, lp);
  const bool anchor = stripanchor(p, lp);
  MatchState ms;
  prepstate(ms, L, s, ls, p, lp);
  for (const char* start = s + init;; start++) {
    if (!anchor) start = skipto(ms, start);
    reprepstate(ms);
    if (const char* end = match(ms, start, p)) {
      if (!find) return push_captures(ms, start, end);
      lua_pushinteger(L, start - s + 1);
      lua_pushinteger(L, end - s);
      return push_captures(ms, nullptr, nullptr) + 2;
    }
    if (anchor || start == ms.src_end) break;
  }
  luaL_pushfail(L);
  return 1;
}

int str_find(lua_State* L) {
  return str_find_aux(L, true);
}

int str_match(lua_State* L) {
  return str_find_aux(L, false);
}

// What a gmatch iterator carries from call to call, in a userdata that
// is its third upvalue (the subject and the pattern are the first two,
// which keeps them alive).
struct GMatchState {
  const char* src;        // where the next search starts
  const char* p;          // the pattern
  const char* lastmatch;  // end of the previous match (LASTMATCH)
  MatchState ms;
};

int gmatch_aux(lua_State* L) {
  auto& gm = *static_cast<GMatchState*>(lua_touserdata(L, lua_upvalueindex(3)));
  gm.ms.L = L;  // the iterator may run in another coroutine
  for (const char* src = gm.src; src <= gm.ms.src_end; src++) {
    src = skipto(gm.ms, src);
    reprepstate(gm.ms);
    const char* e = match(gm.ms, src, gm.p);
    if (e != nullptr && e != gm.lastmatch) {
      gm.src = gm.lastmatch = e;
      return push_captures(gm.ms, src, e);
    }
  }
  return 0;  // no more matches
}

// gmatch never anchors: a leading '^' is a plain character here.
int gmatch(lua_State* L) {
  size_t ls = 0;
  size_t lp = 0;
  const char* s = luaL_checklstring(L, 1, &ls);
  const char* p = luaL_checklstring(L, 2, &lp);
  // Past the end means "no matches"; ls + 1 keeps s + init in bounds.
  const size_t init =
      std::min(posrelatI(luaL_optinteger(L, 3, 1), ls) - 1, ls + 1);
  lua_settop(L, 2);
  void* block = lua_newuserdatauv(L, sizeof(GMatchState), 0);
  auto* gm = new (block) GMatchState{};
  prepstate(gm->ms, L, s, ls, p, lp);
  gm->src = s + init;
  gm->p = p;
  gm->lastmatch = nullptr;
  lua_pushcclosure(L, gmatch_aux, 3);
  return 1;
}

// gsub's replacement (argument 3): its type, and for a string or number
// its text.
struct Replacement {
  int type;
  std::string_view text;
};

// Appends capture `index` (or the whole match, with no captures) to `b`.
void add_capture(MatchState& ms, luaL_Buffer& b, int index, const char* s,
                 const char* e) {
  const char* cap = nullptr;
  const ptrdiff_t len = get_onecapture(ms, index, s, e, cap);
  if (len == CAP_POSITION)
    luaL_addvalue(&b);  // the position get_onecapture pushed
  else
    luaL_addlstring(&b, cap, static_cast<size_t>(len));
}

// Appends a replacement string with its "%0".."%9" and "%%" expanded.
void add_s(MatchState& ms, luaL_Buffer& b, const char* s, const char* e,
           std::string_view text) {
  for (size_t esc; (esc = text.find(L_ESC)) != std::string_view::npos;) {
    luaL_addlstring(&b, text.data(), esc);
    const char what = text.data()[esc + 1];  // NUL-END after a final '%'
    if (what == L_ESC)
      luaL_addchar(&b, L_ESC);
    else if (what == '0')
      luaL_addlstring(&b, s, static_cast<size_t>(e - s));
    else if (std::isdigit(uchar(what)))
      add_capture(ms, b, what - '1', s, e);
    else
      luaL_error(ms.L, "invalid use of '%c' in replacement string", L_ESC);
    text.remove_prefix(esc + 2);
  }
  luaL_addlstring(&b, text.data(), text.size());
}

// Appends what replaces the match s..e, and tells whether it changed the
// subject: a function or table that answers nil or false keeps the
// original text.
bool add_value(MatchState& ms, luaL_Buffer& b, const char* s, const char* e,
               const Replacement& repl) {
  lua_State* L = ms.L;
  if (repl.type == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    const int nargs = push_captures(ms, s, e);
    lua_call(L, nargs, 1);
  } else if (repl.type == LUA_TTABLE) {
    push_onecapture(ms, 0, s, e);  // the key is the first capture
    lua_gettable(L, 3);
  } else {
    add_s(ms, b, s, e, repl.text);
    return true;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(&b, s, static_cast<size_t>(e - s));
    return false;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)",
                      luaL_typename(L, -1));
  luaL_addvalue(&b);
  return true;
}

// The text of a string or number replacement, converted once (in its
// stack slot, which keeps it alive).
Replacement getreplacement(lua_State* L, int type) {
  Replacement repl{type, {}};
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    size_t len = 0;
    const char* text = lua_tolstring(L, 3, &len);
    repl.text = std::string_view(text, len);
  }
  return repl;
}

// The loop of gsub: appends the subject with up to `max_s` matches of `p`
// replaced to `b` (when one changed it), and counts them in `n`.
// Unmatched stretches of the subject are copied in whole runs: `kept` is
// the start of the run not yet copied. Tells whether any replacement
// changed the text.
bool gsub_all(MatchState& ms, luaL_Buffer& b, const char* p, bool anchor,
              lua_Integer max_s, const Replacement& repl, lua_Integer& n) {
  const char* src = ms.src_init;
  const char* kept = src;
  const char* lastmatch = nullptr;
  bool changed = false;
  while (n < max_s) {
    if (!anchor) src = skipto(ms, src);
    reprepstate(ms);
    const char* e = match(ms, src, p);
    if (e != nullptr && e != lastmatch) {
      n++;
      luaL_addlstring(&b, kept, static_cast<size_t>(src - kept));
      changed = add_value(ms, b, src, e, repl) || changed;
      src = lastmatch = kept = e;
    } else if (src < ms.src_end) {
      src++;  // the byte stays: it joins the run to copy
    } else {
      break;
    }
    if (anchor) break;
  }
  if (changed)  // otherwise the caller answers the subject itself
    luaL_addlstring(&b, kept, static_cast<size_t>(ms.src_end - kept));
  return changed;
}

int str_gsub(lua_State* L) {
  size_t srcl = 0;
  size_t lp = 0;
  const char* src = luaL_checklstring(L, 1, &srcl);
  const char* p = luaL_checklstring(L, 2, &lp);
  const int tr = lua_type(L, 3);
  const lua_Integer max_s =
      luaL_optinteger(L, 4, static_cast<lua_Integer>(srcl) + 1);
  luaL_argexpected(L,
                   tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                       tr == LUA_TFUNCTION || tr == LUA_TTABLE,
                   3, "string/function/table");
  const Replacement repl = getreplacement(L, tr);
  const bool anchor = stripanchor(p, lp);
  MatchState ms;
  prepstate(ms, L, src, srcl, p, lp);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  lua_Integer n = 0;
  if (gsub_all(ms, b, p, anchor, max_s, repl, n))
    luaL_pushresult(&b);
  else
    lua_pushvalue(L, 1);  // the subject itself, unchanged
  lua_pushinteger(L, n);
  return 2;
}

// =====================================================================
// STRING FORMAT
// =====================================================================

// The longest '%f' result (invariant ITEM-ROOM): "%99.99f" of -DBL_MAX,
// that is 99 decimals, a digit per power of ten, sign, point and NUL,
// with some slack.
constexpr size_t MAX_ITEMF = 110 + DBL_MAX_10_EXP;

// The longest result of any other conversion: at most 99 significant
// digits plus "0x", sign, point, exponent and NUL, with some slack.
constexpr size_t MAX_ITEM = 120;

// The flags each family of conversions accepts.
constexpr const char* L_FMTFLAGSF = "-+#0 ";  // a A e E f g G
constexpr const char* L_FMTFLAGSX = "-#0";    // o x X
constexpr const char* L_FMTFLAGSI = "-+0 ";   // d i
constexpr const char* L_FMTFLAGSU = "-0";     // u
constexpr const char* L_FMTFLAGSC = "-";      // c p s

// Room for one conversion specification such as "%-099.99d", with its
// length modifier and NUL.
constexpr size_t MAX_FORMAT = 32;

// The characters that %q writes with a backslash.
bool needsescape(char c) {
  return c == '"' || c == '\\' || c == '\n' || std::iscntrl(uchar(c));
}

// Writes the escape for `*s`. A control character becomes a decimal
// escape, padded to three digits when a digit follows it (which would
// otherwise join the number); the byte after the last one is '\0'
// (NUL-END), which is no digit.
void addescape(luaL_Buffer& b, const char* s) {
  if (*s == '"' || *s == '\\' || *s == '\n') {
    luaL_addchar(&b, '\\');
    luaL_addchar(&b, *s);
    return;
  }
  const char* form = std::isdigit(uchar(s[1])) ? "\\%03d" : "\\%d";
  char escape[8];
  const int len = std::snprintf(escape, sizeof escape, form, uchar(*s));
  luaL_addlstring(&b, escape, static_cast<size_t>(len));
}

// A string as a Lua literal that reads back as the same bytes; runs of
// bytes that need no escape are copied whole.
void addquoted(luaL_Buffer& b, const char* s, size_t len) {
  const char* end = s + len;
  luaL_addchar(&b, '"');
  while (s < end) {
    const char* run = s;
    while (s < end && !needsescape(*s)) s++;
    luaL_addlstring(&b, run, static_cast<size_t>(s - run));
    if (s == end) break;
    addescape(b, s++);
  }
  luaL_addchar(&b, '"');
}

// A float as a numeral that reads back as the same value: hexadecimal
// for finite numbers (exact), and expressions for the rest, since no
// numeral reads as a NaN. Writes to `buff` and returns the length.
int quotefloat(char* buff, lua_Number n) {
  if (n == HUGE_VAL) return std::snprintf(buff, MAX_ITEM, "1e9999");
  if (n == -HUGE_VAL) return std::snprintf(buff, MAX_ITEM, "-1e9999");
  if (n != n) return std::snprintf(buff, MAX_ITEM, "(0/0)");
  const int len = std::snprintf(buff, MAX_ITEM, "%a", n);
  // Lua reads a '.' whatever the locale says the radix point is.
  const char point = std::localeconv()->decimal_point[0];
  if (std::memchr(buff, '.', static_cast<size_t>(len)) == nullptr) {
    auto* at = static_cast<char*>(std::memchr(buff, point, len));
    if (at != nullptr) *at = '.';
  }
  return len;
}

// Formats one value with `form` straight into the buffer, which has room
// for `maxitem` bytes there (invariant ITEM-ROOM).
template <typename Value>
void addformatted(luaL_Buffer& b, size_t maxitem, const char* form,
                  Value value) {
  char* buff = luaL_prepbuffsize(&b, maxitem);
  const int len = std::snprintf(buff, maxitem, form, value);
  luaL_addsize(&b, static_cast<size_t>(len));
}

// %q: argument `arg` as a literal that load reads back as an equal value.
// The minimum integer is written in hexadecimal, because "-9223...808"
// reads as minus a float.
void addliteral(lua_State* L, luaL_Buffer& b, int arg) {
  switch (lua_type(L, arg)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, arg, &len);
      addquoted(b, s, len);
      return;
    }
    case LUA_TNUMBER: {
      if (lua_isinteger(L, arg)) {
        const lua_Integer n = lua_tointeger(L, arg);
        const char* form = n == LUA_MININTEGER ? "0x%llx" : "%lld";
        addformatted(b, MAX_ITEM, form, static_cast<long long>(n));
      } else {
        char* buff = luaL_prepbuffsize(&b, MAX_ITEM);
        luaL_addsize(
            &b, static_cast<size_t>(quotefloat(buff, lua_tonumber(L, arg))));
      }
      return;
    }
    case LUA_TNIL:
    case LUA_TBOOLEAN:
      luaL_tolstring(L, arg, nullptr);
      luaL_addvalue(&b);
      return;
    default:
      luaL_argerror(L, arg, "value has no literal form");
  }
}

// Skips a number of at most two digits.
const char* get2digits(const char* s) {
  for (int i = 0; i < 2 && std::isdigit(uchar(*s)); i++) s++;
  return s;
}

// Checks that specification `form` ("%" ... conversion) has only the
// given flags, a width of at most two digits (not starting with '0',
// which is a flag), and, when `precision` allows, a '.' and a precision
// of at most two digits.
void checkformat(lua_State* L, const char* form, const char* flags,
                 bool precision) {
  const char* spec = form + 1;
  spec += std::strspn(spec, flags);
  if (*spec != '0') {
    spec = get2digits(spec);
    if (*spec == '.' && precision) spec = get2digits(spec + 1);
  }
  if (!std::isalpha(uchar(*spec)))  // something left before the letter
    luaL_error(L, "invalid conversion specification: '%s'", form);
}

// One conversion specification as snprintf takes it: '%', then flags,
// width and precision, then the conversion character, then NUL, with
// room left to insert a length modifier.
struct FormatSpec {
  char form[MAX_FORMAT];
  size_t len;       // of the text in `form`, the conversion included
  char conversion;  // its last character (it may be a '\0' of the format)

  // Whether the specification is only '%' and the conversion.
  bool plain() const { return len == 2; }
};

// Reads the specification that starts at `strfrmt` (just after its '%'):
// the flags, digits and '.' that follow, and one more character, the
// conversion. Returns where the format goes on.
const char* getformat(lua_State* L, const char* strfrmt, FormatSpec& spec) {
  const size_t len = std::strspn(strfrmt, "-+#0 123456789.") + 1;
  if (len >= MAX_FORMAT - 10)  // leaves room for '%', modifier and NUL
    luaL_error(L, "invalid format (too long)");
  spec.form[0] = '%';
  std::memcpy(spec.form + 1, strfrmt, len);
  spec.form[len + 1] = '\0';
  spec.len = len + 1;
  spec.conversion = strfrmt[len - 1];
  return strfrmt + len;
}

// Puts length modifier `lenmod` before the conversion character.
void addlenmod(FormatSpec& spec, std::string_view lenmod) {
  char* at = spec.form + spec.len - 1;
  std::memcpy(at, lenmod.data(), lenmod.size());
  at[lenmod.size()] = spec.conversion;
  at[lenmod.size() + 1] = '\0';
  spec.len += lenmod.size();
}

// A plain "%d": the decimal digits written from the right, with no call
// to snprintf (the common case of format-heavy programs).
void adddecimal(luaL_Buffer& b, lua_Integer n) {
  char digits[24];  // 19 digits, the sign, and slack
  char* first = digits + sizeof digits;
  const bool negative = n < 0;
  lua_Unsigned u = static_cast<lua_Unsigned>(n);
  if (negative) u = 0u - u;  // the minimum integer too
  do {
    *--first = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (negative) *--first = '-';
  luaL_addlstring(&b, first,
                  static_cast<size_t>(digits + sizeof digits - first));
}

// %d %i %u %o %x %X: the argument must be an integer (a float with an
// integral value, or a string that converts to one).
void format_integer(lua_State* L, luaL_Buffer& b, int arg, FormatSpec& spec,
                    const char* flags) {
  const lua_Integer n = luaL_checkinteger(L, arg);
  if (spec.plain() && (spec.conversion == 'd' || spec.conversion == 'i'))
    return adddecimal(b, n);
  checkformat(L, spec.form, flags, true);
  addlenmod(spec, LUA_INTEGER_FRMLEN);
  addformatted(b, MAX_ITEM, spec.form, static_cast<LUAI_UACINT>(n));
}

// %e %E %f %g %G, and %a %A which check the specification before the
// argument, as Lua does.
void format_float(lua_State* L, luaL_Buffer& b, int arg, FormatSpec& spec) {
  const bool hex = spec.conversion == 'a' || spec.conversion == 'A';
  if (hex) checkformat(L, spec.form, L_FMTFLAGSF, true);
  const lua_Number n = luaL_checknumber(L, arg);
  if (!hex) checkformat(L, spec.form, L_FMTFLAGSF, true);
  addlenmod(spec, LUA_NUMBER_FRMLEN);
  const size_t maxitem = spec.conversion == 'f' ? MAX_ITEMF : MAX_ITEM;
  addformatted(b, maxitem, spec.form, static_cast<LUAI_UACNUMBER>(n));
}

// %p: the address of a collectable value, "(null)" for any other.
void format_pointer(lua_State* L, luaL_Buffer& b, int arg, FormatSpec& spec) {
  const void* p = lua_topointer(L, arg);
  checkformat(L, spec.form, L_FMTFLAGSC, false);
  if (p != nullptr) {
    addformatted(b, MAX_ITEM, spec.form, p);
    return;
  }
  spec.form[spec.len - 1] = 's';  // printf's %p of null varies
  addformatted(b, MAX_ITEM, spec.form, "(null)");
}

// %s: any value, through __tostring and __name as tostring does. Without
// modifiers, or without a precision on a string of 100 bytes or more,
// the whole string is kept; otherwise snprintf pads or cuts it.
void format_string(lua_State* L, luaL_Buffer& b, int arg,
                   const FormatSpec& spec) {
  if (spec.plain()) {
    luaL_tolstring(L, arg, nullptr);
    luaL_addvalue(&b);
    return;
  }
  // Room first: luaL_tolstring pushes its result above the buffer slot.
  char* buff = luaL_prepbuffsize(&b, MAX_ITEM);
  size_t len = 0;
  const char* s = luaL_tolstring(L, arg, &len);
  luaL_argcheck(L, len == std::strlen(s), arg, "string contains zeros");
  checkformat(L, spec.form, L_FMTFLAGSC, true);
  if (std::strchr(spec.form, '.') == nullptr && len >= 100) {
    luaL_addvalue(&b);
    return;
  }
  const int written = std::snprintf(buff, MAX_ITEM, spec.form, s);
  lua_pop(L, 1);
  luaL_addsize(&b, static_cast<size_t>(written));
}

// %c: a byte, perhaps padded to a width.
void format_char(lua_State* L, luaL_Buffer& b, int arg,
                 const FormatSpec& spec) {
  checkformat(L, spec.form, L_FMTFLAGSC, false);
  const auto c = static_cast<int>(luaL_checkinteger(L, arg));
  addformatted(b, MAX_ITEM, spec.form, c);
}

// One conversion of argument `arg`.
void addformatitem(lua_State* L, luaL_Buffer& b, int arg, FormatSpec& spec) {
  switch (spec.conversion) {
    case 'c':
      return format_char(L, b, arg, spec);
    case 'd':
    case 'i':
      return format_integer(L, b, arg, spec, L_FMTFLAGSI);
    case 'u':
      return format_integer(L, b, arg, spec, L_FMTFLAGSU);
    case 'o':
    case 'x':
    case 'X':
      return format_integer(L, b, arg, spec, L_FMTFLAGSX);
    case 'a':
    case 'A':
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G':
      return format_float(L, b, arg, spec);
    case 'p':
      return format_pointer(L, b, arg, spec);
    case 'q':
      if (!spec.plain()) luaL_error(L, "specifier '%%q' cannot have modifiers");
      return addliteral(L, b, arg);
    case 's':
      return format_string(L, b, arg, spec);
    default:  // also the C modifiers Lua does not take: n, L, l, h
      luaL_error(L, "invalid conversion '%s' to 'format'", spec.form);
  }
}

// Literal text goes to the buffer in runs, up to the next '%'.
int str_format(lua_State* L) {
  const int top = lua_gettop(L);
  size_t sfl = 0;
  const char* strfrmt = luaL_checklstring(L, 1, &sfl);
  const char* const strfrmt_end = strfrmt + sfl;
  int arg = 1;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (strfrmt < strfrmt_end) {
    const auto left = static_cast<size_t>(strfrmt_end - strfrmt);
    const auto* esc =
        static_cast<const char*>(std::memchr(strfrmt, L_ESC, left));
    if (esc == nullptr) {
      luaL_addlstring(&b, strfrmt, left);
      break;
    }
    luaL_addlstring(&b, strfrmt, static_cast<size_t>(esc - strfrmt));
    strfrmt = esc + 1;
    if (*strfrmt == L_ESC) {  // "%%"
      luaL_addchar(&b, L_ESC);
      strfrmt++;
      continue;
    }
    if (++arg > top) return luaL_argerror(L, arg, "no value");
    FormatSpec spec;
    strfrmt = getformat(L, strfrmt, spec);
    addformatitem(L, b, arg, spec);
  }
  luaL_pushresult(&b);
  return 1;
}

// =====================================================================
// PACK/UNPACK
// =====================================================================

// What padding bytes hold.
constexpr char LUAL_PACKPADBYTE = 0x00;

// The widest integer pack takes ("i16").
constexpr int MAXINTSIZE = 16;

constexpr int NB = CHAR_BIT;                // bits in a byte
constexpr unsigned MC = (1u << NB) - 1;     // a byte's mask
constexpr int SZINT = sizeof(lua_Integer);  // bytes in a lua_Integer
constexpr bool nativelittle = std::endian::native == std::endian::little;

// The strictest alignment "!" asks for by default: the native one.
union MaxAlign {
  LUAI_MAXALIGN;
};

// The state of one reading of a format: the current endianness and the
// maximum alignment ("<", ">", "=", "!n" change them as it goes).
struct Header {
  lua_State* L;
  bool islittle;
  int maxalign;
};

enum class KOption : int {
  Kint,        // signed integers
  Kuint,       // unsigned integers
  Kfloat,      // C float
  Knumber,     // lua_Number
  Kdouble,     // C double
  Kchar,       // fixed-length strings
  Kstring,     // strings preceded by their length
  Kzstr,       // zero-terminated strings
  Kpadding,    // one padding byte
  Kpaddalign,  // padding up to an alignment
  Knop         // settings and spaces
};

// One option of a format: its kind and size in bytes.
struct Option {
  KOption kind;
  int size;
};

bool digit(char c) {
  return '0' <= c && c <= '9';
}

// The numeral at `fmt` (moved past it), or `df` when there is none. The
// reading stops before the value could leave MAXSIZE.
int getnum(const char*& fmt, int df) {
  if (!digit(*fmt)) return df;
  int value = 0;
  do {
    value = value * 10 + (*fmt++ - '0');
  } while (digit(*fmt) && value <= (static_cast<int>(MAXSIZE) - 9) / 10);
  return value;
}

// An optional integer size, which must lie in [1, MAXINTSIZE].
int getnumlimit(Header& h, const char*& fmt, int df) {
  const int size = getnum(fmt, df);
  if (size > MAXINTSIZE || size <= 0)
    luaL_error(h.L, "integral size (%d) out of limits [1,%d]", size,
               MAXINTSIZE);
  return size;
}

Header initheader(lua_State* L) {
  return Header{L, nativelittle, 1};
}

// The options whose letter says all: the native C types, Lua's own,
// 'z' (its size comes with the data), and the padding options.
struct FixedOption {
  char name;
  Option option;
};
constexpr FixedOption fixedoptions[] = {
    {'b', {KOption::Kint, sizeof(char)}},
    {'B', {KOption::Kuint, sizeof(char)}},
    {'h', {KOption::Kint, sizeof(short)}},
    {'H', {KOption::Kuint, sizeof(short)}},
    {'l', {KOption::Kint, sizeof(long)}},
    {'L', {KOption::Kuint, sizeof(long)}},
    {'j', {KOption::Kint, sizeof(lua_Integer)}},
    {'J', {KOption::Kuint, sizeof(lua_Integer)}},
    {'T', {KOption::Kuint, sizeof(size_t)}},
    {'f', {KOption::Kfloat, sizeof(float)}},
    {'n', {KOption::Knumber, sizeof(lua_Number)}},
    {'d', {KOption::Kdouble, sizeof(double)}},
    {'z', {KOption::Kzstr, 0}},
    {'x', {KOption::Kpadding, 1}},
    {'X', {KOption::Kpaddalign, 0}},
};

// The options that read a size after their letter, and the settings.
Option getsizedoption(Header& h, char opt, const char*& fmt) {
  switch (opt) {
    case 'i':
      return {KOption::Kint, getnumlimit(h, fmt, sizeof(int))};
    case 'I':
      return {KOption::Kuint, getnumlimit(h, fmt, sizeof(int))};
    case 's':
      return {KOption::Kstring, getnumlimit(h, fmt, sizeof(size_t))};
    case 'c': {
      const int size = getnum(fmt, -1);
      if (size == -1) luaL_error(h.L, "missing size for format option 'c'");
      return {KOption::Kchar, size};
    }
    case '!':
      h.maxalign = getnumlimit(h, fmt, alignof(MaxAlign));
      return {KOption::Knop, 0};
    case '<':
    case '>':
    case '=':
      h.islittle = opt == '<' || (opt == '=' && nativelittle);
      return {KOption::Knop, 0};
    case ' ':
      return {KOption::Knop, 0};
    default:
      luaL_error(h.L, "invalid format option '%c'", opt);
      return {KOption::Knop, 0};
  }
}

// fixedoptions indexed by letter, built at compile time: a format is read
// once per call of pack or unpack, so the lookup is on the hot path.
struct OptionIndex {
  bool fixed[UCHAR_MAX + 1];
  Option option[UCHAR_MAX + 1];
};

constexpr OptionIndex makeoptionindex() {
  OptionIndex index{};
  for (const FixedOption& entry : fixedoptions) {
    index.fixed[uchar(entry.name)] = true;
    index.option[uchar(entry.name)] = entry.option;
  }
  return index;
}

constexpr OptionIndex optionindex = makeoptionindex();

// Reads the option at `fmt` (moving past it) and classifies it. Settings
// take effect on `h` and read as Knop.
Option getoption(Header& h, const char*& fmt) {
  const unsigned char opt = uchar(*fmt++);
  if (optionindex.fixed[opt]) return optionindex.option[opt];
  return getsizedoption(h, static_cast<char>(opt), fmt);
}

// An option with the padding that aligns it at offset `totalsize`.
struct Details {
  KOption kind;
  int size;
  int ntoalign;
};

// Reads the next option and its alignment (invariant PACK-ALIGN). An
// option aligns to its own size, capped by the maximum alignment; "X"
// aligns to the size of the option after it, which it consumes; a fixed
// string never aligns.
Details getdetails(Header& h, size_t totalsize, const char*& fmt) {
  const Option opt = getoption(h, fmt);
  int align = opt.size;
  if (opt.kind == KOption::Kpaddalign) {
    const bool hasnext = *fmt != '\0';
    const Option next = hasnext ? getoption(h, fmt) : Option{};
    if (!hasnext || next.kind == KOption::Kchar || next.size == 0)
      luaL_argerror(h.L, 1, "invalid next option for option 'X'");
    align = next.size;
  }
  Details details{opt.kind, opt.size, 0};
  if (align <= 1 || opt.kind == KOption::Kchar) return details;
  align = std::min(align, h.maxalign);
  if ((align & (align - 1)) != 0)
    luaL_argerror(h.L, 1, "format asks for alignment not power of 2");
  const int misalign = static_cast<int>(totalsize & (align - 1));
  details.ntoalign = (align - misalign) & (align - 1);
  return details;
}

// Writes the low `size` bytes of `n` in the given byte order. Bytes past
// a lua_Integer's width repeat its sign (`neg`).
void packint(luaL_Buffer& b, lua_Unsigned n, bool islittle, int size,
             bool neg) {
  char* buff = luaL_prepbuffsize(&b, static_cast<size_t>(size));
  for (int i = 0; i < size; i++) {
    const lua_Unsigned byte = i < SZINT ? (n >> (i * NB)) & MC : neg ? MC : 0;
    buff[islittle ? i : size - 1 - i] = static_cast<char>(byte);
  }
  luaL_addsize(&b, static_cast<size_t>(size));
}

// Copies `size` bytes, reversed when the wanted order is not the native
// one.
void copywithendian(char* dest, const char* src, int size, bool islittle) {
  if (islittle == nativelittle) {
    std::memcpy(dest, src, static_cast<size_t>(size));
    return;
  }
  for (int i = 0; i < size; i++) dest[i] = src[size - 1 - i];
}

template <typename Float>
void packfloat(lua_State* L, luaL_Buffer& b, int arg, bool islittle) {
  const auto value = static_cast<Float>(luaL_checknumber(L, arg));
  char* buff = luaL_prepbuffsize(&b, sizeof value);
  copywithendian(buff, reinterpret_cast<const char*>(&value), sizeof value,
                 islittle);
  luaL_addsize(&b, sizeof value);
}

void packsigned(lua_State* L, luaL_Buffer& b, int arg, const Header& h,
                int size) {
  const lua_Integer n = luaL_checkinteger(L, arg);
  if (size < SZINT) {  // must fit in `size` bytes, two's complement
    const lua_Integer lim = lua_Integer{1} << (size * NB - 1);
    luaL_argcheck(L, -lim <= n && n < lim, arg, "integer overflow");
  }
  packint(b, static_cast<lua_Unsigned>(n), h.islittle, size, n < 0);
}

void packunsigned(lua_State* L, luaL_Buffer& b, int arg, const Header& h,
                  int size) {
  const auto n = static_cast<lua_Unsigned>(luaL_checkinteger(L, arg));
  if (size < SZINT)
    luaL_argcheck(L, n < (lua_Unsigned{1} << (size * NB)), arg,
                  "unsigned overflow");
  packint(b, n, h.islittle, size, false);
}

// The string options; each adds its variable part to `totalsize`.
void packstring(lua_State* L, luaL_Buffer& b, int arg, const Header& h,
                const Details& d, size_t& totalsize) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, arg, &len);
  const auto size = static_cast<size_t>(d.size);
  switch (d.kind) {
    case KOption::Kchar:  // padded to its size
      luaL_argcheck(L, len <= size, arg, "string longer than given size");
      luaL_addlstring(&b, s, len);
      for (size_t i = len; i < size; i++) luaL_addchar(&b, LUAL_PACKPADBYTE);
      return;
    case KOption::Kstring:  // after its length
      luaL_argcheck(L,
                    size >= sizeof(size_t) || len < (size_t{1} << (size * NB)),
                    arg, "string length does not fit in given size");
      packint(b, len, h.islittle, d.size, false);
      luaL_addlstring(&b, s, len);
      totalsize += len;
      return;
    default:  // Kzstr: followed by a zero
      luaL_argcheck(L, std::strlen(s) == len, arg, "string contains zeros");
      luaL_addlstring(&b, s, len);
      luaL_addchar(&b, '\0');
      totalsize += len + 1;
      return;
  }
}

// Packs argument `arg` as option `d`.
void packitem(lua_State* L, luaL_Buffer& b, int arg, const Header& h,
              const Details& d, size_t& totalsize) {
  switch (d.kind) {
    case KOption::Kint:
      return packsigned(L, b, arg, h, d.size);
    case KOption::Kuint:
      return packunsigned(L, b, arg, h, d.size);
    case KOption::Kfloat:
      return packfloat<float>(L, b, arg, h.islittle);
    case KOption::Knumber:
      return packfloat<lua_Number>(L, b, arg, h.islittle);
    case KOption::Kdouble:
      return packfloat<double>(L, b, arg, h.islittle);
    default:
      return packstring(L, b, arg, h, d, totalsize);
  }
}

// Whether an option takes a value (the others only pad or set).
bool takesvalue(KOption kind) {
  return kind != KOption::Kpadding && kind != KOption::Kpaddalign &&
         kind != KOption::Knop;
}

int str_pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h = initheader(L);
  int arg = 1;  // the last argument packed
  size_t totalsize = 0;
  lua_pushnil(L);  // keeps the arguments apart from the buffer's slot
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    const Details d = getdetails(h, totalsize, fmt);
    totalsize += static_cast<size_t>(d.ntoalign + d.size);
    for (int i = 0; i < d.ntoalign; i++) luaL_addchar(&b, LUAL_PACKPADBYTE);
    if (d.kind == KOption::Kpadding) luaL_addchar(&b, LUAL_PACKPADBYTE);
    if (takesvalue(d.kind)) packitem(L, b, ++arg, h, d, totalsize);
  }
  luaL_pushresult(&b);
  return 1;
}

int str_packsize(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h = initheader(L);
  size_t totalsize = 0;
  while (*fmt != '\0') {
    const Details d = getdetails(h, totalsize, fmt);
    luaL_argcheck(L, d.kind != KOption::Kstring && d.kind != KOption::Kzstr, 1,
                  "variable-length format");
    const auto size = static_cast<size_t>(d.size + d.ntoalign);
    luaL_argcheck(L, totalsize <= MAXSIZE - size, 1, "format result too large");
    totalsize += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(totalsize));
  return 1;
}

// Reads a `size`-byte integer. A narrower one is sign-extended when
// signed; a wider one must hold nothing but the sign extension in the
// bytes past a lua_Integer's width.
lua_Integer unpackint(lua_State* L, const char* str, bool islittle, int size,
                      bool issigned) {
  auto byteat = [&](int i) {
    return static_cast<lua_Unsigned>(uchar(str[islittle ? i : size - 1 - i]));
  };
  const int limit = std::min(size, SZINT);
  lua_Unsigned res = 0;
  for (int i = limit - 1; i >= 0; i--) res = (res << NB) | byteat(i);
  if (size < SZINT && issigned) {
    const lua_Unsigned signbit = lua_Unsigned{1} << (size * NB - 1);
    res = (res ^ signbit) - signbit;
  }
  if (size > SZINT) {
    const bool negative = issigned && static_cast<lua_Integer>(res) < 0;
    const lua_Unsigned extension = negative ? MC : 0;
    for (int i = limit; i < size; i++)
      if (byteat(i) != extension)
        luaL_error(L, "%d-byte integer does not fit into Lua Integer", size);
  }
  return static_cast<lua_Integer>(res);
}

template <typename Float>
void unpackfloat(lua_State* L, const char* at, bool islittle) {
  Float value;
  copywithendian(reinterpret_cast<char*>(&value), at, sizeof value, islittle);
  lua_pushnumber(L, static_cast<lua_Number>(value));
}

// The strings with a variable part, Kstring and Kzstr, at data[pos]:
// pushes the string and moves `pos` past its variable part.
void unpackstring(lua_State* L, const Header& h, const char* data, size_t ld,
                  size_t& pos, const Details& d) {
  const char* at = data + pos;
  size_t len = 0;
  if (d.kind == KOption::Kstring) {
    len = static_cast<size_t>(unpackint(L, at, h.islittle, d.size, false));
    luaL_argcheck(L, len <= ld - pos - d.size, 2, "data string too short");
    at += d.size;  // the text follows its length
  } else {
    len = std::strlen(at);  // NUL-END bounds it
    luaL_argcheck(L, pos + len < ld, 2, "unfinished string for format 'z'");
    pos++;  // the terminating zero
  }
  lua_pushlstring(L, at, len);
  pos += len;
}

// Unpacks option `d` at data[pos] (moving `pos` past a string's variable
// part), and tells whether a value was pushed.
bool unpackitem(lua_State* L, const Header& h, const char* data, size_t ld,
                size_t& pos, const Details& d) {
  const char* at = data + pos;
  switch (d.kind) {
    case KOption::Kint:
    case KOption::Kuint: {
      const bool issigned = d.kind == KOption::Kint;
      lua_pushinteger(L, unpackint(L, at, h.islittle, d.size, issigned));
      return true;
    }
    case KOption::Kfloat:
      unpackfloat<float>(L, at, h.islittle);
      return true;
    case KOption::Knumber:
      unpackfloat<lua_Number>(L, at, h.islittle);
      return true;
    case KOption::Kdouble:
      unpackfloat<double>(L, at, h.islittle);
      return true;
    case KOption::Kchar:
      lua_pushlstring(L, at, static_cast<size_t>(d.size));
      return true;
    case KOption::Kstring:
    case KOption::Kzstr:
      unpackstring(L, h, data, ld, pos, d);
      return true;
    default:
      return false;
  }
}

// Answers the values and then the position after the last byte read.
int str_unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t ld = 0;
  const char* data = luaL_checklstring(L, 2, &ld);
  size_t pos = posrelatI(luaL_optinteger(L, 3, 1), ld) - 1;
  luaL_argcheck(L, pos <= ld, 3, "initial position out of string");
  Header h = initheader(L);
  int n = 0;
  while (*fmt != '\0') {
    const Details d = getdetails(h, pos, fmt);
    const auto need = static_cast<size_t>(d.ntoalign + d.size);
    luaL_argcheck(L, need <= ld - pos, 2, "data string too short");
    pos += static_cast<size_t>(d.ntoalign);
    luaL_checkstack(L, 2, "too many results");  // a value and the position
    if (unpackitem(L, h, data, ld, pos, d)) n++;
    pos += static_cast<size_t>(d.size);
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos) + 1);
  return n + 1;
}

const luaL_Reg strlib[] = {{"byte", str_byte},     {"char", str_char},
                           {"dump", str_dump},     {"find", str_find},
                           {"format", str_format}, {"gmatch", gmatch},
                           {"gsub", str_gsub},     {"len", str_len},
                           {"lower", str_lower},   {"match", str_match},
                           {"rep", str_rep},       {"reverse", str_reverse},
                           {"sub", str_sub},       {"upper", str_upper},
                           {"pack", str_pack},     {"packsize", str_packsize},
                           {"unpack", str_unpack}, {nullptr, nullptr}};

// Makes the table of metamethods the metatable of every string, with the
// library table (on top of the stack) as its __index.
void createmetatable(lua_State* L) {
  const int lib = lua_gettop(L);
  luaL_newlibtable(L, stringmetamethods);
  luaL_setfuncs(L, stringmetamethods, 0);
  const int mt = lua_gettop(L);
  lua_pushvalue(L, lib);
  lua_setfield(L, mt, "__index");  // methods are looked up in the library
  lua_pushliteral(L, "");          // setting it on one string sets it on all
  lua_pushvalue(L, mt);
  lua_setmetatable(L, -2);
  lua_settop(L, lib);
}

}  // namespace

int luaopen_string(lua_State* L) {
  luaL_newlib(L, strlib);
  createmetatable(L);
  return 1;
}
