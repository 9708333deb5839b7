-- needs: debug
-- debug.traceback: messages, levels, other threads, and values that are
-- not strings (returned as they are).

local function level3() return debug.traceback("deep", 1) end
local function level2() return level3() end
local function level1() local t = level2() return t end
print(level1())

print(debug.traceback("from level 2", 2))
print(debug.traceback("no stack", 50))
print(debug.traceback())
print(debug.traceback(nil, 1))
print(debug.traceback(42))
print(debug.traceback(1.5, 1))

-- non-string messages come back untouched
local t = {}
print("table back", debug.traceback(t) == t)
print("boolean back", debug.traceback(false))
print("function back", debug.traceback(print) == print)

-- another thread: the level counts from its top
local co = coroutine.create(function()
  local function inner() coroutine.yield() end
  inner()
end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "thread message"))
print(debug.traceback(co, "from level 1", 1))
print(debug.traceback(co, "from level 2", 2))
print(debug.traceback(co, nil, 9))
coroutine.resume(co)
print(debug.traceback(co, "dead thread"))

-- a traceback inside a message handler
print(select(2, xpcall(function() error("boom") end, debug.traceback)))
print(pcall(debug.traceback, "m", "x"))
