-- needs: string
-- string.gsub: string replacements with %0-%9 and %%, table and function
-- replacements (nil and false keep the match), the maximum count,
-- anchors, empty matches, and the errors of each.

local function show(label, ...)
  local out = label
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then v = '[' .. v .. ']' end
    if type(v) == 'table' then v = 'a table' end
    out = out .. ' ' .. tostring(v)
  end
  print(out)
end
local function G(s, p, r, n) show('gsub ' .. tostring(p), pcall(string.gsub, s, p, r, n)) end

-- string replacements
G('hello world', 'o', '0')
G('hello world', 'o', '0', 1)
G('hello world', 'o', '0', 0)
G('hello world', 'o', '0', -1)
G('hello world', 'o', '0', 2.0)
G('hello world', 'l+', '<%0>')
G('hello world', '(%w+)', '%1 %1')
G('hello world', '(%w+) (%w+)', '%2 %1')
G('hello world', '%w+', '%0%0')
G('hello world', '%w+', '%1')
G('hello', '', '-')
G('hello', 'x*', '-')
G('abc', '%w*', '-')
G('a,b,,c', ',*', ';')
G('hello', '.', '%%')
G('hello', '(l)(l)', '%2%1%0')
G('abc', '()', '%1')
G('abc', '(b)()', '[%1%2]')
G('abc', 'b', 7)
G('abc', 'b', 1.5)
G('abc', 'b', '')
G('  trim  ', '^%s+', '')
G('  trim  ', '%s+$', '')
G('aaa', '^a', 'b')
G('aaa', 'a$', 'b')
G('hello world', '%f[%w]%w', string.upper)
G('x^2', '%^', '**')
G('', '', 'x')
G('', 'a', 'x')
G('abc', '.', {a = 1, b = true and 'B'})
G('$1.50', '%$(%d+)%.(%d+)', '%2 cents and %1 dollar')
G('path/to/file', '/', '\\')
G('a.b.c', '%.', '%%.')
G('x', 'x', '%%%0%%')
G(12345, 3, 'x')
G('hello', 'l', 'L', 9223372036854775807)
G('hello', 'l', 'L', -9223372036854775807 - 1)

-- table replacements
local t = {hello = 'HI', world = false, lua = 42, x = 1.5}
G('hello world lua x y', '%w+', t)
G('k=v', '(%w)=(%w)', {k = 'K'})
G('abc', '()', {[1] = 'one', [2] = 'two'})
G('abc', '%w', setmetatable({}, {__index = function(_, k) return k:upper() end}))
G('abc', 'b', {b = {}})
G('abc', 'b', {b = true})
G('abc', 'b', {b = print})

-- function replacements
G('hello world', '%w+', function(w) return w:reverse() end)
G('hello world', '%w+', function(w) return nil end)
G('hello world', '%w+', function(w) return false end)
G('hello world', '%w+', function(w) return #w end)
G('a=1, b=2', '(%w+)=(%w+)', function(k, v) return v .. '=' .. k end)
G('abc', '()', function(p) return '<' .. p .. '>' end)
G('abc', '.', function() return true end)
G('abc', '.', function() return {} end)
G('abc', '.', function() error('boom') end)
G('abc', '.', function() error({}) end)
local calls = 0
G('abcdef', '.', function(c) calls = calls + 1; if calls % 2 == 0 then return c:upper() end end)
G('abc', '', function(...) return select('#', ...) end)

-- errors
G('abc', '.', '%2')
G('abc', '(.)', '%2')
G('abc', '(.)', '%9')
G('abc', '.', '%')
G('abc', '.', 'x%y')
G('abc', '.', '%a')
G('abc', '(', 'x')
G('abc', '%', 'x')
G('abc', '[a', 'x')
G('abc', '(()', 'x')
G('abc', '.)', 'x')
G('abc', '.', nil)
G('abc', '.', true)
G('abc', '.', 'x', 'y')
G('abc', '.', 'x', 1.5)
G('abc', nil, 'x')
G(nil, '.', 'x')
G('abc', '(.)%2', 'x')
G('abc', '%f', 'x')
G('abc', '%fa', 'x')
G('abc', '%b', 'x')
G('abc', '%bx', 'x')
G(('a'):rep(300), ('a?'):rep(300) .. ('a'):rep(300), 'x')
G('abc', ('()'):rep(33), 'x')
G('abc', ('(.?)'):rep(32), '')
G('abc', '(.)', '%0%1%2')
show('method', ('abc'):gsub('b', 'B'))
show('count only', select(2, ('a b c d'):gsub('%s', '')))

-- long subjects
local long = ('abc '):rep(10000)
local r, n = long:gsub('b', 'XX')
show('long', #r, n, r:sub(1, 12))
r, n = long:gsub('%s', '', 5000)
show('long max', #r, n)
r, n = long:gsub('z', 'y')
show('long none', #r, n, r == long)
