-- Varargs: VARARGPREP and VARARG; select('#') and select(n) with positive
-- and negative n; '...' adjusted to one value in the middle of a list and
-- expanded at the end; nil arguments counted; varargs passed through,
-- stored in tables and in locals.

local function try(label, f) print(label, pcall(f)) end

local function count(...) return select("#", ...) end
print("count", count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function all(...) return ... end
print("all", all(1, 2, 3))
print("all nil", all(nil, nil))
print("none", all())
print("middle", all(1, 2), all(3, 4))
print("paren", (all(5, 6)))
print("count of middle", count(all(1, 2), all(3, 4)), count((all())))
-- select with positive and negative indices
local function sel(n, ...) return select(n, ...) end
print("select 2", sel(2, "a", "b", "c"))
print("select 3", sel(3, "a", "b", "c"))
print("select 4", sel(4, "a", "b", "c"))
print("select -1", sel(-1, "a", "b", "c"))
print("select -3", sel(-3, "a", "b", "c"))
print("select '2'", select("2", "a", "b"))
try("select 0", function() return select(0, "a") end)
try("select -4", function() return select(-4, "a", "b", "c") end)
try("select 'x'", function() return select("x") end)
-- varargs into locals and tables
local function locals(...)
  local a, b, c = ...
  local t = { ... }
  local u = { ..., "end" }
  return a, b, c, #t, u[1], u[2], u[3]
end
print("locals", locals(1, 2))
print("locals many", locals(1, 2, 3, 4, 5))
-- fixed parameters plus varargs
local function fixed(a, b, ...)
  return "a=" .. tostring(a) .. " b=" .. tostring(b) .. " rest=" .. count(...)
end
print(fixed(), fixed(1), fixed(1, 2), fixed(1, 2, 3, 4))
-- passing varargs through several levels
local function level3(...) return count(...), ... end
local function level2(...) return level3(...) end
local function level1(...) return level2(0, ...) end
print("through", level1(nil, "x", nil))
-- a vararg main chunk: the script's own '...' (lua passes no arguments)
print("chunk varargs", select("#", ...))
-- large numbers of arguments and results
local function many(n, ...)
  if n == 0 then return ... end
  return many(n - 1, n, ...)
end
print("200 values", count(many(200)))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end
print("sum", sum(many(100)))
-- varargs captured by closures must be copied first
local function capture(...)
  local first, n = ..., select("#", ...)
  return function() return first, n end
end
print("capture", capture("p", "q")())
-- table.pack-like and unpack-like helpers written in Lua
local function unpack(t, i, j)
  i = i or 1
  j = j or t.n or #t
  if i > j then return end
  return t[i], unpack(t, i + 1, j)
end
print("unpack", unpack({ 1, 2, 3 }), unpack({ n = 3, 1 }))
