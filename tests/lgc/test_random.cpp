// Chapter 6: randomized object graphs. Each seed builds a graph of every
// kind of object (tables, weak tables of each mode, strings, userdata with
// user values, C and Lua closures with upvalues, prototypes, threads with
// open upvalues, objects with finalizers), hangs it from the registry and
// the stack, and then interleaves random mutations (each with the barrier
// the VM would use) with collector work: single steps, luaC_step with
// small debts and step sizes, luaC_checkGC, full and emergency
// collections, and switches between incremental and generational mode.
//
// After every action the heap checker must find nothing. Around every
// collector action, with the reachability computed here (support.hpp):
// - every strongly reachable object survives it;
// - no weak entry whose weak part is strongly reachable is removed;
// - no reference reachable from the roots names a freed object;
// - the objects that were unreachable when a cycle started (and are not
//   kept by a finalizer) are freed once a whole cycle has run.
// At the end every object marked for finalization has had exactly one
// finalizer call, and closing the state gives back every byte.
//
// The seeds are fixed and printed; odd seeds start in generational mode.
// A run replays exactly: the hash seed is fixed and the test allocator
// hands out the same addresses every time (Lua hashes objects used as keys
// by address). To explore: LGC_SEEDS (how many seeds), LGC_SEED (just
// one), LGC_ACTIONS (actions per seed), LGC_ARENA (move the allocator's
// addresses) and LGC_TRACE (print every action, and the path to any object
// lost or kept wrongly).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tests/lgc/support.hpp"

using namespace lgctest;

namespace {

// A stack slot of the main thread kept across reallocations.
struct Slot {
  std::ptrdiff_t off;
  StkId at(lua_State* L) const { return restorestack(L, off); }
};

// One weak entry to be watched across a collector action: it must still
// hold `key` -> `val` afterwards.
struct WeakEntry {
  Table* t;
  bool array;
  int index;
  TValue key;
  TValue val;
};

enum MtKind { MT_K, MT_V, MT_KV, MT_FIN, MT_KFIN, MT_VFIN, MT_KVFIN, MT_N };

struct World {
  GCState& s;
  lua_State* L;
  std::mt19937_64 rng;
  Table* root = nullptr;  // registry.world: the graph hangs from it
  Table* mts[MT_N] = {};
  TString* keys[6] = {};  // permanent string keys
  Finalizer fin;
  std::vector<Slot> stackroots;
  int nstrings = 0;
  std::unordered_set<Id, IdHash> marked;  // marked for finalization
  // The liveness snapshot: garbage at the start of a cycle.
  std::vector<Id> garbage;
  bool havesnap = false;
  bool leftpause = false;
  int emergencies0 = 0;
  long actions = 0, gcactions = 0, mutations = 0, cycleschecked = 0;
  // The objects of the set-up (registry tables, metatables, keys): they
  // must live until the end, so they never get a metatable themselves.
  std::vector<Id> permanent;
  std::unordered_set<GCObject*> fixedset;
  bool trace = std::getenv("LGC_TRACE") != nullptr;

  World(GCState& st, std::uint64_t seed) : s(st), L(st.L), rng(seed) {}

  int rand(int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); }
  bool chance(int percent) { return rand(100) < percent; }
  global_State* g() { return G(L); }

  void setup();
  void check();
  // Picking objects.
  ObjSet strong() { return reach(g(), roots(g()), false); }
  ObjSet everything() { return reach(g(), roots(g()), true); }
  template <class Pred>
  GCObject* pick(const ObjSet& set, Pred pred);
  TValue newvalue(const ObjSet& strongset, const ObjSet& all);
  GCObject* newobject();
  TValue anykey(const ObjSet& strongset);
  // Actions.
  void mutate();
  void collect();
  void snapshot();
  void checksnapshot(bool fullcycle);
  void finish();
};

bool iscontainer(GCObject* o) {
  switch (o->tt) {
    case LUA_VTABLE:
      return true;
    case LUA_VUSERDATA:
      return gco2u(o)->nuvalue > 0;
    case LUA_VCCL:
      return gco2ccl(o)->nupvalues > 0;
    case LUA_VLCL:
      return gco2lcl(o)->nupvalues > 0;
    case LUA_VTHREAD:
      return true;
    default:
      return false;
  }
}
bool hasnomt(GCObject* o) {
  if (o->tt == LUA_VTABLE) return gco2t(o)->metatable == nullptr;
  if (o->tt == LUA_VUSERDATA) return gco2u(o)->metatable == nullptr;
  return false;
}
bool isany(GCObject* o) {
  return o->tt != LUA_VPROTO && o->tt != LUA_VUPVAL;
}

void World::setup() {
  // Permanent objects: the metatables (and their `__mode` strings) and
  // the string keys, all reachable from the registry.
  static const char* const modes[MT_N] = {"k", "v", "kv", nullptr,
                                          "k", "v", "kv"};
  fin.run = [](lua_State*, GCObject*) { return LUA_OK; };
  Table* keep = roottable(L, "permanent");
  for (int i = 0; i < MT_N; i++) {
    bool withfin = i >= MT_FIN;
    mts[i] = newmetatable(L, modes[i], withfin ? &fin : nullptr);
    rawseti(L, keep, i + 1, objv(L, mts[i]));
    pop(L);
  }
  for (int i = 0; i < 6; i++) {
    keys[i] = newstring(L, "k" + std::to_string(i + 1));
    rawseti(L, keep, 100 + i, objv(L, keys[i]));
    pop(L);
  }
  root = roottable(L, "world");
  std::vector<GCObject*> setup{keep, root, gcvalue(&g()->l_registry)};
  for (Table* mt : mts) setup.push_back(mt);
  for (TString* k : keys) setup.push_back(k);
  for (GCObject* o : setup) {
    permanent.push_back(s.id(o));
    fixedset.insert(o);
  }
  luaD_checkstack(L, 8);
  for (int i = 0; i < 8; i++) {
    stackroots.push_back(Slot{savestack(L, L->top)});
    setnilvalue(s2v(L->top));
    L->top++;
  }
  // Collector parameters that make incremental steps small.
  g()->gcstepsize = static_cast<lu_byte>(rand(9));
  g()->gcstepmul = setgcparam(100 + 50 * rand(8));
  g()->gcpause = setgcparam(100 + 25 * rand(8));
}

template <class Pred>
GCObject* World::pick(const ObjSet& set, Pred pred) {
  std::vector<GCObject*> v;
  for (GCObject* o : set)
    if (pred(o)) v.push_back(o);
  if (v.empty()) return nullptr;
  // Sets iterate in an order that depends on addresses: sort by serial so
  // that a seed always picks the same objects.
  std::sort(v.begin(), v.end(), [&](GCObject* a, GCObject* b) {
    return s.id(a).serial < s.id(b).serial;
  });
  return v[static_cast<std::size_t>(rand(static_cast<int>(v.size())))];
}

// A new object of a random kind, left on top of the stack.
GCObject* World::newobject() {
  int k = rand(100);
  if (k < 40) return newtable(L);
  if (k < 55) {
    std::string str = "str" + std::to_string(++nstrings);
    if (chance(30)) str += std::string(50, 'x');  // a long string
    return newstring(L, str);
  }
  if (k < 70) {
    Udata* u = newudata(L, 16, rand(3));
    std::memset(getudatamem(u), 0x5a, 16);
    return u;
  }
  if (k < 80) return newcclosure(L, 1 + rand(2));
  if (k < 95) {
    LClosure* cl = newlclosure(L, 1 + rand(2));
    Proto* p = cl->p;
    TString* src = newstring(L, "=src" + std::to_string(++nstrings));
    p->source = src;
    luaC_objbarrier(L, p, src);
    pop(L);
    return cl;
  }
  // A thread with two values on its stack and a closure whose upvalue is
  // open on that stack; the thread is left on top, the closure in its
  // stack.
  lua_State* th = luaE_newthread(L);
  push(th, intv(1));
  push(th, nilv());
  LClosure* cl = luaF_newLclosure(th, 1);
  pushobj(th, cl);
  Proto* p = luaF_newproto(th);
  cl->p = p;
  luaC_objbarrier(th, cl, p);
  cl->upvals()[0] = luaF_findupval(th, th->top - 2);
  luaC_objbarrier(th, cl, cl->upvals()[0]);
  return th;
}

TValue World::anykey(const ObjSet& strongset) {
  int k = rand(100);
  if (k < 40) return intv(1 + rand(6));
  if (k < 70) return objv(L, keys[rand(6)]);
  if (k < 80) {
    TValue v;
    setfltvalue(&v, 0.5 + rand(4));
    return v;
  }
  GCObject* o = pick(strongset, isany);
  return o != nullptr ? objv(L, o) : intv(1);
}

// A value to store: nil, a number, a new object (pushed, so the caller
// pops one more slot) or an existing one, usually strongly reachable.
TValue World::newvalue(const ObjSet& strongset, const ObjSet& all) {
  int k = rand(100);
  if (k < 25) return nilv();
  if (k < 35) return intv(rand(1000));
  if (k < 55) return objv(L, newobject());
  if (k < 58) {  // read a weak table: the object becomes strong again
    ObjSet weakonly;
    for (GCObject* o : all)
      if (strongset.count(o) == 0) weakonly.insert(o);
    GCObject* o = pick(weakonly, isany);
    if (o != nullptr) {
      havesnap = false;  // the snapshot assumed nobody would do this
      return objv(L, o);
    }
  }
  GCObject* o = pick(strongset, isany);
  return o != nullptr ? objv(L, o) : nilv();
}

void World::mutate() {
  mutations++;
  ObjSet st = strong();
  ObjSet all = everything();
  StkId top0 = L->top;
  std::ptrdiff_t top0off = savestack(L, top0);
  // Too many objects: mostly store nils, so the graph stays small.
  bool crowded = all.size() > 300;
  int what = rand(100);
  if (trace)
    std::fprintf(stderr, "%ld: mutate %d (%s)\n", actions, what,
                 luaC_statename(g()->gcstate));
  if (what < 10) {  // a stack root
    TValue v = crowded ? nilv() : newvalue(st, all);
    setobj2s(L, stackroots[static_cast<std::size_t>(rand(8))].at(L), &v);
  } else if (what < 15) {  // a metatable for an object that has none
    GCObject* o =
        pick(st, [&](GCObject* x) { return hasnomt(x) && !fixedset.count(x); });
    if (o != nullptr) {
      int kind = rand(MT_N);
      if (o->tt == LUA_VUSERDATA && kind < MT_FIN) kind = MT_FIN;
      setmetatable(L, o, mts[kind]);
      if (tofinalize(o)) marked.insert(s.id(o));
    }
  } else if (what < 18) {  // share an upvalue between Lua closures
    auto islcl = [](GCObject* o) { return o->tt == LUA_VLCL; };
    GCObject* a = pick(st, islcl);
    GCObject* b = pick(st, islcl);
    if (a != nullptr && b != nullptr)
      joinupvalue(L, gco2lcl(a), 0, gco2lcl(b), 0);
  } else if (what < 20) {  // close the upvalues of a thread
    auto isth = [](GCObject* o) { return o->tt == LUA_VTHREAD; };
    GCObject* o = pick(st, isth);
    if (o != nullptr && gco2th(o) != g()->mainthread)
      luaF_closeupval(gco2th(o), gco2th(o)->stack + 1);
  } else {  // a store into a container
    GCObject* c = pick(all, [&](GCObject* x) {
      return iscontainer(x) && (x == root || !fixedset.count(x));
    });
    if (c == nullptr) c = root;
    if (st.count(c) == 0) havesnap = false;  // reading a weak table
    pushobj(L, c);  // anchors the container (it may be weakly held)
    TValue v = crowded ? nilv() : newvalue(st, all);
    push(L, v);  // anchors the value
    switch (c->tt) {
      case LUA_VTABLE: {
        TValue k = anykey(st);
        push(L, k);
        rawset(L, gco2t(c), k, v);
        break;
      }
      case LUA_VUSERDATA:
        setuservalue(L, gco2u(c), rand(gco2u(c)->nuvalue), v);
        break;
      case LUA_VCCL:
        setcupvalue(L, gco2ccl(c), rand(gco2ccl(c)->nupvalues), v);
        break;
      case LUA_VLCL:
        setlupvalue(L, gco2lcl(c), rand(gco2lcl(c)->nupvalues), v);
        break;
      case LUA_VTHREAD: {  // a stack write: threads have no barrier
        lua_State* th = gco2th(c);
        if (th != g()->mainthread && th->top - th->stack > 1)
          setobj2s(th, th->stack + 1 + rand(cast_int(th->top - th->stack) - 1),
                   &v);
        break;
      }
    }
  }
  L->top = restorestack(L, top0off);
}

// Records the weak entries that must survive a collector action: those
// whose weak parts are strongly reachable, strings, or not objects.
std::vector<WeakEntry> watchweak(global_State* g, const ObjSet& st) {
  std::vector<WeakEntry> out;
  auto safe = [&](const TValue* v) {
    return !iscollectable(v) || ttisstring(v) || st.count(gcvalue(v)) != 0;
  };
  for (GCObject* o : st) {
    if (o->tt != LUA_VTABLE) continue;
    Table* t = gco2t(o);
    bool wk, wv;
    weakmode(g, t, wk, wv);
    if (!wk && !wv) continue;
    for (unsigned i = 0; i < luaH_realasize(t); i++)
      if (!isempty(&t->array[i]) && (!wv || safe(&t->array[i])))
        out.push_back({t, true, static_cast<int>(i), intv(0), t->array[i]});
    for (int i = 0; i < allocsizenode(t); i++) {
      Node* n = gnode(t, i);
      if (isempty(gval(n))) continue;
      TValue k;
      getnodekey(nullptr, &k, n);
      if ((!wk || safe(&k)) && (!wv || safe(gval(n))))
        out.push_back({t, false, i, k, *gval(n)});
    }
  }
  return out;
}

bool samevalue(const TValue* a, const TValue* b) {
  return rawtt(a) == rawtt(b) &&
         (rawtt(a) == LUA_VNIL ||
          std::memcmp(&a->value_, &b->value_, sizeof(Value)) == 0 ||
          ttisboolean(a));
}

// Every object reachable through any reference must be alive: a check
// made before touching each object, so a dangling reference is reported
// rather than followed.
bool nodangling(GCState& s) {
  global_State* g = s.g();
  std::vector<GCObject*> work = roots(g);
  ObjSet seen(work.begin(), work.end());
  while (!work.empty()) {
    GCObject* o = work.back();
    work.pop_back();
    if (!s.islive(o) && o != g->mainthread) return false;
    for (const Edge& e : refs(g, o))
      if (seen.insert(e.to).second) work.push_back(e.to);
  }
  return true;
}

// For LGC_TRACE reports: each object reachable from the roots (strongly,
// in the strict sense, or through anything with `weak`), described with
// the chain of objects that reaches it: type tag, `marked`, and how each
// refers to the next.
std::unordered_map<const GCObject*, std::string> paths(global_State* g,
                                                       bool strict) {
  std::unordered_map<const GCObject*, std::string> out;
  std::vector<GCObject*> work = roots(g, false);
  for (GCObject* r : work) out[r] = " (root)";
  for (std::size_t i = 0; i < work.size(); i++) {
    GCObject* o = work[i];
    for (const Edge& e : refs(g, o, strict)) {
      if (out.count(e.to) != 0) continue;
      if (strict && e.kind != Ref::Strong) continue;
      char d[80];
      std::snprintf(d, sizeof d, " %p tt %d marked %02x <-%d-", (void*)e.to,
                    e.to->tt, e.to->marked, static_cast<int>(e.kind));
      out[e.to] = d + out[o];
      work.push_back(e.to);
    }
  }
  return out;
}

void World::snapshot() {
  ObjSet st = strong();
  std::vector<GCObject*> finobjs;
  for (GCObject* o = g()->finobj; o != nullptr; o = o->next)
    if (st.count(o) == 0) finobjs.push_back(o);
  // What their finalization resurrects: marking them marks what they
  // reach, including ephemeron values of already marked tables whose keys
  // they reach (so from roots and them together), and, to be generous,
  // anything they reach through weak references too.
  std::vector<GCObject*> from = roots(g());
  from.insert(from.end(), finobjs.begin(), finobjs.end());
  ObjSet kept = reach(g(), from, false);
  for (GCObject* o : reach(g(), finobjs, true)) kept.insert(o);
  garbage.clear();
  for (GCObject* o : allobjects(g()))
    if (kept.count(o) == 0) garbage.push_back(s.id(o));
  havesnap = true;
  leftpause = false;
  emergencies0 = s.emergencies;
}

// A whole cycle has run since the snapshot if the action was a full
// collection, an emergency collection ran, or the collector has left the
// pause and reached the end of its sweep.
void World::checksnapshot(bool fullcycle) {
  if (!havesnap) return;
  bool cycle =
      fullcycle || s.emergencies != emergencies0 ||
      (leftpause && (g()->gcstate == GCSpause || g()->gcstate == GCScallfin));
  if (!cycle) return;
  for (const Id& id : garbage) {
    if (trace && s.alive(id))
      std::fprintf(
          stderr, "  survivor%s\n",
          paths(g(), false)[static_cast<const GCObject*>(id.p)].c_str());
    REQUIRE_FALSE(s.alive(id));
  }
  cycleschecked++;
  havesnap = false;
}

void World::collect() {
  gcactions++;
  // What must survive: strongly reachable without counting the objects
  // whose finalizers are due, since the action may run those finalizers.
  ObjSet st = reach(g(), roots(g(), false), false, true);
  std::vector<Id> keep;
  for (GCObject* o : st)
    if (o != g()->mainthread) keep.push_back(s.id(o));
  // Described before the action, for a report on what it loses.
  std::unordered_map<const GCObject*, std::string> before;
  if (trace) before = paths(g(), true);
  std::vector<WeakEntry> weak = watchweak(g(), st);
  bool inc = g()->gckind == KGC_INC && g()->lastatomic == 0;
  if (g()->gcstate == GCSpause && inc && !havesnap) snapshot();
  bool fullcycle = false;  // the action surely ran a whole cycle
  int what = rand(100);
  if (trace)
    std::fprintf(stderr, "%ld: collect %d (%s, kind %d)\n", actions, what,
                 luaC_statename(g()->gcstate), g()->gckind);
  if (what < 45 && inc) {
    int n = 1 + rand(20);
    for (int i = 0; i < n; i++) luaC_singlestep(L);
  } else if (what < 70) {
    luaE_setdebt(g(), 1 + rand(4000));
    luaC_step(L);
  } else if (what < 85) {
    luaC_checkGC(L);
  } else if (what < 93) {
    if (!havesnap) snapshot();
    luaC_fullgc(L, rand(2));
    fullcycle = true;
  } else if (what < 97) {
    if (!havesnap) snapshot();
    luaC_changemode(L, g()->gckind == KGC_INC ? KGC_GEN : KGC_INC);
    fullcycle = g()->gckind == KGC_GEN;  // entering runs a whole cycle
  } else {
    luaC_step(L);  // whatever the debt says
  }
  if (g()->gcstate != GCSpause) leftpause = true;
  for (const Id& id : keep) {
    if (trace && !s.alive(id))
      std::fprintf(stderr, "  lost%s\n",
                   before[static_cast<const GCObject*>(id.p)].c_str());
    REQUIRE(s.alive(id));
  }
  for (const WeakEntry& e : weak) {
    const TValue* v =
        e.array ? &e.t->array[e.index] : gval(gnode(e.t, e.index));
    REQUIRE(samevalue(v, &e.val));
    if (!e.array) {
      TValue k;
      getnodekey(nullptr, &k, gnode(e.t, e.index));
      REQUIRE(samevalue(&k, &e.key));
    }
  }
  REQUIRE(nodangling(s));
  checksnapshot(fullcycle);
}

void World::check() {
  for (const Id& id : permanent) REQUIRE(s.alive(id));
  int bad = check_heap(
      g(), [](const char* what) { std::printf("  check_heap: %s\n", what); });
  if (bad != 0)
    FAIL("check_heap: " << bad << " violations in state "
                        << luaC_statename(g()->gcstate) << " kind "
                        << int(g()->gckind) << " after action " << actions);
}

// Drops every root, collects until nothing of the graph is left, checks
// the finalizer calls and closes.
void World::finish() {
  for (Slot& sl : stackroots) setnilvalue(s2v(sl.at(L)));
  Id rootid = s.id(root);
  droproot(L, "world");
  for (int i = 0; i < 4; i++) luaC_fullgc(L, 0);
  std::erase(permanent, rootid);  // dropped above: now garbage
  check();
  REQUIRE(g()->tobefnz == nullptr);
  // What is left besides the permanent objects: nothing of the world.
  ObjSet st = strong();
  for (GCObject* o : allobjects(g())) REQUIRE(st.count(o) != 0);
  REQUIRE(s.close() == 0);
  std::unordered_map<Id, int, IdHash> calls;
  for (const Id& id : s.finalized) calls[id]++;
  for (const Id& id : marked) REQUIRE(calls[id] == 1);
  for (auto& [id, n] : calls) REQUIRE(marked.count(id) == 1);
}

void runseed(std::uint64_t seed, long nactions, bool generational) {
  GCState s;
  World w(s, seed);
  w.setup();
  if (generational) luaC_changemode(s.L, KGC_GEN);
  w.check();
  for (w.actions = 0; w.actions < nactions; w.actions++) {
    if (w.chance(30))
      w.collect();
    else
      w.mutate();
    w.check();
  }
  INFO("seed " << seed);
  std::printf(
      "lgc random: seed %llu %s: %ld actions (%ld collector, %ld "
      "mutations), %ld cycle checks, %zu finalizer calls, %d emergencies\n",
      static_cast<unsigned long long>(seed),
      generational ? "generational" : "incremental", nactions, w.gcactions,
      w.mutations, w.cycleschecked, s.finalized.size(), s.emergencies);
  w.finish();
}

long envlong(const char* name, long dflt) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtol(v, nullptr, 10) : dflt;
}

}  // namespace

TEST_CASE("random graphs under random mutation keep every collector invariant",
          "[lgc]") {
  long nactions = envlong("LGC_ACTIONS", 4000);
  if (const char* one = std::getenv("LGC_SEED")) {
    std::uint64_t seed = std::strtoull(one, nullptr, 10);
    runseed(seed, nactions, seed % 2 == 1);
    return;
  }
  std::uint64_t nseeds = static_cast<std::uint64_t>(envlong("LGC_SEEDS", 24));
  for (std::uint64_t seed = 1; seed <= nseeds; seed++) {
    INFO("seed " << seed);
    if (std::getenv("LGC_TRACE"))
      std::printf("seed %llu\n", (unsigned long long)seed);
    runseed(seed, nactions, seed % 2 == 1);
  }
}
