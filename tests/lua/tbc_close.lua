-- To-be-closed variables (TBC, CLOSE, and the closing done by RETURN):
-- __close runs when the variable goes out of scope on normal exit, break,
-- return, goto out of the block and error, in reverse order of
-- declaration, with the error object as its second argument on error;
-- nil and false need no __close; other values without one are an error;
-- an error inside __close replaces the one being propagated.

local log = ""
local function res(name)
  return setmetatable({ name = name }, {
    __close = function(self, err)
      log = log .. " " .. self.name
      if type(err) == "table" then
        log = log .. "(table code=" .. tostring(err.code) .. ")"
      elseif err ~= nil then
        log = log .. "(" .. tostring(err) .. ")"
      end
    end,
  })
end
local function flush(label) print(label .. ":" .. log) log = "" end

do
  local a <close> = res("a")
  local b <close> = res("b")
  local c <close> = nil
  local d <close> = false
  log = log .. " body"
end
flush("block end")

for i = 1, 3 do
  local x <close> = res("x" .. i)
  if i == 2 then break end
end
flush("break")

local function ret()
  local r <close> = res("r")
  local s <close> = res("s")
  return "returned"
end
print(ret())
flush("return")

-- the returned values are computed before closing
local function ret_value()
  local v <close> = res("v")
  return v.name .. " still open", log
end
print(ret_value())
flush("return value")

do
  local i = 0
  ::top::
  do
    local g <close> = res("g" .. i)
    i = i + 1
    if i < 3 then goto top end
  end
end
flush("goto")

do
  local outer <close> = res("outer")
  do
    local inner <close> = res("inner")
    goto out
  end
  ::out::
  log = log .. " after-goto"
end
flush("goto out of nested")

print(pcall(function()
  local e1 <close> = res("e1")
  local e2 <close> = res("e2")
  error("boom", 0)
end))
flush("error")

local ok, e = pcall(function()
  local t <close> = res("t")
  error({ code = 7 })
end)
print(ok, type(e), e.code)
flush("table error")

-- an error in __close replaces the original error; later closes see it
local function bad_closer(name)
  return setmetatable({}, { __close = function(_, err)
    log = log .. " " .. name .. "(" .. tostring(err) .. ")"
    error(name .. " failed", 0)
  end })
end
print(pcall(function()
  local a <close> = res("first")
  local b <close> = bad_closer("second")
  local c <close> = res("third")
  error("original", 0)
end))
flush("error in close")
print(pcall(function()
  local a <close> = res("A")
  local b <close> = bad_closer("B")
  return "normal"
end))
flush("close error on normal exit")

-- values that cannot be closed
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = 42 end))
print(pcall(function()
  local ok <close> = res("declared-before")
  local x <close> = "str"
end))
flush("non-closable")
-- the metamethod is looked up when closing, not only when declaring
local mt = { __close = function() log = log .. " late" end }
local obj = setmetatable({}, mt)
do
  local o <close> = obj
  mt.__close = function() log = log .. " replaced" end
end
flush("lookup at close")
print(pcall(function()
  local mt2 = { __close = function() end }
  local o <close> = setmetatable({}, mt2)
  mt2.__close = nil
end))
-- a tbc in a coroutine closed by coroutine.close
local co = coroutine.create(function()
  local c <close> = res("co")
  coroutine.yield("suspended")
end)
print(coroutine.resume(co))
print(coroutine.close(co), coroutine.status(co))
flush("coroutine.close")
-- tbc in the main chunk's top level closes at the end of the script
local last <close> = setmetatable({}, { __close = function()
  print("main chunk variable closed")
end })
print("end of script")
