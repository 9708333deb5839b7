-- __tostring and __name: print and tostring call __tostring (which must
-- return a string); __name names the type in error messages about the
-- value. (tostring of a table with only __name would show an address,
-- so this script never prints one.)

local function try(label, f) print(label, pcall(f)) end

local Point = { __name = "Point" }
Point.__tostring = function(p) return "Point(" .. p.x .. ", " .. p.y .. ")" end
local p = setmetatable({ x = 1, y = 2 }, Point)
print(p)
print("tostring", tostring(p), tostring(p) == "Point(1, 2)")
print("in concat needs tostring:", "at " .. tostring(p))
-- __tostring results that are not strings
local bad = setmetatable({}, { __tostring = function() return 42 end })
try("number result", function() return tostring(bad) end)
local bad2 = setmetatable({}, { __tostring = function() return nil end })
try("nil result", function() return tostring(bad2) end)
try("print uses it too", function() print(bad2) end)
local err = setmetatable({}, { __tostring = function() error("tostring failed", 0) end })
try("error inside", function() return tostring(err) end)
-- __tostring is not used by concatenation
try("concat ignores it", function() return "x" .. p end)

-- __name in error messages (arithmetic, bitwise, concat, compare, index,
-- call)
local Thing = setmetatable({}, { __name = "MyThing" })
try("arith", function() return Thing + 1 end)
try("arith local", function() local t = Thing return t * 2 end)
try("bitwise", function() local t = Thing return t & 1 end)
try("concat", function() local t = Thing return t .. "" end)
try("compare", function() local t = Thing return t < 1 end)
try("compare two", function() local t = Thing return t < t end)
try("compare with plain", function() local t = Thing return {} < t end)
try("call", function() local t = Thing return t() end)
try("length is fine", function() return #Thing end)
local Inner = setmetatable({}, { __name = "Inner" })
local holder = { inner = Inner }
try("field call", function() return holder.inner() end)
try("method call", function() return holder:inner() end)
-- a __name that is not a string is ignored
local Odd = setmetatable({}, { __name = 42 })
try("non-string __name", function() return Odd + 1 end)
-- argument errors of library functions use __name too
try("bad argument type", function() return select(Thing) end)
try("setmetatable", function() return setmetatable(Thing, 1) end)
