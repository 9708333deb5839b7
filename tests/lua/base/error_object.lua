-- Ends with an uncaught error whose object is a table with __tostring:
-- the interpreter prints that string alone (no traceback), exit status 1.
print("raising")
error(setmetatable({}, {__tostring = function() return "custom error object" end}))
