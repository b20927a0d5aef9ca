"""The set-up's services: each rule with its message, and nothing changed on bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from actionplan.enums import AksiAudit, Peran
from actionplan.models import (
    CatatanAudit,
    Indikator,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    TimKerja,
)
from actionplan.pengaturan import services
from actionplan.pengaturan.enums import JenisBaris, StatusImpor, SumberRencana
from actionplan.pengaturan.models import ImporAkun, Pegawai
from actionplan.pengaturan.services import DataAkun
from actionplan.services import rencana_tetapkan

SITUS = "http://zi.example.org/"


def _messages(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.messages


# --- plan creation ---------------------------------------------------------------------


def test_plan_from_the_unit_above_takes_its_rows_and_makes_the_teams(setup_world):
    w = setup_world
    kab = SatuanKerja.objects.create(nama="KPU Kab Baru", slug="kpu-kab-baru", induk=w.provinsi)
    plan = services.rencana_buat(
        satuan_kerja=kab, tahun=w.today.year, sumber=SumberRencana.INDUK, oleh=w.users["provinsi"]
    )
    steps = list(LangkahAksi.objects.of_plan(plan).in_document_order())
    assert [s.teks for s in steps] == ["Langkah templat 1", "Langkah templat 2"]
    assert {s.tim.satuan_kerja_id for s in steps} == {kab.pk}
    assert list(TimKerja.objects.filter(satuan_kerja=kab).values_list("nama", flat=True)) == [
        "TIM MANAJEMEN PERUBAHAN"
    ]
    assert steps[0].bulan == [1, 2]
    assert plan.ditetapkan is False
    assert (
        plan.judul == f"RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS KPU KAB BARU TAHUN {w.today.year}"
    )
    entry = CatatanAudit.objects.filter(satuan_kerja=kab).get()
    assert entry.aksi == AksiAudit.RENCANA_DITAMBAH
    assert (
        entry.ringkasan
        == f"Disalin dari rencana aksi KPU Provinsi Uji {w.today.year}: 2 langkah aksi"
    )


def test_plan_cannot_be_made_twice_for_a_year(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.rencana_buat(
            satuan_kerja=w.unit,
            tahun=w.today.year,
            sumber=SumberRencana.KOSONG,
            oleh=w.users["admin"],
        )
    assert _messages(exc) == [f"{w.unit} sudah memiliki rencana aksi tahun {w.today.year}."]


def test_plan_copy_of_last_year_needs_one(setup_world):
    w = setup_world
    before = RencanaAksi.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.rencana_buat(
            satuan_kerja=w.unit, tahun=2020, sumber=SumberRencana.TAHUN_LALU, oleh=w.users["admin"]
        )
    assert _messages(exc) == [f"{w.unit} belum memiliki rencana aksi sebelum 2020."]
    assert RencanaAksi.objects.count() == before


def test_plan_copy_of_the_previous_year(setup_world):
    w = setup_world
    plan = services.rencana_buat(
        satuan_kerja=w.unit,
        tahun=w.today.year + 1,
        sumber=SumberRencana.TAHUN_LALU,
        oleh=w.users["admin"],
    )
    assert LangkahAksi.objects.of_plan(plan).count() == 2
    assert LangkahAksi.objects.of_plan(plan).filter(tim=w.tim_a).count() == 1


def test_empty_plan(setup_world):
    w = setup_world
    plan = services.rencana_buat(
        satuan_kerja=w.unit, tahun=2030, sumber=SumberRencana.KOSONG, oleh=w.users["admin"]
    )
    assert plan.area.count() == 0
    assert plan.judul.endswith("TAHUN 2030")


def test_plan_from_excel_uses_the_documents_import(setup_world):
    from actionplan.documents.xlsx import workbook_bytes

    w = setup_world
    content = workbook_bytes(w.rencana)
    plan = services.rencana_buat(
        satuan_kerja=w.unit_lain,
        tahun=2031,
        sumber=SumberRencana.EXCEL,
        berkas=content,
        oleh=w.users["admin_lain"],
    )
    steps = list(LangkahAksi.objects.of_plan(plan).in_document_order())
    assert [s.teks for s in steps] == [w.langkah.teks, w.langkah_b.teks]
    assert [s.tim.nama for s in steps] == ["TIM A", "TIM B"]
    assert {s.tim.satuan_kerja_id for s in steps} == {w.unit_lain.pk}


def test_plan_from_a_bad_file_leaves_nothing(setup_world):
    w = setup_world
    before = (RencanaAksi.objects.count(), TimKerja.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.rencana_buat(
            satuan_kerja=w.unit_lain,
            tahun=2031,
            sumber=SumberRencana.EXCEL,
            berkas=b"bukan excel",
            oleh=w.users["admin_lain"],
        )
    assert _messages(exc) == ["Berkas tidak dapat dibaca sebagai Excel (.xlsx)."]
    assert (RencanaAksi.objects.count(), TimKerja.objects.count()) == before


# --- rows ------------------------------------------------------------------------------


def test_step_team_must_be_of_the_plans_unit(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.langkah_simpan(
            rencana=w.rencana,
            teks="Baru",
            bukti=[],
            bulan=[1],
            tim=w.tim_lain,
            pk=w.langkah.pk,
            oleh=w.users["admin"],
        )
    assert _messages(exc) == ["Tim penanggung jawab harus dari satuan kerja pemilik rencana aksi."]
    w.langkah.refresh_from_db()
    assert w.langkah.tim == w.tim_a


def test_step_edit_changes_text_items_months_team_and_audits(setup_world):
    w = setup_world
    services.langkah_simpan(
        rencana=w.rencana,
        teks="Rapat koordinasi",
        bukti=["Undangan", "", "Notulen  rapat"],
        bulan=[3, 6, 6],
        tim=w.tim_b,
        pk=w.langkah_b.pk,
        oleh=w.users["admin"],
    )
    w.langkah_b.refresh_from_db()
    assert (w.langkah_b.teks, w.langkah_b.tim, w.langkah_b.bulan) == (
        "Rapat koordinasi",
        w.tim_b,
        [3, 6],
    )
    assert [b.teks for b in w.langkah_b.bukti_fisik.all()] == ["Undangan", "Notulen rapat"]
    entry = CatatanAudit.objects.filter(aksi=AksiAudit.RENCANA_DIUBAH).first()
    assert entry.ringkasan == "Langkah aksi diubah: Rapat koordinasi (TIM B; Mar, Jun)"


def test_month_with_evidence_cannot_leave_the_schedule(setup_world):
    w = setup_world
    w.submit()
    with pytest.raises(ValidationError) as exc:
        services.langkah_simpan(
            rencana=w.rencana,
            teks=w.langkah.teks,
            bukti=[],
            bulan=[1],
            tim=w.tim_a,
            pk=w.langkah.pk,
            oleh=w.users["admin"],
        )
    assert _messages(exc) == [
        "Bulan yang sudah memiliki bukti tidak dapat dihapus dari jadwal; tarik buktinya dulu."
    ]
    w.langkah.refresh_from_db()
    assert len(w.langkah.bulan) == 12
    assert w.langkah.bukti_fisik.count() == 1


def test_step_with_evidence_cannot_be_removed(setup_world):
    w = setup_world
    w.submit()
    with pytest.raises(ValidationError) as exc:
        services.baris_hapus(
            rencana=w.rencana, jenis=JenisBaris.LANGKAH, pk=w.langkah.pk, oleh=w.users["admin"]
        )
    assert _messages(exc) == [
        "Langkah aksi ini sudah memiliki bukti yang diunggah; tidak dapat dihapus."
    ]
    assert LangkahAksi.objects.filter(pk=w.langkah.pk).exists()


def test_row_with_rows_under_it_cannot_be_removed(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.baris_hapus(
            rencana=w.rencana,
            jenis=JenisBaris.INDIKATOR,
            pk=w.langkah.indikator_id,
            oleh=w.users["admin"],
        )
    assert _messages(exc) == ["Indikator ini masih berisi baris di bawahnya; hapus isinya dulu."]


def test_removing_renumbers_the_rest_and_moving_swaps(setup_world):
    w = setup_world
    komponen = w.langkah.indikator.komponen
    third = services.indikator_simpan(
        rencana=w.rencana, teks="Ketiga", komponen=komponen.pk, oleh=w.users["admin"]
    )
    assert third.urutan == 3
    services.baris_pindah(
        rencana=w.rencana, jenis=JenisBaris.INDIKATOR, pk=third.pk, naik=True, oleh=w.users["admin"]
    )
    assert list(komponen.indikator.order_by("urutan").values_list("teks", flat=True))[1:] == [
        "Ketiga",
        w.langkah_b.indikator.teks,
    ]
    with pytest.raises(ValidationError) as exc:
        services.baris_pindah(
            rencana=w.rencana,
            jenis=JenisBaris.INDIKATOR,
            pk=w.langkah.indikator_id,
            naik=True,
            oleh=w.users["admin"],
        )
    assert _messages(exc) == ["Indikator ini sudah di urutan pertama."]
    services.baris_hapus(
        rencana=w.rencana, jenis=JenisBaris.INDIKATOR, pk=third.pk, oleh=w.users["admin"]
    )
    assert list(komponen.indikator.order_by("urutan").values_list("urutan", flat=True)) == [1, 2]


def test_rows_of_another_plan_are_not_found(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.baris_hapus(
            rencana=w.rencana, jenis=JenisBaris.LANGKAH, pk=w.langkah_lain.pk, oleh=w.users["admin"]
        )
    assert _messages(exc) == ["Langkah aksi tidak ada di rencana aksi ini."]


def test_area_numbers_are_one_to_six_and_unique(setup_world):
    w = setup_world
    for nomor, message in [
        (7, "Nomor area perubahan harus I sampai VI."),
        (1, "Area 1 sudah ada di rencana aksi ini."),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.area_simpan(rencana=w.rencana, nomor=nomor, nama="X", oleh=w.users["admin"])
        assert _messages(exc) == [message]
    area = services.area_simpan(
        rencana=w.rencana, nomor=2, nama="PENATAAN TATA LAKSANA", oleh=w.users["admin"]
    )
    assert area.romawi == "II"


# --- ditetapkan -------------------------------------------------------------------------


def test_fixed_plan_changes_are_audited_as_after_signing_and_print_as_fixed(setup_world):
    from actionplan.documents.pdf import lampiran_html

    w = setup_world
    assert "RANCANGAN (BELUM DITETAPKAN)" in lampiran_html(w.rencana, keputusan=True)
    rencana_tetapkan(
        rencana=w.rencana,
        nomor="7",
        tanggal=datetime.date(w.today.year, 1, 20),
        oleh=w.users["admin"],
    )
    w.rencana.refresh_from_db()
    assert (w.rencana.ditetapkan, w.rencana.nomor_lengkap) == (
        True,
        f"NOMOR 7 TAHUN {w.today.year}",
    )
    html = lampiran_html(w.rencana, keputusan=True)
    assert "RANCANGAN" not in html
    assert "SALINAN" in html and "Ttd." in html
    services.indikator_simpan(
        rencana=w.rencana, teks="Sesudah", pk=w.langkah.indikator_id, oleh=w.users["admin"]
    )
    latest = CatatanAudit.objects.first()
    assert latest.aksi == AksiAudit.RENCANA_PASCA_PENETAPAN
    assert (
        latest.ringkasan
        == "Perubahan setelah penetapan (data rencana diubah): Indikator diubah: Sesudah"
    )
    with pytest.raises(ValidationError) as exc:
        rencana_tetapkan(
            rencana=w.rencana,
            nomor="8",
            tanggal=datetime.date(w.today.year, 1, 20),
            oleh=w.users["admin"],
        )
    assert exc.value.messages == ["Rencana aksi ini sudah ditetapkan."]


def test_fixing_needs_a_number_and_a_date_of_the_year(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        rencana_tetapkan(
            rencana=w.rencana, nomor=" ", tanggal=datetime.date(w.today.year, 1, 1), oleh=None
        )
    assert exc.value.messages == ["Nomor keputusan wajib diisi."]
    with pytest.raises(ValidationError):
        rencana_tetapkan(rencana=w.rencana, nomor="1", tanggal=datetime.date(2001, 1, 1), oleh=None)
    w.rencana.refresh_from_db()
    assert w.rencana.ditetapkan is False


# --- teams and accounts -----------------------------------------------------------------


def test_team_names_are_unique_in_the_unit(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.tim_simpan(satuan_kerja=w.unit, nama="tim a", oleh=w.users["admin"])
    assert _messages(exc) == [f"Tim 'tim a' sudah ada di {w.unit}."]
    tim = services.tim_simpan(satuan_kerja=w.unit, nama="  TIM  C ", oleh=w.users["admin"])
    assert tim.nama == "TIM C"
    services.tim_simpan(satuan_kerja=w.unit, nama="TIM D", tim=tim, oleh=w.users["admin"])
    tim.refresh_from_db()
    assert tim.nama == "TIM D"


def test_member_must_be_an_account_of_the_unit(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.tim_anggota_ubah(
            tim=w.tim_a, user=w.users["unit_lain"], masuk=True, oleh=w.users["admin"]
        )
    assert _messages(exc) == [f"unit_lain bukan akun {w.unit}."]
    services.tim_anggota_ubah(
        tim=w.tim_a, user=w.users["anggota_lain"], masuk=True, oleh=w.users["admin"]
    )
    assert w.tim_a.anggota.filter(pk=w.users["anggota_lain"].pk).exists()


def test_new_account_gets_the_set_password_email(setup_world):
    w = setup_world
    user = services.akun_buat(
        satuan_kerja=w.unit,
        data=DataAkun(
            "Siti Aminah",
            "Siti@Example.org",
            nip="1987",
            telepon="0812 3456 7890",
            peran=("reviewer",),
            tim=(w.tim_a.pk,),
        ),
        oleh=w.users["admin"],
        situs=SITUS,
    )
    assert (user.username, user.email, user.get_full_name()) == (
        "siti@example.org",
        "siti@example.org",
        "Siti Aminah",
    )
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert user.pegawai.nip == "1987" and user.profil_notifikasi.telepon == "081234567890"
    assert list(PeranPengguna.objects.filter(user=user).values_list("peran", flat=True)) == [
        "reviewer"
    ]
    assert list(user.tim_kerja.all()) == [w.tim_a]
    (message,) = mail.outbox
    assert message.subject == "Akun ZI Tracker Anda: atur kata sandi"
    assert message.to == ["siti@example.org"]
    assert "http://zi.example.org/sandi/atur/" in message.body
    assert CatatanAudit.objects.first().aksi == AksiAudit.AKUN_DIBUAT


def test_account_rules_and_nothing_saved(setup_world):
    w = setup_world
    w.users["anggota"].email = "ada@example.org"
    w.users["anggota"].save()
    before = Pegawai.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.akun_buat(
            satuan_kerja=w.unit,
            data=DataAkun("", "ada@example.org", telepon="123", tim=(w.tim_lain.pk,)),
            oleh=w.users["admin"],
            situs=SITUS,
        )
    assert _messages(exc) == [
        "Nama wajib diisi.",
        "Alamat e-mail ada@example.org sudah dipakai akun lain.",
        "Nomor WhatsApp diawali 08, 628 atau +628, lalu 7-12 angka, tanpa spasi.",
        f"Tim harus tim {w.unit}.",
    ]
    assert Pegawai.objects.count() == before and mail.outbox == []


def test_roles_only_in_units_one_sets_up(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.akun_buat(
            satuan_kerja=w.unit,
            data=DataAkun("X", "x@example.org", peran=(Peran.ADMIN,)),
            oleh=w.users["admin_lain"],
            situs=SITUS,
        )
    assert _messages(exc) == [f"Anda tidak dapat memberi peran di {w.unit}."]
    # The province's admin sets up the units below it.
    user = services.akun_buat(
        satuan_kerja=w.unit,
        data=DataAkun("X", "x@example.org", peran=(Peran.ADMIN,)),
        oleh=w.users["provinsi"],
        situs=SITUS,
    )
    assert PeranPengguna.objects.filter(user=user, satuan_kerja=w.unit, peran="admin").exists()


def test_deactivating_keeps_the_account_and_refuses_oneself(setup_world):
    w = setup_world
    services.akun_aktif(
        satuan_kerja=w.unit, user=w.users["anggota"], aktif=False, oleh=w.users["admin"]
    )
    w.users["anggota"].refresh_from_db()
    assert w.users["anggota"].is_active is False
    with pytest.raises(ValidationError) as exc:
        services.akun_aktif(
            satuan_kerja=w.unit, user=w.users["admin"], aktif=False, oleh=w.users["admin"]
        )
    assert _messages(exc) == ["Anda tidak dapat menonaktifkan akun Anda sendiri."]
    # An account also in another unit is not one unit's admin's to switch off.
    w.tim_lain.anggota.add(w.users["reviewer"])
    with pytest.raises(ValidationError) as exc:
        services.akun_aktif(
            satuan_kerja=w.unit, user=w.users["reviewer"], aktif=False, oleh=w.users["admin"]
        )
    assert _messages(exc) == ["reviewer juga anggota satuan kerja lain; hubungi operator aplikasi."]


def test_admin_cannot_drop_their_own_admin_role(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.akun_ubah(
            satuan_kerja=w.unit,
            user=w.users["admin"],
            data=DataAkun("Admin", "admin@example.org"),
            oleh=w.users["admin"],
        )
    assert _messages(exc) == ["Anda tidak dapat mencabut peran admin Anda sendiri."]


# --- import ------------------------------------------------------------------------------


def _csv(rows: list[str]) -> bytes:
    return ("nama,email,tim,peran\n" + "\n".join(rows) + "\n").encode()


def test_import_previews_then_creates_all(setup_world):
    w = setup_world
    rows = [
        f"Pegawai {n},pegawai{n}@example.org,TIM A,{'reviewer' if n == 1 else ''}"
        for n in range(1, 11)
    ]
    impor = services.impor_akun_baca(
        satuan_kerja=w.unit, nama_berkas="akun.csv", isi=_csv(rows), oleh=w.users["admin"]
    )
    assert impor.galat == 0 and len(impor.baris) == 10
    assert Pegawai.objects.filter(satuan_kerja=w.unit).count() == 0  # only a preview
    users = services.impor_akun_terapkan(impor=impor, oleh=w.users["admin"], situs=SITUS)
    assert len(users) == 10 and len(mail.outbox) == 10
    assert w.tim_a.anggota.count() == 11
    impor.refresh_from_db()
    assert impor.status == StatusImpor.DITERAPKAN
    with pytest.raises(ValidationError):
        services.impor_akun_terapkan(impor=impor, oleh=w.users["admin"], situs=SITUS)


def test_import_with_a_bad_row_creates_nothing(setup_world):
    w = setup_world
    rows = ["Ani,ani@example.org,TIM A,", "Budi,ani@example.org,TIM Z,raja"]
    impor = services.impor_akun_baca(
        satuan_kerja=w.unit, nama_berkas="akun.csv", isi=_csv(rows), oleh=w.users["admin"]
    )
    assert impor.baris[1]["galat"] == [
        f"Tim 'TIM Z' tidak ada di {w.unit}.",
        "Peran 'raja' tidak dikenal (admin, pimpinan, reviewer atau anggota).",
        "E-mail ani@example.org sudah ada di baris 2.",
    ]
    with pytest.raises(ValidationError):
        services.impor_akun_terapkan(impor=impor, oleh=w.users["admin"], situs=SITUS)
    assert Pegawai.objects.count() == 0 and mail.outbox == []


def test_import_reads_xlsx_and_refuses_formulas(setup_world):
    import io

    from openpyxl import Workbook

    w = setup_world
    book = Workbook()
    book.active.append(["Nama", "E-mail", "Tim", "Peran"])
    book.active.append(["Ani", "ani@example.org", "TIM B", "pimpinan"])
    out = io.BytesIO()
    book.save(out)
    impor = services.impor_akun_baca(
        satuan_kerja=w.unit, nama_berkas="a.xlsx", isi=out.getvalue(), oleh=w.users["admin"]
    )
    assert impor.baris[0]["peran_ids"] == ["pimpinan"] and impor.galat == 0
    book.active.append(["=1+1", "b@example.org", "", ""])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError) as exc:
        services.impor_akun_baca(
            satuan_kerja=w.unit, nama_berkas="a.xlsx", isi=out.getvalue(), oleh=w.users["admin"]
        )
    assert _messages(exc) == ["Lembar berisi rumus; isi nilai saja, tanpa rumus."]
    assert ImporAkun.objects.count() == 1


# --- units below -------------------------------------------------------------------------


def test_unit_below_with_its_coordinator(setup_world):
    w = setup_world
    unit, koordinator = services.unit_buat_dengan_koordinator(
        induk=w.provinsi, slug="kpu-kab-baru", nama="KPU Kabupaten Baru",
        koordinator=DataAkun("Koordinator", "koor@example.org"),
        oleh=w.users["provinsi"], situs=SITUS,
    )  # fmt: skip
    assert unit.induk == w.provinsi
    assert PeranPengguna.objects.filter(user=koordinator, satuan_kerja=unit, peran="admin").exists()
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError) as exc:
        services.unit_buat_dengan_koordinator(
            induk=w.provinsi, slug="kpu-kab-baru", nama="Lagi",
            koordinator=DataAkun("K2", "k2@example.org"), oleh=w.users["provinsi"], situs=SITUS,
        )  # fmt: skip
    assert _messages(exc) == ["Kode kpu-kab-baru sudah dipakai satuan kerja lain."]
    assert not Pegawai.objects.filter(user__email="k2@example.org").exists()


def test_moving_stays_within_the_subtree(setup_world):
    w = setup_world
    other = SatuanKerja.objects.create(nama="Kab B", slug="kab-b", induk=w.provinsi)
    services.unit_pindah(unit=other, induk=w.unit, oleh=w.users["provinsi"])
    other.refresh_from_db()
    assert other.induk == w.unit
    with pytest.raises(ValidationError) as exc:
        services.unit_pindah(unit=w.unit, induk=other, oleh=w.users["provinsi"])
    assert _messages(exc) == ["Satuan kerja tidak dapat dipindah ke bawah dirinya sendiri."]
    with pytest.raises(ValidationError) as exc:
        services.unit_pindah(unit=other, induk=w.unit_lain, oleh=w.users["provinsi"])
    assert _messages(exc) == ["Satuan kerja hanya dapat dipindah di dalam wilayah yang Anda atur."]


def test_deactivated_unit_leaves_the_lists_and_keeps_its_history(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.unit_aktif(unit=w.provinsi, aktif=False, oleh=w.users["provinsi"])
    assert _messages(exc) == ["Anda tidak dapat menonaktifkan satuan kerja Anda sendiri."]
    services.unit_aktif(unit=w.unit, aktif=False, oleh=w.users["provinsi"])
    w.unit.refresh_from_db()
    assert w.unit.aktif is False
    assert RencanaAksi.objects.filter(satuan_kerja=w.unit).exists()


def test_indikator_text_is_required(setup_world):
    w = setup_world
    with pytest.raises(ValidationError) as exc:
        services.indikator_simpan(
            rencana=w.rencana, teks=" ", pk=w.langkah.indikator_id, oleh=w.users["admin"]
        )
    assert _messages(exc) == ["Teks indikator wajib diisi."]
    assert Indikator.objects.get(pk=w.langkah.indikator_id).teks != ""
