"""Permission matrix of the LKE's assessment pages (joined into tests/test_permissions.py's
coverage check): every URL, GET and POST, for every kind of user, with the exact status
each must get, and the POSTs taking effect exactly when allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actionplan.lke import services
from actionplan.lke.enums import Pihak, StatusPenilaian
from actionplan.lke.models import JawabanLke, PemetaanArea, PenilaianLke, SoalLke, SurveiIndeks
from tests.conftest import USER_KINDS

LOGIN = "login"
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
TAHUN = 2026

# view -> expected status per kind, in USER_KINDS order:
#            admin      pimpinan   reviewer   anggota    anggota_lain unit_lain  anonim
MATRIX = {
    # Everyone reads exactly one unit here: sent to its assessment of this year.
    "lke-beranda": [REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN],
    "lke-penilaian": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "lke-soal": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    # An area-1 question, area 1 given to team A: the admin and team A answer it.
    "lke-soal-unit": [REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN],
    # Submitted: the TPI evaluates.
    "lke-soal-tpi": [FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    # Draft -> submitted: the unit's admin.
    "lke-status": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    # Submitted -> evaluated: the TPI.
    "lke-status-tpi": [FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "lke-status-get": [NOT_ALLOWED] * 6 + [LOGIN],
    "lke-survei": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "lke-survei-post": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "lke-pengaturan": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "lke-pengaturan-post": [REDIRECT] + [FORBIDDEN] * 4 + [NOT_FOUND, LOGIN],
    "lke-riwayat": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
}

# URL name -> the matrix row that covers it (its GET; the POST rows beside it).
COVERED: dict[str, str] = {
    "lke-beranda": "lke-beranda",
    "lke-penilaian": "lke-penilaian",
    "lke-soal": "lke-soal",
    "lke-status": "lke-status",
    "lke-survei": "lke-survei",
    "lke-pengaturan": "lke-pengaturan",
    "lke-riwayat": "lke-riwayat",
}

CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(USER_KINDS, row, strict=True)
]


def _penilaian(world, status: StatusPenilaian) -> PenilaianLke:
    admin = world.users["admin"]
    penilaian = services.penilaian_get_or_create(satuan_kerja=world.unit, tahun=TAHUN, by=admin)
    services.pemetaan_simpan(penilaian=penilaian, area=1, tim_ids=[world.tim_a.pk], by=admin)
    soal = SoalLke.objects.get(master=penilaian.master, soal_id=1)
    services.jawaban_simpan(
        penilaian=penilaian,
        soal=soal,
        pihak=Pihak.UNIT,
        isian=services.Isian(jawaban="Ya"),
        by=admin,
    )
    if status == StatusPenilaian.DIAJUKAN:
        penilaian.refresh_from_db()
        services.penilaian_pindah(penilaian=penilaian, ke=status, by=admin)
    penilaian.refresh_from_db()
    return penilaian


def _request(world, view, kind):
    client = world.client_for(kind)
    base = [world.unit.slug, TAHUN]
    if view == "lke-beranda":
        return client.get(reverse("lke-beranda"))
    if view in ("lke-penilaian", "lke-survei", "lke-pengaturan", "lke-riwayat"):
        return client.get(reverse(view, args=base))
    if view == "lke-soal":
        return client.get(reverse("lke-soal", args=[*base, 2]))
    if view == "lke-soal-unit":
        return client.post(reverse("lke-soal", args=[*base, 2]), {"pihak": "unit", "jawaban": "A"})
    if view == "lke-soal-tpi":
        return client.post(reverse("lke-soal", args=[*base, 1]), {"pihak": "tpi", "jawaban": "Ya"})
    if view in ("lke-status", "lke-status-tpi"):
        ke = StatusPenilaian.DIAJUKAN if view == "lke-status" else StatusPenilaian.DIEVALUASI
        return client.post(reverse("lke-status", args=base), {"ke": ke})
    if view == "lke-status-get":
        return client.get(reverse("lke-status", args=base))
    if view == "lke-survei-post":
        return client.post(
            reverse("lke-survei", args=base),
            {
                "aksi": "catat",
                "jenis": "IPAK",
                "triwulan": "1",
                "nilai": "3.5",
                "responden": "100",
                "sumber": "Survei",
            },
        )
    if view == "lke-pengaturan-post":
        return client.post(
            reverse("lke-pengaturan", args=base), {"bagian": "pemetaan", "area_2": [world.tim_b.pk]}
        )
    raise AssertionError(view)


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix_lke(world, lke_master, view, kind, expected):
    submitted = view in ("lke-soal-tpi", "lke-status-tpi")
    penilaian = _penilaian(world, StatusPenilaian.DIAJUKAN if submitted else StatusPenilaian.DRAFT)
    response = _request(world, view, kind)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
        if expected == REDIRECT:
            assert not response["Location"].startswith(reverse("login"))
    # The POSTs took effect exactly when they were allowed.
    allowed = expected == REDIRECT
    penilaian.refresh_from_db()
    if view == "lke-soal-unit":
        assert JawabanLke.objects.filter(soal__soal_id=2).exists() == allowed
    if view == "lke-soal-tpi":
        assert JawabanLke.objects.get(soal__soal_id=1).jawaban_tpi == ("Ya" if allowed else "")
    if view == "lke-status":
        assert penilaian.status == (StatusPenilaian.DIAJUKAN if allowed else StatusPenilaian.DRAFT)
    if view == "lke-status-tpi":
        assert penilaian.status == (
            StatusPenilaian.DIEVALUASI if allowed else StatusPenilaian.DIAJUKAN
        )
    if view == "lke-survei-post":
        assert SurveiIndeks.objects.exists() == allowed
    if view == "lke-pengaturan-post":
        assert PemetaanArea.objects.filter(area=2).exists() == allowed


def test_matrix_rows_cover_the_urls():
    assert set(COVERED.values()) <= set(MATRIX)
