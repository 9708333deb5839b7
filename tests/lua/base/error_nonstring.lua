-- Ends with an uncaught error whose object is neither a string nor has
-- __tostring: "(error object is a table value)" and a traceback, exit
-- status 1; standard error contains the script path.
local co = coroutine.wrap(function() error({}) end)
co()
