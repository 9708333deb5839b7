#!/usr/bin/env python3
"""Pins the cost of line lookups: listing a huge function must take time
linear in its size, as luac5.4's does.

Usage: bench/listing_lines.py [--listing build/lparser/listing]
                              [--luac luac5.4] [--sizes 125000 250000 500000]

For each size N it writes a chunk whose main function has about N
instructions (one `x = x + 1` per line, so every instruction carries a
line), lists it with `-l -l` under our listing tool and under luac5.4,
and prints the CPU seconds of each and their ratio. A lookup that scanned
the line information from instruction 0 would make the listing quadratic:
doubling N would quadruple our time. The last lines print how our time
grows from one size to the next (about 2.0 for each doubling is linear)
and the ratio to luac5.4 at the largest size.

It is a measurement, not a test: nothing runs it automatically. With
--max-growth G it exits 1 when a doubling costs more than G times the
previous size (for manual use on a quiet machine).
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile


def cpu_seconds(cmd):
    """CPU time (user + system) of running `cmd` with its output dropped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.devnull, 'wb') as sink:
        subprocess.run(cmd, stdout=sink, stderr=subprocess.STDOUT, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) +
            (after.ru_stime - before.ru_stime))


def write_chunk(path, n):
    # Each `x = x + 1` compiles to ADDI and MMBINI: two instructions.
    with open(path, 'w') as f:
        f.write('local x = 0\n')
        for _ in range(n // 2):
            f.write('x = x + 1\n')
        f.write('return x\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--listing', default='build/lparser/listing')
    ap.add_argument('--luac', default='luac5.4')
    ap.add_argument('--sizes', type=int, nargs='+',
                    default=[125000, 250000, 500000])
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--max-growth', type=float, default=None)
    args = ap.parse_args()

    ours_times = []
    print('%10s %10s %10s %8s' % ('instrs', 'luac s', 'ours s', 'ratio'))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = os.path.join(tmp, 'big%d.lua' % n)
            write_chunk(path, n)
            ref = min(cpu_seconds([args.luac, '-l', '-l', '-p', path])
                      for _ in range(args.runs))
            ours = min(cpu_seconds([args.listing, '-l', '-l', path])
                       for _ in range(args.runs))
            ours_times.append(ours)
            print('%10d %10.3f %10.3f %8.2f' % (n, ref, ours,
                                                 ours / max(ref, 1e-9)))
    growth = [b / max(a, 1e-9) for a, b in zip(ours_times, ours_times[1:])]
    for (a, b), g in zip(zip(args.sizes, args.sizes[1:]), growth):
        print('ours %d -> %d instructions: time x %.2f' % (a, b, g))
    if args.max_growth is not None and any(g > args.max_growth
                                           for g in growth):
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
