#!/usr/bin/env python3
"""Runs the Lua script tests under an interpreter and compares the results.

Usage: run.py [options] INTERP [NAME ...]

Each script NAME.lua under this folder (subfolders included) runs under
INTERP from its own folder; its stdout, stderr (with the program name
normalised to "lua:") and exit status must equal the committed NAME.out,
NAME.err and NAME.status. A NAME selects one script ("op_arith",
"base/print.lua") or a whole subfolder ("base"); no NAME runs them all.

Every mismatch is printed as a unified diff; the last line is a summary,
and the exit status is 1 when any script failed (0 otherwise).

Options:
  -j N            run N scripts at once (default 2)
  --timeout S     seconds allowed per script (default 120)
  --skip-heavy    skip scripts whose first line is "-- heavy: <reason>"
                  (also when the environment sets LUA_TESTS_SKIP_HEAVY=1)
"""
import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import luarun  # noqa: E402


def check(interp, rel, timeout):
    """Runs one script; returns (rel, report) with report '' on a pass."""
    script = os.path.join(HERE, rel)
    expected = luarun.read_expected(script)
    if expected is None:
        return rel, 'missing expected files (run regen.py %s)\n' % rel
    actual = luarun.run_script(interp, script, timeout)
    return rel, luarun.diff_outcomes(expected, actual, 'expected', 'actual')


def main():
    ap = argparse.ArgumentParser(
        description='Run the tests/lua scripts under INTERP.')
    ap.add_argument('interp')
    ap.add_argument('names', nargs='*')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('--timeout', type=float, default=120.0)
    ap.add_argument('--skip-heavy', action='store_true')
    ap.add_argument('--without', action='append', default=[],
                    metavar='LIB', help='skip scripts that need library LIB')
    args = ap.parse_args()
    try:
        scripts = luarun.discover(HERE, args.names)
    except ValueError as exc:
        ap.error(str(exc))
    skip_heavy = (args.skip_heavy or
                  os.environ.get('LUA_TESTS_SKIP_HEAVY', '') not in ('', '0'))
    missing = set(args.without)
    skipped = [s for s in scripts
               if (skip_heavy and luarun.is_heavy(os.path.join(HERE, s)))
               or luarun.needs(os.path.join(HERE, s)) & missing]
    todo = [s for s in scripts if s not in skipped]

    failed = []
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        jobs = [pool.submit(check, args.interp, s, args.timeout)
                for s in todo]
        for job in jobs:
            rel, report = job.result()
            if report:
                failed.append(rel)
                print('FAIL %s' % rel)
                sys.stdout.write(report)
            sys.stdout.flush()
    for rel in skipped:
        print('SKIP %s (heavy, or needs a missing library)' % rel)
    print('lua scripts: %d passed, %d failed, %d skipped (of %d) under %s'
          % (len(todo) - len(failed), len(failed), len(skipped),
             len(scripts), args.interp))
    if failed:
        print('failed: ' + ' '.join(failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
