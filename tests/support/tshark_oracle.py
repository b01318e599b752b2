"""tshark as an oracle: what the tests/*/tshark_check.py scripts share.

Writing packets given in hex into a pcap with text2pcap, reading chosen fields back with
`tshark -T fields`, judging a packet (malformed, or expert info of severity warning or
above), TAP output, and the whole check of the sample messages a test program prints
with --dump ("name hex" lines), as tests/nas, tests/pfcp and tests/gtpu run it.

Import from a script one directory below tests/:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
tshark missing is a failure, never a skip.
"""
import os
import shutil
import subprocess
import tempfile

# Expert severities (epan/proto.h): PI_WARN = 0x00600000, PI_ERROR = 0x00800000.
PI_WARN = 0x00600000


def have_tools(*names):
    """True when every program named is on PATH."""
    return all(shutil.which(n) for n in names)


def text2pcap(hexes, pcap, opts):
    """Write one packet per hex string into pcap: text2pcap -q OPTS (e.g. ['-u', '8805,8805'],
    ['-l', '147'], ['-S', '38412,38412,60']). Raises when text2pcap fails."""
    txt = pcap + '.txt'
    with open(txt, 'w') as f:
        for h in hexes:
            b = bytes.fromhex(h)
            for off in range(0, len(b), 16):
                f.write('%06x %s\n' % (off, ' '.join('%02x' % x for x in b[off:off + 16])))
            f.write('\n')
    subprocess.run(['text2pcap', '-q'] + list(opts) + [txt, pcap], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_fields(pcap, fields, opts=()):
    """tshark's fields of each packet of pcap (every occurrence, joined with ','):
    (exit status, [{field: value, '' when absent}], stderr). opts go before -T."""
    cmd = ['tshark', '-n', '-r', pcap] + list(opts) + [
        '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=\t']
    for f in fields:
        cmd += ['-e', f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    rows = []
    for line in p.stdout.decode().splitlines():
        if line.strip():
            vals = line.split('\t')
            rows.append(dict(zip(fields, vals + [''] * (len(fields) - len(vals)))))
    return p.returncode, rows, p.stderr.decode()


def problems(row):
    """What makes a packet bad: a malformed packet, expert info of severity warning or above.
    row needs '_ws.malformed', '_ws.expert.severity' and '_ws.expert.message'."""
    out = []
    if row['_ws.malformed']:
        out.append('malformed packet')
    for sev, msg in zip(row['_ws.expert.severity'].split(','),
                        row['_ws.expert.message'].split(',')):
        if sev and int(sev, 0) >= PI_WARN:
            out.append('expert %s: %s' % (hex(int(sev, 0)), msg))
    return out


class Tap:
    """Test cases collected, then printed as TAP (plan first) by finish()."""

    def __init__(self, max_diag=20):
        self.results = []
        self.max_diag = max_diag

    def check(self, ok, name, diag=''):
        self.results.append((bool(ok), name, diag))
        return bool(ok)

    def finish(self):
        """Print the TAP; 0 when every case passed, else 1."""
        print('1..%d' % len(self.results))
        for i, (ok, name, diag) in enumerate(self.results, 1):
            print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
            if diag and not ok:
                for line in diag.splitlines()[:self.max_diag]:
                    print('# ' + line)
        return 0 if all(r[0] for r in self.results) else 1


def check_samples(prog, text2pcap_opts, fields, expect, tshark_opts=(), extra=None):
    """The sample messages of `prog --dump` ("name hex" lines) through text2pcap and tshark.
    One case that tshark read every packet and that expect (name -> {field: the exact
    comma-joined value tshark must show}) covers every sample; then one case per sample:
    not malformed, no expert warning, extra(row) (a list of problems) empty, and the
    expected fields equal. Prints TAP; returns the exit status."""
    tap = Tap()
    if not have_tools('tshark', 'text2pcap'):
        tap.check(False, 'tshark/text2pcap not installed (apt-get install tshark): '
                  'the oracle cannot run, which is a failure')
        return tap.finish()
    dump = subprocess.run([prog, '--dump'], stdout=subprocess.PIPE, check=True).stdout.decode()
    samples = [l.split() for l in dump.splitlines() if l.strip()]
    with tempfile.TemporaryDirectory(prefix='sen-tshark-') as work:
        pcap = os.path.join(work, 'samples.pcap')
        text2pcap([h for _, h in samples], pcap, text2pcap_opts)
        _, rows, _ = read_fields(pcap, fields, tshark_opts)

    tap.check(len(rows) == len(samples) and set(expect) == {s[0] for s in samples},
              'tshark read %d of %d packets; expectations cover every sample'
              % (len(rows), len(samples)),
              'samples without expectations: %s; expectations without samples: %s'
              % (sorted({s[0] for s in samples} - set(expect)),
                 sorted(set(expect) - {s[0] for s in samples})))
    for i, (name, h) in enumerate(samples):
        bad = []
        if i >= len(rows):
            bad.append('no packet')
        else:
            got = rows[i]
            bad += problems(got)
            if extra:
                bad += extra(got)
            for fld, want in expect.get(name, {}).items():
                if got[fld] != want:
                    bad.append('%s is %r, want %r' % (fld, got[fld], want))
        tap.check(not bad, name, '; '.join(bad) + ' (hex %s)' % h)
    return tap.finish()
