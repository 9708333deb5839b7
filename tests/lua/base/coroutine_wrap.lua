-- coroutine.wrap: resuming by calling, and how errors reach the caller
-- (string messages get the caller's position in front).

local function chunk(name, src)
  return assert(load(src, "=" .. name))
end

local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a * 2)
  local c = coroutine.yield(b + 1)
  return "end", c
end)
print(gen(5))
print(gen(10))
print(gen("last"))
print(pcall(gen))

-- an error inside: the message gains the position of the call to the
-- wrapped function (none when pcall calls it directly)
local boom = coroutine.wrap(chunk("body", "error('inside')"))
print(pcall(boom))
local boom2 = coroutine.wrap(chunk("body", "error('inside')"))
print(pcall(chunk("caller", "local f = ...\nreturn f()"), boom2))
local boom3 = coroutine.wrap(function() error("no position", 0) end)
print(pcall(chunk("caller", "local f = ...\n\nreturn f()"), boom3))

-- non-string error objects pass through unchanged
local tableerr = {}
local boom4 = coroutine.wrap(function() error(tableerr) end)
local ok, err = pcall(boom4)
print(ok, err == tableerr)
local boom5 = coroutine.wrap(function() error(42) end)
print(pcall(boom5))
local boom6 = coroutine.wrap(function() error() end)
print(pcall(boom6))

-- calling a dead wrapped coroutine
local short = coroutine.wrap(function() return 1 end)
print(short())
print(pcall(short))
print(pcall(chunk("again", "local f = ...\nreturn f()"), short))

-- a wrapped coroutine that calls itself
local selfcall
selfcall = coroutine.wrap(chunk("selfcall", "local get = ...\nreturn get()()"))
print(pcall(selfcall, function() return selfcall end))

-- wrap inside wrap, yields go to the nearest resume
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function()
    coroutine.yield("inner 1")
    coroutine.yield("inner 2")
  end)
  coroutine.yield(inner())
  coroutine.yield(inner())
  return "outer done"
end)
print(outer())
print(outer())
print(outer())

-- to-be-closed variables of a coroutine killed by an error are closed
-- before the error reaches the caller of the wrapped function
local log = {}
local closer = setmetatable({}, {__close = function(_, e) log[#log + 1] = "closed with " .. tostring(e) end})
local withtbc = coroutine.wrap(function()
  local x <close> = closer
  coroutine.yield("yielded")
  error("failure", 0)
end)
print(withtbc())
print(pcall(withtbc))
print(log[1])

-- an error in __close replaces the original error
local badcloser = setmetatable({}, {__close = function() error("close failed", 0) end})
local withbad = coroutine.wrap(function()
  local x <close> = badcloser
  error("original", 0)
end)
print(pcall(withbad))
