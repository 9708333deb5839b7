#!/usr/bin/env python3
"""A random Lua 5.4 program generator for differential testing.

Usage: gen.py SEED [--libs LIB,LIB,...] [--no-strarith]

Prints a Lua program, the same one for the same SEED and libraries. The
program prints deterministic output: it shows values through its own
show() (never an address: tables by their "tag" field, functions and
threads by type name; NaN as "nan" whatever its sign), and every loop is
bounded, so it ends in well under a second.

--libs names the libraries the interpreter has (Meson's lua_libraries,
comma-separated; by default all of them). The core sections below need
only the base library and coroutines; 'strarith', 'string', 'table',
'math' and 'utf8' each enable more (the others, such as 'io', are
accepted and unused). Without 'string', 'table', 'math' and 'utf8' the
program for a seed is the one this generator made before it had library
sections (only the first line differs).

What the programs exercise:
- expressions over integers, floats and strings, with edge values (0,
  -0.0, minint and maxint, 2^53 and 2^53+1, huge floats, inf and NaN from
  1/0 and 0/0, numeric and non-numeric strings) and every arithmetic,
  bitwise, comparison, concatenation, logical and unary operator, each
  evaluated inside pcall so errors print their messages; operands are
  literals, upvalues, locals, table fields and globals, so error messages
  name every kind of variable;
- tables with metatables (__index, __newindex, __add, __sub, __unm, __eq,
  __lt, __le, __concat, __call, __len, __band) in those expressions;
- numeric for loops with random bounds and steps (float steps, bounds at
  the integer limits, zero steps), while/repeat loops, goto;
- closures capturing loop variables, varargs with select('#'), multiple
  results, table constructors with open calls;
- error values of every type and levels, pcall/xpcall, coroutines;
- now and then (15%), an uncaught error at the end: a traceback on
  stderr and exit status 1.

The library sections (genlib.py) call string.format, the pattern
functions, table.sort, string.pack/unpack/packsize, the math, utf8 and
table functions; see genlib's docstring.

'strarith' in the libraries (or its absence, or --no-strarith) decides
whether strings are arithmetic operands: in Lua 5.4 that coercion is done
by the string library's metamethods, which an interpreter without the
string library lacks.

Importable: generate(seed, strarith=True, libs=None) returns the program
text (libs: an iterable of library names, None for all).
"""
import random
import sys

import genlib

# The libraries whose functions the generator can use, in --libs order.
ALL_LIBS = ('base', 'coroutine', 'strarith', 'string', 'table', 'math',
            'utf8')
# Those that bring library sections (strarith only changes operands).
SECTION_LIBS = ('string', 'table', 'math', 'utf8')

PRELUDE = r'''
local function show(v)
  local t = type(v)
  if t == "number" then
    if v ~= v then return "nan" end
    return tostring(v)
  elseif t == "string" then
    return '"' .. v .. '"'
  elseif t == "table" then
    return "table:" .. tostring(rawget(v, "tag"))
  elseif t == "nil" or t == "boolean" then
    return tostring(v)
  end
  return t
end
local function P(label, ...)
  local s = label .. " #" .. select("#", ...)
  for i = 1, select("#", ...) do s = s .. " " .. show((select(i, ...))) end
  print(s)
end
local function T(label, f, ...) P(label, pcall(f, ...)) end
local function num(x)
  if type(x) == "table" then return rawget(x, "n") end
  return x
end
local MT = { __name = "Obj" }
MT.__index = function(t, k)
  if type(k) == "string" then return k .. "@" .. tostring(rawget(t, "tag")) end
  return num(t) and k
end
MT.__newindex = function(t, k, v) rawset(t, "last", show(k) .. "=" .. show(v)) end
MT.__add = function(a, b) return num(a) + num(b) end
MT.__sub = function(a, b) return num(a) - num(b) end
MT.__unm = function(a) return -num(a) end
MT.__band = function(a, b) return num(a) & num(b) end
MT.__eq = function(a, b) return num(a) == num(b) end
MT.__lt = function(a, b) return num(a) < num(b) end
MT.__le = function(a, b) return num(a) <= num(b) end
MT.__concat = function(a, b) return "[" .. show(a) .. ".." .. show(b) .. "]" end
local function keep(v) return v end
MT.__call = function(self, ...) return show(self), select("#", ...), ... end
MT.__len = function(a) return num(a) end
local MT2 = { __index = { inherited = "yes", n = 99 } }
MT2.__call = setmetatable({}, { __call = function(self, obj, x) return "chained", x end })
'''

INTS = ['0', '1', '-1', '2', '3', '7', '10', '255', '256', '-128',
        '1000000', '0x7fffffffffffffff', '0x8000000000000000',
        '-0x7fffffffffffffff', '9007199254740993', '4611686018427387904',
        '0xff', '-9', '64', '63']
FLOATS = ['0.0', '-0.0', '0.5', '-1.5', '2.0', '3.25', '1e308', '-1e308',
          '1e-300', '9007199254740992.0', '1e15', '1e16', '0.1', '123.456',
          '9223372036854775808.0', '-9223372036854775808.0', '(1/0)',
          '(-1/0)', '-2.5', '7.0']
NANS = ['(0/0)', '(-(0/0))']
NUMSTRS = ['"10"', '"0x10"', '" 3 "', '"1e2"', '"2.5"', '"-7"',
           '"0x7fffffffffffffff"', '"9223372036854775808"', '"-0"',
           '"  -0x1p4  "', '"1e400"']
STRS = ['"abc"', '""', '"10 x"', '"x"', '"nan"', '"Z"', '"a\\0b"']
OTHERS = ['nil', 'true', 'false']
OBJECTS = ['O1', 'O2', 'O3', 'PL']

ARITH = ['+', '-', '*', '/', '//', '%', '^']
BITWISE = ['&', '|', '~', '<<', '>>']
COMPARE = ['==', '~=', '<', '<=', '>', '>=']


class Gen(genlib.LibSections):
    """Builds one program; every choice comes from one seeded Random."""

    def __init__(self, seed, strarith=True, libs=None):
        self.r = random.Random(seed)
        self.seed = seed
        self.libs = set(ALL_LIBS if libs is None else libs)
        if not strarith:
            self.libs.discard('strarith')
        self.strarith = 'strarith' in self.libs
        self.out = []
        self.count = 0
        self.vars = []        # (name, kind) of the program's variables

    # -- helpers ---------------------------------------------------------

    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p):
        return self.r.random() < p

    def emit(self, line):
        self.out.append(line)

    def label(self, prefix):
        self.count += 1
        return '%s%d' % (prefix, self.count)

    # -- values and leaves ------------------------------------------------

    def literal(self, kind):
        """A literal of kind 'int', 'float', 'nan', 'numstr', 'str',
        'other' or 'obj'."""
        return self.pick({'int': INTS, 'float': FLOATS, 'nan': NANS,
                          'numstr': NUMSTRS, 'str': STRS, 'other': OTHERS,
                          'obj': OBJECTS}[kind])

    def random_kind(self, want):
        """A leaf kind suitable for an operand of the class `want`."""
        if want == 'num':
            kinds = ['int'] * 6 + ['float'] * 4 + ['nan']
            if self.strarith:
                kinds += ['numstr']
        elif want == 'int':
            kinds = ['int'] * 8 + ['float']
        elif want == 'cat':           # concatenation: never NaN
            kinds = ['int'] * 3 + ['float'] * 2 + ['numstr', 'str'] * 2
        else:
            kinds = (['int'] * 4 + ['float'] * 3 + ['nan', 'numstr', 'str',
                     'other', 'obj'])
        if self.chance(0.04):          # now and then, a type error
            # Objects with __concat stay out of concatenations: lua5.4
            # (5.4.4) loses results when one fires inside a merged CONCAT
            # (see README), and only x_obj puts them there, isolated.
            kinds = ['other'] if want == 'cat' else ['other', 'obj']
            if self.strarith or want not in ('num', 'int'):
                kinds.append('str')
        return self.pick(kinds)

    def leaf(self, want):
        kind = self.random_kind(want)
        candidates = [name for name, k in self.vars if k == kind]
        if candidates and self.chance(0.55):
            return self.pick(candidates)
        return self.literal(kind)

    # -- expressions ------------------------------------------------------

    def expr(self, depth, want='any'):
        """An expression; `want` narrows what its value may be:
        'num' (numbers, or numeric strings with strarith), 'int',
        'cat' (safe to concatenate: never NaN) or 'any'."""
        if depth <= 0 or self.chance(0.3):
            return self.leaf(want)
        if want == 'cat':
            choice = self.pick(['concat', 'concat', 'concat', 'bitwise',
                                'len'])
        elif want == 'num':
            choice = self.pick(['arith'] * 5 + ['bitwise'] * 2 +
                               ['unary', 'andor', 'len'])
        elif want == 'int':
            choice = self.pick(['bitwise'] * 4 + ['idiv', 'len'])
        else:
            choice = self.pick(['arith'] * 4 + ['bitwise'] * 2 +
                               ['compare'] * 3 + ['concat'] * 2 +
                               ['unary', 'andor', 'not', 'len'] +
                               ['obj'] * 2)
        return getattr(self, 'x_' + choice)(depth - 1)

    def x_arith(self, d):
        op = self.pick(ARITH)
        return '(%s %s %s)' % (self.expr(d, 'num'), op, self.expr(d, 'num'))

    def x_idiv(self, d):
        op = self.pick(['//', '%'])
        return '(%s %s %s)' % (self.expr(d, 'int'), op, self.expr(d, 'int'))

    def x_bitwise(self, d):
        op = self.pick(BITWISE)
        return '(%s %s %s)' % (self.expr(d, 'int'), op, self.expr(d, 'int'))

    def x_compare(self, d):
        op = self.pick(COMPARE)
        want = self.pick(['num', 'num', 'cat', 'any'])
        return '(%s %s %s)' % (self.expr(d, want), op, self.expr(d, want))

    def x_concat(self, d):
        parts = [self.expr(d, 'cat') for _ in range(self.r.randint(2, 4))]
        return '(' + ' .. '.join(parts) + ')'

    def x_unary(self, d):
        op = self.pick(['-', '~', '- -'])
        want = 'int' if op == '~' else 'num'
        return '(%s %s)' % (op, self.expr(d, want))   # '- -1', not '--1'

    def x_andor(self, d):
        return '(%s and %s or %s)' % (self.expr(d, 'any'), self.expr(d, 'num'),
                                      self.expr(d, 'num'))

    def x_not(self, d):
        return '(not %s)' % self.expr(d, 'any')

    def x_len(self, d):
        return '(#%s)' % self.pick(['"abc"', 'SEQ', 'O1', self.leaf('cat'),
                                    self.leaf('cat'), self.leaf('any')])

    def x_obj(self, d):
        """An operation on one of the objects (O1 O2 with MT, O3 with
        MT2, PL without a metatable), on either side."""
        o, e = self.pick(OBJECTS), self.expr(d, 'num')
        a, b = (o, e) if self.chance(0.5) else (e, o)
        form = self.pick(['bin', 'bin', 'bin', 'unm', 'call', 'index',
                          'len', 'method', 'field'])
        if form == 'bin':
            op = self.pick(['+', '-', '*', '==', '~=', '<', '<=', '>', '..',
                            '&', '|'])
            if op == '..':  # a call keeps it out of an enclosing CONCAT
                return 'keep(%s .. %s)' % (a, b)
            return '(%s %s %s)' % (a, op, b)
        if form == 'unm':
            return '(- %s)' % o
        if form == 'call':
            return '%s(%s, %s)' % (o, e, self.leaf('any'))
        if form == 'index':
            return '%s[%s]' % (o, e)
        if form == 'len':
            return '(#%s)' % o
        if form == 'method':
            return '%s:method(%s)' % (o, e)
        return '%s.%s' % (o, self.pick(['field', 'n', 'tag', 'inherited']))

    # -- program sections -------------------------------------------------

    def declare_vars(self):
        kinds = ['int', 'int', 'int', 'float', 'float', 'nan', 'numstr',
                 'str', 'other', 'obj']
        names = []
        for i in range(self.r.randint(6, 10)):
            kind = self.pick(kinds)
            name = 'v%d' % i
            self.vars.append((name, kind))
            names.append((name, self.literal(kind)))
        self.emit('local ' + ', '.join(n for n, _ in names) + ' = ' +
                  ', '.join(v for _, v in names))
        # a few globals and fields, for messages naming them
        for i in range(3):
            kind = self.pick(kinds)
            self.vars.append(('G%d' % i, kind))
            self.emit('G%d = %s' % (i, self.literal(kind)))
        self.emit('local F = {}')
        for i in range(3):
            kind = self.pick(kinds)
            self.vars.append(('F.f%d' % i, kind))
            self.emit('F.f%d = %s' % (i, self.literal(kind)))

    def declare_objects(self):
        self.emit('local O1 = setmetatable({ tag = "O1", n = %s }, MT)'
                  % self.literal('int'))
        self.emit('local O2 = setmetatable({ tag = "O2", n = %s }, MT)'
                  % self.pick(['2.5', '-1', '0', '1e300', '0x7fffffffffffffff']))
        self.emit('local O3 = setmetatable({ tag = "O3" }, MT2)')
        self.emit('local PL = { tag = "PL" }')
        self.emit('local SEQ = { %s }' % ', '.join(
            self.literal('int') for _ in range(self.r.randint(0, 6))))
        self.emit('rawset(O1, "method", function(self, x) '
                  'return "m", show(self), show(x) end)')

    def s_expr(self):
        """An expression printed through pcall, with its operands as
        upvalues, or copied into locals first (register operands)."""
        label = self.label('e')
        e = self.expr(self.r.randint(1, 3))
        if self.chance(0.3):
            loc = [(n, 'a%d' % i) for i, (n, _) in enumerate(self.vars)
                   if '.' not in n and n in e]
            if loc:
                for old, new in loc:
                    e = replace_word(e, old, new)
                decl = 'local %s = %s ' % (', '.join(nw for _, nw in loc),
                                           ', '.join(o for o, _ in loc))
                self.emit('T("%s", function() %sreturn %s end)'
                          % (label, decl, e))
                return
        self.emit('T("%s", function() return %s end)' % (label, e))

    def s_numfor(self):
        label = self.label('f')
        forms = [
            lambda: (self.r.randint(-5, 5), self.r.randint(-5, 12),
                     self.pick([1, 2, 3, -1, -2, 1, 1])),
            lambda: (self.pick(['0', '1', '0.5', '-1.5']),
                     self.pick(['3', '2.5', '-3', '4.0']),
                     self.pick(['0.5', '0.25', '-0.5', '1.5', '0.1'])),
            lambda: ('0x7fffffffffffffff - %d' % self.r.randint(0, 4),
                     '0x7fffffffffffffff', self.pick(['1', '2', '3'])),
            lambda: ('0x8000000000000000 + %d' % self.r.randint(0, 4),
                     '0x8000000000000000', self.pick(['-1', '-2'])),
            lambda: ('0x8000000000000000', '0x7fffffffffffffff',
                     self.pick(['0x7fffffffffffffff', '1 << 62', '0x4000000000000001'])),
            lambda: (self.r.randint(-3, 3), self.pick(['1e100', '-1e100', '(1/0)',
                                                       '(0/0)', '2^53']),
                     self.pick(['1', '-1', '0x1000000000000000'])),
            lambda: (self.pick(['1', '"2"', 'nil', '1.5']),
                     self.pick(['3', '"4"', '{}', '3.5']),
                     self.pick(['0', '1', '"1"', '0.0', 'false'])),
        ]
        a, b, c = self.pick(forms)()
        body = self.pick(['acc = acc + i', 'acc = acc .. "," .. i',
                          'acc = acc + i * i', 'acc = (acc ~ i) & 0xffff'])
        init = '""' if '..' in body else '0'
        self.emit('T("%s", function() local n, acc = 0, %s '
                  'for i = %s, %s, %s do n = n + 1 %s '
                  'if n >= 40 then break end end return n, acc end)'
                  % (label, init, a, b, c, body))

    def s_while(self):
        label = self.label('w')
        k = self.r.randint(0, 12)
        skip = self.r.randint(1, 4)
        kind = self.pick(['while', 'repeat'])
        if kind == 'while':
            self.emit('T("%s", function() local i, s = 0, "" '
                      'while i < %d do i = i + 1 '
                      'if i %% %d == 0 then goto continue end s = s .. i '
                      '::continue:: end return i, s end)' % (label, k, skip))
        else:
            self.emit('T("%s", function() local i, s = 0, 0 '
                      'repeat local j = i * %d i = i + 1 s = s + j '
                      'until j >= %d or i > 20 return i, s end)'
                      % (label, skip, k))

    def s_goto(self):
        label = self.label('g')
        k = self.r.randint(1, 6)
        self.emit('T("%s", function() local fs = {} do local i = 0 ::top:: '
                  'local v = i * %d fs[#fs + 1] = function() return v end '
                  'i = i + 1 if i < %d then goto top end end '
                  'local s = 0 for j = 1, #fs do s = s + fs[j]() end '
                  'return #fs, s end)' % (label, self.r.randint(1, 9), k))

    def s_closures(self):
        label = self.label('c')
        lo, hi = self.r.randint(-2, 2), self.r.randint(-1, 6)
        mult = self.literal('int') if self.chance(0.5) else self.leaf('num')
        self.emit('T("%s", function() local fs = {} '
                  'for i = %d, %d do local j = i * 2 '
                  'fs[#fs + 1] = function(d) j = j + d return i, j end end '
                  'local out = "" for k = 1, #fs do local a, b = fs[k](%s) '
                  'local _, c = fs[k](1) out = out .. a .. ":" .. b .. ":" .. c .. " " end '
                  'return #fs, out end)' % (label, lo, hi, mult))
        # a shared upvalue between two closures
        label = self.label('c')
        self.emit('T("%s", function() local x = %s '
                  'local function get() return x end '
                  'local function set(v) x = v end '
                  'set(%s) local a = get() set(get()) return a, get() end)'
                  % (label, self.leaf('any'), self.expr(2, 'num')))

    def s_varargs(self):
        args = ', '.join(self.pick(['nil', self.leaf('any'), self.expr(1)])
                         for _ in range(self.r.randint(0, 5)))
        n = self.r.randint(-3, 4)
        label = self.label('v')
        self.emit('T("%s", function() local function f(...) '
                  'return select("#", ...), select(%d, ...) end '
                  'return f(%s) end)' % (label, n, args))
        label = self.label('v')
        self.emit('T("%s", function() local function f(...) local a, b = ... '
                  'local t = { ..., n = select("#", ...) } '
                  'return a, b, t.n, t[1], t[t.n] end return f(%s) end)'
                  % (label, args))
        label = self.label('v')
        self.emit('T("%s", function() local function three() return 1, 2, 3 end '
                  'local t = { three(), three(), (three()) } '
                  'return #t, t[4], select("#", three(), three()) end)' % label)

    def s_errors(self):
        label = self.label('x')
        value = self.pick(['"msg"', 'nil', '42', '2.5', 'true', 'PL', 'O1',
                           'print', 'coroutine.running()', self.expr(1)])
        level = self.pick(['', ', 0', ', 1', ', 2', ', 3'])
        self.emit('T("%s", function() error(%s%s) end)' % (label, value, level))
        label = self.label('x')
        self.emit('T("%s", function() local function inner() error(%s%s) end '
                  'local ok, e = pcall(inner) return ok, e, '
                  'select("#", pcall(error)) end)' % (label, value, level))
        label = self.label('x')
        self.emit('T("%s", function() return xpcall(function() return %s end, '
                  'function(m) return "handled " .. show(m) end) end)'
                  % (label, self.expr(2)))
        if self.chance(0.3):
            label = self.label('x')
            self.emit('T("%s", function() return xpcall(error, function() '
                      'error("again") end, %s) end)' % (label, value))

    def s_tables(self):
        label = self.label('t')
        keys = [self.pick(['1', '2', '1.0', '2.0', '2^53', '"k"', '-0.0',
                           '0', 'true', '0.5', '"1"', self.leaf('any')])
                for _ in range(self.r.randint(1, 5))]
        stores = ' '.join('t[%s] = %d' % (k, i) for i, k in enumerate(keys))
        reads = ', '.join('t[%s]' % k for k in keys)
        self.emit('T("%s", function() local t = {} %s return %s end)'
                  % (label, stores, reads))
        label = self.label('t')
        self.emit('T("%s", function() local t = setmetatable({}, MT) '
                  't.%s = %s local v = t.missing return t.last, v, rawget(t, "x") end)'
                  % (label, self.pick(['x', 'y']), self.leaf('any')))
        label = self.label('t')
        self.emit('T("%s", function() local t = setmetatable({}, MT2) '
                  'return t.inherited, t.n, t(%s) end)' % (label, self.leaf('any')))

    def s_coroutine(self):
        label = self.label('k')
        n = self.r.randint(0, 4)
        e = self.expr(2, 'num')
        self.emit('T("%s", function() local co = coroutine.wrap(function(a) '
                  'local s = a for i = 1, %d do s = s + coroutine.yield(s) end '
                  'return "end", s end) local r = { co(%s) } '
                  'for i = 1, %d do r = { co(i) } end return r[1], r[2] end)'
                  % (label, n, e, n))
        label = self.label('k')
        self.emit('T("%s", function() local co = coroutine.create(function(x) '
                  'local y = coroutine.yield(x) return %s end) '
                  'local a, b = coroutine.resume(co, 1) local c, d = coroutine.resume(co, 2) '
                  'local e, f = coroutine.resume(co) '
                  'return a, b, c, d, e, f, coroutine.status(co) end)'
                  % (label, self.expr(2)))

    def s_compare_branch(self):
        label = self.label('b')
        a, b = self.expr(2, 'num'), self.expr(2, 'num')
        op = self.pick(COMPARE)
        self.emit('T("%s", function() if %s %s %s then return "then" '
                  'elseif %s then return "elseif" else return "else" end end)'
                  % (label, a, op, b, self.expr(1)))

    def s_uncaught(self):
        """Ends the program with an uncaught error (status 1, with a
        traceback on stderr)."""
        value = self.pick(['"the end"', '42', 'nil', 'PL', 'O1', 'true'])
        lib_forms = self.lib_uncaught()
        if lib_forms and self.chance(0.4):
            self.emit(self.pick(lib_forms))
            return
        self.emit(self.pick([
            'local function last(x) local y = x + PL return y end last(1)',
            'error(%s)' % value,
            'error(%s, 2)' % value,
            'local r = O1 + PL',
            'local t = {} t.a.b = 1',
            'coroutine.wrap(function() error(%s) end)()' % value,
            'local function deep(n) if n == 0 then return O3 .. "" end '
            'return (deep(n - 1)) end deep(3)',
            'local co = coroutine.wrap(function() local t = nil '
            'return t.x end) co()',
        ]))

    def command_flags(self):
        """The gen.py options that make this program again."""
        if self.libs >= set(ALL_LIBS):
            return ''
        return ' --libs ' + ','.join(
            sorted(self.libs, key=lambda n: (n not in ALL_LIBS,
                                             ALL_LIBS.index(n)
                                             if n in ALL_LIBS else 0, n)))

    def program(self):
        self.emit('-- generated by tests/diff/gen.py, seed %d%s'
                  % (self.seed, self.command_flags()))
        self.out.append(PRELUDE.strip('\n'))
        with_libs = bool(self.libs & set(SECTION_LIBS))
        if with_libs:
            self.out.append(self.lib_prelude())
        self.declare_objects()
        self.declare_vars()
        sections = ([self.s_expr] * 12 + [self.s_numfor] * 3 +
                    [self.s_while, self.s_goto, self.s_closures,
                     self.s_varargs, self.s_errors, self.s_tables,
                     self.s_coroutine, self.s_compare_branch] * 1)
        for section, weight in self.lib_sections():
            sections += [section] * weight
        for _ in range(self.r.randint(25, 45)):
            self.pick(sections)()
        self.emit('print("done", %d)' % self.count)
        if self.chance(0.15):
            self.s_uncaught()
        return '\n'.join(self.out) + '\n'


def replace_word(text, old, new):
    """Replaces the identifier `old` by `new` where it is a whole word
    outside string literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
            continue
        if ch.isalpha() or ch == '_':
            j = i
            while j < n and (text[j].isalnum() or text[j] == '_'):
                j += 1
            word = text[i:j]
            prev = text[i - 1] if i > 0 else ''
            out.append(new if word == old and prev != '.' else word)
            i = j
            continue
        out.append(ch)
        i += 1
    return ''.join(out)


def generate(seed, strarith=True, libs=None):
    """The program for `seed` (see the module's docstring)."""
    return Gen(seed, strarith, libs).program()


def parse_libs(text):
    """The set of library names in a --libs value ("base,string,...")."""
    return {name.strip() for name in text.split(',') if name.strip()}


def main(argv):
    usage = 'usage: gen.py SEED [--libs LIB,LIB,...] [--no-strarith]\n'
    args, libs, strarith = [], None, True
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--no-strarith':
            strarith = False
        elif a == '--libs' and i + 1 < len(argv):
            i += 1
            libs = parse_libs(argv[i])
        elif a.startswith('--libs='):
            libs = parse_libs(a[len('--libs='):])
        elif a.startswith('--'):
            sys.stderr.write(usage)
            return 2
        else:
            args.append(a)
        i += 1
    if len(args) != 1 or not args[0].lstrip('-').isdigit():
        sys.stderr.write(usage)
        return 2
    sys.stdout.write(generate(int(args[0]), strarith, libs))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
