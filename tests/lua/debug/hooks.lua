-- needs: debug
-- debug.sethook and debug.gethook: call, tail call, return, line and
-- count events with their arguments, masks and counts as gethook reports
-- them, hooks per thread, hooks that inspect their caller, and errors.

local events = {}
local function record(event, line)
  events[#events + 1] = event .. " " .. tostring(line)
end
local function flush(title)
  print(title)
  for i = 1, #events do print("", events[i]) end
  events = {}
end

local function add(a, b)
  return a + b
end
local function tail(x)
  return add(x, 1)
end

debug.sethook(record, "crl")
local r = tail(5)
debug.sethook()
flush("crl over a tail call")
print("result", r)

debug.sethook(record, "l")
local s = 0
for i = 1, 3 do
  s = s + i
end
debug.sethook()
flush("lines of a loop")

debug.sethook(record, "r")
add(1, 2)
debug.sethook()
flush("returns only")

-- gethook: the function, the mask string and the count
print("no hook", debug.gethook())
debug.sethook(record, "lrc", 7)
local f, mask, count = debug.gethook()
debug.sethook()
print("gethook", f == record, mask, count)
debug.sethook(record, "", 2)
f, mask, count = debug.gethook()
debug.sethook()
print("count only", f == record, "[" .. mask .. "]", count)
debug.sethook(record, "l", 0)
f, mask, count = debug.gethook()
debug.sethook()
print("zero count", mask, count)

-- the count hook fires every N instructions
local ticks = 0
debug.sethook(function(event, line)
  ticks = ticks + 1
  if ticks == 1 then print("count event", event, line) end
end, "", 1)
for i = 1, 20 do local x = i end
debug.sethook()
print("many ticks", ticks > 20)

-- a hook sees its caller through level 2
local seen = {}
debug.sethook(function(event)
  local info = debug.getinfo(2, "nSl")
  if info.what == "Lua" and info.name then
    seen[#seen + 1] = event .. " " .. info.name .. " at " .. info.currentline
  end
end, "cr")
add(3, 4)
debug.sethook()
for _, v in ipairs(seen) do print(v) end

-- transfer information in call and return hooks
local transfers = {}
debug.sethook(function(event)
  local info = debug.getinfo(2, "rn")
  if info.name == "add" then
    transfers[#transfers + 1] = event .. " " .. info.ftransfer .. " " .. info.ntransfer
  end
end, "cr")
add(5, 6)
debug.sethook()
for _, v in ipairs(transfers) do print("transfer", v) end

-- hooks are per thread
local co = coroutine.create(function(a)
  local b = a + 1
  coroutine.yield(b)
  return b * 2
end)
local colines = {}
debug.sethook(co, function(event, line) colines[#colines + 1] = line end, "l")
print("thread hook set", debug.gethook(co) ~= nil, debug.gethook() == nil)
print("thread mask", select(2, debug.gethook(co)))
coroutine.resume(co, 1)
coroutine.resume(co)
print("thread lines", #colines, colines[1], colines[2], colines[3], colines[4])
debug.sethook(co)
print("thread hook removed", debug.gethook(co))

-- errors
print(pcall(debug.sethook, record))
print(pcall(debug.sethook, 1, "c"))
print(pcall(debug.sethook, record, "c", "x"))
print(pcall(debug.sethook, co, record))
print("still off", debug.gethook())
