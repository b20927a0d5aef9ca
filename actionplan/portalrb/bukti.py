"""The read-only evidence pages PortalRB's evaluators open from ``bukti_dukung_unit``:
no account, a signed token carrying the proposal, the unit, the question and exactly
the evidence versions it opens; valid until the proposal period ends (and at most
``ZI_PORTALRB_TAUTAN_HARI`` days), revoked with the proposal's link version. Nothing
else of the unit is reachable with it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from actionplan.lke.models import JawabanLke, SoalLke
from actionplan.portalrb.models import Usulan
from actionplan.portalrb.selectors import TAUTAN_SALT
from evidence.downloads import berkas_response
from evidence.models import BerkasBukti, Bukti


class TautanTidakBerlaku(Http404):
    pass


@dataclass(frozen=True)
class Tautan:
    usulan: Usulan
    unit_id: int
    soal_id: int
    bukti_ids: tuple[int, ...]


def tautan_dari(token: str) -> Tautan:
    """The link's contents, or 404 (expired, revoked, altered: one message)."""
    try:
        data = signing.loads(
            token,
            salt=TAUTAN_SALT,
            max_age=datetime.timedelta(days=settings.ZI_PORTALRB_TAUTAN_HARI),
        )
        usulan = Usulan.objects.select_related("instansi").get(pk=int(data["u"]))
        tautan = Tautan(usulan, int(data["s"]), int(data["q"]), tuple(int(b) for b in data["b"]))
        versi = int(data["v"])
    except (signing.BadSignature, Usulan.DoesNotExist, KeyError, TypeError, ValueError):
        raise TautanTidakBerlaku("Tautan bukti tidak berlaku.") from None
    if versi != usulan.versi_tautan:
        raise TautanTidakBerlaku("Tautan bukti sudah dicabut.")
    if usulan.berakhir is not None and timezone.localdate() > usulan.berakhir:
        raise TautanTidakBerlaku("Periode pengusulan sudah berakhir; tautan tidak berlaku.")
    return tautan


def _headers(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def halaman(request: HttpRequest, token: str) -> HttpResponse:
    tautan = tautan_dari(token)
    soal = (
        SoalLke.objects.filter(
            master__penilaian__satuan_kerja_id=tautan.unit_id,
            master__penilaian__tahun=tautan.usulan.tahun,
            soal_id=tautan.soal_id,
        )
        .select_related("node")
        .first()
    )
    jawaban = (
        JawabanLke.objects.filter(
            penilaian__satuan_kerja_id=tautan.unit_id,
            penilaian__tahun=tautan.usulan.tahun,
            soal__soal_id=tautan.soal_id,
        )
        .select_related("penilaian__satuan_kerja")
        .first()
    )
    if soal is None or jawaban is None:
        raise Http404("Jawaban tidak ditemukan.")
    versions = list(
        Bukti.objects.filter(pk__in=tautan.bukti_ids)
        .with_plan()
        .prefetch_related("berkas")
        .order_by("slot__langkah_aksi_id", "slot__bulan")
    )
    response = render(
        request,
        "portalrb/bukti.html",
        {
            "token": token,
            "unit": jawaban.penilaian.satuan_kerja,
            "tahun": tautan.usulan.tahun,
            "soal": soal,
            "jawaban": jawaban,
            "versions": versions,
            "berakhir": tautan.usulan.berakhir,
        },
    )
    return _headers(response)  # type: ignore[return-value]


@require_GET
def berkas(request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    tautan = tautan_dari(token)
    found = BerkasBukti.objects.filter(pk=pk, bukti_id__in=tautan.bukti_ids).first()
    if found is None:
        raise Http404("Berkas tidak ditemukan.")
    return _headers(berkas_response(found))
