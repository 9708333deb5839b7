-- __eq, __lt, __le: __eq only for two tables (or two full userdata) that
-- are not primitively equal, its result converted to a boolean, tried on
-- the left operand then the right; ~= negates it; __lt/__le for any pair
-- where one operand has them (incl. numbers and strings on the other
-- side); > and >= swap the operands; immediates and constants (LTI GTI
-- EQK...) reach them too. Without __le, a <= b is "not (b < a)": Lua 5.4
-- built with LUA_COMPAT_5_3, as Debian's lua5.4 is, keeps that emulation.

local function try(label, f) print(label, pcall(f)) end
local function show(v)
  if type(v) == "table" then return "<" .. tostring(v.tag) .. ">" end
  return tostring(v)
end

local log = ""
local mt = {
  __eq = function(a, b) log = log .. " eq" .. show(a) .. show(b) return a.v == b.v end,
  __lt = function(a, b)
    log = log .. " lt" .. show(a) .. show(b)
    local x = type(a) == "table" and a.v or a
    local y = type(b) == "table" and b.v or b
    return x < y
  end,
  __le = function(a, b)
    log = log .. " le" .. show(a) .. show(b)
    local x = type(a) == "table" and a.v or a
    local y = type(b) == "table" and b.v or b
    return x <= y
  end,
}
local function obj(tag, v) return setmetatable({ tag = tag, v = v }, mt) end
local a, b, c = obj("a", 1), obj("b", 2), obj("c", 1)
local function flush(label, ...)
  local line = label
  for i = 1, select("#", ...) do line = line .. " " .. tostring(select(i, ...)) end
  print(line .. " |" .. log)
  log = ""
end

flush("eq", a == c, a == b, a ~= c, a ~= b)
flush("same object: no call", a == a, a ~= a)
flush("rawequal", rawequal(a, c), rawequal(a, a))
flush("table vs number: no call", a == 1, 1 == a, a ~= "x")
flush("lt", a < b, b < a, a > b, b > a)
flush("le", a <= b, b <= c, a >= c, b >= a)
flush("number left", 0 < a, 5 < a, 1 <= a, 2 >= b)
flush("number right", a < 5, b <= 1, a > 0, b >= 3)
flush("imm/K", a < 100, a > 1.5, a <= -1, a >= 1, a == 1, a ~= nil)
local s = "s"
flush("string", pcall(function() return a < s end))
-- the result is converted to a boolean
local weird = setmetatable({}, {
  __eq = function() return "yes" end,
  __lt = function() return nil end,
  __le = function() return 0 end,
})
local other = setmetatable({}, getmetatable(weird))
print("converted", weird == other, weird < other, weird <= other,
      not (weird == other))
-- __eq is looked up in the left operand first, then the right
local left = setmetatable({ tag = "L" }, { __eq = function() return true end })
local right = setmetatable({ tag = "R" }, { __eq = function() return false end })
local bare = { tag = "bare" }
print("eq order", left == right, right == left, bare == left, left == bare,
      bare == right)
-- a metatable with only __lt: <= and >= call it with swapped operands
local ltlog = ""
local ltonly = { __lt = function(x, y)
  ltlog = ltlog .. " lt" .. x.tag .. y.tag
  return x.tag < y.tag
end }
local p, q = setmetatable({ tag = "p" }, ltonly), setmetatable({ tag = "q" }, ltonly)
print("lt only", p < q, p > q, p <= q, p >= q, ltlog)
-- sorting with __lt, written in Lua (insertion sort)
local items = { obj("x", 5), obj("y", 3), obj("z", 9), obj("w", 1), obj("v", 4) }
for i = 2, #items do
  local it, j = items[i], i - 1
  while j >= 1 and it < items[j] do items[j + 1] = items[j]; j = j - 1 end
  items[j + 1] = it
end
log = ""
local order = ""
for _, it in ipairs(items) do order = order .. it.tag end
print("sorted", order)
-- errors
try("tables without __lt", function() return {} < {} end)
try("table < number", function() local t = {} return t < 1 end)
try("number <= table", function() local t = {} return 1 <= t end)
try("handler error", function()
  local e = setmetatable({}, { __lt = function() error("cannot order", 0) end })
  return e < e
end)
