-- load: strings and reader functions, chunk names, modes, environments,
-- and how failures are reported (fail plus message, never an error).

local function show(...)
  print(...)
end

print(load("return 1 + 1")())
print(load("return ...", "varargs")(1, 2, 3))
show(load("x = = 1"))
show(load("x = = 1", "=named"))
show(load("x = = 1", "@file.lua"))
show(load("\n\nreturn +", "=lines"))
show(load("return 'unfinished", "=str"))
show(load("for", "=kw"))
show(load("local x <const> = 1; x = 2", "=const"))
show(load("goto nowhere", "=goto"))
show(load("a very long chunk that is used as its own name so it gets cut = 1"))
show(load("first line\nsecond line = 1"))
print(type(load("")))
print(select("#", load("")()))

-- modes
show(load("return 1", "m", "b"))
show(load("return 1", "m", "x"))
print(load("return 1", "m", "t")())
print(load("return 1", "m", "bt")())
show(load("\27Lua", "=bin", "t"))
show(load("\27Lua", "=bin"))
show(load("\27Lua\84\0", "=bin2", "b"))

-- environments
print(load("return x", "env", "t", {x = "from env"})())
print(load("x = 5; return x", "env", "t", {})())
local sandbox = {}
load("y = 'set'", "env", "t", sandbox)()
print(sandbox.y, y)
print(pcall(load("return x", "=nilenv", "t", nil)))
print(load("return 7", "=noglobals", "t", 42)())

-- reader functions: pieces until nil (or an empty string)
local pieces = {"return ", "'a' .. ", "'b'", nil}
local i = 0
print(load(function() i = i + 1; return pieces[i] end)())
i = 0
local parts = {"return 1", "", "+ 1"}
print(load(function() i = i + 1; return parts[i] end)())
local numbers = {"return ", 42}
i = 0
print(load(function() i = i + 1; return numbers[i] end, "=num")())
local called = 0
print(type(load(function() called = called + 1; return nil end)))
print(called)
-- Errors inside a reader are run in a fresh coroutine: a message handler
-- active around `load` (lua.c's adds a traceback) also sees them.
coroutine.wrap(function()
  local checked = assert(load([[
    local function reader_of(v) local done = false
      return function() if done then return nil end done = true return v end
    end
    return load(reader_of({}), "=badreader")
  ]], "=outer"))
  show(checked())
  show(load(function() error("reader failed", 0) end, "=failing"))
  local ok, msg = load(function() error({}) end)
  print(ok, type(msg))
  show(load(function() return "x = = 1" end, "=syntax"))
  show(load(function() return "return 1" end, nil, "b"))
end)()

-- argument errors
print(pcall(load))
print(pcall(load, nil))
print(pcall(load, {}))
print(pcall(load, "x=1", {}))
print(pcall(load, "x=1", "c", {}))
print(pcall(function() return type(load(print, "=c", "t")) end))
