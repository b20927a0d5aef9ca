"""Permission matrix of the PortalRB pages (joined into tests/test_permissions.py's
coverage check). The world unit is a top unit, so its admin is the agency's admin.
The API answers session users as it answers anyone without a token (JSON 401); the
evaluators' evidence pages answer anyone holding the signed link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actionplan.portalrb.models import TokenApi, UnitDiusulkan
from tests.conftest import USER_KINDS

LOGIN = "login"
OK, REDIRECT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND = 200, 302, 401, 403, 404

#            admin      pimpinan   reviewer   anggota    anggota_lain unit_lain  anonim
MATRIX = {
    # A single agency redirects to its proposal; the others see an (empty) list.
    "beranda": [REDIRECT, OK, OK, OK, OK, OK, LOGIN],
    "usulan": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "usulan-post": [REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "token": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "token-post": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "riwayat": [OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "api-wbk": [UNAUTHORIZED] * 7,
    "api-wbbm": [UNAUTHORIZED] * 7,
    "api-jawaban": [UNAUTHORIZED] * 7,
    "bukti": [OK] * 7,
    "bukti-berkas": [OK] * 7,
}
COVERED = {
    "portalrb-beranda": "beranda",
    "portalrb-usulan": "usulan",
    "portalrb-token": "token",
    "portalrb-riwayat": "riwayat",
    "portalrb-api-wbk": "api-wbk",
    "portalrb-api-wbbm": "api-wbbm",
    "portalrb-api-jawaban": "api-jawaban",
    "portalrb-bukti": "bukti",
    "portalrb-bukti-berkas": "bukti-berkas",
}
CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(USER_KINDS, row, strict=True)
]


def _link(agency) -> str:
    from actionplan.portalrb import selectors

    return (
        selectors.bukti_link(agency.usulan, agency.world.unit, 1, [agency.bukti.pk])
        .split("/bukti-lke/")[1]
        .strip("/")
    )


def _request(agency, view: str, kind: str):
    world = agency.world
    client = world.client_for(kind)
    slug = world.unit.slug
    if view == "beranda":
        return client.get(reverse("portalrb-beranda"))
    if view == "usulan":
        return client.get(reverse("portalrb-usulan", args=[slug, 2026]))
    if view == "usulan-post":
        return client.post(
            reverse("portalrb-usulan", args=[slug, 2026]),
            {"aksi": "batalkan", "satuan_kerja": world.unit.pk},
        )
    if view == "token":
        return client.get(reverse("portalrb-token", args=[slug]))
    if view == "token-post":
        return client.post(reverse("portalrb-token", args=[slug]), {"aksi": "buat", "nama": "x"})
    if view == "riwayat":
        return client.get(reverse("portalrb-riwayat", args=[slug]))
    if view == "api-wbk":
        return client.get(reverse("portalrb-api-wbk"))
    if view == "api-wbbm":
        return client.get(reverse("portalrb-api-wbbm"))
    if view == "api-jawaban":
        return client.get(reverse("portalrb-api-jawaban", args=[slug]))
    if view == "bukti":
        return client.get(reverse("portalrb-bukti", args=[_link(agency)]))
    if view == "bukti-berkas":
        return client.get(reverse("portalrb-bukti-berkas", args=[_link(agency), agency.berkas.pk]))
    raise AssertionError(view)


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix(agency, view, kind, expected):
    tokens = TokenApi.objects.count()
    response = _request(agency, view, kind)
    if response.streaming:
        b"".join(response.streaming_content)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    allowed = expected in (OK, REDIRECT)
    if view == "usulan-post":
        assert UnitDiusulkan.objects.count() == (0 if allowed else 1)
    if view == "token-post":
        assert TokenApi.objects.count() == tokens + (1 if allowed else 0)
