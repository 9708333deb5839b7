-- needs: table
-- Which values the table functions accept (ltablib's checktab): a table
-- always; another value only when its metatable has, as raw fields, the
-- metamethods for the accesses the function makes (__index to read,
-- __newindex to write, __len for the length). Strings are the non-table
-- values with a metatable here; their shared metatable is extended for
-- the test and restored at the end.
local mt = getmetatable("")
local saved = {__index = mt.__index, __len = mt.__len, __newindex = mt.__newindex}

local function try(name, f, ...)
  local ok, a, b = pcall(f, ...)
  print(name, ok, a, b)
end

-- the string metatable has __index but no __len or __newindex
try("concat", table.concat, "ab")
try("insert", table.insert, "ab", "x")
try("remove", table.remove, "ab")
try("sort", table.sort, "ab")
try("move r", function() return type(table.move("ab", 1, 2, 1, {})) end)
try("move w", table.move, {1, 2}, 1, 2, 1, "ab")
-- unpack checks nothing: the length of a string is its byte count
try("unpack", table.unpack, "ab")

-- a __len field (any value: only its presence is checked) and an
-- __index function make strings readable sequences
mt.__len = true
mt.__index = function(s, i) return s .. "#" .. i end
try("concat", table.concat, "ab", ",")
try("unpack", table.unpack, "ab")
try("move r", function() return table.move("xy", 1, 2, 3, {1, 2})[4] end)
-- writing still needs __newindex
try("insert", table.insert, "ab", "x")
try("remove", table.remove, "ab")
try("move w", table.move, {1, 2}, 1, 2, 1, "ab")
local writes = {}
mt.__newindex = function(s, k, v) writes[#writes + 1] = s .. "[" .. k .. "]=" .. tostring(v) end
try("insert", table.insert, "ab", "x")
try("insert", table.insert, "ab", 1, "y")
try("remove", table.remove, "ab", 1)
try("move w", table.move, {1, 2}, 1, 2, 5, "cd")
print(table.concat(writes, " "))
-- sort through the metamethods: reads "ab#1", "ab#2" and writes them back
writes = {}
try("sort", table.sort, "ab", function(a, b) return a > b end)
print(table.concat(writes, " "))

-- the fields must be the metatable's own: one inherited through the
-- metatable's metatable does not count
mt.__len = nil
setmetatable(mt, {__index = {__len = true}})
try("concat", table.concat, "ab")
setmetatable(mt, nil)

mt.__index, mt.__len, mt.__newindex = saved.__index, saved.__len, saved.__newindex
print(mt.__len, mt.__newindex, getmetatable(mt))

-- values without a metatable
try("concat", table.concat, 12)
try("insert", table.insert, true, 1)
try("remove", table.remove, nil)
try("sort", table.sort, print)
try("move", table.move, {}, 1, 1, 1, 5)
try("none", table.concat)
-- tables are accepted whatever their metatable holds
try("table", table.concat, setmetatable({"k"}, {__index = 1}))
