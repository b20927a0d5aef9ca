"""Template filters for evidence versions."""

import datetime
from collections.abc import Collection
from functools import lru_cache
from typing import Any, NamedTuple

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from evidence.enums import StatusBukti
from evidence.links import display_link

register = template.Library()

STATUS_CLASS: dict[str, str] = {
    StatusBukti.DIAJUKAN: "text-bg-warning",
    StatusBukti.DISETUJUI: "text-bg-success",
    StatusBukti.DIKEMBALIKAN: "text-bg-danger",
    StatusBukti.DITARIK: "text-bg-secondary",
    StatusBukti.DIGANTIKAN: "text-bg-light border",
}


@register.filter
def tautan_tampil(url: str | None) -> str:
    """An outside link as it really goes (punycode host, no hidden characters)."""
    return display_link(url or "")


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def lama_menunggu(since: datetime.datetime | None) -> str:
    """How long a submission has waited for review: "menunggu 9 hari", "menunggu 3 jam"."""
    if since is None:
        return ""
    seconds = max(0, (timezone.now() - since).total_seconds())
    if seconds >= 86400:
        return f"menunggu {int(seconds // 86400)} hari"
    if seconds >= 3600:
        return f"menunggu {int(seconds // 3600)} jam"
    return "menunggu kurang dari 1 jam"


# In the review form's fields as the step page renders them once (evidence.views): where
# each waiting version's form puts its own id, so the ids on the page stay unique.
BUKTI_PK = "zi-bukti-pk"


@register.filter
def untuk_bukti(fields: SafeString, pk: int) -> SafeString:
    """The review form's fields rendered once, with their ids made this version's."""
    return mark_safe(fields.replace(BUKTI_PK, str(int(pk))))  # ids of our own markup


class AntreanItem(NamedTuple):
    """What one item of the review queue shows: all of it, so the item rendered from
    these values is memoized on them (``antrean_item``)."""

    pk: int
    pilih: bool  # a checkbox: the reviewer did not upload it
    bulan: int
    romawi: str
    komponen: int
    tahun: int
    tim: str
    terlambat: bool
    menunggu: str  # "menunggu 3 jam": of the hour, so the item changes with it
    versi: int
    pengunggah: str
    diunggah_pada: datetime.datetime
    langkah: int
    teks: str
    berkas: tuple[tuple[str, int, str, bool], ...]  # (kind, id, name, previewable)
    tautan: str


# Items memoized per process: after a change the queue is recomputed with most items as
# they were (rendering them again was half of the queue's cost). Bounded: ~1.5 KB each.
ITEMS_REMEMBERED = 4096


@lru_cache(maxsize=ITEMS_REMEMBERED)
def _antrean_item(item: AntreanItem, prefix: str, language: str | None) -> str:
    # ``prefix`` and ``language`` only key the memo: the addresses and the month names.
    return render_to_string("evidence/_antrean_item.html", {"i": item})


@register.simple_tag
def antrean_item(bukti: Any, user: Any, pratinjau_jenis: Collection[str]) -> SafeString:
    """One item of the review queue (a waiting ``Bukti`` with its slot, step, indikator,
    komponen, area, plan, team, uploader and files loaded)."""
    langkah = bukti.slot.langkah_aksi
    komponen = langkah.indikator.komponen
    uploader = bukti.diunggah_oleh
    item = AntreanItem(
        pk=bukti.pk,
        pilih=bukti.diunggah_oleh_id != user.pk,
        bulan=bukti.slot.bulan,
        romawi=komponen.area.romawi,
        komponen=komponen.nomor,
        tahun=komponen.area.rencana.tahun,
        tim=langkah.tim.nama,
        terlambat=bukti.terlambat,
        menunggu=lama_menunggu(bukti.diunggah_pada),
        versi=bukti.versi,
        pengunggah=uploader.get_full_name() or uploader.username,
        diunggah_pada=bukti.diunggah_pada,
        langkah=langkah.pk,
        teks=langkah.teks,
        berkas=tuple(
            (b.jenis, b.pk, b.nama_asli, b.jenis in pratinjau_jenis) for b in bukti.berkas.all()
        ),
        tautan=bukti.tautan,
    )
    # Rendered by the template, which escapes every value.
    return mark_safe(_antrean_item(item, get_script_prefix(), translation.get_language()))
