/**
 * \file
 * The auxiliary library: helpers, written only with the public API, that
 * libraries and host programs use to check arguments, raise errors, build
 * strings, keep references, load files and create states.
 *
 * Lua 5.4's lauxlib.h, re-declared with the same names, values and layouts.
 * Like lua.h, it names no Lua file to be compared line by line: its
 * declarations are fixed by the API.
 * Book: chapter 9
 *
 * This is a public C header: a C program or C module written for Lua 5.4
 * includes it by its plain name and sees 5.4's names, values and layouts.
 * Invariant LAYOUT: luaL_Buffer, luaL_Reg and luaL_Stream have the field
 * order and sizes of Debian's Lua 5.4 (the buffer's inline area is
 * LUAL_BUFFERSIZE bytes from luaconf.h), so a module compiled against
 * Debian's headers passes its buffers to our functions unchanged.
 * Invariant BUFFER-SLOT: between luaL_buffinit and luaL_pushresult a buffer
 * owns exactly one stack slot, which holds either a placeholder (while the
 * text fits in the inline area) or the boxed heap block that replaced it.
 *
 * Differences from Lua: none in what is declared. The functions take no
 * parentheses around their names (nothing here is also a macro).
 */
#ifndef lauxlib_h
#define lauxlib_h

#include <stddef.h>
#include <stdio.h>

#include "lua.h"
#include "luaconf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the global table, as a global and as a package.loaded key. */
#define LUA_GNAME "_G"

typedef struct luaL_Buffer luaL_Buffer;

/** Status of luaL_loadfilex when the file cannot be opened or read. */
#define LUA_ERRFILE (LUA_ERRERR + 1)

/** Registry key of the table of loaded modules (package.loaded). */
#define LUA_LOADED_TABLE "_LOADED"

/** Registry key of the table of preloaded loaders (package.preload). */
#define LUA_PRELOAD_TABLE "_PRELOAD"

/** One entry of a function list for luaL_setfuncs; a null name ends it. */
typedef struct luaL_Reg {
  const char* name;   /**< field name in the library table */
  lua_CFunction func; /**< the function, or NULL for a false placeholder */
} luaL_Reg;

/** A fingerprint of the numeric types, compared by luaL_checkversion. */
#define LUAL_NUMSIZES (sizeof(lua_Integer) * 16 + sizeof(lua_Number))

/** Raises an error unless the core has version `ver` and numeric types
 *  whose fingerprint is `sz`. */
LUALIB_API void luaL_checkversion_(lua_State* L, lua_Number ver, size_t sz);
/** Checks that the calling code and the core agree on version and types. */
#define luaL_checkversion(L) \
  luaL_checkversion_(L, LUA_VERSION_NUM, LUAL_NUMSIZES)

/** Pushes field `e` of the metatable of `obj` and returns its type; pushes
 *  nothing and returns LUA_TNIL when there is no such field. */
LUALIB_API int luaL_getmetafield(lua_State* L, int obj, const char* e);
/** Calls metamethod `e` of `obj` with `obj` as its only argument, leaving
 *  one result; returns 0 (pushing nothing) when there is none. */
LUALIB_API int luaL_callmeta(lua_State* L, int obj, const char* e);
/** Pushes the string form of any value, as `tostring` shows it. */
LUALIB_API const char* luaL_tolstring(lua_State* L, int idx, size_t* len);
/** Raises "bad argument" for argument number `arg` of the running
 *  function, with `extramsg` in parentheses. */
LUALIB_API int luaL_argerror(lua_State* L, int arg, const char* extramsg);
/** Raises "bad argument ... (tname expected, got T)". */
LUALIB_API int luaL_typeerror(lua_State* L, int arg, const char* tname);
/** Argument `arg` as a string (numbers are converted in place). */
LUALIB_API const char* luaL_checklstring(lua_State* L, int arg, size_t* l);
/** Like luaL_checklstring, but absent or nil gives `def`. */
LUALIB_API const char* luaL_optlstring(lua_State* L, int arg, const char* def,
                                       size_t* l);
/** Argument `arg` as a float, converting strings. */
LUALIB_API lua_Number luaL_checknumber(lua_State* L, int arg);
/** Like luaL_checknumber, but absent or nil gives `def`. */
LUALIB_API lua_Number luaL_optnumber(lua_State* L, int arg, lua_Number def);

/** Argument `arg` as an integer; a float must have an exact value. */
LUALIB_API lua_Integer luaL_checkinteger(lua_State* L, int arg);
/** Like luaL_checkinteger, but absent or nil gives `def`. */
LUALIB_API lua_Integer luaL_optinteger(lua_State* L, int arg, lua_Integer def);

/** Grows the stack by `sz` slots or raises "stack overflow (msg)". */
LUALIB_API void luaL_checkstack(lua_State* L, int sz, const char* msg);
/** Raises a type error unless argument `arg` has type `t`. */
LUALIB_API void luaL_checktype(lua_State* L, int arg, int t);
/** Raises "value expected" when argument `arg` is absent. */
LUALIB_API void luaL_checkany(lua_State* L, int arg);

/** Pushes registry[tname], creating it as a table with __name = tname if
 *  it did not exist; returns 1 only when it created it. */
LUALIB_API int luaL_newmetatable(lua_State* L, const char* tname);
/** Gives the value on top the metatable registered as `tname`. */
LUALIB_API void luaL_setmetatable(lua_State* L, const char* tname);
/** The block of userdata `ud` if its metatable is registry[tname], else
 *  NULL. */
LUALIB_API void* luaL_testudata(lua_State* L, int ud, const char* tname);
/** Like luaL_testudata, but raises a type error instead of giving NULL. */
LUALIB_API void* luaL_checkudata(lua_State* L, int ud, const char* tname);

/** Pushes "chunk:line: " for the function `lvl` levels up, or "". */
LUALIB_API void luaL_where(lua_State* L, int lvl);
/** Raises a string error, formatted as lua_pushfstring does, with the
 *  position of the calling Lua code in front of it. */
LUALIB_API int luaL_error(lua_State* L, const char* fmt, ...);

/** Index in `lst` (NULL-terminated) of the string argument `arg`, which
 *  defaults to `def` when `def` is not NULL; raises "invalid option". */
LUALIB_API int luaL_checkoption(lua_State* L, int arg, const char* def,
                                const char* const lst[]);

/** Pushes the results of a file operation: true, or fail plus message
 *  and errno. */
LUALIB_API int luaL_fileresult(lua_State* L, int stat, const char* fname);
/** Pushes the results of os.execute or a pipe close from a wait status. */
LUALIB_API int luaL_execresult(lua_State* L, int stat);

/** The reference luaL_ref never returns. */
#define LUA_NOREF (-2)
/** The reference luaL_ref returns for nil. */
#define LUA_REFNIL (-1)

/** Pops a value, stores it in table `t` under a fresh integer key and
 *  returns that key. */
LUALIB_API int luaL_ref(lua_State* L, int t);
/** Frees reference `ref` of table `t` for reuse. */
LUALIB_API void luaL_unref(lua_State* L, int t, int ref);

/** Loads a file (NULL: standard input) as a chunk, skipping a UTF-8 BOM
 *  and a first line starting with '#'. */
LUALIB_API int luaL_loadfilex(lua_State* L, const char* filename,
                              const char* mode);

#define luaL_loadfile(L, f) luaL_loadfilex(L, f, NULL)

/** Loads `sz` bytes of `buff` as a chunk named `name`. */
LUALIB_API int luaL_loadbufferx(lua_State* L, const char* buff, size_t sz,
                                const char* name, const char* mode);
/** Loads a NUL-terminated string as a chunk named after itself. */
LUALIB_API int luaL_loadstring(lua_State* L, const char* s);

/** A new state on realloc/free, with a panic function that prints the
 *  error and warnings that start switched off. */
LUALIB_API lua_State* luaL_newstate(void);

/** The length of the value at `idx`, with __len, as an integer. */
LUALIB_API lua_Integer luaL_len(lua_State* L, int idx);

/** Adds `s` to the buffer with every occurrence of `p` replaced by `r`. */
LUALIB_API void luaL_addgsub(luaL_Buffer* b, const char* s, const char* p,
                             const char* r);
/** Pushes `s` with every occurrence of `p` replaced by `r`. */
LUALIB_API const char* luaL_gsub(lua_State* L, const char* s, const char* p,
                                 const char* r);

/** Sets the functions of `l` in the table below `nup` upvalues, each as a
 *  closure over copies of them, and pops the upvalues. */
LUALIB_API void luaL_setfuncs(lua_State* L, const luaL_Reg* l, int nup);

/** Pushes table t[fname] (t at `idx`), creating it if needed; returns 1
 *  when it was already there. */
LUALIB_API int luaL_getsubtable(lua_State* L, int idx, const char* fname);

/** Pushes a traceback of thread L1 from `level` on, after `msg`. */
LUALIB_API void luaL_traceback(lua_State* L, lua_State* L1, const char* msg,
                               int level);

/** Opens module `modname` with `openf` unless package.loaded has it,
 *  records it there (and as a global when `glb`), and pushes it. */
LUALIB_API void luaL_requiref(lua_State* L, const char* modname,
                              lua_CFunction openf, int glb);

/* Building libraries. */

#define luaL_newlibtable(L, l) \
  lua_createtable(L, 0, sizeof(l) / sizeof((l)[0]) - 1)

#define luaL_newlib(L, l) \
  (luaL_checkversion(L), luaL_newlibtable(L, l), luaL_setfuncs(L, l, 0))

#define luaL_argcheck(L, cond, arg, extramsg) \
  ((void)(luai_likely(cond) || luaL_argerror(L, (arg), (extramsg))))

#define luaL_argexpected(L, cond, arg, tname) \
  ((void)(luai_likely(cond) || luaL_typeerror(L, (arg), (tname))))

#define luaL_checkstring(L, n) (luaL_checklstring(L, (n), NULL))
#define luaL_optstring(L, n, d) (luaL_optlstring(L, (n), (d), NULL))

#define luaL_typename(L, i) lua_typename(L, lua_type(L, (i)))

#define luaL_dofile(L, fn) \
  (luaL_loadfile(L, fn) || lua_pcall(L, 0, LUA_MULTRET, 0))

#define luaL_dostring(L, s) \
  (luaL_loadstring(L, s) || lua_pcall(L, 0, LUA_MULTRET, 0))

#define luaL_getmetatable(L, n) (lua_getfield(L, LUA_REGISTRYINDEX, (n)))

#define luaL_opt(L, f, n, d) (lua_isnoneornil(L, (n)) ? (d) : f(L, (n)))

#define luaL_loadbuffer(L, s, sz, n) luaL_loadbufferx(L, s, sz, n, NULL)

/** Integer arithmetic that wraps around instead of overflowing. */
#define luaL_intop(op, v1, v2) \
  ((lua_Integer)((lua_Unsigned)(v1)op(lua_Unsigned)(v2)))

/** Pushes the value that library functions return to signal failure. */
#define luaL_pushfail(L) lua_pushnil(L)

/* Assertions for code built with LUAI_ASSERT; the core's own definition
   wins when it was included first. */
#if !defined(lua_assert)
#if defined(LUAI_ASSERT)
#include <assert.h>
#define lua_assert(c) assert(c)
#else
#define lua_assert(c) ((void)0)
#endif
#endif

/* String buffers. */

/** A string under construction: text lives in `init` until it outgrows
 *  it, then in a block owned by a userdata box on the stack. */
struct luaL_Buffer {
  char* b;      /**< where the text is: init.b or the box's block */
  size_t size;  /**< capacity of `b` */
  size_t n;     /**< bytes of text in `b` */
  lua_State* L; /**< the state whose stack holds the buffer's slot */
  union {
    LUAI_MAXALIGN;           /* aligns the inline area for any use */
    char b[LUAL_BUFFERSIZE]; /* the inline area */
  } init;                    /**< storage for short texts */
};

#define luaL_bufflen(bf) ((bf)->n)
#define luaL_buffaddr(bf) ((bf)->b)

#define luaL_addchar(B, c)                                  \
  ((void)((B)->n < (B)->size || luaL_prepbuffsize((B), 1)), \
   ((B)->b[(B)->n++] = (c)))

#define luaL_addsize(B, s) ((B)->n += (s))

#define luaL_buffsub(B, s) ((B)->n -= (s))

/** Starts an empty buffer and pushes its placeholder slot. */
LUALIB_API void luaL_buffinit(lua_State* L, luaL_Buffer* B);
/** Room for `sz` more bytes at the end of the text. */
LUALIB_API char* luaL_prepbuffsize(luaL_Buffer* B, size_t sz);
/** Appends `l` bytes of `s`. */
LUALIB_API void luaL_addlstring(luaL_Buffer* B, const char* s, size_t l);
/** Appends a NUL-terminated string. */
LUALIB_API void luaL_addstring(luaL_Buffer* B, const char* s);
/** Pops the string (or number) on top and appends it. */
LUALIB_API void luaL_addvalue(luaL_Buffer* B);
/** Replaces the buffer's slot with the finished string. */
LUALIB_API void luaL_pushresult(luaL_Buffer* B);
/** Counts `sz` more bytes as written, then finishes the buffer. */
LUALIB_API void luaL_pushresultsize(luaL_Buffer* B, size_t sz);
/** luaL_buffinit followed by luaL_prepbuffsize. */
LUALIB_API char* luaL_buffinitsize(lua_State* L, luaL_Buffer* B, size_t sz);

#define luaL_prepbuffer(B) luaL_prepbuffsize(B, LUAL_BUFFERSIZE)

/* File handles of the io library. */

/** Registry name of the metatable of io file handles. */
#define LUA_FILEHANDLE "FILE*"

/** The userdata block behind an io file handle. */
typedef struct luaL_Stream {
  FILE* f;              /**< the stream, NULL while being created */
  lua_CFunction closef; /**< closes it; NULL once closed */
} luaL_Stream;

/* Output used by print, warnings and the stand-alone interpreter. */

#if !defined(lua_writestring)
#define lua_writestring(s, l) fwrite((s), sizeof(char), (l), stdout)
#endif

#if !defined(lua_writeline)
#define lua_writeline() (lua_writestring("\n", 1), fflush(stdout))
#endif

#if !defined(lua_writestringerror)
#define lua_writestringerror(s, p) (fprintf(stderr, (s), (p)), fflush(stderr))
#endif

/* Casts kept for modules written for Lua 5.2 and 5.3. */
#if defined(LUA_COMPAT_APIINTCASTS)

#define luaL_checkunsigned(L, a) ((lua_Unsigned)luaL_checkinteger(L, a))
#define luaL_optunsigned(L, a, d) \
  ((lua_Unsigned)luaL_optinteger(L, a, (lua_Integer)(d)))

#define luaL_checkint(L, n) ((int)luaL_checkinteger(L, (n)))
#define luaL_optint(L, n, d) ((int)luaL_optinteger(L, (n), (d)))

#define luaL_checklong(L, n) ((long)luaL_checkinteger(L, (n)))
#define luaL_optlong(L, n, d) ((long)luaL_optinteger(L, (n), (d)))

#endif

#ifdef __cplusplus
}
#endif

#endif
