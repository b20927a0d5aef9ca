"""Where evidence files are kept: one Django storage, ``storages["evidence"]``, that every
piece of code touching an evidence file goes through (storing an upload, a download, a
preview, verify_storage, backup and restore, the data generators).

Two backends, chosen by ``ZI_EVIDENCE_STORAGE`` (zi_tracker/settings.py):

- ``local`` (the default): ``EvidenceFileSystemStorage`` under MEDIA_ROOT. A file is
  written under a temporary ``.name.part`` name created exclusively with mode 0640,
  fsynced, then renamed into place, so it appears under its final name only once
  complete; folders are made 0750 whatever the umask.
- ``s3``: ``evidence.storage_s3.EvidenceS3Storage``, django-storages' S3 backend for any
  S3-compatible server (MinIO, Ceph, a cloud), with private objects and signed download
  URLs that live 60 seconds. An object appears only once its upload (single or
  multipart) has completed.

Names are ``bukti/<2 hex>/<32 hex>.<kind>``, random, and never reused. Both backends add
the few things the evidence code needs beyond Django's Storage API: listing every stored
file with its size and time in one pass (``iter_files``), reading a file as a stream
(``open_stream``), a local path for the PDF and image libraries (``local_copy``), and
writing generated data without an fsync per file (``save_generated``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

CHUNK = 1024 * 1024
PREFIX = "bukti/"
ALIAS = "evidence"


class PenyimpananGagal(OSError):
    """The evidence store could not be reached or refused a write (object storage); the
    message is for the log, the member gets a plain one (evidence.files.store)."""


@dataclass(frozen=True)
class StoredFile:
    """A file found in the store by ``iter_files``."""

    name: str  # relative to the store, e.g. bukti/ab/<hex>.pdf
    size: int
    modified: float  # seconds since the epoch


class StoredStream:
    """An evidence file open for reading, front to back: ``file`` (a binary file object:
    a real file on the local store, so gunicorn can use sendfile; the object's body on
    S3), its ``size`` and last ``modified`` time. Closes ``file`` on leaving a ``with``."""

    def __init__(self, file: IO[bytes], size: int, modified: float) -> None:
        self.file, self.size, self.modified = file, size, modified

    def read(self, n: int = -1) -> bytes:
        return self.file.read(n)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> StoredStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HashingReader:
    """A one-way reader over chunks of bytes that hashes (SHA-256) and counts what passes
    through it. It is not seekable, so whoever reads it (Django's ``File.chunks``,
    s3transfer's upload of a non-seekable stream) reads every byte once and in order, and
    ``sha256``/``size`` afterwards describe exactly the bytes that were stored.
    ``size_hint``: how many bytes the chunks hold, when the caller knows (an upload's
    size): the S3 store sends a small file in one PUT on it."""

    def __init__(self, chunks: Iterable[bytes], size_hint: int | None = None) -> None:
        self._chunks = iter(chunks)
        self.size_hint = size_hint
        self._pending = b""
        self._digest = hashlib.sha256()
        self.size = 0
        self.closed = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, n: int | None = -1) -> bytes:
        parts = [self._pending]
        have = len(self._pending)
        while n is None or n < 0 or have < n:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            parts.append(chunk)
            have += len(chunk)
        data = b"".join(parts)
        if n is not None and n >= 0:
            data, self._pending = data[:n], data[n:]
        else:
            self._pending = b""
        self._digest.update(data)
        self.size += len(data)
        return data

    def close(self) -> None:
        self.closed = True

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class EvidenceStorage(Storage):
    """What the evidence code needs from a store beyond Django's Storage API; both
    backends implement it. ``remote``: the bytes are not on this machine (downloads are
    redirected to a signed URL, or streamed through the app)."""

    remote = False

    def where(self) -> str:
        """Where the evidence files are, for messages to the operator."""
        raise NotImplementedError

    def iter_files(self, prefix: str = PREFIX) -> Iterator[StoredFile]:
        """Every file under ``prefix``, in one pass over the store (temporary files of
        unfinished writes included)."""
        raise NotImplementedError

    def open_stream(self, name: str) -> StoredStream:
        """The file, for reading front to back; FileNotFoundError when missing."""
        raise NotImplementedError

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        """A path on this machine with the file's bytes, for libraries that want a path
        (PDFium, Pillow); FileNotFoundError when missing."""
        raise NotImplementedError
        yield Path()  # pragma: no cover

    def save_generated(self, name: str, data: bytes) -> str:
        """Store generated bytes (demo and test data sets) under exactly ``name``."""
        raise NotImplementedError

    def download_url(self, name: str, *, filename: str, content_type: str) -> str:
        """A short-lived URL that serves the file as an attachment (remote stores)."""
        raise NotImplementedError

    def warm_up(self) -> None:
        """Do at a worker's start what the first upload would otherwise wait for."""


def evidence_storage() -> EvidenceStorage:
    """The configured evidence store (``STORAGES["evidence"]``)."""
    return cast(EvidenceStorage, storages[ALIAS])


def sha256_of(name: str, storage: EvidenceStorage | None = None) -> str:
    """The SHA-256 of a stored file, read as a stream in 1 MiB pieces."""
    digest = hashlib.sha256()
    with (storage or evidence_storage()).open_stream(name) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class EvidenceFileSystemStorage(EvidenceStorage, FileSystemStorage):
    """Evidence files under MEDIA_ROOT (or ``location``): atomic, durable writes with
    mode 0640 in folders of mode 0750 (see the module's docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(**kwargs)

    def _private_dirs(self, directory: Path) -> None:
        """Create ``directory`` and the folders above it (up to the store's root) with
        mode 0750 whatever the umask: ``mkdir(mode=…, parents=True)`` gives the parents
        the default mode, so MEDIA_ROOT/bukti would be created 0755."""
        if directory.is_dir():
            return
        root = Path(self.location)
        root.mkdir(mode=0o750, parents=True, exist_ok=True)
        current = root
        for part in directory.relative_to(root).parts:
            current = current / part
            try:
                current.mkdir(mode=0o750)
            except FileExistsError:
                continue
            os.chmod(current, 0o750)  # the umask may have taken bits away (or left some)

    def _write(self, name: str, content: File, *, durable: bool) -> str:
        target = Path(self.path(name))
        self._private_dirs(target.parent)
        partial = target.with_name(f".{target.name}.part")
        try:
            # Readable by the app's user (and group) only: evidence is not for others.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(fd, "wb") as out:
                if content.seekable():
                    content.seek(0)
                while chunk := content.read(CHUNK):
                    out.write(chunk)
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return name

    def _save(self, name: str, content: File) -> str:
        return self._write(name, content, durable=True)

    def save_generated(self, name: str, data: bytes) -> str:
        # Tens of thousands of generated files: no fsync each (a lost one is regenerated).
        from django.core.files.base import ContentFile

        return self._write(name, ContentFile(data), durable=False)

    def where(self) -> str:
        return str(Path(self.location) / PREFIX)

    def iter_files(self, prefix: str = PREFIX) -> Iterator[StoredFile]:
        root = Path(self.location)
        top = Path(self.path(prefix))
        for directory, _dirs, names in os.walk(top):
            for file_name in names:
                path = Path(directory, file_name)
                try:
                    info = path.stat()
                except FileNotFoundError:  # renamed or removed meanwhile
                    continue
                yield StoredFile(path.relative_to(root).as_posix(), info.st_size, info.st_mtime)

    def open_stream(self, name: str) -> StoredStream:
        handle = open(self.path(name), "rb")  # noqa: SIM115 - StoredStream closes it
        info = os.fstat(handle.fileno())
        return StoredStream(handle, info.st_size, info.st_mtime)

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        path = Path(self.path(name))
        if not path.is_file():
            raise FileNotFoundError(name)
        yield path
