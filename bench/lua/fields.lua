-- fields.lua: table field reads and writes.
-- Records with short-string keys read and written by name (GETFIELD and
-- SETFIELD), nested records (a.b.c), records built by constructors, fields
-- that are absent (nil reads, then first writes that insert a key), string
-- keys held in variables (GETTABLE with a string key), and traversal with
-- ipairs and pairs.

local function particles(n, steps)
  local ps = {}
  for i = 1, n do
    ps[i] = { x = i, y = -i, vx = i % 5 - 2, vy = i % 3 - 1, hits = 0 }
  end
  for _ = 1, steps do
    for i = 1, n do
      local p = ps[i]
      p.x = p.x + p.vx
      p.y = p.y + p.vy
      if p.x > 1000 or p.x < -1000 then
        p.vx = -p.vx
        p.hits = p.hits + 1
      end
      if p.y > 1000 or p.y < -1000 then
        p.vy = -p.vy
        p.hits = p.hits + 1
      end
    end
  end
  local sx, sy, hits = 0, 0, 0
  for i = 1, n do
    local p = ps[i]
    sx, sy, hits = sx + p.x, sy + p.y, hits + p.hits
  end
  return sx, sy, hits
end

-- Three levels of nesting: every access walks the chain again.
local function nested(rounds)
  local world = { config = { limits = { low = 3, high = 17 }, scale = 2 } }
  local acc = 0
  for i = 1, rounds do
    local limits = world.config.limits
    if i % 2 == 0 then
      world.config.limits.low = world.config.limits.low + 1
    else
      limits.high = limits.high + world.config.scale
    end
    acc = acc + world.config.limits.high - world.config.limits.low
  end
  return acc
end

-- Keys held in variables, and fields that appear and disappear: each
-- record first reads missing fields, then inserts them, then clears one.
local names = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta" }
local function dynamic(rounds)
  local count = 0
  for r = 1, rounds do
    local rec = { id = r }
    for k = 1, #names do
      local key = names[k]
      if rec[key] == nil then
        rec[key] = k + r
      end
    end
    rec.gamma = nil
    for k = 1, #names do
      local v = rec[names[k]]
      if v then
        count = count + v % 11
      end
    end
  end
  return count
end

-- Generic for over records: ipairs over an array of records, pairs over
-- each record's fields. Only order-independent sums are kept, since the
-- order of pairs over the hash part is the implementation's choice.
local function traverse(rounds)
  local recs = {}
  for i = 1, 50 do
    recs[i] = { a = i, b = 2 * i, c = i % 7, d = -i, [i] = i }
  end
  local total = 0
  for _ = 1, rounds do
    for _, rec in ipairs(recs) do
      for _, v in pairs(rec) do
        total = total + v
      end
    end
  end
  return total
end

local sx, sy, hits = particles(1000, 2000)
print("fields", sx, sy, hits, nested(2000000), dynamic(200000),
  traverse(1500))
