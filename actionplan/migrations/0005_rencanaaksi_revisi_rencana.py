from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0004_rencana_revisi"),
    ]

    operations = [
        migrations.AddField(
            model_name="rencanaaksi",
            name="revisi_rencana",
            field=models.PositiveBigIntegerField(
                default=0,
                editable=False,
                help_text="Naik pada setiap perubahan yang tercetak di keputusan dan lampiran, "
                "tidak pada unggahan bukti (actionplan.revisions).",
                verbose_name="revisi isi rencana",
            ),
        ),
    ]
