-- print and tostring: the string form of every kind of value, __tostring
-- and __name, and the errors of both.

local function try(f, ...)
  print(pcall(f, ...))
end

print()
print(nil)
print(1, 2.5, -0.0, 1e100, 2^63, -2^63, 100 // 1, 7 / 2)
print(true, false, "text", "tab\tinside")
print(1, nil, 3)
print("a", "", "b")

print(tostring(12), tostring(12.0), tostring(-12.5), tostring(1/0), tostring(-1/0))
print(tostring(0x7fffffffffffffff), tostring(0x7fffffffffffffff + 1))
print(tostring(3) == "3", tostring(nil), tostring(true))
print(type(tostring({})), type(tostring(print)))

-- __tostring wins over everything else
local point = setmetatable({x = 1, y = 2}, {
  __tostring = function(p) return "(" .. p.x .. ", " .. p.y .. ")" end,
})
print(point)
print(tostring(point))

-- __name names the value's kind when there is no __tostring
local named = setmetatable({}, {__name = "MyType"})
local shown = tostring(named)
print(#shown > #"MyType: ", rawequal(shown, tostring(named)))

-- a __name that is not a string is ignored
local oddname = setmetatable({}, {__name = 42})
print(#tostring(oddname) > #"table: ")

-- __tostring must give a string
local bad = setmetatable({}, {__tostring = function() return 42 end})
try(tostring, bad)
try(print, bad)
local bad2 = setmetatable({}, {__tostring = function() return nil end})
try(tostring, bad2)
local bad3 = setmetatable({}, {__tostring = function() error("inner", 0) end})
try(tostring, bad3)
local bad4 = setmetatable({}, {__tostring = function() error({}) end})
print(select("#", pcall(tostring, bad4)), type(select(2, pcall(tostring, bad4))))

-- tostring needs an argument
try(tostring)
print(tostring(nil, 1, 2))

-- print calls __tostring for every argument, in order
local order = {}
local mt = {__tostring = function(v) order[#order + 1] = v.n; return "v" .. v.n end}
print(setmetatable({n = 1}, mt), setmetatable({n = 2}, mt), setmetatable({n = 3}, mt))
print(order[1], order[2], order[3])
