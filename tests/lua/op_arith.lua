-- Arithmetic opcodes: ADD SUB MUL MOD POW DIV IDIV UNM over integers and
-- floats, their constant forms (ADDK .. IDIVK), the immediate form ADDI,
-- constant folding, wrap-around and the floor semantics of // and %.

local maxint = 0x7fffffffffffffff
local minint = 0x8000000000000000

local function show(label, v)
  -- tostring tells integers ("3") from floats ("3.0")
  if v ~= v then v = "nan" end
  print(label, v)
end

-- register/register, integer and float operands
local i, j, f, g = 7, -3, 2.5, -0.5
show("i+j", i + j)
show("i-j", i - j)
show("i*j", i * j)
show("i/j", i / j)
show("i//j", i // j)
show("i%j", i % j)
show("i^j", i ^ j)
show("-i", -i)
show("f+g", f + g)
show("f-g", f - g)
show("f*g", f * g)
show("f/g", f / g)
show("f//g", f // g)
show("f%g", f % g)
show("f^g", f ^ g)
show("-f", -f)
show("i+f", i + f)
show("i*f", i * f)
show("i//f", i // f)
show("i%f", i % f)
show("j%f", j % f)
show("f%j", f % j)

-- constant operands: the K forms, and the immediate ADDI (incl. x - c)
show("i+100", i + 100)
show("i-100", i - 100)
show("i+1000", i + 1000)
show("i+0.5", i + 0.5)
show("i-0.25", i - 0.25)
show("i*3", i * 3)
show("i*1.5", i * 1.5)
show("i%4", i % 4)
show("j%4", j % 4)
show("i%-4", i % -4)
show("i^2", i ^ 2)
show("i/2", i / 2)
show("i//2", i // 2)
show("j//2", j // 2)
show("f//2", f // 2)
show("i//-2.0", i // -2.0)
show("f%0.75", f % 0.75)
-- constants on the left (the compiler swaps commutative operands)
show("1+i", 1 + i)
show("10-i", 10 - i)
show("3*i", 3 * i)
show("2^i", 2 ^ i)
show("100//i", 100 // i)
show("100%i", 100 % i)
show("1/i", 1 / i)

-- folded at compile time
show("fold 2^53+1", 2^53 + 1)
show("fold 7//2", 7 // 2)
show("fold -7//2", -7 // 2)
show("fold 7%-3", 7 % -3)
show("fold -7.5%2", -7.5 % 2)
show("fold 1/2", 1 / 2)
show("fold 3-2.0", 3 - 2.0)

-- integer wrap-around
show("maxint+1", maxint + 1)
show("minint-1", minint - 1)
show("maxint*2", maxint * 2)
show("-minint", -minint)
show("minint//-1", minint // -1)
show("minint%-1", minint % -1)
show("maxint//-1", maxint // -1)
show("minint*-1", minint * -1)
local one = 1
show("maxint+one", maxint + one)
show("maxint+1.0", maxint + 1.0)
show("2^63", 2 ^ 63)
show("maxint/1", maxint / 1)
show("literal 9223372036854775808", 9223372036854775808)
show("-9223372036854775808", -9223372036854775808)
show("minint == -2^63", minint == -2^63)

-- division and modulo by zero (floats never raise)
local zero, fzero = 0, 0.0
show("1/0", 1 / zero)
show("-1/0", -1 / zero)
show("0/0", zero / zero)
show("1.0//0", 1.0 // zero)
show("-1//0.0", -1 // fzero)
show("5.5%0", 5.5 % zero)
show("5%0.0", 5 % fzero)
show("5%inf", 5 % (1 / zero))
show("-5%inf", -5 % (1 / zero))
show("5%-inf", 5 % (-1 / zero))
show("-5.0%-inf", -5.0 % (-1 / zero))
show("inf%2", (1 / zero) % 2)
print("n//0", pcall(function() return i // zero end))
print("n%0", pcall(function() return i % zero end))
print("n//0 const", pcall(function() return i // 0 end))
print("n%0 const", pcall(function() return i % 0 end))
print("fold 1//0", pcall(function() return 1 // 0 end))
print("fold 1%0", pcall(function() return 1 % 0 end))

-- signed zeros
local nz = -0.0
show("-0.0", nz)
show("0.0*-1", 0.0 * -1)
show("-0.0+0", nz + 0)
show("-0.0+0.0", nz + 0.0)
show("-(0.0)", -fzero)
show("-(0)", -zero)
show("1/-0.0", 1 / nz)
show("-0.0 == 0.0", nz == fzero)
show("0.0//-1", fzero // -1)
show("-7 // 7.0", -7 // 7.0)
show("7 % -7.0", 7 % -7.0)
show("-7 % 7.0", -7 % 7.0)

-- big and small floats
show("1e308*10", 1e308 * 10)
show("-1e308*10", -1e308 * 10)
show("2^53", 2^53)
show("2^53+1.0", 2^53 + 1.0)
show("1e15", 1e15)
show("1e16", 1e16)
show("123456789012345.0", 123456789012345.0)
show("0.1+0.2", 0.1 + 0.2)
show("1/3", 1 / 3)
show("2^-1074", 2^-1074)
show("2^0.5", 2^0.5)
show("(-8)^(1/3)", (-8) ^ (1 / 3))
show("0^0", 0 ^ 0)
show("inf-inf", (1 / zero) - (1 / zero))

-- integer loop of mixed operations (register forms under a loop)
local acc = 0
for k = 1, 20 do
  acc = acc * 3 + k - (k // 3) + (k % 5)
end
show("acc", acc)
local facc = 1.0
for k = 1, 20 do
  facc = facc * 1.5 - k / 4
end
show("facc", facc)

-- exactness beyond the 14 digits that tostring shows
print("0.1+0.2 == 0.3", 0.1 + 0.2 == 0.3)
print("2^53+1.0 == 2^53", 2^53 + 1.0 == 2^53)
print("1/3*3 == 1", 1 / 3 * 3 == 1)
print("maxint+0.0 == 2^63", maxint + 0.0 == 2^63)
print("(2^53+1)|0", (2^53 + 1) | 0 == 2^53)
