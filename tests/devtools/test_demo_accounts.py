from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from actionplan.enums import Peran
from actionplan.models import PeranPengguna, TimKerja
from zi_tracker.devtools.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _login_request():
    """Login throttling (django-axes) checks every authentication against a request."""
    from django.test import RequestFactory

    return RequestFactory().post("/masuk/")


def test_demo_accounts_created_with_roles_and_teams(banyumas, settings, django_user_model):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    assert django_user_model.objects.count() == 9
    assert f"kata sandi akun baru: {DEMO_PASSWORD}" in out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.username in out.getvalue()
        assert (
            authenticate(_login_request(), username=account.username, password=DEMO_PASSWORD)
            is not None
        )
    roles = set(PeranPengguna.objects.values_list("user__username", "peran"))
    assert roles == {("admin", Peran.ADMIN), ("pimpinan", Peran.PIMPINAN), ("tpi", Peran.REVIEWER)}
    for tim in TimKerja.objects.all():
        assert tim.anggota.count() == 1
    assert django_user_model.objects.get(username="admin").is_superuser
    assert not django_user_model.objects.get(username="pimpinan").is_staff


def test_demo_accounts_twice_creates_nothing_and_keeps_passwords(
    banyumas, settings, django_user_model
):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=StringIO())
    user = django_user_model.objects.get(username="tim.pws")
    user.set_password("sandi-baru-yang-kuat")
    user.save()
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    assert django_user_model.objects.count() == 9
    assert out.getvalue().count("[sudah ada, kata sandi tidak diubah]") == 9
    assert (
        authenticate(_login_request(), username="tim.pws", password="sandi-baru-yang-kuat")
        is not None
    )
    assert PeranPengguna.objects.count() == 3


def test_demo_accounts_refused_with_debug_off(banyumas, settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError) as exc:
        call_command("create_demo_accounts")
    assert "DJANGO_DEBUG=true" in str(exc.value)
    assert django_user_model.objects.count() == 0


def test_demo_accounts_need_the_banyumas_plan(empty_db, settings, django_user_model):
    settings.DEBUG = True
    with pytest.raises(CommandError) as exc:
        call_command("create_demo_accounts")
    assert "loaddata banyumas_2024" in str(exc.value)
    assert django_user_model.objects.count() == 0


def test_setup_demo_loads_the_plan_once_and_keeps_edits(empty_db, settings, django_user_model):
    from actionplan.models import RencanaAksi

    settings.DEBUG = True
    call_command("setup_demo", stdout=StringIO())
    rencana = RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2024)
    assert django_user_model.objects.count() == 9
    rencana.nomor_keputusan = "99"
    rencana.save()
    out = StringIO()
    call_command("setup_demo", stdout=out)
    rencana.refresh_from_db()
    assert rencana.nomor_keputusan == "99"
    assert "tidak dimuat ulang" in out.getvalue()
    assert django_user_model.objects.count() == 9


def test_setup_demo_refused_with_debug_off(empty_db, settings):
    from actionplan.models import RencanaAksi

    settings.DEBUG = False
    with pytest.raises(CommandError) as exc:
        call_command("setup_demo")
    assert "DJANGO_DEBUG=true" in str(exc.value)
    assert RencanaAksi.objects.count() == 0
