-- strings.lua: building strings with .., tostring of numbers.
-- Concatenation of short pieces (OP_CONCAT with two and with many
-- operands, numbers coerced to text on the way), a table buffer of pieces
-- joined by a loop of .., tostring of integers and floats, strings used as
-- table keys (interning: equal strings built twice must find one slot),
-- and string comparison with < and ==. Without the string library there is
-- no byte access, so the checksum is made of lengths, counts of distinct
-- strings, counts of order comparisons, and a line of sample conversions.

-- Small records rendered to text, each made by one many-operand concat;
-- the same record text comes back every 6000 rounds.
local function render(rounds)
  local total, distinct = 0, 0
  local seen = {}
  for i = 1, rounds do
    local j = i % 6000
    local s = "item" .. j .. ": x=" .. j % 7 * 3 .. ", y=" .. (j % 97) / 4
      .. ";"
    total = total + #s
    if not seen[s] then
      seen[s] = true
      distinct = distinct + 1
    end
  end
  return total, distinct
end

-- A buffer of number texts, joined into lines by a loop of ..; lines that
-- come out equal must be equal strings.
local function buffers(nlines, width)
  local lines = {}
  local descents = 0
  for l = 1, nlines do
    local buf = {}
    for k = 1, width do
      local v = (l * k) % 1000
      if k % 3 == 0 then
        buf[k] = tostring(v / 8)
      else
        buf[k] = tostring(v)
      end
    end
    local line = ""
    for k = 1, #buf do
      line = line .. buf[k] .. ","
    end
    lines[l] = line
    if l > 1 and line < lines[l - 1] then
      descents = descents + 1
    end
  end
  local keys, distinct, size = {}, 0, 0
  for l = 1, nlines do
    local line = lines[l]
    size = size + #line
    if keys[line] == nil then
      keys[line] = l
      distinct = distinct + 1
    end
  end
  return size, distinct, descents
end

-- Repeated appends to one growing string, restarted when it gets long.
local function append(rounds)
  local s, restarts, lengths = "", 0, 0
  for i = 1, rounds do
    s = s .. (i % 10)
    if #s >= 400 then
      lengths = lengths + #s
      s = ""
      restarts = restarts + 1
    end
  end
  return restarts, lengths + #s
end

-- Conversions whose text is easy to get wrong: rounding to 14 digits,
-- negative zero, a float with an integral value (".0"), exponents,
-- infinities, the smallest integer, and the smallest subnormal float.
local samples = tostring(1 / 3) .. " " .. tostring(-0.0) .. " " .. tostring(3.0)
  .. " " .. tostring(1e15) .. " " .. tostring(2 ^ 53) .. " " .. tostring(1 / 0)
  .. " " .. tostring(-1 / 0) .. " " .. tostring(nil) .. " "
  .. tostring(-9223372036854775807 - 1) .. " " .. 0.1 + 0.2 .. " " .. 1e300 * 10
  .. " " .. 123456789012 * 1000 .. " " .. 2 ^ -1074

local rt, rd = render(150000)
local bs, bd, bdesc = buffers(8000, 40)
local ar, al = append(1000000)
print("strings", rt, rd, bs, bd, bdesc, ar, al)
print(samples)
