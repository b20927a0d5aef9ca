"""Writing the audit trail. Every write that matters calls ``audit_record`` inside its
own transaction, so an action and its audit row are saved (or rolled back) together."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from actionplan.enums import AksiAudit
from actionplan.models import CatatanAudit


def audit_record(
    *,
    aksi: AksiAudit,
    objek: models.Model,
    ringkasan: str,
    aktor: User | AnonymousUser | None,
    satuan_kerja_id: int | None,
    waktu: datetime.datetime | None = None,
) -> CatatanAudit:
    """``waktu``: when it happened, if not now (history entered afterwards)."""
    extra = {"waktu": waktu} if waktu is not None else {}
    return CatatanAudit.objects.create(
        **extra,
        aksi=aksi,
        objek=f"{objek._meta.model_name}:{objek.pk}",
        ringkasan=ringkasan[:2000],
        aktor=aktor if aktor is not None and aktor.is_authenticated else None,
        satuan_kerja_id=satuan_kerja_id,
    )
