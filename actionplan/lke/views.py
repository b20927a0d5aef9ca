"""The assessment's pages: overview, one question (both sides), states, surveys,
settings, history. Thin: access through ``lke.access``, reads through ``lke.pages`` and
``lke.selectors``, writes through ``lke.services``.

The assessment is created on the first visit of its page by someone who may read the
unit (``services.penilaian_get_or_create``): the issue asks for one object created on
first use, the creation is idempotent, recorded as the assessment's first event, and
changes nothing anyone sees but the empty assessment itself, so every page (and every
link to a question) works from the first visit on; the years are limited to the ones an
assessment can have."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from actionplan.access import Akses
from actionplan.lke import access, pages, scoring, selectors, services
from actionplan.lke.enums import TRANSISI, AksiPenilaian, JenisSurvei, Pihak, StatusPenilaian
from actionplan.lke.forms import (
    BatasWaktuForm,
    JawabanTpiForm,
    JawabanUnitForm,
    PemetaanForm,
    StatusForm,
    SurveiForm,
    input_jawaban,
)
from actionplan.lke.models import PemetaanArea, PenilaianLke, SurveiIndeks
from actionplan.models import SatuanKerja, TimKerja

if TYPE_CHECKING:
    from django.contrib.auth.models import User

S = StatusPenilaian
TAHUN_MIN = 2020
PER_HALAMAN = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # behind login_required


def _penilaian(request: HttpRequest, slug: str, tahun: int) -> PenilaianLke:
    """The unit's assessment of the year for someone who may read the unit (404
    otherwise), created on first use."""
    unit = access.unit_for_user(request.user, slug)
    if not TAHUN_MIN <= tahun <= timezone.localdate().year + 1:
        raise Http404("Tahun penilaian tidak tersedia.")
    try:
        penilaian = services.penilaian_get_or_create(
            satuan_kerja=unit, tahun=tahun, by=_user(request)
        )
    except ValidationError as e:
        raise Http404(e.messages[0]) from None
    penilaian.satuan_kerja = unit  # with its parent loaded, for can_evaluate
    return penilaian


def _url(penilaian: PenilaianLke, name: str = "lke-penilaian", *extra: Any) -> str:
    return reverse(name, args=[penilaian.satuan_kerja.slug, penilaian.tahun, *extra])


def _kepala(request: HttpRequest, obj: PenilaianLke) -> dict[str, Any]:
    """What the assessment's header and tabs need (templates/lke/_kepala.html)."""
    return {
        "penilaian": obj,
        "unit": obj.satuan_kerja,
        "boleh_atur": Akses.of(request.user).is_admin(obj.satuan_kerja_id),
    }


# --- the landing page ----------------------------------------------------------------------


@login_required
def beranda(request: HttpRequest) -> HttpResponse:
    """The user's unit's assessment of this year when they read one unit, else the
    list of the units they read."""
    tahun = timezone.localdate().year
    readable = Akses.of(request.user).readable_units()
    units = SatuanKerja.objects.order_by("nama")
    if readable is not None:
        units = units.filter(pk__in=readable)
    rows = list(units)
    if len(rows) == 1:
        return redirect("lke-penilaian", rows[0].slug, tahun)
    return render(request, "lke/beranda.html", {"units": rows, "tahun": tahun})


# --- the assessment ---------------------------------------------------------------------


def _langkah_status(request: HttpRequest, penilaian: PenilaianLke) -> list[dict[str, Any]]:
    """The moves the user may make from the assessment's state, as buttons."""
    out = []
    for (dari, ke), (aksi, _) in TRANSISI.items():
        if dari != penilaian.status:
            continue
        try:
            access.require_transition(request.user, penilaian, ke)
        except PermissionDenied:
            continue
        label = {
            S.DIAJUKAN: "Ajukan ke TPI",
            S.DIEVALUASI: "Selesai evaluasi",
            S.FINAL: "Finalkan",
        }.get(S(ke), "")
        reopen = aksi == AksiPenilaian.DIBUKA_KEMBALI
        if reopen:
            label = f"Buka kembali ke '{S(ke).label}'"
        out.append({"ke": ke, "label": label, "buka": reopen})
    return out


def _ringkasan(penilaian: PenilaianLke) -> dict[str, Any]:
    """Both sides' scores, per area too, as rounded numbers for the page."""
    unit = selectors.nilai(penilaian, Pihak.UNIT).skor
    tpi = selectors.nilai(penilaian, Pihak.TPI).skor
    struktur = scoring.Struktur.of(penilaian.master)
    pemenuhan, reform = struktur.areas("pemenuhan"), struktur.areas("reform")
    areas = []
    for nomor in range(1, 7):
        bobot = sum((float(a[nomor].bobot) for a in (pemenuhan, reform) if nomor in a), start=0.0)
        areas.append(
            {
                "nomor": nomor,
                "unit": float(unit.area_total(nomor)),
                "tpi": float(tpi.area_total(nomor)),
                "bobot": bobot,
            }
        )
    baris = [
        {"nama": "Nilai total", "unit": float(unit.total), "tpi": float(tpi.total), "bobot": 100},
        {
            "nama": "Pengungkit",
            "unit": float(unit.pengungkit),
            "tpi": float(tpi.pengungkit),
            "bobot": 60,
        },
        {"nama": "Hasil", "unit": float(unit.hasil), "tpi": float(tpi.hasil), "bobot": 40},
    ]
    return {
        "baris": baris,
        "areas": areas,
        "terjawab_unit": unit.terjawab,
        "terjawab_tpi": tpi.terjawab,
        "jumlah_soal": unit.jumlah_soal,
    }


@login_required
def penilaian(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    obj = _penilaian(request, slug, tahun)
    area_raw = request.GET.get("area", "")
    area = int(area_raw) if area_raw in {"0", "1", "2", "3", "4", "5", "6"} else None
    filter_ = request.GET.get("saring", "")
    if filter_ not in {"belum", "berbeda"}:
        filter_ = ""
    rencana = pages.rencana_lke(obj)

    def daftar() -> dict[str, Any]:
        groups = pages.grup_soal(obj, rencana)
        html = render_to_string(
            "lke/_daftar_soal.html",
            {
                "groups": pages.saring(groups, area=area, filter_=filter_),
                "unit": obj.satuan_kerja,
                "penilaian": obj,
            },
        )
        return {"html": html, "pilihan": [(g.nomor, g.nama) for g in groups]}

    # The question list is the same for every viewer: kept until an answer (the
    # assessment's revision) or the plan's evidence (its revision) changes, per day
    # (which months are due) and filter.
    key = (
        f"lke-daftar:{obj.pk}:{obj.revisi}:{rencana.pk if rencana else 0}:"
        f"{rencana.revisi if rencana else 0}:{timezone.localdate()}:{area}:{filter_}"
    )
    cached = cast(dict[str, Any], caches["pages"].get_or_set(key, daftar, 3600))
    return render(
        request,
        "lke/penilaian.html",
        {
            **_kepala(request, obj),
            "rencana": rencana,
            "ringkasan": _ringkasan(obj),
            "daftar_soal": mark_safe(cached["html"]),
            "pilihan_area": cached["pilihan"],
            "area": area,
            "saring": filter_,
            "langkah_status": _langkah_status(request, obj),
            "area_saya": []
            if Akses.of(request.user).is_admin(obj.satuan_kerja_id)
            else sorted(access.areas_answered_by(request.user, obj)),
        },
    )


# --- one question ----------------------------------------------------------------------


def _boleh_unit(request: HttpRequest, obj: PenilaianLke, area: int | None) -> bool:
    if obj.status != S.DRAFT:
        return False
    try:
        access.require_answer(request.user, obj, area)
    except PermissionDenied:
        return False
    return True


def _boleh_tpi(request: HttpRequest, obj: PenilaianLke) -> bool:
    # The TPI evaluates what was submitted: not a draft still changing, nor after
    # the evaluation is done.
    return obj.status == S.DIAJUKAN and access.can_evaluate(request.user, obj.satuan_kerja)


@login_required
def soal(request: HttpRequest, slug: str, tahun: int, soal_id: int) -> HttpResponse:
    obj = _penilaian(request, slug, tahun)
    item = pages.soal_halaman(obj, soal_id)
    if item is None:
        raise Http404("Soal tidak ditemukan.")
    area = pages.area_soal(item)
    jawaban = pages.jawaban_halaman(obj, item)
    unit_form = tpi_form = None
    if request.method == "POST":
        pihak = request.POST.get("pihak")
        if pihak == Pihak.UNIT:
            access.require_answer(request.user, obj, area)
            unit_form = JawabanUnitForm(request.POST, soal=item)
            form: JawabanUnitForm | JawabanTpiForm = unit_form
        elif pihak == Pihak.TPI:
            access.require_tpi(request.user, obj, "mengisi jawaban TPI")
            tpi_form = JawabanTpiForm(request.POST, soal=item)
            form = tpi_form
        else:
            raise PermissionDenied("Pihak jawaban tidak dikenal.")
        if pihak == Pihak.TPI and obj.status == S.DRAFT:
            form.add_error(
                None, "Penilaian masih draf unit: TPI menilai setelah penilaian diajukan."
            )
        elif form.is_valid():
            data = form.cleaned_data
            isian = services.Isian(
                jawaban=data["jawaban"],
                catatan=data["catatan"],
                tautan=data.get("tautan"),
                bukti=data.get("bukti"),
            )
            try:
                changed = services.jawaban_simpan(
                    penilaian=obj, soal=item, pihak=Pihak(pihak), isian=isian, by=_user(request)
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                if changed:
                    messages.success(request, f"Jawaban soal {item.soal_id} disimpan.")
                else:
                    messages.info(request, f"Tidak ada yang berubah pada soal {item.soal_id}.")
                target = request.POST.get("lanjut")
                if target and target.isdigit():
                    return redirect(_url(obj, "lke-soal", int(target)))
                return redirect(_url(obj, "lke-soal", item.soal_id))
    rencana = pages.rencana_lke(obj)
    terkait = pages.langkah_per_soal(obj, rencana, [item.pk]).get(item.pk)
    linked = {lb.langkah.pk for lb in terkait.langkah} if terkait else set()
    pilihan = pages.pilihan_bukti(obj, linked)
    dipilih = {b.pk for b in jawaban.bukti.all()} if jawaban else set()
    if unit_form is None:
        unit_form = JawabanUnitForm(
            initial={
                "jawaban": jawaban.jawaban_unit if jawaban else "",
                "catatan": jawaban.catatan_unit if jawaban else "",
                "tautan": jawaban.tautan if jawaban else "",
            },
            soal=item,
        )
    else:
        dipilih = set(unit_form.cleaned_data.get("bukti", [])) if unit_form.is_bound else dipilih
    if tpi_form is None:
        tpi_form = JawabanTpiForm(
            initial={
                "jawaban": jawaban.jawaban_tpi if jawaban else "",
                "catatan": jawaban.catatan_tpi if jawaban else "",
            },
            soal=item,
        )
    sebelum, sesudah = pages.tetangga(obj, item)
    return render(
        request,
        "lke/soal.html",
        {
            **_kepala(request, obj),
            "soal": item,
            "area": area,
            "jawaban": jawaban,
            "unit_form": unit_form,
            "tpi_form": tpi_form,
            "unit_nilai": unit_form["jawaban"].value() or "",
            "tpi_nilai": tpi_form["jawaban"].value() or "",
            "input": input_jawaban(item),
            "boleh_unit": _boleh_unit(request, obj, area),
            "boleh_tpi": _boleh_tpi(request, obj),
            "terkait": terkait,
            "pilihan": pilihan,
            "pilihan_utama": [
                b for b in pilihan if b.slot.langkah_aksi_id in linked or b.pk in dipilih
            ],
            "pilihan_lain": [
                b for b in pilihan if b.slot.langkah_aksi_id not in linked and b.pk not in dipilih
            ],
            "dipilih": dipilih,
            "linked": linked,
            "riwayat": pages.riwayat_soal(jawaban),
            "sebelum": sebelum,
            "sesudah": sesudah,
        },
    )


# --- states -------------------------------------------------------------------------------


@login_required
@require_POST
def status(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    obj = _penilaian(request, slug, tahun)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Status tujuan tidak dikenal.")
        return redirect(_url(obj))
    ke = S(form.cleaned_data["ke"])
    access.require_transition(request.user, obj, ke)
    try:
        services.penilaian_pindah(
            penilaian=obj, ke=ke, by=_user(request), catatan=form.cleaned_data["catatan"]
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    except services.StatusBerubah as e:
        messages.warning(request, str(e))
    else:
        messages.success(request, f"Status penilaian sekarang: {ke.label}.")
    return redirect(_url(obj))


# --- surveys ------------------------------------------------------------------------------


@login_required
def survei(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    obj = _penilaian(request, slug, tahun)
    is_admin = Akses.of(request.user).is_admin(obj.satuan_kerja_id)
    form = SurveiForm()
    if request.method == "POST":
        access.require_admin(request.user, obj, "mencatat dan memilih hasil survei")
        if request.POST.get("aksi") == "pakai":
            chosen = SurveiIndeks.objects.filter(
                pk=request.POST.get("survei", "0")
                if request.POST.get("survei", "").isdigit()
                else 0,
                satuan_kerja_id=obj.satuan_kerja_id,
            ).first()
            if chosen is None:
                messages.error(request, "Hasil survei tidak ditemukan.")
                return redirect(_url(obj, "lke-survei"))
            try:
                services.survei_pakai(penilaian=obj, survei=chosen, by=_user(request))
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
            else:
                messages.success(
                    request, f"Nilai {chosen.jenis} triwulan {chosen.triwulan} dipakai."
                )
            return redirect(_url(obj, "lke-survei"))
        form = SurveiForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.survei_catat(
                    satuan_kerja=obj.satuan_kerja,
                    tahun=obj.tahun,
                    jenis=JenisSurvei(data["jenis"]),
                    triwulan=data["triwulan"],
                    nilai=data["nilai"],
                    responden=data["responden"],
                    sumber=data["sumber"],
                    by=_user(request),
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, "Hasil survei dicatat.")
                return redirect(_url(obj, "lke-survei"))
    rows = list(
        SurveiIndeks.objects.filter(satuan_kerja_id=obj.satuan_kerja_id, tahun=obj.tahun)
        .select_related("dicatat_oleh")
        .order_by("jenis", "triwulan")
    )
    dipakai = {obj.survei_ipak_id, obj.survei_ipkp_id} - {None}
    return render(
        request,
        "lke/survei.html",
        {
            **_kepala(request, obj),
            "rows": rows,
            "dipakai": dipakai,
            "form": form,
            "boleh_catat": is_admin,
        },
    )


# --- settings -----------------------------------------------------------------------------


@login_required
def pengaturan(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    obj = _penilaian(request, slug, tahun)
    access.require_admin(request.user, obj, "mengatur penilaian LKE")
    teams = list(
        TimKerja.objects.filter(satuan_kerja_id=obj.satuan_kerja_id)
        .order_by("nama")
        .values_list("pk", "nama")
    )
    current = access.team_areas(obj)
    initial = {f"area_{a}": sorted(tims) for a, tims in current.items()}
    pemetaan = PemetaanForm(initial=initial, tim=teams)
    batas = BatasWaktuForm(
        initial={"batas_mandiri": obj.batas_mandiri, "batas_evaluasi": obj.batas_evaluasi}
    )
    if request.method == "POST":
        bagian = request.POST.get("bagian")
        if bagian == "pemetaan":
            pemetaan = PemetaanForm(request.POST, tim=teams)
            if pemetaan.is_valid():
                for area in range(1, 7):
                    chosen = set(pemetaan.cleaned_data[f"area_{area}"])
                    if chosen != current[area]:
                        services.pemetaan_simpan(
                            penilaian=obj, area=area, tim_ids=chosen, by=_user(request)
                        )
                messages.success(request, "Pembagian area disimpan.")
                return redirect(_url(obj, "lke-pengaturan"))
        elif bagian == "batas":
            batas = BatasWaktuForm(request.POST)
            if batas.is_valid():
                try:
                    services.batas_waktu_simpan(
                        penilaian=obj,
                        batas_mandiri=batas.cleaned_data["batas_mandiri"],
                        batas_evaluasi=batas.cleaned_data["batas_evaluasi"],
                        by=_user(request),
                    )
                except ValidationError as e:
                    batas.add_error(None, e)
                else:
                    messages.success(request, "Batas waktu disimpan.")
                    return redirect(_url(obj, "lke-pengaturan"))
        else:
            messages.error(request, "Bagian pengaturan tidak dikenal.")
            return redirect(_url(obj, "lke-pengaturan"))
    nama_tim = dict(teams)
    dipilih = set(PemetaanArea.objects.filter(penilaian=obj).values_list("area", flat=True))
    areas = [
        {
            "nomor": a,
            "field": pemetaan[f"area_{a}"],
            "tim": [nama_tim.get(t, "?") for t in sorted(current[a])],
            "bawaan": a not in dipilih,
        }
        for a in range(1, 7)
    ]
    return render(
        request,
        "lke/pengaturan.html",
        {
            **_kepala(request, obj),
            "areas": areas,
            "pemetaan": pemetaan,
            "batas": batas,
            "ada_tim": bool(teams),
        },
    )


# --- history ------------------------------------------------------------------------------


@login_required
def riwayat(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    obj = _penilaian(request, slug, tahun)
    raw = request.GET.get("halaman", "1")
    halaman = int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else 1
    lines, total = pages.riwayat_penilaian(obj, halaman, PER_HALAMAN)
    jumlah_halaman = max(1, -(-total // PER_HALAMAN))
    return render(
        request,
        "lke/riwayat.html",
        {
            **_kepala(request, obj),
            "lines": lines,
            "total": total,
            "halaman": halaman,
            "jumlah_halaman": jumlah_halaman,
            "sebelumnya": halaman - 1 if halaman > 1 else None,
            "berikutnya": halaman + 1 if halaman < jumlah_halaman else None,
        },
    )
