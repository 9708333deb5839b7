/// \file
/// The allocator catalogue: default, limited, sandbox, pool, debug, leak
/// detector, per-type profiler and the test library's memory control.
///
/// Mirrors: Lua 5.4 lauxlib.c's l_alloc and the allocator catalogue of the
/// seed; the control allocator mirrors ltests.c's memory control.
/// Book: chapter 1
///
/// See lalloc.hpp for the invariants COUNT, ROLLBACK, ALIGN and TAG. Each
/// allocator decides first, calls its next allocator second and updates
/// its counters last, and only on success: that order is what makes
/// ROLLBACK hold without undoing anything.
///
/// Differences from Lua: the seed's limited allocator updates its counter
/// before the call and undoes it on failure; ours never touches it before
/// success, which is equivalent and cannot forget a path.
#include "lmem/lalloc.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace lua {

namespace {

// A fresh allocation's `osize` is a tag, not a size: the block being
// resized or freed is `osize` bytes only when there is a block.
constexpr std::size_t oldsize(const void* ptr, std::size_t osize) {
  return ptr == nullptr ? 0 : osize;
}

void* callnext(const AllocRef& r, void* ptr, std::size_t osize,
               std::size_t nsize) {
  return (*r.f)(r.ud, ptr, osize, nsize);
}

// True when a caller holding `current` bytes may replace a block of `old`
// bytes by one of `nsize` bytes and still hold at most `ceiling`. Written
// without sums, so that no size can overflow.
bool fitsbudget(std::size_t current, std::size_t old, std::size_t nsize,
                std::size_t ceiling) {
  if (nsize <= old) return true;  // shrinking is always allowed
  std::size_t others = current - old;
  return others <= ceiling && nsize <= ceiling - others;
}

// Index of a tag in per-tag tables: the tag itself when Lua 5.4 can pass
// it, else the extra slot NUM_ALLOCTAGS ("other").
constexpr int tagslot(int tag) {
  return (tag >= 0 && tag < NUM_ALLOCTAGS) ? tag : NUM_ALLOCTAGS;
}

// The common body of the budget allocators: decide, forward, count.
void* budgeted(AllocCounters* c, const AllocRef& next, std::size_t ceiling,
               void* ptr, std::size_t osize, std::size_t nsize) {
  if (nsize > 0 &&
      !fitsbudget(c->current, oldsize(ptr, osize), nsize, ceiling)) {
    c->failures++;  // refused: nothing else changes (ROLLBACK)
    return nullptr;
  }
  void* r = callnext(next, ptr, osize, nsize);
  countrequest(c, ptr, osize, nsize, r);
  return r;
}

}  // namespace

const char* alloctagname(int tag) {
  static const char* const names[NUM_ALLOCTAGS + 1] = {
      "vector",   "boolean",  "lightuserdata", "number",  "string", "table",
      "function", "userdata", "thread",        "upvalue", "proto",  "other"};
  return names[tagslot(tag)];
}

// lauxlib's choice: realloc already implements the whole contract except
// freeing, which must return NULL.
void* l_alloc(void*, void* ptr, std::size_t, std::size_t nsize) {
  if (nsize == 0) {
    std::free(ptr);
    return nullptr;
  }
  return std::realloc(ptr, nsize);
}

// One place decides what each kind of request does to the counters, so
// that all allocators of the catalogue agree (COUNT), a fresh block's
// `osize` is never mistaken for a size, and a failure changes nothing but
// `failures` (ROLLBACK).
void countrequest(AllocCounters* c, const void* ptr, std::size_t osize,
                  std::size_t nsize, const void* result) {
  std::size_t old = oldsize(ptr, osize);
  if (nsize == 0) {
    if (ptr == nullptr) return;  // freeing NULL is a no-op
    c->frees++;
    c->blocks--;
  } else if (result == nullptr) {
    c->failures++;
    return;
  } else if (ptr == nullptr) {
    c->allocs++;
    c->blocks++;
  } else {
    c->reallocs++;
  }
  c->current = c->current - old + nsize;
  if (c->current > c->peak) c->peak = c->current;
}

// ---------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------

void* limited_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* a = static_cast<LimitedAlloc*>(ud);
  return budgeted(&a->stats, a->next, a->limit, ptr, osize, nsize);
}

// The allowance is computed in two parts so that limit * pct cannot
// overflow, even for a limit near SIZE_MAX (with pct up to 100); a ceiling
// past SIZE_MAX saturates.
std::size_t sandbox_ceiling(const SandboxAlloc* s) {
  if (s->mode == SandboxMode::strict) return s->limit;
  std::size_t extra = s->limit / 100 * s->overshoot_pct +
                      s->limit % 100 * s->overshoot_pct / 100;
  return extra > MAX_SIZET - s->limit ? MAX_SIZET : s->limit + extra;
}

// A sandbox is a budget whose ceiling depends on the mode; what it adds is
// the record of grants that ended above the soft limit.
void* sandbox_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* s = static_cast<SandboxAlloc*>(ud);
  std::size_t before = s->stats.current;
  void* r = budgeted(&s->stats, s->next, sandbox_ceiling(s), ptr, osize, nsize);
  if (s->stats.current > s->limit && s->stats.current > before)
    s->overshoots++;  // a grant that went (further) over the soft limit
  return r;
}

// ---------------------------------------------------------------------
// Pool
// ---------------------------------------------------------------------

// Chunks are chained through a header padded to MAXALIGN, so the first
// block carved after it is aligned (ALIGN).
struct alignas(MaxAlign) PoolChunk {
  PoolChunk* next;
  std::size_t size;
};

// A free block holds the link to the next free block of its class.
struct PoolFree {
  PoolFree* next;
};
static_assert(sizeof(PoolFree) <= POOL_GRANULE);

namespace {

constexpr bool issmall(std::size_t size) {
  return size <= POOL_MAXSMALL;
}

constexpr std::size_t classsize(int cls) {
  return cast_sizet(cls + 1) * POOL_GRANULE;
}

// Gets a fresh chunk from the backing allocator and makes it the one
// blocks are carved from. What is left of the previous one is abandoned.
bool pool_newchunk(PoolAlloc* p) {
  std::size_t size = p->chunksize;
  if (size < sizeof(PoolChunk) + POOL_MAXSMALL)
    size = sizeof(PoolChunk) + POOL_MAXSMALL;
  void* mem = callnext(p->backing, nullptr, 0, size);
  if (mem == nullptr) return false;
  p->chunks = new (mem) PoolChunk{p->chunks, size};
  p->wasted += cast_sizet(p->bumpend - p->bump);
  p->bump = reinterpret_cast<char*>(p->chunks + 1);
  p->bumpend = static_cast<char*>(mem) + size;
  p->nchunks++;
  return true;
}

// A free list first (that is the reuse), else fresh bytes of a chunk.
void* pool_getsmall(PoolAlloc* p, int cls) {
  if (PoolFree* f = p->freelist[cls]) {
    p->freelist[cls] = f->next;
    p->reused++;
    return f;
  }
  std::size_t size = classsize(cls);
  if (cast_sizet(p->bumpend - p->bump) < size && !pool_newchunk(p))
    return nullptr;
  void* b = p->bump;
  p->bump += size;
  p->carved++;
  return b;
}

// A fresh block of `size` bytes: from the classes when small, from the
// backing allocator (which gets the tag, so observers below still see it)
// when large.
void* pool_get(PoolAlloc* p, std::size_t size, std::size_t tag) {
  if (!issmall(size)) {
    void* b = callnext(p->backing, nullptr, tag, size);
    if (b != nullptr) p->large++, p->rounded += size;
    return b;
  }
  int cls = pool_class(size);
  void* b = pool_getsmall(p, cls);
  if (b != nullptr) p->rounded += classsize(cls);
  return b;
}

// A small block goes to the head of its class's list, so the next request
// of that class gets it back (LIFO: the block most likely still cached).
void pool_release(PoolAlloc* p, void* block, std::size_t size) {
  if (!issmall(size)) {
    callnext(p->backing, block, size, 0);
    p->large--;
    p->rounded -= size;
    return;
  }
  int cls = pool_class(size);
  p->freelist[cls] = new (block) PoolFree{p->freelist[cls]};
  p->rounded -= classsize(cls);
}

// Moves a block to a new home when its size leaves its class or path.
void* pool_move(PoolAlloc* p, void* block, std::size_t osize,
                std::size_t nsize) {
  void* nb = pool_get(p, nsize, 0);
  if (nb == nullptr) return nullptr;  // the old block is untouched
  std::memcpy(nb, block, osize < nsize ? osize : nsize);
  pool_release(p, block, osize);
  return nb;
}

// Three cases: the same class (nothing to do), large to large (the backing
// allocator can often grow in place), and any other (a move).
void* pool_resize(PoolAlloc* p, void* block, std::size_t osize,
                  std::size_t nsize) {
  if (issmall(osize) && issmall(nsize)) {
    if (pool_class(osize) == pool_class(nsize)) return block;  // in place
  } else if (!issmall(osize) && !issmall(nsize)) {
    void* nb = callnext(p->backing, block, osize, nsize);
    if (nb != nullptr) p->rounded = p->rounded - osize + nsize;
    return nb;
  }
  return pool_move(p, block, osize, nsize);
}

}  // namespace

void* pool_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* p = static_cast<PoolAlloc*>(ud);
  void* r = nullptr;
  if (nsize == 0) {
    if (ptr != nullptr) pool_release(p, ptr, osize);
  } else if (ptr == nullptr) {
    r = pool_get(p, nsize, osize);  // osize is the tag: pass it on
  } else {
    r = pool_resize(p, ptr, osize, nsize);
  }
  countrequest(&p->stats, ptr, osize, nsize, r);
  return r;
}

// Chunks are the only memory the pool owns; large blocks belong to the
// caller, who frees them as Lua frees everything at close.
void pool_destroy(PoolAlloc* p) {
  while (PoolChunk* c = p->chunks) {
    p->chunks = c->next;
    callnext(p->backing, c, c->size, 0);
  }
  for (PoolFree*& f : p->freelist) f = nullptr;
  p->bump = p->bumpend = nullptr;
  // Every small block died with its chunk; start the books afresh.
  p->stats = AllocCounters{};
  p->nchunks = p->carved = p->reused = p->large = 0;
  p->rounded = p->wasted = 0;
}

PoolAlloc::~PoolAlloc() {
  pool_destroy(this);
}

std::size_t pool_freecount(const PoolAlloc* p, int cls) {
  std::size_t n = 0;
  for (const PoolFree* f = p->freelist[cls]; f != nullptr; f = f->next) n++;
  return n;
}

namespace {

bool inchunk(const PoolAlloc* p, const void* b) {
  auto* a = static_cast<const char*>(b);
  for (const PoolChunk* c = p->chunks; c != nullptr; c = c->next) {
    auto* lo = reinterpret_cast<const char*>(c + 1);
    auto* hi = reinterpret_cast<const char*>(c) + c->size;
    if (lo <= a && a < hi) return true;
  }
  return false;
}

}  // namespace

// A free block outside every chunk ends the walk of its list: its `next`
// cannot be trusted.
int check_pool(const PoolAlloc* p) {
  int bad = 0;
  std::size_t nfree = 0;
  for (int cls = 0; cls < POOL_NCLASSES; cls++) {
    for (const PoolFree* f = p->freelist[cls]; f != nullptr; f = f->next) {
      if (!inchunk(p, f)) {
        bad++;
        break;
      }
      nfree++;
    }
  }
  std::size_t livesmall = p->stats.blocks - p->large;
  if (p->carved != livesmall + nfree) bad++;
  if (p->rounded < p->stats.current) bad++;
  return bad;
}

// ---------------------------------------------------------------------
// Debug allocator
// ---------------------------------------------------------------------

namespace {

AllocEvent makeevent(const void* ptr, std::size_t osize, std::size_t nsize,
                     const void* r, std::size_t current) {
  AllocOp op = nsize == 0       ? AllocOp::free
               : ptr == nullptr ? AllocOp::alloc
                                : AllocOp::realloc;
  int tag = op == AllocOp::alloc ? cast_int(osize) : -1;
  bool ok = nsize == 0 || r != nullptr;
  return {op, tag, oldsize(ptr, osize), nsize, ptr, r, ok, current};
}

}  // namespace

// A pure observer: the request goes through unchanged, and the event is
// built only when someone listens.
void* debug_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* d = static_cast<DebugAlloc*>(ud);
  void* r = callnext(d->next, ptr, osize, nsize);
  countrequest(&d->stats, ptr, osize, nsize, r);
  if (d->log != nullptr || d->logfn != nullptr) {
    AllocEvent ev = makeevent(ptr, osize, nsize, r, d->stats.current);
    if (d->log != nullptr) debug_logline(d->log, &ev);
    if (d->logfn != nullptr) d->logfn(d->logud, &ev);
  }
  return r;
}

void debug_logline(std::FILE* f, const AllocEvent* ev) {
  static const char* const ops[] = {"alloc", "realloc", "free"};
  const char* what = ev->op == AllocOp::alloc ? alloctagname(ev->tag) : "-";
  std::fprintf(f, "%s %s %zu -> %zu %s (%zu)\n", ops[static_cast<int>(ev->op)],
               what, ev->osize, ev->nsize, ev->ok ? "ok" : "FAILED",
               ev->current);
}

// ---------------------------------------------------------------------
// Tracking headers (leak detector and profiler)
// ---------------------------------------------------------------------

namespace {

constexpr std::size_t HEADER = sizeof(TrackedBlock);
static_assert(HEADER % MAXALIGN == 0, "headers must keep blocks aligned");

TrackedBlock* headerof(void* block) {
  return static_cast<TrackedBlock*>(block) - 1;
}

void link(TrackList* l, TrackedBlock* h) {
  h->prev = l->last;
  h->next = nullptr;
  (l->last != nullptr ? l->last->next : l->first) = h;
  l->last = h;
}

void unlink(TrackList* l, TrackedBlock* h) {
  (h->prev != nullptr ? h->prev->next : l->first) = h->next;
  (h->next != nullptr ? h->next->prev : l->last) = h->prev;
}

// After the next allocator moved a header, its neighbours (whose links it
// copied) must point to the new address.
void relink(TrackList* l, TrackedBlock* h) {
  (h->prev != nullptr ? h->prev->next : l->first) = h;
  (h->next != nullptr ? h->next->prev : l->last) = h;
}

// The tag of a fresh allocation, which arrives as its `osize`.
int tagof(std::size_t osize) {
  return osize > cast_sizet(INT_MAX) ? -1 : cast_int(osize);
}

// The tag travels on to the next allocator, so tracking allocators stack.
void* track_alloc(TrackList* l, const AllocRef& next, std::size_t osize,
                  std::size_t nsize) {
  if (nsize > MAX_SIZET - HEADER) return nullptr;
  void* mem = callnext(next, nullptr, osize, nsize + HEADER);
  if (mem == nullptr) return nullptr;
  auto* h = new (mem)
      TrackedBlock{nullptr, nullptr, nsize, ++l->serial, tagof(osize)};
  link(l, h);
  return h + 1;
}

void* track_resize(TrackList* l, const AllocRef& next, TrackedBlock* h,
                   std::size_t osize, std::size_t nsize) {
  if (nsize > MAX_SIZET - HEADER) return nullptr;
  void* mem = callnext(next, h, osize + HEADER, nsize + HEADER);
  if (mem == nullptr) return nullptr;  // h is untouched, links intact
  h = static_cast<TrackedBlock*>(mem);
  h->size = nsize;
  relink(l, h);
  return h + 1;
}

// One request of a tracking allocator. `*tag` receives the tag of the
// block concerned: the new tag for an allocation, the remembered one for
// a resize or a free (TAG).
void* tracked(TrackList* l, const AllocRef& next, void* ptr, std::size_t osize,
              std::size_t nsize, int* tag) {
  if (ptr == nullptr) {
    *tag = tagof(osize);
    return nsize == 0 ? callnext(next, nullptr, 0, 0)
                      : track_alloc(l, next, osize, nsize);
  }
  TrackedBlock* h = headerof(ptr);
  lua_assert(h->size == osize);  // Lua always knows a block's size
  *tag = h->tag;
  if (nsize > 0) return track_resize(l, next, h, osize, nsize);
  unlink(l, h);
  callnext(next, h, osize + HEADER, 0);
  return nullptr;
}

// The shared part of the two checkers: the list's links, count and bytes.
// The number of violations in a list of live blocks: back links, serials,
// its last element, and its agreement with the counters.
int checklist(const TrackList* l, const AllocCounters* c) {
  int bad = 0;
  std::size_t n = 0, bytes = 0;
  const TrackedBlock* prev = nullptr;
  for (const TrackedBlock* h = l->first; h != nullptr; h = h->next) {
    if (h->prev != prev || h->serial > l->serial) bad++;
    n++, bytes += h->size, prev = h;
  }
  if (prev != l->last) bad++;
  if (n != c->blocks) bad++;
  if (bytes != c->current) bad++;
  return bad;
}

}  // namespace

// ---------------------------------------------------------------------
// Leak detector
// ---------------------------------------------------------------------

// All the work is in the tracking layer; the tag is not needed here.
void* leak_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* d = static_cast<LeakDetector*>(ud);
  int tag;
  void* r = tracked(&d->live, d->next, ptr, osize, nsize, &tag);
  countrequest(&d->stats, ptr, osize, nsize, r);
  return r;
}

std::size_t leak_live(const LeakDetector* d, LiveBlock* out, std::size_t max) {
  std::size_t n = 0;
  for (const TrackedBlock* h = d->live.first; h != nullptr; h = h->next) {
    if (n < max) out[n] = {h + 1, h->size, h->tag, h->serial};
    n++;
  }
  return n;
}

void leak_report(const LeakDetector* d, std::FILE* f, bool addresses) {
  std::fprintf(f, "%zu live blocks, %zu bytes\n", d->stats.blocks,
               d->stats.current);
  for (const TrackedBlock* h = d->live.first; h != nullptr; h = h->next) {
    std::fprintf(f, "  #%-4zu %-8s %6zu bytes", h->serial, alloctagname(h->tag),
                 h->size);
    if (addresses) std::fprintf(f, " at %p", static_cast<const void*>(h + 1));
    std::fputc('\n', f);
  }
}

int check_leakdetector(const LeakDetector* d) {
  return checklist(&d->live, &d->stats);
}

// ---------------------------------------------------------------------
// Profiler
// ---------------------------------------------------------------------

namespace {

// Charges one successful request to the profile of its block's tag.
void charge(TagProfile* t, const void* ptr, std::size_t osize,
            std::size_t nsize) {
  std::size_t old = oldsize(ptr, osize);
  if (ptr == nullptr) t->allocs++, t->blocks++;
  if (nsize == 0) t->blocks--;
  t->current = t->current - old + nsize;
  if (t->current > t->peak) t->peak = t->current;
}

}  // namespace

// The tag comes from `osize` on allocation and from the block's header on
// every later request, so each byte is charged to the type that owns it
// (TAG). Only successful requests are charged.
void* profiler_alloc(void* ud, void* ptr, std::size_t osize,
                     std::size_t nsize) {
  auto* p = static_cast<ProfilerAlloc*>(ud);
  int tag;
  void* r = tracked(&p->live, p->next, ptr, osize, nsize, &tag);
  bool ok = (nsize == 0) ? ptr != nullptr : r != nullptr;
  if (ok) charge(&p->bytag[tagslot(tag)], ptr, osize, nsize);
  countrequest(&p->stats, ptr, osize, nsize, r);
  return r;
}

void profiler_report(const ProfilerAlloc* p, std::FILE* f) {
  std::fprintf(f, "%-14s %7s %9s %9s %7s\n", "tag", "blocks", "bytes", "peak",
               "allocs");
  for (int t = 0; t <= NUM_ALLOCTAGS; t++) {
    const TagProfile& tp = p->bytag[t];
    if (tp.allocs == 0) continue;
    std::fprintf(f, "%-14s %7zu %9zu %9zu %7zu\n", alloctagname(t), tp.blocks,
                 tp.current, tp.peak, tp.allocs);
  }
}

int check_profiler(const ProfilerAlloc* p) {
  int bad = checklist(&p->live, &p->stats);
  std::size_t bytes = 0, blocks = 0;
  for (const TagProfile& tp : p->bytag)
    bytes += tp.current, blocks += tp.blocks;
  for (const TrackedBlock* h = p->live.first; h != nullptr; h = h->next) {
    const TagProfile& tp = p->bytag[tagslot(h->tag)];
    if (tp.blocks == 0 || tp.current < h->size) bad++;
  }
  if (bytes != p->stats.current) bad++;
  if (blocks != p->stats.blocks) bad++;
  return bad;
}

// ---------------------------------------------------------------------
// Memory control
// ---------------------------------------------------------------------

namespace {

// Decides whether a request must fail on purpose, consuming `failnext` or
// one unit of `countlimit`. Requests that keep the size change nothing and
// do not count, as in ltests.c.
bool mustfail(MemControl* mc, std::size_t old, std::size_t nsize) {
  if (mc->failnext) {
    mc->failnext = false;
    return true;
  }
  if (mc->countlimit < 0 || nsize == old) return false;
  if (mc->countlimit == 0) return true;
  mc->countlimit--;
  return false;
}

}  // namespace

// Frees are never failed: a state must always be able to give memory
// back, and Lua's contract says a free cannot fail.
void* memcontrol_alloc(void* ud, void* ptr, std::size_t osize,
                       std::size_t nsize) {
  auto* mc = static_cast<MemControl*>(ud);
  void* r = nullptr;
  if (nsize == 0 || !mustfail(mc, oldsize(ptr, osize), nsize))
    r = callnext(mc->next, ptr, osize, nsize);
  countrequest(&mc->stats, ptr, osize, nsize, r);
  return r;
}

}  // namespace lua
