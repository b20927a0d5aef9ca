"""The Excel import in the admin: preview with row errors, then confirm."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actionplan.documents.xlsx import DATA_SHEET, workbook_bytes
from actionplan.models import LangkahAksi
from actionplan.selectors import plan_rows
from tests.documents.test_xlsx import _empty_twin


def _upload(client, rencana, content: bytes):
    return client.post(
        reverse("admin:actionplan_langkahaksi_import"),
        {
            "rencana": rencana.pk,
            "format": "0",
            "import_file": SimpleUploadedFile(
                "rencana.xlsx",
                content,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        },
    )


def test_import_page_offers_the_plan_and_the_format(superuser_client, banyumas):
    response = superuser_client.get(reverse("admin:actionplan_langkahaksi_import"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rencana aksi tujuan" in html
    assert "xlsx (ZI Tracker)" in html


def test_preview_then_confirm_imports_the_whole_plan(superuser_client, banyumas):
    twin = _empty_twin(banyumas)
    preview = _upload(superuser_client, twin, workbook_bytes(banyumas))
    assert preview.status_code == 200
    assert LangkahAksi.objects.of_plan(twin).count() == 0  # the preview writes nothing
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    response = superuser_client.post(
        reverse("admin:actionplan_langkahaksi_process_import"),
        {**confirm.initial, "rencana": twin.pk},
    )
    assert response.status_code == 302
    assert plan_rows(twin) == plan_rows(banyumas)


def test_preview_lists_bad_rows_and_offers_no_confirm(superuser_client, banyumas):
    twin = _empty_twin(banyumas)
    book = load_workbook(io.BytesIO(workbook_bytes(banyumas)))
    book[DATA_SHEET]["I5"].value = "13"
    book[DATA_SHEET]["J7"].value = "TIM HANTU"
    out = io.BytesIO()
    book.save(out)
    response = _upload(superuser_client, twin, out.getvalue())
    html = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "Beberapa baris tidak valid" in html  # the project's Indonesian catalogue
    assert "bulan &#x27;13&#x27; tidak sah" in html  # escaped like any text on the page
    assert "TIM HANTU" in html
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [4, 6]
    assert LangkahAksi.objects.of_plan(twin).count() == 0


def test_broken_file_is_refused_with_a_message(superuser_client, banyumas):
    response = _upload(superuser_client, banyumas, b"PK\x03\x04 bukan excel")
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert response.context.get("confirm_form") is None
