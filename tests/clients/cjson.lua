-- A client of lua-cjson (Debian's lua-cjson), a C module loaded through
-- require: encoding, decoding, round trips, its settings and its errors.
--
-- Deterministic by construction: cjson writes an object's members in
-- `pairs` order, so the encoded text of an object is printed only when it
-- has at most one member; larger objects are decoded again and shown by
-- `canon`, which sorts keys.

local cjson = require 'cjson'

-- A canonical rendering of a decoded value: sorted keys, exact numbers
-- (with their subtype unless `loose`: cjson decodes every number as a
-- float).
local function canon(v, loose)
  local tv = type(v)
  if v == cjson.null then return 'null' end
  if tv == 'string' then return string.format('%q', v) end
  if tv == 'number' then
    local digits = string.format('%.17g', v)
    return loose and digits or math.type(v) .. ':' .. digits
  end
  if tv ~= 'table' then return tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) ~= type(b) then return type(a) < type(b) end
    return a < b
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = canon(k, loose) .. '=' .. canon(v[k], loose)
  end
  return '{' .. table.concat(parts, ', ') .. '}'
end

local function try(label, f, ...)
  local ok, res = pcall(f, ...)
  if ok then
    print(label .. ': ok ' .. canon(res))
  else
    print(label .. ': error ' .. tostring(res))
  end
end

print('== encode scalars and arrays')
print(cjson.encode(true), cjson.encode(false), cjson.encode(cjson.null))
print(cjson.encode(42), cjson.encode(-7), cjson.encode(0.5), cjson.encode(1e300))
print(cjson.encode(2^53), cjson.encode(math.mininteger), cjson.encode(1/3))
print(cjson.encode('plain'), cjson.encode('quote " and \\ backslash'))
print(cjson.encode('ctl \n\t\r\b\f \1 \31 /slash'))
print(cjson.encode('utf8 \195\169 \226\130\172'))
print(cjson.encode({}), cjson.encode({ 1, 2, 3 }), cjson.encode({ { {} } }))
print(cjson.encode({ 'a', { 'b', { 'c' } }, true, cjson.null }))
print(cjson.encode({ only = 'one' }), cjson.encode({ [1] = 'x', [2] = 'y' }))
print(cjson.encode({ nested = { deeper = { 1, 2 } } }))
print('tostring(null) ' .. tostring(cjson.null), type(cjson.null))

print('== decode')
local samples = {
  '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
  '[1, 2.5, -3e2, 1E-2, 0, -0]',
  '"\\u00e9\\u20ac\\ud83d\\ude00 \\n\\t\\"\\\\\\/"',
  '  {"spaces" :  [ ] , "empty":{} }  ',
  '[[[[["deep"]]]]]',
  '123456789012',
  '9007199254740993',
  '1.7976931348623157e308',
  'null',
  '{"1":"numeric-looking key","2":2}',
}
for i, text in ipairs(samples) do
  try('decode ' .. i, cjson.decode, text)
end
local decoded = cjson.decode('{"x":null}')
print('null member is cjson.null', decoded.x == cjson.null)
local arr = cjson.decode('[null,null,3]')
print('array with nulls', #arr, arr[1] == cjson.null, arr[3])

print('== round trips')
local values = {
  { 1, 2, { 3, 4, { 5 } } },
  { name = 'cjson', tags = { 'c', 'json' }, version = 2, ok = true },
  { str = 'line1\nline2', uni = '\226\152\131', esc = '"\\/' },
  { empty_obj = {}, list = { {}, { k = 'v' } } },
  { num = { 0.1, 1e-10, 123.456, -0.0, 2^31, 2^63 } },
}
for i, v in ipairs(values) do
  local text = cjson.encode(v)
  local back = cjson.decode(text)
  print('round trip ' .. i, #text,
    canon(back, true) == canon(v, true) and 'same' or
    'differs', canon(back))
end

print('== errors')
try('decode empty', cjson.decode, '')
try('decode garbage', cjson.decode, 'nope')
try('decode trailing', cjson.decode, '[1] 2')
try('decode unclosed', cjson.decode, '[1, 2')
try('decode bad escape', cjson.decode, '"\\q"')
try('decode bad unicode', cjson.decode, '"\\ud800"')
try('decode single quotes', cjson.decode, "{'a':1}")
try('decode trailing comma', cjson.decode, '[1,]')
try('decode key not string', cjson.decode, '{1:2}')
try('decode no argument', cjson.decode)
try('decode table argument', cjson.decode, {})
try('encode function', cjson.encode, print)
try('encode sparse', cjson.encode, { [1] = 1, [20] = 2 })
try('encode mixed keys', function(t) return cjson.decode(cjson.encode(t)) end,
  { 1, 2, x = 3 })
try('encode bool key', cjson.encode, { [true] = 1 })
try('encode nan', cjson.encode, 0 / 0)
try('encode inf', cjson.encode, math.huge)
local cycle = {}
cycle[1] = cycle
try('encode cycle', cjson.encode, cycle)

print('== settings (on a separate instance)')
local cj = cjson.new()
print('precision', cj.encode_number_precision())
cj.encode_number_precision(4)
print('precision 4', cj.encode({ math.pi, 1 / 3, 12345.678 }))
print('default instance unchanged', cjson.encode({ math.pi }))
print('sparse settings', cj.encode_sparse_array())
cj.encode_sparse_array(true)
print('sparse converted', cj.encode({ [1] = 'a', [3] = 'c' }))
print('max depth', cj.encode_max_depth())
cj.encode_max_depth(3)
try('encode too deep', cj.encode, { { { { 1 } } } })
try('encode deep enough', cj.encode, { { { 1 } } })
cj.decode_max_depth(2)
try('decode too deep', cj.decode, '[[[1]]]')
try('decode deep enough', cj.decode, '[[1]]')
cj.encode_invalid_numbers(true)
print('invalid numbers allowed', cj.encode({ 0 / 0 ~= 0 / 0 and math.huge or 0,
  -math.huge }))
cj.encode_invalid_numbers('null')
print('invalid numbers as null', cj.encode({ math.huge }))
cj.decode_invalid_numbers(false)
try('decode NaN disabled', cj.decode, '[NaN]')
try('decode hex disabled', cj.decode, '0x10')
try('bad setting', cj.encode_max_depth, 'deep')
try('bad setting value', cj.encode_sparse_array, 'maybe')
