"""PortalRB's pull API driven as PortalRB would (its guide, field by field): the unit
lists, each unit's answers, the error bodies, the rate limit, the freeze."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from actionplan.enums import AksiAudit
from actionplan.lke import services as lke
from actionplan.lke.enums import Pihak, Predikat, StatusPenilaian
from actionplan.lke.models import PredikatUnit
from actionplan.models import CatatanAudit
from actionplan.portalrb import services
from actionplan.portalrb.enums import Kategori
from actionplan.portalrb.models import Pengambilan, TokenApi
from tests.factories import RencanaAksiFactory

WBK = reverse("portalrb-api-wbk")
WBBM = reverse("portalrb-api-wbbm")


def jawaban_url(unit_id: str) -> str:
    return reverse("portalrb-api-jawaban", args=[unit_id])


def get(url: str, headers: dict[str, str], **params) -> tuple[int, dict, object]:
    response = Client().get(url, params, **headers)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content), response


def test_the_api_base_is_the_one_the_agency_registers():
    assert WBK == "/api/portalrb/pengusulan/unit-wbk"
    assert WBBM == "/api/portalrb/pengusulan/unit-wbbm"
    assert jawaban_url("kpu-banyumas") == "/api/portalrb/lke/jawaban-unit/kpu-banyumas"


def test_the_wbk_list_in_the_guides_shape(agency):
    status, body, _ = get(WBK, agency.headers())
    assert status == 200
    assert body == {
        "tahun": 2026,
        "units": [
            {
                "id": agency.world.unit.slug,
                "nama": agency.world.unit.nama,
                "kategori": "WBK",
                "afirmasi": False,
            }
        ],
    }


def test_afirmasi_and_wbbm(agency):
    world = agency.world
    services.unit_usulkan(
        usulan=agency.usulan,
        satuan_kerja=agency.unit_below,
        kategori=Kategori.WBK_AFIRMASI,
        by=world.users["admin"],
    )
    _, body, _ = get(WBK, agency.headers())
    afirmasi = [u for u in body["units"] if u["id"] == agency.unit_below.slug]
    assert afirmasi == [
        {
            "id": agency.unit_below.slug,
            "nama": "KPU Kabupaten Bawah",
            "kategori": "WBK-AFIRMASI",
            "afirmasi": True,
        }
    ]
    status, body, _ = get(WBBM, agency.headers())
    assert (status, body) == (200, {"tahun": 2026, "units": []})


def test_a_unit_proposed_for_wbbm_must_hold_wbk(agency):
    from django.core.exceptions import ValidationError

    admin = agency.world.users["admin"]
    with pytest.raises(ValidationError, match="belum tercatat berpredikat WBK"):
        services.unit_usulkan(
            usulan=agency.usulan, satuan_kerja=agency.unit_below, kategori=Kategori.WBBM, by=admin
        )
    PredikatUnit.objects.create(
        satuan_kerja=agency.unit_below, predikat=Predikat.WBK, sejak="2024-12-10"
    )
    services.unit_usulkan(
        usulan=agency.usulan, satuan_kerja=agency.unit_below, kategori=Kategori.WBBM, by=admin
    )
    _, body, _ = get(WBBM, agency.headers())
    assert [u["kategori"] for u in body["units"]] == ["WBBM"]


def test_the_answers_in_the_guides_shape(agency):
    status, body, _ = get(jawaban_url(agency.world.unit.slug), agency.headers())
    assert status == 200
    assert list(body) == ["unit_id", "nama_unit", "tahun", "answers"]
    assert (body["unit_id"], body["nama_unit"], body["tahun"]) == (
        agency.world.unit.slug,
        agency.world.unit.nama,
        2026,
    )
    assert len(body["answers"]) == 127
    by_id = {a["soal_id"]: a for a in body["answers"]}
    fields = [
        "soal_id",
        "jawaban_unit",
        "jawaban_tpi",
        "catatan_unit",
        "bukti_dukung_unit",
        "catatan_tpi",
    ]
    assert all(list(a) == fields for a in body["answers"])
    one = by_id[1]
    assert (one["jawaban_unit"], one["jawaban_tpi"], one["catatan_unit"], one["catatan_tpi"]) == (
        "Ya",
        "Ya",
        "SK Tim ZI",
        "Sesuai",
    )
    # The link starts with the address PortalRB called.
    assert one["bukti_dukung_unit"].startswith("http://testserver/bukti-lke/")
    assert (by_id[2]["jawaban_unit"], by_id[2]["jawaban_tpi"]) == ("B", "C")
    # Counts and indices as numbers, never a percentage; blanks as null.
    assert by_id[88]["jawaban_unit"] == 12
    assert by_id[125]["jawaban_unit"] == 3.62
    assert by_id[3] == dict.fromkeys(fields) | {"soal_id": 3}


def test_the_evidence_link_opens_without_an_account_and_only_that(agency, settings):
    _, body, _ = get(jawaban_url(agency.world.unit.slug), agency.headers())
    link = next(a for a in body["answers"] if a["soal_id"] == 1)["bukti_dukung_unit"]
    path = link.removeprefix("http://testserver")
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert agency.berkas.nama_asli in html
    assert "https://kpu.go.id/sk" in html
    assert page["Referrer-Policy"] == "no-referrer"
    download = Client().get(
        reverse("portalrb-bukti-berkas", args=[path.split("/")[2], agency.berkas.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    b"".join(download.streaming_content)
    # Another file of the unit is not reachable with this token.
    from tests.factories import BerkasBuktiFactory, BuktiFactory

    other = BerkasBuktiFactory(bukti=BuktiFactory(slot=agency.world.slot))
    token = path.split("/")[2]
    assert Client().get(reverse("portalrb-bukti-berkas", args=[token, other.pk])).status_code == 404
    # An altered token is refused.
    assert Client().get(reverse("portalrb-bukti", args=[token[:-2] + "xx"])).status_code == 404


def test_evidence_links_expire_with_the_period_and_can_be_revoked(agency, settings, clock):
    import datetime

    _, body, _ = get(jawaban_url(agency.world.unit.slug), agency.headers())
    path = next(a for a in body["answers"] if a["soal_id"] == 1)["bukti_dukung_unit"].removeprefix(
        "http://testserver"
    )
    admin = agency.world.users["admin"]
    services.usulan_periode(usulan=agency.usulan, berakhir=datetime.date(2026, 6, 30), by=admin)
    assert Client().get(path).status_code == 200
    clock.move_to(datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC))
    assert Client().get(path).status_code == 404
    services.usulan_periode(usulan=agency.usulan, berakhir=None, by=admin)
    assert Client().get(path).status_code == 200
    services.tautan_cabut(usulan=agency.usulan, by=admin)
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({}, "UNAUTHORIZED"),
        ({"HTTP_AUTHORIZATION": "Bearer salah"}, "UNAUTHORIZED"),
        ({"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"}, "UNAUTHORIZED"),
    ],
)
def test_no_or_a_wrong_token_gets_the_json_401(agency, header, code):
    status, body, response = get(WBK, header)
    assert status == 401
    assert body["error"] is True and body["code"] == code and body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(agency):
    token = TokenApi.objects.get()
    services.token_cabut(token=token, by=None)
    status, body, _ = get(WBK, agency.headers())
    assert (status, body["code"]) == (401, "UNAUTHORIZED")


def test_another_agencys_unit_is_403_an_unknown_one_404_a_bad_id_422(agency):
    other = RencanaAksiFactory(tahun=2026).satuan_kerja
    status, body, _ = get(jawaban_url(other.slug), agency.headers())
    assert (status, body["code"]) == (403, "FORBIDDEN")
    status, body, _ = get(jawaban_url("tidak-ada"), agency.headers())
    assert (status, body["code"]) == (404, "DATA_NOT_FOUND")
    status, body, _ = get(jawaban_url(agency.unit_below.slug), agency.headers())
    assert (status, body["code"]) == (404, "DATA_NOT_FOUND")  # not proposed
    status, body, _ = get(jawaban_url("unit.x"), agency.headers())
    assert (status, body["code"]) == (422, "VALIDATION_ERROR")
    status, body, _ = get(WBK, agency.headers(), tahun="20x6")
    assert (status, body["code"]) == (422, "VALIDATION_ERROR")
    status, body, _ = get(WBK, agency.headers(), tahun="2019")
    assert (status, body["code"]) == (404, "DATA_NOT_FOUND")


def test_an_agency_without_a_proposal_gets_404(world, lke_master):
    other = RencanaAksiFactory(tahun=2026).satuan_kerja
    _, token = services.token_buat(instansi=other, nama="x", by=None)
    status, body, _ = get(WBK, {"HTTP_AUTHORIZATION": f"Bearer {token}"})
    assert (status, body) == (
        404,
        {
            "error": True,
            "code": "DATA_NOT_FOUND",
            "message": "Data pengusulan untuk instansi ini belum tersedia.",
        },
    )


def test_answers_not_yet_evaluated_are_not_served(agency):
    lke.penilaian_pindah(
        penilaian=agency.penilaian,
        ke=StatusPenilaian.DIAJUKAN,
        by=agency.world.users["reviewer"],
        catatan="Periksa lagi",
    )
    status, body, _ = get(jawaban_url(agency.world.unit.slug), agency.headers())
    assert (status, body["code"]) == (404, "DATA_NOT_FOUND")
    assert "belum dievaluasi TPI" in body["message"]


def test_a_token_asking_too_often_gets_429_with_retry_after(agency, settings):
    settings.ZI_PORTALRB_PER_MENIT = 3
    from django.core.cache import cache

    cache.clear()
    statuses = [get(WBK, agency.headers())[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    _status, body, response = get(WBK, agency.headers())
    assert body["code"] == "RATE_LIMITED"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_every_fetch_is_logged_and_audited(agency):
    get(WBK, agency.headers())
    get(jawaban_url(agency.world.unit.slug), agency.headers())
    get(WBK, {})
    rows = list(Pengambilan.objects.order_by("pk").values_list("jalur", "status", "satuan_kerja"))
    assert rows == [
        (WBK, 200, None),
        (jawaban_url(agency.world.unit.slug), 200, agency.world.unit.pk),
        (WBK, 401, None),
    ]
    assert CatatanAudit.objects.filter(aksi=AksiAudit.PORTALRB_AMBIL).count() == 3
    assert TokenApi.objects.get().terakhir_dipakai is not None


def test_the_freeze_serves_the_same_bytes_until_reopened(agency):
    admin, tpi = agency.world.users["admin"], agency.world.users["reviewer"]
    services.usulan_finalkan(usulan=agency.usulan, by=admin)
    first = Client().get(jawaban_url(agency.world.unit.slug), **agency.headers()).content
    # A change after the freeze does not leak into what PortalRB fetches.
    lke.penilaian_pindah(
        penilaian=agency.penilaian, ke=StatusPenilaian.DIAJUKAN, by=tpi, catatan="Koreksi"
    )
    lke.jawaban_simpan(
        penilaian=agency.penilaian,
        soal=agency.penilaian.master.soal.get(soal_id=2),
        pihak=Pihak.TPI,
        isian=lke.Isian(jawaban="A"),
        by=tpi,
    )
    lke.penilaian_pindah(penilaian=agency.penilaian, ke=StatusPenilaian.DIEVALUASI, by=tpi)
    again = Client().get(jawaban_url(agency.world.unit.slug), **agency.headers()).content
    assert again == first
    services.usulan_buka(usulan=agency.usulan, by=admin, alasan="Koreksi TPI soal 2")
    live = json.loads(Client().get(jawaban_url(agency.world.unit.slug), **agency.headers()).content)
    assert next(a for a in live["answers"] if a["soal_id"] == 2)["jawaban_tpi"] == "A"
    audit = CatatanAudit.objects.filter(
        aksi=AksiAudit.PORTALRB_USULAN, ringkasan__contains="dibuka kembali"
    ).get()
    assert "Koreksi TPI soal 2" in audit.ringkasan


def test_a_proposal_cannot_be_frozen_with_an_unevaluated_unit(agency):
    from django.core.exceptions import ValidationError

    admin = agency.world.users["admin"]
    services.unit_usulkan(
        usulan=agency.usulan, satuan_kerja=agency.unit_below, kategori=Kategori.WBK, by=admin
    )
    with pytest.raises(ValidationError, match="belum dievaluasi TPI: KPU Kabupaten Bawah"):
        services.usulan_finalkan(usulan=agency.usulan, by=admin)
    agency.usulan.refresh_from_db()
    assert agency.usulan.final is False


def test_the_answers_query_count_does_not_grow_with_answers(agency, django_assert_num_queries):
    # token, rate (cache), unit, agency check, proposed row, penilaian, answers,
    # bukti links, questions; then the log: savepoint, insert, token update, audit, release.
    url = jawaban_url(agency.world.unit.slug)
    client = Client()
    with django_assert_num_queries(13):
        client.get(url, **agency.headers())
    admin = agency.world.users["admin"]
    lke.penilaian_pindah(
        penilaian=agency.penilaian,
        ke=StatusPenilaian.DIAJUKAN,
        by=agency.world.users["reviewer"],
        catatan="x",
    )
    lke.penilaian_pindah(
        penilaian=agency.penilaian, ke=StatusPenilaian.DRAFT, by=admin, catatan="x"
    )
    for sid, answer in [(6, "A"), (7, "B"), (8, "C"), (89, "4")]:
        lke.jawaban_simpan(
            penilaian=agency.penilaian,
            soal=agency.penilaian.master.soal.get(soal_id=sid),
            pihak=Pihak.UNIT,
            isian=lke.Isian(jawaban=answer),
            by=admin,
        )
    lke.penilaian_pindah(penilaian=agency.penilaian, ke=StatusPenilaian.DIAJUKAN, by=admin)
    lke.penilaian_pindah(
        penilaian=agency.penilaian, ke=StatusPenilaian.DIEVALUASI, by=agency.world.users["reviewer"]
    )
    with django_assert_num_queries(13):
        client.get(url, **agency.headers())


def test_portalrb_token_command_prints_a_token_once(agency, capsys):
    from django.core.management import CommandError, call_command

    call_command("portalrb_token", instansi=agency.world.unit.slug)
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("zirb_")
    assert TokenApi.objects.filter(hash=services.token_hash(raw)).exists()
    assert not TokenApi.objects.filter(hash=raw).exists()  # stored hashed only
    status, _, _ = get(WBK, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})
    assert status == 200
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("portalrb_token", instansi="tidak-ada")
    with pytest.raises(CommandError, match="satuan kerja teratas"):
        call_command("portalrb_token", instansi=agency.unit_below.slug)
