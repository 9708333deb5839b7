-- needs: math table
-- The float functions: sqrt, sin, cos, tan, asin, acos, atan (with one
-- and two arguments), exp, log (natural, base 2, base 10, other bases),
-- deg, rad; the constants pi, huge, maxinteger, mininteger; and the
-- LUA_COMPAT_MATHLIB functions Debian's lua5.4 has (atan2, cosh, sinh,
-- tanh, pow, frexp, ldexp, log10). Values print with %.14g; a few are
-- also compared exactly.
local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    parts[i] = tostring(v) .. ":" .. (math.type(v) or type(v))
  end
  print(table.concat(parts, " "))
end

local names = {}
for k in pairs(math) do names[#names + 1] = k end
table.sort(names)
print(#names, table.concat(names, " "))

show(math.pi, math.huge, -math.huge, math.maxinteger, math.mininteger)
print(math.pi == 3.141592653589793, math.maxinteger + 1 == math.mininteger)
print(math.mininteger == -math.mininteger, math.huge > 1e308)

show(math.sqrt(16), math.sqrt(2), math.sqrt(0), math.sqrt(-0.0), math.sqrt(1/0))
print(math.sqrt(-1) ~= math.sqrt(-1), math.sqrt(2) ^ 2)
show(math.sin(0), math.sin(math.pi / 2), math.sin(1), math.sin(-0.0))
show(math.cos(0), math.cos(math.pi), math.cos(1), math.cos(1e10))
show(math.tan(0), math.tan(1), math.tan(-1), math.tan(math.pi / 4))
show(math.asin(0), math.asin(1), math.asin(-0.5), math.acos(1), math.acos(0))
print(math.asin(2) ~= math.asin(2), math.acos(-2) ~= math.acos(-2))
show(math.atan(1), math.atan(-1), math.atan(1/0), math.atan(0, -1))
show(math.atan(1, 1), math.atan(1, -1), math.atan(-1, -1), math.atan(0, 0))
show(math.atan(-0.0, -1), math.atan(2, nil), math.atan("1", "2"))
show(math.exp(0), math.exp(1), math.exp(-1), math.exp(710), math.exp(-1000))
show(math.log(1), math.log(math.exp(2)), math.log(0), math.log(10))
show(math.log(8, 2), math.log(1024, 2), math.log(3, 2), math.log(0.5, 2))
show(math.log(1000, 10), math.log(1e-3, 10), math.log(2, 10), math.log(100, 10.0))
show(math.log(27, 3), math.log(1, 3), math.log(16, 4), math.log(2, 0.5))
show(math.log(8, "2"), math.log(5, nil), math.log(2, 1))
print(math.log(-1) ~= math.log(-1), math.log(1000, 10) == 3, math.log(27, 3) == 3)
show(math.deg(math.pi), math.deg(1), math.deg(0), math.deg(-math.pi / 2))
show(math.rad(180), math.rad(1), math.rad(90), math.rad(-45))
print(math.rad(180) == math.pi, math.deg(math.pi) == 180)
-- exact bits: these values times a power of two are integers
print(math.tointeger(math.sin(1) * 2^53), math.tointeger(math.cos(1) * 2^53))
print(math.tointeger(math.exp(1) * 2^51), math.tointeger(math.log(3, 2) * 2^52))
print(math.tointeger(math.rad(1) * 2^58), math.tointeger(math.deg(1) * 2^47))
print(math.tointeger(math.atan(1, 2) * 2^54), math.tointeger(math.tan(1) * 2^52))

-- the compatibility functions
show(math.atan2(1, 1), math.atan2(-1, 0))
print(math.atan2 ~= math.atan)
show(math.cosh(0), math.cosh(1), math.sinh(0), math.sinh(1), math.sinh(-1))
show(math.tanh(0), math.tanh(1), math.tanh(1/0), math.tanh(-20))
show(math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1/3) ~= 0, math.pow(0, 0))
show(math.pow(2, -1), math.pow(10, 308), math.pow(10, 309))
show(math.frexp(8))
show(math.frexp(0.3))
show(math.frexp(-5))
show(math.frexp(0))
show(math.frexp(1/0))
show(math.ldexp(1, 10), math.ldexp(0.75, 2), math.ldexp(3, -1), math.ldexp(1, 1024))
show(math.ldexp(5, 2.0), math.ldexp(1, -1075), math.ldexp(1, 2^33))
show(math.log10(1000), math.log10(2), math.log10(0.1), math.log10(0))

local function check(f, ...)
  print(pcall(f, ...))
end
check(math.sqrt)
check(math.sin, "a")
check(math.cos, {})
check(math.tan, nil)
check(math.asin)
check(math.acos, true)
check(function() return math.atan() end)
check(function() return math.atan(1, "x") end)
check(math.exp)
check(math.log)
check(math.log, 1, "b")
check(math.log, "x", 2)
check(math.deg)
check(math.rad, "r")
check(math.cosh)
check(math.sinh, {})
check(math.tanh, "t")
check(math.pow, 2)
check(math.pow, nil, 2)
check(math.frexp)
check(math.ldexp, 1)
check(math.ldexp, 1, 1.5)
check(math.ldexp, "m", 1)
check(math.log10)
