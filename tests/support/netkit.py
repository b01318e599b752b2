"""What the end-to-end tests in network namespaces share (tests/upf, tests/smf, tests/e2e).

  Tap        TAP lines printed as each case ends (`ok N - name`, `not ok N - name  # why`)
  sh         run a command, bounded in time; raise with its output when it fails
  kill_all   kill the processes still running and reap them
  Topology   network namespaces joined by veth pairs, with addresses, routes and sysctls
             given as data; removed again on any exit
  enter_ns   move this process into a namespace (setns), so its sockets live there
  csum, icmp_echo                        IPv4 and ICMP echo (RFC 1071, RFC 791, RFC 792)
  csum6, ip6, icmp6, echo6, router_solicitation, parse_ra
                                         IPv6 and ICMPv6 (RFC 8200, RFC 4443, RFC 4861)
  gpdu, parse_gtpu                       GTP-U with the PDU Session Container
                                         (TS 29.281 5.1/5.2, TS 38.415 5.5.2)

The test programs run as root (netns, veth, TUN). Import from a script one directory below
tests/, as tshark_oracle is imported:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
    import netkit  # noqa: E402
"""
import atexit
import ctypes
import os
import re
import socket
import struct
import subprocess

# ---------------------------------------------------------------------------------------
# TAP output and processes


class Tap:
    """Prints one TAP line per case as it ends (a test that hangs or dies still shows how
    far it got; tshark_oracle.Tap instead collects and prints at the end). Call it as
    tap(ok, name, why=''): records bool(ok) in results and returns ok. `why`, a diagnostic
    of any type (str() of it is printed), follows a failing case's name as `  # why`.
    The options keep each test's diagnostics as they have always been printed:
      why_max    cut the diagnostic to this many characters (None: whole)
      one_line   fold every run of white space in it (a traceback's lines) into one space
      falsy_why  print a falsy diagnostic other than '' and None (0, {}, []) too; without
                 it a falsy `why` prints nothing
    """

    def __init__(self, why_max=None, one_line=False, falsy_why=False):
        self.results = []
        self.why_max, self.one_line, self.falsy_why = why_max, one_line, falsy_why

    def __call__(self, ok, name, why=''):
        self.results.append(bool(ok))
        quiet = why in ('', None) if self.falsy_why else not why
        diag = ''
        if not ok and not quiet:
            diag = str(why)
            if self.one_line:
                diag = re.sub(r'\s+', ' ', diag)
            diag = '  # ' + diag[:self.why_max]
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', len(self.results), name, diag),
              flush=True)
        return ok


def sh(*args, check=True, timeout=30):
    """Run args (output and errors together, at most `timeout` s); the CompletedProcess.
    With check, a non-zero exit raises RuntimeError with the command and its output."""
    p = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    if check and p.returncode:
        raise RuntimeError('%s: %s' % (' '.join(args), p.stdout.decode(errors='replace')))
    return p


def kill_all(procs):
    """SIGKILL each Popen of procs that still runs and wait up to 5 s for it."""
    for p in procs:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


# ---------------------------------------------------------------------------------------
# Network namespaces


class Topology:
    """Network namespaces joined by veth pairs, described as data.

    namespaces  {role: name}: the names must be unique per run (a tag with the PID); the
                roles name the namespaces in the rest of the data, and net.<role> (or
                net.ns[role]) gives the name back, so a role must not be one of the names
                below or up / down
    veths       [(role_a, dev_a, role_b, dev_b)]: a veth pair, dev_a in a, dev_b in b
    addrs       [(role, dev, 'address/len')]: an IPv6 address gets no duplicate address
                detection (`nodad`: it works at once)
    routes      [(role, 'prefix/len', via)]
    sysctls     [(role, 'key=value')], written in that namespace
    procs       a list of Popen to kill before the namespaces go (the daemons run in them),
                read when down() runs

    up() builds it all: namespaces with lo up, the veth pairs, the sysctls, the IPv4
    addresses, every veth end up, the IPv6 addresses, the routes (sh: a failing step
    raises). It registers down() with atexit before it builds anything, so whatever it
    created goes on any exit of the interpreter (not on a signal that kills it); down() may
    run more than once.
    """

    def __init__(self, namespaces, veths=(), addrs=(), routes=(), sysctls=(), procs=None):
        self.ns = dict(namespaces)
        self.veths, self.addrs, self.routes = list(veths), list(addrs), list(routes)
        self.sysctls = list(sysctls)
        self.procs = procs if procs is not None else []

    def __getattr__(self, role):
        try:
            return self.__dict__['ns'][role]
        except KeyError:
            raise AttributeError(role) from None

    def up(self):
        atexit.register(self.down)
        for name in self.ns.values():
            sh('ip', 'netns', 'add', name)
            sh('ip', '-n', name, 'link', 'set', 'lo', 'up')
        for a, dev_a, b, dev_b in self.veths:
            sh('ip', '-n', self.ns[a], 'link', 'add', dev_a, 'type', 'veth', 'peer', 'name',
               dev_b, 'netns', self.ns[b])
        for role, kv in self.sysctls:
            sh('ip', 'netns', 'exec', self.ns[role], 'sysctl', '-qw', kv)
        v4 = [a for a in self.addrs if ':' not in a[2]]
        v6 = [a for a in self.addrs if ':' in a[2]]
        for role, dev, addr in v4:
            sh('ip', '-n', self.ns[role], 'addr', 'add', addr, 'dev', dev)
        for a, dev_a, b, dev_b in self.veths:
            sh('ip', '-n', self.ns[a], 'link', 'set', dev_a, 'up')
            sh('ip', '-n', self.ns[b], 'link', 'set', dev_b, 'up')
        for role, dev, addr in v6:
            sh('ip', '-n', self.ns[role], 'addr', 'add', addr, 'dev', dev, 'nodad')
        for role, prefix, via in self.routes:
            sh('ip', '-n', self.ns[role], 'route', 'add', prefix, 'via', via)

    def down(self):
        kill_all(self.procs)
        for name in self.ns.values():
            subprocess.run(['ip', 'netns', 'del', name], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)


def enter_ns(ns):
    """Move the calling thread (the whole process when it has one thread) into the network
    namespace named ns: sockets it opens from now on live there. OSError on failure."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open('/var/run/netns/' + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), 'setns')
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------
# IPv4 and ICMP


def csum(b):
    """The Internet checksum (RFC 1071): one's complement of the one's complement sum of
    the 16-bit words, an odd last octet padded with zero. 0 over data with a correct one."""
    if len(b) % 2:
        b += b'\x00'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


ECHO_DATA = bytes(range(56))  # 56 octets of data, as ping(8) sends by default


def icmp_echo(src, dst, ident, seq, payload=ECHO_DATA):
    """An IPv4 packet (RFC 791: IHL 5, TTL 64, Identification = ident) carrying an ICMP Echo
    Request (RFC 792: type 8, code 0, Identifier ident, Sequence Number seq, then payload),
    both checksums filled in."""
    icmp = struct.pack('!BBHHH', 8, 0, 0, ident, seq) + payload
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), ident, 0, 64, 1, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:] + icmp


# ---------------------------------------------------------------------------------------
# IPv6 and ICMPv6


def csum6(src, dst, msg):
    """The ICMPv6 checksum of msg (RFC 4443 2.3) over the IPv6 pseudo-header (RFC 8200 8.1:
    source, destination, upper-layer length, next header 58). 0 when msg's is correct."""
    ph = socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) + \
        struct.pack('!IxxxB', len(msg), 58)
    return csum(ph + msg)


def ip6(src, dst, nh, hl, payload):
    """An IPv6 packet (RFC 8200 3): traffic class and flow label 0, next header nh, hop
    limit hl."""
    return struct.pack('!IHBB', 0x60000000, len(payload), nh, hl) + \
        socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst) + payload


def icmp6(src, dst, typ, code, body, hl=64):
    """An IPv6 packet with an ICMPv6 message (RFC 4443 2.1: type, code, checksum, body)."""
    msg = struct.pack('!BBH', typ, code, 0) + body
    msg = msg[:2] + struct.pack('!H', csum6(src, dst, msg)) + msg[4:]
    return ip6(src, dst, 58, hl, msg)


def echo6(src, dst, ident, seq, payload=ECHO_DATA):
    """An ICMPv6 Echo Request (RFC 4443 4.1: type 128, Identifier, Sequence Number, data)."""
    return icmp6(src, dst, 128, 0, struct.pack('!HH', ident, seq) + payload)


def router_solicitation(src):
    """RFC 4861 4.1: to all-routers, Hop Limit 255, no options (no link layer here)."""
    return icmp6(src, 'ff02::2', 133, 0, b'\x00' * 4, hl=255)


def parse_ra(ip):
    """The fields of a Router Advertisement (RFC 4861 4.2) in the IPv6 packet ip, or None:
    hop (limit), src, dst, csum_ok, (router) lifetime, prefix ('addr/len' of the Prefix
    Information option, 4.6.2) with pio_flags (L, A), mtu (the MTU option, 4.6.4)."""
    if len(ip) < 56 or ip[0] >> 4 != 6 or ip[6] != 58 or ip[40] != 134:
        return None
    src = socket.inet_ntop(socket.AF_INET6, ip[8:24])
    dst = socket.inet_ntop(socket.AF_INET6, ip[24:40])
    msg = ip[40:40 + struct.unpack('!H', ip[4:6])[0]]
    r = {'hop': ip[7], 'src': src, 'dst': dst, 'csum_ok': csum6(src, dst, msg) == 0,
         'lifetime': struct.unpack('!H', msg[6:8])[0], 'prefix': None, 'mtu': None}
    off = 16
    while off + 2 <= len(msg) and msg[off + 1]:
        t, n = msg[off], msg[off + 1] * 8
        if t == 3 and n == 32:
            r['prefix'] = '%s/%d' % (socket.inet_ntop(socket.AF_INET6, msg[off + 16:off + 32]),
                                     msg[off + 2])
            r['pio_flags'] = msg[off + 3]
        elif t == 5 and n == 8:
            r['mtu'] = struct.unpack('!I', msg[off + 4:off + 8])[0]
        off += n
    return r


# ---------------------------------------------------------------------------------------
# GTP-U


def gpdu(teid, inner, qfi=9):
    """A G-PDU (message type 255) for teid carrying the packet inner, as a gNB sends it on
    N3: TS 29.281 5.1 header with E=1 (sequence number and N-PDU number 0, next extension
    header type 0x85) and a PDU Session Container (5.2.2.7) holding the TS 38.415 5.5.2.2
    UL PDU SESSION INFORMATION (PDU type 1) with qfi. tests/upf sends the QFI of its QER
    (9, the default), tests/smf that of the SMF's default QoS rule (1)."""
    ext = bytes([1, 0x10, qfi, 0])
    return struct.pack('!BBHIHBB', 0x34, 0xff, 4 + len(ext) + len(inner), teid, 0, 0,
                       0x85) + ext + inner


def parse_gtpu(b):
    """A GTP-U message (TS 29.281 5.1) as {type, teid, qfi, psc_type, seq, payload}: seq
    when any of E, S, PN is set; psc_type (TS 38.415 5.5.2: 0 DL, 1 UL) and qfi from a PDU
    Session Container among the extension headers (5.2.1: length in 4-octet units, the
    next type in the last octet); None where absent. Raises on a truncated message."""
    flags, mtype, length, teid = struct.unpack('!BBHI', b[:8])
    r = {'type': mtype, 'teid': teid, 'qfi': None, 'psc_type': None, 'seq': None}
    off = 8
    if flags & 0x07:
        r['seq'] = struct.unpack('!H', b[8:10])[0]
        nxt = b[11]
        off = 12
        while nxt:
            n = b[off] * 4
            if nxt == 0x85:
                r['psc_type'] = b[off + 1] >> 4
                r['qfi'] = b[off + 2] & 0x3f
            nxt = b[off + n - 1]
            off += n
    r['payload'] = b[off:8 + length]
    return r
