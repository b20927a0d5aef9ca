from __future__ import annotations

import datetime
import importlib.util
import io
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

# Every test runs at this moment (the clock ticks on from it), so none depends on the day
# it runs: mid-June of the current plan year, a Monday, office hours in Jakarta. Tests
# marked ``slow`` keep the real clock: a server in another process or a real browser
# cannot share a pinned one (a session cookie from June would be expired to chromium).
PINNED_NOW = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Under ``--dist loadgroup`` every test marked ``xdist_group`` must carry its group in
    its node id, or xdist spreads the group over workers (pytest 9.2 silently broke this):
    the gunicorn tests share one collection of static files and one worker."""
    if not getattr(config.option, "loadgroup", False):
        return
    stray = [i.nodeid for i in items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if stray:
        raise pytest.UsageError(f"xdist_group is ignored by this pytest/xdist pair: {stray[:3]}")


@pytest.fixture(autouse=True)
def clock(request) -> Iterator[time_machine.Coordinates | None]:
    """The pinned clock; a test moves it with ``clock.move_to(...)`` or ``clock.shift``."""
    if request.node.get_closest_marker("slow"):
        yield None
        return
    with time_machine.travel(PINNED_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Every test starts with empty caches: keys built from primary keys (an LKE
    assessment's score under its id and revision) would otherwise meet an earlier
    test's entry on SQLite, which hands out a rolled-back id again."""
    from django.conf import settings as django_settings
    from django.core.cache import caches

    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings) -> Path:
    """Every test writes files under its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def s3_server() -> Iterator[dict[str, str]]:
    """A real S3-protocol server (moto's server mode, zi_tracker/devtools/s3server.py) on
    127.0.0.1, started once per session (per xdist worker): the environment pointing at
    it. Without it the tests that need it are skipped, except under CI=true: there they
    fail."""
    from zi_tracker.devtools.s3server import S3ServerUnavailable, moto_s3

    server = moto_s3()
    try:
        env = server.__enter__()
    except S3ServerUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the S3 server for the object-storage tests: {exc}")
        pytest.skip(str(exc))
    try:
        yield env
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def s3_storage(s3_server, settings):
    """This test's evidence store: a fresh, empty bucket on the S3 server, with the
    settings switched to it (undone after the test)."""
    import uuid

    from evidence.storage import evidence_storage
    from zi_tracker.devtools.s3server import apply_to_settings, create_bucket

    bucket = f"zi-bukti-{uuid.uuid4().hex[:12]}"
    create_bucket(s3_server, bucket)
    apply_to_settings(s3_server, settings, bucket=bucket)
    return evidence_storage()


REDIS_URL = os.environ.get("ZI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The real Redis the shared-cache tests use (127.0.0.1:6379 unless
    ZI_TEST_REDIS_URL says otherwise). Without it those tests are skipped, except under
    CI=true: there they fail."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis at {REDIS_URL} for the shared-cache tests: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is not answering: {exc}")
    return REDIS_URL


def redis_cache_settings(url: str, prefix: str) -> dict[str, dict]:
    """CACHES as ZI_CACHE_URL sets them, under ``prefix``."""
    return {
        alias: {
            "BACKEND": "zi_tracker.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}:{letter}",
        }
        for alias, letter in (("default", "c"), ("pages", "p"))
    }


@pytest.fixture
def redis_caches(redis_url, settings) -> Iterator[str]:
    """This test's caches in the shared Redis, under a prefix of its own whose keys are
    removed afterwards: the prefix."""
    import uuid

    import redis

    prefix = f"zi-uji-{uuid.uuid4().hex[:10]}"
    settings.CACHES = redis_cache_settings(redis_url, prefix)
    yield prefix
    disconnect_caches()
    with redis.Redis.from_url(redis_url) as client:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def disconnect_caches() -> None:
    """Close the Redis connections of the caches this process has built."""
    from django.core.cache import caches

    from zi_tracker.cache import RedisCache

    for cache in caches.all(initialized_only=True):
        if isinstance(cache, RedisCache):
            cache.disconnect()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real 2024 KPU Banyumas plan is part of every test database, loaded once per
    session (per xdist worker): each test runs in a transaction rolled back at its end,
    so each finds the plan exactly as the fixture states it."""
    # Loaded a day before the pinned moment, so every revision a test raises (on the
    # pinned clock) is larger than the ones the load gave.
    with django_db_blocker.unblock(), time_machine.travel(PINNED_NOW - datetime.timedelta(days=1)):
        call_command("loaddata", "banyumas_2024", verbosity=0)
        call_command("lke_load_master", verbosity=0, stdout=io.StringIO())
        call_command("loaddata", "banyumas_2024_lke", verbosity=0)


@pytest.fixture
def lke_master(db):
    """PortalRB's 2026 master of LKE questions (loaded with the plan, see above)."""
    from actionplan.lke.models import MasterLke

    master = MasterLke.objects.filter(tahun=2026).first()
    if master is None:  # emptied by a transactional test that ran before
        call_command("lke_load_master", verbosity=0, stdout=io.StringIO())
        master = MasterLke.objects.get(tahun=2026)
    return master


@pytest.fixture
def banyumas(db):
    """The real 2024 KPU Banyumas plan (see django_db_setup)."""
    from actionplan.models import RencanaAksi

    plan = RencanaAksi.objects.filter(satuan_kerja__slug="kpu-banyumas", tahun=2024).first()
    if plan is None:
        # A transactional test (live server, real threads) ran before and emptied the
        # database; load the plan again for this test.
        from actionplan.lke.models import MasterLke

        call_command("loaddata", "banyumas_2024", verbosity=0)
        if not MasterLke.objects.filter(tahun=2026).exists():
            call_command("lke_load_master", verbosity=0, stdout=io.StringIO())
        call_command("loaddata", "banyumas_2024_lke", verbosity=0)
        plan = RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2024)
    return plan


@pytest.fixture(scope="session")
def production_static(tmp_path_factory) -> Path:
    """Static files collected once per session (per xdist worker) the way production
    collects them (WhiteNoise's compressed, hashed names): compressing takes some 25 s,
    so the production-mode test and the gunicorn tests share one collection (they are
    in one xdist group)."""
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(root),
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def empty_db(db) -> None:
    """For the few tests that need a database without the Banyumas plan: every row of
    the plan hierarchy removed, children first (rolled back with the test)."""
    from actionplan import models as plan
    from evidence.models import Bukti

    for model in (
        Bukti, plan.CatatanAudit, plan.Slot, plan.BuktiFisik, plan.LangkahAksi,
        plan.Indikator, plan.Komponen, plan.AreaPerubahan, plan.RencanaAksi,
        plan.TimKerja, plan.SatuanKerja,
    ):  # fmt: skip
        model.objects.all().delete()


@pytest.fixture(scope="session")
def fixture_source():
    """fixtures/source/build_fixture.py as a module (it is a script, not a package)."""
    path = ROOT / "fixtures" / "source" / "build_fixture.py"
    spec = importlib.util.spec_from_file_location("build_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("super", "super@example.org", "pw-super-123")
    client.force_login(user)
    return client


USER_KINDS = ["admin", "pimpinan", "reviewer", "anggota", "anggota_lain", "unit_lain", "anonim"]


class World:
    """One unit with a plan of this year and two teams, every kind of user, and a
    second unit with its own plan. ``langkah`` (team A) is scheduled every month;
    ``langkah_b`` belongs to team B."""

    def __init__(self, django_user_model) -> None:
        from django.utils import timezone

        from actionplan.enums import Peran
        from actionplan.models import PeranPengguna
        from tests.factories import (
            AreaPerubahanFactory,
            IndikatorFactory,
            KomponenFactory,
            LangkahAksiFactory,
            RencanaAksiFactory,
            TimKerjaFactory,
        )

        self.today = timezone.localdate()
        self.rencana = RencanaAksiFactory(tahun=self.today.year)
        self.unit = self.rencana.satuan_kerja
        self.tim_a = TimKerjaFactory(satuan_kerja=self.unit, nama="TIM A")
        self.tim_b = TimKerjaFactory(satuan_kerja=self.unit, nama="TIM B")
        area = AreaPerubahanFactory(rencana=self.rencana, nomor=1)
        komponen = KomponenFactory(area=area, nomor=1)
        self.langkah = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=1),
            urutan=1,
            tim=self.tim_a,
            bulan=list(range(1, 13)),
            bukti=["Undangan, daftar hadir"],
        )
        self.langkah_b = LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=2),
            urutan=1,
            tim=self.tim_b,
            bulan=[self.today.month],
        )
        self.slot = self.langkah.jadwal.get(bulan=self.today.month)

        other = RencanaAksiFactory(tahun=self.today.year)
        self.tim_lain = TimKerjaFactory(satuan_kerja=other.satuan_kerja, nama="TIM UNIT LAIN")
        self.langkah_lain = LangkahAksiFactory(
            indikator=IndikatorFactory(
                komponen=KomponenFactory(area=AreaPerubahanFactory(rencana=other, nomor=1))
            ),
            tim=self.tim_lain,
            bulan=[self.today.month],
        )
        self.rencana_lain = other

        def user(name: str):
            return django_user_model.objects.create_user(name, password="sandi-uji-123")

        self.users = {kind: user(kind) for kind in USER_KINDS if kind != "anonim"}
        for kind, peran in [
            ("admin", Peran.ADMIN),
            ("pimpinan", Peran.PIMPINAN),
            ("reviewer", Peran.REVIEWER),
        ]:
            PeranPengguna.objects.create(user=self.users[kind], satuan_kerja=self.unit, peran=peran)
        self.tim_a.anggota.add(self.users["anggota"])
        self.tim_b.anggota.add(self.users["anggota_lain"])
        self.tim_lain.anggota.add(self.users["unit_lain"])

    def client_for(self, kind: str):
        from django.test import Client

        client = Client()
        if kind != "anonim":
            client.force_login(self.users[kind])
        return client

    def submit(self, *, kind: str = "anggota", slot=None, files=None, tautan: str = "", pada=None):
        from evidence.services import bukti_submit
        from tests.files import pdf

        return bukti_submit(
            slot=slot or self.slot,
            files=[pdf()] if files is None else files,
            tautan=tautan,
            catatan="",
            oleh=self.users[kind],
            pada=pada,
        )


@pytest.fixture
def world(db, django_user_model):
    return World(django_user_model)
