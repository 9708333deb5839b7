/// \file
/// The refilling and bulk reading of input streams.
///
/// Mirrors: Lua 5.4 lzio.c
/// Book: chapter 7
///
/// See lzio.hpp for the invariants AVAIL and BUFF.
#include "lparser/lzio.hpp"

#include <cstring>

namespace lua {

// A reader signals the end by returning null or an empty block.
int luaZ_fill(ZIO* z) {
  std::size_t size;
  const char* buff = z->reader(z->L, z->data, &size);
  if (buff == nullptr || size == 0) return EOZ;
  z->n = size - 1;  // the byte returned now is consumed
  z->p = buff;
  return static_cast<unsigned char>(*z->p++);
}

void luaZ_init(lua_State* L, ZIO* z, lua_Reader reader, void* data) {
  z->L = L;
  z->reader = reader;
  z->data = data;
  z->n = 0;
  z->p = nullptr;
}

// Copies whole runs out of the current block, refilling between them; the
// undump code reads headers and code vectors this way.
std::size_t luaZ_read(ZIO* z, void* b, std::size_t n) {
  while (n > 0) {
    if (z->n == 0) {                      // no bytes in the block?
      if (luaZ_fill(z) == EOZ) return n;  // the missing count
      z->n++;  // luaZ_fill consumed the first byte: put it back
      z->p--;
    }
    std::size_t m = (n <= z->n) ? n : z->n;
    std::memcpy(b, z->p, m);
    z->n -= m;
    z->p += m;
    b = static_cast<char*>(b) + m;
    n -= m;
  }
  return 0;
}

}  // namespace lua
