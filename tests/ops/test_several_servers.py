"""Several app servers for real: two gunicorn instances behind the least-connections proxy,
sharing the database, Redis (the caches) and an S3 server (the evidence). What one
instance stores, the other serves; one instance killed mid-run, the other goes on and
nothing is lost. And the load test with two instances, one killed, accounts for every
upload."""

from __future__ import annotations

import hashlib
import http.client
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command

from evidence.models import BerkasBukti, Bukti
from tests import files
from zi_tracker.devtools import loadtest
from zi_tracker.devtools.loadtest import _session, upload_body
from zi_tracker.devtools.proxy import Proxy
from zi_tracker.ops.serving import Server
from zi_tracker.ops.verify_storage import check_storage

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("production"),
    pytest.mark.django_db(transaction=True),
]


def _request(
    port: int, method: str, path: str, cookie: str, body: bytes = b"", ctype: str = ""
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    if ctype:
        headers["Content-Type"] = ctype
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return 0, {}, b""
    finally:
        conn.close()


def _upload(port: int, cookie: str, langkah: int, bulan: int, pdf: bytes) -> int:
    ctype, body = upload_body(bulan, pdf)
    return _request(port, "POST", f"/langkah/{langkah}/unggah/", cookie, body, ctype)[0]


def test_two_instances_share_database_cache_and_store_and_survive_losing_one(
    live, s3_storage, redis_caches, production_static
):
    world = live
    dasbor = f"/rencana/{world.rencana.pk}/dasbor/"
    with (
        Server(workers=1, threads=4, static_root=production_static) as one,
        Server(
            workers=1, threads=4, static_root=production_static, secret_key=one.secret_key
        ) as two,
        Proxy([one.port, two.port]) as proxy,
    ):
        member = _session(world.users["anggota"], one.secret_key)
        leader = _session(world.users["pimpinan"], one.secret_key)
        # Both instances use the same Redis prefix as this test (its caches).
        assert one.env()["ZI_CACHE_PREFIX"] == two.env()["ZI_CACHE_PREFIX"] == redis_caches
        # A session made for one instance is good on the other.
        for server in (one, two):
            assert server.get("/tugas/", member)[0] == 200
        # The second instance has the dashboard in the shared cache...
        status, _, page = _request(two.port, "GET", dasbor, leader)
        assert status == 200 and b'data-testid="jumlah-menunggu">0<' in page
        # ...an upload on the first...
        pdf = files.pdf(size=120_000).read()
        assert _upload(one.port, member, world.langkah.pk, world.today.month, pdf) == 302
        berkas = BerkasBukti.objects.get()
        assert s3_storage.exists(berkas.lokasi)
        # ...is counted by both at once (the plan's revision, in the key, moved) and the
        # file is downloadable through the second.
        for server in (one, two):
            status, _, page = _request(server.port, "GET", dasbor, leader)
            assert status == 200 and b'data-testid="jumlah-menunggu">1<' in page
        status, headers, _ = _request(two.port, "GET", f"/berkas/{berkas.pk}/unduh/", member)
        assert status == 302
        with urllib.request.urlopen(headers["Location"], timeout=30) as signed:
            assert hashlib.sha256(signed.read()).hexdigest() == berkas.sha256

        # Through the proxy, requests go to both instances in turn.
        statuses = [_request(proxy.port, "GET", dasbor, leader)[0] for _ in range(6)]
        assert statuses == [200] * 6
        assert proxy.served[one.port] >= 3 and proxy.served[two.port] >= 3

        # One instance dies: every following request is answered by the other.
        two.kill()
        statuses = [_request(proxy.port, "GET", dasbor, leader)[0] for _ in range(10)]
        assert statuses == [200] * 10
        assert proxy.refused[two.port] >= 1
        assert _upload(proxy.port, member, world.langkah.pk, world.today.month - 1 or 2, pdf) == 302
        status, _, page = _request(proxy.port, "GET", dasbor, leader)
        assert b'data-testid="jumlah-menunggu">2<' in page

    # Nothing lost: two uploads, two records, two objects, each with its hash.
    assert Bukti.objects.count() == BerkasBukti.objects.count() == 2
    report = check_storage()
    assert report.ok and report.files == 2, report


def test_the_load_test_with_two_instances_one_killed_accounts_for_every_upload(
    transactional_db, settings, s3_storage, redis_caches
):
    settings.DEBUG = True
    call_command("generate_demo_data", units=2, years=1, stdout=StringIO())
    report = loadtest.run(
        users=8,
        seconds=10,
        units=2,
        workers=1,
        threads=4,
        instances=2,
        faults=loadtest.Faults(kill_instance_at=4),
    )
    assert report["instance_killed"][0] >= 4
    served, refused = report["proxy"]["served"], report["proxy"]["refused"]
    assert served[0] > 0 and served[1] > 0 and refused[1] > 0
    # The survivor answered: the health check after the run and most requests.
    assert report["health_after"] == 200
    assert report["total"]["errors_500"] == 0
    cut_off = report["total"]["failed_connections"] + report["total"]["errors_5xx"]
    assert cut_off <= 8 * 2  # at most the requests in flight when the instance died
    assert report["uploads_accepted"] > 0
    accepted, records = report["uploads_accepted"], report["new_records"]
    assert accepted <= records <= accepted + report["uploads_interrupted"]
    assert report["files_bad"] == []
    assert len(report["orphans"]) <= report["uploads_interrupted"]
    # The files it wrote are in the bucket, and only those were counted.
    assert report["files_written"] >= records
