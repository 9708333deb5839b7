"""The standard-library sections of gen.py's programs.

gen.Gen inherits LibSections; its program() adds these sections to the
core ones for the libraries the interpreter under test has (gen.py's
--libs). Every section is one or a few T(...) calls, like the core ones,
so an error prints its message through pcall. What each covers:

- s_format: string.format with every conversion (c d i u o x X a A e E f
  g G s q p %% and invalid ones), random flags, widths and precisions
  (valid ones mostly, invalid ones now and then), %q on integers (minint
  included), floats (hex, inf, NaN), strings with every escape, and the
  argument errors (no value, wrong type, no integer representation,
  string contains zeros, '__tostring' results);
- s_pattern: string.find/match/gmatch/gsub with random patterns (classes,
  sets with ranges and complements, the four quantifiers, anchors,
  captures, position captures, %b, %f, back references) over random and
  fixed subjects, with init positions and plain finds; gsub with string,
  table and function replacements and a maximum count; and malformed
  patterns (each error of the matcher, too many captures, a pattern too
  complex);
- s_sort: table.sort on arrays of integers, floats, strings and records,
  with and without comparators; inconsistent comparators only print
  whether sort raised (and the message), never the array;
- s_pack: string.pack/unpack/packsize with random formats (endianness,
  alignment, every option, sizes) and values in and out of range,
  unpacking the result, at other positions and with other formats;
- s_math, s_utf8, s_tablefns, s_strmisc: light use of the math library
  (integer functions, floor/ceil/modf/fmod/ult/tointeger/type, the
  random generator after math.randomseed), utf8, table.concat/insert/
  remove/unpack/move/pack and the simple string functions.

Determinism: no value whose text depends on the C library beyond what
printf does identically (no sin/exp/log: float results come from exact
operations), no NaN through printf (only through show() and %q), no
addresses (%p only of non-collectable values, %s only of tables with a
__tostring), arrays kept under 128 elements so that sort never draws
its random pivot.
"""

# Printing helpers, emitted after gen.PRELUDE when a library section can
# be generated. A and the objects use only the base library; H and X (a
# printable and a hex form of a string) need string.byte and string.sub.
PRELUDE_BASE = r'''
local function A(t, n)
  local s = "{"
  for i = 1, n or #t do s = s .. (i > 1 and "," or "") .. show(t[i]) end
  return s .. "}"
end
local TS = setmetatable({ tag = "TS" },
  { __tostring = function() return "TS!" end })
local TB = setmetatable({ tag = "TB" },
  { __tostring = function() return 42 end })
local RT = { a = "A", b = false, x = {}, hello = "HI", ["1"] = 1.5,
  [" "] = "_" }
'''

PRELUDE_STRING = r'''
local function H(s)
  if type(s) ~= "string" then return s end
  local r = ""
  for i = 1, #s do
    local b = string.byte(s, i)
    if b >= 32 and b < 127 and b ~= 92 then r = r .. string.sub(s, i, i)
    else r = r .. "\\" .. (b < 10 and "00" or b < 100 and "0" or "") .. b end
  end
  return r
end
local HEXDIGITS = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                    "a", "b", "c", "d", "e", "f" }
local function X(s)
  local r = ""
  for i = 1, #s do
    local b = string.byte(s, i)
    r = r .. HEXDIGITS[b // 16 + 1] .. HEXDIGITS[b % 16 + 1]
  end
  return r
end
'''


def lua_str(s):
    """A Lua string literal for `s`, a str whose characters are bytes
    (code points below 256)."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append('\\' + ch)
        elif 32 <= c < 127:
            out.append(ch)
        else:
            out.append('\\%03d' % c)
    out.append('"')
    return ''.join(out)


def utf8_bytes(text):
    """`text` encoded in UTF-8, as a str of bytes (for lua_str)."""
    return text.encode('utf-8').decode('latin-1')


# -- string.format ------------------------------------------------------------

FMT_FLAGS = {'d': '-+ 0', 'i': '-+ 0', 'u': '-0', 'o': '-#0', 'x': '-#0',
             'X': '-#0', 'a': '-+ #0', 'A': '-+ #0', 'e': '-+ #0',
             'E': '-+ #0', 'f': '-+ #0', 'g': '-+ #0', 'G': '-+ #0',
             'c': '-', 's': '-', 'p': '-', 'q': ''}
FMT_CONVS = (['d', 'i', 'x', 'X', 'f', 'g', 'e', 's', 'q'] * 3 +
             ['u', 'o', 'c', 'E', 'G', 'a', 'A', 'p'])
FMT_BAD_CONVS = ['F', 'y', 'b', 'n', 'l', 'h', 'L', 'z', '%', '!']
FMT_INT_ARGS = ['0', '1', '-1', '42', '255', '-128', '1000000', '7',
                '0x7fffffffffffffff', '0x8000000000000000', '3.0', '-0.0',
                '2^53', '1e15', '"10"', '" 0x10 "', '"7.0"', '-9', '100']
FMT_CHAR_ARGS = ['65', '97', '48', '32', '126', '0', '10', '255', '256',
                 '-1', '"66"', '90.0']
FMT_FLOAT_ARGS = ['0', '1', '-1', '0.5', '-0.0', '0.1', '(1/3)', '1e308',
                  '-1e-300', '2^63', '1e15', '123.456', '(1/0)', '(-1/0)',
                  '0x7fffffffffffffff', '0x8000000000000000', '"1.5"',
                  '"0x1p4"', '5e-324', '-2.5', '1e100', '255', '0.125',
                  '2^-1074 * 3', '99.995', '0.000123']
FMT_STR_ARGS = ['"abc"', '""', '"hello world"', '12', '1.5', '-0.0', '1e100',
                '2^63', 'true', 'false', 'nil', 'TS', '"x y"',
                lua_str('%d\t%s'), lua_str('ab' * 60), lua_str('\xe9t\xe9')]
FMT_Q_ARGS = ['0', '-1', '42', '0x7fffffffffffffff', '0x8000000000000000',
              '1.5', '-0.0', '0.1', '1e308', '(1/0)', '(-1/0)', '(0/0)',
              '2^53', '1e100', '-2.5', '5e-324', 'true', 'false', 'nil',
              '"abc"', '""', lua_str('a"b\\c'), lua_str('line\nnext\r'),
              lua_str('\x00'), lua_str('\x001'), lua_str('\x01\x7f\xff'),
              lua_str('tab\there'), lua_str('\x1b[0m9'), '"9"', '"1e2"']
FMT_BAD_ARGS = ['"x"', 'nil', '{}', 'TS', '2.5', 'true', 'print', '1e100',
                lua_str('a\x00b'), 'TB']
FMT_TEXT = ['', '', '', 'x=', ' ', '[', ']', '%%', '<%%>', 'a b', '\t',
            '-', '%%%%']


# -- patterns -----------------------------------------------------------------

PAT_SPECIAL = '^$*+?.([%-)]'
PAT_LITERALS = 'abcxyz0129 ,=-.()[]%+*?$/'
PAT_CLASSES = 'adlswuxpcgADLSWUXPCG'
SUBJECTS = ['hello world', ' key = value ', 'a,b,,c', 'f(a(b)c)d',
            'THE (quick) fox', 'x=10, y=20', 'aaa', '', 'abc123def456',
            '[[x]] [y]', 'a.b-c+d*e?', '100% sure', 'one  two   three',
            'a\x00b\x00', 'ab\n cd\t', '\xe4\xf6x', '(()', 'x)(y', 'THE end',
            '$12.50 + 3%', 'aXbXc', '  ', 'abab-baba', 'x[1] = y[2]']
SUBJECT_CHARS = 'ab01 (),.=-xA[]%'
PAT_MALFORMED = ['%', 'a%', '[a', '[^', '[a-', '[%', '(', 'a(b', ')', 'a)',
                 '%b', '%ba', '%f', '%fa', '%f[a', '%1', '(a)%2', '%0',
                 '(()%1', '(a%1)', '[]', '[^]', 'a[%]', '%g%', '(%b()']
REPL_STRINGS = ['"<%0>"', '"%1"', '"%2-%1"', '"%%"', '"x"', '""', '"[%1]"',
                '"%0%0"', '"%1%%"', '"a%"', '"%x"', '"%9"', '"%2"']
REPL_OTHERS = ['RT', 'RT', 'function(a, b) return show(a) .. show(b) end',
               'function(...) return select("#", ...) end',
               'function(a) end', 'function(a) return false end',
               'function(a) return a .. a end', 'function() return 2.5 end',
               'function() return {} end',
               'function(a) error("repl " .. show(a)) end',
               'function(a) error({}) end']
REPL_BAD = ['true', 'nil', '1.5', 'print', '{}']


# -- table.sort ---------------------------------------------------------------

SORT_WORDS = ['"pear"', '"apple"', '"fig"', '"Fig"', '""', '"a"', '"ab"',
              '"b"', '"10"', '"9"', lua_str('a\x00b'), lua_str('a\x00'),
              lua_str('\xe9'), '" "', '"apple"']


# -- string.pack --------------------------------------------------------------

PACK_INTS = {'b': (1, True), 'B': (1, False), 'h': (2, True), 'H': (2, False),
             'i': (4, True), 'I': (4, False), 'l': (8, True), 'L': (8, False),
             'j': (8, True), 'J': (8, False), 'T': (8, False)}
PACK_FLOATS_F = ['0.5', '-2.25', '1e10', '0', '-0.0', '3', '(1/0)', '(-1/0)',
                 '0.1', '65504', '-1', '2^-149', '1e-3']
PACK_FLOATS_D = ['0.1', '1e308', '5e-324', '-0.0', '(1/0)', '3', '1.5',
                 '0x7fffffffffffffff', '-2^63', '(1/3)', '2^53 + 1', '"2.5"']
PACK_STRINGS = ['"abc"', '""', '"hello"', lua_str('\x00\x01\xff'), '"x"',
                lua_str('a' * 300), '"12345678"']
PACK_TWINS = {'b': 'B', 'B': 'b', 'h': 'H', 'H': 'h', 'i': 'I', 'I': 'i',
              'l': 'LjJdnT', 'L': 'ljJdnT', 'j': 'lLJdnT', 'J': 'lLjdnT',
              'T': 'lLjJdn', 'd': 'lLjJnT', 'n': 'lLjJdT', 'f': 'iI'}
PACK_BAD_OPTS = ['y', 'w', 'i0', 'i17', 'I99', '!3', '!17', 'c', 'X', 'Xc2',
                 'Xz', 's0', 'u']


# -- utf8 ---------------------------------------------------------------------

UTF8_STRINGS = [
    'hello', '', utf8_bytes('h\u00e9llo'), utf8_bytes('\u20ac1'),
    utf8_bytes('\U0001F600x'), utf8_bytes('a\u00df\u4e2d\U00010348'),
    '\xff', 'a\x80b', '\xc0\x80', '\xed\xa0\x80', '\xf4\x90\x80\x80',
    '\xf8\x88\x80\x80\x80', '\xfc\x84\x80\x80\x80\x80', '\xe2\x82',
    utf8_bytes('\u00e9') + '\xe9', 'a\x00b', utf8_bytes('\U0010FFFF'),
    '\xfd\xbf\xbf\xbf\xbf\xbf']
UTF8_CODES = ['72', '0x20AC', '0x10FFFF', '0x7FFFFFFF', '0x110000', '0',
              '0xD800', '127', '128', '2047', '2048', '65535', '65536',
              '0x3FFFFFF', '0x4000000']
UTF8_BAD_CODES = ['-1', '0x80000000', '"x"', '1.5', 'nil',
                  '0x7fffffffffffffff']


# -- math ---------------------------------------------------------------------

MATH_VALUES = ['0', '1', '-1', '7', '-7', '3', '0x7fffffffffffffff',
               '0x8000000000000000', '2^53', '2^63', '-2^63', '3.0', '-0.0',
               '3.5', '-3.5', '0.5', '1e308', '(1/0)', '(-1/0)', '(0/0)',
               '"10"', '"3.5"', '" 0x10 "', '"x"', 'nil', '{}', '1e100',
               '-2.5', '2^31', '255']


class LibSections:
    """Mixed into gen.Gen: the sections that call library functions.
    Uses Gen's pick/chance/emit/label/r and its `libs` set."""

    def lib_prelude(self):
        text = PRELUDE_BASE.strip('\n')
        if 'string' in self.libs:
            text += '\n' + PRELUDE_STRING.strip('\n')
        return text

    def lib_sections(self):
        """(section, weight) for the libraries in self.libs."""
        table = {
            'string': [(self.s_format, 5), (self.s_pattern, 6),
                       (self.s_pack, 3), (self.s_strmisc, 1)],
            'table': [(self.s_sort, 2), (self.s_tablefns, 2)],
            'math': [(self.s_math, 2)],
            'utf8': [(self.s_utf8, 1)],
        }
        out = []
        for lib in ('string', 'table', 'math', 'utf8'):
            if lib in self.libs:
                out += table[lib]
        return out

    def lib_uncaught(self):
        """Library errors that may end a program uncaught (tracebacks
        through C functions)."""
        forms = []
        if 'string' in self.libs:
            forms += ['string.rep()',
                      'local s = ("x"):rep(2, {})',
                      'string.gsub("abc", "%w", function(c) '
                      'error("no " .. c) end)',
                      'print(string.format("%d", 1.5))',
                      'string.find("a", "[a")']
        if 'table' in self.libs:
            forms += ['table.sort({3, 1, 2}, function(a, b) '
                      'error("cmp " .. a .. b) end)',
                      'table.insert({}, 5, 1)',
                      'print(table.concat({1, {}, 3}))']
        if 'math' in self.libs:
            forms += ['math.random(2, 1)', 'local x = math.fmod(1, 0)']
        return forms

    def printable(self, expr):
        """`expr` made printable (H needs the string library)."""
        return 'H(%s)' % expr if 'string' in self.libs else expr

    # -- string.format --------------------------------------------------------

    def format_item(self):
        """One conversion specification and its arguments."""
        conv = self.pick(FMT_BAD_CONVS if self.chance(0.04) else FMT_CONVS)
        valid = FMT_FLAGS.get(conv, '-+ #0')
        if self.chance(0.93):
            flags = ''.join(self.r.sample(valid, self.r.randint(
                0, min(2, len(valid)))))
        else:
            flags = ''.join(self.pick('-+ #0')
                            for _ in range(self.r.randint(1, 3)))
        width = ''
        if self.chance(0.5):
            width = str(self.r.randint(1, 30))
        elif self.chance(0.04):
            width = self.pick(['100', '999', '05', '0'])
        prec = ''
        if self.chance(0.4 if conv not in 'cpq' else 0.05):
            prec = '.' + self.pick(['', '0', '1', '3',
                                    str(self.r.randint(1, 20)),
                                    '99' if self.chance(0.2) else '5',
                                    '100' if self.chance(0.2) else '2'])
        if conv == 'q' and self.chance(0.8):
            flags, width, prec = '', '', ''
        if self.chance(0.01):                      # too long a format
            flags = '-' * self.r.randint(20, 24)
        spec = '%' + flags + width + prec + conv
        if conv == 'p':
            # %p shows the address of a collectable value (strings too)
            return spec, [self.pick(['nil', 'true', 'false', '1', '2.5',
                                     '(0/0)', '0x7fffffffffffffff'])]
        if conv == '%' or self.chance(0.03):
            return spec, [self.pick(FMT_INT_ARGS)] if conv != '%' else []
        if self.chance(0.05):
            # %s shows a table's address unless __tostring says otherwise
            bad = (['TB', lua_str('a\x00b')] if conv == 's'
                   else FMT_BAD_ARGS)
            return spec, [self.pick(bad)]
        pool = {'c': FMT_CHAR_ARGS, 's': FMT_STR_ARGS, 'q': FMT_Q_ARGS}
        if conv in 'aAeEfgG':
            return spec, [self.pick(FMT_FLOAT_ARGS)]
        return spec, [self.pick(pool.get(conv, FMT_INT_ARGS))]

    def s_format(self):
        label = self.label('sf')
        fmt = self.pick(FMT_TEXT)
        args = []
        for _ in range(self.r.randint(1, 3)):
            spec, a = self.format_item()
            fmt += spec + self.pick(FMT_TEXT)
            args += a
        if self.chance(0.04):
            fmt += self.pick(['%', '%-', '%5'])      # ends inside a spec
        if args and self.chance(0.05):
            args.pop()                              # "no value"
        elif self.chance(0.05):
            args.append('"extra"')                  # ignored
        lit = lua_str(fmt)
        call = ('(%s):format(%s)' % (lit, ', '.join(args))
                if self.chance(0.15) else
                'string.format(%s)' % ', '.join([lit] + args))
        self.emit('T("%s", function() return H(%s) end)' % (label, call))
        if self.chance(0.1):
            # what %q writes reads back as the same value
            label = self.label('sf')
            v = self.pick(FMT_Q_ARGS)
            kind = 'math.type(v)' if 'math' in self.libs else 'type(v)'
            self.emit('T("%s", function() local s = string.format("%%q", %s) '
                      'local v = load("return " .. s)() '
                      'return H(s), v == %s or v ~= v, %s end)'
                      % (label, v, v, kind))

    # -- patterns -------------------------------------------------------------

    def subject(self):
        if self.chance(0.5):
            return self.pick(SUBJECTS)
        return ''.join(self.pick(SUBJECT_CHARS)
                       for _ in range(self.r.randint(0, 14)))

    def pat_set(self):
        items = []
        for _ in range(self.r.randint(1, 3)):
            kind = self.pick(['range', 'char', 'char', 'class', 'escape'])
            if kind == 'range':
                items.append(self.pick(['a-c', '0-9', 'x-z', 'A-Z', 'a-a',
                                        'c-a', '(-.']))
            elif kind == 'char':
                items.append(self.pick('abc01 ,.-=()x'))
            elif kind == 'class':
                items.append('%' + self.pick(PAT_CLASSES))
            else:
                items.append('%' + self.pick(']-%^['))
        body = ''.join(items)
        if self.chance(0.08):
            body = ']' + body
        if self.chance(0.08):
            body += '-'
        return '[' + ('^' if self.chance(0.3) else '') + body + ']'

    def pat_single(self):
        kind = self.pick(['lit', 'lit', 'lit', 'dot', 'class', 'class', 'set'])
        if kind == 'lit':
            ch = self.pick(PAT_LITERALS)
            return '%' + ch if ch in PAT_SPECIAL else ch
        if kind == 'dot':
            return '.'
        if kind == 'class':
            return '%' + self.pick(PAT_CLASSES + 'z')
        return self.pat_set()

    def pat_seq(self, depth, st):
        out = []
        for _ in range(self.r.randint(1, 4)):
            kind = self.pick(['single'] * 6 + ['capture'] * 2 +
                             ['poscap', 'balance', 'frontier', 'backref'])
            if kind == 'capture' and depth > 0 and st['open'] < 6:
                st['open'] += 1
                inner = self.pat_seq(depth - 1, st)
                st['closed'] += 1
                out.append('(' + inner + ')')
            elif kind == 'poscap':
                st['open'] += 1
                st['closed'] += 1
                out.append('()')
            elif kind == 'balance':
                out.append('%b' + self.pick(['()', '()', '[]', 'ab', 'xx',
                                             '((']))
            elif kind == 'frontier':
                out.append('%f' + self.pick([self.pat_set(), '[%w]', '[%s]',
                                             '[%z]', '[^%z]', '[a-z]']))
            elif kind == 'backref' and st['closed'] > 0:
                out.append('%%%d' % self.r.randint(1, st['closed']))
            else:
                item = self.pat_single()
                if st['quant'] < 3 and self.chance(0.45):
                    st['quant'] += 1
                    item += self.pick('*+-?')
                out.append(item)
        return ''.join(out)

    def pat_class_of(self, ch):
        """A class item that matches the byte `ch`: one it belongs to,
        or the complement of one it is outside (C locale)."""
        inside = [cl for cl, test in CLASS_TESTS.items() if test(ord(ch))]
        if inside and self.chance(0.7):
            return '%' + self.pick(inside)
        outside = [cl for cl in CLASS_TESTS if cl not in inside]
        return '%' + self.pick(outside).upper()

    def pat_from(self, subj, st):
        """A pattern made to match a piece of `subj` (so that matches
        are frequent), with a capture or two and quantified runs."""
        i = self.r.randint(0, len(subj))
        j = min(len(subj), i + self.r.randint(1, 8))
        out = []
        k = i
        while k < j:
            ch = subj[k]
            kind = self.pick(['lit', 'lit', 'class', 'class', 'dot', 'set',
                              'run', 'run', 'capture', 'poscap'])
            if kind == 'run' and st['quant'] < 3:
                item = self.pat_class_of(ch)
                st['quant'] += 1
                quant = self.pick('+*-')
                if quant != '-' or self.chance(0.5):
                    # a greedy item eats the rest of the run
                    cls = CLASS_TESTS.get(item[1].lower())
                    while (k + 1 < j and cls and
                           cls(ord(subj[k + 1])) == item[1].islower()):
                        k += 1
                out.append(item + quant)
            elif kind == 'capture' and st['open'] < 6:
                n = self.r.randint(1, 3)
                piece = ''.join(self.pat_literal(c) for c in subj[k:k + n])
                st['open'] += 1
                st['closed'] += 1
                out.append('(' + piece + ')')
                k += n - 1
            elif kind == 'poscap':
                st['open'] += 1
                st['closed'] += 1
                out.append('()' + self.pat_literal(ch))
            elif kind == 'class':
                out.append(self.pat_class_of(ch))
            elif kind == 'dot':
                out.append('.')
            elif kind == 'set':
                lit = self.pat_literal(ch)
                out.append('[' + self.pick(['', 'x', '%d', 'a-c']) + lit + ']')
            else:
                out.append(self.pat_literal(ch))
            k += 1
        if st['closed'] and self.chance(0.15):
            out.append('%%%d' % self.r.randint(1, st['closed']))
        p = ''.join(out)
        # anchors mostly where they hold
        if self.chance(0.6 if i == 0 else 0.05):
            p = '^' + p
        if self.chance(0.5 if j == len(subj) else 0.05):
            p += '$'
        return p

    def pat_literal(self, ch):
        if ch in PAT_SPECIAL:
            return '%' + ch
        if ch == '\x00':
            return self.pick(['%z', '\x00', '%c'])
        return ch

    def pattern(self, subj=''):
        if self.chance(0.7):
            return self.pat_from(subj, {'open': 0, 'closed': 0, 'quant': 0})
        if self.chance(0.1):
            bad = self.pick(PAT_MALFORMED)
            if self.chance(0.5):
                return bad
            st = {'open': 0, 'closed': 0, 'quant': 0}
            return self.pat_seq(1, st) + bad
        if self.chance(0.01):
            return '()' * 33                 # too many captures
        if self.chance(0.01):
            return 'a?' * 210                # pattern too complex
        st = {'open': 0, 'closed': 0, 'quant': 0}
        p = self.pat_seq(2, st)
        if self.chance(0.25):
            p = '^' + p
        if self.chance(0.2):
            p += '$'
        return p

    def init_arg(self, subj):
        """An init position: mostly inside `subj`, now and then an edge."""
        n = max(1, len(subj))
        if self.chance(0.75):
            return self.pick([str(self.r.randint(1, n)),
                              str(-self.r.randint(1, n)), '1', '2'])
        return self.pick(['0', str(len(subj) + 1), str(len(subj) + 2), '100',
                          '-100', '3.0', '"2"', '0x7fffffffffffffff',
                          '0x8000000000000000', '2.5'])

    def s_pattern(self):
        label = self.label('sp')
        subj = self.subject()
        s, p = lua_str(subj), lua_str(self.pattern(subj))
        form = self.pick(['find', 'find', 'match', 'match', 'gmatch', 'gsub',
                          'gsub', 'gsub'])
        if form in ('find', 'match'):
            args = [s, p]
            if self.chance(0.4):
                args.append(self.init_arg(subj))
                if form == 'find' and self.chance(0.3):
                    args.append(self.pick(['true', 'false', 'nil', '1']))
                    if self.chance(0.6):
                        # a plain find of a piece of the subject
                        k = self.r.randint(0, len(subj))
                        args[1] = lua_str(subj[k:k + self.r.randint(0, 4)])
            if self.chance(0.2):
                call = '(%s):%s(%s)' % (s, form, ', '.join(args[1:]))
            else:
                call = 'string.%s(%s)' % (form, ', '.join(args))
            self.emit('T("%s", function() return %s end)' % (label, call))
        elif form == 'gmatch':
            init = ', ' + self.init_arg(subj) if self.chance(0.25) else ''
            self.emit('T("%s", function() local n, out = 0, "" '
                      'for a, b in string.gmatch(%s, %s%s) do n = n + 1 '
                      'out = out .. show(a) .. "," .. show(b) .. ";" '
                      'if n >= 30 then break end end return n, H(out) end)'
                      % (label, s, p, init))
        else:
            roll = self.r.random()
            if roll < 0.55:
                repl = self.pick(REPL_STRINGS)
            elif roll < 0.95:
                repl = self.pick(REPL_OTHERS)
            else:
                repl = self.pick(REPL_BAD)
            n = ''
            if self.chance(0.3):
                n = ', ' + self.pick(['0', '1', '2', '-1', '"1"', '3',
                                      '0x7fffffffffffffff', '2.0', '2.5'])
            self.emit('T("%s", function() local r, k = string.gsub(%s, %s, '
                      '%s%s) return H(r), k end)' % (label, s, p, repl, n))

    # -- table.sort -----------------------------------------------------------

    def sort_array(self, kind, n):
        if kind == 'int':
            span = self.pick([3, 20, 1000])
            vals = [str(self.r.randint(-span, span)) for _ in range(n)]
            if self.chance(0.2) and n:
                vals[self.r.randrange(n)] = self.pick(
                    ['0x7fffffffffffffff', '0x8000000000000000'])
            return vals
        if kind == 'float':
            return [self.pick([repr(self.r.randint(-40, 40) / 4), '-0.0',
                               '1e308', '(1/0)', '(-1/0)', '0.1'])
                    for _ in range(n)]
        if kind == 'mixed':
            # equal integers and floats: which comes first is up to the
            # algorithm, the same in every 5.4
            return [self.pick([str(self.r.randint(-5, 5)),
                               repr(self.r.randint(-20, 20) / 4)] * 4 +
                              ['2^53', '9007199254740993', '2^63',
                               '0x7fffffffffffffff'])
                    for _ in range(n)]
        if kind == 'str':
            return [self.pick(SORT_WORDS) for _ in range(n)]
        return ['{ k = %d, tag = "r%d" }' % (self.r.randint(0, 5), i)
                for i in range(n)]

    def s_sort(self):
        label = self.label('ts')
        if self.chance(0.12):
            self.emit('T("%s", function() %s end)' % (label, self.pick([
                'table.sort(nil)', 'table.sort({3, 1, 2}, 3)',
                'local t = {3, "1", 2} table.sort(t) return A(t)',
                'local t = {1, {}} table.sort(t) return A(t)',
                'table.sort(setmetatable({}, { __len = function() '
                'return 1 << 40 end }))',
                'table.sort(setmetatable({}, { __len = function() '
                'return 2.5 end }))',
                'local t = {2, 1} table.sort(t, nil) return A(t)',
                'local t = {} table.sort(t, function() error("x") end) '
                'return A(t)',
                'local t = {5} table.sort(t, 5) return A(t)',
                'local d = {5, 3, 9, 1, 7, 3} local p = setmetatable({}, '
                '{ __index = d, __newindex = d, __len = function() '
                'return #d end }) table.sort(p) return A(d), rawlen(p)',
                'local t = {3, 1, 2} table.sort(t, function(a, b) '
                'error("cmp " .. a .. b) end)',
                'local t = {3, 1, 2} table.sort(t, function(a, b) '
                'return a + "x" end)',
            ])))
            return
        n = self.pick([0, 1, 2, 3, self.r.randint(4, 12),
                       self.r.randint(4, 12), self.r.randint(13, 100)])
        kind = self.pick(['int', 'int', 'float', 'mixed', 'str', 'rec'])
        elems = self.sort_array(kind, n)
        arr = '{ %s }' % ', '.join(elems)
        good = {
            'int': ['nil', 'function(a, b) return a > b end',
                    'function(a, b) return a % 5 < b % 5 end',
                    'function(a, b) return -a < -b end'],
            'float': ['nil', 'function(a, b) return a > b end'],
            'mixed': ['nil', 'function(a, b) return b < a end'],
            'str': ['nil', 'function(a, b) return a > b end',
                    'function(a, b) return #a < #b end'],
            'rec': ['function(a, b) return a.k < b.k end',
                    'function(a, b) return a.k > b.k end'],
        }[kind]
        bad = {
            'rec': ['function(a, b) return a.k <= b.k end',
                    'function(a, b) return true end'],
        }.get(kind, ['function(a, b) return true end',
                     'function(a, b) return a <= b end',
                     'function(a, b) return a ~= b end'])
        if self.chance(0.25):
            # inconsistent: only whether sort raised, and the message
            if kind == 'float' and self.chance(0.5):
                arr = '{ %s }' % ', '.join(elems + ['0/0', '1', '0/0'])
                cmp = 'nil'
            else:
                cmp = self.pick(bad)
            self.emit('T("%s", function() local t = %s '
                      'return pcall(table.sort, t, %s) end)'
                      % (label, arr, cmp))
            return
        cmp = self.pick(good)
        self.emit('T("%s", function() local t = %s table.sort(t, %s) '
                  'return #t, A(t) end)' % (label, arr, cmp))

    # -- string.pack ----------------------------------------------------------

    def pack_int_value(self, size, signed):
        bits = 8 * size
        if self.chance(0.1):                        # out of range
            if signed:
                return str(1 << (bits - 1)) if size < 8 else '2.5'
            return self.pick(['-1', str(1 << bits)]) if size < 8 else '"x"'
        if size >= 8:
            return self.pick(['0', '-1', '1', '0x7fffffffffffffff',
                              '0x8000000000000000', '1234567890123',
                              str(self.r.randint(-1000, 1000)), '3.0',
                              '"42"'])
        if signed:
            lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        else:
            lo, hi = 0, (1 << bits) - 1
        return str(self.pick([lo, hi, 0, 1, self.r.randint(lo, hi),
                              self.r.randint(lo, hi)]))

    def pack_item(self, fixed=False):
        """(option text, value or None) for one random option; `fixed`
        leaves out the variable-length ones (s and z)."""
        roll = self.r.random()
        if roll < 0.03:
            return self.pick(PACK_BAD_OPTS), '1'
        if roll < 0.45:
            opt = self.pick('bBhHiIlLjJT')
            size, signed = PACK_INTS[opt]
            if opt in 'iI' and self.chance(0.5):
                size = self.pick([1, 2, 3, 4, 5, 7, 8, 9, 16])
                opt += str(size)
            return opt, self.pack_int_value(size, signed)
        if roll < 0.6:
            opt = self.pick('fdn')
            return opt, self.pick(PACK_FLOATS_F if opt == 'f'
                                  else PACK_FLOATS_D)
        if roll < 0.72 and not fixed:
            opt = 's' + self.pick(['', '', '1', '2', '4', '8'])
            return opt, self.pick(PACK_STRINGS)
        if roll < 0.8 and not fixed:
            return 'z', self.pick(PACK_STRINGS)
        if roll < 0.88:
            text = self.pick(['abc', '', 'hello', 'a\x00b', '0123456789'])
            if self.chance(0.85):
                n = len(text) + self.r.randint(0, 3)
            else:
                n = self.r.randint(0, max(0, len(text) - 1))
            return 'c%d' % n, lua_str(text)
        if roll < 0.94:
            return self.pick(['x', 'xx', 'Xi4', 'Xh', 'Xd', 'Xi8']), None
        return self.pick(['<', '>', '=', '!', '!2', '!4', '!8', ' ']), None

    def pack_format(self, fixed=False):
        fmt = self.pick(['', '', '<', '>', '=', '!', '<!4', '>!8', '!2'])
        vals = []
        for _ in range(self.r.randint(1, 4)):
            opt, v = self.pack_item(fixed)
            fmt += self.pick(['', '', ' ']) + opt
            if v is not None:
                vals.append(v)
        return fmt, vals

    def pack_twin(self, fmt):
        """`fmt` with options swapped for others of the same size and the
        byte order flipped: it reads back what `fmt` wrote, differently."""
        out = []
        for ch in fmt:
            if ch in PACK_TWINS and self.chance(0.5):
                ch = self.pick(PACK_TWINS[ch])
            out.append(ch)
        text = ''.join(out)
        if '<' in text or '>' in text:
            return text.translate(str.maketrans('<>', '><'))
        return self.pick(['>', '<', '=']) + text

    def s_pack(self):
        label = self.label('pk')
        fmt, vals = self.pack_format()
        if vals and self.chance(0.04):
            vals.pop()                              # a missing value
        f = lua_str(fmt)
        args = ', '.join([f] + vals)
        pos = ''
        if self.chance(0.2):
            pos = ', ' + self.pick(['1', '2', '-1', '#s', '#s + 1', '#s + 2',
                                    '0', '-100'])
        self.emit('T("%s", function() local s = string.pack(%s) '
                  'return X(s), #s, string.unpack(%s, s%s) end)'
                  % (label, args, f, pos))
        label = self.label('pk')
        roll = self.r.random()
        if roll < 0.35:
            size_fmt = (f if self.chance(0.2) else
                        lua_str(self.pack_format(True)[0]))
            self.emit('T("%s", function() return string.packsize(%s) end)'
                      % (label, size_fmt))
        elif roll < 0.8:
            self.emit('T("%s", function() local s = string.pack(%s) '
                      'return string.unpack(%s, s) end)'
                      % (label, args, lua_str(self.pack_twin(fmt))))
        else:
            noise = ''.join(chr(self.r.randint(0, 255))
                            for _ in range(self.r.randint(0, 20)))
            data = self.pick([lua_str(noise),
                              '"abc\\0def"', lua_str('\xff' * 17),
                              lua_str('\x01' + '\x00' * 15),
                              lua_str('\x00' * 8 + '\x01' + '\x00' * 7)])
            self.emit('T("%s", function() return string.unpack(%s, %s) end)'
                      % (label, lua_str(self.pack_format()[0]), data))
        if self.chance(0.05):
            label = self.label('pk')
            fmt = self.pick(['"c1000000000c1000000000c1000000000"',
                             '"i16i16j"', '"!8 b d"', '"s"', '"z"',
                             '"c99999999999"', '"!16 b Xi16"'])
            self.emit('T("%s", function() return string.packsize(%s) end)'
                      % (label, fmt))

    # -- math -----------------------------------------------------------------

    def s_math(self):
        label = self.label('m')
        def v():
            return self.pick(MATH_VALUES)

        def ints():
            return self.pick(INTLIKE)
        roll = self.r.random()
        if roll < 0.25:
            seed = self.pick([str(self.r.randint(0, 1000)), '-1',
                              '0x7fffffffffffffff', '2.0', '"7"'])
            extra = ', %d' % self.r.randint(0, 9) if self.chance(0.2) else ''
            arg = self.pick(['', '10', '3', '1, 6', '-5, 5', '0', '100, 100',
                             '0x8000000000000000, 0x7fffffffffffffff',
                             '1, 0x7fffffffffffffff', '-10, -1'])
            count = self.r.randint(1, 8)
            self.emit('T("%s", function() '
                      'local s1, s2 = math.randomseed(%s%s) local r = {} '
                      'for i = 1, %d do r[i] = math.random(%s) end '
                      'return s1, s2, A(r) end)'
                      % (label, seed, extra, count, arg))
            return
        if roll < 0.3:
            self.emit('T("%s", function() math.randomseed(%d) return %s end)'
                      % (label, self.r.randint(0, 99), self.pick([
                          'math.random(3, 1)', 'math.random(1, 2, 3)',
                          'math.random(1.5)', 'math.random("x")',
                          'math.random(0), math.random(0)',
                          'math.random(-5)', 'math.random(1, 1.0)',
                          'math.randomseed(2.5)'])))
            return
        form = self.pick([
            'math.tointeger(%s)' % v(), 'math.type(%s)' % v(),
            'math.ult(%s, %s)' % (ints(), ints()),
            'math.fmod(%s, %s)' % (v(), v()),
            'math.fmod(%s, %s)' % (ints(), ints()),
            'math.abs(%s)' % v(),
            'math.max(%s, %s, %s)' % (v(), v(), v()),
            'math.min(%s, %s)' % (v(), v()), 'math.max()',
            'math.floor(%s)' % v(), 'math.ceil(%s)' % v(),
            'math.modf(%s)' % v(),
            'math.sqrt(%s)' % self.pick(['4', '2.25', '0', '-0.0', '1e300',
                                         '(1/0)', '16.0', '"81"', '2']),
            'math.maxinteger + %s, math.mininteger - %s' % (ints(), ints()),
            'math.mininteger // %s, math.mininteger %% %s' % (ints(), ints()),
            'math.pi, -math.huge, math.huge // 1, math.maxinteger + 0.0',
            'math.tointeger((%s) .. "")' % ints(),
            'math.type(math.maxinteger // -1), math.mininteger // -1',
            'math.abs(math.mininteger), math.abs(-0.0), math.abs(-3)',
        ])
        self.emit('T("%s", function() return %s end)' % (label, form))

    # -- utf8 -----------------------------------------------------------------

    def s_utf8(self):
        label = self.label('u')
        raw = self.pick(UTF8_STRINGS)
        s = lua_str(raw)
        def pos():
            return self.pick(['1', '2', '-1', '-2', '0', str(len(raw)),
                              str(len(raw) + 1), str(len(raw) + 2), '3'])
        lax = ', true' if self.chance(0.2) else ''
        form = self.pick(['len', 'len', 'codepoint', 'offset', 'codes',
                          'codes', 'char', 'char', 'pattern'])
        if form == 'len':
            args = [s]
            if self.chance(0.5):
                args.append(pos())
                if self.chance(0.5):
                    args.append(pos())
            if lax:
                args += ['nil'] * (3 - len(args)) + ['true']
            self.emit('T("%s", function() return utf8.len(%s) end)'
                      % (label, ', '.join(args)))
        elif form == 'codepoint':
            args = [s, pos(), pos()] if self.chance(0.6) else [s]
            if lax:
                args = [s, pos(), pos(), 'true']
            self.emit('T("%s", function() return utf8.codepoint(%s) end)'
                      % (label, ', '.join(args)))
        elif form == 'offset':
            n = self.pick(['0', '1', '2', '-1', '-2', '3', '100', '-100'])
            i = ', ' + pos() if self.chance(0.6) else ''
            self.emit('T("%s", function() return utf8.offset(%s, %s%s) end)'
                      % (label, s, n, i))
        elif form == 'codes':
            self.emit('T("%s", function() local out = "" '
                      'for p, c in utf8.codes(%s%s) do '
                      'out = out .. p .. ":" .. c .. " " end return out end)'
                      % (label, s, lax))
        elif form == 'char':
            codes = [self.pick(UTF8_CODES)
                     for _ in range(self.r.randint(0, 4))]
            if self.chance(0.15):
                codes.append(self.pick(UTF8_BAD_CODES))
            self.emit('T("%s", function() local s = utf8.char(%s) '
                      'return %s, #s, utf8.len(s), '
                      'utf8.len(s, 1, -1, true) end)'
                      % (label, ', '.join(codes), self.printable('s')))
        elif 'string' in self.libs:
            self.emit('T("%s", function() local n, out = 0, "" '
                      'for c in string.gmatch(%s, utf8.charpattern) do '
                      'n = n + 1 out = out .. #c .. "," end '
                      'return n, out, H(utf8.charpattern) end)' % (label, s))
        else:
            self.emit('T("%s", function() return #utf8.charpattern end)'
                      % label)

    # -- table functions ------------------------------------------------------

    def small_array(self):
        n = self.r.randint(0, 6)
        return [self.pick(['1', '2', '3', '10', '-4', '2.5', '1e15', '-0.0',
                           '"a"', '"bc"', '""', '2^63', '0x7fffffffffffffff'])
                for _ in range(n)]

    def s_tablefns(self):
        label = self.label('tf')
        arr = self.small_array()
        t = '{ %s }' % ', '.join(arr)
        n = len(arr)
        def idx():
            return self.pick(['0', '1', '2', '-1', str(n), str(n + 1),
                              str(n + 2), '1.0', '"2"', '1.5'])
        form = self.pick(['concat', 'concat', 'insert', 'insert', 'remove',
                          'remove', 'unpack', 'move', 'move', 'pack', 'misc'])
        if form == 'concat':
            args = [t]
            if self.chance(0.7):
                args.append(self.pick(['", "', '""', '"-"', '1', 'nil']))
                if self.chance(0.5):
                    args += [idx()] + ([idx()] if self.chance(0.6) else [])
            if self.chance(0.1):
                args[0] = self.pick(['{ 1, true }', '{ {}, 1 }', '{ 1, TS }',
                                     'nil', '"abc"'])
            body = 'return table.concat(%s)' % ', '.join(args)
        elif form == 'insert':
            # no nil inserted at a position: the hole would make #t
            # any border
            args = ['t'] + ([idx()] if self.chance(0.6) else [])
            args.append(self.pick(['"new"', '99', 'false'] +
                                  ([] if len(args) > 1 else ['nil'])))
            if self.chance(0.08):
                args.append('1')                   # wrong number
            body = 'table.insert(%s) return #t, A(t, %d)' % (', '.join(args),
                                                            n + 1)
        elif form == 'remove':
            args = ['t'] + ([idx()] if self.chance(0.6) else [])
            body = ('local v = table.remove(%s) return show(v), #t, A(t, %d)'
                    % (', '.join(args), n + 1))
        elif form == 'unpack':
            i, j = idx(), idx()
            if self.chance(0.1):
                i, j = self.pick([('1', '1e7'), ('0x8000000000000000',
                                                 '0x7fffffffffffffff'),
                                  ('-2', '2'), ('0x7fffffffffffffff',
                                                '0x7fffffffffffffff')])
            body = 'return table.unpack(t, %s, %s)' % (i, j)
        elif form == 'move':
            f, e, to = idx(), idx(), self.pick(['1', '2', '3', '0', '-1',
                                               str(n + 1)])
            if self.chance(0.1):
                f, e, to = self.pick([
                    ('0x8000000000000000', '1', '1'),
                    ('1', '0x7fffffffffffffff', '2'),
                    ('1', '3', '0x7fffffffffffffff'),
                    ('-1', '0x7fffffffffffffff', '1')])
            dest = self.pick(['', '', ', u', ', t', ', nil'])
            body = ('local u = { "u1", "u2" } local r = table.move(t, %s, %s, '
                    '%s%s) return r == t, r == u, A(t, %d), A(u, 4)'
                    % (f, e, to, dest, n + 3))
        elif form == 'pack':
            args = ', '.join(arr + (['nil'] if self.chance(0.5) else []))
            body = 'local p = table.pack(%s) return p.n, A(p, p.n)' % args
        else:
            body = self.pick([
                'local p = setmetatable({}, { __index = t, __newindex = t, '
                '__len = function() return #t end }) table.insert(p, 1, "p") '
                'return A(t), table.concat(p, ",")',
                'return table.concat({}, "x", 1, 0), table.concat({1, 2, 3}, '
                '"", 3, 2), select("#", table.unpack({}, 1, 0))',
                'return pcall(table.insert, 1, 2)',
                'return table.remove({}), table.remove({}, 0), #t',
                'return pcall(table.remove, t, %d)' % (n + 2),
                'return select("#", table.unpack(t)), table.unpack(t, -1, 1)',
            ])
        self.emit('T("%s", function() local t = %s %s end)' % (label, t, body))

    # -- simple string functions ----------------------------------------------

    def s_strmisc(self):
        label = self.label('ss')
        s = lua_str(self.pick(SUBJECTS[:12]))
        def i():
            return self.pick(['0', '1', '2', '-1', '-3', '5', '100', '-100',
                              '0x8000000000000000', '0x7fffffffffffffff',
                              '2.0', '"3"'])
        chars = ', '.join(self.pick(['72', '105', '0', '255', '32', '"65"'])
                          for _ in range(self.r.randint(0, 4)))
        # (expression, whether its one result is a string to make printable)
        form, one_string = self.pick([
            ('string.rep(%s, %s)' % (s, self.pick(['0', '1', '3', '-1', '2.0',
                                                   '2.5', '"2"'])), True),
            ('string.rep(%s, 3, %s)' % (s, self.pick(['", "', '""', '1'])),
             True),
            ('string.sub(%s, %s)' % (s, i()), True),
            ('string.sub(%s, %s, %s)' % (s, i(), i()), True),
            ('(%s):sub(%s, %s)' % (s, i(), i()), True),
            ('string.byte(%s, %s, %s)' % (s, i(), i()), False),
            ('string.byte(%s)' % s, False),
            ('string.char(%s)' % chars, True),
            ('string.char(%s)' % self.pick(['256', '-1', '"x"', '1.5']), True),
            ('H(string.upper(%s)), H(string.lower(%s))' % (s, s), False),
            ('H(string.reverse(%s)), string.len(%s), #%s' % (s, s, s), False),
            ('string.len(%s)' % self.pick(['1.5', '12', '-0.0', '2^63', '{}',
                                           'nil']), False),
            ('string.upper(%s)' % self.pick(['1e100', '0x10', 'true', 'TS']),
             True),
            ('(%s):rep(2, "|"):upper():len()' % s, False),
            ('string.rep("ab", 3, 1.5), ("x"):rep(0, "sep")', False),
            ('string.rep("ab", 1 << 62)', True),   # refused before allocating
            ('("x"):rep()', True),
            ('string.sub()', True),
        ])
        if one_string:
            form = 'H(%s)' % form
        self.emit('T("%s", function() return %s end)' % (label, form))


CLASS_TESTS = {
    'a': lambda c: 65 <= c <= 90 or 97 <= c <= 122,
    'd': lambda c: 48 <= c <= 57,
    'l': lambda c: 97 <= c <= 122,
    's': lambda c: c == 32 or 9 <= c <= 13,
    'u': lambda c: 65 <= c <= 90,
    'w': lambda c: 65 <= c <= 90 or 97 <= c <= 122 or 48 <= c <= 57,
    'x': lambda c: 48 <= c <= 57 or 65 <= c <= 70 or 97 <= c <= 102,
    'p': lambda c: 33 <= c <= 126 and not (65 <= c <= 90 or 97 <= c <= 122
                                           or 48 <= c <= 57),
    'c': lambda c: c < 32 or c == 127,
    'g': lambda c: 33 <= c <= 126,
}

INTLIKE = ['0', '1', '-1', '2', '3', '7', '-7', '0x7fffffffffffffff',
           '0x8000000000000000', '-0x7fffffffffffffff', '255', '1 << 62',
           '3.0', '2.5', '"5"']
