"""What every page of the plan's admin shares: the audit trail of its changes, list
filters that refuse unknown values, the month strip and the team choices."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from actionplan.audit import audit_record
from actionplan.enums import AREA_CHOICES, BULAN, BULAN_CHOICES, BULAN_SINGKAT, AksiAudit
from actionplan.models import (
    AreaPerubahan,
    Indikator,
    Komponen,
    LangkahAksi,
    PeranPengguna,
    RencanaAksi,
    SatuanKerja,
    TimKerja,
)

COMPACT_TEXTAREA = forms.Textarea(attrs={"rows": 2, "cols": 80})


def short_text(text: str, words: int = 12) -> str:
    return Truncator(text).words(words, truncate=" …")


def month_strip(bulan: list[int]) -> SafeString:
    """A compact 12-cell strip: filled cells are the scheduled months."""
    return render_to_string(
        "admin/actionplan/month_strip.html",
        {
            "cells": [
                {
                    "nomor": n,
                    "singkat": BULAN_SINGKAT[n - 1],
                    "nama": BULAN[n - 1],
                    "on": n in bulan,
                }
                for n in range(1, 13)
            ],
            "label": ", ".join(BULAN[n - 1] for n in bulan) or "Belum dijadwalkan",
        },
    )


# Where each plan model finds its unit, for the audit trail.
_UNIT_PATH = {
    SatuanKerja: "pk",
    TimKerja: "satuan_kerja_id",
    PeranPengguna: "satuan_kerja_id",
    RencanaAksi: "satuan_kerja_id",
    AreaPerubahan: "rencana__satuan_kerja_id",
    Komponen: "area__rencana__satuan_kerja_id",
    Indikator: "komponen__area__rencana__satuan_kerja_id",
    LangkahAksi: "indikator__komponen__area__rencana__satuan_kerja_id",
}


def unit_id_of(obj: models.Model) -> int | None:
    path = _UNIT_PATH.get(type(obj))
    if path is None:
        return None
    value: object = obj
    for part in path.split("__"):
        value = getattr(value, part)
    return cast("int | None", value)


if TYPE_CHECKING:
    # The mixins below only ever sit in front of the admin's own classes.
    _ModelAdminBase = admin.ModelAdmin
    _BaseModelAdminBase = admin.options.BaseModelAdmin

    class PlanRequest(HttpRequest):
        """The request with the per-request caches the plan's admin pins on it."""

        _zi_parent: models.Model | None
        _zi_tim: tuple[QuerySet[Any] | None, list[Any]]
else:
    _ModelAdminBase = _BaseModelAdminBase = object


class AuditedMixin(_ModelAdminBase):
    """Every add, change and delete made in the admin also goes to the audit trail, with
    the admin's own description of what changed (fields, inline rows)."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        self._audit(request, obj, AksiAudit.RENCANA_DITAMBAH, "Ditambahkan", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> LogEntry:
        self._audit(request, obj, AksiAudit.RENCANA_DIUBAH, "Diubah", message)
        return super().log_change(request, obj, message)

    def log_deletions(
        self, request: HttpRequest, queryset: QuerySet[models.Model]
    ) -> list[LogEntry] | LogEntry:
        for obj in queryset:
            self._audit(request, obj, AksiAudit.RENCANA_DIHAPUS, "Dihapus", None)
        return super().log_deletions(request, queryset)

    def _audit(
        self, request: HttpRequest, obj: models.Model, aksi: AksiAudit, verb: str, message: Any
    ) -> None:
        detail = ""
        if message:
            # The same text the admin's own history shows ("Mengubah teks.", "Menambahkan
            # peran pengguna …").
            detail = LogEntry(change_message=json.dumps(message)).get_change_message()
        audit_record(
            aksi=aksi,
            objek=obj,
            ringkasan=f"{verb}: {obj._meta.verbose_name} “{str(obj)[:150]}”"
            + (f" — {detail}" if detail else ""),
            aktor=request.user,
            satuan_kerja_id=unit_id_of(obj),
        )


class AuditedAdmin(AuditedMixin, admin.ModelAdmin):
    pass


class PlanAdminMedia:
    css = {"all": ["actionplan/admin.css"]}
    js = ["actionplan/admin.js"]


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """A tabular inline prints each field's label once, as its column heading, so the
    inputs of its rows have no <label> of their own: a screen reader would announce an
    unnamed field. Each visible input is named after its column and row instead."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        row = f" (baris {index + 1})" if index is not None else ""
        for field in form.fields.values():
            # A foreign key's select sits inside the admin's related-object wrapper.
            widget = cast("forms.Widget", getattr(field.widget, "widget", field.widget))
            # Hidden inputs need no name; a group of checkboxes has a label per box.
            if widget.is_hidden or isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            widget.attrs.setdefault("aria-label", f"{field.label}{row}")


class TabularInline(admin.TabularInline):
    """The project's tabular inline: its inputs are labelled for screen readers."""

    formset = LabelledInlineFormSet


class ChoiceFilter(admin.SimpleListFilter):
    """A list filter that applies ``lookup`` with one of its own choices; any other value
    in the URL is refused the way the admin refuses bad lookups (back to the full list
    with an error flag), never a server error."""

    lookup: str

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value is None:
            return queryset
        if value not in {str(key) for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(f"Nilai filter {self.parameter_name} tidak dikenal.")
        return queryset.filter(**{self.lookup: value}).distinct()


class AreaFilter(ChoiceFilter):
    title = "area perubahan"
    parameter_name = "area"
    lookup = "area__nomor"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(n), r) for n, r in AREA_CHOICES]


class LangkahAreaFilter(AreaFilter):
    lookup = "indikator__komponen__area__nomor"


class IndikatorAreaFilter(AreaFilter):
    lookup = "komponen__area__nomor"


class BulanFilter(ChoiceFilter):
    title = "bulan pelaksanaan"
    parameter_name = "bulan"
    lookup = "jadwal__bulan"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(str(n), nama) for n, nama in BULAN_CHOICES]


class RencanaFilter(ChoiceFilter):
    title = "rencana aksi"
    parameter_name = "rencana"
    lookup = "indikator__komponen__area__rencana"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        # One query for every plan with its unit; the default filter would query the unit
        # of each plan to print its name.
        return [(str(r.pk), str(r)) for r in RencanaAksi.objects.select_related("satuan_kerja")]


class TimChoicesMixin(_BaseModelAdminBase):
    """The team select lists (and accepts) only the plan's own unit's teams, and its
    choices are read once per request: otherwise every inline row would query them."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "tim":
            assert field is not None  # a ForeignKey's form field
            request = cast("PlanRequest", request)
            if not hasattr(request, "_zi_tim"):
                unit = unit_of(getattr(request, "_zi_parent", None))
                teams = TimKerja.objects.filter(satuan_kerja_id=unit) if unit else field.queryset
                field.queryset = teams
                # A comprehension, not list(): list() asks the iterator's length (a COUNT).
                choices = cast("ModelChoiceIterator", field.choices)
                request._zi_tim = (teams, [choice for choice in choices])  # noqa: C416
            field.queryset, field.choices = request._zi_tim
        return field


def unit_of(obj: object | None) -> int | None:
    """The satuan kerja id of an indikator or a langkah aksi, in one query (None when
    adding a new one)."""
    if isinstance(obj, LangkahAksi):
        indikator_id = obj.indikator_id
    elif isinstance(obj, Indikator):
        indikator_id = obj.pk
    else:
        return None
    return (
        Indikator.objects.filter(pk=indikator_id)
        .values_list("komponen__area__rencana__satuan_kerja_id", flat=True)
        .first()
    )
