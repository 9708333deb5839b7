/// \file
/// The os library: time and dates, the environment, the locale, files by
/// name (remove, rename, tmpname), running commands and leaving the
/// program.
///
/// Mirrors: Lua 5.4 loslib.c
/// Book: chapter 10
///
/// Design: each function is a thin, checked layer over the C and POSIX
/// call of the same purpose, and reports failures the io library's way
/// (luaL_fileresult, luaL_execresult). Times are lua_Integers holding
/// time_t values; dates cross between Lua and C as tables with the fields
/// year, month, day, hour, min, sec, yday, wday and isdst, which are
/// struct tm's fields with Lua's origins (months and days of the year and
/// week count from 1, years from 0).
///
/// - **Invariant STRFTIME-CHECKED.** os.date hands strftime only
///   conversions from the C99/POSIX list (one character, or 'E'/'O'
///   followed by one), one at a time, each into a fresh buffer space of
///   SIZETIMEFMT bytes; anything else is an argument error. No format
///   that the C library might treat as undefined behaviour reaches it.
/// - **Invariant DATE-FIELDS-FIT.** A date table's integer fields reach
///   struct tm only when they fit an int after their origin is removed,
///   so the conversion to int never wraps; os.time then writes the fields
///   back, normalised by mktime.
///
/// Style: the date table's field names, origins and defaults are listed
/// once, in kDateFields, which both directions of the conversion walk.
///
/// Differences from Lua: POSIX is assumed, as in Debian's build
/// (LUA_USE_LINUX): gmtime_r/localtime_r, mkstemp for tmpname, and the
/// C99 list of strftime conversions; time is always an integer (no
/// LUA_NUMTIME), so the fields of a date always fit a lua_Integer.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// The strftime conversions os.date accepts: single characters, then the
// 'E' and 'O' modified forms as pairs.
constexpr std::string_view kOneCharOptions =
    "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
constexpr std::string_view kTwoCharOptions =
    "EcECExEXEyEY"
    "OdOeOHOIOmOMOSOuOUOVOwOWOy";

// os.tmpname's files: mkstemp replaces the X's.
constexpr char LUA_TMPNAMTEMPLATE[] = "/tmp/lua_XXXXXX";

int os_execute(lua_State* L) {
  const char* command = luaL_optstring(L, 1, nullptr);
  errno = 0;  // luaL_execresult reads it to tell "the shell did not start"
  const int stat = std::system(command);
  if (command != nullptr) return luaL_execresult(L, stat);
  lua_pushboolean(L, stat);  // system(NULL): is there a shell?
  return 1;
}

int os_remove(lua_State* L) {
  const char* filename = luaL_checkstring(L, 1);
  return luaL_fileresult(L, std::remove(filename) == 0, filename);
}

int os_rename(lua_State* L) {
  const char* from = luaL_checkstring(L, 1);
  const char* to = luaL_checkstring(L, 2);
  return luaL_fileresult(L, std::rename(from, to) == 0, nullptr);
}

// mkstemp creates the file (so that the name is not taken in between); the
// descriptor itself is not needed.
int os_tmpname(lua_State* L) {
  char name[sizeof(LUA_TMPNAMTEMPLATE)];
  std::memcpy(name, LUA_TMPNAMTEMPLATE, sizeof(name));
  const int fd = ::mkstemp(name);
  if (luai_unlikely(fd == -1))
    return luaL_error(L, "unable to generate a unique filename");
  ::close(fd);
  lua_pushstring(L, name);
  return 1;
}

int os_getenv(lua_State* L) {
  const char* value = std::getenv(luaL_checkstring(L, 1));
  lua_pushstring(L, value);  // nil when unset
  return 1;
}

int os_clock(lua_State* L) {
  const auto ticks = static_cast<lua_Number>(std::clock());
  lua_pushnumber(L, ticks / static_cast<lua_Number>(CLOCKS_PER_SEC));
  return 1;
}

// ---------------------------------------------------------------------
// Time/Date operations
// ---------------------------------------------------------------------

// The fields of a date table: struct tm's member, the value that Lua
// counts it from (tm_mon is 0 for January, "month" is 1), and for os.time
// the default of an absent field, kRequired when it must be present (yday
// and wday are only ever written). Listed in the order in which os.time
// reads them (which decides the error a bad table reports) and os.date
// writes them. isdst, a boolean, is handled apart.
constexpr int kRequired = -1;
constexpr int kWrittenOnly = -2;

struct DateField {
  const char* key;
  int std::tm::*member;
  int origin;
  int def;
};

constexpr DateField kDateFields[] = {
    {"year", &std::tm::tm_year, 1900, kRequired},
    {"month", &std::tm::tm_mon, 1, kRequired},
    {"day", &std::tm::tm_mday, 0, kRequired},
    {"hour", &std::tm::tm_hour, 0, 12},
    {"min", &std::tm::tm_min, 0, 0},
    {"sec", &std::tm::tm_sec, 0, 0},
    {"yday", &std::tm::tm_yday, 1, kWrittenOnly},
    {"wday", &std::tm::tm_wday, 1, kWrittenOnly},
};

// Sets field `key` of the table on top to `value` counted from `origin`.
void setfield(lua_State* L, const char* key, int value, int origin) {
  lua_pushinteger(L, static_cast<lua_Integer>(value) + origin);
  lua_setfield(L, -2, key);
}

// isdst is left out when the C library does not know it (negative).
void setboolfield(lua_State* L, const char* key, int value) {
  if (value < 0) return;
  lua_pushboolean(L, value);
  lua_setfield(L, -2, key);
}

void setallfields(lua_State* L, const std::tm& stm) {
  for (const DateField& field : kDateFields)
    setfield(L, field.key, stm.*field.member, field.origin);
  setboolfield(L, "isdst", stm.tm_isdst);
}

// The boolean field `key` of the table on top as mktime wants it: -1 when
// absent ("find out yourself"), else 0 or 1.
int getboolfield(lua_State* L, const char* key) {
  const bool absent = lua_getfield(L, -1, key) == LUA_TNIL;
  const int result = absent ? -1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  return result;
}

// Invariant DATE-FIELDS-FIT: `value` - `origin` is an int. Compared as
// unsigned on the positive side so that INT_MAX + origin cannot overflow.
bool fitsint(lua_Integer value, int origin) {
  if (value >= 0)
    return static_cast<lua_Unsigned>(value) <=
           static_cast<lua_Unsigned>(INT_MAX) + origin;
  return static_cast<lua_Integer>(INT_MIN) + origin <= value;
}

// The integer field `key` of the table on top, counted from `origin`; an
// absent field takes `def`, or is an error when it is kRequired.
int getfield(lua_State* L, const char* key, int def, int origin) {
  const int type = lua_getfield(L, -1, key);
  int isnum = 0;
  const lua_Integer value = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  if (isnum == 0) {
    if (luai_unlikely(type != LUA_TNIL))
      return luaL_error(L, "field '%s' is not an integer", key);
    if (luai_unlikely(def == kRequired))
      return luaL_error(L, "field '%s' missing in date table", key);
    return def;
  }
  if (luai_unlikely(!fitsint(value, origin)))
    return luaL_error(L, "field '%s' is out-of-bound", key);
  return static_cast<int>(value - origin);
}

// The date described by the table on top, as mktime's input.
std::tm getallfields(lua_State* L) {
  std::tm ts{};
  for (const DateField& field : kDateFields) {
    if (field.def == kWrittenOnly) continue;
    ts.*field.member = getfield(L, field.key, field.def, field.origin);
  }
  ts.tm_isdst = getboolfield(L, "isdst");
  return ts;
}

// How many characters of `conv` (the text after a '%') form a valid
// conversion (Invariant STRFTIME-CHECKED); 0 when none does.
size_t optionlength(std::string_view conv) {
  if (conv.empty()) return 0;
  if (kOneCharOptions.find(conv.front()) != std::string_view::npos) return 1;
  if (conv.size() < 2) return 0;
  for (size_t i = 0; i < kTwoCharOptions.size(); i += 2) {
    if (kTwoCharOptions.substr(i, 2) == conv.substr(0, 2)) return 2;
  }
  return 0;
}

// Copies the conversion at the start of `conv` into `spec` after its '%'
// and returns its length; an invalid one is an error quoting the rest of
// the format.
size_t checkoption(lua_State* L, std::string_view conv, char* spec) {
  const size_t len = optionlength(conv);
  if (luai_unlikely(len == 0)) {
    const char* msg =
        lua_pushfstring(L, "invalid conversion specifier '%%%s'", conv.data());
    luaL_argerror(L, 1, msg);
  }
  std::memcpy(spec + 1, conv.data(), len);
  spec[len + 1] = '\0';
  return len;
}

time_t l_checktime(lua_State* L, int arg) {
  const lua_Integer t = luaL_checkinteger(L, arg);
  luaL_argcheck(L, static_cast<time_t>(t) == t, arg, "time out-of-bounds");
  return static_cast<time_t>(t);
}

// The most that one conversion may produce; a longer result is dropped
// (strftime returns 0 for it).
constexpr size_t SIZETIMEFMT = 250;

// Pushes `format` with each conversion replaced by strftime's text for it.
void pushdate(lua_State* L, std::string_view format, const std::tm& stm) {
  char spec[4] = {'%'};  // '%', up to two characters, '\0'
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (!format.empty()) {
    const char c = format.front();
    format.remove_prefix(1);
    if (c != '%') {
      luaL_addchar(&b, c);
      continue;
    }
    char* out = luaL_prepbuffsize(&b, SIZETIMEFMT);
    format.remove_prefix(checkoption(L, format, spec));
    luaL_addsize(&b, std::strftime(out, SIZETIMEFMT, spec, &stm));
  }
  luaL_pushresult(&b);
}

int os_date(lua_State* L) {
  size_t len = 0;
  const char* s = luaL_optlstring(L, 1, "%c", &len);
  const time_t t = luaL_opt(L, l_checktime, 2, std::time(nullptr));
  std::string_view format(s, len);
  const bool utc = !format.empty() && format.front() == '!';
  if (utc) format.remove_prefix(1);
  std::tm storage{};
  const std::tm* stm =
      utc ? ::gmtime_r(&t, &storage) : ::localtime_r(&t, &storage);
  if (stm == nullptr)
    return luaL_error(L,
                      "date result cannot be represented in this installation");
  // Compared as a C string, as Lua does: "*t" followed by a '\0' counts.
  if (std::strcmp(format.data(), "*t") == 0) {
    lua_createtable(L, 0, 9);  // the nine fields
    setallfields(L, *stm);
  } else {
    pushdate(L, format, *stm);
  }
  return 1;
}

// os.time(t): the fields' order of reading decides which error a bad
// table reports first; the table is then normalised in place.
int os_time(lua_State* L) {
  constexpr int tablearg = 1;
  time_t t = 0;
  if (lua_isnoneornil(L, tablearg)) {
    t = std::time(nullptr);
  } else {
    luaL_checktype(L, tablearg, LUA_TTABLE);
    lua_settop(L, tablearg);  // the fields are read from the table on top
    std::tm ts = getallfields(L);
    t = std::mktime(&ts);
    setallfields(L, ts);
  }
  // mktime's -1 is its error, even though it is also a valid time.
  const bool representable =
      t == static_cast<time_t>(static_cast<lua_Integer>(t));
  if (!representable || t == static_cast<time_t>(-1))
    return luaL_error(L,
                      "time result cannot be represented in this installation");
  lua_pushinteger(L, static_cast<lua_Integer>(t));
  return 1;
}

int os_difftime(lua_State* L) {
  const time_t t1 = l_checktime(L, 1);
  const time_t t2 = l_checktime(L, 2);
  lua_pushnumber(L, static_cast<lua_Number>(std::difftime(t1, t2)));
  return 1;
}

// ---------------------------------------------------------------------

int os_setlocale(lua_State* L) {
  static const char* const catnames[] = {
      "all", "collate", "ctype", "monetary", "numeric", "time", nullptr};
  static constexpr int cat[] = {LC_ALL,      LC_COLLATE, LC_CTYPE,
                                LC_MONETARY, LC_NUMERIC, LC_TIME};
  const char* locale = luaL_optstring(L, 1, nullptr);  // null: query
  const int category = cat[luaL_checkoption(L, 2, "all", catnames)];
  lua_pushstring(L, std::setlocale(category, locale));  // nil on failure
  return 1;
}

// os.exit([code [, close]]): true and false stand for the C library's
// success and failure codes; with `close`, the state is closed first (its
// pending to-be-closed variables and finalizers run).
int os_exit(lua_State* L) {
  int status = EXIT_SUCCESS;
  if (lua_isboolean(L, 1))
    status = lua_toboolean(L, 1) ? EXIT_SUCCESS : EXIT_FAILURE;
  else
    status = static_cast<int>(luaL_optinteger(L, 1, EXIT_SUCCESS));
  if (lua_toboolean(L, 2)) lua_close(L);
  std::exit(status);
}

const luaL_Reg syslib[] = {
    {"clock", os_clock},         {"date", os_date},
    {"difftime", os_difftime},   {"execute", os_execute},
    {"exit", os_exit},           {"getenv", os_getenv},
    {"remove", os_remove},       {"rename", os_rename},
    {"setlocale", os_setlocale}, {"time", os_time},
    {"tmpname", os_tmpname},     {nullptr, nullptr},
};

}  // namespace

int luaopen_os(lua_State* L) {
  luaL_newlib(L, syslib);
  return 1;
}
