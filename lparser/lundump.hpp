/// \file
/// Binary chunks: the format in which `string.dump` and `luac` save a
/// compiled function, the loader that rebuilds a prototype from one, and
/// the dumper that writes one.
///
/// Mirrors: Lua 5.4 lundump.h (loader in lundump.cpp, dumper in ldump.cpp)
/// Book: chapter 7
///
/// Design: a binary chunk is a header followed by one function, written
/// field by field in the order of `Proto` and recursively for its nested
/// functions. The header records everything that makes two builds of Lua
/// incompatible: the version, the format, a few bytes that text-mode
/// transfers or truncation would damage (LUAC_DATA), the sizes of an
/// instruction, an integer and a float, and one integer and one float
/// (LUAC_INT, LUAC_NUM) whose bytes reveal the byte order and the float
/// representation. Counts and lengths are written as variable-length
/// unsigned integers: groups of 7 bits, most significant first, the last
/// group marked by its 0x80 bit. Strings are written as their length plus
/// one (0 for "no string") and their bytes; constants as a variant tag and
/// a payload; a nested function omits its source name when it is the
/// parent's.
///
/// The format is Lua 5.4.4's to the byte: a chunk written by `luac5.4`
/// loads here, and luaU_dump of the result writes the same bytes back.
#pragma once

#include "lobject/lstate.hpp"
#include "lparser/lzio.hpp"

namespace lua {

/// Bytes a binary chunk starts with, after LUA_SIGNATURE's first byte
/// (which the caller reads to tell binary from source).
inline constexpr const char* LUAC_DATA = "\x19\x93\r\n\x1a\n";
/// The integer and the float whose bytes fix the number representation.
inline constexpr lua_Integer LUAC_INT = 0x5678;
inline constexpr lua_Number LUAC_NUM = 370.5;
/// Version byte: major version in the high nibble, minor in the low one.
inline constexpr int LUAC_VERSION =
    LUA_VERSION_NUM / 100 * 16 + LUA_VERSION_NUM % 100;
/// Format byte: 0 is the official format.
inline constexpr int LUAC_FORMAT = 0;

/// Loads a binary chunk from `Z`, whose first byte (LUA_SIGNATURE[0]) the
/// caller has already read, and returns a new Lua closure for its main
/// function, left on top of the stack of `L` (it anchors everything the
/// loader creates). The closure's upvalues are null: the caller creates
/// them (luaF_initupvals). `name` is the chunk name, used in messages
/// without its '@' or '=' prefix ("binary string" when it is the chunk
/// itself). A malformed chunk raises LUA_ERRSYNTAX with the message
/// `chunk: bad binary format (reason)` on the stack; functions nested
/// deeper than the C-call limit raise "C stack overflow" (LUA_ERRRUN);
/// memory exhaustion raises LUA_ERRMEM. Whatever the input, memory use
/// stays proportional to the bytes read. The loader checks the format,
/// not the bytecode: the instructions, the indices in them and the line
/// information are taken as they are.
LClosure* luaU_undump(lua_State* L, ZIO* Z, const char* name);

/// Writes prototype `f` as a binary chunk through `w` (called with
/// `data` for each piece), leaving out the debug information (line
/// numbers, local and upvalue names, source names) when `strip` is
/// nonzero. Stops calling `w` after it first returns nonzero and returns
/// that value; returns 0 when every piece was written. Raises nothing
/// itself; `f` must stay reachable while `w` runs.
int luaU_dump(lua_State* L, const Proto* f, lua_Writer w, void* data,
              int strip);

}  // namespace lua
