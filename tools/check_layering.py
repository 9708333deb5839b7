#!/usr/bin/env python3
"""Checks the include graph against the chapter order (DESIGN.md section 3).

A file in chapter N's folder may include, by project path, only headers of
chapters 1..N. Includes are written from the project root ("lmem/lmem.hpp"),
so the folder of an included header names its chapter. Files under tests/,
book/ and bench/ may include any chapter, but a test or diagram program of
chapter N (tests/<module>/, book/<module>_*.cpp) may include only chapters
1..N, so each stage builds on its own.

Usage: check_layering.py <project root>. Exits 1 and lists every violation.
"""
import pathlib
import re
import sys

CHAPTERS = ['lmem', 'lobject', 'lstring', 'ltable', 'lfunc', 'lgc',
            'lparser', 'lvm', 'lapi', 'lib', 'lua']
RANK = {name: i + 1 for i, name in enumerate(CHAPTERS)}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')
SOURCES = ('.hpp', '.cpp', '.h', '.c')


def chapter_of_file(rel):
    """The chapter a source file belongs to, or None if it may see all."""
    parts = rel.parts
    if parts[0] in RANK:
        return parts[0]
    if parts[0] == 'tests' and len(parts) > 2 and parts[1] in RANK:
        return parts[1]
    if parts[0] == 'book':
        for name in CHAPTERS:
            if rel.name.startswith(name + '_'):
                return name
    return None


def chapter_of_include(target, including_dir, root):
    """The chapter whose header `target` names, or None for system headers."""
    first = target.split('/')[0]
    if first in RANK and (root / target).exists():
        return first
    # A bare name found next to the including file (lua.h -> luaconf.h).
    if (including_dir / target).exists():
        return chapter_of_file(
            (including_dir / target).relative_to(root))
    return None


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    bad = []
    for path in sorted(root.rglob('*')):
        if path.suffix not in SOURCES or not path.is_file():
            continue
        rel = path.relative_to(root)
        if rel.parts[0].startswith('.') or rel.parts[0].startswith('build'):
            continue
        own = chapter_of_file(rel)
        if own is None:
            continue
        text = path.read_text(encoding='utf-8', errors='replace')
        for lineno, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            dep = chapter_of_include(m.group(1), path.parent, root)
            if dep is not None and RANK[dep] > RANK[own]:
                bad.append(f'{rel}:{lineno}: chapter {RANK[own]} ({own}) '
                           f'includes "{m.group(1)}" of chapter '
                           f'{RANK[dep]} ({dep})')
    for line in bad:
        print(line)
    print(f'layering: {len(bad)} violation(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
