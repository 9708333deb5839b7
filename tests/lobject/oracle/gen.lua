-- Generates oracle.txt: what lua5.4 answers for thousands of inputs to the
-- services of lobject.c. Run from the project root:
--   lua5.4 tests/lobject/oracle/gen.lua > tests/lobject/oracle/oracle.txt
-- The output is deterministic (fixed seed); test_oracle.cpp checks every
-- line against our implementation.
--
-- Line formats (fields separated by one space):
--   S <str> <num>            tonumber(str): a number, or '-' for nil
--   T <num> <text>           tostring(num)
--   A <op> <num> <num> <res> the operator on two numbers (unary ones get
--                            the operand twice); <res> is a number,
--                            'noint' (no integer representation) or
--                            'err:<message>' (rest of the line)
--   C <str> <str>            chunk name -> chunk id in messages
-- <str> is 'x' followed by the bytes in hex. <num> is 'i:<decimal>' for an
-- integer or 'f:<%a>' for a float; a NaN is 'f:nan:<its 64 bits in hex>'.

math.randomseed(20240501)

local out = {}
local function emit(...) out[#out + 1] = table.concat({...}, " ") end

local function hex(s)
  local function byte(c) return string.format("%02x", c:byte()) end
  return "x" .. s:gsub(".", byte)
end

local function num(v)
  if math.type(v) == "integer" then return "i:" .. string.format("%d", v) end
  if v ~= v then
    local bits = string.unpack("<i8", string.pack("<d", v))
    return string.format("f:nan:%016x", bits)
  end
  return "f:" .. string.format("%a", v)
end

local function frombits(i)
  return (string.unpack("<d", string.pack("<i8", i)))
end
local function randbits()
  return math.random(math.mininteger, math.maxinteger)
end

---------------------------------------------------------------------------
-- string -> number
---------------------------------------------------------------------------

local numerals = {
  "", " ", "0", "1", "-1", "+1", "- 1", "--1", "+-1", "10", "007", "1.",
  "5.", ".5", ".", "-.", "+.5", "-.5", "1e", "1e+", "1e-", "1e5", "1E5",
  "1e+5", "1e-5", "1.5e3", ".5e1", "5.e1", "e5", "1e5.5", "1e400",
  "-1e400", "1e-400", "2.5e-324", "4.9e-324", "1.7976931348623157e308",
  "1.7976931348623159e308", "0x", "0X", "0x1", "0X1", "0xA", "0xa",
  "0xfF", "-0x1", "+0x10", "0x.", "0x.8", "0x8.", "0x1p4", "0x1P4",
  "0x1p-1074", "0x1p-1075", "0x1p1024", "0x.1p4", "0x1.8", "0xp1",
  "0x1p", "0x1p+", "0xg", "0x1g", "1x", "0x0x1", "00x1", "x1",
  "0xffffffffffffffff", "0x7fffffffffffffff", "0x8000000000000000",
  "0xffffffffffffffffff", "0x10000000000000000", "-0xffffffffffffffff",
  "9223372036854775807", "9223372036854775808", "9223372036854775809",
  "-9223372036854775808", "-9223372036854775809", "-9223372036854775807",
  "18446744073709551615", "18446744073709551616",
  "99999999999999999999999999999", "00000000000000000000000000001",
  "inf", "-inf", "+inf", "INF", "Inf", "infinity", "nan", "-nan", "NaN",
  "NAN", "nan(1)", "0xinf", "1n", "1 n", " 1", "1 ", " 1 ", "\t1\n",
  "\v\f\r 1 \t\n", "1\0", " 0x10 ", "1 2", "1..2", "1.2.3", "1e5e5",
  "0e0", "-0", "-0.0", "+0.0", "0.0", "-0x0", "1_000", "１", "1f", "1d",
  "1L", "0b101", "0o17", "3.14159265358979323846264338327950288",
  "123456789012345678", "0.1", "1e-7", "1e15", "1e16", "  -  1",
}

local function randnumeral()
  local alphabet = "0123456789abcdefxXpPeE.+- \t\n"
  local t = {}
  for _ = 1, math.random(0, 12) do
    local k = math.random(#alphabet)
    t[#t + 1] = alphabet:sub(k, k)
  end
  return table.concat(t)
end

local function digits(n, set)
  local t = {}
  for i = 1, n do
    local k = math.random(#set)
    t[i] = set:sub(k, k)
  end
  return table.concat(t)
end

local function pad(s)
  local spaces = { "", "", "", " ", "  ", "\t", "\n", " \r\n" }
  local signs = { "", "", "", "-", "+" }
  return spaces[math.random(#spaces)] .. signs[math.random(#signs)] .. s ..
         spaces[math.random(#spaces)]
end

local function structured()
  local dec, hx = "0123456789", "0123456789abcdefABCDEF"
  local kind = math.random(6)
  if kind == 1 then return pad(digits(math.random(1, 21), dec)) end
  if kind == 2 then return pad("0x" .. digits(math.random(1, 20), hx)) end
  if kind == 3 then
    return pad(digits(math.random(0, 8), dec) .. "." ..
               digits(math.random(0, 8), dec))
  end
  if kind == 4 then
    return pad(digits(math.random(1, 6), dec) .. "e" ..
               ({ "", "+", "-" })[math.random(3)] ..
               digits(math.random(1, 3), dec))
  end
  if kind == 5 then
    return pad("0x" .. digits(math.random(0, 6), hx) .. "." ..
               digits(math.random(0, 6), hx) .. "p" ..
               ({ "", "+", "-" })[math.random(3)] ..
               digits(math.random(1, 4), dec))
  end
  return pad(string.format("%.17g", frombits(randbits())))
end

local function str2num(s)
  if s:find("\0", 1, true) then return end  -- the test passes C strings
  local v = tonumber(s)
  emit("S", hex(s), v == nil and "-" or num(v))
end

for _, s in ipairs(numerals) do str2num(s) end
for _ = 1, 1500 do str2num(randnumeral()) end
for _ = 1, 1500 do str2num(structured()) end

---------------------------------------------------------------------------
-- Numbers used below: hand-picked edges plus random ones.
---------------------------------------------------------------------------

local maxi, mini = math.maxinteger, math.mininteger
local edgeints = {
  0, 1, -1, 2, -2, 3, -3, 7, -7, 10, 63, 64, 65, -63, -64, -65,
  maxi, mini, maxi - 1, mini + 1, 1 << 31, 1 << 32, 1 << 53, (1 << 53) + 1,
  1 << 62, -(1 << 62), 1234567, -987654321,
}
local nan = 0.0 / 0.0  -- on x86-64 this NaN has its sign bit set
local edgefloats = {
  0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.0, -2.0, 3.0, 7.25,
  -7.25, 0.1, 1e15, 1e16, 2.0^53, 2.0^53 + 2, 2.0^63, -2.0^63, 2.0^64,
  -2.0^64, 1e308, -1e308, 2.0^-1074, -2.0^-1074, 2.0^-1022,
  math.huge, -math.huge, nan, -nan, math.pi, -math.pi, 123456.789,
  1e100, 1e-100, 9007199254740993.0, 4503599627370495.5,
}

local function randint()
  local k = math.random(4)
  if k == 1 then return randbits() end
  if k == 2 then return math.random(-100, 100) end
  if k == 3 then return math.random(-(1 << 40), 1 << 40) end
  return edgeints[math.random(#edgeints)]
end

local function randfloat()
  local k = math.random(6)
  if k == 1 then return frombits(randbits()) end
  if k == 2 then return (math.random() - 0.5) * 200 end
  if k == 3 then return math.random(-1000, 1000) + 0.0 end
  if k == 4 then return (math.random() + 0.5) * 2.0^math.random(-1074, 1023) end
  if k == 5 then return math.floor(math.random() * 2.0^math.random(0, 70)) end
  return edgefloats[math.random(#edgefloats)]
end

local function randnum()
  if math.random(2) == 1 then return randint() end
  return randfloat()
end

---------------------------------------------------------------------------
-- number -> string
---------------------------------------------------------------------------

local function tostr(v) emit("T", num(v), tostring(v)) end
for _, v in ipairs(edgeints) do tostr(v) end
for _, v in ipairs(edgefloats) do tostr(v) end
for _, v in ipairs{ 1e14, 1e-5, 1e-4, 123456789012345.0, 12345678901234.5,
                    0.30000000000000004, 100.0, -100.0, 3.0e-310 } do
  tostr(v)
end
for _ = 1, 800 do tostr(randint()) end
for _ = 1, 1500 do tostr(randfloat()) end

---------------------------------------------------------------------------
-- arithmetic
---------------------------------------------------------------------------

local ops = {
  { "add", function(a, b) return a + b end },
  { "sub", function(a, b) return a - b end },
  { "mul", function(a, b) return a * b end },
  { "mod", function(a, b) return a % b end },
  { "pow", function(a, b) return a ^ b end },
  { "div", function(a, b) return a / b end },
  { "idiv", function(a, b) return a // b end },
  { "band", function(a, b) return a & b end },
  { "bor", function(a, b) return a | b end },
  { "bxor", function(a, b) return a ~ b end },
  { "shl", function(a, b) return a << b end },
  { "shr", function(a, b) return a >> b end },
  { "unm", function(a) return -a end },
  { "bnot", function(a) return ~a end },
}

local function arith(op, a, b)
  local ok, r = pcall(op[2], a, b)
  local res
  if ok then
    res = num(r)
  elseif r:find("has no integer representation", 1, true) then
    res = "noint"
  else
    res = "err:" .. r:gsub("^[^:]*:%d+: ", "")
  end
  emit("A", op[1], num(a), num(b), res)
end

-- Every pair of a small set of edges, for every operator.
local edges = { 0, 1, -1, 2, -2, 3, 63, 64, -64, maxi, mini, 5, -5,
                0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 2.0^63, -2.0^63,
                math.huge, -math.huge, nan, -nan, 1e308, 2.0^-1074 }
for _, op in ipairs(ops) do
  local unary = op[1] == "unm" or op[1] == "bnot"
  for _, a in ipairs(edges) do
    if unary then
      arith(op, a, a)
    else
      for _, b in ipairs(edges) do arith(op, a, b) end
    end
  end
end

-- Random operands of both types, and the shifts by small amounts.
for _, op in ipairs(ops) do
  local unary = op[1] == "unm" or op[1] == "bnot"
  for _ = 1, 250 do
    local a = randnum()
    arith(op, a, unary and a or randnum())
  end
  if op[1] == "shl" or op[1] == "shr" then
    for _ = 1, 100 do arith(op, randint(), math.random(-70, 70)) end
  end
end

---------------------------------------------------------------------------
-- chunk ids: lua5.4 shows them in the message of a syntax error
---------------------------------------------------------------------------

local function chunkid(name)
  local _, msg = load("x=", name)
  local id = msg:gsub(":1: unexpected symbol near <eof>$", "")
  emit("C", hex(name), hex(id))
end

local letters = "abcdefghijklmnopqrstuvwxyz0123456789/._"
for len = 0, 130 do
  local s = digits(len, letters)
  chunkid(s)
  chunkid("=" .. s)
  chunkid("@" .. s)
  if len > 0 then
    local k = math.random(len)
    chunkid(s:sub(1, k - 1) .. "\n" .. s:sub(k + 1))
  end
end

io.write(table.concat(out, "\n"), "\n")
