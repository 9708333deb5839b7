-- coroutine.close: closing suspended and dead coroutines, their pending
-- to-be-closed variables, and what cannot be closed.

local log = {}
local function closer(name)
  return setmetatable({}, {__close = function(_, err)
    log[#log + 1] = name .. " closed (" .. tostring(err) .. ")"
  end})
end

-- a fresh coroutine closes at once
local fresh = coroutine.create(function() end)
print(coroutine.close(fresh), coroutine.status(fresh))

-- a suspended coroutine closes its pending variables, newest first
local suspended = coroutine.create(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  coroutine.yield("waiting")
end)
print(coroutine.resume(suspended))
print(coroutine.close(suspended))
print(coroutine.status(suspended))
print(log[1], log[2])
print(coroutine.resume(suspended))

-- a dead coroutine closes again without complaint
local finished = coroutine.create(function() return 1 end)
coroutine.resume(finished)
print(coroutine.close(finished))
print(coroutine.close(finished))

-- a coroutine dead by error: close returns false and the error
local failed = coroutine.create(function() error("died", 0) end)
print(coroutine.resume(failed))
print(coroutine.close(failed))
print(coroutine.close(failed))
local failedtable = coroutine.create(function() error({}) end)
coroutine.resume(failedtable)
local ok, e = coroutine.close(failedtable)
print(ok, type(e))

-- an error while closing is reported by close
local badclose = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() error("in close", 0) end})
  coroutine.yield()
end)
coroutine.resume(badclose)
print(coroutine.close(badclose))
print(coroutine.status(badclose))

-- running and normal coroutines cannot be closed
print(pcall(coroutine.close, coroutine.running()))
local co
co = coroutine.create(function()
  return pcall(coroutine.close, co)
end)
print(coroutine.resume(co))
local parent
parent = coroutine.create(function()
  local child = coroutine.create(function()
    return pcall(coroutine.close, parent)
  end)
  return coroutine.resume(child)
end)
print(coroutine.resume(parent))

-- argument errors
print(pcall(coroutine.close))
print(pcall(coroutine.close, 1))
