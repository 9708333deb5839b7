// alloc_leakcheck: a leak-detecting allocator sees every block freed.
//
// Book: chapter 9 (the C API), exercising chapter 1's allocator contract.
//
// The state is created with lua_newstate over an allocator that puts a
// header in front of every block recording its size. On each free or resize
// the header is compared with the osize Lua passes (invariant OSIZE: Lua
// always knows the size of the block it hands back). The host reads the
// tracker back through lua_getallocf's ud, as a debugging tool would. What
// is checked:
//   - while scripts run, the live bytes equal LUA_GCCOUNT/COUNTB (the
//     collector's count is the allocator's count);
//   - creating one object of a kind passes that kind as osize exactly once
//     (the lua_Alloc contract for ptr == NULL);
//   - after lua_close there are 0 live blocks and 0 live bytes, every
//     allocation was matched by a free, and __gc finalizers ran at close.
#include <stddef.h>

#include "capi_check.h"

// The header keeps the block's size; its alignment keeps the payload
// aligned for any type, as Lua requires of an allocator.
typedef union Header {
  max_align_t align;
  size_t size;
} Header;

enum { KIND_SLOTS = 64 };  // osize tags seen on fresh blocks, by value

typedef struct Tracker {
  size_t live_blocks;
  size_t live_bytes;
  size_t allocations;  // fresh blocks handed out
  size_t frees;        // blocks taken back
  size_t bad_sizes;    // osize differed from the recorded size
  size_t by_kind[KIND_SLOTS];
} Tracker;

static void note_fresh(Tracker* t, size_t tag, size_t nsize) {
  t->allocations++;
  t->live_blocks++;
  t->live_bytes += nsize;
  if (tag < KIND_SLOTS) t->by_kind[tag]++;
}

static void* fresh_block(Tracker* t, size_t tag, size_t nsize) {
  Header* h = malloc(sizeof(Header) + nsize);
  if (h == NULL) return NULL;
  h->size = nsize;
  note_fresh(t, tag, nsize);
  return h + 1;
}

static void release_block(Tracker* t, Header* h, size_t osize) {
  if (h->size != osize) t->bad_sizes++;
  t->frees++;
  t->live_blocks--;
  t->live_bytes -= h->size;
  free(h);
}

static void* resize_block(Tracker* t, Header* h, size_t osize, size_t nsize) {
  if (h->size != osize) t->bad_sizes++;
  size_t recorded = h->size;
  Header* moved = realloc(h, sizeof(Header) + nsize);
  if (moved == NULL) return NULL;
  moved->size = nsize;
  t->live_bytes = t->live_bytes - recorded + nsize;
  return moved + 1;
}

static void* tracking_alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  Tracker* t = (Tracker*)ud;
  if (ptr == NULL) return nsize == 0 ? NULL : fresh_block(t, osize, nsize);
  Header* h = (Header*)ptr - 1;
  if (nsize == 0) {
    release_block(t, h, osize);
    return NULL;
  }
  return resize_block(t, h, osize, nsize);
}

static Tracker* tracker_of(lua_State* L) {
  void* ud = NULL;
  lua_Alloc f = lua_getallocf(L, &ud);
  CHECK(f == tracking_alloc);
  return (Tracker*)ud;
}

static int finalized = 0;

static int count_finalizer(lua_State* L) {
  (void)L;
  finalized++;
  return 0;
}

// A workload touching every kind of object, errors, cycles and coroutines,
// some left suspended for lua_close to reclaim.
static const char* const workload =
    "local t = {}\n"
    "for i = 1, 2000 do t[i] = {i, tostring(i), function() return i end} end\n"
    "local cycle = {} cycle.self = cycle\n"
    "for i = 1, 100 do pcall(error, {code = i}) end\n"
    "local s = ''\n"
    "for i = 1, 200 do s = s .. 'piece' .. i end\n"
    "local gen = coroutine.wrap(function()\n"
    "  for i = 1, 10 do coroutine.yield(i) end\n"
    "end)\n"
    "local sum = 0\n"
    "for i = 1, 10 do sum = sum + gen() end\n"
    "parked = coroutine.create(function(x)\n"
    "  local big = {x, x, x}\n"
    "  coroutine.yield(big)\n"
    "end)\n"
    "coroutine.resume(parked, 'kept')\n"
    "keep = t\n"
    "return sum, #s\n";

// One object of each kind must reach the allocator with its kind as osize.
static void check_object_kinds(lua_State* L, Tracker* t) {
  lua_gc(L, LUA_GCSTOP);  // no collection step may run in between
  size_t before[KIND_SLOTS];
  memcpy(before, t->by_kind, sizeof before);
  lua_newtable(L);
  CHECK(t->by_kind[LUA_TTABLE] == before[LUA_TTABLE] + 1);
  lua_newuserdatauv(L, 32, 1);
  CHECK(t->by_kind[LUA_TUSERDATA] == before[LUA_TUSERDATA] + 1);
  lua_newthread(L);
  CHECK(t->by_kind[LUA_TTHREAD] == before[LUA_TTHREAD] + 1);
  lua_pushinteger(L, 7);
  lua_pushcclosure(L, count_finalizer, 1);
  CHECK(t->by_kind[LUA_TFUNCTION] == before[LUA_TFUNCTION] + 1);
  char text[100];
  memset(text, 'q', sizeof text);
  lua_pushlstring(L, text, sizeof text);  // a long string: never interned
  CHECK(t->by_kind[LUA_TSTRING] == before[LUA_TSTRING] + 1);
  lua_pop(L, 5);
  lua_gc(L, LUA_GCRESTART);
}

static void make_finalized_userdata(lua_State* L, int n) {
  luaL_newmetatable(L, "Tracked");
  lua_pushcfunction(L, count_finalizer);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_newtable(L);  // keeps them alive until lua_close
  for (int i = 1; i <= n; i++) {
    lua_newuserdatauv(L, 16, 0);
    luaL_setmetatable(L, "Tracked");
    lua_rawseti(L, -2, i);
  }
  lua_setglobal(L, "tracked");
}

int main(void) {
  Tracker tracker = {0};
  lua_State* L = capi_newstate(tracking_alloc, &tracker);
  if (L == NULL) return capi_finish("alloc_leakcheck", NULL);
  Tracker* t = tracker_of(L);
  CHECK(t == &tracker);
  CHECK(t->live_blocks > 0);
  CHECK(t->live_bytes == capi_bytes_in_use(L));

  CHECK_RUN(L, workload);
  CHECK(lua_tointeger(L, 1) == 55);
  CHECK(lua_tointeger(L, 2) > 1000);
  lua_settop(L, 0);
  CHECK(t->live_bytes == capi_bytes_in_use(L));

  size_t live_before_collect = t->live_bytes;
  CHECK_RUN(L, "keep = nil");
  lua_gc(L, LUA_GCCOLLECT);
  CHECK(t->live_bytes < live_before_collect);
  CHECK(t->live_bytes == capi_bytes_in_use(L));

  check_object_kinds(L, t);
  make_finalized_userdata(L, 25);
  CHECK(finalized == 0);
  CHECK(t->live_blocks > 0);

  lua_close(L);
  CHECK(finalized == 25);
  CHECK(tracker.live_blocks == 0);
  CHECK(tracker.live_bytes == 0);
  CHECK(tracker.allocations == tracker.frees);
  CHECK(tracker.bad_sizes == 0);
  if (tracker.live_blocks != 0 || tracker.live_bytes != 0)
    fprintf(stderr, "leaked %zu block(s), %zu byte(s)\n", tracker.live_blocks,
            tracker.live_bytes);

  char detail[64];
  snprintf(detail, sizeof detail, "%zu blocks allocated and freed",
           tracker.allocations);
  return capi_finish("alloc_leakcheck", detail);
}
