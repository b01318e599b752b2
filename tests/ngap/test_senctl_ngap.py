#!/usr/bin/env python3
"""CLI tests for `senctl ngap decode|roundtrip` (TS 38.413 PDUs in hex): every public PDU
of tests/ngap/data/public.txt round-trips (exit 0, same hex) and decodes as a tree and as
JSON; a refused one, a truncated one and bad hex each give exactly one line on stderr that
names the procedure / IE / problem, nothing on stdout, exit 2. Skipped (TAP plan 1..0) while
the senctl binary has no ngap subcommand yet.

Usage: test_senctl_ngap.py SENCTL PUBLIC_TXT
"""
import json
import os
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

    def one_line(args, want, what, avoid=()):
        rc, out, err = run(senctl, *args)
        ok = (rc == 2 and out == '' and err.count('\n') == 1 and all(w in err for w in want)
              and not any(a in err for a in avoid))
        results.append((ok, what, err))

    # no procedure code decoded: no procedure named (0 would read AMFConfigurationUpdate)
    for h in ('ffff', '7f00', 'c000', '80ff'):
        one_line(('decode', h), ('NGAP-PDU',), 'decode %s: NGAP-PDU, no procedure' % h,
                 ('AMFConfiguration',))
    dl = '00044018000003000a0002000c005500020001' + '00260005047e00446f'
    # the IE whose length overruns is named, with the lengths
    one_line(('decode', dl[:-18] + '00260030047e00446f'),
             ('DownlinkNASTransport', 'IE NAS-PDU (id 38)', 'length 48 > 5 left'),
             'IE length overrun: IE named, lengths given')
    # TS 38.413 10.3.6: IEs out of order
    one_line(('decode', '00044018000003005500020001000a0002000c00260005047e00446f'),
             ('DownlinkNASTransport', 'AMF-UE-NGAP-ID (id 10)', 'out of order'),
             'IEs in the wrong order refused')
    # a mandatory IE missing: malformed, and not blamed on IEs not understood
    missing = '0004400f000002000a0002000c005500020001'
    one_line(('decode', missing), ('DownlinkNASTransport', 'NAS-PDU (id 38)', 'missing'),
             'missing mandatory IE: decode refused')
    one_line(('roundtrip', missing), ('NAS-PDU (id 38)', 'missing'),
             'missing mandatory IE: roundtrip refused', ('not understood',))
    # octets after the PDU: noted by decode, refused by roundtrip
    rc, out, err = run(senctl, 'decode', dl + '00')
    results.append((rc == 0 and '1 octet after the end of the PDU' in out,
                    'trailing octet noted by decode', err))
    one_line(('roundtrip', dl + '00'), ('after the end of the PDU',),
             'trailing octet fails roundtrip')
    # ENUMERATED extension value not known to lib/ngap (RRCEstablishmentCause 15 of a
    # newer release) re-encodes as it came (X.691 14.3)
    ext = ('000f404600000400550002000500260021207e004171000d010011000000000099898877f7100'
           '1002e04804080402f0201010079000f400001100000011000000110000075005a400185')
    rc, out, err = run(senctl, 'roundtrip', ext)
    results.append((rc == 0 and out.strip() == ext, 'unknown ENUMERATED extension round-trips',
                    err))
    # output that cannot be written is an internal failure: exit 1, one line on stderr
    if os.path.exists('/dev/full'):
        for args in (('decode', dl), ('decode', dl, '--json'), ('roundtrip', dl),
                     ('roundtrip', ext)):
            with open('/dev/full', 'w') as full:
                p = subprocess.run([senctl, 'ngap'] + list(args), stdout=full,
                                   stderr=subprocess.PIPE)
            err = p.stderr.decode()
            results.append((p.returncode == 1 and err.count('\n') == 1 and
                            err.startswith('senctl: cannot write the output'),
                            ' '.join(('write error is reported: ngap', args[0], args[1][:12]) +
                                     args[2:]), err))
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
