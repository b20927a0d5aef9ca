"""WhatsApp against a local HTTP server standing in for the gateway: the generic webhook
and Fonnte, as configured by the environment only."""

from __future__ import annotations

import urllib.parse

import pytest

from actionplan.notifications.enums import Kanal, StatusKiriman
from actionplan.notifications.kirim import kirim_tertunda
from actionplan.notifications.models import Kiriman, Profil
from evidence.enums import StatusBukti
from evidence.services import bukti_review
from tests.notifications.conftest import json_body

pytestmark = pytest.mark.django_db


def _returned(world) -> None:
    Profil.objects.create(user=world.users["anggota"], telepon="081234567890")
    bukti = world.submit()
    bukti_review(
        bukti=bukti,
        oleh=world.users["reviewer"],
        keputusan=StatusBukti.DIKEMBALIKAN,
        catatan="Foto kegiatan belum ada.",
    )


def test_the_webhook_gets_the_alert_as_json(world, gerbang, settings):
    settings.ZI_WA_PROVIDER = "webhook"
    settings.ZI_WA_URL = f"http://127.0.0.1:{gerbang.port}/kirim"
    settings.ZI_WA_TOKEN = "rahasia-uji"
    _returned(world)
    assert kirim_tertunda().terkirim == 1
    [request] = gerbang.requests
    assert request["path"] == "/kirim"
    assert request["headers"]["Authorization"] == "Bearer rahasia-uji"
    body = json_body(request)
    assert body["to"] == "6281234567890"
    lines = body["message"].splitlines()
    assert lines[0].startswith("*ZI Tracker* — Bukti dikembalikan: I.1 Juni: ")
    assert "• Catatan reviewer: Foto kegiatan belum ada." in lines
    assert lines[-1] == f"http://127.0.0.1:8000/langkah/{world.langkah.pk}/"
    row = Kiriman.objects.get(kanal=Kanal.WA)
    assert (row.status, row.lewat, row.tujuan) == (
        StatusKiriman.TERKIRIM,
        "webhook",
        "081234567890",
    )


def test_fonnte_gets_a_form_with_the_token_header(world, gerbang, settings):
    settings.ZI_WA_PROVIDER = "fonnte"
    settings.ZI_WA_URL = f"http://127.0.0.1:{gerbang.port}/send"
    settings.ZI_WA_TOKEN = "token-fonnte"
    _returned(world)
    assert kirim_tertunda().terkirim == 1
    [request] = gerbang.requests
    assert request["headers"]["Authorization"] == "token-fonnte"
    form = urllib.parse.parse_qs(request["body"])
    assert form["target"] == ["6281234567890"]
    assert "Catatan reviewer: Foto kegiatan belum ada." in form["message"][0]


def test_a_refusal_by_fonnte_is_retried_later(world, gerbang, settings):
    settings.ZI_WA_PROVIDER = "fonnte"
    settings.ZI_WA_URL = f"http://127.0.0.1:{gerbang.port}/send"
    gerbang.jawaban = b'{"status": false, "reason": "token invalid"}'
    _returned(world)
    assert kirim_tertunda().ditunda == 1
    row = Kiriman.objects.get(kanal=Kanal.WA)
    assert (row.status, row.percobaan) == (StatusKiriman.MENUNGGU, 1)
    assert "token invalid" in row.galat


def test_no_whatsapp_without_a_gateway_or_a_number(world, settings):
    settings.ZI_WA_PROVIDER = ""
    _returned(world)
    assert not Kiriman.objects.filter(kanal=Kanal.WA).exists()
