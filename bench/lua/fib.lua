-- fib.lua: recursive calls.
-- Doubly recursive Fibonacci is almost nothing but calls and returns, with
-- one comparison and two additions per call, so it measures the cost of
-- entering and leaving a Lua function. The local version finds itself
-- through an upvalue, the global one through _ENV (a table lookup per call).

local function fib(n)
  if n < 2 then
    return n
  end
  return fib(n - 1) + fib(n - 2)
end

function gfib(n)
  if n < 2 then
    return n
  end
  return gfib(n - 1) + gfib(n - 2)
end

-- Tail calls: a countdown that must not grow the stack.
local function countdown(n, acc)
  if n == 0 then
    return acc
  end
  return countdown(n - 1, acc + n % 7)
end

print("fib", fib(34), gfib(32), countdown(3000000, 0))
