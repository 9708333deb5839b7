-- sort.lua: a quicksort written in Lua over an array filled by an LCG.
-- Array reads and writes by integer index (the array part of a table),
-- integer comparisons, swaps by multiple assignment, and recursion. A
-- second pass sorts records by a key through a comparison function, so
-- every comparison is a call. The result is checked to be sorted and to be
-- a permutation of the input (same sum and same xor).

local seed = 42
local function lcg()
  -- Numerical Recipes' 32-bit LCG, kept in 32 bits with a mask.
  seed = (seed * 1664525 + 1013904223) & 0xffffffff
  return seed
end

local function insertion(a, lo, hi, less)
  for i = lo + 1, hi do
    local v = a[i]
    local j = i - 1
    while j >= lo and less(v, a[j]) do
      a[j + 1] = a[j]
      j = j - 1
    end
    a[j + 1] = v
  end
end

-- Hoare partition around the median of three; recurses into the smaller
-- side and loops on the larger one, so the depth stays logarithmic.
local function quicksort(a, lo, hi, less)
  while hi - lo > 12 do
    local mid = (lo + hi) // 2
    if less(a[mid], a[lo]) then a[mid], a[lo] = a[lo], a[mid] end
    if less(a[hi], a[lo]) then a[hi], a[lo] = a[lo], a[hi] end
    if less(a[hi], a[mid]) then a[hi], a[mid] = a[mid], a[hi] end
    local pivot = a[mid]
    local i, j = lo, hi
    while i <= j do
      while less(a[i], pivot) do i = i + 1 end
      while less(pivot, a[j]) do j = j - 1 end
      if i <= j then
        a[i], a[j] = a[j], a[i]
        i, j = i + 1, j - 1
      end
    end
    if j - lo < hi - i then
      quicksort(a, lo, j, less)
      lo = i
    else
      quicksort(a, i, hi, less)
      hi = j
    end
  end
  insertion(a, lo, hi, less)
end

-- The integer sort inlines its comparisons: a copy of quicksort without
-- the comparison function, so the array accesses dominate.
local function isort(a, lo, hi)
  while hi - lo > 12 do
    local mid = (lo + hi) // 2
    if a[mid] < a[lo] then a[mid], a[lo] = a[lo], a[mid] end
    if a[hi] < a[lo] then a[hi], a[lo] = a[lo], a[hi] end
    if a[hi] < a[mid] then a[hi], a[mid] = a[mid], a[hi] end
    local pivot = a[mid]
    local i, j = lo, hi
    while i <= j do
      while a[i] < pivot do i = i + 1 end
      while pivot < a[j] do j = j - 1 end
      if i <= j then
        a[i], a[j] = a[j], a[i]
        i, j = i + 1, j - 1
      end
    end
    if j - lo < hi - i then
      isort(a, lo, j)
      lo = i
    else
      isort(a, i, hi)
      hi = j
    end
  end
  for i = lo + 1, hi do
    local v = a[i]
    local j = i - 1
    while j >= lo and v < a[j] do
      a[j + 1] = a[j]
      j = j - 1
    end
    a[j + 1] = v
  end
end

local function integers(n, rounds)
  local sorted, sum, x = 0, 0, 0
  for _ = 1, rounds do
    local a = {}
    for i = 1, n do
      a[i] = lcg() % 1000000
    end
    local s0, x0 = 0, 0
    for i = 1, n do
      s0, x0 = s0 + a[i], x0 ~ a[i]
    end
    isort(a, 1, n)
    local ok = true
    local s1, x1 = a[1], a[1]
    for i = 2, n do
      if a[i - 1] > a[i] then ok = false end
      s1, x1 = s1 + a[i], x1 ~ a[i]
    end
    if ok and s0 == s1 and x0 == x1 then
      sorted = sorted + 1
    end
    sum, x = sum + a[n // 2], x ~ a[n // 3]
  end
  return sorted, sum, x
end

local function records(n)
  local rs = {}
  for i = 1, n do
    rs[i] = { key = lcg() % 1000 / 8, id = i }
  end
  -- Stable order for equal keys by breaking ties on id.
  quicksort(rs, 1, n, function(p, q)
    if p.key ~= q.key then
      return p.key < q.key
    end
    return p.id < q.id
  end)
  local ok, check = true, 0
  for i = 2, n do
    local p, q = rs[i - 1], rs[i]
    if p.key > q.key or (p.key == q.key and p.id > q.id) then
      ok = false
    end
    check = (check * 31 + q.id) & 0xffffff
  end
  return ok, check, rs[1].key, rs[n].key
end

local isorted, isum, ixor = integers(100000, 6)
print("sort", isorted, isum, ixor, records(100000))
