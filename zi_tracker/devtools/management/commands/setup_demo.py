from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zi_tracker.devtools.demo import DEMO_UNIT, demo_plan_missing
from zi_tracker.devtools.demo_evidence import demo_current_year_create
from zi_tracker.devtools.demo_lke import demo_lke_create, demo_lke_links_missing
from zi_tracker.devtools.demo_portalrb import demo_usulan_create


class Command(BaseCommand):
    help = (
        "Menyiapkan instalasi demo: memuat rencana aksi KPU Banyumas 2024 bila belum ada "
        "(perubahan yang sudah dibuat tidak ditimpa), membuat akun demo dan contoh bukti, "
        "rencana aksi tahun berjalan (salinan 2024) dengan bukti sampai bulan lalu, master "
        "soal LKE 2026 dengan tautan langkah aksi 2024 ke soal, dan LKE tahun berjalan yang "
        "sudah diisi unit dan dievaluasi TPI, diusulkan WBK ke PortalRB."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            if demo_plan_missing():
                call_command("loaddata", "banyumas_2024", stdout=self.stdout)
            else:
                self.stdout.write(
                    f"Rencana aksi {DEMO_UNIT} 2024 sudah ada; tidak dimuat ulang agar "
                    "perubahan Anda tetap."
                )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        call_command("lke_load_master", stdout=self.stdout)
        if demo_lke_links_missing():
            call_command("loaddata", "banyumas_2024_lke", stdout=self.stdout)
        call_command("create_demo_accounts", stdout=self.stdout)
        call_command("seed_demo_evidence", stdout=self.stdout)
        plan = demo_current_year_create()
        if plan is not None:
            self.stdout.write(
                f"Rencana aksi {DEMO_UNIT} {plan.tahun} disalin dari 2024 dan diisi bukti "
                "sampai bulan lalu."
            )
        penilaian = demo_lke_create()
        if penilaian is not None:
            self.stdout.write(
                f"LKE {DEMO_UNIT} {penilaian.tahun} diisi unit (dengan bukti rencana aksi), "
                "diajukan dan dievaluasi TPI."
            )
        usulan = demo_usulan_create()
        if usulan is not None:
            self.stdout.write(
                f"{DEMO_UNIT} diusulkan WBK {usulan.tahun} (PortalRB); buat token API di "
                f"/portalrb/{DEMO_UNIT}/token/ atau: python manage.py portalrb_token "
                f"--instansi {DEMO_UNIT}"
            )
