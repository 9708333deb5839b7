-- needs: strarith
-- Strings converted to numbers by arithmetic (+ - * / // % ^ and unary -).
-- In Lua 5.4 this coercion is done by the string library's metamethods,
-- so this script needs the string library to be loaded (it never calls
-- it). Bitwise operators never convert strings: see op_bitwise.lua.

local function show(label, ok, v)
  if ok and v ~= v then v = "nan" end
  print(label, ok, v)
end
local function try(label, f) show(label, pcall(f)) end

local s10, shex, sfl, ssp, sexp = "10", "0x10", "2.5", " 3 ", "1e2"
try('"10"+1', function() return s10 + 1 end)
try('1+"10"', function() return 1 + s10 end)
try('"10"+"0x10"', function() return s10 + shex end)
try('"0x10"*2', function() return shex * 2 end)
try('"2.5"*2', function() return sfl * 2 end)
try('" 3 "-1', function() return ssp - 1 end)
try('"1e2"//3', function() return sexp // 3 end)
try('"10"/4', function() return s10 / 4 end)
try('"10"%3', function() return s10 % 3 end)
try('"10"%"3"', function() return s10 % "3" end)
try('"2"^"10"', function() return "2" ^ "10" end)
try('-"2"', function() return -"2" end)
try('-"2.0"', function() return -"2.0" end)
try('-" 0x10 "', function() return -" 0x10 " end)
try('"10"//0', function() return s10 // 0 end)
try('"10"%0', function() return s10 % 0 end)
try('"10"//0.0', function() return s10 // 0.0 end)
try('"9223372036854775807"+1', function() return "9223372036854775807" + 1 end)
try('"9223372036854775808"+0', function() return "9223372036854775808" + 0 end)
try('"0x7fffffffffffffff"+1', function() return "0x7fffffffffffffff" + 1 end)
try('"0xffffffffffffffff"+0', function() return "0xffffffffffffffff" + 0 end)
try('"1e500"+0', function() return "1e500" + 0 end)
try('"-0"+0', function() return "-0" + 0 end)
try('"-0.0"+0', function() return "-0.0" + 0 end)
try('"inf"+0', function() return "inf" + 0 end)
try('"nan"+0', function() return "nan" + 0 end)
try('"abc"+1', function() return "abc" + 1 end)
try('""+1', function() return "" + 1 end)
try('"1 2"+1', function() return "1 2" + 1 end)
try('"10"+true', function() return s10 + true end)
try('"10"+{}', function() local t = {} return s10 + t end)
try('local s: s+1', function() local s = "x" return s + 1 end)
try('upvalue s10..: -s', function() return -shex end)
local t = { f = "z" }
try('field', function() return t.f * 2 end)
