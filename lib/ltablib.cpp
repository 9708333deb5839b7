/// \file
/// The table library: concat, insert, remove, move, pack, unpack and sort,
/// working on tables and on any value whose metamethods make it act like
/// one.
///
/// Mirrors: Lua 5.4 ltablib.c
/// Book: chapter 10
///
/// Design: every element access goes through lua_geti/lua_seti and every
/// length through luaL_len, so the functions honour __index, __newindex
/// and __len exactly as Lua code indexing the table would. Only the
/// argument check looks at raw fields.
///
/// - **Invariant TABLE-LIKE.** A function accepts a non-table argument
///   when its metatable holds (as raw fields) a metamethod for each kind
///   of access the function makes: __index to read, __newindex to write,
///   __len to take the length. Anything else fails with "table expected,
///   got <type>".
/// - **Invariant POSITIONS.** insert accepts positions in [1, #t+1] and
///   remove in [1, #t+1] (its default, #t, is never checked, so removing
///   from an empty table reads t[0]). Both compare as unsigned numbers, so
///   one test rejects positions below 1 and above the end.
/// - **Invariant PIVOT-ON-TOP.** During a partition of sort, the pivot's
///   value sits on the stack below the one or two elements being compared;
///   each step pushes an element, compares it, and pops it or stores it,
///   so the stack ends as it began.
/// - **Invariant PARTITION.** Between steps of a partition of a[lo..up],
///   a[lo..i] sort no later than the pivot P and a[j..up] no earlier; an
///   order function that makes an element pass a sentinel (a[up-1] is P
///   itself, a[lo] <= P) is inconsistent and raises "invalid order
///   function for sorting".
///
/// Style: the sort keeps Lua's exact sequence of reads, comparisons and
/// writes, so a comparison function sees the same calls, and an
/// inconsistent one fails at the same point, as under lua5.4.
///
/// Differences from Lua: l_randomizePivot folds clock() and time() as two
/// 64-bit numbers rather than as arrays of `unsigned int`; its value is
/// meant to be unpredictable, so no program can tell.
#include <climits>
#include <ctime>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

// The kinds of access a function makes to its table argument (invariant
// TABLE-LIKE). They combine with '|', so they are flags, not an enum class.
constexpr unsigned TAB_R = 1;  // reads elements
constexpr unsigned TAB_W = 2;  // writes elements
constexpr unsigned TAB_L = 4;  // takes the length
constexpr unsigned TAB_RW = TAB_R | TAB_W;

// Whether the metatable at absolute stack index `mt` has its own field
// `event` (a raw read: the metatable's metatable is not consulted).
bool checkfield(lua_State* L, int mt, const char* event) {
  lua_pushstring(L, event);
  const bool present = lua_rawget(L, mt) != LUA_TNIL;
  lua_pop(L, 1);
  return present;
}

bool needs(unsigned what, unsigned access) {
  return (what & access) != 0;
}

// Invariant TABLE-LIKE for a value that is not a table.
bool actsastable(lua_State* L, int arg, unsigned what) {
  if (lua_getmetatable(L, arg) == 0) return false;
  const int mt = lua_gettop(L);
  const bool ok = (!needs(what, TAB_R) || checkfield(L, mt, "__index")) &&
                  (!needs(what, TAB_W) || checkfield(L, mt, "__newindex")) &&
                  (!needs(what, TAB_L) || checkfield(L, mt, "__len"));
  lua_pop(L, 1);
  return ok;
}

void checktab(lua_State* L, int arg, unsigned what) {
  if (lua_type(L, arg) == LUA_TTABLE || actsastable(L, arg, what)) return;
  luaL_checktype(L, arg, LUA_TTABLE);  // raises "table expected, got X"
}

// The length of the table-like argument `arg`, checked for `what` too.
lua_Integer aux_getn(lua_State* L, int arg, unsigned what) {
  checktab(L, arg, what | TAB_L);
  return luaL_len(L, arg);
}

// Every function works on argument 1.
constexpr int kTable = 1;

// Invariant POSITIONS: 1-based position `pos` as a 0-based unsigned
// offset, where anything below 1 wraps around to a huge value.
lua_Unsigned offset1(lua_Integer pos) {
  return static_cast<lua_Unsigned>(pos) - 1u;
}

lua_Unsigned asunsigned(lua_Integer n) {
  return static_cast<lua_Unsigned>(n);
}

// t[i] = t[i-1] for i from `last` down to `pos`+1: opens a hole at pos.
void shiftup(lua_State* L, lua_Integer pos, lua_Integer last) {
  for (lua_Integer i = last; i > pos; i--) {
    lua_geti(L, kTable, i - 1);
    lua_seti(L, kTable, i);
  }
}

// t[i] = t[i+1] for i from `pos` up to `last`-1, then the last slot
// (t[pos] itself when pos >= last) is cleared: closes the hole at pos.
void shiftdown(lua_State* L, lua_Integer pos, lua_Integer last) {
  for (lua_Integer i = pos; i < last; i++) {
    lua_geti(L, kTable, i + 1);
    lua_seti(L, kTable, i);
  }
  lua_pushnil(L);
  lua_seti(L, kTable, pos < last ? last : pos);
}

// The position argument of insert and remove.
constexpr int kPos = 2;

// insert(t, v) appends; insert(t, pos, v) shifts t[pos..] up first. The
// new value is on top of the stack in both forms. The argument count is
// checked after the length, as in Lua (it decides the error reported).
int tinsert(lua_State* L) {
  const lua_Integer size = aux_getn(L, kTable, TAB_RW);
  const lua_Integer firstempty = luaL_intop(+, size, 1);
  const int nargs = lua_gettop(L);
  if (nargs != 2 && nargs != 3)
    return luaL_error(L, "wrong number of arguments to 'insert'");
  lua_Integer pos = firstempty;
  if (nargs == 3) {
    pos = luaL_checkinteger(L, kPos);
    const bool inside = offset1(pos) < asunsigned(firstempty);
    luaL_argcheck(L, inside, kPos, "position out of bounds");
    shiftup(L, pos, firstempty);
  }
  lua_seti(L, kTable, pos);
  return 0;
}

// The removed element is pushed, then the elements above it move down.
// Note that a bad position is reported as argument 1, as in Lua 5.4.4.
int tremove(lua_State* L) {
  const lua_Integer size = aux_getn(L, kTable, TAB_RW);
  const lua_Integer pos = luaL_optinteger(L, kPos, size);
  const bool inside = offset1(pos) <= asunsigned(size);
  if (pos != size)  // a given position (invariant POSITIONS)
    luaL_argcheck(L, inside, kTable, "position out of bounds");
  lua_geti(L, kTable, pos);
  shiftdown(L, pos, size);
  return 1;
}

// Copies a1[f+k] to a2[t+k] for k in [0, count), in increasing order
// when no element is overwritten before it is read (a different table,
// or a destination outside (f, e]), decreasing otherwise.
void copyrange(lua_State* L, int dest, lua_Integer f, lua_Integer e,
               lua_Integer t) {
  const lua_Integer count = e - f + 1;
  const bool ascending =
      t > e || t <= f ||
      (dest != kTable && !lua_compare(L, kTable, dest, LUA_OPEQ));
  for (lua_Integer k = 0; k < count; k++) {
    const lua_Integer offset = ascending ? k : count - 1 - k;
    lua_geti(L, kTable, f + offset);
    lua_seti(L, dest, t + offset);
  }
}

// move(a1, f, e, t [, a2]): a2 defaults to a1; the result is a2.
int tmove(lua_State* L) {
  const lua_Integer f = luaL_checkinteger(L, 2);
  const lua_Integer e = luaL_checkinteger(L, 3);
  const lua_Integer t = luaL_checkinteger(L, 4);
  const int dest = lua_isnoneornil(L, 5) ? kTable : 5;
  checktab(L, kTable, TAB_R);
  checktab(L, dest, TAB_W);
  if (e >= f) {
    // Both the count e-f+1 and the last destination t+count-1 must fit.
    const bool countfits = f > 0 || e < LUA_MAXINTEGER + f;
    luaL_argcheck(L, countfits, 3, "too many elements to move");
    const bool destfits = t <= LUA_MAXINTEGER - (e - f);
    luaL_argcheck(L, destfits, 4, "destination wrap around");
    copyrange(L, dest, f, e, t);
  }
  lua_pushvalue(L, dest);
  return 1;
}

void addfield(lua_State* L, luaL_Buffer* b, lua_Integer i) {
  lua_geti(L, kTable, i);
  if (luai_unlikely(!lua_isstring(L, -1)))
    luaL_error(L, "invalid value (%s) at index %I in table for 'concat'",
               luaL_typename(L, -1), i);
  luaL_addvalue(b);
}

// concat(t [, sep [, i [, j]]]): the length is taken even when j is
// given, as Lua does (it may call __len).
int tconcat(lua_State* L) {
  const lua_Integer size = aux_getn(L, kTable, TAB_R);
  size_t seplen = 0;
  const char* sep = luaL_optlstring(L, 2, "", &seplen);
  const lua_Integer first = luaL_optinteger(L, 3, 1);
  const lua_Integer last = luaL_optinteger(L, 4, size);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (first <= last) {
    // Stopping before `last` keeps i from overflowing at maxinteger.
    for (lua_Integer i = first; i < last; i++) {
      addfield(L, &b, i);
      luaL_addlstring(&b, sep, seplen);
    }
    addfield(L, &b, last);
  }
  luaL_pushresult(&b);
  return 1;
}

// {==================================================================
// Pack/unpack
// ===================================================================

// The arguments become t[1..n], stored from the top of the stack down,
// and t.n = n.
int tpack(lua_State* L) {
  const int count = lua_gettop(L);
  lua_createtable(L, count, 1);
  lua_insert(L, kTable);  // below the values
  for (int i = count; i > 0; i--) lua_seti(L, kTable, i);
  lua_pushinteger(L, count);
  lua_setfield(L, kTable, "n");
  return 1;
}

// unpack(t [, i [, j]]) with j defaulting to #t. The span j-i is computed
// unsigned, so even [mininteger, maxinteger] does not overflow.
int tunpack(lua_State* L) {
  const lua_Integer first = luaL_optinteger(L, 2, 1);
  const lua_Integer last =
      lua_isnoneornil(L, 3) ? luaL_len(L, kTable) : luaL_checkinteger(L, 3);
  if (first > last) return 0;
  const lua_Unsigned span = asunsigned(last) - asunsigned(first);
  if (luai_unlikely(span >= static_cast<unsigned>(INT_MAX) ||
                    !lua_checkstack(L, static_cast<int>(span) + 1)))
    return luaL_error(L, "too many results to unpack");
  for (lua_Integer i = first; i < last; i++) lua_geti(L, kTable, i);
  lua_geti(L, kTable, last);
  return static_cast<int>(span) + 1;
}

// }==================================================================

// {==================================================================
// Quicksort (Sedgewick's, as in Lua: median of three, the pivot parked
// at a[up-1], recursion on the smaller part only)
// ===================================================================

using IdxT = unsigned int;  // array positions; sort takes fewer than INT_MAX

// Intervals at least this long may take a randomized pivot.
constexpr IdxT RANLIMIT = 100u;

// Some unpredictable bits, asked for only after a badly unbalanced
// partition, so that an adversarial input cannot keep sort quadratic.
unsigned int l_randomizePivot() {
  const auto c = static_cast<unsigned long long>(std::clock());
  const auto t = static_cast<unsigned long long>(std::time(nullptr));
  const unsigned long long folded = c + (c >> 32) + t + (t >> 32);
  return static_cast<unsigned int>(folded);
}

// a[i] = the value on top, then a[j] = the one below it; pops both.
void set2(lua_State* L, IdxT i, IdxT j) {
  lua_seti(L, kTable, i);
  lua_seti(L, kTable, j);
}

// Whether the value at stack index `a` sorts before the one at `b`: by
// '<', or by the order function in stack slot 2 when there is one.
bool sort_comp(lua_State* L, int a, int b) {
  constexpr int orderfn = 2;
  if (lua_isnil(L, orderfn)) return lua_compare(L, a, b, LUA_OPLT) != 0;
  const int first = lua_absindex(L, a);
  const int second = lua_absindex(L, b);
  lua_pushvalue(L, orderfn);
  lua_pushvalue(L, first);
  lua_pushvalue(L, second);
  lua_call(L, 2, 1);
  const bool before = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return before;
}

// Invariant PIVOT-ON-TOP: pushes a[i] above the pivot and tells whether
// it sorts before the pivot.
bool belowpivot(lua_State* L, IdxT i) {
  lua_geti(L, kTable, i);
  return sort_comp(L, -1, -2);
}

// Pushes a[j] above the pivot and a[i], and tells whether the pivot sorts
// before it.
bool abovepivot(lua_State* L, IdxT j) {
  lua_geti(L, kTable, j);
  return sort_comp(L, -3, -1);
}

int invalidorder(lua_State* L) {
  return luaL_error(L, "invalid order function for sorting");
}

// Moves i up to the first element that does not sort before the pivot,
// leaving that element pushed. Passing a[up-1], which is the pivot
// itself, means the order function claimed P < P.
IdxT scanup(lua_State* L, IdxT i, IdxT up) {
  while (belowpivot(L, ++i)) {
    if (luai_unlikely(i == up - 1)) invalidorder(L);
    lua_pop(L, 1);
  }
  return i;
}

// Moves j down to the first element the pivot does not sort before,
// leaving it pushed. Passing i means passing a[lo] <= P as well.
IdxT scandown(lua_State* L, IdxT j, IdxT i) {
  while (abovepivot(L, --j)) {
    if (luai_unlikely(j < i)) invalidorder(L);
    lua_pop(L, 1);
  }
  return j;
}

// Partitions a[lo..up] around the pivot P on top of the stack, where
// a[lo] <= P, a[up-1] == P and a[up] >= P already hold, so only
// a[lo+1..up-2] need scanning. Returns P's final position p, with
// a[lo..p-1] <= P <= a[p+1..up]; P leaves the stack.
IdxT partition(lua_State* L, IdxT lo, IdxT up) {
  IdxT i = lo;      // incremented before each read
  IdxT j = up - 1;  // decremented before each read
  for (;;) {
    i = scanup(L, i, up);
    j = scandown(L, j, i);
    if (j >= i) {
      set2(L, i, j);  // exchange the two misplaced elements, and go on
      continue;
    }
    // The scans crossed: every element is on its side.
    lua_pop(L, 1);       // a[j]
    set2(L, up - 1, i);  // a[up-1] = a[i], a[i] = P
    return i;
  }
}

// A position in the middle half of [lo, up], chosen by `rnd`.
IdxT choosePivot(IdxT lo, IdxT up, unsigned int rnd) {
  const IdxT quarter = (up - lo) / 4;
  return lo + quarter + rnd % (quarter * 2);
}

// Puts a[lo] and a[up] in order.
void orderends(lua_State* L, IdxT lo, IdxT up) {
  lua_geti(L, kTable, lo);
  lua_geti(L, kTable, up);
  if (sort_comp(L, -1, -2))
    set2(L, lo, up);
  else
    lua_pop(L, 2);
}

// With a[lo] <= a[up], makes a[p] the median of the three.
void ordermiddle(lua_State* L, IdxT lo, IdxT p, IdxT up) {
  lua_geti(L, kTable, p);
  lua_geti(L, kTable, lo);
  if (sort_comp(L, -2, -1)) {  // a[p] < a[lo]
    set2(L, p, lo);
    return;
  }
  lua_pop(L, 1);
  lua_geti(L, kTable, up);
  if (sort_comp(L, -1, -2))  // a[up] < a[p]
    set2(L, p, up);
  else
    lua_pop(L, 2);
}

// Pushes the pivot a[p] and parks it at a[up-1] (where partition expects
// it), moving a[up-1] to p.
void parkpivot(lua_State* L, IdxT p, IdxT up) {
  lua_geti(L, kTable, p);
  lua_pushvalue(L, -1);
  lua_geti(L, kTable, up - 1);
  set2(L, p, up - 1);
}

// Sorts a[lo..up]: recursion handles the smaller part and the loop the
// larger, so the C stack grows only logarithmically. A partition that
// leaves one part more than 128 times smaller than the other switches
// large intervals to randomized pivots.
void auxsort(lua_State* L, IdxT lo, IdxT up, unsigned int rnd) {
  while (lo < up) {
    orderends(L, lo, up);
    if (up - lo == 1) return;
    const bool fixed = up - lo < RANLIMIT || rnd == 0;
    IdxT p = fixed ? (lo + up) / 2 : choosePivot(lo, up, rnd);
    ordermiddle(L, lo, p, up);
    if (up - lo == 2) return;
    parkpivot(L, p, up);
    p = partition(L, lo, up);
    IdxT smaller = 0;
    if (p - lo < up - p) {
      auxsort(L, lo, p - 1, rnd);
      smaller = p - lo;
      lo = p + 1;
    } else {
      auxsort(L, p + 1, up, rnd);
      smaller = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > smaller) rnd = l_randomizePivot();
  }
}

int sort(lua_State* L) {
  const lua_Integer n = aux_getn(L, kTable, TAB_RW);
  if (n <= 1) return 0;
  luaL_argcheck(L, n < INT_MAX, 1, "array too big");
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);  // slot 2 holds the order function or nil
  auxsort(L, 1, static_cast<IdxT>(n), 0);
  return 0;
}

// }==================================================================

// The registration list: names fixed by the language, functions by the
// rule of keeping Lua's names, so these lines are Lua's by necessity.
const luaL_Reg tab_funcs[] = {
    {"concat", tconcat}, {"insert", tinsert}, {"pack", tpack},
    {"unpack", tunpack}, {"remove", tremove}, {"move", tmove},
    {"sort", sort},      {nullptr, nullptr},
};

}  // namespace

int luaopen_table(lua_State* L) {
  luaL_newlib(L, tab_funcs);
  return 1;
}
