-- To-be-closed variables: TBC, closes on block exit, return and break.
local function res() return setmetatable({}, {__close = function() end}) end
do
  local x <close> = res()
  local y = 1
end
local function f()
  local a <close> = res()
  return 1
end
local function g()
  local a <close> = res()
  return f()
end
local function h(...)
  local a <close> = res()
  return ...
end
for i = 1, 3 do
  local c <close> = res()
  if i == 2 then break end
end
while true do
  local c <close> = res()
  goto out
end
::out::
local k <const>, z <close> = 1, res()
return g()
