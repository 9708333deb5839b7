-- needs: debug
-- debug.getinfo: the fields of every option letter for Lua functions, C
-- functions and the main chunk, by level and by function, on another
-- thread, and the errors of bad options and levels.

-- Prints a table's fields sorted by name; functions and tables by type.
local function show(title, t)
  local names = {}
  for k in pairs(t) do
    local i = #names + 1
    while i > 1 and names[i - 1] > k do names[i] = names[i - 1]; i = i - 1 end
    names[i] = k
  end
  print(title)
  for _, k in ipairs(names) do
    local v = t[k]
    if type(v) == "function" or type(v) == "table" then v = type(v) end
    print("", k, v)
  end
end

local up1, up2 = 1, 2
local function lua_function(a, b, ...)
  show("all, level 1", debug.getinfo(1))
  show("S and l of the caller", debug.getinfo(2, "Sl"))
  return up1 + up2
end
lua_function(1, 2, 3)

show("print, by function", debug.getinfo(print))
show("lua_function, by function, S u L", debug.getinfo(lua_function, "SuL"))
show("main chunk", debug.getinfo(1, "Snu"))

-- activelines: the lines that hold code.
local function lines()
  local x = 1

  x = x + 1
  return x
end
local active = debug.getinfo(lines, "L").activelines
local set = {}
for line in pairs(active) do set[#set + 1] = line end
for i = 2, #set do
  local j = i
  while j > 1 and set[j - 1] > set[j] do set[j - 1], set[j] = set[j], set[j - 1]; j = j - 1 end
end
print("activelines", #set, set[1], set[2], set[3], active[set[1]])

-- the function itself, and names of the calling context
local function whoami() return debug.getinfo(1, "f").func end
print("func is itself", whoami() == whoami)
local t = {}
function t.method() return debug.getinfo(1, "n") end
function t:self() return debug.getinfo(1, "n") end
local n1, n2 = t.method(), t:self()
print("names", n1.name, n1.namewhat, n2.name, n2.namewhat)
GLOBAL_FN = function() return debug.getinfo(1, "n") end
local n3 = GLOBAL_FN()
print("global", n3.name, n3.namewhat)

-- tail calls: 't' reports them, and the caller is gone
local function callee() return debug.getinfo(1, "t").istailcall, debug.getinfo(2, "S").what end
local function caller() return callee() end
print("tail call", caller())
local function nottail() local a, b = callee() return a, b end
print("normal call", nottail())

-- 'r': transfer information (zero outside hooks)
show("r at level 1", debug.getinfo(1, "r"))

-- C function on the stack
local function in_pcall() return debug.getinfo(2, "Sn") end
local ok, info = pcall(in_pcall)
show("pcall at level 2", info)

-- levels past the stack, and a thread argument
print("level 100", debug.getinfo(100))
print("level 0 is getinfo", debug.getinfo(0, "n").name)
local co = coroutine.create(function(x)
  local y = x
  coroutine.yield(y)
end)
coroutine.resume(co, 5)
show("coroutine level 0", debug.getinfo(co, 0, "Sln"))
show("coroutine level 1", debug.getinfo(co, 1, "Sl"))
print("coroutine level 2", debug.getinfo(co, 2, "l"))
show("function through thread", debug.getinfo(co, lines, "S"))

-- errors
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, 1, "X"))
print(pcall(debug.getinfo, 1, "SlX"))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, co))
print(pcall(debug.getinfo, co, "x"))
print(pcall(debug.getinfo, 1, {}))

-- 'L' and 'f' through another thread, and for C functions
local viaco = debug.getinfo(co, lines, "SLf")
print("thread L f", viaco.func == lines, type(viaco.activelines), viaco.what)
local cinfo = debug.getinfo(print, "Lf")
print("C L f", cinfo.func == print, cinfo.activelines)
print("thread level 0 f", debug.getinfo(co, 0, "f").func == coroutine.yield)
print("thread level 0 L", debug.getinfo(co, 0, "L").activelines)
local vararg = load("local x = 1\nreturn ...")
local valines = debug.getinfo(vararg, "L").activelines
print("vararg chunk lines", valines[1], valines[2], valines[3])
print(pcall(debug.getinfo, co, 1, ">"))
