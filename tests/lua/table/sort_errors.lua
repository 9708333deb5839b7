-- needs: table math
-- table.sort's errors: an inconsistent order function (raised only when
-- the scan runs past a sentinel, so only for some inputs: the cases
-- below raise it under lua5.4 deterministically), a comparator that is
-- not a function, values that cannot be compared, errors raised by the
-- comparator, "array too big" (via __len), and non-table arguments.
local function try(t, f)
  local ok, e = pcall(table.sort, t, f)
  if ok then print("ok")
  elseif type(e) == "table" then print("error object", e.code)
  else print(e) end
end
local always = function() return true end
local lesseq = function(a, b) return a <= b end
try({1, 2, 3, 4, 5}, always)
try({5, 4, 3, 2, 1}, always)
try({3, 1, 2}, always)         -- three elements: no partition, no error
try({2, 1}, always)
try({1, 1, 1, 1, 1}, lesseq)
try({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, lesseq)  -- distinct: <= is fine
local rep = {}
for i = 1, 100 do rep[i] = i % 3 end
try(rep, lesseq)
try({2, 1, 2, 1, 2, 1}, always)
-- an order function that lies only sometimes
local n = 0
try({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, function(a, b)
  n = n + 1
  return n % 4 == 0 or a < b
end)
-- comparing what '<' cannot compare
try({1, "x", 2})
try({{}, {}})
try({1, 2, nil, 4})
try({true, false})
-- errors from the comparator travel unchanged
try({3, 2, 1}, function() error("cmp failed") end)
try({3, 2, 1}, function() error({code = 1}) end)
print(pcall(table.sort, {3, 2, 1}, function() error("at level 2", 2) end))
-- arguments
print(pcall(table.sort, {3, 2, 1}, 1))
print(pcall(table.sort, {3, 2, 1}, "f"))
print(pcall(table.sort, {3, 2, 1}, {}))
print(pcall(table.sort, {1}, 1))    -- fewer than two elements: not checked
print(pcall(table.sort))
print(pcall(table.sort, "abc"))
print(pcall(function() table.sort(5) end))
-- __len claiming a huge array
local huge = setmetatable({}, {__len = function() return math.maxinteger end})
print(pcall(table.sort, huge))
local big = setmetatable({}, {__len = function() return 2147483647 end})
print(pcall(table.sort, big))
print(pcall(function() table.sort(huge) end))
print(pcall(table.sort, setmetatable({}, {__len = function() return -5 end})))
