"""Permission matrix of LKE URLs (joined into tests/test_permissions.py's coverage
check): URL name -> the matrix row that covers it. The documents (workbook, PDF) are for
the unit's admin, pimpinan and the TPI; the import for the admin (unit columns) and the
TPI (TPI columns)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import USER_KINDS

LOGIN = "login"
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404

# view -> expected status per kind, in USER_KINDS order:
#            admin      pimpinan   reviewer   anggota    anggota_lain unit_lain  anonim
MATRIX = {
    "lke-excel": [OK, OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "lke-pdf": [OK, OK, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "lke-impor-get": [OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
    "lke-impor-post": [REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, NOT_FOUND, LOGIN],
}

COVERED: dict[str, str] = {
    "lke-excel": "lke-excel",
    "lke-pdf": "lke-pdf",
    "lke-impor": "lke-impor-get",
}

CASES = [
    (view, kind, expected)
    for view, row in MATRIX.items()
    for kind, expected in zip(USER_KINDS, row, strict=True)
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(("view", "kind", "expected"), CASES)
def test_permission_matrix(world, lke_master, monkeypatch, view, kind, expected):
    from actionplan.documents import lke_pdf
    from actionplan.documents.lke_xlsx import workbook_bytes
    from actionplan.lke.models import PeristiwaPenilaian
    from tests.documents.test_lke_xlsx import make_penilaian

    # The PDF's content is tested in test_lke_pdf; here only who gets it.
    monkeypatch.setattr(lke_pdf, "render_pdf", lambda html: b"%PDF-1.7 uji")
    penilaian = make_penilaian(world)
    args = [world.unit.slug, 2026]
    client = world.client_for(kind)
    if view == "lke-excel":
        response = client.get(reverse("lke-excel", args=args))
    elif view == "lke-pdf":
        response = client.get(reverse("lke-pdf", args=args))
    elif view == "lke-impor-get":
        response = client.get(reverse("lke-impor", args=args))
    else:
        upload = SimpleUploadedFile("lke.xlsx", workbook_bytes(penilaian), content_type=XLSX)
        response = client.post(reverse("lke-impor", args=args), {"berkas": upload})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
        if expected == REDIRECT:
            assert response["Location"] == reverse("lke-penilaian", args=args)
    if view in ("lke-excel", "lke-pdf") and expected == OK:
        ext = "xlsx" if view == "lke-excel" else "pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="lke-{world.unit.slug}-2026.{ext}"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    if view == "lke-impor-post":
        imported = PeristiwaPenilaian.objects.filter(penilaian=penilaian, aksi="diimpor").count()
        assert imported == (1 if expected == REDIRECT else 0)


def test_import_page_shows_each_bad_row_and_changes_nothing(world, lke_master):
    from actionplan.documents.lke_xlsx import workbook_bytes
    from tests.documents.test_lke_xlsx import counts, edited, make_penilaian

    penilaian = make_penilaian(world)
    data = edited(workbook_bytes(penilaian), K6="Mungkin", K7="=A1")
    before = counts()
    response = world.client_for("admin").post(
        reverse("lke-impor", args=[world.unit.slug, 2026]),
        {"berkas": SimpleUploadedFile("lke.xlsx", data, content_type=XLSX)},
    )
    assert response.status_code == 200
    assert response.context["kesalahan"] == [
        "Baris 6 (soal 1), kolom K (jawaban unit): Jawaban 'Mungkin' tidak dikenal; "
        "pilihan: Ya, Tidak.",
        "Baris 7 (soal 2), sel K7 (jawaban unit): berisi rumus; tuliskan nilainya saja.",
    ]
    html = response.content.decode()
    assert "Workbook tidak diimpor: tidak ada yang diubah." in html
    assert "Baris 6 (soal 1)" in html and "Baris 7 (soal 2)" in html
    assert counts() == before


def test_tpi_may_not_change_the_unit_columns(world, lke_master):
    from actionplan.documents.lke_xlsx import workbook_bytes
    from actionplan.lke.enums import StatusPenilaian
    from actionplan.lke.services import BarisIsi, penilaian_isi, penilaian_pindah
    from tests.documents.test_lke_xlsx import counts, edited, make_penilaian

    penilaian = make_penilaian(world)
    penilaian_isi(penilaian=penilaian, baris={1: BarisIsi(1, "Ya")}, by=None, sumber="uji")
    penilaian_pindah(penilaian=penilaian, ke=StatusPenilaian.DIAJUKAN, by=world.users["admin"])
    data = workbook_bytes(penilaian)
    url = reverse("lke-impor", args=[world.unit.slug, 2026])
    client = world.client_for("reviewer")
    before = counts()
    response = client.post(
        url, {"berkas": SimpleUploadedFile("lke.xlsx", edited(data, K6="Tidak", N6="Ya"))}
    )
    assert response.status_code == 200
    assert any("tidak berhak mengubah jawaban unit" in m for m in response.context["kesalahan"])
    assert counts() == before
    response = client.post(url, {"berkas": SimpleUploadedFile("lke.xlsx", edited(data, N6="Ya"))})
    assert response.status_code == 302
    assert penilaian.jawaban.get(soal__soal_id=1).jawaban_tpi == "Ya"


def test_the_upload_must_be_an_xlsx_file(world, lke_master):
    response = world.client_for("admin").post(
        reverse("lke-impor", args=[world.unit.slug, 2026]),
        {"berkas": SimpleUploadedFile("lke.csv", b"a,b\n")},
    )
    assert response.status_code == 200
    assert "Pilih berkas Excel .xlsx" in response.content.decode()
