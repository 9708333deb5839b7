-- Numeric for: FORPREP and FORLOOP with integer and float loops, the
-- iteration count computed without overflow at the integer limits, float
-- limits for integer loops, the loop variable being a fresh copy, and the
-- errors for bad initial values, limits and steps.

local function try(label, f) print(label, pcall(f)) end
local maxint = 0x7fffffffffffffff
local minint = -maxint - 1

local function run(label, a, b, c)
  local s, n, first, last = "", 0, nil, nil
  for v = a, b, c do
    n = n + 1
    if n <= 5 then s = s .. " " .. tostring(v) end
    first = first or v
    last = v
    if n > 1000 then s = s .. " (runaway)" break end
  end
  print(label, n, s, "last=" .. tostring(last))
end

run("1,5", 1, 5, 1)
run("1,5,2", 1, 5, 2)
run("5,1,-1", 5, 1, -1)
run("5,1,-2", 5, 1, -2)
run("1,0", 1, 0, 1)
run("0,-1,1", 0, -1, 1)
run("1,1", 1, 1, 1)
run("-3,3,3", -3, 3, 3)
run("1,10,100", 1, 10, 100)
run("1,5 float step", 1, 5, 0.5)
run("0.5,2.5", 0.5, 2.5, 1)
run("1,2,0.25", 1, 2, 0.25)
run("0,1,0.1", 0, 1, 0.1)
run("1.0,3", 1.0, 3, 1)
run("3,1.0,-1", 3, 1.0, -1)
run("1,3.5 (int loop, float limit)", 1, 3.5, 1)
run("1,-0.5", 1, -0.5, 1)
run("3,0.5,-1", 3, 0.5, -1)
run("-1,-3.5,-1", -1, -3.5, -1)
-- at the integer limits: no overflow, exact counts
run("maxint-2,maxint", maxint - 2, maxint, 1)
run("minint,minint+2", minint, minint + 2, 1)
run("minint+2,minint,-1", minint + 2, minint, -1)
run("maxint,maxint-2,-1", maxint, maxint - 2, -1)
run("0,maxint,maxint", 0, maxint, maxint)
run("minint,maxint,maxint", minint, maxint, maxint)
run("maxint,minint,minint", maxint, minint, minint)
run("minint,maxint,2^62", minint, maxint, 1 << 62)
run("maxint-1,1e100", maxint - 1, 1e100, 1)
run("minint+1,-1e100,-1", minint + 1, -1e100, -1)
run("1,-1e100", 1, -1e100, 1)
run("1,1/0 (clipped)", maxint - 3, 1 / 0, 2)
run("-1,-1/0,-1 (clipped)", minint + 3, -1 / 0, -1)
run("0,nan", 0, 0 / 0, 1)
run("0.0,nan", 0.0, 0 / 0, 1)
run("maxint,maxint", maxint, maxint, 1)
run("minint,minint,-1", minint, minint, -1)
run("2^53 float loop", 2^53 - 2, 2^53, 1)
run("float huge step", 0.0, 1e308, 1e308)
run("float inf limit", 1.0, 1 / 0, 2^1000)

-- the loop variable is a copy: changing it does not change the loop
local count = 0
for v = 1, 3 do
  v = v * 10
  count = count + 1
end
print("copy", count)
-- the limits are evaluated once
local lim = 3
local seen = ""
for v = 1, lim do lim = 10; seen = seen .. v end
print("once", seen)
-- nested loops and break
local pairs_seen = ""
for a = 1, 3 do
  for b = a, 3 do
    if b == 3 then break end
    pairs_seen = pairs_seen .. a .. b .. " "
  end
end
print("nested", pairs_seen)
-- the sum of a long loop (a few hundred thousand iterations)
local sum = 0
for v = 1, 300000 do sum = sum + v end
print("sum", sum)
local fsum = 0
for v = 1, 1000, 0.5 do fsum = fsum + v end
print("fsum", fsum)

-- errors
try("string initial", function() for _ = "a", 2 do end end)
-- numeric strings are accepted (the loop converts them to floats)
try("numeric-string initial", function()
  local s = "" for v = "1", 2 do s = s .. " " .. v end return s end)
try("nil limit", function() for _ = 1, nil do end end)
try("table limit", function() for _ = 1, {} do end end)
try("boolean step", function() for _ = 1, 2, true do end end)
try("zero step", function() for _ = 1, 2, 0 do end end)
try("zero float step", function() for _ = 1.0, 2, 0.0 do end end)
try("zero step, empty loop", function() for _ = 2, 1, 0 do end end)
try("string step", function()
  local s = "" for v = 1, "2", "0.5" do s = s .. " " .. v end return s end)
try("non-numeric string limit", function() for _ = 1, "x" do end end)
