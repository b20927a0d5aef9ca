"""Writes of the notifications: recording reminders once, the outbox rows that carry
them, and what a user does with them (read, preferences, resend)."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from actionplan.notifications import pesan
from actionplan.notifications.enums import Jenis, Kanal, StatusKiriman
from actionplan.notifications.models import Butir, Kiriman, Notifikasi, Preferensi, Profil
from actionplan.notifications.preferensi import Penerima, penerima_map


@dataclass
class Usulan:
    """A notification proposed for one person: its period key, its text and the
    reminders it carries, each a (ledger key, lines) pair; only the reminders never
    recorded before for this person go out."""

    penerima: int
    jenis: str
    kunci: str
    judul: str
    pengantar: str
    tautan: str
    butir: list[tuple[str, list[str]]] = field(default_factory=list)
    satuan_kerja: int | None = None
    lampiran: list = field(default_factory=list)


def kunci_jalan() -> None:
    """One run of the reminders at a time: on PostgreSQL a transaction-scoped advisory
    lock; SQLite's transactions take the write lock when they begin (settings)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5A1_7E57])


def usulan_simpan(
    usulan: Sequence[Usulan], *, penerima: dict[int, Penerima], sekarang: datetime.datetime
) -> list[Notifikasi]:
    """Record the reminders not recorded before and a notification for each person with
    any (none for a person who already has this period's notification: the new
    reminders wait for the next period), plus their WhatsApp rows. A fixed number of
    queries whatever the number of people. Call inside a transaction."""
    usulan = [u for u in usulan if u.penerima in penerima and u.butir]
    if not usulan:
        return []
    ada = set(
        Notifikasi.objects.filter(
            penerima_id__in={u.penerima for u in usulan},
            jenis__in={u.jenis for u in usulan},
            kunci__in={u.kunci for u in usulan},
        ).values_list("penerima_id", "jenis", "kunci")
    )
    usulan = [u for u in usulan if (u.penerima, u.jenis, u.kunci) not in ada]
    jalan = uuid.uuid4().hex
    Butir.objects.bulk_create(
        [
            Butir(penerima_id=u.penerima, jenis=u.jenis, kunci=kunci, jalan=jalan, dibuat=sekarang)
            for u in usulan
            for kunci, _lines in u.butir
        ],
        ignore_conflicts=True,
    )
    baru = set(Butir.objects.filter(jalan=jalan).values_list("penerima_id", "jenis", "kunci"))
    notifs = []
    for u in usulan:
        lines = [
            line for kunci, ls in u.butir if (u.penerima, u.jenis, kunci) in baru for line in ls
        ]
        if not lines:
            continue
        notifs.append(
            Notifikasi(
                penerima_id=u.penerima,
                satuan_kerja_id=u.satuan_kerja,
                jenis=u.jenis,
                kunci=u.kunci,
                judul=u.judul,
                pengantar=u.pengantar,
                butir=lines,
                tautan=u.tautan,
                lampiran=u.lampiran,
                dibuat=sekarang,
                perlu_email=penerima[u.penerima].mau(u.jenis, Kanal.EMAIL),
            )
        )
    Notifikasi.objects.bulk_create(notifs)
    _wa_antre(notifs, penerima, sekarang)
    return notifs


def _wa_antre(
    notifs: Iterable[Notifikasi], penerima: dict[int, Penerima], sekarang: datetime.datetime
) -> None:
    rows = [
        Kiriman(
            penerima_id=n.penerima_id,
            satuan_kerja_id=n.satuan_kerja_id,
            kanal=Kanal.WA,
            kunci=f"{n.jenis}:{n.kunci}",
            tujuan=penerima[n.penerima_id].telepon,
            subjek=n.judul[:250],
            teks=pesan.wa_singkat(n),
            coba_lagi_pada=sekarang,
            dibuat=sekarang,
        )
        for n in notifs
        if penerima[n.penerima_id].mau(n.jenis, Kanal.WA)
    ]
    Kiriman.objects.bulk_create(rows, ignore_conflicts=True)


def digest_antre(*, hari: datetime.date, sekarang: datetime.datetime) -> int:
    """One e-mail per person for the day with every notification still waiting for an
    e-mail; a person who already has the day's digest gets the rest tomorrow (at most
    one digest a day). Returns how many digests were queued. Call inside a
    transaction; a fixed number of queries."""
    kunci = f"harian:{hari.isoformat()}"
    pending: dict[int, list[Notifikasi]] = defaultdict(list)
    for notif in Notifikasi.objects.filter(
        perlu_email=True, email__isnull=True, dibuat__lte=sekarang
    ).order_by("penerima_id", "dibuat", "pk"):
        pending[notif.penerima_id].append(notif)
    if not pending:
        return 0
    sudah = set(
        Kiriman.objects.filter(kanal=Kanal.EMAIL, kunci=kunci, penerima_id__in=pending).values_list(
            "penerima_id", flat=True
        )
    )
    for user_id in sudah:
        del pending[user_id]
    penerima = penerima_map(pending)
    rows = []
    for user_id, notifs in pending.items():
        orang = penerima.get(user_id)
        if orang is None or not orang.email:
            continue
        subjek, teks, html = pesan.email_harian(orang.nama, notifs, hari)
        rows.append(
            Kiriman(
                penerima_id=user_id,
                satuan_kerja_id=notifs[0].satuan_kerja_id,
                kanal=Kanal.EMAIL,
                kunci=kunci,
                tujuan=orang.email,
                subjek=subjek[:250],
                teks=teks,
                html=html,
                lampiran=[item for n in notifs for item in n.lampiran],
                coba_lagi_pada=sekarang,
                dibuat=sekarang,
            )
        )
    Kiriman.objects.bulk_create(rows)
    by_user = {
        k.penerima_id: k.pk
        for k in Kiriman.objects.filter(
            kanal=Kanal.EMAIL, kunci=kunci, penerima_id__in=[r.penerima_id for r in rows]
        ).only("pk", "penerima_id")
    }
    linked = []
    for user_id, notifs in pending.items():
        if user_id in by_user:
            for notif in notifs:
                notif.email_id = by_user[user_id]
                linked.append(notif)
    Notifikasi.objects.bulk_update(linked, ["email"], batch_size=500)
    return len(rows)


def segera_antre(notifs: Sequence[Notifikasi], *, sekarang: datetime.datetime) -> None:
    """Alerts that go out at once (not in the day's digest): an e-mail of their own and
    a WhatsApp message, per the person's choices. Call inside a transaction."""
    penerima = penerima_map(n.penerima_id for n in notifs)
    for notif in notifs:
        orang = penerima.get(notif.penerima_id)
        if orang is None:
            continue
        if orang.mau(notif.jenis, Kanal.EMAIL):
            subjek, teks, html = pesan.email_segera(orang.nama, notif)
            notif.email = Kiriman.objects.create(
                penerima_id=orang.id,
                satuan_kerja_id=notif.satuan_kerja_id,
                kanal=Kanal.EMAIL,
                kunci=f"segera:{notif.jenis}:{notif.kunci}",
                tujuan=orang.email,
                subjek=subjek[:250],
                teks=teks,
                html=html,
                coba_lagi_pada=sekarang,
                dibuat=sekarang,
            )
            notif.save(update_fields=["email"])
    _wa_antre(notifs, penerima, sekarang)


# --- what a user does ---------------------------------------------------------------------


def notifikasi_baca(*, notifikasi: Notifikasi) -> None:
    Notifikasi.objects.filter(pk=notifikasi.pk, dibaca_pada__isnull=True).update(
        dibaca_pada=timezone.now()
    )


def notifikasi_baca_semua(*, user: User) -> int:
    return (
        Notifikasi.objects.filter(penerima=user).belum_dibaca().update(dibaca_pada=timezone.now())
    )


def profil_simpan(*, user: User, email: str, telepon: str, pilihan: set[tuple[str, str]]) -> None:
    """The user's address, WhatsApp number and choices per kind and channel (a row for
    every kind and channel, so a later change of the defaults does not change them)."""
    email, telepon = email.strip(), telepon.strip().replace(" ", "").replace("-", "")
    with transaction.atomic():
        profil, _ = Profil.objects.get_or_create(user=user)
        profil.telepon = telepon
        profil.full_clean()
        profil.save()
        user.email = email
        user.full_clean(exclude=["password", "username"])
        user.save(update_fields=["email"])
        Preferensi.objects.filter(user=user).delete()
        Preferensi.objects.bulk_create(
            Preferensi(user=user, jenis=jenis, kanal=kanal, aktif=(jenis, kanal) in pilihan)
            for jenis in Jenis.values
            for kanal in Kanal.values
        )


MAKS_PERCOBAAN = 8


def kiriman_kirim_ulang(*, kiriman: Kiriman) -> None:
    """Queue a failed message again, from its first attempt."""
    changed = Kiriman.objects.filter(pk=kiriman.pk, status=StatusKiriman.GAGAL).update(
        status=StatusKiriman.MENUNGGU, percobaan=0, coba_lagi_pada=timezone.now()
    )
    if not changed:
        raise ValidationError("Hanya kiriman yang gagal yang dapat dikirim ulang.")
