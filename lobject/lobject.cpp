/// \file
/// The number and string services every later chapter leans on: raw
/// arithmetic on numbers, numerals to numbers and back, UTF-8 escapes,
/// chunk names for messages, and Lua's own small printf.
///
/// Mirrors: Lua 5.4 lobject.c (and luaV_idiv/luaV_mod/luaV_modf/luaV_shiftl
/// of lvm.c)
/// Book: chapter 2
///
/// Design: everything here works on plain C data and TValues and needs no
/// stack, strings or tables, except luaO_pushvfstring, which hands its
/// finished text to the `pushstring` seam.
///
/// - **Invariant WRAP.** Integer arithmetic is arithmetic modulo 2^64: it is
///   done on lua_Unsigned and converted back, so no operation overflows a
///   signed integer (the tests run under UBSan to check it).
/// - **Invariant EXACT.** A float becomes an integer (for bitwise operators)
///   only when it has an integral value inside the range of lua_Integer;
///   otherwise there is no raw result.
/// - **Invariant NUMERAL.** luaO_str2num accepts a string exactly when the
///   whole string, apart from surrounding spaces, is one numeral; it
///   returns the string's size plus one or 0, never a partial length.
/// - **Invariant BUFFS.** Every byte luaO_pushvfstring holds beyond its
///   fixed local buffer is in one block obtained from lmem, and that block
///   is freed on every exit, including an error raised by a directive, by
///   the allocator or by the seam.
///
/// Differences from Lua:
/// - luaO_rawarith does not convert numeric strings for bitwise operators
///   (Lua does it inside luaV_tointegerns); chapter 2 has no strings, and
///   the coercion arrives with the VM in chapter 8.
/// - luaO_pushvfstring gathers the text in a local buffer that spills into
///   an lmem block, instead of pushing pieces on the stack and concatenating
///   them: there is no stack before chapter 5. The result is pushed once,
///   through the `pushstring` seam; without the seam it raises an error.
/// - luaO_tostringbuff is exported and also ends the text with a '\0'.
/// - luaO_chunkid reads only the `srclen` bytes of the source: it looks
///   for a newline with memchr where Lua uses strchr, which stops at a
///   '\0'. Chunk names never contain one, so the results agree.
#include "lobject/lobject.hpp"

#include <algorithm>
#include <bit>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lobject/lctype.hpp"
#include "lobject/lstate.hpp"

namespace lua {

namespace {

// Number of bits of a lua_Integer: shifts by this much or more give 0.
constexpr int NBITS = static_cast<int>(sizeof(lua_Integer) * CHAR_BIT);

// Conversions between the signed and unsigned views of an integer; C++20
// makes the unsigned-to-signed direction modular, which WRAP relies on.
constexpr lua_Unsigned l_castS2U(lua_Integer i) {
  return static_cast<lua_Unsigned>(i);
}
constexpr lua_Integer l_castU2S(lua_Unsigned u) {
  return static_cast<lua_Integer>(u);
}

// The decimal point of the current C locale, which strtod and snprintf use.
char lua_getlocaledecpoint() {
  return std::localeconv()->decimal_point[0];
}

}  // namespace

int luaO_ceillog2(unsigned int x) {
  lua_assert(x >= 1);
  // ceil(log2(x)) is the number of bits needed to write x - 1.
  return cast_int(std::bit_width(x - 1));
}

namespace {

// The value of a number operand as a float (lvm.h's tonumberns).
bool tonumberns(const TValue* o, lua_Number* n) {
  if (!ttisnumber(o)) return false;
  *n = nvalue(o);
  return true;
}

// A right shift is a left shift by the opposite amount; the negation wraps
// so that a shift by LUA_MININTEGER stays a (huge) shift, giving 0.
lua_Integer luaV_shiftr(lua_Integer x, lua_Integer y) {
  return luaV_shiftl(x, l_castU2S(0u - l_castS2U(y)));
}

// Integer operators (invariant WRAP): +, -, *, unary minus and bitwise
// not are done on the unsigned view so overflow wraps around.
lua_Integer intarith(lua_State* L, int op, lua_Integer v1, lua_Integer v2) {
  const lua_Unsigned u1 = l_castS2U(v1), u2 = l_castS2U(v2);
  switch (op) {
    case LUA_OPADD:
      return l_castU2S(u1 + u2);
    case LUA_OPSUB:
      return l_castU2S(u1 - u2);
    case LUA_OPMUL:
      return l_castU2S(u1 * u2);
    case LUA_OPMOD:
      return luaV_mod(L, v1, v2);
    case LUA_OPIDIV:
      return luaV_idiv(L, v1, v2);
    case LUA_OPBAND:
      return l_castU2S(u1 & u2);
    case LUA_OPBOR:
      return l_castU2S(u1 | u2);
    case LUA_OPBXOR:
      return l_castU2S(u1 ^ u2);
    case LUA_OPSHL:
      return luaV_shiftl(v1, v2);
    case LUA_OPSHR:
      return luaV_shiftr(v1, v2);
    case LUA_OPUNM:
      return l_castU2S(0u - u1);
    case LUA_OPBNOT:
      return l_castU2S(~u1);
    default:
      lua_assert(false);
      return 0;
  }
}

// Float operators: IEEE arithmetic, with Lua's definitions of '//' (floor
// of the quotient), '%' (luaV_modf) and '^' (x^2 as a product, exactly
// rounded, as luai_numpow does).
lua_Number numarith(lua_State* L, int op, lua_Number v1, lua_Number v2) {
  switch (op) {
    case LUA_OPADD:
      return v1 + v2;
    case LUA_OPSUB:
      return v1 - v2;
    case LUA_OPMUL:
      return v1 * v2;
    case LUA_OPDIV:
      return v1 / v2;
    case LUA_OPPOW:
      return (v2 == 2) ? v1 * v1 : std::pow(v1, v2);
    case LUA_OPIDIV:
      return std::floor(v1 / v2);
    case LUA_OPUNM:
      return -v1;
    case LUA_OPMOD:
      return luaV_modf(L, v1, v2);
    default:
      lua_assert(false);
      return 0;
  }
}

}  // namespace

// Which arithmetic applies depends on the operator: bitwise operators need
// integers (floats convert only when exact), '/' and '^' always work on
// floats, and the rest stay integer when both operands are integers.
bool luaO_rawarith(lua_State* L, int op, const TValue* p1, const TValue* p2,
                   TValue* res) {
  switch (op) {
    case LUA_OPBAND:
    case LUA_OPBOR:
    case LUA_OPBXOR:
    case LUA_OPSHL:
    case LUA_OPSHR:
    case LUA_OPBNOT: {
      lua_Integer i1, i2;
      if (!luaV_tointegerns(p1, &i1, F2Ieq) ||
          !luaV_tointegerns(p2, &i2, F2Ieq))
        return false;
      setivalue(res, intarith(L, op, i1, i2));
      return true;
    }
    case LUA_OPDIV:
    case LUA_OPPOW:
      break;  // float only
    default:
      if (ttisinteger(p1) && ttisinteger(p2)) {
        setivalue(res, intarith(L, op, ivalue(p1), ivalue(p2)));
        return true;
      }
  }
  lua_Number n1, n2;
  if (!tonumberns(p1, &n1) || !tonumberns(p2, &n2)) return false;
  setfltvalue(res, numarith(L, op, n1, n2));
  return true;
}

int luaO_hexavalue(int c) {
  lua_assert(lisxdigit(c));
  return lisdigit(c) ? c - '0' : ltolower(c) - 'a' + 10;
}

namespace {

// Skips an optional sign; true when it was a minus.
bool isneg(const char** s) {
  if (**s == '-') {
    (*s)++;
    return true;
  }
  if (**s == '+') (*s)++;
  return false;
}

// Longest numeral l_str2d copies to retry with the locale's decimal point.
constexpr std::size_t L_MAXLENNUM = 200;

// strtod on `s`, then only spaces may follow. Returns the end of the
// string, or null when strtod read nothing or left garbage.
const char* l_str2dloc(const char* s, lua_Number* result) {
  char* endptr;
  // One call serves both bases: C99's strtod reads hex floats too.
  *result = std::strtod(s, &endptr);
  if (endptr == s) return nullptr;
  while (lisspace(static_cast<unsigned char>(*endptr))) endptr++;
  return (*endptr == '\0') ? endptr : nullptr;
}

// A float numeral. strtod would also accept "inf", "nan" and their kin;
// Lua's numerals never contain an 'n', so any 'n' rejects the string.
// Numerals are written with '.', so when the C locale uses another
// decimal point, a failed conversion is retried with the point swapped.
const char* l_str2d(const char* s, lua_Number* result) {
  if (std::strpbrk(s, "nN") != nullptr) return nullptr;
  const char* endptr = l_str2dloc(s, result);
  if (endptr != nullptr) return endptr;
  const char* pdot = std::strchr(s, '.');
  std::size_t len = std::strlen(s);
  if (pdot == nullptr || len > L_MAXLENNUM) return nullptr;
  char buff[L_MAXLENNUM + 1];
  std::memcpy(buff, s, len + 1);
  buff[pdot - s] = lua_getlocaledecpoint();
  endptr = l_str2dloc(buff, result);
  return (endptr == nullptr) ? nullptr : s + (endptr - buff);
}

// Decimal digits of an integer numeral, which must fit a lua_Integer
// (with one more unit for a negative one); on overflow the numeral is not
// an integer, and l_str2d reads it as a float instead.
const char* readdecimal(const char* s, bool neg, lua_Unsigned* a, bool* empty) {
  constexpr lua_Unsigned maxby10 = LUA_MAXINTEGER / 10;
  constexpr int maxlastd = LUA_MAXINTEGER % 10;
  for (; lisdigit(static_cast<unsigned char>(*s)); s++) {
    int d = *s - '0';
    if (*a > maxby10 || (*a == maxby10 && d > maxlastd + neg)) return nullptr;
    *a = *a * 10 + static_cast<lua_Unsigned>(d);
    *empty = false;
  }
  return s;
}

// An integer numeral: decimal, or hexadecimal with wrap-around modulo 2^64
// (so 0xffffffffffffffff is -1). Returns the end of the string or null.
const char* l_str2int(const char* s, lua_Integer* result) {
  lua_Unsigned a = 0;
  bool empty = true;
  while (lisspace(static_cast<unsigned char>(*s))) s++;
  bool neg = isneg(&s);
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (s += 2; lisxdigit(static_cast<unsigned char>(*s)); s++) {
      a = a * 16 + static_cast<lua_Unsigned>(luaO_hexavalue(*s));
      empty = false;
    }
  } else if ((s = readdecimal(s, neg, &a, &empty)) == nullptr) {
    return nullptr;
  }
  while (lisspace(static_cast<unsigned char>(*s))) s++;
  if (empty || *s != '\0') return nullptr;
  *result = l_castU2S(neg ? 0u - a : a);
  return s;
}

}  // namespace

// An integer reading is tried first, so "10" is the integer 10 and only
// numerals that are not integers (or overflow) become floats.
std::size_t luaO_str2num(const char* s, TValue* o) {
  lua_Integer i;
  lua_Number n;
  const char* e;
  if ((e = l_str2int(s, &i)) != nullptr)
    setivalue(o, i);
  else if ((e = l_str2d(s, &n)) != nullptr)
    setfltvalue(o, n);
  else
    return 0;
  return cast_sizet(e - s) + 1;
}

// UTF-8 with the original 31-bit range: an n-byte form (n >= 2) carries
// 5n + 1 bits, 6 in each continuation byte and the rest in a lead byte
// that starts with n ones. The bytes are written backwards, ending at the
// end of `buff`.
int luaO_utf8esc(char* buff, unsigned long x) {
  lua_assert(x <= 0x7FFFFFFFu);
  int n = 1;
  if (x >= 0x80)
    for (n = 2; x >> (5 * n + 1) != 0;) n++;
  char* p = buff + UTF8BUFFSZ;
  for (int i = 1; i < n; i++, x >>= 6)
    *--p = static_cast<char>(0x80 | (x & 0x3F));
  unsigned long lead = (n == 1) ? 0 : (0xFF00ul >> n) & 0xFF;
  *--p = static_cast<char>(lead | x);
  return n;
}

// Integers print with LUA_INTEGER_FMT; floats with "%.14g", plus ".0" when
// the text would read back as an integer, so 1.0 and 1 print apart.
int luaO_tostringbuff(const TValue* obj, char* buff) {
  lua_assert(ttisnumber(obj));
  int len;
  if (ttisinteger(obj)) {
    len = std::snprintf(buff, MAXNUMBER2STR, LUA_INTEGER_FMT, ivalue(obj));
  } else {
    len = std::snprintf(buff, MAXNUMBER2STR, LUA_NUMBER_FMT, fltvalue(obj));
    if (buff[std::strspn(buff, "-0123456789")] == '\0') {
      buff[len++] = lua_getlocaledecpoint();
      buff[len++] = '0';
      buff[len] = '\0';
    }
  }
  lua_assert(len > 0 && len < MAXNUMBER2STR);
  return len;
}

namespace {

// Size of the local buffer of luaO_pushvfstring: room for a chunk id, a
// number and some text around them, so most messages never allocate.
constexpr int BUFVFS = LUA_IDSIZE + MAXNUMBER2STR + 95;

// The text being built by luaO_pushvfstring (invariant BUFFS): the latest
// pieces in `space`, everything before them in the lmem block `acc`.
struct BuffFS {
  lua_State* L;
  int blen = 0;             // bytes used in `space`
  char space[BUFVFS];       // the latest pieces
  char* acc = nullptr;      // earlier text, in a block from lmem
  std::size_t accsize = 0;  // size of that block
  std::size_t acclen = 0;   // bytes used in it
  explicit BuffFS(lua_State* l) : L(l) {}
  BuffFS(const BuffFS&) = delete;
  BuffFS& operator=(const BuffFS&) = delete;
  // Runs on every exit, also when an error unwinds through the caller.
  ~BuffFS() {
    if (acc != nullptr) luaM_freemem(L, acc, accsize);
  }
};

// Appends `l` bytes to the block, doubling it as needed so that a long
// result costs amortised O(1) per byte.
void addtoacc(BuffFS* buff, const char* s, std::size_t l) {
  if (l == 0) return;  // nothing to add, and maybe no block yet
  if (l > MAX_SIZE - buff->acclen) luaM_toobig(buff->L);
  std::size_t need = buff->acclen + l;
  if (need > buff->accsize) {
    std::size_t newsize = buff->accsize <= MAX_SIZE / 2
                              ? std::max(2 * buff->accsize, need)
                              : need;
    buff->acc = static_cast<char*>(
        luaM_saferealloc_(buff->L, buff->acc, buff->accsize, newsize));
    buff->accsize = newsize;  // only after success: BUFFS frees the old one
  }
  std::memcpy(buff->acc + buff->acclen, s, l);
  buff->acclen = need;
}

// Moves the contents of `space` to the block, emptying `space`.
void clearbuff(BuffFS* buff) {
  addtoacc(buff, buff->space, cast_sizet(buff->blen));
  buff->blen = 0;
}

// Room for `sz` more bytes in `space`, flushing it first if needed.
char* getbuff(BuffFS* buff, int sz) {
  lua_assert(sz <= BUFVFS);
  if (sz > BUFVFS - buff->blen) clearbuff(buff);
  return buff->space + buff->blen;
}

// Counts `sz` bytes written after getbuff.
void addsize(BuffFS* buff, int sz) {
  buff->blen += sz;
}

// Small pieces go through `space`; a piece longer than `space` goes to
// the block directly, after what precedes it.
void addstr2buff(BuffFS* buff, const char* str, std::size_t slen) {
  if (slen <= cast_sizet(BUFVFS)) {
    std::memcpy(getbuff(buff, cast_int(slen)), str, slen);
    addsize(buff, cast_int(slen));
  } else {
    clearbuff(buff);
    addtoacc(buff, str, slen);
  }
}

// A C string; a null pointer shows as "(null)".
void addcstr2buff(BuffFS* buff, const char* s) {
  if (s == nullptr) s = "(null)";
  addstr2buff(buff, s, std::strlen(s));
}

// One byte.
void addchar2buff(BuffFS* buff, int c) {
  char ch = static_cast<char>(c);
  addstr2buff(buff, &ch, 1);
}

// A number as luaO_tostringbuff writes it.
void addnum2buff(BuffFS* buff, const TValue* num) {
  char* numbuff = getbuff(buff, MAXNUMBER2STR);
  addsize(buff, luaO_tostringbuff(num, numbuff));
}
void addint2buff(BuffFS* buff, lua_Integer i) {
  TValue num;
  setivalue(&num, i);
  addnum2buff(buff, &num);
}
void addflt2buff(BuffFS* buff, lua_Number n) {
  TValue num;
  setfltvalue(&num, n);
  addnum2buff(buff, &num);
}

// A pointer as lua_pointer2str writes it: the C library's "%p".
void addptr2buff(BuffFS* buff, const void* p) {
  constexpr int sz = 3 * static_cast<int>(sizeof(void*)) + 8;
  addsize(buff, std::snprintf(getbuff(buff, sz), sz, "%p", p));
}

// The UTF-8 bytes of a code point.
void addutf82buff(BuffFS* buff, long x) {
  char bf[UTF8BUFFSZ];
  int len = luaO_utf8esc(bf, static_cast<unsigned long>(x));
  addstr2buff(buff, bf + UTF8BUFFSZ - len, cast_sizet(len));
}

// Hands the finished text to the pushstring seam, in one piece.
const char* pushbuff(BuffFS* buff) {
  auto pushstring = G(buff->L)->seams.pushstring;
  if (pushstring == nullptr)
    luaM_runerror(buff->L,
                  "luaO_pushvfstring: pushing strings needs chapter 5 "
                  "(no pushstring seam)");
  if (buff->acc == nullptr)  // everything fits in `space`
    return pushstring(buff->L, buff->space, cast_sizet(buff->blen));
  clearbuff(buff);
  return pushstring(buff->L, buff->acc, buff->acclen);
}

}  // namespace

// A printf with only the directives Lua needs, each formatted the way Lua
// prints values, so messages read the same as Lua-side output.
const char* luaO_pushvfstring(lua_State* L, const char* fmt,
                              std::va_list argp) {
  BuffFS buff(L);
  const char* e;
  while ((e = std::strchr(fmt, '%')) != nullptr) {
    addstr2buff(&buff, fmt, cast_sizet(e - fmt));
    switch (e[1]) {
      case 's':
        addcstr2buff(&buff, va_arg(argp, const char*));
        break;
      case 'c':
        addchar2buff(&buff, va_arg(argp, int));
        break;
      case 'd':
        addint2buff(&buff, va_arg(argp, int));
        break;
      case 'I':
        addint2buff(&buff, va_arg(argp, lua_Integer));
        break;
      case 'f':
        addflt2buff(&buff, va_arg(argp, lua_Number));
        break;
      case 'p':
        addptr2buff(&buff, va_arg(argp, void*));
        break;
      case 'U':
        addutf82buff(&buff, va_arg(argp, long));
        break;
      case '%':
        addstr2buff(&buff, "%", 1);
        break;
      default:
        luaM_runerror(L, "invalid option '%%%c' to 'lua_pushfstring'", e[1]);
    }
    fmt = e + 2;
  }
  addcstr2buff(&buff, fmt);
  return pushbuff(&buff);
}

const char* luaO_pushfstring(lua_State* L, const char* fmt, ...) {
  std::va_list argp;
  va_start(argp, fmt);
  // An error raised inside skips va_end, as Lua's longjmp does; va_end
  // does nothing on the ABIs we build for.
  const char* msg = luaO_pushvfstring(L, fmt, argp);
  va_end(argp);
  return msg;
}

namespace {

// The pieces of a "[string \"...\"]" chunk id.
constexpr char PRE[] = "[string \"";
constexpr char POS[] = "\"]";
constexpr char RETS[] = "...";
// Length of a string literal without its '\0'.
template <std::size_t N>
constexpr std::size_t LL(const char (&)[N]) {
  return N - 1;
}

// Copies `l` bytes to `out` and returns the end of the copy.
char* addstr(char* out, const char* s, std::size_t l) {
  std::memcpy(out, s, l);
  return out + l;
}

// "=name" and "@file" ids. A long '=' name keeps its head; a long file
// name keeps its tail behind "...", since the end of a path says most.
void chunkid_named(char* out, const char* name, std::size_t namelen,
                   bool keeptail) {
  std::size_t room = LUA_IDSIZE - 1;  // characters that fit with the '\0'
  if (namelen > room) {
    if (keeptail) {
      out = addstr(out, RETS, LL(RETS));
      room -= LL(RETS);
      name += namelen - room;
    }
    namelen = room;
  }
  *addstr(out, name, namelen) = '\0';
}

}  // namespace

// A string source shows as [string "..."], cut at its first newline and
// at the room left after the decorations; a cut is marked with "...".
// Note that the test is "shorter than the room": a source exactly as long
// as the room is cut (to itself) and still gets the "...", as in Lua.
void luaO_chunkid(char* out, const char* source, std::size_t srclen) {
  if (srclen > 0 && (*source == '=' || *source == '@')) {
    chunkid_named(out, source + 1, srclen - 1, *source == '@');
    return;
  }
  const std::size_t room = LUA_IDSIZE - LL(PRE) - LL(RETS) - LL(POS) - 1;
  const char* nl = static_cast<const char*>(std::memchr(source, '\n', srclen));
  out = addstr(out, PRE, LL(PRE));
  if (srclen < room && nl == nullptr) {
    out = addstr(out, source, srclen);
  } else {
    if (nl != nullptr) srclen = cast_sizet(nl - source);
    if (srclen > room) srclen = room;
    out = addstr(out, source, srclen);
    out = addstr(out, RETS, LL(RETS));
  }
  std::memcpy(out, POS, LL(POS) + 1);
}

// A float with an integral value in [LUA_MININTEGER, LUA_MAXINTEGER]
// becomes that integer (invariant EXACT); a fractional one is rounded first
// when `mode` asks for it. The upper bound is exclusive: 2^63 is a float
// that no lua_Integer holds. NaN fails every comparison and so every test.
bool luaV_flttointns(lua_Number n, lua_Integer* p, F2Imod mode) {
  lua_Number f = std::floor(n);
  if (n != f) {  // fractional (or NaN)
    if (mode == F2Ieq) return false;
    if (mode == F2Iceil) f += 1;
  }
  constexpr lua_Number two63 = -static_cast<lua_Number>(LUA_MININTEGER);
  if (!(f >= -two63 && f < two63)) return false;  // also rejects inf, NaN
  *p = static_cast<lua_Integer>(f);
  return true;
}

// The integer of a number operand, if it has one.
bool luaV_tointegerns(const TValue* obj, lua_Integer* p, F2Imod mode) {
  if (ttisinteger(obj)) {
    *p = ivalue(obj);
    return true;
  }
  return ttisfloat(obj) && luaV_flttointns(fltvalue(obj), p, mode);
}

// Floor division: C's '/' truncates toward zero, so a quotient with a
// remainder and operands of opposite signs is one too high. Division by
// -1 is negation done modulo 2^64, since LUA_MININTEGER / -1 overflows.
lua_Integer luaV_idiv(lua_State* L, lua_Integer m, lua_Integer n) {
  if (l_castS2U(n) + 1u <= 1u) {  // n is 0 or -1
    if (n == 0) luaM_runerror(L, "attempt to divide by zero");
    return l_castU2S(0u - l_castS2U(m));
  }
  lua_Integer q = m / n;
  if ((m ^ n) < 0 && m % n != 0) q -= 1;
  return q;
}

// Modulo with the sign of the divisor: C's '%' takes the sign of the
// dividend, so a nonzero remainder of the other sign moves by n. Anything
// modulo -1 is 0 (and LUA_MININTEGER % -1 would trap in C).
lua_Integer luaV_mod(lua_State* L, lua_Integer m, lua_Integer n) {
  if (l_castS2U(n) + 1u <= 1u) {  // n is 0 or -1
    if (n == 0) luaM_runerror(L, "attempt to perform 'n%%0'");
    return 0;
  }
  lua_Integer r = m % n;
  if (r != 0 && (r ^ n) < 0) r += n;
  return r;
}

// fmod truncates the quotient, so its result keeps the dividend's sign;
// where that differs from the divisor's, the floored modulo is one
// divisor further. With an infinite n this makes 5 % inf = 5 but
// -5 % inf = inf, as in Lua; zeros and NaNs are never moved.
lua_Number luaV_modf(lua_State* L, lua_Number m, lua_Number n) {
  (void)L;
  lua_Number r = std::fmod(m, n);
  if ((r > 0) ? n < 0 : (r < 0 && n > 0)) r += n;
  return r;
}

// Shifts are logical (zeros come in from either side) and by any amount:
// 64 bits or more shift everything out.
lua_Integer luaV_shiftl(lua_Integer x, lua_Integer y) {
  if (y < 0) {
    if (y <= -NBITS) return 0;
    return l_castU2S(l_castS2U(x) >> l_castS2U(-y));
  }
  if (y >= NBITS) return 0;
  return l_castU2S(l_castS2U(x) << l_castS2U(y));
}

}  // namespace lua
