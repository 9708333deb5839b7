/// \file
/// The auxiliary library: tracebacks, argument checking and error
/// messages, string buffers, references, chunk loading from files and
/// memory, and the default state with its allocator, panic function and
/// warning system.
///
/// Mirrors: Lua 5.4 lauxlib.c
/// Book: chapter 9
///
/// Design: everything here is written with the public API of lua.h alone,
/// as any host program could write it; no core header is included. That
/// is what lets this file be built and tested against another core (it was
/// first run against Debian's liblua5.4) and what keeps the auxiliary
/// library a client of the API rather than a part of the interpreter.
///
/// - **Invariant NO-DESTRUCTORS.** Almost every API call here can raise an
///   error, and a core may raise it with longjmp (a C core) or with an
///   exception (ours). So no object with a destructor is alive across an
///   API call: the code uses plain C types, and owned memory (a buffer that
///   outgrew its inline area) is held by a userdata on the Lua stack, which
///   the collector or a to-be-closed slot frees on any exit path.
/// - **Invariant BUFFER-SLOT** (stated in lauxlib.h): while a luaL_Buffer
///   is open, its one stack slot holds a light-userdata placeholder while
///   the text is inline, and a "_UBOX*" box (to-be-closed) once it is not.
///   Every buffer operation finds that slot at the top, except luaL_addvalue
///   which finds it just below the value being added.
/// - **Invariant FREELIST.** In a table used by luaL_ref, key
///   LUA_RIDX_LAST + 1 holds the first free reference (0: none) and each
///   free reference holds the next one, so luaL_ref reuses freed keys
///   before it extends the sequence.
///
/// Style: stack positions are named (absolute indices computed from
/// lua_gettop) instead of being counted from the top, so that each function
/// states the layout it works on. The exported functions are defined
/// without LUALIB_API: they take their C linkage from lauxlib.h.
///
/// Differences from Lua: none in behaviour. The pclose status is always
/// read with the POSIX wait macros (Lua makes that a build option; every
/// platform this project supports has them).
#include "lapi/lauxlib.h"

#include <sys/wait.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// ---------------------------------------------------------------------
// Traceback
// ---------------------------------------------------------------------

namespace {

// A long traceback shows its first LEVELS1 and its last LEVELS2 levels and
// replaces the middle with a line that says how many were skipped.
constexpr int LEVELS1 = 10;
constexpr int LEVELS2 = 11;

// Searches the table on top of the stack, and the tables among its fields
// down to `level` tables deep, for a string key whose value is the object
// at absolute index `objidx`. On success the dotted path to it
// ("coroutine.wrap") is pushed above the searched table and the result is
// true; otherwise the stack is as it was.
bool findfield(lua_State* L, int objidx, int level) {
  if (level == 0 || !lua_istable(L, -1)) return false;
  const int table = lua_gettop(L);
  const int key = table + 1;
  const int value = table + 2;
  lua_pushnil(L);
  while (lua_next(L, table) != 0) {
    if (lua_type(L, key) == LUA_TSTRING) {  // only strings make names
      if (lua_rawequal(L, objidx, value)) {
        lua_settop(L, key);  // the key is the name
        return true;
      }
      if (findfield(L, objidx, level - 1)) {
        // The subpath lies above `value`: "key.subpath" replaces the key.
        lua_pushfstring(L, "%s.%s", lua_tostring(L, key),
                        lua_tostring(L, value + 1));
        lua_replace(L, key);
        lua_settop(L, key);
        return true;
      }
    }
    lua_settop(L, key);  // lua_next continues from the key
  }
  return false;
}

// Pushes the name under which package.loaded reaches the function of
// activation record `ar`, as "module.name", or just "name" for a function
// of the base library (found as "_G.name"). Returns false, pushing nothing,
// for a function that no loaded module exports.
bool pushglobalfuncname(lua_State* L, lua_Debug* ar) {
  const int func = lua_gettop(L) + 1;
  lua_getinfo(L, "f", ar);                               // func
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);  // func + 1
  if (!findfield(L, func, 2)) {
    lua_settop(L, func - 1);
    return false;
  }
  constexpr char kGlobalPrefix[] = LUA_GNAME ".";
  constexpr size_t kPrefixLen = sizeof kGlobalPrefix - 1;
  const char* name = lua_tostring(L, func + 2);  // the path findfield built
  if (std::strncmp(name, kGlobalPrefix, kPrefixLen) == 0) name += kPrefixLen;
  lua_pushstring(L, name);
  lua_replace(L, func);  // the name takes the function's slot
  lua_settop(L, func);
  return true;
}

// Pushes what a traceback line says a function is: its global name if it
// has one, else the name the calling code used, else what kind of
// function it is.
void pushfuncname(lua_State* L, lua_Debug& ar) {
  if (pushglobalfuncname(L, &ar)) {
    const int name = lua_gettop(L);
    lua_pushfstring(L, "function '%s'", lua_tostring(L, name));
    lua_replace(L, name);
  } else if (ar.namewhat[0] != '\0') {  // "local", "method", "field" ...
    lua_pushfstring(L, "%s '%s'", ar.namewhat, ar.name);
  } else if (ar.what[0] == 'm') {
    lua_pushstring(L, "main chunk");
  } else if (ar.what[0] == 'C') {
    lua_pushstring(L, "?");
  } else {
    lua_pushfstring(L, "function <%s:%d>", ar.short_src, ar.linedefined);
  }
}

// The deepest level of L's call stack: doubling finds a level that does
// not exist, then bisection finds the first one that does not.
int lastlevel(lua_State* L) {
  lua_Debug ar;
  int present = 1;  // a level known to exist (or 1)
  int absent = 1;   // becomes a level known not to exist
  while (lua_getstack(L, absent, &ar) != 0) {
    present = absent;
    absent *= 2;
  }
  while (present < absent) {
    const int middle = (present + absent) / 2;
    if (lua_getstack(L, middle, &ar) != 0)
      present = middle + 1;
    else
      absent = middle;
  }
  return absent - 1;
}

// Adds the line of one level: "\n\tsource:line: in <what the function is>"
// and, after a tail call, a line that says so.
void addlevel(lua_State* L, lua_State* L1, luaL_Buffer& text, lua_Debug& ar) {
  lua_getinfo(L1, "Slnt", &ar);
  if (ar.currentline > 0)
    lua_pushfstring(L, "\n\t%s:%d: in ", ar.short_src, ar.currentline);
  else
    lua_pushfstring(L, "\n\t%s: in ", ar.short_src);
  luaL_addvalue(&text);
  pushfuncname(L, ar);
  luaL_addvalue(&text);
  if (ar.istailcall) luaL_addstring(&text, "\n\t(...tail calls...)");
}

}  // namespace

void luaL_traceback(lua_State* L, lua_State* L1, const char* msg, int level) {
  luaL_Buffer text;
  luaL_buffinit(L, &text);
  if (msg != nullptr) {
    luaL_addstring(&text, msg);
    luaL_addchar(&text, '\n');
  }
  luaL_addstring(&text, "stack traceback:");
  const int last = lastlevel(L1);
  // Levels still to print before the gap; -1 means there is no gap.
  int untilgap = (last - level > LEVELS1 + LEVELS2) ? LEVELS1 : -1;
  lua_Debug ar;
  while (lua_getstack(L1, level, &ar) != 0) {
    level++;
    if (untilgap-- != 0) {
      addlevel(L, L1, text, ar);
      continue;
    }
    // The gap line stands for this level too, but (as in Lua) the count
    // it prints leaves that one out.
    const int skipped = last - level - LEVELS2 + 1;
    lua_pushfstring(L, "\n\t...\t(skipping %d levels)", skipped);
    luaL_addvalue(&text);
    level += skipped;
  }
  luaL_pushresult(&text);
}

// ---------------------------------------------------------------------
// Error-report functions
// ---------------------------------------------------------------------

int luaL_argerror(lua_State* L, int arg, const char* extramsg) {
  lua_Debug ar;
  if (lua_getstack(L, 0, &ar) == 0)  // no function is running
    return luaL_error(L, "bad argument #%d (%s)", arg, extramsg);
  lua_getinfo(L, "n", &ar);
  // In a method call o:f(x) the user wrote x as argument 1; o is "self".
  const bool method = std::strcmp(ar.namewhat, "method") == 0;
  const int position = method ? arg - 1 : arg;
  if (method && position == 0)
    return luaL_error(L, "calling '%s' on bad self (%s)", ar.name, extramsg);
  const char* fname = ar.name;
  if (fname == nullptr)
    fname = pushglobalfuncname(L, &ar) ? lua_tostring(L, -1) : "?";
  return luaL_error(L, "bad argument #%d to '%s' (%s)", position, fname,
                    extramsg);
}

namespace {

// The name a type error gives the actual argument: its __name when that
// is a string (left pushed), "light userdata", or its basic type.
const char* actualtypename(lua_State* L, int arg) {
  if (luaL_getmetafield(L, arg, "__name") == LUA_TSTRING)
    return lua_tostring(L, -1);
  const int type = lua_type(L, arg);
  return type == LUA_TLIGHTUSERDATA ? "light userdata" : lua_typename(L, type);
}

}  // namespace

int luaL_typeerror(lua_State* L, int arg, const char* tname) {
  const char* actual = actualtypename(L, arg);
  const char* what = lua_pushfstring(L, "%s expected, got %s", tname, actual);
  return luaL_argerror(L, arg, what);
}

namespace {

void tag_error(lua_State* L, int arg, int tag) {
  luaL_typeerror(L, arg, lua_typename(L, tag));
}

}  // namespace

// Uses lua_pushfstring even for the empty string: it needs no free stack
// slot of its own, so an error report can always be built.
void luaL_where(lua_State* L, int level) {
  lua_Debug ar;
  const bool located = lua_getstack(L, level, &ar) != 0 &&
                       lua_getinfo(L, "Sl", &ar) != 0 && ar.currentline > 0;
  if (located)
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
  else
    lua_pushfstring(L, "");
}

// The position is that of level 1: the Lua code that called the C
// function raising the error.
int luaL_error(lua_State* L, const char* fmt, ...) {
  std::va_list args;
  va_start(args, fmt);
  luaL_where(L, 1);
  lua_pushvfstring(L, fmt, args);
  va_end(args);
  lua_concat(L, 2);
  return lua_error(L);
}

namespace {

// The first result of the io-style functions: true, or fail.
void pushsuccess(lua_State* L, bool ok) {
  if (ok)
    lua_pushboolean(L, 1);
  else
    luaL_pushfail(L);
}

}  // namespace

int luaL_fileresult(lua_State* L, int stat, const char* fname) {
  const int saved = errno;  // the API calls below may overwrite errno
  pushsuccess(L, stat != 0);
  if (stat != 0) return 1;
  const char* reason = std::strerror(saved);
  if (fname == nullptr)
    lua_pushstring(L, reason);
  else
    lua_pushfstring(L, "%s: %s", fname, reason);
  lua_pushinteger(L, saved);
  return 3;
}

namespace {

// Decodes a wait status in place into an exit code or a signal number and
// says which of the two it is.
const char* inspectstat(int& stat) {
  if (WIFEXITED(stat)) {
    stat = WEXITSTATUS(stat);
    return "exit";
  }
  if (WIFSIGNALED(stat)) {
    stat = WTERMSIG(stat);
    return "signal";
  }
  return "exit";
}

}  // namespace

int luaL_execresult(lua_State* L, int stat) {
  const bool notrun = stat != 0 && errno != 0;  // the shell did not start
  if (notrun) return luaL_fileresult(L, 0, nullptr);
  const char* how = inspectstat(stat);
  pushsuccess(L, how[0] == 'e' && stat == 0);
  lua_pushstring(L, how);
  lua_pushinteger(L, stat);
  return 3;
}

// ---------------------------------------------------------------------
// Userdata's metatable manipulation
// ---------------------------------------------------------------------

int luaL_newmetatable(lua_State* L, const char* tname) {
  const int mt = lua_gettop(L) + 1;
  if (luaL_getmetatable(L, tname) != LUA_TNIL)
    return 0;  // taken: the existing value stays on top
  lua_createtable(L, 0, 2);
  lua_replace(L, mt);
  lua_pushvalue(L, mt);
  lua_setfield(L, LUA_REGISTRYINDEX, tname);
  lua_pushstring(L, tname);
  lua_setfield(L, mt, "__name");  // names the type in error messages
  return 1;
}

void luaL_setmetatable(lua_State* L, const char* tname) {
  const int object = lua_gettop(L);
  luaL_getmetatable(L, tname);
  lua_setmetatable(L, object);
}

void* luaL_testudata(lua_State* L, int ud, const char* tname) {
  void* block = lua_touserdata(L, ud);
  if (block == nullptr) return nullptr;  // not a userdata
  const int base = lua_gettop(L);
  if (lua_getmetatable(L, ud) == 0) return nullptr;
  luaL_getmetatable(L, tname);
  const bool expected = lua_rawequal(L, base + 1, base + 2) != 0;
  lua_settop(L, base);
  return expected ? block : nullptr;
}

void* luaL_checkudata(lua_State* L, int ud, const char* tname) {
  void* block = luaL_testudata(L, ud, tname);
  luaL_argexpected(L, block != nullptr, ud, tname);
  return block;
}

// ---------------------------------------------------------------------
// Argument check functions
// ---------------------------------------------------------------------

int luaL_checkoption(lua_State* L, int arg, const char* def,
                     const char* const lst[]) {
  const char* given =
      def != nullptr ? luaL_optstring(L, arg, def) : luaL_checkstring(L, arg);
  for (int i = 0; lst[i] != nullptr; i++) {
    if (std::strcmp(given, lst[i]) == 0) return i;
  }
  const char* what = lua_pushfstring(L, "invalid option '%s'", given);
  return luaL_argerror(L, arg, what);
}

// Formatting the overflow message itself needs a few slots; when even
// those are missing the core reports a plain "stack overflow" instead.
void luaL_checkstack(lua_State* L, int space, const char* msg) {
  if (luai_likely(lua_checkstack(L, space))) return;
  if (msg == nullptr)
    luaL_error(L, "stack overflow");
  else
    luaL_error(L, "stack overflow (%s)", msg);
}

void luaL_checktype(lua_State* L, int arg, int t) {
  if (luai_unlikely(lua_type(L, arg) != t)) tag_error(L, arg, t);
}

void luaL_checkany(lua_State* L, int arg) {
  if (luai_unlikely(lua_type(L, arg) == LUA_TNONE))
    luaL_argerror(L, arg, "value expected");
}

const char* luaL_checklstring(lua_State* L, int arg, size_t* len) {
  const char* text = lua_tolstring(L, arg, len);
  if (luai_unlikely(text == nullptr)) tag_error(L, arg, LUA_TSTRING);
  return text;
}

const char* luaL_optlstring(lua_State* L, int arg, const char* def,
                            size_t* len) {
  if (!lua_isnoneornil(L, arg)) return luaL_checklstring(L, arg, len);
  if (len != nullptr) *len = def == nullptr ? 0 : std::strlen(def);
  return def;
}

lua_Number luaL_checknumber(lua_State* L, int arg) {
  int ok = 0;
  const lua_Number value = lua_tonumberx(L, arg, &ok);
  if (luai_unlikely(!ok)) tag_error(L, arg, LUA_TNUMBER);
  return value;
}

lua_Number luaL_optnumber(lua_State* L, int arg, lua_Number def) {
  if (lua_isnoneornil(L, arg)) return def;
  return luaL_checknumber(L, arg);
}

namespace {

// A value that is a number but not an integer (3.5, or "3.5") gets its own
// message; anything else is a plain type error.
void interror(lua_State* L, int arg) {
  if (!lua_isnumber(L, arg)) {
    tag_error(L, arg, LUA_TNUMBER);
    return;
  }
  luaL_argerror(L, arg, "number has no integer representation");
}

}  // namespace

lua_Integer luaL_checkinteger(lua_State* L, int arg) {
  int ok = 0;
  const lua_Integer value = lua_tointegerx(L, arg, &ok);
  if (luai_unlikely(!ok)) interror(L, arg);
  return value;
}

lua_Integer luaL_optinteger(lua_State* L, int arg, lua_Integer def) {
  if (lua_isnoneornil(L, arg)) return def;
  return luaL_checkinteger(L, arg);
}

// ---------------------------------------------------------------------
// Generic Buffer manipulation
// ---------------------------------------------------------------------

namespace {

// The userdata that owns a growing buffer's heap block. The block comes
// from the state's own allocator, so it is counted like any Lua memory.
struct UBox {
  void* box;     // the block, or null
  size_t bsize;  // its size
};

// Resizes the block of the box at `idx` (0 frees it) and returns it.
void* resizebox(lua_State* L, int idx, size_t newsize) {
  void* ud = nullptr;
  const lua_Alloc allocf = lua_getallocf(L, &ud);
  auto& owner = *static_cast<UBox*>(lua_touserdata(L, idx));
  void* block = allocf(ud, owner.box, owner.bsize, newsize);
  if (luai_unlikely(block == nullptr && newsize > 0)) {
    lua_pushliteral(L, "not enough memory");
    lua_error(L);
  }
  owner.box = block;
  owner.bsize = newsize;
  return block;
}

// Both __gc and __close free the block: __close runs as soon as the
// buffer's slot is closed or unwound, __gc is the backstop.
int boxgc(lua_State* L) {
  constexpr int self = 1;
  resizebox(L, self, 0);
  return 0;
}

const luaL_Reg boxmt[] = {
    {"__gc", boxgc},
    {"__close", boxgc},
    {nullptr, nullptr},
};

// Pushes an empty box with the shared "_UBOX*" metatable.
void newbox(lua_State* L) {
  auto* fresh = static_cast<UBox*>(lua_newuserdatauv(L, sizeof(UBox), 0));
  *fresh = UBox{nullptr, 0};
  const int box = lua_gettop(L);
  if (luaL_newmetatable(L, "_UBOX*")) luaL_setfuncs(L, boxmt, 0);
  lua_setmetatable(L, box);
}

// Where the buffer's slot is for every operation but luaL_addvalue.
constexpr int kSlotOnTop = -1;
// Where it is for luaL_addvalue: below the value being added.
constexpr int kSlotBelowValue = -2;

// True once the text has left the inline area for a box's block.
bool buffonstack(const luaL_Buffer* B) {
  return B->b != B->init.b;
}

// Invariant BUFFER-SLOT, checked when assertions are on.
void checkbufferlevel([[maybe_unused]] const luaL_Buffer* B,
                      [[maybe_unused]] int idx) {
  lua_assert(buffonstack(B)
                 ? lua_touserdata(B->L, idx) != nullptr
                 : lua_touserdata(B->L, idx) == static_cast<const void*>(B));
}

// The capacity to grow to so that `sz` more bytes fit: at least double
// the current one, so that appending n bytes costs O(n) overall.
size_t newbuffsize(luaL_Buffer* B, size_t sz) {
  constexpr size_t kMaxSize = ~size_t{0};
  if (luai_unlikely(kMaxSize - sz < B->n))
    return static_cast<size_t>(luaL_error(B->L, "buffer too large"));
  const size_t needed = B->n + sz;
  const size_t doubled = B->size * 2;
  return doubled < needed ? needed : doubled;
}

// The first growth: a box replaces the placeholder in the buffer's slot,
// is marked to-be-closed (so an error frees its block at once), and
// receives a copy of the inline text. The placeholder (and the value above
// it, for luaL_addvalue) stay in place until the box exists, because
// creating it may run the collector.
char* movetobox(luaL_Buffer* B, int boxidx, size_t newsize) {
  lua_State* const L = B->L;
  const int slot = lua_absindex(L, boxidx);
  newbox(L);
  lua_replace(L, slot);
  lua_toclose(L, slot);
  auto* block = static_cast<char*>(resizebox(L, slot, newsize));
  std::memcpy(block, B->b, B->n);
  return block;
}

// Room for `sz` more bytes; `boxidx` is where the buffer's slot is.
char* prepbuffsize(luaL_Buffer* B, size_t sz, int boxidx) {
  checkbufferlevel(B, boxidx);
  if (B->size - B->n >= sz) return B->b + B->n;
  const size_t newsize = newbuffsize(B, sz);
  char* block = buffonstack(B)
                    ? static_cast<char*>(resizebox(B->L, boxidx, newsize))
                    : movetobox(B, boxidx, newsize);
  B->b = block;
  B->size = newsize;
  return block + B->n;
}

}  // namespace

char* luaL_prepbuffsize(luaL_Buffer* B, size_t sz) {
  return prepbuffsize(B, sz, kSlotOnTop);
}

void luaL_addlstring(luaL_Buffer* B, const char* s, size_t l) {
  if (l == 0) return;  // `s` may be null then
  std::memcpy(prepbuffsize(B, l, kSlotOnTop), s, l);
  B->n += l;
}

void luaL_addstring(luaL_Buffer* B, const char* s) {
  luaL_addlstring(B, s, std::strlen(s));
}

// The finished string replaces the buffer's slot; a box is closed first,
// which frees its block at once instead of at the next collection.
void luaL_pushresult(luaL_Buffer* B) {
  lua_State* const L = B->L;
  checkbufferlevel(B, kSlotOnTop);
  const int slot = lua_gettop(L);
  lua_pushlstring(L, luaL_buffaddr(B), luaL_bufflen(B));
  if (buffonstack(B)) lua_closeslot(L, slot);
  lua_replace(L, slot);
}

void luaL_pushresultsize(luaL_Buffer* B, size_t sz) {
  B->n += sz;
  luaL_pushresult(B);
}

// The value to add sits above the buffer's slot. It stays on the stack
// until the room is secured: creating the box may run the collector, and
// the text must not be collected meanwhile.
void luaL_addvalue(luaL_Buffer* B) {
  lua_State* const L = B->L;
  const int value = lua_gettop(L);
  size_t len = 0;
  const char* text = lua_tolstring(L, value, &len);
  std::memcpy(prepbuffsize(B, len, kSlotBelowValue), text, len);
  B->n += len;
  lua_settop(L, value - 1);
}

void luaL_buffinit(lua_State* L, luaL_Buffer* B) {
  B->L = L;
  B->b = B->init.b;
  B->n = 0;
  B->size = LUAL_BUFFERSIZE;
  lua_pushlightuserdata(L, static_cast<void*>(B));  // the placeholder
}

char* luaL_buffinitsize(lua_State* L, luaL_Buffer* B, size_t sz) {
  luaL_buffinit(L, B);
  return prepbuffsize(B, sz, kSlotOnTop);
}

// ---------------------------------------------------------------------
// Reference system
// ---------------------------------------------------------------------

namespace {

// The key of the free-list head (invariant FREELIST): just after the
// registry's predefined entries, so it never collides with them.
constexpr int freelist = LUA_RIDX_LAST + 1;

// The first free reference of table `t` (absolute index), 0 if none. The
// first call on a table creates its (empty) list.
int freelisthead(lua_State* L, int t) {
  const int type = lua_rawgeti(L, t, freelist);
  const auto head = static_cast<int>(lua_tointeger(L, -1));  // nil: 0
  lua_settop(L, -2);
  if (type == LUA_TNIL) {
    lua_pushinteger(L, 0);
    lua_rawseti(L, t, freelist);
  }
  return head;
}

}  // namespace

int luaL_ref(lua_State* L, int t) {
  const int value = lua_gettop(L);
  if (lua_isnil(L, value)) {  // nil needs no slot
    lua_settop(L, value - 1);
    return LUA_REFNIL;
  }
  const int table = lua_absindex(L, t);
  int ref = freelisthead(L, table);
  if (ref == 0) {
    ref = static_cast<int>(lua_rawlen(L, table)) + 1;
  } else {
    lua_rawgeti(L, table, ref);  // unlink: the head becomes t[ref]
    lua_rawseti(L, table, freelist);
  }
  lua_rawseti(L, table, ref);
  return ref;
}

void luaL_unref(lua_State* L, int t, int ref) {
  if (ref < 0) return;  // LUA_NOREF and LUA_REFNIL own nothing
  const int table = lua_absindex(L, t);
  lua_rawgeti(L, table, freelist);
  lua_rawseti(L, table, ref);  // t[ref] = old head
  lua_pushinteger(L, static_cast<lua_Integer>(ref));
  lua_rawseti(L, table, freelist);  // head = ref
}

// ---------------------------------------------------------------------
// Load functions
// ---------------------------------------------------------------------

namespace {

// Reader state for files. The first bytes are read ahead (to skip a BOM
// and a '#' line, and to detect binary chunks); those kept for the parser
// wait in `buff`, `n` of them.
struct LoadF {
  int n;
  FILE* f;
  char buff[BUFSIZ];
};

const char* getF(lua_State*, void* ud, size_t* size) {
  auto& lf = *static_cast<LoadF*>(ud);
  if (lf.n > 0) {  // hand over the read-ahead bytes first
    *size = static_cast<size_t>(lf.n);
    lf.n = 0;
  } else if (std::feof(lf.f)) {
    // fread may deliver the last bytes and set EOF together; calling it
    // again would wait for more input on a terminal.
    return nullptr;
  } else {
    *size = std::fread(lf.buff, 1, sizeof lf.buff, lf.f);
  }
  return lf.buff;
}

// Replaces the chunk name at `fnameindex` (the top of the stack) with
// "cannot <what> <file>: <reason>" and returns LUA_ERRFILE.
int errfile(lua_State* L, const char* what, int fnameindex) {
  const char* reason = std::strerror(errno);
  const char* chunkname = lua_tostring(L, fnameindex);
  lua_pushfstring(L, "cannot %s %s: %s", what, chunkname + 1, reason);
  lua_replace(L, fnameindex);
  return LUA_ERRFILE;
}

// Reads the first character, consuming a UTF-8 byte-order mark before it.
// Bytes of an incomplete mark are kept in the read-ahead for the parser.
int skipBOM(LoadF& lf) {
  static constexpr unsigned char kBOM[] = {0xEF, 0xBB, 0xBF};
  lf.n = 0;
  for (const unsigned char expected : kBOM) {
    const int c = std::getc(lf.f);
    if (c == EOF || c != expected) return c;
    lf.buff[lf.n++] = static_cast<char>(c);
  }
  lf.n = 0;  // a whole mark: drop it
  return std::getc(lf.f);
}

// Skips a BOM and a first line starting with '#' (the "#!" line of a
// script). `first` receives the first character after them; the result
// says whether a line was skipped.
bool skipcomment(LoadF& lf, int& first) {
  int c = skipBOM(lf);
  if (c != '#') {
    first = c;
    return false;
  }
  while (c != EOF && c != '\n') c = std::getc(lf.f);
  first = std::getc(lf.f);
  return true;
}

// Pushes the chunk name of `filename` and opens the file (standard input
// for null); returns null after turning the name into the message.
FILE* openchunk(lua_State* L, const char* filename, int fnameindex) {
  if (filename == nullptr) {
    lua_pushstring(L, "=stdin");
    return stdin;
  }
  lua_pushfstring(L, "@%s", filename);
  FILE* file = std::fopen(filename, "r");
  if (file == nullptr) errfile(L, "open", fnameindex);
  return file;
}

}  // namespace

int luaL_loadfilex(lua_State* L, const char* filename, const char* mode) {
  LoadF lf;
  const int fnameindex = lua_gettop(L) + 1;
  lf.f = openchunk(L, filename, fnameindex);
  if (lf.f == nullptr) return LUA_ERRFILE;
  int first = EOF;
  // A skipped comment line still counts, so line numbers stay right.
  if (skipcomment(lf, first)) lf.buff[lf.n++] = '\n';
  const bool binary = first == LUA_SIGNATURE[0] && filename != nullptr;
  if (binary) {  // read it again, in binary mode
    lf.f = std::freopen(filename, "rb", lf.f);
    if (lf.f == nullptr) return errfile(L, "reopen", fnameindex);
    skipcomment(lf, first);
  }
  if (first != EOF) lf.buff[lf.n++] = static_cast<char>(first);
  const char* chunkname = lua_tostring(L, fnameindex);
  const int status = lua_load(L, getF, &lf, chunkname, mode);
  const bool failed = std::ferror(lf.f) != 0;
  if (filename != nullptr) std::fclose(lf.f);
  if (failed) {
    lua_settop(L, fnameindex);  // whatever lua_load left is moot
    return errfile(L, "read", fnameindex);
  }
  lua_remove(L, fnameindex);  // the chunk (or message) moves down
  return status;
}

namespace {

// Reader state for a block of memory: delivered whole, in one piece.
struct LoadS {
  const char* s;
  size_t size;
};

const char* getS(lua_State*, void* ud, size_t* size) {
  auto& ls = *static_cast<LoadS*>(ud);
  if (ls.size == 0) return nullptr;
  *size = ls.size;
  ls.size = 0;  // the next call ends the chunk
  return ls.s;
}

}  // namespace

int luaL_loadbufferx(lua_State* L, const char* buff, size_t sz,
                     const char* name, const char* mode) {
  LoadS ls{buff, sz};
  return lua_load(L, getS, &ls, name, mode);
}

// A string is loaded under its own text as the chunk name.
int luaL_loadstring(lua_State* L, const char* s) {
  return luaL_loadbufferx(L, s, std::strlen(s), s, nullptr);
}

// ---------------------------------------------------------------------
// Metafields, conversions and library registration
// ---------------------------------------------------------------------

int luaL_getmetafield(lua_State* L, int obj, const char* e) {
  if (lua_getmetatable(L, obj) == 0) return LUA_TNIL;
  const int mt = lua_gettop(L);
  lua_pushstring(L, e);
  const int type = lua_rawget(L, mt);
  if (type == LUA_TNIL) {
    lua_settop(L, mt - 1);  // neither metatable nor field stays
    return LUA_TNIL;
  }
  lua_replace(L, mt);  // the field takes the metatable's place
  return type;
}

int luaL_callmeta(lua_State* L, int obj, const char* e) {
  const int self = lua_absindex(L, obj);
  if (luaL_getmetafield(L, self, e) == LUA_TNIL) return 0;
  lua_pushvalue(L, self);
  lua_call(L, 1, 1);  // the metamethod is replaced by its one result
  return 1;
}

lua_Integer luaL_len(lua_State* L, int idx) {
  lua_len(L, idx);
  const int length = lua_gettop(L);
  int ok = 0;
  const lua_Integer value = lua_tointegerx(L, length, &ok);
  if (luai_unlikely(!ok)) luaL_error(L, "object length is not an integer");
  lua_settop(L, length - 1);
  return value;
}

namespace {

// The string form of a value without __tostring. Values with no textual
// form show their type (or __name) and their address.
void pushdefaultstring(lua_State* L, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx))
        lua_pushfstring(L, "%I",
                        static_cast<LUAI_UACINT>(lua_tointeger(L, idx)));
      else
        lua_pushfstring(L, "%f",
                        static_cast<LUAI_UACNUMBER>(lua_tonumber(L, idx)));
      return;
    case LUA_TSTRING:
      lua_pushvalue(L, idx);
      return;
    case LUA_TBOOLEAN:
      lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
      return;
    case LUA_TNIL:
      lua_pushstring(L, "nil");
      return;
    default:
      break;
  }
  const int name = lua_gettop(L) + 1;
  const int nametype = luaL_getmetafield(L, idx, "__name");
  const char* kind =
      nametype == LUA_TSTRING ? lua_tostring(L, name) : luaL_typename(L, idx);
  lua_pushfstring(L, "%s: %p", kind, lua_topointer(L, idx));
  if (nametype != LUA_TNIL) lua_replace(L, name);  // drop the __name
}

}  // namespace

const char* luaL_tolstring(lua_State* L, int idx, size_t* len) {
  const int value = lua_absindex(L, idx);
  if (!luaL_callmeta(L, value, "__tostring"))
    pushdefaultstring(L, value);
  else if (!lua_isstring(L, -1))
    luaL_error(L, "'__tostring' must return a string");
  return lua_tolstring(L, -1, len);
}

// The table sits just below the `nup` upvalues; every function of `l`
// becomes a closure over copies of all of them. A null function stands
// for a field the caller fills in later, so it is set to false.
void luaL_setfuncs(lua_State* L, const luaL_Reg* l, int nup) {
  luaL_checkstack(L, nup, "too many upvalues");
  const int firstup = lua_gettop(L) - nup + 1;
  const int table = firstup - 1;
  for (const luaL_Reg* entry = l; entry->name != nullptr; entry++) {
    if (entry->func == nullptr) {
      lua_pushboolean(L, 0);
    } else {
      for (int up = firstup; up < firstup + nup; up++) lua_pushvalue(L, up);
      lua_pushcclosure(L, entry->func, nup);
    }
    lua_setfield(L, table, entry->name);
  }
  lua_settop(L, table);
}

int luaL_getsubtable(lua_State* L, int idx, const char* fname) {
  const int parent = lua_absindex(L, idx);
  if (lua_getfield(L, parent, fname) == LUA_TTABLE) return 1;
  const int slot = lua_gettop(L);
  lua_createtable(L, 0, 0);
  lua_replace(L, slot);
  lua_pushvalue(L, slot);
  lua_setfield(L, parent, fname);
  return 0;
}

// A `require` that knows its opener: package.loaded[modname] is the cache.
void luaL_requiref(lua_State* L, const char* modname, lua_CFunction openf,
                   int glb) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  const int loaded = lua_gettop(L);
  const int module = loaded + 1;
  lua_getfield(L, loaded, modname);
  if (!lua_toboolean(L, module)) {  // not opened yet
    lua_settop(L, loaded);
    lua_pushcfunction(L, openf);
    lua_pushstring(L, modname);  // openers receive their module's name
    lua_call(L, 1, 1);           // the module lands in `module`
    lua_pushvalue(L, module);
    lua_setfield(L, loaded, modname);
  }
  if (glb) {
    lua_pushvalue(L, module);
    lua_setglobal(L, modname);
  }
  lua_replace(L, loaded);  // only the module stays
}

void luaL_addgsub(luaL_Buffer* b, const char* s, const char* p, const char* r) {
  const size_t plen = std::strlen(p);
  const char* rest = s;
  for (const char* hit = std::strstr(rest, p); hit != nullptr;
       hit = std::strstr(rest, p)) {
    luaL_addlstring(b, rest, static_cast<size_t>(hit - rest));
    luaL_addstring(b, r);
    rest = hit + plen;
  }
  luaL_addstring(b, rest);
}

const char* luaL_gsub(lua_State* L, const char* s, const char* p,
                      const char* r) {
  luaL_Buffer result;
  luaL_buffinit(L, &result);
  luaL_addgsub(&result, s, p, r);
  luaL_pushresult(&result);
  return lua_tostring(L, -1);
}

// ---------------------------------------------------------------------
// The default state: allocator, panic function and warnings
// ---------------------------------------------------------------------

namespace {

// The allocator contract of lua.h on top of the C library: realloc grows,
// shrinks and allocates; size 0 frees.
void* l_alloc(void*, void* ptr, size_t, size_t nsize) {
  if (nsize != 0) return std::realloc(ptr, nsize);
  std::free(ptr);
  return nullptr;
}

// Called for an error outside any protected call; after it returns, the
// core aborts the program.
int panic(lua_State* L) {
  const char* msg = lua_tostring(L, -1);
  lua_writestringerror("PANIC: unprotected error in call to Lua API (%s)\n",
                       msg != nullptr ? msg : "error object is not a string");
  return 0;
}

// Warnings are a small state machine of three warning functions: off
// (only control messages count), on (a new message starts), and
// continuing (the pieces of one message are being written). The state
// lives in which function is installed; `ud` is the state itself.
void warnfoff(void* ud, const char* message, int tocont);
void warnfon(void* ud, const char* message, int tocont);
void warnfcont(void* ud, const char* message, int tocont);

// Handles a control message ("@on", "@off"; others are ignored) and says
// whether `message` was one. Only a whole message can be a control.
bool checkcontrol(lua_State* L, const char* message, int tocont) {
  if (tocont || message[0] != '@') return false;
  const char* control = message + 1;
  if (std::strcmp(control, "on") == 0)
    lua_setwarnf(L, warnfon, L);
  else if (std::strcmp(control, "off") == 0)
    lua_setwarnf(L, warnfoff, L);
  return true;
}

void warnfoff(void* ud, const char* message, int tocont) {
  checkcontrol(static_cast<lua_State*>(ud), message, tocont);
}

void warnfcont(void* ud, const char* message, int tocont) {
  auto* const L = static_cast<lua_State*>(ud);
  lua_writestringerror("%s", message);
  if (tocont) {
    lua_setwarnf(L, warnfcont, L);  // more pieces follow
    return;
  }
  lua_writestringerror("%s", "\n");
  lua_setwarnf(L, warnfon, L);  // the next piece starts a new message
}

void warnfon(void* ud, const char* message, int tocont) {
  if (checkcontrol(static_cast<lua_State*>(ud), message, tocont)) return;
  lua_writestringerror("%s", "Lua warning: ");
  warnfcont(ud, message, tocont);
}

}  // namespace

lua_State* luaL_newstate() {
  lua_State* const state = lua_newstate(l_alloc, nullptr);
  if (luai_unlikely(state == nullptr)) return nullptr;
  lua_atpanic(state, panic);
  lua_setwarnf(state, warnfoff, state);  // warnings start switched off
  return state;
}

void luaL_checkversion_(lua_State* L, lua_Number ver, size_t sz) {
  const lua_Number core = lua_version(L);
  if (sz != LUAL_NUMSIZES)
    luaL_error(L, "core and library have incompatible numeric types");
  else if (core != ver)
    luaL_error(L, "version mismatch: app. needs %f, Lua core provides %f",
               static_cast<LUAI_UACNUMBER>(ver),
               static_cast<LUAI_UACNUMBER>(core));
}
