-- Generic for: TFORPREP TFORCALL TFORLOOP with ipairs, pairs and next
-- (keys sorted before printing), stateless and closure iterators, many
-- loop variables, break, nested loops, the fourth (closing) value, and
-- errors from a bad iterator.

local function try(label, f) print(label, pcall(f)) end

local arr = { "a", "b", "c", nil, "e" }
local s = ""
for i, v in ipairs(arr) do s = s .. i .. "=" .. v .. " " end
print("ipairs stops at nil:", s)

-- pairs over the array part comes in order; other keys are sorted here
local t = { 10, 20, 30, x = 1, y = 2, [100] = 3 }
local ks = {}
for k, v in pairs(t) do ks[#ks + 1] = tostring(k) .. ":" .. tostring(v) end
for a = 2, #ks do
  local k, b = ks[a], a - 1
  while b >= 1 and ks[b] > k do ks[b + 1] = ks[b]; b = b - 1 end
  ks[b + 1] = k
end
s = ""
for _, v in ipairs(ks) do s = s .. v .. " " end
print("pairs:", s)
-- next directly, as the iterator of a generic for
local n = 0
for _ in next, t do n = n + 1 end
print("next count", n, "next empty", next({}))

-- a stateless iterator: (state, control) -> next control
local function range(limit, step)
  return function(lim, i)
    i = i + step
    if i <= lim then return i, i * i end
  end, limit, 0
end
s = ""
for i, sq in range(10, 3) do s = s .. i .. "^2=" .. sq .. " " end
print("range", s)
-- a closure iterator with its own state
local function chars(str_list)
  local i = 0
  return function()
    i = i + 1
    return str_list[i]
  end
end
s = ""
for c in chars({ "p", "q", "r" }) do s = s .. c end
print("closure", s)
-- many loop variables; extra ones are nil
local function multi()
  local done = false
  return function()
    if done then return nil end
    done = true
    return 1, 2, 3, 4, 5
  end
end
for a, b, c, d, e, f, g in multi() do print("multi", a, b, c, d, e, f, g) end
-- break out of a generic for, and nested loops
s = ""
for i in range(100, 1) do
  if i > 4 then break end
  for j in range(i, 1) do s = s .. i .. j .. " " end
end
print("nested", s)
-- the control variable is local to each iteration (closures see it)
local fs = {}
for i, v in ipairs({ "x", "y", "z" }) do fs[i] = function() return i .. v end end
print("captured", fs[1](), fs[2](), fs[3]())
-- the iterator function is called with (state, control)
local calls = ""
local function spy(st, ctl)
  calls = calls .. "(" .. st .. "," .. tostring(ctl) .. ")"
  if ctl == nil then return 1 end
  if ctl < 3 then return ctl + 1 end
end
for _ in spy, "S" do end
print("calls", calls)
-- the closing value (fourth) is closed when the loop ends, by break too
local function closing(label)
  return setmetatable({}, { __close = function() print("closed", label) end })
end
local function closed_range(limit, label)
  local f, st, ctl = range(limit, 1)
  return f, st, ctl, closing(label)
end
for i in closed_range(3, "normal end") do s = i end
for i in closed_range(3, "break") do if i == 2 then break end end
print("after loops", s)
local function early()
  for i in closed_range(3, "return") do
    if i == 1 then return "returned " .. i end
  end
end
print(early())

-- errors
try("call a nil iterator", function() for _ in nil do end end)
try("call a number", function() local it = 3 for _ in it do end end)
try("pairs(nil)", function() for _ in pairs(nil) do end end)
try("ipairs()", function() for _ in ipairs() do end end)
try("error inside iterator", function()
  for _ in function() error("iterator failed") end do end
end)
