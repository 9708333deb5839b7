-- assert and error: messages, error levels, non-string error objects.
-- Code whose messages carry positions is loaded under fixed chunk names,
-- so the output does not depend on where the script lives.

local function try(f, ...)
  print(pcall(f, ...))
end

local function chunk(name, src)
  return assert(load(src, "=" .. name))
end

-- assert returns all its arguments when the first is true
print(assert(1, 2, 3))
print(assert(true))
print(select("#", assert(0, nil, nil)))
print(assert("", "unused"))

-- failures
try(assert, false)
try(assert, nil)
try(assert, false, "custom message")
try(assert, nil, 42)
try(assert, false, nil)
try(assert)
local obj = {}
print(select(2, pcall(assert, false, obj)) == obj)
try(assert, false, "msg", "extra")

-- error levels: 1 = where error was called, 2 = its caller, 0 = none
local levels = chunk("levels", [[
local function inner(level) error("boom", level) end
local function outer(level)
  inner(level)
end
return function(level) outer(level) end
]])()
try(levels, 1)
try(levels, 2)
try(levels, 3)
try(levels, 0)
try(levels, nil)
try(levels, 50)

-- error objects that are not strings get no position
try(error)
try(error, nil)
try(error, 42)
try(error, 42, 2)
try(error, true)
local e = {code = 7}
local ok, got = pcall(error, e)
print(ok, got == e, got.code)
try(error, "plain", 0)
try(error, "level must be an integer", 1.5)
try(error, "level", "x")

-- error called from Lua code gets the position of that code
try(chunk("direct", "error('here')"))
try(chunk("direct2", "\n\nerror('line three')"))
try(chunk("lvl2", "local function f() error('up', 2) end\nf()"))
try(chunk("numeric", "error(42)"))
try(chunk("assertion", "assert(false)"))
try(chunk("assertion2", "assert(nil, 'why')"))
try(chunk("assertion3", "local t = {} assert(t.missing == 1, 'missing field')"))

-- runtime errors raised by the core, seen through pcall
try(chunk("arith", "local x = nil; return x + 1"))
try(chunk("call", "local t = {} t.f()"))
try(chunk("index", "local s; return s.field"))
try(chunk("concat", "return {} .. 'x'"))
try(chunk("compare", "return {} < 1"))
