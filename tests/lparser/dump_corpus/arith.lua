-- Arithmetic in every form the compiler emits: register, constant (K) and
-- immediate (I) operands, the metamethod fallbacks, unary operators,
-- comparisons against registers, constants and immediates.
local a, b, c = 7, 2.5, -3
local big = 9007199254740993
local s = "10"
print(a + b, a - b, a * b, a / b, a // 2, a % 3, a ^ 2)
print(a + 1, a - 1, a * 3, a / 4, a // 3, a % 4, 2 ^ a)
print(a + 300, a - 300, 100000 * a, a + 0.5, 1.5 - a)
print(a & 3, a | 8, a ~ 5, a << 2, a >> 1, 1 << a, ~a, -a, 3 >> a)
print(a & 0xFF00, a | 0x10000, big, -big, math.maxinteger, math.mininteger)
print(#s, -b, not a, not nil, s .. a .. b, s + 1)
print(a == b, a ~= b, a < b, a <= b, a > b, a >= b)
print(a == 7, a ~= 8, a < 100, a <= 7, a > -1, a >= 1000)
print(a == "x", b == 2.5, c == -3, s == "10", a == 7.0)
print(1e300 * 1e10, -1e300 * 1e10, 0.1 + 0.2, 3.0, -0.0, 1/3)
print(5 // 0.0, -5 // 0.0, 5 % -3, -5 % 3, 5.5 % -2, 2^53)
print(math.type(1), math.type(1.0), math.type("1"), 7 // 2, 7.0 // 2)
local x = 0
for i = 1, 20 do x = x + i * i - (i // 3) end
print(x, x > 1000 and "big" or "small", x < 10 or x > 20)
local t = {n = 0}
t.n = t.n + 1
t[1] = t.n * 2
t[a] = b
print(t.n, t[1], t[7])
local m, n = 17, 5
print(m % n, m // n, m & n, m | n, m ~ n, m << n, m >> n, m ^ n)
if m >= 10 then print("ge") end
if not (m >= 20) then print("not ge") end
counter = 0
counter = counter + m
Global = {value = counter}
print(counter, Global.value)
