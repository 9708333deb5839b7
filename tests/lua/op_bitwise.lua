-- Bitwise opcodes: BAND BOR BXOR SHL SHR BNOT, the constant forms BANDK
-- BORK BXORK, the immediate shifts SHRI SHLI, and the conversions they do:
-- floats with an exact integer value become integers; anything else,
-- numeric strings included (Lua 5.4 does not coerce strings here), is an
-- error.

local function try(label, f) print(label, pcall(f)) end

local a, b = 0xF0F0, 0x0FF0
local neg = -1
print("a&b", a & b, "a|b", a | b, "a~b", a ~ b, "~a", ~a)
print("neg&0xff", neg & 0xff, "neg>>60", neg >> 60, "neg<<63", neg << 63)
-- constant operands (K forms) and immediates
print("a&0xff", a & 0xff, "a|1", a | 1, "a~0xffff", a ~ 0xffff)
print("a&0x100000000", a & 0x100000000, "a|0x7fffffffffffffff",
      a | 0x7fffffffffffffff)
print("a>>4", a >> 4, "a<<4", a << 4, "1<<a", 1 << (a & 7),
      "1<<b", 1 << b, "2>>1", 2 >> 1)
local s = 3
print("1<<s", 1 << s, "256>>s", 256 >> s, "s<<2", s << 2, "s>>1", s >> 1)
print("0xff>>s", 0xff >> s, "-1>>s", -1 >> s)
-- shift counts at and beyond the word size, and negative ones
local n64, n63, m1, m64 = 64, 63, -1, -64
print("1<<63", 1 << n63, "1<<64", 1 << n64, "1>>64", 1 >> n64)
print("-1>>63", -1 >> n63, "-1>>64", -1 >> n64)
print("8<<-1", 8 << m1, "8>>-1", 8 >> m1, "1<<-64", 1 << m64,
      "1>>-63", 1 >> -63)
print("1<<100", 1 << 100, "1>>-100", 1 >> -100, "x<<minint",
      1 << 0x8000000000000000)
-- folded at compile time
print("fold", 5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 62, -8 >> 1, 3.0 | 0)
-- float operands with integer values
local f2, f3 = 2.0, 3.0
print("floats", f2 | f3, f2 & 7, f3 ~ 1.0, ~f2, f3 << 1, 1.0 << f3,
      -2.0^63 | 0)
print("float -0.0|0", -0.0 | 0)
-- what cannot be converted
try("1.5|1", function() return 1.5 | 1 end)
try("f|1", function() local f = 2.5 return f | 1 end)
try("2^63|0", function() return 2^63 | 0 end)
try("inf&1", function() local z = 0 return (1 / z) & 1 end)
try("nan&1", function() local z = 0 return (z / z) & 1 end)
try("~1.5", function() local f = 1.5 return ~f end)
try('"3"&1', function() return "3" & 1 end)
try('"0x10"|0', function() local str = "0x10" return str | 0 end)
try('~"0"', function() return ~"0" end)
try('1<<"4"', function() return 1 << "4" end)
try('"1.5"|0', function() return "1.5" | 0 end)
try('"abc"|0', function() return "abc" | 0 end)
try('"a"|0 local', function() local str = "a" return str | 0 end)
try("t&1", function() local t = {} return t & 1 end)
try("1&t", function() local t = {} return 1 & t end)
try("nil>>1", function() local t = {} return t.x >> 1 end)
try("true~1", function() return true ~ 1 end)
try("~{}", function() local t = {} return ~t end)
try("~upvalue", function() return ~a, ~neg end)
local t = { v = 1.25 }
try("field<<1", function() return t.v << 1 end)
try("1<<field", function() return 1 << t.v end)
try('"9223372036854775808"|0', function() return "9223372036854775808" | 0 end)
try('"0xffffffffffffffff"|0', function() return "0xffffffffffffffff" | 0 end)
-- a loop mixing them (register forms in a loop)
local h = 0
for k = 1, 32 do
  h = ((h << 5) ~ (h >> 3) ~ k * 2654435761) & 0xffffffff
end
print("hash", h)
