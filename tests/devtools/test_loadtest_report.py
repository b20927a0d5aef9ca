"""The load test's own arithmetic: the p95 per 10 s of the run, and the CPU the app
servers used per request, also when a fault killed one of them mid-run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zi_tracker.devtools.loadtest import (
    Sample,
    _cpu_report,
    _cpu_seconds,
    _cpu_used,
    _machine_busy,
    _windows,
    busy_cores,
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


def test_busy_cores_burn_cpu_while_the_block_runs_and_are_gone_after_it():
    with pytest.raises(RuntimeError), busy_cores(2) as pids:
        assert len(pids) == 2
        before = _cpu_seconds(pids)
        time.sleep(0.5)
        used = _cpu_used(before, _cpu_seconds(pids))
        raise RuntimeError("the run failed")  # the loops still stop
    assert used > 0.3  # two loops for half a second, on however many cores there are
    assert _cpu_seconds(pids) == {}  # killed and reaped: no /proc entry left
    with busy_cores(0) as none:
        assert none == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"busy_cores": -1}, "--busy-cores harus 0 sampai 16."),
        ({"busy_cores": 17}, "--busy-cores harus 0 sampai 16."),
        ({"instances": 9}, "--instances harus 1 sampai 8."),
        ({"users": 0}, "--users harus 1 sampai 500"),
        ({"kill_instance_at": 5}, "--kill-instance-at perlu --instances 2"),
    ],
)
def test_the_command_refuses_bad_options_before_starting_anything(options, message, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("loadtest", stdout=StringIO(), stderr=StringIO(), **options)


def test_the_command_runs_only_in_development_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya untuk mode pengembangan"):
        call_command("loadtest", stdout=StringIO(), stderr=StringIO())


def test_a_busy_loop_ends_by_itself_when_the_load_test_is_killed():
    """The load test killed with no chance to clean up (SIGKILL) leaves no loop behind."""
    from pathlib import Path

    from zi_tracker.devtools.loadtest import BUSY_LOOP

    starter = (
        "import os, subprocess, sys\n"
        f"loop = subprocess.Popen([sys.executable, '-c', {BUSY_LOOP!r}, str(os.getpid())],\n"
        "                        stdout=subprocess.DEVNULL)\n"
        "print(loop.pid, flush=True)\n"
        "os._exit(0)  # gone without killing its loop, as after SIGKILL\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", starter], capture_output=True, text=True, timeout=30
    )
    pid = int(out.stdout)

    def running() -> bool:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        return stat[stat.rindex(")") + 2] not in "ZX"  # a zombie has ended

    deadline = time.monotonic() + 10
    while running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running()
