#!/usr/bin/env python3
"""Types at the REPL of a Lua interpreter through a pseudo-terminal.

Usage: repl.py --lua PROG [--oracle LUA5.4]

The interpreter starts with no arguments on a pseudo-terminal (80x24,
TERM=dumb, no inputrc, no LUA_INIT), so it shows its banner and prompt.
The test then types, a key at a time as a person does: an expression, a
function defined over three lines, a call of it, an error, a list of
values, an endless loop stopped by Ctrl-C (the chunk reports
"interrupted!" and the REPL goes on), four Up-arrow keys (ESC [ A) that
bring back the call from readline's history, Enter to run it again, and
Ctrl-D to leave.

What the terminal shows is rebuilt from the bytes the program wrote (a
small screen model: carriage return, backspace, line feed, cursor and
erase sequences), and must equal EXPECTED, line for line; the exit status
must be 0. With --oracle the same session runs under lua5.4 too, and must
pass as well (which shows that EXPECTED is lua5.4's behaviour); the two
screens may differ in the banner line only.

The last line is "N passed, N failed"; the exit status is 1 on a failure.
"""
import argparse
import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time

TIMEOUT = 20.0
BANNER = re.compile(r'Lua 5\.4\.\d+  Copyright \(C\) 1994-20\d\d Lua\.org, '
                    r'PUC-Rio$')
UP = b'\x1b[A'
ENTER = b'\r'
CTRL_D = b'\x04'

# What is typed: a line ends with Enter; a key is sent as it is.
SESSION = [
    ('line', b'1+1'),
    ('line', b'function f(x)'),
    ('line', b'  return x * 2'),
    ('line', b'end'),
    ('line', b'f(21)'),
    ('line', b'error("boom")'),
    ('line', b'"done", 3'),
    ('busy', b'while true do end'),
    ('key', b'\x03'),  # Ctrl-C: the terminal sends SIGINT
    ('key', UP),
    ('key', UP),
    ('key', UP),
    ('key', UP),  # back to "f(21)": the history holds whole statements
    ('line', b''),
    ('eof', CTRL_D),
]

# The screen after the session (trailing blanks and empty lines dropped);
# the first line is the banner.
EXPECTED = [
    'Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio',
    '> 1+1',
    '2',
    '> function f(x)',
    '>>   return x * 2',
    '>> end',
    '> f(21)',
    '42',
    '> error("boom")',
    'stdin:1: boom',
    'stack traceback:',
    "\t[C]: in function 'error'",
    '\tstdin:1: in main chunk',
    '\t[C]: in ?',
    '> "done", 3',
    'done\t3',
    '> while true do end',
    '^Cinterrupted!',  # the terminal echoes Ctrl-C as ^C
    'stack traceback:',
    '\tstdin:1: in main chunk',
    '\t[C]: in ?',
    '> f(21)',
    '42',
    '>',
]


class Screen:
    """Just enough of a terminal to see what a person would see."""

    CSI = re.compile(r'\x1b\[([0-9;?]*)([@-~])')

    def __init__(self):
        self.lines = [[]]
        self.row = 0
        self.col = 0

    def put(self, ch):
        line = self.lines[self.row]
        while len(line) < self.col:
            line.append(' ')
        if self.col < len(line):
            line[self.col] = ch
        else:
            line.append(ch)
        self.col += 1

    def linefeed(self):
        self.row += 1
        if self.row == len(self.lines):
            self.lines.append([])

    def control(self, params, final):
        n = int(params) if params.isdigit() else 1
        if final == 'C':
            self.col += n
        elif final == 'D':
            self.col = max(0, self.col - n)
        elif final == 'K':
            del self.lines[self.row][self.col:]
        # Others (bracketed paste on and off) change nothing visible.

    def feed(self, text):
        i = 0
        while i < len(text):
            m = self.CSI.match(text, i)
            if m:
                self.control(m.group(1), m.group(2))
                i = m.end()
                continue
            ch = text[i]
            i += 1
            if ch == '\r':
                self.col = 0
            elif ch == '\n':
                self.linefeed()
            elif ch == '\b':
                self.col = max(0, self.col - 1)
            elif ch == '\t' or ch >= ' ':
                self.put(ch)
            # NUL padding, bells and other controls show nothing.

    def text(self):
        rows = [''.join(line).rstrip(' ') for line in self.lines]
        while rows and rows[-1] == '':
            rows.pop()
        return rows


class Session:
    """A program on the slave side of a pseudo-terminal."""

    def __init__(self, program):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            self.exec_child(program)
        self.output = b''

    @staticmethod
    def exec_child(program):
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80,
                                                           0, 0))
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith('LUA_')}
            env.update(TERM='dumb', INPUTRC='/dev/null', COLUMNS='80',
                       LINES='24')
            os.execve(program, [program], env)
        finally:
            os._exit(127)

    def read_some(self, wait):
        """Reads what arrives within `wait` seconds; False at the end."""
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 4096)
        except OSError:  # EIO: the program closed the terminal
            return False
        self.output += data
        return bool(data)

    def wait_until(self, done, what):
        deadline = time.time() + TIMEOUT
        while not done():
            if time.time() > deadline:
                raise TimeoutError('no %s after %r' % (what, self.output))
            if not self.read_some(0.05):
                raise EOFError('the program ended early: %r' % self.output)

    def settle(self):
        """Reads until the program has been quiet for a moment."""
        quiet_since = time.time()
        while time.time() - quiet_since < 0.3:
            before = len(self.output)
            if not self.read_some(0.05):
                return
            if len(self.output) != before:
                quiet_since = time.time()

    def type(self, keys):
        for byte in keys:
            os.write(self.fd, bytes([byte]))
            time.sleep(0.005)

    def line(self, text):
        """Types a line and Enter; waits for the next prompt."""
        start = len(self.output)
        self.type(text)
        os.write(self.fd, ENTER)
        self.wait_until(lambda: b'\n' in self.output[start:] and
                        self.output.endswith(b'> '), 'prompt')


def play(program):
    """Runs SESSION under `program`; returns (screen lines, exit status)."""
    s = Session(program)
    try:
        s.wait_until(lambda: s.output.endswith(b'> '), 'first prompt')
        for kind, keys in SESSION:
            if kind == 'line':
                s.line(keys)
            elif kind == 'busy':  # a line that runs until interrupted
                s.type(keys + ENTER)
                s.settle()
            elif kind == 'key':
                os.write(s.fd, keys)
                s.settle()
            else:
                os.write(s.fd, keys)
        status = finish(s)
    except (TimeoutError, EOFError):
        os.kill(s.pid, 9)
        os.waitpid(s.pid, 0)
        raise
    screen = Screen()
    screen.feed(s.output.decode('utf-8', 'replace'))
    return screen.text(), status


def finish(session):
    """Reads to the end of output, then reaps the program."""
    deadline = time.time() + TIMEOUT
    while session.read_some(0.1):
        if time.time() > deadline:
            raise TimeoutError('the program did not end: %r'
                               % session.output)
    _, status = os.waitpid(session.pid, 0)
    os.close(session.fd)
    return os.waitstatus_to_exitcode(status)


def check(program):
    """The report of the session under `program`: '' when it passed."""
    try:
        lines, status = play(program)
    except (TimeoutError, EOFError) as exc:
        return lines_report(program, str(exc)), None
    problems = []
    if not lines or not BANNER.match(lines[0]):
        problems.append('no banner: %r' % (lines[:1],))
    if lines[1:] != EXPECTED[1:]:
        problems.append('screen differs from EXPECTED:\n' + '\n'.join(
            '  %s %r' % ('=' if i < len(EXPECTED) and
                         line == EXPECTED[i] else '!', line)
            for i, line in enumerate(lines)))
    if status != 0:
        problems.append('exit status %d, expected 0' % status)
    return lines_report(program, '\n'.join(problems)), lines


def lines_report(program, text):
    return '%s: %s' % (program, text) if text else ''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--lua', required=True)
    ap.add_argument('--oracle')
    args = ap.parse_args()
    programs = [os.path.abspath(args.lua)]
    if args.oracle:
        programs.append(args.oracle)
    passed = failed = 0
    screens = []
    for program in programs:
        report, lines = check(program)
        screens.append(lines)
        if report:
            failed += 1
            print('FAIL ' + report)
        else:
            passed += 1
            print('ok   REPL session under %s' % program)
    if len(screens) == 2 and None not in screens:
        if screens[0][1:] != screens[1][1:]:
            failed += 1
            print('FAIL the screens of %s and %s differ beyond the banner'
                  % tuple(programs))
        else:
            passed += 1
            print('ok   same screen as %s (banner aside)' % programs[1])
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
