-- Classic algorithms: sorting, searching, recursion, memoisation.
local function quicksort(t, lo, hi)
  lo, hi = lo or 1, hi or #t
  if lo < hi then
    local p = t[hi]
    local i = lo - 1
    for j = lo, hi - 1 do
      if t[j] <= p then
        i = i + 1
        t[i], t[j] = t[j], t[i]
      end
    end
    t[i + 1], t[hi] = t[hi], t[i + 1]
    quicksort(t, lo, i)
    quicksort(t, i + 2, hi)
  end
  return t
end

local function bsearch(t, x)
  local lo, hi = 1, #t
  while lo <= hi do
    local mid = (lo + hi) // 2
    local v = t[mid]
    if v == x then return mid
    elseif v < x then lo = mid + 1
    else hi = mid - 1 end
  end
  return nil
end

local memo = setmetatable({}, {__mode = "k"})
local function fib(n)
  if n < 2 then return n end
  local m = memo[n]
  if m then return m end
  m = fib(n - 1) + fib(n - 2)
  memo[n] = m
  return m
end

local function gcd(a, b)
  while b ~= 0 do a, b = b, a % b end
  return a
end

local function sieve(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then
      for j = i * i, n, i do is[j] = false end
    end
  end
  local primes = {}
  for i = 2, n do if is[i] then primes[#primes + 1] = i end end
  return primes
end

local function permutations(t)
  local function gen(n)
    if n <= 1 then
      coroutine.yield(table.unpack(t))
    else
      for i = 1, n do
        t[n], t[i] = t[i], t[n]
        gen(n - 1)
        t[n], t[i] = t[i], t[n]
      end
    end
  end
  return coroutine.wrap(function() gen(#t) end)
end

local function matmul(a, b)
  local n, m, p = #a, #b, #b[1]
  local c = {}
  for i = 1, n do
    local ci = {}
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      ci[j] = s
    end
    c[i] = ci
  end
  return c
end

local function hash(s)
  local h = 5381
  for i = 1, #s do
    h = ((h << 5) + h + s:byte(i)) & 0xffffffff
  end
  return h ~ (h >> 16)
end

return quicksort, bsearch, fib, gcd, sieve, permutations, matmul, hash
