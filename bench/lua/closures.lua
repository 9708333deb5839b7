-- closures.lua: creating and calling closures, upvalues.
-- Closures made in a loop (OP_CLOSURE, each capturing fresh locals),
-- counters that read and write their upvalues (GETUPVAL/SETUPVAL), several
-- closures sharing one upvalue while it is open and after it is closed,
-- higher-order functions (map/fold/compose), and a closure per loop
-- iteration capturing the loop variable (each iteration closes it).

local function make_counter(step)
  local n = 0
  return function()
    n = n + step
    return n
  end
end

local function counters(rounds)
  local acc = 0
  for i = 1, rounds do
    local c = make_counter(i % 5 + 1)
    c()
    c()
    acc = acc + c()
  end
  return acc
end

-- Two closures sharing one variable; the variable stays open while the
-- creating function runs and is closed when it returns.
local function make_account()
  local balance = 0
  local function deposit(v)
    balance = balance + v
  end
  local function take(v)
    if v <= balance then
      balance = balance - v
      return true
    end
    return false
  end
  deposit(10)
  return deposit, take
end

local function shared(rounds)
  local deposit, take = make_account()
  local refused = 0
  for i = 1, rounds do
    deposit(i % 4)
    if not take(i % 9) then
      refused = refused + 1
    end
  end
  return refused
end

local function map(f, xs)
  local out = {}
  for i = 1, #xs do
    out[i] = f(xs[i])
  end
  return out
end

local function fold(f, acc, xs)
  for i = 1, #xs do
    acc = f(acc, xs[i])
  end
  return acc
end

local function compose(f, g)
  return function(x)
    return f(g(x))
  end
end

local function higher(rounds)
  local xs = {}
  for i = 1, 100 do
    xs[i] = i
  end
  local total = 0
  for r = 1, rounds do
    local add_r = function(x) return x + r end
    local double = function(x) return 2 * x end
    local ys = map(compose(double, add_r), xs)
    total = total + fold(function(a, b) return a + b end, 0, ys)
  end
  return total
end

-- One closure per iteration, each capturing its own copy of i.
local function per_iteration(rounds)
  local fs = {}
  local acc = 0
  for r = 1, rounds do
    for i = 1, 10 do
      fs[i] = function() return i * r end
    end
    for i = 1, 10 do
      acc = acc + fs[i]()
    end
  end
  return acc
end

print("closures", counters(1000000), shared(2000000), higher(10000),
  per_iteration(100000))
