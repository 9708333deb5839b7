/// \file
/// The bare state of chapters 2 to 4: a main thread and its global state
/// with the memory accounting in place and nothing else; and the creation
/// of collectable objects.
///
/// Mirrors: Lua 5.4 lstate.c (luai_makeseed, preinit_thread and the part
/// of lua_newstate that needs no memory), with lgc.c's luaC_newobj and
/// luaC_fix in a section at the end
/// Book: chapter 2
///
/// lstate.c is spread over four chapters: this file; lmem/lmem.cpp
/// (luaE_setdebt, chapter 1); lfunc/lstate.cpp (call records, threads,
/// the full set-up and tear-down, chapter 5); lgc/lgc.cpp (luaE_warning
/// and luaE_warnerror, chapter 6); and lapi/lapi.cpp (the API functions
/// lua_newstate, lua_close, lua_newthread, lua_closethread, chapter 9).
///
/// The block is allocated in one piece, as lua_newstate does, with the
/// type tag LUA_TTHREAD in `osize`, and it is not charged to the state's
/// own accounting: Lua counts the LG block in `totalbytes` from the start,
/// and so do we, so that gettotalbytes equals what the allocator holds.
/// Every thread and the global state are value-initialised in place, so
/// the set-up writes only the fields that do not start at zero.
///
/// Differences from Lua: Lua's preinit_thread is static and assigns every
/// field; ours constructs the thread (value-initialisation zeroes the
/// rest) and is shared with chapter 5, so there is one copy of it.
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <new>
#include <utility>

#include "lobject/lstate.hpp"

namespace lua {

namespace {

// Mixes a value into a seed (a multiplicative hash step).
unsigned int mixseed(unsigned int h, std::uintptr_t v) {
  for (int i = 0; i < 2; i++) {
    h ^= static_cast<unsigned int>(v >> (32 * i));
    h *= 0x9E3779B1u;  // 2^32 divided by the golden ratio
    h ^= h >> 15;
  }
  return h;
}

}  // namespace

// Lua mixes the address of a local, of the state and of a C function with
// the time; so do we. With address-space randomization this differs from
// run to run, which is the point.
unsigned int luai_makeseed(lua_State* L) {
  if (const char* fixed = std::getenv("LUA_ANATOMY_SEED"))
    return static_cast<unsigned int>(std::strtoul(fixed, nullptr, 10));
  int local = 0;
  unsigned int h = mixseed(0, reinterpret_cast<std::uintptr_t>(&local));
  h = mixseed(h, reinterpret_cast<std::uintptr_t>(L));
  h = mixseed(h, reinterpret_cast<std::uintptr_t>(&luai_makeseed));
  h = mixseed(h, static_cast<std::uintptr_t>(std::time(nullptr)));
  return mixseed(h, static_cast<std::uintptr_t>(std::clock()));
}

// A thread value-initialised in place has every pointer null and every
// count zero; only three fields start otherwise.
lua_State* preinit_thread(LX* block, global_State* g) {
  lua_State* L = new (&block->l) lua_State();
  L->l_G = g;
  L->twups = L;  // a thread outside `g->twups` points to itself
  L->allowhook = 1;
  return L;
}

// The bare state is the full one minus everything that allocates, with
// the main thread kept out of `allgc` (nothing here ever frees it).
lua_State* luaE_newbarestate(lua_Alloc f, void* ud) {
  auto* block = static_cast<LG*>((*f)(ud, nullptr, LUA_TTHREAD, sizeof(LG)));
  if (block == nullptr) return nullptr;
  global_State& g = *new (&block->g) global_State();
  lua_State* L = preinit_thread(&block->l, &g);
  L->tt = LUA_VTHREAD;
  g.frealloc = f;
  g.ud = ud;
  g.totalbytes = sizeof(LG);  // the block itself is counted from the start
  g.mainthread = L;
  g.seed = luai_makeseed(L);
  g.currentwhite = bitmask(WHITE0BIT);
  setnilvalue(&g.l_registry);
  setnilvalue(&g.nilvalue);  // nil: the state is complete
  return L;
}

// Chapter 5's close ends here too, with the main thread (which it links
// into `allgc`) as the only object left.
void luaE_freebarestate(lua_State* L) {
  global_State* g = G(L);
  lua_assert(L == g->mainthread);
  lua_assert(g->allgc == nullptr || (g->allgc == L && L->next == nullptr));
  lua_assert(g->fixedgc == nullptr);
  lua_assert(gettotalbytes(g) == sizeof(LG));
  (*g->frealloc)(g->ud, fromstate(L), sizeof(LG), 0);
}

// ---------------------------------------------------------------------------
// Functions of lgc.c
// ---------------------------------------------------------------------------
// Objects are created from chapter 2 on, long before the collector
// (chapter 6), so lgc.c's luaC_newobj and luaC_fix live here.

// The header is written last, so that a caller may value-initialise the
// whole object first (luaC_newobject).
void luaC_linkobj(lua_State* L, GCObject* o, int tt) {
  global_State* g = G(L);
  o->marked = luaC_white(g);
  o->tt = cast_byte(tt);
  o->next = std::exchange(g->allgc, o);
}

GCObject* luaC_newobj(lua_State* L, int tt, std::size_t sz) {
  auto* o = static_cast<GCObject*>(luaM_newobject(L, novariant(tt), sz));
  luaC_linkobj(L, o, tt);
  return o;
}

// Fixed objects are created first and fixed at once, so the object is
// always the head of allgc. Gray is the colour the collector never touches:
// it is neither traversed (not on a gray list) nor swept (not in allgc).
void luaC_fix(lua_State* L, GCObject* o) {
  global_State* g = G(L);
  lua_assert(g->allgc == o);
  set2gray(o);
  g->allgc = o->next;
  o->next = g->fixedgc;
  g->fixedgc = o;
}

}  // namespace lua
