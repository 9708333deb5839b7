/// \file
/// Creation and destruction of prototypes and closures; finding, sharing
/// and closing upvalues; the to-be-closed list.
///
/// Mirrors: Lua 5.4 lfunc.c (and luaG_getfuncline of ldebug.c, in a
/// section at the end)
/// Book: chapter 5
///
/// Invariants UPVALS, CLOSED, TBC and LINES are stated in lfunc.hpp; the
/// first three are checked by `check_invariants(lua_State *)` (lstate.cpp),
/// and LINES is what the compiler (chapter 7) produces. The open list is sorted
/// so that the two frequent operations are cheap: finding the UpVal of a slot
/// stops as soon as the list goes below it (the slot is usually among the
/// newest), and closing a scope pops a prefix of the list.
///
/// Differences from Lua: see lfunc.hpp (the `__close` check and the calls
/// of close methods are chapter 8's).
#include "lfunc/lfunc.hpp"

#include <algorithm>

namespace lua {

CClosure* luaF_newCclosure(lua_State* L, int nupvals) {
  GCObject* o = luaC_newobj(L, LUA_VCCL, sizeCclosure(nupvals));
  CClosure* c = gco2ccl(o);
  c->nupvalues = cast_byte(nupvals);
  return c;
}

// The upvalue pointers start null: the collector (chapter 6) may traverse
// the closure before the caller has filled them, and it skips nulls.
LClosure* luaF_newLclosure(lua_State* L, int nupvals) {
  GCObject* o = luaC_newobj(L, LUA_VLCL, sizeLclosure(nupvals));
  LClosure* c = gco2lcl(o);
  c->p = nullptr;
  c->nupvalues = cast_byte(nupvals);
  for (int i = 0; i < nupvals; i++) c->upvals()[i] = nullptr;
  return c;
}

// A main chunk has no enclosing function whose variables it could capture,
// yet its prototype declares upvalues (_ENV at least): each gets a fresh
// closed UpVal, which the loader then fills.
void luaF_initupvals(lua_State* L, LClosure* cl) {
  for (int i = 0; i < cl->nupvalues; i++) {
    GCObject* o = luaC_newobj(L, LUA_VUPVAL, sizeof(UpVal));
    UpVal* uv = gco2upv(o);
    uv->v = &uv->u.value;  // closed from the start
    setnilvalue(uv->v);
    cl->upvals()[i] = uv;
    luaC_objbarrier(L, cl, uv);
  }
}

namespace {

// Creates the open UpVal of slot `level` and links it at `*prev`, the link
// where the sorted order puts it. The first open upvalue of a thread also
// puts the thread in `g->twups`, the list the collector walks to find every
// open upvalue of every thread.
UpVal* newupval(lua_State* L, StkId level, UpVal** prev) {
  GCObject* o = luaC_newobj(L, LUA_VUPVAL, sizeof(UpVal));
  UpVal* uv = gco2upv(o);
  UpVal* next = *prev;
  uv->v = s2v(level);
  uv->u.open.next = next;
  uv->u.open.previous = prev;
  if (next != nullptr) next->u.open.previous = &uv->u.open.next;
  *prev = uv;
  if (!isintwups(L)) {
    L->twups = G(L)->twups;
    G(L)->twups = L;
  }
  return uv;
}

}  // namespace

// The list is sorted highest slot first, so the walk can stop at the first
// UpVal below `level`: the slot has none, and the new one goes right there.
UpVal* luaF_findupval(lua_State* L, StkId level) {
  UpVal** pp = &L->openupval;
  UpVal* p;
  lua_assert(isintwups(L) || L->openupval == nullptr);
  while ((p = *pp) != nullptr && uplevel(p) >= level) {
    lua_assert(!isdead(G(L), p));
    if (uplevel(p) == level) return p;  // shared
    pp = &p->u.open.next;
  }
  return newupval(L, level, pp);
}

// Entries are linked by their distance down the stack rather than by a
// pointer, so the list costs two bytes per slot (in padding that a stack
// slot has anyway) and survives a stack reallocation unchanged. A distance
// that does not fit is covered by dummy entries (delta 0) MAXDELTA apart.
void luaF_newtbcupval(lua_State* L, StkId level) {
  lua_assert(level > L->tbclist);
  if (l_isfalse(s2v(level))) return;  // nothing to close
  while (static_cast<unsigned>(level - L->tbclist) > MAXDELTA) {
    L->tbclist += MAXDELTA;
    L->tbclist->tbclist.delta = 0;  // a dummy entry
  }
  level->tbclist.delta = static_cast<unsigned short>(level - L->tbclist);
  L->tbclist = level;
}

void luaF_unlinkupval(UpVal* uv) {
  lua_assert(upisopen(uv));
  *uv->u.open.previous = uv->u.open.next;
  if (uv->u.open.next != nullptr)
    uv->u.open.next->u.open.previous = uv->u.open.previous;
}

// Closing copies the value out of the stack slot that is about to be
// reused; code that reaches the variable through the UpVal does not notice,
// because it always goes through `v`. The collector keeps open upvalues
// gray (chapter 6); a closed one is an ordinary object again, so a gray one
// turns black and its new value gets the barrier.
void luaF_closeupval(lua_State* L, StkId level) {
  UpVal* uv;
  while ((uv = L->openupval) != nullptr && uplevel(uv) >= level) {
    TValue* slot = &uv->u.value;
    lua_assert(uplevel(uv) < L->top);
    luaF_unlinkupval(uv);
    setobj(L, slot, uv->v);
    uv->v = slot;
    if (!iswhite(uv)) {
      uv->marked = static_cast<lu_byte>(uv->marked | bitmask(BLACKBIT));
      luaC_barrier(L, uv, slot);
    }
  }
}

// The newest entry is a real one; any dummies right below it existed only
// to reach it, so they go with it.
void luaF_poptbclist(lua_State* L) {
  StkId tbc = L->tbclist;
  lua_assert(tbc->tbclist.delta > 0);
  tbc -= tbc->tbclist.delta;
  while (tbc > L->stack && tbc->tbclist.delta == 0) tbc -= MAXDELTA;
  L->tbclist = tbc;
}

Proto* luaF_newproto(lua_State* L) {
  GCObject* o = luaC_newobj(L, LUA_VPROTO, sizeof(Proto));
  Proto* f = gco2p(o);
  f->k = nullptr;
  f->sizek = 0;
  f->p = nullptr;
  f->sizep = 0;
  f->code = nullptr;
  f->sizecode = 0;
  f->lineinfo = nullptr;
  f->sizelineinfo = 0;
  f->abslineinfo = nullptr;
  f->sizeabslineinfo = 0;
  f->upvalues = nullptr;
  f->sizeupvalues = 0;
  f->numparams = 0;
  f->is_vararg = 0;
  f->maxstacksize = 0;
  f->locvars = nullptr;
  f->sizelocvars = 0;
  f->linedefined = 0;
  f->lastlinedefined = 0;
  f->source = nullptr;
  return f;
}

// The vectors belong to the prototype; the strings, constants and nested
// prototypes they point to are objects of their own, freed by whoever
// frees objects (the collector, or the closing of the state).
void luaF_freeproto(lua_State* L, Proto* f) {
  luaM_freearray(L, f->code, cast_sizet(f->sizecode));
  luaM_freearray(L, f->p, cast_sizet(f->sizep));
  luaM_freearray(L, f->k, cast_sizet(f->sizek));
  luaM_freearray(L, f->lineinfo, cast_sizet(f->sizelineinfo));
  luaM_freearray(L, f->abslineinfo, cast_sizet(f->sizeabslineinfo));
  luaM_freearray(L, f->locvars, cast_sizet(f->sizelocvars));
  luaM_freearray(L, f->upvalues, cast_sizet(f->sizeupvalues));
  luaM_free(L, f);
}

// `locvars` is ordered by `startpc`, and the variables active at `pc`
// occupy the registers in that order, so the n-th active one in the list
// is the n-th local of the frame.
const char* luaF_getlocalname(const Proto* f, int local_number, int pc) {
  for (int i = 0; i < f->sizelocvars && f->locvars[i].startpc <= pc; i++) {
    if (pc < f->locvars[i].endpc) {  // active at pc
      local_number--;
      if (local_number == 0) return getstr(f->locvars[i].varname);
    }
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Functions of ldebug.c
// ---------------------------------------------------------------------------
// luaG_getfuncline belongs to ldebug (chapter 8), but the listing of
// chapter 7 prints the line of every instruction, and a chapter may only
// use earlier ones; chapter 8's ldebug calls this same function.

namespace {

// The last absolute entry at or before `pc`, or null when `pc` comes
// before the first one. The compiler appends entries in pc order, so a
// binary search finds it whatever their spacing.
const AbsLineInfo* lastabsline(const Proto* f, int pc) {
  const AbsLineInfo* first = f->abslineinfo;
  const AbsLineInfo* last = first + f->sizeabslineinfo;
  const AbsLineInfo* after = std::upper_bound(
      first, last, pc, [](int p, const AbsLineInfo& e) { return p < e.pc; });
  return after == first ? nullptr : after - 1;
}

}  // namespace

// Invariant LINES: from the nearest absolute entry, add the deltas of the
// instructions after it. None of those deltas is ABSLINEINFO in a chunk
// the compiler made; a loaded chunk is not verified, so nothing is
// asserted about them, the walk stays inside `lineinfo` whatever the
// entries say, and lines are summed modulo 2^32 so that corrupt deltas
// cannot overflow an int.
int luaG_getfuncline(const Proto* f, int pc) {
  if (f->lineinfo == nullptr || pc >= f->sizelineinfo) return -1;
  const AbsLineInfo* base = lastabsline(f, pc);
  int walked = base != nullptr ? std::max(base->pc, -1) : -1;
  unsigned line =
      static_cast<unsigned>(base != nullptr ? base->line : f->linedefined);
  while (walked < pc) {
    walked++;
    line += static_cast<unsigned>(f->lineinfo[walked]);
  }
  return static_cast<int>(line);
}

}  // namespace lua
