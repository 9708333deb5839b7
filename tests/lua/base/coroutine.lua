-- coroutine: create, resume, yield, status, running and isyieldable,
-- passing values both ways, and the errors of each.

local function chunk(name, src)
  return assert(load(src, "=" .. name))
end

-- values in and out
local co = coroutine.create(function(a, b)
  print("started with", a, b)
  local c, d = coroutine.yield(a + b)
  print("resumed with", c, d)
  local e = coroutine.yield()
  print("resumed with", e)
  return "done", "really"
end)
print(type(co), coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, "x", "y"))
print(coroutine.resume(co, nil))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.resume(co, 1))

-- many values
local many = coroutine.create(function(...)
  print(select("#", ...))
  print(select("#", coroutine.yield(...)))
  return ...
end)
print(coroutine.resume(many, 1, nil, 3, nil))
print(coroutine.resume(many, nil, nil))
print(coroutine.status(many))

-- status from every side: running, normal, suspended, dead
local outer
local inner = coroutine.create(function()
  print("outer is", coroutine.status(outer))
  print("inner is", coroutine.status(coroutine.running()))
  coroutine.yield()
end)
outer = coroutine.create(function()
  coroutine.resume(inner)
  print("inner after yield", coroutine.status(inner))
  coroutine.yield()
end)
coroutine.resume(outer)
print(coroutine.status(outer), coroutine.status(inner))
coroutine.resume(inner)
coroutine.resume(outer)
print(coroutine.status(outer), coroutine.status(inner))

-- an error kills the coroutine
local failing = coroutine.create(chunk("failing", "local x = ... ; error('bad ' .. x)"))
print(coroutine.resume(failing, "input"))
print(coroutine.status(failing))
print(coroutine.resume(failing))
local failing2 = coroutine.create(function() error({code = 1}) end)
local ok, err = coroutine.resume(failing2)
print(ok, type(err), err.code)
local failing3 = coroutine.create(function() error("no position", 0) end)
print(coroutine.resume(failing3))

-- running and isyieldable
local main, ismain = coroutine.running()
print(type(main), ismain)
print(coroutine.isyieldable())
print(coroutine.isyieldable(main))
print(coroutine.status(main))
local me
local probe = coroutine.create(function()
  local self, flag = coroutine.running()
  me = self
  print("inside", flag, coroutine.isyieldable())
  print("main seen from inside", coroutine.status(main))
  print("main yieldable?", coroutine.isyieldable(main))
end)
coroutine.resume(probe)
print(me == probe)
print(coroutine.isyieldable(probe))

-- resuming what cannot be resumed
print(coroutine.resume(main))
local selfresume = coroutine.create(function()
  return coroutine.resume(coroutine.running())
end)
print(coroutine.resume(selfresume))
local resumeouter
local nested = coroutine.create(function() return coroutine.resume(resumeouter) end)
resumeouter = coroutine.create(function() return coroutine.resume(nested) end)
print(coroutine.resume(resumeouter))

-- yield outside a coroutine, and across a C boundary
print(pcall(coroutine.yield, 1))
local viametamethod = coroutine.create(function()
  local t = setmetatable({}, {__index = function(_, k) return coroutine.yield(k) end})
  return t.key .. "!"
end)
print(coroutine.resume(viametamethod))
print(coroutine.resume(viametamethod, "value"))
local acrossload = coroutine.create(function()
  return load(function() coroutine.yield() end)
end)
print(coroutine.resume(acrossload))

-- recursion through resume
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local sum = 0
for v in gen(10) do sum = sum + v end
print(sum)

-- argument errors
print(pcall(coroutine.create))
print(pcall(coroutine.create, 1))
print(pcall(coroutine.resume))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.resume, {}))
print(pcall(coroutine.status))
print(pcall(coroutine.status, "x"))
print(pcall(coroutine.isyieldable, 1))
print(pcall(coroutine.wrap, nil))
print(pcall(chunk("named", "coroutine.create(42)")))
print(pcall(chunk("method", "local co = {resume = coroutine.resume} co:resume()")))
