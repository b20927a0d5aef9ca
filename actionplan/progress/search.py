"""Search in the texts of the plans a user reads: steps (langkah aksi), indikator and
bukti fisik, each found step with its months in their state now.

A fixed number of queries whatever the number of results: the count, the steps with
their plan, the matching bukti fisik items, and the states of the found steps' months
(one query per year among the results: a moment belongs to one year)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q

from actionplan.access import Akses
from actionplan.models import DOCUMENT_ORDER, LANGKAH_TO_RENCANA, BuktiFisik, LangkahAksi, Slot
from actionplan.progress.moment import Moment
from actionplan.progress.states import with_state

MIN_LENGTH = 3
MAX_LENGTH = 100
LIMIT = 50

# What a result can match, as the page names it.
LANGKAH, INDIKATOR, BUKTI_FISIK = "langkah aksi", "indikator", "bukti fisik"


@dataclass
class Hasil:
    """A found step: its plan (``langkah.rencana``, loaded), what matched, the matching
    bukti fisik items, and its months with their state at ``moment``."""

    langkah: LangkahAksi
    cocok: list[str]
    bukti_fisik: list[BuktiFisik]
    moment: Moment
    bulan: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Pencarian:
    q: str
    pesan: str = ""  # why no search was run ("" when it was, or nothing was asked)
    hasil: list[Hasil] = field(default_factory=list)
    total: int = 0

    @property
    def dipotong(self) -> bool:
        """More were found than are shown."""
        return self.total > len(self.hasil)


def search(akses: Akses, raw: str) -> Pencarian:
    """Steps whose text, indikator or one of whose bukti fisik items contains ``raw``
    (case-insensitive), of the plans of the units ``akses`` reads: newest year first,
    then unit, then document order; at most ``LIMIT``, with the total count."""
    q = " ".join(raw.split())
    if not q:
        return Pencarian(q="")
    if len(q) < MIN_LENGTH:
        return Pencarian(q=q, pesan=f"Ketik minimal {MIN_LENGTH} huruf.")
    if len(q) > MAX_LENGTH:
        return Pencarian(
            q=q[:MAX_LENGTH], pesan=f"Kata pencarian paling panjang {MAX_LENGTH} huruf."
        )

    bukti_cocok = BuktiFisik.objects.filter(teks__icontains=q)
    steps = LangkahAksi.objects.filter(
        Q(teks__icontains=q)
        | Q(indikator__teks__icontains=q)
        | Exists(bukti_cocok.filter(langkah_aksi=OuterRef("pk")))
    )
    units = akses.readable_units()
    if units is not None:
        steps = steps.filter(**{f"{LANGKAH_TO_RENCANA}__satuan_kerja_id__in": units})
    total = steps.count()
    if not total:
        return Pencarian(q=q)

    found = list(
        steps.with_plan()
        .annotate(
            cocok_langkah=ExpressionWrapper(Q(teks__icontains=q), output_field=BooleanField()),
            cocok_indikator=ExpressionWrapper(
                Q(indikator__teks__icontains=q), output_field=BooleanField()
            ),
        )
        .prefetch_related(Prefetch("bukti_fisik", queryset=bukti_cocok, to_attr="bukti_cocok"))
        .order_by(
            f"-{LANGKAH_TO_RENCANA}__tahun",
            f"{LANGKAH_TO_RENCANA}__satuan_kerja__nama",
            *DOCUMENT_ORDER,
        )[:LIMIT]
    )
    hasil = []
    moments: dict[int, Moment] = {}
    for langkah in found:
        rencana = langkah.rencana
        moment = moments.setdefault(rencana.tahun, Moment.now(rencana))
        # The annotations and the prefetch above: attributes the stubs cannot see.
        matched: list[BuktiFisik] = langkah.bukti_cocok  # type: ignore[attr-defined]
        flags = [
            (LANGKAH, langkah.cocok_langkah),  # type: ignore[attr-defined]
            (INDIKATOR, langkah.cocok_indikator),  # type: ignore[attr-defined]
            (BUKTI_FISIK, bool(matched)),
        ]
        cocok = [name for name, hit in flags if hit]
        hasil.append(Hasil(langkah=langkah, cocok=cocok, bukti_fisik=matched, moment=moment))
    _add_states(hasil, moments)
    return Pencarian(q=q, hasil=hasil, total=total)


def _add_states(hasil: list[Hasil], moments: dict[int, Moment]) -> None:
    """Each result's months with their state: one query per year among the results."""
    for moment in moments.values():
        ids = [h.langkah.pk for h in hasil if h.moment is moment]
        states: dict[int, list[tuple[int, str]]] = {}
        rows = (
            with_state(Slot.objects.filter(langkah_aksi_id__in=ids), moment)
            .order_by("langkah_aksi_id", "bulan")
            # "state" is an annotation of with_state(), which the stubs cannot follow.
            .values_list("langkah_aksi_id", "bulan", "state")  # type: ignore[misc]
        )
        for langkah_id, bulan, state in rows:
            states.setdefault(langkah_id, []).append((bulan, state))
        for h in hasil:
            if h.moment is moment:
                h.bulan = states.get(h.langkah.pk, [])
