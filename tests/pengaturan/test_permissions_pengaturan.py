"""Permission matrix of the unit set-up's URLs (joined into tests/test_permissions.py's
coverage check): every URL for every kind of user, plus two kinds of its own: the admin
of the province above the world's unit (``provinsi``) and the coordinator of the other
unit (``admin_lain``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import USER_KINDS

LOGIN = "login"
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
KINDS = [*USER_KINDS, "provinsi", "admin_lain"]

# The unit's own set-up: its admin only; the province above reads the unit (403), the
# other unit's coordinator does not see it (404).
UNIT_GET = [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN, FORBIDDEN, NOT_FOUND]
UNIT_POST = [
    REDIRECT,
    FORBIDDEN,
    FORBIDDEN,
    FORBIDDEN,
    FORBIDDEN,
    NOT_FOUND,
    LOGIN,
    FORBIDDEN,
    NOT_FOUND,
]

# view -> expected status per kind, in KINDS order:
#   admin pimpinan reviewer anggota anggota_lain unit_lain anonim provinsi admin_lain
MATRIX = {
    # One unit set up: straight to it; the province's admin sets up two (a list).
    "index": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN, OK, REDIRECT],
    "unit": UNIT_GET,
    "rencana-buat": UNIT_POST,
    "rencana": UNIT_GET,
    "keputusan": UNIT_GET,
    "tetapkan": UNIT_POST,
    "baris": UNIT_POST,
    "baris-aksi": UNIT_POST,
    "langkah": UNIT_GET,
    "langkah-baru": UNIT_GET,
    "tim": UNIT_GET,
    "tim-ubah": UNIT_POST,
    "orang": UNIT_GET,
    "orang-baru": UNIT_GET,
    "orang-ubah": UNIT_GET,
    "impor": UNIT_GET,
    "impor-pratinjau": UNIT_GET,
    # The province's units below: its admin only; nobody of the kabupaten sees the
    # province's set-up.
    "unit-bawah": [
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        LOGIN,
        OK,
        NOT_FOUND,
    ],
    "unit-ubah": [
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        NOT_FOUND,
        LOGIN,
        REDIRECT,
        NOT_FOUND,
    ],
}
COVERED = {
    "pengaturan": "index",
    "pengaturan-unit": "unit",
    "pengaturan-rencana-buat": "rencana-buat",
    "pengaturan-rencana": "rencana",
    "pengaturan-keputusan": "keputusan",
    "pengaturan-tetapkan": "tetapkan",
    "pengaturan-baris": "baris",
    "pengaturan-baris-aksi": "baris-aksi",
    "pengaturan-langkah": "langkah",
    "pengaturan-langkah-baru": "langkah-baru",
    "pengaturan-tim": "tim",
    "pengaturan-tim-ubah": "tim-ubah",
    "pengaturan-orang": "orang",
    "pengaturan-orang-baru": "orang-baru",
    "pengaturan-orang-ubah": "orang-ubah",
    "pengaturan-impor": "impor",
    "pengaturan-impor-pratinjau": "impor-pratinjau",
    "pengaturan-unit-bawah": "unit-bawah",
    "pengaturan-unit-ubah": "unit-ubah",
}
CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(KINDS, row, strict=True)
]


def _client(world, kind):
    from django.test import Client

    client = Client()
    if kind != "anonim":
        client.force_login(world.users[kind])
    return client


def _request(world, view, client, extra):
    pk, slug = world.rencana.pk, world.unit.slug
    if view == "index":
        return client.get(reverse("pengaturan"))
    if view == "unit":
        return client.get(reverse("pengaturan-unit", args=[slug]))
    if view == "rencana-buat":
        return client.post(
            reverse("pengaturan-rencana-buat", args=[slug]), {"tahun": 2030, "sumber": "kosong"}
        )
    if view == "rencana":
        return client.get(reverse("pengaturan-rencana", args=[pk]))
    if view == "keputusan":
        return client.get(reverse("pengaturan-keputusan", args=[pk]))
    if view == "tetapkan":
        return client.post(
            reverse("pengaturan-tetapkan", args=[pk]),
            {"nomor": "9", "tanggal": f"{world.today.year}-01-05"},
        )
    if view == "baris":
        return client.post(
            reverse("pengaturan-baris", args=[pk]),
            {"jenis": "indikator", "id": world.langkah.indikator_id, "teks": "Diubah"},
        )
    if view == "baris-aksi":
        return client.post(
            reverse(
                "pengaturan-baris-aksi",
                args=[pk, "indikator", world.langkah_b.indikator_id, "naik"],
            )
        )
    if view == "langkah":
        return client.get(reverse("pengaturan-langkah", args=[pk, world.langkah.pk]))
    if view == "langkah-baru":
        return client.get(reverse("pengaturan-langkah-baru", args=[pk, world.langkah.indikator_id]))
    if view == "tim":
        return client.get(reverse("pengaturan-tim", args=[slug]))
    if view == "tim-ubah":
        return client.post(
            reverse("pengaturan-tim-ubah", args=[world.tim_a.pk]),
            {"aksi": "nama", "nama": "TIM BARU"},
        )
    if view == "orang":
        return client.get(reverse("pengaturan-orang", args=[slug]))
    if view == "orang-baru":
        return client.get(reverse("pengaturan-orang-baru", args=[slug]))
    if view == "orang-ubah":
        return client.get(reverse("pengaturan-orang-ubah", args=[slug, world.users["anggota"].pk]))
    if view == "impor":
        return client.get(reverse("pengaturan-impor", args=[slug]))
    if view == "impor-pratinjau":
        return client.get(reverse("pengaturan-impor-pratinjau", args=[slug, extra["impor"].pk]))
    if view == "unit-bawah":
        return client.get(reverse("pengaturan-unit-bawah", args=[world.provinsi.slug]))
    if view == "unit-ubah":
        return client.post(
            reverse("pengaturan-unit-ubah", args=[world.provinsi.slug, extra["kab"].slug]),
            {"aksi": "nonaktifkan"},
        )
    raise AssertionError(view)


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix(setup_world, view, kind, expected):
    from actionplan.models import Indikator, RencanaAksi, SatuanKerja, TimKerja
    from actionplan.pengaturan.models import ImporAkun

    world = setup_world
    extra = {
        "impor": ImporAkun.objects.create(
            satuan_kerja=world.unit, oleh=world.users["admin"], nama_berkas="a.csv"
        ),
        "kab": SatuanKerja.objects.create(nama="Kab X", slug="kab-x", induk=world.provinsi),
    }
    response = _request(world, view, _client(world, kind), extra)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    allowed = expected == REDIRECT
    # The actions took effect exactly when they were allowed.
    if view == "rencana-buat":
        assert RencanaAksi.objects.filter(satuan_kerja=world.unit, tahun=2030).exists() == allowed
    if view == "tetapkan":
        assert RencanaAksi.objects.get(pk=world.rencana.pk).ditetapkan == allowed
    if view == "baris":
        assert (Indikator.objects.get(pk=world.langkah.indikator_id).teks == "Diubah") == allowed
    if view == "baris-aksi":
        assert Indikator.objects.get(pk=world.langkah_b.indikator_id).urutan == (
            1 if allowed else 2
        )
    if view == "tim-ubah":
        assert TimKerja.objects.get(pk=world.tim_a.pk).nama == ("TIM BARU" if allowed else "TIM A")
    if view == "unit-ubah":
        assert SatuanKerja.objects.get(pk=extra["kab"].pk).aktif is not allowed


def test_nobody_becomes_superuser_or_staff_through_the_pages(setup_world):
    from django.contrib.auth import get_user_model

    world = setup_world
    client = _client(world, "admin")
    client.post(
        reverse("pengaturan-orang-baru", args=[world.unit.slug]),
        {
            "nama": "Baru",
            "email": "baru@example.org",
            "peran": ["admin"],
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    user = get_user_model().objects.get(email="baru@example.org")
    assert (user.is_superuser, user.is_staff) == (False, False)


def test_operator_accounts_are_not_edited_here(setup_world, django_user_model):
    from actionplan.models import PeranPengguna

    world = setup_world
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "x-1234567")
    world.tim_a.anggota.add(boss)
    response = _client(world, "admin").get(
        reverse("pengaturan-orang-ubah", args=[world.unit.slug, boss.pk])
    )
    assert response.status_code == FORBIDDEN
    assert not PeranPengguna.objects.filter(user=boss).exists()


def test_the_django_admin_stays_superuser_only(setup_world):
    response = _client(setup_world, "admin").get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
