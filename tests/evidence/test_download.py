from __future__ import annotations

import pytest
from django.urls import reverse

from tests import files


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_download_is_an_attachment_with_safe_headers(world):
    data = files.pdf_bytes("Notulen rapat")
    bukti = world.submit(files=[files.upload("Notulen Rapat.pdf", data)])
    berkas = bukti.berkas.get()
    response, body = _get(world.client_for("pimpinan"), reverse("berkas-unduh", args=[berkas.pk]))
    assert response.status_code == 200
    assert body == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Notulen Rapat.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_download_name_with_non_ascii_is_encoded(world):
    bukti = world.submit(files=[files.upload("Foto Rapat Café.jpg", files.image_bytes("JPEG"))])
    response, _ = _get(
        world.client_for("anggota"), reverse("berkas-unduh", args=[bukti.berkas.get().pk])
    )
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Foto%20Rapat%20Caf%C3%A9.jpg"
    )


def test_download_through_x_accel_redirect(world, settings):
    settings.EVIDENCE_X_ACCEL_PREFIX = "/_bukti_internal/"
    bukti = world.submit()
    berkas = bukti.berkas.get()
    response, body = _get(world.client_for("reviewer"), reverse("berkas-unduh", args=[berkas.pk]))
    assert response.status_code == 200
    assert body == b""
    assert response["X-Accel-Redirect"] == f"/_bukti_internal/{berkas.lokasi}"
    assert response["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("pk", [999999, "abc"])
def test_unknown_file_is_not_found(world, pk):
    response = world.client_for("admin").get(f"/berkas/{pk}/unduh/")
    assert response.status_code == 404


def test_evidence_files_have_no_public_url(world, client):
    bukti = world.submit()
    berkas = bukti.berkas.get()
    for url in (
        f"/media/{berkas.lokasi}",
        f"/{berkas.lokasi}",
        f"/static/../media/{berkas.lokasi}",
    ):
        assert client.get(url).status_code == 404
