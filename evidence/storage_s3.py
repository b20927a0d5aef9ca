"""Evidence files in S3-compatible object storage (MinIO, Ceph, a cloud's), through
django-storages' S3 backend; chosen with ``ZI_EVIDENCE_STORAGE=s3`` and configured by
django-storages' own settings ``AWS_STORAGE_BUCKET_NAME``, ``AWS_S3_ENDPOINT_URL``,
``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` and ``AWS_S3_REGION_NAME`` (read from
the environment in zi_tracker/settings.py).

What this backend fixes whatever else is set:
- objects are private: no ACL is sent (the bucket's own, private, applies), every
  object is stored with ``Content-Disposition: attachment`` and
  ``Cache-Control: private, no-store``;
- a signed URL lives 60 seconds (``SIGNED_URL_SECONDS``), signed with Signature V4;
- an upload streams: a file known to be at most 8 MiB is sent as one PUT
  (``put_object``), a larger one (or one of unknown size) through s3transfer: one PUT up
  to 8 MiB, above that a multipart upload of 8 MiB parts with at most two parts in
  memory, whatever the file's size; an object appears only once its upload completes;
- with an endpoint URL (a server of your own) requests use path-style addressing
  (``http://host:9000/bucket/key``), which MinIO and Ceph accept without DNS set-up.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, is_seekable

from evidence.storage import (
    CHUNK,
    PREFIX,
    EvidenceStorage,
    PenyimpananGagal,
    StoredFile,
    StoredStream,
)

SIGNED_URL_SECONDS = 60
PART = 8 * 1024 * 1024
# One boto3 session per process, its resources made one at a time: a session's loader
# parses botocore's S3 service model (JSON, megabytes) once. django-storages makes a new
# session for each thread's connection, which parsed it again for each of gunicorn's
# threads (~150 ms of CPU each, measured under the load test).
_SESSION_LOCK = threading.Lock()
_SESSIONS: dict[tuple, Any] = {}


def _missing(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status == 404 or code in {"404", "NoSuchKey", "NotFound"}


def _transfer_config() -> TransferConfig:
    """Uploads of up to 8 MiB in one PUT, larger ones in 8 MiB parts, two at a time,
    with at most two parts read ahead: the memory an upload takes does not grow with the
    file's size."""
    config = TransferConfig(multipart_threshold=PART, multipart_chunksize=PART, max_concurrency=2)
    # s3transfer's own setting, which boto3's TransferConfig does not take as an argument.
    config.max_in_memory_upload_chunks = 2
    return config


def _known_size(content: File) -> int | None:
    """The content's size when known before reading it: the upload's own size for a
    ``HashingReader`` (``size_hint``), the size of a seekable file; else None."""
    hint = getattr(content.file, "size_hint", None)
    if hint is not None:
        return int(hint)
    return int(content.size) if is_seekable(content.file) else None


class EvidenceS3Storage(EvidenceStorage, S3Storage):
    remote = True

    def get_default_settings(self) -> dict[str, Any]:
        defaults = super().get_default_settings()
        endpoint = defaults.get("endpoint_url")
        defaults.update(
            {
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": SIGNED_URL_SECONDS,
                "signature_version": "s3v4",
                # Random names are never reused: no existence check before each upload.
                "file_overwrite": True,
                "object_parameters": {
                    "ContentDisposition": "attachment",
                    "CacheControl": "private, no-store",
                },
                "location": "",
                "gzip": False,
                # storage.open() (not used by the evidence code) spools to disk over 1 MiB.
                "max_memory_size": CHUNK,
                "transfer_config": _transfer_config(),
                "client_config": Config(
                    signature_version="s3v4",
                    s3={"addressing_style": "path" if endpoint else "auto"},
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=60,
                ),
            }
        )
        return defaults

    def _key(self, name: str) -> str:
        return self._normalize_name(clean_name(name))

    @property
    def connection(self) -> Any:
        """This thread's S3 resource (resources are not thread-safe), made from the
        process's one session (see ``_SESSIONS``)."""
        connection = getattr(self._connections, "connection", None)
        if connection is None:
            with _SESSION_LOCK:
                key = (self.access_key, self.secret_key, self.security_token, self.session_profile)
                if key not in _SESSIONS:
                    _SESSIONS[key] = self._create_session()
                connection = _SESSIONS[key].resource(
                    "s3",
                    region_name=self.region_name,
                    use_ssl=self.use_ssl,
                    endpoint_url=self.endpoint_url,
                    config=self.client_config,
                    verify=self.verify,
                )
            self._connections.connection = connection
        return connection

    def warm_up(self) -> None:
        connection = self.connection
        self._bucket = connection.Bucket(self.bucket_name)

    def _save(self, name: str, content: File) -> str:
        try:
            size = _known_size(content)
            if size is not None and size <= PART:
                if is_seekable(content):
                    content.seek(0)
                return self._put(name, content.read(), content)
            # Larger, or of unknown size: s3transfer, in 8 MiB parts.
            return super()._save(name, content)
        except (BotoCoreError, ClientError) as exc:
            raise PenyimpananGagal(f"S3 menolak atau tidak menjawab untuk {name}: {exc}") from exc

    def _put(self, name: str, data: bytes, content: File) -> str:
        """A file of at most one part in one PUT. s3transfer would build a transfer
        manager with its thread pool for each upload: for a 150 KB file 3.4 ms of CPU
        against 1.7 ms this way (measured against moto's server)."""
        key = self._key(name)
        self.bucket.Object(key).put(Body=data, **self._get_write_parameters(key, content))
        return clean_name(name)

    def save_generated(self, name: str, data: bytes) -> str:
        return self.save(name, ContentFile(data))

    def where(self) -> str:
        return f"s3://{self.bucket_name}/{self._key(PREFIX)}"

    def iter_files(self, prefix: str = PREFIX) -> Iterator[StoredFile]:
        # One listing request per 1,000 objects, instead of listdir's request per folder.
        paginator = self.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket_name, Prefix=self._key(prefix)):
            for entry in page.get("Contents", ()):
                yield StoredFile(
                    entry["Key"], int(entry["Size"]), entry["LastModified"].timestamp()
                )

    def open_stream(self, name: str) -> StoredStream:
        try:
            answer = self.bucket.Object(self._key(name)).get()
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(name) from None
            raise
        return StoredStream(
            answer["Body"], int(answer["ContentLength"]), answer["LastModified"].timestamp()
        )

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        handle, path = tempfile.mkstemp(prefix="zi-bukti-", suffix=Path(name).suffix)
        try:
            with os.fdopen(handle, "wb") as out, self.open_stream(name) as stream:
                while chunk := stream.read(CHUNK):
                    out.write(chunk)
            yield Path(path)
        finally:
            os.unlink(path)

    def download_url(self, name: str, *, filename: str, content_type: str) -> str:
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        # S3Storage's url(), which signs (the stubs only know Storage.url(name)).
        return S3Storage.url(
            self,
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=SIGNED_URL_SECONDS,
        )
