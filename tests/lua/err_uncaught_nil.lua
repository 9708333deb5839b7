-- An uncaught error(nil) and a number error value: lua reports
-- "(error object is a nil value)" for nil. (A number would be converted
-- to a string; see err_uncaught_number.lua.) Status 1.

local co = coroutine.wrap(function()
  coroutine.yield("from the coroutine")
  error(nil)
end)
print(co())
co()
