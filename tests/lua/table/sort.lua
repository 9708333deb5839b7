-- needs: table math
-- table.sort: numbers, strings, mixed integer/float, with comparators
-- (descending, by a key, by two keys), tables of one or two elements,
-- __lt on elements, sorting through __index/__newindex/__len, and the
-- exact sequence of comparisons (the same quicksort as lua5.4's: median
-- of three, pivot parked at up-1, recursion on the smaller half).
local function show(t, n)
  local parts = {}
  for i = 1, n or #t do parts[i] = tostring(t[i]) end
  return table.concat(parts, " ")
end

local t = {5, 3, 8, 1, 9, 2, 7, 4, 6, 0}
table.sort(t)
print(show(t))
table.sort(t, function(a, b) return a > b end)
print(show(t))
t = {3.5, 1, -2, 2^53, -0.0, 1e308, -1/0, 1/0, math.mininteger, 7}
table.sort(t)
print(show(t))
t = {"pear", "apple", "fig", "Banana", "apple2", "", "b"}
table.sort(t)
print(show(t))
t = {}
table.sort(t)
print(show(t), #t)
t = {42}
table.sort(t, function() error("never called") end)
print(show(t))
t = {2, 1}
table.sort(t)
print(show(t))
t = {1, 2, 3}
table.sort(t, nil)
print(show(t))

-- records: by one key, then by two keys (the result does not depend on
-- stability since the keys are total)
local recs = {}
local names = {"d", "a", "c", "b", "e", "a", "c"}
for i, name in ipairs(names) do recs[i] = {name = name, id = i} end
table.sort(recs, function(x, y)
  if x.name ~= y.name then return x.name < y.name end
  return x.id < y.id
end)
local out = {}
for i, r in ipairs(recs) do out[i] = r.name .. r.id end
print(table.concat(out, " "))
table.sort(recs, function(x, y) return x.id > y.id end)
out = {}
for i, r in ipairs(recs) do out[i] = r.name .. r.id end
print(table.concat(out, " "))

-- elements ordered by their __lt metamethod
local mt = {__lt = function(a, b) return a.v < b.v end}
local objs = {}
for i, v in ipairs({4, 1, 3, 5, 2}) do objs[i] = setmetatable({v = v}, mt) end
table.sort(objs)
out = {}
for i, o in ipairs(objs) do out[i] = o.v end
print(table.concat(out, " "))

-- the comparisons made, in order, for a few inputs
local function trace(input)
  local calls = {}
  local copy = {}
  for i, v in ipairs(input) do copy[i] = v end
  table.sort(copy, function(a, b)
    calls[#calls + 1] = a .. "<" .. b
    return a < b
  end)
  print(show(copy))
  print(#calls, table.concat(calls, " "))
end
trace({5, 3, 8, 1, 9, 2, 7, 4, 6, 0})
trace({1, 2, 3, 4, 5, 6, 7, 8})
trace({8, 7, 6, 5, 4, 3, 2, 1})
trace({2, 2, 1, 1, 3, 3, 2, 1, 3})
trace({3, 1, 2})
local saw = {}
for i = 1, 60 do saw[i] = (i * 37) % 61 end
trace(saw)

-- a proxy: every read and write goes through the metamethods
local store = {30, 10, 20}
local reads, writes = 0, 0
local proxy = setmetatable({}, {
  __len = function() return #store end,
  __index = function(_, k) reads = reads + 1 return store[k] end,
  __newindex = function(_, k, v) writes = writes + 1 store[k] = v end,
})
table.sort(proxy)
print(show(store), reads, writes)
