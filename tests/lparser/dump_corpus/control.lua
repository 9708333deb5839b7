-- Control flow: conditionals, loops of every kind, goto, break, nested
-- functions with upvalues, varargs, tail calls and multiple results.
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
for _, v in ipairs({-5, 0, 3, 42}) do io.write(classify(v), " ") end
print()

local i, acc = 0, {}
while true do
  i = i + 1
  if i % 2 == 0 then goto continue end
  if i > 9 then break end
  acc[#acc + 1] = i
  ::continue::
end
print(table.concat(acc, ","))

repeat local j = i; i = i - 3 until j < 3
print(i)

for k = 10, 1, -3 do io.write(k, ";") end
for k = 1.0, 2.0, 0.25 do io.write(k, ";") end
print()

local function counter()
  local n = 0
  return function(step) n = n + (step or 1); return n end
end
local c1, c2 = counter(), counter()
c1(); c1(5); c2()
print(c1(), c2())

local function va(...)
  local n = select("#", ...)
  local a, b = ...
  return n, a, b, ...
end
print(va())
print(va(1, nil, 3))
print((va(1, 2)))

local function sum(n, total)
  if n == 0 then return total end
  return sum(n - 1, total + n)
end
print(sum(10000, 0))

local t = setmetatable({}, {__index = function(_, k) return k * 2 end})
print(t[21], rawget(t, 21))
local keys = {}
for k, v in pairs({x = 1, y = 2, z = 3}) do keys[#keys + 1] = k .. "=" .. v end
table.sort(keys)
print(table.concat(keys, " "))
print(select(-1, 1, 2, 3), select(2, "a", "b", "c"))
