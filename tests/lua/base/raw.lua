-- rawget, rawset, rawequal and rawlen bypass metamethods; their errors.

local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "index " .. tostring(k); return "meta" end,
  __newindex = function(_, k) log[#log + 1] = "newindex " .. tostring(k) end,
  __len = function() return 99 end,
  __eq = function() return true end,
})

print(proxy.a, rawget(proxy, "a"))
proxy.b = 1
print(rawget(proxy, "b"))
print(rawset(proxy, "b", 2) == proxy, rawget(proxy, "b"), proxy.b)
print(#proxy, rawlen(proxy))
print(log[1], log[2], log[3])

local other = setmetatable({}, getmetatable(proxy))
print(proxy == other, rawequal(proxy, other), rawequal(proxy, proxy))
print(rawequal(1, 1.0), rawequal("a", "a"), rawequal(nil, false), rawequal(0, -0))

print(rawlen({1, 2, 3}), rawlen("hello"), rawlen(""))
print(rawlen({n = 1}))

-- rawset keys: float keys with integer values are normalised
local t = {}
rawset(t, 1.0, "one")
print(rawget(t, 1), t[1])

local function try(f, ...)
  print(pcall(f, ...))
end

try(rawget)
try(rawget, {})
try(rawget, "s", 1)
try(rawset, {}, 1)
try(rawset, {})
try(rawset, 1, 2, 3)
try(rawset, {}, nil, 1)
try(rawset, {}, 0/0, 1)
try(rawequal)
try(rawequal, 1)
try(rawlen)
try(rawlen, 5)
try(rawlen, nil)
try(rawlen, print)
print(rawequal(1, 1, "extra"))
