/// \file
/// A catalogue of `lua_Alloc` allocators: the default one, budgets, a pool,
/// observers (debug log, leak detector, per-type profiler) and the memory
/// control that white-box tests use to make allocations fail on purpose.
///
/// Mirrors: Lua 5.4 lauxlib.c's l_alloc and the allocator catalogue of the
/// seed; the control allocator mirrors ltests.c's memory control.
/// Book: chapter 1
///
/// Design: every allocator here is a plain `lua_Alloc` function plus a state
/// struct that the embedder passes as `ud`. Most of them forward the real
/// work to a "next" allocator (an `AllocRef`), so they stack: a profiler
/// over a pool over malloc, a memory control over a leak detector, and so
/// on. The functions follow lua.h's contract: `ptr == NULL` allocates and
/// then `osize` is the type tag Lua passes, not a size; `nsize == 0` frees
/// and returns NULL; anything else resizes; a NULL result for `nsize > 0`
/// is a failure that leaves `ptr` untouched.
///
/// - **Invariant COUNT.** An allocator's `AllocCounters` describe the bytes
///   and blocks its caller holds: `current` is the sum of the sizes of the
///   live blocks and `blocks` their number. Under lmem, `current` equals
///   `gettotalbytes` whenever the allocator sits directly below the state.
/// - **Invariant ROLLBACK.** A request that an allocator refuses, or that
///   its next allocator fails, changes no byte or block counter; only
///   `failures` records it.
/// - **Invariant ALIGN.** Every block returned is aligned for
///   `LUAI_MAXALIGN`: the pool carves blocks in multiples of `MAXALIGN`,
///   and the tracking headers are padded to a multiple of it.
/// - **Invariant TAG.** The leak detector and the profiler remember each
///   live block's type tag (in a header in front of the block), so a free
///   or a resize is charged to the tag the block was created with.
///
/// Differences from Lua: Lua ships only l_alloc and, in its test build,
/// ltests.c's debug allocator. The catalogue is ours; its policies (the
/// sandbox's overshoot, the pool's classes) are stated where they are
/// declared. The tag constants for upvalues and prototypes have names of
/// their own (`ALLOCTAG_UPVAL`, `ALLOCTAG_PROTO`) because chapter 2 owns
/// lobject.h's `LUA_TUPVAL` and `LUA_TPROTO`; the values are the same.
#pragma once

#include <cstddef>
#include <cstdio>

#include "lmem/llimits.hpp"

namespace lua {

/// A union of the types whose alignment every Lua block must honour.
union MaxAlign {
  LUAI_MAXALIGN;
};
/// The alignment every allocator of the catalogue guarantees.
inline constexpr std::size_t MAXALIGN = alignof(MaxAlign);

/// Tag Lua 5.4 passes (as `osize`) when it allocates an upvalue: the first
/// internal type after the basic ones (lobject.h's LUA_TUPVAL).
inline constexpr int ALLOCTAG_UPVAL = LUA_NUMTYPES;
/// Tag Lua 5.4 passes when it allocates a function prototype (LUA_TPROTO).
inline constexpr int ALLOCTAG_PROTO = LUA_NUMTYPES + 1;
/// Number of distinct tags: 0 (a plain vector) up to ALLOCTAG_PROTO.
inline constexpr int NUM_ALLOCTAGS = LUA_NUMTYPES + 2;

/// Human name of an allocation tag: "vector" for 0, "string", "table", ...,
/// "upvalue", "proto"; "other" for a value outside 0..NUM_ALLOCTAGS-1.
const char* alloctagname(int tag);

/// The default allocator (lauxlib's l_alloc): `realloc` and `free`.
/// `ud` is unused. Never sees a zero-size allocation from lmem.
void* l_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

/// An allocator and its state: the "next" allocator a wrapper forwards to.
struct AllocRef {
  lua_Alloc f = l_alloc;  ///< the allocator function
  void* ud = nullptr;     ///< its state
};

/// Counters that several allocators of the catalogue keep, in the bytes
/// their caller asked for (headers and rounding are not counted).
struct AllocCounters {
  std::size_t allocs = 0;    ///< successful fresh allocations
  std::size_t frees = 0;     ///< frees of non-null blocks
  std::size_t reallocs = 0;  ///< successful resizes of a live block
  std::size_t failures = 0;  ///< requests answered with NULL
  std::size_t current = 0;   ///< bytes of the live blocks (COUNT)
  std::size_t peak = 0;      ///< largest value `current` reached
  std::size_t blocks = 0;    ///< number of live blocks
};

/// Updates `c` for one finished request: `ptr`, `osize` and `nsize` are the
/// request's arguments and `result` what the allocator returned. A failed
/// request only increments `failures` (ROLLBACK).
void countrequest(AllocCounters* c, const void* ptr, std::size_t osize,
                  std::size_t nsize, const void* result);

// ---------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------

/// State of `limited_alloc`: a hard byte limit on what the caller holds.
struct LimitedAlloc {
  /// A budget of `limit` bytes over `next` (malloc by default).
  explicit LimitedAlloc(std::size_t limit, AllocRef next = {})
      : limit(limit), next(next) {}
  std::size_t limit;    ///< most bytes the caller may hold at once
  AllocCounters stats;  ///< `stats.current` never exceeds `limit`
  AllocRef next;        ///< where granted requests go
};

/// Grants a request only if the bytes held afterwards stay within
/// `limit`. Shrinking and freeing are always granted. A refused request,
/// or one the next allocator fails, is rolled back: it changes nothing
/// but `stats.failures` (ROLLBACK).
void* limited_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

/// How a sandbox treats its limit.
enum class SandboxMode : lu_byte {
  strict,   ///< never hold more than `limit`
  lenient,  ///< may overshoot `limit` by up to `overshoot_pct` percent
};

/// State of `sandbox_alloc`: a memory budget for untrusted code.
struct SandboxAlloc {
  /// A sandbox of `limit` bytes in `mode`, over malloc; lenient mode may
  /// overshoot by `pct` percent.
  explicit SandboxAlloc(std::size_t limit, SandboxMode mode, unsigned pct = 10)
      : limit(limit), mode(mode), overshoot_pct(pct) {}
  std::size_t limit;           ///< the budget, in bytes
  SandboxMode mode;            ///< strict or lenient
  unsigned overshoot_pct;      ///< lenient mode's allowance
  std::size_t overshoots = 0;  ///< granted requests that ended above `limit`
  AllocCounters stats;         ///< the caller's bytes and blocks
  AllocRef next;               ///< where granted requests go
};

/// Largest number of bytes `s` lets its caller hold: `limit` in strict
/// mode, `limit` plus `overshoot_pct` percent of it in lenient mode.
std::size_t sandbox_ceiling(const SandboxAlloc* s);

/// Policy: strict mode refuses any request that would make the caller
/// hold more than `limit` bytes. Lenient mode grants it while the total
/// stays within `sandbox_ceiling` (10% above the limit by default), and
/// counts each such grant in `overshoots`; past the ceiling it refuses.
/// So a lenient script that is slightly over budget keeps running, but
/// none can run away. Shrinking and freeing are always granted.
/// Refusals are rolled back as in `limited_alloc`.
void* sandbox_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

// ---------------------------------------------------------------------
// Pool
// ---------------------------------------------------------------------

/// Granularity of the pool's size classes: class `i` holds blocks of
/// `(i + 1) * POOL_GRANULE` bytes. A multiple of MAXALIGN (ALIGN) and
/// large enough to hold the free-list link of a free block.
inline constexpr std::size_t POOL_GRANULE = MAXALIGN > sizeof(void*)
                                                ? MAXALIGN
                                                : sizeof(void*);
/// Largest block the pool serves from its classes; larger requests go to
/// the backing allocator directly.
inline constexpr std::size_t POOL_MAXSMALL = 256;
/// Number of size classes.
inline constexpr int POOL_NCLASSES = cast_int(POOL_MAXSMALL / POOL_GRANULE);
static_assert(POOL_GRANULE % MAXALIGN == 0 &&
              POOL_MAXSMALL % POOL_GRANULE == 0);

struct PoolChunk;  // a chunk header; defined in lalloc.cpp
struct PoolFree;   // a free block's link; defined in lalloc.cpp

/// State of `pool_alloc`: a segregated-fit pool. Small blocks are carved
/// from chunks obtained from `backing` and recycled through one free list
/// per size class; large blocks go to `backing` as they are.
///
/// What it trades away: each small block is rounded up to its class, so
/// up to POOL_GRANULE - 1 bytes per block are wasted (internal
/// fragmentation, see `rounded`); a freed block serves only its own class;
/// the end of a chunk too short for the next block is abandoned (`wasted`);
/// and chunks are returned to `backing` only by `pool_destroy`, so the
/// pool's footprint is its high-water mark. In exchange a small allocation
/// or free is a few instructions with no call into the system allocator.
/// Not thread-safe.
struct PoolAlloc {
  AllocRef backing;              ///< source of chunks and large blocks
  std::size_t chunksize = 4096;  ///< bytes per chunk, header included
  PoolFree* freelist[POOL_NCLASSES] = {};  ///< one free list per class
  PoolChunk* chunks = nullptr;             ///< every chunk, newest first
  char* bump = nullptr;     ///< next uncarved byte of the newest chunk
  char* bumpend = nullptr;  ///< end of the newest chunk
  AllocCounters stats;      ///< the caller's bytes and blocks
  std::size_t nchunks = 0;  ///< chunks held
  std::size_t carved = 0;   ///< small blocks ever carved from chunks
  std::size_t reused = 0;   ///< small allocations served by a free list
  std::size_t large = 0;    ///< live blocks held by `backing` directly
  std::size_t rounded = 0;  ///< live bytes after rounding to classes
  std::size_t wasted = 0;   ///< chunk tails abandoned as too short

  PoolAlloc() = default;
  PoolAlloc(const PoolAlloc&) = delete;
  PoolAlloc& operator=(const PoolAlloc&) = delete;
  /// Returns every chunk to `backing` (pool_destroy).
  ~PoolAlloc();
};

/// Size class of a small block of `size` bytes (1..POOL_MAXSMALL).
constexpr int pool_class(std::size_t size) {
  return cast_int((size - 1) / POOL_GRANULE);
}

/// Allocates, resizes and frees as lua.h prescribes. A resize within one
/// class keeps the block in place; across classes, or between the classes
/// and the large-block path, it moves the contents (the smaller of the two
/// sizes) to a new block and recycles the old one. On failure of
/// `backing` it returns NULL and the old block stays valid.
void* pool_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

/// Returns every chunk to the backing allocator, empties the free lists
/// and resets the counters. Small blocks still live become invalid; large
/// blocks still live are not freed (the pool keeps no list of them). The
/// pool may be used again afterwards.
void pool_destroy(PoolAlloc* p);

/// Number of blocks on the free list of class `cls`.
std::size_t pool_freecount(const PoolAlloc* p, int cls);

/// Checks the pool's bookkeeping: every carved block is either live or on
/// exactly one free list, and every free block lies inside a chunk.
/// Returns the number of violations (0: sound); never asserts.
int check_pool(const PoolAlloc* p);

// ---------------------------------------------------------------------
// Observers
// ---------------------------------------------------------------------

/// Kind of a request, as the debug allocator reports it.
enum class AllocOp : lu_byte { alloc, realloc, free };

/// One request seen by the debug allocator.
struct AllocEvent {
  AllocOp op;           ///< what was asked
  int tag;              ///< the type tag of an alloc; -1 otherwise
  std::size_t osize;    ///< old size (0 for an alloc)
  std::size_t nsize;    ///< new size (0 for a free)
  const void* block;    ///< the block passed in (NULL for an alloc)
  const void* result;   ///< what the allocator returned
  bool ok;              ///< false when the request failed
  std::size_t current;  ///< bytes held after the request
};

/// Receives each event of a debug allocator, with the `logud` given.
using AllocLogFn = void (*)(void* logud, const AllocEvent* ev);

/// State of `debug_alloc`: counts every request and optionally logs it.
struct DebugAlloc {
  AllocCounters stats;         ///< allocs, frees, reallocs, bytes, peak
  std::FILE* log = nullptr;    ///< when set, one line per request
  AllocLogFn logfn = nullptr;  ///< when set, called for each request
  void* logud = nullptr;       ///< passed to `logfn`
  AllocRef next;               ///< the allocator being observed
};

/// Forwards every request to `next` unchanged and records it. The FILE
/// log prints no addresses, so that logs of two runs can be compared;
/// `logfn` receives them in the event.
void* debug_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

/// Writes one event as a line of text: "alloc table 0 -> 56 ok (56)".
void debug_logline(std::FILE* f, const AllocEvent* ev);

/// The header the tracking allocators put in front of each block. Its size
/// is a multiple of MAXALIGN, so the block after it stays aligned.
struct alignas(MaxAlign) TrackedBlock {
  TrackedBlock* prev;  ///< older live block, or null
  TrackedBlock* next;  ///< newer live block, or null
  std::size_t size;    ///< the caller's size of the block
  std::size_t serial;  ///< 1 for the first allocation, 2 for the next, ...
  int tag;             ///< the type tag given at allocation
};

/// The live blocks of a tracking allocator, oldest first.
struct TrackList {
  TrackedBlock* first = nullptr;  ///< oldest live block
  TrackedBlock* last = nullptr;   ///< newest live block
  std::size_t serial = 0;         ///< serial of the last allocation
};

/// A live block as reported by the leak detector.
struct LiveBlock {
  const void* address;  ///< the caller's pointer
  std::size_t size;     ///< its size
  int tag;              ///< its type tag
  std::size_t serial;   ///< its allocation number (stable across resizes)
};

/// State of `leak_alloc`: tracks every live block (TAG).
struct LeakDetector {
  AllocCounters stats;  ///< the caller's bytes and blocks
  TrackList live;       ///< the live blocks, oldest first
  AllocRef next;        ///< where blocks (with their headers) come from
};

/// Forwards requests to `next`, with a TrackedBlock header in front of
/// each block, and keeps the list of live blocks. A resized block keeps
/// its serial number and tag.
void* leak_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

/// Copies up to `max` live blocks, oldest first, to `out` and returns the
/// number of live blocks (which may be more than `max`).
std::size_t leak_live(const LeakDetector* d, LiveBlock* out, std::size_t max);

/// Prints the live blocks, oldest first, with their serial numbers, tags
/// and sizes, and addresses only when `addresses` is true.
void leak_report(const LeakDetector* d, std::FILE* f, bool addresses);

/// Checks that the list of live blocks matches `stats` (count and bytes)
/// and that its links are consistent. Returns the number of violations.
int check_leakdetector(const LeakDetector* d);

/// Bytes and blocks charged to one type tag by the profiler.
struct TagProfile {
  std::size_t current = 0;  ///< live bytes of this tag
  std::size_t peak = 0;     ///< largest value of `current`
  std::size_t blocks = 0;   ///< live blocks of this tag
  std::size_t allocs = 0;   ///< allocations of this tag, ever
};

/// State of `profiler_alloc`: memory per type tag (TAG). Slot
/// NUM_ALLOCTAGS collects tags outside the known range.
struct ProfilerAlloc {
  TagProfile bytag[NUM_ALLOCTAGS + 1];  ///< indexed by tag
  AllocCounters stats;                  ///< totals over all tags
  TrackList live;                       ///< the live blocks
  AllocRef next;                        ///< where blocks come from
};

/// Charges each allocation to the tag Lua passes in `osize` (LUA_TSTRING,
/// LUA_TTABLE, ..., ALLOCTAG_UPVAL, ALLOCTAG_PROTO, or 0 for a vector) and
/// each later resize or free to the same tag, read from the block's
/// header.
void* profiler_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize);

/// Prints one line per tag that was ever allocated: live blocks, live
/// bytes, peak bytes and allocations.
void profiler_report(const ProfilerAlloc* p, std::FILE* f);

/// Checks that the per-tag counters add up to `stats` and match the list
/// of live blocks. Returns the number of violations.
int check_profiler(const ProfilerAlloc* p);

// ---------------------------------------------------------------------
// Memory control for white-box tests (ltests.c)
// ---------------------------------------------------------------------

/// State of `memcontrol_alloc`: observes like the debug allocator and can
/// make requests fail on purpose, as Lua's test library does.
struct MemControl {
  AllocCounters stats;  ///< bytes (totalmem), blocks (numblocks), peak
  /// Number of further allocations allowed before requests fail; -1 means
  /// unlimited. Each request that asks for a new size (an allocation or a
  /// resize to a different size) uses one; frees never do.
  long countlimit = -1;
  bool failnext = false;  ///< when set, the next request fails, once
  AllocRef next;          ///< the allocator being controlled
};

/// Forwards to `next` unless a failure was requested; frees always go
/// through, so a state can always release memory.
void* memcontrol_alloc(void* ud, void* ptr, std::size_t osize,
                       std::size_t nsize);

/// Bytes the state currently holds through `mc` (ltests' totalmem).
inline std::size_t totalmem(const MemControl* mc) {
  return mc->stats.current;
}
/// Live blocks held through `mc`.
inline std::size_t numblocks(const MemControl* mc) {
  return mc->stats.blocks;
}
/// Allows `n` more allocations, after which every allocation fails until
/// the limit is changed; -1 removes the limit (ltests' alloccount).
inline void alloccount(MemControl* mc, long n) {
  mc->countlimit = n;
}
/// Makes the next allocation or resize fail, once (ltests' allocfailnext).
inline void allocfailnext(MemControl* mc) {
  mc->failnext = true;
}

}  // namespace lua
