"""The 2026 thresholds for proposing a unit (README of the LKE: two evaluation
applications in use, which agree on WBK). Data, not code: a national admin changes
them per year in the app."""

from decimal import Decimal

from django.db import migrations

AMBANG_2026 = {
    "WBK": {
        "total": "75", "pengungkit": "40", "area": "60", "birokrasi": "18.25",
        "ipak": "15.75", "capaian": "2.5", "ipkp": "14.0",
    },
    "WBBM": {
        "total": "85", "pengungkit": "48", "area": "75", "birokrasi": "19.5",
        "ipak": "15.75", "capaian": "3.75", "ipkp": "15.75", "sudah_wbk": "1",
    },
}


def seed(apps, schema_editor):
    Ambang = apps.get_model("lke", "AmbangPredikat")
    for predikat, rows in AMBANG_2026.items():
        for kriteria, batas in rows.items():
            Ambang.objects.update_or_create(
                tahun=2026, predikat=predikat, kriteria=kriteria,
                defaults={"batas": Decimal(batas)},
            )


def unseed(apps, schema_editor):
    apps.get_model("lke", "AmbangPredikat").objects.filter(tahun=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("lke", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
