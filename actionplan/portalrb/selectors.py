"""Reads for PortalRB: the agency of a unit, the proposed units, and one unit's answers
in the guide's shape (``Panduan Teknis API Integrasi ZI`` v1.0.0, section 3)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse

from actionplan.lke.enums import JenisJawaban, StatusPenilaian
from actionplan.lke.models import JawabanLke, PenilaianLke, SoalLke
from actionplan.models import SatuanKerja
from actionplan.portalrb.models import UnitDiusulkan, Usulan

TAUTAN_SALT = "portalrb-bukti"
DIEVALUASI = (StatusPenilaian.DIEVALUASI, StatusPenilaian.FINAL)


def agency_units(instansi: SatuanKerja | int) -> QuerySet[SatuanKerja]:
    """The agency's own unit and every unit up to three levels below it (the nation,
    its provinces, their kabupaten/kota, one level more)."""
    pk = instansi.pk if isinstance(instansi, SatuanKerja) else instansi
    return SatuanKerja.objects.filter(
        Q(pk=pk) | Q(induk=pk) | Q(induk__induk=pk) | Q(induk__induk__induk=pk)
    )


def agency_of(unit: SatuanKerja) -> int:
    """The top unit above ``unit`` (itself if it has none); one query per level."""
    current = unit
    while current.induk_id is not None:
        current = SatuanKerja.objects.only("pk", "induk_id").get(pk=current.induk_id)
    return current.pk


def unit_list(usulan: Usulan, *, wbbm: bool) -> dict[str, Any]:
    """``GET …/pengusulan/unit-wbk`` / ``unit-wbbm``: one query."""
    rows = UnitDiusulkan.objects.filter(usulan=usulan).select_related("satuan_kerja")
    rows = rows.wbbm() if wbbm else rows.wbk()
    return {
        "tahun": usulan.tahun,
        "units": [
            {
                "id": row.satuan_kerja.slug,
                "nama": row.satuan_kerja.nama,
                "kategori": row.kategori,
                "afirmasi": row.afirmasi,
            }
            for row in rows.order_by("satuan_kerja__nama", "pk")
        ],
    }


def _jawaban(soal: SoalLke, teks: str) -> str | int | float | None:
    """An answer as PortalRB wants it: option letters and Ya/Tidak as text, counts and
    indices as numbers, never a percentage."""
    if not teks:
        return None
    if soal.jenis == JenisJawaban.JUMLAH:
        return int(teks)
    if soal.jenis == JenisJawaban.INDEKS:
        value = Decimal(teks)
        return int(value) if value == value.to_integral_value() else float(value)
    return teks


def bukti_link(
    usulan: Usulan,
    unit: SatuanKerja,
    soal_id: int,
    bukti_ids: list[int],
    *,
    base: str | None = None,
) -> str:
    """The evaluators' link to a question's evidence: signed, carrying exactly the
    evidence it opens; valid until the proposal period ends and while the proposal's
    link version stands."""
    token = signing.dumps(
        {"u": usulan.pk, "s": unit.pk, "q": soal_id, "v": usulan.versi_tautan, "b": bukti_ids},
        salt=TAUTAN_SALT,
        compress=True,
    )
    return (base or settings.ZI_SITE_URL).rstrip("/") + reverse("portalrb-bukti", args=[token])


def penilaian_dievaluasi(unit: SatuanKerja, tahun: int) -> PenilaianLke | None:
    return (
        PenilaianLke.objects.with_unit()
        .filter(satuan_kerja=unit, tahun=tahun, status__in=DIEVALUASI)
        .first()
    )


def jawaban_unit(
    usulan: Usulan, unit: SatuanKerja, penilaian: PenilaianLke, *, base: str | None = None
) -> dict[str, Any]:
    """``GET …/lke/jawaban-unit/{unit_id}``: every question of the master, in its
    order, with both sides. Three queries whatever the number of questions. Evidence
    links start with ``base`` (the address the request came to), else ZI_SITE_URL."""
    answers = {j.soal_id: j for j in JawabanLke.objects.filter(penilaian=penilaian)}
    bukti_ids: dict[int, list[int]] = {}
    for jawaban_id, bukti_id in JawabanLke.bukti.through.objects.filter(
        jawabanlke__penilaian=penilaian
    ).values_list("jawabanlke_id", "bukti_id"):
        bukti_ids.setdefault(jawaban_id, []).append(bukti_id)
    out: list[dict[str, Any]] = []
    for soal in SoalLke.objects.filter(master_id=penilaian.master_id).order_by("excel_baris"):
        j = answers.get(soal.pk)
        if j is None:
            out.append(
                {
                    "soal_id": soal.soal_id,
                    "jawaban_unit": None,
                    "jawaban_tpi": None,
                    "catatan_unit": None,
                    "bukti_dukung_unit": None,
                    "catatan_tpi": None,
                }
            )
            continue
        ids = sorted(bukti_ids.get(j.pk, []))
        out.append(
            {
                "soal_id": soal.soal_id,
                "jawaban_unit": _jawaban(soal, j.jawaban_unit),
                "jawaban_tpi": _jawaban(soal, j.jawaban_tpi),
                "catatan_unit": j.catatan_unit or None,
                "bukti_dukung_unit": (
                    bukti_link(usulan, unit, soal.soal_id, ids, base=base)
                    if ids or j.tautan
                    else None
                ),
                "catatan_tpi": j.catatan_tpi or None,
            }
        )
    return {"unit_id": unit.slug, "nama_unit": unit.nama, "tahun": usulan.tahun, "answers": out}


def as_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
