-- Classes with metatables, inheritance, methods and closures over self.
local Account = {}
Account.__index = Account

function Account.new(owner, balance)
  local self = setmetatable({}, Account)
  self.owner = owner
  self.balance = balance or 0
  self.history = {}
  return self
end

function Account:deposit(v)
  if v <= 0 then error("invalid amount: " .. tostring(v)) end
  self.balance = self.balance + v
  self.history[#self.history + 1] = {kind = "deposit", amount = v}
end

function Account:withdraw(v)
  if v > self.balance then
    return nil, "insufficient funds"
  end
  self.balance = self.balance - v
  table.insert(self.history, {kind = "withdraw", amount = v})
  return self.balance
end

function Account:report()
  local lines = {}
  for i, h in ipairs(self.history) do
    lines[i] = string.format("%d %s %.2f", i, h.kind, h.amount)
  end
  return table.concat(lines, "\n")
end

local Savings = setmetatable({}, {__index = Account})
Savings.__index = Savings
Savings.rate = 0.03

function Savings.new(owner, balance, rate)
  local self = Account.new(owner, balance)
  self.rate = rate
  return setmetatable(self, Savings)
end

function Savings:accrue(months)
  for _ = 1, months do
    self.balance = self.balance * (1 + self.rate / 12)
  end
  return self.balance
end

function Savings:counter()
  local n = 0
  return function(step)
    n = n + (step or 1)
    self.balance = self.balance + n
    return n, self
  end
end

local mt = {
  __add = function(a, b) return Account.new(a.owner, a.balance + b.balance) end,
  __eq = function(a, b) return a.balance == b.balance end,
  __lt = function(a, b) return a.balance < b.balance end,
  __le = function(a, b) return a.balance <= b.balance end,
  __tostring = function(a) return "Account(" .. a.owner .. ")" end,
  __call = function(self, ...) return self:report(...) end,
  __close = function() end,
  __len = function(a) return #a.history end,
}
for k, v in pairs(mt) do Account[k] = v end

local a = Account.new("ann", 100)
local s = Savings.new("bob", 50, 0.05)
a:deposit(10)
print(a:withdraw(5), s:accrue(12), a + s, a == s, a < s, #a, a())
local c = s:counter()
print(c(), c(2), c())
return Account, Savings
