-- A client of LPeg (Debian's lua-lpeg), a C module loaded through
-- require, and of its `re` module (Lua code on top of it): patterns,
-- captures, grammars, substitutions and the errors of bad patterns.
--
-- Deterministic by construction: capture tables are printed by `show`,
-- which walks the array part in order and sorts the named keys.

local lpeg = require 'lpeg'
local re = require 're'

local P, S, R, V = lpeg.P, lpeg.S, lpeg.R, lpeg.V
local C, Ct, Cc, Cg, Cs, Cf, Cp, Cb, Cmt =
  lpeg.C, lpeg.Ct, lpeg.Cc, lpeg.Cg, lpeg.Cs, lpeg.Cf, lpeg.Cp, lpeg.Cb,
  lpeg.Cmt

local function show(v)
  if type(v) ~= 'table' then
    return type(v) == 'string' and string.format('%q', v) or tostring(v)
  end
  local parts, named = {}, {}
  for i = 1, #v do parts[#parts + 1] = show(v[i]) end
  for k in pairs(v) do
    if math.type(k) ~= 'integer' or k < 1 or k > #v then
      named[#named + 1] = k
    end
  end
  table.sort(named, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(named) do
    parts[#parts + 1] = tostring(k) .. '=' .. show(v[k])
  end
  return '{' .. table.concat(parts, ', ') .. '}'
end

-- Prints every result of a match (or the error of building/running it).
local function try(label, f, ...)
  local results = table.pack(pcall(f, ...))
  local parts = {}
  for i = 2, results.n do parts[#parts + 1] = show(results[i]) end
  print(label .. ': ' .. (results[1] and '' or 'error ') ..
    table.concat(parts, ' '))
end

local function match(label, patt, subject, init)
  try(label, lpeg.match, patt, subject, init)
end

print('== basic patterns')
print('type', lpeg.type(P 'a'), lpeg.type('a'), lpeg.type(42))
match('literal', P 'hello', 'hello world')
match('literal fails', P 'hello', 'help')
match('any 3', P(3), 'abcd')
match('any 5 of 4', P(5), 'abcd')
match('not any (end)', P(-1), '')
match('set', S 'aeiou' ^ 1, 'eieio!')
match('range', R('az', 'AZ') ^ 1, 'Hello123')
match('sequence', P 'a' * P 'b', 'abc')
match('choice', P 'x' + P 'a', 'abc')
match('difference', (R 'az' - P 'q') ^ 1, 'abqz')
match('and predicate', #P 'ab' * P 'a', 'abc')
match('not predicate', -P 'x' * P(1), 'yz')
match('optional', P 'a' ^ -1 * P 'b', 'b')
match('at most 2', (P 'a' ^ -2) * -1, 'aaa')
match('true/false', P(true), 'x')
match('init', P 'b', 'abc', 2)
match('negative init', P 'c', 'abc', -1)

print('== captures')
match('simple', C(R '09' ^ 1), 'x42', 2)
match('nested', C(C 'a' * C 'b'), 'ab')
match('position', Cp() * P 'ab' * Cp(), 'abc')
match('constant', Cc('k', 2, true), '')
match('table', Ct(C(R 'az' ^ 1) * (P ',' * C(R 'az' ^ 1)) ^ 0), 'ab,cd,ef')
match('named group', Ct(Cg(R 'az' ^ 1, 'key') * '=' * Cg(R '09' ^ 1, 'val')),
  'size=10')
match('back capture', Cg(C(1), 'first') * P ':' * Cb 'first', 'x:')
match('substitution', Cs((P 'cat' / 'dog' + 1) ^ 0), 'cat and cats')
match('fold sum', Cf(C(R '09' ^ 1) / tonumber * (',' * (C(R '09' ^ 1) /
  tonumber)) ^ 0, function(a, b) return a + b end), '1,2,3,4')
match('function capture', (R '09' ^ 1) / function(s) return #s, s end, '2024')
match('string capture', (C 'a' * C 'b') / '%2%1', 'ab')
match('query capture', C(R 'az' ^ 1) / { one = 1, two = 2 }, 'two')
match('match-time', Cmt(P(1), function(s, i, c) return c == 'z' and i end),
  'zy')
match('match-time fail', Cmt(P(1), function() return false end), 'zy')
try('argument capture', lpeg.match, lpeg.Carg(2) * lpeg.Carg(1), 'x', 1,
  'first', 'second')
match('absent argument', lpeg.Carg(1), 'x')

print('== grammars')
local arith = P {
  'Exp',
  Exp = Ct(V 'Term' * (C(S '+-') * V 'Term') ^ 0),
  Term = Ct(V 'Factor' * (C(S '*/') * V 'Factor') ^ 0),
  Factor = C(R '09' ^ 1) + '(' * V 'Exp' * ')',
}
match('arith tree', arith * -1, '1+2*(3-4)')
local function eval(t)
  if type(t) == 'string' then return tonumber(t) end
  local acc = eval(t[1])
  for i = 2, #t, 2 do
    local rhs = eval(t[i + 1])
    if t[i] == '+' then acc = acc + rhs
    elseif t[i] == '-' then acc = acc - rhs
    elseif t[i] == '*' then acc = acc * rhs
    else acc = acc // rhs end
  end
  return acc
end
print('arith value', eval(lpeg.match(arith, '12+3*(8-2)/2')))
local balanced = P { '(' * ((1 - S '()') + V(1)) ^ 0 * ')' }
match('balanced', C(balanced), '(a(b)c)d')
match('unbalanced', balanced, '(a(b')
local anywhere = P { C(P 'needle') + 1 * V(1) }
match('search', anywhere, 'haystack with needle in it')

print('== errors')
try('left recursion', P, { V 'A', A = V 'A' * 'a' })
try('undefined rule', P, { V 'B' })
try('bad range', R, 'abc')
try('loop on empty', function() return P(true) ^ 0 end)
try('bad argument', P, {})
try('bad match subject', lpeg.match, P 'a', {})

print('== re')
print('re.find', re.find('the number 42 is here', '[0-9]+'))
print('re.match', re.match('key = value', "{[a-z]+} ' '* '=' ' '* {.*}"))
print('re.gsub', re.gsub('hello world', '[aeiou]', '<%0>'))
print('re.gsub capture', re.gsub('a1b22', '{%d+}', '#'))
local list = re.compile [[
  list <- {| item (',' item)* |}
  item <- ' '* { [^, ]+ } ' '*
]]
match('re list', list, 'alpha, beta ,gamma')
local kv = re.compile([[
  pairs <- {| (pair (';' pair)*)? |} !.
  pair  <- ({| {:key: name :} '=' {:value: name :} |}) -> mk
  name  <- [a-zA-Z_]+
]], { mk = function(t) t.len = #t.key + #t.value return t end })
match('re named groups', re.compile("{| {:a: 'x' :} {:b: 'y' :} |}"), 'xy')
match('re defs', kv, 'a=b;c=d')
match('re predefined', re.compile('{%a+} %s+ {%d+}'), 'abc   123')
match('re case', re.compile("'a' / 'b' {.}"), 'bz')
match('re substitution', re.compile("{~ ('cat' -> 'dog' / .)* ~}"), 'a cat!')
match('re back ref', re.compile("{:q: ['\"] :} {(!=q .)*} =q"), '"quoted"')
try('re syntax error', re.compile, '[a-')
try('re undefined name', re.compile, 'x <- y')
