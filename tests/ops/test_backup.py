"""backup and restore: everything comes back, checksums equal; refusals change nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from actionplan.models import RencanaAksi
from evidence.enums import StatusBukti
from evidence.models import BerkasBukti
from evidence.services import bukti_review
from tests import files
from zi_tracker.ops.backup import EXCLUDE

pytestmark = pytest.mark.django_db(transaction=True)


def _content() -> list[dict]:
    """Everything the backup promises to keep, comparable across databases: every row of
    every model (primary keys included), the plans' revisions left out (a cache key that
    a restore raises on purpose)."""
    from django.apps import apps

    models = [
        m
        for m in apps.get_models()
        if not any(
            m._meta.label_lower == e or m._meta.label_lower.startswith(e + ".") for e in EXCLUDE
        )
    ]
    rows = json.loads(
        serializers.serialize(
            "json",
            [o for m in models for o in m._default_manager.order_by("pk")],
            use_natural_foreign_keys=True,
        )
    )
    for row in rows:
        row["fields"].pop("revisi", None)
        row["fields"].pop("revisi_rencana", None)
    return rows


def _checksums(media: Path) -> dict[str, str]:
    return {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (media / "bukti").rglob("*")
        if p.is_file()
    }


@pytest.fixture
def filled(transactional_db, django_user_model, banyumas_world):
    return banyumas_world


@pytest.fixture
def banyumas_world(django_user_model):
    return fill(django_user_model)


def fill(django_user_model):
    """A world with two versions (one returned, one approved), three files and a link."""
    from tests.conftest import World

    world = World(django_user_model)
    first = world.submit(files=[files.pdf("undangan.pdf"), files.png("foto.png")])
    bukti_review(
        bukti=first,
        oleh=world.users["reviewer"],
        keputusan=StatusBukti.DIKEMBALIKAN,
        catatan="Kurang",
    )
    second = world.submit(files=[files.pdf("undangan-baru.pdf")], tautan="https://kpu.go.id/x")
    bukti_review(
        bukti=second, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    return world


def _empty_installation(settings, tmp_path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "media-baru"


def test_backup_and_restore_give_back_everything(filled, settings, tmp_path):
    before, sums = _content(), _checksums(Path(settings.MEDIA_ROOT))
    assert len(sums) == 3
    archive = tmp_path / "cadangan.tar.gz"
    out = StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert "3 berkas bukti" in out.getvalue()

    _empty_installation(settings, tmp_path)
    assert RencanaAksi.objects.count() == 0
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "3 berkas bukti" in out.getvalue()
    assert _content() == before
    assert _checksums(Path(settings.MEDIA_ROOT)) == sums
    assert BerkasBukti.objects.count() == 3
    # The restored installation works: a member logs in with the old password, the
    # evidence files verify against their records.
    from django.test import Client

    login = Client().post("/masuk/", {"username": "anggota", "password": "sandi-uji-123"})
    assert login.status_code == 302
    call_command("verify_storage", stdout=StringIO())


def test_restore_refuses_a_non_empty_installation(filled, settings, tmp_path):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", "-o", str(archive), stdout=StringIO())
    before = _content()
    with pytest.raises(CommandError, match="instalasi kosong"):
        call_command("restore", str(archive), stdout=StringIO())
    assert _content() == before


def _rewrite(archive: Path, target: Path, change) -> None:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            member, data = change(member, data)
            if member is not None:
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m, d: (m, d[:-1] + b"X") if m.name.startswith("media/") else (m, d), "rusak"),
        (lambda m, d: (None, d) if m.name.startswith("media/") else (m, d), "tidak lengkap"),
        (
            lambda m, d: (
                (tarfile.TarInfo("media/bukti/../../luar.pdf"), d)
                if m.name.startswith("media/")
                else (m, d)
            ),
            "tidak sah",
        ),
    ],
    ids=["file-changed", "file-missing", "path-traversal"],
)
def test_a_damaged_archive_restores_nothing(filled, settings, tmp_path, change, message):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", "-o", str(archive), stdout=StringIO())
    damaged = tmp_path / "rusak.tar.gz"
    _rewrite(archive, damaged, change)
    _empty_installation(settings, tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damaged), stdout=StringIO())
    assert RencanaAksi.objects.count() == 0 and BerkasBukti.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    # No file is left (rglob finds nothing where the folder was never made).
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert not (tmp_path / "luar.pdf").exists()


def test_a_truncated_or_foreign_file_is_refused(filled, settings, tmp_path):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", "-o", str(archive), stdout=StringIO())
    truncated = tmp_path / "potong.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "bukan.tar.gz"
    foreign.write_bytes(b"bukan arsip")
    _empty_installation(settings, tmp_path)
    for path in (truncated, foreign, tmp_path / "tidak-ada.tar.gz"):
        with pytest.raises(CommandError):
            call_command("restore", str(path), stdout=StringIO())
        assert RencanaAksi.objects.count() == 0


def test_backup_refuses_when_a_file_is_missing_and_leaves_no_archive(filled, settings, tmp_path):
    stored = BerkasBukti.objects.first()
    (Path(settings.MEDIA_ROOT) / stored.lokasi).unlink()
    archive = tmp_path / "cadangan.tar.gz"
    with pytest.raises(CommandError, match="hilang"):
        call_command("backup", "-o", str(archive), stdout=StringIO())
    assert not archive.exists()
    assert list(tmp_path.glob("*.part")) == []
