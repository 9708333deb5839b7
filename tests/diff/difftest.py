#!/usr/bin/env python3
"""Differential testing: runs Lua programs under two interpreters and
compares what they do.

Usage: difftest.py --interp INTERP [--oracle lua5.4] [--seed N]
                   [--count N] [--libs LIB,...] [--no-strarith]
                   [--skip-heavy] [--without LIB] [-j N] [FILE|DIR ...]

Each FILE (a .lua script; a DIR stands for every .lua file under it) and
each of --count programs made by gen.py runs under INTERP and under the
oracle, from the program's own folder (so chunk names are the bare file
name). Their stdout, stderr (each interpreter's own name at the start of
a line replaced by "lua:") and exit status must be equal. --skip-heavy
leaves out the files whose first line is "-- heavy: <reason>" (as
tests/lua/run.py does; for GC-stress builds).

--libs lists the libraries INTERP has (Meson's lua_libraries, comma-
separated; all by default): gen.py writes programs that use only those,
and the files that declare "-- needs: <lib>" for a library missing from
the list are skipped, as are those needing a --without one.

Generated program i has the seed SEED+i, where SEED is --seed or, by
default, a fresh random one; the seed is printed first, so a run can be
repeated. The environment variable DIFF_COUNT, when set, replaces --count
(to scale the run down under sanitizers or GC stress); DIFF_SEED, when
set and --seed is not given, is used as the seed.

A mismatch prints the program's name (and seed), where it was saved (a
generated program is written to /tmp/difftest-SEED.lua, ready to be made
into a tests/lua case), the program itself, and a unified diff of oracle
against INTERP. The last line is a summary with the speed; the exit
status is 1 if any program differed.
"""
import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'lua'))
import gen  # noqa: E402
import luarun  # noqa: E402

SAVE_DIR = '/tmp'

# The library names that "-- needs:" lines use (tests/lua/meson.build).
KNOWN_LIBS = ('strarith', 'string', 'table', 'math', 'io', 'os', 'utf8',
              'debug', 'package')


def expand(paths):
    """The .lua files named by `paths` (folders searched recursively)."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += [os.path.join(path, rel)
                      for rel in luarun.discover(path)]
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise ValueError('no such file or folder: %s' % path)
    return files


def compare(args, script, timeout):
    """Runs `script` under both interpreters; returns the diff ('' when
    they agree)."""
    want = luarun.run_script(args.oracle, script, timeout)
    got = luarun.run_script(args.interp, script, timeout)
    if want == got and want.status != 'timeout':
        return ''
    diff = luarun.diff_outcomes(want, got, 'oracle', 'interp')
    if want.status == 'timeout':
        diff += 'the oracle timed out: the program is not deterministic\n'
    return diff or 'both timed out\n'


def check_file(args, path):
    diff = compare(args, path, args.file_timeout)
    if not diff:
        return None
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    return 'MISMATCH %s\n' % path, text, diff


def check_generated(args, workdir, seed):
    text = gen.generate(seed, args.strarith, args.libs)
    script = os.path.join(workdir, 'gen_%d.lua' % seed)
    with open(script, 'w') as f:
        f.write(text)
    diff = compare(args, script, args.timeout)
    os.remove(script)
    if not diff:
        return None
    saved = os.path.join(SAVE_DIR, 'difftest-%d.lua' % seed)
    with open(saved, 'w') as f:
        f.write(text)
    flag = gen.Gen(seed, args.strarith, args.libs).command_flags()
    head = ('MISMATCH generated program, seed %d (gen.py %d%s), saved to %s\n'
            % (seed, seed, flag, saved))
    return head, text, diff


def report(failure, out):
    head, text, diff = failure
    out.write(head)
    out.write('---- program ----\n')
    out.write(text if text.endswith('\n') else text + '\n')
    out.write('---- diff (oracle vs interp) ----\n')
    out.write(diff)
    out.write('----\n')
    out.flush()


def main():
    ap = argparse.ArgumentParser(
        description='Compare INTERP with the oracle on Lua programs.')
    ap.add_argument('--interp', required=True)
    ap.add_argument('--oracle', default='lua5.4')
    ap.add_argument('--seed', type=int)
    ap.add_argument('--count', type=int)
    ap.add_argument('--libs', metavar='LIB,...',
                    help='the libraries INTERP has (default: all)')
    ap.add_argument('--no-strarith', dest='strarith', action='store_false',
                    help='keep strings out of arithmetic in generated code')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('--timeout', type=float, default=20.0,
                    help='seconds per generated program')
    ap.add_argument('--file-timeout', type=float, default=300.0,
                    help='seconds per given file')
    ap.add_argument('--skip-heavy', action='store_true',
                    help='skip files whose first line is "-- heavy: ..."')
    ap.add_argument('--without', action='append', default=[],
                    metavar='LIB', help='skip files that need library LIB')
    ap.add_argument('--max-failures', type=int, default=20,
                    help='stop after this many mismatches')
    ap.add_argument('paths', nargs='*')
    args = ap.parse_args()

    try:
        files = expand(args.paths)
    except ValueError as exc:
        ap.error(str(exc))
    if args.skip_heavy:
        files = [f for f in files if not luarun.is_heavy(f)]
    missing = set(args.without)
    if args.libs is not None:
        args.libs = gen.parse_libs(args.libs)
        missing |= set(KNOWN_LIBS) - args.libs
    files = [f for f in files if not luarun.needs(f) & missing]
    count = args.count if args.count is not None else (0 if files else 100)
    if os.environ.get('DIFF_COUNT', '') != '':
        count = int(os.environ['DIFF_COUNT'])
    seed = args.seed
    if seed is None and os.environ.get('DIFF_SEED', '') != '':
        seed = int(os.environ['DIFF_SEED'])
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10 ** 9)
    flags = gen.Gen(seed, args.strarith, args.libs).command_flags()
    print('difftest: %s against %s; %d files, %d generated programs, '
          'seed %d%s' % (args.interp, args.oracle, len(files), count, seed,
                         ' (gen.py%s)' % flags if flags else ''))
    sys.stdout.flush()

    start = time.monotonic()
    failures = 0
    done = 0
    workdir = tempfile.mkdtemp(prefix='difftest-')
    try:
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            jobs = [pool.submit(check_file, args, f) for f in files]
            jobs += [pool.submit(check_generated, args, workdir, seed + i)
                     for i in range(count)]
            for job in jobs:
                failure = job.result()
                done += 1
                if failure:
                    failures += 1
                    report(failure, sys.stdout)
                    if failures >= args.max_failures:
                        print('difftest: stopping after %d mismatches'
                              % failures)
                        for rest in jobs:
                            rest.cancel()
                        break
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - start
    print('difftest: %d programs run, %d mismatches, seed %d, %.1f s '
          '(%.1f programs/s)' % (done, failures, seed, elapsed,
                                 done / elapsed if elapsed > 0 else 0.0))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
