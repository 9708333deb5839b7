-- Small whole programs that combine everything: the eight queens, a prime
-- sieve, quicksort with a comparator, memoised Fibonacci on a weak table,
-- a binary-trees allocation benchmark (small), a string builder and a
-- class hierarchy with inheritance through __index.

-- eight queens: count the solutions and print the first one
local N = 8
local function ok(a, n, c)
  for i = 1, n - 1 do
    if a[i] == c or a[i] - i == c - n or a[i] + i == c + n then return false end
  end
  return true
end
local solutions, first = 0, nil
local function place(a, n)
  if n > N then
    solutions = solutions + 1
    if not first then
      first = ""
      for i = 1, N do first = first .. a[i] end
    end
    return
  end
  for c = 1, N do
    if ok(a, n, c) then a[n] = c; place(a, n + 1) end
  end
end
place({}, 1)
print("queens", solutions, first)

-- sieve of Eratosthenes
local function sieve(n)
  local composite, count, last = {}, 0, nil
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      last = i
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count, last
end
print("primes below 10000", sieve(10000))

-- quicksort with a comparator
local function qsort(t, lo, hi, less)
  if lo >= hi then return end
  local p, i = t[hi], lo - 1
  for j = lo, hi - 1 do
    if less(t[j], p) then i = i + 1; t[i], t[j] = t[j], t[i] end
  end
  t[i + 1], t[hi] = t[hi], t[i + 1]
  qsort(t, lo, i, less)
  qsort(t, i + 2, hi, less)
end
local data, seed = {}, 12345
for i = 1, 200 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  data[i] = seed % 1000
end
qsort(data, 1, #data, function(a, b) return a > b end)
local sorted = true
for i = 2, #data do if data[i - 1] < data[i] then sorted = false end end
print("sorted descending", sorted, data[1], data[100], data[200])

-- memoised Fibonacci
local memo = setmetatable({}, { __mode = "k" })
local function fib(n)
  if n < 2 then return n end
  local v = memo[n]
  if v then return v end
  v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print("fib(90)", fib(90))

-- binary trees: allocate and check many small tables
local function make(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { make(depth), make(depth) }
end
local function check(tree)
  if not tree[1] then return 1 end
  return 1 + check(tree[1]) + check(tree[2])
end
local total = 0
for d = 4, 12, 4 do
  local iterations = 1 << (12 - d)
  for _ = 1, iterations do total = total + check(make(d)) end
end
print("trees", total)

-- string building
local parts = ""
for i = 1, 100 do parts = parts .. (i % 10 == 0 and "|" or i % 10) end
print("built", parts, #parts)

-- classes with inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound)
  return setmetatable({ name = name, sound = sound }, Animal)
end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({}, { __index = Animal })
Dog.__index = Dog
function Dog.new(name)
  local d = Animal.new(name, "woof")
  return setmetatable(d, Dog)
end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("Rex")
print(d:speak(), d:fetch(), getmetatable(d) == Dog, Animal.fetch)
