-- setmetatable and getmetatable: setting, clearing, __metatable
-- protection, and the argument errors.

local function try(f, ...)
  print(pcall(f, ...))
end

local t = {}
local mt = {}
print(setmetatable(t, mt) == t)
print(getmetatable(t) == mt)
print(setmetatable(t, nil) == t, getmetatable(t))

print(getmetatable({}), getmetatable(1), getmetatable(nil), getmetatable(print))

-- __metatable hides the metatable and protects it
local guarded = setmetatable({}, {__metatable = "locked"})
print(getmetatable(guarded))
try(setmetatable, guarded, {})
try(setmetatable, guarded, nil)
local falsy = setmetatable({}, {__metatable = false})
print(getmetatable(falsy))
try(setmetatable, falsy, {})

-- errors
try(setmetatable)
try(setmetatable, {})
try(setmetatable, 1, {})
try(setmetatable, nil, {})
try(setmetatable, {}, 1)
try(setmetatable, {}, "x")
try(setmetatable, {}, true)
try(getmetatable)
print(getmetatable(nil))

-- the metatable is used: __index, __call, __concat
local obj = setmetatable({}, {
  __index = function(_, k) return k .. "!" end,
  __call = function(self, a, b) return a + b end,
  __concat = function(a, b) return "cat" end,
})
print(obj.hello, obj(2, 3), obj .. "x", "x" .. obj)
