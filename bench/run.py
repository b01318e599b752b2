#!/usr/bin/env python3
"""make bench: every benchmark at a size that ends within 10 minutes, then one table.

Each benchmark prints its own detailed figures as it runs (kept in the output), and appends
its headline figures to a JSON Lines file (bench/summary.h, bench/summary.py); at the end
this script prints them as one table: benchmark, item, value, ratio to the same run's
baseline, goal, met. Exit status 0 when every benchmark ran (missed goals are figures, not
errors: docs/BENCHMARKS.md explains each); 1 when a benchmark failed (it could not run, or
it saw failures it must not have, e.g. a UE that did not register).

Usage: bench/run.py [--build DIR] [--only NAME[,NAME...]] [--full]
  --full  the larger sizes of docs/BENCHMARKS.md (longer than 10 minutes)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def benches(build, full):
    """(name, command, the file that must exist) for each benchmark, in running order."""
    b = os.path.join(build, 'bench')
    py = sys.executable
    out = []
    for name, args in (('crypto', ['-t', '0.2']), ('ngap', ['0.3']), ('sbi', ['-t', '1']),
                       ('upf', ['-t', '2'])):
        exe = os.path.join(b, 'bench-' + name)
        out.append((name, [exe] + ([] if full else args), exe))
    for name, args in (('cp', ['--peak', '--no-memory']), ('mem', [])):
        script = os.path.join(HERE, name + '.py')
        out.append((name, [py, script, '--build', build] + ([] if full else args), script))
    return out


def fmt(v):
    if v is None:
        return '-'
    if abs(v) >= 1000:
        return f'{v:,.0f}'
    if abs(v) >= 10:
        return f'{v:.1f}'
    return f'{v:.3g}'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--only', help='comma-separated benchmark names')
    ap.add_argument('--full', action='store_true')
    a = ap.parse_args()
    only = set(a.only.split(',')) if a.only else None
    fd, path = tempfile.mkstemp(prefix='sen-bench-', suffix='.jsonl')
    os.close(fd)
    env = dict(os.environ, SEN_BENCH_SUMMARY=path)
    ran, broken = [], {}
    t_all = time.monotonic()
    for name, cmd, needed in benches(os.path.abspath(a.build), a.full):
        if only and name not in only:
            continue
        if not os.path.exists(needed):
            print(f'\n=== {name}: {needed} is missing', flush=True)
            broken[name] = 'missing'
            continue
        print(f'\n=== {name}: {" ".join(cmd)}', flush=True)
        t0 = time.monotonic()
        rc = subprocess.call(cmd, env=env, cwd=ROOT)
        dt = time.monotonic() - t0
        print(f'=== {name}: exit {rc} after {dt:.0f} s', flush=True)
        if rc == 0:
            ran.append(name)
        else:
            broken[name] = f'exit {rc}, see its output above'
    rows = []
    with open(path) as f:
        for line in f:
            try:
                rows.append(json.loads(line))
            except ValueError:
                pass
    os.unlink(path)
    print('\n## Summary (%.0f s in all)\n' % (time.monotonic() - t_all))
    print('| bench | item | value | unit | ratio | goal | met |')
    print('|---|---|---:|---|---:|---|---|')
    for r in rows:
        met = {True: 'met', False: 'MISSED', None: ''}[r.get('met')]
        print(f"| {r['bench']} | {r['item']} | {fmt(r['value'])} | {r['unit']} | "
              f"{fmt(r.get('ratio'))} | {r.get('goal', '')} | {met} |")
    for name, why in broken.items():
        print(f'| {name} | {why} | | | | | FAILED |')
    print(f'\n{len(ran)} benchmarks ran, {len(broken)} failed'
          + (f': {", ".join(broken)}' if broken else ''))
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main())
