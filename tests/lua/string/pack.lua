-- needs: string
-- string.pack, string.unpack and string.packsize: every option (b B h H
-- i[n] I[n] l L j J T f d n s[n] z x X c[n] and the settings < > = ! and
-- ' '), alignment, integers of 1 to 16 bytes with sign extension, the
-- position argument of unpack, and every error message.

local function hex(s)
  local out = ''
  for i = 1, #s do out = out .. string.format('%02x', s:byte(i)) end
  return out
end
-- Prints the results of a pcall: strings in hexadecimal, or the error.
local function show(label, ok, ...)
  if not ok then
    print(label, 'error', ...)
    return
  end
  local out = label
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then v = '<' .. hex(v) .. '>' end
    out = out .. ' ' .. tostring(v)
  end
  print(out)
end
local function P(fmt, ...)
  show('pack ' .. tostring(fmt), pcall(string.pack, fmt, ...))
end
local function U(fmt, ...)
  show('unpack ' .. tostring(fmt), pcall(string.unpack, fmt, ...))
end
local function S(fmt)
  show('packsize ' .. tostring(fmt), pcall(string.packsize, fmt))
end

-- integers of the fixed sizes, both byte orders
P('<b', 1) P('<b', -1) P('<b', 127) P('<b', -128)
P('<B', 255) P('<B', 0)
P('<h', 0x1234) P('>h', 0x1234) P('=h', 1) P('<h', -2)
P('<H', 0xFFFF) P('>H', 0xABCD)
P('<i', 1) P('>i', -1)
P('<I', 0xDEADBEEF) P('>I', 0xDEADBEEF)
P('<l', -2) P('<L', 2) P('<j', 0x0102030405060708) P('>j', 0x0102030405060708)
P('<J', -1) P('<T', 1024)
P('<j', 9223372036854775807) P('<j', -9223372036854775807 - 1)

-- sized integers
for _, n in ipairs({1, 2, 3, 5, 7, 8, 9, 12, 16}) do
  P('<i' .. n, -3)
  P('>I' .. n, 0x7F)
end
P('<i16', -9223372036854775807 - 1)
P('>i16', 9223372036854775807)
P('<I16', -1)
P('<i3', 0x7FFFFF) P('<i3', -0x800000)

-- integer overflow
P('<b', 128) P('<b', -129) P('<B', 256) P('<B', -1)
P('<h', 32768) P('<H', 65536) P('<i3', 0x800000) P('<I3', 0x1000000)
P('<i7', 1 << 55) P('<I7', 1 << 56)
P('<i', 1.5) P('<i', '12') P('<i', 'x') P('<i')

-- floats
P('<f', 1.5) P('>f', 1.5) P('<d', 1.5) P('>d', -2.25) P('<n', 0.1)
P('<f', 1 / 0) P('<d', -1 / 0) P('<f', 3) P('<d', '2.5') P('<f', 'x')
P('<f', 1e300)

-- strings
P('z', 'hello') P('z', '') P('z', 'a\0b')
P('s1', 'hi') P('>s2', 'hi') P('<s', 'abc') P('s4', '') P('s16', 'x')
P('s1', ('x'):rep(255)) P('s1', ('x'):rep(256))
P('c5', 'ab') P('c2', 'ab') P('c1', 'ab') P('c0', '') P('c0', 'a')
P('c', 'a') P('c3', 12)
P('z', nil) P('s1', {})

-- padding and alignment
P('<bx', 1) P('<bxxb', 1, 2) P('<!4 b i', 1, 2) P('<!4 b h', 1, 2)
P('<!8 b d', 1, 1.5) P('<!2 b i8', 1, 2) P('<! b j', 1, 2)
P('<!4 b Xi4 b', 1, 2) P('<b Xh b', 1, 2) P('<!8 b Xd', 1)
P('<!4 bXi8', 1) P('<!16 b i16', 1, 2)
P('<!4 i3 i3', 1, 2) P('!8 <b c3 i4', 1, 'abc', 2)
P('<!4 b X', 1) P('<!4 b Xc1', 1) P('<!4 b Xz', 1) P('<!4 b X<', 1)
P('<!4 b XX', 1) P('<!3 b i4', 1, 2) P('<!4 b i3', 1, 2)
P('<!4 b s4', 1, 'ab')
P(' < b > h = i ', 1, 2, 3)

-- option errors
P('w', 1) P('i0', 1) P('i17', 1) P('I99', 1) P('!0') P('!17') P('s0', 'x')
P('c')
P('i99999999999999999999', 1)
P('c99999999999999999999', '')

-- packsize
S('') S('b') S('h') S('i') S('l') S('j') S('T') S('f') S('d') S('n')
S('i7') S('I16') S('c10') S('x') S('xxx') S('<!8 b d') S('!4 b h b i')
S('b Xi4') S('b Xi4 b') S('!8 b Xi8') S('!2 b Xi8')
S('s') S('z') S('s1') S('b z')
S('c2147483647') S('c2147483647 c2147483647') S('c1073741824 c1073741824')
S('i0') S('X') S('Xc3') S('!3 b h') S('!3 b i3')

-- unpack
U('<i4', '\1\0\0\0')
U('>i4', '\0\0\1\0')
U('<i2 >i2', '\1\2\1\2')
U('<b B', '\255\255')
U('<h H', '\254\255\254\255')
U('<i3 I3', '\255\255\255\255\255\255')
U('<i16', ('\255'):rep(16))
U('<I16', ('\255'):rep(8) .. ('\0'):rep(8))
U('<i16', ('\0'):rep(7) .. '\128' .. ('\255'):rep(8))
U('<i9', ('\0'):rep(8) .. '\1')
U('<i9', ('\255'):rep(8) .. '\127')
U('<I9', ('\255'):rep(8) .. '\255')
U('>i12', ('\0'):rep(12))
U('<j', '\1\2\3\4\5\6\7\8')
U('<f', string.pack('<f', 1.5))
U('>d', string.pack('>d', -2.25))
U('<n', string.pack('<n', 0.1))
U('z', 'hello\0world\0')
U('z z', 'hello\0world\0')
U('s1', '\3abcdef')
U('>s2', '\0\2hi')
U('c3', 'abcdef')
U('c0', 'abc')
U('c3 c3', 'abcdef')
U('<!4 b i4', '\1\0\0\0\2\0\0\0')
U('<b x b', '\1\0\2')
U('<b Xi4 b', '\1\0\0\0\2')
U(' < b ', '\7')

-- unpack positions
U('b', 'abc', 2)
U('b', 'abc', -1)
U('b', 'abc', 3)
U('b', 'abc', 4)
U('b', 'abc', 5)
U('b', 'abc', 0)
U('b', 'abc', -10)
U('', 'abc')
U('', 'abc', 4)
U('', 'abc', 2)
U('!4 i4', 'xx\0\0\0\0\5\0\0\0', 3)
U('<!4 b i4', '\1\0\0\0\2\0\0\0', 1)

-- unpack errors
U('i4', 'abc')
U('b', '')
U('z', 'abc')
U('z', '')
U('s1', '\5ab')
U('s1', '')
U('c4', 'abc')
U('<i9', ('\0'):rep(8) .. '\2')
U('<i9', ('\255'):rep(9):sub(1, 8) .. '\0')
U('<I9', ('\0'):rep(8) .. '\1')
U('<i16', ('\0'):rep(8) .. '\1' .. ('\0'):rep(7))
U('<!4 b i4', '\1\0\0')
U('<i4', '\1\0\0\0', 2)
U('w', 'abc')
U('Xc1', 'abc')
U('i4')
U(nil, 'abc')
U('b', 'abc', 'x')
U('b', 'abc', 1.5)

-- round trips
local fmt = '<!8 b B h H i I l L j J T f d n s1 z x c3'
local data = string.pack(fmt, -1, 255, -300, 60000, -70000, 4000000000, -5,
  5, -9223372036854775807 - 1, -1, 77, 0.5, 1e100, -0.0, 'str', 'zero',
  'ab')
show('roundtrip size', true, #data, string.packsize('<!8 b B h H i I l L j J T f d n'))
show('roundtrip', true, string.unpack(fmt, data))
local big = string.pack('>s4', ('x'):rep(70000))
show('big s4', true, #big, (string.unpack('>s4', big)) == ('x'):rep(70000))
local seq = string.pack('i4 i4 i4', 10, 20, 30)
local a, pos = string.unpack('i4', seq)
local b, pos2 = string.unpack('i4', seq, pos)
local c, pos3 = string.unpack('i4', seq, pos2)
show('sequence', true, a, pos, b, pos2, c, pos3)
