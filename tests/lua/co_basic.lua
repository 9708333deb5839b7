-- Coroutines: create, resume, yield, status, running, isyieldable, wrap;
-- values passed in both directions (first resume gives the arguments,
-- later resumes become yield's results, yields become resume's results,
-- the final return ends it); generators; nested coroutines.

local co = coroutine.create(function(a, b)
  print("started with", a, b)
  local c = coroutine.yield(a + b)
  print("resumed with", c)
  local d, e = coroutine.yield(c * 2)
  print("resumed with", d, e)
  return "done", d + e
end)
print("status", coroutine.status(co))
print("resume 1", coroutine.resume(co, 1, 2))
print("status", coroutine.status(co))
print("resume 2", coroutine.resume(co, 10))
print("resume 3", coroutine.resume(co, 3, 4))
print("status", coroutine.status(co))
print("resume dead", coroutine.resume(co))

-- yields with no values and many values
local multi = coroutine.create(function(...)
  coroutine.yield()
  coroutine.yield(...)
  coroutine.yield(nil, nil)
  return select("#", coroutine.yield(1, 2, 3))
end)
print(coroutine.resume(multi, "x", "y", "z"))
print(coroutine.resume(multi))
print(coroutine.resume(multi))
print(coroutine.resume(multi))
print(coroutine.resume(multi, nil, nil, nil))

-- running and isyieldable, inside and outside
local main, ismain = coroutine.running()
print("main", type(main), ismain, coroutine.isyieldable(),
      coroutine.status(main))
local inner = coroutine.create(function()
  local me, im = coroutine.running()
  print("inside", type(me), im, coroutine.isyieldable(),
        coroutine.status(me), coroutine.status(main))
  return me
end)
local ok, me = coroutine.resume(inner)
print("same thread", me == inner, coroutine.status(inner))

-- a generator with wrap
local function range(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local s = ""
for v in range(5) do s = s .. v end
print("generator", s)
-- permutations generated recursively
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) return end
  for i = 1, n do
    a[n], a[i] = a[i], a[n]
    permgen(a, n - 1)
    a[n], a[i] = a[i], a[n]
  end
end
local perms = ""
for p in coroutine.wrap(function() permgen({ "a", "b", "c" }) end) do
  perms = perms .. p[1] .. p[2] .. p[3] .. " "
end
print("permutations", perms)

-- nested coroutines: a coroutine resuming another; status "normal"
local outer
local innerco = coroutine.create(function()
  print("outer is", coroutine.status(outer))
  coroutine.yield("from inner")
  return "inner done"
end)
outer = coroutine.create(function()
  print("inner says", coroutine.resume(innerco))
  coroutine.yield("outer yielded")
  print("inner says", coroutine.resume(innerco))
  return "outer done"
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
print(coroutine.status(outer), coroutine.status(innerco))

-- a producer/consumer pair
local function producer()
  return coroutine.create(function()
    for _, item in ipairs({ "p", "q", "r" }) do coroutine.yield(item) end
    return nil
  end)
end
local function consumer(prod)
  local got = ""
  while true do
    local _, item = coroutine.resume(prod)
    if not item then break end
    got = got .. item
  end
  return got
end
print("consumed", consumer(producer()))
-- many coroutines alive at once
local cos = {}
for i = 1, 100 do
  cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end)
end
local total = 0
for i = 1, 100 do local _, v = coroutine.resume(cos[i], i) total = total + v end
for i = 1, 100 do local _, v = coroutine.resume(cos[i], 1) total = total + v end
print("hundred", total)
-- wrap passes values the same way
local w = coroutine.wrap(function(a) local b = coroutine.yield(a .. "!") return b .. "?" end)
print("wrap", w("hi"), w("ok"))
-- coroutine.close on a suspended and on a dead coroutine
local closable = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closable)
print("close suspended", coroutine.close(closable), coroutine.status(closable))
print("close dead", coroutine.close(closable))
print("close fresh", coroutine.close(coroutine.create(print)))
