"""Permission matrix of the notification URLs (joined into tests/test_permissions.py's
coverage check): URL name -> the matrix row that covers it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actionplan.notifications.enums import Jenis, Kanal, StatusKiriman
from actionplan.notifications.models import Kiriman, Notifikasi
from tests.conftest import USER_KINDS

LOGIN = "login"
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# view -> expected status per kind, in USER_KINDS order:
#            admin      pimpinan   reviewer   anggota    anggota_lain unit_lain  anonim
MATRIX = {
    "notifikasi": [OK, OK, OK, OK, OK, OK, LOGIN],
    "jumlah": [OK, OK, OK, OK, OK, OK, LOGIN],
    # The member's own notification: nobody else sees it.
    "baca": [NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT, NOT_FOUND, NOT_FOUND, LOGIN],
    "baca-semua": [REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN],
    "profil": [OK, OK, OK, OK, OK, OK, LOGIN],
    "profil-post": [REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN],
    # What was sent: the unit's admin only.
    "kiriman": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    "kirim-ulang": [REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN],
}
COVERED = {
    "notifikasi": "notifikasi",
    "notifikasi-jumlah": "jumlah",
    "notifikasi-baca": "baca",
    "notifikasi-baca-semua": "baca-semua",
    "notifikasi-profil": "profil",
    "notifikasi-kiriman": "kiriman",
    "notifikasi-kirim-ulang": "kirim-ulang",
}
CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(USER_KINDS, row, strict=True)
]


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix(world, view, kind, expected):
    anggota = world.users["anggota"]
    notif = Notifikasi.objects.create(
        penerima=anggota,
        satuan_kerja=world.unit,
        jenis=Jenis.JATUH_TEMPO,
        kunci="2026-06-23",
        judul="1 langkah aksi",
        pengantar="…",
        tautan="http://127.0.0.1:8000/tugas/",
    )
    failed = Kiriman.objects.create(
        penerima=anggota,
        satuan_kerja=world.unit,
        kanal=Kanal.EMAIL,
        kunci="harian:2026-06-23",
        tujuan="anggota@example.org",
        subjek="s",
        teks="t",
        status=StatusKiriman.GAGAL,
        percobaan=8,
    )
    client = world.client_for(kind)
    response = {
        "notifikasi": lambda: client.get(reverse("notifikasi")),
        "jumlah": lambda: client.get(reverse("notifikasi-jumlah")),
        "baca": lambda: client.post(reverse("notifikasi-baca", args=[notif.pk]), {"buka": "1"}),
        "baca-semua": lambda: client.post(reverse("notifikasi-baca-semua")),
        "profil": lambda: client.get(reverse("notifikasi-profil")),
        "profil-post": lambda: client.post(
            reverse("notifikasi-profil"),
            {"email": f"{kind}@example.org", "telepon": "081234567890", "jatuh_tempo__email": "on"},
        ),
        "kiriman": lambda: client.get(reverse("notifikasi-kiriman")),
        "kirim-ulang": lambda: client.post(reverse("notifikasi-kirim-ulang", args=[failed.pk])),
    }[view]()
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
        return
    assert response.status_code == expected
    notif.refresh_from_db()
    failed.refresh_from_db()
    allowed = expected == REDIRECT
    if view == "baca":
        assert (notif.dibaca_pada is not None) is allowed
        if allowed:
            assert response["Location"] == "/tugas/"
    if view == "kirim-ulang":
        # Resent (locmem backend in the tests): delivered at once, or untouched.
        assert failed.status == (StatusKiriman.TERKIRIM if allowed else StatusKiriman.GAGAL)
    if view == "jumlah":
        assert response.json() == {"belum_dibaca": 1 if kind == "anggota" else 0}
