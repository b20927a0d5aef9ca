"""Backup and restore of a whole installation: the database content and every evidence
file in one ``.tar.gz`` archive.

Layout of the archive:
- ``manifest.json``: format version, when, from which database, row counts per model, and
  every evidence file with its size and SHA-256;
- ``data.json``: the database content (Django's JSON serialisation with natural keys for
  content types and permissions, so it loads into any freshly migrated installation);
- ``media/bukti/…``: the evidence files under their stored names.

Consistency while the app runs: the database is read in one transaction (REPEATABLE READ
on PostgreSQL, so every table comes from the same snapshot; SQLite holds its lock), and
only the files of the records in that snapshot are archived. Evidence files never change
after they are written and are written before their record is committed, so every file
of the snapshot exists when it is read; each is hashed while it is copied and compared
with its record.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TypedDict, cast

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from evidence.storage import PREFIX, HashingReader, StoredStream, evidence_storage

FORMAT = 1
# Not worth keeping: rebuilt by migrate (content types, permissions), or transient.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]
CHUNK = 1024 * 1024


class ArchivedFile(TypedDict):
    """An evidence file in the manifest."""

    lokasi: str
    ukuran: int
    sha256: str


# The accounts with natural keys for their permissions and groups' permissions (content
# types and permissions are rebuilt by migrate with other ids); everything else with its
# own primary keys, which a restore into an empty installation keeps (natural keys there
# cost one lookup per row: 9 minutes for the 514-unit data set on SQLite).
DUMPS = [
    ("akun.json", ["auth"], True),
    ("data.json", ["-auth"], False),  # "-app": everything but that app
]


def _dump_args(name: str, args: list[str], natural: bool) -> tuple[list[str], dict]:
    apps_ = [a for a in args if not a.startswith("-")]
    skip = [a[1:] for a in args if a.startswith("-")]
    return apps_, {"exclude": EXCLUDE + skip, "natural_foreign": natural}


def _dump_in_transaction(work: Path) -> tuple[dict[str, int], list[ArchivedFile]]:
    """PostgreSQL (and others): the dumps, counts and file list in one REPEATABLE READ,
    read-only transaction, so all come from the same snapshot while the app writes on."""
    from evidence.models import BerkasBukti

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for name, args, natural in DUMPS:
            apps_, options = _dump_args(name, args, natural)
            call_command("dumpdata", *apps_, output=str(work / name), verbosity=0, **options)
        counts = _db_counts()
        files = list(BerkasBukti.objects.order_by("pk").values("lokasi", "ukuran", "sha256"))
    return counts, files


def _dump_sqlite(work: Path) -> tuple[dict[str, int], list[ArchivedFile]]:
    """SQLite: a copy made with SQLite's online backup API (a read lock for the seconds
    of the copy, not the write lock for the minutes of a dump), dumped by a separate
    process pointed at the copy; counts and the file list read from the copy."""
    import sqlite3

    from evidence.models import BerkasBukti

    copy = work / "salinan.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{copy}"}
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    for name, args, natural in DUMPS:
        apps_, options = _dump_args(name, args, natural)
        command = [sys.executable, manage, "dumpdata", *apps_, "-o", str(work / name), "-v0"]
        command += [f"--exclude={label}" for label in options["exclude"]]
        if natural:
            command.append("--natural-foreign")
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"Gagal membaca basis data: {result.stderr.strip()[-500:]}")
    q = connection.ops.quote_name
    reader = sqlite3.connect(copy)
    try:
        counts = {}
        for model in _backed_up_models():
            (n,) = reader.execute(f"SELECT COUNT(*) FROM {q(model._meta.db_table)}").fetchone()
            if n:
                counts[model._meta.label_lower] = n
        table = q(BerkasBukti._meta.db_table)
        files: list[ArchivedFile] = [
            {"lokasi": lokasi, "ukuran": ukuran, "sha256": sha}
            for lokasi, ukuran, sha in reader.execute(
                f"SELECT lokasi, ukuran, sha256 FROM {table} ORDER BY id"
            )
        ]
    finally:
        reader.close()
    copy.unlink()
    return counts, files


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the operator."""


@dataclass
class BackupResult:
    path: Path
    rows: int
    files: int
    bytes: int
    seconds: float


def _backed_up_models() -> list:
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and not any(
            model._meta.label_lower == e or model._meta.label_lower.startswith(e + ".")
            for e in EXCLUDE
        )
    ]


def _db_counts() -> dict[str, int]:
    counts = {}
    for model in _backed_up_models():
        n = model._default_manager.count()
        if n:
            counts[model._meta.label_lower] = n
    return counts


def _add_file(archive: tarfile.TarFile, stream: StoredStream, name: str) -> str:
    """Add the stream as ``name`` (its size and time from the store), hashing it while
    it is read; returns the SHA-256."""
    info = tarfile.TarInfo(name)
    info.size = stream.size
    info.mtime = int(stream.modified)
    info.mode = 0o640
    digest = hashlib.sha256()

    class Hashing:
        def read(self, n: int = -1) -> bytes:
            data = stream.read(n)
            digest.update(data)
            return data

    archive.addfile(info, Hashing())
    return digest.hexdigest()


def backup(output: Path) -> BackupResult:
    """Write the archive to ``output`` (through a temporary file next to it, renamed when
    complete, so a failed backup never leaves a truncated archive under that name)."""

    start = time.perf_counter()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    storage = evidence_storage()
    work = Path(tempfile.mkdtemp(prefix="zi-backup-"))
    partial = output.with_name(f".{output.name}.part")
    try:
        dump = _dump_sqlite if connection.vendor == "sqlite" else _dump_in_transaction
        counts, files = dump(work)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "counts": counts,
            "files": files,
        }
        total = 0
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            manifest_bytes = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(manifest_bytes)
            info.mtime = int(time.time())
            archive.addfile(info, io.BytesIO(manifest_bytes))
            for name, _args, _natural in DUMPS:
                archive.add(work / name, arcname=name)
            for item in files:
                try:
                    stream = storage.open_stream(item["lokasi"])
                except FileNotFoundError:
                    raise BackupError(
                        f"Berkas bukti {item['lokasi']} hilang; jalankan verify_storage."
                    ) from None
                with stream:
                    size = stream.size
                    sha = _add_file(archive, stream, f"media/{item['lokasi']}")
                if size != item["ukuran"] or sha != item["sha256"]:
                    raise BackupError(
                        f"Berkas bukti {item['lokasi']} tidak sama dengan catatannya; "
                        "jalankan verify_storage."
                    )
                total += size
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(
        path=output,
        rows=sum(counts.values()),
        files=len(files),
        bytes=total,
        seconds=time.perf_counter() - start,
    )


def _installation_is_empty() -> list[str]:
    """What the target already holds (empty list: nothing)."""
    from django.contrib.auth import get_user_model

    from actionplan.models import SatuanKerja
    from evidence.models import BerkasBukti

    found = []
    if get_user_model().objects.exists():
        found.append("pengguna")
    if SatuanKerja.objects.exists():
        found.append("satuan kerja")
    if BerkasBukti.objects.exists():
        found.append("berkas bukti")
    storage = evidence_storage()
    if next(storage.iter_files(PREFIX), None) is not None:
        found.append(f"berkas di {storage.where()}")
    return found


def _safe_member(member: tarfile.TarInfo) -> PurePosixPath:
    path = PurePosixPath(member.name)
    if (
        not member.isfile()
        or path.is_absolute()
        or ".." in path.parts
        or path.parts[:2] != ("media", "bukti")
    ):
        raise BackupError(f"Arsip tidak sah: isi tak dikenal {member.name!r}.")
    return path


@contextmanager
def _readable(path: Path) -> Iterator[None]:
    """A damaged archive (truncated, bad compressed data) as a clear error."""
    try:
        yield
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"Berkas cadangan {path.name} rusak: {exc}") from None


def restore(archive_path: Path) -> dict:
    """Restore the archive into an empty, migrated installation. All or nothing: on any
    error the database transaction is rolled back and every file written is removed."""
    from actionplan import revisions
    from actionplan.models import RencanaAksi

    start = time.perf_counter()
    if not archive_path.is_file():
        raise BackupError(f"Berkas cadangan {archive_path} tidak ada.")
    present = _installation_is_empty()
    if present:
        raise BackupError(
            "Pemulihan hanya ke instalasi kosong; yang ini sudah berisi: "
            + ", ".join(present)
            + "."
        )
    storage = evidence_storage()
    work = Path(tempfile.mkdtemp(prefix="zi-restore-"))
    written: list[str] = []
    try:
        try:
            archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed below)
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"Berkas cadangan rusak atau bukan arsip ZI Tracker: {exc}") from None
        with archive, _readable(archive_path):
            try:
                # extractfile() is None only for a member that is not a file.
                manifest = json.load(cast(IO[bytes], archive.extractfile("manifest.json")))
                for name, _args, _natural in DUMPS:
                    archive.getmember(name)
            except (KeyError, json.JSONDecodeError, tarfile.TarError) as exc:
                raise BackupError(f"Arsip tidak lengkap: {exc}") from None
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
            expected = {f["lokasi"]: f for f in manifest["files"]}
            for name, _args, _natural in DUMPS:
                with open(work / name, "wb") as out:
                    dump = cast(IO[bytes], archive.extractfile(archive.getmember(name)))
                    shutil.copyfileobj(dump, out, CHUNK)
            seen = set()
            for member in archive:
                if member.name == "manifest.json" or member.name in {d[0] for d in DUMPS}:
                    continue
                path = _safe_member(member)
                lokasi = str(PurePosixPath(*path.parts[1:]))
                if lokasi not in expected:
                    raise BackupError(f"Arsip tidak sah: berkas {lokasi} tidak ada di manifes.")
                source = archive.extractfile(member)
                assert source is not None  # a regular file (_safe_member)
                reader = HashingReader(iter(functools.partial(source.read, CHUNK), b""))
                saved = storage.save(lokasi, File(cast(IO[bytes], reader), lokasi))
                written.append(saved)  # removed again on any failure below
                if saved != lokasi:
                    raise BackupError(f"Berkas {lokasi} sudah ada di penyimpanan bukti.")
                if reader.sha256 != expected[lokasi]["sha256"]:
                    raise BackupError(f"Berkas {lokasi} di arsip rusak (SHA-256 berbeda).")
                seen.add(lokasi)
            if seen != set(expected):
                raise BackupError(
                    f"Arsip tidak lengkap: {len(set(expected) - seen)} berkas hilang."
                )
        with transaction.atomic(), revisions.paused():
            for name, _args, _natural in DUMPS:
                call_command("loaddata", str(work / name), verbosity=0)
            counts = _db_counts()
            if counts != manifest["counts"]:
                raise BackupError(
                    f"Isi basis data setelah pemulihan tidak sama dengan manifes: {counts}"
                )
        revisions.bump(pk__in=RencanaAksi.objects.values("pk"))
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "rows": sum(manifest["counts"].values()),
        "files": len(expected),
        "seconds": time.perf_counter() - start,
        "created": manifest["created"],
    }
