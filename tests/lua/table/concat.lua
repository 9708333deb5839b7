-- needs: table math
-- table.concat: separators, ranges (empty, single, negative, beyond the
-- border), numbers converted as strings, the length taken through __len
-- and elements read through __index, and the "invalid value" errors.
local t = {"a", "b", "c", "d"}
print(table.concat(t))
print(table.concat(t, ", "))
print(table.concat(t, "-", 2))
print(table.concat(t, "-", 2, 3))
print(table.concat(t, "-", 3, 3))
print("[" .. table.concat(t, "-", 4, 3) .. "]")
print("[" .. table.concat({}) .. "]")
print("[" .. table.concat({}, "x") .. "]")
print(table.concat({1, 2.5, -3, 2^63, math.mininteger}, " "))
print(table.concat({[-1] = "m", [0] = "z", "o"}, "|", -1, 1))
print(table.concat({"x", "y"}, 42))
print(table.concat({"a", "b"}, "", 1, 2))
print(table.concat({"one", "two", nil, "four"}, "+", 1, 2))

-- __len decides the default end; __index supplies missing elements
local proxy = setmetatable({}, {
  __len = function() return 3 end,
  __index = function(_, i) return "p" .. i end,
})
print(table.concat(proxy, ","))
print(table.concat(proxy, ",", 2, 5))

-- an empty table whose __index makes up the elements
local ud = setmetatable({}, {__index = function(_, i) return i * 10 end})
local fake = setmetatable({}, {
  __index = function(_, i) return "f" .. i end,
  __len = function() return 2 end,
})
print(table.concat(fake, ";"))
print(table.concat(ud, ";", 1, 3))

-- errors
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2, true}, ","))
print(pcall(table.concat, {"a"}, ",", 1, 2))
print(pcall(table.concat, {[math.maxinteger] = print}, "", math.maxinteger,
  math.maxinteger))
print(pcall(table.concat, {}, {}))
print(pcall(table.concat, {}, "", "x"))
print(pcall(table.concat, {}, "", 1, 2.5))
print(pcall(table.concat, nil))
print(pcall(table.concat, "abc"))
print(pcall(function() return table.concat(12) end))
print(pcall(table.concat, setmetatable({}, {__len = function() return "x" end})))
print(pcall(table.concat, setmetatable({}, {__len = function() return 1.5 end})))
print(pcall(table.concat, setmetatable({}, {__len = function() return "2" end})))
