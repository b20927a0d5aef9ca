"""Forms of the project itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator


def _enforce_lengths(form: AuthenticationForm) -> None:
    field = cast(forms.CharField, form.fields["username"])
    field.validators.append(
        MaxLengthValidator(
            field.max_length, "Nama pengguna paling banyak %(limit_value)d karakter."
        )
    )
    form.fields["password"].validators.append(
        MaxLengthValidator(4096, "Kata sandi terlalu panjang.")
    )


class MasukForm(AuthenticationForm):
    """Django's login form, with the username's length actually enforced: Django sets
    ``max_length`` after the field is built, so no validator checks it, and an over-long
    name reached the login-throttling table (a 255-character column on PostgreSQL)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _enforce_lengths(self)


class AdminMasukForm(AdminAuthenticationForm):
    """The admin's login form (``/admin/login/``), with the same length checks: it had
    none, and a 300-character username gave a 500 on PostgreSQL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _enforce_lengths(self)


class LupaSandiForm(PasswordResetForm):
    """Django's reset form, also for an account whose password was never set (made by a
    unit's admin, waiting for its first password): Django skips those, and a new member
    who lost the first e-mail would get nothing."""

    def get_users(self, email: str) -> Iterator[Any]:
        from django.contrib.auth import get_user_model

        UserModel = get_user_model()
        return iter(UserModel._default_manager.filter(email__iexact=email, is_active=True))
