"""verify_storage, backup and restore on S3-compatible object storage (moto's server on
127.0.0.1, tests/conftest.py ``s3_server``; a fresh bucket per test)."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actionplan.models import RencanaAksi
from evidence.models import BerkasBukti
from evidence.storage import evidence_storage
from tests import files
from tests.ops.test_backup import _content, _rewrite, fill
from zi_tracker.devtools.s3server import apply_to_settings, client, create_bucket


def _verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_storage", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def _checksums(s3_server, bucket: str) -> dict[str, str]:
    s3 = client(s3_server)
    return {
        o["Key"]: hashlib.sha256(
            s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        ).hexdigest()
        for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    }


@pytest.mark.django_db
def test_verify_storage_on_s3_finds_missing_changed_and_orphan_objects(
    world, s3_storage, s3_server, clock
):
    world.submit(files=[files.pdf("a.pdf"), files.pdf("b.pdf"), files.pdf("c.pdf"), files.png()])
    code, out = _verify()
    assert code == 0, out
    assert "4 catatan, 4 berkas" in out and "0 hilang" in out and "0 yatim" in out

    s3, bucket = client(s3_server), s3_storage.bucket_name
    a, b, c, _png = BerkasBukti.objects.order_by("nama_asli")
    s3.delete_object(Bucket=bucket, Key=a.lokasi)  # missing
    body = s3.get_object(Bucket=bucket, Key=b.lokasi)["Body"].read()
    s3.put_object(Bucket=bucket, Key=b.lokasi, Body=body + b"x")  # size changed
    data = bytearray(s3.get_object(Bucket=bucket, Key=c.lokasi)["Body"].read())
    data[10] ^= 0xFF
    s3.put_object(Bucket=bucket, Key=c.lokasi, Body=bytes(data))  # same size, other bytes
    s3.put_object(Bucket=bucket, Key="bukti/zz/yatim.pdf", Body=b"%PDF-1.4\n%%EOF\n")
    s3.put_object(Bucket=bucket, Key="lain/bukan-bukti.txt", Body=b"x")  # outside bukti/
    code, out = _verify()
    assert code == 1
    assert f"HILANG   berkas #{a.pk}" in out
    assert f"UKURAN   berkas #{b.pk}" in out
    assert f"SHA-256  berkas #{c.pk}" in out
    assert "YATIM    bukti/zz/yatim.pdf" in out and "bukan-bukti" not in out
    code, out = _verify("--tanpa-hash")
    assert code == 1 and "SHA-256  berkas" not in out

    # A young orphan stays (its upload may still be committing); an hour later it goes.
    code, out = _verify("--hapus-yatim", "--umur-menit", "60")
    assert "0 berkas yatim dihapus" in out
    clock.shift(datetime.timedelta(hours=2))
    code, out = _verify("--hapus-yatim", "--umur-menit", "60")
    assert "1 berkas yatim dihapus" in out and "0 yatim" in out
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert "bukti/zz/yatim.pdf" not in keys and c.lokasi in keys  # records' objects kept


@pytest.fixture
def filled_s3(transactional_db, django_user_model, s3_storage):
    return fill(django_user_model)


def _empty_s3_installation(s3_server, settings) -> str:
    call_command("flush", interactive=False, verbosity=0)
    bucket = f"zi-bukti-{uuid.uuid4().hex[:12]}"
    create_bucket(s3_server, bucket)
    apply_to_settings(s3_server, settings, bucket=bucket)
    return bucket


def test_backup_and_restore_on_s3_give_back_everything(filled_s3, s3_server, settings, tmp_path):
    old_bucket = settings.AWS_STORAGE_BUCKET_NAME
    before, sums = _content(), _checksums(s3_server, old_bucket)
    assert len(sums) == 3
    archive = tmp_path / "cadangan.tar.gz"
    out = StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert "3 berkas bukti" in out.getvalue()

    new_bucket = _empty_s3_installation(s3_server, settings)
    assert RencanaAksi.objects.count() == 0
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "3 berkas bukti" in out.getvalue()
    assert _content() == before
    assert _checksums(s3_server, new_bucket) == sums
    code, out = _verify()
    assert code == 0, out


def test_restore_on_s3_refuses_a_bucket_with_evidence_and_a_damaged_archive_leaves_none(
    filled_s3, s3_server, settings, tmp_path
):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", "-o", str(archive), stdout=StringIO())
    # The same bucket, database emptied: the objects are still there, so it is refused.
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match=r"s3://zi-bukti-\w+/bukti/"):
        call_command("restore", str(archive), stdout=StringIO())

    # A new bucket and an archive whose last file is damaged: nothing is left behind.
    damaged = tmp_path / "rusak.tar.gz"
    names = []

    def change(member, data):
        if member.name.startswith("media/"):
            names.append(member.name)
            if len(names) == 3:
                return member, data[:-1] + b"X"
        return member, data

    _rewrite(archive, damaged, change)
    new_bucket = _empty_s3_installation(s3_server, settings)
    with pytest.raises(CommandError, match="rusak"):
        call_command("restore", str(damaged), stdout=StringIO())
    assert RencanaAksi.objects.count() == 0 and BerkasBukti.objects.count() == 0
    assert _checksums(s3_server, new_bucket) == {}


def test_backup_on_s3_refuses_when_an_object_is_missing(filled_s3, s3_server, tmp_path):
    stored = BerkasBukti.objects.first()
    evidence_storage().delete(stored.lokasi)
    archive = tmp_path / "cadangan.tar.gz"
    with pytest.raises(CommandError, match="hilang"):
        call_command("backup", "-o", str(archive), stdout=StringIO())
    assert not archive.exists()
