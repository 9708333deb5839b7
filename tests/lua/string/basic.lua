-- needs: string
-- The simple string functions: len, sub, reverse, lower, upper, rep (with
-- separator and the size limit), byte, char and dump; the string
-- metatable (methods through __index, arithmetic on numeric strings).

local function show(label, ...)
  local out = label
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then v = '[' .. v .. ']' end
    out = out .. ' ' .. tostring(v)
  end
  print(out)
end
local function try(label, f, ...) show(label, pcall(f, ...)) end

-- len
show('len', string.len(''), string.len('abc'), string.len('a\0b\0'), #'xyz')
show('len number', string.len(12345), string.len(1.5))
try('len nil', string.len)
try('len table', string.len, {})

-- sub: every sign of i and j, clipping, empty results
local s = 'hello world'
for _, ij in ipairs({{1}, {3}, {-3}, {0}, {100}, {-100}, {1, 5}, {3, 3},
    {5, 3}, {-5, -2}, {-100, 3}, {2, 100}, {0, 0}, {1, 0}, {-1, -1},
    {12}, {11}, {1, -12}, {-11, 1}, {4, -4}}) do
  show('sub ' .. tostring(ij[1]) .. ',' .. tostring(ij[2]),
       s:sub(ij[1], ij[2]))
end
show('sub extremes', s:sub(-9223372036854775807 - 1),
     s:sub(1, 9223372036854775807), s:sub(-9223372036854775807, 2))
show('sub float index', s:sub(2.0, 4.0), s:sub('2', '3'))
try('sub float', string.sub, s, 1.5)
try('sub no i', string.sub, s)
try('sub bad j', string.sub, s, 1, {})
show('sub zeros', ('a\0b\0c'):sub(2, 4) == '\0b\0')

-- reverse, lower, upper
show('reverse', (''):reverse(), ('a'):reverse(), ('abc'):reverse(),
     ('a\0b'):reverse() == 'b\0a')
show('lower', ('HeLLo 123 ÀZ'):lower(), (''):lower())
show('upper', ('HeLLo 123 àz'):upper(), ('a\0b'):upper() == 'A\0B')
show('case number', string.upper(12), string.lower(1e3))

-- rep
show('rep', ('ab'):rep(3), ('ab'):rep(1), ('ab'):rep(0), ('ab'):rep(-5))
show('rep sep', ('ab'):rep(3, ','), ('ab'):rep(1, ','), ('ab'):rep(0, ','),
     ('x'):rep(4, '--'))
show('rep empty', (''):rep(5), (''):rep(3, '-'), ('a'):rep(2, ''))
show('rep long', #('abc'):rep(1000), #('abc'):rep(1000, '12'),
     ('abc'):rep(1000, '12'):sub(-8))
show('rep many', #('x'):rep(100000), ('xy'):rep(77777, 'z'):sub(1, 9),
     #('xy'):rep(77777, 'z'))
try('rep too large', string.rep, 'x', 1 << 40)
try('rep too large sep', string.rep, 'x', 1 << 31, 'y')
try('rep too large 2', string.rep, 'abc', 9223372036854775807)
try('rep no n', string.rep, 'x')
try('rep float n', string.rep, 'x', 2.5)
try('rep bad sep', string.rep, 'x', 2, {})

-- byte
show('byte', ('ABC'):byte(), ('ABC'):byte(2), ('ABC'):byte(-1),
     ('ABC'):byte(1, -1))
show('byte ranges', ('ABC'):byte(2, 10), ('ABC'):byte(0),
     ('ABC'):byte(-10, 1), ('ABC'):byte(4))
show('byte empty', select('#', ('ABC'):byte(3, 2)), select('#', (''):byte()),
     select('#', ('ABC'):byte(10)))
show('byte high', ('\0\127\128\255'):byte(1, 4))
try('byte bad', string.byte, 'abc', 'x')
local big = ('x'):rep(300)
show('byte many', select('#', big:byte(1, -1)), select(300, big:byte(1, -1)))

-- char
show('char', string.char(), string.char(72, 105), string.char(0, 255) ==
     '\0\255')
show('char float', string.char(65.0, '66'))
try('char 256', string.char, 65, 256)
try('char -1', string.char, -1)
try('char float frac', string.char, 65.5)
try('char string', string.char, 'x')
try('char nil', string.char, 65, nil)
show('char roundtrip', string.char(('Lua 5.4'):byte(1, -1)))

-- dump
local function add(a, b) return a + b end
local d = string.dump(add)
show('dump header', d:sub(1, 4) == '\27Lua', d:byte(5), type(d))
show('dump load', load(d)(2, 3), load(d, 'x', 'b')(10, 20))
local ds = string.dump(add, true)
show('dump strip', type(ds), load(ds)(1, 2))
local up = 10
local function withup(x) return x + up end
local dup = load(string.dump(withup))
show('dump upvalue', pcall(dup, 1))
try('dump C', string.dump, print)
try('dump table', string.dump, {})
try('dump nil', string.dump)
show('dump load text mode', load(d, 'd', 't'))

-- the string metatable
local mt = getmetatable('')
show('metatable', type(mt), mt.__index == string, getmetatable('x') == mt)
show('methods', ('abc'):upper(), ('%d'):format(7), ('x'):rep(3), ('abc'):len())
show('index number key', ('abc')[1], ('abc').nope)
try('method on number', function() return (5):upper() end)
show('arith', '10' + 1, '3' * '4', 10 - '2.5', -'2', '7' // 2, '2' ^ 3,
     '7' % '4', '1' / 4)
try('arith bad', function() return 'x' + 1 end)
try('arith bad 2', function() return {} .. 'x' end)
show('string library fields', type(string.pack), type(string.unpack),
     type(string.packsize), type(string.gmatch), type(string.format))
