-- Local declarations, attributes, multiple assignment and conflicts.
local a
local b, c
local d, e, f = 1
local g, h = 1, 2, 3
local i, j = nil, nil
local k = nil
local l <const> = 42
local m <const> = l + 1
local n <const> = -l
local o <const> = "s" .. "t"
local p <const>, q = 1, 2
local r, s <const> = 1, 2
local t <const> = a
local u <close> = nil
local v = l + m + n
local w = o
a, b = b, a
a, b, c = c, a
a.x, a = 1, 2
a[b], b = 1, 2
a[b], a = b, a
local t2 = {}
t2.x, t2.y, t2 = 1, 2, 3
x, y = y, x
x.y, x = 1, 2
local up = 1
local function fn()
  up, up.f = 2, 3
  x, up = up, x
end
a, b, c = f()
a, b, c = 1, f()
a, b = f(), 1
a = f(), 1
local aa, bb, cc, dd = 1
local z1 = 1; local z2 = 2; local z3
local z4
local z5, z6
do local nil1; local nil2; end
local big1 = 100000
local big2 = -100000
local flt = 123456.0
local flt2 = 1e100
local str = "a string constant that is longer than forty bytes for sure"
local str2 = "a string constant that is longer than forty bytes for sure"
return l, m, o, p, s, v, w
