from __future__ import annotations

from django import forms

from actionplan.lke.enums import Predikat
from actionplan.models import SatuanKerja
from actionplan.portalrb.enums import Kategori


class UsulkanForm(forms.Form):
    satuan_kerja = forms.ModelChoiceField(
        label="Unit", queryset=SatuanKerja.objects.none(), empty_label="Pilih unit…"
    )
    kategori = forms.ChoiceField(label="Kategori", choices=Kategori.choices)

    def __init__(self, *args: object, units: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if units is not None:
            self.fields["satuan_kerja"].queryset = units  # type: ignore[attr-defined]


class AlasanForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PeriodeForm(forms.Form):
    berakhir = forms.DateField(
        label="Akhir periode pengusulan",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PredikatForm(forms.Form):
    satuan_kerja = forms.ModelChoiceField(
        label="Unit", queryset=SatuanKerja.objects.none(), empty_label="Pilih unit…"
    )
    predikat = forms.ChoiceField(label="Predikat", choices=Predikat.choices)
    sejak = forms.DateField(label="Sejak", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, units: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if units is not None:
            self.fields["satuan_kerja"].queryset = units  # type: ignore[attr-defined]


class TokenForm(forms.Form):
    nama = forms.CharField(label="Keterangan token", max_length=100, initial="PortalRB")
