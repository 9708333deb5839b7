/// \file
/// The lexer's functions: tokens, numerals, strings and their escapes,
/// long brackets, comments, and lexical errors.
///
/// Mirrors: Lua 5.4 llex.c
/// Book: chapter 7
///
/// See llex.hpp for the invariants ANCHOR and LINE. The scanning functions
/// are members of a small file-local class, `Lexer`, that views one
/// LexState: they all read and write the same few fields (`current`, the
/// buffer, the line), so they say `save_and_next()` where Lua passes `ls`
/// to every call. The lexer is a loop over the current byte with one case
/// per kind of token; every token's text is saved in `ls.buff` while it is
/// read, so that an error can quote it ("malformed number near '3x'").
///
/// - **Invariant TEXT.** While a token is read, the buffer holds its text
///   as read so far, escapes decoded. An escape keeps its raw characters
///   in the buffer until it is known to be valid, so that an error quotes
///   them, and then replaces them with the bytes they stand for.
///
/// Differences from Lua: luaG_addinfo (which adds "chunk:line:" to a
/// message) belongs to ldebug, chapter 8; the lexer needs it first, so it
/// is a local function here, `addinfo`. Lua's `save_and_next` macro and
/// the `ls` argument of every scanning function become Lexer members.
#include "lparser/llex.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string_view>
#include <utility>

#include "lfunc/ldo.hpp"
#include "lgc/lgc.hpp"
#include "lobject/lctype.hpp"
#include "ltable/ltable.hpp"

namespace lua {

namespace {

// The text of every token above FIRST_RESERVED, in the order of RESERVED.
constexpr const char* const luaX_tokens[] = {
    "and",    "break",    "do",     "else",   "elseif", "end",      "false",
    "for",    "function", "goto",   "if",     "in",     "local",    "nil",
    "not",    "or",       "repeat", "return", "then",   "true",     "until",
    "while",  "//",       "..",     "...",    "==",     ">=",       "<=",
    "~=",     "<<",       ">>",     "::",     "<eof>",  "<number>", "<integer>",
    "<name>", "<string>"};
static_assert(std::size(luaX_tokens) == TK_STRING - FIRST_RESERVED + 1);

// The tokens whose text is in the buffer when they are reported: the four
// tokens with a value, which are the last four of RESERVED.
static_assert(TK_FLT + 3 == TK_STRING && TK_INT == TK_FLT + 1 &&
              TK_NAME == TK_FLT + 2);
constexpr bool hasvalue(int token) {
  return token >= TK_FLT;
}

// What read_string does after an escape: save the byte and move past the
// escape's last character, save a byte whose characters are already
// consumed, or save nothing (the escape saved its own bytes, or skipped).
enum class EscAction { ReadSave, OnlySave, NoSave };

struct Escape {
  EscAction action;
  int c;
};

// The scanning functions, as members over the one LexState they all read
// and write. Only the luaX_* functions make a Lexer; each member is
// defined below in the place of Lua's function of the same name.
class Lexer {
 public:
  explicit Lexer(LexState& state) : ls(state) {}

  [[noreturn]] void lexerror(const char* msg, int token);
  int llex(SemInfo& seminfo);

 private:
  LexState& ls;

  void save(int c);
  void growbuffer();
  void next() { ls.current = zgetc(ls.z); }
  void save_and_next() {
    save(ls.current);
    next();
  }
  bool currIsNewline() const {
    return ls.current == '\n' || ls.current == '\r';
  }
  const char* txtToken(int token);
  void inclinenumber();
  bool check_next1(int c);
  bool check_next2(const char (&set)[3]);
  int read_numeral(SemInfo& seminfo);
  int numeral_value(SemInfo& seminfo);
  std::size_t skip_sep();
  void read_long_string(SemInfo* seminfo, std::size_t sep);
  void esccheck(bool c, const char* msg);
  int gethexa();
  int readhexaesc();
  unsigned long readutf8esc();
  void utf8esc();
  int readdecesc();
  Escape readescape();
  void read_string(int del, SemInfo& seminfo);
  int read_name(SemInfo& seminfo);
  void skip_comment();
  int one_or_two(int second, int two);
};

// A string the collector never frees: the reserved words and "_ENV" are
// compared by identity for the whole life of the state.
TString* newfixedstring(lua_State* L, const char* text) {
  TString* s = luaS_new(L, text);
  luaC_fix(L, obj2gco(s));
  return s;
}

// Makes `ts` a key of `ls.h` through the empty entry that luaH_getstr
// returned (ANCHOR). The string sits on the stack meanwhile: inserting can
// allocate, and the collection step after it can run.
void anchorstring(LexState& ls, TString* ts, const TValue* entry) {
  lua_State* L = ls.L;
  TValue* key = s2v(L->top);
  setsvalue(L, key, ts);
  L->top++;
  luaH_finishset(L, ls.h, key, entry, key);  // h[ts] = ts
  luaC_checkGC(L);
  L->top--;
}

// Defined at the end of the file, with the other parts of ldebug.
const char* addinfo(lua_State* L, const char* msg, TString* src, int line);

}  // namespace

// Appends a byte to the token's text (TEXT). The common case is one store;
// growing is out of line.
void Lexer::save(int c) {
  Mbuffer& b = *ls.buff;
  if (b.n == b.buffsize) growbuffer();
  b.buffer[b.n++] = static_cast<char>(c);
}

// Doubles the buffer; no token may need half of all addressable memory.
void Lexer::growbuffer() {
  const std::size_t size = luaZ_sizebuffer(ls.buff);
  if (size >= MAX_SIZE / 2) lexerror("lexical element too long", 0);
  const std::size_t doubled = std::max<std::size_t>(2 * size, LUA_MINBUFFER);
  luaZ_resizebuffer(ls.L, ls.buff, doubled);
}

// A reserved word's string carries its token in `extra`, counted from 1 so
// that 0 keeps meaning "not reserved" (see read_name).
void luaX_init(lua_State* L) {
  newfixedstring(L, LUA_ENV);
  for (int word = 0; word < NUM_RESERVED; word++)
    newfixedstring(L, luaX_tokens[word])->extra = cast_byte(word + 1);
}

const char* luaX_token2str(LexState* ls, int token) {
  lua_State* L = ls->L;
  if (token >= FIRST_RESERVED) {
    const char* text = luaX_tokens[token - FIRST_RESERVED];
    // Words and symbols are quoted; classes of tokens (<eof>, <name>...)
    // are not.
    return token < TK_EOS ? luaO_pushfstring(L, "'%s'", text) : text;
  }
  if (lisprint(token)) return luaO_pushfstring(L, "'%c'", token);
  return luaO_pushfstring(L, "'<\\%d>'", token);  // a control byte
}

// How a token reads in a message: its own text for names, strings and
// numerals (it is still in the buffer), the token's name otherwise.
const char* Lexer::txtToken(int token) {
  if (!hasvalue(token)) return luaX_token2str(&ls, token);
  save('\0');
  return luaO_pushfstring(ls.L, "'%s'", luaZ_buffer(ls.buff));
}

// The message goes on the stack; the status says it is a syntax error.
// Token 0 means the message needs no "near" part.
void Lexer::lexerror(const char* msg, int token) {
  const char* where = addinfo(ls.L, msg, ls.source, ls.linenumber);
  if (token != 0) luaO_pushfstring(ls.L, "%s near %s", where, txtToken(token));
  luaM_throw(ls.L, LUA_ERRSYNTAX);
}

void luaX_syntaxerror(LexState* ls, const char* msg) {
  Lexer(*ls).lexerror(msg, ls->t.token);
}

// Strings are anchored in `ls->h` (invariant ANCHOR). Equal long strings
// are distinct objects, so the table also makes each long constant of the
// chunk a single object: a second occurrence gets the first one's string.
TString* luaX_newstring(LexState* ls, const char* str, std::size_t l) {
  TString* fresh = luaS_newlstr(ls->L, str, l);
  const TValue* entry = luaH_getstr(ls->h, fresh);
  if (!ttisnil(entry)) return keystrval(nodefromval(entry));
  anchorstring(*ls, fresh, entry);
  return fresh;
}

// Skips a line break: "\n", "\r", "\n\r" or "\r\n" each count as one line
// (LINE), but "\n\n" is two.
void Lexer::inclinenumber() {
  const int first = ls.current;
  lua_assert(currIsNewline());
  next();
  if (currIsNewline() && ls.current != first) next();
  ls.linenumber++;
  if (ls.linenumber >= MAX_INT) lexerror("chunk has too many lines", 0);
}

// The parser has set `h`, `buff` and `dyd`; the rest of the state starts
// here, before the first token is read.
void luaX_setinput(lua_State* L, LexState* ls, ZIO* z, TString* source,
                   int firstchar) {
  ls->L = L;
  ls->z = z;
  ls->source = source;
  ls->envn = luaS_new(L, LUA_ENV);
  ls->fs = nullptr;
  ls->current = firstchar;
  ls->linenumber = ls->lastline = 1;
  ls->t = Token{};
  ls->lookahead = Token{TK_EOS, {}};  // nothing read ahead
  luaZ_resizebuffer(L, ls->buff, LUA_MINBUFFER);
}

// Consumes the current byte if it is `c` (the byte is not kept).
bool Lexer::check_next1(int c) {
  const bool match = ls.current == c;
  if (match) next();
  return match;
}

// Keeps and consumes the current byte if it is one of the two in `set`.
bool Lexer::check_next2(const char (&set)[3]) {
  const bool match = ls.current == set[0] || ls.current == set[1];
  if (match) save_and_next();
  return match;
}

// A numeral is read loosely (hex digits, dots, exponent marks with their
// signs) and then judged whole by luaO_str2num, so that "3..2", "0x" or
// "3x" give "malformed number" quoting exactly what was read.
int Lexer::read_numeral(SemInfo& seminfo) {
  lua_assert(lisdigit(ls.current));
  const bool zero = ls.current == '0';
  save_and_next();
  const bool hex = zero && check_next2("xX");
  const char(&exponent)[3] = hex ? "Pp" : "Ee";
  for (;;) {
    // The exponent test comes first: 'e' is also a hexadecimal digit.
    if (check_next2(exponent)) {
      check_next2("-+");
    } else if (lisxdigit(ls.current) || ls.current == '.') {
      save_and_next();
    } else {
      break;
    }
  }
  if (lislalpha(ls.current)) save_and_next();  // quoted in the error
  return numeral_value(seminfo);
}

// Converts the numeral in the buffer: an integer if it has the form of one
// and fits, a float otherwise.
int Lexer::numeral_value(SemInfo& seminfo) {
  save('\0');
  TValue v;
  if (luaO_str2num(luaZ_buffer(ls.buff), &v) == 0)
    lexerror("malformed number", TK_FLT);
  if (ttisfloat(&v)) {
    seminfo.r = fltvalue(&v);
    return TK_FLT;
  }
  seminfo.i = ivalue(&v);
  return TK_INT;
}

// Reads '[' '='* '[' (or the closing ']' '='* ']') and returns the number
// of '=' plus 2 when it is well formed; 1 for a lone bracket (no '=' and
// no second bracket); 0 for '[=' not followed by '['. Only the second
// bracket is left unread.
std::size_t Lexer::skip_sep() {
  const int bracket = ls.current;
  lua_assert(bracket == '[' || bracket == ']');
  save_and_next();
  std::size_t level = 0;
  for (; ls.current == '='; level++) save_and_next();
  if (ls.current == bracket) return level + 2;
  return level == 0 ? 1 : 0;
}

// A long string, or a comment when `seminfo` is null, of level `sep - 2`.
// The first line break right after the opening bracket is not part of the
// string; line breaks inside become '\n' whatever their form. A comment
// keeps no text beyond its current line.
void Lexer::read_long_string(SemInfo* seminfo, std::size_t sep) {
  const int firstline = ls.linenumber;  // for the error message
  save_and_next();                      // the second '['
  if (currIsNewline()) inclinenumber();
  for (;;) {
    const int c = ls.current;
    if (c == EOZ) {
      const char* what = seminfo != nullptr ? "string" : "comment";
      lexerror(
          luaO_pushfstring(ls.L, "unfinished long %s (starting at line %d)",
                           what, firstline),
          TK_EOS);
    }
    if (c == ']') {
      if (skip_sep() == sep) break;  // else its bytes are content
    } else if (c == '\n' || c == '\r') {
      save('\n');
      inclinenumber();
      if (seminfo == nullptr) luaZ_resetbuffer(ls.buff);
    } else if (seminfo != nullptr) {
      save_and_next();
    } else {
      next();
    }
  }
  save_and_next();  // the second ']'
  if (seminfo == nullptr) return;
  const std::size_t contents = luaZ_bufflen(ls.buff) - 2 * sep;
  seminfo->ts = luaX_newstring(&ls, luaZ_buffer(ls.buff) + sep, contents);
}

// Raises `msg` about an escape sequence unless `c` holds; the offending
// byte is kept first, so that the message quotes it.
void Lexer::esccheck(bool c, const char* msg) {
  if (c) return;
  if (ls.current != EOZ) save_and_next();
  lexerror(msg, TK_STRING);
}

// Keeps the byte before a hexadecimal digit and returns the digit's value,
// leaving the digit current.
int Lexer::gethexa() {
  save_and_next();
  esccheck(lisxdigit(ls.current), "hexadecimal digit expected");
  return luaO_hexavalue(ls.current);
}

// "\xXX": exactly two hexadecimal digits. The second one stays current.
int Lexer::readhexaesc() {
  const int high = gethexa();
  const int low = gethexa();
  luaZ_buffremove(ls.buff, 2);  // the 'x' and the first digit (TEXT)
  return high * 16 + low;
}

// "\u{XXX}": any number of hexadecimal digits, up to 2^31 - 1. The whole
// escape, backslash included, is removed from the buffer at the end.
unsigned long Lexer::readutf8esc() {
  constexpr unsigned long maxcode = 0x7FFFFFFFu;
  save_and_next();  // the 'u'
  esccheck(ls.current == '{', "missing '{'");
  unsigned long code = static_cast<unsigned long>(gethexa());
  std::size_t kept = 4;  // the backslash, 'u', '{' and the first digit
  for (save_and_next(); lisxdigit(ls.current); save_and_next()) {
    kept++;
    esccheck(code <= maxcode / 16, "UTF-8 value too large");
    code = code * 16 + static_cast<unsigned long>(luaO_hexavalue(ls.current));
  }
  esccheck(ls.current == '}', "missing '}'");
  next();
  luaZ_buffremove(ls.buff, kept);
  return code;
}

// luaO_utf8esc writes the sequence at the end of its buffer.
void Lexer::utf8esc() {
  char seq[UTF8BUFFSZ];
  const int n = luaO_utf8esc(seq, readutf8esc());
  for (char byte : std::string_view(seq + UTF8BUFFSZ - n, n)) save(byte);
}

// "\ddd": up to three decimal digits, at most 255.
int Lexer::readdecesc() {
  int value = 0;
  std::size_t digits = 0;
  for (; digits < 3 && lisdigit(ls.current); digits++) {
    value = value * 10 + (ls.current - '0');
    save_and_next();
  }
  esccheck(value <= UCHAR_MAX, "decimal escape too large");
  luaZ_buffremove(ls.buff, digits);
  return value;
}

// Decodes the escape whose backslash has just been saved.
Escape Lexer::readescape() {
  switch (ls.current) {
    case 'a':
      return {EscAction::ReadSave, '\a'};
    case 'b':
      return {EscAction::ReadSave, '\b'};
    case 'f':
      return {EscAction::ReadSave, '\f'};
    case 'n':
      return {EscAction::ReadSave, '\n'};
    case 'r':
      return {EscAction::ReadSave, '\r'};
    case 't':
      return {EscAction::ReadSave, '\t'};
    case 'v':
      return {EscAction::ReadSave, '\v'};
    case 'x':
      return {EscAction::ReadSave, readhexaesc()};
    case 'u':
      utf8esc();  // removes its text, the backslash included
      return {EscAction::NoSave, 0};
    case '\n':
    case '\r':
      inclinenumber();
      return {EscAction::OnlySave, '\n'};
    case '\\':
    case '\"':
    case '\'':
      return {EscAction::ReadSave, ls.current};
    case EOZ:
      return {EscAction::NoSave, 0};  // the loop reports it next
    case 'z':  // skip the following white space, line breaks included
      luaZ_buffremove(ls.buff, 1);  // the backslash
      next();
      while (lisspace(ls.current)) {
        if (currIsNewline()) {
          inclinenumber();
        } else {
          next();
        }
      }
      return {EscAction::NoSave, 0};
    default:
      esccheck(lisdigit(ls.current), "invalid escape sequence");
      return {EscAction::OnlySave, readdecesc()};
  }
}

// A quoted string. Escapes are decoded into the buffer; the quotes are
// saved too and dropped when the string is made.
void Lexer::read_string(int del, SemInfo& seminfo) {
  save_and_next();  // the opening quote
  for (int c = ls.current; c != del; c = ls.current) {
    if (c == EOZ) lexerror("unfinished string", TK_EOS);
    if (c == '\n' || c == '\r') lexerror("unfinished string", TK_STRING);
    if (c != '\\') {
      save_and_next();
      continue;
    }
    save_and_next();  // the backslash, kept for error messages
    const Escape e = readescape();
    if (e.action == EscAction::NoSave) continue;
    if (e.action == EscAction::ReadSave) next();
    luaZ_buffremove(ls.buff, 1);  // the backslash
    save(e.c);
  }
  save_and_next();  // the closing quote
  const std::size_t quoted = luaZ_bufflen(ls.buff) - 2;
  seminfo.ts = luaX_newstring(&ls, luaZ_buffer(ls.buff) + 1, quoted);
}

// A name, or a reserved word (whose string carries its token number).
int Lexer::read_name(SemInfo& seminfo) {
  while (lislalnum(ls.current)) save_and_next();
  TString* name =
      luaX_newstring(&ls, luaZ_buffer(ls.buff), luaZ_bufflen(ls.buff));
  seminfo.ts = name;
  return isreserved(name) ? FIRST_RESERVED + name->extra - 1 : TK_NAME;
}

// A comment, after its "--": a long comment if a long bracket follows,
// otherwise everything up to the end of the line. Nothing of it stays in
// the buffer.
void Lexer::skip_comment() {
  if (ls.current == '[') {
    const std::size_t sep = skip_sep();
    luaZ_resetbuffer(ls.buff);  // the brackets skip_sep kept
    if (sep >= 2) {
      read_long_string(nullptr, sep);
      luaZ_resetbuffer(ls.buff);
      return;
    }
  }
  while (!currIsNewline() && ls.current != EOZ) next();
}

// The operators that are one byte or that byte followed by a second one:
// returns `two` when `second` follows, else the byte itself.
int Lexer::one_or_two(int second, int two) {
  const int first = ls.current;
  next();
  return check_next1(second) ? two : first;
}

// Reads one token. Only white space, line breaks and comments loop; every
// other case returns.
int Lexer::llex(SemInfo& seminfo) {
  luaZ_resetbuffer(ls.buff);
  for (;;) {
    switch (ls.current) {
      case '\n':
      case '\r':
        inclinenumber();
        break;
      case ' ':
      case '\f':
      case '\t':
      case '\v':
        next();
        break;
      case '-':
        next();
        if (!check_next1('-')) return '-';
        skip_comment();
        break;
      case '[': {
        const std::size_t sep = skip_sep();
        if (sep >= 2) {
          read_long_string(&seminfo, sep);
          return TK_STRING;
        }
        if (sep == 0) lexerror("invalid long string delimiter", TK_STRING);
        return '[';
      }
      case '=':
        return one_or_two('=', TK_EQ);
      case '<':
        next();
        if (check_next1('=')) return TK_LE;
        if (check_next1('<')) return TK_SHL;
        return '<';
      case '>':
        next();
        if (check_next1('=')) return TK_GE;
        if (check_next1('>')) return TK_SHR;
        return '>';
      case '/':
        return one_or_two('/', TK_IDIV);
      case '~':
        return one_or_two('=', TK_NE);
      case ':':
        return one_or_two(':', TK_DBCOLON);
      case '"':
      case '\'':
        read_string(ls.current, seminfo);
        return TK_STRING;
      case '.':
        save_and_next();  // kept: ".5" is a numeral
        if (check_next1('.')) return check_next1('.') ? TK_DOTS : TK_CONCAT;
        return lisdigit(ls.current) ? read_numeral(seminfo) : '.';
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        return read_numeral(seminfo);
      case EOZ:
        return TK_EOS;
      default: {
        if (lislalpha(ls.current)) return read_name(seminfo);
        const int single = ls.current;  // any other byte is its own token
        next();
        return single;
      }
    }
  }
}

void luaX_next(LexState* ls) {
  ls->lastline = ls->linenumber;
  if (ls->lookahead.token == TK_EOS) {
    ls->t.token = Lexer(*ls).llex(ls->t.seminfo);
  } else {  // the token read ahead becomes current
    ls->t = std::exchange(ls->lookahead, Token{TK_EOS, {}});
  }
}

int luaX_lookahead(LexState* ls) {
  Token& ahead = ls->lookahead;
  lua_assert(ahead.token == TK_EOS);  // one token of lookahead at most
  ahead.token = Lexer(*ls).llex(ahead.seminfo);
  return ahead.token;
}

// ---------------------------------------------------------------------
// From ldebug.c (chapter 8)
// ---------------------------------------------------------------------

namespace {

// Prefixes `msg` with "chunkname:line:", as ldebug's luaG_addinfo does.
const char* addinfo(lua_State* L, const char* msg, TString* src, int line) {
  char buff[LUA_IDSIZE] = "?";
  if (src != nullptr) luaO_chunkid(buff, getstr(src), tsslen(src));
  return luaO_pushfstring(L, "%s:%d: %s", buff, line, msg);
}

}  // namespace

}  // namespace lua
