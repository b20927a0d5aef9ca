"""The permission matrix: every page, action and download, for every kind of user,
with the exact status each must get. 404 hides another unit's objects; 403 refuses an
action to someone who may see the object; anonymous users are sent to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import files
from tests.conftest import USER_KINDS
from tests.documents.test_permissions_lke_documents import COVERED as LKE_DOCUMENTS
from tests.lke.test_permissions_lke import COVERED as LKE_PAGES
from tests.lke.test_permissions_lke_skor import COVERED as LKE_SKOR
from tests.notifications.test_permissions_notifications import COVERED as NOTIFICATIONS
from tests.pengaturan.test_permissions_pengaturan import COVERED as PENGATURAN
from tests.portalrb.test_permissions_portalrb import COVERED as PORTALRB

LOGIN = "login"
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# view -> expected status per kind, in USER_KINDS order:
#            admin      pimpinan   reviewer   anggota    anggota_lain unit_lain  anonim
MATRIX = {
    "home": [REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN],
    "rencana-list": [OK, OK, OK, OK, OK, OK, LOGIN],
    "dasbor": [OK, OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "daftar": [OK, OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "tugas": [OK, OK, OK, OK, OK, OK, LOGIN],
    "rencana": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "langkah": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "unggah-get": [OK, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, NOT_FOUND, LOGIN],
    "unggah-post": [REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN],
    "review": [REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "tarik": [REDIRECT, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN],
    # The month's thread: the owning team, the admin and the reviewer write in it.
    "pesan": [REDIRECT, FORBIDDEN, REDIRECT, REDIRECT, FORBIDDEN, NOT_FOUND, LOGIN],
    # Members only: each sees their own unit's plan (unit_lain its own).
    "kemajuan-tim": [FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN],
    "setujui-massal": [REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    "unduh": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "pratinjau": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "pratinjau-gambar": [OK, OK, OK, OK, OK, NOT_FOUND, LOGIN],
    "antrean": [OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    "audit": [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    "dokumen": [OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    # The unit has no units below it: nobody here has a roll-up.
    "rekap": [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN],
    # Everyone logged in may search; what each finds is their units' plans only.
    "cari": [OK, OK, OK, OK, OK, OK, LOGIN],
    # The monev notes (kendala, tindak lanjut per area): the unit's admin only.
    "monev": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "monev-post": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
}

# URL names of the app's own pages and the matrix rows that cover them; the pages every
# visitor may see (login, logout, health check) and the superuser-only admin are tested
# on their own.
COVERED = {
    "home": "home",
    "rencana-list": "rencana-list",
    "dasbor": "dasbor",
    "daftar-slot": "daftar",
    "tugas-saya": "tugas",
    "rencana-detail": "rencana",
    "langkah-detail": "langkah",
    "bukti-unggah": "unggah-get",
    "bukti-review": "review",
    "bukti-tarik": "tarik",
    "slot-pesan": "pesan",
    "kemajuan-tim": "kemajuan-tim",
    "antrean-setujui": "setujui-massal",
    "berkas-unduh": "unduh",
    "berkas-pratinjau": "pratinjau",
    "berkas-pratinjau-gambar": "pratinjau-gambar",
    "antrean": "antrean",
    "audit": "audit",
    "unduh-dokumen": "dokumen",
    "rekap": "rekap",
    "cari": "cari",
    "monev-catatan": "monev",
}
PUBLIC = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    # Forgotten password and a new account's first password: for everyone, by design.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "sehat",
    "favicon",
}

CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(USER_KINDS, row, strict=True)
]


def _request(world, view: str, kind: str, bukti):
    client = world.client_for(kind)
    if view == "home":
        return client.get(reverse("home"))
    if view == "rencana-list":
        return client.get(reverse("rencana-list"))
    if view == "dasbor":
        return client.get(reverse("dasbor", args=[world.rencana.pk]))
    if view == "daftar":
        return client.get(reverse("daftar-slot", args=[world.rencana.pk]), {"ukuran": "overdue"})
    if view == "tugas":
        return client.get(reverse("tugas-saya"))
    if view == "rencana":
        return client.get(reverse("rencana-detail", args=[world.rencana.pk]))
    if view == "langkah":
        return client.get(reverse("langkah-detail", args=[world.langkah.pk]))
    if view == "unggah-get":
        return client.get(reverse("bukti-unggah", args=[world.langkah.pk]))
    if view == "unggah-post":
        return client.post(
            reverse("bukti-unggah", args=[world.langkah.pk]),
            {"bulan": world.today.month, "berkas": [files.pdf("baru.pdf")]},
        )
    if view == "review":
        return client.post(
            reverse("bukti-review", args=[bukti.pk]), {"keputusan": "disetujui", "catatan": ""}
        )
    if view == "tarik":
        return client.post(reverse("bukti-tarik", args=[bukti.pk]))
    if view == "pesan":
        url = reverse("slot-pesan", args=[world.langkah.pk, world.today.month])
        return client.post(url, {"teks": "Apakah foto kegiatan juga perlu?"})
    if view == "setujui-massal":
        return client.post(reverse("antrean-setujui"), {"bukti": [bukti.pk]})
    if view == "kemajuan-tim":
        return client.get(reverse("kemajuan-tim"))
    if view == "pratinjau":
        return client.get(reverse("berkas-pratinjau", args=[bukti.berkas.get().pk]))
    if view == "pratinjau-gambar":
        return client.get(reverse("berkas-pratinjau-gambar", args=[bukti.berkas.get().pk]))
    if view == "unduh":
        return client.get(reverse("berkas-unduh", args=[bukti.berkas.get().pk]))
    if view == "antrean":
        return client.get(reverse("antrean"))
    if view == "audit":
        return client.get(reverse("audit"))
    if view == "dokumen":
        return client.get(reverse("unduh-dokumen", args=[world.rencana.pk, "excel"]))
    if view == "rekap":
        return client.get(reverse("rekap"))
    if view == "cari":
        response = client.get(reverse("cari"), {"q": world.langkah.teks})
        if response.status_code == OK:
            # The world unit's step is found exactly by the users who read its plan.
            found = [h.langkah.pk for h in response.context["pencarian"].hasil]
            assert found == ([] if kind == "unit_lain" else [world.langkah.pk])
        return response
    if view == "monev":
        return client.get(reverse("monev-catatan", args=[world.rencana.pk]), {"bulan": 6})
    if view == "monev-post":
        url = reverse("monev-catatan", args=[world.rencana.pk]) + "?bulan=6"
        return client.post(url, {"kendala_1": "Kendala", "tindak_lanjut_1": "Tindak lanjut"})
    raise AssertionError(view)


def _url_names(patterns) -> set[str]:
    """Every named URL, through each app's included urls.py (the admin apart)."""
    from django.urls import URLResolver

    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace != "admin":
                names |= _url_names(p.url_patterns)
        elif p.name:
            names.add(p.name)
    return names


def test_every_url_of_the_app_is_in_the_matrix():
    from zi_tracker.urls import urlpatterns

    names = _url_names(urlpatterns)
    assert "langkah-detail" in names  # from evidence/urls.py
    # The LKE's, PortalRB's, the notifications' and the unit set-up's URLs have their own
    # matrices (same kinds, same statuses).
    elsewhere = (
        set(LKE_PAGES)
        | set(LKE_SKOR)
        | set(LKE_DOCUMENTS)
        | set(PORTALRB)
        | set(NOTIFICATIONS)
        | set(PENGATURAN)
    )
    assert not elsewhere & set(COVERED)
    assert names - PUBLIC == set(COVERED) | elsewhere
    assert set(COVERED.values()) <= set(MATRIX)


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix(world, view, kind, expected):
    from evidence.models import Bukti

    bukti = world.submit(kind="anggota", files=[files.pdf()])
    response = _request(world, view, kind, bukti)
    if response.streaming:
        b"".join(response.streaming_content)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
        if expected == REDIRECT:
            assert not response["Location"].startswith(reverse("login"))
    # The actions took effect exactly when they were allowed.
    bukti.refresh_from_db()
    allowed = expected == REDIRECT
    if view == "review":
        assert bukti.status == ("disetujui" if allowed else "diajukan")
    if view == "tarik":
        assert bukti.status == ("ditarik" if allowed else "diajukan")
    if view == "unggah-post":
        assert Bukti.objects.count() == (2 if allowed else 1)
    if view == "monev-post":
        from actionplan.progress.models import CatatanMonev

        assert CatatanMonev.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize("kind", ["pimpinan", "anggota_lain", "unit_lain"])
def test_refused_actions_change_nothing(world, kind):
    from evidence.enums import StatusBukti
    from evidence.models import Bukti

    bukti = world.submit()
    client = world.client_for(kind)
    client.post(reverse("bukti-review", args=[bukti.pk]), {"keputusan": "disetujui"})
    client.post(reverse("bukti-tarik", args=[bukti.pk]))
    client.post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {"bulan": world.today.month, "berkas": [files.pdf()]},
    )
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DIAJUKAN
    assert Bukti.objects.count() == 1


def test_other_units_plan_is_not_listed(world):
    html = world.client_for("anggota").get(reverse("rencana-list")).content.decode()
    assert reverse("rencana-detail", args=[world.rencana.pk]) in html
    assert reverse("rencana-detail", args=[world.rencana_lain.pk]) not in html


def test_navigation_follows_the_role(world):
    def nav(kind: str) -> tuple[bool, ...]:
        html = world.client_for(kind).get(reverse("rencana-list")).content.decode()
        return tuple(
            f">{label}</a>" in html
            for label in ("Dasbor", "Tugas saya", "Antrean review", "Catatan audit")
        )

    # (dasbor, tugas saya, antrean review, catatan audit)
    assert nav("admin") == (True, False, True, True)
    assert nav("pimpinan") == (True, False, False, True)
    assert nav("reviewer") == (True, False, True, False)
    assert nav("anggota") == (False, True, False, False)


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("admin", "dasbor"),
        ("pimpinan", "dasbor"),
        ("reviewer", "dasbor"),
        ("anggota", "tugas-saya"),
        ("unit_lain", "tugas-saya"),
    ],
)
def test_home_is_one_click_from_the_role(world, kind, target):
    response = world.client_for(kind).get(reverse("home"))
    expected = reverse("dasbor", args=[world.rencana.pk]) if target == "dasbor" else reverse(target)
    assert response["Location"] == expected
