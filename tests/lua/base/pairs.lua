-- next, pairs (with __pairs) and ipairs (with __index), and their errors.

local function try(f, ...)
  print(pcall(f, ...))
end

-- sorts a small array of strings or numbers in place (no table library)
local function sort(a)
  for i = 2, #a do
    local v, j = a[i], i - 1
    while j >= 1 and a[j] > v do a[j + 1] = a[j]; j = j - 1 end
    a[j + 1] = v
  end
  return a
end

local function keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = tostring(k) end
  sort(out)
  local s = ""
  for i = 1, #out do s = s .. (i > 1 and "," or "") .. out[i] end
  return s
end

print(keys({a = 1, b = 2, c = 3, 10, 20, 30}))
print(keys({}))
print(next({}))
print(next({}, nil))
print(next({5}))
print(next({5}, 1))

local t = {1, 2, 3}
local k, v = next(t)
local count = 0
while k do count = count + 1; k, v = next(t, k) end
print(count)

-- pairs returns next, the table and nil without __pairs
local f, s, init = pairs(t)
print(f == next, s == t, init)

-- __pairs
local proxied = setmetatable({}, {__pairs = function(self)
  local i = 0
  return function(_, last)
    i = i + 1
    if i <= 3 then return i, i * 10 end
  end, self, "start"
end})
for k, v in pairs(proxied) do print("pairs", k, v) end
local pf, ps, pi = pairs(proxied)
print(type(pf), ps == proxied, pi)

-- __pairs may return fewer values
local short = setmetatable({}, {__pairs = function() return next end})
print(select("#", pairs(short)), select(2, pairs(short)))

-- ipairs stops at the first nil and uses __index
for i, v in ipairs({"a", "b", nil, "d"}) do print("ipairs", i, v) end
local virtual = setmetatable({}, {__index = function(_, i)
  if i <= 4 then return i * i end
end})
for i, v in ipairs(virtual) do print("virtual", i, v) end
local it, st, start = ipairs(t)
print(type(it), st == t, start)
print(it(t, 0))
print(it(t, 3))

-- errors
try(next)
try(next, 1)
try(next, {}, "missing")
try(pairs)
print(pcall(function() return type(pairs(nil)) end))
try(ipairs)
print(pcall(function() local f, s, i = ipairs(nil) return type(f), s, i end))
try(function() for _ in ipairs(nil) do end end)
try(load("for _ in pairs(nil) do end", "=chunk"))
try(it, t)
try(it, t, "x")
try(it, t, 1.5)

-- a __pairs that fails
local broken = setmetatable({}, {__pairs = function() error("no pairs", 0) end})
try(pairs, broken)
