-- <const> locals: compile-time constants (folded into instructions, no
-- register), constants captured by closures, non-constant initial values,
-- and the compile errors for assigning to them or using unknown
-- attributes.

local N <const> = 10
local HALF <const> = N / 4
local NAME <const> = "const"
local BIG <const> = 1 << 62
local FLAG <const> = true
local NOTHING <const> = nil
print(N, HALF, NAME, BIG, FLAG, NOTHING)
print("folded", N * 2 + 1, N // 3, N % 3, -N, ~N, N .. "!", NAME .. N)
local function use() return N + BIG, NAME, FLAG and "yes" end
print("in closure", use())
local t = { N, NAME, [NAME] = N }
print("in table", t[1], t[2], t.const)
for i = N, N + 2 do last_i = i end
print("loop bound", last_i)
last_i = nil
-- a const whose value is only known at run time still cannot change
local start <const> = select("#", 1, 2, 3)
local function get() return start end
print("runtime const", start, get())
local obj <const> = {}
obj.field = "tables stay mutable"
print(obj.field)
-- consts in conditions fold away
if N > 5 then print("N > 5") else print("never") end
if NOTHING then print("never") end
while FLAG do print("while const") break end

-- compile errors
local function compile(src)
  local f, err = load(src, "=src")
  print(f and "compiled" or err)
end
compile("local x <const> = 1; x = 2")
compile("local x <const> = 1; local function f() x = 2 end")
compile("local x <const>")
compile("local x <const> = 1; x, y = 2, 3")
compile("local x <foo> = 1")
compile("local a <const>, b <close> = 1, nil")
compile("local a <close>, b <close> = nil, nil")
compile("local a <const>, b = 1, 2; return a + b")
