-- __concat and __len. A concatenation chain is evaluated right to left,
-- pairwise; strings and numbers join directly and a table operand calls
-- __concat with the partial result on the other side. __len overrides #
-- for tables (raw length otherwise; strings always use their byte length).

local function try(label, f) print(label, pcall(f)) end

local function show(v)
  if type(v) == "table" then return "<" .. tostring(v.tag) .. ">" end
  return tostring(v)
end
local log = ""
local mt = { __concat = function(a, b)
  log = log .. " (" .. show(a) .. "|" .. show(b) .. ")"
  return "[" .. show(a) .. show(b) .. "]"
end }
local T = setmetatable({ tag = "T" }, mt)
local U = setmetatable({ tag = "U" }, mt)
local function flush(label, v) print(label, v, log) log = "" end

flush("T..s", T .. "s")
flush("s..T", "s" .. T)
flush("1..T", 1 .. T)
flush("T..2.5", T .. 2.5)
flush("T..U", T .. U)
flush("chain a..b..T..c..d", "a" .. "b" .. T .. "c" .. "d")
flush("chain T..a..U", T .. "a" .. U)
flush("chain 1..2..T", 1 .. 2 .. T)
flush("T..nil", T .. nil)
flush("true..T", true .. T)
-- __concat may return any value, which the chain continues with
local num = setmetatable({}, { __concat = function() return 42 end })
flush("returns number", "x" .. num .. "y")
local tab = setmetatable({ tag = "tab" }, { __concat = function(a, b)
  if type(a) == "table" then return a end
  return b
end })
print("returns table", show("x" .. tab), show(tab .. "y"))
-- the left operand's handler is tried first
local L = setmetatable({}, { __concat = function() return "left" end })
local R = setmetatable({}, { __concat = function() return "right" end })
print("order", L .. R, R .. L, "s" .. R, L .. "s")

-- __len
local sized = setmetatable({ 1, 2, 3 }, { __len = function(t) return 99 end })
print("#sized", #sized, rawlen(sized))
local weird = setmetatable({}, { __len = function() return "not a number", 2 end })
print("#weird", #weird)
local counted = setmetatable({}, { __len = function(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end })
counted.a = 1; counted.b = 2; counted[10] = 3
print("#counted", #counted)
print("#plain", #{ 1, 2, 3 }, #"four", #"", rawlen({ 1, 2 }), rawlen("abc"))
-- strings ignore __len
local strlen = "a\0b"
print("#string", #strlen)

-- errors
try("concat table without __concat", function() local t = {} return "a" .. t end)
try("concat nil local", function() local x return x .. "a" end)
try("len of number", function() local n = 5 return #n end)
try("len of nil field", function() local t = {} return #t.list end)
try("len of boolean", function() return #log, #true end)
try("rawlen of number", function() return rawlen(5) end)
