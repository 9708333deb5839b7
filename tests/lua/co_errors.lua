-- Coroutine errors: an error inside a coroutine ends it (status "dead")
-- and resume returns false plus the error value (of any type); resuming a
-- dead, running or normal coroutine fails with a message; yield outside a
-- coroutine and across a C boundary fails; coroutine.close returns the
-- error of a dead-by-error coroutine and closes pending variables;
-- argument errors of the library functions.

local function try(label, f) print(label, pcall(f)) end

local co = coroutine.create(function() error("inside") end)
print("error", coroutine.resume(co))
print("status", coroutine.status(co))
print("again", coroutine.resume(co))
local co2 = coroutine.create(function() coroutine.yield(1) error({ code = 5 }) end)
coroutine.resume(co2)
local ok, e = coroutine.resume(co2)
print("table error", ok, type(e), e.code)
local co3 = coroutine.create(function() error() end)
print("nil error", coroutine.resume(co3))
local co4 = coroutine.create(function() error(42, 2) end)
print("number error", coroutine.resume(co4))
local co5 = coroutine.create(function() local x = nil; return x.y end)
print("runtime error", coroutine.resume(co5))
local co6 = coroutine.create(function() error("level 2", 2) end)
print("level 2 from the body", coroutine.resume(co6))

-- resuming a running or normal coroutine
local self_co
self_co = coroutine.create(function()
  return coroutine.resume(self_co)
end)
print("resume running", coroutine.resume(self_co))
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    return coroutine.resume(outer)
  end)
  return coroutine.resume(inner)
end)
print("resume normal", coroutine.resume(outer))
-- yield outside a coroutine
try("yield from main", function() coroutine.yield(1) end)
-- yield across a C function that is not yieldable (a metamethod called
-- from a C function: tostring calling __tostring)
local noyield = coroutine.create(function()
  local obj = setmetatable({}, { __tostring = function() coroutine.yield("x") return "s" end })
  return tostring(obj)
end)
print("across C", coroutine.resume(noyield))
-- an error in a nested coroutine propagates only to its resume
local nest = coroutine.create(function()
  local c = coroutine.create(function() error("deep", 0) end)
  local ok2, msg = coroutine.resume(c)
  coroutine.yield("inner failed: " .. tostring(ok2) .. " " .. msg)
  error("outer fails too", 0)
end)
print(coroutine.resume(nest))
print(coroutine.resume(nest))
print(coroutine.status(nest))

-- coroutine.close
local pending = coroutine.create(function()
  local v <close> = setmetatable({}, { __close = function(_, err)
    print("closing pending variable, error:", err)
  end })
  coroutine.yield("suspended with a pending variable")
end)
print(coroutine.resume(pending))
print("close", coroutine.close(pending))
print("status after close", coroutine.status(pending))
local failing_close = coroutine.create(function()
  local v <close> = setmetatable({}, { __close = function() error("close failed", 0) end })
  coroutine.yield()
end)
coroutine.resume(failing_close)
print("close with failing __close", coroutine.close(failing_close))
local died = coroutine.create(function() error("died", 0) end)
coroutine.resume(died)
print("close after error", coroutine.close(died))
try("close running", function() return coroutine.close(coroutine.running()) end)
local normal_close
normal_close = coroutine.create(function()
  local c = coroutine.create(function() return coroutine.close(normal_close) end)
  return coroutine.resume(c)
end)
print("close normal", coroutine.resume(normal_close))

-- argument errors
try("resume non-thread", function() return coroutine.resume(1) end)
try("create non-function", function() return coroutine.create(1) end)
try("status non-thread", function() return coroutine.status({}) end)
try("wrap non-function", function() return coroutine.wrap(nil) end)
try("close non-thread", function() return coroutine.close("x") end)
