-- A client of Penlight (Debian's lua-penlight): pl.List, pl.tablex,
-- pl.stringx, pl.pretty and pl.class, each result printed.
--
-- Deterministic by construction: nothing is printed in `pairs` order.
-- Tables go through pl.pretty.write, which sorts string keys (and our
-- tables have no numeric keys outside their array part), and key lists
-- from tablex are sorted before they are printed.

local List = require 'pl.List'
local tablex = require 'pl.tablex'
local stringx = require 'pl.stringx'
local pretty = require 'pl.pretty'
local class = require 'pl.class'

-- One line per value: tables compactly, everything else with tostring.
local function show(label, ...)
  local parts = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'table' and getmetatable(v) == nil then
      parts[#parts + 1] = pretty.write(v, '')
    else
      parts[#parts + 1] = tostring(v)
    end
  end
  print(label .. ': ' .. table.concat(parts, ' | '))
end

local function sorted(t)
  table.sort(t, function(a, b) return tostring(a) < tostring(b) end)
  return t
end

print('== pl.List')
local ls = List { 10, 20, 30 }
show('list', ls)
ls:append(40)
show('append', ls, #ls)
ls:extend { 50, 60 }
show('extend', ls)
ls:insert(1, 5)
show('insert at 1', ls)
show('pop', ls:pop(), ls)
show('remove_value 30', ls:remove_value(30))
show('index of 40', ls:index(40), ls:index(99))
show('contains 20', ls:contains(20), ls:contains(21))
show('slice 2..3', ls:slice(2, 3))
show('reverse', List { 1, 2, 3 }:reverse())
show('map double', ls:map(function(x) return x * 2 end))
show('filter > 15', ls:filter(function(x) return x > 15 end))
show('reduce +', ls:reduce('+'))
show('sorted desc', List { 3, 1, 2 }:sort(function(a, b) return a > b end))
show('concat', List { 'a', 'b', 'c' }:concat('-'))
show('join', List { 1, 2, 3 }:join(', '))
show('range', List.range(1, 10, 3))
show('split', List.split('one two  three'))
show('chop', List { 1, 2, 3, 4, 5 }:chop(2, 3))
show('count', List { 1, 2, 1, 3, 1 }:count(1))
show('equality', List { 1, 2 } == List { 1, 2 }, List { 1, 2 } == List { 2 })
show('concat op', List { 1 } .. List { 2, 3 })
show('partition even/odd', (function()
  local parts = List { 1, 2, 3, 4, 5, 6 }:partition(function(x)
    return x % 2 == 0 and 'even' or 'odd'
  end)
  return parts.even, parts.odd
end)())
show('minmax', List { 4, 9, 2, 7 }:minmax())
show('iterate', (function()
  local acc = {}
  for v in List { 'x', 'y' }:iter() do acc[#acc + 1] = v end
  return acc
end)())
local ok, err = pcall(function() return List.range(1, 'x') end)
show('range error caught', ok, type(err))

print('== pl.tablex')
local t = { alpha = 1, beta = 2, gamma = 3 }
show('keys (sorted)', sorted(tablex.keys(t)))
show('values (sorted)', sorted(tablex.values(t)))
show('size', tablex.size(t))
show('deepcopy equal', tablex.deepcompare(tablex.deepcopy(t), t))
show('deepcompare nested', tablex.deepcompare({ 1, { 2, 3 } }, { 1, { 2, 3 } }),
  tablex.deepcompare({ 1, { 2, 3 } }, { 1, { 2, 4 } }))
show('map', tablex.map(function(v) return v * 10 end, t))
show('imap', tablex.imap(function(v) return v .. '!' end, { 'a', 'b' }))
show('filter', tablex.filter({ 1, 2, 3, 4, 5 }, function(v) return v % 2 == 1 end))
show('reduce', tablex.reduce(function(a, b) return a * b end, { 1, 2, 3, 4, 5 }))
show('find', tablex.find({ 'a', 'b', 'c' }, 'c'), tablex.find({ 'a' }, 'z'))
show('merge union', tablex.merge({ a = 1, b = 2 }, { b = 3, c = 4 }, true))
show('merge intersection', tablex.merge({ a = 1, b = 2 }, { b = 3, c = 4 }, false))
show('difference', tablex.difference({ a = 1, b = 2, c = 3 }, { b = true }))
show('update', tablex.update({ a = 1 }, { b = 2 }))
show('index_by', tablex.index_by({ 'x', 'y', 'z' }, { 3, 1 }))
show('zip', tablex.zip({ 1, 2, 3 }, { 'a', 'b', 'c' }))
show('range', tablex.range(5, 1, -2))
show('removevalues', tablex.removevalues({ 1, 2, 3, 4, 5 }, 2, 3))
show('sub', tablex.sub({ 1, 2, 3, 4, 5 }, 2, -2))
show('makeset keys', sorted(tablex.keys(tablex.makeset({ 'q', 'p', 'q' }))))
show('count_map', tablex.count_map({ 'a', 'b', 'a', 'c', 'a' }))
show('set/new', tablex.new(3, 0))
show('compare', tablex.compare({ 1, 2, 3 }, { 1, 2, 3 }, '=='),
  tablex.compare_no_order({ 1, 2, 3 }, { 3, 1, 2 }))
show('index_map', tablex.index_map({ 'x', 'y' }))
show('copy is shallow', (function()
  local inner = { 1 }
  local c = tablex.copy({ inner = inner })
  return c.inner == inner, tablex.deepcopy({ inner = inner }).inner == inner
end)())
local sorted_pairs = {}
for k, v in tablex.sort({ c = 3, a = 1, b = 2 }) do
  sorted_pairs[#sorted_pairs + 1] = k .. '=' .. v
end
show('sort (iterator)', sorted_pairs)
local by_value = {}
for k, v in tablex.sortv({ c = 1, a = 3, b = 2 }) do
  by_value[#by_value + 1] = k .. '=' .. v
end
show('sortv (iterator)', by_value)

print('== pl.stringx')
show('split', stringx.split('a,b,,c', ','))
show('split ws', stringx.split('  one   two three '))
show('strip', '[' .. stringx.strip('  padded \t') .. ']')
show('lstrip/rstrip', '[' .. stringx.lstrip('  x  ') .. ']',
  '[' .. stringx.rstrip('  x  ') .. ']')
show('startswith', stringx.startswith('penlight', 'pen'),
  stringx.startswith('penlight', 'light'))
show('endswith', stringx.endswith('penlight', 'light'))
show('join', stringx.join('+', { 'a', 'b', 'c' }))
show('replace', stringx.replace('a.b.c', '.', '::'))
show('replace n', stringx.replace('aaaa', 'a', 'b', 2))
show('count', stringx.count('banana', 'an'))
show('ljust/rjust', '[' .. stringx.ljust('ab', 5, '.') .. ']',
  '[' .. stringx.rjust('ab', 5, '.') .. ']')
show('center', '[' .. stringx.center('mid', 9, '*') .. ']')
show('splitlines', stringx.splitlines('one\ntwo\r\nthree'))
show('partition', stringx.partition('key=value=x', '='))
show('rpartition', stringx.rpartition('key=value=x', '='))
show('at', stringx.at('hello', 2))
show('lines', (function()
  local acc = {}
  for line in stringx.lines('l1\nl2\nl3') do acc[#acc + 1] = line end
  return acc
end)())
show('title', stringx.title('the quick brown fox'))
show('shorten', stringx.shorten('a long sentence here', 10))
show('isdigit/isalpha', stringx.isdigit('12345'), stringx.isalpha('abc1'))
show('expandtabs', '[' .. stringx.expandtabs('a\tb', 4) .. ']')
show('rfind', stringx.rfind('abcabc', 'b'))
show('quote_string', stringx.quote_string('say "hi"'))
ok, err = pcall(stringx.split, 42)
show('split error', ok, err)

print('== pl.pretty')
local nested = { name = 'box', size = { w = 2, h = 3 }, tags = { 'a', 'b' },
  ['key with space'] = true }
print(pretty.write(nested))
print(pretty.write(nested, ''))
print(pretty.write({ 1, 2, { 3, { 4 } } }, ' '))
local back = pretty.read('{a = 1, b = {2, 3}, "s"}')
show('read', back)
show('read rejects code', pretty.read('{ f = function() end }'))
local cyc = { n = 1 }
cyc.self = cyc
print(pretty.write(cyc, ''))
show('number', pretty.number(123456, 'M'), pretty.number(2048, 'N'),
  pretty.number(1234567, 'T'))

print('== pl.class')
local Animal = class()
function Animal:_init(name, sound)
  self.name = name
  self.sound = sound
end
function Animal:speak()
  return self.name .. ' says ' .. self.sound
end
function Animal:__tostring()
  return 'Animal(' .. self.name .. ')'
end

local Dog = class(Animal)
function Dog:_init(name)
  self:super(name, 'woof')
  self.tricks = {}
end
function Dog:learn(trick)
  self.tricks[#self.tricks + 1] = trick
  return self
end
function Dog:speak()
  return Animal.speak(self) .. ' (' .. #self.tricks .. ' tricks)'
end

local cat = Animal('Tom', 'meow')
local rex = Dog('Rex'):learn('sit'):learn('roll')
show('speak', cat:speak(), rex:speak())
show('tostring inherited', tostring(rex))
show('is_a', rex:is_a(Dog), rex:is_a(Animal), cat:is_a(Dog))
show('class_of', Dog:class_of(rex), Dog:class_of(cat))
show('Dog._base is Animal', Dog._base == Animal)
show('tricks', rex.tricks)

local Point = class {
  _init = function(self, x, y) self.x, self.y = x, y end,
  __add = function(a, b) return a.__index.new(a.x + b.x, a.y + b.y) end,
  __eq = function(a, b) return a.x == b.x and a.y == b.y end,
  __tostring = function(p) return '(' .. p.x .. ',' .. p.y .. ')' end,
}
Point.new = function(x, y) return Point(x, y) end
show('point add', tostring(Point(1, 2) + Point(3, 4)))
show('point eq', Point(1, 1) == Point(1, 1), Point(1, 1) == Point(1, 2))

class.Shape()
function Shape:_init(sides) self.sides = sides end
function Shape:describe() return self._name .. ' with ' .. self.sides end
class.Square(Shape)
function Square:_init() self:super(4) end
show('named classes', Shape(3):describe(), Square():describe())

local Tagged = class()
Tagged._class_init = function(klass, arg) klass.tag = arg end
local Sub = class(Tagged, 'sub-tag')
show('_class_init', Sub.tag, rawget(Tagged, 'tag'))

local Rect = class(class.properties)
function Rect:_init(w, h) self._w, self._h = w, h end
function Rect:get_area() return self._w * self._h end
function Rect:set_width(w) self._w = w end
local r = Rect(2, 3)
show('property get', r.area)
r.width = 5
show('property set', r.area, r._w)

local Lenient = class()
Lenient:catch(function(self, key) return 'no ' .. key end)
show('catch handler', Lenient().anything)
ok, err = pcall(function() return Dog:cast(Animal('Kit', 'mew')):speak() end)
show('cast', ok, err)
