-- coroutines.lua: resume/yield ping-pong and generators.
-- Values passed both ways through coroutine.resume and coroutine.yield,
-- generators through coroutine.wrap driving a generic for, a pipeline of
-- coroutines (producer -> filter -> consumer), many short-lived coroutines
-- (creation and death), and coroutine.status / isyieldable checks.

local create, resume, yield = coroutine.create, coroutine.resume,
  coroutine.yield
local wrap, status = coroutine.wrap, coroutine.status

-- Ping-pong: each resume passes a value in, each yield passes one out.
local function pingpong(rounds)
  local co = create(function(x)
    while true do
      x = yield(x * 2 + 1)
    end
  end)
  local acc = 0
  for i = 1, rounds do
    local ok, v = resume(co, i % 1000)
    acc = acc + v
  end
  return acc, status(co)
end

-- A generator of the integers in [a, b] that are not multiples of k.
local function range_without(a, b, k)
  return wrap(function()
    for i = a, b do
      if i % k ~= 0 then
        yield(i)
      end
    end
  end)
end

local function generators(rounds)
  local acc = 0
  for r = 1, rounds do
    for v in range_without(r, r + 200, 3) do
      acc = acc + v
    end
  end
  return acc
end

-- Producer -> filter -> consumer, each stage a coroutine.
local function pipeline(n)
  local producer = wrap(function()
    for i = 1, n do
      yield(i)
    end
    yield(nil)
  end)
  local filter = wrap(function()
    while true do
      local v = producer()
      if v == nil then
        yield(nil)
        return
      end
      if v % 2 == 1 then
        yield(v * v)
      end
    end
  end)
  local sum, count = 0, 0
  while true do
    local v = filter()
    if v == nil then
      break
    end
    sum, count = sum + v % 1000003, count + 1
  end
  return sum, count
end

-- Many short coroutines: each is created, yields twice, and dies.
local function short_lived(rounds)
  local dead = 0
  for i = 1, rounds do
    local co = create(function(a, b)
      local c = yield(a + b)
      yield(c * 2, coroutine.isyieldable())
      return "done"
    end)
    local _, s = resume(co, i, 1)
    local _, d, y = resume(co, s)
    local _, last = resume(co)
    if last == "done" and y and status(co) == "dead" and d == 2 * (i + 1) then
      dead = dead + 1
    end
  end
  return dead
end

local pp, st = pingpong(2000000)
local sum, count = pipeline(800000)
print("coroutines", pp, st, generators(8000), sum, count, short_lived(200000))
