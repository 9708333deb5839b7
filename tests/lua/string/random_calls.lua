-- needs: string
-- Pseudo-random calls (a fixed-seed generator, so every run is the same)
-- of find, match, gmatch, gsub (string, table and function replacements)
-- and format, with patterns built from every kind of item and quantifier
-- (malformed ones included) and specifications with every flag, width,
-- precision and conversion (refused ones included). Each result or error
-- is printed, so lua5.4 is the oracle for about a thousand combinations.
local seed = 20240601
local N = 300
local x = seed
local function rnd(n)
  x = x * 6364136223846793005 + 1442695040888963407
  return ((x >> 33) % n) + 1
end
local function pick(t) return t[rnd(#t)] end

local function show(...)
  local n = select('#', ...)
  local out = {}
  for i = 1, n do
    local v = select(i, ...)
    out[#out + 1] = type(v) == 'string' and ('"' .. v .. '"') or tostring(v)
  end
  local s = ''
  for i = 1, #out do s = s .. (i > 1 and ' ' or '') .. out[i] end
  return s
end

local items = {'a', 'b', 'c', '.', '%a', '%d', '%s', '%w', '%W', '%S', '%p',
  '%l', '%u', '%x', '%c', '%g', '%G', '[abc]', '[^a-c]', '[%d_]', '[a-]',
  '[]]', '[^]]', '[%a%s]', '(', ')', '()', '%1', '%2', '%b()', '%bab',
  '%f[%w]', '%f[%W]', '%f[a]', '^', '$', '%', '[', '%.', '%%', '-', ' ',
  '1', '%z', '[%]]', '[a-c%d]', '%0'}
local quants = {'', '', '', '*', '+', '-', '?'}
local chars = {'a', 'b', 'c', ' ', '1', '2', '(', ')', '_', '\n', '.', '%',
  'A', 'B', '\0', '[', ']', 'x'}

local function randpattern()
  local n = rnd(5) - 1
  local p = ''
  for _ = 1, n do p = p .. pick(items) .. pick(quants) end
  return p
end
local function randsubject()
  local n = rnd(12) - 1
  local s = ''
  for _ = 1, n do s = s .. pick(chars) end
  return s
end
local repls = {'x', '%0', '%1', '[%1|%2]', '%%', '%', '', '<%0>', 7, 1.5,
  '%3', '%a'}

for i = 1, N do
  local s, p = randsubject(), randpattern()
  local kind = rnd(6)
  if kind == 1 then
    local init = rnd(3) == 1 and (rnd(21) - 11) or nil
    local plain = rnd(4) == 1 or nil
    print(i, 'find', show(s, p, init, plain),
          show(pcall(string.find, s, p, init, plain)))
  elseif kind == 2 then
    local init = rnd(3) == 1 and (rnd(21) - 11) or nil
    print(i, 'match', show(s, p, init), show(pcall(string.match, s, p, init)))
  elseif kind == 3 then
    local init = rnd(3) == 1 and (rnd(21) - 11) or nil
    local ok, it = pcall(string.gmatch, s, p, init)
    local res = {}
    if ok then
      local ok2, err = pcall(function()
        for _ = 1, 20 do
          local a, b = it()
          if a == nil then break end
          res[#res + 1] = show(a, b)
        end
      end)
      if not ok2 then res[#res + 1] = 'ERR ' .. err end
    end
    local line = ''
    for j = 1, #res do line = line .. '{' .. res[j] .. '}' end
    print(i, 'gmatch', show(s, p, init), line)
  elseif kind == 4 then
    local r = pick(repls)
    local max = rnd(4) == 1 and (rnd(5) - 2) or nil
    print(i, 'gsub', show(s, p, r, max), show(pcall(string.gsub, s, p, r, max)))
  elseif kind == 5 then
    local t = {a = 'A', b = false, ['1'] = 1, [''] = 'E', ab = 'AB'}
    print(i, 'gsubt', show(s, p), show(pcall(string.gsub, s, p, t)))
  else
    local calls = 0
    local f = function(...)
      calls = calls + 1
      if calls % 3 == 0 then return nil end
      return show(...)
    end
    print(i, 'gsubf', show(s, p), show(pcall(string.gsub, s, p, f)))
  end
end

-- format
local flags = {'', '', '-', '+', ' ', '#', '0', '-0', '+ ', '#0', '- +#0'}
local convs = {'d', 'i', 'u', 'o', 'x', 'X', 'c', 'a', 'A', 'e', 'E', 'f',
  'g', 'G', 's', 'q', 'F', 'y', 'l', 'p', '%'}
local args = {0, 1, -1, 255, 65, 1234567,
  9223372036854775807, -9223372036854775807 - 1, 1.5, -0.0, 0.1, 1e300,
  -1e-300, 1/0, -1/0, 3.0, 2^53, 'abc', '', 'a\0b', '10', ' 0x10 ', '1.5',
  string.rep('y', 120), true, false,
  setmetatable({}, {__tostring = function() return 'T!' end}),
  'line\nnext"q"\\\r\0019\127\200'}
for i = 1, N do
  local w = rnd(4) == 1 and tostring(rnd(120) - 1) or ''
  local pr = rnd(3) == 1 and ('.' .. (rnd(2) == 1 and '' or tostring(rnd(120) - 1))) or ''
  local conv = pick(convs)
  local spec = '%' .. pick(flags) .. w .. pr .. conv
  local a = args[rnd(#args)]
  if conv == 'p' and (type(a) == 'string' or type(a) == 'table') then a = 1 end
  print(i, 'format', show(spec, a), show(pcall(string.format, spec, a)))
  print(i, 'format2', show(pcall(string.format, 'x' .. spec .. 'y' .. spec, a, a)))
end
