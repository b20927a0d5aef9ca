"""Loading PortalRB's master of questions (the JSON of its master endpoint) into the
database: the one writer of ``MasterLke``, ``NodeLke`` and ``SoalLke``.

Loading a year again updates the same rows in place (nodes by PortalRB's id, questions
by ``soal_id``), so assessments already answered keep their answers; a question that
disappears from the master is removed only if nobody has answered it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actionplan.lke.enums import Bagian, JenisJawaban, Level
from actionplan.lke.models import JawabanLke, MasterLke, NodeLke, SoalLke

OPSI_JENIS = {
    JenisJawaban.YA_TIDAK: ["Ya", "Tidak"],
    JenisJawaban.ABC: ["A", "B", "C"],
    JenisJawaban.ABCD: ["A", "B", "C", "D"],
    JenisJawaban.ABCDE: ["A", "B", "C", "D", "E"],
}


class MasterTidakSah(ValueError):
    """The file is not a PortalRB master the app can use (message in Indonesian)."""


def _decimal(value: Any, where: str) -> Decimal:
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise MasterTidakSah(f"{where}: bobot '{value}' bukan angka.") from None
    if not out.is_finite() or out < 0:
        raise MasterTidakSah(f"{where}: bobot '{value}' tidak sah.")
    return out


def _bagian(komponen: dict, sub: dict | None) -> str:
    if "HASIL" in str(komponen.get("nama", "")).upper():
        return Bagian.HASIL
    if sub is None:
        raise MasterTidakSah(f"Node {komponen.get('id')}: area di luar sub-komponen.")
    nama = str(sub.get("nama", "")).upper()
    if "PEMENUHAN" in nama:
        return Bagian.PEMENUHAN
    if "REFORM" in nama:
        return Bagian.REFORM
    raise MasterTidakSah(f"Sub-komponen '{sub.get('nama')}' bukan Pemenuhan atau Reform.")


def parse(data: Any) -> tuple[int, str, list[dict], list[dict]]:
    """Check the JSON and flatten it: (year, generated_at, nodes, questions). Raises
    ``MasterTidakSah`` naming the first thing wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise MasterTidakSah("Berkas bukan master soal PortalRB (tidak ada daftar 'data').")
    tahun = data.get("tahun")
    if not isinstance(tahun, int) or not 2000 <= tahun <= 2100:
        raise MasterTidakSah(f"Tahun master '{tahun}' tidak sah.")
    nodes: list[dict] = []
    soals: list[dict] = []

    def walk(
        node: Any, induk: int | None, komponen: dict | None, sub: dict | None, area: int | None
    ) -> None:
        if not isinstance(node, dict) or not isinstance(node.get("id"), int):
            raise MasterTidakSah("Node tanpa id bilangan bulat.")
        level = node.get("level")
        if level not in Level.values:
            raise MasterTidakSah(f"Node {node['id']}: level '{level}' tidak dikenal.")
        where = f"Node {node['id']}"
        if level == Level.KOMPONEN:
            komponen, sub = node, None
        elif level == Level.SUB_KOMPONEN:
            sub = node
        assert komponen is not None or level == Level.KOMPONEN
        bagian = (
            _bagian(komponen or node, sub)
            if level != Level.KOMPONEN
            else (
                Bagian.HASIL if "HASIL" in str(node.get("nama", "")).upper() else Bagian.PEMENUHAN
            )
        )
        if level == Level.AREA:
            area = node.get("order_index")
            if not isinstance(area, int) or not 1 <= area <= 6:
                raise MasterTidakSah(f"{where}: nomor area '{area}' bukan 1 sampai 6.")
        nodes.append(
            {
                "portal_id": node["id"],
                "induk": induk,
                "level": level,
                "nama": str(node.get("nama", ""))[:300],
                "bobot": _decimal(node.get("bobot_maksimal", 0), where),
                "urutan": int(node.get("order_index") or 0),
                "bagian": bagian,
                "area": area if level in (Level.AREA, Level.SUB_AREA) else None,
            }
        )
        for soal in node.get("soals") or []:
            soals.append(_soal(soal, node["id"]))
        for child in node.get("children") or []:
            walk(child, node["id"], komponen, sub, area)

    for top in data["data"]:
        walk(top, None, None, None, None)
    ids = [s["soal_id"] for s in soals]
    if len(set(ids)) != len(ids):
        raise MasterTidakSah("Ada soal_id yang sama lebih dari sekali.")
    baris = [s["excel_baris"] for s in soals]
    if len(set(baris)) != len(baris):
        raise MasterTidakSah("Ada dua soal pada baris Excel yang sama.")
    total = data.get("total_soal")
    if isinstance(total, int) and total != len(soals):
        raise MasterTidakSah(f"total_soal {total}, tetapi berkas memuat {len(soals)} soal.")
    if not soals:
        raise MasterTidakSah("Master tidak memuat soal.")
    return tahun, str(data.get("generated_at") or ""), nodes, soals


def _soal(soal: Any, node_id: int) -> dict:
    if not isinstance(soal, dict) or not isinstance(soal.get("id"), int) or soal["id"] < 1:
        raise MasterTidakSah(f"Soal pada node {node_id} tanpa id bilangan bulat.")
    where = f"Soal {soal['id']}"
    try:
        jenis = JenisJawaban.from_portalrb(str(soal.get("jenis_jawaban", "")))
    except ValueError:
        raise MasterTidakSah(
            f"{where}: jenis jawaban '{soal.get('jenis_jawaban')}' tidak dikenal."
        ) from None
    opsi = []
    for o in soal.get("skema_penilaian") or []:
        if not isinstance(o, dict) or "key" not in o or "multiplier" not in o:
            raise MasterTidakSah(f"{where}: skema penilaian tidak lengkap.")
        m = _decimal(o["multiplier"], where)
        if m > 1:
            raise MasterTidakSah(f"{where}: pengali {m} lebih dari 1.")
        opsi.append({"key": str(o["key"]), "label": str(o.get("label", "")), "multiplier": str(m)})
    if jenis in OPSI_JENIS and [o["key"] for o in opsi] != OPSI_JENIS[jenis]:
        raise MasterTidakSah(
            f"{where}: pilihan {[o['key'] for o in opsi]} tidak sesuai jenis {jenis.label}."
        )
    baris = soal.get("excel_baris")
    if not isinstance(baris, int) or baris < 1:
        raise MasterTidakSah(f"{where}: baris Excel '{baris}' tidak sah.")
    return {
        "soal_id": soal["id"],
        "node": node_id,
        "teks": str(soal.get("teks_pertanyaan", "")),
        "kriteria": str(soal.get("kriteria_nilai") or ""),
        "jenis": jenis,
        "opsi": opsi,
        "bobot": _decimal(soal.get("bobot_maksimal", 0), where),
        "excel_sheet": str(soal.get("excel_sheet") or "Jawaban")[:40],
        "excel_baris": baris,
        "kolom_jawaban_unit": str(soal.get("excel_kolom_jawaban_unit") or "K")[:3],
        "kolom_catatan_unit": str(soal.get("excel_kolom_catatan_unit") or "L")[:3],
        "kolom_bukti_unit": str(soal.get("excel_kolom_bukti_dukung_unit") or "M")[:3],
        "kolom_jawaban_tpi": str(soal.get("excel_kolom_jawaban_tpi") or "N")[:3],
        "kolom_catatan_tpi": str(soal.get("excel_kolom_catatan_tpi") or "Q")[:3],
    }


@transaction.atomic
def master_load(*, data: Any, sumber: str, pada: datetime.datetime | None = None) -> MasterLke:
    """Write (or update) the master of the JSON's year. All or nothing."""
    tahun, generated_at, nodes, soals = parse(data)
    master, _ = MasterLke.objects.select_for_update().get_or_create(
        tahun=tahun, defaults={"sumber": sumber[:300]}
    )
    master.sumber = sumber[:300]
    master.dibuat_portalrb = generated_at[:40]
    master.dimuat_pada = pada or timezone.now()
    master.save()
    by_portal: dict[int, NodeLke] = {n.portal_id: n for n in master.node.all()}
    for row in nodes:
        induk = by_portal[row["induk"]] if row["induk"] is not None else None
        fields = {k: v for k, v in row.items() if k not in ("portal_id", "induk")}
        node = by_portal.get(row["portal_id"])
        if node is None:
            node = NodeLke(master=master, portal_id=row["portal_id"])
        for k, v in fields.items():
            setattr(node, k, v)
        node.induk = induk
        node.save()
        by_portal[row["portal_id"]] = node
    existing = {s.soal_id: s for s in master.soal.all()}
    keep = {row["soal_id"] for row in soals}
    gone = [s for sid, s in existing.items() if sid not in keep]
    if gone:
        answered = JawabanLke.objects.filter(soal__in=gone).values_list("soal__soal_id", flat=True)
        if answered:
            raise MasterTidakSah(
                f"Soal {sorted(set(answered))} sudah dijawab dan tidak ada di master baru."
            )
        SoalLke.objects.filter(pk__in=[s.pk for s in gone]).delete()
    # Rows may swap between questions: clear them first so the unique row holds.
    SoalLke.objects.filter(master=master).update(excel_baris=F("soal_id") + 100000)
    for row in soals:
        soal = existing.get(row["soal_id"]) or SoalLke(master=master, soal_id=row["soal_id"])
        for k, v in row.items():
            if k == "node":
                soal.node = by_portal[v]
            elif k != "soal_id":
                setattr(soal, k, v)
        soal.save()
    stale = set(by_portal) - {row["portal_id"] for row in nodes}
    NodeLke.objects.filter(master=master, portal_id__in=stale).delete()
    return master
