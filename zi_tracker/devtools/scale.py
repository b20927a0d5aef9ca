"""Realistic data at national scale: provinces and their units, each with plans like the
2024 KPU Banyumas one (varied a little), teams, accounts, and evidence for most due
slots with versions, review events and small real files. Bulk inserts throughout."""

from __future__ import annotations

import datetime
import io
import math
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from actionplan.enums import Peran
from actionplan.lke.models import MasterLke, TautanSoal
from actionplan.models import (
    AreaPerubahan,
    BuktiFisik,
    Indikator,
    Komponen,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    Slot,
    TimKerja,
)
from zi_tracker.devtools.demo_lke import demo_lke_links_missing

PREFIX = "gen"
PASSWORD = "zi-demo-2024"


@dataclass(frozen=True)
class TemplateStep:
    area: int
    area_nama: str
    area_singkat: str
    komponen: int
    komponen_nama: str
    indikator: int
    indikator_teks: str
    urutan: int
    teks: str
    tim: str
    bukti: tuple[str, ...]
    bulan: tuple[int, ...]
    soal: tuple[int, ...] = ()  # pks of the LKE questions the step serves


def _template() -> tuple[RencanaAksi, list[TemplateStep], list[str]]:
    if not RencanaAksi.objects.filter(satuan_kerja__slug="kpu-banyumas", tahun=2024).exists():
        call_command("loaddata", "banyumas_2024", verbosity=0)
    if not MasterLke.objects.exists():
        call_command("lke_load_master", verbosity=0, stdout=io.StringIO())
    if demo_lke_links_missing():
        call_command("loaddata", "banyumas_2024_lke", verbosity=0)
    plan = RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2024)
    soal: dict[int, list[int]] = {}
    for langkah_id, soal_pk in TautanSoal.objects.filter(
        langkah__indikator__komponen__area__rencana=plan
    ).values_list("langkah_id", "soal_id"):
        soal.setdefault(langkah_id, []).append(soal_pk)
    steps = [
        TemplateStep(
            area=s.indikator.komponen.area.nomor,
            area_nama=s.indikator.komponen.area.nama,
            area_singkat=s.indikator.komponen.area.nama_singkat,
            komponen=s.indikator.komponen.nomor,
            komponen_nama=s.indikator.komponen.nama,
            indikator=s.indikator.urutan,
            indikator_teks=s.indikator.teks,
            urutan=s.urutan,
            teks=s.teks,
            tim=s.tim.nama,
            bukti=tuple(b.teks for b in s.bukti_fisik.all()),
            bulan=tuple(s.bulan),
            soal=tuple(sorted(soal.get(s.pk, []))),
        )
        for s in LangkahAksi.objects.of_plan(plan).in_document_order()
    ]
    teams = list(
        TimKerja.objects.filter(satuan_kerja=plan.satuan_kerja).values_list("nama", flat=True)
    )
    return plan, steps, teams


def _retitle(text: str, unit: SatuanKerja, year: int) -> str:
    name = unit.nama.upper().removeprefix("KPU ")
    return text.replace("KABUPATEN BANYUMAS", name).replace("2024", str(year))


def generate(*, units: int, years: int, seed: int = 1, with_evidence: bool = True) -> dict:
    """Create ``units`` kabupaten/kota units under provinces under one national unit,
    each with ``years`` plans ending this year. Returns counts of what was created."""
    from zi_tracker.devtools.scale_evidence import generate_evidence
    from zi_tracker.devtools.scale_lke import generate_lke

    rng = random.Random(seed)
    template, steps, team_names = _template()
    this_year = timezone.localdate().year
    plan_years = list(range(this_year - years + 1, this_year + 1))
    User = get_user_model()
    password = make_password(PASSWORD)

    with transaction.atomic():
        national = SatuanKerja.objects.create(nama="KPU RI (data uji)", slug=f"{PREFIX}-kpu-ri")
        n_prov = min(38, max(1, math.ceil(units / 14)))
        provinces = SatuanKerja.objects.bulk_create(
            SatuanKerja(
                nama=f"KPU Provinsi Uji {p:02d}", slug=f"{PREFIX}-prov-{p:02d}", induk=national
            )
            for p in range(1, n_prov + 1)
        )
        kab = SatuanKerja.objects.bulk_create(
            SatuanKerja(
                nama=f"KPU Kabupaten Uji {u:03d}",
                slug=f"{PREFIX}-kab-{u:03d}",
                induk=provinces[(u - 1) % n_prov],
            )
            for u in range(1, units + 1)
        )
        teams = TimKerja.objects.bulk_create(
            TimKerja(satuan_kerja=unit, nama=name, urutan=i)
            for unit in kab
            for i, name in enumerate(team_names, start=1)
        )
        team_of = {(t.satuan_kerja_id, t.nama): t for t in teams}

        users = User.objects.bulk_create(
            [
                User(username=f"{PREFIX}-{kind}-{unit.slug}", password=password, first_name=kind)
                for unit in [national, *provinces, *kab]
                for kind in ("admin", "pimpinan", "tpi")
            ]
            + [
                User(username=f"{PREFIX}-anggota{i}-{unit.slug}", password=password)
                for unit in kab
                for i in range(1, len(team_names) + 1)
            ]
        )
        by_name = {u.username: u for u in users}
        PeranPengguna.objects.bulk_create(
            PeranPengguna(
                user=by_name[f"{PREFIX}-{kind}-{unit.slug}"], satuan_kerja=unit, peran=peran
            )
            for unit in [national, *provinces, *kab]
            for kind, peran in (
                ("admin", Peran.ADMIN),
                ("pimpinan", Peran.PIMPINAN),
                ("tpi", Peran.REVIEWER),
            )
        )
        Membership = TimKerja.anggota.through
        Membership.objects.bulk_create(
            Membership(
                timkerja_id=team_of[(unit.pk, name)].pk,
                user_id=by_name[f"{PREFIX}-anggota{i}-{unit.slug}"].pk,
            )
            for unit in kab
            for i, name in enumerate(team_names, start=1)
        )

        plans = RencanaAksi.objects.bulk_create(
            RencanaAksi(
                satuan_kerja=unit,
                tahun=year,
                judul=template.judul.replace("BANYUMAS", unit.nama.upper()).replace(
                    "2024", str(year)
                ),
                judul_tabel=template.judul_tabel.replace("BANYUMAS", unit.nama.upper()).replace(
                    "2024", str(year)
                ),
                instansi_penetap=unit.nama.upper(),
                nomor_keputusan=str(rng.randint(1, 40)),
                tanggal_penetapan=datetime.date(year, 1, rng.randint(2, 20)),
                tempat_penetapan="Kota Uji",
                jabatan_penandatangan=f"KETUA {unit.nama.upper()}",
                nama_penandatangan="NAMA KETUA",
            )
            for unit in kab
            for year in plan_years
        )
        areas = AreaPerubahan.objects.bulk_create(
            AreaPerubahan(rencana=plan, nomor=n, nama=nama, nama_singkat=singkat)
            for plan in plans
            for n, nama, singkat in sorted({(s.area, s.area_nama, s.area_singkat) for s in steps})
        )
        area_of = {(a.rencana_id, a.nomor): a for a in areas}
        komponen = Komponen.objects.bulk_create(
            Komponen(area=area_of[(plan.pk, a)], nomor=k, nama=nama)
            for plan in plans
            for a, k, nama in sorted({(s.area, s.komponen, s.komponen_nama) for s in steps})
        )
        komponen_of = {(k.area.rencana_id, k.area.nomor, k.nomor): k for k in komponen}
        # Vary a little: each plan drops a few of the template's steps.
        chosen = {plan.pk: [s for s in steps if rng.random() > 0.05] for plan in plans}
        indikator = Indikator.objects.bulk_create(
            Indikator(
                komponen=komponen_of[(plan.pk, s.area, s.komponen)],
                urutan=s.indikator,
                teks=s.indikator_teks,
            )
            for plan in plans
            for s in chosen[plan.pk]
        )
        langkah = LangkahAksi.objects.bulk_create(
            LangkahAksi(
                indikator=ind,
                urutan=s.urutan,
                teks=s.teks,
                tim=team_of[(plan.satuan_kerja_id, s.tim)],
            )
            for (plan, s), ind in zip(
                ((plan, s) for plan in plans for s in chosen[plan.pk]), indikator, strict=True
            )
        )
        pairs = [(plan, s) for plan in plans for s in chosen[plan.pk]]
        BuktiFisik.objects.bulk_create(
            BuktiFisik(langkah_aksi=step, urutan=n, teks=t)
            for (plan, s), step in zip(pairs, langkah, strict=True)
            for n, t in enumerate(s.bukti, start=1)
        )
        slots = Slot.objects.bulk_create(
            Slot(langkah_aksi=step, bulan=b)
            for (plan, s), step in zip(pairs, langkah, strict=True)
            for b in s.bulan
        )
        TautanSoal.objects.bulk_create(
            (
                TautanSoal(langkah=step, soal_id=soal_pk)
                for (plan, s), step in zip(pairs, langkah, strict=True)
                for soal_pk in s.soal
            ),
            batch_size=2000,
        )
        counts = {
            "satuan_kerja": 1 + len(provinces) + len(kab),
            "rencana": len(plans),
            "langkah_aksi": len(langkah),
            "slot": len(slots),
            "pengguna": len(users),
        }
        if with_evidence:
            counts.update(generate_evidence(plans=plans, rng=rng))
        counts.update(generate_lke(plans=plans, seed=seed))
    return counts
