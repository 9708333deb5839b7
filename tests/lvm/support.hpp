// Test support for stage 8: a state that runs Lua code before the C API
// (chapter 9) and the libraries (chapter 10) exist. `Machine` opens a
// state with luaD_openstate on the counting allocator of chapter 3 and
// gives the globals table a handful of C functions written against the
// interpreter's own stack:
//
//   print(...)          appends its arguments, tab-separated, to `out`
//   setmetatable(t, mt) sets a table's metatable (nil removes it)
//   error(v)            raises v as it is (no position added)
//   pcall(f, ...)       true plus results, or false plus the error value
//   collect()           runs a full collection
//   yield(...)          yields from the running coroutine
//   tostr(v)            the string form print uses
//
// The stage demo and the book's diagrams use it too.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "lfunc/ltm.hpp"
#include "lgc/lgc.hpp"
#include "lstring/lstring.hpp"
#include "lvm/ldebug.hpp"
#include "lvm/ldo.hpp"
#include "lvm/lvm.hpp"
#include "tests/lstring/support.hpp"

namespace lua::test {

// The arguments of the running C function: func + 1 .. top - 1.
inline int nargs(lua_State* L) {
  return cast_int(L->top - (L->ci->func + 1));
}
inline TValue* arg(lua_State* L, int i) {
  return i <= nargs(L) ? s2v(L->ci->func + i) : &G(L)->nilvalue;
}

// The globals table: registry[LUA_RIDX_GLOBALS].
inline Table* globals(lua_State* L) {
  return hvalue(luaH_getint(hvalue(&G(L)->l_registry), LUA_RIDX_GLOBALS));
}

// The text `print` shows for `o`.
inline std::string tostr(const TValue* o) {
  char buff[MAXNUMBER2STR];
  if (ttisstring(o)) return std::string(svalue(o), vslen(o));
  if (ttisnumber(o))
    return std::string(buff, cast_sizet(luaO_tostringbuff(o, buff)));
  if (ttisnil(o)) return "nil";
  if (ttisboolean(o)) return l_isfalse(o) ? "false" : "true";
  return ttypename(ttype(o));
}

// Where `print` writes: the Machine's buffer, or stdout when null.
inline std::string*& printsink() {
  static std::string* sink = nullptr;
  return sink;
}

inline int l_print(lua_State* L) {
  std::string line;
  for (int i = 1; i <= nargs(L); i++) {
    if (i > 1) line += '\t';
    line += tostr(arg(L, i));
  }
  line += '\n';
  if (printsink() != nullptr)
    *printsink() += line;
  else
    std::fputs(line.c_str(), stdout);
  return 0;
}

inline int l_setmetatable(lua_State* L) {
  Table* t = hvalue(arg(L, 1));
  Table* mt = ttistable(arg(L, 2)) ? hvalue(arg(L, 2)) : nullptr;
  t->metatable = mt;
  if (mt != nullptr) {
    luaC_objbarrier(L, t, mt);
    luaC_checkfinalizer(L, t, mt);
  }
  L->top = L->ci->func + 2;  // returns t
  return 1;
}

inline int l_error(lua_State* L) {
  setobj2s(L, L->top, arg(L, 1));
  L->top++;
  luaD_throw(L, LUA_ERRRUN);
}

inline int l_pcall(lua_State* L) {
  std::ptrdiff_t base = savestack(L, L->ci->func + 1);
  const int status = luaD_pcall(
      L,
      [](lua_State* L, void* ud) {
        StkId f = restorestack(L, *static_cast<std::ptrdiff_t*>(ud));
        luaD_callnoyield(L, f, LUA_MULTRET);
      },
      &base, base, 0);
  // The results (or the error object) start where the function was;
  // shift them up one slot and put the status first.
  luaD_checkstack(L, 1);
  StkId first = restorestack(L, base);
  for (StkId p = L->top; p > first; p--) setobjs2s(L, p, p - 1);
  L->top++;
  if (status == LUA_OK)
    setbtvalue(s2v(first));
  else
    setbfvalue(s2v(first));
  return cast_int(L->top - first);
}

inline int l_collect(lua_State* L) {
  luaC_fullgc(L, 0);
  return 0;
}

inline int l_yield(lua_State* L) {
  return luaD_yield(L, nargs(L), 0, nullptr);
}

inline int l_tostr(lua_State* L) {
  const std::string s = tostr(arg(L, 1));
  setsvalue2s(L, L->top, luaS_newlstr(L, s.data(), s.size()));
  L->top++;
  return 1;
}

// The key stays on the stack while the table may grow: an emergency
// collection inside luaH_set must see it.
inline void setglobal(lua_State* L, const char* name, const TValue* v) {
  setsvalue2s(L, L->top, luaS_new(L, name));
  L->top++;
  luaH_set(L, globals(L), s2v(L->top - 1), v);
  L->top--;
}

inline void setglobalfunction(lua_State* L, const char* name, lua_CFunction f) {
  TValue fn;
  setfvalue(&fn, f);
  setglobal(L, name, &fn);
}

struct StringSource {
  const char* data;
  std::size_t size;
  static const char* read(lua_State*, void* ud, std::size_t* size) {
    auto* s = static_cast<StringSource*>(ud);
    *size = s->size;
    s->size = 0;
    return *size > 0 ? s->data : nullptr;
  }
};

// A state that runs Lua code. `out` collects what `print` writes.
struct Machine {
  Heap heap;
  lua_State* L;
  std::string out;
  explicit Machine(bool capture = true)
      : L(luaD_openstate(Heap::alloc, &heap)) {
    if (L == nullptr) std::abort();
    printsink() = capture ? &out : nullptr;
    setglobalfunction(L, "print", l_print);
    setglobalfunction(L, "setmetatable", l_setmetatable);
    setglobalfunction(L, "error", l_error);
    setglobalfunction(L, "pcall", l_pcall);
    setglobalfunction(L, "collect", l_collect);
    setglobalfunction(L, "yield", l_yield);
    setglobalfunction(L, "tostr", l_tostr);
  }
  ~Machine() {
    if (L != nullptr) close();
  }
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Closes the state; returns the bytes the allocator still holds.
  std::size_t close() {
    luaD_closestate(L);
    L = nullptr;
    printsink() = nullptr;
    return heap.held;
  }

  // Compiles `code` and pushes the main closure (with _ENV set), or the
  // error message. Returns the status.
  int load(const std::string& code, const char* chunkname = "=test") {
    StringSource src{code.data(), code.size()};
    ZIO z;
    luaZ_init(L, &z, StringSource::read, &src);
    const int status = luaD_protectedparser(L, &z, chunkname, "bt");
    if (status == LUA_OK) {
      LClosure* cl = clLvalue(s2v(L->top - 1));
      sethvalue(L, cl->upvals()[0]->v, globals(L));
    }
    return status;
  }

  // Loads and runs `code`; on error `err` gets the error object's text.
  int run(const std::string& code, const char* chunkname = "=test") {
    int status = load(code, chunkname);
    if (status == LUA_OK) {
      status = luaD_pcall(
          L, [](lua_State* L, void*) { luaD_call(L, L->top - 1, 0); }, nullptr,
          savestack(L, L->top - 1), 0);
    }
    if (status != LUA_OK) {
      err = tostr(s2v(L->top - 1));
      L->top--;
    }
    return status;
  }
  std::string err;
};

}  // namespace lua::test
