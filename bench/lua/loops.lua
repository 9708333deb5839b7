-- loops.lua: integer for and while loops, integer arithmetic.
-- Everything here stays in integer registers: numeric for loops (with
-- positive, negative and non-unit steps), while and repeat loops, and the
-- integer operators + - * // % & | ~ << >>. Integer overflow wraps around in
-- Lua 5.4, and the checksum depends on it.

-- Nested for loops with a multiply-accumulate.
local function nested(n)
  local sum = 0
  for i = 1, n do
    for j = n, 1, -3 do
      sum = sum + i * j - (i ~ j)
    end
  end
  return sum
end

-- Collatz sequence lengths: a while loop with // and % on each step.
local function collatz(limit)
  local longest, best = 0, 0
  for start = 1, limit do
    local n, steps = start, 0
    while n ~= 1 do
      if n % 2 == 0 then
        n = n // 2
      else
        n = 3 * n + 1
      end
      steps = steps + 1
    end
    if steps > longest then
      longest, best = steps, start
    end
  end
  return best, longest
end

-- A 64-bit xorshift generator: shifts and xors that overflow on purpose.
local function xorshift(rounds)
  local x = 88172645463325252
  local acc = 0
  local i = 0
  repeat
    x = x ~ (x << 13)
    x = x ~ (x >> 7)
    x = x ~ (x << 17)
    acc = (acc + (x & 0xffff)) | 1
    i = i + 1
  until i == rounds
  return x, acc
end

-- Greatest common divisors by repeated remainder.
local function gcdsum(n)
  local total = 0
  for a = 1, n do
    for b = a, n, 7 do
      local x, y = a, b
      while y ~= 0 do
        x, y = y, x % y
      end
      total = total + x
    end
  end
  return total
end

local best, longest = collatz(100000)
local x, acc = xorshift(2000000)
print("loops", nested(6000), best, longest, x, acc, gcdsum(4000))
