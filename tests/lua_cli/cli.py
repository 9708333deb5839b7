#!/usr/bin/env python3
"""Chapter 11's command-line tests: `lua` and `luac` against lua5.4/luac5.4.

Usage: cli.py --lua LUA --luac LUAC --oracle-lua LUA5.4 --oracle-luac LUAC5.4
              [--corpus DIR] [NAME ...]

Every case runs the same command line twice, in a fresh temporary folder
holding the case's files, with the same standard input and environment:
once with our program and once with the oracle. Their stdout, stderr and
exit status must be equal, and so must the files the case names as
outputs (luac.out and the like). Before comparing, each program's path is
replaced by its plain name ("lua" or "luac"), so that "lua5.4: msg" and
".../lua: msg" compare equal, and addresses (0x...) by "ADDR".

The kinds of case:
- plain runs of `lua` (options, the arg table, LUA_INIT, -E, -W, -l, error
  reports, exit statuses, "-" and standard input);
- SIGINT: the program warns "ready" on stderr from inside a chunk that
  loops forever; the test then sends SIGINT and the program must report
  "interrupted!" and exit with status 1, as the oracle does;
- plain runs of `luac` (listings, -p, -s, -o, -v, usage messages), and
  for every .lua file of --corpus a listing `luac -l -l` and a chunk that
  must equal luac5.4's byte for byte and run under lua5.4 as the source
  does;
- several inputs combined: luac5.4 5.4.4 aborts with a double free in
  lua_close after it has printed and written everything, so for those
  only stdout (the oracle's unbuffered, through stdbuf) and the written
  chunk are compared, and ours must exit 0 with an empty stderr; the
  combined chunk must also run under lua5.4 as dofile of each file does.

A case that needs a library the interpreter lacks (probed by running
`lua -e "assert(...)"`) is skipped with the reason. The last line is the
summary "N passed, N failed, N skipped"; the exit status is 1 when any
case failed.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

TIMEOUT = 60

# What each need asks of the interpreter before a case may run.
PROBES = {
    'require': "type(require) == 'function' and "
               "type(package.loaded) == 'table'",
    'debug': "type(debug.getregistry) == 'function'",
    'os': "type(os.exit) == 'function'",
    'string': "type(string.format) == 'function'",
}

ADDRESS = re.compile(rb'0x[0-9a-fA-F]+')

ARGS_SCRIPT = b'''local lo = 0
while arg[lo - 1] ~= nil do lo = lo - 1 end
for i = lo, #arg do print(i, arg[i]) end
print("...", ...)
'''

MODULE = b'''local M = {value = 42}
print("loading", ...)
return M
'''


@dataclass
class Case:
    """One command line, run under ours and under the oracle."""
    name: str
    tool: str                       # 'lua' or 'luac'
    args: list
    stdin: bytes = b''
    env: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    outputs: list = field(default_factory=list)
    needs: tuple = ()
    combined: bool = False          # luac5.4 aborts after its work
    runs: bool = False              # the chunk also runs under lua5.4


def lua_cases():
    """The cases of `lua`, from the manual's description of lua.c."""
    c = []
    add = c.append
    scripts = {'args.lua': ARGS_SCRIPT, '-': b'print("a file named -")\n',
               'mymod.lua': MODULE}
    # Options and usage messages.
    for bad in (['-x'], ['-e'], ['-l'], ['-e', '-x'], ['--x'], ['-ix'],
                ['-vx'], ['-Ex'], ['-Wx'], ['-l', '-'], ['-e', 'x=1', '-y']):
        add(Case('bad option ' + ' '.join(bad), 'lua', bad))
    add(Case('-v', 'lua', ['-v']))
    add(Case('-v with a script', 'lua', ['-v', 'args.lua'], files=scripts))
    add(Case('-e runs in order', 'lua',
             ['-e', 'print(1)', '-eprint(2)', '-e', 'print(3)']))
    add(Case('-e stops at the first error', 'lua',
             ['-e', 'print(1)', '-e', 'error("two")', '-e', 'print(3)']))
    add(Case('-e syntax error', 'lua', ['-e', 'x =']))
    add(Case('-e then stdin with -', 'lua', ['-e', 'print(1)', '-'],
             stdin=b'print("from stdin", ...)\n'))
    add(Case('-i with stdin not a terminal', 'lua', ['-i'],
             stdin=b'1+1\nprint("x")\nerror("e")\n'))
    add(Case('-i after a script', 'lua', ['-i', 'args.lua', 'p'],
             stdin=b'x = 5\nx\n', files=scripts))
    # The arg table.
    add(Case('arg without a script', 'lua',
             ['-e', 'for i = -3, 3 do print(i, arg[i]) end']))
    add(Case('arg with a script', 'lua',
             ['-e', 'y=1', 'args.lua', 'a', 'b c', ''], files=scripts))
    add(Case('arg after --', 'lua', ['-W', '--', 'args.lua', '-e', 'x'],
             files=scripts))
    add(Case('arg of stdin -', 'lua', ['-', 'one', 'two'],
             stdin=ARGS_SCRIPT))
    add(Case('-- then a file named -', 'lua', ['--', '-', 'z'],
             files=scripts, stdin=b'print("stdin, not the file")\n'))
    add(Case('arg is not a table', 'lua', ['-e', 'arg = 1', 'args.lua'],
             files=scripts))
    # Standard input.
    add(Case('stdin not a terminal runs as a chunk', 'lua', [],
             stdin=b'print(1 + 1)\nprint(...)\n'))
    add(Case('stdin error still exits 0', 'lua', [],
             stdin=b'print("before")\nerror("in stdin")\n'))
    add(Case('- error exits 1', 'lua', ['-'], stdin=b'error("in stdin")\n'))
    add(Case('stdin syntax error', 'lua', ['-'], stdin=b'x = = 1\n'))
    # Scripts and their errors.
    files = {'ok.lua': b'#!/usr/bin/env lua\nprint("shebang", ...)\n'
                       b'return 1, 2\n',
             'err.lua': b'local function f() error("deep") end\nf()\n',
             'syntax.lua': b'print(1\n',
             'table.lua': b'error({})\n',
             'nil.lua': b'error()\n',
             'number.lua': b'error(42)\n',
             'ts.lua': b'error(setmetatable({}, {__tostring = function() '
                       b'return "custom" end}))\n',
             'tsbad.lua': b'error(setmetatable({}, {__tostring = function() '
                          b'return 1 end}))\n'}
    for script in files:
        add(Case('script ' + script, 'lua', [script, 'x'], files=files))
    add(Case('missing script', 'lua', ['nosuch.lua']))
    add(Case('os.exit(3)', 'lua', ['-e', 'os.exit(3)'], needs=('os',)))
    add(Case('os.exit(false)', 'lua', ['-e', 'os.exit(false)'],
             needs=('os',)))
    # LUA_INIT.
    init = {'init.lua': b'print("init file", arg and #arg)\n'}
    add(Case('LUA_INIT', 'lua', ['-e', 'print(2)'],
             env={'LUA_INIT': 'print("init")'}))
    add(Case('LUA_INIT_5_4 first', 'lua', ['-e', 'print(2)'],
             env={'LUA_INIT': 'print("init")',
                  'LUA_INIT_5_4': 'print("init 5.4")'}))
    add(Case('LUA_INIT @file', 'lua', ['-e', 'print(2)'], files=init,
             env={'LUA_INIT': '@init.lua'}))
    add(Case('LUA_INIT @missing', 'lua', ['-e', 'print(2)'],
             env={'LUA_INIT': '@missing.lua'}))
    add(Case('LUA_INIT error', 'lua', ['-e', 'print(2)'],
             env={'LUA_INIT_5_4': 'error("bad init")'}))
    add(Case('LUA_INIT syntax error', 'lua', ['-e', 'print(2)'],
             env={'LUA_INIT': 'x ='}))
    add(Case('-E ignores LUA_INIT', 'lua', ['-E', '-e', 'print(2)'],
             env={'LUA_INIT': 'print("init")',
                  'LUA_INIT_5_4': 'print("init 5.4")'}))
    add(Case('-E sets LUA_NOENV', 'lua',
             ['-E', '-e', 'print(debug.getregistry().LUA_NOENV)'],
             needs=('debug',)))
    add(Case('no -E, no LUA_NOENV', 'lua',
             ['-e', 'print(debug.getregistry().LUA_NOENV)'],
             needs=('debug',)))
    # Warnings.
    add(Case('-W turns warnings on', 'lua',
             ['-W', '-e', 'warn("w", "1")', '-e', 'warn("@off") warn("x")']))
    add(Case('warnings are off without -W', 'lua',
             ['-e', 'warn("hidden")', '-e', 'warn("@on") warn("shown")']))
    # -l.
    path = {'LUA_PATH': './?.lua', 'LUA_CPATH': './?.so'}
    add(Case('-l mod', 'lua', ['-l', 'mymod', '-e', 'print(mymod.value)'],
             files=scripts, env=path, needs=('require',)))
    add(Case('-lmod glued', 'lua', ['-lmymod', '-e', 'print(mymod.value)'],
             files=scripts, env=path, needs=('require',)))
    add(Case('-l g=mod', 'lua',
             ['-l', 'g=mymod', '-e', 'print(g.value, mymod)'],
             files=scripts, env=path, needs=('require',)))
    add(Case('-l missing module', 'lua', ['-l', 'nosuch', '-e', 'print(1)'],
             env=path, needs=('require',)))
    add(Case('-l and -e in order', 'lua',
             ['-e', 'print(mymod)', '-l', 'mymod', '-e', 'print(mymod.value)'],
             files=scripts, env=path, needs=('require',)))
    return c


def luac_cases(corpus, oracle_luac, skip_heavy):
    """The cases of `luac`, from luac5.4's usage and behaviour."""
    c = []
    add = c.append
    src = {'a.lua': b'local x = 1\nprint(x + 2, ...)\n'
                    b'function f(a, ...) return a, ... end\n',
           'b.lua': b'print("b", ...)\nlocal t = {1, 2, 3}\nprint(#t)\n',
           'bad.lua': b'x = = 1\n'}
    folder = write_files(src)
    try:  # a binary chunk as luac5.4 writes it
        binary = subprocess.run([oracle_luac, '-o', '-', 'a.lua'], cwd=folder,
                                capture_output=True, check=True).stdout
    finally:
        shutil.rmtree(folder)
    src_bin = dict(src, **{'a.luac': binary})
    out = ['luac.out']
    for bad in (['-x'], ['-o'], ['-o', '-x'], ['-o', ''], [], ['--x']):
        add(Case('usage ' + ' '.join(bad), 'luac', bad))
    add(Case('-v alone', 'luac', ['-v']))
    add(Case('-v -v --', 'luac', ['-v', '-v', '--']))
    add(Case('-v with a file', 'luac', ['-v', 'a.lua'], files=src,
             outputs=out))
    add(Case('default output luac.out', 'luac', ['a.lua'], files=src,
             outputs=out))
    add(Case('-o file', 'luac', ['-o', 'x.luac', 'a.lua'], files=src,
             outputs=['x.luac']))
    add(Case('-o - writes stdout', 'luac', ['-o', '-', 'a.lua'], files=src))
    add(Case('-s strips', 'luac', ['-s', '-o', 's.luac', 'a.lua'],
             files=src, outputs=['s.luac']))
    add(Case('-l', 'luac', ['-l', 'a.lua'], files=src, outputs=out))
    add(Case('-l -l', 'luac', ['-l', '-l', 'a.lua'], files=src,
             outputs=out))
    add(Case('-l -l -s', 'luac', ['-l', '-l', '-s', 'a.lua'], files=src,
             outputs=out))
    add(Case('-p', 'luac', ['-p', 'a.lua'], files=src, outputs=out))
    add(Case('-p syntax error', 'luac', ['-p', 'bad.lua'], files=src))
    add(Case('syntax error', 'luac', ['bad.lua'], files=src, outputs=out))
    add(Case('missing file', 'luac', ['nosuch.lua']))
    add(Case('-l lists luac.out', 'luac', ['-l'],
             files={'luac.out': binary}))
    add(Case('-l a binary chunk', 'luac', ['-l', '-l', '-p', 'a.luac'],
             files=src_bin))
    add(Case('- reads stdin', 'luac', ['-l', '-'], stdin=src['b.lua'],
             outputs=out))
    add(Case('-- then a file', 'luac', ['-l', '--', 'a.lua'], files=src,
             outputs=out))
    add(Case('cannot open the output', 'luac',
             ['-o', 'nodir/x.luac', 'a.lua'], files=src))
    add(Case('several files combined', 'luac', ['-l', 'a.lua', 'b.lua'],
             files=src, outputs=out, combined=True))
    add(Case('several files, full listing', 'luac',
             ['-l', '-l', 'a.luac', 'b.lua', 'a.lua'], files=src_bin,
             outputs=out, combined=True))
    add(Case('several files stripped', 'luac',
             ['-s', '-o', 'c.luac', 'a.lua', 'b.lua'], files=src,
             outputs=['c.luac'], combined=True))
    if corpus:
        for name in sorted(os.listdir(corpus)):
            if name.endswith('.lua'):
                with open(os.path.join(corpus, name), 'rb') as f:
                    text = f.read()
                if skip_heavy and text.startswith(b'-- heavy:'):
                    continue
                compiles = subprocess.run(
                    [oracle_luac, '-p', '-'], input=text,
                    capture_output=True).returncode == 0
                add(Case('corpus ' + name, 'luac',
                         ['-l', '-l', '-o', 'x.luac', name],
                         files={name: text}, outputs=['x.luac'],
                         runs=compiles))
    return c


def write_files(files, folder=None):
    folder = folder or tempfile.mkdtemp(prefix='lua_cli_')
    for name, data in files.items():
        with open(os.path.join(folder, name), 'wb') as f:
            f.write(data)
    return folder


def environment(extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith('LUA_')}
    env.update(extra)
    return env


def normalise(data, program):
    data = data.replace(program.encode(), os.path.basename(program)
                        .replace('5.4', '').encode())
    return ADDRESS.sub(b'ADDR', data)


def run(program, case, prefix=()):
    """Runs the case in a fresh folder; returns (stdout, stderr, status,
    {output: bytes or None})."""
    folder = write_files(case.files)
    try:
        p = subprocess.run(list(prefix) + [program] + case.args,
                           cwd=folder, input=case.stdin,
                           env=environment(case.env), capture_output=True,
                           timeout=TIMEOUT)
        outs = {}
        for name in case.outputs:
            path = os.path.join(folder, name)
            outs[name] = open(path, 'rb').read() \
                if os.path.exists(path) else None
        return (normalise(p.stdout, program), normalise(p.stderr, program),
                p.returncode, outs)
    finally:
        shutil.rmtree(folder)


def compare(ours, theirs, what):
    """The differences between two results, as lines of a report."""
    report = []
    for label, a, b in zip(what, ours, theirs):
        if a != b:
            report.append('  %s differs:\n    ours:   %r\n    oracle: %r'
                          % (label, a, b))
    return report


def check_plain(case, programs):
    ours = run(programs[case.tool][0], case)
    theirs = run(programs[case.tool][1], case)
    return compare(ours, theirs, ('stdout', 'stderr', 'status', 'outputs'))


def unlined_outer(listing):
    """The listing with the line numbers of the combined function's code
    replaced by "[-]": luac.c clears its line information, but luac5.4
    5.4.4 prints line numbers there that change from run to run."""
    head, sep, rest = listing.partition(b'\nmain <(luac):0,0>')
    body, sep2, tail = rest.partition(b'\n\n')
    body = re.sub(rb'\t\[\d+\]\t', b'\t[-]\t', body)
    return head + sep + body + sep2 + tail


def check_combined(case, programs):
    ours = run(programs['luac'][0], case)
    theirs = run(programs['luac'][1], case, prefix=('stdbuf', '-o0'))
    report = compare((ours[0], ours[3]), (unlined_outer(theirs[0]), theirs[3]),
                     ('stdout', 'outputs'))
    if ours[1] != b'' or ours[2] != 0:
        report.append('  ours failed: %r, status %d' % (ours[1], ours[2]))
    return report


def check_chunk_runs(case, programs):
    """A chunk written by our luac runs under lua5.4 as its source does."""
    lua54 = programs['lua'][1]
    folder = write_files(case.files)
    try:
        name = case.args[-1]
        subprocess.run([programs['luac'][0], '-o', 'x.luac', name],
                       cwd=folder, check=True, timeout=TIMEOUT)
        runs = [subprocess.run([lua54, chunk, 'arg1'], cwd=folder,
                               capture_output=True, env=environment({}),
                               timeout=TIMEOUT)
                for chunk in ('x.luac', name)]
        results = [(r.stdout, r.stderr.replace(b'x.luac', name.encode()),
                    r.returncode) for r in runs]
        return compare(results[0], results[1],
                       ('stdout under lua5.4', 'stderr', 'status'))
    finally:
        shutil.rmtree(folder)


def check_combined_runs(programs):
    """A chunk combined from several files runs them in turn, each without
    arguments, as dofile does, under lua5.4."""
    files = {'a.lua': b'print("a", select("#", ...))\nx = 1\n',
             'b.lua': b'print("b", x, ...)\nerror("stop")\n'}
    lua54 = programs['lua'][1]
    folder = write_files(files)
    try:
        subprocess.run([programs['luac'][0], '-o', 'c.luac', 'a.lua',
                        'b.lua'], cwd=folder, check=True, timeout=TIMEOUT)
        runs = [subprocess.run([lua54] + args, cwd=folder,
                               capture_output=True, env=environment({}),
                               timeout=TIMEOUT)
                for args in (['c.luac', 'arg1'],
                             ['-e', 'dofile("a.lua") dofile("b.lua")'])]
        results = [(r.stdout, r.returncode) for r in runs]
        report = compare(results[0], results[1], ('stdout', 'status'))
        if b'b.lua:2: stop' not in runs[0].stderr:
            report.append('  no error from b.lua: %r' % runs[0].stderr)
        return report
    finally:
        shutil.rmtree(folder)


def check_sigint(program, script_args, files):
    """Interrupts a chunk that loops forever; returns (stderr, status)."""
    folder = write_files(files)
    try:
        p = subprocess.Popen([program] + script_args, cwd=folder,
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=environment({}))
        seen = b''
        deadline = time.time() + TIMEOUT
        while b'ready\n' not in seen and time.time() < deadline:
            byte = p.stderr.read(1)
            if not byte:
                break
            seen += byte
        # "ready" is out before warn returns; give the loop time to start,
        # or the hook reports the interruption inside warn.
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        rest = p.stderr.read()
        p.stdout.read()
        status = p.wait(timeout=TIMEOUT)
        return normalise(seen + rest, program), status
    finally:
        shutil.rmtree(folder)


def sigint_checks(programs):
    loop = {'loop.lua': b'warn("@on")\nwarn("ready")\nwhile true do end\n'}
    checks = [('SIGINT in -e', ['-W', '-e', 'warn("ready") while true do end'],
               {}),
              ('SIGINT in a script', ['loop.lua'], loop)]
    for name, args, files in checks:
        ours = check_sigint(programs['lua'][0], args, files)
        theirs = check_sigint(programs['lua'][1], args, files)
        report = compare(ours, theirs, ('stderr', 'status'))
        if b'interrupted!' not in ours[0] or ours[1] != 1:
            report.append('  expected "interrupted!" and status 1, got '
                          '%r, %d' % ours)
        yield name, report


def probe(lua, need):
    r = subprocess.run([lua, '-e', 'assert(%s)' % PROBES[need]],
                       capture_output=True, env=environment({}),
                       timeout=TIMEOUT)
    return r.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--lua', required=True)
    ap.add_argument('--luac', required=True)
    ap.add_argument('--oracle-lua', default='lua5.4')
    ap.add_argument('--oracle-luac', default='luac5.4')
    ap.add_argument('--corpus', help='folder of .lua files for luac')
    ap.add_argument('--skip-heavy', action='store_true',
                    help='leave out corpus files marked "-- heavy:"')
    ap.add_argument('names', nargs='*', help='run only cases whose name '
                    'contains one of these')
    args = ap.parse_args()
    programs = {
        'lua': (os.path.abspath(args.lua), shutil.which(args.oracle_lua)),
        'luac': (os.path.abspath(args.luac), shutil.which(args.oracle_luac)),
    }
    have = {need: probe(programs['lua'][0], need) for need in PROBES}
    checks = []
    cases = lua_cases() + luac_cases(args.corpus, programs['luac'][1],
                                     args.skip_heavy)
    for case in cases:
        checks.append((case.name, case))
        if case.runs:
            checks.append((case.name + ' runs under lua5.4', case))
    passed = failed = skipped = 0

    def record(name, report):
        nonlocal passed, failed
        if report:
            failed += 1
            print('FAIL %s\n%s' % (name, '\n'.join(report)))
        else:
            passed += 1
            print('ok   %s' % name)

    for name, case in checks:
        if args.names and not any(n in name for n in args.names):
            continue
        missing = [n for n in case.needs if not have[n]]
        if missing:
            skipped += 1
            print('skip %s (needs %s, not there yet)'
                  % (name, ', '.join(missing)))
            continue
        if name.endswith(' runs under lua5.4'):
            record(name, check_chunk_runs(case, programs))
        elif case.combined:
            record(name, check_combined(case, programs))
        else:
            record(name, check_plain(case, programs))
    if not args.names or any('combined' in n for n in args.names):
        record('combined chunk runs under lua5.4',
               check_combined_runs(programs))
    if not args.names or any('SIGINT' in n for n in args.names):
        for name, report in sigint_checks(programs):
            record(name, report)
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
