-- needs: math
-- math.min and math.max: integers and floats keep their subtype, the
-- first of equal values wins (-0.0 vs 0), strings compare as strings,
-- __lt on tables, NaN (every comparison false), and the errors.
local function show(v) return tostring(v) .. ":" .. (math.type(v) or type(v)) end

print(show(math.min(3)), show(math.max(3)))
print(show(math.min(3, 1, 2)), show(math.max(3, 1, 2)))
print(show(math.min(1, 1.0)), show(math.min(1.0, 1)))
print(show(math.max(1, 1.0)), show(math.max(1.0, 1)))
print(show(math.min(0, -0.0)), show(math.min(-0.0, 0)))
print(show(math.max(0, -0.0)), show(math.max(-0.0, 0)))
print(show(math.min(2^53, 2^53 + 1)), show(math.max(math.maxinteger, 2^63)))
print(show(math.min(math.mininteger, -2^63)), show(math.max(-1/0, math.mininteger)))
print(show(math.max(1/0, 1, 2)), show(math.min(-1/0, 1)))
print(math.min("b", "a", "c"), math.max("b", "a", "c"), math.max("10", "9"))
print(show(math.max(1, 0/0, 2)), math.max(0/0, 1) ~= math.max(0/0, 1))
print(show(math.min(5, 0/0, 2)))

local mt = {__lt = function(a, b) return a.v < b.v end}
local a = setmetatable({v = 1}, mt)
local b = setmetatable({v = 2}, mt)
print(math.min(b, a).v, math.max(a, b).v, math.max(b, a, b).v)

local function check(f, ...)
  print(pcall(f, ...))
end
check(math.min)
check(math.max)
check(math.min, 1, "2")
check(math.max, "a", 1)
check(math.min, 1, nil)
check(math.max, {}, {})
check(math.min, true, false)
check(function() return math.max() end)
