#!/usr/bin/env python3
"""Writes the book's function map: every function of Lua 5.4.4's C sources,
and where its counterpart lives in our code (file and line).

Usage: function_map.py [LUA_SRC] [--root DIR] [--write | --check]
  LUA_SRC  Lua's sources (default: ../shared/lua-5.4.4-src beside the root)
  --root   the project's root (default: this tool's parent folder)
  --write  rewrite chapters/00-function-map.md
  --check  regenerate the map and fail (exit 1) when the committed page
           differs; exit 77 (skipped) when LUA_SRC is missing
  Without --write or --check, the page goes to stdout.

Both sides are read with Universal Ctags: function definitions (Lua's
headers define none), and on our side also C++ constants of type
lua_CFunction, which stand for functions stamped out of a template.
Lua's side is every .c file except the test library ltests.c and the
amalgamation onelua.c. Our side is the git-tracked .c/.cpp/.h/.hpp files
of the chapter folders. A Lua function is matched by
name:
  - an exported function (not static, defined in one Lua file, not `main`)
    matches every definition of that name in our chapters, since Lua's
    exported names are unique: a stand-in in an early chapter and the real
    one later are both listed, earliest chapter first;
  - a static function (or `main`, which every program has) matches only
    definitions in our files whose "Mirrors:" header paragraph names its
    Lua file (lgc.c, or lgc.h), as such names repeat across files.
The page carries line numbers, so any edit that moves a mapped function
makes it stale; the `book` test suite runs --check.
"""
import argparse
import difflib
import json
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE = pathlib.Path('chapters') / '00-function-map.md'
CHAPTERS = ['lmem', 'lobject', 'lstring', 'ltable', 'lfunc', 'lgc',
            'lparser', 'lvm', 'lapi', 'lib', 'lua']
SOURCE_SUFFIXES = ('.c', '.cpp', '.h', '.hpp')
LUA_SKIPPED = {'ltests.c', 'onelua.c'}
REGENERATE = 'python3 tools/function_map.py --write'
SKIP = 77  # meson's "test skipped"


class MapError(Exception):
    pass


def ctags_functions(paths, cwd, cfunction_constants=False):
    """(name, path, line, file_local) of every function definition, and
    with `cfunction_constants`, of every C++ constant of type lua_CFunction
    (a C function stamped out of a template, as lmathlib's math_sin)."""
    if not paths:
        return []
    if shutil.which('ctags') is None:
        raise MapError('ctags not found: install universal-ctags '
                       '(tools/bootstrap does)')
    # --options=NONE: no user configuration may change what is found.
    cmd = ['ctags', '--options=NONE', '--output-format=json', '--fields=+n',
           '--sort=no', '--kinds-C=f', '--kinds-C++=fv', '-o', '-']
    cmd += [str(p) for p in paths]
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise MapError(f'ctags failed: {r.stderr.strip()}')
    tags = []
    for row in r.stdout.splitlines():
        d = json.loads(row)
        if d.get('_type') != 'tag':
            continue
        if d['kind'] == 'variable' and not (
                cfunction_constants
                and d.get('typeref') == 'typename:lua_CFunction'):
            continue
        # Lua spells `static inline` as the macro l_sinline, which ctags
        # does not expand.
        local = d.get('file', False) or 'l_sinline' in d.get('typeref', '')
        tags.append((d['name'], d['path'], d['line'], local))
    return tags


# ---- Lua's side ----------------------------------------------------------

def lua_files(lua_src):
    return sorted(p.name for p in lua_src.glob('*.c')
                  if p.name not in LUA_SKIPPED)


def lua_functions(lua_src):
    """{lua file: [(name, [lines], file_local)]} in Lua's order."""
    per_file = {f: {} for f in lua_files(lua_src)}
    for name, path, line, local in ctags_functions(list(per_file), lua_src):
        entry = per_file[path].setdefault(name, [[], local])
        entry[0].append(line)
        entry[1] = entry[1] or local
    return {f: sorted(((n, sorted(ls), loc) for n, (ls, loc) in fns.items()),
                      key=lambda e: e[1][0])
            for f, fns in per_file.items()}


# ---- our side ------------------------------------------------------------

def our_files(root):
    """Tracked source files of the chapter folders (every file when the
    root is not a git checkout)."""
    r = subprocess.run(['git', '-C', str(root), 'ls-files', '--'] + CHAPTERS,
                       capture_output=True, text=True)
    if r.returncode == 0:
        names = r.stdout.split()
    else:
        names = [str(p.relative_to(root)) for c in CHAPTERS
                 for p in (root / c).rglob('*') if p.is_file()]
    return sorted(n for n in names
                  if n.endswith(SOURCE_SUFFIXES) and (root / n).is_file())


MIRRORS_END = re.compile(r'^///\s*(Book:|$)')


def mirrored_stems(text):
    """The Lua files ("lgc" for lgc.c or lgc.h) named by the "Mirrors:"
    paragraph of a file's header, which may run over several lines."""
    lines = text.splitlines()[:40]
    for i, line in enumerate(lines):
        if 'Mirrors:' not in line:
            continue
        para = [line]
        for more in lines[i + 1:]:
            if MIRRORS_END.match(more) or not more.startswith('///'):
                break
            para.append(more)
        return set(re.findall(r'\b(l[a-z0-9_]*)\.[ch]\b', ' '.join(para)))
    return set()


def chapter_rank(path):
    return (CHAPTERS.index(path.split('/')[0]), path)


def our_functions(root):
    """{name: [(path, line)]} earliest chapter first, and {path: stems}."""
    files = our_files(root)
    mirrors = {f: mirrored_stems((root / f).read_text(errors='replace'))
               for f in files}
    defs = {}
    tags = ctags_functions(files, root, cfunction_constants=True)
    for name, path, line, _ in tags:
        defs.setdefault(name, []).append((path, line))
    for places in defs.values():
        places.sort(key=lambda p: (chapter_rank(p[0]), p[1]))
    return defs, mirrors


# ---- the map -------------------------------------------------------------

def counterparts(name, lua_file, local, defs, mirrors, exported_once):
    places = defs.get(name, [])
    if not local and name != 'main' and exported_once:
        return places
    stem = lua_file[:-2]
    return [p for p in places if stem in mirrors[p[0]]]


def build_map(lua_src, root):
    lua = lua_functions(lua_src)
    defs, mirrors = our_functions(root)
    seen = {}
    for fns in lua.values():
        for name, _, _ in fns:
            seen[name] = seen.get(name, 0) + 1
    table = {}
    for lua_file, fns in lua.items():
        rows = []
        for name, lines, local in fns:
            ours = counterparts(name, lua_file, local, defs, mirrors,
                                seen[name] == 1)
            rows.append((name, lines, ours))
        table[lua_file] = rows
    return table


def anchor(lua_file):
    return 'fmap_' + re.sub(r'\W', '_', lua_file)


def code(text):
    return f'`{text}`'


def render(table):
    total = sum(len(rows) for rows in table.values())
    mapped = sum(1 for rows in table.values() for r in rows if r[2])
    out = [
        '# Function map {#function_map}',
        '',
        '<!-- Generated by tools/function_map.py; do not edit. Regenerate',
        f'     with `{REGENERATE}` from the project root. -->',
        '',
        'Every function defined in Lua 5.4.4\'s C sources, in the order of',
        'its file, with the file and line of its counterpart in our code.',
        'A function is matched by name. An exported function (`lua_*`,',
        '`luaL_*`, `luaH_*` and the like) is listed wherever we define that',
        'name, earliest chapter first, so a stand-in in an early chapter',
        'appears beside the real one of a later chapter. A static function',
        'matches only in our files whose header names its Lua file on the',
        '`Mirrors:` line. A counterpart is a function, or a `lua_CFunction`',
        'constant made from a template (`math_sin`). A dash means we have',
        'no function of that name: the work is done inline or by a',
        'function with another name, or not at all.',
        '',
        'The map leaves out Lua\'s test library `ltests.c`, and Lua\'s',
        'macros, which our code turns into inline functions of the same',
        'names. Lua\'s sources here hold no `luac.c`, so chapter 11\'s',
        '`luac` has no rows. `tools/function_map.py` writes this page, and',
        'the `book` test suite fails when the page no longer matches the',
        'code.',
        '',
        f'**{mapped} of {total} functions have a counterpart.**',
        '',
        '| Lua file | Functions | With a counterpart | Our files |',
        '|----------|----------:|-------------------:|-----------|',
    ]
    for lua_file, rows in table.items():
        if not rows:
            continue
        files = []
        for _, _, ours in rows:
            for path, _ in ours:
                if path not in files:
                    files.append(path)
        files.sort(key=chapter_rank)
        link = f'[{lua_file}](@ref {anchor(lua_file)})'
        have = sum(1 for r in rows if r[2])
        where = ', '.join(code(f) for f in files) or '—'
        out.append(f'| {link} | {len(rows)} | {have} | {where} |')
    for lua_file, rows in table.items():
        if not rows:
            continue
        have = sum(1 for r in rows if r[2])
        out += [
            '',
            f'## {lua_file} {{#{anchor(lua_file)}}}',
            '',
            f'{have} of {len(rows)} functions have a counterpart.',
            '',
            '| Lua function | Lua line | Ours |',
            '|--------------|---------:|------|',
        ]
        for name, lines, ours in rows:
            where = ', '.join(code(f'{p}:{n}') for p, n in ours) or '—'
            at = ', '.join(str(n) for n in lines)
            out.append(f'| {code(name)} | {at} | {where} |')
    return '\n'.join(out) + '\n'


def check(text, page):
    old = page.read_text(encoding='utf-8') if page.is_file() else ''
    if old == text:
        print(f'function_map: {PAGE} is up to date')
        return 0
    diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(),
                                     f'{PAGE} (committed)',
                                     f'{PAGE} (from the code)', lineterm=''))
    shown = diff[:40]
    if len(diff) > len(shown):
        shown.append(f'... {len(diff) - len(shown)} more diff lines')
    print('\n'.join(shown))
    print(f'function_map: {PAGE} is stale: functions moved, appeared or '
          f'went away.\nRegenerate it from the project root with:\n'
          f'    {REGENERATE}', file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('lua_src', nargs='?')
    ap.add_argument('--root', default=str(ROOT))
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument('--write', action='store_true')
    mode.add_argument('--check', action='store_true')
    a = ap.parse_args()
    root = pathlib.Path(a.root).resolve()
    lua_src = pathlib.Path(a.lua_src or root.parent / 'shared' /
                           'lua-5.4.4-src')
    if not (lua_src / 'lapi.c').is_file():
        print(f'function_map: no Lua sources at {lua_src}', file=sys.stderr)
        return SKIP if a.check else 2
    try:
        text = render(build_map(lua_src.resolve(), root))
    except MapError as e:
        print(f'function_map: {e}', file=sys.stderr)
        return 1
    if a.check:
        return check(text, root / PAGE)
    if a.write:
        (root / PAGE).write_text(text, encoding='utf-8')
        print(f'function_map: wrote {PAGE}')
    else:
        sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
