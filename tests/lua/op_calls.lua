-- Calls and returns: CALL with fixed and open argument and result counts,
-- SELF (method calls, incl. on nested fields), RETURN RETURN0 RETURN1,
-- missing arguments filled with nil, extra ones dropped, calls as
-- statements and in expressions, and calling through tables of functions.

local function try(label, f) print(label, pcall(f)) end

local function zero() end
local function one() return 1 end
local function two() return 1, 2 end
local function many() return 1, 2, 3, 4, 5 end
print("zero", zero())
print("one", one())
print("two", two())
print("adjusted", (many()), one(), two(), zero())
local a, b, c, d = two()
print("locals", a, b, c, d)
local x, y = zero(), one()
print("zero then one", x, y)
local t = { zero(), one(), two() }
print("table", t[1], t[2], t[3], t[4])
-- parameters: missing ones are nil, extra ones dropped
local function params(p, q, r) return p, q, r end
print("params", params(1))
print("params extra", params(1, 2, 3, 4, 5))
print("params from call", params(two()))
print("params open", params(0, two()))

-- method calls (SELF): the object is passed as the first argument
local Account = { balance = 0 }
function Account.new(initial)
  return { balance = initial, deposit = Account.deposit, show = Account.show }
end
function Account:deposit(v) self.balance = self.balance + v return self end
function Account:show() return "balance " .. self.balance end
local acc = Account.new(10)
acc:deposit(5):deposit(20)
print(acc:show(), Account.show(acc), acc.show(acc))
-- a method reached through fields, and with a string-keyed name
local deep = { a = { b = { c = acc } } }
print("deep", deep.a.b.c:show())
local obj = { ["long method name"] = function(self, v) return v * 2 end }
print("string key method", obj["long method name"](obj, 21))
-- a method of a table with many fields (its hash part is large)
local big = {}
for i = 1, 300 do big["m" .. i] = i end
big.method300 = function(self, n) return self.m300 + n end
print("method", big:method300(1))

-- functions in tables, called by computed keys
local ops = {
  add = function(p, q) return p + q end,
  sub = function(p, q) return p - q end,
}
local results = ""
for _, name in ipairs({ "add", "sub", "add" }) do
  results = results .. name .. "=" .. ops[name](10, 3) .. " "
end
print(results)
-- a call result used immediately: index, call again
local function maker() return { field = "value" }, function() return "called" end end
print("index result", maker().field, (select(2, maker()))())
local function curry(p) return function(q) return function(r) return p .. q .. r end end end
print("curried", curry("a")("b")("c"))
-- string and table call syntax
local function id(v) return v end
print("call syntax", id "literal", id { "table" } [1], id [[long]])
-- deep non-tail recursion within limits
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print("depth", depth(10000))

-- errors
try("call nil", function() local f; f() end)
try("call number", function() local n = 1; n() end)
try("call global", function() undefined_function() end)
try("call field", function() local tt = {} tt.missing() end)
try("call method", function() local tt = {} tt:missing() end)
try("method on nil", function() local tt; tt:m() end)
try("method is table", function() local tt = { m = {} } tt:m() end)
try("call upvalue", function() return acc() end)
try("call result", function() return one()() end)
try("call string", function() ("x")() end)
