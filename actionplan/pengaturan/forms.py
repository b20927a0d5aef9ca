"""Forms of the set-up pages: they parse the request; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from actionplan.enums import BULAN_CHOICES, Peran
from actionplan.models import RencanaAksi, TimKerja
from actionplan.pengaturan.enums import SumberRencana
from actionplan.pengaturan.services import KEPUTUSAN_FIELDS

MAKS_BERKAS = 5 * 1024 * 1024


def _berkas(f: Any) -> bytes:
    if f.size > MAKS_BERKAS:
        raise forms.ValidationError("Berkas terlalu besar; paling besar 5 MB.")
    return f.read()


class RencanaBuatForm(forms.Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    sumber = forms.ChoiceField(
        label="Asal rencana aksi",
        choices=SumberRencana.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    berkas = forms.FileField(
        label="Berkas Excel (.xlsx)", required=False, help_text="Hanya untuk impor dari Excel."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tahun"].initial = timezone.localdate().year
        self.fields["sumber"].initial = SumberRencana.INDUK

    def clean_berkas(self) -> bytes | None:
        f = self.cleaned_data.get("berkas")
        return _berkas(f) if f else None


class KeputusanForm(forms.ModelForm):
    class Meta:
        model = RencanaAksi
        fields = KEPUTUSAN_FIELDS
        widgets = {
            "tanggal_penetapan": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "judul": forms.Textarea(attrs={"rows": 2}),
            "judul_tabel": forms.Textarea(attrs={"rows": 2}),
            "menimbang": forms.Textarea(attrs={"rows": 4}),
            "mengingat": forms.Textarea(attrs={"rows": 4}),
            "menetapkan": forms.Textarea(attrs={"rows": 2}),
            "diktum": forms.Textarea(attrs={"rows": 4}),
        }


class TetapkanForm(forms.Form):
    nomor = forms.CharField(label="Nomor keputusan", max_length=50)
    tanggal = forms.DateField(
        label="Tanggal penetapan", widget=forms.DateInput(attrs={"type": "date"})
    )


class LangkahForm(forms.Form):
    teks = forms.CharField(label="Langkah aksi", widget=forms.Textarea(attrs={"rows": 3}))
    bukti = forms.CharField(
        label="Bukti fisik",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Satu butir per baris.",
    )
    bulan = forms.TypedMultipleChoiceField(
        label="Bulan pelaksanaan",
        choices=BULAN_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    tim = forms.ModelChoiceField(
        label="Penanggung jawab",
        queryset=TimKerja.objects.none(),
        empty_label="— pilih tim —",
        error_messages={
            "invalid_choice": "Pilih tim penanggung jawab dari satuan kerja pemilik rencana aksi.",
            "required": "Pilih tim penanggung jawab.",
        },
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tim"].queryset = TimKerja.objects.filter(satuan_kerja_id=unit_id)  # type: ignore[attr-defined]


class AkunForm(forms.Form):
    nama = forms.CharField(label="Nama lengkap", max_length=150)
    email = forms.EmailField(label="E-mail", help_text="Juga nama pengguna untuk masuk.")
    nip = forms.CharField(label="NIP", max_length=30, required=False, help_text="Boleh kosong.")
    telepon = forms.CharField(
        label="Nomor WhatsApp", max_length=20, required=False, help_text="Mis. 081234567890."
    )
    peran = forms.MultipleChoiceField(
        label="Peran di satuan kerja",
        choices=Peran.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Kosongkan untuk anggota tim biasa.",
    )
    tim = forms.ModelMultipleChoiceField(
        label="Tim",
        queryset=TimKerja.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tim"].queryset = TimKerja.objects.filter(satuan_kerja_id=unit_id)  # type: ignore[attr-defined]


class ImporForm(forms.Form):
    berkas = forms.FileField(
        label="Lembar akun (.xlsx atau .csv)",
        help_text="Baris pertama: nama, email, tim, peran. Peran: admin, pimpinan, reviewer "
        "atau kosong (anggota); beberapa tim dipisah koma.",
    )

    def clean_berkas(self) -> tuple[str, bytes]:
        f = self.cleaned_data["berkas"]
        return f.name, _berkas(f)


class UnitForm(forms.Form):
    nama = forms.CharField(label="Nama satuan kerja", max_length=200)
    slug = forms.CharField(
        label="Kode (slug)",
        max_length=80,
        help_text="Huruf kecil dan tanda hubung, mis. kpu-kab-cilacap.",
    )
    koordinator_nama = forms.CharField(label="Nama koordinator ZI", max_length=150)
    koordinator_email = forms.EmailField(label="E-mail koordinator ZI")
