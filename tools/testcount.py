#!/usr/bin/env python3
"""Prints "N passed, M failed" for one or more meson testlog.json files.

Each line of a testlog.json is one test result; OK, EXPECTEDFAIL and SKIP
are not failures (SKIP is counted as neither). Exits 1 if anything failed
or if a log is missing.
"""
import json
import sys

GOOD = {'OK', 'EXPECTEDFAIL'}
NEUTRAL = {'SKIP'}


def main():
    passed = failed = 0
    for path in sys.argv[1:]:
        try:
            with open(path, encoding='utf-8') as f:
                for line in f:
                    if not line.strip():
                        continue
                    result = json.loads(line).get('result')
                    if result in GOOD:
                        passed += 1
                    elif result not in NEUTRAL:
                        failed += 1
        except OSError:
            print(f'testcount: no test log {path}', file=sys.stderr)
            failed += 1
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
