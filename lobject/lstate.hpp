/// \file
/// The layouts of a running Lua: the per-thread state `lua_State`, the call
/// records `CallInfo`, the shared `global_State` and the string table.
///
/// Mirrors: Lua 5.4 lstate.h (the layouts and accessors; the functions of
/// lstate.c arrive with the stack in chapter 5)
/// Book: chapter 2
///
/// Design: one Lua "universe" is one `global_State` shared by all its
/// threads (coroutines); each thread is a `lua_State`, a collectable object
/// with its own stack and its own chain of `CallInfo` records. The main
/// thread and the global state are allocated as one block (`LG`), preceded
/// by LUA_EXTRASPACE bytes the embedder may use (`LX`).
///
/// - **Invariant GLOBAL.** Every thread's `l_G` points to the same
///   global_State, and that global_State's `mainthread` is the thread
///   allocated with it.
/// - **Invariant EXTRA.** `lua_getextraspace(L)` is the LUA_EXTRASPACE
///   bytes right before `L`, for every thread.
///
/// Chapters 2 to 4 need a state with no stack, no registry and no
/// collector; `luaE_newbarestate` builds exactly that, and chapter 5's
/// lua_newstate replaces it with the full set-up.
///
/// Differences from Lua: `global_State` derives from chapter 1's
/// `MemoryState`, which holds the allocator, the accounting and the seams,
/// so that the memory manager can sit below this chapter.
#pragma once

#include <csignal>
#include <new>

#include "lobject/lobject.hpp"

namespace lua {

/// The metamethod events, in the order of the `tmname` table and of the
/// `flags` cache bits. The order is ABI-relevant only inside this
/// implementation; the arithmetic events follow LUA_OPADD's order.
enum class TMS : lu_byte {
  TM_INDEX,
  TM_NEWINDEX,
  TM_GC,
  TM_MODE,
  TM_LEN,
  TM_EQ,  // last event with a fast-access cache bit
  TM_ADD,
  TM_SUB,
  TM_MUL,
  TM_MOD,
  TM_POW,
  TM_DIV,
  TM_IDIV,
  TM_BAND,
  TM_BOR,
  TM_BXOR,
  TM_SHL,
  TM_SHR,
  TM_UNM,
  TM_BNOT,
  TM_LT,
  TM_LE,
  TM_CONCAT,
  TM_CALL,
  TM_CLOSE,
  TM_N  // number of events
};
using enum TMS;
inline constexpr int NUM_TMS = static_cast<int>(TM_N);

/// The interned-string hash table (chapter 3).
struct stringtable {
  TString** hash;  ///< buckets: chains of short strings through u.hnext
  int nuse;        ///< number of strings stored
  int size;        ///< number of buckets (a power of 2)
};

/// Everything about one active function call. The records of a thread
/// form a doubly linked list that is kept for reuse (`next`).
struct CallInfo {
  StkId func;  ///< the function being called; its arguments follow it
  StkId top;   ///< the highest stack slot this call may use
  CallInfo* previous;
  CallInfo* next;
  union {
    struct {  // a Lua function
      const Instruction* savedpc;
      volatile std::sig_atomic_t trap;  ///< must check hooks/stack moves
      int nextraargs;                   ///< extra arguments of a vararg call
    } l;
    struct {            // a C function
      lua_KFunction k;  ///< continuation after a yield
      std::ptrdiff_t old_errfunc;
      lua_KContext ctx;  ///< context for the continuation
    } c;
  } u;
  union {
    int funcidx;  ///< called-function index, in protected calls
    int nyield;   ///< number of values yielded
    int nres;     ///< number of values returned
    struct {      ///< values transferred to a call or return hook
      unsigned short ftransfer;
      unsigned short ntransfer;
    } transferinfo;
  } u2;
  short nresults;             ///< results the caller expects
  unsigned short callstatus;  ///< CIST_* bits (chapters 5 and 8)
};

struct global_State;

}  // namespace lua

/// A thread: Lua's lua_State. It lives in the global namespace because
/// lua.h declares it there for C code.
struct lua_State : lua::GCObject {
  lua::lu_byte status;     ///< LUA_OK, LUA_YIELD or an error status
  lua::lu_byte allowhook;  ///< hooks enabled?
  unsigned short nci;      ///< number of CallInfo records in the list
  /// C levels (getCcalls) at which the running resume entered this
  /// coroutine: a yield at that level needs no unwinding (chapter 8). It
  /// sits in padding that Lua's layout leaves before `top`.
  unsigned short nCresume;
  lua::StkId top;          ///< first free slot in the stack
  lua::global_State* l_G;  ///< the shared state (invariant GLOBAL)
  lua::CallInfo* ci;       ///< the running call
  lua::StkId stack_last;   ///< end of the usable stack (EXTRA_STACK above)
  lua::StkId stack;        ///< stack base
  lua::UpVal* openupval;   ///< open upvalues, highest slot first
  lua::StkId tbclist;      ///< the latest to-be-closed variable
  lua::GCObject* gclist;   ///< link in a gray list
  lua_State* twups;        ///< next thread with open upvalues
  void* errorJmp;          ///< the current protected runner (chapter 8)
  lua::CallInfo base_ci;   ///< the record of the outermost call
  volatile lua_Hook hook;
  std::ptrdiff_t errfunc;  ///< stack index of the message handler
  std::uint32_t nCcalls;   ///< nested C calls plus non-yieldable calls
  int oldpc;               ///< last pc traced by a line hook
  int basehookcount;
  int hookcount;
  volatile std::sig_atomic_t hookmask;
};

namespace lua {

/// The state shared by all threads of one Lua universe.
struct global_State : MemoryState {
  // MemoryState (chapter 1): frealloc, ud, totalbytes, GCdebt, gcstopem,
  // seams.
  lu_mem GCestimate;     ///< estimate of the memory in use after a cycle
  lu_mem lastatomic;     ///< objects traversed in the last atomic step
  stringtable strt;      ///< interned short strings (chapter 3)
  TValue l_registry;     ///< the registry table
  TValue nilvalue;       ///< a nil; non-nil while the state is being built
  unsigned int seed;     ///< hash seed (chapter 3)
  lu_byte currentwhite;  ///< which white is "current" (chapter 6)
  lu_byte gcstate;       ///< phase of the collector
  lu_byte gckind;        ///< incremental or generational
  lu_byte genminormul;   ///< generational: minor collection multiplier
  lu_byte genmajormul;   ///< generational: major collection multiplier
  lu_byte gcstp;         ///< collector stopped (by user, internally, closing)
  lu_byte gcemergency;   ///< running an emergency collection?
  lu_byte gcpause;       ///< pause between cycles (in units of 4%)
  lu_byte gcstepmul;     ///< work per step (in units of 4%)
  lu_byte gcstepsize;    ///< log2 of the step size
  GCObject* allgc;       ///< every collectable object
  GCObject** sweepgc;    ///< sweep position in allgc
  GCObject* finobj;      ///< objects with finalizers
  GCObject* gray;        ///< gray objects
  GCObject* grayagain;   ///< objects to traverse again atomically
  GCObject* weak;        ///< tables with weak values
  GCObject* ephemeron;   ///< tables with weak keys
  GCObject* allweak;     ///< tables with weak keys and values
  GCObject* tobefnz;     ///< objects whose finalizers must run
  GCObject* fixedgc;     ///< objects never collected
  GCObject* survival;    ///< generational: survived one cycle
  GCObject* old1;        ///< generational: old for one cycle
  GCObject* reallyold;   ///< generational: old for two or more cycles
  GCObject* firstold1;   ///< generational: first OLD1 object in allgc
  GCObject* finobjsur;   ///< survival list of finobj
  GCObject* finobjold1;  ///< old1 list of finobj
  GCObject* finobjrold;  ///< really-old list of finobj
  lua_State* twups;      ///< threads with open upvalues
  lua_CFunction panic;   ///< called on unprotected errors
  lua_State* mainthread;
  TString* memerrmsg;        ///< "not enough memory", preallocated
  TString* tmname[NUM_TMS];  ///< metamethod names
  Table* mt[LUA_NUMTYPES];   ///< metatables of the basic types
  TString* strcache[STRCACHE_N][STRCACHE_M];  ///< API string cache
  lua_WarnFunction warnf;                     ///< the warning function
  void* ud_warn;                              ///< its argument
};

/// The block a thread is allocated in: the embedder's extra space, then
/// the thread (invariant EXTRA).
struct LX {
  lu_byte extra_[LUA_EXTRASPACE];
  lua_State l;
};

/// The block of the main thread and the global state, allocated together.
struct LG {
  LX l;
  global_State g;
};

/// A forward range over an intrusive list: from `first`, each element
/// leads to the next through `Next` (a function of the element), up to
/// `last` (null: the end of the list; chapter 6 also walks part of a
/// list). `for (CallInfo* ci : activecalls(L))` replaces a hand-written
/// walk of the links. The loop body must not unlink or free the element
/// it is given: the step to the next one reads it afterwards.
template <typename T, auto Next>
struct ListRange {
  T* first;
  T* last = nullptr;
  struct iterator {
    T* at;
    T* operator*() const { return at; }
    iterator& operator++() {
      at = Next(at);
      return *this;
    }
    bool operator==(const iterator&) const = default;
  };
  iterator begin() const { return {first}; }
  iterator end() const { return {last}; }
};

/// The caller of call record `ci` (null for the base record).
inline CallInfo* previouscall(CallInfo* ci) {
  return ci->previous;
}
/// The active call records of thread `L`, from the running one (`L->ci`)
/// down to the base record.
inline ListRange<CallInfo, previouscall> activecalls(lua_State* L) {
  return {L->ci};
}

/// The global state of thread `L`.
inline global_State* G(lua_State* L) {
  return L->l_G;
}

/// The LX block of thread `L`: the thread sits LUA_EXTRASPACE bytes in.
inline LX* fromstate(lua_State* L) {
  return reinterpret_cast<LX*>(reinterpret_cast<lu_byte*>(L) - LUA_EXTRASPACE);
}
static_assert(sizeof(lua_State) == 200,
              "nCresume fills padding: a thread keeps Lua 5.4's size");
static_assert(LUA_EXTRASPACE % alignof(lua_State) == 0,
              "no padding between the extra space and the thread");

/// True when the state has been fully built (its nilvalue is nil); some
/// operations, such as emergency collections, wait for that.
inline bool completestate(global_State* g) {
  return ttisnil(&g->nilvalue);
}

inline lua_State* gco2th(GCObject* o) {
  return check_exp(o->tt == LUA_VTHREAD, static_cast<lua_State*>(o));
}
inline lua_State* thvalue(const TValue* o) {
  return check_exp(ttisthread(o), gco2th(o->value_.gc));
}
inline void setthvalue(lua_State* L, TValue* o, lua_State* x) {
  setgcovalue(L, o, x);
}
inline void setthvalue2s(lua_State* L, StkId o, lua_State* x) {
  setthvalue(L, s2v(o), x);
}

// ---------------------------------------------------------------------------
// The `marked` byte, object creation and the barrier checks: the part of
// lgc.h that every chapter needs. The collector that gives the colours
// their meaning is chapter 6.
// ---------------------------------------------------------------------------

/// Bits of `marked`: two whites (the collector flips which one is
/// current), black, and "already finalized"; bits 0-2 hold the age used by
/// the generational mode.
inline constexpr int WHITE0BIT = 3;
inline constexpr int WHITE1BIT = 4;
inline constexpr int BLACKBIT = 5;
inline constexpr int FINALIZEDBIT = 6;
inline constexpr int TESTBIT = 7;  ///< free for white-box tests

constexpr lu_byte bitmask(int b) {
  return static_cast<lu_byte>(1u << b);
}
inline constexpr lu_byte WHITEBITS = bitmask(WHITE0BIT) | bitmask(WHITE1BIT);
/// Every colour bit: clearing them all makes an object gray.
inline constexpr lu_byte maskcolors = WHITEBITS | bitmask(BLACKBIT);
inline constexpr lu_byte AGEBITS = 7;

inline bool iswhite(const GCObject* o) {
  return (o->marked & WHITEBITS) != 0;
}
inline bool isblack(const GCObject* o) {
  return (o->marked & bitmask(BLACKBIT)) != 0;
}
/// Neither white nor black.
inline bool isgray(const GCObject* o) {
  return (o->marked & maskcolors) == 0;
}
inline bool tofinalize(const GCObject* o) {
  return (o->marked & bitmask(FINALIZEDBIT)) != 0;
}
/// The white of the current cycle, given to every new object.
inline lu_byte luaC_white(const global_State* g) {
  return static_cast<lu_byte>(g->currentwhite & WHITEBITS);
}
/// The white of the previous cycle: an object still marked with it after
/// the atomic phase is dead.
inline lu_byte otherwhite(const global_State* g) {
  return static_cast<lu_byte>(g->currentwhite ^ WHITEBITS);
}
inline bool isdead(const global_State* g, const GCObject* o) {
  return (o->marked & otherwhite(g) & WHITEBITS) != 0;
}
/// Flips an object's white (used to resurrect a dead short string).
inline void changewhite(GCObject* o) {
  o->marked ^= WHITEBITS;
}
inline void set2gray(GCObject* o) {
  o->marked = static_cast<lu_byte>(o->marked & ~maskcolors);
}

/// Creates a collectable object of variant `tt` and `sz` bytes: allocated
/// with the type tag, given the current white and linked at the head of
/// `allgc`. Raises LUA_ERRMEM on failure.
GCObject* luaC_newobj(lua_State* L, int tt, std::size_t sz);
/// Gives the object at `o`, just allocated for variant `tt`, its header:
/// the current white, the tag and the link at the head of `allgc`.
void luaC_linkobj(lua_State* L, GCObject* o, int tt);
// Pinned because the creators below rely on it: a value-initialised TValue
// is a nil.
static_assert(LUA_VNIL == 0, "zeroed values are nil");
/// luaC_newobj for a fixed layout `T`: every field of `T` after the header
/// starts zero or null (value-initialisation), and `sz` (at least
/// `sizeof(T)`) leaves room for a variable part, which is not touched.
template <typename T>
T* luaC_newobject(lua_State* L, int tt, std::size_t sz = sizeof(T)) {
  T* o = new (luaM_newobject(L, novariant(tt), sz)) T();
  luaC_linkobj(L, o, tt);
  return o;
}
/// Moves `o`, which must be the newest object, from `allgc` to `fixedgc`:
/// the collector never frees it (reserved words, metamethod names).
void luaC_fix(lua_State* L, GCObject* o);

/// The forward barrier: black `p` now refers to white object `o`.
inline void luaC_objbarrier(lua_State* L, GCObject* p, GCObject* o) {
  if (isblack(p) && iswhite(o)) G(L)->seams.barrier(L, p, o);
}
inline void luaC_barrier(lua_State* L, GCObject* p, const TValue* v) {
  if (iscollectable(v)) luaC_objbarrier(L, p, gcvalue(v));
}
/// The backward barrier: black `p` now refers to a white value.
inline void luaC_barrierback(lua_State* L, GCObject* p, const TValue* v) {
  if (iscollectable(v) && isblack(p) && iswhite(gcvalue(v)))
    G(L)->seams.barrierback(L, p);
}

/// A seed for the string hash (chapter 3). Random by default, so that an
/// attacker cannot predict which strings collide; the environment variable
/// LUA_ANATOMY_SEED (a decimal number) fixes it, so that tests and book
/// diagrams are reproducible.
unsigned int luai_makeseed(lua_State* L);

/// Constructs a thread in `block` for global state `g`, with every field
/// that needs no memory set: no stack, no call record, no hooks, outside
/// `g->twups`, hooks allowed. The header (tag, colour, link) is left to
/// the caller. Lua's preinit_thread; chapter 5's threads start with it too.
lua_State* preinit_thread(LX* block, global_State* g);
/// Creates a main thread and its global state with allocator `f`: the
/// memory accounting, the thread's header and the global fields start
/// empty; there is no stack, string table, registry or collector yet.
/// Enough for chapters 2 to 4. Returns null if the allocation fails.
lua_State* luaE_newbarestate(lua_Alloc f, void* ud);
/// Frees a state made by luaE_newbarestate. Every object created in it
/// must already be freed; `allgc` may still hold the main thread alone,
/// as chapter 5's close leaves it.
void luaE_freebarestate(lua_State* L);

inline MemCtx::MemCtx(lua_State* L) : L(L), g(G(L)) {}

}  // namespace lua
