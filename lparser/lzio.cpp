/// \file
/// The refilling and bulk reading of input streams.
///
/// Mirrors: Lua 5.4 lzio.c
/// Book: chapter 7
///
/// See lzio.hpp for the invariants AVAIL and BUFF. A block the reader
/// returns is never copied: the stream hands out bytes from it in place
/// until it is used up, and only then asks for the next one.
#include "lparser/lzio.hpp"

#include <algorithm>
#include <cstring>

namespace lua {

namespace {

// Makes the next block current without consuming any of it; false at the
// end of the stream.
bool refill(ZIO* z) {
  if (luaZ_fill(z) == EOZ) return false;
  z->p--;  // luaZ_fill handed out the first byte: take it back
  z->n++;
  return true;
}

}  // namespace

// A reader signals the end by returning null or an empty block. The first
// byte of the new block is the caller's (zgetc's slow path), the others
// stay available (AVAIL).
int luaZ_fill(ZIO* z) {
  std::size_t size = 0;
  const char* block = z->reader(z->L, z->data, &size);
  if (block == nullptr || size == 0) return EOZ;
  z->p = block + 1;
  z->n = size - 1;
  return static_cast<unsigned char>(block[0]);
}

// Nothing is read until the first zgetc.
void luaZ_init(lua_State* L, ZIO* z, lua_Reader reader, void* data) {
  *z = Zio{.n = 0, .p = nullptr, .reader = reader, .data = data, .L = L};
}

// Copies whole runs out of the current block, refilling between them; the
// undump code reads headers and code vectors this way.
std::size_t luaZ_read(ZIO* z, void* b, std::size_t n) {
  char* out = static_cast<char*>(b);
  while (n > 0) {
    if (z->n == 0 && !refill(z)) return n;  // the count still missing
    const std::size_t run = std::min(n, z->n);
    std::memcpy(out, z->p, run);
    z->p += run;
    z->n -= run;
    out += run;
    n -= run;
  }
  return 0;
}

}  // namespace lua
