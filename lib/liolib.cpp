/// \file
/// The io library: file handles over C streams, the default input and
/// output files, and reading (by line, by count, by numeral or whole),
/// writing, seeking and buffering on them.
///
/// Mirrors: Lua 5.4 liolib.c
/// Book: chapter 10
///
/// Design: a file handle is a full userdata laid out as lauxlib.h's
/// luaL_Stream (the stream and the function that closes it) with the
/// registry's "FILE*" metatable, whose __index is the method table. A
/// handle does not know how it was opened: fopen, popen and the standard
/// streams differ only in the close function they store, which is how
/// io.close on a pipe returns the command's exit status and why the
/// standard files refuse to close.
///
/// - **Invariant CLOSED-MARK.** A handle is closed exactly when its
///   `closef` is null. Closing clears `closef` before calling it, so a
///   close function that fails (or raises an error) still leaves a closed
///   handle, and nothing closes a stream twice.
/// - **Invariant PREFILE.** Every handle is born closed (newprefile) and
///   is given its stream and close function only afterwards. If anything
///   between the allocation and the open fails (a memory error, a bad
///   mode, fopen itself), the collector later meets a closed handle, or
///   one whose stream is null, and __gc leaves it alone.
/// - **Invariant DEFAULT-FILES.** The registry fields `_IO_input` and
///   `_IO_output` always hold a file handle (maybe a closed one): io.input
///   and io.output only ever store handles there, and luaopen_io starts
///   them as stdin and stdout.
/// - **Invariant LINES-UPVALUES.** An iterator made by lines is a C
///   closure over io_readline whose upvalues are, in order: the handle,
///   the number of formats n, whether the iterator closes the handle at
///   the end of the file, and then the n formats.
///
/// Style: stack slots and upvalues are named; handles are references
/// (a userdata is never null); the read formats are dispatched in
/// read_one; the numeral reader is a small class with Lua's helper names
/// (nextc, test2, readdigits) as its methods; the three readers that build
/// strings share pushbuffered.
///
/// Differences from Lua: POSIX is assumed (Debian's lua5.4 is built with
/// LUA_USE_LINUX): popen, fseeko/ftello and getc_unlocked under
/// flockfile are used directly instead of through configuration macros,
/// since this build targets no other system. io.open checks its mode
/// before creating the handle rather than just after (no visible
/// difference: either way the call raises the same error).
#include <sys/types.h>

#include <cctype>
#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

using LStream = luaL_Stream;

// fopen's modes: 'r', 'w' or 'a', an optional '+', then any number of
// 'b's. The mode is read as a C string, as fopen will read it.
bool l_checkmode(std::string_view mode) {
  constexpr std::string_view kinds = "rwa";
  if (mode.empty() || kinds.find(mode.front()) == std::string_view::npos)
    return false;
  mode.remove_prefix(1);
  if (!mode.empty() && mode.front() == '+') mode.remove_prefix(1);
  return mode.find_first_not_of('b') == std::string_view::npos;
}

// popen accepts exactly "r" or "w".
bool l_checkmodep(std::string_view mode) {
  return mode == "r" || mode == "w";
}

// Everything buffered is flushed first, so that the child's output does not
// overtake ours.
FILE* l_popen(const char* command, const char* mode) {
  std::fflush(nullptr);
  return ::popen(command, mode);
}

// Locks a stream for the unlocked character reads, for one scope. No Lua
// error may be raised while it is held.
class FileLock {
 public:
  explicit FileLock(FILE* f) : f_(f) { ::flockfile(f_); }
  ~FileLock() { ::funlockfile(f_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  FILE* f_;
};

int l_getc(FILE* f) {
  return ::getc_unlocked(f);
}

// The registry keys of the default files. What follows the prefix is the
// name that error messages use ("default input file is closed").
constexpr std::string_view IO_PREFIX = "_IO_";
constexpr const char* IO_INPUT = "_IO_input";
constexpr const char* IO_OUTPUT = "_IO_output";

// Every method takes its handle as argument 1.
constexpr int kSelf = 1;

// The handle in argument 1 (a userdata is never null: a reference).
LStream& tolstream(lua_State* L) {
  return *static_cast<LStream*>(luaL_checkudata(L, kSelf, LUA_FILEHANDLE));
}

bool isclosed(const LStream& stream) {
  return stream.closef == nullptr;
}

int io_type(lua_State* L) {
  constexpr int value = 1;
  luaL_checkany(L, value);
  const auto* handle =
      static_cast<LStream*>(luaL_testudata(L, value, LUA_FILEHANDLE));
  if (handle == nullptr) {
    luaL_pushfail(L);
    return 1;
  }
  lua_pushstring(L, isclosed(*handle) ? "closed file" : "file");
  return 1;
}

int f_tostring(lua_State* L) {
  const LStream& stream = tolstream(L);
  if (isclosed(stream)) {
    lua_pushstring(L, "file (closed)");
    return 1;
  }
  lua_pushfstring(L, "file (%p)", static_cast<void*>(stream.f));
  return 1;
}

// The stream of an open handle in argument 1; a closed one is an error.
FILE* tofile(lua_State* L) {
  const LStream& stream = tolstream(L);
  if (luai_unlikely(isclosed(stream)))
    luaL_error(L, "attempt to use a closed file");
  return stream.f;
}

// Invariant PREFILE: the new handle (pushed) is closed until its caller
// gives it a stream and a close function.
LStream& newprefile(lua_State* L) {
  void* block = lua_newuserdatauv(L, sizeof(LStream), 0);
  auto& stream = *static_cast<LStream*>(block);
  stream = LStream{nullptr, nullptr};
  luaL_setmetatable(L, LUA_FILEHANDLE);
  return stream;
}

// Invariant CLOSED-MARK: the mark is set before the close function runs.
int aux_close(lua_State* L) {
  LStream& stream = tolstream(L);
  const lua_CFunction closer = stream.closef;
  stream.closef = nullptr;
  return closer(L);
}

int f_close(lua_State* L) {
  tofile(L);  // only an open handle may be closed
  return aux_close(L);
}

int io_close(lua_State* L) {
  const bool nohandle = lua_isnone(L, kSelf);
  if (nohandle) lua_getfield(L, LUA_REGISTRYINDEX, IO_OUTPUT);
  return f_close(L);
}

// __gc and __close: closes an open handle; a closed one, or one whose open
// never completed, is left alone.
int f_gc(lua_State* L) {
  const LStream& stream = tolstream(L);
  const bool open = !isclosed(stream) && stream.f != nullptr;
  if (open) aux_close(L);
  return 0;
}

// The close function of the files that io.open, io.tmpfile and
// io.lines/io.input/io.output (with a name) open.
int io_fclose(lua_State* L) {
  const bool ok = std::fclose(tolstream(L).f) == 0;
  return luaL_fileresult(L, ok, nullptr);
}

// A handle (pushed) that fclose will close, not yet holding a stream.
LStream& newfile(lua_State* L) {
  LStream& stream = newprefile(L);
  stream.closef = io_fclose;
  return stream;
}

// A new handle (pushed) over fopen(fname, mode): its stream is null when
// the file could not be opened, and errno says why.
const LStream& openfile(lua_State* L, const char* fname, const char* mode) {
  LStream& stream = newfile(L);
  stream.f = std::fopen(fname, mode);
  return stream;
}

// Opens a file for io.lines, io.input and io.output, which raise an error
// (rather than return fail) when the file cannot be opened.
void opencheck(lua_State* L, const char* fname, const char* mode) {
  if (luai_likely(openfile(L, fname, mode).f != nullptr)) return;
  luaL_error(L, "cannot open file '%s' (%s)", fname, std::strerror(errno));
}

// The mode is checked before the handle exists; Lua checks it just after
// creating the handle, which makes no difference to the caller.
int io_open(lua_State* L) {
  constexpr int namearg = 1;
  constexpr int modearg = 2;
  const char* filename = luaL_checkstring(L, namearg);
  const char* mode = luaL_optstring(L, modearg, "r");
  luaL_argcheck(L, l_checkmode(mode), modearg, "invalid mode");
  if (openfile(L, filename, mode).f == nullptr)
    return luaL_fileresult(L, 0, filename);
  return 1;
}

// The close function of pipes: the command's exit status as the result.
// errno is cleared so that luaL_execresult can tell a failed pclose.
int io_pclose(lua_State* L) {
  FILE* pipe = tolstream(L).f;
  errno = 0;
  return luaL_execresult(L, ::pclose(pipe));
}

int io_popen(lua_State* L) {
  constexpr int commandarg = 1;
  constexpr int modearg = 2;
  const char* command = luaL_checkstring(L, commandarg);
  const char* mode = luaL_optstring(L, modearg, "r");
  LStream& stream = newprefile(L);
  luaL_argcheck(L, l_checkmodep(mode), modearg, "invalid mode");
  stream.f = l_popen(command, mode);
  stream.closef = io_pclose;
  if (stream.f == nullptr) return luaL_fileresult(L, 0, command);
  return 1;
}

int io_tmpfile(lua_State* L) {
  LStream& stream = newfile(L);
  stream.f = std::tmpfile();
  if (stream.f == nullptr) return luaL_fileresult(L, 0, nullptr);
  return 1;
}

// The stream of a default file (left on the stack); a closed default file
// is an error naming it (Invariant DEFAULT-FILES: it is a handle).
FILE* getiofile(lua_State* L, const char* findex) {
  lua_getfield(L, LUA_REGISTRYINDEX, findex);
  const auto& stream = *static_cast<LStream*>(lua_touserdata(L, -1));
  if (luai_likely(!isclosed(stream))) return stream.f;
  const char* name = findex + IO_PREFIX.size();
  luaL_error(L, "default %s file is closed", name);
  return nullptr;
}

// io.input and io.output: with a file name, opens it in `mode` and makes
// it the default; with a handle, makes that the default. Either way the
// current default is the result.
int g_iofile(lua_State* L, const char* findex, const char* mode) {
  constexpr int filearg = 1;
  if (!lua_isnoneornil(L, filearg)) {
    const char* filename = lua_tostring(L, filearg);
    if (filename == nullptr) {
      tofile(L);  // must be an open handle
      lua_pushvalue(L, filearg);
    } else {
      opencheck(L, filename, mode);
    }
    lua_setfield(L, LUA_REGISTRYINDEX, findex);
  }
  lua_getfield(L, LUA_REGISTRYINDEX, findex);
  return 1;
}

int io_input(lua_State* L) {
  return g_iofile(L, IO_INPUT, "r");
}

int io_output(lua_State* L) {
  return g_iofile(L, IO_OUTPUT, "w");
}

int io_readline(lua_State* L);

// The formats of a lines iterator are upvalues, after three fixed ones
// (Invariant LINES-UPVALUES); 255 upvalues is the limit of a closure.
constexpr int MAXARGLINE = 250;
constexpr int kFileUpvalue = 1;
constexpr int kCountUpvalue = 2;
constexpr int kToCloseUpvalue = 3;
constexpr int kFixedUpvalues = 3;

// Replaces the handle in slot 1 and the formats above it with a lines
// iterator.
void aux_lines(lua_State* L, bool toclose) {
  const int nformats = lua_gettop(L) - 1;
  luaL_argcheck(L, nformats <= MAXARGLINE, MAXARGLINE + 2,
                "too many arguments");
  lua_pushvalue(L, kSelf);
  lua_pushinteger(L, nformats);
  lua_pushboolean(L, toclose);
  lua_rotate(L, kSelf + 1, kFixedUpvalues);  // handle, count, flag, formats
  lua_pushcclosure(L, io_readline, kFixedUpvalues + nformats);
}

int f_lines(lua_State* L) {
  tofile(L);  // must be an open handle
  aux_lines(L, false);
  return 1;
}

// io.lines(): the default input, left open at the end. io.lines(name):
// a new file, closed by the iterator at its end; it is also returned as
// the fourth value, the generic for's to-be-closed variable, so a loop
// left early closes it too.
int io_lines(lua_State* L) {
  constexpr int filearg = 1;
  if (lua_isnone(L, filearg)) lua_pushnil(L);
  if (lua_isnil(L, filearg)) {
    lua_getfield(L, LUA_REGISTRYINDEX, IO_INPUT);
    lua_replace(L, filearg);
    tofile(L);
    aux_lines(L, false);
    return 1;
  }
  opencheck(L, luaL_checkstring(L, filearg), "r");
  lua_replace(L, filearg);
  aux_lines(L, true);
  for (int i = 0; i < 2; i++) lua_pushnil(L);  // the state and control
  lua_pushvalue(L, filearg);
  return 4;
}

// ---------------------------------------------------------------------
// READ
// ---------------------------------------------------------------------

// The longest numeral that read("n") accepts.
constexpr int L_MAXLENNUM = 200;

// Reads the longest prefix of the input that can begin a numeral into a
// buffer, one character of look-ahead at a time; lua_stringtonumber then
// judges the whole. A numeral longer than L_MAXLENNUM is abandoned (and
// fails) where the buffer ends.
class RN {
 public:
  explicit RN(FILE* f) : f_(f) {}

  // Reads the first character after any white space.
  void start() {
    do c_ = l_getc(f_);
    while (std::isspace(c_));
  }
  // Keeps the look-ahead character and reads the next one.
  bool nextc() {
    if (luai_unlikely(n_ >= L_MAXLENNUM)) {
      overflowed_ = true;
      return false;
    }
    buff_[n_++] = static_cast<char>(c_);
    c_ = l_getc(f_);
    return true;
  }
  // Keeps the look-ahead character if it is `a` or `b`.
  bool test2(char a, char b) {
    if (c_ != a && c_ != b) return false;
    return nextc();
  }
  // Keeps a run of (hexadecimal) digits; returns how many.
  int readdigits(bool hex) {
    int count = 0;
    while (isdigitof(c_, hex) && nextc()) count++;
    return count;
  }
  // The kept text, or null if the numeral outgrew the buffer. The look-
  // ahead character goes back to the stream.
  const char* finish() {
    std::ungetc(c_, f_);
    buff_[n_] = '\0';
    return overflowed_ ? nullptr : buff_;
  }

 private:
  static bool isdigitof(int c, bool hex) {
    return hex ? std::isxdigit(c) != 0 : std::isdigit(c) != 0;
  }

  FILE* f_;
  int c_ = EOF;
  int n_ = 0;
  bool overflowed_ = false;
  char buff_[L_MAXLENNUM + 1] = {};
};

// The shape of a numeral: sign, "0x" or digits, the fraction after the
// locale's decimal point or a dot, and an exponent only after a digit.
const char* scan_numeral(RN& rn) {
  const char decpoint = std::localeconv()->decimal_point[0];
  int count = 0;
  bool hex = false;
  rn.start();
  rn.test2('-', '+');
  if (rn.test2('0', '0')) {
    hex = rn.test2('x', 'X');
    if (!hex) count = 1;  // the '0' was a digit
  }
  count += rn.readdigits(hex);
  if (rn.test2(decpoint, '.')) count += rn.readdigits(hex);
  if (count > 0 && (hex ? rn.test2('p', 'P') : rn.test2('e', 'E'))) {
    rn.test2('-', '+');
    rn.readdigits(false);  // exponents are decimal
  }
  return rn.finish();
}

// Pushes the number read, or nil when the text is no numeral.
bool read_number(lua_State* L, FILE* f) {
  RN rn(f);
  const char* text = nullptr;
  {
    FileLock lock(f);
    text = scan_numeral(rn);
  }
  if (luai_likely(text != nullptr && lua_stringtonumber(L, text) != 0))
    return true;
  lua_pushnil(L);
  return false;
}

// read(0): an empty string unless at the end of the file.
bool test_eof(lua_State* L, FILE* f) {
  const int c = std::getc(f);
  std::ungetc(c, f);  // does nothing for EOF
  lua_pushstring(L, "");
  return c != EOF;
}

// Adds the characters up to the end of the line to `b`, a buffer-load at a
// time (the lock is held only while no allocation can happen). Returns
// the character that stopped it: '\n' or EOF.
int read_line_chars(luaL_Buffer& b, FILE* f) {
  int c = EOF;
  do {
    char* chunk = luaL_prepbuffer(&b);
    size_t count = 0;
    {
      FileLock lock(f);
      while (count < LUAL_BUFFERSIZE && (c = l_getc(f)) != EOF && c != '\n')
        chunk[count++] = static_cast<char>(c);
    }
    luaL_addsize(&b, count);
  } while (c != EOF && c != '\n');
  return c;
}

// The readers' common frame: `fill` adds text to a fresh luaL_Buffer,
// whose string is then pushed; returns what `fill` returned.
template <typename Fill>
auto pushbuffered(lua_State* L, Fill fill) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  const auto result = fill(b);
  luaL_pushresult(&b);
  return result;
}

// Pushes the next line, with its newline when `chop` is false. Succeeds
// when something was read: a newline or at least one character.
bool read_line(lua_State* L, FILE* f, bool chop) {
  const int last = pushbuffered(L, [f, chop](luaL_Buffer& b) {
    const int c = read_line_chars(b, f);
    if (!chop && c == '\n') luaL_addchar(&b, '\n');
    return c;
  });
  return last == '\n' || lua_rawlen(L, -1) > 0;
}

// Reads buffer-loads until one comes back short: the end of the file.
void read_all(lua_State* L, FILE* f) {
  pushbuffered(L, [f](luaL_Buffer& b) {
    for (;;) {
      const size_t got = std::fread(luaL_prepbuffer(&b), 1, LUAL_BUFFERSIZE, f);
      luaL_addsize(&b, got);
      if (got < LUAL_BUFFERSIZE) return 0;
    }
  });
}

// Pushes up to `n` characters; succeeds when at least one was read.
bool read_chars(lua_State* L, FILE* f, size_t n) {
  const size_t got = pushbuffered(L, [f, n](luaL_Buffer& b) {
    const size_t count = std::fread(luaL_prepbuffsize(&b, n), 1, n, f);
    luaL_addsize(&b, count);
    return count;
  });
  return got > 0;
}

// Reads what the format in slot `arg` asks for and pushes it.
bool read_one(lua_State* L, FILE* f, int arg) {
  if (lua_type(L, arg) == LUA_TNUMBER) {
    const auto count = static_cast<size_t>(luaL_checkinteger(L, arg));
    return count == 0 ? test_eof(L, f) : read_chars(L, f, count);
  }
  const char* format = luaL_checkstring(L, arg);
  if (*format == '*') format++;  // Lua 5.2's "*l" and friends
  switch (*format) {
    case 'n':
      return read_number(L, f);
    case 'l':
      return read_line(L, f, true);
    case 'L':
      return read_line(L, f, false);
    case 'a':
      read_all(L, f);
      return true;  // even at the end of the file
    default:
      return luaL_argerror(L, arg, "invalid format");
  }
}

// Reads one value per format from slot `first` on (a line when there is
// none), stopping at the first failure, which yields fail in its place. A
// stream error makes the results fail, its message and errno instead.
int g_read(lua_State* L, FILE* f, int first) {
  // Slot 1 is the method's handle, or (io.read) the default file sits on
  // top of the formats: either way one slot is not a format.
  const int nformats = lua_gettop(L) - 1;
  std::clearerr(f);
  int results = 1;
  bool success = true;
  if (nformats == 0) {
    success = read_line(L, f, true);
  } else {
    // Room for every result plus what luaL_Buffer needs.
    luaL_checkstack(L, nformats + LUA_MINSTACK, "too many arguments");
    success = read_one(L, f, first);
    for (; results < nformats && success; results++)
      success = read_one(L, f, first + results);
  }
  if (std::ferror(f)) return luaL_fileresult(L, 0, nullptr);
  if (!success) {  // the failed read's result becomes fail
    luaL_pushfail(L);
    lua_replace(L, -2);
  }
  return results;
}

// Where the values of io.read and io.write begin, and those of the methods
// (after their handle).
constexpr int kFirstArg = 1;
constexpr int kFirstAfterSelf = kSelf + 1;

int io_read(lua_State* L) {
  return g_read(L, getiofile(L, IO_INPUT), kFirstArg);
}

int f_read(lua_State* L) {
  return g_read(L, tofile(L), kFirstAfterSelf);
}

// The lines iterator (Invariant LINES-UPVALUES): reads with the saved
// formats. At the end of the file it returns nothing, closing the file
// first if it owns it; a read error becomes a Lua error.
int io_readline(lua_State* L) {
  const int file = lua_upvalueindex(kFileUpvalue);
  const auto& stream = *static_cast<LStream*>(lua_touserdata(L, file));
  const auto nformats =
      static_cast<int>(lua_tointeger(L, lua_upvalueindex(kCountUpvalue)));
  if (isclosed(stream)) return luaL_error(L, "file is already closed");
  lua_settop(L, kSelf);  // g_read sees slot 1 as the handle's place
  luaL_checkstack(L, nformats, "too many arguments");
  for (int i = 1; i <= nformats; i++)
    lua_pushvalue(L, lua_upvalueindex(kFixedUpvalues + i));
  const int results = g_read(L, stream.f, kFirstAfterSelf);
  if (lua_toboolean(L, -results)) return results;
  if (results > 1)  // fail, message, errno: the read failed
    return luaL_error(L, "%s", lua_tostring(L, -results + 1));
  if (lua_toboolean(L, lua_upvalueindex(kToCloseUpvalue))) {
    lua_settop(L, 0);
    lua_pushvalue(L, file);  // aux_close wants it in slot 1
    aux_close(L);
  }
  return 0;
}

// ---------------------------------------------------------------------

// Numbers are written with the formats of tostring, straight into the
// stream; the result says whether anything was written.
bool write_number(lua_State* L, FILE* f, int arg) {
  if (lua_isinteger(L, arg)) {
    const auto value = static_cast<LUAI_UACINT>(lua_tointeger(L, arg));
    return std::fprintf(f, LUA_INTEGER_FMT, value) > 0;
  }
  const auto value = static_cast<LUAI_UACNUMBER>(lua_tonumber(L, arg));
  return std::fprintf(f, LUA_NUMBER_FMT, value) > 0;
}

// Writes the value in slot `arg`: numbers in Lua's formats, strings as
// they are. Once a write has failed (`ok` false), strings are no longer
// written, though every argument is still checked.
bool write_one(lua_State* L, FILE* f, int arg, bool ok) {
  if (lua_type(L, arg) == LUA_TNUMBER) {
    const bool wrote = write_number(L, f, arg);
    return ok && wrote;
  }
  size_t len = 0;
  const char* s = luaL_checklstring(L, arg, &len);
  return ok && std::fwrite(s, 1, len, f) == len;
}

// Writes the values from slot `arg` up to (not including) the top, which
// holds the file handle returned on success.
int g_write(lua_State* L, FILE* f, int arg) {
  const int top = lua_gettop(L);
  bool ok = true;
  for (; arg < top; arg++) ok = write_one(L, f, arg, ok);
  if (luai_likely(ok)) return 1;
  return luaL_fileresult(L, 0, nullptr);
}

int io_write(lua_State* L) {
  return g_write(L, getiofile(L, IO_OUTPUT), kFirstArg);
}

int f_write(lua_State* L) {
  FILE* f = tofile(L);
  lua_pushvalue(L, kSelf);  // the result, for chained calls
  return g_write(L, f, kFirstAfterSelf);
}

int f_seek(lua_State* L) {
  constexpr int whencearg = 2;
  constexpr int offsetarg = 3;
  static const char* const modenames[] = {"set", "cur", "end", nullptr};
  static constexpr int mode[] = {SEEK_SET, SEEK_CUR, SEEK_END};
  FILE* f = tofile(L);
  const int whence = mode[luaL_checkoption(L, whencearg, "cur", modenames)];
  const lua_Integer requested = luaL_optinteger(L, offsetarg, 0);
  const auto offset = static_cast<off_t>(requested);
  luaL_argcheck(L, static_cast<lua_Integer>(offset) == requested, offsetarg,
                "not an integer in proper range");
  if (luai_unlikely(::fseeko(f, offset, whence) != 0))
    return luaL_fileresult(L, 0, nullptr);
  lua_pushinteger(L, static_cast<lua_Integer>(::ftello(f)));
  return 1;
}

int f_setvbuf(lua_State* L) {
  constexpr int modearg = 2;
  constexpr int sizearg = 3;
  static const char* const modenames[] = {"no", "full", "line", nullptr};
  static constexpr int mode[] = {_IONBF, _IOFBF, _IOLBF};
  FILE* f = tofile(L);
  const int buffering = mode[luaL_checkoption(L, modearg, nullptr, modenames)];
  const lua_Integer size = luaL_optinteger(L, sizearg, LUAL_BUFFERSIZE);
  const bool ok =
      std::setvbuf(f, nullptr, buffering, static_cast<size_t>(size)) == 0;
  return luaL_fileresult(L, ok, nullptr);
}

int io_flush(lua_State* L) {
  const bool ok = std::fflush(getiofile(L, IO_OUTPUT)) == 0;
  return luaL_fileresult(L, ok, nullptr);
}

int f_flush(lua_State* L) {
  const bool ok = std::fflush(tofile(L)) == 0;
  return luaL_fileresult(L, ok, nullptr);
}

// The registration lists' (name, function) lines are fixed by the
// language and by the rule of keeping Lua's function names.
const luaL_Reg iolib[] = {
    {"close", io_close}, {"flush", io_flush}, {"input", io_input},
    {"lines", io_lines}, {"open", io_open},   {"output", io_output},
    {"popen", io_popen}, {"read", io_read},   {"tmpfile", io_tmpfile},
    {"type", io_type},   {"write", io_write}, {nullptr, nullptr},
};

const luaL_Reg meth[] = {
    {"read", f_read},       {"write", f_write}, {"lines", f_lines},
    {"flush", f_flush},     {"seek", f_seek},   {"close", f_close},
    {"setvbuf", f_setvbuf}, {nullptr, nullptr},
};

const luaL_Reg metameth[] = {
    {"__index", nullptr},  // the method table, set by createmeta
    {"__gc", f_gc},       {"__close", f_gc}, {"__tostring", f_tostring},
    {nullptr, nullptr},
};

// The "FILE*" metatable (luaL_newmetatable also gives it __name).
void createmeta(lua_State* L) {
  luaL_newmetatable(L, LUA_FILEHANDLE);
  const int mt = lua_gettop(L);
  luaL_setfuncs(L, metameth, 0);
  luaL_newlib(L, meth);
  lua_setfield(L, mt, "__index");
  lua_settop(L, mt - 1);
}

// The close function of stdin, stdout and stderr: refuses, and puts itself
// back so the handle stays open (Invariant CLOSED-MARK cleared it).
int io_noclose(lua_State* L) {
  tolstream(L).closef = io_noclose;
  luaL_pushfail(L);
  lua_pushstring(L, "cannot close standard file");
  return 2;
}

// A standard stream, the registry key of the default file it starts as
// (none for stderr), and its name in the library table.
struct StdFile {
  FILE* stream;
  const char* regkey;
  const char* name;
};

// Adds a handle for a standard stream to the library table at `lib`, and
// to the registry when it is a default file.
void createstdfile(lua_State* L, int lib, const StdFile& file) {
  LStream& stream = newprefile(L);
  stream.f = file.stream;
  stream.closef = io_noclose;
  if (file.regkey != nullptr) {
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, file.regkey);
  }
  lua_setfield(L, lib, file.name);
}

}  // namespace

int luaopen_io(lua_State* L) {
  luaL_newlib(L, iolib);
  const int lib = lua_gettop(L);
  createmeta(L);
  const StdFile stdfiles[] = {{stdin, IO_INPUT, "stdin"},
                              {stdout, IO_OUTPUT, "stdout"},
                              {stderr, nullptr, "stderr"}};
  for (const StdFile& file : stdfiles) createstdfile(L, lib, file);
  return 1;
}
