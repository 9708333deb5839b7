-- Calls, methods, multiple results, varargs and tail calls.
local function f(...) return ... end
local function g(a, b, ...)
  local x, y = ...
  local z = select('#', ...)
  return a, b, x, y, z, ...
end
print("hello")
print "hello"
print [[long string]]
print {1, 2}
print()
print(1, 2, 3)
print(f())
print(f(), 1)
print(1, f())
print((f()))
local o = {}
o:m()
o:m(1, 2)
o:m(f())
o.x:m "str"
o.x.y:m {1}
o["a"]:m()
local r1, r2, r3 = f(1, 2, 3)
local s1 = f(1)
local s2, s3 = f()
local s4, s5, s6 = 1, f()
local s7, s8 = 1, 2, 3
local s9, s10 = ...
local all = {...}
local n = select("#", ...)
f(...)
f(1, ...)
f(..., 1)
g(f(f(f())))
local function h() return f() end
local function h2() return f(), 1 end
local function h3() return (f()) end
local function h4() return o:m(1) end
local function h5(...) return ... end
local function h6(...) return 1, ... end
local function h7() return end
local function h8() return 1 end
local function h9() return 1, 2 end
local function h10(a) return a end
local function h11(a) local b = a; return b, a end
return f(1, 2)
