"""Permission matrix of LKE URLs (joined into tests/test_permissions.py's coverage
check): URL name -> the matrix row that covers it.

The world unit gets a unit below it here, so it is a national (or provincial) unit: its
admin, pimpinan and reviewer watch the unit below (the roll-up), and its admin sets the
thresholds (``lke.access.can_set_thresholds``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import USER_KINDS

LOGIN = "login"
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# view -> expected status per kind, in USER_KINDS order:
#              admin     pimpinan   reviewer   anggota    anggota_lain unit_lain  anonim
MATRIX = {
    # Whoever reads the unit reads its score; another unit does not learn it exists.
    "skor": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    # Those who watch units below (admin, pimpinan, reviewer of the unit above).
    "rekap": [OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    # The national admin (or a superuser) only.
    "ambang-get": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    "ambang-post": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    # Everyone who reads the step sees its questions; the unit's admin changes them.
    "tautan-get": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "tautan-post": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
}

COVERED: dict[str, str] = {
    "lke-skor": "skor",
    "lke-rekap": "rekap",
    "lke-ambang": "ambang-get",
    "lke-tautan-langkah": "tautan-get",
}

CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(USER_KINDS, row, strict=True)
]

AMBANG = {
    "WBK__total": "75", "WBK__pengungkit": "40", "WBK__area": "60",
    "WBK__birokrasi": "18,25", "WBK__ipak": "15,75", "WBK__capaian": "2,5",
    "WBK__ipkp": "14", "WBBM__total": "85", "WBBM__pengungkit": "48",
    "WBBM__area": "75", "WBBM__birokrasi": "19,5", "WBBM__ipak": "15,75",
    "WBBM__capaian": "3,75", "WBBM__ipkp": "15,75", "WBBM__sudah_wbk": "on",
}  # fmt: skip


def _request(world, view: str, kind: str):
    client = world.client_for(kind)
    if view == "skor":
        return client.get(reverse("lke-skor", args=[world.unit.slug, 2026]))
    if view == "rekap":
        return client.get(reverse("lke-rekap", args=[2026]))
    if view == "ambang-get":
        return client.get(reverse("lke-ambang", args=[2027]))
    if view == "ambang-post":
        return client.post(reverse("lke-ambang", args=[2027]), AMBANG)
    if view == "tautan-get":
        return client.get(reverse("lke-tautan-langkah", args=[world.langkah.pk]))
    if view == "tautan-post":
        return client.post(
            reverse("lke-tautan-langkah", args=[world.langkah.pk]), {"soal": ["4", "12"]}
        )
    raise AssertionError(view)


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix_lke_skor(world, lke_master, view, kind, expected):
    from actionplan.lke.models import AmbangPredikat, TautanSoal
    from actionplan.lke.services import penilaian_get_or_create
    from tests.factories import SatuanKerjaFactory

    SatuanKerjaFactory(induk=world.unit)
    penilaian_get_or_create(satuan_kerja=world.unit, tahun=2026, by=None)
    response = _request(world, view, kind)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
        if expected == REDIRECT:
            assert not response["Location"].startswith(reverse("login"))
    # The writes took effect exactly when they were allowed.
    allowed = expected == REDIRECT
    if view == "ambang-post":
        assert AmbangPredikat.objects.filter(tahun=2027).count() == (15 if allowed else 0)
    if view == "tautan-post":
        assert TautanSoal.objects.filter(langkah=world.langkah).count() == (2 if allowed else 0)
