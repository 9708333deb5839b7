-- error and pcall/xpcall: error values of any type pass through
-- unchanged; string messages get "chunk:line:" of the level asked for
-- (1 = the function calling error, 2 = its caller, 0 = none); pcall
-- returns true plus all results on success; xpcall calls its handler with
-- the error object (and its result is what xpcall returns); a handler
-- that errors gives "error in error handling"; errors inside handlers of
-- nested calls.

local function show(...)
  local s = ""
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then v = "table(" .. tostring(v.tag) .. ")" end
    if type(v) == "function" or type(v) == "thread" then v = type(v) end
    s = s .. tostring(v) .. " "
  end
  return s
end
local function try(label, f, ...) print(label, show(pcall(f, ...))) end

-- values of every type
try("string", error, "msg")
try("number", error, 42)
try("float", error, 2.5)
try("nil", error, nil)
try("no argument", error)
try("false", error, false)
try("true", error, true)
try("table", error, { tag = "T" })
try("function", function() error(print) end)
local ok, fn = pcall(error, print)
print("function kept", ok, fn == print)
local co = coroutine.create(function() end)
local ok2, thr = pcall(error, co)
print("thread kept", ok2, thr == co)
-- levels
local function lvl(n) error("level " .. tostring(n), n) end
local function caller(n) lvl(n) end   -- line of the call for level 2
try("level 1", caller, 1)
try("level 2", caller, 2)
try("level 3", function() caller(3) end)
try("level 0", caller, 0)
try("level beyond the stack", caller, 50)
try("level on a table is ignored", function() error({ tag = "lvl" }, 2) end)
try("level on a number", function() error(7, 1) end)
-- pcall results
print("success", pcall(function(...) return ... end, 1, nil, 3))
print("no results", pcall(function() end))
print("pcall of a C function", pcall(rawlen, { 1, 2 }))
print("pcall of a non-function", pcall(42))
print("pcall without args", pcall(pcall))
-- rethrowing keeps the value
local ok3, e = pcall(function()
  local ok4, inner = pcall(error, { tag = "inner" })
  error(inner)
end)
print("rethrown", ok3, show(e))
-- the message of a runtime error is a string with the position
local _, msg = pcall(function() local t return t.x end)
print("runtime message type", type(msg), msg)

-- xpcall
print("xpcall ok", xpcall(function(a, b) return a + b end, print, 3, 4))
print("xpcall handler result", xpcall(error, function(m) return "handled " .. tostring(m) end, "boom"))
print("xpcall handler gets the value", show(xpcall(error, function(m)
  return m.tag end, { tag = "obj" })))
print("xpcall multiple handler results", xpcall(error, function() return 1, 2 end, "e"))
print("xpcall handler runs before unwinding",
  xpcall(function() local t; return t.x end, function(m) return "[" .. m .. "]" end))
-- "error in error handling": the handler itself fails
print("handler errors", xpcall(error, function() error("again") end, "first"))
print("handler runtime error", xpcall(error, function() local t; return t.x end, "first"))
print("handler not a function", pcall(xpcall, error, 42, "x"))
print("nested xpcall in handler", xpcall(error, function(m)
  return select(2, xpcall(error, function(m2) return "inner " .. m2 end, "deep"))
end, "outer"))
-- error with a __tostring object: the value is kept, not converted
local objmt = { __tostring = function(o) return "E<" .. o.tag .. ">" end }
local ok5, obj = pcall(error, setmetatable({ tag = "x" }, objmt))
print("tostring object", ok5, tostring(obj))
-- assert
print("assert ok", assert(1, "unused"), select("#", assert(1, 2, 3)))
print("assert fails", pcall(assert, false))
print("assert message", pcall(assert, nil, "custom message"))
print("assert table message", show(pcall(assert, false, { tag = "A" })))
print("assert no args", pcall(assert))
