/// \file
/// Creation and destruction of prototypes and closures; finding, sharing
/// and closing upvalues; the to-be-closed list.
///
/// Mirrors: Lua 5.4 lfunc.c (and luaG_getfuncline of ldebug.c, in a
/// section at the end)
/// Book: chapter 5
///
/// lfunc.c is spread over two chapters: the functions that call `__close`
/// methods (luaF_checkclosemth, luaF_close) are chapter 8's, at the end of
/// lvm/ldo.cpp; everything else is here.
///
/// Invariants UPVALS, CLOSED, TBC and LINES are stated in lfunc.hpp; the
/// first three are checked by `check_thread(lua_State *)` (lstate.cpp),
/// and LINES is what the compiler (chapter 7) produces. The open list is
/// sorted so that the two frequent operations are cheap: finding the UpVal
/// of a slot stops as soon as the list goes below it (the slot is usually
/// among the newest), and closing a scope pops a prefix of the list.
/// Objects are value-initialised (luaC_newobject), so a creator sets only
/// the fields that do not start at zero.
///
/// Differences from Lua: see lfunc.hpp (the `__close` check and the calls
/// of close methods are chapter 8's).
#include "lfunc/lfunc.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>

namespace lua {

// Closures and prototypes are created by luaC_newobject, which value-
// initialises them: every count is 0 and every pointer null (including a
// Lua closure's prototype), so only what differs from zero is set here.

namespace {

// Both kinds of closure record their number of upvalues in `nupvalues`.
template <typename Closure>
Closure* newclosure(lua_State* L, int tt, std::size_t size, int nupvals) {
  auto* c = luaC_newobject<Closure>(L, tt, size);
  c->nupvalues = cast_byte(nupvals);
  return c;
}

// Frees one of a prototype's vectors, given by its pointer and its count.
template <typename T>
void freevector(lua_State* L, T* vector, int count) {
  luaM_freearray(L, vector, cast_sizet(count));
}

// An UpVal that is closed from birth: `v` points at its own value, which
// value-initialisation left nil.
UpVal* newclosedupval(lua_State* L) {
  auto* uv = luaC_newobject<UpVal>(L, LUA_VUPVAL);
  uv->v = &uv->u.value;
  lua_assert(ttisnil(uv->v));
  return uv;
}

}  // namespace

CClosure* luaF_newCclosure(lua_State* L, int nupvals) {
  return newclosure<CClosure>(L, LUA_VCCL, sizeCclosure(nupvals), nupvals);
}

// The upvalue pointers start null: the collector (chapter 6) may traverse
// the closure before the caller has filled them, and it skips nulls.
LClosure* luaF_newLclosure(lua_State* L, int nupvals) {
  auto* c = newclosure<LClosure>(L, LUA_VLCL, sizeLclosure(nupvals), nupvals);
  std::fill_n(c->upvals(), nupvals, nullptr);
  return c;
}

// A main chunk has no enclosing function whose variables it could capture,
// yet its prototype declares upvalues (_ENV at least): each gets a fresh
// closed UpVal, which the loader then fills.
void luaF_initupvals(lua_State* L, LClosure* cl) {
  for (UpVal*& slot : std::span(cl->upvals(), cl->nupvalues)) {
    slot = newclosedupval(L);
    luaC_objbarrier(L, cl, slot);
  }
}

namespace {

// Inserts `uv` into an open list at `link` (the head, or some entry's
// `u.open.next`). Each entry remembers the link that points to it, so that
// unlinking needs no walk.
void linkupval(UpVal* uv, UpVal** link) {
  UpVal* below = *link;
  uv->u.open.next = below;
  uv->u.open.previous = link;
  if (below != nullptr) below->u.open.previous = &uv->u.open.next;
  *link = uv;
}

// The first open upvalue of a thread puts the thread in `g->twups`, the
// list the collector walks to find every open upvalue of every thread.
void jointwups(lua_State* L) {
  if (isintwups(L)) return;
  L->twups = std::exchange(G(L)->twups, L);
}

// Creates the open UpVal of slot `level` and links it at `link`, the
// place the sorted order gives it.
UpVal* newupval(lua_State* L, StkId level, UpVal** link) {
  auto* uv = luaC_newobject<UpVal>(L, LUA_VUPVAL);
  uv->v = s2v(level);
  linkupval(uv, link);
  jointwups(L);
  return uv;
}

// The link in the open list of `L` where the UpVal of `level` is, or would
// go: the list is sorted highest slot first, so the walk stops at the
// first UpVal that is not above `level`.
UpVal** openlink(lua_State* L, StkId level) {
  UpVal** link = &L->openupval;
  while (*link != nullptr && uplevel(*link) > level) {
    lua_assert(!isdead(G(L), *link));
    link = &(*link)->u.open.next;
  }
  return link;
}

}  // namespace

UpVal* luaF_findupval(lua_State* L, StkId level) {
  lua_assert(isintwups(L) || L->openupval == nullptr);
  UpVal** link = openlink(L, level);
  UpVal* found = *link;
  if (found != nullptr && uplevel(found) == level) return found;  // shared
  return newupval(L, level, link);
}

// Entries are linked by their distance down the stack rather than by a
// pointer, so the list costs two bytes per slot (in padding that a stack
// slot has anyway) and survives a stack reallocation unchanged. A distance
// that does not fit is covered by dummy entries (delta 0) MAXDELTA apart.
void luaF_newtbcupval(lua_State* L, StkId level) {
  lua_assert(level > L->tbclist);
  if (l_isfalse(s2v(level))) return;  // nothing to close
  StkId newest = L->tbclist;
  while (level - newest > std::ptrdiff_t{MAXDELTA}) {
    newest += MAXDELTA;
    newest->tbclist.delta = 0;  // a dummy entry, only to bridge the gap
  }
  level->tbclist.delta = static_cast<unsigned short>(level - newest);
  L->tbclist = level;
}

void luaF_unlinkupval(UpVal* uv) {
  lua_assert(upisopen(uv));
  auto& [next, previous] = uv->u.open;
  *previous = next;
  if (next != nullptr) next->u.open.previous = previous;
}

namespace {

// Copies the value out of the stack slot that is about to be reused; code
// that reaches the variable through the UpVal does not notice, because it
// always goes through `v`. The collector keeps open upvalues gray
// (chapter 6); a closed one is an ordinary object again, so a gray one
// turns black and its new value gets the barrier.
void closeupval(lua_State* L, UpVal* uv) {
  luaF_unlinkupval(uv);  // before the value overwrites the links
  TValue* own = &uv->u.value;
  setobj(L, own, uv->v);
  uv->v = own;
  if (iswhite(uv)) return;
  uv->marked = static_cast<lu_byte>(uv->marked | bitmask(BLACKBIT));
  luaC_barrier(L, uv, own);
}

}  // namespace

// Invariant UPVALS: the UpVals at or above `level` are a prefix of the
// list, so closing them pops the head until it lies below.
void luaF_closeupval(lua_State* L, StkId level) {
  while (L->openupval != nullptr && uplevel(L->openupval) >= level) {
    lua_assert(uplevel(L->openupval) < L->top);
    closeupval(L, L->openupval);
  }
}

// The newest entry is a real one; any dummies right below it existed only
// to reach it, so they go with it.
void luaF_poptbclist(lua_State* L) {
  StkId entry = L->tbclist;
  lua_assert(entry->tbclist.delta > 0);
  entry -= entry->tbclist.delta;
  while (entry > L->stack && entry->tbclist.delta == 0) entry -= MAXDELTA;
  L->tbclist = entry;
}

Proto* luaF_newproto(lua_State* L) {
  return luaC_newobject<Proto>(L, LUA_VPROTO);
}

// The vectors belong to the prototype; the strings, constants and nested
// prototypes they point to are objects of their own, freed by whoever
// frees objects (the collector, or the closing of the state).
void luaF_freeproto(lua_State* L, Proto* f) {
  freevector(L, f->code, f->sizecode);
  freevector(L, f->p, f->sizep);
  freevector(L, f->k, f->sizek);
  freevector(L, f->lineinfo, f->sizelineinfo);
  freevector(L, f->abslineinfo, f->sizeabslineinfo);
  freevector(L, f->locvars, f->sizelocvars);
  freevector(L, f->upvalues, f->sizeupvalues);
  luaM_free(L, f);
}

// `locvars` is ordered by `startpc`, and the variables active at `pc`
// occupy the registers in that order, so the n-th active one in the list
// is the n-th local of the frame.
const char* luaF_getlocalname(const Proto* f, int local_number, int pc) {
  for (const LocVar& var : std::span(f->locvars, f->sizelocvars)) {
    if (var.startpc > pc) break;  // neither it nor any later one is active
    bool active = pc < var.endpc;
    if (active && --local_number == 0) return getstr(var.varname);
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
