"""Progress pages: the leadership dashboard, the lists behind its numbers, a member's
tasks, the roll-up of many units and the search in the plans' texts.

The dashboard's and the roll-up's bodies are the same for every viewer of a plan (or of
a set of watched units) at a moment, so they are rendered once and cached here (in the
"pages" cache, bounded apart from the small entries), keyed on
the plan revisions (actionplan.revisions): a change raises the revision and the next
request renders afresh; nothing is ever invalidated by hand."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actionplan.access import Akses, rencana_admin_for_user, rencana_dashboard_for_user
from actionplan.enums import BULAN_CHOICES, nama_bulan
from actionplan.models import AreaPerubahan, RencanaAksi
from actionplan.progress.dashboard import dashboard, my_tasks, slot_list, team_progress
from actionplan.progress.forms import CatatanMonevForm
from actionplan.progress.models import CatatanMonev
from actionplan.progress.moment import (
    CACHE_SECONDS,
    Moment,
    chosen_moment,
    chosen_month,
    picture_revision,
)
from actionplan.progress.rollup import rollup, year_digest
from actionplan.progress.search import MIN_LENGTH, search
from actionplan.progress.services import catatan_monev_simpan
from actionplan.progress.states import METRICS, State
from actionplan.revisions import team_steps_revision

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@login_required
def dasbor(request: HttpRequest, pk: int) -> HttpResponse:
    rencana = rencana_dashboard_for_user(request.user, pk)
    moment = chosen_moment(request.GET.get("bulan", ""), rencana)
    body = caches["pages"].get_or_set(
        f"dasbor:{rencana.pk}:{picture_revision(rencana, moment)}:{moment.key}",
        lambda: render_to_string("progress/_dasbor_isi.html", dashboard(rencana, moment)),
        CACHE_SECONDS,
    )
    return render(
        request,
        "progress/dasbor.html",
        {
            "rencana": rencana,
            "moment": moment,
            "body": body,
            "months": BULAN_CHOICES,
            "boleh_unduh": Akses.of(request.user).can_export(rencana.satuan_kerja_id),
            "boleh_catat": Akses.of(request.user).is_admin(rencana.satuan_kerja_id),
        },
    )


@login_required
def monev_catatan(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's admin writes each area's kendala and tindak lanjut for a month (the
    Laporan monev prints them). GET shows the six areas' texts, POST saves them all or,
    when a text is too long, none."""
    rencana = rencana_admin_for_user(request.user, pk)
    bulan = chosen_month(request.GET.get("bulan", ""), rencana)
    areas = list(AreaPerubahan.objects.filter(rencana=rencana).order_by("nomor"))
    notes = {c.area: c for c in CatatanMonev.objects.filter(rencana=rencana, bulan=bulan)}
    initial = {}
    for nomor, note in notes.items():
        initial[f"kendala_{nomor}"] = note.kendala
        initial[f"tindak_lanjut_{nomor}"] = note.tindak_lanjut
    if request.method == "POST":
        form = CatatanMonevForm(request.POST, initial=initial, areas=areas)
        if form.is_valid():
            with transaction.atomic():  # all six areas or none
                for area in areas:
                    catatan_monev_simpan(
                        rencana=rencana,
                        bulan=bulan,
                        area=area.nomor,
                        kendala=form.cleaned_data[f"kendala_{area.nomor}"],
                        tindak_lanjut=form.cleaned_data[f"tindak_lanjut_{area.nomor}"],
                        oleh=cast("User", request.user),  # login_required
                    )
            messages.success(request, f"Catatan monev {nama_bulan(bulan)} disimpan.")
            return redirect(f"{reverse('monev-catatan', args=[rencana.pk])}?bulan={bulan}")
        messages.error(request, "Catatan tidak disimpan: periksa isian yang ditandai.")
    else:
        form = CatatanMonevForm(initial=initial, areas=areas)
    return render(
        request,
        "progress/monev_catatan.html",
        {
            "rencana": rencana,
            "bulan": bulan,
            "form": form,
            "months": BULAN_CHOICES,
            "boleh_unduh": Akses.of(request.user).can_export(rencana.satuan_kerja_id),
        },
    )


@login_required
def daftar_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """The slots behind a number on the dashboard."""
    rencana = rencana_dashboard_for_user(request.user, pk)
    moment = chosen_moment(request.GET.get("bulan", ""), rencana)
    metric = request.GET.get("ukuran", "due")
    if metric not in METRICS:
        metric = "due"
    area = request.GET.get("area", "")
    tim = request.GET.get("tim", "")
    slots = slot_list(
        rencana,
        moment,
        metric=metric,
        area=int(area) if re.fullmatch(r"[0-9]{1,2}", area) else None,
        tim=int(tim) if re.fullmatch(r"[0-9]{1,12}", tim) else None,
    )
    return render(
        request,
        "progress/daftar_slot.html",
        {
            "rencana": rencana,
            "moment": moment,
            "metric": METRICS[metric],
            "slots": list(slots),
        },
    )


@login_required
def tugas_saya(request: HttpRequest) -> HttpResponse:
    """A team member's home: what to deliver this month, what is late, what came back.
    Each plan's section is the same for every member of the same teams, so it is cached
    under the revisions of the teams' steps and the plan's rows, the moment and the teams
    (nothing in it is the viewer's own: no form, no token)."""
    akses = Akses.of(request.user)
    year = timezone.localdate().year
    # Every plan of the member's units up to this year, newest first: what is returned or
    # missing stays here until it is approved, also after the year has ended.
    plans = (
        RencanaAksi.objects.select_related("satuan_kerja")
        .filter(satuan_kerja_id__in=set(akses.teams.values()), tahun__lte=year)
        .order_by("satuan_kerja__nama", "-tahun")
    )
    sections = []
    steps_revised = team_steps_revision(set(akses.teams))
    for plan in plans:
        moment = Moment.now(plan)
        teams = sorted(tim for tim, unit in akses.teams.items() if unit == plan.satuan_kerja_id)
        # What the section shows moves with the teams' steps (their revisi_bukti), the
        # plan's rows (revisi_rencana), the moment and the unit's name; not with the
        # evidence of other teams' steps.
        key = ":".join(
            map(
                str,
                (
                    "tugas",
                    plan.pk,
                    plan.revisi_rencana,
                    steps_revised.get(plan.pk, "0-0"),
                    moment.key,
                    ",".join(map(str, teams)),
                    hashlib.sha256(plan.satuan_kerja.nama.encode()).hexdigest()[:12],
                ),
            )
        )
        section = caches["pages"].get(key)
        if section is None:
            section = _tasks_section(plan, moment, set(teams), year)
            caches["pages"].set(key, section, CACHE_SECONDS)
        if section is not None:
            sections.append(section)
    return render(
        request,
        "progress/tugas_saya.html",
        {"sections": sections, "has_team": akses.is_member},
    )


def _tasks_section(
    plan: RencanaAksi, moment: Moment, teams: set[int], year: int
) -> dict[str, Any] | None:
    """A plan's section of Tugas saya, rendered, with its plan and the (step, month) of
    each task by kind; None for an earlier year with nothing open (cached as such)."""
    tasks = my_tasks(plan, moment, team_ids=teams)
    if plan.tahun < year and not any(tasks.values()):
        return None
    context = {"rencana": plan, "moment": moment, "lalu": plan.tahun < year, **tasks}
    return {
        "rencana_id": plan.pk,
        "tahun": plan.tahun,
        "satuan_kerja_id": plan.satuan_kerja_id,
        "lalu": plan.tahun < year,
        "tugas": {
            kind: [(slot.langkah_aksi_id, slot.bulan) for slot in slots]
            for kind, slots in tasks.items()
        },
        "html": render_to_string("progress/_tugas_rencana.html", {"s": context}),
    }


@login_required
def kemajuan_tim(request: HttpRequest) -> HttpResponse:
    """A member's read-only view of their teams' progress and their unit's overall numbers
    in this year's plan, at the current state: cards and lists, for a phone first."""
    akses = Akses.of(request.user)
    if not akses.is_member:
        raise PermissionDenied("Kemajuan tim untuk anggota tim kerja.")
    year = timezone.localdate().year
    sections = []
    plans = RencanaAksi.objects.select_related("satuan_kerja").filter(
        satuan_kerja_id__in=set(akses.teams.values()), tahun=year
    )
    for plan in plans.order_by("satuan_kerja__nama"):
        teams = {tim for tim, unit in akses.teams.items() if unit == plan.satuan_kerja_id}
        sections.append(team_progress(plan, Moment.now(plan), team_ids=teams))
    context = {"sections": sections, "tahun": year, "states": State.choices}
    return render(request, "progress/kemajuan_tim.html", context)


@login_required
def rekap(request: HttpRequest) -> HttpResponse:
    """The units under the user's units (a province's kabupaten/kota, the nation's
    provinces and their units) with their completion for a month, worst first on
    request; each links to that unit's dashboard."""
    akses = Akses.of(request.user)
    if not akses.superuser and not akses.watches_any:
        raise PermissionDenied("Rekap unit untuk pimpinan atau reviewer satuan kerja induk.")
    raw = request.GET.get("tahun", "")
    tahun = int(raw) if re.fullmatch(r"20[0-9]{2}", raw) else timezone.localdate().year
    query = request.GET.get("q", "").strip()
    of_year = RencanaAksi(tahun=tahun)  # the moment needs only the year
    moment = Moment.of(of_year, chosen_month(request.GET.get("bulan", ""), of_year))
    urut = "terburuk" if request.GET.get("urut") == "terburuk" else "nama"
    digest = year_digest(tahun)

    def body() -> str:
        plans = RencanaAksi.objects.filter(tahun=tahun)
        if not akses.superuser:
            plans = plans.filter(akses.watched_filter())
        if query:
            plans = plans.filter(satuan_kerja__nama__icontains=query)
        rows = rollup(plans, moment, urut=urut)
        context = {"rows": rows, "tahun": tahun, "bulan": moment.bulan, "q": query}
        return render_to_string("progress/_rekap_isi.html", context)

    if query:
        # Searches are not cached: free text would let one viewer fill the cache with
        # pages. Each plan's counts still come from rollup's own cache.
        html = body()
    else:
        # The same for everyone who watches the same units: any change to any plan of
        # the year changes the digest (or the viewer's scope, when their roles change).
        key = f"rekap:{akses.watched_scope()}:{moment.key}:{urut}:{digest.plans}:{digest.revisions}"
        html = cast(str, caches["pages"].get_or_set(key, body, CACHE_SECONDS))
    years = {timezone.localdate().year, tahun}
    if digest.first_year is not None:
        assert digest.last_year is not None  # Min and Max of the same rows
        years |= set(range(digest.first_year, digest.last_year + 1))
    return render(
        request,
        "progress/rekap.html",
        {
            "body": html,
            "tahun": tahun,
            "bulan": moment.bulan,
            "urut": urut,
            "q": query,
            "years": sorted(years, reverse=True),
            "months": BULAN_CHOICES,
        },
    )


@login_required
def cari(request: HttpRequest) -> HttpResponse:
    """Steps, indikator and bukti fisik of the plans the user reads that contain ``?q=``,
    each step with its months' states now. Not cached: free text (see ``rekap``)."""
    pencarian = search(Akses.of(request.user), request.GET.get("q", ""))
    return render(
        request,
        "progress/cari.html",
        {
            "pencarian": pencarian,
            "q": pencarian.q,
            "min_length": MIN_LENGTH,
            "states": State.choices,
        },
    )
