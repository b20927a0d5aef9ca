"""The load test's own arithmetic: the p95 per 10 s of the run, and the CPU the app
servers used per request, also when a fault killed one of them mid-run."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from zi_tracker.devtools.loadtest import (
    Sample,
    _cpu_report,
    _cpu_seconds,
    _cpu_used,
    _machine_busy,
    _windows,
)


def test_requests_fall_into_the_ten_seconds_they_began_in():
    t0 = 1000.0
    samples = [Sample("dasbor", 200, 0.1, t0 + at) for at in (0.0, 9.99, 10.0, 25.5, 61.0)]
    windows = _windows(samples, t0)
    assert {start: len(found) for start, found in windows.items()} == {0: 2, 10: 1, 20: 1, 60: 1}


def test_cpu_is_read_from_proc_and_a_killed_process_counts_nothing_more():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        before = _cpu_seconds([os.getpid(), busy.pid, 999_999_999])
        machine_before = _machine_busy()
        time.sleep(0.5)
        after = _cpu_seconds([os.getpid(), busy.pid])
        assert 999_999_999 not in before  # no such process: left out
        assert 0.2 < _cpu_used(before, after) < 2.0  # the busy loop's half second
        # The busy process dies: it is left out of the next reading, and counts 0.
        busy.kill()
        busy.wait()
        gone = _cpu_seconds([os.getpid(), busy.pid])
        assert busy.pid not in gone
        assert _cpu_used(before, gone) < _cpu_used(before, after)
        report = _cpu_report(_cpu_used(before, after), machine_before, _machine_busy(), 0.5, 10)
    finally:
        busy.kill()
    assert report["machine_cores"] == os.cpu_count()
    assert 0.3 < report["app_cores"] < 4.0
    assert report["app_cpu_ms_per_request"] == round(1000 * _cpu_used(before, after) / 10, 1)
    assert _cpu_report(1.0, (0, 0), (0, 0), 1.0, 0)["app_cpu_ms_per_request"] is None
