-- Yielding from inside metamethods and iterators: a Lua metamethod
-- (__index, __newindex, __add, __lt, __le, __eq, __concat, __len, __unm,
-- __call, __close) may yield, and the interrupted instruction finishes
-- when the coroutine is resumed; so may the iterator function of a
-- generic for.

local function show(v)
  if type(v) == "table" then return "<table>" end
  return tostring(v)
end
local Y = coroutine.yield
local mt = {
  __index = function(t, k) return Y("index " .. k) end,
  __newindex = function(t, k, v) rawset(t, k, Y("newindex " .. k .. "=" .. v)) end,
  __add = function(a, b) return Y("add") end,
  __lt = function(a, b) return Y("lt") end,
  __le = function(a, b) return Y("le") end,
  __eq = function(a, b) return Y("eq") end,
  __concat = function(a, b) return Y("concat " .. show(a) .. " " .. show(b)) end,
  __len = function(a) return Y("len") end,
  __unm = function(a) return Y("unm") end,
  __call = function(self, x) return Y("call " .. x) end,
  __close = function() Y("close") end,
}
local a, b = setmetatable({}, mt), setmetatable({}, mt)

local co = coroutine.create(function()
  local r = {}
  r[#r + 1] = "index->" .. show(a.key)
  a.new = "v"
  r[#r + 1] = "newindex->" .. show(rawget(a, "new"))
  r[#r + 1] = "add->" .. show(a + 1)
  r[#r + 1] = "lt->" .. show(a < b)
  r[#r + 1] = "le->" .. show(a <= b)
  r[#r + 1] = "eq->" .. show(a == b)
  r[#r + 1] = "ne->" .. show(a ~= b)
  r[#r + 1] = "gt imm->" .. show(a > 5)
  if a < b then r[#r + 1] = "lt jump taken" else r[#r + 1] = "lt jump not taken" end
  r[#r + 1] = "concat->" .. show("x" .. a .. "y" .. "z")
  r[#r + 1] = "len->" .. show(#a)
  r[#r + 1] = "unm->" .. show(-a)
  r[#r + 1] = "call->" .. show(a("arg"))
  do
    local c <close> = a
    r[#r + 1] = "before close"
  end
  r[#r + 1] = "after close"
  local s = ""
  for i = 1, #r do s = s .. r[i] .. "; " end
  return s
end)

-- the reply to each yield, in order
local replies = { "V", "stored", 99, true, false, "truthy", "truthy", 0,
                  nil, "AYZ", 5, "negated", "called", nil }
local ok, out = coroutine.resume(co)
local step = 0
while coroutine.status(co) == "suspended" do
  step = step + 1
  print("yielded", out, "reply", show(replies[step]))
  ok, out = coroutine.resume(co, replies[step])
end
print("finished", ok)
print(out)

-- yielding from the iterator of a generic for
local gen = coroutine.wrap(function()
  local function iter(_, i)
    i = i + 1
    if i > 3 then return nil end
    coroutine.yield("iterator step " .. i)
    return i
  end
  local s = ""
  for i in iter, nil, 0 do s = s .. i end
  return "loop done " .. s
end)
for _ = 1, 4 do print(gen()) end

-- yielding from __index inside a deep chain of calls
local deep = coroutine.wrap(function()
  local proxy = setmetatable({}, { __index = function(_, k)
    return coroutine.yield("need " .. k) * 2
  end })
  local function level(n)
    if n == 0 then return proxy.value end
    return 1 + level(n - 1)
  end
  return level(50)
end)
print(deep())
print(deep(21))
