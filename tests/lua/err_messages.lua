-- Runtime error messages with the variable information Lua derives from
-- the bytecode (global, field, local, upvalue, method, constant), each
-- caught by pcall and printed with its position.

local function try(label, f) print(label, pcall(f)) end

-- indexing
try("global", function() return x.a end)
try("field", function() local t = {} return t.y.z end)
try("local", function() local z; return z.k end)
local w
try("upvalue", function() return w.k end)
try("global field", function() return _ENV.nothere.k end)
try("nested field", function() local t = { a = {} } return t.a.b.c end)
try("integer key", function() local t = {} return t[1].x end)
try("string key in brackets", function() local t = {} return t["key"].x end)
try("variable key", function() local t, k = {}, "dyn" return t[k].x end)
try("set field on nil", function() local t = {} t.y.z = 1 end)
try("set global field", function() undefined_tbl.z = 1 end)
try("index a number", function() local n = 1 return n.x end)
try("index a boolean upvalue", function() local b = true return (function() return b.x end)() end)
-- calling
try("call nil global", function() not_a_function() end)
try("call nil field", function() local t = {} t.f() end)
try("call nil method", function() local t = {} t:m() end)
try("call table method", function() local t = { m = {} } t:m() end)
try("call number local", function() local n = 3 n() end)
try("call upvalue", function() return w() end)
try("call string constant", function() return ("str")() end)
try("call boolean result", function() local function f() return true end return f()() end)
-- arithmetic
try("arith nil field", function() local t = {} return t.n + 1 end)
try("arith nil local", function() local n return n * 2 end)
try("arith table upvalue", function() local t = {} return (function() return t - 1 end)() end)
try("arith boolean constant", function() return 1 + true end)
try("unary minus nil", function() local n return -n end)
-- concatenation
try("concat boolean local b", function() local b = false return "x" .. b end)
try("concat nil global", function() return "x" .. no_such_global end)
try("concat table field", function() local t = { f = {} } return t.f .. "x" end)
-- comparison
try("compare number with nil", function() local n return 1 < n end)
try("compare nil with number", function() local n return n < 1 end)
try("compare two tables", function() return {} < {} end)
try("compare string with number", function() return "10" < 5 end)
try("compare number with boolean", function() return 1 <= false end)
-- length
try("length of nil", function() local t return #t end)
try("length of number field", function() local t = { n = 1 } return #t.n end)
-- bitwise
try("bitwise on float", function() return 1.5 | 0 end)
try("bitwise on float local", function() local f = 0.5 return f & 1 end)
try("bitwise on nil", function() local n return n ~ 1 end)
-- integer division and modulo by zero
try("n//0", function() local a, b = 10, 0 return a // b end)
try("n%0", function() local a, b = 10, 0 return a % b end)
try("float n//0 is fine", function() local a, b = 10.0, 0 return a // b end)
-- for loop errors
try("for initial", function() for i = "x", 2 do end end)
try("for limit", function() for i = 1, {} do end end)
try("for step", function() for i = 1, 2, nil do end end)
try("for step zero", function() for i = 1, 2, 0 do end end)
-- table keys
try("nil index", function() local t = {} t[nil] = 1 end)
try("NaN index", function() local t, z = {}, 0 t[z / z] = 1 end)
-- conversions
try("no integer rep", function() local t = {} t[1 << 63.5] = 1 end)
try("float to int in shift", function() return 1 << 1.5 end)
-- errors inside nested functions carry the innermost position
local function level3() local t; return t.deep end
local function level2() return level3() + 1 end
local function level1() return level2() end
try("nested", level1)
