-- Constants: integral floats beside integers, zeros, infinities, NaN,
-- wrap-around, and the folds that must not happen.
local t = {}
t.x = 1.0; t.y = 1; t.z = 1.0; t.w = 0.0; t.v = -0.0; t.u = 0; t.s = 2^53; t.r = 2^53 + 1.0
t[1.0] = 1; t[2^63] = 1; t[-2^63] = 2; t[1e308] = 3
local a = 0x7fffffffffffffff + 0
local b = 0xffffffffffffffff
local c = -9223372036854775808
local d = 9223372036854775808
local e = 1e309
local f = -1e309
t.inf = 1/0; t.ninf = -1/0; t.nan = 0/0
local g = 3 % -2
local h = -3 // 2
local i = 3.5 // 0.5
local j = 2^-1
local k = 7 // 0.0
local l = 0.0 / 0.0
local m = "10" + 1
local n = 1 << 63
local o = 1 >> 64
local p = -1 >> 63
local q = 5 % 0.0
local r = 5 % math.huge
t.x = 3 == 3.0
t.y = 1 < 2
if 1 == 1 then t.z = 1 end
local s = t.x == 1.0 or t.x == 2.5 or t.x == -1 or t.x == "a" or t.x == 300
local u = t.x < 1.0 or t.x <= -128 or t.x > 127 or t.x >= 128 or 1.5 < t.x
