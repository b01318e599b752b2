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
    raw = open(os.path.join(CORPUS, f), 'rb').read()
    hexs = raw.hex()
    rc, out, err = run('nas', 'roundtrip', hexs)
    if raw[0] == 0x7e and raw[1] & 0x0f in (2, 4):
        # a ciphered seed (for the fuzzer's deciphering): no keys, no re-encoding
        case('roundtrip %s refused: ciphered' % f,
             rc == 2 and 'ciphered' in err and len(err.splitlines()) == 1, out + err)
    else:
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
# Octet offsets count from the first octet of the input (the header once, not twice).
line = expect_bad('missing 5GMM cause', 'nas', 'decode', '7e0044')
case('offset of a missing mandatory IE after a 5GMM header is 3', line.endswith('(octet 3)'), line)
line = expect_bad('missing 5GSM mandatory IE', 'nas', 'decode', '2e0101c1')
case('offset of a missing mandatory IE after a 5GSM header is 4', line.endswith('(octet 4)'), line)
# ... and of a protected message's inner message, from the security header's first octet
line = expect_bad('protected message with a missing 5GMM cause', 'nas', 'decode',
                  '7e01aabbccdd017e0044')
case('offset in a protected message counts the security header',
     line.endswith('(octet 10)') and 'Registration reject' in line, line)
line = expect_bad('protected roundtrip with a missing 5GMM cause', 'nas', 'roundtrip',
                  '7e01aabbccdd017e0044')
case('roundtrip offset in a protected message counts the security header',
     line.endswith('(octet 10)'), line)
# A roundtrip that differs because an optional IE was dropped names that IE and why.
line = expect_bad('roundtrip drops a truncated optional IE', 'nas', 'roundtrip', '7e00440b5f05',
                  stdout_ok=True)
case('roundtrip failure names the dropped IE and the problem',
     'Registration reject' in line and 'T3346 value' in line and '0x5f' in line and
     'runs past the end' in line and 'octet 4' in line, line)
# Port management information container of a modification complete (IEI 0x74) is known.
rc, out, err = run('nas', 'decode', '2e0101cc740003010203')
case('modification complete with a port management information container',
     rc == 0 and 'Port management information container' in out and 'ignored' not in out,
     out + err)
rc, out, err = run('nas', 'roundtrip', '2e0101cc740003010203')
case('... round-trips', rc == 0 and out.strip() == '2e0101cc740003010203', out + err)
# An unknown optional IE is noted with its IEI.
rc, out, err = run('nas', 'decode', '2e0101cc7c0003010203')
case('unknown optional IE noted with its IEI', rc == 0 and '0x7c' in out, out + err)

# Null-scheme SUCI (TS 24.501 9.11.3.4, TS 23.003 2.2B): BCD MSIN, 0xF only as the end mark
# of the last octet, key id 0. A mandatory IE, so the message is refused (#96).
for name, h in (('filler in the middle of the MSIN', '7e004179000c0199f9070000000000f01010'),
                ('11-digit MSIN with a 2-digit MNC', '7e004179000e0199f907000000000000000000f1'),
                ('null scheme with key id 7', '7e004179000d0199f907000000070000000021')):
    line = expect_bad('SUCI: ' + name, 'nas', 'decode', h)
    case('... names the message and the mobile identity',
         'Registration request' in line and '5GS mobile identity' in line, line)
rc, out, err = run('nas', 'decode', '7e004179000d0199f9070000000000000000f1')
case('null-scheme SUCI with a 9-digit MSIN and its end mark',
     rc == 0 and 'MSIN: 000000001\n' in out, out + err)
# QoS flow descriptions (9.11.4.12): fixed parameter lengths. Optional here: dropped.
for name, h in (('2-octet 5QI', '2e0101c97900070120410102090a'),
                ('empty 5QI', '2e0101c97900050120410100'),
                ('3-octet averaging window', '2e0101c9790008012041060300ea60')):
    rc, out, err = run('nas', 'decode', h)
    case('QoS flow description with a ' + name + ' is dropped',
         rc == 0 and '5QI' not in out and 'averaging' not in out and
         'Requested QoS flow descriptions (IEI 0x79)' in out and 'malformed' in out, out + err)
    expect_bad('roundtrip of a QoS flow description with a ' + name, 'nas', 'roundtrip', h,
               stdout_ok=True)
rc, out, err = run('nas', 'roundtrip', '2e0101c9790006012041010109')
case('a 1-octet 5QI round-trips', rc == 0 and out.strip() == '2e0101c9790006012041010109',
     out + err)
# QoS rules (9.11.4.13): "delete existing QoS rule" is the operation octet alone;
# "create" has precedence and QFI, the "modify" operations both or neither.
line = expect_bad('delete QoS rule with precedence and QFI (mandatory IE)', 'nas', 'decode',
                  '2e0100c211000601000340ff010601e80301e803')
case('... names the message and the QoS rules',
     'PDU session establishment accept' in line and 'Authorized QoS rules' in line, line)
rc, out, err = run('nas', 'decode', '2e0101c97a000601000340ff01')
case('delete QoS rule with precedence and QFI in an optional IE is dropped',
     rc == 0 and 'precedence' not in out and 'Requested QoS rules (IEI 0x7a)' in out, out + err)
rc, out, err = run('nas', 'roundtrip', '2e0101c97a000401000140')
case('delete QoS rule without precedence and QFI round-trips',
     rc == 0 and out.strip() == '2e0101c97a000401000140', out + err)
expect_bad('modify QoS rule and add packet filters, with none', 'nas', 'decode',
           '2e0100c211000601000360ff010601e80301e803')
h = '2e0100c2110004010001c00601e80301e803'
rc, out, err = run('nas', 'decode', h)
case('modify QoS rule without precedence and QFI (mandatory IE) decodes',
     rc == 0 and 'operation: 6\n' in out and 'precedence' not in out and 'QFI' not in out,
     out + err)
rc, out, err = run('nas', 'roundtrip', h)
case('... and round-trips', rc == 0 and out.strip() == h, out + err)
rc, out, err = run('nas', 'roundtrip', '2e0101c97a0005010002a102')
case('modify QoS rule and delete packet filters, without precedence and QFI, round-trips',
     rc == 0 and out.strip() == '2e0101c97a0005010002a102', out + err)
line = expect_bad('modify QoS rule with precedence but no QFI', 'nas', 'decode',
                  '2e0100c2110005010002c0ff0601e80301e803')
case('... names the QoS rules', 'Authorized QoS rules' in line, line)
expect_bad('create QoS rule without precedence and QFI', 'nas', 'decode',
           '2e0100c211000401000120' '0601e80301e803')

expect_bad('not hex', 'nas', 'decode', 'zz')
expect_bad('odd hex', 'nas', 'decode', '7e0')
expect_bad('empty', 'nas', 'decode', '')
expect_bad('unknown protocol discriminator', 'nas', 'decode', '1200410000')
expect_bad('roundtrip of a truncated message', 'nas', 'roundtrip', reg[:-4], stdout_ok=True)
expect_bad('missing HEX', 'nas', 'decode', prefix='senctl: missing HEX')
expect_bad('unknown subcommand', 'nas', 'frob', reg)

# Output that cannot be written is an internal failure: exit 1, one line on stderr.
if os.path.exists('/dev/full'):
    for args in (['decode', reg], ['decode', reg, '--json'], ['roundtrip', reg],
                 ['roundtrip', '7e00440b5f05']):
        with open('/dev/full', 'w') as full:
            p = subprocess.run([SENCTL, 'nas'] + args, stdout=full, stderr=subprocess.PIPE,
                               timeout=30)
        err = p.stderr.decode()
        case(' '.join(['write error is reported: nas', args[0], args[1][:12]] + args[2:]),
             p.returncode == 1 and len(err.splitlines()) == 1 and
             err.startswith('senctl: cannot write the output'),
             'rc=%d err=%r' % (p.returncode, err))

print('1..%d' % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for l in str(detail).splitlines()[:6]:
            print('#   ' + l)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
