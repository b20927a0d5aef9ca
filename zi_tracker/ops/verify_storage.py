"""The evidence store checked against the database: every file record has its file with
the recorded size and SHA-256, and every file in the store belongs to a record. Works on
either store (evidence.storage): the local folder is walked once, an S3 bucket listed
once (1,000 objects per request); hashes are computed by streaming each file.

Files are written completely (locally under a temporary ``.name.part`` name, renamed when
complete; on S3 an object appears only when its upload completes), and only then is the
record committed (evidence.files.store, evidence.services.bukti_submit). So a process
killed mid-upload can leave only a ``.part`` file, or a complete file whose record was
never committed: both show here as orphans, and ``remove_orphans`` deletes those old
enough that no upload can still be finishing them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from evidence.models import BerkasBukti
from evidence.storage import PREFIX, StoredFile, evidence_storage, sha256_of


@dataclass
class StorageReport:
    records: int = 0
    files: int = 0
    bytes: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)  # (record id, path)
    wrong_size: list[tuple[int, str, int, int]] = field(default_factory=list)
    wrong_hash: list[tuple[int, str]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # relative paths, .part included
    # When each orphan was last written (seconds since the epoch), for remove_orphans.
    orphan_times: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong_size or self.wrong_hash or self.orphans)


def check_storage(*, hashes: bool = True) -> StorageReport:
    """Every record against its file (presence, size, and SHA-256 unless ``hashes`` is
    off), then every file in the store against the records. Reads records in batches."""
    storage = evidence_storage()
    report = StorageReport()
    # The files first, then the records: a file written while this runs is either not
    # listed, or listed with its record committed by the time the records are read (a
    # file is complete before its record is committed). A record whose file the listing
    # missed is looked up once more on its own before it counts as missing.
    stored: dict[str, StoredFile] = {f.name: f for f in storage.iter_files(PREFIX)}
    report.files = len(stored)
    report.bytes = sum(f.size for f in stored.values())
    known: set[str] = set()
    records = BerkasBukti.objects.order_by("pk").values_list("pk", "lokasi", "ukuran", "sha256")
    for pk, lokasi, ukuran, sha256 in records.iterator(chunk_size=2000):
        report.records += 1
        known.add(lokasi)
        found = stored.get(lokasi)
        if found is not None:
            size = found.size
        else:
            try:
                size = storage.size(lokasi)
            except FileNotFoundError:
                report.missing.append((pk, lokasi))
                continue
        if size != ukuran:
            report.wrong_size.append((pk, lokasi, ukuran, size))
        elif hashes:
            try:
                actual = sha256_of(lokasi, storage)
            except FileNotFoundError:  # removed since it was listed
                report.missing.append((pk, lokasi))
                continue
            if actual != sha256:
                report.wrong_hash.append((pk, lokasi))
    report.orphans = sorted(set(stored) - known)
    report.orphan_times = {name: stored[name].modified for name in report.orphans}
    return report


def remove_orphans(report: StorageReport, *, older_than_minutes: int) -> list[str]:
    """Delete the report's orphan files last changed more than ``older_than_minutes``
    ago (younger ones may belong to an upload still being committed); returns them."""
    storage = evidence_storage()
    limit = time.time() - older_than_minutes * 60
    removed = []
    for name in report.orphans:
        written = report.orphan_times.get(name)
        if written is None or written >= limit:
            continue
        # Checked again right before deleting: never a file whose record exists now.
        if BerkasBukti.objects.filter(lokasi=name).exists():
            continue
        storage.delete(name)
        removed.append(name)
    return removed
