"""The evidence life cycle against a real S3-protocol server (moto's server mode on
127.0.0.1, tests/conftest.py ``s3_server``): every request goes over HTTP with
signatures, as it would to MinIO or a cloud. Each test gets its own empty bucket."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from evidence.enums import StatusBukti
from evidence.models import BerkasBukti, Bukti
from evidence.services import bukti_withdraw
from evidence.storage_s3 import PART, EvidenceS3Storage
from tests import files
from zi_tracker.devtools.s3server import client

pytestmark = pytest.mark.django_db


def _objects(s3_server, storage) -> dict[str, bytes]:
    """Every object of the test's bucket, with its bytes, read with boto3 directly."""
    s3 = client(s3_server)
    listed = s3.list_objects_v2(Bucket=storage.bucket_name).get("Contents", [])
    return {
        o["Key"]: s3.get_object(Bucket=storage.bucket_name, Key=o["Key"])["Body"].read()
        for o in listed
    }


def _post(world, *, kind="anggota", **data):
    payload = {"bulan": world.today.month, "tautan": "", "catatan": "", **data}
    return world.client_for(kind).post(reverse("bukti-unggah", args=[world.langkah.pk]), payload)


def _fetch(url: str) -> tuple[int, Message, bytes]:
    """GET ``url`` from the S3 server, as a browser following the redirect would."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_upload_is_stored_as_a_private_object_with_its_hash(
    world, s3_storage, s3_server, _media_root
):
    data = files.pdf_bytes("Daftar hadir apel")
    response = _post(world, berkas=[files.upload("Daftar Hadir.pdf", data), files.png("foto.png")])
    assert response.status_code == 302
    assert isinstance(s3_storage, EvidenceS3Storage)
    pdf, png = BerkasBukti.objects.order_by("pk")
    stored = _objects(s3_server, s3_storage)
    assert set(stored) == {pdf.lokasi, png.lokasi}
    assert stored[pdf.lokasi] == data
    assert pdf.sha256 == hashlib.sha256(data).hexdigest() and pdf.ukuran == len(data)
    assert png.sha256 == hashlib.sha256(stored[png.lokasi]).hexdigest()
    assert pdf.lokasi.startswith("bukti/") and "Daftar" not in pdf.lokasi
    assert not (_media_root / "bukti").exists()  # nothing written locally
    # Private: only the owner is granted anything, and an unsigned request is refused.
    s3 = client(s3_server)
    grants = s3.get_object_acl(Bucket=s3_storage.bucket_name, Key=pdf.lokasi)["Grants"]
    assert [g["Grantee"]["Type"] for g in grants] == ["CanonicalUser"]
    head = s3.head_object(Bucket=s3_storage.bucket_name, Key=pdf.lokasi)
    assert head["ContentType"] == "application/pdf"
    assert head["ContentDisposition"] == "attachment"
    status, _headers, _body = _fetch(
        f"{s3_server['AWS_S3_ENDPOINT_URL']}/{s3_storage.bucket_name}/{pdf.lokasi}"
    )
    assert status == 403


def test_download_redirects_to_a_short_lived_signed_url_with_safe_headers(world, s3_storage):
    """The URL carries a 60-second Signature V4 over the object and the response headers
    (moto's server does not enforce signatures or expiry; MinIO, Ceph and S3 do)."""
    data = files.image_bytes("JPEG")
    bukti = world.submit(files=[files.upload("Foto Rapat Café.jpg", data)])
    berkas = bukti.berkas.get()
    response = world.client_for("pimpinan").get(reverse("berkas-unduh", args=[berkas.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    url = response["Location"]
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    status, headers, body = _fetch(url)
    assert status == 200
    assert body == data
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''Foto%20Rapat%20Caf%C3%A9.jpg"
    )
    assert headers["Cache-Control"] == "private, no-store"


def test_download_streams_through_the_app_when_asked(world, s3_storage, settings):
    settings.ZI_EVIDENCE_S3_DOWNLOAD = "stream"
    data = files.pdf_bytes("Notulen rapat")
    bukti = world.submit(files=[files.upload("Notulen Rapat.pdf", data)])
    response = world.client_for("reviewer").get(
        reverse("berkas-unduh", args=[bukti.berkas.get().pk])
    )
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Notulen Rapat.pdf"'
    assert response["Content-Length"] == str(len(data))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_streamed_download_of_a_missing_object_is_not_found(world, s3_storage, settings):
    settings.ZI_EVIDENCE_S3_DOWNLOAD = "stream"
    berkas = world.submit().berkas.get()
    s3_storage.delete(berkas.lokasi)
    response = world.client_for("anggota").get(reverse("berkas-unduh", args=[berkas.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("mode", ["redirect", "stream"])
def test_a_stranger_gets_no_file_and_no_url(world, s3_storage, settings, mode):
    settings.ZI_EVIDENCE_S3_DOWNLOAD = mode
    berkas = world.submit().berkas.get()
    url = reverse("berkas-unduh", args=[berkas.pk])
    outsider = world.client_for("unit_lain").get(url)
    assert outsider.status_code == 404  # another unit's evidence does not exist for them
    anonymous = world.client_for("anonim").get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
    for response in (outsider, anonymous):
        leaked = b"".join(response.streaming_content) if response.streaming else response.content
        text = leaked.decode() + str(response.headers)
        assert "X-Amz" not in text and s3_storage.bucket_name not in text
        assert berkas.lokasi not in text


def test_a_bad_file_leaves_no_object_and_no_row(world, s3_storage, s3_server):
    response = _post(
        world, berkas=[files.pdf("baik.pdf"), files.upload("palsu.pdf", b"MZ\x90\x00 bukan pdf")]
    )
    assert response.status_code == 200
    assert "palsu.pdf" in response.content.decode()
    assert Bukti.objects.count() == 0 and BerkasBukti.objects.count() == 0
    assert _objects(s3_server, s3_storage) == {}


def test_a_failure_after_the_first_object_removes_it(world, s3_storage, s3_server, monkeypatch):
    import evidence.services as services

    real_store = services.store
    calls = []

    def failing_store(item):
        calls.append(item)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        return real_store(item)

    monkeypatch.setattr(services, "store", failing_store)
    with pytest.raises(OSError):
        world.submit(files=[files.pdf("a.pdf"), files.pdf("b.pdf")])
    assert Bukti.objects.count() == 0
    assert _objects(s3_server, s3_storage) == {}


def test_an_unreachable_store_gives_a_clear_message_and_changes_nothing(world, s3_storage):
    s3_storage.bucket_name = "ember-yang-tidak-ada"  # this storage instance only
    s3_storage._bucket = None
    response = _post(world, berkas=[files.pdf("undangan.pdf")])
    assert response.status_code == 200
    assert "Penyimpanan bukti sedang tidak dapat dihubungi" in response.content.decode()
    assert Bukti.objects.count() == 0 and BerkasBukti.objects.count() == 0


def test_a_large_upload_goes_up_in_parts_never_whole_in_memory(
    world, s3_storage, s3_server, settings, monkeypatch
):
    """20 MB (the default limit) arrives in a temporary file (over 2.5 MB), is read in
    pieces of at most one part (8 MiB) and sent as a multipart upload."""
    from evidence.storage import HashingReader

    largest = []
    real_read = HashingReader.read

    def read(self, n=-1):
        data = real_read(self, n)
        largest.append(len(data))
        return data

    monkeypatch.setattr(HashingReader, "read", read)
    size = settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024
    upload = files.pdf("besar.pdf", size=size)
    response = _post(world, berkas=[upload])
    assert response.status_code == 302
    berkas = BerkasBukti.objects.get()
    assert berkas.ukuran == size
    assert max(largest) <= PART
    head = client(s3_server).head_object(Bucket=s3_storage.bucket_name, Key=berkas.lokasi)
    assert head["ContentLength"] == size
    assert head["ETag"].strip('"').endswith("-3")  # 8 + 8 + 4 MiB: a multipart upload
    upload.seek(0)
    assert berkas.sha256 == hashlib.sha256(upload.read()).hexdigest()


def test_a_file_of_up_to_one_part_goes_up_in_one_put_without_a_transfer_manager(
    world, s3_storage, s3_server, monkeypatch
):
    from storages.backends.s3 import S3Storage

    def no_transfer(self, name, content):
        raise AssertionError("s3transfer used for a small file")

    monkeypatch.setattr(S3Storage, "_save", no_transfer)
    data = files.pdf_bytes("Notulen rapat")
    assert _post(world, berkas=[files.upload("notulen.pdf", data)]).status_code == 302
    berkas = BerkasBukti.objects.get()
    head = client(s3_server).head_object(Bucket=s3_storage.bucket_name, Key=berkas.lokasi)
    assert "-" not in head["ETag"]  # one PUT
    assert head["ContentType"] == "application/pdf"
    assert head["ContentDisposition"] == "attachment"
    assert head["CacheControl"] == "private, no-store"
    assert _objects(s3_server, s3_storage)[berkas.lokasi] == data


@pytest.mark.parametrize(
    ("size", "hint", "parts"),
    [(PART, PART, 0), (PART + 1, PART + 1, 2), (PART, None, 1), (PART + 1, None, 2)],
)
def test_the_part_boundary(s3_storage, s3_server, monkeypatch, size, hint, parts):
    """A stream known to hold at most one part goes up in one PUT without s3transfer; one
    byte more, or a stream of unknown size, through s3transfer (which cannot tell a full
    part from the end before reading on: one part of unknown size is a multipart upload
    of one part)."""
    from django.core.files import File
    from storages.backends.s3 import S3Storage

    from evidence.storage import HashingReader

    through_s3transfer = []
    real_save = S3Storage._save

    def spy(self, name, content):
        through_s3transfer.append(name)
        return real_save(self, name, content)

    monkeypatch.setattr(S3Storage, "_save", spy)
    data = bytes(range(256)) * (size // 256) + b"z" * (size % 256)
    reader = HashingReader(
        (data[i : i + 1_000_000] for i in range(0, size, 1_000_000)), size_hint=hint
    )
    name = f"bukti/zz/batas-{size}.pdf"
    assert s3_storage.save(name, File(reader, name)) == name
    assert reader.size == size and reader.sha256 == hashlib.sha256(data).hexdigest()
    head = client(s3_server).head_object(Bucket=s3_storage.bucket_name, Key=name)
    etag = head["ETag"].strip('"')
    assert etag.endswith(f"-{parts}") if parts else "-" not in etag
    assert _objects(s3_server, s3_storage)[name] == data
    assert bool(through_s3transfer) == (hint is None or hint > PART)


def test_withdrawal_and_replacement_keep_every_version_downloadable(world, s3_storage, s3_server):
    first = world.submit(files=[files.pdf("v1.pdf", "versi satu")])
    bukti_withdraw(bukti=first, oleh=world.users["anggota"])
    second = world.submit(files=[files.pdf("v2.pdf", "versi dua")])
    third = world.submit(files=[files.pdf("v3.pdf", "versi tiga")])  # replaces the waiting v2
    statuses = dict(Bukti.objects.values_list("versi", "status"))
    assert statuses == {1: StatusBukti.DITARIK, 2: StatusBukti.DIGANTIKAN, 3: StatusBukti.DIAJUKAN}
    stored = _objects(s3_server, s3_storage)
    assert len(stored) == 3
    client_ = world.client_for("anggota")
    for bukti in (first, second, third):
        berkas = bukti.berkas.get()
        assert hashlib.sha256(stored[berkas.lokasi]).hexdigest() == berkas.sha256
        response = client_.get(reverse("berkas-unduh", args=[berkas.pk]))
        status, _headers, body = _fetch(response["Location"])
        assert status == 200 and body == stored[berkas.lokasi]


def test_previews_are_drawn_from_the_object(world, s3_storage):
    bukti = world.submit(files=[files.pdf("undangan.pdf"), files.png("foto.png")])
    client_ = world.client_for("reviewer")
    for berkas in bukti.berkas.all():
        page = client_.get(reverse("berkas-pratinjau", args=[berkas.pk]))
        assert page.status_code == 200
        image = client_.get(reverse("berkas-pratinjau-gambar", args=[berkas.pk]))
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_factory_files_land_in_the_bucket(world, s3_storage, s3_server):
    from tests.factories import BerkasBuktiFactory

    berkas = BerkasBuktiFactory(isi=files.pdf_bytes("dari pabrik"))
    assert _objects(s3_server, s3_storage)[berkas.lokasi] == files.pdf_bytes("dari pabrik")


def _settings(**env: str):
    """The real settings module imported in a fresh interpreter with ``env``."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "from evidence.storage import evidence_storage as s; e = s(); "
        "print(json.dumps([type(e).__name__, e.bucket_name, e.endpoint_url, e.region_name, "
        "e.access_key, e.default_acl, e.querystring_expire, settings.ZI_EVIDENCE_S3_DOWNLOAD]))"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "AWS_", "ZI_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**clean, "DJANGO_SETTINGS_MODULE": "zi_tracker.settings", **env},
    )
    return (
        result.returncode,
        (json.loads(result.stdout) if result.returncode == 0 else None),
        result.stderr,
    )


S3_ENV = {
    "ZI_EVIDENCE_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "bukti-kpu",
    "AWS_S3_ENDPOINT_URL": "http://minio.kantor:9000",
    "AWS_ACCESS_KEY_ID": "kunci",
    "AWS_SECRET_ACCESS_KEY": "rahasia",
    "AWS_S3_REGION_NAME": "id-jkt-1",
}


def test_the_environment_selects_and_configures_the_s3_store():
    code, values, err = _settings(**S3_ENV, ZI_EVIDENCE_S3_DOWNLOAD="stream")
    assert code == 0, err
    assert values == [
        "EvidenceS3Storage",
        "bukti-kpu",
        "http://minio.kantor:9000",
        "id-jkt-1",
        "kunci",
        None,  # no ACL sent: the bucket's own (private) applies
        60,
        "stream",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"AWS_STORAGE_BUCKET_NAME": ""}, "AWS_STORAGE_BUCKET_NAME wajib diisi"),
        ({"ZI_EVIDENCE_STORAGE": "ftp"}, "ZI_EVIDENCE_STORAGE harus"),
        ({"ZI_EVIDENCE_S3_DOWNLOAD": "tautan"}, "ZI_EVIDENCE_S3_DOWNLOAD harus"),
        (
            {"ZI_X_ACCEL_PREFIX": "/_bukti/"},
            "ZI_X_ACCEL_PREFIX hanya untuk penyimpanan bukti lokal",
        ),
    ],
)
def test_a_wrong_storage_setting_stops_the_app_with_a_clear_message(change, message):
    code, _values, err = _settings(**{**S3_ENV, **change})
    assert code != 0 and message in err
