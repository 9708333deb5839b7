/// \file
/// Test support of chapter 6: a state with a collector on an allocator
/// that knows every block's identity, the mutations a VM performs (with
/// their barriers), a stand-in for the `callgc` seam, and an independent
/// reader of object references with which the tests compute reachability
/// themselves.
///
/// Mirrors: nothing in Lua; ltests.c plays this role there.
/// Book: chapter 6
///
/// Design: `IdHeap` gives every block a serial number when it is
/// allocated, so an object's identity is (address, serial): an address
/// reused by a later object has a new serial, and "was this object freed?"
/// has an exact answer even after its memory was reused (invariant HELD:
/// `held` is the sum of the sizes of the live blocks). `refs` lists the
/// references of an object with their strength (strong, weak value, weak
/// key, ephemeron value), written from Lua's rules and not from the
/// collector's code, and `reach` computes strong reachability with
/// ephemeron semantics from it. Everything test-side may use std
/// containers: none of it is a Lua object.
///
/// Differences from Lua: none; this is test code.
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lfunc/ltm.hpp"
#include "lgc/lgc.hpp"
#include "ltable/ltable.hpp"
#include "tests/lfunc/support.hpp"

namespace lgctest {

using namespace lua;

/// True when the build fails every first allocation attempt on purpose.
#ifdef LUAI_EMERGENCYGCTESTS
inline constexpr bool kFailFirst = true;
#else
inline constexpr bool kFailFirst = false;
#endif

/// A deterministic arena: blocks come from a region mapped at a fixed
/// address, by size class, so the same requests give the same addresses
/// run after run. Lua hashes objects used as table keys by address, so
/// without it a seed would not replay exactly. Under AddressSanitizer the
/// plain malloc is used instead (which lets ASan see every block).
struct Arena {
#if defined(__SANITIZE_ADDRESS__)
  static constexpr bool enabled = false;
#else
  static constexpr bool enabled = true;
#endif
  static constexpr std::size_t kSize = std::size_t(1) << 31;
  char* base = nullptr;
  char* next = nullptr;
  std::unordered_map<std::size_t, std::vector<void*>> freelists;
  static int& nlive() {
    static int n = 0;
    return n;
  }
  Arena() {
    if (!enabled) return;
    // LGC_ARENA moves the arena, to replay a seed with other addresses.
    std::uintptr_t at = 0x500000000000ull;
    if (const char* e = std::getenv("LGC_ARENA"))
      at += std::strtoull(e, nullptr, 10) * 4096;
    auto hint =
        reinterpret_cast<void*>(at + kSize * static_cast<unsigned>(nlive()));
    void* p =
        mmap(hint, kSize, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (p == MAP_FAILED) return;  // then plain malloc
    base = next = static_cast<char*>(p);
    nlive()++;
  }
  ~Arena() {
    if (base == nullptr) return;
    munmap(base, kSize);
    nlive()--;
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  static std::size_t round(std::size_t n) {
    return (n + 15) & ~std::size_t(15);
  }
  void* alloc(std::size_t n) {
    if (base == nullptr) return std::malloc(n);
    n = round(n);
    auto& fl = freelists[n];
    if (!fl.empty()) {
      void* p = fl.back();
      fl.pop_back();
      return p;
    }
    if (next + n > base + kSize) return nullptr;
    void* p = next;
    next += n;
    return p;
  }
  void free(void* p, std::size_t n) {
    if (base == nullptr) return std::free(p);
    freelists[round(n)].push_back(p);
  }
  void* realloc(void* p, std::size_t old, std::size_t n) {
    if (base == nullptr) return std::realloc(p, n);
    void* q = alloc(n);
    if (q != nullptr && p != nullptr) {
      std::memcpy(q, p, old < n ? old : n);
      free(p, old);
    }
    return q;
  }
};

/// An allocator that remembers the serial number of every live block.
struct IdHeap {
  std::size_t held = 0;          ///< bytes of the live blocks (HELD)
  std::size_t limit = SIZE_MAX;  ///< refuse to hold more than this
  int refusals = 0;              ///< requests refused because of `limit`
  std::uint64_t serial = 0;      ///< serial of the latest block
  std::unordered_map<const void*, std::uint64_t> live;
  Arena arena;

  static void* alloc(void* ud, void* ptr, std::size_t osize,
                     std::size_t nsize) {
    auto* h = static_cast<IdHeap*>(ud);
    std::size_t old = ptr == nullptr ? 0 : osize;
    if (nsize == 0) {
      if (ptr != nullptr) {
        h->held -= old;
        h->live.erase(ptr);
        h->arena.free(ptr, old);
      }
      return nullptr;
    }
    if (nsize > old && nsize - old > h->limit - h->held) {
      h->refusals++;
      return nullptr;
    }
    void* p = h->arena.realloc(ptr, old, nsize);
    if (p == nullptr) return nullptr;
    if (ptr != nullptr) h->live.erase(ptr);
    h->live[p] = ++h->serial;
    h->held = h->held - old + nsize;
    return p;
  }
};

/// An object's identity: its address and the serial of its block.
struct Id {
  const void* p = nullptr;
  std::uint64_t serial = 0;
  bool operator==(const Id&) const = default;
};
struct IdHash {
  std::size_t operator()(const Id& id) const {
    return std::hash<const void*>()(id.p) ^ (id.serial * 0x9E3779B97F4A7C15u);
  }
};

/// A finalizer of the tests: the `__gc` field of a test metatable is a
/// light userdata pointing to one of these, and the test `callgc` seam
/// runs `run` with the object being finalized (on top of the stack, as a
/// real call's argument would be). `run` returns LUA_OK, or an error
/// status after pushing an error object.
struct Finalizer {
  std::function<int(lua_State* L, GCObject* o)> run;
};

/// A complete state with a collector, warnings collected in `warnings`,
/// finalizers called through the test seam and logged in `finalized`
/// (identities, in call order). Emergency collections are counted.
struct GCState {
  IdHeap heap;
  lua_State* L = nullptr;
  std::string warnings;
  std::vector<Id> finalized;
  int emergencies = 0;
  void (*collectorfullgc)(lua_State*) = nullptr;

  GCState();
  ~GCState() {
    if (L != nullptr) close();
  }
  GCState(const GCState&) = delete;
  GCState& operator=(const GCState&) = delete;
  /// Closes the state; returns the bytes the allocator still holds.
  std::size_t close() {
    luaC_closestate(L);
    L = nullptr;
    return heap.held;
  }
  global_State* g() const { return G(L); }
  /// The block an object was allocated as: a thread sits LUA_EXTRASPACE
  /// bytes into its block (chapter 2's LX).
  static const void* blockof(const GCObject* o) {
    if (o->tt != LUA_VTHREAD) return o;
    return fromstate(const_cast<lua_State*>(static_cast<const lua_State*>(o)));
  }
  /// The identity of a live object (serial 0 if its block is unknown).
  Id id(const GCObject* o) const {
    const void* b = blockof(o);
    auto it = heap.live.find(b);
    return Id{b, it == heap.live.end() ? 0 : it->second};
  }
  bool islive(const GCObject* o) const {
    return heap.live.count(blockof(o)) != 0;
  }
  bool alive(const Id& id) const {
    auto it = heap.live.find(id.p);
    return it != heap.live.end() && it->second == id.serial;
  }
};

inline GCState* stateof(lua_State* L) {
  return static_cast<GCState*>(G(L)->ud_warn);
}

// Collects warning pieces; a message ends with a newline.
inline void collectwarning(void* ud, const char* msg, int tocont) {
  auto* s = static_cast<GCState*>(ud);
  s->warnings += msg;
  if (!tocont) s->warnings += "\n";
}

/// The stand-in for chapter 8's `callgc`: pushes the finalizer and its
/// argument as a call would, runs the Finalizer (logging the object
/// first), and leaves the stack as a protected call leaves it: as it was
/// on success, with the error object added on failure.
inline int testcallgc(lua_State* L, const TValue* tm, const TValue* obj) {
  GCState* s = stateof(L);
  s->finalized.push_back(s->id(gcvalue(obj)));
  luaD_checkstack(L, 2);
  StkId func = L->top;
  setobj2s(L, L->top++, tm);
  setobj2s(L, L->top++, obj);
  int status = LUA_OK;
  if (ttislightuserdata(tm) && pvalue(tm) != nullptr) {
    auto* f = static_cast<Finalizer*>(pvalue(tm));
    if (f->run) status = f->run(L, gcvalue(obj));
  }
  if (status == LUA_OK) {
    L->top = func;
  } else {
    setobjs2s(L, func, L->top - 1);  // the error object replaces the call
    L->top = func + 1;
  }
  return status;
}

// The fullgc seam, counted: every emergency collection runs a complete
// cycle after it starts.
inline void countingfullgc(lua_State* L) {
  GCState* s = stateof(L);
  s->emergencies++;
  s->collectorfullgc(L);
}

// The hash seed is fixed, so that table layouts (and hence allocations and
// collection points) repeat from run to run.
inline GCState::GCState() {
  setenv("LUA_ANATOMY_SEED", "20240601", 1);
  L = luaC_openstate(IdHeap::alloc, &heap);
  if (L == nullptr) std::abort();
  G(L)->warnf = collectwarning;
  G(L)->ud_warn = this;
  G(L)->seams.callgc = testcallgc;
  collectorfullgc = G(L)->seams.fullgc;
  G(L)->seams.fullgc = countingfullgc;
}

// ---------------------------------------------------------------------------
// Values and the stack
// ---------------------------------------------------------------------------

// nilv, intv, ptrv (chapter 4's support) and push (chapter 5's: pushes a
// value, growing the stack if needed, so that the stack anchors it).
using test::intv;
using test::nilv;
using test::ptrv;
using test::push;

inline TValue objv(lua_State* L, GCObject* o) {
  TValue v;
  setgcovalue(L, &v, o);
  return v;
}
inline void pushobj(lua_State* L, GCObject* o) {
  push(L, objv(L, o));
}
inline void pop(lua_State* L, int n = 1) {
  L->top -= n;
}

// Object constructors: each new object is pushed at once, because the
// next allocation may run a collection (an emergency one, or any under
// the fail_first switch) that would free an object nothing refers to.

inline Table* newtable(lua_State* L) {
  luaD_checkstack(L, 1);
  Table* t = luaH_new(L);
  pushobj(L, t);
  return t;
}
inline TString* newstring(lua_State* L, const std::string& s) {
  luaD_checkstack(L, 1);
  TString* ts = luaS_newlstr(L, s.data(), s.size());
  pushobj(L, ts);
  return ts;
}
inline Udata* newudata(lua_State* L, std::size_t size, int nuv) {
  luaD_checkstack(L, 1);
  Udata* u = luaS_newudata(L, size, nuv);
  pushobj(L, u);
  return u;
}
inline CClosure* newcclosure(lua_State* L, int nup) {
  luaD_checkstack(L, 1);
  CClosure* c = luaF_newCclosure(L, nup);
  c->f = nullptr;
  for (int i = 0; i < nup; i++) setnilvalue(&c->upvalue()[i]);
  pushobj(L, c);
  return c;
}
inline Proto* newproto(lua_State* L) {
  luaD_checkstack(L, 1);
  Proto* p = luaF_newproto(L);
  pushobj(L, p);  // a prototype on the stack only in tests, as an anchor
  return p;
}
/// A Lua closure of a new prototype with `nup` fresh closed upvalues.
inline LClosure* newlclosure(lua_State* L, int nup) {
  Proto* p = newproto(L);
  luaD_checkstack(L, 1);
  LClosure* cl = luaF_newLclosure(L, nup);
  pushobj(L, cl);
  cl->p = p;
  luaC_objbarrier(L, cl, p);
  luaF_initupvals(L, cl);
  setobjs2s(L, L->top - 2, L->top - 1);  // keep only the closure
  pop(L);
  return cl;
}

// ---------------------------------------------------------------------------
// Mutations, each with the barrier the VM or the API uses
// ---------------------------------------------------------------------------

/// t[k] = v, as lua_rawset: a table store is barriered backwards. The
/// caller keeps `t`, `k` and `v` reachable (luaH_set may allocate).
inline void rawset(lua_State* L, Table* t, const TValue& k, const TValue& v) {
  luaH_set(L, t, &k, &v);
  luaC_barrierback(L, obj2gco(t), &v);
}
/// t[i] = v, as lua_rawseti.
inline void rawseti(lua_State* L, Table* t, lua_Integer i, const TValue& v) {
  luaH_setint(L, t, i, &v);
  luaC_barrierback(L, obj2gco(t), &v);
}
/// Stores with every operand anchored on the stack first, as API code
/// would have them.
inline void anchoredset(lua_State* L, Table* t, const TValue& k,
                        const TValue& v) {
  pushobj(L, t);
  push(L, k);
  push(L, v);
  rawset(L, t, *s2v(L->top - 2), *s2v(L->top - 1));
  pop(L, 3);
}
/// The raw value of t[k] (nil when absent).
inline TValue rawget(Table* t, const TValue& k) {
  const TValue* v = luaH_get(t, &k);
  return isempty(v) ? nilv() : *v;
}
/// Sets the metatable of a table or userdata, as lua_setmetatable: a
/// forward barrier, then the finalizer check.
inline void setmetatable(lua_State* L, GCObject* o, Table* mt) {
  if (o->tt == LUA_VTABLE)
    gco2t(o)->metatable = mt;
  else
    gco2u(o)->metatable = mt;
  if (mt != nullptr) {
    luaC_objbarrier(L, o, mt);
    luaC_checkfinalizer(L, o, mt);
  }
}
/// User value `n` of `u` = v, as lua_setiuservalue (backward barrier).
inline void setuservalue(lua_State* L, Udata* u, int n, const TValue& v) {
  setobj(L, &u->uv()[n].uv, &v);
  luaC_barrierback(L, obj2gco(u), &v);
}
/// Upvalue `n` of a C closure = v, as lua_setupvalue (forward barrier on
/// the closure).
inline void setcupvalue(lua_State* L, CClosure* c, int n, const TValue& v) {
  setobj(L, &c->upvalue()[n], &v);
  luaC_barrier(L, obj2gco(c), &v);
}
/// Upvalue `n` of a Lua closure = v, as OP_SETUPVAL (forward barrier on
/// the UpVal).
inline void setlupvalue(lua_State* L, LClosure* c, int n, const TValue& v) {
  UpVal* uv = c->upvals()[n];
  setobj(L, uv->v, &v);
  luaC_barrier(L, obj2gco(uv), &v);
}
/// Makes upvalue `n1` of `c1` share upvalue `n2` of `c2`, as
/// lua_upvaluejoin.
inline void joinupvalue(lua_State* L, LClosure* c1, int n1, LClosure* c2,
                        int n2) {
  c1->upvals()[n1] = c2->upvals()[n2];
  luaC_objbarrier(L, c1, c1->upvals()[n1]);
}
/// A metatable with `__mode` = `mode` (null: none) and, if `fin` is not
/// null, `__gc` = a light userdata pointing to `fin`. Left on the stack.
inline Table* newmetatable(lua_State* L, const char* mode, Finalizer* fin) {
  Table* mt = newtable(L);
  global_State* g = G(L);
  if (mode != nullptr) {
    TValue k = objv(L, g->tmname[static_cast<int>(TM_MODE)]);
    TString* m = newstring(L, mode);
    rawset(L, mt, k, objv(L, m));
    pop(L);
  }
  if (fin != nullptr) {
    TValue k = objv(L, g->tmname[static_cast<int>(TM_GC)]);
    rawset(L, mt, k, ptrv(fin));
  }
  return mt;
}
/// The table in the registry under key `name`, created on first use: a
/// root that tests can hang objects on.
inline Table* roottable(lua_State* L, const char* name) {
  Table* reg = hvalue(&G(L)->l_registry);
  TString* k = newstring(L, name);
  TValue kv = objv(L, k);
  TValue v = rawget(reg, kv);
  if (ttistable(&v)) {
    pop(L);
    return hvalue(&v);
  }
  Table* t = newtable(L);
  rawset(L, reg, kv, objv(L, t));
  pop(L, 2);
  return t;
}

/// Removes registry[`name`]: what only it kept becomes garbage.
inline void droproot(lua_State* L, const char* name) {
  Table* reg = hvalue(&G(L)->l_registry);
  TString* k = newstring(L, name);
  anchoredset(L, reg, objv(L, k), nilv());
  pop(L);
}
/// A new table stored in keep[i] (and not left on the stack).
inline Table* keptable(lua_State* L, Table* keep, lua_Integer i) {
  Table* t = newtable(L);
  rawseti(L, keep, i, objv(L, t));
  pop(L);
  return t;
}

// ---------------------------------------------------------------------------
// The collector, white-box
// ---------------------------------------------------------------------------

/// Number of objects of each colour in the object lists (fixed objects
/// not counted), and the length of a gray list.
struct Colours {
  int white = 0, gray = 0, black = 0, dead = 0;
  int total() const { return white + gray + black + dead; }
};
inline Colours colours(global_State* g) {
  Colours c;
  for (GCObject* l : {g->allgc, g->finobj, g->tobefnz})
    for (GCObject* o = l; o != nullptr; o = o->next) {
      if (isdead(g, o))
        c.dead++;
      else if (iswhite(o))
        c.white++;
      else if (isblack(o))
        c.black++;
      else
        c.gray++;
    }
  return c;
}
/// The next member of a gray list.
inline GCObject* graynext(GCObject* o) {
  return *luaC_gclist(o);
}
inline int listlength(GCObject* l, bool gray) {
  int n = 0;
  for (; l != nullptr; l = gray ? graynext(l) : l->next) n++;
  return n;
}
/// True when `o` is in object list `l`.
inline bool inlist(GCObject* l, const GCObject* o) {
  for (; l != nullptr; l = l->next)
    if (l == o) return true;
  return false;
}
/// Forbids emergency collections while it lives (it sets `gcstopem`), so
/// that a test can allocate between two single steps without the
/// fail_first switch running a whole collection in the middle. It must not
/// be alive across a collector call.
struct NoEmergency {
  global_State* g;
  lu_byte old;
  explicit NoEmergency(lua_State* L) : g(G(L)), old(G(L)->gcstopem) {
    g->gcstopem = 1;
  }
  ~NoEmergency() { g->gcstopem = old; }
  NoEmergency(const NoEmergency&) = delete;
  NoEmergency& operator=(const NoEmergency&) = delete;
};

/// Runs single steps until the state is `s` (at most `limit` steps).
inline void stepto(lua_State* L, lu_byte s, int limit = 1000000) {
  for (int i = 0; i < limit && G(L)->gcstate != s; i++) luaC_singlestep(L);
}

/// Finishes the cycle in progress, then runs one whole cycle, one single
/// step at a time, checking the heap after every step. Returns the number
/// of violations found (0 when every step left a sound heap).
inline int fullcycle(lua_State* L) {
  int bad = 0;
  auto step = [&] {
    luaC_singlestep(L);
    bad += check_heap(G(L));
  };
  while (G(L)->gcstate != GCSpause) step();
  do step();
  while (G(L)->gcstate != GCSpause);
  return bad;
}

/// A finalizer that only counts its calls.
struct Counter {
  int calls = 0;
  Finalizer fin{[this](lua_State*, GCObject*) {
    calls++;
    return LUA_OK;
  }};
};

// ---------------------------------------------------------------------------
// References and reachability, computed by the tests
// ---------------------------------------------------------------------------

/// How an object refers to another.
enum class Ref : unsigned char {
  Strong,     ///< always keeps the target alive
  WeakValue,  ///< a value of a table with weak values
  WeakKey,    ///< a key of a table with weak keys
  /// Kept exactly when `key` is: a value of an ephemeron, or a string key
  /// of an all-weak table, which goes when its entry's value is collected.
  EphValue,
};
struct Edge {
  GCObject* to;
  Ref kind;
  GCObject* key = nullptr;  ///< for EphValue: the key (null: not an object)
};

/// The weakness of table `t` from its metatable's `__mode` ('k', 'v').
inline void weakmode(global_State* g, Table* t, bool& wk, bool& wv) {
  wk = wv = false;
  if (t->metatable == nullptr) return;
  const TValue* m =
      luaH_getshortstr(t->metatable, g->tmname[static_cast<int>(TM_MODE)]);
  if (!ttisstring(m)) return;
  std::string mode(svalue(m), vslen(m));
  wk = mode.find('k') != std::string::npos;
  wv = mode.find('v') != std::string::npos;
}

inline GCObject* gcN(const TValue* v) {
  return iscollectable(v) ? gcvalue(v) : nullptr;
}

inline bool isstringobj(const GCObject* o) {
  return o != nullptr && novariant(o->tt) == LUA_TSTRING;
}

// The references of a table. A weak table never clears a string by itself,
// but it removes a whole entry when the entry's other, weak part dies, and
// then a string (or a strong key) in that entry loses its reference too.
// With `strict`, such parts are EphValue edges conditioned on the other
// part, which is what survives any number of cycles; without, strings are
// reported as weak and reach() keeps them anyway, and the keys of weak
// value tables are strong, which is what one cycle marks at most.
inline void tableedges(global_State* g, Table* t, bool strict,
                       std::vector<Edge>& out) {
  bool wk, wv;
  weakmode(g, t, wk, wv);
  if (t->metatable != nullptr) out.push_back({t->metatable, Ref::Strong});
  for (unsigned i = 0; i < luaH_realasize(t); i++) {
    GCObject* o = gcN(&t->array[i]);
    if (o == nullptr) continue;
    bool weak = wv && !(strict && isstringobj(o));
    out.push_back({o, weak ? Ref::WeakValue : Ref::Strong});
  }
  for (int i = 0; i < allocsizenode(t); i++) {
    Node* n = gnode(t, i);
    if (isempty(gval(n))) continue;
    TValue k;
    getnodekey(nullptr, &k, n);
    GCObject* ko = gcN(&k);
    GCObject* vo = gcN(gval(n));
    bool kstr = isstringobj(ko), vstr = isstringobj(vo);
    if (ko != nullptr) {
      if (!wk && !wv)
        out.push_back({ko, Ref::Strong});
      else if (!strict)
        out.push_back({ko, wk ? Ref::WeakKey : Ref::Strong});
      else if (wv && (!wk || kstr))  // lives while the value does
        out.push_back({ko, Ref::EphValue, vo});
      else if (kstr)
        out.push_back({ko, Ref::Strong});
      else
        out.push_back({ko, Ref::WeakKey});
    }
    if (vo == nullptr) continue;
    if (!wk && !wv)
      out.push_back({vo, Ref::Strong});
    else if (wk && (!wv || (strict && vstr)))  // lives while the key does
      out.push_back({vo, Ref::EphValue, ko});
    else if (strict && vstr)
      out.push_back({vo, Ref::Strong});
    else
      out.push_back({vo, Ref::WeakValue});
  }
}

/// Every reference of `o`, following Lua's rules for each type. A thread
/// refers to the live part of its stack and to its open upvalues. See
/// tableedges for `strict`.
inline std::vector<Edge> refs(global_State* g, GCObject* o,
                              bool strict = false) {
  std::vector<Edge> out;
  auto strong = [&](GCObject* t) {
    if (t != nullptr) out.push_back({t, Ref::Strong});
  };
  auto value = [&](const TValue* v) { strong(gcN(v)); };
  switch (o->tt) {
    case LUA_VTABLE:
      tableedges(g, gco2t(o), strict, out);
      break;
    case LUA_VUSERDATA: {
      Udata* u = gco2u(o);
      strong(u->metatable);
      for (int i = 0; i < u->nuvalue; i++) value(&u->uv()[i].uv);
      break;
    }
    case LUA_VUPVAL:
      value(gco2upv(o)->v);
      break;
    case LUA_VLCL: {
      LClosure* c = gco2lcl(o);
      strong(c->p);
      for (int i = 0; i < c->nupvalues; i++) strong(c->upvals()[i]);
      break;
    }
    case LUA_VCCL: {
      CClosure* c = gco2ccl(o);
      for (int i = 0; i < c->nupvalues; i++) value(&c->upvalue()[i]);
      break;
    }
    case LUA_VPROTO: {
      Proto* p = gco2p(o);
      strong(p->source);
      for (int i = 0; i < p->sizek; i++) value(&p->k[i]);
      for (int i = 0; i < p->sizeupvalues; i++) strong(p->upvalues[i].name);
      for (int i = 0; i < p->sizep; i++) strong(p->p[i]);
      for (int i = 0; i < p->sizelocvars; i++) strong(p->locvars[i].varname);
      break;
    }
    case LUA_VTHREAD: {
      lua_State* th = gco2th(o);
      if (th->stack == nullptr) break;
      for (StkId s = th->stack; s < th->top; s++) value(s2v(s));
      for (UpVal* uv = th->openupval; uv != nullptr; uv = uv->u.open.next)
        strong(uv);
      break;
    }
    default:
      break;
  }
  return out;
}

/// The roots of a collection: the registry, the main thread, the basic
/// types' metatables and, with `pending`, the objects waiting for their
/// finalizers (which stop being roots once their finalizers have run).
inline std::vector<GCObject*> roots(global_State* g, bool pending = true) {
  std::vector<GCObject*> r{g->mainthread};
  if (iscollectable(&g->l_registry)) r.push_back(gcvalue(&g->l_registry));
  for (Table* mt : g->mt)
    if (mt != nullptr) r.push_back(mt);
  if (pending)
    for (GCObject* o = g->tobefnz; o != nullptr; o = o->next) r.push_back(o);
  return r;
}

using ObjSet = std::unordered_set<GCObject*>;

/// Everything reachable from `from`. With `weak` the weak references are
/// followed like strong ones (every object a program could still reach).
/// Without, it is Lua's strong reachability: weak references are ignored
/// and an EphValue counts once its key is reached (iterating to a fixed
/// point). `strict` (see tableedges) gives what survives any number of
/// cycles; otherwise strings held by weak tables count as reached, which
/// over-approximates what one cycle marks.
inline ObjSet reach(global_State* g, const std::vector<GCObject*>& from,
                    bool weak, bool strict = false) {
  ObjSet seen;
  std::vector<GCObject*> work;
  std::vector<Edge> pending;  // EphValues waiting for their key
  auto mark = [&](GCObject* o) {
    if (o != nullptr && seen.insert(o).second) work.push_back(o);
  };
  for (GCObject* o : from) mark(o);
  for (;;) {
    while (!work.empty()) {
      GCObject* o = work.back();
      work.pop_back();
      for (const Edge& e : refs(g, o, strict)) {
        if (weak || e.kind == Ref::Strong)
          mark(e.to);
        else if (e.kind == Ref::EphValue)
          pending.push_back(e);
        else if (!strict && isstringobj(e.to))
          mark(e.to);
      }
    }
    bool changed = false;
    for (Edge& e : pending) {
      if (e.to == nullptr) continue;
      if (e.key == nullptr || seen.count(e.key) != 0 || isstringobj(e.key)) {
        if (seen.count(e.to) == 0) changed = true;
        mark(e.to);
        e.to = nullptr;
      }
    }
    if (!changed && work.empty()) return seen;
  }
}

/// Every object in the collector's object lists (fixed objects aside).
inline std::vector<GCObject*> allobjects(global_State* g) {
  std::vector<GCObject*> v;
  for (GCObject* l : {g->allgc, g->finobj, g->tobefnz})
    for (GCObject* o = l; o != nullptr; o = o->next) v.push_back(o);
  return v;
}

}  // namespace lgctest
