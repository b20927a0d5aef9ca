"""Forms of the assessment's pages. They only parse and check the shape of what was
typed, with the same rules (and Indonesian messages) the services apply; the services
write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from actionplan.lke import scoring
from actionplan.lke.enums import JenisJawaban, JenisSurvei, StatusPenilaian
from actionplan.lke.models import SoalLke
from actionplan.lke.services import clean_tautan


class _JawabanMixin:
    soal: SoalLke
    cleaned_data: dict[str, Any]

    def clean_jawaban(self) -> str:
        try:
            return scoring.normalise(scoring.SoalInfo.of(self.soal), self.cleaned_data["jawaban"])
        except scoring.JawabanTidakSah as e:
            raise ValidationError(str(e)) from None


class JawabanUnitForm(_JawabanMixin, forms.Form):
    """The unit's side: the answer (its widget drawn by the template from the question's
    type), a note, outside links and ZI Tracker's approved evidence."""

    jawaban = forms.CharField(label="Jawaban unit", required=False, max_length=20)
    catatan = forms.CharField(label="Catatan unit", required=False, max_length=5000)
    tautan = forms.CharField(
        label="Tautan bukti di luar ZI Tracker (satu per baris)", required=False
    )
    bukti = forms.CharField(required=False)  # the picker's checkboxes, parsed below

    def __init__(self, *args: Any, soal: SoalLke, **kwargs: Any) -> None:
        self.soal = soal
        super().__init__(*args, **kwargs)

    def clean_tautan(self) -> str:
        return clean_tautan(self.cleaned_data["tautan"])

    def clean_bukti(self) -> list[int]:
        values = self.data.getlist("bukti") if hasattr(self.data, "getlist") else []
        try:
            return sorted({int(v) for v in values})
        except ValueError:
            raise ValidationError("Pilihan bukti tidak dikenal.") from None


class JawabanTpiForm(_JawabanMixin, forms.Form):
    jawaban = forms.CharField(label="Jawaban TPI", required=False, max_length=20)
    catatan = forms.CharField(label="Catatan TPI", required=False, max_length=5000)

    def __init__(self, *args: Any, soal: SoalLke, **kwargs: Any) -> None:
        self.soal = soal
        super().__init__(*args, **kwargs)


def input_jawaban(soal: SoalLke) -> str:
    """How the template draws the answer: 'opsi' (radio buttons), 'jumlah' (a whole
    number), 'indeks' (0-4 with decimals)."""
    if soal.jenis == JenisJawaban.JUMLAH:
        return "jumlah"
    if soal.jenis == JenisJawaban.INDEKS:
        return "indeks"
    return "opsi"


class StatusForm(forms.Form):
    ke = forms.ChoiceField(choices=StatusPenilaian.choices)
    catatan = forms.CharField(label="Alasan", required=False, max_length=2000)


class SurveiForm(forms.Form):
    jenis = forms.ChoiceField(label="Jenis survei", choices=JenisSurvei.choices)
    triwulan = forms.TypedChoiceField(
        label="Triwulan", coerce=int, choices=[(i, f"Triwulan {i}") for i in range(1, 5)]
    )
    nilai = forms.DecimalField(
        label="Nilai indeks (0-4)",
        min_value=0,
        max_value=4,
        max_digits=5,
        decimal_places=3,
        error_messages={
            "invalid": "Nilai indeks harus angka antara 0 dan 4.",
            "min_value": "Nilai indeks harus antara 0 dan 4.",
            "max_value": "Nilai indeks harus antara 0 dan 4.",
        },
    )
    responden = forms.IntegerField(
        label="Jumlah responden",
        min_value=1,
        error_messages={
            "invalid": "Jumlah responden harus bilangan bulat.",
            "min_value": "Jumlah responden paling sedikit 1.",
        },
    )
    sumber = forms.CharField(label="Sumber", max_length=300)


class BatasWaktuForm(forms.Form):
    batas_mandiri = forms.DateField(
        label="Batas penilaian mandiri",
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": "Tanggal tidak sah (tttt-bb-hh)."},
    )
    batas_evaluasi = forms.DateField(
        label="Batas evaluasi TPI",
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": "Tanggal tidak sah (tttt-bb-hh)."},
    )


class PemetaanForm(forms.Form):
    """Per LKE area, the unit's teams that answer it (checkboxes)."""

    def __init__(self, *args: Any, tim: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in range(1, 7):
            self.fields[f"area_{area}"] = forms.TypedMultipleChoiceField(
                label=f"Area {area}",
                choices=tim,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={"invalid_choice": "Tim harus tim dari satuan kerja ini."},
            )
