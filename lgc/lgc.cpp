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
/// Every list the collector keeps is threaded through the objects (`next`,
/// `gclist`, `u.open.next`, `twups`). Two small tools walk them instead of
/// hand-written pointer loops: a Chain is a range over a list (or a
/// stretch of it), a Cursor stands on a link and can unlink the object
/// there, which is how the sweeps free objects as they go. The atomic step
/// is written as its named phases, and the generational sweeps treat
/// allgc and finobj alike through the Generations view of their sublist
/// pointers.
///
/// lgc.c is spread over four places: this file (its functions, in its
/// order); lgc.hpp (the macros of lgc.h); chapter 2's lobject/lstate.cpp
/// (luaC_newobj and luaC_fix, which creation needs before this chapter);
/// and chapter 5's lfunc/lstate.cpp (freeobj as luaE_freeobj, and
/// deletelist). The heap checker of ltests.c is lgccheck.cpp.
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
/// - getgclist returns null for an object without a gray-list link, so it
///   also serves the checker (luaC_gclist), where Lua asserts.
/// - singlestep and luaC_fullgc set `gcstopem` and `gcemergency` through a
///   scoped flag, which restores the old value (always 0: both assert it)
///   where Lua clears the flag. No error can leave either function (the
///   finalizers run in protected mode), so the two are the same.
#include "lgc/lgc.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <span>
#include <utility>

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

// Clears colours and age and sets `bits` instead (a white, and perhaps an
// age): how the sweeps repaint the objects they keep.
void resetgcbits(GCObject* o, lu_byte bits) {
  o->marked = static_cast<lu_byte>((o->marked & ~maskgcbits) | bits);
}
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

lu_mem atomic(lua_State* L, global_State* g);
void entersweep(lua_State* L, global_State* g);

// ---------------------------------------------------------------------------
// Generic functions
// ---------------------------------------------------------------------------

// The gray-list link of an object, or null for one that is never in a
// gray list: a string, an upvalue, a userdata without user values. Each
// type keeps its `gclist` at its own offset, so the header cannot say.
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
    case LUA_VUSERDATA: {
      Udata* u = gco2u(o);
      return u->nuvalue > 0 ? &u->gclist : nullptr;
    }
    default:
      return nullptr;
  }
}

// The collector's lists are threaded through the objects themselves, each
// through its own link field. `Link` names the field; a Chain walks the
// objects from `first` up to (not including) `last`, for reading; a
// Cursor stands on a link of the list and can unlink the object there, for
// the walks that remove objects as they go.
template <class T, T*& (*Link)(T*)>
using Chain = ListRange<T, Link>;  // chapter 2's range, bounded by `last`

template <class T, T*& (*Link)(T*)>
class Cursor {
 public:
  explicit Cursor(T** link) : link_(link) {}
  // The object the cursor stands on (null at the end of the list).
  T* get() const { return *link_; }
  // The link that holds it: where a later walk can resume.
  T** link() const { return link_; }
  // Keeps the current object and moves to the next one.
  void skip() { link_ = &Link(*link_); }
  // Takes the current object out of the list; the cursor then stands on
  // the object that followed it.
  T* unlink() {
    T* o = *link_;
    *link_ = Link(o);
    return o;
  }

 private:
  T** link_;
};

// The link fields: `next` (allgc, finobj, tobefnz, fixedgc), `gclist`
// (gray lists; only tables in weak, allweak and ephemeron), an open
// upvalue's `u.open.next`, and a thread's `twups`.
GCObject*& nextobj(GCObject* o) {
  return o->next;
}
GCObject*& nextgray(GCObject* o) {
  GCObject** link = getgclist(o);
  lua_assert(link != nullptr);
  return *link;
}
GCObject*& nexttable(GCObject* o) {
  return gco2t(o)->gclist;
}
UpVal*& nextopen(UpVal* uv) {
  return uv->u.open.next;
}
lua_State*& nexttwups(lua_State* th) {
  return th->twups;
}

using ObjChain = Chain<GCObject, nextobj>;
using ObjCursor = Cursor<GCObject, nextobj>;
using GrayCursor = Cursor<GCObject, nextgray>;
using TableChain = Chain<GCObject, nexttable>;
using OpenChain = Chain<UpVal, nextopen>;
using TwupsCursor = Cursor<lua_State, nexttwups>;

// Gives a one-byte switch of the state (gcstopem, gcemergency, gcstp,
// allowhook) a value for one scope and restores the old one when the scope
// ends.
class ScopedFlag {
 public:
  ScopedFlag(lu_byte& flag, lu_byte value)
      : flag_(flag), old_(std::exchange(flag, value)) {}
  ~ScopedFlag() { flag_ = old_; }
  ScopedFlag(const ScopedFlag&) = delete;
  ScopedFlag& operator=(const ScopedFlag&) = delete;

 private:
  lu_byte& flag_;
  lu_byte old_;
};

// Puts `o` at the head of object list `list`.
void pushobj(GCObject*& list, GCObject* o) {
  o->next = std::exchange(list, o);
}

// Pushes `o` on a gray list through its link `link` and paints it gray
// (GRAYLIST: being in a gray list and being gray go together).
void linkgclist_(GCObject* o, GCObject*& link, GCObject*& list) {
  lua_assert(!isgray(o));
  link = std::exchange(list, o);
  set2gray(o);
}
template <class T>
void linkgclist(T* o, GCObject*& list) {
  linkgclist_(obj2gco(o), o->gclist, list);
}
void linkobjgclist(GCObject* o, GCObject*& list) {
  linkgclist_(o, nextgray(o), list);
}

// A table's two parts as ranges: the array slots in use and the nodes
// (none for the shared dummy node).
std::span<TValue> arrayslots(Table* h) {
  return {h->array, luaH_realasize(h)};
}
std::span<Node> nodes(Table* h) {
  return {h->node, static_cast<std::size_t>(allocsizenode(h))};
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
  lua_assert(isblack(o) && iswhite(v));
  lua_assert(!isdead(g, o) && !isdead(g, v));
  if (!keepinvariant(g)) {
    lua_assert(issweepphase(g));
    const bool incremental = g->gckind == KGC_INC;
    if (incremental) makewhite(g, o);
    return;
  }
  reallymarkobject(g, v);
  if (!isold(o)) return;
  lua_assert(!isold(v));  // a black old object points only to old ones
  setage(v, G_OLD0);
}

// A container written to often (a table) is cheaper to traverse again once,
// atomically, than to barrier at every store: it turns gray and waits in
// grayagain. A TOUCHED2 object is still in grayagain from the previous
// minor collection, so it only needs repainting.
void luaC_barrierback_(lua_State* L, GCObject* o) {
  global_State* g = G(L);
  lua_assert(isblack(o) && !isdead(g, o));
  // Only generational mode has old objects, and a TOUCHED1 one is gray.
  lua_assert((g->gckind == KGC_GEN) == (isold(o) && getage(o) != G_TOUCHED1));
  const bool ingrayagain = getage(o) == G_TOUCHED2;
  if (ingrayagain)
    set2gray(o);
  else
    linkobjgclist(o, g->grayagain);
  if (isold(o)) setage(o, G_TOUCHED1);  // written to in this cycle
}

// ---------------------------------------------------------------------------
// Mark functions
// ---------------------------------------------------------------------------

namespace {

// Marks a white object. An object with references to follow (it has a
// gray-list link) goes to the gray list, to be traversed by a later step.
// The others are finished at once: a string has no references, an upvalue
// one value, a userdata without user values only its metatable. An open
// upvalue stays gray outside any gray list: its value lives in a thread's
// stack, and the thread (or remarkupvals) visits it. The recursion is at
// most two levels deep: an upvalue holds no upvalue, and a metatable is a
// table.
void reallymarkobject(global_State* g, GCObject* o) {
  if (GCObject** link = getgclist(o)) {
    linkgclist_(o, *link, g->gray);
    return;
  }
  if (o->tt != LUA_VUPVAL) {
    set2black(o);
    if (o->tt == LUA_VUSERDATA) markobjectN(g, gco2u(o)->metatable);
    return;
  }
  UpVal* uv = gco2upv(o);
  if (upisopen(uv))
    set2gray(o);
  else
    set2black(o);
  markvalue(g, uv->v);
}

// The metatables of the basic types are roots.
void markmt(global_State* g) {
  for (Table* mt : g->mt) markobjectN(g, mt);
}

// Objects waiting for their finalizer are roots too: they must stay alive,
// with everything they refer to, until the finalizer has run. Returns how
// many there are.
lu_mem markbeingfnz(global_State* g) {
  lu_mem count = 0;
  for (GCObject* o : ObjChain{g->tobefnz}) {
    markobject(g, o);
    count++;
  }
  return count;
}

// The values of the open upvalues of `th` that were visited (are gray):
// see remarkupvals. Returns the number of upvalues looked at.
int markopenupvals(global_State* g, lua_State* th) {
  // Lua also asserts here that an upvalue is never older than its
  // thread. lua_upvaluejoin can break that: it stores an open upvalue
  // into an old closure, and the forward barrier makes the upvalue OLD0
  // while its thread stays young. Marking the value is right anyway.
  int count = 0;
  for (UpVal* uv : OpenChain{th->openupval}) {
    count++;
    if (iswhite(uv)) continue;
    lua_assert(upisopen(uv) && isgray(uv));
    markvalue(g, uv->v);
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
  int work = 0;
  for (TwupsCursor c(&g->twups); c.get() != nullptr; work++) {
    lua_State* th = c.get();
    const bool stays = !iswhite(th) && th->openupval != nullptr;
    if (stays) {
      c.skip();
      continue;
    }
    lua_assert(!isold(th) || th->openupval == nullptr);
    c.unlink();
    th->twups = th;  // how a thread says it is out of the list
    work += markopenupvals(g, th);
  }
  return work;
}

// The heads of the five gray lists (GRAYLIST).
std::array<GCObject**, 5> graylists(global_State* g) {
  return {&g->gray, &g->grayagain, &g->weak, &g->allweak, &g->ephemeron};
}

void cleargraylists(global_State* g) {
  for (GCObject** list : graylists(g)) *list = nullptr;
}

// The roots every mark starts from: a thread (the main one when a cycle
// starts, the running one in the atomic step), the registry and the basic
// types' metatables.
void markroots(global_State* g, lua_State* thread) {
  markobject(g, thread);
  markvalue(g, &g->l_registry);
  markmt(g);
}

// A new cycle: empty gray lists, then the roots, among them the objects
// left in tobefnz by the previous cycle.
void restartcollection(global_State* g) {
  cleargraylists(g);
  markroots(g, g->mainthread);
  markbeingfnz(g);
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
  switch (getage(o)) {
    case G_TOUCHED1:
      linkobjgclist(o, g->grayagain);
      break;
    case G_TOUCHED2:
      changeage(o, G_TOUCHED2, G_OLD);
      break;
    default:
      break;
  }
}

// The hash part as the traversals of tables with strong keys see it: an
// empty entry's key is cleared (it may be an object about to die), a used
// entry's key is marked and the entry goes on to `used`, which decides
// about its value.
template <class Used>
void markkeys(global_State* g, Table* h, Used used) {
  for (Node& n : nodes(h)) {
    if (isempty(gval(&n))) {
      clearkey(&n);
      continue;
    }
    lua_assert(!keyisnil(&n));
    markkey(g, &n);
    used(n);
  }
}

// A table with weak values: keys are marked, values are not. While
// propagating, the table may still change, so it waits in grayagain for
// the atomic step; there, a table that may hold white values goes to
// `weak`, to have them cleared. The array part is assumed to need clearing
// rather than scanned twice.
void traverseweakvalue(global_State* g, Table* h) {
  bool hasclears = !arrayslots(h).empty();
  markkeys(g, h, [g, &hasclears](Node& n) {
    hasclears = hasclears || iscleared(g, gcvalueN(gval(&n)));
  });
  const bool toclear = hasclears && g->gcstate == GCSatomic;
  linkgclist(h, toclear ? g->weak : g->grayagain);
}

// Marks the white object of `v`; says whether there was one.
bool markwhite(global_State* g, const TValue* v) {
  if (!valiswhite(v)) return false;
  reallymarkobject(g, gcvalue(v));
  return true;
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
  bool hasww = false;                 // an entry white key -> white value
  for (TValue& slot : arrayslots(h))  // integer keys are strong
    marked = markwhite(g, &slot) || marked;
  std::span<Node> all = nodes(h);
  for (std::size_t i = 0; i < all.size(); i++) {
    Node* n = &all[inv ? all.size() - 1 - i : i];
    if (isempty(gval(n))) {
      clearkey(n);
    } else if (!iscleared(g, gckeyN(n))) {
      marked = markwhite(g, gval(n)) || marked;
    } else {
      hasclears = true;
      hasww = hasww || valiswhite(gval(n));
    }
  }
  if (g->gcstate == GCSpropagate) {  // the atomic step comes back to it
    linkgclist(h, g->grayagain);
  } else if (hasww || hasclears) {
    linkgclist(h, hasww ? g->ephemeron : g->allweak);
  } else {
    genlink(g, obj2gco(h));  // nothing weak left in it
  }
  return marked;
}

void traversestrongtable(global_State* g, Table* h) {
  for (TValue& slot : arrayslots(h)) markvalue(g, &slot);
  markkeys(g, h, [g](Node& n) { markvalue(g, gval(&n)); });
  genlink(g, obj2gco(h));
}

// What a metatable's `__mode` makes weak.
enum class Weakness : lu_byte { none, values, keys, both };

// Any 'k' in `__mode` makes keys weak, any 'v' values; a mode that is not
// a string means nothing.
Weakness getweakness(global_State* g, Table* h) {
  const TValue* mode = gfasttm(g, h->metatable, TM_MODE);
  if (mode == nullptr || !ttisstring(mode)) return Weakness::none;
  const bool keys = std::strchr(svalue(mode), 'k') != nullptr;
  const bool values = std::strchr(svalue(mode), 'v') != nullptr;
  if (keys) return values ? Weakness::both : Weakness::keys;
  return values ? Weakness::values : Weakness::none;
}

// A table with both weak keys and weak values is not traversed at all; it
// is only cleared.
lu_mem traversetable(global_State* g, Table* h) {
  markobjectN(g, h->metatable);
  switch (getweakness(g, h)) {
    case Weakness::none:
      traversestrongtable(g, h);
      break;
    case Weakness::values:
      traverseweakvalue(g, h);
      break;
    case Weakness::keys:
      traverseephemeron(g, h, false);
      break;
    case Weakness::both:
      linkgclist(h, g->allweak);
      break;
  }
  return 1 + h->alimit + 2 * nodes(h).size();
}

int traverseudata(global_State* g, Udata* u) {
  markobjectN(g, u->metatable);
  for (UValue& uv : std::span(u->uv(), u->nuvalue)) markvalue(g, &uv.uv);
  genlink(g, obj2gco(u));
  return 1 + u->nuvalue;
}

// A prototype being built by the parser has vectors larger than what they
// hold, padded with nulls: every field is optional here.
int traverseproto(global_State* g, Proto* f) {
  markobjectN(g, f->source);
  for (TValue& k : std::span(f->k, f->sizek)) markvalue(g, &k);
  for (Upvaldesc& up : std::span(f->upvalues, f->sizeupvalues))
    markobjectN(g, up.name);
  for (Proto* child : std::span(f->p, f->sizep)) markobjectN(g, child);
  for (LocVar& var : std::span(f->locvars, f->sizelocvars))
    markobjectN(g, var.varname);
  return 1 + f->sizek + f->sizeupvalues + f->sizep + f->sizelocvars;
}

int traverseCclosure(global_State* g, CClosure* cl) {
  for (TValue& up : std::span(cl->upvalue(), cl->nupvalues)) markvalue(g, &up);
  return 1 + cl->nupvalues;
}

// The prototype and the upvalues may still be null while the closure is
// being created.
int traverseLclosure(global_State* g, LClosure* cl) {
  markobjectN(g, cl->p);
  for (UpVal* up : std::span(cl->upvals(), cl->nupvalues)) markobjectN(g, up);
  return 1 + cl->nupvalues;
}

// The atomic traversal of a thread also clears the dead part of its stack,
// so that no stale slot keeps a dead object's address, and puts a thread
// with open upvalues back into twups (remarkupvals may have taken it out).
void atomicthread(global_State* g, lua_State* th, StkId firstfree) {
  for (StkId o = firstfree; o < th->stack_last + EXTRA_STACK; o++)
    setnilvalue(s2v(o));
  if (isintwups(th) || th->openupval == nullptr) return;
  th->twups = std::exchange(g->twups, th);
}

// A thread has no write barrier (stack writes are far too frequent), so it
// is traversed again in the atomic step: while propagating it goes to
// grayagain, and so does an old thread in generational mode, which may
// point to young objects at any time. The live part of the stack is
// marked. Outside the atomic step and emergencies the stack is shrunk to
// what the thread uses.
int traversethread(global_State* g, lua_State* th) {
  if (isold(th) || g->gcstate == GCSpropagate) linkgclist(th, g->grayagain);
  if (th->stack == nullptr) return 1;  // not completely built yet
  lua_assert(g->gcstate == GCSatomic || th->openupval == nullptr ||
             isintwups(th));
  for (StkId o = th->stack; o < th->top; o++) markvalue(g, s2v(o));
  for (UpVal* uv : OpenChain{th->openupval})
    markobject(g, uv);  // open upvalues cannot be collected
  if (g->gcstate == GCSatomic)
    atomicthread(g, th, th->top);
  else if (!g->gcemergency)
    luaD_shrinkstack(th);
  return 1 + stacksize(th);
}

// Takes the first gray object, paints it black and traverses it.
lu_mem propagatemark(global_State* g) {
  GCObject* o = GrayCursor(&g->gray).unlink();
  nw2black(o);
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
  bool backwards = false;
  for (bool changed = true; changed; backwards = !backwards) {
    changed = false;
    // The tables return to the list as they are traversed.
    GCObject* pending = std::exchange(g->ephemeron, nullptr);
    while (pending != nullptr) {
      Table* h = gco2t(pending);
      pending = h->gclist;
      nw2black(h);  // out of the list for now
      if (!traverseephemeron(g, h, backwards)) continue;
      propagateall(g);
      changed = true;
    }
  }
}

// ---------------------------------------------------------------------------
// Sweep functions
// ---------------------------------------------------------------------------

// Removes the entries whose key was not marked from every table in list
// `l`, and marks the keys of all empty entries dead.
void clearbykeys(global_State* g, GCObject* l) {
  for (GCObject* o : TableChain{l}) {
    for (Node& n : nodes(gco2t(o))) {
      if (iscleared(g, gckeyN(&n))) setempty(gval(&n));
      if (isempty(gval(&n))) clearkey(&n);
    }
  }
}

// Removes the entries whose value was not marked from the tables in list
// `l` up to (not including) `f`.
void clearbyvalues(global_State* g, GCObject* l, GCObject* f) {
  for (GCObject* o : TableChain{l, f}) {
    Table* h = gco2t(o);
    for (TValue& slot : arrayslots(h))
      if (iscleared(g, gcvalueN(&slot))) setempty(&slot);
    for (Node& n : nodes(h)) {
      if (iscleared(g, gcvalueN(gval(&n)))) setempty(gval(&n));
      if (isempty(gval(&n))) clearkey(&n);
    }
  }
}

// Sweeps up to `countin` objects of the list at `p`: frees those marked
// with the other white (TWOWHITES) and repaints the others with the current
// white, ready for the next cycle. Returns where to continue, or null at
// the end of the list; `*countout` gets the number of objects visited.
GCObject** sweeplist(lua_State* L, global_State* g, GCObject** p, int countin,
                     int* countout) {
  const lu_byte dead = otherwhite(g);
  const lu_byte white = luaC_white(g);
  ObjCursor c(p);
  int visited = 0;
  for (; visited < countin && c.get() != nullptr; visited++) {
    if (c.get()->marked & dead) {
      luaE_freeobj(L, c.unlink());
      continue;
    }
    resetgcbits(c.get(), white);
    c.skip();
  }
  if (countout != nullptr) *countout = visited;
  return c.get() == nullptr ? nullptr : c.link();
}

// Sweeps until one live object has been swept (or the list ends), so that
// the sweep position is inside the list rather than at its head: objects
// created from now on go in front of it and are not visited.
GCObject** sweeptolive(lua_State* L, global_State* g, GCObject** p) {
  GCObject** const head = p;
  while (p == head) p = sweeplist(L, g, p, 1, nullptr);
  return p;
}

// ---------------------------------------------------------------------------
// Finalization
// ---------------------------------------------------------------------------

// Runs `release` and takes the bytes it frees off the estimate of live
// memory (freeing lowers the debt by as much).
template <class Release>
void creditfreed(global_State* g, Release release) {
  const l_mem before = g->GCdebt;
  release();
  g->GCestimate += g->GCdebt - before;
}

// After a cycle, a string table less than a quarter full is halved (never
// in an emergency: the caller may be inside the string table). The shrink
// is the one allocation the collector makes, and it must not start an
// emergency collection inside this one: the incremental steps already
// forbid that (gcstopem), the generational ones did not, and a failed
// shrink there re-entered the collector in the middle of a young
// collection. A shrink that fails simply keeps the larger table.
void checkSizes(lua_State* L, global_State* g) {
  const bool sparse = g->strt.nuse < g->strt.size / 4;
  if (g->gcemergency || !sparse) return;
  const ScopedFlag noemergency(g->gcstopem, 1);
  creditfreed(g, [&] { luaS_resize(L, g->strt.size / 2); });
}

// Takes the first object due for finalization and returns it to allgc as
// an ordinary object (its FINALIZEDBIT cleared: a finalizer runs once,
// unless the object is marked again). Swept lists are white, so during
// the sweep the object is whitened too.
GCObject* udata2finalize(global_State* g) {
  GCObject* o = ObjCursor(&g->tobefnz).unlink();
  lua_assert(tofinalize(o));
  pushobj(g->allgc, o);
  resetbit(o->marked, FINALIZEDBIT);
  if (issweepphase(g)) {
    makewhite(g, o);
    return o;
  }
  // AGES: an OLD1 object now precedes every other OLD1 object in allgc.
  if (getage(o) == G_OLD1) g->firstold1 = o;
  return o;
}

// Calls finalizer `tm` on `obj` through the `callgc` seam. The collector is
// stopped meanwhile (GCSTPGC), so a step inside the finalizer cannot
// re-enter it, and debug hooks are off. Returns the call's status.
int callfinalizer(lua_State* L, const TValue* tm, const TValue* obj) {
  global_State* g = G(L);
  const ScopedFlag nohooks(L->allowhook, 0);
  const ScopedFlag stopped(g->gcstp, static_cast<lu_byte>(g->gcstp | GCSTPGC));
  L->ci->callstatus |= CIST_FIN;
  const int status = g->seams.callgc(L, tm, obj);
  L->ci->callstatus &= static_cast<unsigned short>(~CIST_FIN);
  return status;
}

// Calls one finalizer. An error does not propagate: it becomes a warning,
// and the cycle goes on.
void GCTM(lua_State* L) {
  lua_assert(!G(L)->gcemergency);
  TValue obj;
  setgcovalue(L, &obj, udata2finalize(G(L)));
  const TValue* tm = luaT_gettmbyobj(L, &obj, TM_GC);
  if (notm(tm) || G(L)->seams.callgc == nullptr) return;
  if (callfinalizer(L, tm, &obj) == LUA_OK) [[likely]]
    return;
  luaE_warnerror(L, "__gc");
  L->top--;  // the error object
}

// Calls up to `n` pending finalizers; returns how many it called.
int runafewfinalizers(lua_State* L, int n) {
  int called = 0;
  while (called < n && G(L)->tobefnz != nullptr) {
    GCTM(L);
    called++;
  }
  return called;
}

void callallpendingfinalizers(lua_State* L) {
  while (G(L)->tobefnz != nullptr) GCTM(L);
}

// The last link of list `*p`, to append to it.
GCObject** findlast(GCObject** p) {
  ObjCursor c(p);
  while (c.get() != nullptr) c.skip();
  return c.link();
}

// Moves `*p` past `o` if it points to `o`.
void checkpointer(GCObject** p, GCObject* o) {
  if (o == *p) *p = o->next;
}

// Moves the objects of finobj that were not marked (or all of them, when
// closing) to the end of tobefnz. finobj holds the newest marks first, so
// finalizers run in the reverse order of the setmetatable calls that
// marked their objects. In generational mode objects from finobjold1 on
// are old, hence marked, and are not looked at.
void separatetobefnz(global_State* g, bool all) {
  GCObject** tail = findlast(&g->tobefnz);
  for (ObjCursor c(&g->finobj); c.get() != g->finobjold1;) {
    GCObject* o = c.get();
    lua_assert(tofinalize(o));
    const bool due = all || iswhite(o);
    if (!due) {
      c.skip();
      continue;
    }
    checkpointer(&g->finobjsur, o);
    c.unlink();
    o->next = nullptr;  // the new end of tobefnz
    *tail = o;
    tail = &o->next;
  }
}

// `o` is leaving allgc: no sublist pointer may keep pointing to it.
void correctpointers(global_State* g, GCObject* o) {
  for (GCObject** p : {&g->survival, &g->old1, &g->reallyold, &g->firstold1})
    checkpointer(p, o);
}

}  // namespace

// Only the setmetatable that finds `__gc` present marks an object: adding
// `__gc` to the metatable later has no effect, as the manual says. The
// object has to be found in allgc by a linear search; during the sweep it
// is swept first (whitened), and the sweep position moved off it.
void luaC_checkfinalizer(lua_State* L, GCObject* o, Table* mt) {
  global_State* g = G(L);
  const bool closing = (g->gcstp & GCSTPCLS) != 0;
  if (tofinalize(o) || gfasttm(g, mt, TM_GC) == nullptr || closing) return;
  if (!issweepphase(g)) {
    correctpointers(g, o);
  } else {
    makewhite(g, o);
    const bool sweepsnext = g->sweepgc == &o->next;
    if (sweepsnext) g->sweepgc = sweeptolive(L, g, g->sweepgc);
  }
  ObjCursor c(&g->allgc);
  while (c.get() != o) c.skip();
  pushobj(g->finobj, c.unlink());
  l_setbit(o->marked, FINALIZEDBIT);
}

// ---------------------------------------------------------------------------
// Generational collector
// ---------------------------------------------------------------------------

namespace {

void setpause(global_State* g);

// The pointers that split one list into generations (AGES): allgc's or
// finobj's.
struct Generations {
  GCObject*& head;
  GCObject*& survival;
  GCObject*& old1;
  GCObject*& reallyold;

  void setall(GCObject* o) const { survival = old1 = reallyold = o; }
};
Generations allgcgens(global_State* g) {
  return {g->allgc, g->survival, g->old1, g->reallyold};
}
Generations finobjgens(global_State* g) {
  return {g->finobj, g->finobjsur, g->finobjold1, g->finobjrold};
}

// The colour of an object that has just become old. Old threads must be
// revisited at every collection, so they go to grayagain; open upvalues
// stay gray as always; everything else is black.
void paintold(global_State* g, GCObject* o) {
  if (o->tt == LUA_VTHREAD) {
    linkgclist(gco2th(o), g->grayagain);
    return;
  }
  if (o->tt == LUA_VUPVAL && upisopen(gco2upv(o))) {
    set2gray(o);
    return;
  }
  nw2black(o);
}

// The sweep that enters generational mode: frees the dead and makes every
// survivor old.
void sweep2old(lua_State* L, global_State* g, GCObject** p) {
  for (ObjCursor c(p); c.get() != nullptr;) {
    GCObject* o = c.get();
    if (!iswhite(o)) {
      setage(o, G_OLD);
      paintold(g, o);
      c.skip();
      continue;
    }
    lua_assert(isdead(g, o));
    luaE_freeobj(L, c.unlink());
  }
}

// The age an object reaches after surviving a minor collection, indexed by
// its age. TOUCHED ages are advanced by correctgraylist instead, because
// touched objects are usually in old sublists that are not swept.
constexpr std::array<lu_byte, 7> nextage = {
    G_SURVIVAL,  // from G_NEW
    G_OLD1,      // from G_SURVIVAL
    G_OLD1,      // from G_OLD0
    G_OLD,       // from G_OLD1
    G_OLD,       // from G_OLD
    G_TOUCHED1,  // from G_TOUCHED1
    G_TOUCHED2,  // from G_TOUCHED2
};
// One entry per age; getage never yields 7.
static_assert(nextage.size() == G_TOUCHED2 + 1);
static_assert(G_NEW == 0 && G_SURVIVAL == 1 && G_OLD0 == 2 && G_OLD1 == 3 &&
              G_OLD == 4 && G_TOUCHED1 == 5);

// The sweep of a minor collection, from `p` up to `limit`. No object is
// created during it, so white means dead. Survivors age; new ones become
// white SURVIVALs again, older ones keep their colour. `firstold1` gets
// the first object that became OLD1, if it is still unset.
GCObject** sweepgen(lua_State* L, global_State* g, GCObject** p,
                    GCObject* limit, GCObject*& firstold1) {
  const lu_byte white = luaC_white(g);
  ObjCursor c(p);
  while (c.get() != limit) {
    GCObject* o = c.get();
    if (iswhite(o)) {
      lua_assert(!isold(o) && isdead(g, o));
      luaE_freeobj(L, c.unlink());
      continue;
    }
    const lu_byte age = getage(o);
    if (age == G_NEW)
      resetgcbits(o, G_SURVIVAL | white);
    else
      setage(o, nextage[age]);
    if (nextage[age] == G_OLD1 && firstold1 == nullptr) firstold1 = o;
    c.skip();
  }
  return c.link();
}

// The minor sweep of one list: its new and survival sublists are swept,
// and every sublist pointer moves one generation along.
void sweepyoung(lua_State* L, global_State* g, Generations gens,
                GCObject*& firstold1) {
  GCObject** survivals = sweepgen(L, g, &gens.head, gens.survival, firstold1);
  sweepgen(L, g, survivals, gens.old1, firstold1);
  gens.reallyold = gens.old1;
  gens.old1 = *survivals;     // the survivals are now old
  gens.survival = gens.head;  // and the new objects survivals
}

// Leaving generational mode: every object white and new again.
void whitelist(global_State* g, GCObject* p) {
  const lu_byte white = luaC_white(g);
  for (GCObject* o : ObjChain{p}) resetgcbits(o, white);
}

// After a minor collection, decides whether `o` stays in its gray list:
// TOUCHED1 objects become black TOUCHED2 and stay (they are checked once
// more); threads stay; white objects (young ones the sweep whitened)
// leave; everything else becomes black and old and leaves.
bool staysgray(GCObject* o) {
  if (iswhite(o)) return false;
  if (getage(o) == G_TOUCHED1) {
    lua_assert(isgray(o));
    nw2black(o);
    changeage(o, G_TOUCHED1, G_TOUCHED2);
    return true;
  }
  if (o->tt == LUA_VTHREAD) {
    lua_assert(isgray(o));
    return true;
  }
  lua_assert(isold(o));
  if (getage(o) == G_TOUCHED2) changeage(o, G_TOUCHED2, G_OLD);
  nw2black(o);
  return false;
}

// Filters one gray list with staysgray. Returns its last link, where the
// next list can be appended.
GCObject** correctgraylist(GCObject** p) {
  GrayCursor c(p);
  while (c.get() != nullptr) {
    if (staysgray(c.get()))
      c.skip();
    else
      c.unlink();
  }
  return c.link();
}

// Corrects every gray list and chains them all into grayagain.
void correctgraylists(global_State* g) {
  GCObject** tail = correctgraylist(&g->grayagain);
  for (GCObject** list : {&g->weak, &g->allweak, &g->ephemeron}) {
    *tail = std::exchange(*list, nullptr);
    tail = correctgraylist(tail);
  }
}

// At the start of a minor collection, OLD1 objects become really old. A
// black one may refer to survivals that this collection must keep, so it
// is traversed again (gray ones are already in a gray list).
void markold(global_State* g, GCObject* from, GCObject* to) {
  for (GCObject* o : ObjChain{from, to}) {
    if (getage(o) != G_OLD1) continue;
    lua_assert(!iswhite(o));
    changeage(o, G_OLD1, G_OLD);
    if (isblack(o)) reallymarkobject(g, o);
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
  if (GCObject* first = std::exchange(g->firstold1, nullptr))
    markold(g, first, g->reallyold);
  markold(g, g->finobj, g->finobjrold);
  markold(g, g->tobefnz, nullptr);
  atomic(L, g);
  g->gcstate = GCSswpallgc;
  sweepyoung(L, g, allgcgens(g), g->firstold1);
  GCObject* unused = nullptr;  // only allgc keeps a firstold1
  sweepyoung(L, g, finobjgens(g), unused);
  sweepgen(L, g, &g->tobefnz, nullptr, unused);
  finishgencycle(L, g);
}

// The collector now runs in mode `kind` (KGC_INC or KGC_GEN); a stretch
// of stepgenfull, if any, is over.
void setmode(global_State* g, lu_byte kind) {
  g->gckind = kind;
  g->lastatomic = 0;
}

// Right after a complete mark the memory in use is taken as the estimate
// of live memory (in generational mode, the base for major collections).
void estimatelive(global_State* g) {
  g->GCestimate = gettotalbytes(g);
}

// Right after an atomic step: sweeps everything into the old generation.
void atomic2gen(lua_State* L, global_State* g) {
  cleargraylists(g);
  g->gcstate = GCSswpallgc;
  for (const Generations& gens : {allgcgens(g), finobjgens(g)}) {
    sweep2old(L, g, &gens.head);
    gens.setall(gens.head);
  }
  g->firstold1 = nullptr;
  sweep2old(L, g, &g->tobefnz);
  setmode(g, KGC_GEN);
  estimatelive(g);
  finishgencycle(L, g);
}

// Entering generational mode needs a complete mark (so that weak tables
// are cleared and everything alive is known), then atomic2gen.
lu_mem entergen(lua_State* L, global_State* g) {
  luaC_runtilstate(L, statebit(GCSpause));
  luaC_runtilstate(L, statebit(GCSpropagate));
  const lu_mem marked = atomic(L, g);
  atomic2gen(L, g);
  return marked;
}

// Leaving generational mode: all white, no sublists, waiting for a cycle.
void enterinc(global_State* g) {
  for (const Generations& gens : {allgcgens(g), finobjgens(g)}) {
    whitelist(g, gens.head);
    gens.setall(nullptr);
  }
  whitelist(g, g->tobefnz);
  g->gcstate = GCSpause;
  setmode(g, KGC_INC);
}

}  // namespace

// Asking for the current mode still ends a stretch of stepgenfull.
void luaC_changemode(lua_State* L, int newmode) {
  global_State* g = G(L);
  if (newmode == g->gckind)
    g->lastatomic = 0;
  else if (newmode == KGC_GEN)
    entergen(L, g);
  else
    enterinc(g);
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
  const l_mem onepercent = static_cast<l_mem>(gettotalbytes(g) / 100);
  luaE_setdebt(g, -onepercent * g->genminormul);
}

// After a bad major collection (one that freed too little, as happens when
// a program builds a large structure), minor collections are a waste:
// every object survives. So the collector runs full incremental-mode
// marks until one of them is good, judged by the number of objects
// traversed (memory is not known before the sweep): fewer than 9/8 of the
// previous count means garbage has appeared, and generational mode
// resumes.
void stepgenfull(lua_State* L, global_State* g) {
  const lu_mem previous = g->lastatomic;
  if (g->gckind == KGC_GEN) enterinc(g);
  luaC_runtilstate(L, statebit(GCSpropagate));
  const lu_mem marked = atomic(L, g);
  if (marked < previous + previous / 8) {
    atomic2gen(L, g);
    setminordebt(g);
    return;
  }
  // Still bad: finish this cycle incrementally and stay in the stretch.
  estimatelive(g);
  entersweep(L, g);
  luaC_runtilstate(L, statebit(GCSpause));
  setpause(g);
  g->lastatomic = marked;
}

// A major collection from genstep. If it does not free at least half of
// the growth since the last one, it was bad, and the collector switches
// to stepgenfull until a good one.
void genmajor(lua_State* L, global_State* g, lu_mem base, lu_mem growth) {
  const lu_mem marked = fullgen(L, g);
  if (gettotalbytes(g) < base + growth / 2) {
    setminordebt(g);
    return;
  }
  g->lastatomic = marked;
  setpause(g);
}

// One generational step: usually a minor collection; when memory has grown
// by genmajormul % since the last major collection, a major one instead.
// A step called with no debt (an explicit step) is always minor.
void genstep(lua_State* L, global_State* g) {
  if (g->lastatomic != 0) {
    stepgenfull(L, g);
  } else {
    const lu_mem base = g->GCestimate;
    const lu_mem growth = (base / 100) * getgcparam(g->genmajormul);
    if (g->GCdebt > 0 && gettotalbytes(g) > base + growth) {
      genmajor(L, g, base, growth);
    } else {
      youngcollection(L, g);
      setminordebt(g);
      g->GCestimate = base;  // still the base of major collections
    }
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
  const l_mem pause = getgcparam(g->gcpause);
  const l_mem estimate = static_cast<l_mem>(g->GCestimate) / PAUSEADJ;
  lua_assert(estimate > 0);
  const bool fits = pause < MAX_LMEM / estimate;  // no overflow below
  const l_mem threshold = fits ? estimate * pause : MAX_LMEM;
  const l_mem total = static_cast<l_mem>(gettotalbytes(g));
  luaE_setdebt(g, std::min<l_mem>(total - threshold, 0));
}

void entersweep(lua_State* L, global_State* g) {
  g->gcstate = GCSswpallgc;
  lua_assert(g->sweepgc == nullptr);
  g->sweepgc = sweeptolive(L, g, &g->allgc);
}

// When closing: every object with a finalizer is due, and is finalized.
void finalizeall(lua_State* L, global_State* g) {
  separatetobefnz(g, true);
  callallpendingfinalizers(L);
  lua_assert(g->finobj == nullptr);  // GCSTPCLS: the finalizers marked none
}

// Frees list `head` up to `keep`, which is all the list keeps.
void freelistupto(lua_State* L, GCObject*& head, GCObject* keep) {
  deletelist(L, head, keep);
  head = keep;
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
  finalizeall(L, g);
  freelistupto(L, g->allgc, obj2gco(g->mainthread));
  freelistupto(L, g->fixedgc, nullptr);
  lua_assert(g->strt.nuse == 0);
}

namespace {

// The atomic step runs in phases, without interruption. The lists of weak
// tables as they were before resurrection, to clear only what came after.
struct WeakLists {
  GCObject* weak;
  GCObject* allweak;
};

// Phase 1: what may have changed since propagation is marked again: the
// running thread, the registry, the basic metatables, then the values of
// the open upvalues of unmarked threads (remarkupvals).
lu_mem remarkroots(lua_State* L, global_State* g) {
  markroots(g, L);
  lu_mem work = propagateall(g);
  work += remarkupvals(g);
  return work + propagateall(g);
}

// Phase 2: the objects that waited in grayagain (threads, weak tables,
// objects hit by the back barrier) are traversed again, and the
// ephemerons converge. Everything strongly reachable is then marked.
lu_mem revisitgrayagain(global_State* g, GCObject* grayagain) {
  g->gray = grayagain;
  const lu_mem work = propagateall(g);
  convergeephemerons(g);
  return work;
}

// Phase 3: weak values are cleared before finalizers are considered, so
// that a resurrected object never reappears in a weak value.
WeakLists clearweakvalues(global_State* g) {
  clearbyvalues(g, g->weak, nullptr);
  clearbyvalues(g, g->allweak, nullptr);
  return {g->weak, g->allweak};
}

// Phase 4: unmarked objects with finalizers are separated and marked
// (resurrected) with all they reach, ephemerons included.
lu_mem resurrectfinalizable(global_State* g) {
  separatetobefnz(g, false);
  lu_mem work = markbeingfnz(g);
  work += propagateall(g);
  convergeephemerons(g);
  return work;
}

// Phase 5: weak keys are cleared only now, so a finalizer still finds its
// object's entries; then the values resurrected into weak tables (the
// tables added to the lists since phase 3).
void clearweakafter(global_State* g, WeakLists before) {
  clearbykeys(g, g->ephemeron);
  clearbykeys(g, g->allweak);
  clearbyvalues(g, g->weak, before.weak);
  clearbyvalues(g, g->allweak, before.allweak);
}

// The atomic step. Returns the work done (objects traversed), which
// stepgenfull uses to judge a collection.
lu_mem atomic(lua_State* L, global_State* g) {
  GCObject* grayagain = std::exchange(g->grayagain, nullptr);
  lua_assert(g->ephemeron == nullptr && g->weak == nullptr);
  lua_assert(!iswhite(g->mainthread));
  g->gcstate = GCSatomic;
  lu_mem work = remarkroots(L, g);
  work += revisitgrayagain(g, grayagain);
  const WeakLists before = clearweakvalues(g);
  work += resurrectfinalizable(g);
  clearweakafter(g, before);
  // Phase 6: the string cache may point to white strings; then the
  // whites flip (TWOWHITES) and every unmarked object is dead.
  luaS_clearcache(g);
  g->currentwhite = otherwhite(g);
  lua_assert(g->gray == nullptr);
  return work;
}

// One step of a sweep state: sweep a batch, or move to the next list.
lu_mem sweepstep(lua_State* L, global_State* g, lu_byte nextstate,
                 GCObject** nextlist) {
  if (g->sweepgc == nullptr) {
    g->gcstate = nextstate;
    g->sweepgc = nextlist;
    return 0;
  }
  int swept = 0;
  creditfreed(
      g, [&] { g->sweepgc = sweeplist(L, g, g->sweepgc, GCSWEEPMAX, &swept); });
  return static_cast<lu_mem>(swept);
}

// GCSpropagate: one gray object, or on to the atomic step.
lu_mem propagatestep(global_State* g) {
  if (g->gray != nullptr) return propagatemark(g);
  g->gcstate = GCSenteratomic;
  return 0;
}

// GCSenteratomic: the atomic step, then the sweep, which will refine the
// estimate of live memory.
lu_mem atomicstep(lua_State* L, global_State* g) {
  const lu_mem work = atomic(L, g);
  entersweep(L, g);
  estimatelive(g);
  return work;
}

// GCScallfin: a few finalizers per step, until none is due (none at all in
// an emergency); then the cycle is over. Finalizers are ordinary code and
// may allocate, so emergency collections are allowed again.
lu_mem finalizestep(lua_State* L, global_State* g) {
  if (g->tobefnz == nullptr || g->gcemergency) {
    g->gcstate = GCSpause;
    return 0;
  }
  g->gcstopem = 0;
  return cast_sizet(runafewfinalizers(L, GCFINMAX) * GCFINALIZECOST);
}

// One transition of the state machine; returns the work done.
lu_mem dostep(lua_State* L, global_State* g) {
  switch (g->gcstate) {
    case GCSpause:
      restartcollection(g);
      g->gcstate = GCSpropagate;
      return 1;
    case GCSpropagate:
      return propagatestep(g);
    case GCSenteratomic:
      return atomicstep(L, g);
    case GCSswpallgc:
      return sweepstep(L, g, GCSswpfinobj, &g->finobj);
    case GCSswpfinobj:
      return sweepstep(L, g, GCSswptobefnz, &g->tobefnz);
    case GCSswptobefnz:
      return sweepstep(L, g, GCSswpend, nullptr);
    case GCSswpend:
      checkSizes(L, g);
      g->gcstate = GCScallfin;
      return 0;
    case GCScallfin:
      return finalizestep(L, g);
    default:
      lua_assert(false);
      return 0;
  }
}

// `gcstopem` forbids emergency collections while a step runs: the
// collector is not reentrant (finalizestep lifts it for the finalizers).
lu_mem singlestep(lua_State* L, global_State* g) {
  lua_assert(!g->gcstopem);
  const ScopedFlag noemergency(g->gcstopem, 1);
  return dostep(L, g);
}

}  // namespace

lu_mem luaC_singlestep(lua_State* L) {
  return singlestep(L, G(L));
}

GCObject** luaC_gclist(GCObject* o) {
  return getgclist(o);
}

void luaC_runtilstate(lua_State* L, int statesmask) {
  global_State* g = G(L);
  while (!testbit(static_cast<unsigned int>(statesmask), g->gcstate))
    singlestep(L, g);
}

namespace {

// An incremental step converts the debt (bytes) into units of work, scaled
// by the step multiplier, and runs single steps until it has paid the debt
// plus one step size of credit, or the cycle ends. What is left over, in
// bytes again, is the new debt: negative, so the next step waits.
void incstep(lua_State* L, global_State* g) {
  const int stepmul = getgcparam(g->gcstepmul) | 1;  // never 0
  constexpr int log2maxs = sizeof(l_mem) * 8 - 2;
  // The credit: one step size, in units; "unlimited" past the shift.
  const l_mem credit =
      g->gcstepsize <= log2maxs
          ? ((static_cast<l_mem>(1) << g->gcstepsize) / WORK2MEM) * stepmul
          : MAX_LMEM;
  l_mem units = (g->GCdebt / WORK2MEM) * stepmul;  // work still owed
  for (;;) {
    units -= static_cast<l_mem>(singlestep(L, g));
    if (g->gcstate == GCSpause) {
      setpause(g);  // the cycle ended
      return;
    }
    if (units <= -credit) break;
  }
  luaE_setdebt(g, (units / stepmul) * WORK2MEM);
}

}  // namespace

// A stopped collector does nothing: the debt keeps growing, and the first
// step after a restart pays it.
void luaC_step(lua_State* L) {
  global_State* g = G(L);
  lua_assert(!g->gcemergency);
  if (!gcrunning(g)) return;
  const auto step = isdecGCmodegen(g) ? genstep : incstep;
  step(L, g);
}

namespace {

// A full incremental cycle. If marking is under way, black objects exist:
// sweeping everything first turns them white again (with the whites not
// flipped, nothing is freed). Then one cycle from the pause to the
// finalizers; after it, the estimate is exact.
void fullinc(lua_State* L, global_State* g) {
  if (keepinvariant(g)) entersweep(L, g);
  luaC_runtilstate(L, statebit(GCSpause));
  luaC_runtilstate(L, statebit(GCScallfin));
  lua_assert(g->GCestimate == gettotalbytes(g));
  luaC_runtilstate(L, statebit(GCSpause));
  setpause(g);
}

}  // namespace

// An emergency collection (from a failed allocation) must not run
// finalizers or move memory the caller may be using; `gcemergency` says so
// to the phases. This function stays close to Lua's: it is the current
// mode's full collection with that flag set around it, and each of its
// statements is one of those two things or the precondition.
void luaC_fullgc(lua_State* L, int isemergency) {
  global_State* g = G(L);
  lua_assert(!g->gcemergency);
  const ScopedFlag emergency(g->gcemergency, static_cast<lu_byte>(isemergency));
  if (g->gckind == KGC_GEN)
    fullgen(L, g);
  else
    fullinc(L, g);
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
