/// \file
/// The heap checker: walks every object list, every gray list and every
/// reference of every object, and counts the violations of the collector's
/// invariants.
///
/// Mirrors: the memory checker of Lua 5.4's ltests.c (lua_checkmemory)
/// Book: chapter 6
///
/// Design: the checker needs to remember which objects it has seen, and no
/// Lua object may hold a std container, so it borrows TESTBIT, the bit of
/// `marked` that the collector never touches: set while an object is
/// counted, cleared before returning. Two passes use it in turn. The first
/// marks the members of the object lists (allgc, finobj, tobefnz, fixedgc):
/// an object met twice is in two lists, or a list loops (LISTS). The second
/// marks the members of the gray lists, then walks the object lists again,
/// checking each object and crossing off those that must be in a gray list
/// (GRAYLIST). Besides the invariants of lgc.hpp and lgc.cpp it checks:
///
/// - **Invariant PHASE.** During the pause (and, in incremental mode, while
///   finalizers run) every object is white; while marking, the roots are
///   not; nothing but fixed objects is gray outside the marking.
/// - **Invariant SWEPT.** During an incremental sweep, every object ahead
///   of the sweep position (created or swept since the atomic step) has the
///   current white, and only objects behind it may be dead.
/// - **Invariant FINALIZE.** FINALIZEDBIT is set exactly on the objects of
///   finobj and tobefnz, which are tables or userdata.
///
/// Differences from Lua: ltests.c asserts and stops at the first failure;
/// this checker counts and goes on, so a test can also corrupt a heap on
/// purpose and see the count. Fixed objects are old for the generational
/// rules even though chapter 2's luaC_fix leaves their age bits at zero.
#include <cstdio>
#include <iterator>

#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lstring/lstring.hpp"
#include "ltable/ltable.hpp"

namespace lua {

namespace {

struct Checker {
  global_State* g;
  void (*report)(const char* what);
  int bad = 0;
  // Counts a violation of `what` (the invariant's name and a detail).
  void fail(const char* what) {
    bad++;
    if (report != nullptr) report(what);
  }
  void expect(bool ok, const char* what) {
    if (!ok) fail(what);
  }
};

bool hastestbit(const GCObject* o) {
  return testbit(o->marked, TESTBIT);
}

// Fixed objects live in fixedgc, gray forever; Lua also gives them the age
// G_OLD, which chapter 2 does not.
bool isfixed(const GCObject* o) {
  return isgray(o) && novariant(o->tt) == LUA_TSTRING;
}
bool isoldref(const GCObject* o) {
  return isold(o) || isfixed(o);
}

// ---------------------------------------------------------------------------
// LISTS: each object in exactly one object list
// ---------------------------------------------------------------------------

// Marks the members of a list; meeting a marked one means the object is in
// two lists or the list loops, and the walk stops there.
void marklist(Checker& c, GCObject* o) {
  for (; o != nullptr; o = o->next) {
    if (hastestbit(o)) {
      c.fail("LISTS: an object in two lists, or a list that loops");
      return;
    }
    l_setbit(o->marked, TESTBIT);
  }
}

void unmarklist(GCObject* o) {
  for (; o != nullptr && hastestbit(o); o = o->next)
    resetbit(o->marked, TESTBIT);
}

void checklists(Checker& c) {
  global_State* g = c.g;
  GCObject* lists[] = {g->allgc, g->finobj, g->tobefnz, g->fixedgc};
  for (GCObject* l : lists) marklist(c, l);
  for (GCObject* l : lists) unmarklist(l);
}

// ---------------------------------------------------------------------------
// TRICOLOUR and OLDREFS: one reference from `f` to `t`
// ---------------------------------------------------------------------------

bool refok(global_State* g, const GCObject* f, const GCObject* t) {
  if (isdead(g, t)) return false;  // a dangling reference
  if (issweepphase(g)) return true;
  if (g->gckind == KGC_INC) return !(isblack(f) && iswhite(t));
  if (isblack(f) && getage(f) == G_OLD && !isoldref(t)) return false;
  if (isblack(f) && (getage(f) == G_OLD1 || getage(f) == G_TOUCHED2) &&
      getage(t) == G_NEW && !isfixed(t))
    return false;
  return true;
}

// A failed reference is reported with both ends: type tag and `marked`.
void checkref(Checker& c, const GCObject* f, const GCObject* t) {
  if (t == nullptr || refok(c.g, f, t)) return;
  char what[96];
  std::snprintf(what, sizeof what,
                "TRICOLOUR/OLDREFS: tt %d marked %02x -> tt %d marked %02x",
                f->tt, f->marked, t->tt, t->marked);
  c.fail(what);
}
void checkvalref(Checker& c, const GCObject* f, const TValue* v) {
  if (!iscollectable(v)) return;
  c.expect(gcvalue(v)->tt == withvariant(rawtt(v)), "TAG: a value's tag");
  checkref(c, f, gcvalue(v));
}

// Only non-empty entries: the key of an empty entry may name an object
// already collected, and nothing ever follows it.
void checktable(Checker& c, Table* h) {
  checkref(c, h, h->metatable);
  unsigned int asize = luaH_realasize(h);
  for (unsigned int i = 0; i < asize; i++) checkvalref(c, h, &h->array[i]);
  for (int i = 0; i < allocsizenode(h); i++) {
    Node* n = gnode(h, i);
    if (isempty(gval(n))) continue;
    TValue k;
    getnodekey(nullptr, &k, n);
    c.expect(!keyisnil(n) && !keyisdead(n), "a non-empty entry with no key");
    checkvalref(c, h, &k);
    checkvalref(c, h, gval(n));
  }
}

void checkudata(Checker& c, Udata* u) {
  checkref(c, u, u->metatable);
  for (int i = 0; i < u->nuvalue; i++) checkvalref(c, u, &u->uv()[i].uv);
}

void checkproto(Checker& c, Proto* f) {
  checkref(c, f, f->source);
  for (int i = 0; i < f->sizek; i++) checkvalref(c, f, &f->k[i]);
  for (int i = 0; i < f->sizeupvalues; i++) checkref(c, f, f->upvalues[i].name);
  for (int i = 0; i < f->sizep; i++) checkref(c, f, f->p[i]);
  for (int i = 0; i < f->sizelocvars; i++)
    checkref(c, f, f->locvars[i].varname);
}

void checkLclosure(Checker& c, LClosure* cl) {
  checkref(c, cl, cl->p);
  for (int i = 0; i < cl->nupvalues; i++) checkref(c, cl, cl->upvals()[i]);
}

void checkCclosure(Checker& c, CClosure* cl) {
  for (int i = 0; i < cl->nupvalues; i++) checkvalref(c, cl, &cl->upvalue()[i]);
}

// A thread has no barrier, so TRICOLOUR says nothing about its stack (a
// young thread that survived two minor collections is black and old, and
// the next minor collection traverses it again). What must hold is
// liveness: the whole stack, not only up to `top`, because the atomic step
// clears the dead part, so no slot may ever name a dead object. Open
// upvalues must be open and lie in this stack.
void checkstack(Checker& c, lua_State* th) {
  if (th->stack == nullptr) return;  // not completely built
  c.expect(th->top <= th->stack_last, "a thread's top");
  for (UpVal* uv = th->openupval; uv != nullptr; uv = uv->u.open.next)
    c.expect(upisopen(uv) && uplevel(uv) >= th->stack &&
                 uplevel(uv) < th->stack_last,
             "an open upvalue outside its stack");
  for (StkId o = th->stack; o < th->stack_last; o++) {
    const TValue* v = s2v(o);
    if (!iscollectable(v)) continue;
    c.expect(gcvalue(v)->tt == withvariant(rawtt(v)), "TAG: a value's tag");
    c.expect(!isdead(c.g, gcvalue(v)), "a stack slot naming a dead object");
  }
}

void checkrefs(Checker& c, GCObject* o) {
  switch (o->tt) {
    case LUA_VTABLE:
      checktable(c, gco2t(o));
      break;
    case LUA_VUSERDATA:
      checkudata(c, gco2u(o));
      break;
    case LUA_VUPVAL:
      checkvalref(c, o, gco2upv(o)->v);
      break;
    case LUA_VTHREAD:
      checkstack(c, gco2th(o));
      break;
    case LUA_VLCL:
      checkLclosure(c, gco2lcl(o));
      break;
    case LUA_VCCL:
      checkCclosure(c, gco2ccl(o));
      break;
    case LUA_VPROTO:
      checkproto(c, gco2p(o));
      break;
    case LUA_VSHRSTR:
    case LUA_VLNGSTR:
      c.expect(!isgray(o), "PHASE: a gray string");
      break;
    default:
      c.fail("not a collectable type");
  }
}

// ---------------------------------------------------------------------------
// One object: PHASE, ages, GRAYLIST
// ---------------------------------------------------------------------------

// Everything about one object of an object list. `maybedead`: the list is
// being swept and the object is behind the sweep position. `listage`: the
// youngest age its generational sublist allows.
void checkobject(Checker& c, GCObject* o, bool maybedead, lu_byte listage) {
  global_State* g = c.g;
  if (isdead(g, o)) {
    c.expect(maybedead, "TWOWHITES/SWEPT: a dead object");
    return;  // its references may already be freed
  }
  if (g->gcstate == GCSpause) c.expect(iswhite(o), "PHASE: not white in pause");
  if (g->gckind == KGC_INC) {
    c.expect(getage(o) == G_NEW, "AGES: an age in incremental mode");
    if (!keepinvariant(g) && !issweepphase(g))
      c.expect(iswhite(o), "PHASE: not white after the sweep");
  } else {
    c.expect(getage(o) >= listage, "AGES: too young for its sublist");
    c.expect(!(iswhite(o) && isold(o)), "AGES: a white old object");
    if (isold(o))
      c.expect(isblack(o) || getage(o) == G_TOUCHED1 || getage(o) == G_OLD0 ||
                   o->tt == LUA_VTHREAD ||
                   (o->tt == LUA_VUPVAL && upisopen(gco2upv(o))),
               "AGES: an old object that is not black");
  }
  checkrefs(c, o);
}

// Gray objects (and black TOUCHED2 ones) must be in a gray list, whose
// members the gray pass marked. Only open upvalues are gray outside the
// lists.
void checkingray(Checker& c, GCObject* o, lu_mem& should) {
  if (!keepinvariant(c.g)) return;  // gray lists mean nothing then
  if (o->tt == LUA_VUPVAL) {
    c.expect(!isgray(o) || upisopen(gco2upv(o)),
             "GRAYLIST: a gray closed upvalue");
    return;
  }
  if (isgray(o) || getage(o) == G_TOUCHED2) {
    should++;
    c.expect(hastestbit(o), "GRAYLIST: a gray object in no gray list");
    resetbit(o->marked, TESTBIT);
  }
}

// The next member of a gray list after `o`.
GCObject* graynext(GCObject* o) {
  return *luaC_gclist(o);
}

// Marks the members of one gray list and returns how many there are
// before the end, a member of another gray list or a loop.
lu_mem checkgraylist(Checker& c, GCObject* o, bool onlytables) {
  lu_mem total = 0;
  for (; o != nullptr; o = graynext(o)) {
    if (hastestbit(o)) {
      c.fail("GRAYLIST: in two gray lists, or a gray list that loops");
      break;
    }
    if (luaC_gclist(o) == nullptr) {
      c.fail("GRAYLIST: a type that cannot be in a gray list");
      break;
    }
    c.expect(isgray(o) != (getage(o) == G_TOUCHED2),
             "GRAYLIST: a member that is neither gray nor TOUCHED2");
    c.expect(!onlytables || o->tt == LUA_VTABLE,
             "GRAYLIST: a weak list holding a non-table");
    l_setbit(o->marked, TESTBIT);
    total++;
  }
  return total;
}

// The gray lists, their heads and (after checkgrays) their member counts.
struct GrayLists {
  GCObject* heads[5];
  lu_mem counts[5] = {0, 0, 0, 0, 0};
};

GrayLists graylists(global_State* g) {
  return GrayLists{{g->gray, g->grayagain, g->weak, g->allweak, g->ephemeron}};
}

// Marks every gray-list member (while marking: the lists mean nothing in
// other phases) and returns their number. Only tables can be weak.
lu_mem checkgrays(Checker& c, GrayLists& gl) {
  if (!keepinvariant(c.g)) return 0;
  lu_mem total = 0;
  for (int i = 0; i < 5; i++) {
    gl.counts[i] = checkgraylist(c, gl.heads[i], i >= 2);
    total += gl.counts[i];
  }
  return total;
}

// Members that the object walk did not cross off (an object in a gray list
// but in no object list) keep their TESTBIT: clear it, walking each list
// only as far as checkgrays counted.
void unmarkgrays(GrayLists& gl) {
  for (int i = 0; i < 5; i++) {
    GCObject* o = gl.heads[i];
    for (lu_mem k = 0; k < gl.counts[i]; k++, o = graynext(o))
      resetbit(o->marked, TESTBIT);
  }
}

// ---------------------------------------------------------------------------
// The object lists, with their generational sublists and sweep positions
// ---------------------------------------------------------------------------

// A list with sublist boundaries `survival`, `old1` and `reallyold` (all
// null in incremental mode), being swept from `sweep` on when `sweep` is
// not null (a link inside the list). `tof`: members must have
// FINALIZEDBIT.
struct ListSpec {
  GCObject** head;
  GCObject* survival;
  GCObject* old1;
  GCObject* reallyold;
  GCObject** sweep;
  bool swept;  // the sweep of this list is over
  bool tof;
};

// The youngest age allowed at each position, advancing as the boundaries
// are met. A boundary never met means a sublist pointer outside the list.
struct AgeCursor {
  GCObject* bounds[3];
  lu_byte ages[4] = {G_NEW, G_SURVIVAL, G_OLD1, G_OLD};
  int next = 0;
  lu_byte at(GCObject* o) {
    while (next < 3 && o == bounds[next]) next++;
    return ages[next];
  }
  bool finished() {
    while (next < 3 && bounds[next] == nullptr) next++;
    return next == 3;
  }
};

lu_mem checklist(Checker& c, const ListSpec& s, bool gen) {
  global_State* g = c.g;
  lu_mem should = 0;
  AgeCursor ages{{s.survival, s.old1, s.reallyold}};
  bool ahead = s.sweep != nullptr || s.swept;  // ahead of the sweep position
  bool metsweep = s.sweep == nullptr || s.sweep == s.head;
  if (s.sweep == s.head) ahead = false;
  for (GCObject* o = *s.head; o != nullptr; o = o->next) {
    lu_byte listage = gen ? ages.at(o) : G_NEW;
    if (ahead)
      c.expect(iswhite(o) && !isdead(g, o),
               "SWEPT: not white ahead of the sweep");
    checkobject(c, o, s.sweep != nullptr && !ahead, listage);
    checkingray(c, o, should);
    c.expect(tofinalize(o) == s.tof,
             "FINALIZE: FINALIZEDBIT and the list disagree");
    if (s.tof)
      c.expect(o->tt == LUA_VTABLE || o->tt == LUA_VUSERDATA,
               "FINALIZE: neither a table nor a userdata");
    if (s.sweep == &o->next) {
      ahead = false;
      metsweep = true;
    }
  }
  c.expect(metsweep, "SWEPT: the sweep position is not in its list");
  if (gen)
    c.expect(ages.finished(), "AGES: a sublist pointer outside its list");
  return should;
}

// AGES for firstold1: no OLD1 object of allgc before reallyold comes
// before it.
void checkfirstold1(Checker& c) {
  global_State* g = c.g;
  bool met = g->firstold1 == nullptr;
  for (GCObject* o = g->allgc; o != g->reallyold && o != nullptr; o = o->next) {
    if (o == g->firstold1) met = true;
    if (getage(o) == G_OLD1)
      c.expect(met, "AGES: an OLD1 object before firstold1");
  }
}

// The list being swept, and whether each list's sweep is over.
lu_mem checkalllists(Checker& c) {
  global_State* g = c.g;
  bool gen = g->gckind == KGC_GEN;
  bool inc = !gen;
  lu_byte st = g->gcstate;
  GCObject** sw = g->sweepgc;
  ListSpec allgc{&g->allgc,
                 g->survival,
                 g->old1,
                 g->reallyold,
                 (inc && st == GCSswpallgc) ? sw : nullptr,
                 inc && st > GCSswpallgc && st <= GCSswpend,
                 false};
  ListSpec finobj{&g->finobj,
                  g->finobjsur,
                  g->finobjold1,
                  g->finobjrold,
                  (inc && st == GCSswpfinobj) ? sw : nullptr,
                  inc && st > GCSswpfinobj && st <= GCSswpend,
                  true};
  ListSpec tobefnz{&g->tobefnz,
                   nullptr,
                   nullptr,
                   nullptr,
                   (inc && st == GCSswptobefnz) ? sw : nullptr,
                   inc && st > GCSswptobefnz && st <= GCSswpend,
                   true};
  // A sweep position of null means "that list is finished".
  if (allgc.sweep == nullptr && inc && st == GCSswpallgc) allgc.swept = true;
  if (finobj.sweep == nullptr && inc && st == GCSswpfinobj) finobj.swept = true;
  if (tobefnz.sweep == nullptr && inc && st == GCSswptobefnz)
    tobefnz.swept = true;
  lu_mem should = checklist(c, allgc, gen) + checklist(c, finobj, gen) +
                  checklist(c, tobefnz, false);
  if (gen) checkfirstold1(c);
  return should;
}

void checkfixed(Checker& c) {
  for (GCObject* o = c.g->fixedgc; o != nullptr; o = o->next)
    c.expect(o->tt == LUA_VSHRSTR && isgray(o), "LISTS: a bad fixed object");
}

// Roots and global fields.
void checkglobals(Checker& c) {
  global_State* g = c.g;
  if (keepinvariant(g)) {
    c.expect(!iswhite(g->mainthread), "PHASE: a white main thread");
    if (iscollectable(&g->l_registry))
      c.expect(!iswhite(gcvalue(&g->l_registry)), "PHASE: a white registry");
  }
  if (iscollectable(&g->l_registry))
    c.expect(!isdead(g, gcvalue(&g->l_registry)), "PHASE: a dead registry");
  c.expect(g->sweepgc == nullptr || issweepphase(g),
           "SWEPT: a sweep position outside the sweep");
  c.expect(g->gcstate <= GCSpause && g->gcstate != GCSatomic,
           "PHASE: a state never seen between steps");
  if (g->gckind == KGC_INC) {
    c.expect(g->survival == nullptr && g->old1 == nullptr &&
                 g->reallyold == nullptr && g->finobjsur == nullptr &&
                 g->finobjold1 == nullptr && g->finobjrold == nullptr,
             "AGES: sublists in incremental mode");
  } else {
    c.expect(g->gcstate == GCSpropagate,
             "PHASE: generational mode outside GCSpropagate");
  }
}

}  // namespace

int check_heap(global_State* g, void (*report)(const char* what)) {
  Checker c{g, report};
  checkglobals(c);
  checklists(c);
  checkfixed(c);
  GrayLists gl = graylists(g);
  lu_mem in = checkgrays(c, gl);
  lu_mem should = checkalllists(c);
  unmarkgrays(gl);
  if (keepinvariant(g))
    c.expect(in == should, "GRAYLIST: gray lists and gray objects disagree");
  int strt = check_invariants(g);  // the string table (chapter 3)
  for (int i = 0; i < strt; i++) c.fail("the string table (chapter 3)");
  return c.bad;
}

const char* luaC_statename(lu_byte state) {
  static constexpr const char* names[] = {
      "propagate",    "enteratomic", "atomic",  "sweepallgc", "sweepfinobj",
      "sweeptobefnz", "sweepend",    "callfin", "pause"};
  static_assert(std::size(names) == GCSpause + 1);
  return state <= GCSpause ? names[state] : "?";
}

const char* luaC_agename(lu_byte age) {
  static constexpr const char* names[] = {"new", "survival", "old0",    "old1",
                                          "old", "touched1", "touched2"};
  static_assert(std::size(names) == G_TOUCHED2 + 1);
  return age <= G_TOUCHED2 ? names[age] : "?";
}

const char* luaC_colourname(const global_State* g, const GCObject* o) {
  if (isdead(g, o)) return "dead";
  if (iswhite(o)) return "white";
  return isblack(o) ? "black" : "gray";
}

}  // namespace lua
