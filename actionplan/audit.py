"""Writing the audit trail. Every write that matters calls ``audit_record`` inside its
own transaction, so an action and its audit row are saved (or rolled back) together."""

from __future__ import annotations

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
) -> CatatanAudit:
    return CatatanAudit.objects.create(
        aksi=aksi,
        objek=f"{objek._meta.model_name}:{objek.pk}",
        ringkasan=ringkasan[:2000],
        aktor=aktor if aktor is not None and aktor.is_authenticated else None,
        satuan_kerja_id=satuan_kerja_id,
    )
