#!/usr/bin/env python3
"""Compare the speed of an interpreter under test with the reference lua5.4.

Runs each benchmark program of bench/lua/ N times with each interpreter,
alternating them (ref, ours, ref, ours, ...) so that a change in the load of
the machine hits both alike. Each run is timed by the CPU time of the child
process (user + system, from the resource usage that os.wait4 returns), not
by wall time, since the machine is shared. Both interpreters must print the
same stdout and exit the same way: a program where they differ is reported
as a failure and left out of the summary.

The table gives the median CPU time per interpreter and the ratio
ours / ref (below 1.0: ours is faster); then the geometric mean of the
ratios and the worst one. This is a measurement, not a test: it exits 0,
unless --max-geomean is given (for manual use), in which case it exits 1
when the geometric mean is above the threshold or a program failed.

    bench/run.py --ours build/lib/lua-mini [--ref lua5.4] [--runs 5] [names]
"""

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROGRAMS_DIR = Path(__file__).resolve().parent / "lua"

# Variables that make lua5.4 run code before the script; neither
# interpreter should see them, so both run the same program.
SCRUBBED_ENV = ("LUA_INIT", "LUA_INIT_5_4")


@dataclass
class Run:
    """One finished run of one interpreter on one program."""

    cpu: float  # user + system seconds of the child
    status: str  # "exit 0", "exit 1", "signal 11", "timeout"
    stdout: bytes
    stderr: bytes


@dataclass
class Result:
    """The measurements of one program, or why it failed."""

    name: str
    ref_times: list
    our_times: list
    failure: str = ""

    def ratio(self):
        return statistics.median(self.our_times) / statistics.median(
            self.ref_times
        )


def describe_status(wait_status):
    if os.WIFSIGNALED(wait_status):
        return f"signal {os.WTERMSIG(wait_status)}"
    return f"exit {os.waitstatus_to_exitcode(wait_status)}"


def wait_with_timeout(pid, timeout):
    """Reaps pid; returns (wait status or None on timeout, rusage).

    Polls instead of blocking so that a hung interpreter can be killed
    without racing a timer against the reaping of the pid.
    """
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        got, wait_status, usage = os.wait4(pid, os.WNOHANG)
        if got == pid:
            return wait_status, usage
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            _, _, usage = os.wait4(pid, 0)
            return None, usage
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def run_once(interpreter, script, env, timeout):
    """Runs `interpreter script` and measures the child's CPU time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.posix_spawn(
            interpreter,
            [interpreter, str(script)],
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ],
        )
        wait_status, usage = wait_with_timeout(pid, timeout)
        out.seek(0)
        err.seek(0)
        status = "timeout" if wait_status is None else describe_status(
            wait_status
        )
        return Run(
            cpu=usage.ru_utime + usage.ru_stime,
            status=status,
            stdout=out.read(),
            stderr=err.read(),
        )


def first_line(data):
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "(empty)"


def first_difference(expected, actual):
    """Names the first stdout line where two outputs differ."""
    want = expected.decode("utf-8", "replace").splitlines()
    got = actual.decode("utf-8", "replace").splitlines()
    for number, (w, g) in enumerate(zip(want, got), start=1):
        if w != g:
            return f"stdout line {number}: expected {w!r}, got {g!r}"
    if len(want) != len(got):
        return f"stdout has {len(got)} lines, expected {len(want)}"
    return "stdout differs in line endings or trailing bytes"


def check_run(reference, run, who):
    """Returns why run does not match the reference run, or ''."""
    if run.status != reference.status:
        return (
            f"{who}: {run.status} (expected {reference.status}); "
            f"stderr: {first_line(run.stderr)}"
        )
    if run.stdout != reference.stdout:
        return f"{who}: " + first_difference(reference.stdout, run.stdout)
    return ""


def measure(name, script, args, env):
    """Runs one program args.runs times per interpreter, alternating."""
    result = Result(name, [], [])
    expected = None
    for _ in range(args.runs):
        ref_run = run_once(args.ref, script, env, args.timeout)
        if ref_run.status != "exit 0":
            result.failure = (
                f"reference: {ref_run.status}; "
                f"stderr: {first_line(ref_run.stderr)}"
            )
            return result
        expected = expected or ref_run
        result.failure = check_run(expected, ref_run, "reference")
        if result.failure:
            return result
        our_run = run_once(args.ours, script, env, args.timeout)
        result.failure = check_run(expected, our_run, "ours")
        if result.failure:
            return result
        result.ref_times.append(ref_run.cpu)
        result.our_times.append(our_run.cpu)
        if args.verbose:
            print(
                f"  {name}: ref {ref_run.cpu:.3f} s, ours {our_run.cpu:.3f} s",
                file=sys.stderr,
            )
    return result


def select_programs(names):
    available = sorted(p.stem for p in PROGRAMS_DIR.glob("*.lua"))
    if not names:
        return available
    chosen = [n[:-4] if n.endswith(".lua") else n for n in names]
    unknown = [n for n in chosen if n not in available]
    if unknown:
        sys.exit(
            f"run.py: unknown program(s) {', '.join(unknown)}; "
            f"available: {', '.join(available)}"
        )
    return chosen


def resolve(executable, option):
    path = shutil.which(executable)
    if path is None:
        sys.exit(f"run.py: {option} {executable}: not an executable")
    return os.path.abspath(path)


def print_table(results):
    width = max(len("program"), *(len(r.name) for r in results))
    print(f"{'program':<{width}}  {'ref s':>8}  {'ours s':>8}  {'ours/ref':>8}")
    for r in results:
        if r.failure:
            print(f"{r.name:<{width}}  FAIL  {r.failure}")
            continue
        ref = statistics.median(r.ref_times)
        ours = statistics.median(r.our_times)
        print(f"{r.name:<{width}}  {ref:8.3f}  {ours:8.3f}  {r.ratio():8.3f}")


def summarize(results, max_geomean):
    """Prints the summary lines; returns the exit status."""
    passed = [r for r in results if not r.failure]
    failed = len(results) - len(passed)
    if failed:
        print(f"failed: {failed} of {len(results)} programs")
    if not passed:
        print("no program ran in both interpreters: no ratio to report")
        return 1 if max_geomean is not None else 0
    ratios = [r.ratio() for r in passed]
    geomean = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
    worst = max(passed, key=Result.ratio)
    print(f"geometric mean ours/ref: {geomean:.3f} over {len(passed)} programs")
    print(f"worst ratio: {worst.ratio():.3f} ({worst.name})")
    if max_geomean is None:
        return 0
    if failed or geomean > max_geomean:
        print(f"above the threshold {max_geomean} or failed: exit 1")
        return 1
    return 0


def parse_args():
    parser = argparse.ArgumentParser(
        description="Compare the CPU time of an interpreter with lua5.4 "
        "on the programs of bench/lua/."
    )
    parser.add_argument("--ours", required=True, help="interpreter under test")
    parser.add_argument("--ref", default="lua5.4", help="reference interpreter")
    parser.add_argument("--runs", type=int, default=5, help="runs of each")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds before a kill"
    )
    parser.add_argument(
        "--max-geomean",
        type=float,
        help="exit 1 if the geometric mean ratio is above this (manual use)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print every run's time"
    )
    parser.add_argument("names", nargs="*", help="programs (default: all)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.ours = resolve(args.ours, "--ours")
    args.ref = resolve(args.ref, "--ref")
    return args


def main():
    args = parse_args()
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    names = select_programs(args.names)
    print(f"ref:  {args.ref}\nours: {args.ours}\nruns: {args.runs} each, "
          "CPU time (user+sys), median\n")
    results = [
        measure(name, PROGRAMS_DIR / f"{name}.lua", args, env)
        for name in names
    ]
    print_table(results)
    print()
    return summarize(results, args.max_geomean)


if __name__ == "__main__":
    sys.exit(main())
