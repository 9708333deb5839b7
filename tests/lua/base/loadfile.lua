#!/usr/bin/env lua
-- loadfile and dofile, on this very file (which begins with a "#" line).
if NESTED then
  local function f() error("nested error", 2) end
  if NESTED == "error" then f() end
  return "nested", NESTED, ...
end

-- The position check needs the whole script path in messages: Lua shortens
-- chunk names over 59 characters, so runners should pass a short path.

local f, err = loadfile(arg[0])
print(type(f), err)
NESTED = "yes"
print(f("a", "b"))
print(dofile(arg[0]))
print(select("#", dofile(arg[0])))
NESTED = "error"
local ok, msg = pcall(dofile, arg[0])
if #arg[0] < 50 then
  print(ok, msg == arg[0] .. ":5: nested error")
else
  print("script path too long for the position check")
end
NESTED = nil

-- environment and mode
local g = loadfile(arg[0], "t", {NESTED = "env", error = error})
print(g("extra"))
print(loadfile(arg[0], "b"))
print(loadfile(arg[0], "bt") ~= nil)
local h = loadfile(arg[0], nil, nil)
print((pcall(h)))

-- failures
print(loadfile("/nonexistent/dir/file.lua"))
print(loadfile("/"))
print(pcall(dofile, "/nonexistent/dir/file.lua"))
print(pcall(loadfile, {}))
print(pcall(loadfile, arg[0], {}))
print(pcall(dofile, {}))
