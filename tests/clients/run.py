#!/usr/bin/env python3
"""Runs real Lua clients under an interpreter and under lua5.4 and
requires the same results.

Usage: run.py [options] INTERP [NAME ...]

Each client (third-party test suites shipped by Debian's lua-unit and
lua-dkjson, and our own programs beside this file that drive Penlight,
lua-cjson, LPeg and LuaFileSystem) runs twice, once under INTERP and once
under the oracle, each time in a fresh scratch folder holding a copy of
its files. Standard output, standard error, the exit status and any file
the client writes must be the same, after normalisation of what
legitimately varies between runs:

  - the program name leading a line of stderr ("lua5.4: ", "/x/lua-mini: ")
    becomes "lua: ";
  - addresses (0x...) become 0xADDR;
  - LuaUnit's durations ("Ran 3 tests in 0.004 seconds", time="0.001")
    and dates ("Started on ...", timestamp="...") become T and DATE.

Both interpreters get the same module search path: the oracle's default
package.path and package.cpath (from Debian's lua5.4: /usr/share/lua/5.4,
the multiarch C module folder...) minus the "./" entries, so that our
programs cjson.lua, lpeg.lua and lfs.lua do not shadow the modules they
require. The path is passed in LUA_PATH(_5_4) and LUA_CPATH(_5_4); LUA_INIT
and LuaUnit's LUAUNIT_* settings are removed from the environment.

A client whose Debian package (or one of its files or modules) is missing
is reported SKIP with the reason. A NAME selects the clients whose name
equals it or starts with NAME + "/" ("luaunit", "dkjson/jsontest").

Prints one line per client (PASS, FAIL followed by the differences, or
SKIP with the reason) and a summary "clients: N passed, M failed" (with
", K skipped" when some were). Exits 1 if any client failed, 77 (Meson's
"skipped") if none could run, 0 otherwise.

Options:
  --oracle PROG   the reference interpreter (default lua5.4)
  -j N            run N clients at once (default 2)
  --timeout S     seconds allowed per run (default 300)
  --keep          keep the scratch folders (their paths are printed)
  --list          list the clients and exit
"""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
LUAUNIT_EXAMPLES = '/usr/share/doc/lua-unit/examples'
DKJSON_EXAMPLES = '/usr/share/doc/lua-dkjson/examples'


@dataclass(frozen=True)
class Client:
    """One program to run: `script` (copied into the scratch folder under
    its own name) with `args`, after copying `extra` (source, destination)
    pairs; `outputs` are files it writes that are compared too."""
    name: str
    packages: tuple
    modules: tuple
    script: str
    args: tuple = ()
    extra: tuple = ()
    outputs: tuple = ()
    fixup: object = None   # a function applied to stdout, or None


def _luaunit(example, *args, name=None, outputs=()):
    return Client('luaunit/' + (name or example[:-len('.lua')]),
                  ('lua-unit',), ('luaunit',),
                  os.path.join(LUAUNIT_EXAMPLES, example), args,
                  outputs=outputs)


# jsontest prints the encoding of { [1] = "a", [5] = "c", x = "x" }, an
# object whose members come in `pairs` order, which differs from run to
# run even under lua5.4 alone: that line's members are sorted.
_MIXED_TABLE = re.compile(r'^(mixed table encoded as:\t)\{(.*)\}$', re.M)


def _sort_mixed_table(text):
    return _MIXED_TABLE.sub(
        lambda m: m.group(1) + '{' + ','.join(sorted(m.group(2).split(',')))
        + '}', text)


def _jsontest(*args, packages=(), modules=()):
    return Client('dkjson/jsontest' + ''.join(' ' + a for a in args),
                  ('lua-dkjson',) + packages, ('dkjson',) + modules,
                  os.path.join(DKJSON_EXAMPLES, 'jsontest.lua'), args,
                  fixup=_sort_mixed_table)


def _ours(name, package, *modules):
    return Client(name, (package,), modules,
                  os.path.join(HERE, name + '.lua'))


CLIENTS = [
    # LuaUnit's examples. Several suites fail on purpose: their exit
    # status (the number of failed tests) must be lua5.4's.
    _luaunit('check_lua_calc_error.lua'),
    _luaunit('compat_luaunit_v2x.lua'),
    _luaunit('example_with_luaunit.lua'),
    _luaunit('example_with_luaunit.lua', '--verbose',
             name='example_with_luaunit --verbose'),
    _luaunit('example_with_luaunit.lua', '--output', 'tap',
             name='example_with_luaunit --output tap'),
    _luaunit('example_with_luaunit.lua', '--pattern', 'Toto',
             '--exclude', 'test2', name='example_with_luaunit --pattern'),
    _luaunit('legacy_example_with_luaunit.lua'),
    _luaunit('some_lists_comparisons.lua'),
    _luaunit('test_with_err_fail_pass.lua'),
    # test_with_xml exists to show the JUnit output: the XML it writes is
    # compared too (its durations and date normalised).
    _luaunit('test_with_xml.lua', '--output', 'junit', '--name',
             'test_with_xml.xml', name='test_with_xml --output junit',
             outputs=('test_with_xml.xml',)),
    # LuaUnit's own test suite (206 tests), run by our small driver.
    Client('luaunit/test_luaunit', ('lua-unit',), ('luaunit',),
           os.path.join(HERE, 'luaunit_selftest.lua'), ('--verbose',),
           extra=((os.path.join(LUAUNIT_EXAMPLES, 'test_luaunit.lua'),
                   'test/test_luaunit.lua'),)),
    # dkjson's test program: the plain module, the same through LPeg, the
    # program's cjson mode, the escaping table of the BMP (the full range,
    # esc_full, takes 8 s under lua5.4), and a reference cycle, which
    # ends the program with an uncaught error.
    _jsontest(),
    _jsontest('dkjson-lpeg', packages=('lua-lpeg',), modules=('lpeg',)),
    _jsontest('mp-cjson', packages=('lua-cjson',), modules=('cjson',)),
    _jsontest('dkjson', 'esc'),
    _jsontest('dkjson', 'refcycle'),
    # Our programs.
    _ours('penlight', 'lua-penlight', 'pl.List', 'pl.tablex', 'pl.stringx',
          'pl.pretty', 'pl.class'),
    _ours('cjson', 'lua-cjson', 'cjson'),
    _ours('lpeg', 'lua-lpeg', 'lpeg', 're'),
    _ours('lfs', 'lua-filesystem', 'lfs'),
]

# What legitimately differs between two runs, and what replaces it.
NORMALISATIONS = [
    (re.compile(r'0x[0-9a-fA-F]+'), '0xADDR'),
    (re.compile(r'(Ran \d+ tests? in )\d+(?:\.\d+)? seconds'),
     r'\1T seconds'),
    (re.compile(r'(Started on ).*'), r'\1DATE'),
    (re.compile(r'\btime="[0-9.e+-]+"'), 'time="T"'),
    (re.compile(r'\btimestamp="[^"]*"'), 'timestamp="DATE"'),
]


def normalise(text):
    for pattern, replacement in NORMALISATIONS:
        text = pattern.sub(replacement, text)
    return text


def interp_argv(interp):
    """The argv prefix for an interpreter given as a path, a command on
    PATH or a command line ("valgrind lua-mini"); a relative path (as
    Meson passes it) becomes absolute, since clients run elsewhere."""
    words = [interp] if os.path.exists(interp) else shlex.split(interp)
    if words and os.sep in words[0] and os.path.exists(words[0]):
        words[0] = os.path.abspath(words[0])
    return words


def normalise_progname(text, argv):
    """Rewrites a leading "<program name>: " of each line to "lua: "."""
    names = set()
    for word in argv[:1]:
        names |= {word, os.path.basename(word), os.path.abspath(word)}
    names = sorted(names, key=len, reverse=True)
    lines = text.split('\n')
    for i, line in enumerate(lines):
        for name in names:
            if line.startswith(name + ': '):
                lines[i] = 'lua' + line[len(name):]
                break
    return '\n'.join(lines)


def decode(data):
    return data.decode('utf-8', errors='surrogateescape')


def base_env():
    """The environment minus what would change a client's behaviour."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('LUA_INIT', 'LUA_PATH', 'LUA_CPATH',
                                'LUAUNIT_'))}
    env['LC_ALL'] = 'C'
    return env


def oracle_paths(oracle_argv):
    """The oracle's default package.path and package.cpath, minus the
    entries relative to the current folder."""
    with tempfile.TemporaryDirectory(prefix='clients-') as tmp:
        probe = os.path.join(tmp, 'paths.lua')
        with open(probe, 'w') as f:
            f.write("io.write(package.path, '\\n', package.cpath, '\\n')\n")
        proc = subprocess.run(oracle_argv + [probe], env=base_env(),
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=60)
    lines = decode(proc.stdout).split('\n')
    if proc.returncode != 0 or len(lines) < 2:
        raise RuntimeError('cannot read the oracle\'s package paths: ' +
                           decode(proc.stderr).strip())

    def absolute_only(path):
        return ';'.join(e for e in path.split(';')
                        if e and not e.startswith('./'))
    return absolute_only(lines[0]), absolute_only(lines[1])


def search(module, path):
    """package.searchpath, for the skip check: the file or None."""
    stem = module.replace('.', '/')
    for template in path.split(';'):
        candidate = template.replace('?', stem)
        if os.path.isfile(candidate):
            return candidate
    return None


def package_installed(package):
    """True/False from dpkg, or None where there is no dpkg."""
    if shutil.which('dpkg-query') is None:
        return None
    proc = subprocess.run(['dpkg-query', '-W', '-f=${db:Status-Abbrev}',
                           package], capture_output=True, text=True)
    return proc.returncode == 0 and proc.stdout.startswith('ii')


def skip_reason(client, lpath, cpath):
    """Why `client` cannot run here, or None."""
    for package in client.packages:
        if package_installed(package) is False:
            return 'Debian package %s is not installed' % package
    for module in client.modules:
        if not (search(module, lpath) or search(module, cpath)):
            return 'module %s not found (package %s)' % (
                module, ' or '.join(client.packages))
    for path in [client.script] + [src for src, _ in client.extra]:
        if not os.path.isfile(path):
            return 'missing %s (package %s)' % (
                path, ' or '.join(client.packages))
    return None


def run_once(client, argv, env, scratch, timeout):
    """Runs `client` under `argv` in the folder `scratch`; returns the
    normalised fields as (name, text) pairs."""
    os.makedirs(scratch)
    script = os.path.basename(client.script)
    shutil.copy(client.script, os.path.join(scratch, script))
    for src, dest in client.extra:
        target = os.path.join(scratch, dest)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(src, target)
    try:
        proc = subprocess.run(argv + [script] + list(client.args),
                              cwd=scratch, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)
        stdout, stderr = proc.stdout, proc.stderr
        code = proc.returncode
        status = str(code) if code >= 0 else 'signal %d' % -code
    except subprocess.TimeoutExpired as exc:
        stdout, stderr = exc.stdout or b'', exc.stderr or b''
        status = 'timeout after %gs' % timeout
    stdout = normalise(decode(stdout))
    if client.fixup is not None:
        stdout = client.fixup(stdout)
    fields = [('stdout', stdout),
              ('stderr', normalise(normalise_progname(decode(stderr),
                                                      argv))),
              ('status', status + '\n')]
    for name in client.outputs:
        path = os.path.join(scratch, name)
        if os.path.isfile(path):
            with open(path, 'rb') as f:
                text = normalise(decode(f.read()))
        else:
            text = '<no file written>\n'
        fields.append((name, text))
    return fields


def compare(client, interp, oracle, env, scratch_root, timeout,
            max_lines):
    """Runs one client under both; returns the report ('' on a pass)."""
    base = os.path.join(scratch_root, client.name.replace('/', '_')
                        .replace(' ', '_'))
    ours = run_once(client, interp, env, base + '.interp', timeout)
    theirs = run_once(client, oracle, env, base + '.oracle', timeout)
    lines = []
    for (field, want), (_, got) in zip(theirs, ours):
        if want == got:
            continue
        lines += difflib.unified_diff(
            want.splitlines(keepends=True), got.splitlines(keepends=True),
            'oracle ' + field, 'interp ' + field)
    if not lines:
        return ''
    shown = lines[:max_lines]
    if len(lines) > max_lines:
        shown.append('... %d more diff lines\n' % (len(lines) - max_lines))
    return ''.join('    ' + (l if l.endswith('\n') else l + '\n')
                   for l in shown)


def select(names):
    if not names:
        return CLIENTS
    chosen = []
    for name in names:
        hits = [c for c in CLIENTS
                if c.name == name or c.name.startswith(name + '/')]
        if not hits:
            raise ValueError('no client matches %r' % name)
        chosen += [c for c in hits if c not in chosen]
    return chosen


def main():
    ap = argparse.ArgumentParser(
        description='Run real Lua clients under INTERP and the oracle.')
    ap.add_argument('interp')
    ap.add_argument('names', nargs='*')
    ap.add_argument('--oracle', default='lua5.4')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('--timeout', type=float, default=300.0)
    ap.add_argument('--max-diff', type=int, default=60,
                    help='diff lines shown per failing client')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--list', action='store_true')
    args = ap.parse_intermixed_args()
    try:
        clients = select(args.names)
    except ValueError as exc:
        ap.error(str(exc))
    if args.list:
        for c in clients:
            print(c.name)
        return 0

    interp = interp_argv(args.interp)
    oracle = interp_argv(args.oracle)
    if shutil.which(oracle[0]) is None:
        for c in clients:
            print('SKIP %s (oracle %s not found)' % (c.name, args.oracle))
        print('clients: 0 passed, 0 failed, %d skipped' % len(clients))
        return 77
    lpath, cpath = oracle_paths(oracle)
    env = base_env()
    for var in ('LUA_PATH', 'LUA_PATH_5_4'):
        env[var] = lpath
    for var in ('LUA_CPATH', 'LUA_CPATH_5_4'):
        env[var] = cpath

    skipped = {c: skip_reason(c, lpath, cpath) for c in clients}
    todo = [c for c in clients if skipped[c] is None]
    scratch_root = tempfile.mkdtemp(prefix='lua-clients-')
    failed = []
    try:
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            jobs = {c: pool.submit(compare, c, interp, oracle, env,
                                   scratch_root, args.timeout,
                                   args.max_diff) for c in todo}
            for c in clients:
                if c not in jobs:
                    print('SKIP %s (%s)' % (c.name, skipped[c]))
                    continue
                report = jobs[c].result()
                if report:
                    failed.append(c.name)
                    print('FAIL %s' % c.name)
                    sys.stdout.write(report)
                else:
                    print('PASS %s' % c.name)
                sys.stdout.flush()
    finally:
        if args.keep:
            print('scratch folders kept in %s' % scratch_root)
        else:
            shutil.rmtree(scratch_root, ignore_errors=True)

    n_skipped = len(clients) - len(todo)
    summary = 'clients: %d passed, %d failed' % (len(todo) - len(failed),
                                                 len(failed))
    if n_skipped:
        summary += ', %d skipped' % n_skipped
    print(summary)
    if failed:
        return 1
    return 77 if not todo else 0


if __name__ == '__main__':
    sys.exit(main())
