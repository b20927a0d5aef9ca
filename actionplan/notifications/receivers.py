"""Receivers of the lower layers' signals (connected in apps.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from actionplan.models import TimKerja
from actionplan.notifications import pesan
from actionplan.notifications.enums import Jenis
from actionplan.notifications.models import Notifikasi
from actionplan.notifications.services import segera_antre
from evidence.models import Bukti


def saat_dikembalikan(
    sender: Any, *, bukti: Bukti, oleh: User, catatan: str, susulan: bool, **kwargs: Any
) -> None:
    """A returned version: the team (and the uploader) are told at once, with the
    reviewer's note. Runs inside the review's transaction: the notification and its
    outbox rows are saved with the review or not at all."""
    if susulan:  # history entered afterwards: nothing happens now
        return
    bukti = (
        Bukti.objects.with_plan()
        .select_related("slot__langkah_aksi__indikator__komponen__area")
        .get(pk=bukti.pk)
    )
    slot = bukti.slot
    langkah = slot.langkah_aksi
    komponen = langkah.indikator.komponen
    users = set(
        TimKerja.anggota.through.objects.filter(timkerja_id=langkah.tim_id).values_list(
            "user_id", flat=True
        )
    ) | {bukti.diunggah_oleh_id}
    users.discard(oleh.pk)
    now = timezone.now()
    label = pesan.label_langkah(komponen.area.nomor, komponen.nomor, slot.bulan, langkah.teks)
    reviewer = oleh.get_full_name() or oleh.username
    notifs = [
        Notifikasi(
            penerima_id=user_id,
            satuan_kerja_id=langkah.rencana.satuan_kerja_id,
            jenis=Jenis.DIKEMBALIKAN,
            kunci=f"bukti:{bukti.pk}",
            judul=f"Bukti dikembalikan: {label[:150]}",
            pengantar=f"{reviewer} mengembalikan bukti versi {bukti.versi} untuk diperbaiki.",
            butir=[label, f"Catatan reviewer: {catatan}"],
            tautan=pesan.tautan("langkah-detail", langkah.pk),
            dibuat=now,
        )
        for user_id in sorted(users)
    ]
    Notifikasi.objects.bulk_create(notifs, ignore_conflicts=True)
    notifs = list(Notifikasi.objects.filter(jenis=Jenis.DIKEMBALIKAN, kunci=f"bukti:{bukti.pk}"))
    segera_antre(notifs, sekarang=now)

    def deliver() -> None:
        from actionplan.notifications.tasks import kirim_outbox_segera

        kirim_outbox_segera()

    transaction.on_commit(deliver)
