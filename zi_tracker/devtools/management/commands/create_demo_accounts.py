from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from actionplan.enums import Peran
from zi_tracker.devtools.demo import DEMO_PASSWORD, DEMO_UNIT, DemoUnavailable, demo_accounts_create


class Command(BaseCommand):
    help = "Membuat akun demo (admin, pimpinan, TPI, satu anggota per tim) untuk kpu-banyumas."

    def handle(self, *args: object, **options: object) -> None:
        try:
            results = demo_accounts_create()
        except (ImproperlyConfigured, DemoUnavailable) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Akun demo {DEMO_UNIT} (kata sandi akun baru: {DEMO_PASSWORD}):")
        for account, created in results:
            status = "dibuat" if created else "sudah ada, kata sandi tidak diubah"
            peran = account.tim or Peran(account.peran).label
            self.stdout.write(f"  {account.username:<10} {peran:<45} [{status}]")
