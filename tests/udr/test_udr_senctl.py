#!/usr/bin/env python3
"""`senctl subscriber` end to end against a running sen-udr (TAP output).

add / list / show / del / import as an operator runs them, and the bad-input cases: each
must exit 2 with exactly one line on stderr, nothing on stdout, and nothing written (checked
through the UDR with curl, an independent client).

Usage: test_udr_senctl.py SEN_UDR SENCTL sqlite|pg   (pg: run under pg_run.py)
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from udr_harness import Tap, Udr, curl, expect  # noqa: E402

EXE, SENCTL, BACKEND = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
tap = Tap()
udr = Udr(EXE, BACKEND)
K = '465b5ce8b199b49faa5f0a2ee238a6bc'
OPC = 'e8ed289deba952e4283b54e88e6183ca'
NUDR = '/nudr-dr/v2/subscription-data'


def senctl(*args, udr_opt=True):
    cmd = [SENCTL, 'subscriber'] + list(args)
    if udr_opt:
        cmd += ['--udr', udr.authority]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def ok(*args, **kw):
    rc, out, err = senctl(*args, **kw)
    expect(rc == 0, 'senctl %s: exit %d, stderr %r' % (' '.join(args), rc, err))
    return out


def bad(*args, **kw):
    """Bad input: exit 2, nothing on stdout, exactly one 'senctl: ' line on stderr."""
    rc, out, err = senctl(*args, **kw)
    lines = err.splitlines()
    expect(rc == 2 and out == '' and len(lines) == 1 and lines[0].startswith('senctl: '),
           'senctl %s: rc=%d stdout=%r stderr=%r' % (' '.join(args), rc, out, err))
    return lines[0]


def exists(supi):
    v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers/' + supi)
    expect(code in (200, 404), 'GET %s: %d' % (supi, code))
    return code == 200


def count():
    n, after = 0, ''
    for _ in range(1000):
        v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers?limit=500' +
                                   ('&after=' + after if after else ''))
        page = json.loads(raw)
        n += len(page['subscribers'])
        if 'next' not in page:
            return n
        after = page['next']
    raise AssertionError('list does not end')


def add_args(supi, k=K, opc=OPC):
    return ['add', '--supi', supi, '--k', k, '--opc', opc]


@tap.case
def add_with_config_file():
    out = ok(*add_args('imsi-999700000000001'), '--snssai', '1,2:000001', '--dnn',
             'internet,ims', '--ambr-ul', '100 Mbps', '--ambr-dl', '1Gbps', '--sqn', '20',
             '--amf', '9001', '-c', udr.config, udr_opt=False)
    expect(out.strip() == 'added imsi-999700000000001', 'stdout %r' % out)
    v, code, heads, raw = curl(udr.authority, NUDR + '/imsi-999700000000001/authentication-data/'
                               'authentication-subscription')
    a = json.loads(raw)
    expect(code == 200 and a['encPermanentKey'] == K and a['encOpcKey'] == OPC and
           a['authenticationManagementField'] == '9001' and
           a['sequenceNumber']['sqn'] == '000000000020', 'written %r' % a)
    v, code, heads, raw = curl(udr.authority, NUDR + '/imsi-999700000000001/99970/'
                               'provisioned-data/sm-data')
    sm = json.loads(raw)
    expect(len(sm) == 2 and sm[1]['singleNssai'] == {'sst': 2, 'sd': '000001'} and
           set(sm[1]['dnnConfigurations']) == {'internet', 'ims'} and
           sm[0]['dnnConfigurations']['internet']['sessionAmbr'] ==
           {'uplink': '100 Mbps', 'downlink': '1 Gbps'}, 'sm-data %r' % sm)


@tap.case
def add_duplicate_exit_2_nothing_written():
    line = bad(*add_args('imsi-999700000000001', k='00' * 16))
    expect('already' in line and 'imsi-999700000000001' in line, line)
    v, code, heads, raw = curl(udr.authority, NUDR + '/imsi-999700000000001/authentication-data/'
                               'authentication-subscription')
    expect(json.loads(raw)['encPermanentKey'] == K, 'the duplicate overwrote K')


@tap.case
def add_bad_input_exit_2_nothing_written():
    n = count()
    cases = [
        (add_args('imsi-99970000000000x'), 'supi'),
        (add_args('imsi-1234'), 'supi'),
        (add_args('999700000000002'), 'supi'),
        (add_args('imsi-999700000000002', k=K[:30]), 'k'),
        (add_args('imsi-999700000000002', k=K + '00'), 'k'),
        (add_args('imsi-999700000000002', k='zz' + K[2:]), 'k'),
        (add_args('imsi-999700000000002', opc=OPC[:31]), 'opc'),
        (add_args('imsi-999700000000002') + ['--op', OPC], 'op'),
        (['add', '--supi', 'imsi-999700000000002', '--k', K], 'opc'),
        (add_args('imsi-999700000000002') + ['--amf', '0000'], 'amf'),
        (add_args('imsi-999700000000002') + ['--sqn', '1000000000000'], 'sqn'),
        (add_args('imsi-999700000000002') + ['--snssai', '256'], 'snssai'),
        (add_args('imsi-999700000000002') + ['--snssai', '1:12345'], 'snssai'),
        (add_args('imsi-999700000000002') + ['--dnn', 'bad..name'], 'dnn'),
        (add_args('imsi-999700000000002') + ['--ambr-ul', 'fast', '--ambr-dl', '1 Gbps'], 'ambr'),
        (add_args('imsi-999700000000002') + ['--ambr-ul', '1 Gbps'], 'ambr'),
        (add_args('imsi-999700000000002') + ['--bogus', '1'], 'bogus'),
    ]
    for args, word in cases:
        line = bad(*args)
        expect(word in line, '%s: %r does not name %s' % (args, line, word))
        expect(K not in line and OPC not in line, 'key echoed: %r' % line)
    expect(not exists('imsi-999700000000002'), 'a bad add was written')
    expect(count() == n, 'the count changed')


@tap.case
def list_and_json():
    ok(*add_args('imsi-999700000000003'))
    out = ok('list')
    lines = out.splitlines()
    expect(lines[0].startswith('SUPI') and len(lines) == 3, 'list %r' % out)
    expect(lines[1].startswith('imsi-999700000000001') and '9001' in lines[1] and
           '100 Mbps / 1 Gbps' in lines[1] and '2:000001:internet,ims' in lines[1], lines[1])
    expect(K not in out and OPC not in out, 'keys in list')
    j = json.loads(ok('list', '--json'))
    expect([s['supi'] for s in j] == ['imsi-999700000000001', 'imsi-999700000000003'],
           'json %r' % j)
    expect(all('k' not in s for s in j), 'keys in list --json')


@tap.case
def show_secrets_and_json():
    out = ok('show', 'imsi-999700000000001')
    expect('imsi-999700000000001' in out and 'sqn            000000000020' in out and
           K not in out and OPC not in out, 'show %r' % out)
    out = ok('show', 'imsi-999700000000001', '--secrets')
    expect(K in out and OPC in out, 'show --secrets %r' % out)
    j = json.loads(ok('show', 'imsi-999700000000001', '--json'))
    expect(j['supi'] == 'imsi-999700000000001' and 'k' not in j and j['amf'] == '9001',
           'show --json %r' % j)
    bad('show', 'imsi-999700000000999')
    bad('show', 'imsi-9')
    bad('show')


@tap.case
def delete():
    out = ok('del', 'imsi-999700000000003')
    expect(out.strip() == 'deleted imsi-999700000000003', out)
    expect(not exists('imsi-999700000000003'), 'still there')
    bad('del', 'imsi-999700000000003')


def write_csv(name, rows, header='supi,k,opc,op,amf,sqn,snssai,dnn,ambr_ul,ambr_dl'):
    path = os.path.join(udr.dir, name)
    with open(path, 'w') as f:
        f.write('# test subscribers\n' + header + '\n')
        for r in rows:
            f.write(r + '\n')
    return path


def row(i, k=K, extra=',,1;2:000002,internet;ims,10 Mbps,20 Mbps'):
    return 'imsi-99970000001%04d,%s,%s,%s' % (i, k, OPC, ',' + extra)


@tap.case
def import_good():
    n = count()
    path = write_csv('good.csv', [row(i) for i in range(50)] +
                     ['imsi-999700000020000,%s,,%s,8001,000000000040,,,,' % (K, OPC)])
    out = ok('import', path)
    expect('imported 51' in out, out)
    expect(count() == n + 51, 'count')
    v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers/imsi-999700000010007')
    s = json.loads(raw)
    expect(s['subscribedUeAmbr'] == {'uplink': '10 Mbps', 'downlink': '20 Mbps'} and
           [(x['sst'], x.get('sd')) for x in s['slices']] == [(1, None), (2, '000002')] and
           [d['dnn'] for d in s['slices'][1]['dnns']] == ['internet', 'ims'], 'row 7 %r' % s)
    v, code, heads, raw = curl(udr.authority, '/sen-prov/v1/subscribers/imsi-999700000020000')
    s = json.loads(raw)
    expect(s['opType'] == 'OP' and s['amf'] == '8001' and s['sqn'] == '000000000040', '%r' % s)


@tap.case
def import_bad_row_names_line_nothing_written():
    n = count()
    rows = [row(100 + i) for i in range(20)]
    rows[12] = row(112, k=K[:30])
    path = write_csv('bad.csv', rows)
    line = bad('import', path)
    # Line 1 is a comment, line 2 the header: row index 12 is on line 15.
    expect('bad.csv:15' in line and 'k' in line, line)
    expect(count() == n and not exists('imsi-999700000010100'), 'a row was written')
    path = write_csv('badcol.csv', ['imsi-999700000010200,%s,%s,x' % (K, OPC)],
                     header='supi,k,opc,colour')
    line = bad('import', path)
    expect('badcol.csv:2' in line and 'colour' in line, line)
    path = write_csv('short.csv', ['imsi-999700000010300,%s' % K], header='supi,k,opc')
    line = bad('import', path)
    expect('short.csv:3' in line, line)
    expect(count() == n, 'a row was written')


@tap.case
def import_duplicates_nothing_written():
    n = count()
    path = write_csv('dup-db.csv', [row(300), row(301), row(7)])
    line = bad('import', path)
    expect('imsi-999700000010007' in line and 'dup-db.csv:5' in line, line)
    path = write_csv('dup-file.csv', [row(400), row(401), row(400)])
    line = bad('import', path)
    expect('dup-file.csv:5' in line and 'line 3' in line, line)
    expect(count() == n and not exists('imsi-999700000010300') and
           not exists('imsi-999700000010400'), 'a row was written')
    bad('import', os.path.join(udr.dir, 'missing.csv'))


@tap.case
def unreachable_udr_exit_1():
    p = subprocess.run([SENCTL, 'subscriber', 'list', '--udr', '127.0.0.1:1'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    expect(p.returncode == 1 and p.stdout == b'' and len(p.stderr.splitlines()) == 1,
           'rc=%d %r %r' % (p.returncode, p.stdout, p.stderr))
    bad('list', '-c', os.path.join(udr.dir, 'nope.yaml'), udr_opt=False)
    bad('frobnicate')


@tap.case
def errors_stay_one_line():
    # What the user typed is shown escaped: a newline in it does not split the line.
    line = bad('show', 'imsi-1\n2')
    expect('imsi-1\\n2' in line, line)
    # The same for a failure that is not the user's fault (exit 1): the address is echoed.
    p = subprocess.run([SENCTL, 'subscriber', 'list', '--udr', 'bad\nhost:1'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    err = p.stderr.decode()
    expect(p.returncode == 1 and p.stdout == b'' and len(err.splitlines()) == 1 and
           'bad\\nhost:1' in err, 'rc=%d %r %r' % (p.returncode, p.stdout, err))


def to_full(*args):
    """Run senctl subscriber ARGS with stdout on /dev/full: (exit status, stderr)."""
    with open('/dev/full', 'w') as full:
        p = subprocess.run([SENCTL, 'subscriber'] + list(args) + ['--udr', udr.authority],
                           stdout=full, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stderr.decode()


@tap.case
def write_error_exit_1():
    """Output that cannot be written is an internal failure: exit 1, one line."""
    if not os.path.exists('/dev/full'):
        return
    supi = 'imsi-999700000000005'
    for args in (['list'], ['list', '--json'], ['show', 'imsi-999700000000001'],
                 ['show', 'imsi-999700000000001', '--json'], add_args(supi), ['del', supi]):
        rc, err = to_full(*args)
        expect(rc == 1 and len(err.splitlines()) == 1 and
               err.startswith('senctl: cannot write the output'),
               'senctl subscriber %s > /dev/full: rc=%d %r' % (' '.join(args), rc, err))
    # the request itself was carried out: only its report was lost
    expect(not exists(supi), '%s: added and deleted, yet present' % supi)


@tap.case
def clean_stop():
    rc = udr.stop()
    expect(rc == 0, 'exit status %d: %s' % (rc, udr.tail()))


if __name__ == '__main__':
    try:
        udr.start()
    except Exception as e:
        print('1..1\nnot ok 1 - start sen-udr: %s' % e)
        sys.exit(1)
    sys.exit(tap.run())
