/// \file
/// Buffered input streams for the compiler and the chunk loader, and the
/// growable byte buffer the lexer builds tokens in.
///
/// Mirrors: Lua 5.4 lzio.h and lzio.c
/// Book: chapter 7
///
/// Design: Lua never reads a whole chunk into memory. A `ZIO` pulls blocks
/// from a `lua_Reader` (a C function the embedder supplies: a file, a
/// string, a socket) one at a time and hands out bytes with `zgetc`. The
/// lexer keeps the text of the token it is reading in an `Mbuffer`, which
/// grows through the memory manager.
///
/// - **Invariant AVAIL.** `n` bytes are available at `p`; when `n` is 0
///   the next `zgetc` asks the reader for a new block.
/// - **Invariant BUFF.** An Mbuffer holds `n` bytes in a block of
///   `buffsize` bytes obtained from lmem (or no block when `buffsize` is 0).
///
/// Differences from Lua: the macros are inline functions. The reader is
/// called directly: this implementation has no lua_lock.
#pragma once

#include "lobject/lstate.hpp"

namespace lua {

/// End of stream.
inline constexpr int EOZ = -1;

/// An input stream over a lua_Reader.
struct Zio {
  std::size_t n;      ///< bytes still unread in the current block
  const char* p;      ///< the next byte
  lua_Reader reader;  ///< the source of blocks
  void* data;         ///< the reader's argument
  lua_State* L;       ///< passed to the reader
};
using ZIO = Zio;

/// A growable byte buffer (Lua's Mbuffer).
struct Mbuffer {
  char* buffer;
  std::size_t n;         ///< bytes in use
  std::size_t buffsize;  ///< bytes allocated
};

/// Fills the stream from its reader and returns the first byte of the new
/// block, or EOZ when the reader has nothing more.
int luaZ_fill(ZIO* z);

/// The next byte of the stream (0-255), or EOZ.
inline int zgetc(ZIO* z) {
  if (z->n-- > 0) return static_cast<unsigned char>(*z->p++);
  return luaZ_fill(z);
}

/// Prepares `z` to read from `reader`.
void luaZ_init(lua_State* L, ZIO* z, lua_Reader reader, void* data);
/// Reads up to `n` bytes into `b`; returns how many could NOT be read
/// (0 when all were).
std::size_t luaZ_read(ZIO* z, void* b, std::size_t n);

inline void luaZ_initbuffer(lua_State*, Mbuffer* buff) {
  buff->buffer = nullptr;
  buff->n = 0;
  buff->buffsize = 0;
}
inline char* luaZ_buffer(Mbuffer* buff) {
  return buff->buffer;
}
inline std::size_t luaZ_sizebuffer(const Mbuffer* buff) {
  return buff->buffsize;
}
inline std::size_t luaZ_bufflen(const Mbuffer* buff) {
  return buff->n;
}
inline void luaZ_buffremove(Mbuffer* buff, std::size_t i) {
  buff->n -= i;
}
inline void luaZ_resetbuffer(Mbuffer* buff) {
  buff->n = 0;
}
/// Resizes the buffer's block to `size` bytes (raises on failure, keeping
/// the old block).
inline void luaZ_resizebuffer(lua_State* L, Mbuffer* buff, std::size_t size) {
  buff->buffer = static_cast<char*>(
      luaM_saferealloc_(L, buff->buffer, buff->buffsize, size));
  buff->buffsize = size;
}
inline void luaZ_freebuffer(lua_State* L, Mbuffer* buff) {
  luaZ_resizebuffer(L, buff, 0);
}

}  // namespace lua
