-- An uncaught error raised inside metamethods: the traceback shows the
-- metamethod frames ("in metamethod 'add'", "in metamethod 'index'").
-- Status 1.

local V = {}
V.__add = function(a, b)
  return a.value + b             -- b is a table without value arithmetic
end
V.__index = function(t, k)
  return setmetatable({ value = 1 }, V) + {}
end
local v = setmetatable({}, V)
print("before")
print(v.anything)
