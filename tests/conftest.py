from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _media_root(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    """Every test writes files under its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def banyumas(db):  # type: ignore[no-untyped-def]
    """The real 2024 KPU Banyumas plan, loaded from its fixture."""
    from actionplan.models import RencanaAksi

    call_command("loaddata", "banyumas_2024", verbosity=0)
    return RencanaAksi.objects.get(satuan_kerja__slug="kpu-banyumas", tahun=2024)


@pytest.fixture(scope="session")
def fixture_source():  # type: ignore[no-untyped-def]
    """fixtures/source/build_fixture.py as a module (it is a script, not a package)."""
    path = ROOT / "fixtures" / "source" / "build_fixture.py"
    spec = importlib.util.spec_from_file_location("build_fixture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def superuser_client(client, django_user_model):  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_superuser("super", "super@example.org", "pw-super-123")
    client.force_login(user)
    return client
