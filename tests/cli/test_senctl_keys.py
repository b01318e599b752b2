#!/usr/bin/env python3
"""End-to-end tests of `senctl keys`, as an operator would run it (TAP output).

Expected values come from the shared 3GPP vectors (tests/vectors) or are recomputed here
with Python's own HMAC-SHA-256 / SHA-256 from the TS 33.501 Annex A formulas, so the
5G key chain is checked by an implementation independent of lib/crypto.
"""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile

SENCTL = sys.argv[1]
VEC = os.environ.get('SEN_VECTORS', 'tests/vectors')
results = []


def case(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def run(*args):
    p = subprocess.run([SENCTL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def load(name):
    with open(os.path.join(VEC, name)) as f:
        return json.load(f)


# --- independent TS 33.220 / 33.501 Annex A derivations --------------------------------
def kdf(key, fc, *params):
    s = bytes([fc])
    for p in params:
        s += p + len(p).to_bytes(2, 'big')
    return hmac.new(key, s, hashlib.sha256).digest()


def chain(ck, ik, rand, res, sqn_xor_ak, snn, supi_digits, abba):
    snn_b = snn.encode()
    xres_star = kdf(ck + ik, 0x6B, snn_b, rand, res)[16:]          # A.4
    hxres_star = hashlib.sha256(rand + xres_star).digest()[16:]     # A.5
    kausf = kdf(ck + ik, 0x6A, snn_b, sqn_xor_ak)                   # A.2
    kseaf = kdf(kausf, 0x6C, snn_b)                                 # A.6
    kamf = kdf(kseaf, 0x6D, supi_digits.encode(), abba)             # A.7
    return dict(xres_star=xres_star.hex(), hxres_star=hxres_star.hex(), kausf=kausf.hex(),
                kseaf=kseaf.hex(), kamf=kamf.hex())


def expect_bad(name, *args):
    """Bad input: exit 2, nothing on stdout, exactly one line on stderr."""
    rc, out, err = run(*args)
    lines = err.splitlines()
    ok = rc == 2 and out == '' and len(lines) == 1 and lines[0].startswith('senctl: ')
    case('bad input: ' + name, ok, 'rc=%d stdout=%r stderr=%r' % (rc, out, err))


# --- milenage --------------------------------------------------------------------------
mil = load('milenage.json')
fields = {'opc': 'OPc', 'mac_a': 'f1', 'mac_s': 'f1_star', 'res': 'f2', 'ck': 'f3', 'ik': 'f4',
          'ak': 'f5', 'ak_star': 'f5_star'}
for t in mil['test_sets']:
    rc, out, err = run('keys', 'milenage', '--k', t['K'], '--op', t['OP'], '--rand', t['RAND'],
                       '--sqn', t['SQN'], '--amf', t['AMF'], '--json')
    try:
        got = json.loads(out)
        ok = rc == 0 and err == '' and set(got) == set(fields) and all(
            got[k] == t[v].lower() for k, v in fields.items())
    except ValueError:
        ok, got = False, out
    case('milenage --json %s' % t['name'], ok, 'rc=%d out=%r err=%r' % (rc, out, err))

t = mil['test_sets'][0]
rc, out, err = run('keys', 'milenage', '--k', t['K'].upper(), '--opc', t['OPc'], '--rand',
                   t['RAND'], '--sqn', t['SQN'], '--amf', t['AMF'])
want = ['OPc', 'MAC-A', 'MAC-S', 'RES', 'CK', 'IK', 'AK', 'AK*']
rows = [l.split() for l in out.splitlines()]
case('milenage text output with --opc (upper-case hex accepted)',
     rc == 0 and [r[0] for r in rows] == want and rows[1][1] == t['f1'] and
     rows[7][1] == t['f5_star'] and rows[0][1] == t['OPc'], out + err)

# --- 5g-aka ----------------------------------------------------------------------------
s19 = mil['supplementary_non_3gpp_examples'][0]
assert s19['AUTN'] and s19['CK']
snn = '5G:mnc093.mcc208.3gppnetwork.org'
supi = 'imsi-208930000000003'
for abba in ('0000', '0001'):
    exp = chain(bytes.fromhex(s19['CK']), bytes.fromhex(s19['IK']), bytes.fromhex(s19['RAND']),
                bytes.fromhex(s19['RES']), bytes.fromhex(s19['AUTN'])[:6], snn, supi[5:],
                bytes.fromhex(abba))
    exp['autn'] = s19['AUTN']
    rc, out, err = run('keys', '5g-aka', '--k', s19['K'], '--opc', s19['OPc'], '--rand',
                       s19['RAND'], '--sqn', s19['SQN'], '--amf', s19['AMF'], '--snn', snn,
                       '--supi', supi, '--abba', abba, '--json')
    try:
        got = json.loads(out)
    except ValueError:
        got = None
    case('5g-aka --json (abba %s) matches an independent recomputation' % abba,
         rc == 0 and got == exp, 'got=%r want=%r err=%r' % (got, exp, err))

rc, out, err = run('keys', '5g-aka', '--k', s19['K'], '--opc', s19['OPc'], '--rand', s19['RAND'],
                   '--sqn', s19['SQN'], '--amf', s19['AMF'], '--snn', snn, '--supi', supi[5:],
                   '--abba', '0000')
rows = [l.split() for l in out.splitlines()]
kamf0 = chain(bytes.fromhex(s19['CK']), bytes.fromhex(s19['IK']), bytes.fromhex(s19['RAND']),
              bytes.fromhex(s19['RES']), bytes.fromhex(s19['AUTN'])[:6], snn, supi[5:],
              b'\0\0')['kamf']
case('5g-aka text output, bare-digit SUPI, ABBA 0000',
     rc == 0 and [r[0] for r in rows] == ['AUTN', 'XRES*', 'HXRES*', 'KAUSF', 'KSEAF', 'KAMF']
     and rows[0][1] == s19['AUTN'] and rows[5][1] == kamf0, out + err)

# --- auts ------------------------------------------------------------------------------
pos, neg = mil['supplementary_non_3gpp_examples'][1], mil['supplementary_non_3gpp_examples'][2]
rc, out, err = run('keys', 'auts', '--k', pos['K'], '--opc', pos['OPc'], '--rand', pos['RAND'],
                   '--auts', pos['AUTS'], '--json')
case('auts recovers SQN_MS', rc == 0 and json.loads(out or '{}').get('sqn_ms') ==
     pos['expected_SQN_MS'], out + err)
expect_bad('auts with a MAC-S that does not verify', 'keys', 'auts', '--k', neg['K'], '--opc',
           neg['OPc'], '--rand', neg['RAND'], '--auts', neg['AUTS'])

# --- suci ------------------------------------------------------------------------------
suci = load('suci.json')
keys = suci['home_network_keys_used_by_suci_strings']
tmp = tempfile.mkdtemp()
key_a = os.path.join(tmp, 'hn-a.key')
key_b = os.path.join(tmp, 'hn-b.key')
with open(key_a, 'w') as f:
    f.write(keys['profile_A']['private'] + '\n')
with open(key_b, 'w') as f:
    f.write(keys['profile_B']['private'] + '\n')
schemes = {'0': 'null', '1': 'a', '2': 'b'}
for s in suci['suci_strings']:
    parts = s['suci'].split('-')
    scheme = schemes.get(parts[5])
    if scheme is None:
        continue
    args = ['keys', 'suci', '--scheme', scheme, '--suci', s['suci'], '--json']
    if scheme != 'null':
        args += ['--hn-key', key_a if scheme == 'a' else key_b]
    if s['expected_supi']:
        rc, out, err = run(*args)
        case('suci %s... -> %s' % (s['suci'][:24], s['expected_supi']),
             rc == 0 and json.loads(out or '{}') == {'supi': s['expected_supi']}, out + err)
    else:
        expect_bad('suci %s... (%s)' % (s['suci'][:24], s['expected_error'])[:90], *args[:-1])

# The same SUCIs with the home network keys as PEM files (tests/data/suci, see its README).
data = os.environ.get('SEN_TESTDATA', 'tests/data')
for scheme, pem, n in (('a', 'hn-a.pem', '1'), ('b', 'hn-b.pem', '2'), ('b', 'hn-b-sec1.pem', '2')):
    s = next(x for x in suci['suci_strings'] if x['suci'].split('-')[5] == n and x['expected_supi'])
    rc, out, err = run('keys', 'suci', '--scheme', scheme, '--hn-key', os.path.join(data, 'suci', pem),
                       '--suci', s['suci'], '--json')
    case('suci with PEM key %s' % pem, rc == 0 and json.loads(out or '{}') ==
         {'supi': s['expected_supi']}, out + err)

good_a = next(s['suci'] for s in suci['suci_strings'] if s['suci'].split('-')[5] == '1')
rc, out, err = run('keys', 'suci', '--scheme', 'a', '--hn-key', key_a, '--suci', good_a)
case('suci text output', rc == 0 and out.split()[0] == 'SUPI' and out.split()[1].startswith(
    'imsi-') and err == '', out + err)
flipped = good_a[:-1] + ('0' if good_a[-1] != '0' else '1')
expect_bad('suci whose MAC does not verify', 'keys', 'suci', '--scheme', 'a', '--hn-key', key_a,
           '--suci', flipped)
expect_bad('suci with the wrong home network key', 'keys', 'suci', '--scheme', 'a', '--hn-key',
           key_b, '--suci', good_a)
expect_bad('suci scheme does not match --scheme', 'keys', 'suci', '--scheme', 'b', '--hn-key',
           key_b, '--suci', good_a)
expect_bad('suci missing key file', 'keys', 'suci', '--scheme', 'a', '--hn-key',
           os.path.join(tmp, 'nope'), '--suci', good_a)
junk = os.path.join(tmp, 'junk.key')
with open(junk, 'w') as f:
    f.write('hello\n')
expect_bad('suci key file that holds no key', 'keys', 'suci', '--scheme', 'a', '--hn-key', junk,
           '--suci', good_a)
expect_bad('suci not a SUCI', 'keys', 'suci', '--scheme', 'null', '--suci', 'imsi-001010000000001')
expect_bad('suci unknown scheme name', 'keys', 'suci', '--scheme', 'c', '--suci', good_a)
expect_bad('suci without --hn-key', 'keys', 'suci', '--scheme', 'a', '--suci', good_a)

# --- bad input common to all ---------------------------------------------------------
m = ['--opc', t['OPc'], '--rand', t['RAND'], '--sqn', t['SQN'], '--amf', t['AMF']]
expect_bad('K too short', 'keys', 'milenage', '--k', t['K'][:-2], *m)
expect_bad('K odd length', 'keys', 'milenage', '--k', t['K'][:-1], *m)
expect_bad('K not hex', 'keys', 'milenage', '--k', 'g' * 32, *m)
expect_bad('RAND too long', 'keys', 'milenage', '--k', t['K'], '--opc', t['OPc'], '--rand',
           t['RAND'] + '00', '--sqn', t['SQN'], '--amf', t['AMF'])
expect_bad('SQN missing', 'keys', 'milenage', '--k', t['K'], '--opc', t['OPc'], '--rand',
           t['RAND'], '--amf', t['AMF'])
expect_bad('both --op and --opc', 'keys', 'milenage', '--k', t['K'], '--op', t['OP'], *m)
expect_bad('neither --op nor --opc', 'keys', 'milenage', '--k', t['K'], *m[2:])
expect_bad('unknown option', 'keys', 'milenage', '--k', t['K'], *m, '--frobnicate', '1')
expect_bad('option given twice', 'keys', 'milenage', '--k', t['K'], '--k', t['K'], *m)
expect_bad('option without value', 'keys', 'milenage', '--k', t['K'], *m, '--amf')
expect_bad('stray argument', 'keys', 'milenage', 'extra', '--k', t['K'], *m)
expect_bad('unknown keys subcommand', 'keys', 'tuak')
expect_bad('unknown command', 'frobnicate')
expect_bad('no command')
a = ['--k', s19['K'], '--opc', s19['OPc'], '--rand', s19['RAND'], '--sqn', s19['SQN'], '--amf',
     s19['AMF']]
expect_bad('5g-aka missing --snn', 'keys', '5g-aka', *a, '--supi', supi)
expect_bad('5g-aka bad SUPI', 'keys', '5g-aka', *a, '--snn', snn, '--supi', 'imsi-12ab')
expect_bad('5g-aka ABBA one byte', 'keys', '5g-aka', *a, '--snn', snn, '--supi', supi,
           '--abba', '00')
expect_bad('5g-aka ABBA not hex', 'keys', '5g-aka', *a, '--snn', snn, '--supi', supi,
           '--abba', 'zz00')
expect_bad('5g-aka ABBA too long', 'keys', '5g-aka', *a, '--snn', snn, '--supi', supi,
           '--abba', '00' * 17)
rc, out, err = run('keys', '5g-aka', *a, '--snn', snn, '--supi', supi, '--abba', '00' * 17)
case('5g-aka ABBA too long is reported as too long, not too short', 'at most 16' in err, err)
expect_bad('5g-aka without --abba (it is required)', 'keys', '5g-aka', *a, '--snn', snn,
           '--supi', supi)

# --- audit findings (issue 2) ----------------------------------------------------------
# One line means one line: user text with a newline or other control characters is escaped.
expect_bad('newline in a subcommand name stays on one line', 'keys', 'mil\nenage')
expect_bad('newline in --supi stays on one line', 'keys', '5g-aka', *a, '--snn', snn,
           '--supi', 'imsi-1\n2', '--abba', '0000')
expect_bad('carriage return / escape in a command name stays on one line', 'frob\r\x1b[2Knicate')
expect_bad('U+2028 line separator in an argument stays on one line', 'keys', 'x\u2028y')
rc, out, err = run('keys', 'mil\nenage')
case('control characters are shown escaped', 'mil\\nenage' in err, err)
rc, out, err = run('keys', 'a\x01\x7fb')
case('other control characters shown as \\xNN', 'a\\x01\\x7fb' in err, repr(err))
p = subprocess.run([SENCTL, 'keys', b'\xff\xfe\n'], stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, timeout=30)
case('invalid UTF-8 in an argument is escaped (stderr stays valid UTF-8, one line)',
     p.returncode == 2 and p.stdout == b'' and b'\\xff\\xfe\\n' in p.stderr and
     len(p.stderr.decode('utf-8', 'strict').splitlines()) == 1, repr(p.stderr))

# Hex of the right alphabet but the wrong (odd) count is a length problem, not "not hex".
for name, args, want in (
        ('--k with 33 digits', ['keys', 'milenage', '--k', t['K'] + '0', *m], '33 hex digits'),
        ('--amf with 3 digits', ['keys', 'milenage', '--k', t['K'], '--opc', t['OPc'], '--rand',
                                  t['RAND'], '--sqn', t['SQN'], '--amf', 'b9b'], '3 hex digits'),
        ('--abba with 3 digits', ['keys', '5g-aka', *a, '--snn', snn, '--supi', supi, '--abba',
                                  '000'], '3 hex digits')):
    expect_bad('odd-length hex: ' + name, *args)
    rc, out, err = run(*args)
    case('odd-length hex is reported as a wrong length: ' + name,
         want in err and 'not a hex' not in err, err)
rc, out, err = run('keys', 'milenage', '--k', t['K'][:5] + 'x' + t['K'][6:], *m)
case('a non-hex character is located, and the value is not echoed',
     rc == 2 and 'not a hex digit' in err and t['K'][:5] not in err, err)

# --hn-key is not needed for the null scheme; given anyway, it is ignored.
null = next(s for s in suci['suci_strings'] if s['suci'].split('-')[5] == '0' and
            s['expected_supi'])
for f in (key_a, os.path.join(tmp, 'nope')):
    rc, out, err = run('keys', 'suci', '--scheme', 'null', '--hn-key', f, '--suci', null['suci'],
                       '--json')
    case('suci null scheme ignores --hn-key (%s)' % os.path.basename(f),
         rc == 0 and json.loads(out or '{}') == {'supi': null['expected_supi']}, out + err)

# Errors do not echo key material.
secret = t['K']
for name, args in (('--k=HEX', ['keys', 'milenage', '--k=' + secret, *m]),
                   ('--opc=HEX', ['keys', 'milenage', '--k', t['K'][:-2] + 'ff', '--opc=' + secret,
                                  '--rand', t['RAND'], '--sqn', t['SQN'], '--amf', t['AMF']]),
                   ('stray key', ['keys', 'milenage', '--k', t['K'][:-2] + 'ff', secret, *m]),
                   ('stray key before options', ['keys', '5g-aka', secret, *a, '--snn', snn]),
                   ('bad --k', ['keys', 'milenage', '--k', secret + '0', *m])):
    rc, out, err = run(*args)
    case('error does not echo the key: ' + name,
         rc == 2 and out == '' and len(err.splitlines()) == 1 and secret not in err.lower(), err)
rc, out, err = run('keys', 'milenage', '--k=' + secret, *m)
case('--name=VALUE names the option', '--k' in err, err)

# --snn is a serving network name (TS 24.501 9.12.1).
for bad in ('mnc093.mcc208.3gppnetwork.org', 'x', '4G:mnc093.mcc208.3gppnetwork.org',
            '5G:mnc93.mcc208.3gppnetwork.org', '5G:mnc093.mcc208.3gppnetwork.org\n',
            '5G:mnc093.mcc208.3gppnetwork.org:', '5G:mnc093.mcc208.3gppnetwork.org:0000000000g',
            '5G:' + 'a' * 300, ''):
    expect_bad('5g-aka --snn %r' % bad[:40], 'keys', '5g-aka', *a, '--snn', bad, '--supi', supi,
               '--abba', '0000')
for good in ('5G:NSWO', '5G:mnc001.mcc001.3gppnetwork.org:000000000AB'):
    rc, out, err = run('keys', '5g-aka', *a, '--snn', good, '--supi', supi, '--abba', '0000',
                       '--json')
    case('5g-aka --snn %s accepted' % good, rc == 0 and err == '' and
         'kamf' in json.loads(out or '{}'), out + err)

# Output that cannot be written is an error, not success.
if os.path.exists('/dev/full'):
    for args in (['keys', 'milenage', '--k', t['K'], *m, '--json'],
                 ['keys', 'milenage', '--k', t['K'], *m],
                 ['keys', 'suci', '--scheme', 'null', '--suci', null['suci']],
                 ['help']):
        with open('/dev/full', 'w') as full:
            p = subprocess.run([SENCTL] + args, stdout=full, stderr=subprocess.PIPE, timeout=30)
        err = p.stderr.decode()
        case('write error is reported: %s' % ' '.join(args[:2] + args[-1:]),
             p.returncode == 1 and len(err.splitlines()) == 1 and err.startswith('senctl: '),
             'rc=%d err=%r' % (p.returncode, err))

rc, out, err = run('help')
case('help prints usage', rc == 0 and 'keys milenage' in out and err == '', out + err)

print('1..%d' % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for l in str(detail).splitlines()[:6]:
            print('#   ' + l)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
