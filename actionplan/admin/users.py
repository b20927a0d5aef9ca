"""Accounts, audited like the plan: creating a user or changing their rights matters."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from actionplan.admin.base import AuditedMixin

admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuditedUserAdmin(AuditedMixin, UserAdmin):
    pass
