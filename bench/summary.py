"""One line per headline figure for `make bench`'s summary table (bench/run.py).

The Python twin of bench/summary.h: when SEN_BENCH_SUMMARY names a file, summary() appends
one JSON object per call to it (JSON Lines); without it, it does nothing.
"""
import json
import math
import os


def summary(bench, item, value, unit, ratio=None, goal='', met=None):
    """ratio: None without a baseline; met: True/False, or None when the item has no goal."""
    path = os.environ.get('SEN_BENCH_SUMMARY')
    if not path:
        return
    if ratio is not None and not math.isfinite(ratio):
        ratio = None
    row = {'bench': bench, 'item': item,
           'value': value if value is not None and math.isfinite(value) else -1,
           'unit': unit, 'ratio': None if ratio is None else round(ratio, 4),
           'goal': goal, 'met': met}
    with open(path, 'a') as f:
        f.write(json.dumps(row) + '\n')
