-- needs: string
-- Error messages of the string library: argument errors of every
-- function (called directly and as methods, whose argument numbers
-- shift), errors raised under Lua code (with the caller's position),
-- each pattern error from find, match, gsub and gmatch, and errors
-- raised by replacement functions, __index and __tostring passing
-- through.

local function try(label, f, ...)
  local ok, err = pcall(f, ...)
  print(label, ok, err)
end

-- wrong argument types, called through pcall directly
try('len', string.len, true)
try('sub', string.sub, 'x', 'y')
try('sub2', string.sub, {}, 1)
try('reverse', string.reverse)
try('lower', string.lower, nil)
try('upper', string.upper, print)
try('rep', string.rep, 'x', 'y')
try('rep neg', string.rep, 'x', -1)
try('byte', string.byte, 'x', 1, 'z')
try('char', string.char, 'a')
try('char range', string.char, 1, 2, 300)
try('dump', string.dump, 'f')
try('dump C', string.dump, string.len)
try('find', string.find)
try('find2', string.find, 'x')
try('find3', string.find, 'x', 'x', 'y')
try('match', string.match, 'x', {})
try('gmatch', string.gmatch, {})
try('gsub', string.gsub, 'x', 'x')
try('gsub4', string.gsub, 'x', 'x', 'y', {})
try('format', string.format)
try('format arg', string.format, '%d', 'x')
try('pack', string.pack)
try('pack arg', string.pack, 'i', 'x')
try('unpack', string.unpack, 'i')
try('packsize', string.packsize, {})

-- as methods, from Lua code: the position is the caller's line, and the
-- self argument is not counted
try('m rep', function() return ('x'):rep() end)
try('m rep size', function() return ('x'):rep(1 << 40) end)
try('m sub', function() return ('x'):sub() end)
try('m byte', function() return ('x'):byte({}) end)
try('m find', function() return ('x'):find() end)
try('m find pat', function() return ('x'):find('[') end)
try('m match', function() return ('x'):match('(') end)
try('m gsub', function() return ('x'):gsub('x') end)
try('m gsub repl', function() return ('x'):gsub('x', '%9') end)
try('m format', function() return ('%d'):format('z') end)
try('m format spec', function() return ('%#d'):format(1) end)
try('m format q', function() return ('%q'):format({}) end)
try('m pack', function() return ('i17'):pack(1) end)
try('m unpack', function() return ('i4'):unpack('x') end)
try('m char', function() return string.char(65, -1) end)

-- pattern errors from every pattern function
for _, p in ipairs({'%', '[', '[^', '[a', '[]', '%b', '%ba', '%f', '%fx',
    '(', ')', '%1', '(%1)', '(()%2)', '%0', ('()'):rep(33),
    ('x?'):rep(250) .. ('x'):rep(250)}) do
  local shown = #p > 20 and (p:sub(1, 20) .. '...') or p
  try('find ' .. shown, string.find, ('x'):rep(250), p)
  try('match ' .. shown, string.match, ('x'):rep(250), p)
  try('gsub ' .. shown, string.gsub, ('x'):rep(250), p, '')
  try('gmatch ' .. shown, function()
    for _ in string.gmatch(('x'):rep(250), p) do end
  end)
end

-- errors inside replacement functions and __tostring pass through
try('gsub fn error', string.gsub, 'abc', '%w', function() error('in fn') end)
try('gsub fn error table', function()
  local ok, e = pcall(string.gsub, 'abc', '%w', function() error({code = 7}) end)
  return tostring(ok) .. ' ' .. type(e) .. ' ' .. tostring(e.code)
end)
local bad = setmetatable({}, {__tostring = function() return {} end})
try('format bad tostring', string.format, '%s', bad)
local boom = setmetatable({}, {__tostring = function() error('tostring boom') end})
try('format tostring error', string.format, '%5s', boom)
try('gsub index error', string.gsub, 'abc', '%w',
    setmetatable({}, {__index = function() error('index boom') end}))

-- a pattern too complex, and many captures passed to a function
local deep = ('a?'):rep(200) .. ('a'):rep(200)
try('too complex', string.find, ('a'):rep(200), deep)
try('32 captures to function', function()
  local n
  string.gsub(('a'):rep(32), ('(a)'):rep(32), function(...) n = select('#', ...) end)
  return n
end)

-- an iterator whose first match is fine and whose second attempt fails
local it = string.gmatch('y' .. ('x'):rep(250) .. 'y', ('x?'):rep(250) .. 'y')
print('iterator', it(), pcall(it))
