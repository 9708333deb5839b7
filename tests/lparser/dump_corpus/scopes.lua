-- Variables with attributes (<const>, <close>), the CLOSE and TBC
-- instructions, upvalues of every depth, and errors through pcall.
local log = {}
local function closer(name)
  return setmetatable({}, {__close = function(_, err)
    log[#log + 1] = name .. (err and ":err" or "")
  end})
end
do
  local a <close> = closer("a")
  local b <const> = 42
  local c <close> = closer("c")
  log[#log + 1] = "body" .. b
end
print(table.concat(log, " "))

local ok, msg = pcall(function()
  local d <close> = closer("d")
  error("boom", 0)
end)
print(ok, msg, log[#log])

local function outer()
  local x = 1
  local function middle()
    local y = 10
    local function inner()
      x = x + 1
      y = y + 1
      return x + y
    end
    return inner
  end
  return middle()
end
local f = outer()
print(f(), f())

local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())

local LIMIT <const> = 100
local NAME <const> = "const string"
print(LIMIT * 2, NAME, #NAME)

local ok2, e2 = pcall(error, {code = 7})
print(ok2, type(e2), e2.code)
print(select("#", pcall(error)))
