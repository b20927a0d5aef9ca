"""Fill each slot's ``keadaan`` and ``keadaan_pada`` (actionplan 0010) from its versions:
what ``evidence.services.slot_states_refresh`` does, written against the historical
models."""

import datetime

from django.db import migrations
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

COUNTING = ("diajukan", "disetujui", "dikembalikan")


def fill(apps, schema_editor):
    Slot = apps.get_model("actionplan", "Slot")
    Bukti = apps.get_model("evidence", "Bukti")
    PeristiwaBukti = apps.get_model("evidence", "PeristiwaBukti")
    newest = (
        Bukti.objects.filter(slot=OuterRef("pk"), status__in=COUNTING)
        .order_by(Case(When(status="disetujui", then=Value(0)), default=Value(1)), "-versi")
        .values("status")[:1]
    )
    last_event = (
        PeristiwaBukti.objects.filter(bukti__slot=OuterRef("pk"))
        .order_by("-pada")
        .values("pada")[:1]
    )
    Slot.objects.update(
        keadaan=Coalesce(Subquery(newest), Value("kosong")),
        keadaan_pada=Coalesce(
            Subquery(last_event), Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0010_slot_keadaan"),
        ("evidence", "0002_pesan"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
