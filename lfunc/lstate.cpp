/// \file
/// The life of threads and states: call records, the C-call limit, thread
/// creation and destruction, and the set-up and tear-down of a state.
///
/// Mirrors: Lua 5.4 lstate.c (plus lgc.c's `freeobj`, `deletelist` and the
/// object-freeing part of `luaC_freeallobjects`)
/// Book: chapter 5
///
/// Invariants STACK, CALLS and TWUPS are stated in lstate.hpp, UPVALS and
/// TBC in lfunc.hpp; `check_invariants` at the end of this file checks
/// them all. Building a state follows Lua's two phases: first everything
/// that cannot fail (the one block holding the main thread and the global
/// state, filled with consistent values), then, under a protected runner,
/// everything that allocates. If that second phase fails, the partial
/// state is torn down by the same code that closes a complete one, which
/// therefore accepts a state with no stack, no string table or no registry.
///
/// Differences from Lua: see lstate.hpp.
#include "lfunc/lstate.hpp"

#include <cstring>
#include <new>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/ltm.hpp"
#include "ltable/ltable.hpp"

namespace lua {

// A record is allocated only when a call finds no free one after `L->ci`;
// the list is kept, so a program that recurses to depth n pays for n
// records once.
CallInfo* luaE_extendCI(lua_State* L) {
  lua_assert(L->ci->next == nullptr);
  CallInfo* ci = luaM_new<CallInfo>(L);
  L->ci->next = ci;
  ci->previous = L->ci;
  ci->next = nullptr;
  ci->u.l.trap = 0;
  L->nci++;
  return ci;
}

void luaE_freeCI(lua_State* L) {
  CallInfo* ci = L->ci;
  CallInfo* next = ci->next;
  ci->next = nullptr;
  while ((ci = next) != nullptr) {
    next = ci->next;
    luaM_free(L, ci);
    L->nci--;
  }
}

// Removing every second free record halves the list in one pass while
// keeping it linked; the first free record stays, since the next call is
// likely to want it.
void luaE_shrinkCI(lua_State* L) {
  CallInfo* ci = L->ci->next;
  if (ci == nullptr) return;
  CallInfo* next;
  while ((next = ci->next) != nullptr) {
    CallInfo* next2 = next->next;
    ci->next = next2;
    L->nci--;
    luaM_free(L, next);
    if (next2 == nullptr) break;
    next2->previous = ci;
    ci = next2;
  }
}

// The count is checked only when it reaches the limit (luaE_incCstack), so
// the error is raised exactly once, at LUAI_MAXCCALLS. Handling it takes a
// few more nested calls (the message handler, for one); those are allowed
// up to 10% more, and past that the handler itself is failing.
void luaE_checkcstack(lua_State* L) {
  if (getCcalls(L) == LUAI_MAXCCALLS)
    luaM_runerror(L, "C stack overflow");
  else if (getCcalls(L) >= (LUAI_MAXCCALLS / 10 * 11))
    luaM_throw(L, LUA_ERRERR);
}

void luaE_incCstack(lua_State* L) {
  L->nCcalls++;
  if (getCcalls(L) >= LUAI_MAXCCALLS) [[unlikely]]
    luaE_checkcstack(L);
}

namespace {

// Thread `L1` gets a stack of BASIC_STACK_SIZE slots, allocated on behalf
// of `L` (the thread creating it). Slot 0 holds the "function" of the base
// record, a nil: every call record has a function slot, even the outermost
// one, through which C code first enters the thread.
void stack_init(lua_State* L1, lua_State* L) {
  L1->stack = luaM_newvector<StackValue>(L, BASIC_STACK_SIZE + EXTRA_STACK);
  L1->tbclist = L1->stack;
  for (int i = 0; i < BASIC_STACK_SIZE + EXTRA_STACK; i++)
    setnilvalue(s2v(L1->stack + i));
  L1->top = L1->stack;
  L1->stack_last = L1->stack + BASIC_STACK_SIZE;
  CallInfo* ci = &L1->base_ci;
  ci->next = ci->previous = nullptr;
  ci->callstatus = CIST_C;
  ci->func = L1->top;
  ci->u.c.k = nullptr;
  ci->nresults = 0;
  setnilvalue(s2v(L1->top));
  L1->top++;
  ci->top = L1->top + LUA_MINSTACK;
  L1->ci = ci;
}

// Accepts a thread whose stack was never allocated (a failed creation).
void freestack(lua_State* L) {
  if (L->stack == nullptr) return;
  L->ci = &L->base_ci;
  luaE_freeCI(L);
  lua_assert(L->nci == 0);
  luaM_freearray(L, L->stack, cast_sizet(stacksize(L) + EXTRA_STACK));
}

// The registry is an ordinary table that only C code can reach. Its first
// integer keys are reserved: the main thread and the table of globals.
void init_registry(lua_State* L, global_State* g) {
  Table* registry = luaH_new(L);
  sethvalue(L, &g->l_registry, registry);
  luaH_resize(L, registry, LUA_RIDX_LAST, 0);
  setthvalue(L, &registry->array[LUA_RIDX_MAINTHREAD - 1], L);
  sethvalue(L, &registry->array[LUA_RIDX_GLOBALS - 1], luaH_new(L));
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

// The part of the set-up that allocates, run protected. The pushstring
// seam goes in as soon as there is a stack to push on.
void f_luaopen(lua_State* L) {
  global_State* g = G(L);
  stack_init(L, L);
  g->seams.pushstring = pushstring;
  init_registry(L, g);
  luaS_init(L);
  luaT_init(L);
  g->gcstp = 0;               // the collector may run from now on
  setnilvalue(&g->nilvalue);  // the state is complete
}

// Every field that does not need memory, so that a thread is consistent
// (and can be freed) before its stack exists.
void preinit_thread(lua_State* L, global_State* g) {
  L->l_G = g;
  L->stack = nullptr;
  L->ci = nullptr;
  L->nci = 0;
  L->twups = L;  // not in the list of threads with open upvalues
  L->nCcalls = 0;
  L->errorJmp = nullptr;
  L->hook = nullptr;
  L->hookmask = 0;
  L->basehookcount = 0;
  L->allowhook = 1;
  resethookcount(L);
  L->openupval = nullptr;
  L->status = LUA_OK;
  L->errfunc = 0;
  L->oldpc = 0;
}

// Takes `L1` out of `g->twups`, where it must be.
void unlinktwups(lua_State* L1) {
  lua_State** p = &G(L1)->twups;
  while (*p != L1) p = &(*p)->twups;
  *p = L1->twups;
  L1->twups = L1;
}

// An open upvalue is still linked into its thread's list.
void freeupval(lua_State* L, UpVal* uv) {
  if (upisopen(uv)) luaF_unlinkupval(uv);
  luaM_free(L, uv);
}

}  // namespace

// Each type knows its own size: the variable part of strings, userdata and
// closures is recomputed from the fields that sized it.
void luaE_freeobj(lua_State* L, GCObject* o) {
  switch (o->tt) {
    case LUA_VPROTO:
      luaF_freeproto(L, gco2p(o));
      break;
    case LUA_VUPVAL:
      freeupval(L, gco2upv(o));
      break;
    case LUA_VLCL:
      luaM_freemem(L, o, sizeLclosure(gco2lcl(o)->nupvalues));
      break;
    case LUA_VCCL:
      luaM_freemem(L, o, sizeCclosure(gco2ccl(o)->nupvalues));
      break;
    case LUA_VTABLE:
      luaH_free(L, gco2t(o));
      break;
    case LUA_VTHREAD:
      lua_assert(gco2th(o) != G(L)->mainthread);
      luaE_freethread(L, gco2th(o));
      break;
    case LUA_VUSERDATA:
      luaM_freemem(L, o, sizeudata(gco2u(o)->nuvalue, gco2u(o)->len));
      break;
    case LUA_VSHRSTR:
      luaS_remove(L, gco2ts(o));  // the string table must not keep it
      luaM_freemem(L, o, sizelstring(gco2ts(o)->shrlen));
      break;
    case LUA_VLNGSTR:
      luaM_freemem(L, o, sizelstring(gco2ts(o)->u.lnglen));
      break;
    default:
      lua_assert(false);
  }
}

void deletelist(lua_State* L, GCObject* p, GCObject* limit) {
  while (p != limit) {
    GCObject* next = p->next;
    luaE_freeobj(L, p);
    p = next;
  }
}

namespace {

// Every list the collector keeps objects in. The main thread is the oldest
// object of `allgc`, so it is its last element; it is freed with the LG
// block, not here.
void freeallobjects(lua_State* L) {
  global_State* g = G(L);
  g->gcstp = GCSTPCLS;  // no collection while the state is going away
  deletelist(L, g->allgc, g->mainthread);
  deletelist(L, g->finobj, nullptr);
  deletelist(L, g->tobefnz, nullptr);
  deletelist(L, g->fixedgc, nullptr);
  g->allgc = g->mainthread;
  g->finobj = g->tobefnz = g->fixedgc = nullptr;
  lua_assert(g->strt.nuse == 0);
}

// Also tears down a state whose set-up failed half way: a missing stack or
// string table is simply not freed.
void close_state(lua_State* L) {
  global_State* g = G(L);
  if (completestate(g)) {
    L->ci = &L->base_ci;
    luaF_closeupval(L, L->stack + 1);  // all but the base function slot
  }
  freeallobjects(L);
  luaM_freearray(L, g->strt.hash, cast_sizet(g->strt.size));
  freestack(L);
  lua_assert(gettotalbytes(g) == sizeof(LG));
  (*g->frealloc)(g->ud, fromstate(L), sizeof(LG), 0);
}

}  // namespace

// The new thread is pushed on the creator's stack before its own stack is
// allocated: once chapter 6 exists, an allocation may run a collection,
// which would free a thread that nothing refers to. The slot is checked
// first, so that a failure there leaves nothing behind.
lua_State* luaE_newthread(lua_State* L) {
  global_State* g = G(L);
  luaD_checkstack(L, 1);
  void* block = luaM_newobject(L, LUA_TTHREAD, sizeof(LX));
  lua_State* L1 = new (&static_cast<LX*>(block)->l) lua_State();
  L1->marked = luaC_white(g);
  L1->tt = LUA_VTHREAD;
  L1->next = g->allgc;
  g->allgc = L1;
  setthvalue2s(L, L->top, L1);
  L->top++;
  preinit_thread(L1, g);
  L1->hookmask = L->hookmask;
  L1->basehookcount = L->basehookcount;
  L1->hook = L->hook;
  resethookcount(L1);
  std::memcpy(lua_getextraspace(L1), lua_getextraspace(g->mainthread),
              LUA_EXTRASPACE);
  stack_init(L1, L);
  return L1;
}

void luaE_freethread(lua_State* L, lua_State* L1) {
  LX* l = fromstate(L1);
  luaF_closeupval(L1, L1->stack);
  lua_assert(L1->openupval == nullptr);
  if (isintwups(L1)) unlinktwups(L1);
  freestack(L1);
  luaM_free(L, l);
}

// What Lua does here besides calling close methods: unwind the records to
// the base one, empty the stack and give back all but the base frame.
void luaE_resetbase(lua_State* L) {
  CallInfo* ci = L->ci = &L->base_ci;
  setnilvalue(s2v(L->stack));
  ci->func = L->stack;
  ci->callstatus = CIST_C;
  L->status = LUA_OK;
}

void luaE_shrinkbase(lua_State* L) {
  L->ci->top = L->top + LUA_MINSTACK;
  luaD_reallocstack(L, cast_int(L->ci->top - L->stack), false);
}

int luaE_resetthread(lua_State* L, int status) {
  luaE_resetbase(L);
  luaF_closeupval(L, L->stack + 1);
  while (L->tbclist > L->stack) luaF_poptbclist(L);
  L->top = L->stack + 1;
  luaE_shrinkbase(L);
  return status == LUA_YIELD ? LUA_OK : status;
}

namespace {

// The global fields of a new state, none of which needs memory. The block
// was value-initialized, so every list starts empty.
void preinit_state(lua_State* L, global_State* g, lua_Alloc f, void* ud) {
  g->frealloc = f;
  g->ud = ud;
  g->mainthread = L;
  g->seed = luai_makeseed(L);
  g->gcstp = GCSTPGC;  // no collection while the state is being built
  g->strt = {nullptr, 0, 0};
  setnilvalue(&g->l_registry);
  g->gcstate = GCSpause;
  g->gckind = KGC_INC;
  g->gcstopem = 0;
  g->totalbytes = sizeof(LG);  // the LG block is counted from the start
  g->GCdebt = 0;
  setivalue(&g->nilvalue, 0);  // not nil: the state is not complete yet
  g->gcpause = setgcparam(LUAI_GCPAUSE);
  g->gcstepmul = setgcparam(LUAI_GCMUL);
  g->gcstepsize = LUAI_GCSTEPSIZE;
  g->genmajormul = setgcparam(LUAI_GENMAJORMUL);
  g->genminormul = LUAI_GENMINORMUL;
}

}  // namespace

// The main thread and the global state share one allocation, made with
// the allocator directly: the memory manager needs a global state to
// account in. The main thread is the first object of `allgc`.
lua_State* luaE_openstate(lua_Alloc f, void* ud) {
  void* block = (*f)(ud, nullptr, LUA_TTHREAD, sizeof(LG));
  if (block == nullptr) return nullptr;
  LG* l = static_cast<LG*>(block);
  lua_State* L = new (&l->l.l) lua_State();
  global_State* g = new (&l->g) global_State();
  L->tt = LUA_VTHREAD;
  g->currentwhite = bitmask(WHITE0BIT);
  L->marked = luaC_white(g);
  preinit_thread(L, g);
  g->allgc = L;
  L->next = nullptr;
  incnny(L);  // the main thread can never yield
  preinit_state(L, g, f, ud);
  if (luaM_runprotected([L] { f_luaopen(L); }) != LUA_OK) {
    close_state(L);
    L = nullptr;
  }
  return L;
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
  for (UpVal* uv = L->openupval; uv != nullptr; uv = uv->u.open.next) {
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

int check_invariants(lua_State* L) {
  int bad = checkstack(L);
  if (bad > 0) return bad;  // the other checks need a sound stack
  return checkcalls(L) + checktwups(L) + checkupvals(L) + checktbc(L);
}

}  // namespace lua
