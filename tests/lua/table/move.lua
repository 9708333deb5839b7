-- needs: table math
-- table.move: within one table (overlapping both ways), into another
-- table, empty ranges, the returned destination, the order of the reads
-- and writes through metamethods, equal-but-distinct destination tables
-- (__eq), and the "too many elements" and "wrap around" errors.
local function show(t, first, last)
  local parts = {}
  for i = first or 1, last or #t do parts[#parts + 1] = tostring(t[i]) end
  return table.concat(parts, ",")
end

local a = {1, 2, 3, 4, 5}
print(show(table.move(a, 1, 3, 3)))          -- overlap, moving up
a = {1, 2, 3, 4, 5}
print(show(table.move(a, 3, 5, 1)))          -- overlap, moving down
a = {1, 2, 3, 4, 5}
print(show(table.move(a, 2, 4, 2)))          -- onto itself
a = {1, 2, 3}
local b = {"x", "y", "z", "w"}
print(show(table.move(a, 1, 3, 2, b)))
print(table.move(a, 1, 3, 1, b) == b, table.move(a, 1, 0, 1) == a)
print(show(table.move({1, 2}, 1, 2, -1, {}), -1, 0))
print(show(table.move({}, 5, 4, 1, {"keep"})))  -- empty range: no access
print(show(table.move({1, 2, 3}, 2, 3, 1, nil)))  -- nil destination: same table
print(show(table.move({[-2] = "m2", [-1] = "m1", [0] = "z"}, -2, 0, 1, {})))
local big = table.move({"a", "b"}, 1, 2, math.maxinteger - 1, {})
print(big[math.maxinteger - 1], big[math.maxinteger])
local low = table.move({[math.mininteger] = "lo"}, math.mininteger,
  math.mininteger, 1, {})
print(low[1])

-- the order of the accesses: increasing when the ranges allow it,
-- decreasing when the destination overlaps above the source
local function tracer(name, log)
  local store = {10, 20, 30, 40}
  return setmetatable({}, {
    __index = function(_, k) log[#log + 1] = name .. "r" .. k return store[k] end,
    __newindex = function(_, k, v) log[#log + 1] = name .. "w" .. k store[k] = v end,
  })
end
local log = {}
local p = tracer("", log)
table.move(p, 1, 3, 2)
print(table.concat(log, " "))
log = {}
p = tracer("", log)
table.move(p, 2, 4, 1)
print(table.concat(log, " "))
log = {}
table.move(tracer("s", log), 1, 2, 2, tracer("d", log))
print(table.concat(log, " "))

-- two distinct tables that are __eq-equal count as the same table: the
-- copy runs downwards when the destination overlaps above the source
local eqcalls = 0
local function equal() eqcalls = eqcalls + 1 return true end
local function unequal() eqcalls = eqcalls + 1 return false end
local function eqtracer(name, eq)
  local m = getmetatable(tracer(name, log))
  m.__eq = eq
  return setmetatable({}, m)
end
log = {}
table.move(eqtracer("s", equal), 1, 2, 2, eqtracer("d", equal))
print(table.concat(log, " "), eqcalls)
log = {}
table.move(eqtracer("s", unequal), 1, 2, 2, eqtracer("d", unequal))
print(table.concat(log, " "), eqcalls)
log = {}
table.move(eqtracer("s", equal), 1, 2, 3, eqtracer("d", equal))  -- t > e
print(table.concat(log, " "), eqcalls)

-- errors
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {}, 0, math.maxinteger, 1))
print(pcall(table.move, {}, -1, math.maxinteger - 1, 1))
print(pcall(table.move, {}, math.mininteger, -1, 1))
print(pcall(table.move, {1, 2}, 1, 2, math.maxinteger))
print(pcall(table.move, {1, 2, 3}, 1, 3, math.maxinteger - 1))
print(pcall(table.move, {}, 1, 2))
print(pcall(table.move, {}, "a", 2, 3))
print(pcall(table.move, {}, 1, 2.5, 3))
print(pcall(table.move, {}, 1, 2, 3, "t"))
print(pcall(table.move, nil, 1, 2, 3))
print(pcall(table.move, 1, 1, 2, 3, {}))
print(pcall(function() return table.move({}, 1, math.maxinteger, 2) end))
