-- Ends with an uncaught error: the interpreter prints "<progname>: <msg>"
-- and a traceback on standard error and exits with status 1. The
-- traceback names each function the way 5.4 does (global, local, method,
-- field, upvalue, metamethod, function <file:line>, main chunk, C
-- functions by their library name) and marks tail calls. Standard error
-- contains the script path as it was given on the command line.
print("before the error")

local obj = {}
function obj:method(k) k() end

local t = {field = function(k) obj:method(k) end}

local printable = setmetatable({}, {__tostring = function()
  local x = setmetatable({}, {__add = function() error("deep error") end})
  return x + 1
end})

local function viaupvalue()
  t.field(function() return tostring(printable) end)
end

function globalfn()
  local function loc() viaupvalue() end
  loc()
end

local function tail() return globalfn() end
tail()
print("not reached")
