-- setmetatable/getmetatable and the __metatable field: a protected
-- metatable is hidden behind its __metatable value and cannot be changed;
-- metatables are per table (shared when the same table is set twice);
-- setmetatable returns its first argument; argument errors.

local function try(label, f) print(label, pcall(f)) end

local mt = {}
local t = {}
print("returns t", setmetatable(t, mt) == t, getmetatable(t) == mt)
print("removed", setmetatable(t, nil) == t, getmetatable(t))
print("none", getmetatable({}), getmetatable(1), getmetatable(nil),
      getmetatable(print), getmetatable(true))
-- shared metatable
local a, b = setmetatable({}, mt), setmetatable({}, mt)
mt.__index = function() return "shared" end
print("shared", a.x, b.y, getmetatable(a) == getmetatable(b))
-- __metatable hides and protects
local protected = setmetatable({}, { __metatable = "locked", __index = { v = 1 } })
print("hidden", getmetatable(protected), protected.v)
try("change", function() setmetatable(protected, {}) end)
try("remove", function() setmetatable(protected, nil) end)
local prot2 = setmetatable({}, { __metatable = false })
print("false is a value too", getmetatable(prot2))
try("change false", function() setmetatable(prot2, {}) end)
local prot3 = setmetatable({}, { __metatable = { fake = true } })
print("table value", getmetatable(prot3).fake)
-- a metatable may be its own metatable and may have a metatable
local self_mt = {}
self_mt.__index = self_mt
self_mt.hello = "from self"
setmetatable(self_mt, self_mt)
print("self", self_mt.hello, setmetatable({}, self_mt).hello)
-- argument errors
try("no args", function() return setmetatable() end)
try("number", function() return setmetatable(1, {}) end)
try("bad mt", function() return setmetatable({}, 1) end)
try("string mt", function() return setmetatable({}, "x") end)
try("missing mt", function() return setmetatable({}) end)
try("getmetatable()", function() return getmetatable() end)
