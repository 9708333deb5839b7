-- Yielding across pcall and xpcall (continuations of C functions):
-- a coroutine may yield from inside a protected call, be resumed, and
-- the pcall still catches errors raised after the resume; xpcall's
-- handler runs inside the coroutine; nested pcalls; errors crossing the
-- coroutine boundary (resume returns false + message).

local co = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield("yield inside pcall")
    return "pcall body got " .. got
  end)
  coroutine.yield(ok, v)
  local ok2, err = pcall(function()
    coroutine.yield("about to fail")
    error("failure after resume", 0)
  end)
  coroutine.yield(ok2, err)
  -- nested pcalls, yielding from the innermost
  local r = { pcall(pcall, function()
    local x = coroutine.yield("nested")
    error({ code = x })
  end) }
  coroutine.yield(r[1], r[2], type(r[3]), r[3].code)
  -- xpcall with a handler, yielding in the body
  local ok3, msg = xpcall(function()
    coroutine.yield("in xpcall")
    local t = nil
    return t.field
  end, function(m) return "handled: " .. m end)
  coroutine.yield(ok3, msg)
  return "finished"
end)
for _, arg in ipairs({ "-", "A", "-", "-", "-", 7, "-", "-", "-" }) do
  print(coroutine.resume(co, arg))
  if coroutine.status(co) == "dead" then break end
end

-- a message handler cannot yield (it runs across a C boundary); its
-- failure turns into "error in error handling"
local co2 = coroutine.create(function()
  return xpcall(function() error("e") end, function(m)
    return coroutine.yield("from handler")
  end)
end)
print("yield in handler", coroutine.resume(co2))
print("status", coroutine.status(co2))

-- a pcall'd function that yields many times, resumed in a loop
local counter = coroutine.wrap(function()
  local ok, v = pcall(function()
    local sum = 0
    for i = 1, 5 do sum = sum + coroutine.yield(i) end
    return sum
  end)
  return "sum " .. tostring(ok) .. " " .. v
end)
local outs = counter()
for i = 1, 5 do outs = outs .. " " .. counter(i * 10) end
print(outs)
-- an error thrown from a coroutine resumed inside pcall
print(pcall(coroutine.wrap(function() error("wrapped failure") end)))
print(pcall(coroutine.wrap(function() error({}) end)) == false)
-- a yield across a pcall of a pcall'ed resume: only the inner coroutine
-- yields
local outer = coroutine.wrap(function()
  local innerco = coroutine.create(function()
    pcall(coroutine.yield, "inner yield")
    return "inner end"
  end)
  local a, b = coroutine.resume(innerco)
  coroutine.yield("outer saw " .. tostring(b))
  local c, d = coroutine.resume(innerco)
  return "outer saw " .. tostring(d)
end)
print(outer())
print(outer())
-- pcall(coroutine.yield, ...) directly
local direct = coroutine.wrap(function()
  local ok, a, b = pcall(coroutine.yield, "direct")
  return ok, a, b
end)
print(direct())
print(direct("r1", "r2"))
