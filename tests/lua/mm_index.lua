-- __index: a table (looked up in a chain of metatables), a function
-- (called with the table and key), only for absent keys, bypassed by
-- rawget; changes to the metatable seen at once; long chains and loops;
-- and the errors for indexing values that have no __index.

local function try(label, f) print(label, pcall(f)) end

local base = { greet = "hello", kind = "base" }
local mid = setmetatable({ kind = "mid" }, { __index = base })
local obj = setmetatable({ own = 1 }, { __index = mid })
print("chain", obj.own, obj.kind, obj.greet, obj.missing)
print("raw", rawget(obj, "kind"), rawget(obj, "own"), rawget(mid, "greet"))
-- present keys (even false) do not consult __index
local shadow = setmetatable({ flag = false }, { __index = { flag = true, other = 2 } })
print("present false", shadow.flag, shadow.other)
-- a function handler gets (table, key)
local calls = ""
local lazy = setmetatable({}, { __index = function(t, k)
  calls = calls .. tostring(k) .. " "
  if type(k) == "number" then return k * k end
  return nil
end })
print("function", lazy[4], lazy[2.5], lazy.name, lazy[true])
print("calls", calls)
-- the handler may store the value (memoisation)
local memo = setmetatable({}, { __index = function(t, k)
  local v = k * 10
  rawset(t, k, v)
  return v
end })
print("memo", memo[1], memo[1], rawget(memo, 1), rawget(memo, 2))
-- GETI / GETFIELD / GETTABLE / GETTABUP paths all use __index
local dflt = setmetatable({}, { __index = function(_, k) return "dflt:" .. tostring(k) end })
local key = "dyn"
print("paths", dflt[1], dflt.x, dflt[key], dflt[1.5], dflt[300])
local env = setmetatable({}, { __index = _G })
do
  local _ENV = env
  newvar = print ~= nil
  print("_ENV via __index", newvar, rawget(env, "print"))
end
-- a long chain of tables
local chain = { deepest = "found" }
for i = 1, 90 do chain = setmetatable({}, { __index = chain }) end
print("90 levels", chain.deepest)
-- a metatable's __index changed after setmetatable is seen
local mt = {}
local late = setmetatable({}, mt)
print("before", late.x)
mt.__index = { x = "now" }
print("after", late.x)
mt.__index = nil
print("removed", late.x)
-- __index on a table used as a class with methods
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:len2() return self.x * self.x + self.y * self.y end
print("class", Point.new(3, 4):len2())
-- __index is a function that errors
local strict = setmetatable({}, { __index = function(_, k)
  error("undefined field " .. tostring(k), 2)
end })
try("strict", function() return strict.oops end)
-- __index chains too long (a loop) end in an error
local loop1, loop2 = {}, {}
setmetatable(loop1, { __index = loop2 })
setmetatable(loop2, { __index = loop1 })
try("loop", function() return loop1.x end)
-- errors when indexing values without __index
try("nil global", function() return x.y end)
try("nil field", function() local t = {} return t.y.z end)
try("nil local", function() local z; return z.w end)
local w
try("nil upvalue", function() return w.x end)
try("nil field of upvalue", function() return mt.__index.q end)
try("boolean", function() local b = true return b.x end)
try("number const", function() return (1).x end)
try("function", function() return print.x end)
