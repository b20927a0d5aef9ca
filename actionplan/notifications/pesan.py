"""The texts: every notification and message in Indonesian, each with an absolute link
to the place to act (settings.ZI_SITE_URL)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from actionplan.enums import nama_bulan, romawi
from actionplan.notifications.models import Notifikasi

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def tautan(name: str, *args: object) -> str:
    """An absolute link into the app."""
    return settings.ZI_SITE_URL + reverse(name, args=args)


def tanggal(value: datetime.date) -> str:
    return f"{value.day} {nama_bulan(value.month)} {value.year}"


def label_langkah(area: int, komponen: int, bulan: int, teks: str) -> str:
    """ "I.2 Juni: Penyusunan tim kerja …", as the evidence layer labels a slot."""
    teks = teks if len(teks) <= 100 else teks[:99].rstrip() + "…"
    return f"{romawi(area)}.{komponen} {nama_bulan(bulan)}: {teks}"


def sapaan(nama: str) -> str:
    return f"Yth. {nama},"


def email_harian(
    nama: str, notifs: Sequence[Notifikasi], hari: datetime.date
) -> tuple[str, str, str]:
    """A day's digest for one person: subject, plain text, HTML."""
    if len(notifs) == 1:
        subjek = f"[ZI Tracker] {notifs[0].judul}"
    else:
        subjek = f"[ZI Tracker] {len(notifs)} pemberitahuan, {tanggal(hari)}"
    return subjek, *_badan(nama, notifs, f"Pemberitahuan ZI Tracker, {tanggal(hari)}")


def email_segera(nama: str, notif: Notifikasi) -> tuple[str, str, str]:
    """An alert sent at once (a returned version)."""
    return f"[ZI Tracker] {notif.judul}", *_badan(nama, [notif], notif.judul)


def _badan(nama: str, notifs: Sequence[Notifikasi], kepala: str) -> tuple[str, str]:
    profil = tautan("notifikasi-profil")
    parts = [sapaan(nama), ""]
    for notif in notifs:
        parts += [notif.judul.upper(), notif.teks, ""]
    parts += [
        "—",
        "Pesan ini dikirim otomatis oleh ZI Tracker.",
        f"Atur pemberitahuan yang Anda terima: {profil}",
    ]
    html = render_to_string(
        "notifications/email.html",
        {"kepala": kepala, "sapaan": sapaan(nama), "notifs": notifs, "profil": profil},
    )
    return "\n".join(parts), html


def wa_singkat(notif: Notifikasi) -> str:
    """A WhatsApp alert: the title, the first items, the link."""
    lines = [f"*ZI Tracker* — {notif.judul}", notif.pengantar]
    lines += [f"• {b}" for b in notif.butir[:5]]
    if len(notif.butir) > 5:
        lines.append(f"… dan {len(notif.butir) - 5} lainnya")
    lines.append(notif.tautan)
    return "\n".join(lines)
