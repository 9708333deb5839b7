/*
** luaconf.h: build-time configuration of Lua Anatomy.
**
** This is the public configuration header of the C API. Its names and values
** are those of Debian's Lua 5.4 (a 64-bit build with 64-bit integers and
** double floats), so that a C program or C module written for lua5.4 sees the
** same types and limits here. It is plain C: C programs include it.
**
** Book: chapter 1 (it sits under lua.h, which holds the allocator contract).
*/
#ifndef luaconf_h
#define luaconf_h

#include <limits.h>
#include <stddef.h>

/* The numeric types: 64-bit two's complement integers and IEEE doubles. */
#define LUA_INTEGER long long
#define LUA_INTEGER_FRMLEN "ll"
#define LUA_MAXINTEGER LLONG_MAX
#define LUA_MININTEGER LLONG_MIN
#define LUA_MAXUNSIGNED ULLONG_MAX
#define LUA_INTEGER_FMT "%" LUA_INTEGER_FRMLEN "d"
#define LUAI_UACINT LUA_INTEGER
#define lua_integer2str(s, sz, n) \
  snprintf((s), (sz), LUA_INTEGER_FMT, (LUAI_UACINT)(n))

#define LUA_NUMBER double
#define LUAI_UACNUMBER double
#define LUA_NUMBER_FRMLEN ""
#define LUA_NUMBER_FMT "%.14g"
#define l_mathop(op) op
#define lua_str2number(s, p) strtod((s), (p))
#define lua_number2str(s, sz, n) \
  snprintf((s), (sz), LUA_NUMBER_FMT, (LUAI_UACNUMBER)(n))

/* The type of the context of continuation functions (lua_KContext). */
#define LUA_KCONTEXT ptrdiff_t

/* Limits and sizes visible to C code. */
#define LUAI_MAXSTACK 1000000
#define LUA_EXTRASPACE (sizeof(void*))
#define LUA_IDSIZE 60
#define LUAL_BUFFERSIZE ((int)(16 * sizeof(void*) * sizeof(LUA_NUMBER)))

/* The strictest alignment the allocator must honour for any Lua object. */
#define LUAI_MAXALIGN \
  LUA_NUMBER n;       \
  double u;           \
  void* s;            \
  LUA_INTEGER i;      \
  long l

/* Symbol visibility and linkage of the API. */
#if defined(__cplusplus)
#define LUA_API_LINKAGE extern "C"
#else
#define LUA_API_LINKAGE extern
#endif
#define LUA_API LUA_API_LINKAGE
#define LUALIB_API LUA_API_LINKAGE
#define LUAMOD_API LUA_API_LINKAGE

/* Paths used by 'require' (chapter 10): Debian's arrangement, so that
   package.path and package.cpath read exactly as lua5.4's. Modules
   installed by hand go under LUA_ROOT (/usr/local), Debian's packages
   under LUA_ROOT2 (/usr), with their C modules in the multiarch folder
   (DEB_HOST_MULTIARCH, which Debian's own header takes from its build;
   here it is derived from the target, unless the build defines it). */
#if !defined(DEB_HOST_MULTIARCH)
#if defined(__x86_64__)
#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define DEB_HOST_MULTIARCH "aarch64-linux-gnu"
#elif defined(__i386__)
#define DEB_HOST_MULTIARCH "i386-linux-gnu"
#elif defined(__riscv) && __riscv_xlen == 64
#define DEB_HOST_MULTIARCH "riscv64-linux-gnu"
#else
#define DEB_HOST_MULTIARCH "unknown-linux-gnu"
#endif
#endif
#define LUA_VDIR LUA_VERSION_MAJOR "." LUA_VERSION_MINOR
#define LUA_ROOT "/usr/local/"
#define LUA_ROOT2 "/usr/"
#define LUA_LDIR LUA_ROOT "share/lua/" LUA_VDIR "/"
#define LUA_LDIR2 LUA_ROOT2 "share/lua/" LUA_VDIR "/"
#define LUA_CDIR LUA_ROOT "lib/lua/" LUA_VDIR "/"
#define LUA_CDIR2 LUA_ROOT2 "lib/" DEB_HOST_MULTIARCH "/lua/" LUA_VDIR "/"
#define LUA_CDIR3 LUA_ROOT2 "lib/lua/" LUA_VDIR "/"
#if !defined(LUA_PATH_DEFAULT)
#define LUA_PATH_DEFAULT                                              \
  LUA_LDIR "?.lua;" LUA_LDIR "?/init.lua;" LUA_CDIR "?.lua;" LUA_CDIR \
           "?/init.lua;" LUA_LDIR2 "?.lua;" LUA_LDIR2                 \
           "?/init.lua;"                                              \
           "./?.lua;./?/init.lua"
#endif
#if !defined(LUA_CPATH_DEFAULT)
#define LUA_CPATH_DEFAULT                                       \
  LUA_CDIR "?.so;" LUA_CDIR2 "?.so;" LUA_CDIR3 "?.so;" LUA_CDIR \
           "loadall.so;./?.so"
#endif
#define LUA_DIRSEP "/"

/* Path templates: the separator between templates, the mark replaced by
   the module name, and the mark replaced by the executable's directory
   (Windows only, kept for the names). */
#define LUA_PATH_SEP ";"
#define LUA_PATH_MARK "?"
#define LUA_EXEC_DIR "!"

/* Branch hints used by the auxiliary library's checking macros
   (luaL_argcheck, luaL_argexpected), as 5.4's luaconf.h provides them. */
#if !defined(luai_likely)
#if defined(__GNUC__) && !defined(LUA_NOBUILTIN)
#define luai_likely(x) (__builtin_expect(((x) != 0), 1))
#define luai_unlikely(x) (__builtin_expect(((x) != 0), 0))
#else
#define luai_likely(x) (x)
#define luai_unlikely(x) (x)
#endif
#endif

#endif
