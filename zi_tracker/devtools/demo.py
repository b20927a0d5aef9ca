"""Demo accounts for a development installation of the 2024 Banyumas plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from actionplan.enums import Peran
from actionplan.models import PeranPengguna, RencanaAksi, SatuanKerja, TimKerja
from actionplan.notifications.models import Profil

DEMO_UNIT = "kpu-banyumas"
DEMO_PASSWORD = "zi-demo-2024"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    nama: str
    peran: str
    tim: str | None = None

    @property
    def email(self) -> str:
        """Where the reminders go (README, "Pengingat dan notifikasi")."""
        return f"{self.username}@example.org"

    @property
    def telepon(self) -> str:
        """A made-up WhatsApp number, used only when ZI_WA_PROVIDER is set."""
        return f"0812000000{DEMO_ACCOUNTS.index(self) + 1:02d}"


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Koordinator ZI (demo)", Peran.ADMIN),
    DemoAccount("pimpinan", "Ketua KPU (demo)", Peran.PIMPINAN),
    DemoAccount("tpi", "Reviewer TPI (demo)", Peran.REVIEWER),
    DemoAccount("tim.mp", "Anggota Tim Manajemen Perubahan", "anggota", "TIM MANAJEMEN PERUBAHAN"),
    DemoAccount("tim.tl", "Anggota Tim Tata Laksana", "anggota", "TIM PENGUATAN TATA LAKSANA"),
    DemoAccount(
        "tim.sdm", "Anggota Tim SDM", "anggota", "TIM SISTEM MANAJEMEN SUMBER DAYA MANUSIA"
    ),
    DemoAccount("tim.akt", "Anggota Tim Akuntabilitas", "anggota", "TIM PENGUATAN AKUNTABILITAS"),
    DemoAccount("tim.pws", "Anggota Tim Pengawasan", "anggota", "TIM PENGAWASAN"),
    DemoAccount(
        "tim.yp",
        "Anggota Tim Pelayanan Publik",
        "anggota",
        "TIM PENGUATAN KUALITAS PELAYANAN PUBLIK",
    ),
]


class DemoUnavailable(Exception):
    pass


def demo_plan_missing() -> bool:
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Data demo hanya boleh dimuat dalam mode pengembangan (DJANGO_DEBUG=true)."
        )
    return not RencanaAksi.objects.filter(satuan_kerja__slug=DEMO_UNIT, tahun=2024).exists()


@transaction.atomic
def demo_accounts_create() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; returns (account, created) pairs.
    Existing accounts keep their password: only missing roles and memberships are added."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Akun demo hanya boleh dibuat dalam mode pengembangan (DJANGO_DEBUG=true)."
        )
    try:
        unit = SatuanKerja.objects.get(slug=DEMO_UNIT)
    except SatuanKerja.DoesNotExist:
        raise DemoUnavailable(
            f"Satuan kerja '{DEMO_UNIT}' belum ada; jalankan dulu: "
            "python manage.py loaddata banyumas_2024"
        ) from None
    teams = {t.nama: t for t in TimKerja.objects.filter(satuan_kerja=unit)}
    missing = sorted({a.tim for a in DEMO_ACCOUNTS if a.tim} - teams.keys())
    if missing:
        raise DemoUnavailable(f"Tim berikut belum ada di {unit}: {', '.join(missing)}.")

    User = get_user_model()
    results = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.nama,
                "email": account.email,
                "is_staff": account.peran == Peran.ADMIN,
                "is_superuser": account.peran == Peran.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif not user.email:
            user.email = account.email
            user.save(update_fields=["email"])
        Profil.objects.get_or_create(user=user, defaults={"telepon": account.telepon})
        if account.tim:
            teams[account.tim].anggota.add(user)
        else:
            PeranPengguna.objects.get_or_create(user=user, satuan_kerja=unit, peran=account.peran)
        results.append((account, created))
    return results
