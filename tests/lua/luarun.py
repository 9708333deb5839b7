"""Running a Lua script under an interpreter the way the tests compare it.

Shared by run.py, regen.py (this folder) and ../diff/difftest.py.

A script runs from its own folder, named by its file name alone, so the
chunk names in messages ("op_arith.lua:12: ...") do not depend on where
the checkout lives. Its stdin is empty and the LUA_INIT variables are
removed, so nothing outside the script can change what it prints.

The stand-alone interpreter prefixes an uncaught error with its argv[0]
("lua5.4: ...", "/path/to/lua-mini: ..."). normalise_stderr() rewrites
that prefix to "lua: " so that the outputs of different interpreters,
and the committed expected files, can be compared byte for byte.
"""
import os
import shlex
import subprocess
from dataclasses import dataclass

# Variables through which lua.c would run code before the script.
_LUA_ENV_VARS = ('LUA_INIT', 'LUA_INIT_5_4', 'LUA_PATH', 'LUA_PATH_5_4',
                 'LUA_CPATH', 'LUA_CPATH_5_4')

NORMALISED_PROGNAME = 'lua'


@dataclass
class Outcome:
    """What one run produced: stdout, normalised stderr, and the status.

    status is the exit status as a string ("0", "1"), or "signal N" when
    the process was killed by a signal, or "timeout".
    """
    stdout: str
    stderr: str
    status: str

    def fields(self):
        return (('stdout', self.stdout), ('stderr', self.stderr),
                ('status', self.status + '\n'))


def interp_argv(interp):
    """The argv prefix for an interpreter given as a path or a command line.

    A path that names an existing file is used as is (it may contain
    spaces); anything else is split like a shell would ("valgrind lua").
    A relative path ("./lua-mini", as Meson passes it) is made absolute,
    since scripts run from their own folders.
    """
    words = [interp] if os.path.exists(interp) else shlex.split(interp)
    if words and os.sep in words[0] and os.path.exists(words[0]):
        words[0] = os.path.abspath(words[0])
    return words


def _prognames(argv):
    """The names under which the interpreter may report itself."""
    names = set()
    for word in argv:
        names.add(word)
        names.add(os.path.basename(word))
        names.add(os.path.abspath(word))
    return sorted(names, key=len, reverse=True)


def normalise_stderr(text, argv):
    """Rewrites a leading "<progname>: " of each line to "lua: "."""
    names = _prognames(argv)
    lines = text.split('\n')
    for i, line in enumerate(lines):
        for name in names:
            if line.startswith(name + ': '):
                lines[i] = NORMALISED_PROGNAME + line[len(name):]
                break
    return '\n'.join(lines)


def _clean_env():
    env = dict(os.environ)
    for var in _LUA_ENV_VARS:
        env.pop(var, None)
    env['LC_ALL'] = 'C'
    return env


def _decode(data):
    # Scripts may print arbitrary bytes; surrogateescape keeps them
    # comparable and lets them round-trip into the expected files.
    return data.decode('utf-8', errors='surrogateescape')


def run_script(interp, script, timeout=120.0):
    """Runs `script` (a path) under `interp`; returns an Outcome."""
    argv = interp_argv(interp)
    folder = os.path.dirname(os.path.abspath(script))
    try:
        proc = subprocess.run(argv + [os.path.basename(script)], cwd=folder,
                              env=_clean_env(), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        return Outcome(_decode(exc.stdout or b''),
                       _decode(exc.stderr or b''), 'timeout')
    if proc.returncode < 0:
        status = 'signal %d' % -proc.returncode
    else:
        status = str(proc.returncode)
    return Outcome(_decode(proc.stdout),
                   normalise_stderr(_decode(proc.stderr), argv), status)


def discover(root, names=()):
    """The scripts to run: every *.lua under `root` (recursively, sorted),
    or those selected by `names`.

    A name is a script path relative to `root` with or without ".lua"
    ("op_arith", "base/print.lua"), or a folder relative to `root`, whose
    scripts are all selected. Raises ValueError for a name that selects
    nothing.
    """
    every = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs
                         if not d.startswith(('.', '_')))
        every += [os.path.relpath(os.path.join(folder, f), root)
                  for f in files if f.endswith('.lua')]
    every.sort()
    if not names:
        return every
    chosen = []
    for name in names:
        rel = os.path.normpath(os.path.relpath(os.path.abspath(name), root)
                               if os.path.isabs(name) else name)
        if os.path.isdir(os.path.join(root, rel)):
            hits = [s for s in every if s.startswith(rel + os.sep)
                    or rel == '.']
        else:
            want = rel if rel.endswith('.lua') else rel + '.lua'
            hits = [s for s in every if s == want]
        if not hits:
            raise ValueError('no test script matches %r' % name)
        chosen += [h for h in hits if h not in chosen]
    return chosen


def expected_paths(script):
    """The committed files beside `script`: (.out, .err, .status)."""
    stem = script[:-len('.lua')]
    return stem + '.out', stem + '.err', stem + '.status'


def read_expected(script):
    """The committed Outcome of `script`, or None if a file is missing."""
    paths = expected_paths(script)
    if not all(os.path.exists(p) for p in paths):
        return None
    texts = []
    for p in paths:
        with open(p, 'rb') as f:
            texts.append(_decode(f.read()))
    return Outcome(texts[0], texts[1], texts[2].strip())


def write_expected(script, outcome):
    """Writes `outcome` into the files beside `script`."""
    for path, (_, text) in zip(expected_paths(script), outcome.fields()):
        with open(path, 'wb') as f:
            f.write(text.encode('utf-8', errors='surrogateescape'))


def is_heavy(script):
    """True when the script's first line says "-- heavy: <reason>"."""
    with open(script, encoding='utf-8', errors='replace') as f:
        return f.readline().startswith('-- heavy:')


def needs(script):
    """The libraries a script declares on a line "-- needs: <lib> ..."
    among its first lines: it is skipped where they do not exist yet."""
    with open(script, encoding='utf-8', errors='replace') as f:
        for line in f.readlines()[:5]:
            if line.startswith('-- needs:'):
                return set(line[len('-- needs:'):].split())
    return set()


def diff_outcomes(expected, actual, expected_label, actual_label):
    """Unified diffs of the fields that differ ('' when all agree)."""
    import difflib
    parts = []
    for (field, want), (_, got) in zip(expected.fields(), actual.fields()):
        if want == got:
            continue
        for line in difflib.unified_diff(
                want.splitlines(keepends=True),
                got.splitlines(keepends=True),
                '%s %s' % (expected_label, field),
                '%s %s' % (actual_label, field)):
            if not line.endswith('\n'):
                line += '\n\\ No newline at end of file\n'
            parts.append(line)
    return ''.join(parts)
