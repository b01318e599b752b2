#!/usr/bin/env python3
"""CLI tests for `senctl ngap decode|roundtrip` (TS 38.413 PDUs in hex): every public PDU
of tests/ngap/data/public.txt round-trips (exit 0, same hex) and decodes as a tree and as
JSON; a refused one, a truncated one and bad hex each give exactly one line on stderr that
names the procedure / IE / problem, nothing on stdout, exit 2. Skipped (TAP plan 1..0) while
the senctl binary has no ngap subcommand yet.

Usage: test_senctl_ngap.py SENCTL PUBLIC_TXT
"""
import json
import subprocess
import sys


def run(senctl, *args):
    p = subprocess.run([senctl, 'ngap'] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    senctl, public = sys.argv[1], sys.argv[2]
    rc, out, err = run(senctl, 'decode', '00')
    if "unknown command 'ngap'" in err:
        print('1..1')
        print('ok 1 # SKIP senctl has no ngap subcommand yet (tools/senctl not wired)')
        return 0
    pdus = []
    for line in open(public):
        if line.startswith('#') or not line.strip():
            continue
        name, hexs = line.split()[:2]
        pdus.append((name, hexs))
    results = []
    for name, hexs in pdus:
        if name.startswith('!'):
            rc, out, err = run(senctl, 'decode', hexs)
            results.append((rc == 2 and out == '' and err.count('\n') == 1 and 'IE ' in err,
                            'decode %s refused with one line naming the IE' % name, err))
            continue
        rc, out, err = run(senctl, 'roundtrip', hexs)
        results.append((rc == 0 and out.strip() == hexs.lower(), 'roundtrip %s' % name, err))
        rc, out, err = run(senctl, 'decode', hexs)
        results.append((rc == 0 and 'procedureCode' in out and err == '',
                        'decode %s' % name, err))
        rc, out, err = run(senctl, 'decode', hexs, '--json')
        ok = rc == 0
        try:
            json.loads(out)
        except ValueError:
            ok = False
        results.append((ok, 'decode --json %s' % name, err))
    nas_pdu = [h for n, h in pdus if n == 'srsran4g-initial-ue-message'][0]
    rc, out, err = run(senctl, 'decode', nas_pdu)
    results.append((rc == 0 and 'Registration request' in out and '001-01' in out,
                    'NAS-PDU decoded through lib/nas, PLMN as MCC-MNC', err))
    rc, out, err = run(senctl, 'decode', nas_pdu[:60])
    results.append((rc == 2 and out == '' and err.count('\n') == 1 and 'InitialUEMessage' in err
                    and 'truncated' in err, 'truncated PDU: one line, procedure named', err))
    rc, out, err = run(senctl, 'decode', 'xyz')
    results.append((rc == 2 and out == '' and err.count('\n') == 1, 'bad hex: one line', err))
    print('1..%d' % len(results))
    bad = 0
    for i, (ok, what, err) in enumerate(results, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', i, what))
        if not ok:
            bad += 1
            print('# ' + err.strip().replace('\n', '\n# '))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
