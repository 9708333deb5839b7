-- heavy: 80000 iterations of allocation, far too slow under GC stress
-- Garbage collection during ordinary work: many short-lived tables,
-- closures, strings and coroutines are created while long-lived data is
-- kept and checked, in incremental and in generational mode, with
-- explicit steps in between. Only results computed from the live data
-- are printed, so the output does not depend on when collections run.

local function work(label)
  local keep = {}
  local checksum = 0
  for i = 1, 20000 do
    local t = { i, tostring(i), { i * 2 } }          -- garbage soon
    local f = function() return t[1] + t[3][1] end    -- closure over it
    checksum = checksum + f()
    if i % 100 == 0 then keep[#keep + 1] = t end      -- some survive
    if i % 1000 == 0 then
      local co = coroutine.wrap(function(x) coroutine.yield(x + 1) end)
      checksum = checksum + co(i)
      collectgarbage("step")
    end
  end
  local s = 0
  for _, t in ipairs(keep) do s = s + t[1] + t[3][1] + #t[2] end
  print(label, checksum, #keep, s)
end

work("default")
collectgarbage("generational")
work("generational")
collectgarbage("incremental")
work("incremental")
collectgarbage("stop")
work("stopped")
collectgarbage("restart")
collectgarbage()
-- a long string built repeatedly (large objects freed and reallocated)
local s = ""
for i = 1, 2000 do s = s .. "x" if #s > 500 then s = "" end end
print("strings", #s)
-- a table that grows and shrinks
local big = {}
for i = 1, 50000 do big[i] = i end
for i = 50000, 1, -1 do big[i] = nil end
collectgarbage()
print("emptied", next(big))
