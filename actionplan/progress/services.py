"""What a write in progress does: the monev narrative per area and month."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actionplan.audit import audit_record
from actionplan.enums import AksiAudit, nama_bulan, romawi
from actionplan.models import RencanaAksi
from actionplan.progress.models import CatatanMonev

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CATATAN_MAKS = 2000


def catatan_monev_simpan(
    *, rencana: RencanaAksi, bulan: int, area: int, kendala: str, tindak_lanjut: str, oleh: User
) -> CatatanMonev | None:
    """Save an area's kendala and tindak lanjut for a month, with an audit row. Nothing
    is written when the texts are unchanged; both emptied removes the note (returns
    None). Over-long texts and months or areas out of range are refused."""
    kendala, tindak_lanjut = kendala.strip(), tindak_lanjut.strip()
    if not 1 <= bulan <= 12:
        raise ValidationError("Bulan harus 1 sampai 12.")
    if not 1 <= area <= 6:
        raise ValidationError("Area perubahan harus I sampai VI.")
    for label, text in (("Kendala", kendala), ("Tindak lanjut", tindak_lanjut)):
        if len(text) > CATATAN_MAKS:
            raise ValidationError(f"{label} paling banyak {CATATAN_MAKS} karakter.")
    with transaction.atomic():
        catatan = (
            CatatanMonev.objects.select_for_update()
            .filter(rencana=rencana, bulan=bulan, area=area)
            .first()
        )
        if catatan is not None and (catatan.kendala, catatan.tindak_lanjut) == (
            kendala,
            tindak_lanjut,
        ):
            return catatan
        if catatan is None and not (kendala or tindak_lanjut):
            return None
        label = f"Catatan monev {nama_bulan(bulan)} {rencana.tahun}, area {romawi(area)}"
        if not (kendala or tindak_lanjut):
            assert catatan is not None  # the case of no note and no text returned above
            audit_record(
                aksi=AksiAudit.RENCANA_DIUBAH,
                objek=catatan,
                ringkasan=f"{label} dikosongkan",
                aktor=oleh,
                satuan_kerja_id=rencana.satuan_kerja_id,
            )
            catatan.delete()
            return None
        if catatan is None:
            catatan = CatatanMonev(rencana=rencana, bulan=bulan, area=area)
        catatan.kendala, catatan.tindak_lanjut = kendala, tindak_lanjut
        catatan.diubah_oleh, catatan.diubah_pada = oleh, timezone.now()
        catatan.save()
        audit_record(
            aksi=AksiAudit.RENCANA_DIUBAH,
            objek=catatan,
            ringkasan=f"{label} — kendala: {kendala[:300]} · tindak lanjut: {tindak_lanjut[:300]}",
            aktor=oleh,
            satuan_kerja_id=rencana.satuan_kerja_id,
        )
    return catatan
