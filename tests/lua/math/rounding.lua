-- needs: math table
-- The integer-aware functions: abs (abs(mininteger) wraps), floor and
-- ceil (integer results when they fit, floats beyond), modf (integral
-- part an integer when it fits, fractional part always a float; inf and
-- NaN), fmod (integer and float; zero divisor, mininteger % -1),
-- tointeger (numbers and numeric strings), type and ult.
local function show(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    parts[i] = tostring(v) .. ":" .. (math.type(v) or type(v))
  end
  print(table.concat(parts, " "))
end

show(math.abs(-5), math.abs(5), math.abs(0), math.abs(-0.0), math.abs(-2.5))
show(math.abs(math.mininteger), math.abs(math.maxinteger), math.abs(-1/0))
show(math.abs("-3"), math.abs("-3.5"), math.abs(" 0x10 "))

show(math.floor(3.7), math.floor(-3.7), math.floor(5), math.floor(-0.0))
show(math.ceil(3.2), math.ceil(-3.2), math.ceil(5), math.ceil(-0.5))
show(math.floor(2^62), math.floor(2^63), math.floor(-2^63), math.ceil(-2^63))
show(math.floor(1e300), math.ceil(-1e300), math.floor(1/0), math.ceil(-1/0))
show(math.floor("7.9"), math.ceil("7.1"), math.floor("8"))
show(math.floor(math.mininteger), math.ceil(math.maxinteger))
print(math.floor(0/0) ~= math.floor(0/0), math.ceil(0/0) ~= math.ceil(0/0))

show(math.modf(3.5))
show(math.modf(-3.5))
show(math.modf(7))
show(math.modf(-0.0))
show(math.modf(1/0))
show(math.modf(-1/0))
show(math.modf(2^70))
show(math.modf(-2^63))
show(math.modf("2.25"))
local ip, fp = math.modf(0/0)
print(ip ~= ip, fp ~= fp)

show(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(-7, -3))
show(math.fmod(math.mininteger, -1), math.fmod(math.maxinteger, -1))
show(math.fmod(math.mininteger, math.maxinteger), math.fmod(5, math.mininteger))
show(math.fmod(7.5, 2), math.fmod(-7.5, 2), math.fmod(7, 2.5), math.fmod(1, 1/0))
show(math.fmod(-6, 3.0), math.fmod("7", 3), math.fmod(7, "3"))
print(math.fmod(1, 0.0) ~= math.fmod(1, 0.0), math.fmod(1/0, 2) ~= 0)

show(math.tointeger(8), math.tointeger(8.0), math.tointeger(-0.0))
show(math.tointeger(8.5), math.tointeger(2^63), math.tointeger(-2^63))
show(math.tointeger("8"), math.tointeger("0x10"), math.tointeger(" 9 "))
show(math.tointeger("8.0"), math.tointeger("8.5"), math.tointeger("x"))
show(math.tointeger({}), math.tointeger(nil), math.tointeger(1/0))

show(math.type(1), math.type(1.0), math.type(2^63), math.type(-0.0))
show(math.type("1"), math.type(nil), math.type({}), math.type(false))

show(math.ult(1, 2), math.ult(2, 1), math.ult(-1, 1), math.ult(1, -1))
show(math.ult(math.maxinteger, math.mininteger), math.ult(0, 0))
show(math.ult(3.0, 4), math.ult("5", 6))

local function check(f, ...)
  print(pcall(f, ...))
end
check(math.abs)
check(math.abs, "x")
check(math.floor, {})
check(math.ceil)
check(math.modf, nil)
check(math.fmod, 1, 0)
check(math.fmod, math.mininteger, 0)
check(math.fmod, 1)
check(math.fmod, nil, 1)
check(math.fmod, 1, "y")
check(math.fmod, nil, nil)
check(math.tointeger)
check(math.type)
check(math.ult, 1.5, 2)
check(math.ult, 1, "z")
check(math.ult, 1)
check(function() return math.fmod(3, 0) end)
