-- needs: string
-- string.format('%q'): strings (quotes, backslashes, newlines, control
-- characters, "\0", digits after an escape, bytes >= 128), integers
-- (the minimum integer in hexadecimal), floats (hexadecimal, inf, -inf,
-- nan), nil and booleans, values with no literal form; and every result
-- read back with load() to the same value.

local function q(v) return string.format('%q', v) end

-- "integer" or "float" for numbers (a float's tostring always shows a
-- point, an exponent, "inf" or "nan"), the type for the rest.
local function kind(v)
  if type(v) ~= 'number' then return type(v) end
  return tostring(v):find('[%.eEna]') and 'float' or 'integer'
end

-- Prints the literal, whether load reads it back as an equal value (a
-- NaN as a NaN), and whether the subtype survives.
local function roundtrip(label, v)
  local text = q(v)
  local back = load('return ' .. text)()
  local same = (v ~= v and back ~= back) or back == v
  print(label, text, same, kind(v) == kind(back))
end

-- strings
roundtrip('plain', 'hello')
roundtrip('empty', '')
roundtrip('quote', 'say "hi"')
roundtrip('single', "it's")
roundtrip('backslash', 'a\\b')
roundtrip('newline', 'line1\nline2')
roundtrip('cr', 'a\rb')
roundtrip('tab', 'a\tb')
roundtrip('zero', 'a\0b')
roundtrip('zero digit', 'a\0' .. '1')
roundtrip('zero end', 'ab\0')
roundtrip('ctrl digit', '\1' .. '23')
roundtrip('ctrl', '\1\2\31\127')
roundtrip('del digit', '\127' .. '9')
roundtrip('high', '\128\200\255')
roundtrip('bell', '\a\b\f\v')
roundtrip('mixed', 'x\0\n"\\\0019\r\n')
roundtrip('digits', '\0' .. '0\0' .. '00\0' .. '000')
local all = ''
for i = 0, 255 do all = all .. string.char(i) end
local text = q(all)
print('all bytes', #text, load('return ' .. text)() == all)
print('all bytes text', text:sub(1, 60))
local long = ('abc\n'):rep(1000)
print('long', #q(long), load('return ' .. q(long))() == long)

-- integers
roundtrip('zero', 0)
roundtrip('one', 1)
roundtrip('neg', -1)
roundtrip('max', 9223372036854775807)
roundtrip('min', -9223372036854775807 - 1)
roundtrip('min+1', -9223372036854775807)
roundtrip('big', 1234567890123)

-- floats
roundtrip('float 1', 1.0)
roundtrip('float -1', -1.0)
roundtrip('half', 0.5)
roundtrip('tenth', 0.1)
roundtrip('third', 1 / 3)
roundtrip('neg zero', -0.0)
roundtrip('zero f', 0.0)
roundtrip('big f', 1e300)
roundtrip('tiny', 5e-324)
roundtrip('2^63', 2^63)
roundtrip('-2^63', -2^63)
roundtrip('2^53+', 2^53 + 1.0)
roundtrip('pi', 3.141592653589793)
roundtrip('inf', 1 / 0)
roundtrip('-inf', -1 / 0)
roundtrip('nan', 0 / 0)
print('neg zero sign', 1 / load('return ' .. q(-0.0))())

-- nil and booleans
roundtrip('nil', nil)
roundtrip('true', true)
roundtrip('false', false)

-- several in one format, and the result as a chunk
local chunk = string.format('return %q, %q, %q, %q', 'a\nb', 42, 2.5, true)
print(chunk)
print(load(chunk)())

-- values without a literal form, and modifiers
print(pcall(string.format, '%q', {}))
print(pcall(string.format, '%q', print))
print(pcall(string.format, '%q', coroutine.create(print)))
print(pcall(string.format, '%q', setmetatable({}, {__tostring = function()
  return 'x' end})))
print(pcall(string.format, '%q'))
print(pcall(string.format, '%10q', 'x'))
print(pcall(string.format, '%-q', 1))
print(pcall(string.format, '%q %q', 1))
