-- collectgarbage: every option, what each returns, and the invalid ones.
-- (The stand-alone interpreter starts scripts in generational mode.)

local function isfloat(x)
  -- float division by zero gives inf; integer division by zero raises
  return (pcall(function() return x // 0 end))
end

print(collectgarbage())
print(collectgarbage("collect"))
local kb = collectgarbage("count")
print(type(kb), isfloat(kb), kb > 0)
print(select("#", collectgarbage("count")))

print(collectgarbage("isrunning"))
print(collectgarbage("stop"))
print(collectgarbage("isrunning"))
print(collectgarbage("restart"))
print(collectgarbage("isrunning"))

-- switching modes returns the previous mode
print(collectgarbage("incremental"))
print(collectgarbage("incremental"))
print(collectgarbage("generational"))
print(collectgarbage("generational", 20, 100))
print(collectgarbage("incremental", 200, 100, 13))

-- pause and step multiplier return their previous values
print(collectgarbage("setpause", 150))
print(collectgarbage("setpause", 200))
print(collectgarbage("setpause"))
print(collectgarbage("setpause", 200))
print(collectgarbage("setstepmul", 300))
print(collectgarbage("setstepmul", 100))

-- a step large enough to finish a cycle reports it
collectgarbage()
print(collectgarbage("step", 100000))
print(type(collectgarbage("step")))
print(type(collectgarbage("step", 1)))

-- memory is reclaimed: build garbage, collect, compare
do
  local junk = {}
  for i = 1, 10000 do junk[i] = {i} end
end
local before = collectgarbage("count")
collectgarbage()
print(collectgarbage("count") < before)

-- invalid options
print(pcall(collectgarbage, "nonsense"))
print(pcall(collectgarbage, 1))
print(pcall(collectgarbage, {}))
print(pcall(collectgarbage, "step", "x"))
print(pcall(collectgarbage, "incremental", 1.5))
print(select("#", pcall(collectgarbage, "count", "ignored")))
