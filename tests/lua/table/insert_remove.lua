-- needs: table math
-- table.insert and table.remove: appending, inserting at every valid
-- position, removing from the middle, the end, the empty table and the
-- position n+1, the default position, and each error message.
local function show(t, n)
  local parts = {}
  for i = 1, n or #t do parts[#parts + 1] = tostring(t[i]) end
  return "{" .. table.concat(parts, ",") .. "} #" .. #t
end

local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "c")
table.insert(t, 2, "d")
table.insert(t, #t + 1, "e")
print(show(t))
table.insert(t, 3, nil)
print(show(t, 6))
print(select("#", table.insert({}, 1)))

t = {10, 20, 30, 40, 50}
print(table.remove(t), show(t))
print(table.remove(t, 1), show(t))
print(table.remove(t, 2), show(t))
print(table.remove(t, #t + 1), show(t))
print(table.remove(t, #t), show(t))
print(table.remove(t), show(t))
print(table.remove(t), show(t))
print(select("#", table.remove(t)), show(t))

-- remove on an empty table reads t[0] (and clears it); n+1 is allowed
local z = {[0] = "zero"}
print(table.remove(z), z[0])
print(table.remove({}, 0), table.remove({}, 1))
local w = {[0] = "z0"}
print(table.remove(w, 0), w[0])
local e = {n = 1, "x"}
print(table.remove(e, 2), show(e))


-- insert/remove go through __index/__newindex/__len
local log = {}
local store = {"p", "q"}
local proxy = setmetatable({}, {
  __len = function() return #store end,
  __index = function(_, k) log[#log + 1] = "get" .. k return store[k] end,
  __newindex = function(_, k, v)
    log[#log + 1] = "set" .. k .. "=" .. tostring(v)
    store[k] = v
  end,
})
table.insert(proxy, 1, "o")
print(table.concat(log, " "))
log = {}
print(table.remove(proxy, 1))
print(table.concat(log, " "))
print(show(store))

-- positions are checked as unsigned numbers: with a negative length
-- (from __len) every positive position passes, and at maxinteger the
-- appended position wraps around to mininteger
local neg = setmetatable({}, {__len = function() return -3 end})
print(pcall(table.insert, neg, 5, "x"))
print(pcall(table.insert, neg, 0, "x"))
print(pcall(table.remove, neg, 5))
print(pcall(table.remove, neg))
print(pcall(table.remove, setmetatable({}, {__len = function() return -1 end}), 7))
local top = setmetatable({}, {
  __len = function() return math.maxinteger end,
  __newindex = function(_, k, v) print("set", k, v) end,
})
table.insert(top, "y")
table.insert(top, 1, "z")
print(pcall(table.insert, top, 0, "w"))

-- errors
print(pcall(table.insert, {1, 2}, 0, "x"))
print(pcall(table.insert, {1, 2}, 4, "x"))
print(pcall(table.insert, {1, 2}, -1, "x"))
print(pcall(table.insert, {1, 2}, math.mininteger, "x"))
print(pcall(table.insert, {1, 2}, 1.5, "x"))
print(pcall(table.insert, {1, 2}, "2", "x"))
print(pcall(table.insert, {1, 2}, "two", "x"))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.insert))
print(pcall(table.insert, nil, 1))
print(pcall(function() table.insert({}, 5, 1) end))
print(pcall(function() table.insert({}, 1, 2, 3) end))
print(pcall(table.remove, {1, 2, 3}, 5))
print(pcall(table.remove, {1, 2, 3}, 0))
print(pcall(table.remove, {1, 2, 3}, -1))
print(pcall(table.remove, {}, -1))
print(pcall(table.remove, {}, 2))
print(pcall(table.remove, {1}, 2.5))
print(pcall(table.remove))
print(pcall(function() table.remove({1}, 7) end))
-- a read-only proxy is rejected by insert/remove (they need __newindex)
local ro = setmetatable({}, {__index = store, __len = function() return 2 end})
print(pcall(table.insert, ro, 1))
print(pcall(table.remove, ro))
print(pcall(table.insert, "str", 1))
print(pcall(table.remove, 7))
