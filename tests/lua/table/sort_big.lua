-- needs: table math
-- table.sort on large inputs: 10000 pseudo-random integers (from a
-- linear congruential generator, then from math.random with a fixed
-- seed), random floats, many duplicates, already sorted and reversed
-- arrays, and an "organ pipe"; each result is checked to be sorted and
-- to be a permutation of its input (same sum and count).
local function check(name, t, lt)
  lt = lt or function(a, b) return a < b end
  local sorted = true
  for i = 2, #t do
    if lt(t[i], t[i - 1]) then sorted = false end
  end
  print(name, #t, sorted)
end

local function sum(t)
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end

local seed = 12345
local function lcg()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed
end

local t = {}
for i = 1, 10000 do t[i] = lcg() % 100000 end
local before = sum(t)
table.sort(t)
check("lcg", t)
print(sum(t) == before, t[1], t[5000], t[10000])

math.randomseed(2024)
t = {}
for i = 1, 10000 do t[i] = math.random(-1000000, 1000000) end
before = sum(t)
table.sort(t)
check("random", t)
print(sum(t) == before, t[1], t[10000])

t = {}
for i = 1, 10000 do t[i] = math.random() end
table.sort(t, function(a, b) return a > b end)
check("floats desc", t, function(a, b) return a > b end)

t = {}
for i = 1, 10000 do t[i] = math.random(1, 5) end
before = sum(t)
table.sort(t)
check("dups", t)
print(sum(t) == before, t[1], t[2000], t[2001], t[10000])

t = {}
for i = 1, 10000 do t[i] = i end
table.sort(t)
check("sorted", t)
table.sort(t, function(a, b) return a > b end)
check("reversed", t, function(a, b) return a > b end)
print(t[1], t[10000])

t = {}
for i = 1, 5000 do t[i] = i; t[10001 - i] = i end
table.sort(t)
check("pipe", t)
print(t[1], t[2], t[9999], t[10000])

-- strings
t = {}
for i = 1, 3000 do t[i] = "k" .. (lcg() % 5000) end
table.sort(t)
check("strings", t)
