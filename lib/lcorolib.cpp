/// \file
/// The coroutine library: create, resume, yield, status, running,
/// isyieldable, wrap and close, on top of lua_newthread, lua_resume and
/// lua_yield.
///
/// Mirrors: Lua 5.4 lcorolib.c
/// Book: chapter 10
///
/// Design: a coroutine is a thread whose stack holds, before its first
/// resume, only its body function. Values cross between the resumer and the
/// coroutine with lua_xmove in both directions: arguments in, then yielded
/// values, results or the error object out.
///
/// - **Invariant STATUS.** A coroutine's status is derived, never stored:
///   the running thread is "running"; a thread suspended in a yield, or
///   not yet started (no frames, its function on its stack), is
///   "suspended"; a thread with frames but status OK has resumed another
///   coroutine and is "normal"; a finished thread (no frames, empty stack)
///   or one stopped by an error is "dead".
/// - **Invariant WRAP-ERRORS.** A function made by coroutine.wrap turns
///   every failure of the coroutine into an error in the caller; an error
///   that killed the coroutine first closes its pending to-be-closed
///   variables, and a string message gets the caller's position in front.
///
/// Style: stack positions are named; the exported function is defined
/// without LUAMOD_API (its C linkage comes from lualib.h).
///
/// Differences from Lua: none in behaviour.
#include "lvm/ldo.hpp"  // luaD_yieldreturn

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// The coroutine argument of every function here.
constexpr int kCoArg = 1;

lua_State* getco(lua_State* L) {
  lua_State* const co = lua_tothread(L, kCoArg);
  luaL_argexpected(L, co != nullptr, kCoArg, "thread");
  return co;
}

// Pushes a message on L and returns the error flag of auxresume.
int resumefailure(lua_State* L, const char* message) {
  lua_pushstring(L, message);
  return -1;
}

// Resumes `co` with the top `narg` values of L as arguments and moves what
// it yields or returns to L. Returns how many values moved, or -1 with the
// error message on top of L.
int auxresume(lua_State* L, lua_State* co, int narg) {
  if (luai_unlikely(!lua_checkstack(co, narg)))
    return resumefailure(L, "too many arguments to resume");
  lua_xmove(L, co, narg);
  int nres = 0;
  const int status = lua_resume(co, L, narg, &nres);
  const bool failed = status != LUA_OK && status != LUA_YIELD;
  const int nmoved = failed ? 1 : nres;  // the error object, or the values
  if (luai_unlikely(!failed && !lua_checkstack(L, nres + 1))) {
    lua_settop(co, -nres - 1);  // drop them: they cannot be delivered
    return resumefailure(L, "too many results to resume");
  }
  lua_xmove(co, L, nmoved);
  return failed ? -1 : nres;
}

int luaB_coresume(lua_State* L) {
  lua_State* const co = getco(L);
  const int moved = auxresume(L, co, lua_gettop(L) - kCoArg);
  const int first = lua_gettop(L) - (moved < 0 ? 1 : moved) + 1;
  lua_pushboolean(L, moved >= 0);
  lua_insert(L, first);  // true, values... or false, message
  return moved < 0 ? 2 : moved + 1;
}

// Invariant WRAP-ERRORS. The error object is on top of L when this runs.
int wraperror(lua_State* L, lua_State* co) {
  int status = lua_status(co);
  if (status != LUA_OK && status != LUA_YIELD) {
    // The coroutine died: close its to-be-closed variables, whose error
    // (if any) replaces the original one.
    status = lua_resetthread(co);
    lua_assert(status != LUA_OK);
    const int old = lua_gettop(L);
    lua_xmove(co, L, 1);
    lua_replace(L, old);
  }
  const int error = lua_gettop(L);
  if (status != LUA_ERRMEM && lua_type(L, error) == LUA_TSTRING) {
    luaL_where(L, 1);  // where the wrapped function was called
    lua_insert(L, error);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

// The function coroutine.wrap returns; its upvalue is the coroutine.
int luaB_auxwrap(lua_State* L) {
  lua_State* const co = lua_tothread(L, lua_upvalueindex(1));
  const int moved = auxresume(L, co, lua_gettop(L));
  if (luai_unlikely(moved < 0)) return wraperror(L, co);
  return moved;
}

int luaB_cocreate(lua_State* L) {
  constexpr int body = 1;
  luaL_checktype(L, body, LUA_TFUNCTION);
  lua_State* const co = lua_newthread(L);
  lua_pushvalue(L, body);
  lua_xmove(L, co, 1);  // the body is the new thread's only value
  return 1;
}

int luaB_cowrap(lua_State* L) {
  luaB_cocreate(L);
  constexpr int nupvalues = 1;  // the coroutine just created
  lua_pushcclosure(L, luaB_auxwrap, nupvalues);
  return 1;
}

// coroutine.yield returns its yield at once, so it can use chapter 8's
// yield without unwinding when the coroutine allows it (luaD_yieldreturn):
// a C++ exception per yield would cost far more than the switch itself.
int luaB_yield(lua_State* L) {
  return lua::luaD_yieldreturn(L, lua_gettop(L));
}

// The four statuses, as indices into statname.
constexpr int COS_RUN = 0;
constexpr int COS_DEAD = 1;
constexpr int COS_YIELD = 2;
constexpr int COS_NORM = 3;

constexpr const char* statname[] = {"running", "dead", "suspended", "normal"};

// Invariant STATUS, seen from thread L.
int auxstatus(lua_State* L, lua_State* co) {
  if (co == L) return COS_RUN;
  const int status = lua_status(co);
  if (status == LUA_YIELD) return COS_YIELD;
  if (status != LUA_OK) return COS_DEAD;  // stopped by an error
  lua_Debug ar;
  if (lua_getstack(co, 0, &ar) != 0) return COS_NORM;  // it resumed another
  return lua_gettop(co) == 0 ? COS_DEAD : COS_YIELD;   // finished or new
}

int luaB_costatus(lua_State* L) {
  const int status = auxstatus(L, getco(L));
  lua_pushstring(L, statname[status]);
  return 1;
}

int luaB_yieldable(lua_State* L) {
  lua_State* const co = lua_isnone(L, kCoArg) ? L : getco(L);
  lua_pushboolean(L, lua_isyieldable(co) != 0);
  return 1;
}

int luaB_corunning(lua_State* L) {
  const bool ismain = lua_pushthread(L) != 0;
  lua_pushboolean(L, ismain);
  return 2;
}

// Only a dead or suspended coroutine can be closed: closing runs its
// pending to-be-closed variables and reports how that went.
int luaB_close(lua_State* L) {
  lua_State* const co = getco(L);
  const int costatus = auxstatus(L, co);
  if (costatus != COS_DEAD && costatus != COS_YIELD)
    return luaL_error(L, "cannot close a %s coroutine", statname[costatus]);
  const bool closed = lua_resetthread(co) == LUA_OK;
  lua_pushboolean(L, closed);
  if (closed) return 1;
  lua_xmove(co, L, 1);  // the error object
  return 2;
}

// The registration list: names fixed by the language, functions by the
// rule of keeping Lua's names, so these lines are Lua's by necessity.
const luaL_Reg co_funcs[] = {
    {"create", luaB_cocreate},
    {"resume", luaB_coresume},
    {"running", luaB_corunning},
    {"status", luaB_costatus},
    {"wrap", luaB_cowrap},
    {"yield", luaB_yield},
    {"isyieldable", luaB_yieldable},
    {"close", luaB_close},
    {nullptr, nullptr},
};

}  // namespace

int luaopen_coroutine(lua_State* L) {
  luaL_newlib(L, co_funcs);
  return 1;
}
