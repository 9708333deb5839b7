/// \file
/// The lexer: turns the bytes of a chunk into tokens for the parser.
///
/// Mirrors: Lua 5.4 llex.h and llex.c
/// Book: chapter 7
///
/// Design: the lexer reads one byte ahead (`current`) and produces one
/// token at a time (`t`), with at most one token of lookahead. Names and
/// strings become interned TStrings (short ones, through chapter 3);
/// reserved words are recognised by the token number stored in their
/// string's `extra` field, so telling `while` from `whilst` costs one byte
/// test after interning. Numerals are read by chapter 2's `luaO_str2num`.
///
/// - **Invariant ANCHOR.** Every string the lexer hands to the parser is
///   also a key of the table `h`, which is reachable from the stack while
///   the compiler runs: the collector cannot free a constant before the
///   prototype that uses it exists.
/// - **Invariant LINE.** `linenumber` is the line of `current`; `lastline`
///   is the line of the last token consumed.
///
/// Errors are raised as Lua raises them: the message, prefixed with
/// "chunkname:line:" and followed by "near <token>", is pushed on the stack
/// and the status is LUA_ERRSYNTAX.
///
/// Differences from Lua: the token numbers are a plain (unscoped) enum,
/// because tokens share their number space with single characters
/// (`t.token == '('`), which an enum class would forbid.
#pragma once

#include <climits>

#include "lparser/lzio.hpp"

namespace lua {

/// Tokens above the single characters (which are their own codes).
inline constexpr int FIRST_RESERVED = UCHAR_MAX + 1;

/// The name of the first upvalue of every main chunk.
inline constexpr const char* LUA_ENV = "_ENV";

/// Token numbers: the reserved words (in alphabetical order, as stored in
/// their strings' `extra`), then the multi-character symbols, then the
/// tokens with a value.
enum RESERVED : int {
  TK_AND = FIRST_RESERVED,
  TK_BREAK,
  TK_DO,
  TK_ELSE,
  TK_ELSEIF,
  TK_END,
  TK_FALSE,
  TK_FOR,
  TK_FUNCTION,
  TK_GOTO,
  TK_IF,
  TK_IN,
  TK_LOCAL,
  TK_NIL,
  TK_NOT,
  TK_OR,
  TK_REPEAT,
  TK_RETURN,
  TK_THEN,
  TK_TRUE,
  TK_UNTIL,
  TK_WHILE,
  // other terminal symbols
  TK_IDIV,
  TK_CONCAT,
  TK_DOTS,
  TK_EQ,
  TK_GE,
  TK_LE,
  TK_NE,
  TK_SHL,
  TK_SHR,
  TK_DBCOLON,
  TK_EOS,
  TK_FLT,
  TK_INT,
  TK_NAME,
  TK_STRING
};

/// Number of reserved words.
inline constexpr int NUM_RESERVED = TK_WHILE - FIRST_RESERVED + 1;

/// The value of a token: a float, an integer or a string.
union SemInfo {
  lua_Number r;
  lua_Integer i;
  TString* ts;
};

struct Token {
  int token;
  SemInfo seminfo;
};

struct FuncState;  // the function being compiled (lparser)
struct Dyndata;    // the parser's dynamic structures (lparser)

/// The state of the lexer, shared with the parser. The parser sets `h`,
/// `buff` and `dyd`, then luaX_setinput sets the rest; the initialisers
/// only make sure that no field is ever indeterminate.
struct LexState {
  int current = EOZ;            ///< the current byte (one ahead of the token)
  int linenumber = 1;           ///< line of `current` (invariant LINE)
  int lastline = 1;             ///< line of the last token consumed
  Token t{};                    ///< the current token
  Token lookahead{TK_EOS, {}};  ///< the lookahead token, or TK_EOS if none
  FuncState* fs = nullptr;      ///< the function being compiled
  lua_State* L = nullptr;
  ZIO* z = nullptr;           ///< the input stream
  Mbuffer* buff = nullptr;    ///< text of the token being read
  Table* h = nullptr;         ///< anchors the strings of the chunk (ANCHOR)
  Dyndata* dyd = nullptr;     ///< active locals, gotos and labels
  TString* source = nullptr;  ///< the chunk name
  TString* envn = nullptr;    ///< the string "_ENV"
};

/// Creates the reserved words (fixed, with their token numbers in `extra`)
/// and the string "_ENV". Call once per state before compiling.
void luaX_init(lua_State* L);
/// Starts reading `z`; `firstchar` is the first byte, already read.
void luaX_setinput(lua_State* L, LexState* ls, ZIO* z, TString* source,
                   int firstchar);
/// The interned string for `l` bytes at `str`, anchored in `ls->h`.
TString* luaX_newstring(LexState* ls, const char* str, std::size_t l);
/// Reads the next token into `ls->t`.
void luaX_next(LexState* ls);
/// Reads the token after `ls->t` into `ls->lookahead` and returns it.
int luaX_lookahead(LexState* ls);
/// Raises "chunk:line: <msg> near <current token>" as LUA_ERRSYNTAX.
[[noreturn]] void luaX_syntaxerror(LexState* ls, const char* msg);
/// A printable form of `token` for messages ("'while'", "'<eof>'", ...),
/// pushed on the stack.
const char* luaX_token2str(LexState* ls, int token);

}  // namespace lua
