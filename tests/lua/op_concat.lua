-- CONCAT: chains of strings and numbers (converted with the same format
-- as tostring), long chains, chains with a metamethod in the middle
-- (see mm_concat_len.lua for more), and the errors naming the operand.

local function try(label, f) print(label, pcall(f)) end

local a, b, c = "x", "y", "z"
print(a .. b)
print(a .. b .. c .. a .. b .. c)
print(1 .. 2, 1 .. "", -1 .. "", 1.0 .. "", -0.0 .. "", 1e100 .. "",
      2^63 .. "", 0x7fffffffffffffff .. "", 1.5 .. 2.25)
local z = 0
print((1 / z) .. "|" .. (-1 / z) .. "|" .. 1e15 .. "|" .. 1e16 .. "|" ..
      0.1 .. "|" .. 123456.789e3)
local n, f = 42, 3.25
print("n=" .. n .. ", f=" .. f .. ", n+f=" .. n + f .. ", -n=" .. -n)
print("[" .. "" .. "" .. "]", #("" .. ""))
-- a chain longer than a register window's worth of operands
local s = "a" .. "b" .. "c" .. "d" .. "e" .. "f" .. "g" .. "h" .. "i" ..
  "j" .. "k" .. "l" .. "m" .. "n" .. "o" .. "p" .. "q" .. "r" .. "s" ..
  "t" .. "u" .. "v" .. "w" .. "x" .. "y" .. "z" .. 0 .. 1 .. 2 .. 3 .. 4
print(s)
-- concatenation is right associative; numbers convert at each step
print(1 .. 2 .. 3, (1 .. 2) .. 3 == 1 .. (2 .. 3))
-- in a loop, growing a string
local acc = ""
for k = 1, 30 do acc = acc .. k % 10 end
print(acc)
local long = "0123456789"
for _ = 1, 6 do long = long .. long end
print(#long, long == long .. "", long .. "" == long)
-- embedded zeros survive
local zs = "a\0b" .. "\0" .. "c"
print(#zs, zs == "a\0b\0c")

-- errors name the offending operand
try("nil local", function() local x return "a" .. x end)
try("boolean local b", function() local b = true return b .. "a" end)
try("boolean in chain", function() local bb = false return "a" .. "b" .. bb .. "c" end)
try("table", function() local t = {} return "a" .. t end)
try("nil field", function() local t = {} return t.name .. "!" end)
try("nil global", function() return "a" .. undefined_global end)
local nil_upvalue
try("upvalue", function() return a .. z .. n .. nil_upvalue end)
try("function", function() return print .. "" end)
try("numbers then nil", function() local x return 1 .. 2 .. x end)
