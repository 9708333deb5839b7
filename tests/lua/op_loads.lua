-- Loading values: MOVE LOADI LOADF LOADK LOADFALSE LFALSESKIP LOADTRUE
-- LOADNIL, logical operators (NOT TEST TESTSET) and multiple assignment.

-- LOADI/LOADF take small integers and integral floats inline; others are
-- constants (LOADK)
local i1, i2, i3 = 0, -65535, 65535
local f1, f2, f3 = 0.0, -1.0, 65535.0
local k1, k2, k3, k4 = 1 << 40, 1.5, "str", -0.0
print(i1, i2, i3, f1, f2, f3, k1, k2, k3, k4)
local big, small = 100000000, -100000000
print(big, small, 1e300, -1e-300, 0x10, 0xA.8p0, 1e2, 1E-2)
-- LOADNIL for several locals; LOADTRUE/LOADFALSE
local n1, n2, n3
local t1, t2 = true, false
print(n1, n2, n3, t1, t2)
-- MOVE between locals, multiple assignment evaluates all before storing
local x, y = 1, 2
x, y = y, x
print("swap", x, y)
local p, q, r = 1
print("adjust", p, q, r)
local u, v = 1, 2, 3
print("drop", u, v)

-- comparisons as values: LFALSESKIP/LOADTRUE
local lt, ge, eq = x < y, x >= y, x == y
print("as values", lt, ge, eq, not lt, not not eq)

-- and/or return one of their operands (TESTSET), not a boolean
local function andor(a, b)
  return a and b, a or b, not a, a and b or "else"
end
print(andor(nil, 1))
print(andor(false, 1))
print(andor(0, 1))
print(andor("", false))
print(andor(1, nil))
-- short circuit: the right side is not evaluated
local calls = 0
local function bump(v) calls = calls + 1 return v end
local _ = bump(false) and bump(1)
local _ = bump(1) or bump(2)
local _ = bump(nil) or bump(false) or bump(3)
local _ = bump(1) and bump(2) and bump(nil) and bump(4)
print("calls", calls)
-- conditions with constants fold, with locals they test (TEST)
if nil then print("never") else print("nil is false") end
if 0 then print("0 is true") end
if "" then print("'' is true") end
if not t2 then print("not false") end
local cond = n1 or t2
if cond then print("wrong") else print("cond", cond) end
while x do x = nil end
print("while ended", x)
-- not of every type
print(not nil, not false, not 0, not "", not {}, not print)
