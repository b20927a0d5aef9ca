"""The bell, the list, the profile and the admin's view of the messages sent."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from actionplan.access import Akses
from actionplan.enums import Peran
from actionplan.notifications import services
from actionplan.notifications.access import kiriman_for_user, kiriman_visible, notifikasi_for_user
from actionplan.notifications.enums import Kanal, StatusKiriman
from actionplan.notifications.forms import ProfilForm
from actionplan.notifications.models import Notifikasi, Preferensi, Profil
from actionplan.notifications.preferensi import pilihan_of


@login_required
def daftar(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 30 a page."""
    qs = Notifikasi.objects.filter(penerima_id=request.user.pk).order_by("-dibuat", "-pk")
    page = Paginator(qs, 30).get_page(request.GET.get("halaman"))
    belum = Notifikasi.objects.filter(penerima_id=request.user.pk).belum_dibaca().count()
    units = Akses.of(request.user).units_with(Peran.ADMIN)
    context = {"page": page, "belum": belum, "bisa_kiriman": units is None or bool(units)}
    return render(request, "notifications/daftar.html", context)


@login_required
def jumlah(request: HttpRequest) -> JsonResponse:
    """The bell's count (read by static/zi/lonceng.js, so no page pays a query for it)."""
    n = Notifikasi.objects.filter(penerima_id=request.user.pk).belum_dibaca().count()
    return JsonResponse({"belum_dibaca": n}, headers={"Cache-Control": "private, no-store"})


@login_required
@require_POST
def baca(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with ``buka`` go on to the place it points to (its path here)."""
    notif = notifikasi_for_user(request.user, pk)
    services.notifikasi_baca(notifikasi=notif)
    if request.POST.get("buka"):
        parts = urlsplit(notif.tautan)
        return redirect(parts.path + (f"?{parts.query}" if parts.query else ""))
    return redirect("notifikasi")


@login_required
@require_POST
def baca_semua(request: HttpRequest) -> HttpResponse:
    n = services.notifikasi_baca_semua(user=cast(User, request.user))
    messages.success(request, f"{n} notifikasi ditandai sudah dibaca.")
    return redirect("notifikasi")


@login_required
def profil(request: HttpRequest) -> HttpResponse:
    """The user's e-mail, WhatsApp number and which kinds come through which channel."""
    user = cast(User, request.user)
    telepon = Profil.objects.filter(user=user).values_list("telepon", flat=True).first() or ""
    pilihan = pilihan_of(
        Preferensi.objects.filter(user=user).values_list("jenis", "kanal", "aktif")
    )
    initial = {"email": user.email, "telepon": telepon}
    form = ProfilForm(request.POST or None, initial=initial, pilihan=pilihan)
    if request.method == "POST" and form.is_valid():
        try:
            services.profil_simpan(
                user=user,
                email=form.cleaned_data["email"],
                telepon=form.cleaned_data["telepon"],
                pilihan=form.pilihan(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Pengaturan pemberitahuan disimpan.")
            return redirect("notifikasi-profil")
    return render(request, "notifications/profil.html", {"form": form, "kanal": Kanal.choices})


@login_required
def kiriman(request: HttpRequest) -> HttpResponse:
    """What was sent to whom, its state and failures: the unit admin's units (every unit
    for a superuser), failed ones first when asked."""
    qs = kiriman_visible(request.user).for_listing()
    status = request.GET.get("status", "")
    if status in StatusKiriman.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-dibuat", "-pk"), 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "notifications/kiriman.html",
        {"page": page, "status": status, "statuses": StatusKiriman.choices},
    )


@login_required
@require_POST
def kirim_ulang(request: HttpRequest, pk: int) -> HttpResponse:
    row = kiriman_for_user(request.user, pk)
    try:
        services.kiriman_kirim_ulang(kiriman=row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        from actionplan.notifications.tasks import kirim_outbox_segera

        kirim_outbox_segera()
        messages.success(request, f"Kiriman ke {row.tujuan} diantrekan ulang.")
    return redirect("notifikasi-kiriman")
