/// \file
/// The lexer's functions: tokens, numerals, strings and their escapes,
/// long brackets, comments, and lexical errors.
///
/// Mirrors: Lua 5.4 llex.c
/// Book: chapter 7
///
/// See llex.hpp for the invariants ANCHOR and LINE. The lexer is a loop
/// over the current byte with one case per kind of token; every token's
/// text is saved in `ls->buff` while it is read, so that an error can quote
/// it ("malformed number near '3x'").
///
/// Differences from Lua: luaG_addinfo (which adds "chunk:line:" to a
/// message) belongs to ldebug, chapter 8; the lexer needs it first, so it
/// is a local function here, `addinfo`.
#include "lparser/llex.hpp"

#include <cstring>

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
static_assert(sizeof(luaX_tokens) / sizeof(luaX_tokens[0]) ==
              TK_STRING - FIRST_RESERVED + 1);

[[noreturn]] void lexerror(LexState* ls, const char* msg, int token);

// Appends a byte to the token's text, doubling the buffer when full.
void save(LexState* ls, int c) {
  Mbuffer* b = ls->buff;
  if (luaZ_bufflen(b) + 1 > luaZ_sizebuffer(b)) {
    if (luaZ_sizebuffer(b) >= MAX_SIZE / 2)
      lexerror(ls, "lexical element too long", 0);
    std::size_t newsize = luaZ_sizebuffer(b) * 2;
    if (newsize < static_cast<std::size_t>(LUA_MINBUFFER))
      newsize = LUA_MINBUFFER;
    luaZ_resizebuffer(ls->L, b, newsize);
  }
  b->buffer[luaZ_bufflen(b)] = static_cast<char>(c);
  b->n++;
}

void next(LexState* ls) {
  ls->current = zgetc(ls->z);
}

void save_and_next(LexState* ls) {
  save(ls, ls->current);
  next(ls);
}

bool currIsNewline(const LexState* ls) {
  return ls->current == '\n' || ls->current == '\r';
}

}  // namespace

void luaX_init(lua_State* L) {
  TString* e = luaS_new(L, LUA_ENV);
  luaC_fix(L, obj2gco(e));  // never collected
  for (int i = 0; i < NUM_RESERVED; i++) {
    TString* ts = luaS_new(L, luaX_tokens[i]);
    luaC_fix(L, obj2gco(ts));
    ts->extra = cast_byte(i + 1);  // the token, for the lexer
  }
}

const char* luaX_token2str(LexState* ls, int token) {
  if (token < FIRST_RESERVED) {  // a single byte
    if (lisprint(token)) return luaO_pushfstring(ls->L, "'%c'", token);
    return luaO_pushfstring(ls->L, "'<\\%d>'", token);  // a control byte
  }
  const char* s = luaX_tokens[token - FIRST_RESERVED];
  if (token < TK_EOS) return luaO_pushfstring(ls->L, "'%s'", s);
  return s;  // names of token classes are not quoted: <eof>, <name>...
}

namespace {

// How a token reads in a message: the actual text for names, strings and
// numerals (it is in the buffer), the token's name otherwise.
const char* txtToken(LexState* ls, int token) {
  switch (token) {
    case TK_NAME:
    case TK_STRING:
    case TK_FLT:
    case TK_INT:
      save(ls, '\0');
      return luaO_pushfstring(ls->L, "'%s'", luaZ_buffer(ls->buff));
    default:
      return luaX_token2str(ls, token);
  }
}

// Prefixes `msg` with "chunkname:line:", as ldebug's luaG_addinfo does.
const char* addinfo(lua_State* L, const char* msg, TString* src, int line) {
  char buff[LUA_IDSIZE];
  if (src != nullptr) {
    luaO_chunkid(buff, getstr(src), tsslen(src));
  } else {
    buff[0] = '?';
    buff[1] = '\0';
  }
  return luaO_pushfstring(L, "%s:%d: %s", buff, line, msg);
}

// The message goes on the stack; the status says it is a syntax error.
void lexerror(LexState* ls, const char* msg, int token) {
  msg = addinfo(ls->L, msg, ls->source, ls->linenumber);
  if (token != 0)
    luaO_pushfstring(ls->L, "%s near %s", msg, txtToken(ls, token));
  luaM_throw(ls->L, LUA_ERRSYNTAX);
}

}  // namespace

void luaX_syntaxerror(LexState* ls, const char* msg) {
  lexerror(ls, msg, ls->t.token);
}

// Strings are anchored in `ls->h` (invariant ANCHOR). Equal long strings
// are distinct objects, so the table also makes each long constant of the
// chunk a single object: a second occurrence gets the first one's string.
TString* luaX_newstring(LexState* ls, const char* str, std::size_t l) {
  lua_State* L = ls->L;
  TString* ts = luaS_newlstr(L, str, l);
  const TValue* o = luaH_getstr(ls->h, ts);
  if (!ttisnil(o)) return keystrval(nodefromval(o));  // already anchored
  TValue* stv = s2v(L->top);  // keep the string reachable meanwhile
  L->top++;
  setsvalue(L, stv, ts);
  luaH_finishset(L, ls->h, stv, o, stv);  // h[string] = string
  luaC_checkGC(L);
  L->top--;
  return ts;
}

namespace {

// Skips a line break: "\n", "\r", "\n\r" or "\r\n" each count as one.
void inclinenumber(LexState* ls) {
  int old = ls->current;
  lua_assert(currIsNewline(ls));
  next(ls);
  if (currIsNewline(ls) && ls->current != old) next(ls);
  if (++ls->linenumber >= MAX_INT) lexerror(ls, "chunk has too many lines", 0);
}

}  // namespace

void luaX_setinput(lua_State* L, LexState* ls, ZIO* z, TString* source,
                   int firstchar) {
  ls->t.token = 0;
  ls->L = L;
  ls->current = firstchar;
  ls->lookahead.token = TK_EOS;  // no lookahead yet
  ls->z = z;
  ls->fs = nullptr;
  ls->linenumber = 1;
  ls->lastline = 1;
  ls->source = source;
  ls->envn = luaS_newliteral(L, "_ENV");
  luaZ_resizebuffer(ls->L, ls->buff, LUA_MINBUFFER);
}

namespace {

// Consumes the current byte if it is `c`.
bool check_next1(LexState* ls, int c) {
  if (ls->current != c) return false;
  next(ls);
  return true;
}

// Saves and consumes the current byte if it is one of the two in `set`.
bool check_next2(LexState* ls, const char* set) {
  lua_assert(set[2] == '\0');
  if (ls->current != set[0] && ls->current != set[1]) return false;
  save_and_next(ls);
  return true;
}

// A numeral is read loosely (hex digits, dots and exponents with signs)
// and then judged whole by luaO_str2num, so that "3..2" or "0x" or "3x"
// give "malformed number" quoting exactly what was read.
int read_numeral(LexState* ls, SemInfo* seminfo) {
  const char* expo = "Ee";
  int first = ls->current;
  lua_assert(lisdigit(ls->current));
  save_and_next(ls);
  if (first == '0' && check_next2(ls, "xX")) expo = "Pp";  // hexadecimal
  for (;;) {
    if (check_next2(ls, expo))
      check_next2(ls, "-+");  // an exponent may have a sign
    else if (lisxdigit(ls->current) || ls->current == '.')
      save_and_next(ls);
    else
      break;
  }
  if (lislalpha(ls->current)) save_and_next(ls);  // "3x" is malformed
  save(ls, '\0');
  TValue obj;
  if (luaO_str2num(luaZ_buffer(ls->buff), &obj) == 0)
    lexerror(ls, "malformed number", TK_FLT);
  if (ttisinteger(&obj)) {
    seminfo->i = ivalue(&obj);
    return TK_INT;
  }
  seminfo->r = fltvalue(&obj);
  return TK_FLT;
}

// Reads '[' '='* '[' (or the closing ']' '='* ']') and returns the number
// of '=' plus 2 when it is well formed; 1 for a lone bracket (no '=' and
// no second bracket); 0 for '[=' not followed by '['.
std::size_t skip_sep(LexState* ls) {
  std::size_t count = 0;
  int s = ls->current;
  lua_assert(s == '[' || s == ']');
  save_and_next(ls);
  while (ls->current == '=') {
    save_and_next(ls);
    count++;
  }
  if (ls->current == s) return count + 2;
  return count == 0 ? 1 : 0;
}

// A long string or comment of level `sep - 2`. The first line break right
// after the opening bracket is not part of the string; line breaks inside
// become '\n' whatever their form. A comment (no seminfo) keeps no text.
void read_long_string(LexState* ls, SemInfo* seminfo, std::size_t sep) {
  int line = ls->linenumber;  // for the error message
  save_and_next(ls);          // the second '['
  if (currIsNewline(ls)) inclinenumber(ls);
  for (;;) {
    switch (ls->current) {
      case EOZ: {
        const char* what = seminfo != nullptr ? "string" : "comment";
        const char* msg = luaO_pushfstring(
            ls->L, "unfinished long %s (starting at line %d)", what, line);
        lexerror(ls, msg, TK_EOS);
      }
      case ']':
        if (skip_sep(ls) == sep) {
          save_and_next(ls);  // the second ']'
          goto endloop;
        }
        break;
      case '\n':
      case '\r':
        save(ls, '\n');
        inclinenumber(ls);
        if (seminfo == nullptr) luaZ_resetbuffer(ls->buff);
        break;
      default:
        if (seminfo != nullptr)
          save_and_next(ls);
        else
          next(ls);
    }
  }
endloop:
  if (seminfo != nullptr)  // drop the brackets
    seminfo->ts = luaX_newstring(ls, luaZ_buffer(ls->buff) + sep,
                                 luaZ_bufflen(ls->buff) - 2 * sep);
}

// Raises `msg` about an escape sequence unless `c` holds; the offending
// byte is saved first so that the message quotes it.
void esccheck(LexState* ls, bool c, const char* msg) {
  if (!c) {
    if (ls->current != EOZ) save_and_next(ls);
    lexerror(ls, msg, TK_STRING);
  }
}

int gethexa(LexState* ls) {
  save_and_next(ls);
  esccheck(ls, lisxdigit(ls->current), "hexadecimal digit expected");
  return luaO_hexavalue(ls->current);
}

// "\xXX": exactly two hexadecimal digits.
int readhexaesc(LexState* ls) {
  int r = gethexa(ls);
  r = (r << 4) + gethexa(ls);
  luaZ_buffremove(ls->buff, 2);  // drop "\x" and the first digit
  return r;
}

// "\u{XXX}": any number of hexadecimal digits, up to 2^31 - 1.
unsigned long readutf8esc(LexState* ls) {
  std::size_t i = 4;  // "\u{" and the first digit are saved
  save_and_next(ls);  // the 'u'
  esccheck(ls, ls->current == '{', "missing '{'");
  unsigned long r = static_cast<unsigned long>(gethexa(ls));
  save_and_next(ls);
  while (lisxdigit(ls->current)) {
    i++;
    esccheck(ls, r <= (0x7FFFFFFFu >> 4), "UTF-8 value too large");
    r = (r << 4) + static_cast<unsigned long>(luaO_hexavalue(ls->current));
    save_and_next(ls);
  }
  esccheck(ls, ls->current == '}', "missing '}'");
  next(ls);                      // the '}'
  luaZ_buffremove(ls->buff, i);  // drop the escape's text
  return r;
}

void utf8esc(LexState* ls) {
  char buff[UTF8BUFFSZ];
  int n = luaO_utf8esc(buff, readutf8esc(ls));
  for (; n > 0; n--) save(ls, buff[UTF8BUFFSZ - n]);
}

// "\ddd": up to three decimal digits, at most 255.
int readdecesc(LexState* ls) {
  int r = 0;
  int i;
  for (i = 0; i < 3 && lisdigit(ls->current); i++) {
    r = 10 * r + ls->current - '0';
    save_and_next(ls);
  }
  esccheck(ls, r <= UCHAR_MAX, "decimal escape too large");
  luaZ_buffremove(ls->buff, static_cast<std::size_t>(i));
  return r;
}

// What read_string does after an escape: save the byte and move past the
// escape's last character, save a byte whose characters are already
// consumed, or save nothing (the escape saved its own bytes, or skipped).
enum class EscAction { ReadSave, OnlySave, NoSave };

struct Escape {
  EscAction action;
  int c;
};

// Decodes the escape whose backslash has just been saved.
Escape readescape(LexState* ls) {
  switch (ls->current) {
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
      return {EscAction::ReadSave, readhexaesc(ls)};
    case 'u':
      utf8esc(ls);  // removes its text, the backslash included
      return {EscAction::NoSave, 0};
    case '\n':
    case '\r':
      inclinenumber(ls);
      return {EscAction::OnlySave, '\n'};
    case '\\':
    case '\"':
    case '\'':
      return {EscAction::ReadSave, ls->current};
    case EOZ:
      return {EscAction::NoSave, 0};  // the loop reports it next
    case 'z':  // skip the following white space, line breaks included
      luaZ_buffremove(ls->buff, 1);  // the backslash
      next(ls);
      while (lisspace(ls->current)) {
        if (currIsNewline(ls))
          inclinenumber(ls);
        else
          next(ls);
      }
      return {EscAction::NoSave, 0};
    default:
      esccheck(ls, lisdigit(ls->current), "invalid escape sequence");
      return {EscAction::OnlySave, readdecesc(ls)};
  }
}

// A quoted string. Escapes are decoded into the buffer; the quotes are
// saved too and dropped when the string is made.
void read_string(LexState* ls, int del, SemInfo* seminfo) {
  save_and_next(ls);  // the opening quote
  while (ls->current != del) {
    switch (ls->current) {
      case EOZ:
        lexerror(ls, "unfinished string", TK_EOS);
      case '\n':
      case '\r':
        lexerror(ls, "unfinished string", TK_STRING);
      case '\\': {
        save_and_next(ls);  // keep the backslash for error messages
        Escape e = readescape(ls);
        if (e.action == EscAction::NoSave) break;
        if (e.action == EscAction::ReadSave) next(ls);
        luaZ_buffremove(ls->buff, 1);  // the backslash
        save(ls, e.c);
        break;
      }
      default:
        save_and_next(ls);
    }
  }
  save_and_next(ls);  // the closing quote
  seminfo->ts =
      luaX_newstring(ls, luaZ_buffer(ls->buff) + 1, luaZ_bufflen(ls->buff) - 2);
}

// A name, or a reserved word (whose string carries its token number).
int read_name(LexState* ls, SemInfo* seminfo) {
  do {
    save_and_next(ls);
  } while (lislalnum(ls->current));
  TString* ts =
      luaX_newstring(ls, luaZ_buffer(ls->buff), luaZ_bufflen(ls->buff));
  seminfo->ts = ts;
  if (isreserved(ts)) return ts->extra - 1 + FIRST_RESERVED;
  return TK_NAME;
}

// A comment, after its "--": a long comment if a long bracket follows,
// otherwise everything up to the end of the line.
void skip_comment(LexState* ls) {
  if (ls->current == '[') {
    std::size_t sep = skip_sep(ls);
    luaZ_resetbuffer(ls->buff);  // 'skip_sep' may have saved brackets
    if (sep >= 2) {
      read_long_string(ls, nullptr, sep);
      luaZ_resetbuffer(ls->buff);
      return;
    }
  }
  while (!currIsNewline(ls) && ls->current != EOZ) next(ls);
}

// The operators that are one byte or that byte followed by a second one:
// returns `two` when `second` follows, else the byte itself.
int one_or_two(LexState* ls, int second, int two) {
  int c = ls->current;
  next(ls);
  return check_next1(ls, second) ? two : c;
}

int llex(LexState* ls, SemInfo* seminfo) {
  luaZ_resetbuffer(ls->buff);
  for (;;) {
    switch (ls->current) {
      case '\n':
      case '\r':
        inclinenumber(ls);
        break;
      case ' ':
      case '\f':
      case '\t':
      case '\v':
        next(ls);
        break;
      case '-':
        next(ls);
        if (ls->current != '-') return '-';
        next(ls);
        skip_comment(ls);
        break;
      case '[': {
        std::size_t sep = skip_sep(ls);
        if (sep >= 2) {
          read_long_string(ls, seminfo, sep);
          return TK_STRING;
        }
        if (sep == 0) lexerror(ls, "invalid long string delimiter", TK_STRING);
        return '[';
      }
      case '=':
        return one_or_two(ls, '=', TK_EQ);
      case '<':
        next(ls);
        if (check_next1(ls, '=')) return TK_LE;
        if (check_next1(ls, '<')) return TK_SHL;
        return '<';
      case '>':
        next(ls);
        if (check_next1(ls, '=')) return TK_GE;
        if (check_next1(ls, '>')) return TK_SHR;
        return '>';
      case '/':
        return one_or_two(ls, '/', TK_IDIV);
      case '~':
        return one_or_two(ls, '=', TK_NE);
      case ':':
        return one_or_two(ls, ':', TK_DBCOLON);
      case '"':
      case '\'':
        read_string(ls, ls->current, seminfo);
        return TK_STRING;
      case '.':
        save_and_next(ls);
        if (check_next1(ls, '.')) {
          if (check_next1(ls, '.')) return TK_DOTS;
          return TK_CONCAT;
        }
        if (!lisdigit(ls->current)) return '.';
        return read_numeral(ls, seminfo);
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
        return read_numeral(ls, seminfo);
      case EOZ:
        return TK_EOS;
      default:
        if (lislalpha(ls->current)) return read_name(ls, seminfo);
        int c = ls->current;  // a single-byte token
        next(ls);
        return c;
    }
  }
}

}  // namespace

void luaX_next(LexState* ls) {
  ls->lastline = ls->linenumber;
  if (ls->lookahead.token != TK_EOS) {  // a token was read ahead
    ls->t = ls->lookahead;
    ls->lookahead.token = TK_EOS;
  } else {
    ls->t.token = llex(ls, &ls->t.seminfo);
  }
}

int luaX_lookahead(LexState* ls) {
  lua_assert(ls->lookahead.token == TK_EOS);
  ls->lookahead.token = llex(ls, &ls->lookahead.seminfo);
  return ls->lookahead.token;
}

}  // namespace lua
