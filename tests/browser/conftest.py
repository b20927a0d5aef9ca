"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded
browser). Without chromium they skip locally, and fail when CI=true."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZI_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    reason = f"chromium not found at {CHROMIUM} (install Debian's chromium package)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}; the browser tests must run in CI.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(chromium_path):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code, so Django's async-safety check is lifted here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def live_world(transactional_db, django_user_model):
    from tests.conftest import World

    world = World(django_user_model)
    for kind, name in [
        ("anggota", "Sari Anggota"),
        ("reviewer", "Budi Reviewer"),
        ("pimpinan", "Ketua KPU"),
        ("anggota_lain", "Dewi Tim B"),
    ]:
        user = world.users[kind]
        user.first_name = name
        user.save()
    return world
