-- heavy: compiles a chunk with 140000 constants (slow under GC stress)
-- LOADKX: a function with more constants than LOADK's 17-bit index can
-- address loads the later ones with LOADKX + EXTRAARG. The chunk is built
-- as a string (concatenating halves, so the work stays n log n) and
-- compiled with load.

local N = 140000

-- "a=0.5 a=1.5 ... " for constants lo .. hi-1, each a distinct float
local function build(lo, hi)
  if hi - lo <= 32 then
    local s = ""
    for k = lo, hi - 1 do s = s .. "a=" .. k .. ".5 " end
    return s
  end
  local mid = (lo + hi) // 2
  return build(lo, mid) .. build(mid, hi)
end

local body = build(0, N)
print("source bytes", #body)
local chunk = assert(load("local a " .. body .. " return a", "=big"))
print("last", chunk())

-- the first and the last constants read back through a table, so every
-- constant is used as a value
local src = "local t = {} " ..
  build(0, 3) .. " t[1] = a " .. build(N - 3, N) .. " t[2] = a return t"
local t = load(src)()
print("few", t[1], t[2])

-- a function whose constants are strings, read by LOADKX through a table
local function strings(lo, hi)
  if hi - lo <= 32 then
    local s = ""
    for k = lo, hi - 1 do s = s .. "x='k" .. k .. "' " end
    return s
  end
  local mid = (lo + hi) // 2
  return strings(lo, mid) .. strings(mid, hi)
end
local f = load("local x " .. strings(0, N) .. " return x")
print("string constant", f())
