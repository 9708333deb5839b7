#!/usr/bin/env python3
"""Expands code excerpts in the book's chapters from the real source.

A chapter cites code by symbol with a line of its own:

    <!-- excerpt: lmem/lmem.cpp luaM_growaux_ -->

and this program replaces that line with the current text of the definition
of `luaM_growaux_` in lmem/lmem.cpp (with the comment block just above it),
as a fenced C++ block. The source carries no book markup: the symbol's name
is the reference. A reference that does not resolve fails the build. A macro is cited
the same way, by its name.

Usage: excerpt.py <source root> <output dir> <chapter.md>...
"""
import pathlib
import re
import sys

MARK = re.compile(r'^<!--\s*excerpt:\s*(\S+)\s+(\S+)\s*-->\s*$')


class ExcerptError(Exception):
    pass


def is_definition_start(line, symbol):
    """A line at column 0 that begins the definition of `symbol`."""
    if not line or line[0].isspace() or line.startswith(('//', '#', '}')):
        return False
    ident = re.escape(symbol)
    typedef = re.compile(
        r'^(template\s*<.*>\s*)?(struct|class|union|enum(\s+class)?)\s+'
        + ident + r'\b')
    function = re.compile(r'(^|[^\w:])' + ident + r'\s*\(')
    variable = re.compile(r'(^|[^\w:])' + ident + r'\s*(=|\{|\[)')
    using = re.compile(r'^using\s+' + ident + r'\b')
    if typedef.search(line):
        # A forward declaration ("struct Table;") is not the definition.
        return not (line.rstrip().endswith(';') and '{' not in line)
    return bool(function.search(line) or variable.search(line)
                or using.search(line))


def block_end(lines, start):
    """Index of the last line of the definition beginning at `start`."""
    depth = 0
    seen_brace = False
    for i in range(start, len(lines)):
        code = lines[i].split('//')[0]
        for ch in code:
            if ch == '{':
                depth += 1
                seen_brace = True
            elif ch == '}':
                depth -= 1
        if seen_brace and depth == 0:
            return i
        if not seen_brace and code.rstrip().endswith(';'):
            return i  # a declaration or a one-line definition
    raise ExcerptError('unbalanced braces')


def leading_comment(lines, start):
    """Index of the first line of the comment block just above `start`."""
    i = start
    while i > 0 and (lines[i - 1].startswith('//')
                     or lines[i - 1].startswith('template')):
        i -= 1
    return i


def macro_end(lines, start):
    """Index of the last line of the #define beginning at `start`: the
    first line that does not continue with a backslash."""
    i = start
    while i < len(lines) - 1 and lines[i].rstrip().endswith('\\'):
        i += 1
    return i


def extract(path, symbol):
    """The first definition of `symbol` with a body; a forward declaration
    (no body) only when the file has nothing else. A macro is cited by its
    name too: its #define and the lines that continue it."""
    lines = path.read_text(encoding='utf-8').splitlines()
    found = None
    macro = re.compile(r'^#\s*define\s+' + re.escape(symbol) + r'\b')
    for i, line in enumerate(lines):
        if macro.match(line):
            first = leading_comment(lines, i)
            return '\n'.join(lines[first:macro_end(lines, i) + 1])
        if is_definition_start(line, symbol):
            end = block_end(lines, i)
            first = leading_comment(lines, i)
            text = '\n'.join(lines[first:end + 1])
            if '{' in '\n'.join(lines[i:end + 1]):
                return text
            if found is None:
                found = text
    if found is not None:
        return found
    raise ExcerptError(f'no definition of {symbol} in {path}')


def expand(root, text, where):
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        m = MARK.match(line)
        if not m:
            out.append(line)
            continue
        rel, symbol = m.group(1), m.group(2)
        path = root / rel
        if not path.is_file():
            raise ExcerptError(f'{where}:{lineno}: no file {rel}')
        try:
            code = extract(path, symbol)
        except ExcerptError as e:
            raise ExcerptError(f'{where}:{lineno}: {e}') from None
        out.append(f'From `{rel}`, `{symbol}`:')
        out.append('')
        out.append('```cpp')
        out.append(code)
        out.append('```')
    return '\n'.join(out) + '\n'


def main():
    root = pathlib.Path(sys.argv[1])
    outdir = pathlib.Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        for name in sys.argv[3:]:
            src = pathlib.Path(name)
            text = src.read_text(encoding='utf-8')
            (outdir / src.name).write_text(expand(root, text, src.name),
                                           encoding='utf-8')
    except ExcerptError as e:
        print(f'excerpt: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
