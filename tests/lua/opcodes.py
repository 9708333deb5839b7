#!/usr/bin/env python3
"""Checks that the Lua script tests compile to every opcode of Lua 5.4.

Usage: opcodes.py [--luac luac5.4] [--lua lua5.4] [--lopcodes FILE]
                  [--verbose] [NAME ...]

Every script under this folder (or the NAMEs, as in run.py) is listed with
`luac -l -l -p`, and so is every string chunk the script passes to load()
while it runs under lua5.4 (a prelude given with -e wraps load and saves
the chunks), because some opcodes only appear in generated code (LOADKX
needs over 131071 constants in one function). The opcodes that appear are
compared with the OpCode enum of lparser/lopcodes.hpp (or FILE).

This is a static check: an opcode counts once it is compiled into a
script, whether or not that instruction runs. Prints the opcodes no
script uses (exit status 1 if there are any) and, with --verbose, how many
scripts use each opcode.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# The project root, two folders up from this file's real location.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))))
sys.path.insert(0, HERE)
import luarun  # noqa: E402

LOPCODES = os.path.join(ROOT, 'lparser', 'lopcodes.hpp')
LISTING_LINE = re.compile(r'^\s+\d+\s+\[-?\d+\]\s+([A-Z][A-Z0-9]*)\b')

# Saves each string chunk given to load() as <dir>/<n>.lua, then loads it.
PRELUDE = r'''
local dir, real_load, count = os.getenv("OPCODES_CHUNK_DIR"), load, 0
load = function(chunk, ...)
  if type(chunk) == "string" then
    count = count + 1
    local f = io.open(dir .. "/" .. count .. ".lua", "wb")
    f:write(chunk)
    f:close()
  end
  return real_load(chunk, ...)
end
'''


def all_opcodes(path):
    """The opcode names of the OpCode enum, in order, without "OP_"."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    body = text[text.index('enum OpCode'):]
    body = body[:body.index('};')]
    return re.findall(r'\bOP_([A-Z0-9]+)\b', body)


def listed_opcodes(luac, path):
    """The opcodes in luac's listing of `path` (empty if it fails)."""
    proc = subprocess.run([luac, '-l', '-l', '-p', path],
                          capture_output=True, text=True, errors='replace')
    if proc.returncode != 0:
        return None
    return {m.group(1) for line in proc.stdout.splitlines()
            for m in [LISTING_LINE.match(line)] if m}


def loaded_chunks(lua, script, scratch):
    """Runs `script` under lua with the prelude; returns the saved chunks."""
    for name in os.listdir(scratch):
        os.remove(os.path.join(scratch, name))
    env = dict(os.environ, OPCODES_CHUNK_DIR=scratch)
    subprocess.run([lua, '-e', PRELUDE, os.path.basename(script)],
                   cwd=os.path.dirname(script), env=env,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)
    return sorted(os.path.join(scratch, n) for n in os.listdir(scratch))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--luac', default='luac5.4')
    ap.add_argument('--lua', default='lua5.4')
    ap.add_argument('--lopcodes', default=LOPCODES)
    ap.add_argument('--verbose', action='store_true')
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()
    try:
        scripts = luarun.discover(HERE, args.names)
    except ValueError as exc:
        ap.error(str(exc))

    users = {op: [] for op in all_opcodes(args.lopcodes)}
    with tempfile.TemporaryDirectory(prefix='opcodes-') as scratch:
        for rel in scripts:
            script = os.path.join(HERE, rel)
            found = listed_opcodes(args.luac, script)
            if found is None:
                print('note: %s does not compile (skipped)' % rel)
                continue
            for chunk in loaded_chunks(args.lua, script, scratch):
                found |= listed_opcodes(args.luac, chunk) or set()
            for op in found:
                users.setdefault(op, []).append(rel)

    if args.verbose:
        for op, who in users.items():
            print('%-12s %3d  %s' % (op, len(who), ' '.join(who[:4])))
    missing = [op for op, who in users.items() if not who]
    print('opcodes: %d of %d used by %d scripts%s'
          % (len(users) - len(missing), len(users), len(scripts),
             '; missing: ' + ' '.join(missing) if missing else ''))
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
