-- Nested functions, upvalues through several levels, _ENV, methods.
local a = 1
local b <const> = 2
local c <const> = "const string"
local d <const> = 2.5
local e <const> = nil
local f <const> = true
local g <const> = {}
local function outer(p)
  local q = p + a
  local function middle(r)
    local function inner(s)
      a = a + 1
      q = q + s + r + p
      return a, b, c, d, e, f, g, print, q
    end
    return inner
  end
  return middle
end
function global_fn(x, y) return x + y end
function t.a.b.c(x) return x end
function t.a.b:m(x) return self, x end
function t:m2() return self end
local obj = {}
function obj.method(self) end
function obj:method2(...) return ... end
local _ENV = {print = print}
x = 1
print(x)
local function setenv()
  local _ENV = {}
  y = 2
  return y
end
do
  local z = 1
  local function cl() z = z + 1 end
end
local h = function(...) local t = {...} return #t end
local k = function() return function() return function() return a end end end
return outer, h, k
