/// \file
/// The memory manager: the one door through which every byte of a Lua state
/// is allocated, resized and freed, with exact accounting.
///
/// Mirrors: Lua 5.4 lmem.h and lmem.c (and the error entry points of ldo.c
/// that memory errors need).
/// Book: chapter 1
///
/// Design: a state never calls malloc. It calls its allocator, a `lua_Alloc`
/// chosen by the embedder, through the functions below, and each call adjusts
/// the accounting in `MemoryState`:
///
/// - **Invariant ACCOUNT.** `totalbytes + GCdebt` is exactly the number of
///   bytes the allocator currently holds for this state. Only a successful
///   allocator call changes it, so a failed allocation leaves it untouched.
/// - **Invariant DEBT.** `GCdebt` grows by what is allocated and shrinks by
///   what is freed; the collector (chapter 6) pays the debt back by working.
/// - **Invariant SIZE.** A vector of `n` elements of size `e` is only
///   requested when `n * e` cannot overflow `size_t` (luaM_checksize).
///
/// A failed request is retried once after an emergency collection, if a
/// collector is installed (the `fullgc` seam) and emergency collections are
/// allowed (`gcstopem` is clear). If it fails again, the state raises
/// LUA_ERRMEM ("not enough memory") and stays usable.
///
/// Differences from Lua:
/// - Chapter 1 sits below the state layouts (chapter 2), so the functions
///   take a `MemCtx`, a pair of the running thread and its memory state,
///   instead of reaching `G(L)` themselves. From chapter 2 on a plain
///   `lua_State *` converts to a `MemCtx`, so call sites read as in Lua.
/// - Lua's macros (luaM_new, luaM_newvector, luaM_growvector, ...) are
///   function templates with the same names, taking the element type as a
///   template argument.
/// - Calls that go up the chapter order (emergency collection, raising a
///   runtime error) are seams in `Seams`; see chapter 0.
/// - Raising an error belongs to ldo.c and ldebug.c (chapter 8). This
///   chapter's entry points carry their own names, so that no Lua name
///   means two things: `luaM_throw` and `luaM_runerror` go through the
///   `throwstatus` and `runerror` seams that chapter 8's luaD_throw and
///   luaG_runerror install, and `luaM_runprotected` is the stand-in
///   protected runner that the stages before chapter 8 and their tests
///   use.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstring>

#include "lmem/llimits.hpp"

namespace lua {

struct GCObject;  // the header of collectable objects (chapter 2)
struct TValue;    // a tagged value (chapter 2)

/// Smallest size a growing vector is given (luaM_growaux_).
inline constexpr int MINSIZEARRAY = 4;

/// Error message of LUA_ERRMEM.
inline constexpr const char* MEMERRMSG = "not enough memory";

/// The one exception type of the implementation. Only the throw function
/// (`luaM_throw` before chapter 8, ldo's luaD_throw from then on) throws
/// it and only a protected runner catches it; it never crosses the C API.
/// Before chapter 8 puts error objects on the Lua stack, the exception
/// carries its message itself (`msg`); afterwards `msg` is empty and the
/// error object sits on the thread's stack, as in Lua.
struct LuaError {
  int status;     ///< LUA_ERRRUN, LUA_ERRMEM, LUA_ERRSYNTAX, ...
  char msg[256];  ///< NUL-terminated message (stand-in error object)
};

/// Calls that go up the chapter order. Each pointer is null until the
/// chapter that owns it installs it; the memory manager documents the
/// fallback it uses meanwhile. Chapter 0 lists every seam.
struct Seams {
  /// Installed by lgc (chapter 6): a full emergency collection that runs no
  /// finalizers. Null means "no collector": a failed allocation is not
  /// retried.
  void (*fullgc)(lua_State* L) = nullptr;
  /// Installed by ldo (chapter 8, luaD_openstate), which hands the message
  /// to ldebug's luaG_runerror: raise a runtime error whose message is
  /// the already formatted `msg`, adding position information. Must not
  /// return. Null means: throw LuaError{LUA_ERRRUN, msg}.
  void (*runerror)(lua_State* L, const char* msg) = nullptr;
  /// Installed by ldo (chapter 8): throw the exception for `status`, with
  /// the error object on the stack. Must not return. Null means: throw
  /// LuaError{status, message-of-status}.
  void (*throwstatus)(lua_State* L, int status) = nullptr;
  /// Installed by lfunc (chapter 5), the first chapter with both strings and
  /// a stack: push a new string with the `len` bytes at `s` onto the stack
  /// of `L` and return its contents. Used by luaO_pushvfstring (chapter 2);
  /// null means that pushing is not possible yet (an error is raised).
  const char* (*pushstring)(lua_State* L, const char* s,
                            std::size_t len) = nullptr;
  /// Installed by lgc (chapter 6): the slow paths of the write barriers.
  /// The fast checks (is `o` black and the value white?) are inline in
  /// chapter 2; before chapter 6 no object is ever black, so they never
  /// fire and these stay null. `barrier` is the forward barrier (mark the
  /// white `v` stored into black `o`), `barrierback` the backward one (turn
  /// black `o` gray again).
  void (*barrier)(lua_State* L, GCObject* o, GCObject* v) = nullptr;
  void (*barrierback)(lua_State* L, GCObject* o) = nullptr;
  /// Installed by ldo (chapter 8): call finalizer `tm` with the single
  /// argument `obj` in protected mode, as a call with no results. Returns
  /// LUA_OK, or the error status with the error object left on top of the
  /// stack (the collector turns it into a warning and pops it). Used by
  /// the collector (chapter 6); null means that finalizers cannot be
  /// called yet, and the collector skips the call.
  int (*callgc)(lua_State* L, const TValue* tm, const TValue* obj) = nullptr;
};

/// The memory manager's share of the global state. Chapter 2's
/// `global_State` derives from it, so `g->GCdebt` reads as in Lua.
struct MemoryState {
  lua_Alloc frealloc = nullptr;  ///< the allocator
  void* ud = nullptr;            ///< its opaque argument
  /// Bytes allocated minus GCdebt (see invariant ACCOUNT).
  l_mem totalbytes = 0;
  /// Bytes allocated and not yet compensated by the collector.
  l_mem GCdebt = 0;
  /// Nonzero while emergency collections must not run (for example while
  /// the collector itself is allocating).
  lu_byte gcstopem = 0;
  /// Upward calls, installed by later chapters.
  Seams seams;
};

/// The pair a memory operation needs: the thread on whose behalf it runs
/// (for raising errors there) and the memory state it charges.
struct MemCtx {
  lua_State* L;    ///< the running thread; may be null in chapter 1
  MemoryState* g;  ///< the accounting and the allocator
  MemCtx(lua_State* L, MemoryState* g) : L(L), g(g) {}
  /// From chapter 2 on (lstate.hpp defines it): the thread and `G(L)`.
  inline MemCtx(lua_State* L);
};

/// Exact number of bytes the allocator holds for the state (ACCOUNT).
inline lu_mem gettotalbytes(const MemoryState* g) {
  return static_cast<lu_mem>(g->totalbytes + g->GCdebt);
}

/// Sets the debt to `debt` while keeping `gettotalbytes` unchanged: the
/// collector uses it to schedule its next step.
void luaE_setdebt(MemoryState* g, l_mem debt);

/// Raises LUA_ERRMEM on the thread of `L`. Never returns.
[[noreturn]] void luaM_error(MemCtx L);
/// Raises "memory allocation error: block too big". Never returns.
[[noreturn]] void luaM_toobig(MemCtx L);

/// Throws the exception for `status` (LUA_ERRMEM, LUA_ERRRUN, ...) through
/// the throwstatus seam, or directly before chapter 8.
[[noreturn]] void luaM_throw(MemCtx L, int status);
/// Formats a message (printf-style, C formats only) and raises it as a
/// runtime error through the runerror seam. Never returns.
[[noreturn]] void luaM_runerror(MemCtx L, const char* fmt, ...);

/// Resizes `block` from `osize` to `nsize` bytes, frees it when `nsize` is
/// 0, allocates when `block` is null. Returns null on failure (after one
/// emergency collection), leaving `block` valid and the accounting exact.
/// The caller decides what failure means.
[[nodiscard]] void* luaM_realloc_(MemCtx L, void* block, std::size_t osize,
                                  std::size_t nsize);
/// Like luaM_realloc_, but raises LUA_ERRMEM instead of returning null.
[[nodiscard]] void* luaM_saferealloc_(MemCtx L, void* block, std::size_t osize,
                                      std::size_t nsize);
/// Frees `block` of `osize` bytes. Cannot fail.
void luaM_free_(MemCtx L, void* block, std::size_t osize);
/// Allocates `size` bytes for an object whose type tag is `tag` (0 for a
/// plain block); the allocator sees the tag as `osize`. Raises LUA_ERRMEM
/// on failure. Returns null when `size` is 0.
[[nodiscard]] void* luaM_malloc_(MemCtx L, std::size_t size, int tag);
/// Grows a vector, if needed, so it can hold `nelems + 1` elements: the
/// size doubles, starts at MINSIZEARRAY and stops at `limit`, past which
/// it raises "too many <what> (limit is <limit>)". Updates `*size`.
[[nodiscard]] void* luaM_growaux_(MemCtx L, void* block, int nelems, int* size,
                                  int size_elem, int limit, const char* what);
/// Shrinks a vector of `*size` elements to `final_n` elements and updates
/// `*size`.
[[nodiscard]] void* luaM_shrinkvector_(MemCtx L, void* block, int* size,
                                       int final_n, int size_elem);

/// Largest element count `n` may take for elements of type T without the
/// byte size overflowing an int-indexed vector (Lua's luaM_limitN).
template <class T>
constexpr int luaM_limitN(int n) {
  return (cast_sizet(n) <= MAX_SIZET / sizeof(T))
             ? n
             : cast_int(MAX_SIZET / sizeof(T));
}

/// Raises "block too big" unless `n + 1` elements of `e` bytes fit in
/// size_t (invariant SIZE).
inline void luaM_checksize(MemCtx L, std::size_t n, std::size_t e) {
  // n + 1 > MAX_SIZET / e, written so that n == MAX_SIZET cannot wrap.
  if (n >= MAX_SIZET / e) [[unlikely]]
    luaM_toobig(L);
}

/// Frees one object of type T.
template <class T>
void luaM_free(MemCtx L, T* b) {
  luaM_free_(L, b, sizeof(T));
}
/// Frees a block of `size` bytes.
inline void luaM_freemem(MemCtx L, void* b, std::size_t size) {
  luaM_free_(L, b, size);
}
/// Frees a vector of `n` elements of type T.
template <class T>
void luaM_freearray(MemCtx L, T* b, std::size_t n) {
  luaM_free_(L, b, n * sizeof(T));
}
/// Allocates raw storage for one T (no constructor runs).
template <class T>
[[nodiscard]] T* luaM_new(MemCtx L) {
  return static_cast<T*>(luaM_malloc_(L, sizeof(T), 0));
}
/// Allocates raw storage for `n` elements of type T.
template <class T>
[[nodiscard]] T* luaM_newvector(MemCtx L, int n) {
  return static_cast<T*>(luaM_malloc_(L, cast_sizet(n) * sizeof(T), 0));
}
/// Like luaM_newvector, after checking that the size cannot overflow.
template <class T>
[[nodiscard]] T* luaM_newvectorchecked(MemCtx L, int n) {
  luaM_checksize(L, cast_sizet(n), sizeof(T));
  return luaM_newvector<T>(L, n);
}
/// Allocates `size` bytes for an object of type tag `tag`.
[[nodiscard]] inline void* luaM_newobject(MemCtx L, int tag, std::size_t size) {
  return luaM_malloc_(L, size, tag);
}
/// Resizes a vector of T from `oldn` to `n` elements. May return null on
/// failure (see luaM_realloc_), in which case `v` is unchanged.
template <class T>
[[nodiscard]] T* luaM_reallocvector(MemCtx L, T* v, std::size_t oldn,
                                    std::size_t n) {
  return static_cast<T*>(luaM_realloc_(L, v, oldn * sizeof(T), n * sizeof(T)));
}
/// Grows vector `v` (capacity `size`) so element `nelems` fits.
template <class T>
void luaM_growvector(MemCtx L, T*& v, int nelems, int& size, int limit,
                     const char* what) {
  if (nelems + 1 > size)
    v = static_cast<T*>(luaM_growaux_(L, v, nelems, &size, sizeof(T),
                                      luaM_limitN<T>(limit), what));
}
/// Shrinks vector `v` from `size` to `final_n` elements.
template <class T>
void luaM_shrinkvector(MemCtx L, T*& v, int& size, int final_n) {
  v = static_cast<T*>(luaM_shrinkvector_(L, v, &size, final_n, sizeof(T)));
}

/// The stand-in protected runner of stages before chapter 8: runs `f` and
/// returns LUA_OK, or the status of the error it raised, whose message is
/// copied to `err` when given.
template <class F>
int luaM_runprotected(F&& f, LuaError* err = nullptr) {
  try {
    f();
    return LUA_OK;
  } catch (const LuaError& e) {
    if (err != nullptr) *err = e;
    return e.status;
  }
}

}  // namespace lua
