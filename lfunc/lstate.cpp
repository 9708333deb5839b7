/// \file
/// The life of threads and states: call records, the C-call limit, thread
/// creation and destruction, and the set-up and tear-down of a state.
///
/// Mirrors: Lua 5.4 lstate.c (plus lgc.c's `freeobj`, `deletelist` and the
/// object-freeing part of `luaC_freeallobjects`, in a section at the end)
/// Book: chapter 5
///
/// lstate.c is spread over several chapters: luai_makeseed,
/// preinit_thread and the allocation-free half of lua_newstate are
/// chapter 2's lobject/lstate.cpp; luaE_setdebt is chapter 1's
/// lmem/lmem.cpp; luaE_warning and luaE_warnerror are chapter 6's
/// lgc/lgc.cpp; lua_newstate, lua_close, lua_newthread and
/// lua_closethread are chapter 9's lapi/lapi.cpp, over the functions here.
///
/// Invariants STACK, CALLS and TWUPS are stated in lstate.hpp, UPVALS and
/// TBC in lfunc.hpp; `check_thread` near the end of this file checks them
/// all. Building a state follows Lua's two phases: first everything that
/// cannot fail (chapter 2's bare state: the one block holding the main
/// thread and the global state, value-initialised, plus the collector's
/// parameters), then, under a protected runner, everything that allocates.
/// If that second phase fails, the partial state is torn down by the same
/// code that closes a complete one, which therefore accepts a state with
/// no stack, no string table or no registry.
///
/// Differences from Lua: see lstate.hpp.
#include "lfunc/lstate.hpp"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <new>
#include <span>
#include <utility>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/ltm.hpp"
#include "ltable/ltable.hpp"

namespace lua {

// A record is allocated only when a call finds no free one after `L->ci`;
// the list is kept, so a program that recurses to depth n pays for n
// records once.
CallInfo* luaE_extendCI(lua_State* L) {
  CallInfo& last = *L->ci;
  lua_assert(last.next == nullptr);
  auto* ci = new (luaM_new<CallInfo>(L)) CallInfo();  // no next, no trap
  ci->previous = &last;
  last.next = ci;
  L->nci++;
  return ci;
}

void luaE_freeCI(lua_State* L) {
  CallInfo* ci = std::exchange(L->ci->next, nullptr);
  while (ci != nullptr) {
    luaM_free(L, std::exchange(ci, ci->next));
    L->nci--;
  }
}

// Removing every second free record halves the list in one pass while
// keeping it linked; `kept` visits the survivors (the first free record
// among them, since the next call is likely to want it), and each step
// frees the record right after it.
void luaE_shrinkCI(lua_State* L) {
  for (CallInfo* kept = L->ci->next; kept != nullptr && kept->next != nullptr;
       kept = kept->next) {
    CallInfo* dropped = kept->next;
    kept->next = dropped->next;
    if (kept->next != nullptr) kept->next->previous = kept;
    luaM_free(L, dropped);
    L->nci--;
  }
}

// The count is checked only when it reaches the limit (luaE_incCstack), so
// the error is raised exactly once, at LUAI_MAXCCALLS. Handling it takes a
// few more nested calls (the message handler, for one); those are allowed
// up to 10% more, and past that the handler itself is failing.
void luaE_checkcstack(lua_State* L) {
  constexpr int handlerlimit = LUAI_MAXCCALLS / 10 * 11;
  int depth = getCcalls(L);
  if (depth == LUAI_MAXCCALLS) luaM_runerror(L, "C stack overflow");
  if (depth >= handlerlimit) luaM_throw(L, LUA_ERRERR);
}

void luaE_incCstack(lua_State* L) {
  L->nCcalls++;
  if (getCcalls(L) >= LUAI_MAXCCALLS) [[unlikely]]
    luaE_checkcstack(L);
}

namespace {

void freeallobjects(lua_State* L);  // in the lgc.c section at the end

// Thread `L1` gets a stack of BASIC_STACK_SIZE slots, all nil, allocated
// on behalf of `L` (the thread creating it). Slot 0 holds the "function"
// of the base record: every call record has a function slot, even the
// outermost one, through which C code first enters the thread.
void stack_init(lua_State* L1, lua_State* L) {
  constexpr int nslots = BASIC_STACK_SIZE + EXTRA_STACK;
  L1->stack = luaM_newvector<StackValue>(L, nslots);
  setnilvalues(L1->stack, L1->stack + nslots);
  L1->stack_last = L1->stack + BASIC_STACK_SIZE;
  L1->tbclist = L1->stack;   // no to-be-closed variable
  L1->top = L1->stack + 1;   // above the base function
  L1->base_ci = CallInfo();  // no links, no continuation, no results
  L1->base_ci.func = L1->stack;
  L1->base_ci.top = L1->top + LUA_MINSTACK;
  L1->base_ci.callstatus = CIST_C;
  L1->ci = &L1->base_ci;
}

// Makes the base record the current one: every record after it in the
// list becomes free (still linked, for reuse or for luaE_freeCI).
void unwindtobase(lua_State* L) {
  L->ci = &L->base_ci;
}

// Accepts a thread whose stack was never allocated (a failed creation).
void freestack(lua_State* L) {
  if (L->stack == nullptr) return;
  unwindtobase(L);
  luaE_freeCI(L);
  lua_assert(L->nci == 0);
  luaM_freearray(L, L->stack, cast_sizet(stacksize(L) + EXTRA_STACK));
}

// The registry is an ordinary table that only C code can reach. Its first
// integer keys are reserved: the main thread and the table of globals,
// which live in its array part.
void init_registry(lua_State* L, global_State* g) {
  Table* registry = luaH_new(L);
  sethvalue(L, &g->l_registry, registry);  // anchored before it grows
  luaH_resize(L, registry, LUA_RIDX_LAST, 0);
  auto reserved = std::span(registry->array, LUA_RIDX_LAST);
  setthvalue(L, &reserved[LUA_RIDX_MAINTHREAD - 1], L);
  sethvalue(L, &reserved[LUA_RIDX_GLOBALS - 1], luaH_new(L));
}

// The `pushstring` seam, for luaO_pushvfstring (chapter 2). Room comes
// first: growing the stack after creating the string would allocate while
// the string is anchored nowhere, and a collection then (chapter 6) could
// free it. Lua pushes into the EXTRA_STACK slots without any check; this
// seam grows the stack instead, so that repeated pushes are safe, except
// at the size limit: there growing would raise "stack overflow" in place
// of the message being built, so it uses an extra slot, as Lua does.
const char* pushstring(lua_State* L, const char* s, std::size_t len) {
  if (L->stack_last - L->top <= 1 && stacksize(L) < LUAI_MAXSTACK)
    luaD_growstack(L, 1, true);
  lua_assert(L->top < L->stack_last + EXTRA_STACK);
  TString* ts = luaS_newlstr(L, s, len);
  setsvalue2s(L, L->top, ts);
  L->top++;
  return getstr(ts);
}

// The state is complete once everything that allocates exists: the
// collector may run from then on, and a nil `nilvalue` says so
// (completestate).
void completethestate(global_State* g) {
  g->gcstp = 0;
  setnilvalue(&g->nilvalue);
}

// The part of the set-up that allocates, run protected. The pushstring
// seam goes in as soon as there is a stack to push on.
void f_luaopen(lua_State* L) {
  stack_init(L, L);
  G(L)->seams.pushstring = pushstring;
  init_registry(L, G(L));
  luaS_init(L);  // the string table and the memory-error message
  luaT_init(L);  // the metamethod names
  completethestate(G(L));
}

// Takes `L1` out of `g->twups`, where it must be.
void unlinktwups(lua_State* L1) {
  lua_State** link = &G(L1)->twups;
  while (*link != L1) link = &(*link)->twups;
  *link = std::exchange(L1->twups, L1);
}

// Also tears down a state whose set-up failed half way: a missing stack or
// string table is simply not freed. What remains at the end is chapter 2's
// bare state, which frees itself.
void close_state(lua_State* L) {
  global_State& g = *G(L);
  if (completestate(&g)) {
    unwindtobase(L);
    luaF_closeupval(L, L->stack + 1);  // all but the base function slot
  }
  freeallobjects(L);
  luaM_freearray(L, g.strt.hash, cast_sizet(g.strt.size));
  freestack(L);
  luaE_freebarestate(L);
}

// A new thread runs under its creator's hooks, with a fresh count.
void inherithooks(lua_State* L1, const lua_State* L) {
  L1->hook = L->hook;
  L1->hookmask = L->hookmask;
  L1->basehookcount = L->basehookcount;
  resethookcount(L1);
}

// What chapter 2's bare state leaves at zero but a full state may not: a
// collector stopped while the state is being built, at rest, with
// luaconf's parameters (the percentages stored divided by 4), and a
// non-nil `nilvalue` until the state is complete.
void preinit_state(global_State& g) {
  static_assert(KGC_INC == 0, "value-initialisation chose incremental");
  g.gcstp = GCSTPGC;
  g.gcstate = GCSpause;
  g.gcpause = setgcparam(LUAI_GCPAUSE);
  g.gcstepmul = setgcparam(LUAI_GCMUL);
  g.gcstepsize = LUAI_GCSTEPSIZE;
  g.genmajormul = setgcparam(LUAI_GENMAJORMUL);
  g.genminormul = LUAI_GENMINORMUL;
  setivalue(&g.nilvalue, 0);
}

}  // namespace

// The new thread is pushed on the creator's stack before its own stack is
// allocated: once chapter 6 exists, an allocation may run a collection,
// which would free a thread that nothing refers to. The slot is checked
// first, so that a failure there leaves nothing behind.
lua_State* luaE_newthread(lua_State* L) {
  luaD_checkstack(L, 1);
  auto* block = static_cast<LX*>(luaM_newobject(L, LUA_TTHREAD, sizeof(LX)));
  lua_State* L1 = preinit_thread(block, G(L));
  luaC_linkobj(L, L1, LUA_VTHREAD);
  setthvalue2s(L, L->top, L1);
  L->top++;
  inherithooks(L1, L);
  std::ranges::copy(fromstate(G(L)->mainthread)->extra_, block->extra_);
  stack_init(L1, L);
  return L1;
}

void luaE_freethread(lua_State* L, lua_State* L1) {
  luaF_closeupval(L1, L1->stack);  // every one, down to slot 0
  lua_assert(L1->openupval == nullptr);
  if (isintwups(L1)) unlinktwups(L1);
  freestack(L1);
  luaM_free(L, fromstate(L1));
}

// What Lua does here besides calling close methods: unwind the records to
// the base one, empty the stack and give back all but the base frame.
void luaE_resetbase(lua_State* L) {
  unwindtobase(L);
  CallInfo& base = L->base_ci;
  base.func = L->stack;
  base.callstatus = CIST_C;
  setnilvalue(s2v(base.func));  // the base "function" is nil again
  L->status = LUA_OK;
}

void luaE_shrinkbase(lua_State* L) {
  L->ci->top = L->top + LUA_MINSTACK;
  luaD_reallocstack(L, cast_int(L->ci->top - L->stack), false);
}

int luaE_resetthread(lua_State* L, int status) {
  luaE_resetbase(L);
  StkId firstfree = L->stack + 1;  // just above the base function
  luaF_closeupval(L, firstfree);
  while (L->tbclist > L->stack) luaF_poptbclist(L);
  L->top = firstfree;
  luaE_shrinkbase(L);
  return status == LUA_YIELD ? LUA_OK : status;
}

// Phase one is chapter 2's bare state (the block of the main thread and
// the global state, made with the allocator directly, since the memory
// manager needs a global state to account in) plus the fields above; the
// main thread becomes the first object of `allgc`. Phase two allocates.
lua_State* luaE_openstate(lua_Alloc f, void* ud) {
  lua_State* L = luaE_newbarestate(f, ud);
  if (L == nullptr) return nullptr;
  luaC_linkobj(L, L, LUA_VTHREAD);  // into an empty `allgc`
  incnny(L);                        // the main thread can never yield
  preinit_state(*G(L));
  if (luaM_runprotected([L] { f_luaopen(L); }) == LUA_OK) return L;
  close_state(L);
  return nullptr;
}

void luaE_closestate(lua_State* L) {
  close_state(G(L)->mainthread);
}

namespace {

// STACK: the vector's bounds, and its size within invariant LIMIT.
int checkstack(lua_State* L) {
  int bad = 0;
  if (L->stack == nullptr || L->stack_last <= L->stack) return 1;
  int size = stacksize(L);
  if (size > LUAI_MAXSTACK && size != ERRORSTACKSIZE) bad++;
  if (L->top < L->stack || L->top > L->stack_last + EXTRA_STACK) bad++;
  return bad;
}

// CALLS: the links of the whole list and its count; the bounds of the
// active records, each callee above its caller.
int checkcalls(lua_State* L) {
  int bad = L->base_ci.previous != nullptr ? 1 : 0;
  int n = 0;
  bool active = true;  // until past L->ci
  StkId lastfunc = nullptr;
  for (CallInfo* ci = &L->base_ci; ci != nullptr; ci = ci->next) {
    if (ci->next != nullptr && ci->next->previous != ci) bad++;
    if (ci != &L->base_ci) n++;
    if (active) {
      if (ci->func < L->stack || ci->func >= ci->top) bad++;
      if (ci->top > L->stack_last) bad++;
      if (lastfunc != nullptr && ci->func <= lastfunc) bad++;
      lastfunc = ci->func;
    }
    if (ci == L->ci) active = false;
  }
  if (active) bad++;  // L->ci is not in the list
  if (n != L->nci) bad++;
  if (!active && L->ci->func >= L->top) bad++;
  return bad;
}

// TWUPS: a thread with open upvalues is in the global list.
int checktwups(lua_State* L) {
  if (L->openupval == nullptr) return 0;
  if (!isintwups(L)) return 1;
  for (lua_State* th = G(L)->twups; th != nullptr; th = th->twups) {
    if (th == L) return 0;
    if (th->twups == th) return 1;  // a thread out of the list, in it
  }
  return 1;
}

// UPVALS: open, inside [stack, top), strictly decreasing, back-linked.
int checkupvals(lua_State* L) {
  int bad = 0;
  UpVal** prev = &L->openupval;
  StkId last = nullptr;
  for (UpVal* uv : openupvals(L)) {
    if (uv->tt != LUA_VUPVAL || !upisopen(uv)) return bad + 1;
    StkId level = uplevel(uv);
    if (level < L->stack || level >= L->top) bad++;
    if (last != nullptr && level >= last) bad++;
    if (uv->u.open.previous != prev) bad++;
    last = level;
    prev = &uv->u.open.next;
  }
  return bad;
}

// TBC: the chain from the newest entry down to the stack base, walked by
// index so that a bad delta cannot step outside the stack.
int checktbc(lua_State* L) {
  std::ptrdiff_t i = L->tbclist - L->stack;
  if (i < 0 || L->tbclist > L->top) return 1;
  if (i == 0) return 0;  // empty list
  int bad = 0;
  if (L->tbclist == L->top || L->stack[i].tbclist.delta == 0) bad++;
  while (i > 0) {
    unsigned delta = L->stack[i].tbclist.delta;
    if (delta > 0 && l_isfalse(s2v(L->stack + i))) bad++;
    std::ptrdiff_t step = delta == 0 ? MAXDELTA : delta;
    if (step > i) return bad + 1;
    i -= step;
  }
  return bad;
}

}  // namespace

int check_thread(lua_State* L) {
  int bad = checkstack(L);
  if (bad > 0) return bad;  // the other checks need a sound stack
  return checkcalls(L) + checktwups(L) + checkupvals(L) + checktbc(L);
}

// ---------------------------------------------------------------------------
// Functions of lgc.c
// ---------------------------------------------------------------------------
// Closing a state frees every object before the collector (chapter 6)
// exists, so lgc.c's freeobj, deletelist and the freeing part of
// luaC_freeallobjects live here; chapter 6's sweep and close reuse the
// first two.

namespace {

// An open upvalue is still linked into its thread's list.
void freeupval(lua_State* L, UpVal* uv) {
  if (upisopen(uv)) luaF_unlinkupval(uv);
  luaM_free(L, uv);
}

// Every list the collector keeps objects in. The main thread is the oldest
// object of `allgc`, so it is its last element; it is freed with the LG
// block, not here.
void freeallobjects(lua_State* L) {
  global_State& g = *G(L);
  g.gcstp = GCSTPCLS;  // no collection while the state is going away
  deletelist(L, g.allgc, g.mainthread);
  g.allgc = g.mainthread;
  for (GCObject** list : {&g.finobj, &g.tobefnz, &g.fixedgc})
    deletelist(L, std::exchange(*list, nullptr), nullptr);
  lua_assert(g.strt.nuse == 0);
}

}  // namespace

// Each type knows its own size: the variable part of strings, userdata and
// closures is recomputed from the fields that sized it.
void luaE_freeobj(lua_State* L, GCObject* o) {
  switch (o->tt) {
    case LUA_VPROTO:
      return luaF_freeproto(L, gco2p(o));
    case LUA_VUPVAL:
      return freeupval(L, gco2upv(o));
    case LUA_VLCL:
      return luaM_freemem(L, o, sizeLclosure(gco2lcl(o)->nupvalues));
    case LUA_VCCL:
      return luaM_freemem(L, o, sizeCclosure(gco2ccl(o)->nupvalues));
    case LUA_VTABLE:
      return luaH_free(L, gco2t(o));
    case LUA_VTHREAD:
      lua_assert(gco2th(o) != G(L)->mainthread);
      return luaE_freethread(L, gco2th(o));
    case LUA_VUSERDATA: {
      const Udata* u = gco2u(o);
      return luaM_freemem(L, o, sizeudata(u->nuvalue, u->len));
    }
    case LUA_VSHRSTR:
      luaS_remove(L, gco2ts(o));  // the string table must not keep it
      return luaM_freemem(L, o, sizelstring(gco2ts(o)->shrlen));
    case LUA_VLNGSTR:
      return luaM_freemem(L, o, sizelstring(gco2ts(o)->u.lnglen));
    default:
      lua_assert(false);
  }
}

void deletelist(lua_State* L, GCObject* p, GCObject* limit) {
  while (p != limit) luaE_freeobj(L, std::exchange(p, p->next));
}

}  // namespace lua
