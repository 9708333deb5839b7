-- An uncaught error whose value is a table without __tostring: lua
-- reports "(error object is a table value)" and exits with status 1.

print("before")
local function fail()
  error({ code = 1 })
end
fail()
