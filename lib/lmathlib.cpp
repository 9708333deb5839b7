/// \file
/// The math library: the C library's elementary functions on Lua numbers,
/// integer-aware rounding and remainders, min/max, and a pseudo-random
/// generator (xoshiro256**) with random and randomseed.
///
/// Mirrors: Lua 5.4 lmathlib.c
/// Book: chapter 10
///
/// Design: the functions keep Lua 5.4's two number subtypes apart. One
/// that has an integer meaning (abs, floor, ceil, fmod, modf's integral
/// part, tointeger, ult) answers an integer for integer arguments, and
/// floor, ceil and modf turn a float result into an integer whenever it
/// fits; everything else computes in floats.
///
/// - **Invariant FITS.** A float converts to an integer exactly when it is
///   integral and lies in [-2^63, 2^63); both bounds are exact doubles, so
///   the test never rounds.
/// - **Invariant RANDOM-STATE.** The generator's 256-bit state is a full
///   userdata, the one upvalue shared by random and randomseed. Seeding
///   with (n1, n2) sets the state to {n1, 0xff, n2, 0} (never all zero)
///   and discards 16 outputs, so the same seed gives lua5.4's sequence
///   value for value.
/// - **Invariant PROJECT.** random(m, n) draws uniformly from [m, n]: the
///   64 random bits are masked to the smallest 2^b-1 covering n-m, and a
///   draw above n-m is replaced by a fresh one, never folded (folding
///   would favour small values).
///
/// Style: the state is a plain array of std::uint64_t and the rotations
/// are std::rotl; the generator's constants (5, 7, 9, 17, 45) are
/// xoshiro256**'s published ones.
///
/// Differences from Lua: none in behaviour. Lua's fallback generator on
/// two 32-bit halves (for C compilers without a 64-bit type) is not
/// needed: C++20 guarantees std::uint64_t here. The library includes the
/// LUA_COMPAT_MATHLIB functions (atan2, cosh, sinh, tanh, pow, frexp,
/// ldexp, log10), because Debian's lua5.4, the oracle, is built with them.
#include <bit>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <numbers>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"

namespace {

constexpr lua_Number PI = std::numbers::pi_v<lua_Number>;

// The first argument, which every function here starts from.
constexpr int kX = 1;

int math_abs(lua_State* L) {
  if (!lua_isinteger(L, kX)) {
    lua_pushnumber(L, std::fabs(luaL_checknumber(L, kX)));
    return 1;
  }
  const lua_Integer n = lua_tointeger(L, kX);
  // Negated in unsigned arithmetic: abs(mininteger) wraps to mininteger.
  const auto magnitude = static_cast<lua_Unsigned>(n);
  lua_pushinteger(L,
                  static_cast<lua_Integer>(n < 0 ? 0u - magnitude : magnitude));
  return 1;
}

// The one-argument float functions of the C library. Each gets a one-line
// wrapper (c_sin ...) rather than being passed as &std::sin: the standard
// library's functions are overloaded, and C++20 does not let a program
// take their addresses.
template <lua_Number (*F)(lua_Number)>
int floatfunction(lua_State* L) {
  lua_pushnumber(L, F(luaL_checknumber(L, kX)));
  return 1;
}

lua_Number c_sin(lua_Number x) {
  return std::sin(x);
}
lua_Number c_cos(lua_Number x) {
  return std::cos(x);
}
lua_Number c_tan(lua_Number x) {
  return std::tan(x);
}
lua_Number c_asin(lua_Number x) {
  return std::asin(x);
}
lua_Number c_acos(lua_Number x) {
  return std::acos(x);
}
lua_Number c_sqrt(lua_Number x) {
  return std::sqrt(x);
}
lua_Number c_exp(lua_Number x) {
  return std::exp(x);
}

constexpr lua_CFunction math_sin = floatfunction<c_sin>;
constexpr lua_CFunction math_cos = floatfunction<c_cos>;
constexpr lua_CFunction math_tan = floatfunction<c_tan>;
constexpr lua_CFunction math_asin = floatfunction<c_asin>;
constexpr lua_CFunction math_acos = floatfunction<c_acos>;

// atan(y [, x]): the angle of (x, y), x defaulting to 1.
int math_atan(lua_State* L) {
  const lua_Number y = luaL_checknumber(L, 1);
  const lua_Number x = luaL_optnumber(L, 2, 1);
  lua_pushnumber(L, std::atan2(y, x));
  return 1;
}

// Numbers and numeric strings that have an exact integer value convert;
// any other value (present) gives fail.
int math_toint(lua_State* L) {
  int valid = 0;
  const lua_Integer n = lua_tointegerx(L, kX, &valid);
  if (luai_likely(valid)) {
    lua_pushinteger(L, n);
  } else {
    luaL_checkany(L, kX);
    luaL_pushfail(L);
  }
  return 1;
}

// Invariant FITS: -(double)mininteger is 2^63 exactly.
constexpr lua_Number kIntegerLimit = -static_cast<lua_Number>(LUA_MININTEGER);

bool fitsinteger(lua_Number d) {
  return d >= -kIntegerLimit && d < kIntegerLimit;
}

// Pushes the integral float `d` as an integer when it fits, else as is.
void pushnumint(lua_State* L, lua_Number d) {
  if (fitsinteger(d))
    lua_pushinteger(L, static_cast<lua_Integer>(d));
  else
    lua_pushnumber(L, d);
}

// floor and ceil: an integer is its own result.
template <lua_Number (*Round)(lua_Number)>
int rounding(lua_State* L) {
  if (lua_isinteger(L, kX))
    lua_settop(L, kX);
  else
    pushnumint(L, Round(luaL_checknumber(L, kX)));
  return 1;
}

lua_Number c_floor(lua_Number x) {
  return std::floor(x);
}
lua_Number c_ceil(lua_Number x) {
  return std::ceil(x);
}

constexpr lua_CFunction math_floor = rounding<c_floor>;
constexpr lua_CFunction math_ceil = rounding<c_ceil>;

// The integer remainder, truncated like C's '%'. A zero divisor is an
// error; -1 gives 0 directly, since mininteger % -1 overflows in C.
int intfmod(lua_State* L) {
  const lua_Integer divisor = lua_tointeger(L, 2);
  if (divisor == 0) return luaL_argerror(L, 2, "zero");
  const lua_Integer dividend = lua_tointeger(L, 1);
  lua_pushinteger(L, divisor == -1 ? 0 : dividend % divisor);
  return 1;
}

int math_fmod(lua_State* L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) return intfmod(L);
  // lua5.4 (compiled by gcc) evaluates argument 2's check first, which
  // decides the error reported when both are wrong.
  const lua_Number divisor = luaL_checknumber(L, 2);
  const lua_Number dividend = luaL_checknumber(L, 1);
  lua_pushnumber(L, std::fmod(dividend, divisor));
  return 1;
}

// modf(x): the integral part (rounded toward zero; an integer when it
// fits) and the fractional part, always a float. For an infinity the
// fractional part is 0.0, not inf - inf.
int math_modf(lua_State* L) {
  if (lua_isinteger(L, kX)) {
    lua_settop(L, kX);
    lua_pushnumber(L, 0);
    return 2;
  }
  const lua_Number x = luaL_checknumber(L, kX);
  const lua_Number whole = x < 0 ? std::ceil(x) : std::floor(x);
  pushnumint(L, whole);
  lua_pushnumber(L, x == whole ? lua_Number{0} : x - whole);
  return 2;
}

constexpr lua_CFunction math_sqrt = floatfunction<c_sqrt>;

int math_ult(lua_State* L) {
  const auto a = static_cast<lua_Unsigned>(luaL_checkinteger(L, 1));
  const auto b = static_cast<lua_Unsigned>(luaL_checkinteger(L, 2));
  lua_pushboolean(L, a < b);
  return 1;
}

// Bases 2 and 10 have their own C functions, exact on powers of the base.
lua_Number logbase(lua_Number x, lua_Number base) {
  if (base == 2) return std::log2(x);
  if (base == 10) return std::log10(x);
  return std::log(x) / std::log(base);
}

int math_log(lua_State* L) {
  const lua_Number x = luaL_checknumber(L, kX);
  if (lua_isnoneornil(L, 2))
    lua_pushnumber(L, std::log(x));
  else
    lua_pushnumber(L, logbase(x, luaL_checknumber(L, 2)));
  return 1;
}

constexpr lua_CFunction math_exp = floatfunction<c_exp>;

// deg and rad multiply by one constant (folded at compile time), so
// their results match Lua's to the last bit.
int math_deg(lua_State* L) {
  lua_pushnumber(L, luaL_checknumber(L, kX) * (180.0 / PI));
  return 1;
}

int math_rad(lua_State* L) {
  lua_pushnumber(L, luaL_checknumber(L, kX) * (PI / 180.0));
  return 1;
}

// Pushes the first argument that no later one beats, where `beats(a, b)`
// compares stack slots with the language's '<' (metamethods included).
template <bool (*Beats)(lua_State*, int, int)>
int extreme(lua_State* L) {
  const int nargs = lua_gettop(L);
  luaL_argcheck(L, nargs >= 1, 1, "value expected");
  int best = 1;
  for (int i = 2; i <= nargs; i++)
    if (Beats(L, i, best)) best = i;
  lua_pushvalue(L, best);
  return 1;
}

bool smaller(lua_State* L, int a, int b) {
  return lua_compare(L, a, b, LUA_OPLT) != 0;
}

bool larger(lua_State* L, int a, int b) {
  return lua_compare(L, b, a, LUA_OPLT) != 0;
}

constexpr lua_CFunction math_min = extreme<smaller>;
constexpr lua_CFunction math_max = extreme<larger>;

int math_type(lua_State* L) {
  if (lua_type(L, kX) != LUA_TNUMBER) {
    luaL_checkany(L, kX);
    luaL_pushfail(L);
    return 1;
  }
  lua_pushstring(L, lua_isinteger(L, kX) ? "integer" : "float");
  return 1;
}

// {==================================================================
// Pseudo-random numbers: xoshiro256**
// ===================================================================

using Rand64 = std::uint64_t;

// Invariant RANDOM-STATE.
struct RanState {
  Rand64 s[4];
};

// Advances the state one step and returns its output.
Rand64 nextrand(Rand64 (&state)[4]) {
  const Rand64 output = std::rotl(state[1] * 5, 7) * 9;
  const Rand64 carried = state[1] << 17;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= carried;
  state[3] = std::rotl(state[3], 45);
  return output;
}

// A float in [0, 1) from the 53 high bits (a double's precision).
constexpr int FIGS = 53;

lua_Number I2d(Rand64 x) {
  constexpr lua_Number scale = 1.0 / static_cast<lua_Number>(Rand64{1} << FIGS);
  return static_cast<lua_Number>(x >> (64 - FIGS)) * scale;
}

lua_Unsigned I2UInt(Rand64 x) {
  return x;
}
Rand64 Int2I(lua_Unsigned n) {
  return n;
}

// Invariant PROJECT: a uniform value in [0, n] from the random `ran`.
lua_Unsigned project(lua_Unsigned ran, lua_Unsigned n, RanState& state) {
  const bool poweroftwo = (n & (n + 1)) == 0;  // n + 1 is 2^b
  if (poweroftwo) return ran & n;
  const lua_Unsigned lim = ~lua_Unsigned{0} >> std::countl_zero(n);
  while ((ran &= lim) > n) ran = I2UInt(nextrand(state.s));
  return ran;
}

RanState& randomstate(lua_State* L) {
  return *static_cast<RanState*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// random(), random(0), random(n) = random(1, n), random(m, n). The
// generator advances before the arguments are checked, as in Lua.
int math_random(lua_State* L) {
  RanState& state = randomstate(L);
  const Rand64 rv = nextrand(state.s);
  lua_Integer low = 1;
  lua_Integer up = 0;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, I2d(rv));
      return 1;
    case 1:
      up = luaL_checkinteger(L, 1);
      if (up == 0) {  // every 64-bit value
        lua_pushinteger(L, static_cast<lua_Integer>(I2UInt(rv)));
        return 1;
      }
      break;
    case 2:
      low = luaL_checkinteger(L, 1);
      up = luaL_checkinteger(L, 2);
      break;
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= up, 1, "interval is empty");
  const auto base = static_cast<lua_Unsigned>(low);
  const lua_Unsigned offset =
      project(I2UInt(rv), static_cast<lua_Unsigned>(up) - base, state);
  lua_pushinteger(L, static_cast<lua_Integer>(offset + base));
  return 1;
}

// Invariant RANDOM-STATE; pushes the two seeds, randomseed's results.
void setseed(lua_State* L, Rand64 (&state)[4], lua_Unsigned n1,
             lua_Unsigned n2) {
  state[0] = Int2I(n1);
  state[1] = Int2I(0xff);
  state[2] = Int2I(n2);
  state[3] = Int2I(0);
  constexpr int discarded = 16;
  for (int i = 0; i < discarded; i++) nextrand(state);
  lua_pushinteger(L, static_cast<lua_Integer>(n1));
  lua_pushinteger(L, static_cast<lua_Integer>(n2));
}

// An unpredictable seed: the time and the state's address.
void randseed(lua_State* L, RanState& state) {
  const auto seed1 = static_cast<lua_Unsigned>(std::time(nullptr));
  const auto seed2 =
      static_cast<lua_Unsigned>(reinterpret_cast<std::uintptr_t>(L));
  setseed(L, state.s, seed1, seed2);
}

int math_randomseed(lua_State* L) {
  RanState& state = randomstate(L);
  if (lua_isnone(L, 1)) {
    randseed(L, state);
  } else {
    const lua_Integer n1 = luaL_checkinteger(L, 1);
    const lua_Integer n2 = luaL_optinteger(L, 2, 0);
    setseed(L, state.s, static_cast<lua_Unsigned>(n1),
            static_cast<lua_Unsigned>(n2));
  }
  return 2;
}

const luaL_Reg randfuncs[] = {
    {"random", math_random},
    {"randomseed", math_randomseed},
    {nullptr, nullptr},
};

// Installs random and randomseed in the library table on top, sharing a
// new state seeded unpredictably.
void setrandfunc(lua_State* L) {
  auto* state =
      static_cast<RanState*>(lua_newuserdatauv(L, sizeof(RanState), 0));
  randseed(L, *state);
  lua_pop(L, 2);  // the seeds
  luaL_setfuncs(L, randfuncs, 1);
}

// }==================================================================

// {==================================================================
// Deprecated functions (LUA_COMPAT_MATHLIB, which Debian's lua5.4 has)
// ===================================================================

lua_Number c_cosh(lua_Number x) {
  return std::cosh(x);
}
lua_Number c_sinh(lua_Number x) {
  return std::sinh(x);
}
lua_Number c_tanh(lua_Number x) {
  return std::tanh(x);
}
lua_Number c_log10(lua_Number x) {
  return std::log10(x);
}

constexpr lua_CFunction math_cosh = floatfunction<c_cosh>;
constexpr lua_CFunction math_sinh = floatfunction<c_sinh>;
constexpr lua_CFunction math_tanh = floatfunction<c_tanh>;

int math_pow(lua_State* L) {
  const lua_Number x = luaL_checknumber(L, 1);
  const lua_Number y = luaL_checknumber(L, 2);
  lua_pushnumber(L, std::pow(x, y));
  return 1;
}

// frexp(x): m and e with x = m * 2^e, 0.5 <= |m| < 1.
int math_frexp(lua_State* L) {
  int exponent = 0;
  const lua_Number mantissa = std::frexp(luaL_checknumber(L, kX), &exponent);
  lua_pushnumber(L, mantissa);
  lua_pushinteger(L, exponent);
  return 2;
}

// ldexp(m, e) = m * 2^e; e is truncated to a C int, as in Lua.
int math_ldexp(lua_State* L) {
  const lua_Number mantissa = luaL_checknumber(L, 1);
  const auto exponent = static_cast<int>(luaL_checkinteger(L, 2));
  lua_pushnumber(L, std::ldexp(mantissa, exponent));
  return 1;
}

constexpr lua_CFunction math_log10 = floatfunction<c_log10>;

// }==================================================================

// The registration list: names fixed by the language, functions by the
// rule of keeping Lua's names, so these lines are Lua's by necessity. The
// entries without a function reserve the table's slots for the fields
// luaopen_math sets afterwards.
const luaL_Reg mathlib[] = {
    {"abs", math_abs},       {"acos", math_acos},     {"asin", math_asin},
    {"atan", math_atan},     {"ceil", math_ceil},     {"cos", math_cos},
    {"deg", math_deg},       {"exp", math_exp},       {"tointeger", math_toint},
    {"floor", math_floor},   {"fmod", math_fmod},     {"ult", math_ult},
    {"log", math_log},       {"max", math_max},       {"min", math_min},
    {"modf", math_modf},     {"rad", math_rad},       {"sin", math_sin},
    {"sqrt", math_sqrt},     {"tan", math_tan},       {"type", math_type},
    {"atan2", math_atan},    {"cosh", math_cosh},     {"sinh", math_sinh},
    {"tanh", math_tanh},     {"pow", math_pow},       {"frexp", math_frexp},
    {"ldexp", math_ldexp},   {"log10", math_log10},   {"random", nullptr},
    {"randomseed", nullptr}, {"pi", nullptr},         {"huge", nullptr},
    {"maxinteger", nullptr}, {"mininteger", nullptr}, {nullptr, nullptr},
};

// The constants fill the slots the placeholders reserved in the table on
// top of the stack.
void setfloatfield(lua_State* L, const char* name, lua_Number value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, name);
}

void setintegerfield(lua_State* L, const char* name, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, name);
}

}  // namespace

int luaopen_math(lua_State* L) {
  luaL_newlib(L, mathlib);
  setfloatfield(L, "pi", PI);
  setfloatfield(L, "huge", HUGE_VAL);
  setintegerfield(L, "maxinteger", LUA_MAXINTEGER);
  setintegerfield(L, "mininteger", LUA_MININTEGER);
  setrandfunc(L);
  return 1;
}
