-- Table constructors and accesses: list parts long enough for several
-- SETLIST flushes, hash parts, nested tables, methods, metamethods.
local list = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38,
  39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
  57, 58, 59, 60, "x", true, false, 1.5, nil, 66,
}
print(#list, list[61], list[62], list[63], list[64], list[65], list[66])
local rec = {name = "rec", size = 3, [1] = "one", [2.5] = "two and a half",
  ["key with spaces"] = true, flag = false, nothing = nil, nested = {deep = {1}}}
print(rec.name, rec.size, rec[1], rec[2.5], rec["key with spaces"], rec.flag,
  rec.nothing, rec.nested.deep[1])
rec.x = true
rec.y = false
rec.z = nil
rec[10] = "ten"
rec.name = rec.name .. "!"
print(rec.x, rec.y, rec.z, rec[10], rec.name)

local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:len2() return self.x * self.x + self.y * self.y end
Point.__add = function(p, q) return Point.new(p.x + q.x, p.y + q.y) end
Point.__eq = function(p, q) return p.x == q.x and p.y == q.y end
Point.__lt = function(p, q) return p:len2() < q:len2() end
Point.__le = function(p, q) return p:len2() <= q:len2() end
Point.__tostring = function(p) return "(" .. p.x .. "," .. p.y .. ")" end
Point.__concat = function(a, b) return tostring(a) .. tostring(b) end
Point.__len = function(p) return 2 end
Point.__unm = function(p) return Point.new(-p.x, -p.y) end
local p, q = Point.new(1, 2), Point.new(3, 4)
print(tostring(p + q), p == q, p < q, p <= q, p .. q, #p, tostring(-p))
print(p:len2(), q.len2(q), Point.new(0, 0) == Point.new(0, 0))

local grid = {}
for r = 1, 3 do
  grid[r] = {}
  for col = 1, 3 do grid[r][col] = r * col end
end
print(grid[2][3], #grid, table.unpack(grid[3]))
local function vt(...) return {...} end
print(#vt(1, 2, 3), #{vt(1, 2)}, select("#", table.unpack({1, nil, 3}, 1, 3)))
