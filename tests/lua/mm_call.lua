-- __call: calling a table (or any value with a __call metamethod) calls
-- the handler with the object prepended to the arguments; handlers that
-- are themselves callable objects chain; __call works for method calls,
-- pcall, generic-for iterators and tail calls; errors name the value.

local function try(label, f) print(label, pcall(f)) end

-- tables are shown by their "name" field (printing them shows addresses)
local function show(v)
  if type(v) == "table" then return "table " .. tostring(v.name) end
  return v
end
local callable = setmetatable({ name = "obj" }, { __call = function(self, a, b)
  return self.name, show(a), show(b)
end })
print("call", callable(1, 2))
print("no args", callable())
print("pcall", pcall(callable, "p"))
-- method call syntax: the object is passed twice (self for __call, then
-- the object as the method's self)
local holder = { m = callable, name = "holder" }
print("method", holder:m("arg"))
-- chained: __call of the handler's metatable
local inner = setmetatable({}, { __call = function(self, ...)
  return "inner got " .. select("#", ...) .. " args"
end })
local outer = setmetatable({}, { __call = inner })
print("chained", outer("x"))
local outermost = setmetatable({}, { __call = outer })
print("chained twice", outermost("x", "y"))
-- as an iterator of a generic for
local countdown = setmetatable({ n = 3 }, { __call = function(self)
  if self.n == 0 then return nil end
  self.n = self.n - 1
  return self.n
end })
local s = ""
for v in countdown do s = s .. v end
print("iterator", s)
-- in a tail call, and returning many values
local function tail(...) return callable(...) end
print("tail", tail("t1", "t2"))
local many = setmetatable({}, { __call = function(_, n)
  local function gen(k) if k > n then return end return k, gen(k + 1) end
  return gen(1)
end })
print("many", many(5))
-- the handler is looked up at call time
local mt = {}
local late = setmetatable({}, mt)
try("before", function() return late() end)
mt.__call = function() return "late handler" end
print("after", late())
-- errors
try("table without __call", function() local t = {} t() end)
try("__call is not callable", function()
  local bad = setmetatable({}, { __call = 42 })
  return bad()
end)
try("field", function() local t = { f = {} } t.f() end)
try("method", function() local t = { m = {} } t:m() end)
try("global", function() not_callable = {} not_callable() end)
