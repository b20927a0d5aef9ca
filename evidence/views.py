"""Evidence pages: a step with its months of evidence, upload, review, withdraw,
download, the reviewer's queue. Thin: each parses the request, asks the access helper,
calls a service or selector, renders."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from actionplan import revisions
from actionplan.access import Akses, langkah_for_user, unit_of_langkah
from actionplan.enums import nama_bulan
from actionplan.models import LangkahAksi, Slot
from evidence.access import berkas_for_user, bukti_for_user, slot_for_message
from evidence.downloads import berkas_response
from evidence.enums import StatusBukti
from evidence.forms import AntreanFilterForm, PesanForm, ReviewForm, TarikForm, UnggahBuktiForm
from evidence.previews import PREVIEWABLE, TidakBisaDipratinjau, page_count, preview
from evidence.selectors import (
    antrean_review,
    approved_months,
    returned_version,
    step_slots,
    teams_of_units,
    with_evidence,
)
from evidence.services import (
    SudahDireview,
    bukti_review,
    bukti_submit,
    bukti_withdraw,
    pesan_kirim,
)
from evidence.templatetags.bukti import BUKTI_PK

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def _langkah_url(langkah_id: int, bulan: int | None = None) -> str:
    url = reverse("langkah-detail", args=[langkah_id])
    return f"{url}#bulan-{bulan}" if bulan else url


@login_required
def langkah_detail(request: HttpRequest, pk: int) -> HttpResponse:
    langkah = langkah_for_user(request.user, pk)
    akses = Akses.of(request.user)
    unit_id = unit_of_langkah(langkah)
    boleh_unggah = akses.can_upload(langkah, unit_id)
    boleh_review = akses.can_review(unit_id)
    # A reviewer sees no review form on their own upload: the only part that is theirs.
    viewer = (request.user.pk or 0) if boleh_review else 0
    months = _step_months(langkah, boleh_unggah, boleh_review, viewer)
    return render(
        request,
        "evidence/langkah_detail.html",
        {
            "langkah": langkah,
            "bukti_fisik": months["bukti_fisik"],
            "bulan": months["bulan"],
            "boleh_unggah": boleh_unggah,
            "boleh_review": boleh_review,
            # Cached with a placeholder for the token, so no viewer's token is stored. The
            # placeholder is random per entry: text a user wrote (a link, a note) cannot
            # contain it and so never receives another viewer's token.
            "bulan_html": mark_safe(  # rendered by Django's templates, escaped there
                months["html"].replace(months["csrf"], get_token(request))
            ),
        },
    )


STEP_SECONDS = 24 * 3600


def _step_months(
    langkah: LangkahAksi, boleh_unggah: bool, boleh_review: bool, viewer: int
) -> dict[str, Any]:
    """The step page's months rendered, its bukti fisik and months, cached under the
    step's own ``revisi_bukti`` (every upload, review, withdrawal and message in one of
    its months raises it), its plan's ``revisi_rencana`` (any change of the step's rows)
    and what the viewer may do: a change elsewhere in the plan leaves it cached, and a
    repeat view neither queries nor renders the months again. After a change, only the
    months whose own ``revisi_bukti`` moved are read and rendered again (``_months``)."""
    rencana = langkah.indikator.komponen.area.rencana
    key = (
        f"langkah:{langkah.pk}:{rencana.revisi_rencana}:{langkah.revisi_bukti}:"
        f"{_rights(boleh_unggah, boleh_review)}:{viewer}"
    )
    found: dict[str, Any] | None = caches["pages"].get(key)
    if found is None:
        slots = step_slots(langkah)
        placeholder = f"zi-csrf-{secrets.token_hex(16)}"
        months = _months(langkah, slots, boleh_unggah, boleh_review, viewer)
        found = {
            # Each month carries its own placeholder; the page's is one for all of them.
            "html": "".join(m["html"].replace(m["csrf"], placeholder) for m in months),
            "csrf": placeholder,
            "bukti_fisik": [b.teks for b in langkah.bukti_fisik.all()],
            "bulan": [slot.bulan for slot in slots],
        }
        caches["pages"].set(key, found, STEP_SECONDS)
    return found


def _rights(boleh_unggah: bool, boleh_review: bool) -> str:
    """What the viewer may do on the page, for the cache keys: upload, review, write."""
    return f"{int(boleh_unggah)}{int(boleh_review)}{int(boleh_unggah or boleh_review)}"


def _months(
    langkah: LangkahAksi, slots: list[Slot], boleh_unggah: bool, boleh_review: bool, viewer: int
) -> list[dict]:
    """Each month's section of the step page, as {"html", "csrf"}, cached under the slot's
    own ``revisi_bukti``: the ones not cached are read (four queries for all of them) and
    rendered, the others come from the cache as they are."""
    rencana = langkah.indikator.komponen.area.rencana
    rights = _rights(boleh_unggah, boleh_review)
    keys = {
        slot.pk: f"bulan:{slot.pk}:{rencana.revisi_rencana}:{slot.revisi_bukti}:{rights}:{viewer}"
        for slot in slots
    }
    cached = caches["pages"].get_many(list(keys.values()))
    stale = [slot for slot in slots if keys[slot.pk] not in cached]
    if stale:
        # Rendered once for all the waiting versions (crispy-forms: ~1.3 ms a form), each
        # given its own ids by the template.
        review_fields = (
            render_to_string(
                "evidence/_review_fields.html",
                {"form": ReviewForm(auto_id=f"id_review_{BUKTI_PK}_%s")},
            )
            if boleh_review
            else ""
        )
        fresh = {}
        for slot in with_evidence(stale):
            # Cached with a placeholder for the token, so no viewer's token is stored. The
            # placeholder is random per entry: text a user wrote (a link, a note) cannot
            # contain it and so never receives another viewer's token.
            placeholder = f"zi-csrf-{secrets.token_hex(16)}"
            html = render_to_string(
                "evidence/_langkah_bulan.html",
                {
                    "langkah": langkah,
                    "rencana": rencana,
                    "slot": slot,
                    "boleh_unggah": boleh_unggah,
                    "boleh_review": boleh_review,
                    "boleh_pesan": boleh_unggah or boleh_review,
                    "viewer": viewer,
                    "review_fields": review_fields,
                    "pratinjau_jenis": PREVIEWABLE,
                    "csrf_token": placeholder,
                },
            )
            fresh[keys[slot.pk]] = {"html": html, "csrf": placeholder}
        caches["pages"].set_many(fresh, STEP_SECONDS)
        cached.update(fresh)
    return [cached[keys[slot.pk]] for slot in slots]


@login_required
def unggah(request: HttpRequest, pk: int) -> HttpResponse:
    langkah = langkah_for_user(request.user, pk, untuk_unggah=True)
    disetujui = approved_months(langkah)
    if request.method == "POST":
        form = UnggahBuktiForm(request.POST, request.FILES, langkah=langkah, disetujui=disetujui)
        if form.is_valid():
            # The form accepted only a scheduled month; the schedule is prefetched.
            bulan = form.cleaned_data["bulan"]
            slot = next(s for s in langkah.jadwal.all() if s.bulan == bulan)
            try:
                bukti = bukti_submit(
                    slot=slot,
                    files=form.cleaned_data["berkas"],
                    tautan=form.cleaned_data["tautan"],
                    catatan=form.cleaned_data["catatan"],
                    oleh=cast("User", request.user),  # login_required
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                pesan = f"Bukti bulan {nama_bulan(slot.bulan)} terkirim (versi {bukti.versi})."
                if bukti.terlambat:
                    pesan += " Bukti ini tercatat terlambat."
                messages.success(request, pesan)
                return redirect(_langkah_url(langkah.pk, slot.bulan))
    else:
        bulan = request.GET.get("bulan", "")
        initial = {"bulan": int(bulan)} if re.fullmatch(r"[0-9]{1,2}", bulan) else None
        form = UnggahBuktiForm(initial=initial, langkah=langkah, disetujui=disetujui)
    # A month that came back for a fix: the form says so and shows what the reviewer wrote.
    chosen = str(form.data.get("bulan") or (form.initial or {}).get("bulan") or "")
    dikembalikan = (
        returned_version(langkah, int(chosen)) if re.fullmatch(r"[0-9]{1,2}", chosen) else None
    )
    if dikembalikan is not None:
        form.as_repair()
    return render(
        request,
        "evidence/unggah.html",
        {"langkah": langkah, "form": form, "dikembalikan": dikembalikan},
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    bukti = bukti_for_user(request.user, pk, aksi="review")
    form = ReviewForm(request.POST)
    target = _langkah_url(bukti.slot.langkah_aksi_id, bukti.slot.bulan)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, cast(str, error))  # ErrorList yields the messages
        return redirect(target)
    try:
        bukti_review(
            bukti=bukti,
            oleh=cast("User", request.user),  # login_required
            keputusan=form.cleaned_data["keputusan"],
            catatan=form.cleaned_data["catatan"],
        )
    except SudahDireview as exc:
        messages.warning(request, str(exc))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        hasil = (
            "disetujui"
            if form.cleaned_data["keputusan"] == StatusBukti.DISETUJUI
            else ("dikembalikan untuk perbaikan")
        )
        messages.success(
            request, f"Bukti {nama_bulan(bukti.slot.bulan)} versi {bukti.versi} {hasil}."
        )
    if request.POST.get("next") == "berikutnya":
        # "Simpan & berikutnya": the oldest item still waiting in the reviewer's queue,
        # with the filters they last used there.
        following = (
            antrean_review(units=Akses.of(request.user).review_units(), **_saved_filters(request))
            .exclude(diunggah_oleh_id=request.user.pk)
            .first()
        )
        if following is None:
            messages.info(request, "Antrean review sudah kosong.")
            return redirect("antrean")
        return redirect(_langkah_url(following.slot.langkah_aksi_id, following.slot.bulan))
    return redirect((request.POST.get("next") == "antrean" and reverse("antrean")) or target)


ANTREAN_SARINGAN = "antrean_saringan"


def _saved_filters(request: HttpRequest) -> dict[str, int | None]:
    saved = request.session.get(ANTREAN_SARINGAN, {})
    return {key: saved.get(key) for key in ("tim", "area", "bulan")}


@login_required
@require_POST
def antrean_setujui(request: HttpRequest) -> HttpResponse:
    """Approve the items ticked in the queue, each on its own (a failure leaves the
    others approved): one's own uploads and items reviewed meanwhile are skipped."""
    akses = Akses.of(request.user)
    units = akses.review_units()
    if units is not None and not units:
        raise PermissionDenied("Antrean review hanya untuk reviewer (TPI) dan admin.")
    ids = [int(i) for i in request.POST.getlist("bukti") if i.isdigit() and len(i) < 19][:200]
    if not ids:
        messages.error(request, "Pilih dulu bukti yang akan disetujui.")
        return redirect("antrean")
    approved, skipped = 0, 0
    for pk in ids:
        try:
            bukti = bukti_for_user(request.user, pk, aksi="review")
            bukti_review(
                bukti=bukti,
                oleh=cast("User", request.user),
                keputusan=StatusBukti.DISETUJUI,
                catatan="",
            )
        except (Http404, PermissionDenied, SudahDireview, ValidationError):
            skipped += 1
        else:
            approved += 1
    pesan = f"{approved} bukti disetujui."
    if skipped:
        pesan += (
            f" {skipped} dilewati (unggahan Anda sendiri, sudah direview, atau bukan "
            "wewenang Anda)."
        )
    messages.success(request, pesan)
    return redirect("antrean")


@login_required
@require_POST
def pesan(request: HttpRequest, pk: int, bulan: int) -> HttpResponse:
    """A message in a month's thread (the team and the reviewer)."""
    slot = slot_for_message(request.user, pk, bulan)
    form = PesanForm(request.POST)
    target = _langkah_url(pk, bulan)
    if not form.is_valid():
        for error in form.errors.get("teks", []):
            messages.error(request, f"Pesan tidak terkirim: {error}")
        return redirect(target)
    try:
        pesan_kirim(slot=slot, oleh=cast("User", request.user), teks=form.cleaned_data["teks"])
    except ValidationError as exc:  # the month was taken off the schedule meanwhile
        for error in exc.messages:
            messages.error(request, f"Pesan tidak terkirim: {error}")
        return redirect(target)
    messages.success(request, f"Pesan untuk bulan {nama_bulan(bulan)} terkirim.")
    return redirect(target)


@login_required
@require_POST
def tarik(request: HttpRequest, pk: int) -> HttpResponse:
    bukti = bukti_for_user(request.user, pk, aksi="tarik")
    form = TarikForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("catatan", []):
            messages.error(request, f"Bukti tidak ditarik: {error}")
        return redirect(_langkah_url(bukti.slot.langkah_aksi_id, bukti.slot.bulan))
    try:
        bukti_withdraw(
            bukti=bukti,
            oleh=cast("User", request.user),  # login_required
            catatan=form.cleaned_data["catatan"],
        )
    except SudahDireview as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, f"Bukti versi {bukti.versi} ditarik.")
    return redirect(_langkah_url(bukti.slot.langkah_aksi_id, bukti.slot.bulan))


@login_required
def unduh(request: HttpRequest, pk: int) -> HttpResponseBase:
    return berkas_response(berkas_for_user(request.user, pk))


@login_required
def pratinjau(request: HttpRequest, pk: int) -> HttpResponse:
    """A page showing one page of a file as an image, with the previous and next pages."""
    berkas = berkas_for_user(request.user, pk)
    halaman = _halaman(request)
    try:
        pages = page_count(berkas)
    except TidakBisaDipratinjau as exc:
        raise Http404(str(exc)) from None
    if halaman > pages:
        raise Http404(f"Halaman {halaman} tidak ada (berkas ini {pages} halaman).")
    langkah = berkas.bukti.slot.langkah_aksi
    context = {"berkas": berkas, "halaman": halaman, "pages": pages, "langkah": langkah}
    return render(request, "evidence/pratinjau.html", context)


@login_required
def pratinjau_gambar(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview image itself (PNG drawn on the server; never the original bytes)."""
    berkas = berkas_for_user(request.user, pk)
    try:
        result = preview(berkas, halaman=_halaman(request))
    except TidakBisaDipratinjau as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(result.png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _halaman(request: HttpRequest) -> int:
    raw = request.GET.get("halaman", "1")
    return int(raw) if re.fullmatch(r"[1-9][0-9]{0,3}", raw) else 1


class AntreanItem(NamedTuple):
    """A submission listed in the queue."""

    pk: int
    bulan: int


ANTREAN_SECONDS = 3600


@login_required
def antrean(request: HttpRequest) -> HttpResponse:
    akses = Akses.of(request.user)
    units = akses.review_units()
    if units is not None and not units:
        raise PermissionDenied("Antrean review hanya untuk reviewer (TPI) dan admin.")
    # The filters are kept for the session: back from a step page (or after "Simpan &
    # berikutnya") the queue shows what the reviewer was working through.
    data: Mapping[str, Any] | None
    if "semua" in request.GET:
        request.session.pop(ANTREAN_SARINGAN, None)
        data = None
    elif request.GET:
        data = request.GET
    else:
        saved = request.session.get(ANTREAN_SARINGAN)
        data = {k: v for k, v in saved.items() if v is not None} if saved else None
    tim_choices = teams_of_units(units)
    form = AntreanFilterForm(data, tim_choices=tim_choices)
    filters = form.cleaned_data if form.is_valid() else {}
    if form.is_valid():
        request.session[ANTREAN_SARINGAN] = {k: filters.get(k) for k in ("tim", "area", "bulan")}
    chosen = (filters.get("tim"), filters.get("area"), filters.get("bulan"))
    # The list is the reviewer's own (their uploads have no checkbox) and moves with the
    # plans of their units, whose revisions the key carries; its "waiting for" times
    # are of the hour.
    key = (
        f"antrean:{request.user.pk}:{revisions.digest(units)}:"
        f"{'-'.join(str(c or '') for c in chosen)}:{form.is_bound}:"
        f"{timezone.localtime():%Y%m%d%H}"
    )
    queue = caches["pages"].get(key)
    if queue is None:
        found = list(antrean_review(units=units, tim=chosen[0], area=chosen[1], bulan=chosen[2]))
        queue = {
            "items": [AntreanItem(b.pk, b.slot.bulan) for b in found],
            "html": render_to_string(
                "evidence/_antrean_isi.html",
                {
                    "antrean": found,
                    "user": request.user,
                    "saring": form.is_bound,
                    "pratinjau_jenis": PREVIEWABLE,
                },
            ),
        }
        caches["pages"].set(key, queue, ANTREAN_SECONDS)
    return render(
        request,
        "evidence/antrean.html",
        {**queue, "form": form, "saringan": _filter_html(form, tim_choices)},
    )


def _filter_html(form: AntreanFilterForm, tim_choices: list[tuple[int, str]]) -> str:
    """The queue's filter form rendered; a valid one cached under its choices and cleaned
    values (rendering its three fields through crispy-forms cost more than the rest of a
    cached queue page, bench). An invalid one, whose values are whatever was typed, is
    rendered each time and never fills the cache."""
    if form.is_bound and not form.is_valid():
        return render_to_string("evidence/_antrean_saringan.html", {"form": form})
    values = [form.cleaned_data.get(k) for k in ("tim", "area", "bulan")] if form.is_bound else []
    digest = hashlib.sha256(repr((tim_choices, values)).encode()).hexdigest()[:16]
    return cast(
        str,
        caches["pages"].get_or_set(
            f"antrean-saringan:{digest}",
            lambda: render_to_string("evidence/_antrean_saringan.html", {"form": form}),
            ANTREAN_SECONDS,
        ),
    )
