-- heavy: 150000 nested calls; the debug switches collect at each of their allocations
-- Stack limits: deep non-tail recursion ends in "stack overflow" (the Lua
-- stack's size limit); deep nesting of C calls (metamethods calling
-- metamethods, pcall inside pcall, coroutines resuming coroutines) ends in
-- "C stack overflow". Both are ordinary errors that pcall catches, and
-- the interpreter works normally afterwards.
--
-- The depth reached may differ between interpreters, so the depth is never
-- printed. Each recursive construct sits on one line, and that line's
-- position ("err_stack.lua:N: ", got with error level 2) is built into the
-- expected message, so the check does not depend on which frame raised
-- it. A match prints "true"; otherwise the message itself is printed.

local function check(label, expected, ok, msg)
  print(label, ok, msg == expected or msg)
end

-- Lua stack overflow: plain recursion, recursion through __call
local _, here = pcall(error, "", 2) local function rec(n) return 1 + rec(n + 1) end
check("recursion", here .. "stack overflow", pcall(rec, 1))
local _, here2 = pcall(error, "", 2) local callable = setmetatable({}, { __call = function(self) return 1 + self() end })
check("__call recursion", here2 .. "stack overflow", pcall(callable))
local _, here3 = pcall(error, "", 2) local function varrec(...) return 1 + varrec(1, 2, 3, ...) end
check("vararg recursion", here3 .. "stack overflow", pcall(varrec))

-- C stack overflow: metamethods that call themselves
local _, h1 = pcall(error, "", 2) local idx = setmetatable({}, { __index = function(t, k) return t[k] end })
check("__index", h1 .. "C stack overflow", pcall(function() return idx.x end))
local _, h2 = pcall(error, "", 2) local nidx = setmetatable({}, { __newindex = function(t, k, v) t[k] = v end })
check("__newindex", h2 .. "C stack overflow", pcall(function() nidx.x = 1 end))
local _, h3 = pcall(error, "", 2) local add = setmetatable({}, { __add = function(a, b) return a + b end })
check("__add", h3 .. "C stack overflow", pcall(function() return add + 1 end))
local _, h4 = pcall(error, "", 2) local cat = setmetatable({}, { __concat = function(a, b) return a .. b end })
check("__concat", h4 .. "C stack overflow", pcall(function() return cat .. "" end))
local _, h5 = pcall(error, "", 2) local eqmt = { __eq = function(a, b) return a == b end }
local e1, e2 = setmetatable({}, eqmt), setmetatable({}, eqmt)
check("__eq", h5 .. "C stack overflow", pcall(function() return e1 == e2 end))
local _, h6 = pcall(error, "", 2) local lt = setmetatable({}, { __lt = function(a, b) return a < b end })
check("__lt", h6 .. "C stack overflow", pcall(function() return lt < lt end))
-- through C functions: the error is raised where no Lua position exists
local ts = setmetatable({}, { __tostring = function(s) return tostring(s) end })
check("__tostring via tostring", "C stack overflow", pcall(tostring, ts))
local function nested_pcall()
  local ok, e = pcall(nested_pcall)
  if ok then return e end
  return e
end
check("nested pcall", "C stack overflow", true, nested_pcall())
local function nested_resume()
  local ok, e = coroutine.resume(coroutine.create(nested_resume))
  if ok then return e end
  return e
end
check("nested coroutines", "C stack overflow", true, nested_resume())

-- overflow inside a coroutine is that coroutine's error
local _, here4 = pcall(error, "", 2) local function corec() return 1 + corec() end
local co = coroutine.create(corec)
check("in coroutine", here4 .. "stack overflow", coroutine.resume(co))
print("coroutine status", coroutine.status(co))
-- a message handler still runs after a stack overflow
local _, here5 = pcall(error, "", 2) local function hrec() return 1 + hrec() end
check("xpcall handler", "handled: " .. here5 .. "stack overflow",
      xpcall(hrec, function(m) return "handled: " .. m end))
-- a handler that overflows too: error in error handling
check("handler overflows", "error in error handling",
      xpcall(hrec, function(m) return hrec() end))

-- the interpreter recovers: the same overflow again, then normal work
for round = 1, 3 do
  local ok, msg = pcall(rec, 1)
  print("round " .. round, ok, msg == here .. "stack overflow")
end
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print("deep but fine", depth(150000))
local ok, v = pcall(function() return idx end)
print("after C overflow", ok, type(v))
print("coroutines still work", coroutine.wrap(function() return "yes" end)())
