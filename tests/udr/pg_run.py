#!/usr/bin/env python3
"""Run a test program against a throwaway PostgreSQL server.

Usage: pg_run.py PROGRAM [ARGS...]

Creates a temporary directory, initialises a cluster in it (initdb, as the `postgres` user
when run as root: PostgreSQL refuses to run as root), starts the server listening only on a
Unix socket in that directory (no TCP port, so no clash with anything else), runs PROGRAM with
SEN_UDR_PG_HOST (the socket directory) and SEN_UDR_PG_USER in its environment, then stops
the server and removes the directory, on success, failure, SIGINT or SIGTERM alike. The
server and PROGRAM are started as this script's children with a parent-death signal, so they
go away even if this script is killed with SIGKILL; the directory (sen-udr-pg-*) then stays
behind, and a later run removes it once it is an hour old.

If the server cannot be set up, this prints a failing TAP line and exits 1: the suite fails,
it is never skipped. PROGRAM's own TAP output passes through; its exit status is returned.
The server binaries are those of the newest PostgreSQL installed (/usr/lib/postgresql/<major>/bin,
highest major version); set SEN_PG_BIN to use others.
"""
import ctypes
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PG_ROOT = '/usr/lib/postgresql'


def newest_pg_bin(root=PG_ROOT):
    """/usr/lib/postgresql/<major>/bin of the highest version present (numeric order: 9.6 <
    10 < 15 < 16), or None."""
    def version(name):
        try:
            return tuple(int(x) for x in name.split('.'))
        except ValueError:
            return None
    try:
        names = os.listdir(root)
    except OSError:
        return None
    found = sorted((version(n), n) for n in names
                   if version(n) is not None and os.path.isdir(os.path.join(root, n, 'bin')))
    return os.path.join(root, found[-1][1], 'bin') if found else None


PG_BIN = os.environ.get('SEN_PG_BIN') or newest_pg_bin() or os.path.join(PG_ROOT, '<none>', 'bin')
DB_USER = 'sen'
PR_SET_PDEATHSIG = 1


class SetupError(Exception):
    pass


def fail(msg, log=None):
    print('1..1')
    print('not ok 1 - postgresql test server: %s' % msg)
    if log and os.path.exists(log):
        with open(log, errors='replace') as f:
            for line in f.read().splitlines()[-30:]:
                print('# ' + line)
    sys.stdout.flush()
    return 1


def remove_stale_dirs():
    """Remove what runs killed with SIGKILL left behind: sen-udr-pg-* directories over an
    hour old whose server is not running (its postmaster.pid names no live process)."""
    base = tempfile.gettempdir()
    for name in os.listdir(base):
        path = os.path.join(base, name)
        if not name.startswith('sen-udr-pg-') or not os.path.isdir(path):
            continue
        try:
            if time.time() - os.stat(path).st_mtime < 3600:
                continue
            pidfile = os.path.join(path, 'data', 'postmaster.pid')
            if os.path.exists(pidfile):
                with open(pidfile) as f:
                    pid = int(f.readline().strip() or '0')
                if pid > 0 and os.path.exists('/proc/%d' % pid):
                    continue
        except (OSError, ValueError):
            continue
        shutil.rmtree(path, ignore_errors=True)


def on_signal(signum, frame):
    raise SystemExit(128 + signum)


def die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def main():
    if len(sys.argv) < 2:
        print('usage: pg_run.py PROGRAM [ARGS...]', file=sys.stderr)
        return 2
    for tool in ('initdb', 'postgres', 'pg_isready'):
        if not os.access(os.path.join(PG_BIN, tool), os.X_OK):
            return fail('%s not found in %s (Debian: apt-get install postgresql)'
                        % (tool, PG_BIN))
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam('postgres')
        except KeyError:
            return fail('running as root and there is no postgres user')
        uid, gid = pw.pw_uid, pw.pw_gid
    else:
        uid, gid = os.geteuid(), os.getegid()

    def as_pg_user():
        # Drop to the postgres user (when root), then ask for SIGQUIT (PostgreSQL's
        # immediate shutdown) if this script dies: set after setuid, which clears it.
        if os.geteuid() != uid:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGQUIT, 0, 0, 0)
        os.setsid()

    remove_stale_dirs()
    tmp = tempfile.mkdtemp(prefix='sen-udr-pg-')
    server = test = None
    log = os.path.join(tmp, 'server.log')
    try:
        os.chown(tmp, uid, gid)
        os.chmod(tmp, 0o700)
        data = os.path.join(tmp, 'data')
        with open(log, 'w') as lf:
            os.chown(log, uid, gid)
            r = subprocess.run([os.path.join(PG_BIN, 'initdb'), '-D', data, '-U', DB_USER,
                                '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
                               stdout=lf, stderr=subprocess.STDOUT, preexec_fn=as_pg_user,
                               cwd=tmp)
        if r.returncode != 0:
            return fail('initdb failed (exit %d)' % r.returncode, log)
        lf = open(log, 'a')
        # listen_addresses='' : Unix socket only, in our own directory.
        server = subprocess.Popen(
            [os.path.join(PG_BIN, 'postgres'), '-D', data, '-k', tmp,
             '-c', 'listen_addresses=', '-c', 'max_connections=50'],
            stdout=lf, stderr=subprocess.STDOUT, preexec_fn=as_pg_user, cwd=tmp)
        lf.close()
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                return fail('postgres exited with %d at start' % server.returncode, log)
            r = subprocess.run([os.path.join(PG_BIN, 'pg_isready'), '-q', '-h', tmp,
                                '-U', DB_USER, '-d', 'postgres'])
            if r.returncode == 0:
                break
            if time.monotonic() > deadline:
                return fail('server not ready after 60 s', log)
            time.sleep(0.1)

        env = dict(os.environ)
        env['SEN_UDR_PG_HOST'] = tmp
        env['SEN_UDR_PG_USER'] = DB_USER
        sys.stdout.flush()
        test = subprocess.Popen(sys.argv[1:], env=env, preexec_fn=die_with_parent)
        rc = test.wait()
        if rc != 0 and server.poll() is not None:
            print('# the postgresql server died during the tests (exit %d)'
                  % server.returncode)
        return rc
    finally:
        if test is not None and test.poll() is None:
            test.terminate()
            try:
                test.wait(timeout=10)
            except subprocess.TimeoutExpired:
                test.kill()
                test.wait()
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)  # fast shutdown
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.send_signal(signal.SIGQUIT)
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
