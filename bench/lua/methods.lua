-- methods.lua: OOP method calls through __index class tables.
-- Objects are plain tables whose metatable is their class; a method call
-- obj:m() misses in the object and finds m through __index (OP_SELF plus a
-- metamethod lookup). A three-level hierarchy makes some lookups walk two
-- or three __index tables. Also: a __index function (computed fields) and
-- calls through setmetatable-created instances in a loop.

local Shape = {}
Shape.__index = Shape

function Shape.new(class, w, h)
  return setmetatable({ w = w, h = h }, class)
end

function Shape:area()
  return self.w * self.h
end

function Shape:grow(d)
  self.w = self.w + d
  self.h = self.h + d
  return self
end

function Shape:kind()
  return 1
end

-- Rect inherits from Shape; Square from Rect.
local Rect = setmetatable({}, Shape)
Rect.__index = Rect

function Rect:perimeter()
  return 2 * (self.w + self.h)
end

function Rect:kind()
  return 2
end

local Square = setmetatable({}, Rect)
Square.__index = Square

function Square:kind()
  return 3
end

function Square:diagonal2()
  return self.w * self.w + self.h * self.h
end

local function exercise(rounds)
  local shapes = {
    Shape.new(Shape, 1, 2),
    Shape.new(Rect, 3, 4),
    Shape.new(Square, 5, 5),
  }
  local acc = 0
  for i = 1, rounds do
    local s = shapes[i % 3 + 1]
    acc = acc + s:area() + s:kind()
    if s.perimeter then
      acc = acc + s:perimeter()
    end
    if i % 1000 == 0 then
      s:grow(1):grow(-1)
    end
  end
  return acc + shapes[3]:diagonal2()
end

-- Allocation of instances: new objects each round, two calls each.
local function churn(rounds)
  local acc = 0
  for i = 1, rounds do
    local sq = Shape.new(Square, i % 10, i % 7)
    acc = acc + sq:grow(1):area() % 13
  end
  return acc
end

-- A vector class with a __index function for computed fields.
local Vec = {}
local vec_mt = {
  __index = function(v, key)
    if key == "len2" then
      return v.x * v.x + v.y * v.y
    end
    return Vec[key]
  end,
}

function Vec.new(x, y)
  return setmetatable({ x = x, y = y }, vec_mt)
end

function Vec:dot(o)
  return self.x * o.x + self.y * o.y
end

local function vectors(rounds)
  local a, b = Vec.new(3, 4), Vec.new(-2, 7)
  local acc = 0
  for i = 1, rounds do
    acc = acc + a:dot(b) + a.len2 - b.len2
    a.x = a.x + (i & 1)
  end
  return acc
end

print("methods", exercise(2000000), churn(300000), vectors(500000))
