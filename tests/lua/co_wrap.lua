-- coroutine.wrap: the wrapper function resumes and returns the values
-- directly; an error inside is re-raised in the caller, a string message
-- getting the caller's position prepended (so it names both places); a
-- non-string error value passes unchanged; calling a dead wrapper fails;
-- the coroutine's pending variables are closed when it dies by error.

local function try(label, f) print(label, pcall(f)) end

local w = coroutine.wrap(function(x)
  local y = coroutine.yield(x + 1)
  error("bad value " .. y)
end)
print("first", w(1))
try("error", function() return w("y") end)
try("dead", function() return w() end)

local w2 = coroutine.wrap(function() error({ tag = "obj" }) end)
local ok, e = pcall(w2)
print("table error", ok, type(e), e.tag)
local w3 = coroutine.wrap(function() error("no position", 0) end)
try("level 0", function() return w3() end)
local w4 = coroutine.wrap(function() local t; return t.x end)
try("runtime error", function() return w4() end)
local w5 = coroutine.wrap(function() error(17) end)
try("number error", function() return w5() end)

-- the position is where the wrapper was called from
local function caller()
  local w6 = coroutine.wrap(function() error("from w6") end)
  return w6()
end
try("through a caller", caller)

-- wrappers nested: each level adds its caller's position
local w7 = coroutine.wrap(function()
  local inner = coroutine.wrap(function() error("innermost") end)
  return inner()
end)
try("nested wrappers", function() return w7() end)

-- a pending to-be-closed variable is closed when the coroutine dies
local w8 = coroutine.wrap(function()
  local v <close> = setmetatable({}, { __close = function(_, err)
    print("closed with", err)
  end })
  coroutine.yield("alive")
  error("dies", 0)
end)
print(w8())
try("dies", function() return w8() end)

-- wrap used as an iterator that raises mid-way
local iter = coroutine.wrap(function()
  coroutine.yield(1)
  coroutine.yield(2)
  error("iterator broke")
end)
try("iterator", function()
  local s = ""
  for v in iter do s = s .. v end
  return s
end)
