// Stage 6 demo: what exists after chapter 6. A graph hangs from the
// registry, next to some garbage; one incremental cycle runs a single step
// at a time, printing the phase, the gray lists and the objects by colour;
// a weak table loses the entry whose value died; an object with a
// finalizer is resurrected for its call and freed one cycle later; a minor
// collection in generational mode frees young garbage and ages the
// survivors; and the state closes with every byte given back. The seed is
// fixed (LUA_ANATOMY_SEED) and the allocator deterministic, so the output
// is the same on every run.
#include <cstdio>
#include <string>

#include "lgc/lgc.hpp"
#include "tests/lgc/support.hpp"

namespace {

using namespace lgctest;

void show_colours(lua_State* L, int step) {
  global_State* g = G(L);
  Colours c = colours(g);
  std::printf("  %4d  %-12s %5d %9d %6d %5d %6d %5d  %s\n", step,
              luaC_statename(g->gcstate), listlength(g->gray, true),
              listlength(g->grayagain, true), c.white, c.gray, c.black, c.dead,
              check_heap(g) == 0 ? "ok" : "VIOLATION");
}

// registry.demo = {1..8 = tables, each holding a string}, plus garbage
// made first, so that it sits deep in allgc where the sweep finds it.
void build(lua_State* L) {
  Table* root = roottable(L, "demo");
  Table* junk = newtable(L);  // garbage once popped
  for (int i = 1; i <= 5; i++) {
    Table* t = newtable(L);
    rawseti(L, junk, i, objv(L, t));
    pop(L);
  }
  pop(L);
  for (int i = 1; i <= 8; i++) {
    Table* t = newtable(L);
    rawseti(L, root, i, objv(L, t));
    TString* s = newstring(L, "value " + std::to_string(i));
    rawseti(L, t, 1, objv(L, s));
    pop(L, 2);
  }
}

void show_cycle(GCState& s) {
  lua_State* L = s.L;
  build(L);
  std::printf(
      "One incremental cycle, one single step at a time (gray lists are\n"
      "only meaningful while marking; check_heap after every step):\n\n"
      "  step  phase         gray grayagain  white  gray  black  dead  "
      "heap\n");
  int step = 0;
  show_colours(L, step);
  do {
    luaC_singlestep(L);
    show_colours(L, ++step);
  } while (s.g()->gcstate != GCSpause);
  std::printf("  memory in use after the cycle: %zu bytes\n",
              static_cast<std::size_t>(gettotalbytes(s.g())));
}

void show_weak(GCState& s) {
  lua_State* L = s.L;
  Table* w = roottable(L, "weak");
  Table* mt = newmetatable(L, "v", nullptr);
  setmetatable(L, w, mt);
  pop(L);
  Table* keep = roottable(L, "keep");
  Table* lives = newtable(L);
  rawseti(L, keep, 1, objv(L, lives));
  rawseti(L, w, 1, objv(L, lives));
  Table* dies = newtable(L);
  rawseti(L, w, 2, objv(L, dies));
  TString* str = newstring(L, "a string");
  rawseti(L, w, 3, objv(L, str));
  pop(L, 3);
  auto entries = [&] {
    std::printf("   ");
    for (int i = 1; i <= 3; i++)
      std::printf(" w[%d] = %s", i,
                  isempty(luaH_getint(w, i))
                      ? "nil"
                      : ttypename(ttype(luaH_getint(w, i))));
    std::printf("\n");
  };
  std::printf(
      "\nA table with weak values (__mode = \"v\"): w[1] is also held\n"
      "elsewhere, w[2] only here, w[3] is a string (never removed).\n");
  entries();
  luaC_fullgc(L, 0);
  std::printf("  after a full collection:\n");
  entries();
}

void show_finalizer(GCState& s) {
  lua_State* L = s.L;
  Finalizer fin{[](lua_State*, GCObject* o) {
    const TValue* v = luaH_getint(gco2t(o), 1);
    std::printf("    finalizer called; its object still holds \"%s\"\n",
                svalue(v));
    return LUA_OK;
  }};
  Table* mt = newmetatable(L, nullptr, &fin);
  rawseti(L, roottable(L, "keep"), 2, objv(L, mt));
  pop(L);
  Table* obj = newtable(L);
  setmetatable(L, obj, mt);
  TString* str = newstring(L, "resurrected data");
  rawseti(L, obj, 1, objv(L, str));
  Id id = s.id(obj);
  pop(L, 2);
  std::printf(
      "\nAn unreachable table with a __gc finalizer (finobj: %d object):\n",
      listlength(s.g()->finobj, false));
  luaC_fullgc(L, 0);
  std::printf("  after the first cycle the object is %s (back in allgc)\n",
              s.alive(id) ? "alive" : "freed");
  luaC_fullgc(L, 0);
  std::printf("  after the second cycle it is %s\n",
              s.alive(id) ? "alive" : "freed");
}

void show_generational(GCState& s) {
  lua_State* L = s.L;
  Table* keep = roottable(L, "keep");
  luaC_changemode(L, KGC_GEN);
  std::printf(
      "\nGenerational mode: every survivor of the switch is old (keep is "
      "%s).\nA young live table and a young garbage table, then minor "
      "collections:\n",
      luaC_agename(getage(keep)));
  Table* young = newtable(L);
  rawseti(L, keep, 3, objv(L, young));
  Table* junk = newtable(L);
  Id junkid = s.id(junk);
  pop(L, 2);
  std::printf("  stored: young table %s, keep %s (written to)\n",
              luaC_agename(getage(young)), luaC_agename(getage(keep)));
  for (int i = 1; i <= 3; i++) {
    luaE_setdebt(s.g(), 0);  // a step with no debt is a minor collection
    luaC_step(L);
    std::printf("  minor %d: young table %s, garbage %s, keep %s%s\n", i,
                luaC_agename(getage(young)),
                s.alive(junkid) ? "alive" : "freed", luaC_agename(getage(keep)),
                check_heap(s.g()) == 0 ? "" : " (bad)");
  }
  luaC_changemode(L, KGC_INC);
}

}  // namespace

int main() {
  GCState s;
  std::printf("Stage 6: the garbage collector\n\n");
  show_cycle(s);
  show_weak(s);
  show_finalizer(s);
  show_generational(s);
  std::size_t inuse = gettotalbytes(s.g());
  std::size_t left = s.close();
  std::printf(
      "\nClosing the state (%zu bytes in use) calls the pending finalizers "
      "and frees\neverything: the allocator holds %zu bytes.\n",
      inuse, left);
  return left == 0 ? 0 : 1;
}
