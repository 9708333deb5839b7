-- needs: string
-- Pseudo-random formats for string.pack, string.unpack and
-- string.packsize (a fixed-seed generator, so every run is the same):
-- options of every kind with valid and invalid sizes, endianness and
-- alignment settings, 'X' with good and bad successors, random values and
-- random data strings at random positions. Each result (in hexadecimal)
-- or error is printed, with lua5.4 as the oracle.
local seed = 777
local N = 200
local x = seed
local function rnd(n)
  x = x * 6364136223846793005 + 1442695040888963407
  return ((x >> 33) % n) + 1
end
local function pick(t) return t[rnd(#t)] end
local function hex(s)
  if type(s) ~= 'string' then return tostring(s) end
  local out = ''
  for i = 1, #s do out = out .. string.format('%02x', s:byte(i)) end
  return out
end
-- A pcall's results: the error message as it is, values in hexadecimal.
local function show(ok, ...)
  if not ok then return 'error ' .. tostring((...)) end
  local s = 'ok'
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    s = s .. ' ' .. (type(v) == 'string' and hex(v) or tostring(v))
  end
  return s
end

local opts = {'b', 'B', 'h', 'H', 'l', 'L', 'j', 'J', 'T', 'f', 'd', 'n',
  'i', 'I', 'i1', 'i2', 'i3', 'i5', 'i7', 'i8', 'i9', 'i16', 'I3', 'I9',
  'I16', 'i0', 'i17', 's', 's1', 's2', 's4', 'z', 'x', 'X', 'Xi4', 'Xh',
  'Xb', 'X!', 'Xc', 'c', 'c0', 'c3', ' ', '<', '>', '=', '!', '!1', '!2',
  '!4', '!8', '!16', '!3', '!17', 'w', 'Xz'}
local vals = {0, 1, -1, 127, 128, -128, 255, 256, 32767, -32768, 65535,
  65536, 2^31, -2^31, 2^32, 1 << 40, -(1 << 40),
  9223372036854775807, -9223372036854775807 - 1, 1.5, -0.25, 1e300, 3.0,
  'abc', '', 'a\0b', 'hello world', '12', 1/0}

for i = 1, N do
  local n = rnd(5)
  local fmt = ''
  for _ = 1, n do fmt = fmt .. pick(opts) end
  local args = {}
  local nargs = rnd(5) - 1
  for k = 1, nargs do args[k] = pick(vals) end
  print(i, fmt, 'packsize', show(pcall(string.packsize, fmt)))
  local function up(t, k, n) if k > n then return end return t[k], up(t, k + 1, n) end
  local ok, packed = pcall(string.pack, fmt, up(args, 1, nargs))
  print(i, 'pack', show(ok, packed))
  if ok then
    print(i, 'unpack', show(pcall(string.unpack, fmt, packed)))
    print(i, 'unpack2', show(pcall(string.unpack, fmt, packed .. 'xyz', rnd(5) - 2)))
  end
  local data = ''
  for _ = 1, rnd(20) - 1 do data = data .. string.char(pick({0, 1, 255, 128, 65, 127})) end
  print(i, 'unpackr', hex(data), show(pcall(string.unpack, fmt, data, rnd(3) == 1 and rnd(25) - 12 or nil)))
end
