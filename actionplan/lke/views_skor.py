"""The verdict and what is left to gain, the roll-up of units below, the thresholds,
and the links from steps to questions."""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from actionplan.access import Akses, langkah_for_user, unit_of_langkah
from actionplan.enums import romawi
from actionplan.lke import access, gaps, selectors, services
from actionplan.lke.enums import Bagian
from actionplan.lke.forms_skor import AmbangForm, TautanSoalForm
from actionplan.lke.models import MasterLke, PenilaianLke, SoalLke, TautanSoal
from actionplan.lke.rollup import URUTAN, rekap_lke, tanda

PER_HALAMAN = 50


@login_required
def skor(request: HttpRequest, slug: str, tahun: int) -> HttpResponse:
    """Both sides' scores beside the weights, the verdict per predicate, the points
    still to gain and the answers whose evidence is weak."""
    unit = access.unit_for_user(request.user, slug)
    penilaian = PenilaianLke.objects.with_unit().filter(satuan_kerja=unit, tahun=tahun).first()
    context: dict[str, object] = {"unit": unit, "tahun": tahun, "penilaian": penilaian}
    if penilaian is not None:
        halaman = gaps.halaman_skor(penilaian, request.GET.get("pihak"))
        context["h"] = halaman
    return render(request, "lke/skor.html", context)


REKAP_TTL = 300  # seconds: a renamed unit shows its new name within this


@login_required
def rekap(request: HttpRequest, tahun: int) -> HttpResponse:
    """The units below the viewer's units with their LKE score and verdict, worst
    first by default."""
    akses = Akses.of(request.user)
    if not akses.superuser and not akses.watches_any:
        raise PermissionDenied("Rekap LKE untuk pimpinan, admin atau TPI satuan kerja induk.")
    urutan = request.GET.get("urutan", "terburuk")
    if urutan not in URUTAN:
        urutan = "terburuk"
    units = None if akses.superuser else akses.watched_filter("")
    halaman_no = request.GET.get("halaman", "1")
    halaman_no = halaman_no if halaman_no.isdigit() and len(halaman_no) < 6 else "1"

    def isi() -> str:
        rows = rekap_lke(units, tahun, urutan=urutan)
        halaman = Paginator(rows, PER_HALAMAN).get_page(halaman_no)
        return render_to_string(
            "lke/_rekap_isi.html",
            {
                "tahun": tahun,
                "halaman": halaman,
                "jumlah": len(rows),
                "urutan": urutan,
                "pilihan_urutan": URUTAN.items(),
            },
        )

    # The body is the same for everyone who watches the same units, until an assessment,
    # a threshold or a predicate changes (``tanda``); names of units may lag by the TTL.
    scope = "semua" if akses.superuser else akses.watched_scope()
    key = f"lke-rekap:{scope}:{tahun}:{urutan}:{halaman_no}:{tanda(units, tahun)}"
    body = cast(str, caches["pages"].get_or_set(key, isi, REKAP_TTL))
    return render(request, "lke/rekap.html", {"tahun": tahun, "isi": mark_safe(body)})


@login_required
def ambang(request: HttpRequest, tahun: int) -> HttpResponse:
    """The year's WBK and WBBM thresholds (national admin)."""
    if not access.can_set_thresholds(request.user):
        raise PermissionDenied("Ambang predikat diatur oleh admin nasional.")
    awal = selectors.ambang_tahun(tahun)
    if request.method == "POST":
        form = AmbangForm(request.POST, awal=awal)
        if form.is_valid():
            try:
                services.ambang_simpan(tahun=tahun, nilai=form.nilai(), by=cast(User, request.user))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Ambang predikat tahun {tahun} tersimpan.")
                return redirect("lke-ambang", tahun=tahun)
    else:
        form = AmbangForm(awal=awal)
    return render(request, "lke/ambang.html", {"tahun": tahun, "form": form})


def _soal_per_area(master: MasterLke) -> list[tuple[str, list[SoalLke]]]:
    """The master's questions grouped by area, Pemenuhan and Reform apart, Hasil last."""
    groups: dict[tuple[int, int, str], list[SoalLke]] = defaultdict(list)
    for soal in SoalLke.objects.filter(master=master).in_order():
        node = soal.node
        if node.bagian == Bagian.HASIL or node.area is None:
            key = (7, 0, "Hasil")
        else:
            urut = 0 if node.bagian == Bagian.PEMENUHAN else 1
            label = f"Area {romawi(node.area)} ({node.get_bagian_display()})"
            key = (node.area, urut, label)
        groups[key].append(soal)
    return [(key[2], groups[key]) for key in sorted(groups)]


@login_required
def tautan_langkah(request: HttpRequest, pk: int) -> HttpResponse:
    """The LKE questions a step serves: everyone who reads the step sees them, the
    unit's admin changes them."""
    langkah = langkah_for_user(request.user, pk)
    unit_id = unit_of_langkah(langkah)
    boleh_ubah = Akses.of(request.user).is_admin(unit_id)
    rencana = langkah.rencana
    master = MasterLke.objects.for_year(rencana.tahun)
    context: dict[str, object] = {"langkah": langkah, "master": master, "boleh_ubah": boleh_ubah}
    if request.method == "POST" and not boleh_ubah:
        raise PermissionDenied("Hanya admin satuan kerja yang dapat mengubah soal LKE langkah ini.")
    if master is None:
        return render(request, "lke/tautan_langkah.html", context)
    groups = _soal_per_area(master)
    all_ids = [s.soal_id for _, soal in groups for s in soal]
    terpilih = set(
        TautanSoal.objects.filter(langkah=langkah, soal__master=master).values_list(
            "soal__soal_id", flat=True
        )
    )
    if request.method == "POST":
        form = TautanSoalForm(request.POST, soal_ids=all_ids)
        if form.is_valid():
            try:
                services.tautan_soal_simpan(
                    langkah=langkah,
                    soal_ids=form.cleaned_data["soal"],
                    master=master,
                    by=cast(User, request.user),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                jumlah = len(form.cleaned_data["soal"])
                messages.success(request, f"Langkah aksi ini kini melayani {jumlah} soal LKE.")
                return redirect(reverse("lke-tautan-langkah", args=[langkah.pk]))
        terpilih = {int(v) for v in request.POST.getlist("soal") if v.isdigit()}
    else:
        form = TautanSoalForm(soal_ids=all_ids)
    context.update({"groups": groups, "terpilih": terpilih, "form": form})
    return render(request, "lke/tautan_langkah.html", context)
