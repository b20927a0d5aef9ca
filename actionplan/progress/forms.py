"""The monev notes form: kendala and tindak lanjut of every area of the plan, one form."""

from __future__ import annotations

from django import forms

from actionplan.models import AreaPerubahan
from actionplan.progress.services import CATATAN_MAKS


def _field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=CATATAN_MAKS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"{label} paling banyak {CATATAN_MAKS} karakter."},
    )


class CatatanMonevForm(forms.Form):
    """Two fields per area: ``kendala_<nomor>`` and ``tindak_lanjut_<nomor>``."""

    def __init__(self, *args: object, areas: list[AreaPerubahan], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.areas = areas
        for area in areas:
            self.fields[f"kendala_{area.nomor}"] = _field("Kendala")
            self.fields[f"tindak_lanjut_{area.nomor}"] = _field("Tindak lanjut")

    def rows(self) -> list[dict]:
        """Per area: the area and its two bound fields, for the template."""
        return [
            {
                "area": area,
                "kendala": self[f"kendala_{area.nomor}"],
                "tindak_lanjut": self[f"tindak_lanjut_{area.nomor}"],
                "fields": [self[f"kendala_{area.nomor}"], self[f"tindak_lanjut_{area.nomor}"]],
            }
            for area in self.areas
        ]
