-- Many small functions: every parameter shape, returns of each size,
-- recursion, and closures that share and update upvalues.
local function f0() end
local function f1(a) return a end
local function f2(a, b) return b, a end
local function f3(a, b, c) return a + b + c end
local function fv(...) return select("#", ...) end
local function fav(a, ...) return a, ... end
local function fabv(a, b, ...) local t = {...}; return a, b, #t end
local function rec(n) if n == 0 then return 0 end return rec(n - 1) end
local function mutual_a(n) return n > 0 and mutual_b(n - 1) or "a" end
function mutual_b(n) return n > 0 and mutual_a(n - 1) or "b" end
local function counter()
  local n = 0
  local function inc() n = n + 1; return n end
  local function dec() n = n - 1; return n end
  local function get() return n end
  return inc, dec, get
end
local function adder(x) return function(y) return x + y end end
local function compose(f, g) return function(...) return f(g(...)) end end
local function curry3(f)
  return function(a) return function(b) return function(c)
    return f(a, b, c)
  end end end
end
local function apply(f, ...) return f(...) end
local function map(f, t)
  local r = {}
  for i = 1, #t do r[i] = f(t[i]) end
  return r
end
local function filter(p, t)
  local r = {}
  for _, v in ipairs(t) do if p(v) then r[#r + 1] = v end end
  return r
end
local function reduce(f, acc, t)
  for _, v in ipairs(t) do acc = f(acc, v) end
  return acc
end
local function memoize(f)
  local cache = {}
  return function(x)
    local v = cache[x]
    if v == nil then v = f(x); cache[x] = v end
    return v
  end
end
local function once(f)
  local done, result = false, nil
  return function(...)
    if not done then done, result = true, f(...) end
    return result
  end
end
local function swap(a, b) return b, a end
local function noresult() f0() end
local function tail(n) return f1(n) end
local function nottail(n) return (f1(n)) end
local function multi() return f2(1, 2), f2(3, 4) end
local obj = {n = 0}
function obj:inc(by) self.n = self.n + (by or 1); return self end
function obj.static(x) return x * 2 end
local inc, dec, get = counter()
return f0, f1, f2, f3, fv, fav, fabv, rec, mutual_a, inc, dec, get,
  adder(1), compose(f1, f1), curry3(f3), apply, map, filter, reduce,
  memoize(f1), once(f0), swap, noresult, tail, nottail, multi, obj
