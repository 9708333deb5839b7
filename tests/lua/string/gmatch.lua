-- needs: string
-- string.gmatch: words, captures, position captures, empty matches and
-- 5.4's rule that an empty match may not end where the last match ended,
-- the init argument, '^' as a plain character, errors raised while
-- iterating, and an iterator used from a coroutine.

local function collect(s, p, init)
  local out = {}
  local ok, err = pcall(function()
    for a, b, c in string.gmatch(s, p, init) do
      local item = tostring(a)
      if b ~= nil then item = item .. ',' .. tostring(b) end
      if c ~= nil then item = item .. ',' .. tostring(c) end
      out[#out + 1] = '{' .. item .. '}'
      if #out > 50 then break end
    end
  end)
  local text = ''
  for i = 1, #out do text = text .. out[i] end
  if not ok then text = text .. ' error: ' .. err end
  print('gmatch ' .. p .. (init and (' @' .. init) or ''), text)
end

collect('hello world from lua', '%a+')
collect('one two  three', '%S+')
collect('k1=v1, k2=v2,k3=', '(%w+)=(%w*)')
collect('abc', '')
collect('abc', '()')
collect('abc', '.')
collect('abc', 'x*')
collect('abc', '%w*')
collect('a,b,,c', '[^,]*')
collect('a,b,,c', '([^,]*),?')
collect('hello', '()l()')
collect('aaa', 'a-')
collect('aaa', 'a?')
collect('', '')
collect('', 'x')
collect('^a^a^', '^a')
collect('^a^a^', '^')
collect('x = 1, y = 22', '(%w+) = (%d+)')
collect('THE (quick) fox', '%f[%a]%a+')
collect('[[a]] [b] [[c]]', '%b[]')
collect('a1b22c333', '%d+')
collect('a1b22c333', '(%a)(%d*)')

-- init
collect('abcabc', 'b', 3)
collect('abcabc', '()b', -3)
collect('abcabc', '.', 0)
collect('abcabc', '.', -100)
collect('abcabc', '.', 6)
collect('abcabc', '.', 7)
collect('abcabc', '', 7)
collect('abcabc', '', 8)
collect('abcabc', '', 100)
collect('abc', '()', -1)

-- errors from the pattern arrive when the iterator runs
collect('abc', '%')
collect('abc', '[a')
collect('abc', '(()')
collect('abc', '%1')
collect('abc', 'a)')
print(pcall(string.gmatch, 'abc'))
print(pcall(string.gmatch, nil, 'x'))
print(pcall(string.gmatch, 'abc', 'x', 'y'))

-- the iterator keeps its state across calls and coroutines
local it = ('one two three four'):gmatch('%a+')
print(it(), it())
local co = coroutine.wrap(function()
  coroutine.yield(it())
  coroutine.yield(it())
end)
print(co(), co(), it())

-- a function that is not the iterator's original state
local words = {}
for w in ('the rain in spain'):gmatch('%a*ain') do words[#words + 1] = w end
print(#words, words[1], words[2], words[3])

-- a long subject
local n, last = 0, nil
for w in (('word '):rep(5000)):gmatch('%a+') do n = n + 1; last = w end
print('long', n, last)
n = 0
for _ in (('x'):rep(1000)):gmatch('') do n = n + 1 end
print('empty matches', n)
