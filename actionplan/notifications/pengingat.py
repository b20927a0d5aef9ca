"""The day's reminders, computed as of a date from the progress states
(actionplan.progress.states), for every unit at once: a fixed number of queries whatever
the number of units and users (one more per LKE assessment in a pimpinan's summary).

- members: the steps of their teams due this month with nothing sent, N days before the
  month ends (settings.ZI_PENGINGAT_HARI, default 7 and 2; the nearest such day not yet
  reminded, so a day the scheduler missed is caught up); overdue or returned months
  once a week (the first run of the week, Monday 07:00);
- reviewers: the versions sent in the last day; those waiting longer than
  ZI_REVIEW_TUNGGU_HARI days; the unit's admin those waiting twice as long;
- pimpinan: a weekly summary, and the month's summary with the Laporan monev PDF once
  the month has ended;
- the LKE deadlines: the admin and the teams before the self-assessment deadline while
  the assessment is a draft, the TPI before the evaluation deadline while it is
  submitted.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from actionplan.enums import Peran, nama_bulan
from actionplan.lke.enums import Pihak, Predikat, StatusPenilaian
from actionplan.lke.models import PemetaanArea, PenilaianLke
from actionplan.lke.selectors import Nilai, nilai_banyak
from actionplan.models import SLOT_TO_RENCANA, PeranPengguna, RencanaAksi, Slot, TimKerja
from actionplan.notifications import pesan
from actionplan.notifications.enums import Jenis
from actionplan.notifications.preferensi import penerima_map
from actionplan.notifications.services import Usulan, digest_antre, kunci_jalan, usulan_simpan
from actionplan.progress.moment import Moment, month_end
from actionplan.progress.states import Counts, State, count_aggregates, with_state
from evidence.enums import JenisPeristiwa, StatusBukti
from evidence.models import Bukti, PeristiwaBukti


@dataclass(frozen=True)
class MomentPada(Moment):
    """A moment that counts events up to ``at`` itself (a past day replayed: what was
    sent after it did not exist yet), the progress states' own rules otherwise."""

    @property
    def cutoff(self) -> datetime.datetime:
        return self.at


def saat(tahun: int, at: datetime.datetime) -> MomentPada:
    local = timezone.localtime(at)
    if local.year > tahun:
        return MomentPada(tahun=tahun, bulan=12, at=at, months_ended=12)
    if local.year < tahun:
        return MomentPada(tahun=tahun, bulan=1, at=at, months_ended=0)
    return MomentPada(tahun=tahun, bulan=local.month, at=at, months_ended=local.month - 1)


def waktu_hari(hari: datetime.date) -> datetime.datetime:
    """The moment a day is computed at: now for today, else the day's end."""
    now = timezone.now()
    end = timezone.make_aware(datetime.datetime.combine(hari, datetime.time.max))
    return min(now, end)


def minggu(hari: datetime.date) -> str:
    year, week, _ = hari.isocalendar()
    return f"{year}-W{week:02d}"


def ambang_terdekat(sisa: int, ambang: list[int]) -> int | None:
    """The nearest reminder day reached: with 7 and 2, five days left -> 7, one -> 2."""
    reached = [n for n in ambang if sisa <= n]
    return min(reached) if reached else None


@dataclass
class Hasil:
    notifikasi: dict[str, int]
    email: int

    @property
    def jumlah(self) -> int:
        return sum(self.notifikasi.values())


def hitung(hari: datetime.date, *, sekarang: datetime.datetime | None = None) -> Hasil:
    """Compute and record the reminders of ``hari`` and queue the day's e-mail digests,
    in one transaction; safe to run any number of times."""
    at = sekarang or waktu_hari(hari)
    with transaction.atomic():
        kunci_jalan()
        usulan = _usulan(hari, at)
        penerima = penerima_map({u.penerima for u in usulan})
        notifs = usulan_simpan(usulan, penerima=penerima, sekarang=at)
        email = digest_antre(hari=hari, sekarang=at)
    counts: dict[str, int] = defaultdict(int)
    for n in notifs:
        counts[n.jenis] += 1
    return Hasil(dict(counts), email)


def _usulan(hari: datetime.date, at: datetime.datetime) -> list[Usulan]:
    tahun = hari.year
    plans = {
        p.pk: p for p in RencanaAksi.objects.select_related("satuan_kerja").filter(tahun=tahun)
    }
    if not plans:
        return []
    roles: dict[tuple[int, str], set[int]] = defaultdict(set)
    for unit_id, peran, user_id in PeranPengguna.objects.filter(
        satuan_kerja__rencana_aksi__tahun=tahun
    ).values_list("satuan_kerja_id", "peran", "user_id"):
        roles[(unit_id, peran)].add(user_id)
    members: dict[int, set[int]] = defaultdict(set)  # tim -> users
    team_unit: dict[int, int] = {}
    for tim_id, unit_id, user_id in TimKerja.anggota.through.objects.filter(
        timkerja__satuan_kerja__rencana_aksi__tahun=tahun
    ).values_list("timkerja_id", "timkerja__satuan_kerja_id", "user_id"):
        members[tim_id].add(user_id)
        team_unit[tim_id] = unit_id

    out: list[Usulan] = []
    slots = _slot_rows(tahun, at)
    out += _anggota(hari, slots, members)
    waiting = _menunggu(tahun, at)
    out += _reviewer(hari, at, waiting, roles, plans)
    out += _pimpinan(hari, at, plans, roles, slots, waiting)
    out += _lke(hari, tahun, roles, members, team_unit)
    return out


# --- members ------------------------------------------------------------------------------


def _slot_rows(tahun: int, at: datetime.datetime) -> list[dict]:
    """Every slot of the year's plans that is due now, overdue or returned, with what a
    reminder says of it: one query."""
    moment = saat(tahun, at)
    step = "langkah_aksi__indikator__komponen"
    # "state" is an annotation of with_state(), which the stubs cannot follow.
    return list(
        with_state(Slot.objects.of_year(tahun), moment)  # type: ignore[misc]
        .filter(state__in=[State.DUE_NOW, State.OVERDUE, State.RETURNED])
        .values(
            "pk",
            "bulan",
            "state",
            "langkah_aksi_id",
            "langkah_aksi__teks",
            "langkah_aksi__tim_id",
            "langkah_aksi__tim__nama",
            komponen=F(f"{step}__nomor"),
            area=F(f"{step}__area__nomor"),
            rencana=F(SLOT_TO_RENCANA),
            unit=F(f"{SLOT_TO_RENCANA}__satuan_kerja_id"),
        )
        .order_by(
            f"{step}__area__nomor",
            f"{step}__nomor",
            "langkah_aksi__indikator__urutan",
            "langkah_aksi__urutan",
            "bulan",
        )
    )


def _label(row: dict) -> str:
    return pesan.label_langkah(
        row["area"], row["komponen"], row["bulan"], row["langkah_aksi__teks"]
    )


def _anggota(hari: datetime.date, slots: list[dict], members: dict[int, set[int]]) -> list[Usulan]:
    out = []
    last = calendar.monthrange(hari.year, hari.month)[1]
    sisa = last - hari.day
    n = ambang_terdekat(sisa, settings.ZI_PENGINGAT_HARI)
    week = minggu(hari)
    link = pesan.tautan("tugas-saya")
    due: dict[int, list[dict]] = defaultdict(list)
    late: dict[int, list[dict]] = defaultdict(list)
    for row in slots:
        for user_id in members.get(row["langkah_aksi__tim_id"], ()):
            if row["state"] == State.DUE_NOW:
                if n is not None:
                    due[user_id].append(row)
            else:
                late[user_id].append(row)
    bulan = nama_bulan(hari.month)
    akhir = pesan.tanggal(datetime.date(hari.year, hari.month, last))
    for user_id, rows in due.items():
        out.append(
            Usulan(
                penerima=user_id,
                jenis=Jenis.JATUH_TEMPO,
                kunci=hari.isoformat(),
                judul=f"{len(rows)} langkah aksi bulan {bulan} belum dikirim buktinya",
                pengantar=(
                    f"Bulan {bulan} berakhir {akhir} ({sisa} hari lagi). Bukti untuk langkah "
                    "aksi berikut belum dikirim:"
                ),
                tautan=link,
                butir=[(f"slot:{r['pk']}:h{n}", [_label(r)]) for r in rows],
                satuan_kerja=rows[0]["unit"],
            )
        )
    for user_id, rows in late.items():
        out.append(
            Usulan(
                penerima=user_id,
                jenis=Jenis.TERLAMBAT,
                kunci=week,
                judul=f"{len(rows)} bukti terlambat atau dikembalikan",
                pengantar=(
                    "Bulan pelaporannya sudah lewat dan buktinya belum dikirim, atau bukti "
                    "dikembalikan reviewer dan menunggu perbaikan Anda:"
                ),
                tautan=link,
                butir=[
                    (
                        f"slot:{r['pk']}:{week}",
                        [f"{_label(r)} — {dict(State.choices)[r['state']]}"],
                    )
                    for r in rows
                ],
                satuan_kerja=rows[0]["unit"],
            )
        )
    return out


# --- reviewers ------------------------------------------------------------------------------


def _menunggu(tahun: int, at: datetime.datetime) -> list[dict]:
    """The versions waiting for review at ``at`` (uploaded by then, not reviewed,
    withdrawn or replaced by then), oldest first: one query."""
    ended = PeristiwaBukti.objects.filter(
        bukti=OuterRef("pk"),
        jenis__in=[JenisPeristiwa.DITARIK, JenisPeristiwa.DIGANTIKAN],
        pada__lte=at,
    )
    step = "slot__langkah_aksi__indikator__komponen"
    rows = list(
        Bukti.objects.filter(**{f"slot__{SLOT_TO_RENCANA}__tahun": tahun}, diunggah_pada__lte=at)
        .filter(
            Q(status=StatusBukti.DIAJUKAN)
            | Q(diperiksa_pada__gt=at)
            | Q(status__in=[StatusBukti.DITARIK, StatusBukti.DIGANTIKAN])
        )
        .exclude(Exists(ended))
        .values(
            "pk",
            "versi",
            "diunggah_pada",
            "slot_id",
            bulan=F("slot__bulan"),
            langkah_aksi__teks=F("slot__langkah_aksi__teks"),
            komponen=F(f"{step}__nomor"),
            area=F(f"{step}__area__nomor"),
            rencana=F(f"slot__{SLOT_TO_RENCANA}"),
            unit=F(f"slot__{SLOT_TO_RENCANA}__satuan_kerja_id"),
            tim=F("slot__langkah_aksi__tim__nama"),
        )
        .order_by("diunggah_pada", "pk")
    )
    return [dict(row) for row in rows]


def _reviewer(
    hari: datetime.date,
    at: datetime.datetime,
    waiting: list[dict],
    roles: dict[tuple[int, str], set[int]],
    plans: dict[int, RencanaAksi],
) -> list[Usulan]:
    n = settings.ZI_REVIEW_TUNGGU_HARI
    link = pesan.tautan("antrean")
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in waiting:
        age = at - row["diunggah_pada"]
        reviewers = roles.get((row["unit"], Peran.REVIEWER)) or roles.get(
            (row["unit"], Peran.ADMIN), set()
        )
        if age <= datetime.timedelta(days=1):
            for user_id in reviewers:
                groups[(Jenis.REVIEW_BARU, user_id)].append(row)
        if age > datetime.timedelta(days=n):
            for user_id in reviewers:
                groups[(Jenis.REVIEW_MENUNGGU, user_id)].append(row)
        if age > datetime.timedelta(days=2 * n):
            for user_id in roles.get((row["unit"], Peran.ADMIN), ()):
                groups[(Jenis.ESKALASI, user_id)].append(row)
    texts: dict[str, tuple[str, str]] = {
        Jenis.REVIEW_BARU: (
            "{k} bukti baru menunggu review",
            "Bukti berikut dikirim dalam sehari terakhir dan menunggu review Anda:",
        ),
        Jenis.REVIEW_MENUNGGU: (
            "{k} bukti menunggu review lebih dari " + str(n) + " hari",
            f"Bukti berikut sudah lebih dari {n} hari menunggu review Anda:",
        ),
        Jenis.ESKALASI: (
            "Eskalasi: {k} bukti menunggu review lebih dari " + str(2 * n) + " hari",
            f"Sebagai admin satuan kerja, mohon pastikan bukti berikut direview; sudah lebih "
            f"dari {2 * n} hari menunggu:",
        ),
    }
    out = []
    for (jenis, user_id), rows in groups.items():
        judul, pengantar = texts[jenis]
        out.append(
            Usulan(
                penerima=user_id,
                jenis=jenis,
                kunci=hari.isoformat(),
                judul=judul.format(k=len(rows)),
                pengantar=pengantar,
                tautan=link,
                butir=[
                    (
                        f"bukti:{r['pk']}",
                        [
                            f"{_label(r)} — {r['tim']}, versi {r['versi']}, dikirim "
                            f"{pesan.tanggal(timezone.localdate(r['diunggah_pada']))}"
                        ],
                    )
                    for r in rows
                ],
                satuan_kerja=rows[0]["unit"],
            )
        )
    return out


# --- pimpinan -------------------------------------------------------------------------------


def _counts(plan_ids: list[int], moment: Moment) -> dict[int, Counts]:
    """Each plan's numbers at the moment: one query for all of them."""
    rows = (
        with_state(Slot.objects.of_plans(plan_ids), moment)  # type: ignore[misc]
        .with_plan_id()
        .values("rencana_id")
        .annotate(**count_aggregates(moment))
        .order_by()
    )
    out = {pk: Counts() for pk in plan_ids}
    for row in rows:
        plan_id = row.pop("rencana_id")
        out[plan_id] = Counts(**row)
    return out


def _angka(c: Counts) -> list[str]:
    pct = f" ({str(c.approved_pct).replace('.', ',')}%)" if c.approved_pct is not None else ""
    return [
        f"Jatuh tempo: {c.due}; dikirim: {c.submitted}; disetujui: {c.approved}{pct}",
        f"Belum dikirim, bulannya sudah lewat (giliran tim): {c.missing}",
        f"Dikembalikan, menunggu perbaikan (giliran tim): {c.returned}",
        f"Menunggu review (giliran reviewer/TPI): {c.waiting}",
    ]


def _terlambat(
    rencana_id: int, slots: list[dict], waiting: list[dict], moment: Moment
) -> list[str]:
    """Up to ten overdue months with whose move they are."""
    lines = [
        f"{_label(r)} — {r['langkah_aksi__tim__nama']}: "
        + ("belum dikirim" if r["state"] == State.OVERDUE else "dikembalikan")
        + " (giliran tim)"
        for r in slots
        if r["rencana"] == rencana_id and r["state"] in (State.OVERDUE, State.RETURNED)
    ]
    lines += [
        f"{_label(r)} — {r['tim']}: menunggu review (giliran reviewer/TPI)"
        for r in waiting
        if r["rencana"] == rencana_id and r["bulan"] <= moment.months_ended
    ]
    if len(lines) > 10:
        lines = [*lines[:10], f"… dan {len(lines) - 10} lainnya (lihat dasbor)"]
    return lines


def _lke_gap(penilaian: PenilaianLke | None, hasil: Nilai | None) -> list[str]:
    """The LKE's self-assessment score and what is still short of WBK."""
    if penilaian is None or hasil is None:
        return []
    total = f"{float(hasil.skor.total):.2f}".replace(".", ",")
    wbk = hasil.putusan.get(Predikat.WBK)
    kurang = [k for k in (wbk.kriteria if wbk else []) if not k.memenuhi]
    line = f"LKE {penilaian.tahun} (penilaian mandiri): nilai {total}"
    if not kurang:
        return [line + "; semua syarat WBK terpenuhi."]
    parts = [
        f"{k.nama} kurang {float(k.selisih):.2f}".replace(".", ",") + (k.satuan or "")
        for k in kurang[:4]
    ]
    return [line + "; belum memenuhi WBK: " + "; ".join(parts) + "."]


def _pimpinan(
    hari: datetime.date,
    at: datetime.datetime,
    plans: dict[int, RencanaAksi],
    roles: dict[tuple[int, str], set[int]],
    slots: list[dict],
    waiting: list[dict],
) -> list[Usulan]:
    leaders = {pk: roles.get((p.satuan_kerja_id, Peran.PIMPINAN), set()) for pk, p in plans.items()}
    with_leaders = [pk for pk, users in leaders.items() if users]
    if not with_leaders:
        return []
    week = minggu(hari)
    moment = saat(hari.year, at)
    counts = _counts(with_leaders, moment)
    assessments = {
        p.satuan_kerja_id: p
        for p in PenilaianLke.objects.with_unit().filter(
            tahun=hari.year, satuan_kerja_id__in={plans[pk].satuan_kerja_id for pk in with_leaders}
        )
    }
    # Every unit's LKE score in a fixed number of queries (not one nilai() per unit).
    scores = nilai_banyak(assessments.values(), Pihak.UNIT)
    out = []
    for pk in with_leaders:
        plan = plans[pk]
        unit = plan.satuan_kerja
        lines = _angka(counts[pk])
        lines += _terlambat(pk, slots, waiting, moment)
        found = assessments.get(unit.pk)
        lines += _lke_gap(found, scores.get(found.pk) if found else None)
        for user_id in leaders[pk]:
            out.append(
                Usulan(
                    penerima=user_id,
                    jenis=Jenis.RINGKASAN_MINGGUAN,
                    kunci=f"{week}:{pk}",
                    judul=f"Ringkasan mingguan {unit.nama} ({pesan.tanggal(hari)})",
                    pengantar=(
                        f"Kemajuan rencana aksi {plan.tahun} per {pesan.tanggal(hari)}, bulan "
                        f"{nama_bulan(moment.bulan)} (giliran siapa tertulis pada tiap baris):"
                    ),
                    tautan=pesan.tautan("dasbor", pk),
                    butir=[(f"rencana:{pk}:{week}", lines)],
                    satuan_kerja=unit.pk,
                )
            )
    out += _bulanan(hari, at, plans, leaders)
    return out


def _bulanan(
    hari: datetime.date,
    at: datetime.datetime,
    plans: dict[int, RencanaAksi],
    leaders: dict[int, set[int]],
) -> list[Usulan]:
    """The summary of the month that ended last, once it has ended (sent in the first
    week of the next month, the PDF attached). December's ends the year: its summary
    would be sent in January for last year's plans, which this run does not read."""
    if hari.month == 1 or hari.day > 7:
        return []
    bulan = hari.month - 1
    end = month_end(hari.year, bulan)
    moment = MomentPada(tahun=hari.year, bulan=bulan, at=end, months_ended=bulan)
    ids = [pk for pk, users in leaders.items() if users]
    counts = _counts(ids, moment)
    out = []
    period = f"{hari.year}-{bulan:02d}"
    for pk in ids:
        plan = plans[pk]
        for user_id in leaders[pk]:
            out.append(
                Usulan(
                    penerima=user_id,
                    jenis=Jenis.RINGKASAN_BULANAN,
                    kunci=f"{period}:{pk}",
                    judul=(
                        f"Laporan monev {nama_bulan(bulan)} {hari.year}: {plan.satuan_kerja.nama}"
                    ),
                    pengantar=(
                        f"Bulan {nama_bulan(bulan)} {hari.year} telah berakhir. Angka akhir "
                        "bulan (Laporan monev terlampir sebagai PDF):"
                    ),
                    tautan=pesan.tautan("dasbor", pk) + f"?bulan={bulan}",
                    butir=[(f"rencana:{pk}:{period}", _angka(counts[pk]))],
                    satuan_kerja=plan.satuan_kerja_id,
                    lampiran=[{"laporan": pk, "bulan": bulan}],
                )
            )
    return out


# --- the LKE deadlines ------------------------------------------------------------------------


def _lke(
    hari: datetime.date,
    tahun: int,
    roles: dict[tuple[int, str], set[int]],
    members: dict[int, set[int]],
    team_unit: dict[int, int],
) -> list[Usulan]:
    ambang = settings.ZI_PENGINGAT_HARI
    rows = list(
        PenilaianLke.objects.select_related("satuan_kerja").filter(
            Q(status=StatusPenilaian.DRAFT, batas_mandiri__gte=hari)
            | Q(status=StatusPenilaian.DIAJUKAN, batas_evaluasi__gte=hari),
            tahun=tahun,
        )
    )
    if not rows:
        return []
    mapped: dict[int, set[int]] = defaultdict(set)
    for penilaian_id, tim_id in PemetaanArea.objects.filter(penilaian__in=rows).values_list(
        "penilaian_id", "tim_id"
    ):
        mapped[penilaian_id].add(tim_id)
    found: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    units: dict[int, int] = {}
    for p in rows:
        unit = p.satuan_kerja_id
        if p.status == StatusPenilaian.DRAFT:
            batas, tahap = p.batas_mandiri, "mandiri"
            teams = mapped.get(p.pk) or {t for t, u in team_unit.items() if u == unit}
            people = set(roles.get((unit, Peran.ADMIN), set()))
            for tim in teams:
                people |= members.get(tim, set())
            teks = "penilaian mandiri LKE {unit} {tahun} harus diajukan paling lambat {batas}"
        else:
            batas, tahap = p.batas_evaluasi, "evaluasi"
            people = set(roles.get((unit, Peran.REVIEWER), set()))
            teks = "evaluasi LKE {unit} {tahun} oleh TPI harus selesai paling lambat {batas}"
        assert batas is not None  # filtered above
        sisa = (batas - hari).days
        n = ambang_terdekat(sisa, ambang)
        if n is None:
            continue
        line = teks.format(unit=p.satuan_kerja.nama, tahun=p.tahun, batas=pesan.tanggal(batas))
        line = line[0].upper() + line[1:] + f" ({sisa} hari lagi)."
        for user_id in people:
            found[user_id].append((f"lke:{p.pk}:{tahap}:{batas.isoformat()}:h{n}", [line]))
            units[user_id] = unit
    return [
        Usulan(
            penerima=user_id,
            jenis=Jenis.LKE_BATAS,
            kunci=hari.isoformat(),
            judul="Batas waktu LKE sudah dekat",
            pengantar="Lembar Kerja Evaluasi (LKE) Zona Integritas:",
            tautan=pesan.tautan("lke-beranda"),
            butir=butir,
            satuan_kerja=units[user_id],
        )
        for user_id, butir in found.items()
    ]
