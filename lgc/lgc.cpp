/// \file
/// The collector's algorithms: marking, the traversal of every object type,
/// weak tables, sweeping, finalization, the generational mode and the
/// pacing that ties the collector's work to the program's allocation.
///
/// Mirrors: Lua 5.4 lgc.c
/// Book: chapter 6
///
/// The invariants TRICOLOUR, GRAYLIST, TWOWHITES and LISTS are stated in
/// lgc.hpp. Two more hold in generational mode:
///
/// - **Invariant AGES.** allgc is split by pointers into sublists of
///   decreasing youth: [allgc, survival) new objects, [survival, old1)
///   objects that survived one collection, [old1, reallyold) objects old
///   for one cycle, [reallyold, end) really old ones; each object is at
///   least as old as its sublist says. finobj is split the same way
///   (finobjsur, finobjold1, finobjrold).
/// - **Invariant OLDREFS.** A black really-old object never refers to a
///   young one, and a black OLD1 or TOUCHED2 object never refers to a new
///   one: a minor collection does not traverse them, so what they refer
///   to must survive on its own. Old objects that are written to (TOUCHED)
///   are gray and sit in grayagain until they are old again.
///
/// Work is counted in "units": a slot traversed, an object swept. The
/// allocator's debt (GCdebt, chapter 1) is converted into units and paid
/// back by single steps (incstep); a finished cycle sets a new negative
/// debt so that the next cycle waits until memory grows by `gcpause` %.
///
/// Differences from Lua:
/// - Objects are freed by chapter 5's luaE_freeobj, the same dispatcher
///   that frees everything at close before this chapter exists.
/// - Finalizers are called through the `callgc` seam (chapter 8), which
///   does the protected call; this file keeps what Lua's GCTM does around
///   it (stopping the collector, disabling hooks, the warning). Without
///   the seam an object due for finalization is resurrected and returned
///   to allgc as Lua does, but no function is called.
/// - luaE_warning and luaE_warnerror (lstate.c in Lua) live here: the
///   collector is their first user.
/// - remarkupvals does not assert that an open upvalue is never older than
///   its thread: lua_upvaluejoin can make it so (see there).
/// - luaC_freeallobjects leaves allgc holding the main thread and fixedgc
///   empty, where Lua leaves them dangling: chapter 5's luaE_closestate,
///   which runs next, walks them.
#include "lgc/lgc.hpp"

#include <cstring>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/ltm.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"

namespace lua {

namespace {

// Objects swept per step: enough to amortize the per-step cost, few enough
// to keep steps short.
constexpr int GCSWEEPMAX = 100;
// Finalizers called per step, and the work each one counts for.
constexpr int GCFINMAX = 10;
constexpr int GCFINALIZECOST = 50;
// Bytes of allocation that one unit of collector work pays for.
constexpr l_mem WORK2MEM = sizeof(TValue);
// `gcpause` is a percentage: the estimate is divided by this.
constexpr l_mem PAUSEADJ = 100;

// Every bit the collector owns in `marked`: colours and age.
constexpr lu_byte maskgcbits = maskcolors | AGEBITS;

// Clears colour bits and sets the current white (keeps the age).
void makewhite(global_State* g, GCObject* x) {
  x->marked = static_cast<lu_byte>((x->marked & ~maskcolors) | luaC_white(g));
}
// From any colour to black.
void set2black(GCObject* x) {
  x->marked =
      static_cast<lu_byte>((x->marked & ~WHITEBITS) | bitmask(BLACKBIT));
}
// From gray (never white) to black.
void nw2black(GCObject* x) {
  lua_assert(!iswhite(x));
  l_setbit(x->marked, BLACKBIT);
}

bool valiswhite(const TValue* v) {
  return iscollectable(v) && iswhite(gcvalue(v));
}
bool keyiswhite(const Node* n) {
  return keyiscollectable(n) && iswhite(gckey(n));
}
// The object of a value, or null for a value that is not collectable.
GCObject* gcvalueN(const TValue* v) {
  return iscollectable(v) ? gcvalue(v) : nullptr;
}

void reallymarkobject(global_State* g, GCObject* o);

void markvalue(global_State* g, const TValue* v) {
  if (valiswhite(v)) reallymarkobject(g, gcvalue(v));
}
void markkey(global_State* g, const Node* n) {
  if (keyiswhite(n)) reallymarkobject(g, gckey(n));
}
void markobject(global_State* g, GCObject* o) {
  if (iswhite(o)) reallymarkobject(g, o);
}
// For fields that may be null: stripped debug information, or an object
// still under construction (a closure before its upvalues are set).
void markobjectN(global_State* g, GCObject* o) {
  if (o != nullptr) markobject(g, o);
}

lu_mem atomic(lua_State* L);
void entersweep(lua_State* L);

// ---------------------------------------------------------------------------
// Generic functions
// ---------------------------------------------------------------------------

// The gray-list link of an object that can be gray. Each type keeps its
// `gclist` at a different offset, so the header alone cannot say.
GCObject** getgclist(GCObject* o) {
  switch (o->tt) {
    case LUA_VTABLE:
      return &gco2t(o)->gclist;
    case LUA_VLCL:
      return &gco2lcl(o)->gclist;
    case LUA_VCCL:
      return &gco2ccl(o)->gclist;
    case LUA_VTHREAD:
      return &gco2th(o)->gclist;
    case LUA_VPROTO:
      return &gco2p(o)->gclist;
    case LUA_VUSERDATA:
      lua_assert(gco2u(o)->nuvalue > 0);  // only those have a gclist
      return &gco2u(o)->gclist;
    default:
      lua_assert(false);
      return nullptr;
  }
}

// Pushes `o` on gray list `*list` through its link `*pnext` and paints it
// gray (GRAYLIST: being in a gray list and being gray go together).
void linkgclist_(GCObject* o, GCObject** pnext, GCObject** list) {
  lua_assert(!isgray(o));
  *pnext = *list;
  *list = o;
  set2gray(o);
}
template <class T>
void linkgclist(T* o, GCObject*& list) {
  linkgclist_(obj2gco(o), &o->gclist, &list);
}
void linkobjgclist(GCObject* o, GCObject*& list) {
  linkgclist_(o, getgclist(o), &list);
}

// An entry whose value is empty keeps its key, because removing the node
// would break its collision chain and a `next` traversal in progress. The
// key is only marked dead, so that its object may be collected.
void clearkey(Node* n) {
  lua_assert(isempty(gval(n)));
  if (keyiscollectable(n)) setdeadkey(n);
}

// Whether a weak reference to `o` must be removed: `o` was not marked.
// Strings are values, not objects with an identity, so a weak table never
// loses one; they are marked instead. Null stands for a non-collectable
// value, which is never removed either.
bool iscleared(global_State* g, GCObject* o) {
  if (o == nullptr) return false;
  if (novariant(o->tt) == LUA_TSTRING) {
    markobject(g, o);
    return false;
  }
  return iswhite(o);
}

}  // namespace

// While marking, the white object is marked now, restoring TRICOLOUR. An
// old `o` cannot make `v` old at once, because `v` may refer to young
// objects that a minor collection must still see; it becomes OLD0 and
// ages normally. During an incremental sweep there is nothing to restore,
// and whitening `o` (sweeping it early) spares further barriers on it; the
// generational sweep cannot do that, because it treats white as dead.
void luaC_barrier_(lua_State* L, GCObject* o, GCObject* v) {
  global_State* g = G(L);
  lua_assert(isblack(o) && iswhite(v) && !isdead(g, v) && !isdead(g, o));
  if (keepinvariant(g)) {
    reallymarkobject(g, v);
    if (isold(o)) {
      lua_assert(!isold(v));
      setage(v, G_OLD0);
    }
  } else {
    lua_assert(issweepphase(g));
    if (g->gckind == KGC_INC) makewhite(g, o);
  }
}

// A container written to often (a table) is cheaper to traverse again once,
// atomically, than to barrier at every store: it turns gray and waits in
// grayagain. A TOUCHED2 object is still in grayagain from the previous
// minor collection, so it only needs repainting.
void luaC_barrierback_(lua_State* L, GCObject* o) {
  global_State* g = G(L);
  lua_assert(isblack(o) && !isdead(g, o));
  lua_assert((g->gckind == KGC_GEN) == (isold(o) && getage(o) != G_TOUCHED1));
  if (getage(o) == G_TOUCHED2)
    set2gray(o);
  else
    linkobjgclist(o, g->grayagain);
  if (isold(o)) setage(o, G_TOUCHED1);
}

// ---------------------------------------------------------------------------
// Mark functions
// ---------------------------------------------------------------------------

namespace {

// Marks a white object. Leaves are finished at once: strings have no
// references, a closed upvalue one value, a userdata without user values
// only its metatable. Everything else goes to the gray list to be
// traversed by a later step. An open upvalue stays gray outside any gray
// list: its value lives in a thread's stack, and the thread (or
// remarkupvals) visits it. The recursion is at most two levels deep: an
// upvalue holds no upvalue, and a metatable is a table.
void reallymarkobject(global_State* g, GCObject* o) {
  switch (o->tt) {
    case LUA_VSHRSTR:
    case LUA_VLNGSTR:
      set2black(o);
      break;
    case LUA_VUPVAL: {
      UpVal* uv = gco2upv(o);
      if (upisopen(uv))
        set2gray(uv);
      else
        set2black(uv);
      markvalue(g, uv->v);
      break;
    }
    case LUA_VUSERDATA: {
      Udata* u = gco2u(o);
      if (u->nuvalue == 0) {
        markobjectN(g, u->metatable);
        set2black(u);
        break;
      }
      linkobjgclist(o, g->gray);
      break;
    }
    case LUA_VLCL:
    case LUA_VCCL:
    case LUA_VTABLE:
    case LUA_VTHREAD:
    case LUA_VPROTO:
      linkobjgclist(o, g->gray);
      break;
    default:
      lua_assert(false);
  }
}

// The metatables of the basic types are roots.
void markmt(global_State* g) {
  for (Table* mt : g->mt) markobjectN(g, mt);
}

// Objects waiting for their finalizer are roots too: they must stay alive,
// with everything they refer to, until the finalizer has run.
lu_mem markbeingfnz(global_State* g) {
  lu_mem count = 0;
  for (GCObject* o = g->tobefnz; o != nullptr; o = o->next) {
    count++;
    markobject(g, o);
  }
  return count;
}

// A thread that was not marked may still have open upvalues that live
// closures use; if the thread dies, closing those upvalues will copy the
// values out, too late for a barrier. So for each such thread the values
// of its visited (gray) open upvalues are marked here, which is the
// barrier done in advance. Threads without upvalues or not marked leave
// the twups list; a thread rejoins when it opens an upvalue again.
int remarkupvals(global_State* g) {
  lua_State* thread;
  lua_State** p = &g->twups;
  int work = 0;
  while ((thread = *p) != nullptr) {
    work++;
    if (!iswhite(thread) && thread->openupval != nullptr) {
      p = &thread->twups;  // keeps its place in the list
      continue;
    }
    lua_assert(!isold(thread) || thread->openupval == nullptr);
    *p = thread->twups;
    thread->twups = thread;  // out of the list
    // Lua also asserts here that an upvalue is never older than its
    // thread. lua_upvaluejoin can break that: it stores an open upvalue
    // into an old closure, and the forward barrier makes the upvalue OLD0
    // while its thread stays young. Marking the value is right anyway.
    for (UpVal* uv = thread->openupval; uv != nullptr; uv = uv->u.open.next) {
      work++;
      if (!iswhite(uv)) {
        lua_assert(upisopen(uv) && isgray(uv));
        markvalue(g, uv->v);
      }
    }
  }
  return work;
}

void cleargraylists(global_State* g) {
  g->gray = g->grayagain = nullptr;
  g->weak = g->allweak = g->ephemeron = nullptr;
}

// A new cycle: empty gray lists, then the roots.
void restartcollection(global_State* g) {
  cleargraylists(g);
  markobject(g, g->mainthread);
  markvalue(g, &g->l_registry);
  markmt(g);
  markbeingfnz(g);  // left over from the previous cycle
}

// ---------------------------------------------------------------------------
// Traverse functions
// ---------------------------------------------------------------------------

// Generational bookkeeping for a black object after its traversal: an old
// object written to in this cycle (TOUCHED1) must be traversed again in
// the next minor collection, so it goes back to grayagain; one written to
// in the previous cycle (TOUCHED2) has now been seen twice and is plain
// old again.
void genlink(global_State* g, GCObject* o) {
  lua_assert(isblack(o));
  if (getage(o) == G_TOUCHED1)
    linkobjgclist(o, g->grayagain);
  else if (getage(o) == G_TOUCHED2)
    changeage(o, G_TOUCHED2, G_OLD);
}

// A table with weak values: keys are marked, values are not. While
// propagating, the table may still change, so it waits in grayagain for
// the atomic step; there, a table that may hold white values goes to
// `weak`, to have them cleared. The array part is assumed to need clearing
// rather than scanned twice.
void traverseweakvalue(global_State* g, Table* h) {
  bool hasclears = h->alimit > 0;
  for (int i = 0; i < allocsizenode(h); i++) {
    Node* n = gnode(h, i);
    if (isempty(gval(n))) {
      clearkey(n);
      continue;
    }
    lua_assert(!keyisnil(n));
    markkey(g, n);
    if (!hasclears && iscleared(g, gcvalueN(gval(n)))) hasclears = true;
  }
  if (g->gcstate == GCSatomic && hasclears)
    linkgclist(h, g->weak);
  else
    linkgclist(h, g->grayagain);
}

// An ephemeron table (weak keys, strong values): a value is marked only
// once its key is. Returns true when it marked something, which may make
// other keys reachable: the atomic step repeats until nothing changes
// (convergeephemerons). The table then goes to `ephemeron` while some
// entry has both key and value white (it may need another pass), to
// `allweak` while it has white keys (to be cleared), else it is done.
// `inv` walks the nodes backwards, to help chains within one table
// converge in fewer passes.
bool traverseephemeron(global_State* g, Table* h, bool inv) {
  bool marked = false;
  bool hasclears = false;
  bool hasww = false;  // an entry white key -> white value
  unsigned int asize = luaH_realasize(h);
  for (unsigned int i = 0; i < asize; i++) {  // integer keys are strong
    if (valiswhite(&h->array[i])) {
      marked = true;
      reallymarkobject(g, gcvalue(&h->array[i]));
    }
  }
  int nsize = allocsizenode(h);
  for (int i = 0; i < nsize; i++) {
    Node* n = inv ? gnode(h, nsize - 1 - i) : gnode(h, i);
    if (isempty(gval(n))) {
      clearkey(n);
    } else if (iscleared(g, gckeyN(n))) {
      hasclears = true;
      if (valiswhite(gval(n))) hasww = true;
    } else if (valiswhite(gval(n))) {
      marked = true;
      reallymarkobject(g, gcvalue(gval(n)));
    }
  }
  if (g->gcstate == GCSpropagate)
    linkgclist(h, g->grayagain);
  else if (hasww)
    linkgclist(h, g->ephemeron);
  else if (hasclears)
    linkgclist(h, g->allweak);
  else
    genlink(g, obj2gco(h));
  return marked;
}

void traversestrongtable(global_State* g, Table* h) {
  unsigned int asize = luaH_realasize(h);
  for (unsigned int i = 0; i < asize; i++) markvalue(g, &h->array[i]);
  for (int i = 0; i < allocsizenode(h); i++) {
    Node* n = gnode(h, i);
    if (isempty(gval(n))) {
      clearkey(n);
    } else {
      lua_assert(!keyisnil(n));
      markkey(g, n);
      markvalue(g, gval(n));
    }
  }
  genlink(g, obj2gco(h));
}

// The metatable's `__mode` string decides how the table is traversed: any
// 'k' makes keys weak, any 'v' values. A table with both weak keys and
// weak values is not traversed at all; it is only cleared.
lu_mem traversetable(global_State* g, Table* h) {
  const TValue* mode = gfasttm(g, h->metatable, TM_MODE);
  markobjectN(g, h->metatable);
  const char* weakkey = nullptr;
  const char* weakvalue = nullptr;
  if (mode != nullptr && ttisstring(mode)) {
    weakkey = std::strchr(svalue(mode), 'k');
    weakvalue = std::strchr(svalue(mode), 'v');
  }
  if (weakkey == nullptr && weakvalue == nullptr)
    traversestrongtable(g, h);
  else if (weakkey == nullptr)
    traverseweakvalue(g, h);
  else if (weakvalue == nullptr)
    traverseephemeron(g, h, false);
  else
    linkgclist(h, g->allweak);
  return 1 + h->alimit + 2 * cast_sizet(allocsizenode(h));
}

int traverseudata(global_State* g, Udata* u) {
  markobjectN(g, u->metatable);
  for (int i = 0; i < u->nuvalue; i++) markvalue(g, &u->uv()[i].uv);
  genlink(g, obj2gco(u));
  return 1 + u->nuvalue;
}

// A prototype being built by the parser has vectors larger than what they
// hold, padded with nulls: every field is optional here.
int traverseproto(global_State* g, Proto* f) {
  markobjectN(g, f->source);
  for (int i = 0; i < f->sizek; i++) markvalue(g, &f->k[i]);
  for (int i = 0; i < f->sizeupvalues; i++) markobjectN(g, f->upvalues[i].name);
  for (int i = 0; i < f->sizep; i++) markobjectN(g, f->p[i]);
  for (int i = 0; i < f->sizelocvars; i++)
    markobjectN(g, f->locvars[i].varname);
  return 1 + f->sizek + f->sizeupvalues + f->sizep + f->sizelocvars;
}

int traverseCclosure(global_State* g, CClosure* cl) {
  for (int i = 0; i < cl->nupvalues; i++) markvalue(g, &cl->upvalue()[i]);
  return 1 + cl->nupvalues;
}

// The prototype and the upvalues may still be null while the closure is
// being created.
int traverseLclosure(global_State* g, LClosure* cl) {
  markobjectN(g, cl->p);
  for (int i = 0; i < cl->nupvalues; i++) markobjectN(g, cl->upvals()[i]);
  return 1 + cl->nupvalues;
}

// A thread has no write barrier (stack writes are far too frequent), so it
// is traversed again in the atomic step: while propagating it goes to
// grayagain, and so does an old thread in generational mode, which may
// point to young objects at any time. The live part of the stack is
// marked; the atomic traversal also clears the dead part, so that no stale
// slot can keep a dead object's address, and relinks a thread with open
// upvalues into twups. Outside the atomic step and emergencies the stack
// is shrunk to what the thread uses.
int traversethread(global_State* g, lua_State* th) {
  StkId o = th->stack;
  if (isold(th) || g->gcstate == GCSpropagate) linkgclist(th, g->grayagain);
  if (o == nullptr) return 1;  // not completely built yet
  lua_assert(g->gcstate == GCSatomic || th->openupval == nullptr ||
             isintwups(th));
  for (; o < th->top; o++) markvalue(g, s2v(o));
  for (UpVal* uv = th->openupval; uv != nullptr; uv = uv->u.open.next)
    markobject(g, uv);  // open upvalues cannot be collected
  if (g->gcstate == GCSatomic) {
    for (; o < th->stack_last + EXTRA_STACK; o++) setnilvalue(s2v(o));
    if (!isintwups(th) && th->openupval != nullptr) {
      th->twups = g->twups;  // remarkupvals may have taken it out
      g->twups = th;
    }
  } else if (!g->gcemergency) {
    luaD_shrinkstack(th);
  }
  return 1 + stacksize(th);
}

// Takes the first gray object, paints it black and traverses it.
lu_mem propagatemark(global_State* g) {
  GCObject* o = g->gray;
  nw2black(o);
  g->gray = *getgclist(o);
  switch (o->tt) {
    case LUA_VTABLE:
      return traversetable(g, gco2t(o));
    case LUA_VUSERDATA:
      return traverseudata(g, gco2u(o));
    case LUA_VLCL:
      return traverseLclosure(g, gco2lcl(o));
    case LUA_VCCL:
      return traverseCclosure(g, gco2ccl(o));
    case LUA_VPROTO:
      return traverseproto(g, gco2p(o));
    case LUA_VTHREAD:
      return traversethread(g, gco2th(o));
    default:
      lua_assert(false);
      return 0;
  }
}

lu_mem propagateall(global_State* g) {
  lu_mem tot = 0;
  while (g->gray != nullptr) tot += propagatemark(g);
  return tot;
}

// Ephemeron convergence: marking a value can make a key elsewhere
// reachable, so the ephemeron tables are traversed again and again until a
// pass marks nothing. Each pass flips the direction of the node walks.
void convergeephemerons(global_State* g) {
  bool changed;
  bool dir = false;
  do {
    GCObject* next = g->ephemeron;
    g->ephemeron = nullptr;  // tables return to it as they are traversed
    changed = false;
    while (next != nullptr) {
      Table* h = gco2t(next);
      next = h->gclist;
      nw2black(h);  // out of the list for now
      if (traverseephemeron(g, h, dir)) {
        propagateall(g);
        changed = true;
      }
    }
    dir = !dir;
  } while (changed);
}

// ---------------------------------------------------------------------------
// Sweep functions
// ---------------------------------------------------------------------------

// Removes the entries whose key was not marked from every table in list
// `l`, and marks the keys of all empty entries dead.
void clearbykeys(global_State* g, GCObject* l) {
  for (; l != nullptr; l = gco2t(l)->gclist) {
    Table* h = gco2t(l);
    for (int i = 0; i < allocsizenode(h); i++) {
      Node* n = gnode(h, i);
      if (iscleared(g, gckeyN(n))) setempty(gval(n));
      if (isempty(gval(n))) clearkey(n);
    }
  }
}

// Removes the entries whose value was not marked from the tables in list
// `l` up to (not including) `f`.
void clearbyvalues(global_State* g, GCObject* l, GCObject* f) {
  for (; l != f; l = gco2t(l)->gclist) {
    Table* h = gco2t(l);
    unsigned int asize = luaH_realasize(h);
    for (unsigned int i = 0; i < asize; i++) {
      TValue* o = &h->array[i];
      if (iscleared(g, gcvalueN(o))) setempty(o);
    }
    for (int i = 0; i < allocsizenode(h); i++) {
      Node* n = gnode(h, i);
      if (iscleared(g, gcvalueN(gval(n)))) setempty(gval(n));
      if (isempty(gval(n))) clearkey(n);
    }
  }
}

// Sweeps up to `countin` objects of the list at `p`: frees those marked
// with the other white (TWOWHITES) and repaints the others with the current
// white, ready for the next cycle. Returns where to continue, or null at
// the end of the list; `*countout` gets the number of objects visited.
GCObject** sweeplist(lua_State* L, GCObject** p, int countin, int* countout) {
  global_State* g = G(L);
  int ow = otherwhite(g);
  int white = luaC_white(g);
  int i;
  for (i = 0; *p != nullptr && i < countin; i++) {
    GCObject* curr = *p;
    int marked = curr->marked;
    if (marked & ow) {  // dead
      *p = curr->next;
      luaE_freeobj(L, curr);
    } else {
      curr->marked = static_cast<lu_byte>((marked & ~maskgcbits) | white);
      p = &curr->next;
    }
  }
  if (countout != nullptr) *countout = i;
  return (*p == nullptr) ? nullptr : p;
}

// Sweeps until one live object has been swept (or the list ends), so that
// the sweep position is inside the list rather than at its head: objects
// created from now on go in front of it and are not visited.
GCObject** sweeptolive(lua_State* L, GCObject** p) {
  GCObject** old = p;
  do {
    p = sweeplist(L, p, 1, nullptr);
  } while (p == old);
  return p;
}

// ---------------------------------------------------------------------------
// Finalization
// ---------------------------------------------------------------------------

// After a cycle, a string table less than a quarter full is halved (never
// in an emergency: the caller may be inside the string table). The freed
// bytes are taken off the estimate of live memory. The shrink is the one
// allocation the collector makes, and it must not start an emergency
// collection inside this one: the incremental steps already forbid that
// (gcstopem), the generational ones did not, and a failed shrink there
// re-entered the collector in the middle of a young collection. A shrink
// that fails simply keeps the larger table.
void checkSizes(lua_State* L, global_State* g) {
  if (g->gcemergency) return;
  if (g->strt.nuse < g->strt.size / 4) {
    l_mem olddebt = g->GCdebt;
    const lu_byte oldstopem = g->gcstopem;
    g->gcstopem = 1;
    luaS_resize(L, g->strt.size / 2);
    g->gcstopem = oldstopem;
    g->GCestimate += g->GCdebt - olddebt;
  }
}

// Takes the first object due for finalization and returns it to allgc as
// an ordinary object (its FINALIZEDBIT cleared: a finalizer runs once,
// unless the object is marked again). Swept lists are white, so during
// the sweep the object is whitened too.
GCObject* udata2finalize(global_State* g) {
  GCObject* o = g->tobefnz;
  lua_assert(tofinalize(o));
  g->tobefnz = o->next;
  o->next = g->allgc;
  g->allgc = o;
  resetbit(o->marked, FINALIZEDBIT);
  if (issweepphase(g))
    makewhite(g, o);
  else if (getage(o) == G_OLD1)
    g->firstold1 = o;  // AGES: it now precedes every other OLD1 object
  return o;
}

// Calls one finalizer. The collector is stopped meanwhile (GCSTPGC), so a
// step inside the finalizer cannot re-enter it, and debug hooks are off.
// An error does not propagate: it becomes a warning, and the cycle goes on.
void GCTM(lua_State* L) {
  global_State* g = G(L);
  lua_assert(!g->gcemergency);
  TValue v;
  setgcovalue(L, &v, udata2finalize(g));
  const TValue* tm = luaT_gettmbyobj(L, &v, TM_GC);
  if (notm(tm) || g->seams.callgc == nullptr) return;
  lu_byte oldah = L->allowhook;
  lu_byte oldgcstp = g->gcstp;
  g->gcstp |= GCSTPGC;
  L->allowhook = 0;
  L->ci->callstatus |= CIST_FIN;
  int status = g->seams.callgc(L, tm, &v);
  L->ci->callstatus &= static_cast<unsigned short>(~CIST_FIN);
  L->allowhook = oldah;
  g->gcstp = oldgcstp;
  if (status != LUA_OK) [[unlikely]] {
    luaE_warnerror(L, "__gc");
    L->top--;  // the error object
  }
}

int runafewfinalizers(lua_State* L, int n) {
  global_State* g = G(L);
  int i;
  for (i = 0; i < n && g->tobefnz != nullptr; i++) GCTM(L);
  return i;
}

void callallpendingfinalizers(lua_State* L) {
  global_State* g = G(L);
  while (g->tobefnz != nullptr) GCTM(L);
}

// The last link of list `*p`, to append to it.
GCObject** findlast(GCObject** p) {
  while (*p != nullptr) p = &(*p)->next;
  return p;
}

// Moves the objects of finobj that were not marked (or all of them, when
// closing) to the end of tobefnz. finobj holds the newest marks first, so
// finalizers run in the reverse order of the setmetatable calls that
// marked their objects. In generational mode objects from finobjold1 on
// are old, hence marked, and are not looked at.
void separatetobefnz(global_State* g, bool all) {
  GCObject* curr;
  GCObject** p = &g->finobj;
  GCObject** lastnext = findlast(&g->tobefnz);
  while ((curr = *p) != g->finobjold1) {
    lua_assert(tofinalize(curr));
    if (!(iswhite(curr) || all)) {
      p = &curr->next;  // still reachable
      continue;
    }
    if (curr == g->finobjsur) g->finobjsur = curr->next;
    *p = curr->next;
    curr->next = *lastnext;
    *lastnext = curr;
    lastnext = &curr->next;
  }
}

// Moves `*p` past `o` if it points to `o`.
void checkpointer(GCObject** p, GCObject* o) {
  if (o == *p) *p = o->next;
}

// `o` is leaving allgc: no sublist pointer may keep pointing to it.
void correctpointers(global_State* g, GCObject* o) {
  checkpointer(&g->survival, o);
  checkpointer(&g->old1, o);
  checkpointer(&g->reallyold, o);
  checkpointer(&g->firstold1, o);
}

}  // namespace

// Only the setmetatable that finds `__gc` present marks an object: adding
// `__gc` to the metatable later has no effect, as the manual says. The
// object has to be found in allgc by a linear search; during the sweep it
// is swept first (whitened), and the sweep position moved off it.
void luaC_checkfinalizer(lua_State* L, GCObject* o, Table* mt) {
  global_State* g = G(L);
  if (tofinalize(o) || gfasttm(g, mt, TM_GC) == nullptr ||
      (g->gcstp & GCSTPCLS))
    return;
  if (issweepphase(g)) {
    makewhite(g, o);
    if (g->sweepgc == &o->next) g->sweepgc = sweeptolive(L, g->sweepgc);
  } else {
    correctpointers(g, o);
  }
  GCObject** p;
  for (p = &g->allgc; *p != o; p = &(*p)->next) {
  }
  *p = o->next;
  o->next = g->finobj;
  g->finobj = o;
  l_setbit(o->marked, FINALIZEDBIT);
}

// ---------------------------------------------------------------------------
// Generational collector
// ---------------------------------------------------------------------------

namespace {

void setpause(global_State* g);

// The sweep that enters generational mode: frees the dead and makes every
// survivor old. Old threads must be revisited at every collection, so they
// go to grayagain; open upvalues stay gray; everything else is black.
void sweep2old(lua_State* L, GCObject** p) {
  global_State* g = G(L);
  GCObject* curr;
  while ((curr = *p) != nullptr) {
    if (iswhite(curr)) {
      lua_assert(isdead(g, curr));
      *p = curr->next;
      luaE_freeobj(L, curr);
      continue;
    }
    setage(curr, G_OLD);
    if (curr->tt == LUA_VTHREAD)
      linkgclist(gco2th(curr), g->grayagain);
    else if (curr->tt == LUA_VUPVAL && upisopen(gco2upv(curr)))
      set2gray(curr);
    else
      nw2black(curr);
    p = &curr->next;
  }
}

// The age an object reaches after surviving a minor collection. TOUCHED
// ages are advanced by correctgraylist instead, because touched objects
// are usually in old sublists that are not swept.
constexpr lu_byte nextage[] = {
    G_SURVIVAL,  // from G_NEW
    G_OLD1,      // from G_SURVIVAL
    G_OLD1,      // from G_OLD0
    G_OLD,       // from G_OLD1
    G_OLD,       // from G_OLD
    G_TOUCHED1,  // from G_TOUCHED1
    G_TOUCHED2,  // from G_TOUCHED2
};

// The sweep of a minor collection, from `p` up to `limit`. No object is
// created during it, so white means dead. Survivors age; new ones become
// white SURVIVALs again, older ones keep their colour. `*pfirstold1` gets
// the first object that became OLD1, if it is still unset.
GCObject** sweepgen(lua_State* L, global_State* g, GCObject** p,
                    GCObject* limit, GCObject** pfirstold1) {
  int white = luaC_white(g);
  GCObject* curr;
  while ((curr = *p) != limit) {
    if (iswhite(curr)) {
      lua_assert(!isold(curr) && isdead(g, curr));
      *p = curr->next;
      luaE_freeobj(L, curr);
      continue;
    }
    if (getage(curr) == G_NEW) {
      int marked = curr->marked & ~maskgcbits;
      curr->marked = static_cast<lu_byte>(marked | G_SURVIVAL | white);
    } else {
      setage(curr, nextage[getage(curr)]);
      if (getage(curr) == G_OLD1 && *pfirstold1 == nullptr) *pfirstold1 = curr;
    }
    p = &curr->next;
  }
  return p;
}

// Leaving generational mode: every object white and new again.
void whitelist(global_State* g, GCObject* p) {
  int white = luaC_white(g);
  for (; p != nullptr; p = p->next)
    p->marked = static_cast<lu_byte>((p->marked & ~maskgcbits) | white);
}

// After a minor collection, decides who stays in a gray list: TOUCHED1
// objects become black TOUCHED2 and stay (they are checked once more);
// threads stay; white objects (young ones the sweep whitened) leave;
// everything else becomes black and old and leaves. Returns the link
// where the rest of the lists can be appended.
GCObject** correctgraylist(GCObject** p) {
  GCObject* curr;
  while ((curr = *p) != nullptr) {
    GCObject** next = getgclist(curr);
    if (iswhite(curr)) {
      *p = *next;
      continue;
    }
    if (getage(curr) == G_TOUCHED1) {
      lua_assert(isgray(curr));
      nw2black(curr);
      changeage(curr, G_TOUCHED1, G_TOUCHED2);
      p = next;
      continue;
    }
    if (curr->tt == LUA_VTHREAD) {
      lua_assert(isgray(curr));
      p = next;
      continue;
    }
    lua_assert(isold(curr));
    if (getage(curr) == G_TOUCHED2) changeage(curr, G_TOUCHED2, G_OLD);
    nw2black(curr);
    *p = *next;
  }
  return p;
}

// Corrects every gray list and chains them all into grayagain.
void correctgraylists(global_State* g) {
  GCObject** list = correctgraylist(&g->grayagain);
  *list = g->weak;
  g->weak = nullptr;
  list = correctgraylist(list);
  *list = g->allweak;
  g->allweak = nullptr;
  list = correctgraylist(list);
  *list = g->ephemeron;
  g->ephemeron = nullptr;
  correctgraylist(list);
}

// At the start of a minor collection, OLD1 objects become really old. A
// black one may refer to survivals that this collection must keep, so it
// is traversed again (gray ones are already in a gray list).
void markold(global_State* g, GCObject* from, GCObject* to) {
  for (GCObject* p = from; p != to; p = p->next) {
    if (getage(p) != G_OLD1) continue;
    lua_assert(!iswhite(p));
    changeage(p, G_OLD1, G_OLD);
    if (isblack(p)) reallymarkobject(g, p);
  }
}

void finishgencycle(lua_State* L, global_State* g) {
  correctgraylists(g);
  checkSizes(L, g);
  g->gcstate = GCSpropagate;  // generational mode lives in this state
  if (!g->gcemergency) callallpendingfinalizers(L);
}

// A minor collection: mark from the roots, the touched old objects and the
// OLD1 ones, then sweep only the young sublists and shift the sublist
// pointers one generation along.
void youngcollection(lua_State* L, global_State* g) {
  lua_assert(g->gcstate == GCSpropagate);
  if (g->firstold1 != nullptr) {
    markold(g, g->firstold1, g->reallyold);
    g->firstold1 = nullptr;
  }
  markold(g, g->finobj, g->finobjrold);
  markold(g, g->tobefnz, nullptr);
  atomic(L);
  g->gcstate = GCSswpallgc;
  GCObject** psurvival = sweepgen(L, g, &g->allgc, g->survival, &g->firstold1);
  sweepgen(L, g, psurvival, g->old1, &g->firstold1);
  g->reallyold = g->old1;
  g->old1 = *psurvival;       // the survivals are now old
  g->survival = g->allgc;     // and the new objects survivals
  GCObject* dummy = nullptr;  // finobj needs no firstold1
  psurvival = sweepgen(L, g, &g->finobj, g->finobjsur, &dummy);
  sweepgen(L, g, psurvival, g->finobjold1, &dummy);
  g->finobjrold = g->finobjold1;
  g->finobjold1 = *psurvival;
  g->finobjsur = g->finobj;
  sweepgen(L, g, &g->tobefnz, nullptr, &dummy);
  finishgencycle(L, g);
}

// Right after an atomic step: sweeps everything into the old generation.
void atomic2gen(lua_State* L, global_State* g) {
  cleargraylists(g);
  g->gcstate = GCSswpallgc;
  sweep2old(L, &g->allgc);
  g->reallyold = g->old1 = g->survival = g->allgc;
  g->firstold1 = nullptr;
  sweep2old(L, &g->finobj);
  g->finobjrold = g->finobjold1 = g->finobjsur = g->finobj;
  sweep2old(L, &g->tobefnz);
  g->gckind = KGC_GEN;
  g->lastatomic = 0;
  g->GCestimate = gettotalbytes(g);  // the base for major collections
  finishgencycle(L, g);
}

// Entering generational mode needs a complete mark (so that weak tables
// are cleared and everything alive is known), then atomic2gen.
lu_mem entergen(lua_State* L, global_State* g) {
  luaC_runtilstate(L, statebit(GCSpause));
  luaC_runtilstate(L, statebit(GCSpropagate));
  lu_mem numobjs = atomic(L);
  atomic2gen(L, g);
  return numobjs;
}

// Leaving generational mode: all white, no sublists, waiting for a cycle.
void enterinc(global_State* g) {
  whitelist(g, g->allgc);
  g->reallyold = g->old1 = g->survival = nullptr;
  whitelist(g, g->finobj);
  whitelist(g, g->tobefnz);
  g->finobjrold = g->finobjold1 = g->finobjsur = nullptr;
  g->gcstate = GCSpause;
  g->gckind = KGC_INC;
  g->lastatomic = 0;
}

}  // namespace

void luaC_changemode(lua_State* L, int newmode) {
  global_State* g = G(L);
  if (newmode != g->gckind) {
    if (newmode == KGC_GEN)
      entergen(L, g);
    else
      enterinc(g);
  }
  g->lastatomic = 0;
}

namespace {

// A major collection in generational mode: back to incremental for one
// full mark, then into generational mode again.
lu_mem fullgen(lua_State* L, global_State* g) {
  enterinc(g);
  return entergen(L, g);
}

// The next minor collection comes when memory has grown by genminormul %.
void setminordebt(global_State* g) {
  luaE_setdebt(g,
               -(static_cast<l_mem>(gettotalbytes(g) / 100) * g->genminormul));
}

// After a bad major collection (one that freed too little, as happens when
// a program builds a large structure), minor collections are a waste:
// every object survives. So the collector runs full incremental-mode
// marks until one of them is good, judged by the number of objects
// traversed (memory is not known before the sweep): fewer than 9/8 of the
// previous count means garbage has appeared, and generational mode
// resumes.
void stepgenfull(lua_State* L, global_State* g) {
  lu_mem lastatomic = g->lastatomic;
  if (g->gckind == KGC_GEN) enterinc(g);
  luaC_runtilstate(L, statebit(GCSpropagate));
  lu_mem newatomic = atomic(L);
  if (newatomic < lastatomic + (lastatomic >> 3)) {
    atomic2gen(L, g);
    setminordebt(g);
    return;
  }
  g->GCestimate = gettotalbytes(g);
  entersweep(L);
  luaC_runtilstate(L, statebit(GCSpause));
  setpause(g);
  g->lastatomic = newatomic;
}

// One generational step: usually a minor collection. When memory has grown
// by genmajormul % since the last major collection, a major one instead;
// if that does not free at least half of the growth, it was bad, and the
// collector switches to stepgenfull until a good one. A step called with
// no debt (an explicit step) is always minor.
void genstep(lua_State* L, global_State* g) {
  if (g->lastatomic != 0) {
    stepgenfull(L, g);
    lua_assert(isdecGCmodegen(g));
    return;
  }
  lu_mem majorbase = g->GCestimate;
  lu_mem majorinc = (majorbase / 100) * getgcparam(g->genmajormul);
  if (g->GCdebt > 0 && gettotalbytes(g) > majorbase + majorinc) {
    lu_mem numobjs = fullgen(L, g);
    if (gettotalbytes(g) < majorbase + (majorinc / 2)) {
      setminordebt(g);
    } else {
      g->lastatomic = numobjs;  // bad collection
      setpause(g);
    }
  } else {
    youngcollection(L, g);
    setminordebt(g);
    g->GCestimate = majorbase;  // still the base of major collections
  }
  lua_assert(isdecGCmodegen(g));
}

// ---------------------------------------------------------------------------
// GC control
// ---------------------------------------------------------------------------

// The next cycle starts when memory reaches `gcpause` % of the estimate of
// live memory: the debt is set that far below zero. The estimate is never
// zero, because a state needs more than PAUSEADJ bytes to exist.
void setpause(global_State* g) {
  int pause = getgcparam(g->gcpause);
  l_mem estimate = static_cast<l_mem>(g->GCestimate) / PAUSEADJ;
  lua_assert(estimate > 0);
  l_mem threshold = (pause < MAX_LMEM / estimate) ? estimate * pause : MAX_LMEM;
  l_mem debt = static_cast<l_mem>(gettotalbytes(g)) - threshold;
  if (debt > 0) debt = 0;
  luaE_setdebt(g, debt);
}

void entersweep(lua_State* L) {
  global_State* g = G(L);
  g->gcstate = GCSswpallgc;
  lua_assert(g->sweepgc == nullptr);
  g->sweepgc = sweeptolive(L, &g->allgc);
}

}  // namespace

// GCSTPCLS stops the collector for good and makes luaC_checkfinalizer
// ignore new marks, so the finalizers run here are the last ones. The
// lists are left holding only the main thread (Lua leaves them dangling,
// since lua_close frees the state next; chapter 5's close walks them).
void luaC_freeallobjects(lua_State* L) {
  global_State* g = G(L);
  g->gcstp = GCSTPCLS;
  luaC_changemode(L, KGC_INC);
  separatetobefnz(g, true);
  lua_assert(g->finobj == nullptr);
  callallpendingfinalizers(L);
  deletelist(L, g->allgc, obj2gco(g->mainthread));
  g->allgc = obj2gco(g->mainthread);
  lua_assert(g->finobj == nullptr);
  deletelist(L, g->fixedgc, nullptr);
  g->fixedgc = nullptr;
  lua_assert(g->strt.nuse == 0);
}

namespace {

// The atomic step, done without interruption: marks what may have changed
// since the propagation (the running thread, the registry, the basic
// metatables), the values of open upvalues of unmarked threads, then the
// grayagain list, and lets ephemerons converge. Everything strongly
// reachable is then marked. Weak values are cleared before finalizers are
// considered, so a resurrected object never reappears in a weak value;
// then the unmarked objects with finalizers are separated and marked
// (resurrected) with what they reach; weak keys are cleared only after
// that, so a finalizer still finds its object's entries; values
// resurrected into weak tables are cleared last. Finally the whites flip.
lu_mem atomic(lua_State* L) {
  global_State* g = G(L);
  lu_mem work = 0;
  GCObject* grayagain = g->grayagain;
  g->grayagain = nullptr;
  lua_assert(g->ephemeron == nullptr && g->weak == nullptr);
  lua_assert(!iswhite(g->mainthread));
  g->gcstate = GCSatomic;
  markobject(g, L);
  markvalue(g, &g->l_registry);
  markmt(g);
  work += propagateall(g);
  work += remarkupvals(g);
  work += propagateall(g);
  g->gray = grayagain;
  work += propagateall(g);
  convergeephemerons(g);
  clearbyvalues(g, g->weak, nullptr);
  clearbyvalues(g, g->allweak, nullptr);
  GCObject* origweak = g->weak;
  GCObject* origall = g->allweak;
  separatetobefnz(g, false);
  work += markbeingfnz(g);
  work += propagateall(g);
  convergeephemerons(g);
  clearbykeys(g, g->ephemeron);
  clearbykeys(g, g->allweak);
  clearbyvalues(g, g->weak, origweak);
  clearbyvalues(g, g->allweak, origall);
  luaS_clearcache(g);
  g->currentwhite = otherwhite(g);
  lua_assert(g->gray == nullptr);
  return work;
}

// One step of a sweep state: sweep a batch, or move to the next list. The
// bytes freed are taken off the estimate of live memory.
int sweepstep(lua_State* L, global_State* g, lu_byte nextstate,
              GCObject** nextlist) {
  if (g->sweepgc != nullptr) {
    l_mem olddebt = g->GCdebt;
    int count;
    g->sweepgc = sweeplist(L, g->sweepgc, GCSWEEPMAX, &count);
    g->GCestimate += g->GCdebt - olddebt;
    return count;
  }
  g->gcstate = nextstate;
  g->sweepgc = nextlist;
  return 0;
}

// The state machine. `gcstopem` forbids emergency collections while a step
// runs: the collector is not reentrant. Finalizers are the exception: they
// are ordinary code and may allocate (and trigger emergencies).
lu_mem singlestep(lua_State* L) {
  global_State* g = G(L);
  lu_mem work = 0;
  lua_assert(!g->gcstopem);
  g->gcstopem = 1;
  switch (g->gcstate) {
    case GCSpause:
      restartcollection(g);
      g->gcstate = GCSpropagate;
      work = 1;
      break;
    case GCSpropagate:
      if (g->gray == nullptr)
        g->gcstate = GCSenteratomic;
      else
        work = propagatemark(g);
      break;
    case GCSenteratomic:
      work = atomic(L);
      entersweep(L);
      g->GCestimate = gettotalbytes(g);  // first estimate
      break;
    case GCSswpallgc:
      work = sweepstep(L, g, GCSswpfinobj, &g->finobj);
      break;
    case GCSswpfinobj:
      work = sweepstep(L, g, GCSswptobefnz, &g->tobefnz);
      break;
    case GCSswptobefnz:
      work = sweepstep(L, g, GCSswpend, nullptr);
      break;
    case GCSswpend:
      checkSizes(L, g);
      g->gcstate = GCScallfin;
      break;
    case GCScallfin:
      if (g->tobefnz != nullptr && !g->gcemergency) {
        g->gcstopem = 0;
        work = cast_sizet(runafewfinalizers(L, GCFINMAX) * GCFINALIZECOST);
      } else {
        g->gcstate = GCSpause;  // cycle done
      }
      break;
    default:
      lua_assert(false);
  }
  g->gcstopem = 0;
  return work;
}

}  // namespace

lu_mem luaC_singlestep(lua_State* L) {
  return singlestep(L);
}

GCObject** luaC_gclist(GCObject* o) {
  bool listable = o->tt == LUA_VTABLE || o->tt == LUA_VLCL ||
                  o->tt == LUA_VCCL || o->tt == LUA_VTHREAD ||
                  o->tt == LUA_VPROTO ||
                  (o->tt == LUA_VUSERDATA && gco2u(o)->nuvalue > 0);
  return listable ? getgclist(o) : nullptr;
}

void luaC_runtilstate(lua_State* L, int statesmask) {
  global_State* g = G(L);
  while (!testbit(static_cast<unsigned int>(statesmask), g->gcstate))
    singlestep(L);
}

namespace {

// An incremental step converts the debt (bytes) into units of work, scaled
// by the step multiplier, and runs single steps until it has paid the debt
// plus one step size of credit, or the cycle ends. What is left over, in
// bytes again, is the new debt: negative, so the next step waits.
void incstep(lua_State* L, global_State* g) {
  int stepmul = (getgcparam(g->gcstepmul) | 1);  // never 0
  l_mem debt = (g->GCdebt / WORK2MEM) * stepmul;
  constexpr int log2maxs = sizeof(l_mem) * 8 - 2;
  l_mem stepsize =
      (g->gcstepsize <= log2maxs)
          ? ((static_cast<l_mem>(1) << g->gcstepsize) / WORK2MEM) * stepmul
          : MAX_LMEM;
  do {
    lu_mem work = singlestep(L);
    debt -= static_cast<l_mem>(work);
  } while (debt > -stepsize && g->gcstate != GCSpause);
  if (g->gcstate == GCSpause) {
    setpause(g);
  } else {
    debt = (debt / stepmul) * WORK2MEM;
    luaE_setdebt(g, debt);
  }
}

}  // namespace

void luaC_step(lua_State* L) {
  global_State* g = G(L);
  lua_assert(!g->gcemergency);
  if (!gcrunning(g)) return;
  if (isdecGCmodegen(g))
    genstep(L, g);
  else
    incstep(L, g);
}

namespace {

// A full incremental cycle. If marking is under way, black objects exist:
// sweeping everything first turns them white again (with the whites not
// flipped, nothing is freed). Then one cycle from the pause to the
// finalizers; after it, the estimate is exact.
void fullinc(lua_State* L, global_State* g) {
  if (keepinvariant(g)) entersweep(L);
  luaC_runtilstate(L, statebit(GCSpause));
  luaC_runtilstate(L, statebit(GCScallfin));
  lua_assert(g->GCestimate == gettotalbytes(g));
  luaC_runtilstate(L, statebit(GCSpause));
  setpause(g);
}

}  // namespace

void luaC_fullgc(lua_State* L, int isemergency) {
  global_State* g = G(L);
  lua_assert(!g->gcemergency);
  g->gcemergency = static_cast<lu_byte>(isemergency);
  if (g->gckind == KGC_INC)
    fullinc(L, g);
  else
    fullgen(L, g);
  g->gcemergency = 0;
}

// ---------------------------------------------------------------------------
// Installation and warnings (not in lgc.c)
// ---------------------------------------------------------------------------

namespace {

// The `fullgc` seam: the emergency collection that lmem runs before
// retrying a failed allocation. A state still being built has no
// collector to run yet.
void emergencygc(lua_State* L) {
  if (!completestate(G(L))) return;
  luaC_fullgc(L, 1);
}

// Chapter 5's state set-up already gives the collector its parameters and
// mode; what it cannot do is point the lower chapters at the collector.
void installcollector(global_State* g) {
  g->seams.fullgc = emergencygc;
  g->seams.barrier = luaC_barrier_;
  g->seams.barrierback = luaC_barrierback_;
}

}  // namespace

lua_State* luaC_openstate(lua_Alloc f, void* ud) {
  lua_State* L = luaE_openstate(f, ud);
  if (L != nullptr) installcollector(G(L));
  return L;
}

// As lua_close: upvalues are closed before the finalizers run (they may
// read them), on the main thread with its base call only.
void luaC_closestate(lua_State* L) {
  L = G(L)->mainthread;
  L->ci = &L->base_ci;
  luaF_closeupval(L, L->stack + 1);
  luaC_freeallobjects(L);
  luaE_closestate(L);
}

void luaE_warning(lua_State* L, const char* msg, int tocont) {
  lua_WarnFunction wf = G(L)->warnf;
  if (wf != nullptr) wf(G(L)->ud_warn, msg, tocont);
}

// Lua's warning format: the pieces "error in ", where, " (", message, ")"
// make one message.
void luaE_warnerror(lua_State* L, const char* where) {
  const TValue* errobj = s2v(L->top - 1);
  const char* msg =
      ttisstring(errobj) ? svalue(errobj) : "error object is not a string";
  luaE_warning(L, "error in ", 1);
  luaE_warning(L, where, 1);
  luaE_warning(L, " (", 1);
  luaE_warning(L, msg, 1);
  luaE_warning(L, ")", 0);
}

}  // namespace lua
