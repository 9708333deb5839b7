-- __newindex: a table (the assignment goes there, following its own
-- __newindex), a function (called with table, key, value; rawset stores),
-- only for absent keys, bypassed by rawset; read-only tables; proxies.

local function try(label, f) print(label, pcall(f)) end

local store = {}
local front = setmetatable({}, { __newindex = store })
front.a = 1
front[1] = "one"
print("redirected", rawget(front, "a"), store.a, store[1], front.a)
-- chains: the target's own __newindex is followed
local last = {}
local middle = setmetatable({}, { __newindex = last })
local first = setmetatable({}, { __newindex = middle })
first.x = "deep"
print("chain", rawget(first, "x"), rawget(middle, "x"), last.x)
-- present keys are assigned directly
local present = setmetatable({ k = 1 }, { __newindex = function() error("not called") end })
present.k = 2
print("present", present.k)
-- a present key set to nil, then assigned again, calls the handler
present.k = nil
print("absent again", pcall(function() present.k = 3 end))
-- a function handler with rawset
local log = ""
local tracked = setmetatable({}, { __newindex = function(t, k, v)
  log = log .. tostring(k) .. "=" .. tostring(v) .. " "
  rawset(t, k, v)
end })
tracked.a = 1
tracked.a = 2          -- present now: no call
tracked[1] = "x"
tracked[2.0] = "y"     -- the handler sees 2.0; rawset stores it as 2
local key = "dyn"
tracked[key] = true
print("log", log, rawget(tracked, 2))
-- read-only table
local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error("attempt to update a read-only table (key " .. tostring(k) .. ")", 2) end,
  })
end
local days = readonly({ "Sunday", "Monday" })
print("read", days[1], days[2])
try("write", function() days[3] = "Tuesday" end)
-- SETTABUP through a proxy _ENV
local writes = {}
local env = setmetatable({}, { __index = _G, __newindex = function(t, k, v)
  writes[#writes + 1] = k
  rawset(t, k, v)
end })
do
  local _ENV = env
  g1 = 1
  g2 = g1 + 1
  g1 = 10
end
print("env writes", writes[1], writes[2], writes[3], env.g1, env.g2)
-- rawset bypasses __newindex; rawset on a non-table is an error
rawset(front, "direct", true)
print("rawset", rawget(front, "direct"), store.direct)
try("rawset number", function() rawset(1, 2, 3) end)
try("rawset nil key", function() rawset({}, nil, 3) end)
-- __newindex loops are detected
local l1, l2 = {}, {}
setmetatable(l1, { __newindex = l2 })
setmetatable(l2, { __newindex = l1 })
try("loop", function() l1.x = 1 end)
-- __newindex on a value that is not a table or function: indexed again
local odd = setmetatable({}, { __newindex = 42 })
try("number handler", function() odd.x = 1 end)
-- errors assigning into non-tables
try("nil local", function() local z; z.k = 1 end)
try("nil field", function() local t = {} t.sub.k = 1 end)
try("string", function() local s = "str" s.k = 1 end)
