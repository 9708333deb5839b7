-- An uncaught error whose value is a number: lua converts it to a string
-- message (no position is added: error only adds one to strings) and
-- prints the traceback. Status 1.

local t = setmetatable({}, { __index = function(_, k)
  error(k * 2)
end })
print("before")
local v = t[21]
