-- Arithmetic and bitwise metamethods: __add __sub __mul __div __mod __pow
-- __unm __idiv __band __bor __bxor __shl __shr __bnot, reached from the
-- register forms (MMBIN), the immediate forms (MMBINI: t + 1, t >> 1,
-- 1 << t) and the constant forms (MMBINK: t * 2.5, t & 0xff), with the
-- table on either side (operands keep their order), the left operand's
-- metamethod tried first, and the errors when neither has one.

local function try(label, f) print(label, pcall(f)) end

local events = { "add", "sub", "mul", "div", "mod", "pow", "unm", "idiv",
                 "band", "bor", "bxor", "shl", "shr", "bnot" }
local function show(v)
  if type(v) == "table" then return "<" .. tostring(v.tag) .. ">" end
  return tostring(v)
end
-- every handler reports its event and operands
local mt = {}
for _, e in ipairs(events) do
  mt["__" .. e] = function(a, b)
    return e .. "(" .. show(a) .. "," .. show(b) .. ")"
  end
end
local A = setmetatable({ tag = "A" }, mt)
local B = setmetatable({ tag = "B" }, mt)
local n, f = 7, 2.5

print("register", A + B, A - B, A * B, A / B, A % B, A ^ B, A // B)
print("register", A & B, A | B, A ~ B, A << B, A >> B)
print("unary", -A, ~A)
print("number left", n + A, n - A, n * A, n / A, n % A, n ^ A, n // A)
print("number left", n & A, n | A, n ~ A, n << A, n >> A)
print("float right", A + f, A - f, A * f, A / f, A % f, A ^ f, A // f)
-- immediates (MMBINI) and constants (MMBINK), table on either side
print("imm", A + 1, 1 + A, A - 1, A >> 1, A << 1, 1 << A, 1 >> A)
print("K", A * 2.5, 2.5 * A, A % 3, A ^ 2, A / 4, A // 5, 100 - A)
print("K bit", A & 0xff, 0xff & A, A | 1, A ~ 2, 0x10 ~ A)
print("K big", A + 1000000, A - 0.5, A * (1 << 40))
-- strings, booleans and nil as the other operand
local nothing
print("other", A + "s", "10" + A, true - A, A * nothing, A & "x", nil ~ A)
-- a float without an integer value still goes to the metamethod
local half = 1.5
print("float", A & half, half | A, A << 2.5, A // half)

-- the left operand's metamethod wins; the right one's is the fallback
local C = setmetatable({ tag = "C" }, { __add = function() return "C's add" end })
local plain = { tag = "plain" }
print("order", A + C, C + A, plain + A, A + plain, C + plain)
-- results are adjusted to one value; any type may be returned
local multi = setmetatable({}, { __mul = function() return 1, 2, 3 end,
                                 __div = function() return nil end,
                                 __mod = function() return false end })
print("results", multi * 1, multi / 1, multi % 1)

-- a small vector type used in expressions and a loop
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__idiv = function(a, k) return vec(a.x // k, a.y // k) end
function V:str() return "(" .. self.x .. "," .. self.y .. ")" end
local p = vec(1, 2)
for _ = 1, 5 do p = p + vec(1, 1) * 2 - vec(0, 1) end
print("vector", p:str(), (-p):str(), (p * p), (2 * p):str(), (p // 2):str())

-- errors
try("table + 1", function() local t = {} return t + 1 end)
try("1 - table", function() local t = {} return 1 - t end)
try("field * field", function() local t = { a = {}, b = 2 } return t.a * t.b end)
try("-table", function() local t = {} return -t end)
try("nil field", function() local t = {} return t.n + 1 end)
try("global nil", function() return undefined_n * 2 end)
try("upvalue", function() return plain ^ 2 end)
try("table & 1", function() local t = {} return t & 1 end)
try("~table", function() local t = {} return ~t end)
try("mt without event", function()
  local t = setmetatable({}, { __add = function() return 0 end })
  return t - 1
end)
try("handler error", function()
  local t = setmetatable({}, { __div = function() error("no division", 0) end })
  return t / 2
end)
