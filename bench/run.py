#!/usr/bin/env python3
"""Compare the speed of an interpreter under test with the reference lua5.4.

Runs each benchmark program of bench/lua/ N times with each interpreter,
alternating them (ref, ours, ref, ours, ...) so that a change in the load of
the machine hits both alike. Each run is timed by the CPU time of the
interpreter's process (user + system), not by wall time, since the machine
is shared, and measured for its peak memory (maximum resident set size).
GNU time (/usr/bin/time) starts the interpreter and reports both. Python
cannot report the peak itself: Linux carries a process's peak across
execve, so a child forked or spawned from Python starts with Python's own
peak (10 MiB or more), which would hide the peak of any small program;
GNU time is a small process, and its child starts near zero. Both interpreters
must print the same stdout and exit the same way: a program where they
differ is reported as a failure and left out of the summary.

The table gives the median CPU time per interpreter and the ratio
ours / ref (below 1.0: ours is faster), then the median peak memory of
each and its ratio; then, for time and for memory, the geometric mean of
the ratios and the worst one. This is a measurement, not a test: it exits 0,
unless --max-geomean is given (for manual use), in which case it exits 1
when the geometric mean is above the threshold or a program failed.

    bench/run.py --ours build-rel/lua/lua [--ref lua5.4] [--runs 5] [names]
"""

import argparse
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROGRAMS_DIR = Path(__file__).resolve().parent / "lua"

# Variables that make lua5.4 run code before the script; neither
# interpreter should see them, so both run the same program.
SCRUBBED_ENV = ("LUA_INIT", "LUA_INIT_5_4")


@dataclass
class Run:
    """One finished run of one interpreter on one program."""

    cpu: float  # user + system seconds of the child
    maxrss: int  # peak resident set size of the child, in KiB
    status: str  # "exit 0", "exit 1", "signal 11", "timeout"
    stdout: bytes
    stderr: bytes


@dataclass
class Result:
    """The measurements of one program, or why it failed."""

    name: str
    ref_times: list
    our_times: list
    ref_rss: list = field(default_factory=list)
    our_rss: list = field(default_factory=list)
    failure: str = ""

    def ratio(self):
        return statistics.median(self.our_times) / statistics.median(
            self.ref_times
        )

    def memory_ratio(self):
        return statistics.median(self.our_rss) / statistics.median(
            self.ref_rss
        )


def describe_status(wait_status):
    if os.WIFSIGNALED(wait_status):
        return f"signal {os.WTERMSIG(wait_status)}"
    return f"exit {os.waitstatus_to_exitcode(wait_status)}"


def wait_with_timeout(pid, timeout):
    """Reaps pid; returns its wait status, or None after a timeout.

    Polls instead of blocking so that a hung interpreter can be killed
    without racing a timer against the reaping of the pid. The pid leads a
    process group of its own (GNU time and the interpreter), all killed.
    """
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        got, wait_status = os.waitpid(pid, os.WNOHANG)
        if got == pid:
            return wait_status
        if time.monotonic() > deadline:
            os.killpg(pid, 9)
            os.waitpid(pid, 0)
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


GNU_TIME = "/usr/bin/time"
# What GNU time writes to its -o file: user and system seconds and the peak
# resident set size in KiB, after a line of its own when the command was
# killed by a signal.
TIME_FORMAT = "%U %S %M"
KILLED = re.compile(r"Command terminated by signal (\d+)")


def run_once(interpreter, script, env, timeout):
    """Runs `interpreter script` under GNU time; returns the measured Run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as report:
        pid = os.posix_spawn(
            GNU_TIME,
            [GNU_TIME, "-f", TIME_FORMAT, "-o", report.name,
             interpreter, str(script)],
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ],
            setpgroup=0,  # a timeout kills time and the interpreter alike
        )
        wait_status = wait_with_timeout(pid, timeout)
        out.seek(0)
        err.seek(0)
        lines = report.read().splitlines()
        fields = lines[-1].split() if lines else []
        if len(fields) != 3:  # killed before GNU time could write
            fields = ["0", "0", "0"]
        killed = KILLED.search(lines[0]) if lines else None
        if wait_status is None:
            status = "timeout"
        elif killed:
            status = f"signal {killed.group(1)}"
        else:
            # GNU time exits with the interpreter's exit status.
            status = describe_status(wait_status)
        return Run(
            cpu=float(fields[0]) + float(fields[1]),
            maxrss=int(fields[2]),
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
        result.ref_rss.append(ref_run.maxrss)
        result.our_rss.append(our_run.maxrss)
        if args.verbose:
            print(
                f"  {name}: ref {ref_run.cpu:.3f} s {ref_run.maxrss} KiB, "
                f"ours {our_run.cpu:.3f} s {our_run.maxrss} KiB",
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


def require_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"run.py: needs GNU time at {GNU_TIME} (Debian: apt-get "
                 "install time; tools/bootstrap installs it)")


def resolve(executable, option):
    path = shutil.which(executable)
    if path is None:
        sys.exit(f"run.py: {option} {executable}: not an executable")
    return os.path.abspath(path)


def print_table(results):
    width = max(len("program"), *(len(r.name) for r in results))
    print(
        f"{'program':<{width}}  {'ref s':>8}  {'ours s':>8}  {'ours/ref':>8}"
        f"  {'ref MiB':>8}  {'ours MiB':>8}  {'ours/ref':>8}"
    )
    for r in results:
        if r.failure:
            print(f"{r.name:<{width}}  FAIL  {r.failure}")
            continue
        ref = statistics.median(r.ref_times)
        ours = statistics.median(r.our_times)
        ref_mib = statistics.median(r.ref_rss) / 1024
        our_mib = statistics.median(r.our_rss) / 1024
        print(
            f"{r.name:<{width}}  {ref:8.3f}  {ours:8.3f}  {r.ratio():8.3f}"
            f"  {ref_mib:8.1f}  {our_mib:8.1f}  {r.memory_ratio():8.3f}"
        )


def geometric_mean(values):
    return math.exp(sum(math.log(x) for x in values) / len(values))


def summarize(results, max_geomean):
    """Prints the summary lines; returns the exit status."""
    passed = [r for r in results if not r.failure]
    failed = len(results) - len(passed)
    if failed:
        print(f"failed: {failed} of {len(results)} programs")
    if not passed:
        print("no program ran in both interpreters: no ratio to report")
        return 1 if max_geomean is not None else 0
    geomean = geometric_mean([r.ratio() for r in passed])
    worst = max(passed, key=Result.ratio)
    print(f"geometric mean ours/ref: {geomean:.3f} over {len(passed)} programs")
    print(f"worst ratio: {worst.ratio():.3f} ({worst.name})")
    memory = geometric_mean([r.memory_ratio() for r in passed])
    hungriest = max(passed, key=Result.memory_ratio)
    print(f"peak memory, geometric mean ours/ref: {memory:.3f}")
    print(
        f"peak memory, worst ratio: {hungriest.memory_ratio():.3f} "
        f"({hungriest.name})"
    )
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
    require_gnu_time()
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    names = select_programs(args.names)
    print(f"ref:  {args.ref}\nours: {args.ours}\nruns: {args.runs} each, "
          "CPU time (user+sys) and peak resident memory, median\n")
    results = [
        measure(name, PROGRAMS_DIR / f"{name}.lua", args, env)
        for name in names
    ]
    print_table(results)
    print()
    return summarize(results, args.max_geomean)


if __name__ == "__main__":
    sys.exit(main())
