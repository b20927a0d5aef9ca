"""``python manage.py portalrb_token --instansi SLUG``: a new Bearer token for the
agency's PortalRB API, printed once (only its hash is kept)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplan.models import SatuanKerja
from actionplan.portalrb.services import token_buat


class Command(BaseCommand):
    help = "Membuat token API PortalRB baru untuk instansi (ditampilkan sekali)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instansi", required=True, help="slug satuan kerja teratas")
        parser.add_argument("--nama", default="PortalRB", help="keterangan token")

    def handle(self, *args: Any, **options: Any) -> None:
        instansi = SatuanKerja.objects.filter(slug=options["instansi"]).first()
        if instansi is None:
            raise CommandError(f"Instansi '{options['instansi']}' tidak ditemukan.")
        try:
            _, raw = token_buat(instansi=instansi, nama=options["nama"], by=None)
        except ValidationError as e:
            raise CommandError(e.messages[0]) from None
        self.stdout.write(raw)
