-- sieve.lua: the sieve of Eratosthenes.
-- A boolean array (array part of a table, filled by integer index) crossed
-- out by stepped numeric for loops, then counted; repeated so that the
-- tables are built and collected several times. A second sieve keeps only
-- odd numbers in a table of integers and collects the primes into a list.

local function sieve(n)
  local composite = {}
  for i = 1, n do
    composite[i] = false
  end
  local count = 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do
        composite[j] = true
      end
    end
  end
  return count
end

-- Odd-only sieve: slot k stands for 2k + 1; 0 marks a crossed-out number.
local function odd_primes(n)
  local half = (n - 1) // 2
  local slots = {}
  for k = 1, half do
    slots[k] = 2 * k + 1
  end
  local k = 1
  while (2 * k + 1) * (2 * k + 1) <= n do
    local p = slots[k]
    if p ~= 0 then
      for m = (p * p - 1) // 2, half, p do
        slots[m] = 0
      end
    end
    k = k + 1
  end
  local primes = { 2 }
  for s = 1, half do
    if slots[s] ~= 0 then
      primes[#primes + 1] = slots[s]
    end
  end
  return primes
end

local total = 0
for round = 1, 10 do
  total = total + sieve(1000000 + round)
end
local primes = odd_primes(6000000)
local sum = 0
for i = 1, #primes do
  sum = sum + primes[i]
end
print("sieve", total, #primes, primes[#primes], sum)
