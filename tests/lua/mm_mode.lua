-- Weak tables (__mode): after a full collection, entries whose weak key
-- or weak value was only reachable through weak references are removed.
-- Strings, numbers and booleans are values, never collected. Weak-key
-- tables are ephemerons: a value that refers to its own key does not keep
-- the key alive. Counts are printed, never addresses or hash order.

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- weak values
local wv = setmetatable({}, { __mode = "v" })
local keep = {}
wv[1] = keep
wv[2] = {}
wv[3] = "a string"
wv[4] = 42
wv.x = function() end
wv.y = {}
collectgarbage()
print("weak values", count(wv), wv[1] == keep, wv[2], wv[3], wv[4], wv.x, wv.y)

-- weak keys
local wk = setmetatable({}, { __mode = "k" })
local k1 = {}
wk[k1] = "kept"
wk[{}] = "dropped"
wk["str"] = {}
wk[1] = {}
wk[true] = "bool"
collectgarbage()
print("weak keys", count(wk), wk[k1], wk.str ~= nil, wk[1] ~= nil, wk[true])

-- weak keys and values
local wkv = setmetatable({}, { __mode = "kv" })
local k2, v2 = {}, {}
wkv[k2] = v2          -- both alive
wkv[{}] = v2          -- dead key
wkv[1] = {}           -- dead value, number key
wkv.s = "s"           -- neither collectable
collectgarbage()
print("weak kv", count(wkv), wkv[k2] == v2, wkv[1], wkv.s)

-- ephemeron: the value refers to the key; both go away
local eph = setmetatable({}, { __mode = "k" })
do
  local key = {}
  eph[key] = { owner = key }
  local key2 = {}
  eph[key2] = { owner = key2 }
  keep.key2 = key2     -- this one stays
end
collectgarbage()
print("ephemeron", count(eph), eph[keep.key2].owner == keep.key2)
-- a chain of ephemerons kept alive by its first key
local chain = setmetatable({}, { __mode = "k" })
do
  local a, b, c = {}, {}, {}
  chain[a] = b; chain[b] = c; chain[c] = "end"
  keep.a = a
end
collectgarbage()
print("chain", count(chain), chain[chain[chain[keep.a]]])
keep.a = nil
collectgarbage()
print("chain released", count(chain))

-- a weak-valued cache
local cache = setmetatable({}, { __mode = "v" })
local function get(n)
  local v = cache[n]
  if not v then v = { n = n }; cache[n] = v end
  return v
end
local held = {}
for i = 1, 10 do
  local v = get(i)
  if i % 2 == 0 then held[#held + 1] = v end
end
collectgarbage()
print("cache", count(cache), get(2) == held[1], get(3).n)

-- the mode may be set after entries exist; a table becomes strong again
local late = {}
late[1] = {}
setmetatable(late, { __mode = "v" })
collectgarbage()
print("late mode", count(late))
local strong = setmetatable({}, { __mode = "v" })
getmetatable(strong).__mode = nil
strong[1] = {}
collectgarbage()
print("mode removed", count(strong))

-- objects being finalized are removed from weak values before __gc runs,
-- and from weak keys after
local wvals = setmetatable({}, { __mode = "v" })
local wkeys = setmetatable({}, { __mode = "k" })
do
  local o = setmetatable({}, { __gc = function(o)
    print("in __gc: weak value", wvals[1] == nil, "weak key",
          wkeys[o] ~= nil)
  end })
  wvals[1] = o
  wkeys[o] = true
end
collectgarbage()
collectgarbage()
print("after __gc", count(wvals), count(wkeys))
