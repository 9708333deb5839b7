-- Assorted forms: parenthesised calls, vararg adjustments, method chains,
-- nested constructors with calls, semicolons, and long method names.
local f, g = print, select
;(f or g)("x")
local x = (f)(1)
local y = ((f))
local a, b = (g('#', 1, 2))
local t = {f(), (f()), f(), ...}
local u = {[f()] = g(1, ...), f()}
t.a.b.c.d.e = t.e.d.c.b.a
t[t[t[1]]] = t[t]
t:m1():m2().f:m3 "s" {1} (2)
local n = not not not t
local m = - - -1
local w = ~ ~ ~1
local v = #t + #t.a + #"xyz"
local q = 2 ^ - 2
local z = -2 ^ 2
local c = 1 .. 2
local r = "a" .. 1 + 2 .. "b"
local o = 1 < 2 == true ~= false
local p = a and b or c and not x or y
local nested = {{{{{}}}}}
local trailing = {1, 2, 3,}
local semis = {1; 2; 3;}
do ; end ; ; ;
local function varargs(...)
  local a, b, c = ...
  local t = {..., n = select("#", ...)}
  local first = (...)
  return select(2, ...), ..., (...)
end
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
return varargs(sum(1, 2, 3), ...)
