-- Coroutines as generators and pipelines.
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local function filter(p, g)
  return coroutine.wrap(function()
    for v in g do if p(v) then coroutine.yield(v) end end
  end)
end
local function take(k, g)
  return coroutine.wrap(function()
    for _ = 1, k do
      local v = g()
      if v == nil then return end
      coroutine.yield(v)
    end
  end)
end
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co), coroutine.isyieldable())
for v in take(3, filter(function(x) return x % 2 == 0 end, gen(100))) do
  print(v)
end
