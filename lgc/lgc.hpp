/// \file
/// The garbage collector: an incremental tri-colour mark and sweep with two
/// whites, write barriers, weak tables with ephemerons, finalizers with
/// resurrection, emergency collections, and a generational mode.
///
/// Mirrors: Lua 5.4 lgc.h and lgc.c (and the heap checker of ltests.c)
/// Book: chapter 6
///
/// Design: every collectable object is white (not reached yet), gray
/// (reached, its references not yet followed) or black (reached and
/// followed). A cycle marks the roots gray, then turns gray objects black
/// one at a time, graying what they refer to, in steps interleaved with the
/// program. When no gray object is left, everything still white is garbage
/// and the sweep frees it. The program keeps mutating the heap between
/// steps, so the collector relies on one invariant, kept by the write
/// barriers:
///
/// - **Invariant TRICOLOUR.** Outside the atomic step and the sweep, a
///   black object never refers to a white one. (Threads are exempt: they
///   have no barrier and are traversed again atomically. In generational
///   mode the rule is stated on ages instead: a black old object never
///   refers to a young one; see check_heap.)
/// - **Invariant GRAYLIST.** While marking, every gray object sits in
///   exactly one gray list (gray, grayagain, weak, allweak, ephemeron),
///   except open upvalues, which their thread revisits.
/// - **Invariant TWOWHITES.** New objects get the current white. The atomic
///   step flips which white is current, so an object still carrying the
///   other white after it is dead, while objects created during the sweep
///   are safe.
/// - **Invariant LISTS.** Every object is in exactly one of allgc, finobj
///   (it has a finalizer), tobefnz (its finalizer is due) and fixedgc.
///
/// check_heap verifies all of them (and the generational ones), like
/// checkmemory in Lua's ltests.c.
///
/// Installation: a state gets its collector from luaC_openstate, which
/// opens a chapter-5 state and installs the `fullgc`, `barrier` and
/// `barrierback` seams; luaC_closestate runs the pending finalizers and
/// frees everything. Finalizers themselves are called through the
/// `callgc` seam, installed by chapter 8.
///
/// Differences from Lua:
/// - The macros are inline functions and templates with the same names;
///   luaC_condGC takes its `pre`/`pos` actions as callables.
/// - `singlestep` is exported as luaC_singlestep, for step-by-step tests,
///   the stage demo and the diagrams (Lua reaches it only through its test
///   library).
/// - The heap checker (Lua's lua_checkmemory in ltests.c) is check_heap,
///   named after its subject like every checker of the book. It follows
///   their one contract: it returns the number of violations, never
///   asserts, and works under NDEBUG. It also runs chapter 3's
///   string-table check.
#pragma once

#include "lfunc/lstate.hpp"

namespace lua {

// ---------------------------------------------------------------------------
// States of the collector (lgc.h)
// ---------------------------------------------------------------------------

/// Marking: gray objects are traversed one per step.
inline constexpr lu_byte GCSpropagate = 0;
/// The gray list is empty; the next step runs the atomic phase.
inline constexpr lu_byte GCSenteratomic = 1;
/// Inside `atomic` (never seen between steps).
inline constexpr lu_byte GCSatomic = 2;
/// Sweeping allgc, then finobj, then tobefnz.
inline constexpr lu_byte GCSswpallgc = 3;
inline constexpr lu_byte GCSswpfinobj = 4;
inline constexpr lu_byte GCSswptobefnz = 5;
/// Sweeps done: shrink the string table.
inline constexpr lu_byte GCSswpend = 6;
/// Calling the finalizers that are due, a few per step.
inline constexpr lu_byte GCScallfin = 7;
// GCSpause (8), the state between cycles, is defined with the state in
// chapter 5, which creates a state in it.

// The states are numbered in the order a cycle visits them, and the code
// compares them by range: keepinvariant (marking is everything up to
// GCSatomic), issweepphase (GCSswpallgc to GCSswpend), and the checker's
// phase rules. statebit needs every state below 31.
static_assert(GCSpropagate < GCSenteratomic && GCSenteratomic < GCSatomic);
static_assert(GCSatomic < GCSswpallgc && GCSswpallgc < GCSswpfinobj &&
              GCSswpfinobj < GCSswptobefnz && GCSswptobefnz < GCSswpend);
static_assert(GCSswpend < GCScallfin && GCScallfin < GCSpause && GCSpause < 31);

/// The bit of state `s` in a set of states (luaC_runtilstate). Lua writes
/// bitmask(s), but chapter 2's bitmask is typed for the `marked` byte, and
/// GCSpause is bit 8.
constexpr int statebit(lu_byte s) {
  return 1 << s;
}

/// True while one of the sweep states runs.
inline bool issweepphase(const global_State* g) {
  return GCSswpallgc <= g->gcstate && g->gcstate <= GCSswpend;
}
/// True while TRICOLOUR must hold: marking is under way. During the sweep
/// black objects turn white one by one and may point to not-yet-swept
/// blacks, which is harmless.
inline bool keepinvariant(const global_State* g) {
  return g->gcstate <= GCSatomic;
}

/// Bit helpers of lgc.h over a `marked` byte.
inline void resetbits(lu_byte& x, lu_byte m) {
  x = static_cast<lu_byte>(x & ~m);
}
inline void setbits(lu_byte& x, lu_byte m) {
  x = static_cast<lu_byte>(x | m);
}
inline bool testbits(lu_byte x, lu_byte m) {
  return (x & m) != 0;
}
inline void l_setbit(lu_byte& x, int b) {
  setbits(x, bitmask(b));
}
inline void resetbit(lu_byte& x, int b) {
  resetbits(x, bitmask(b));
}
inline bool testbit(unsigned int x, int b) {
  return (x & (1u << b)) != 0;
}

// ---------------------------------------------------------------------------
// Ages (generational mode), kept in the low three bits of `marked`
// ---------------------------------------------------------------------------

inline constexpr lu_byte G_NEW = 0;       ///< created in the current cycle
inline constexpr lu_byte G_SURVIVAL = 1;  ///< created in the previous cycle
/// Marked old by a forward barrier in this cycle.
inline constexpr lu_byte G_OLD0 = 2;
inline constexpr lu_byte G_OLD1 = 3;      ///< first full cycle as old
inline constexpr lu_byte G_OLD = 4;       ///< really old: not visited
inline constexpr lu_byte G_TOUCHED1 = 5;  ///< old, written to this cycle
inline constexpr lu_byte G_TOUCHED2 = 6;  ///< old, written last cycle

inline lu_byte getage(const GCObject* o) {
  return static_cast<lu_byte>(o->marked & AGEBITS);
}
inline void setage(GCObject* o, lu_byte a) {
  o->marked = static_cast<lu_byte>((o->marked & ~AGEBITS) | a);
}
/// Old objects are those a minor collection does not traverse again.
inline bool isold(const GCObject* o) {
  return getage(o) > G_SURVIVAL;
}
/// Moves the age from `f` (which it must be) to `t`.
inline void changeage(GCObject* o, lu_byte f, lu_byte t) {
  lua_assert(getage(o) == f);
  o->marked = static_cast<lu_byte>(o->marked ^ (f ^ t));
}

// ---------------------------------------------------------------------------
// Parameters and modes
// ---------------------------------------------------------------------------

// The kinds KGC_INC and KGC_GEN, the default parameters LUAI_GCPAUSE,
// LUAI_GCMUL, LUAI_GCSTEPSIZE, LUAI_GENMAJORMUL and LUAI_GENMINORMUL,
// getgcparam/setgcparam (percentages stored divided by 4) and the `gcstp`
// bits GCSTPUSR, GCSTPGC and GCSTPCLS come from chapter 5's lstate.hpp,
// which sets up a state with them.

/// True in generational mode, including the stretch after a bad major
/// collection during which the collector runs incremental cycles
/// (`lastatomic` != 0).
inline bool isdecGCmodegen(const global_State* g) {
  return g->gckind == KGC_GEN || g->lastatomic != 0;
}

/// True unless some `gcstp` bit stops the collector.
inline bool gcrunning(const global_State* g) {
  return g->gcstp == 0;
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

/// True when the build runs a full collection at every GC check point
/// (Meson option gc_stress, Lua's HARDMEMTESTS).
#ifdef LUAI_HARDMEMTESTS
inline constexpr bool kHardMemTests = true;
#else
inline constexpr bool kHardMemTests = false;
#endif

/// Does one unit of the collector's state machine (Lua's static
/// `singlestep`) and returns the work done, in traversed slots or swept
/// objects. Exported for step-by-step tests and diagrams.
lu_mem luaC_singlestep(lua_State* L);
/// Runs single steps until the collector is in a state whose bit is set in
/// `statesmask` (statebit(GCSpause) | ...).
void luaC_runtilstate(lua_State* L, int statesmask);
/// Pays the allocation debt with collector work (incremental mode) or runs
/// a minor or major collection (generational mode). Does nothing while the
/// collector is stopped (`gcstp`).
void luaC_step(lua_State* L);
/// Runs a complete cycle from the start, finishing any cycle in progress.
/// An emergency collection (`isemergency`, from a failed allocation) calls
/// no finalizer and shrinks neither the string table nor any stack.
void luaC_fullgc(lua_State* L, int isemergency);
/// Calls every pending finalizer (including those of reachable objects),
/// then frees every object except the main thread. Used when closing.
void luaC_freeallobjects(lua_State* L);
/// The slow path of the forward barrier (the `barrier` seam): `v`, white,
/// was stored into black `o`. While marking, `v` is marked; during an
/// incremental sweep, `o` is made white instead, so it stops barriering.
void luaC_barrier_(lua_State* L, GCObject* o, GCObject* v);
/// The slow path of the backward barrier (the `barrierback` seam): black
/// `o` (a table or a userdata) now holds a white value, so it
/// becomes gray again and goes to `grayagain`; in generational mode it is
/// also aged TOUCHED1.
void luaC_barrierback_(lua_State* L, GCObject* o);
/// Called when `o` (a table or full userdata) gets metatable `mt`: if `mt`
/// has a `__gc` field, moves `o` from allgc to finobj and sets its
/// FINALIZEDBIT, so that its finalizer runs once `o` is unreachable.
void luaC_checkfinalizer(lua_State* L, GCObject* o, Table* mt);
/// Switches to `newmode` (KGC_INC or KGC_GEN). Entering generational mode
/// runs a full cycle; leaving it makes every object white again.
void luaC_changemode(lua_State* L, int newmode);

/// Opens a state (luaE_openstate of chapter 5, which also sets the default
/// parameters, incremental mode and GCSpause) and gives it a collector by
/// installing the `fullgc`, `barrier` and `barrierback` seams. Returns
/// null when memory runs out.
lua_State* luaC_openstate(lua_Alloc f, void* ud);
/// Closes a state opened by luaC_openstate: closes the main thread's open
/// upvalues, calls every pending finalizer (luaC_freeallobjects) and frees
/// everything that is left (luaE_closestate).
void luaC_closestate(lua_State* L);

/// Sends a piece of warning to the state's warning function (`warnf`),
/// if any; `tocont` says that more pieces follow.
void luaE_warning(lua_State* L, const char* msg, int tocont);
/// Warns "error in <where> (<message>)" about the error object on top of
/// the stack (a non-string object gives "error object is not a string").
void luaE_warnerror(lua_State* L, const char* where);

/// The gray-list link (`gclist`) of `o`, or null for an object that can
/// never be gray-listed (strings, upvalues, userdata without user values).
/// For the heap checker and white-box tests.
GCObject** luaC_gclist(GCObject* o);

/// The heap checker: verifies LISTS, GRAYLIST, TRICOLOUR (walking the
/// references of every object), TWOWHITES, the colours each phase allows,
/// the generational ages and sublists, and the string table. Returns the
/// number of violations: 0 for a sound heap. May be called between any two
/// steps of the collector. `report`, if given, receives a short
/// description of each violation (the invariant's name first).
int check_heap(global_State* g, void (*report)(const char* what) = nullptr);

/// Names of a collector state (`gcstate`), of an age and of an object's
/// colour ("white", "gray", "black", or "dead" for an object the sweep
/// has yet to free), as Lua's test library prints them; "?" for a value
/// out of range. For the tests, the stage demo and the diagrams.
const char* luaC_statename(lu_byte state);
const char* luaC_agename(lu_byte age);
const char* luaC_colourname(const global_State* g, const GCObject* o);

/// True when a GC check point has work to do: the state owes allocation
/// debt, or (under the gc_stress switch) the collector is running, and
/// every check point then runs a full collection. (Lua's HARDMEMTESTS
/// does the same at its check points: "a collection at every allocation"
/// means at every check point, because an allocation in the middle of
/// building an object is not a safe point.)
inline bool luaC_gcdue(lua_State* L) {
  return G(L)->GCdebt > 0 || (kHardMemTests && gcrunning(G(L)));
}

/// The work of a check point that luaC_gcdue found due: one step
/// (luaC_step) if the state owes debt, then the gc_stress build's full
/// collection.
inline void luaC_gcwork(lua_State* L) {
  if (G(L)->GCdebt > 0) luaC_step(L);
  if constexpr (kHardMemTests) {
    if (gcrunning(G(L))) luaC_fullgc(L, 0);
  }
}

/// A GC check point: when luaC_gcdue, runs `pre`, luaC_gcwork and `pos`.
/// Call it only where every live object is reachable from a root.
/// `pre` typically bounds the live part of the stack and `pos` rereads
/// what the collection may have moved. (Chapter 8's instruction loop
/// spells the same three steps out without callables; it says why.)
template <class Pre, class Pos>
void luaC_condGC(lua_State* L, Pre pre, Pos pos) {
  if (luaC_gcdue(L)) {
    pre();
    luaC_gcwork(L);
    pos();
  }
}

/// luaC_condGC with nothing to do before or after.
inline void luaC_checkGC(lua_State* L) {
  luaC_condGC(
      L, [] {}, [] {});
}

}  // namespace lua
