-- needs: debug
-- error() with a string message and a level adds the position in a new
-- value and leaves its argument where it was: a message handler, which
-- runs before the stack unwinds, still finds it as error's first local.
local function handler(m)
  local name, value = debug.getlocal(2, 1)
  print("error's local 1:", name, value)
  print("error's local 2:", debug.getlocal(2, 2))
  return m
end
print(xpcall(function() error("plain") end, handler))
print(xpcall(function() error("level 2", 2) end, handler))
print(xpcall(function() error("no position", 0) end, handler))
print(xpcall(function() error({}) end, function(m) return type(m) end))
