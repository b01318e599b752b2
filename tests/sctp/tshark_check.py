#!/usr/bin/env python3
"""tshark as an oracle for lib/sctp over UDP (RFC 6951).

Captures loopback traffic while two sctp-peer processes (a server and a client, each
with its own usrsctp stack and UDP port) exchange 20 messages with PPID 60 on several
streams and shut down, then checks what Wireshark's SCTP dissector makes of it: the
handshake (INIT, INIT ACK, COOKIE ECHO, COOKIE ACK, RFC 9260 5.1), DATA chunks with PPID
60 (TS 38.412) on the streams used, a graceful SHUTDOWN (RFC 9260 9.2), and no
malformed packet or expert warning. The server uses UDP port 9899 when it is free, so
that tshark must recognise SCTP over UDP with no options (DESIGN.md); otherwise
another port with `-d udp.port==N,sctp`. The NGAP dissector is disabled: the payloads
are test strings, not NGAP PDUs; this checks the SCTP layer.

Usage: tshark_check.py SCTP_PEER. Prints TAP. tshark missing is a failure, never a skip.
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
import tshark_oracle  # noqa: E402

NMSG = 20
tap = tshark_oracle.Tap()
check = tap.check


def port_free(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(('0.0.0.0', p))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_port(avoid):
    while True:
        p = random.randint(40000, 59999)
        if p not in avoid and port_free(p):
            return p


def finish():
    sys.exit(tap.finish())


def main():
    peer = sys.argv[1]
    tshark = shutil.which('tshark')
    check(tshark, 'tshark is installed')
    if not tshark:
        finish()
    srv_udp = 9899 if port_free(9899) else pick_port({9899})
    cli_udp = pick_port({srv_udp, 9899})
    sctp_port = 38412
    tmp = tempfile.mkdtemp(prefix='sen-sctp-tshark-')
    pcap = os.path.join(tmp, 'cap.pcapng')

    cap = subprocess.Popen([tshark, '-i', 'lo', '-f', 'udp port %d' % srv_udp, '-w', pcap],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = False
    deadline = time.monotonic() + 15
    err_lines = []
    while time.monotonic() < deadline:
        line = cap.stderr.readline()
        if not line:
            break
        err_lines.append(line)
        if 'Capturing on' in line:
            started = True
            break
    time.sleep(1.5)  # "Capturing on" comes before dumpcap's filter is attached
    check(started, 'tshark captures on lo', ''.join(err_lines))
    if not started:
        cap.kill()
        finish()

    srv = subprocess.Popen([peer, 'server', str(srv_udp), str(cli_udp), '127.0.0.1',
                            str(sctp_port), '8'], stdout=subprocess.PIPE, text=True)
    ready = srv.stdout.readline().strip() == 'READY'
    check(ready, 'peer server listening (UDP port %d)' % srv_udp)
    rc = -1
    if ready:
        try:
            rc = subprocess.run([peer, 'client', str(cli_udp), str(srv_udp), '127.0.0.1',
                                 str(sctp_port), str(NMSG)], timeout=30).returncode
        except subprocess.TimeoutExpired:
            rc = -2
    check(rc == 0, 'client exchanged %d messages and shut down (exit %d)' % (NMSG, rc))
    time.sleep(0.5)
    srv.send_signal(signal.SIGTERM)
    try:
        srv.wait(timeout=5)
    except subprocess.TimeoutExpired:
        srv.kill()
    time.sleep(0.5)
    cap.send_signal(signal.SIGINT)
    try:
        cap.wait(timeout=10)
    except subprocess.TimeoutExpired:
        cap.kill()

    # tshark checks no SCTP checksum by default: have it verify the CRC32c (RFC 9260
    # 6.8), which usrsctp computes for the packets lib/sctp sends itself (AF_CONN).
    opts = ['--disable-protocol', 'ngap', '-o', 'sctp.checksum:crc-32c']
    if srv_udp != 9899:
        opts += ['-d', 'udp.port==%d,sctp' % srv_udp]
    fields = ['frame.number', 'udp.srcport', 'udp.dstport', 'sctp.chunk_type',
              'sctp.data_payload_proto_id', 'sctp.data_sid', '_ws.malformed',
              'sctp.checksum.status', '_ws.expert.severity', '_ws.expert.message']
    rc, rows, err = tshark_oracle.read_fields(pcap, fields, opts)
    check(rc == 0, 'tshark reads the capture', err)
    chunks, ppids, sids, bad, ports, crc = [], [], set(), [], set(), []
    for r in rows:
        ports.add((r['udp.srcport'], r['udp.dstport']))
        crc.append(r['sctp.checksum.status'])
        chunks += [int(c, 0) for c in r['sctp.chunk_type'].split(',') if c]
        ppids += [int(x, 0) for x in r['sctp.data_payload_proto_id'].split(',') if x]
        sids |= {int(x, 0) for x in r['sctp.data_sid'].split(',') if x}
        if tshark_oracle.problems(r):
            bad.append('frame %s: %s' % (r['frame.number'], '; '.join(tshark_oracle.problems(r))))
    where = 'udp %d%s' % (srv_udp, ' (no decode-as option)' if srv_udp == 9899 else '')
    check(len(rows) > 0, 'packets captured on %s: %d' % (where, len(rows)))
    names = {0: 'DATA', 1: 'INIT', 2: 'INIT ACK', 10: 'COOKIE ECHO', 11: 'COOKIE ACK',
             7: 'SHUTDOWN', 8: 'SHUTDOWN ACK', 14: 'SHUTDOWN COMPLETE'}
    for t in (1, 2, 10, 11, 7, 8, 14):
        check(t in chunks, 'tshark decodes SCTP %s chunks' % names[t],
              'chunk types seen: %s' % sorted(set(chunks)))
    ndata = chunks.count(0)
    check(ndata >= 2 * NMSG, 'DATA chunks both ways: %d >= %d' % (ndata, 2 * NMSG))
    check(ppids and all(x == 60 for x in ppids),
          'every DATA chunk carries PPID 60 (TS 38.412)', 'PPIDs: %s' % sorted(set(ppids)))
    check(sids == set(range(8)), 'DATA on streams 0..7', 'streams: %s' % sorted(sids))
    check(not bad, 'no malformed packet, no expert warning', '\n'.join(bad))
    check(crc and all(c in ('1', 'Good') for c in crc),
          'every packet has a correct CRC32c (RFC 9260 6.8)',
          'checksum status seen: %s' % sorted(set(crc)))
    want = {(str(cli_udp), str(srv_udp)), (str(srv_udp), str(cli_udp))}
    check(ports == want, 'UDP encapsulation ports %d <-> %d (RFC 6951)' % (cli_udp, srv_udp),
          'seen: %s' % sorted(ports))
    shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == '__main__':
    main()
