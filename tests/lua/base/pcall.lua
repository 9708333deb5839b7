-- heavy: a stack overflow nests 200000 calls; the debug switches collect at each allocation
-- pcall and xpcall: results, failures, message handlers, nesting, and
-- yields across them (their continuations).

local function chunk(name, src)
  return assert(load(src, "=" .. name))
end

print(pcall(function(...) return ... end, 1, 2, 3))
print(pcall(function() end))
print(select("#", pcall(function() return nil, nil end)))
print(pcall(print, "printed inside pcall"))
print(pcall(error))
print(pcall(error, "msg", 0))
print(pcall(pcall, error, "nested"))
print(pcall(pcall))
print(pcall(pcall, nil))
print(pcall(nil))
print(pcall(42))
print(pcall({}))
print(pcall(setmetatable({}, {__call = function(self, x) return "called", x end}), 5))

-- xpcall: the handler gets the error object and its result is returned
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(error, function(m) return "handled: " .. tostring(m) end, "oops", 0))
print(xpcall(error, function(m) return m, "second is dropped" end, "x", 0))
print(xpcall(chunk("handled", "error('deep')"), function(m) return "[" .. m .. "]" end))
print(xpcall(function() error({}) end, function(m) return type(m) end))
print(xpcall(chunk("nilidx", "local x = nil; return x.y"),
             function(m) return "H:" .. m end))
print(pcall(xpcall))
print(pcall(xpcall, print))
print(pcall(xpcall, print, 1))
print(xpcall(print, function() end))

-- an error inside the message handler
print(xpcall(error, function() error("handler fails") end, "first"))
print(select("#", xpcall(error, function() error("handler fails") end)))

-- pcall returns false and the object on a stack overflow
local function recurse() return 1 + recurse() end
local ok, msg = pcall(recurse)
print(ok, type(msg))

-- yields across pcall and xpcall inside coroutines
local co = coroutine.create(function(a)
  local ok1, v1 = pcall(function(x)
    local got = coroutine.yield("from pcall", x)
    return got * 2
  end, a)
  local ok2, v2, v3 = xpcall(function()
    local got = coroutine.yield("from xpcall")
    error("after yield: " .. got, 0)
  end, function(m) return "handled " .. m end)
  return ok1, v1, ok2, v2, v3
end)
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 21))
print(coroutine.resume(co, "z"))
print(coroutine.status(co))

-- a yield in the message handler's protected function, results kept in order
local co2 = coroutine.wrap(function()
  return pcall(function()
    local a, b = coroutine.yield(1)
    return a, b, coroutine.yield(2)
  end)
end)
print(co2())
print(co2("a", "b"))
print(co2("c", "d"))
