-- TAILCALL: a tail call reuses the caller's frame, so tail recursion a
-- million levels deep runs in constant stack space (non-tail recursion
-- that deep would overflow). Also mutual recursion, tail calls to C
-- functions, to __call objects, from vararg functions, and with results
-- adjusted by the caller.

local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print("1e6 deep", loop(1000000, 0))

local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print("mutual", is_even(1000001), is_odd(777777))

-- a vararg function tail-calling itself with a different argument count
local function va(n, ...)
  if n == 0 then return select("#", ...), ... end
  if select("#", ...) >= 3 then return va(n - 1) end
  return va(n - 1, n, ...)
end
print("vararg", va(1000002))
print("vararg small", va(5))

-- tail call to a C function and to a callable table
local function to_c(...) return select(2, ...) end
print("to C", to_c("a", "b", "c"))
local callable = setmetatable({}, { __call = function(self, n, acc)
  if n == 0 then return acc end
  return self(n - 1, acc + 2)
end })
local function to_callable(n) return callable(n, 0) end
print("callable", to_callable(100000))

-- results of a tail call are adjusted by the original caller
local function many() return 1, 2, 3 end
local function tail_many() return many() end
local a, b = tail_many()
print("adjusted", a, b, (tail_many()))
print("all", tail_many())
-- a method tail call
local obj = { n = 0 }
function obj:count(k)
  if k == 0 then return self.n end
  self.n = self.n + 1
  return self:count(k - 1)
end
print("method", obj:count(500000))
-- tail call through pcall keeps working (pcall is a C function; the
-- function it calls may tail call as deep as it likes)
print("pcall", pcall(loop, 300000, 5))
-- a tail call in a coroutine
local co = coroutine.wrap(function(n) return loop(n, 1) end)
print("coroutine", co(200000))
