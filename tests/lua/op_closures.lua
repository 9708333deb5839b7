-- Closures and upvalues: CLOSURE, GETUPVAL, SETUPVAL, CLOSE. Upvalues are
-- shared by every closure that captures the same variable, stay shared
-- after the variable's block ends (closed), and a loop makes a fresh
-- variable per iteration, closed when the iteration ends (also by break
-- and by goto back to the top of a block).

local function counter()
  local n = 0
  return function() n = n + 1 return n end,
         function() return n end,
         function(v) n = v end
end
local inc, get, set = counter()
inc(); inc()
print("shared", get())
set(100); inc()
print("after set", get())
local inc2, get2 = counter()
inc2()
print("independent", get(), get2())

-- fresh variable per iteration of a numeric loop
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print("numeric loop", fs[1](), fs[2](), fs[3]())
-- a local declared in the body is fresh too, and closures of the same
-- iteration share it
local getters, setters = {}, {}
for i = 1, 3 do
  local v = i * 10
  getters[i] = function() return v end
  setters[i] = function(x) v = x end
end
setters[2](99)
print("per iteration", getters[1](), getters[2](), getters[3]())
-- while loop: the body's locals are fresh each time; the outer one is not
local outer = 0
local ws = {}
local k = 0
while k < 3 do
  k = k + 1
  local inner = k
  ws[k] = function() outer = outer + 1 return inner, outer end
end
print("while", ws[1](), ws[3]())
-- closed by break
local brk
for i = 1, 10 do
  local captured = "iteration " .. i
  brk = function() return captured end
  if i == 4 then break end
end
print("break", brk())
-- closed by goto back to the top of the block
local gs = {}
do
  local n = 0
  ::top::
  local x = n
  gs[#gs + 1] = function() return x end
  n = n + 1
  if n < 3 then goto top end
end
print("goto", gs[1](), gs[2](), gs[3]())
-- repeat: the until condition sees the body's locals, still fresh
local rs = {}
local r = 0
repeat
  local y = r
  rs[#rs + 1] = function() y = y + 1 return y end
  r = r + 1
until y >= 2
print("repeat", rs[1](), rs[1](), rs[2](), rs[3]())

-- nested closures: upvalues of upvalues
local function level1()
  local a = 1
  return function()
    local b = 10
    return function()
      a = a + 1
      b = b + 1
      return a + b
    end
  end
end
local mk = level1()
local f1, f2 = mk(), mk()
print("nested", f1(), f1(), f2(), f1())
-- recursion through an upvalue (local function)
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib", fib(20))
-- a closure that captures a parameter and a vararg-computed value
local function adder(x, ...)
  local extra = select("#", ...)
  return function(y) return x + y + extra end
end
print("adder", adder(1)(2), adder(1, nil, nil)(2))
-- upvalue of the main chunk changed from inside a closure
local mainvar = "before"
local function change() mainvar = "after" end
change()
print("main local", mainvar)
-- many upvalues in one closure
local u1, u2, u3, u4, u5, u6, u7, u8 = 1, 2, 3, 4, 5, 6, 7, 8
local function many()
  u1, u8 = u8, u1
  return u1 + u2 * 2 + u3 * 3 + u4 * 4 + u5 * 5 + u6 * 6 + u7 * 7 + u8 * 8
end
print("many", many(), many(), u1, u8)
-- closures created in a loop and called after the loop, 1000 of them
local total = 0
local list = {}
for i = 1, 1000 do list[i] = function() return i end end
for i = 1, 1000 do total = total + list[i]() end
print("thousand", total)
