from __future__ import annotations

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.validators import URLValidator

from actionplan.enums import nama_bulan
from actionplan.models import LangkahAksi
from evidence.enums import StatusBukti
from evidence.files import ALLOWED_LABEL
from evidence.links import check_link


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class UnggahBuktiForm(forms.Form):
    bulan = forms.IntegerField(
        label="Bulan pelaporan",
        widget=forms.Select,
        error_messages={
            "required": "Pilih bulan pelaporan.",
            "invalid": "Pilih bulan pelaporan dari daftar jadwal.",
        },
    )
    berkas = MultipleFileField(
        label="Berkas",
        required=False,
        allow_empty_file=True,  # evidence.files.check_upload refuses it, naming the file
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx,.odt,.ods,.odp,image/*"}
        ),
    )
    tautan = forms.CharField(
        label="Tautan (opsional)",
        required=False,
        max_length=2000,
        validators=[
            check_link,
            URLValidator(
                schemes=["http", "https"],
                message="Tautan harus alamat web lengkap yang diawali http:// atau https://.",
            ),
        ],
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="Mis. halaman situs web atau unggahan media sosial yang menjadi bukti.",
    )
    catatan = forms.CharField(
        label="Catatan (opsional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, langkah: LangkahAksi, disetujui: set[int] | None = None, **kwargs: Any
    ) -> None:
        """``disetujui``: the months whose evidence is approved already, not offered."""
        super().__init__(*args, **kwargs)
        self.langkah = langkah
        self.jadwal = langkah.bulan
        self.disetujui = disetujui or set()
        self.fields["bulan"].widget.choices = [
            (b, nama_bulan(b)) for b in self.jadwal if b not in self.disetujui
        ]
        self.fields["berkas"].help_text = (
            f"{ALLOWED_LABEL}; maksimal {settings.EVIDENCE_MAX_UPLOAD_MB} MB per berkas, "
            f"{settings.EVIDENCE_MAX_FILES} berkas sekali unggah. Dari ponsel, Anda bisa "
            "langsung memotret."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("kirim", "Kirim bukti", css_class="btn-primary"))

    def as_repair(self) -> None:
        """The month came back for a fix: the button says what is being sent."""
        self.helper.inputs[0].value = "Kirim perbaikan"

    def clean_bulan(self) -> int:
        bulan = self.cleaned_data["bulan"]
        if bulan not in self.jadwal:
            jadwal = ", ".join(nama_bulan(b) for b in self.jadwal) or "belum ada"
            label = nama_bulan(bulan) if 1 <= bulan <= 12 else str(bulan)
            raise forms.ValidationError(
                f"Bulan {label} tidak termasuk jadwal pelaksanaan langkah aksi ini "
                f"(jadwal: {jadwal})."
            )
        if bulan in self.disetujui:
            raise forms.ValidationError(
                f"Bukti bulan {nama_bulan(bulan)} sudah disetujui; tidak perlu diunggah lagi."
            )
        return bulan

    def clean_berkas(self) -> list:
        berkas = self.cleaned_data["berkas"]
        if len(berkas) > settings.EVIDENCE_MAX_FILES:
            raise forms.ValidationError(
                f"Paling banyak {settings.EVIDENCE_MAX_FILES} berkas sekali unggah."
            )
        return berkas

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if not self.errors and not data.get("berkas") and not data.get("tautan"):
            raise forms.ValidationError("Unggah minimal satu berkas atau isi tautan bukti.")
        return data


class ReviewForm(forms.Form):
    keputusan = forms.ChoiceField(
        label="Keputusan",
        choices=[
            (StatusBukti.DISETUJUI, "Setujui"),
            (StatusBukti.DIKEMBALIKAN, "Kembalikan untuk perbaikan"),
        ],
        widget=forms.RadioSelect,
    )
    catatan = forms.CharField(
        label="Catatan untuk tim",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wajib diisi bila bukti dikembalikan.",
    )

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if (
            data.get("keputusan") == StatusBukti.DIKEMBALIKAN
            and not data.get("catatan", "").strip()
        ):
            self.add_error("catatan", "Tuliskan catatan perbaikan saat mengembalikan bukti.")
        return data


class TarikForm(forms.Form):
    catatan = forms.CharField(label="Alasan (opsional)", required=False, max_length=2000)


class AntreanFilterForm(forms.Form):
    tim = forms.TypedChoiceField(label="Tim", required=False, coerce=int, empty_value=None)
    area = forms.TypedChoiceField(label="Area", required=False, coerce=int, empty_value=None)
    bulan = forms.TypedChoiceField(label="Bulan", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, tim_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from actionplan.enums import AREA_CHOICES, BULAN_CHOICES

        fields = cast("dict[str, forms.TypedChoiceField]", self.fields)  # the three above
        fields["tim"].choices = [("", "Semua tim"), *tim_choices]
        fields["area"].choices = [("", "Semua area"), *AREA_CHOICES]
        fields["bulan"].choices = [("", "Semua bulan"), *BULAN_CHOICES]


class PesanForm(forms.Form):
    teks = forms.CharField(
        label="Pesan",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Tulis pesannya dulu.",
            "max_length": "Pesan paling banyak 2000 karakter.",
        },
    )
