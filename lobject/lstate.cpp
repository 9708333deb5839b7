/// \file
/// The bare state of chapters 2 to 4: a main thread and its global state
/// with the memory accounting in place and nothing else.
///
/// Mirrors: Lua 5.4 lstate.c (the part of lua_newstate that fills in the
/// global state and preinit_thread; the rest arrives in chapter 5)
/// Book: chapter 2
///
/// The block is allocated in one piece, as lua_newstate does, with the
/// type tag LUA_TTHREAD in `osize`, and it is not charged to the state's
/// own accounting: Lua counts the LG block in `totalbytes` from the start,
/// and so do we, so that gettotalbytes equals what the allocator holds.
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <new>

#include "lobject/lstate.hpp"

namespace lua {

namespace {

// Every field of a new thread that does not depend on its stack.
void preinit_thread(lua_State* L, global_State* g) {
  L->l_G = g;
  L->stack = nullptr;
  L->ci = nullptr;
  L->nci = 0;
  L->twups = L;  // a thread with no upvalues points to itself
  L->errorJmp = nullptr;
  L->hook = nullptr;
  L->hookmask = 0;
  L->basehookcount = 0;
  L->allowhook = 1;
  L->hookcount = 0;
  L->openupval = nullptr;
  L->status = LUA_OK;
  L->errfunc = 0;
  L->oldpc = 0;
}

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

GCObject* luaC_newobj(lua_State* L, int tt, std::size_t sz) {
  global_State* g = G(L);
  auto* o = static_cast<GCObject*>(luaM_newobject(L, novariant(tt), sz));
  o->marked = luaC_white(g);
  o->tt = cast_byte(tt);
  o->next = g->allgc;
  g->allgc = o;
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

lua_State* luaE_newbarestate(lua_Alloc f, void* ud) {
  void* block = (*f)(ud, nullptr, LUA_TTHREAD, sizeof(LG));
  if (block == nullptr) return nullptr;
  LG* l = static_cast<LG*>(block);
  lua_State* L = new (&l->l.l) lua_State();
  global_State* g = new (&l->g) global_State();
  L->tt = LUA_VTHREAD;
  L->next = nullptr;
  L->marked = 0;
  L->nCcalls = 0;
  preinit_thread(L, g);
  g->frealloc = f;
  g->ud = ud;
  g->totalbytes = sizeof(LG);
  g->GCdebt = 0;
  g->mainthread = L;
  g->seed = luai_makeseed(L);
  g->currentwhite = bitmask(WHITE0BIT);
  g->strt = {nullptr, 0, 0};
  setnilvalue(&g->l_registry);
  setnilvalue(&g->nilvalue);  // nil: the state is complete
  g->allgc = nullptr;
  g->panic = nullptr;
  g->warnf = nullptr;
  g->ud_warn = nullptr;
  return L;
}

void luaE_freebarestate(lua_State* L) {
  global_State* g = G(L);
  lua_assert(L == g->mainthread);
  lua_assert(g->allgc == nullptr);  // every object is already freed
  lua_assert(g->fixedgc == nullptr);
  lua_assert(gettotalbytes(g) == sizeof(LG));
  (*g->frealloc)(g->ud, fromstate(L), sizeof(LG), 0);
}

}  // namespace lua
