"""PortalRB's pull API, exactly in the shapes of its guide (``Panduan Teknis API
Integrasi ZI`` v1.0.0): ``GET {base}/pengusulan/unit-wbk``, ``…/unit-wbbm`` and
``…/lke/jawaban-unit/{unit_id}`` under ``/api/portalrb``, with ``Authorization:
Bearer <token>`` of the agency. Every answer that is not 2xx is the guide's JSON error
body; every request is logged (``Pengambilan``) and audited."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actionplan.http import client_ip
from actionplan.models import SatuanKerja
from actionplan.portalrb import selectors, services
from actionplan.portalrb.models import Snapshot, TokenApi, UnitDiusulkan, Usulan

logger = logging.getLogger(__name__)
UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


@dataclass
class Call:
    token: TokenApi | None = None
    unit_id: int | None = None


def _json(status: int, body: bytes, extra: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="application/json")
    for key, value in (extra or {}).items():
        response[key] = value
    response["Cache-Control"] = "no-store"
    return response


def _error(e: ApiError) -> HttpResponse:
    body = selectors.as_bytes({"error": True, "code": e.code, "message": e.message})
    extra = {}
    if e.status == 401:
        extra["WWW-Authenticate"] = 'Bearer realm="portalrb"'
    if e.retry_after is not None:
        extra["Retry-After"] = str(e.retry_after)
    return _json(e.status, body, extra)


def _token(request: HttpRequest) -> TokenApi:
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(
            401, "UNAUTHORIZED", "Token tidak dikirimkan (Authorization: Bearer <token>)."
        )
    token = (
        TokenApi.objects.aktif()
        .select_related("instansi")
        .filter(hash=services.token_hash(raw.strip()))
        .first()
    )
    if token is None:
        raise ApiError(401, "UNAUTHORIZED", "Token tidak valid atau sudah dicabut.")
    return token


def _rate_limit(token: TokenApi) -> None:
    """A fixed window per token and minute in the shared cache."""
    limit = settings.ZI_PORTALRB_PER_MENIT
    now = time.time()
    window = int(now // 60)
    key = f"portalrb:rate:{token.pk}:{window}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        count = 1
    if count > limit:
        raise ApiError(
            429,
            "RATE_LIMITED",
            f"Terlalu banyak permintaan: paling banyak {limit} per menit per token.",
            retry_after=max(1, 60 - int(now % 60)),
        )


def _tahun(request: HttpRequest) -> int | None:
    raw = request.GET.get("tahun")
    if raw is None:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ApiError(422, "VALIDATION_ERROR", f"Parameter tahun '{raw[:20]}' tidak valid.")
    return int(raw)


def _usulan(instansi_id: int, tahun: int | None) -> Usulan:
    rows = Usulan.objects.filter(instansi_id=instansi_id)
    usulan = rows.filter(tahun=tahun).first() if tahun else rows.order_by("-tahun").first()
    if usulan is None:
        raise ApiError(404, "DATA_NOT_FOUND", "Data pengusulan untuk instansi ini belum tersedia.")
    return usulan


def endpoint(view: Callable[..., bytes]) -> Callable[..., HttpResponse]:
    """Authenticate, rate-limit, run, answer in JSON, log and audit the call."""

    @wraps(view)
    @never_cache
    @require_GET
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        call = Call()
        try:
            call.token = _token(request)
            _rate_limit(call.token)
            response = _json(200, view(request, call, **kwargs))
            code = ""
        except ApiError as e:
            response, code = _error(e), e.code
        except Exception:
            logger.exception("PortalRB API gagal: %s", request.path)
            response = _error(
                ApiError(500, "INTERNAL_ERROR", "Terjadi kesalahan di sisi instansi.")
            )
            code = "INTERNAL_ERROR"
        try:
            services.pengambilan_catat(
                token=call.token,
                instansi_id=call.token.instansi_id if call.token else None,
                satuan_kerja_id=call.unit_id,
                jalur=request.get_full_path(),
                status=response.status_code,
                kode=code,
                ip=client_ip(request) or "",
            )
        except Exception:  # the answer is more important than its log line
            logger.exception("Pengambilan PortalRB tidak tercatat: %s", request.path)
        return response

    return wrapper


@endpoint
def unit_wbk(request: HttpRequest, call: Call) -> bytes:
    assert call.token is not None
    usulan = _usulan(call.token.instansi_id, _tahun(request))
    return selectors.as_bytes(selectors.unit_list(usulan, wbbm=False))


@endpoint
def unit_wbbm(request: HttpRequest, call: Call) -> bytes:
    assert call.token is not None
    usulan = _usulan(call.token.instansi_id, _tahun(request))
    return selectors.as_bytes(selectors.unit_list(usulan, wbbm=True))


@endpoint
def jawaban_unit(request: HttpRequest, call: Call, unit_id: str) -> bytes:
    assert call.token is not None
    if not UNIT_ID.match(unit_id):
        raise ApiError(422, "VALIDATION_ERROR", "unit_id tidak valid.")
    unit = SatuanKerja.objects.filter(slug=unit_id).first()
    if unit is None:
        raise ApiError(404, "DATA_NOT_FOUND", f"Unit '{unit_id}' tidak ditemukan.")
    call.unit_id = unit.pk
    instansi_id = call.token.instansi_id
    if not selectors.agency_units(instansi_id).filter(pk=unit.pk).exists():
        raise ApiError(403, "FORBIDDEN", "Unit ini bukan milik instansi pemilik token.")
    tahun = _tahun(request)
    proposed = UnitDiusulkan.objects.filter(usulan__instansi_id=instansi_id, satuan_kerja=unit)
    if tahun:
        proposed = proposed.filter(usulan__tahun=tahun)
    row = proposed.select_related("usulan").order_by("-usulan__tahun").first()
    if row is None:
        raise ApiError(404, "DATA_NOT_FOUND", f"Unit '{unit_id}' tidak diusulkan.")
    usulan = row.usulan
    if usulan.final:
        snapshot = Snapshot.objects.filter(usulan=usulan, satuan_kerja=unit).first()
        if snapshot is not None:
            return bytes(snapshot.isi)
    penilaian = selectors.penilaian_dievaluasi(unit, usulan.tahun)
    if penilaian is None:
        raise ApiError(
            404, "DATA_NOT_FOUND", f"Jawaban LKE {unit.nama} {usulan.tahun} belum dievaluasi TPI."
        )
    base = request.build_absolute_uri("/")
    return selectors.as_bytes(selectors.jawaban_unit(usulan, unit, penilaian, base=base))
