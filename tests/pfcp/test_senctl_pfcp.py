#!/usr/bin/env python3
"""End-to-end tests of `senctl pfcp decode|roundtrip` (TAP output).

Inputs are the PFCP sample messages kept as the fuzz seed corpus (tests/fuzz/corpus/pfcp,
one encoded message per file, written by tests/pfcp/samples.c through test-pfcp --dump).
Usage: test_senctl_pfcp.py SENCTL CORPUS_DIR
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


def expect_bad(name, *args, prefix='senctl: pfcp: '):
    rc, out, err = run(*args)
    lines = err.splitlines()
    ok = rc == 2 and out == '' and len(lines) == 1 and lines[0].startswith(prefix)
    case('bad input: ' + name, ok, 'rc=%d stdout=%r stderr=%r' % (rc, out, err))
    return lines[0] if lines else ''


files = sorted(os.listdir(CORPUS))
case('corpus has messages', len(files) >= 20, '%d files' % len(files))
for f in files:
    hexs = open(os.path.join(CORPUS, f), 'rb').read().hex()
    rc, out, err = run('pfcp', 'roundtrip', hexs)
    case('roundtrip %s' % f, rc == 0 and out.strip() == hexs and err == '', out + err)
    args = ('--json', hexs) if len(results) % 2 else (hexs, '--json')
    rc, out, err = run('pfcp', 'decode', *args)
    try:
        tree = json.loads(out)
        ok = rc == 0 and isinstance(tree, dict) and len(tree) == 1
    except ValueError:
        ok = False
    case('decode --json %s' % f, ok, out[:300] + err)

est = open(os.path.join(CORPUS, 'session-establishment-request'), 'rb').read().hex()
rc, out, err = run('pfcp', 'decode', est)
case('decode tree names the message, rules and F-TEID',
     rc == 0 and out.startswith('Session Establishment Request') and 'Create PDR #2' in out and
     'Local F-TEID: CHOOSE IPv4, Choose ID 5' in out and 'Apply Action: 0xc (BUFF NOCP)' in out,
     out + err)
rc, out, err = run('pfcp', 'decode', est.upper())
case('upper-case hex accepted', rc == 0, err)

hb = '2001000c000001000060000400000e10'
rc, out, err = run('pfcp', 'decode', hb + '2002000c000001000060000400000e11')
case('octets after a message without FO are refused', rc == 2, err)
rc, out, err = run('pfcp', 'decode', '24' + hb[2:] + '2002000c000001000060000400000e11', '--json')
try:
    ok = rc == 0 and len(json.loads(out)) == 2
except ValueError:
    ok = False
case('bundled messages (FO) decode as a JSON array of two', ok, out + err)

line = expect_bad('truncated message', 'pfcp', 'decode', est[:120])
case('truncation error names the message and the cause',
     'Session Establishment Request' in line and 'cause 68' in line, line)
# Create PDR without PDI: cause 66, the path names the IE.
bad = ('21320038' '0000000000001001' '00002a00' '003c0005007f000004'
       '0039000d0200000000000000017f000004' '0001000e' '003800020001' '001d0004000000c8')
line = expect_bad('mandatory IE missing in a grouped IE', 'pfcp', 'decode', bad)
case('missing IE error names the path and cause 66',
     'Create PDR / PDI' in line and 'cause 66' in line, line)
expect_bad('not hex', 'pfcp', 'decode', 'zz')
expect_bad('odd hex', 'pfcp', 'decode', 'abc')
expect_bad('empty', 'pfcp', 'decode', '')
expect_bad('version 2', 'pfcp', 'decode', '4001000c000001000060000400000e10')
expect_bad('unknown message type', 'pfcp', 'decode', '20c8000400000100')
expect_bad('no HEX', 'pfcp', 'decode', prefix='senctl: ')
expect_bad('two HEX', 'pfcp', 'roundtrip', hb, hb, prefix='senctl: ')
expect_bad('unknown subcommand', 'pfcp', 'frobnicate', hb)
expect_bad('--json on roundtrip', 'pfcp', 'roundtrip', hb, '--json', prefix='senctl: ')
# Unknown IE: decodes with a note, roundtrip reports the difference.
unk = '20010014000001000060000400000e10' '270f0004aabbccdd'
rc, out, err = run('pfcp', 'decode', unk)
case('unknown IE skipped with a note', rc == 0 and 'skipped' in out, out + err)
rc, out, err = run('pfcp', 'roundtrip', unk)
case('roundtrip without the unknown IE differs: exit 2, hex printed',
     rc == 2 and out.strip() == hb and 'skipped' in err, out + err)

# Output that cannot be written is an internal failure: exit 1, one line on stderr (also
# for a roundtrip that differs: the hex was not written, so that is what is reported).
if os.path.exists('/dev/full'):
    for args in (['decode', hb], ['decode', hb, '--json'],
                 ['decode', '24' + hb[2:] + hb, '--json'], ['roundtrip', hb], ['roundtrip', unk]):
        with open('/dev/full', 'w') as full:
            p = subprocess.run([SENCTL, 'pfcp'] + args, stdout=full, stderr=subprocess.PIPE,
                               timeout=30)
        err = p.stderr.decode()
        case(' '.join(['write error is reported: pfcp', args[0], args[1][-12:]] + args[2:]),
             p.returncode == 1 and len(err.splitlines()) == 1 and
             err.startswith('senctl: cannot write the output'),
             'rc=%d err=%r' % (p.returncode, err))

print('1..%d' % len(results))
failed = 0
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        failed += 1
        for l in detail.splitlines()[:10]:
            print('# ' + l)
sys.exit(1 if failed else 0)
