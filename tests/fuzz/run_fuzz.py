#!/usr/bin/env python3
"""Run one libFuzzer target for a bounded time and report it as one TAP case.

Usage: run_fuzz.py FUZZER SEED_DIR. Time from $SEN_FUZZ_SECONDS (default 20). The seed
corpus is copied to a scratch directory so the repository is never written to; crash
artefacts go there too and are shown on failure.
"""
import os
import shutil
import subprocess
import sys
import tempfile

fuzzer, seeds = sys.argv[1], sys.argv[2]
secs = int(os.environ.get('SEN_FUZZ_SECONDS', '20'))
name = os.path.basename(fuzzer)
work = tempfile.mkdtemp(prefix=name + '-')
corpus = os.path.join(work, 'corpus')
shutil.copytree(seeds, corpus) if os.path.isdir(seeds) else os.makedirs(corpus)
env = dict(os.environ)
env.setdefault('ASAN_OPTIONS', 'abort_on_error=1:detect_leaks=1')
env.setdefault('UBSAN_OPTIONS', 'halt_on_error=1:print_stacktrace=1')
cmd = [fuzzer, '-max_total_time=%d' % secs, '-timeout=10', '-rss_limit_mb=2048',
       '-max_len=4096', '-print_final_stats=1', '-artifact_prefix=' + work + '/', corpus]
p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                   timeout=secs + 300)
out = p.stdout.decode(errors='replace')
runs = [l for l in out.splitlines() if l.startswith('stat::number_of_executed_units')]
print('1..1')
if p.returncode == 0 and 'ERROR:' not in out and 'runtime error' not in out:
    print('ok 1 - %s ran %d s without a crash (%s)' % (name, secs,
          runs[0].split(':')[-1].strip() + ' inputs' if runs else 'runs unknown'))
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0)
print('not ok 1 - %s failed (exit %d); artefacts in %s' % (name, p.returncode, work))
for l in out.splitlines()[-60:]:
    print('# ' + l)
sys.exit(1)
