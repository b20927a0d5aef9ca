"""Forms of the project itself."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class MasukForm(AuthenticationForm):
    """Django's login form, with the username's length actually enforced: Django sets
    ``max_length`` after the field is built, so no validator checks it, and an over-long
    name reached the login-throttling table (a 255-character column on PostgreSQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.CharField, self.fields["username"])
        field.validators.append(
            MaxLengthValidator(
                field.max_length, "Nama pengguna paling banyak %(limit_value)d karakter."
            )
        )
        self.fields["password"].validators.append(
            MaxLengthValidator(4096, "Kata sandi terlalu panjang.")
        )
