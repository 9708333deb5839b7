-- needs: debug
-- debug.getlocal and debug.setlocal: locals by level, temporaries,
-- varargs by negative index, parameter names of a function value, C
-- functions' locals, other threads, and the errors.

local function locals(a, b)
  local c = a + b
  do local inner = 1 end
  local results = {}
  for i = 1, 10 do
    local name, value = debug.getlocal(2, i)
    if name == nil then break end
    results[#results + 1] = name .. "=" .. tostring(value)
  end
  return results
end

local function probe(a, b)
  local c = a * b
  local r = locals(a, b)
  return r
end
for _, entry in ipairs(probe(3, 4)) do print(entry) end

-- varargs: negative indices
local function varargs(...)
  local x = "x"
  print("1", debug.getlocal(1, 1))
  print("-1", debug.getlocal(1, -1))
  print("-2", debug.getlocal(1, -2))
  print("-3", debug.getlocal(1, -3))
  print("-4", debug.getlocal(1, -4))
  print("set -2", debug.setlocal(1, -2, "B"))
  print("set -9", debug.setlocal(1, -9, "B"))
  return ...
end
print("varargs returns", varargs("a", "b", "c"))

local function novarargs(p)
  print("no varargs -1", debug.getlocal(1, -1))
end
novarargs(1)

-- setlocal changes the variable
local function changer()
  local v = 1
  print("setlocal", debug.setlocal(1, 1, 42), v)
  print("setlocal no such", debug.setlocal(1, 10, 0), v)
end
changer()

-- a function value gives parameter names only
local function params(alpha, beta, ...) local gamma end
print("params", debug.getlocal(params, 1), debug.getlocal(params, 2),
  debug.getlocal(params, 3))
print("C function params", debug.getlocal(print, 1))

-- temporaries of a Lua function: an expression being evaluated
local function temps()
  local a = 1
  return a + select(2, debug.getlocal(1, 1)) + (debug.getlocal(1, 2) and 0 or 0)
end
print("temps", temps())

-- a C function's stack values, seen from a call hook
debug.sethook(function()
  local info = debug.getinfo(2, "nS")
  if info.what == "C" and info.name == "select" then
    debug.sethook()
    for i = 1, 4 do print("C local", i, debug.getlocal(2, i)) end
  end
end, "c")
select(2, "p", "q", "r")
debug.sethook()

-- other threads
local co = coroutine.create(function(first, second)
  local sum = first + second
  coroutine.yield(sum)
end)
coroutine.resume(co, 10, 20)
for i = 1, 4 do print("thread local", i, debug.getlocal(co, 1, i)) end
print("thread setlocal", debug.setlocal(co, 1, 3, 99), debug.getlocal(co, 1, 3))
print("thread level 0", debug.getlocal(co, 0, 1))

-- errors
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.setlocal, 50, 1, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.getlocal, "x", 1))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.getlocal, co, 5, 1))
print(pcall(debug.setlocal, co, 5, 1, 0))
