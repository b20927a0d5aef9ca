"""verify_storage, and what an interrupted or failing write leaves behind."""

from __future__ import annotations

import os
import subprocess
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence.models import BerkasBukti, Bukti
from tests import files

pytestmark = pytest.mark.django_db


def _verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_storage", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_verify_storage_passes_on_a_sound_store(world, settings):
    world.submit(files=[files.pdf(), files.png()])
    code, out = _verify()
    assert code == 0
    assert "2 catatan, 2 berkas" in out and "0 hilang" in out and "0 yatim" in out


def test_verify_storage_finds_missing_changed_and_orphan_files(world, settings):
    bukti = world.submit(files=[files.pdf("a.pdf"), files.pdf("b.pdf"), files.pdf("c.pdf")])
    media = Path(settings.MEDIA_ROOT)
    a, b, c = bukti.berkas.order_by("nama_asli")
    (media / a.lokasi).unlink()  # missing
    (media / b.lokasi).write_bytes((media / b.lokasi).read_bytes() + b"x")  # size changed
    data = bytearray((media / c.lokasi).read_bytes())
    data[10] ^= 0xFF
    (media / c.lokasi).write_bytes(bytes(data))  # same size, other content
    orphan = media / "bukti" / "zz" / "yatim.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    partial = media / "bukti" / "zz" / ".setengah.pdf.part"
    partial.write_bytes(b"%PDF")
    code, out = _verify()
    assert code == 1
    assert f"HILANG   berkas #{a.pk}" in out
    assert f"UKURAN   berkas #{b.pk}" in out
    assert f"SHA-256  berkas #{c.pk}" in out
    assert "YATIM    bukti/zz/yatim.pdf" in out and "YATIM    bukti/zz/.setengah.pdf.part" in out
    # Size-only mode misses the same-size change, by design.
    code, out = _verify("--tanpa-hash")
    assert code == 1 and "SHA-256  berkas" not in out


def test_old_orphans_are_removed_on_request_young_ones_kept(world, settings):
    media = Path(settings.MEDIA_ROOT)
    old = media / "bukti" / "zz" / "lama.pdf"
    young = media / "bukti" / "zz" / "baru.pdf"
    old.parent.mkdir(parents=True)
    for path in (old, young):
        path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    code, out = _verify("--hapus-yatim", "--umur-menit", "60")
    assert "1 berkas yatim dihapus" in out
    assert not old.exists() and young.exists()
    assert code == 1  # the young orphan is still reported


def _can_mount() -> bool:
    return os.geteuid() == 0 and Path("/bin/mount").exists()


def test_a_full_disk_gives_a_clear_error_and_leaves_nothing(world, settings, tmp_path):
    """A real full file system: a 1 MB tmpfs as MEDIA_ROOT, and a 2 MB upload."""
    if not _can_mount():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs root and mount for the full-disk test")
        pytest.skip("needs root to mount a small tmpfs")
    media = tmp_path / "kecil"
    media.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(media)], check=True)
    try:
        settings.MEDIA_ROOT = media
        big = files.pdf("besar.pdf", size=2_000_000)
        response = world.client_for("anggota").post(
            reverse("bukti-unggah", args=[world.langkah.pk]),
            {"bulan": world.today.month, "berkas": [big]},
        )
        assert response.status_code == 200
        assert "Ruang penyimpanan server penuh" in response.content.decode()
        assert Bukti.objects.count() == 0 and BerkasBukti.objects.count() == 0
        leftovers = [p for p in media.rglob("*") if p.is_file()]
        assert leftovers == []
    finally:
        subprocess.run(["umount", str(media)], check=True)
