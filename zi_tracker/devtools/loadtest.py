"""The load test behind ``python manage.py loadtest``: simulated users (leaders, members,
reviewers of several units) against gunicorn on 127.0.0.1, each repeating a realistic
mix of pages, uploads and reviews with a short pause between actions, for a fixed time;
with ``instances`` above one, several gunicorn instances behind a least-connections proxy
(zi_tracker/devtools/proxy.py), one of which may be killed mid-run.
Afterwards every upload the server accepted must be accounted for: one evidence record
per accepted upload, its file present with the recorded size and SHA-256, and no file the
run wrote without a record. Only what the run wrote is counted: other data sets may share
the store."""

from __future__ import annotations

import datetime
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef
from django.test.utils import override_settings
from django.utils import timezone

from actionplan.models import SLOT_TO_RENCANA, RencanaAksi, Slot
from evidence.enums import StatusBukti
from evidence.models import BerkasBukti, Bukti
from evidence.storage import PREFIX as STORE_PREFIX
from evidence.storage import evidence_storage, sha256_of
from zi_tracker.devtools.bench import p95
from zi_tracker.devtools.demo_evidence import padded_pdf
from zi_tracker.devtools.proxy import Proxy
from zi_tracker.devtools.scale import PREFIX
from zi_tracker.ops.serving import Server

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser

CSRF = "c" * 32
PAUSE = (0.3, 1.2)  # seconds a user pauses between two actions, uniformly
REVIEW_LINK = re.compile(rb'action="/bukti/(\d+)/review/"')
STEP_LINK = re.compile(rb'href="/langkah/(\d+)/#bulan-')
FORM_ERROR = re.compile(rb"(?:<strong>|alert-danger[^>]*>\s*<ul[^>]*>\s*<li>)(.*?)</", re.S)


def upload_body(bulan: int, pdf: bytes) -> tuple[str, bytes]:
    """The upload form as a browser sends it: (content type, multipart body)."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{CSRF}\r\n--{boundary}\r\nContent-Disposition: form-data; name="bulan"\r\n\r\n'
            f'{bulan}\r\n--{boundary}\r\nContent-Disposition: form-data; name="berkas"; '
            'filename="bukti.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", body


@dataclass
class Sample:
    action: str
    status: int
    seconds: float
    at: float = 0.0  # when the request began (time.monotonic())


@dataclass
class Outcome:
    samples: list[Sample] = field(default_factory=list)
    uploads_accepted: int = 0
    uploads_refused: int = 0
    uploads_interrupted: int = 0
    reviews_done: int = 0
    refusals: Counter = field(default_factory=Counter)  # the form's message -> times
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


@dataclass
class Actor:
    role: str  # pimpinan, anggota, reviewer, rekap
    cookie: str
    plan_id: int = 0
    steps: list[tuple[int, int]] = field(default_factory=list)  # (langkah id, bulan)


def _session(user: AuthUser, secret_key: str) -> str:
    """A logged-in session for ``user``, valid for a server running with ``secret_key``
    (as if the user had logged in; their password hashing is not what is measured)."""
    with override_settings(SECRET_KEY=secret_key):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def actors(*, units: int, secret_key: str) -> list[Actor]:
    """Per unit: its pimpinan, its reviewer and three members; plus the national and a
    provincial pimpinan on the roll-up. Units come from the generated data set."""
    User = get_user_model()
    year = timezone.localdate().year
    found: list[Actor] = []
    # The units with the most months still open this year: earlier runs approve evidence,
    # and a member with nothing left to upload would only read pages.
    approved = Bukti.objects.filter(slot=OuterRef("pk"), status=StatusBukti.DISETUJUI)
    busiest = (
        Slot.objects.of_year(year)
        .filter(**{f"{SLOT_TO_RENCANA}__satuan_kerja__slug__startswith": f"{PREFIX}-kab-"})
        .exclude(Exists(approved))
        .values(plan=F(SLOT_TO_RENCANA))
        .annotate(open=Count("pk"))
        .order_by("-open", "plan")[:units]
    )
    plans = RencanaAksi.objects.select_related("satuan_kerja").in_bulk([r["plan"] for r in busiest])
    for plan in plans.values():
        unit = plan.satuan_kerja

        def user(kind: str, slug: str = unit.slug) -> AuthUser:
            return User.objects.get(username=f"{PREFIX}-{kind}-{slug}")

        found.append(Actor("pimpinan", _session(user("pimpinan"), secret_key), plan.pk))
        found.append(Actor("reviewer", _session(user("tpi"), secret_key), plan.pk))
        for i in (1, 2, 3):
            member = user(f"anggota{i}")
            steps = list(
                Slot.objects.of_plan(plan)
                .filter(langkah_aksi__tim__anggota=member)
                .exclude(bukti__status=StatusBukti.DISETUJUI)
                .values_list("langkah_aksi_id", "bulan")
            )
            found.append(Actor("anggota", _session(member, secret_key), plan.pk, steps))
    for slug in (f"{PREFIX}-kpu-ri", f"{PREFIX}-prov-01"):
        found.insert(
            0,
            Actor(
                "rekap",
                _session(User.objects.get(username=f"{PREFIX}-pimpinan-{slug}"), secret_key),
            ),
        )
    return found


class User(threading.Thread):
    def __init__(self, actor: Actor, port: int, until: float, outcome: Outcome, seed: int) -> None:
        super().__init__(daemon=True)
        self.actor, self.port, self.until, self.outcome = actor, port, until, outcome
        self.rng = random.Random(seed)
        self.pdf = padded_pdf(["Bukti uji beban"], self.rng.randint(50_000, 250_000))

    def request(
        self, action: str, method: str, path: str, body: bytes = b"", ctype: str = ""
    ) -> tuple[int, bytes]:
        headers = {"Cookie": self.actor.cookie, "Host": "127.0.0.1"}
        if ctype:
            headers["Content-Type"] = ctype
        began, start = time.monotonic(), time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            status, data = response.status, response.read()
        except (OSError, http.client.HTTPException):  # refused, reset, or cut off mid-answer
            status, data = 0, b""
        finally:
            conn.close()
        self.outcome.add(Sample(action, status, time.perf_counter() - start, began))
        return status, data

    def upload(self) -> None:
        if not self.actor.steps:
            self.request("tugas saya", "GET", "/tugas/")
            return
        langkah, bulan = self.rng.choice(self.actor.steps)
        content_type, body = upload_body(bulan, self.pdf)
        status, page = self.request(
            "unggah",
            "POST",
            f"/langkah/{langkah}/unggah/",
            body,
            content_type,
        )
        with self.outcome.lock:
            if status == 302:
                self.outcome.uploads_accepted += 1
            elif status == 0 or status >= 500:  # cut off: the server may or may not have it
                self.outcome.uploads_interrupted += 1
            elif status == 200:  # refused with a message, e.g. the month is approved now
                self.outcome.uploads_refused += 1
                message = FORM_ERROR.search(page)
                text = message.group(1).decode()[:120] if message else "(tanpa pesan)"
                self.outcome.refusals[text] += 1

    def review(self) -> None:
        """As a reviewer works: the queue, the step page of one waiting item, its form."""
        status, page = self.request("antrean review", "GET", "/review/")
        steps = STEP_LINK.findall(page) if status == 200 else []
        if not steps:
            return
        step = int(self.rng.choice(steps[:10]))
        status, page = self.request("halaman langkah", "GET", f"/langkah/{step}/")
        waiting = REVIEW_LINK.findall(page) if status == 200 else []
        if not waiting:
            return
        bukti = int(self.rng.choice(waiting))
        approve = self.rng.random() < 0.7
        body = (
            f"csrfmiddlewaretoken={CSRF}&keputusan={'disetujui' if approve else 'dikembalikan'}"
            f"&catatan={'' if approve else 'Mohon+dilengkapi'}"
        ).encode()
        status, _ = self.request(
            "review", "POST", f"/bukti/{bukti}/review/", body, "application/x-www-form-urlencoded"
        )
        if status == 302:
            with self.outcome.lock:
                self.outcome.reviews_done += 1

    def run(self) -> None:
        a = self.actor
        # Each user begins at a random point of its cycle of action and pause, as users
        # are found once a server has been up a while, instead of all 50 sending their
        # first request in the same instant.
        time.sleep(self.rng.uniform(0, PAUSE[1]))
        while time.monotonic() < self.until:
            if a.role == "pimpinan":
                path = f"/rencana/{a.plan_id}/dasbor/?bulan={self.rng.randint(1, 12)}"
                self.request("dasbor", "GET", path)
            elif a.role == "rekap":
                self.request("rekap", "GET", self.rng.choice(["/rekap/", "/rekap/?urut=terburuk"]))
            elif a.role == "reviewer":
                self.review()
            else:
                roll = self.rng.random()
                if roll < 0.35:
                    self.request("tugas saya", "GET", "/tugas/")
                elif roll < 0.7 and a.steps:
                    self.request(
                        "halaman langkah", "GET", f"/langkah/{self.rng.choice(a.steps)[0]}/"
                    )
                else:
                    self.upload()
            time.sleep(self.rng.uniform(*PAUSE))


def _pg_restart() -> None:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        capture_output=True,
    )


@dataclass
class Faults:
    """What the run does to its servers, and when (seconds after the users start)."""

    restart_postgres_at: float | None = None
    kill_instance_at: float | None = None
    happened: dict[str, tuple[float, float]] = field(default_factory=dict)


def _inject(faults: Faults, servers: list[Server], t0: float) -> None:
    """Sleep until each fault is due and cause it, in time order."""
    due = sorted(
        (at, name)
        for name, at in (
            ("postgres_restart", faults.restart_postgres_at),
            ("instance_killed", faults.kill_instance_at),
        )
        if at is not None
    )
    for at, name in due:
        time.sleep(max(0.0, at - (time.monotonic() - t0)))
        begin = time.monotonic() - t0
        if name == "postgres_restart":
            _pg_restart()
        else:
            servers[-1].kill()
        faults.happened[name] = (begin, time.monotonic() - t0)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU time (user + system) each process has used so far; a process gone (killed by
    a fault) is left out."""
    found = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        found[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return found


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between the two readings; a process gone in between counts
    nothing (its last reading is lost with it)."""
    return sum(after.get(pid, start) - start for pid, start in before.items())


def _machine_busy() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far, over all its cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


def _cpu_report(
    app_seconds: float,
    machine_before: tuple[float, float],
    machine_after: tuple[float, float],
    elapsed: float,
    requests: int,
) -> dict:
    """How busy the app servers and the machine were during the run, and the app servers'
    CPU per request: steadier from run to run than the latencies, which move with every
    other process sharing the cores."""
    busy = machine_after[0] - machine_before[0]
    return {
        "app_cores": round(app_seconds / elapsed, 2),
        "machine_cores_busy": round(busy / elapsed, 2),
        "machine_cores": os.cpu_count(),
        "app_cpu_ms_per_request": round(1000 * app_seconds / requests, 1) if requests else None,
    }


@contextmanager
def busy_cores(count: int) -> Iterator[list[int]]:
    """``count`` processes that only burn CPU, for as long as the block runs: the app
    servers then share the cores as on a host whose other tenants are busy (the same code
    used 40 % more CPU per request on this virtual machine in its slow hours). Yields
    their process ids; they are killed and reaped on the way out, and end by themselves
    if the load test is killed."""
    loops: list[subprocess.Popen] = []
    try:
        for _ in range(count):
            loops.append(
                subprocess.Popen(
                    [sys.executable, "-c", BUSY_LOOP, str(os.getpid())],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        yield [loop.pid for loop in loops]
    finally:
        for loop in loops:
            loop.kill()
        for loop in loops:
            loop.wait()


# Burns CPU until stopped, or until its parent (the load test, whose pid it is given) is
# gone: a load test killed without a chance to clean up leaves no loop behind.
BUSY_LOOP = "import os, sys\nparent = int(sys.argv[1])\nwhile os.getppid() == parent:\n    pass"


def _stored_names() -> set[str]:
    return {f.name for f in evidence_storage().iter_files(STORE_PREFIX)}


def run(
    *,
    users: int,
    seconds: float,
    units: int,
    workers: int,
    threads: int,
    instances: int = 1,
    faults: Faults | None = None,
    busy: int = 0,
) -> dict:
    """The load test: ``instances`` gunicorn instances (behind a least-connections proxy when
    more than one) against this process's database, caches and evidence store; ``busy``
    processes burning CPU beside them while the users run (``busy_cores``)."""
    faults = faults or Faults()
    outcome = Outcome()
    # What the store held before: the run accounts only for what it wrote itself, however
    # many other data sets share the store.
    stored_before = _stored_names()
    started = timezone.now()
    with ExitStack() as stack:
        first = stack.enter_context(Server(workers=workers, threads=threads))
        servers = [first] + [
            stack.enter_context(
                Server(
                    workers=workers,
                    threads=threads,
                    static_root=first.static_root,
                    secret_key=first.secret_key,
                )
            )
            for _ in range(instances - 1)
        ]
        proxy = stack.enter_context(Proxy([s.port for s in servers])) if instances > 1 else None
        port = proxy.port if proxy else first.port
        cast = actors(units=units, secret_key=first.secret_key)
        cast = [cast[i % len(cast)] for i in range(users)]
        until = time.monotonic() + seconds
        threads_ = [User(a, port, until, outcome, seed=i) for i, a in enumerate(cast)]
        app_pids = [pid for s in servers for pid in s.process_ids()]
        stack.enter_context(busy_cores(busy))
        cpu_before, machine_before = _cpu_seconds(app_pids), _machine_busy()
        t0 = time.monotonic()
        for t in threads_:
            t.start()
        _inject(faults, servers, t0)
        for t in threads_:
            t.join()
        elapsed = time.monotonic() - t0
        cpu = _cpu_report(
            _cpu_used(cpu_before, _cpu_seconds(app_pids)),
            machine_before,
            _machine_busy(),
            elapsed,
            len(outcome.samples),
        )
        after = get(port, "/sehat/")
        spread = {
            "served": [proxy.served[s.port] for s in servers] if proxy else [],
            "refused": [proxy.refused[s.port] for s in servers] if proxy else [],
        }
    # This process's own connection may predate a PostgreSQL restart: open a new one.
    connection.close()
    report = _report(outcome, started, elapsed, stored_before, after, t0)
    report.update(
        {
            "instances": instances,
            "busy_processes": busy,
            "proxy": spread,
            "cpu": cpu,
            **faults.happened,
        }
    )
    return report


def get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


WINDOW = 10


def _windows(samples: list[Sample], t0: float) -> dict[int, list[Sample]]:
    found: dict[int, list[Sample]] = defaultdict(list)
    for s in samples:
        found[int((s.at - t0) // WINDOW) * WINDOW].append(s)
    return found


def _intact(lokasi: str, ukuran: int, sha: str) -> bool:
    """The stored file exists with the recorded size and SHA-256 (either store)."""
    try:
        return evidence_storage().size(lokasi) == ukuran and sha256_of(lokasi) == sha
    except FileNotFoundError:
        return False


def _report(
    outcome: Outcome,
    started: datetime.datetime,
    elapsed: float,
    stored_before: set[str],
    health_after: int,
    t0: float = 0.0,
) -> dict:
    by_action: dict[str, list[Sample]] = defaultdict(list)
    for s in outcome.samples:
        by_action[s.action].append(s)

    def stats(samples: list[Sample]) -> dict:
        times = sorted(s.seconds for s in samples)
        return {
            "requests": len(samples),
            "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
            "p95_ms": round(p95(times) * 1000, 1) if times else None,
            "errors_5xx": sum(1 for s in samples if s.status >= 500),
            "errors_500": sum(1 for s in samples if s.status == 500),
            "failed_connections": sum(1 for s in samples if s.status == 0),
        }

    # Every accepted upload accounted for: its record, its file, its hash; and every file
    # the run wrote belongs to one of its records.
    new = Bukti.objects.filter(diunggah_pada__gte=started)
    records = list(
        BerkasBukti.objects.filter(bukti__in=new).values_list("lokasi", "ukuran", "sha256")
    )
    bad_files = [lokasi for lokasi, ukuran, sha in records if not _intact(lokasi, ukuran, sha)]
    written = _stored_names() - stored_before
    orphans = sorted(written - {lokasi for lokasi, _, _ in records})
    return {
        "seconds": round(elapsed, 1),
        "throughput_rps": round(len(outcome.samples) / elapsed, 1),
        "total": stats(outcome.samples),
        "actions": {name: stats(samples) for name, samples in sorted(by_action.items())},
        # Per WINDOW seconds of the run (by when requests began): how the first seconds,
        # while caches fill, compare with the rest.
        "timeline": [
            {"from_s": start, **stats(samples)}
            for start, samples in sorted(_windows(outcome.samples, t0).items())
        ],
        "uploads_accepted": outcome.uploads_accepted,
        "uploads_refused": outcome.uploads_refused,
        "uploads_interrupted": outcome.uploads_interrupted,
        "refusals": dict(outcome.refusals.most_common(5)),
        "reviews_done": outcome.reviews_done,
        "new_records": new.count(),
        "new_files": len(records),
        "files_bad": bad_files,
        "files_written": len(written),
        "orphans": orphans,
        "health_after": health_after,
    }
