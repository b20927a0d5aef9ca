"""The evidence store checked against the database: every file record has its file with
the recorded size and SHA-256, and every file in the store belongs to a record.

Files are written under a temporary ``.name.part`` name, renamed when complete, and only
then is the record committed (evidence.files.store, evidence.services.bukti_submit). So a
process killed mid-upload can leave only a ``.part`` file, or a complete file whose record
was never committed: both show here as orphans, and ``remove_orphans`` deletes those old
enough that no upload can still be finishing them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from evidence.files import CHUNK, evidence_root
from evidence.models import BerkasBukti


@dataclass
class StorageReport:
    records: int = 0
    files: int = 0
    bytes: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)  # (record id, path)
    wrong_size: list[tuple[int, str, int, int]] = field(default_factory=list)
    wrong_hash: list[tuple[int, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # relative paths, .part included

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong_size or self.wrong_hash or self.orphans)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_storage(*, hashes: bool = True) -> StorageReport:
    """Every record against its file (presence, size, and SHA-256 unless ``hashes`` is
    off), then every file in the store against the records. Reads records in batches."""
    media = Path(settings.MEDIA_ROOT)
    report = StorageReport()
    # The files first, then the records: a file written while this runs is either not
    # listed, or listed with its record committed by the time the records are read (a
    # file is complete and renamed before its record is committed).
    stored: dict[str, int] = {}
    root = evidence_root()
    if root.exists():
        for path in root.rglob("*"):
            if path.is_file():
                stored[path.relative_to(media).as_posix()] = path.stat().st_size
    report.files, report.bytes = len(stored), sum(stored.values())
    known: set[str] = set()
    records = BerkasBukti.objects.order_by("pk").values_list("pk", "lokasi", "ukuran", "sha256")
    for pk, lokasi, ukuran, sha256 in records.iterator(chunk_size=2000):
        report.records += 1
        known.add(lokasi)
        path = media / lokasi
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            report.missing.append((pk, lokasi))
            continue
        if size != ukuran:
            report.wrong_size.append((pk, lokasi, ukuran, size))
        elif hashes and sha256_of(path) != sha256:
            report.wrong_hash.append((pk, lokasi))
    report.orphans = sorted(set(stored) - known)
    return report


def remove_orphans(report: StorageReport, *, older_than_minutes: int) -> list[str]:
    """Delete the report's orphan files last changed more than ``older_than_minutes``
    ago (younger ones may belong to an upload still being committed); returns them."""
    media = Path(settings.MEDIA_ROOT)
    limit = time.time() - older_than_minutes * 60
    removed = []
    for relative in report.orphans:
        path = media / relative
        if not path.exists() or path.stat().st_mtime >= limit:
            continue
        # Checked again right before deleting: never a file whose record exists now.
        if BerkasBukti.objects.filter(lokasi=relative).exists():
            continue
        path.unlink()
        removed.append(relative)
    return removed
