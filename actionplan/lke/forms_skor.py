"""Forms of the verdict side of the LKE: a year's predicate thresholds, and the
questions a plan's step serves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from django import forms

from actionplan.lke.enums import Kriteria, Predikat

# The most each criterion can be (its part of the score); a threshold above it could
# never be met. Areas are a share of their weight, in percent.
MAKSIMUM: dict[str, Decimal] = {
    Kriteria.TOTAL: Decimal(100),
    Kriteria.PENGUNGKIT: Decimal(60),
    Kriteria.AREA: Decimal(100),
    Kriteria.BIROKRASI: Decimal("22.5"),
    Kriteria.IPAK: Decimal("17.5"),
    Kriteria.CAPAIAN: Decimal(5),
    Kriteria.IPKP: Decimal("17.5"),
}
SATUAN = {Kriteria.AREA: "% dari bobot area"}


def nama_field(predikat: str, kriteria: str) -> str:
    return f"{predikat}__{kriteria}"


class AmbangForm(forms.Form):
    """Every criterion of both predicates for one year. 'Already WBK' is a yes/no for
    WBBM only (a unit cannot need WBK to become WBK)."""

    def __init__(
        self,
        *args: object,
        awal: Mapping[str, Mapping[str, Fraction]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        awal = awal or {}
        for predikat in Predikat:
            for kriteria in Kriteria:
                name = nama_field(predikat, kriteria)
                nilai = awal.get(predikat, {}).get(kriteria)
                if kriteria == Kriteria.SUDAH_WBK:
                    if predikat != Predikat.WBBM:
                        continue
                    self.fields[name] = forms.BooleanField(
                        label=f"{predikat}: wajib sudah berpredikat WBK",
                        required=False,
                        initial=bool(nilai),
                    )
                    continue
                maks = MAKSIMUM[kriteria]
                self.fields[name] = forms.DecimalField(
                    label=f"{predikat}: {kriteria.label}",
                    min_value=Decimal(0),
                    max_digits=7,
                    decimal_places=3,
                    localize=True,
                    initial=None if nilai is None else _desimal(nilai),
                    error_messages={
                        "required": "Isi ambang ini.",
                        "invalid": "Masukkan angka, mis. 18,25.",
                        "min_value": "Ambang tidak boleh negatif.",
                        "max_digits": "Angka terlalu panjang.",
                        "max_decimal_places": "Paling banyak 3 angka di belakang koma.",
                    },
                    help_text=f"maks. {str(maks).replace('.', ',')}"
                    + (f" ({SATUAN[kriteria]})" if kriteria in SATUAN else ""),
                )

    def clean(self) -> dict:
        data = super().clean() or {}
        for predikat in Predikat:
            for kriteria, maks in MAKSIMUM.items():
                name = nama_field(predikat, kriteria)
                value = data.get(name)
                if value is not None and value > maks:
                    if kriteria == Kriteria.AREA:
                        pesan = "Ambang area adalah persen dari bobot area: paling besar 100."
                    else:
                        pesan = f"Ambang ini paling besar {str(maks).replace('.', ',')}."
                    self.add_error(name, pesan)
        return data

    def nilai(self) -> dict[tuple[str, str], Decimal]:
        """(predicate, criterion) -> threshold, for ``services.ambang_simpan``."""
        out: dict[tuple[str, str], Decimal] = {}
        for predikat in Predikat:
            for kriteria in Kriteria:
                name = nama_field(predikat, kriteria)
                if name not in self.cleaned_data:
                    continue
                value = self.cleaned_data[name]
                if kriteria == Kriteria.SUDAH_WBK:
                    value = Decimal(1) if value else Decimal(0)
                out[(str(predikat), str(kriteria))] = value
        return out

    def per_predikat(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                str(predikat.label),
                [self[n] for n in self.fields if n.startswith(f"{predikat}__")],
            )
            for predikat in Predikat
        ]


def _desimal(nilai: Fraction) -> Decimal:
    d = Decimal(nilai.numerator) / Decimal(nilai.denominator)
    # normalize() alone writes 100 as 1E+2.
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


class TautanSoalForm(forms.Form):
    """The questions of one master a step serves."""

    soal = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Soal %(value)s tidak ada di master LKE tahun ini."},
    )

    def __init__(self, *args: object, soal_ids: Iterable[int] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        field = self.fields["soal"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i, str(i)) for i in soal_ids]
