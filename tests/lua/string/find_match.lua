-- needs: string
-- string.find and string.match: init (negative, zero, past the end),
-- plain searches, anchors, every character class and its complement,
-- sets with ranges and classes, quantifiers, %b, %f, captures, position
-- captures and back references.

local function show(label, ...)
  local out = label
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then v = '[' .. v .. ']' end
    out = out .. ' ' .. tostring(v)
  end
  print(out)
end
local function F(s, p, ...) show('find ' .. p, string.find(s, p, ...)) end
local function M(s, p, ...) show('match ' .. p, string.match(s, p, ...)) end

-- find: plain text, init, the plain flag
local s = 'hello world, hello lua'
F(s, 'hello')
F(s, 'hello', 2)
F(s, 'hello', -9)
F(s, 'hello', -100)
F(s, 'hello', 0)
F(s, 'lua', 100)
F(s, '', 1)
F(s, '', #s + 1)
F(s, '', #s + 2)
F(s, '', -1)
F('', '')
F('', '', 2)
F('', 'a')
F(s, 'o w')
F(s, 'xyz')
F('a.b', '.', 1, true)
F('a.b', '.')
F('a+b', '+', 1, true)
F('a(b', '(', 1, true)
F('x[y]', '[y]', 1, true)
F('50%', '%', 1, true)
F('a\0b\0c', '\0c')
F('a\0b\0c', 'b\0', 1, true)
F('abcabc', 'c', -2)
F('aaa', 'aa', 2)
F(s, 'l+', 5, false)
F(s, 'l+', 5, nil)
F(s, 'l+', 5, 0)   -- 0 is true: plain search for "l+"
F('x', 'x', 9223372036854775807)
F('x', 'x', -9223372036854775807 - 1)
F(12345, 34)
F('1.5e3', 1.5)

-- anchors
F('hello', '^hel')
F('hello', '^el')
F('hello', 'lo$')
F('hello', 'l$')
F('hello', '^hello$')
F('a$b', 'a$b')
F('a^b', 'a^b')
F('^ab', '^^a')
F('hello', '^l', 3)
F('hello', '^l', 4)
F('', '^$')
F('x', '^$')
F('ab', '$')

-- classes and complements
local all = 'aZ 9_\t\n.,;!~\1\127\200'
for _, c in ipairs({'a', 'c', 'd', 'g', 'l', 'p', 's', 'u', 'w', 'x',
                    'A', 'C', 'D', 'G', 'L', 'P', 'S', 'U', 'W', 'X'}) do
  local hits = ''
  for i = 1, #all do
    local ch = all:sub(i, i)
    hits = hits .. (ch:find('%' .. c) and '1' or '0')
  end
  print('class %' .. c, hits)
end
M('0x1F; 0xg', '%x+')
M('ABCdef', '%u+')
M('ABCdef', '%l+')
M('  x', '%s*()')
M('a.b', '%.')
M('a%b', '%%')
M('a]b', '%]')
M('x\0y', '%z')
M('x\0y', '%Z+')
M('hello', '.')
M('', '.')
M('\n', '.')

-- sets
M('hello123', '[0-9]+')
M('hello123', '[^0-9]+')
M('a-b', '[a-]+')
M('a-b', '[-a]+')
M('x]y', '[]]')
M('x]y', '[^]]+')
M('a^b', '[b^]+')
M('abc_123', '[%w_]+')
M('abc_123 !', '[%W]')
M('abc', '[%a-z]+')
M('--a', '[a%-]+')
M('Hello', '[A-Z][a-z]*')
M('tab\there', '[\t]')
M('zy', '[z-a]')
M('b', '[a-c-e]')
M('-', '[a-c-e]')
M('d', '[a-c-e]')
M('%', '[%%]')
M('\200\255', '[\128-\255]+')

-- quantifiers
M('aaab', 'a*')
M('aaab', 'a+')
M('aaab', 'a-')
M('aaab', 'a-b')
M('aaab', 'a?')
M('baaa', 'a*')
M('baaa', 'a+')
M('ab', 'a?b')
M('b', 'a?b')
M('aab', 'a?b')
M('<<a>>', '<(.*)>')
M('<<a>>', '<(.-)>')
M('x = 10', '(%w+)%s*=%s*(%w+)')
M('  trim  ', '^%s*(.-)%s*$')
M('abc', '.-')
M('abc', '.-$')
M('aaa', 'a-a')
M('ab', '[ab]*b')
M('aaa', '^a?a?a?a$')
M('key=val', '(%w+)=(%w*)')
M('key=', '(%w+)=(%w*)')

-- %b and %f
M('f(a(b)c) d', '%b()')
M('f(a(b c) d', '%b()')
M('x[[y]]', '%b[]')
M('"q"uote"', '%b""')
M('if x then y end end', '%bie')
M('THE (quick) fox', '%f[%a]%a+')
M('THE (quick) fox', '%f[%l]%a+')
F('THE (quick) fox', '%f[%a]%a+', 5)
M('hello world', '%f[%w]%w+$')
M('abc', '%f[%z]')
F('abc', '%f[%z]')
F('abc', '%f[^%z]')
F('aXb', '%f[%u]')
F('1234', '%f[%d]')
M('the_end', '%f[%w_]%w+%f[^%w_]')

-- captures
M('hello world', '(h)(e)(l)(l)(o)')
M('hello', '()ll()')
M('hello', '()')
M('hello', '(()l)')
M('hello', '((l)(l))')
F('hello world', '(o)(r?)')
F('hello', '()(l+)()')
M('date: 2024-01-15', '(%d+)-(%d+)-(%d+)')
M('abcabc', '(abc)%1')
M('abcabd', '(abc)%1')
M('xyxyxy', '^(xy)%1%1$')
M('"quoted" text', '(["\'])(.-)%1')
M("it's 'single'", "(['\"])(.-)%1")
M('aa', '(a*(.))%2')
M('abba', '(a)(b)%2%1')
M('x', '(x)%1?')
M(string.rep('a', 32), string.rep('(a)', 32))
show('32 captures', select('#', string.match(string.rep('a', 32),
     string.rep('(a)', 32))))
M('', '()')
M('abc', '()', 4)
M('abc', '()', 10)
M('abc', '(a)(()b)')

-- init for match
M('hello', 'l+', 4)
M('hello', 'l+', -2)
M('hello', '^l', 3)
M('hello', '.', 0)
M('hello', '.', -10)

-- long subjects, embedded zeros, numbers as arguments
M(('ab'):rep(1000) .. 'c', '(b)c')
F(('ab'):rep(1000) .. 'c', 'b*c')
M('a\0b\0c', '%z(.)')
M('a\0b\0c', '[\0]b')
M('a\0b\0c', '[%z]c')
M(2024, '%d%d$')
M('x1y22z333', '%d%d%d')
F(('x'):rep(50000) .. 'y', 'x*y')
F(('x'):rep(50000) .. 'y', 'xy')
F(('x'):rep(1000), 'x-y')
