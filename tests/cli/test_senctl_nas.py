#!/usr/bin/env python3
"""End-to-end tests of `senctl nas decode|roundtrip` (TAP output).

Inputs are the NAS sample messages kept as the fuzz seed corpus (tests/fuzz/corpus/nas,
one encoded message per file, written by the NAS round-trip tests' sample builders).
"""
import json
import os
import subprocess
import sys

SENCTL, CORPUS = sys.argv[1], sys.argv[2]
results = []


def case(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def run(*args):
    p = subprocess.run([SENCTL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def expect_bad(name, *args, stdout_ok=False, prefix='senctl: nas: '):
    rc, out, err = run(*args)
    lines = err.splitlines()
    ok = rc == 2 and (stdout_ok or out == '') and len(lines) == 1 and \
        lines[0].startswith(prefix)
    case('bad input: ' + name, ok, 'rc=%d stdout=%r stderr=%r' % (rc, out, err))
    return lines[0] if lines else ''


files = sorted(os.listdir(CORPUS))
case('corpus has messages', len(files) >= 40, '%d files' % len(files))
for f in files:
    hexs = open(os.path.join(CORPUS, f), 'rb').read().hex()
    rc, out, err = run('nas', 'roundtrip', hexs)
    case('roundtrip %s' % f, rc == 0 and out.strip() == hexs and err == '', out + err)
    # --json before or after HEX
    rc, out, err = run('nas', 'decode', *(('--json', hexs) if len(results) % 2 else (hexs, '--json')))
    try:
        tree = json.loads(out)
        ok = rc == 0 and isinstance(tree, dict) and len(tree) == 1
    except ValueError:
        ok = False
    case('decode --json %s' % f, ok, out[:300] + err)

# A known public message (TS 24.501 Registration Request with a null-scheme SUCI).
reg = '7e004179000d0102f8392143000010325476981001202e0480a00000'
rc, out, err = run('nas', 'decode', reg)
case('decode tree names the message and the SUCI fields',
     rc == 0 and out.startswith('Registration request') and 'MCC: 208' in out and
     'MSIN: 0123456789' in out and 'routing indicator: 1234' in out, out + err)
rc, out, err = run('nas', 'decode', reg.upper())
case('upper-case hex accepted', rc == 0, err)

line = expect_bad('truncated mobile identity', 'nas', 'decode', reg[:20])
case('error names the message and the IE', 'Registration request' in line and
     '5GS mobile identity' in line, line)
line = expect_bad('unknown message type', 'nas', 'decode', '7e00ff')
case('unknown message type is reported as such', 'message type' in line, line)
expect_bad('not hex', 'nas', 'decode', 'zz')
expect_bad('odd hex', 'nas', 'decode', '7e0')
expect_bad('empty', 'nas', 'decode', '')
expect_bad('unknown protocol discriminator', 'nas', 'decode', '1200410000')
expect_bad('roundtrip of a truncated message', 'nas', 'roundtrip', reg[:-4], stdout_ok=True)
expect_bad('missing HEX', 'nas', 'decode', prefix='senctl: missing HEX')
expect_bad('unknown subcommand', 'nas', 'frob', reg)

print('1..%d' % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for l in str(detail).splitlines()[:6]:
            print('#   ' + l)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
