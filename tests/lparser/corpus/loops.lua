-- Numeric and generic for, while, repeat, break and nested loops.
local s = 0
for i = 1, 10 do s = s + i end
for i = 10, 1, -1 do s = s - i end
for i = 1.0, 2.0, 0.5 do s = s + i end
for i = s, s * 2 do end
for i = 1, 3 do
  for j = i, 3 do
    if i == j then break end
    s = s + i * j
  end
end
for k, v in pairs({a = 1}) do s = s + v end
for k in next, {} do end
for a, b, c, d, e in f() do end
for _, v in ipairs({1, 2, 3}) do
  local function cap() return v end
  if v == 2 then break end
end
while s > 0 do
  s = s - 1
  if s == 5 then break end
end
while true do break end
repeat
  local x = s
  s = s + 1
until x > 10
repeat
  local y = s
  local function cap() return y end
until y > 20
repeat s = s - 1 until false
while false do s = 1 end
for i = 1, 2 do
  local a <const> = 10
  local b = i + a
end
for i = 1, 2 do
  do
    local t = {}
    local f = function() return t end
    if i then goto continue end
  end
  ::continue::
end
