-- An uncaught error whose value is a table with __tostring: lua prints
-- the string it returns (and no traceback), and exits with status 1.

local E = { __tostring = function(e) return "custom error: " .. e.what end }
local function fail(what)
  error(setmetatable({ what = what }, E))
end
print("before")
fail("disk full")
