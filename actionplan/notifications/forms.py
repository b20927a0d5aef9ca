from __future__ import annotations

from django import forms

from actionplan.notifications.enums import Jenis, Kanal


class ProfilForm(forms.Form):
    email = forms.EmailField(label="Alamat e-mail", required=False)
    telepon = forms.CharField(
        label="Nomor WhatsApp",
        required=False,
        max_length=20,
        help_text="Mis. 081234567890. Kosongkan bila tidak ingin pesan WhatsApp.",
    )

    def __init__(
        self, *args: object, pilihan: frozenset[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for jenis, _label in Jenis.choices:
            for kanal, kanal_label in Kanal.choices:
                self.fields[f"{jenis}__{kanal}"] = forms.BooleanField(
                    label=f"{_label}: {kanal_label}",
                    required=False,
                    initial=(jenis, kanal) in pilihan,
                )

    def pilihan(self) -> set[tuple[str, str]]:
        return {
            (jenis, kanal)
            for jenis in Jenis.values
            for kanal in Kanal.values
            if self.cleaned_data.get(f"{jenis}__{kanal}")
        }

    def baris(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The grid of the page: a row per kind, a checkbox per channel."""
        return [
            (label, [self[f"{jenis}__{kanal}"] for kanal in Kanal.values])
            for jenis, label in Jenis.choices
        ]
