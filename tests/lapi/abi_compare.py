#!/usr/bin/env python3
"""Compares the ABI facts printed by two builds of abi_layout.c.

    abi_compare.py OURS DEBIAN
    abi_compare.py --missing WHAT

OURS and DEBIAN are abi_layout compiled against our headers and against
Debian's lua5.4 headers. Each prints `name value` lines; the test fails,
listing every name whose value differs or that only one build prints, if
the two disagree in any line, if either program fails, or if either
prints fewer lines than a complete run does. `--missing` reports that
Debian's headers are absent and exits 77, which Meson counts as a skip.
"""
import subprocess
import sys

# abi_layout.c prints 117 facts; fewer means a truncated or broken run.
MIN_LINES = 117
SKIP = 77


def facts(program):
    """Runs one build and returns its lines as an ordered name -> value."""
    run = subprocess.run([program], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{program} exited with status {run.returncode}:\n"
                 f"{run.stderr}")
    table = {}
    for line in run.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in table:
            sys.exit(f"{program} printed {name} twice")
        table[name] = value
    if len(table) < MIN_LINES:
        sys.exit(f"{program} printed {len(table)} facts, "
                 f"expected at least {MIN_LINES}")
    return table


def differences(ours, theirs):
    """Every name whose value is not the same in both tables."""
    lines = []
    for name in list(ours) + [n for n in theirs if n not in ours]:
        mine = ours.get(name, "(not printed)")
        debian = theirs.get(name, "(not printed)")
        if mine != debian:
            lines.append(f"  {name}: ours {mine}, Debian {debian}")
    return lines


def main(argv):
    if len(argv) == 3 and argv[1] == "--missing":
        print(f"skipped: Debian's Lua 5.4 headers not found ({argv[2]})")
        return SKIP
    if len(argv) != 3:
        sys.exit(__doc__)
    ours, theirs = facts(argv[1]), facts(argv[2])
    diff = differences(ours, theirs)
    if diff:
        print(f"{len(diff)} ABI facts differ from Debian's lua5.4:")
        print("\n".join(diff))
        return 1
    print(f"all {len(ours)} ABI facts match Debian's lua5.4")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
