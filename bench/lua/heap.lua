-- heap.lua: many small objects alive at once, for the peak-memory column.
-- Builds a chain of records (tables with four fields), an array of
-- distinct short strings, a closure with its own upvalue per record, and
-- a table used as a set of those strings; keeps all of it alive, then
-- drops it and builds a second heap of the same shape, so that the
-- collector has a full heap to free as well.

local N = 200000

local function build(seed)
  local heap = { records = {}, strings = {}, closures = {}, set = {} }
  for i = 1, N do
    local s = "k" .. (i * 7919 + seed) % 1000003
    heap.strings[i] = s
    heap.set[s] = i
    heap.records[i] = {
      id = i, name = s, next = heap.records[i - 1], weight = i * 0.5
    }
    local captured = i
    heap.closures[i] = function() return captured + seed end
  end
  return heap
end

-- Reads a sample of everything, so that nothing can be left unbuilt.
local function checksum(heap)
  local sum = 0
  for i = 1, N, 97 do
    local r = heap.records[i]
    sum = sum + r.id + #r.name + heap.closures[i]() + heap.set[heap.strings[i]]
    if r.next then sum = sum + r.next.id end
  end
  return sum
end

local first = build(1)
local a = checksum(first)
first = nil
collectgarbage()
local second = build(2)
print("heap", a, checksum(second))
