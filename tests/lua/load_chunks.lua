-- load: compiling chunks from strings and from reader functions, chunk
-- names in messages ("[string ...]", "=name", "@name"), the env argument
-- (the chunk's _ENV upvalue), varargs of a chunk, text/binary mode
-- checks, and syntax errors returned as (nil, message).

local function show(...)
  local s = ""
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "function" or type(v) == "table" then v = type(v) end
    s = s .. tostring(v) .. " "
  end
  return s
end

local f = load("return 1 + 2")
print("string chunk", f())
print("with args", load("return select('#', ...), ...")(1, nil, 3))
print("multiple returns", load("local a, b = ... return b, a")("x", "y"))
-- chunk names in error messages
print(pcall(load("error('boom')")))
print(pcall(load("local t = nil; return t.x", "=custom")))
print(pcall(load("error('at file')", "@virtual.lua")))
print(pcall(load("\n\nerror('line 3')", "plain name")))
print(pcall(load("error('long source " .. "name that goes on and on and on and on and on and on')")))
print(pcall(load("x = 1\nerror('second line of multi-line chunk')")))
-- syntax errors
print("syntax", show(load("x = = 1")))
print("syntax named", show(load("return +", "=expr")))
print("unfinished string", show(load("return 'abc", "=s")))
print("unfinished long string", show(load("return [[abc", "=s")))
print("bad escape", show(load("return '\\q'", "=s")))
print("eof expected", show(load("return 1 end", "=s")))
print("unexpected eof", show(load("return 1,", "=s")))
-- a reader function: pieces are concatenated until it returns nil or ""
local pieces = { "return ", "'from ", "pieces'", nil }
local i = 0
local reader = function() i = i + 1 return pieces[i] end
print("reader", load(reader)())
local empty_reader = function() return nil end
print("empty reader", show(load(empty_reader)), load(empty_reader)())
local bad_reader = function() return {} end
print("bad reader", show(pcall(load, bad_reader)))
local failing_reader = function() error("reader failed", 0) end
print("failing reader", show(pcall(load, failing_reader)))
-- env: the chunk's globals live in the given table
local env = { y = 5 }
local g = load("x = y * 2 return x", "=env", "t", env)
print("env", g(), env.x, x)
print("env nil", pcall(load("return y", "=nilenv", "t", nil)))
-- mode
print("binary refused", show(load("return 1", "=m", "b")))
print("text allowed", show(load("return 1", "=m", "t")))
print("bad mode", show(pcall(load, "return 1", "=m", "q")))
-- load of a non-string non-function
print("bad argument", show(pcall(load, 42)))
print("nil argument", show(pcall(load)))
-- a chunk is a vararg function; its upvalue is _ENV
local h = load("local n = select('#', ...) return n")
print("vararg chunk", h(), h(nil), h(1, 2, 3))
-- nested load
print("nested", load("return load('return 40 + 2')()")())
-- compiled code sees the globals of the caller's _ENV by default
shared_global = "visible"
print("globals", load("return shared_global")())
shared_global = nil
