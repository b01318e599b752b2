#!/usr/bin/env python3
"""Run every test Meson knows about and count test cases.

Each test program prints TAP (cmocka with CMOCKA_MESSAGE_OUTPUT=TAP, or shell scripts).
Every "ok"/"not ok" line is one case; a program that dies, times out, exits non-zero
without reporting a failure, or reports fewer cases than its plan announced adds a
failure, so a crash is never hidden in the count. The last line printed is
"N passed, N failed"; the exit status is non-zero when anything failed.

Usage: tests/run.py BUILD_DIR... [NAME_SUBSTRING...]
(an argument that is a directory is a build dir; any other selects tests by name)

With SEN_SANITIZER_LOGS=DIR (make test-asan), ASan/UBSan write their reports to files in DIR
(log_path), so a report from a daemon that a test started, which the test itself might not
see, still fails the test program that was running.
"""
import json
import os
import re
import subprocess
import sys
import time

OK_RE = re.compile(r'^(not ok|ok)\b\s*\d*\s*(?:-\s*)?(.*)$')
PLAN_RE = re.compile(r'^1\.\.(\d+)')


def run_one(t):
    env = dict(os.environ)
    env.update(t.get('env') or {})
    timeout = t.get('timeout') or 300
    start = time.monotonic()
    try:
        p = subprocess.run(t['cmd'], cwd=t.get('workdir') or None, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        out, rc, why = p.stdout.decode(errors='replace'), p.returncode, None
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace')
        rc, why = -1, 'timed out after %ss' % timeout
    except OSError as e:
        out, rc, why = '', -1, 'cannot run: %s' % e
    return out, rc, why, time.monotonic() - start


def sanitizer_env(logdir):
    """ASAN_OPTIONS/UBSAN_OPTIONS with log_path in logdir (other options kept)."""
    os.makedirs(logdir, exist_ok=True)
    for var, name in (('ASAN_OPTIONS', 'asan'), ('UBSAN_OPTIONS', 'ubsan')):
        opts = [o for o in os.environ.get(var, '').split(':') if o and not o.startswith('log_path=')]
        opts.append('log_path=' + os.path.join(logdir, name))
        os.environ[var] = ':'.join(opts)


def sanitizer_reports(logdir, seen):
    """Report files that appeared in logdir since the last call."""
    new = []
    for f in sorted(os.listdir(logdir)):
        if f not in seen:
            seen.add(f)
            with open(os.path.join(logdir, f), errors='replace') as fh:
                new.append((f, fh.read().splitlines()))
    return new


def main():
    logdir = os.environ.get('SEN_SANITIZER_LOGS')
    seen_reports = set()
    if logdir:
        sanitizer_env(logdir)
        seen_reports.update(os.listdir(logdir))
    builds, filters = [], []
    for a in sys.argv[1:]:
        (builds if os.path.isdir(a) else filters).append(a)
    tests = []
    for build in builds or ['build']:
        tests += json.loads(subprocess.check_output(['meson', 'introspect', '--tests', build]))
    if filters:
        tests = [t for t in tests if any(f in t['name'] for f in filters)]
    passed = failed = 0
    for t in tests:
        out, rc, why, secs = run_one(t)
        plan = 0
        cases_ok = cases_bad = 0
        bad_lines = []
        for line in out.splitlines():
            m = PLAN_RE.match(line)
            if m:
                plan += int(m.group(1))
                continue
            m = OK_RE.match(line)
            if not m:
                continue
            skip = '# skip' in line.lower()
            if skip:
                # A skipped case is not a pass: report it as a failure so it is seen.
                cases_bad += 1
                bad_lines.append(line + '   (skipped counts as failed)')
            elif m.group(1) == 'ok':
                cases_ok += 1
            else:
                cases_bad += 1
                bad_lines.append(line)
        reported = cases_ok + cases_bad
        extra = []
        if why:
            extra.append(why)
        if reported < plan:
            extra.append('%d of %d planned cases never reported' % (plan - reported, plan))
            cases_bad += plan - reported
        if rc != 0 and cases_bad == 0:
            extra.append('exit status %d with no failing case' % rc)
            cases_bad += 1
        for f, lines in sanitizer_reports(logdir, seen_reports) if logdir else []:
            extra.append('sanitizer report %s:' % f)
            extra.extend('  ' + l for l in lines[:60])
            cases_bad += 1
        if reported == 0 and not extra:
            extra.append('no test cases reported')
            cases_bad += 1
        passed += cases_ok
        failed += cases_bad
        status = 'ok  ' if cases_bad == 0 else 'FAIL'
        print('%s %-20s %4d passed %4d failed  %6.2fs' % (status, t['name'], cases_ok,
                                                         cases_bad, secs), flush=True)
        if cases_bad:
            for l in bad_lines:
                print('     ' + l)
            for e in extra:
                print('     ' + e)
            # Show the program's own output (diagnostics) for failing tests.
            tail = out.splitlines()[-40:]
            for l in tail:
                print('     | ' + l)
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
