#!/usr/bin/env python3
"""Regenerates the expected results of the Lua script tests from lua5.4.

Usage: regen.py [--lua LUA] [NAME ...]

For each selected script NAME.lua (all of them by default, subfolders
included; NAME as in run.py), runs it under LUA (default: lua5.4) from its
own folder and writes NAME.out (stdout), NAME.err (stderr, with the
leading program name "lua5.4:" replaced by "lua:") and NAME.status (exit
status). Prints one line per script whose files changed.

A script must print the same thing on every run: regen.py runs each one
twice and refuses (exit status 1, files left alone) when the two runs
differ.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import luarun  # noqa: E402


def main():
    ap = argparse.ArgumentParser(
        description='Write NAME.out/.err/.status from the oracle.')
    ap.add_argument('--lua', default='lua5.4')
    ap.add_argument('--timeout', type=float, default=300.0)
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()
    try:
        scripts = luarun.discover(HERE, args.names)
    except ValueError as exc:
        ap.error(str(exc))
    bad = 0
    for rel in scripts:
        script = os.path.join(HERE, rel)
        first = luarun.run_script(args.lua, script, args.timeout)
        second = luarun.run_script(args.lua, script, args.timeout)
        if first != second:
            print('NONDETERMINISTIC %s (not written):' % rel)
            sys.stdout.write(luarun.diff_outcomes(first, second,
                                                  'run 1', 'run 2'))
            bad += 1
            continue
        if first.status == 'timeout' or first.status.startswith('signal'):
            print('BROKEN %s: %s (not written)' % (rel, first.status))
            bad += 1
            continue
        if luarun.read_expected(script) != first:
            luarun.write_expected(script, first)
            print('wrote %s (status %s)' % (rel, first.status))
    print('regen: %d scripts, %d refused' % (len(scripts), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
