"""The shared cache (ZI_CACHE_URL): Django's RedisCache against the real Redis on
127.0.0.1:6379, chosen by the environment; entries keyed by revisions, so a server never
serves numbers older than the database; clear() keeps to its own keys; every entry
expires; a Redis that stops answering makes pages slower, not broken."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
import redis
from django.core.cache import caches

from evidence.enums import StatusBukti
from evidence.services import bukti_review
from tests.conftest import ROOT, disconnect_caches, redis_cache_settings
from zi_tracker.cache import RedisCache

SHOW_CACHES = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'caches': settings.CACHES, 'prefix': settings.ZI_CACHE_PREFIX, "
    "'sessions': settings.SESSION_ENGINE}))"
)


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    """The production settings module as a new process reads them from ``env``."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZI_CACHE", "DATABASE"))}
    return subprocess.run(
        [sys.executable, "-c", SHOW_CACHES],
        env={**base, "DJANGO_SETTINGS_MODULE": "zi_tracker.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _caches_for(env: dict[str, str]) -> dict:
    result = _settings_with(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_memory_cache_by_default_redis_when_the_environment_says_so():
    default = _caches_for({})
    assert {c["BACKEND"] for c in default["caches"].values()} == {
        "django.core.cache.backends.locmem.LocMemCache"
    }
    shared = _caches_for({"ZI_CACHE_URL": "redis://127.0.0.1:6379/3"})
    prefix = shared["prefix"]
    assert shared["caches"]["default"]["BACKEND"] == "zi_tracker.cache.RedisCache"
    assert shared["caches"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/3"
    assert shared["caches"]["default"]["KEY_PREFIX"] == f"{prefix}:c"
    assert shared["caches"]["pages"]["KEY_PREFIX"] == f"{prefix}:p"


def test_the_prefix_names_the_database_unless_set():
    """Two data sets sharing one Redis never read each other's entries (both number their
    plans from 1, with revision 0)."""
    url = {"ZI_CACHE_URL": "redis://127.0.0.1:6379/0"}
    one = _caches_for({**url, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/satu"})
    again = _caches_for({**url, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/satu"})
    two = _caches_for({**url, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/dua"})
    assert one["prefix"] == again["prefix"] != two["prefix"]
    chosen = _caches_for({**url, "ZI_CACHE_PREFIX": "kpu-banyumas"})
    assert chosen["caches"]["default"]["KEY_PREFIX"] == "kpu-banyumas:c"


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "locmem"])
def test_a_cache_url_that_is_not_redis_is_refused_with_a_message(url):
    result = _settings_with({"ZI_CACHE_URL": url})
    assert result.returncode != 0
    assert "ZI_CACHE_URL harus alamat Redis" in result.stderr


@pytest.mark.parametrize("prefix", ["zi*", "a b", "x" * 65, "kpu:banyumas"])
def test_a_cache_prefix_with_other_characters_is_refused(prefix):
    result = _settings_with({"ZI_CACHE_URL": "redis://127.0.0.1:6379/0", "ZI_CACHE_PREFIX": prefix})
    assert result.returncode != 0
    assert "ZI_CACHE_PREFIX hanya boleh berisi" in result.stderr


def test_two_servers_read_what_the_other_wrote(redis_caches, redis_url):
    """Two app servers are two cache objects on the same Redis and prefix."""
    config = redis_cache_settings(redis_url, redis_caches)["default"]
    one = RedisCache(redis_url, {"KEY_PREFIX": config["KEY_PREFIX"]})
    two = RedisCache(redis_url, {"KEY_PREFIX": config["KEY_PREFIX"]})
    try:
        one.set("rekap:7:3", {"disetujui": 5}, 60)
        assert two.get("rekap:7:3") == {"disetujui": 5}
        two.delete("rekap:7:3")
        assert one.get("rekap:7:3") is None
    finally:
        one.disconnect()
        two.disconnect()


def test_clear_removes_only_its_own_keys(redis_caches, redis_url):
    with redis.Redis.from_url(redis_url) as client:
        _clear_keeps_to_its_keys(client, redis_caches)


def _clear_keeps_to_its_keys(client: redis.Redis, prefix: str) -> None:
    client.set("zi-uji-orang-lain:c:1:kunci", b"x", ex=60)  # another data set's entry
    client.set(f"{prefix}-huey-antrean", b"y", ex=60)  # not a cache key at all
    try:
        caches["default"].set("a", 1, 60)
        caches["pages"].set("b", 2, 60)
        caches["default"].clear()
        assert caches["default"].get("a") is None
        assert caches["pages"].get("b") == 2
        assert client.get("zi-uji-orang-lain:c:1:kunci") == b"x"
        assert client.get(f"{prefix}-huey-antrean") == b"y"
    finally:
        client.delete("zi-uji-orang-lain:c:1:kunci", f"{prefix}-huey-antrean")


def test_a_change_on_one_server_is_seen_on_the_other(redis_caches, redis_url, world):
    """The dashboard cached in Redis by one server is not what the other serves after a
    review: the review raised the plan's revision, which is in the key."""
    url = f"/rencana/{world.rencana.pk}/dasbor/"
    bukti = world.submit()
    client = world.client_for("pimpinan")
    first = client.get(url).content.decode()
    assert 'data-testid="jumlah-menunggu">1<' in first
    with redis.Redis.from_url(redis_url) as raw:
        keys = raw.keys(f"{redis_caches}:p:*dasbor*")
    assert len(keys) == 1  # the page body lives in Redis, not in this process
    bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    # "The other server": a cache object of its own on the same Redis.
    disconnect_caches()
    del caches["pages"], caches["default"]
    second = client.get(url).content.decode()
    assert 'data-testid="jumlah-menunggu">0<' in second


def test_every_entry_expires(redis_caches, redis_url, world):
    """Memory is bounded by expiry (and by Redis's maxmemory): no key without a TTL."""
    world.submit()
    for kind, url in [
        ("pimpinan", f"/rencana/{world.rencana.pk}/dasbor/"),
        ("anggota", "/tugas/"),
        ("reviewer", "/review/"),
        ("anggota", f"/langkah/{world.langkah.pk}/"),
    ]:
        assert world.client_for(kind).get(url).status_code == 200
    with redis.Redis.from_url(redis_url) as client:
        keys = list(client.scan_iter(match=f"{redis_caches}:*"))
        ttls = [client.ttl(key) for key in keys]
    assert len(keys) >= 4
    assert all(0 < ttl <= 7 * 24 * 3600 for ttl in ttls), ttls


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_redis_that_does_not_answer_is_a_miss_not_an_error(settings, world):
    settings.CACHES = redis_cache_settings(f"redis://127.0.0.1:{_closed_port()}/0", "zi-mati")
    cache = caches["default"]
    assert cache.get("x", "bawaan") == "bawaan"
    cache.set("x", 1, 60)  # skipped, no exception
    assert cache.add("y", 1, 60) is False
    assert cache.get_many(["x", "y"]) == {}
    world.submit()
    for kind, url in [
        ("pimpinan", f"/rencana/{world.rencana.pk}/dasbor/"),
        ("anggota", "/tugas/"),
        ("reviewer", "/review/"),
    ]:
        response = world.client_for(kind).get(url)
        assert response.status_code == 200, url
    assert (
        'data-testid="jumlah-menunggu">1<'
        in world.client_for("pimpinan").get(f"/rencana/{world.rencana.pk}/dasbor/").content.decode()
    )


def test_sessions_are_read_from_redis_only_when_it_is_shared():
    shared = _caches_for({"ZI_CACHE_URL": "redis://127.0.0.1:6379/3"})
    default = _caches_for({})
    # With per-process memory caches a logout would leave the session cached elsewhere.
    assert shared["sessions"] == "zi_tracker.sessions"
    assert default["sessions"] == "django.contrib.sessions.backends.db"


def test_a_session_in_redis_saves_a_query_and_ends_with_logout(
    redis_caches, redis_url, settings, world
):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from zi_tracker.sessions import CACHED_SECONDS

    settings.SESSION_ENGINE = "zi_tracker.sessions"
    client = world.client_for("anggota")
    key = client.session.session_key

    def cached() -> list[bytes]:
        with redis.Redis.from_url(redis_url) as raw:
            found = [k for k in raw.scan_iter(match=f"{redis_caches}:*") if key.encode() in k]
            # Cached for minutes, not for the session's whole working day.
            assert all(0 < raw.ttl(k) <= CACHED_SECONDS for k in found)
            return found

    assert client.get("/tugas/").status_code == 200
    assert len(cached()) == 1
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tugas/").status_code == 200
    assert queries.captured_queries
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
    assert Session.objects.filter(session_key=key).exists()  # the database keeps the record
    assert client.post(reverse("logout")).status_code == 302
    assert cached() == []
    assert not Session.objects.filter(session_key=key).exists()
    # The ended session's cookie no longer opens a page.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get("/tugas/").status_code == 302


def test_one_redis_client_per_connection_pool(redis_caches):
    """Not a new redis.Redis for every operation (Django's default): the same client,
    shared by the threads, its connections from the pool."""
    import threading

    cache = caches["default"]
    cache.set("a", 1, 60)
    client = cache._cache.get_client(write=True)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(cache._cache.get_client(write=False)))
    thread.start()
    thread.join()
    assert seen == [client]
    assert cache.get("a") == 1 and cache.get_many(["a", "b"]) == {"a": 1}
