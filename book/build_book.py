#!/usr/bin/env python3
"""Builds the book: expands excerpts, then runs Doxygen over the pages, the
headers of the built chapters and the generated DOT diagrams.

Usage: build_book.py <doxygen> <source root> <out dir> <stamp>
                     --modules M... --chapters C.md... --diagrams D.dot...
Doxygen warnings are errors (FAIL_ON_WARNINGS), and so is a broken excerpt.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import excerpt  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('doxygen')
    ap.add_argument('root')
    ap.add_argument('out')
    ap.add_argument('stamp')
    ap.add_argument('--modules', nargs='*', default=[])
    ap.add_argument('--chapters', nargs='*', default=[])
    ap.add_argument('--diagrams', nargs='*', default=[])
    a = ap.parse_args()
    root = pathlib.Path(a.root).resolve()
    out = pathlib.Path(a.out).resolve()
    pages = out / 'pages'
    dots = out / 'dot'
    for d in (pages, dots):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    try:
        for name in a.chapters:
            src = root / 'chapters' / name
            text = excerpt.expand(root, src.read_text(encoding='utf-8'), name)
            (pages / name).write_text(text, encoding='utf-8')
    except excerpt.ExcerptError as e:
        print(f'book: {e}', file=sys.stderr)
        return 1
    for d in a.diagrams:
        shutil.copy(d, dots)
    inputs = [str(pages)] + [str(root / m) for m in a.modules]
    config = (HERE / 'Doxyfile.in').read_text(encoding='utf-8')
    config = (config.replace('@INPUT@', ' '.join(f'"{p}"' for p in inputs))
              .replace('@OUTPUT@', str(out))
              .replace('@DOTDIR@', str(dots))
              .replace('@ROOT@', str(root))
              .replace('@MAINPAGE@', str(pages / a.chapters[0])))
    doxyfile = out / 'Doxyfile'
    doxyfile.write_text(config, encoding='utf-8')
    r = subprocess.run([a.doxygen, str(doxyfile)], cwd=out)
    if r.returncode != 0:
        print('book: doxygen reported warnings or errors', file=sys.stderr)
        return 1
    pathlib.Path(a.stamp).write_text('ok\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
