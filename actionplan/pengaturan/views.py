"""The unit set-up pages: thin views; access through ``actionplan.access`` and
``pengaturan.access``, writes through ``pengaturan.services``."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actionplan import services as plan_services
from actionplan.access import (
    Akses,
    can_manage_below,
    rencana_editor_for_user,
    tim_admin_for_user,
    unit_admin_for_user,
    units_below_admin_for_user,
)
from actionplan.enums import Peran
from actionplan.models import Indikator, LangkahAksi, RencanaAksi, SatuanKerja
from actionplan.pengaturan import access, forms, selectors, services
from actionplan.pengaturan.enums import JenisBaris, SumberRencana
from actionplan.pengaturan.services import DataAkun


def _oleh(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is login_required


def _situs(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _galat(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The units the user sets up; straight to the one when there is one."""
    units = list(selectors.units_set_up(Akses.of(request.user))[:200])
    if not units:
        raise PermissionDenied("Pengaturan satuan kerja hanya untuk admin satuan kerja.")
    if len(units) == 1:
        return redirect("pengaturan-unit", slug=units[0].slug)
    return render(request, "pengaturan/index.html", {"units": units})


@login_required
def unit(request: HttpRequest, slug: str) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    return render(
        request,
        "pengaturan/unit.html",
        {
            "unit": satker,
            "plans": satker.rencana_aksi.order_by("-tahun"),
            "form": forms.RencanaBuatForm(),
            "teams": satker.tim.count(),
            "below": can_manage_below(Akses.of(request.user), satker.pk),
            "sub_units": satker.sub_unit.filter(aktif=True).count(),
        },
    )


@login_required
@require_POST
def rencana_buat(request: HttpRequest, slug: str) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    form = forms.RencanaBuatForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect("pengaturan-unit", slug=slug)
    try:
        rencana = services.rencana_buat(
            satuan_kerja=satker,
            tahun=form.cleaned_data["tahun"],
            sumber=form.cleaned_data["sumber"],
            berkas=form.cleaned_data["berkas"],
            oleh=_oleh(request),
        )
    except ValidationError as exc:
        _galat(request, exc)
        return redirect("pengaturan-unit", slug=slug)
    label = SumberRencana(form.cleaned_data["sumber"]).label.lower()
    messages.success(request, f"Rencana aksi {rencana.tahun} dibuat ({label}).")
    return redirect("pengaturan-rencana", pk=rencana.pk)


@login_required
def rencana(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor, shaped like the Lampiran."""
    plan = rencana_editor_for_user(request.user, pk)
    areas = selectors.plan_tree(plan)
    return render(
        request,
        "pengaturan/rencana.html",
        {
            "rencana": plan,
            "unit": plan.satuan_kerja,
            "sub": f"Rencana aksi {plan.tahun}",
            "areas": areas,
            "area_baru": sorted(set(range(1, 7)) - {a.nomor for a in areas}),
        },
    )


@login_required
def keputusan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rencana_editor_for_user(request.user, pk)
    form = forms.KeputusanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        fresh = rencana_editor_for_user(request.user, pk)
        try:
            changed = services.keputusan_ubah(
                rencana=fresh, data=form.cleaned_data, oleh=_oleh(request)
            )
        except ValidationError as exc:
            _galat(request, exc)
        else:
            messages.success(
                request, "Data keputusan disimpan." if changed else "Tidak ada yang berubah."
            )
            return redirect("pengaturan-rencana", pk=pk)
    return render(
        request,
        "pengaturan/keputusan.html",
        {"rencana": plan, "unit": plan.satuan_kerja, "sub": "Data keputusan", "form": form},
    )


@login_required
@require_POST
def tetapkan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rencana_editor_for_user(request.user, pk)
    form = forms.TetapkanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Isi nomor dan tanggal penetapan keputusan.")
        return redirect("pengaturan-rencana", pk=pk)
    try:
        plan_services.rencana_tetapkan(
            rencana=plan,
            nomor=form.cleaned_data["nomor"],
            tanggal=form.cleaned_data["tanggal"],
            oleh=_oleh(request),
        )
    except ValidationError as exc:
        _galat(request, exc)
    else:
        messages.success(
            request,
            "Rencana aksi ditetapkan. Perubahan berikutnya dicatat sebagai perubahan "
            "setelah penetapan.",
        )
    return redirect("pengaturan-rencana", pk=pk)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def baris(request: HttpRequest, pk: int) -> HttpResponse:
    """Add or change an area, komponen or indikator (fields of the posted form)."""
    plan = rencana_editor_for_user(request.user, pk)
    p = request.POST
    jenis, row = p.get("jenis"), _int(p.get("id"))
    try:
        if jenis == JenisBaris.AREA:
            services.area_simpan(
                rencana=plan,
                nomor=_int(p.get("nomor")) or 0,
                nama=p.get("nama", ""),
                nama_singkat=p.get("nama_singkat", ""),
                pk=row,
                oleh=_oleh(request),
            )
        elif jenis == JenisBaris.KOMPONEN:
            services.komponen_simpan(
                rencana=plan,
                nama=p.get("nama", ""),
                area=_int(p.get("induk")),
                pk=row,
                oleh=_oleh(request),
            )
        elif jenis == JenisBaris.INDIKATOR:
            services.indikator_simpan(
                rencana=plan,
                teks=p.get("teks", ""),
                komponen=_int(p.get("induk")),
                pk=row,
                oleh=_oleh(request),
            )
        else:
            raise ValidationError("Jenis baris tidak dikenal.")
    except ValidationError as exc:
        _galat(request, exc)
    else:
        messages.success(request, "Disimpan.")
    return redirect(reverse("pengaturan-rencana", args=[pk]) + (f"#{jenis}-{row}" if row else ""))


@login_required
@require_POST
def baris_aksi(request: HttpRequest, pk: int, jenis: str, baris: int, aksi: str) -> HttpResponse:
    plan = rencana_editor_for_user(request.user, pk)
    if jenis not in JenisBaris.values or aksi not in ("naik", "turun", "hapus"):
        raise Http404("Aksi tidak dikenal.")
    try:
        if aksi == "hapus":
            services.baris_hapus(rencana=plan, jenis=jenis, pk=baris, oleh=_oleh(request))
            messages.success(request, "Dihapus.")
        else:
            services.baris_pindah(
                rencana=plan, jenis=jenis, pk=baris, naik=aksi == "naik", oleh=_oleh(request)
            )
    except ValidationError as exc:
        _galat(request, exc)
        return redirect(reverse("pengaturan-rencana", args=[pk]) + f"#{jenis}-{baris}")
    return redirect(
        reverse("pengaturan-rencana", args=[pk]) + (f"#{jenis}-{baris}" if aksi != "hapus" else "")
    )


def _langkah_form(
    request: HttpRequest, plan: RencanaAksi, indikator: Indikator, langkah: LangkahAksi | None
) -> HttpResponse:
    initial = {}
    if langkah is not None:
        initial = {
            "teks": langkah.teks,
            "bukti": "\n".join(b.teks for b in langkah.bukti_fisik.all()),
            "bulan": langkah.bulan,
            "tim": langkah.tim_id,
        }
    form = forms.LangkahForm(request.POST or None, initial=initial, unit_id=plan.satuan_kerja_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.langkah_simpan(
                rencana=plan,
                teks=form.cleaned_data["teks"],
                bukti=form.cleaned_data["bukti"].splitlines(),
                bulan=form.cleaned_data["bulan"],
                tim=form.cleaned_data["tim"],
                indikator=indikator.pk,
                pk=langkah.pk if langkah else None,
                oleh=_oleh(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Langkah aksi disimpan.")
            return redirect(reverse("pengaturan-rencana", args=[plan.pk]) + f"#langkah-{saved.pk}")
    return render(
        request,
        "pengaturan/langkah.html",
        {
            "rencana": plan,
            "unit": plan.satuan_kerja,
            "sub": f"Rencana aksi {plan.tahun}",
            "indikator": indikator,
            "langkah": langkah,
            "form": form,
        },
    )


@login_required
def langkah_baru(request: HttpRequest, pk: int, indikator: int) -> HttpResponse:
    plan = rencana_editor_for_user(request.user, pk)
    found = (
        Indikator.objects.select_related("komponen__area")
        .filter(pk=indikator, komponen__area__rencana=plan)
        .first()
    )
    if found is None:
        raise Http404("Indikator tidak ada di rencana aksi ini.")
    return _langkah_form(request, plan, found, None)


@login_required
def langkah(request: HttpRequest, pk: int, langkah: int) -> HttpResponse:
    plan = rencana_editor_for_user(request.user, pk)
    found = (
        LangkahAksi.objects.of_plan(plan)
        .select_related("indikator__komponen__area")
        .filter(pk=langkah)
        .first()
    )
    if found is None:
        raise Http404("Langkah aksi tidak ada di rencana aksi ini.")
    return _langkah_form(request, plan, found.indikator, found)


# --- teams and people -------------------------------------------------------------------


@login_required
def tim(request: HttpRequest, slug: str) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    if request.method == "POST":
        try:
            made = services.tim_simpan(
                satuan_kerja=satker, nama=request.POST.get("nama", ""), oleh=_oleh(request)
            )
        except ValidationError as exc:
            _galat(request, exc)
        else:
            messages.success(request, f"Tim {made.nama} dibuat.")
        return redirect("pengaturan-tim", slug=slug)
    return render(
        request,
        "pengaturan/tim.html",
        {
            "unit": satker,
            "teams": selectors.teams_of_unit(satker),
            "people": [u for u in selectors.people_of_unit(satker) if u.is_active],
        },
    )


@login_required
@require_POST
def tim_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    team = tim_admin_for_user(request.user, pk)
    aksi = request.POST.get("aksi")
    try:
        if aksi == "nama":
            services.tim_simpan(
                satuan_kerja=team.satuan_kerja,
                nama=request.POST.get("nama", ""),
                tim=team,
                oleh=_oleh(request),
            )
        elif aksi in ("tambah", "keluarkan"):
            member = access.akun_for_admin(team.satuan_kerja, _int(request.POST.get("user")) or 0)
            services.tim_anggota_ubah(
                tim=team, user=member, masuk=aksi == "tambah", oleh=_oleh(request)
            )
        else:
            raise ValidationError("Aksi tidak dikenal.")
    except ValidationError as exc:
        _galat(request, exc)
    else:
        messages.success(request, "Tim disimpan.")
    return redirect(reverse("pengaturan-tim", args=[team.satuan_kerja.slug]) + f"#tim-{team.pk}")


@login_required
def orang(request: HttpRequest, slug: str) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    return render(
        request,
        "pengaturan/orang.html",
        {"unit": satker, "people": selectors.people_of_unit(satker)},
    )


def _data_akun(form: forms.AkunForm) -> DataAkun:
    c = form.cleaned_data
    return DataAkun(
        nama=c["nama"], email=c["email"], nip=c["nip"], telepon=c["telepon"],
        peran=tuple(c["peran"]), tim=tuple(t.pk for t in c["tim"]),
    )  # fmt: skip


@login_required
def orang_baru(request: HttpRequest, slug: str) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    form = forms.AkunForm(request.POST or None, unit_id=satker.pk)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.akun_buat(
                satuan_kerja=satker,
                data=_data_akun(form),
                oleh=_oleh(request),
                situs=_situs(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Akun {user.email} dibuat; tautan untuk mengatur kata sandi dikirim ke e-mailnya.",
            )
            return redirect("pengaturan-orang", slug=slug)
    return render(
        request, "pengaturan/orang_form.html", {"unit": satker, "form": form, "akun": None}
    )


@login_required
def orang_ubah(request: HttpRequest, slug: str, user: int) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    akun = access.akun_for_admin(satker, user)
    if request.method == "POST" and request.POST.get("aksi") in (
        "nonaktifkan",
        "aktifkan",
        "kirim",
    ):
        aksi = request.POST["aksi"]
        try:
            if aksi == "kirim":
                if not services.akun_kirim_tautan_sandi(user=akun, situs=_situs(request)):
                    raise ValidationError(
                        "E-mail tidak dapat dikirim; periksa alamatnya dan coba lagi."
                    )
                messages.success(
                    request, f"Tautan untuk mengatur kata sandi dikirim ke {akun.email}."
                )
            else:
                services.akun_aktif(
                    satuan_kerja=satker, user=akun, aktif=aksi == "aktifkan", oleh=_oleh(request)
                )
                messages.success(
                    request,
                    "Akun diaktifkan kembali." if aksi == "aktifkan" else "Akun dinonaktifkan.",
                )
        except ValidationError as exc:
            _galat(request, exc)
        return redirect("pengaturan-orang-ubah", slug=slug, user=akun.pk)
    pegawai = getattr(akun, "pegawai", None)
    profil = getattr(akun, "profil_notifikasi", None)
    initial = {
        "nama": akun.get_full_name(),
        "email": akun.email,
        "nip": pegawai.nip if pegawai else "",
        "telepon": profil.telepon if profil else "",
        "peran": list(
            akun.peran_satker.filter(satuan_kerja=satker).values_list("peran", flat=True)
        ),
        "tim": list(akun.tim_kerja.filter(satuan_kerja=satker)),
    }
    form = forms.AkunForm(request.POST or None, initial=initial, unit_id=satker.pk)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.akun_ubah(
                satuan_kerja=satker, user=akun, data=_data_akun(form), oleh=_oleh(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Akun disimpan." if changed else "Tidak ada yang berubah.")
            return redirect("pengaturan-orang", slug=slug)
    return render(
        request, "pengaturan/orang_form.html", {"unit": satker, "form": form, "akun": akun}
    )


@login_required
def impor(request: HttpRequest, slug: str) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    form = forms.ImporForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        nama, isi = form.cleaned_data["berkas"]
        try:
            made = services.impor_akun_baca(
                satuan_kerja=satker, nama_berkas=nama, isi=isi, oleh=_oleh(request)
            )
        except ValidationError as exc:
            form.add_error("berkas", exc)
        else:
            return redirect("pengaturan-impor-pratinjau", slug=slug, pk=made.pk)
    return render(request, "pengaturan/impor.html", {"unit": satker, "form": form})


@login_required
def impor_pratinjau(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    satker = unit_admin_for_user(request.user, slug)
    found = access.impor_for_admin(satker, pk)
    if request.method == "POST":
        try:
            users = services.impor_akun_terapkan(
                impor=found, oleh=_oleh(request), situs=_situs(request)
            )
        except ValidationError as exc:
            _galat(request, exc)
            return redirect("pengaturan-impor-pratinjau", slug=slug, pk=pk)
        messages.success(
            request,
            f"{len(users)} akun dibuat; masing-masing menerima e-mail untuk mengatur kata sandi.",
        )
        return redirect("pengaturan-orang", slug=slug)
    return render(request, "pengaturan/impor_pratinjau.html", {"unit": satker, "impor": found})


# --- units below ------------------------------------------------------------------------


@login_required
def unit_bawah(request: HttpRequest, slug: str) -> HttpResponse:
    induk = units_below_admin_for_user(request.user, slug)
    form = forms.UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            made, koordinator = services.unit_buat_dengan_koordinator(
                induk=induk,
                slug=c["slug"],
                nama=c["nama"],
                koordinator=DataAkun(c["koordinator_nama"], c["koordinator_email"]),
                oleh=_oleh(request),
                situs=_situs(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{made} dibuat; {koordinator.email} menerima e-mail untuk mengatur kata sandi.",
            )
            return redirect("pengaturan-unit-bawah", slug=slug)
    children = list(induk.sub_unit.order_by("-aktif", "nama"))
    akses = Akses.of(request.user)
    targets = list(selectors.units_set_up(akses).exclude(pk__in=[c.pk for c in children]))
    return render(
        request,
        "pengaturan/unit_bawah.html",
        {"unit": induk, "children": children, "form": form, "targets": targets},
    )


@login_required
@require_POST
def unit_ubah(request: HttpRequest, slug: str, anak: str) -> HttpResponse:
    induk = units_below_admin_for_user(request.user, slug)
    child = access.unit_below_for_admin(request.user, induk, anak)
    aksi = request.POST.get("aksi")
    try:
        if aksi == "pindah":
            target = SatuanKerja.objects.filter(
                pk=_int(request.POST.get("induk")) or 0, aktif=True
            ).first()
            if target is None:
                raise ValidationError("Pilih satuan kerja tujuan.")
            services.unit_pindah(unit=child, induk=target, oleh=_oleh(request))
            messages.success(request, f"{child} dipindah ke bawah {target}.")
        elif aksi in ("nonaktifkan", "aktifkan"):
            services.unit_aktif(unit=child, aktif=aksi == "aktifkan", oleh=_oleh(request))
            messages.success(
                request,
                f"{child} {'diaktifkan kembali' if aksi == 'aktifkan' else 'dinonaktifkan'}.",
            )
        elif aksi == "koordinator":
            if not child.aktif:
                raise ValidationError("Aktifkan satuan kerja ini dulu.")
            made = services.akun_buat(
                satuan_kerja=child,
                data=DataAkun(
                    request.POST.get("nama", ""),
                    request.POST.get("email", ""),
                    peran=(Peran.ADMIN,),
                ),
                oleh=_oleh(request),
                situs=_situs(request),
            )
            messages.success(request, f"Koordinator {made.email} ditambahkan di {child}.")
        else:
            raise ValidationError("Aksi tidak dikenal.")
    except ValidationError as exc:
        _galat(request, exc)
    return redirect("pengaturan-unit-bawah", slug=slug)
