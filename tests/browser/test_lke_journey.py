"""The LKE in a real browser: the unit's coordinator (its admin) answers a question on a
phone, attaching the plan's approved evidence, and submits; the TPI evaluates it on a
desktop and finishes; both see the score. Screenshots at both widths."""

from __future__ import annotations

import pytest

from tests.browser.test_journeys import DESKTOP, PHONE, _login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lke_world(live_world, lke_master):
    """The journeys' world with this month's evidence of team A's step approved and the
    step linked to soal 1 (the team for the ZI)."""
    from actionplan.lke.models import SoalLke, TautanSoal
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review

    world = live_world
    admin = world.users["admin"]
    admin.first_name = "Koordinator ZI"
    admin.save()
    world.bukti = bukti_review(
        bukti=world.submit(),
        oleh=world.users["reviewer"],
        keputusan=StatusBukti.DISETUJUI,
        catatan="",
    )
    world.soal = SoalLke.objects.get(master=lke_master, soal_id=1)
    TautanSoal.objects.create(langkah=world.langkah, soal=world.soal)
    return world


def _accept_confirms(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def _fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_coordinator_answers_on_a_phone_and_the_tpi_evaluates(
    browser, live_server, lke_world, artifacts
):
    world = lke_world
    base = f"{live_server.url}/lke/{world.unit.slug}/{world.today.year}/"

    # The coordinator opens the LKE from the menu on a phone.
    coord_ctx, coord = _login(browser, live_server, "admin", PHONE)
    _accept_confirms(coord)
    coord.get_by_role("button", name="Buka menu").click()
    coord.get_by_role("link", name="LKE", exact=True).click()
    coord.wait_for_load_state("networkidle")
    assert coord.url == base
    assert coord.get_by_test_id("status-penilaian").inner_text() == "Draf (diisi unit)"
    _fits(coord, PHONE)
    coord.screenshot(path=str(artifacts / "lke-penilaian-phone.png"), full_page=True)

    # Soal 1: its linked step shows its approved month; the evidence is offered first.
    coord.get_by_role("link", name=world.soal.teks[:40]).click()
    coord.wait_for_load_state("networkidle")
    # Every month is due up to this one; this month is approved.
    assert f"1/{world.today.month} bulan disetujui" in coord.content()
    form = coord.get_by_test_id("form-unit")
    form.get_by_label("Ya", exact=True).check()
    form.get_by_label("Catatan unit").fill("SK Tim ZI ditetapkan Januari")
    evidence = form.locator(f"#bukti-{world.bukti.pk}")
    assert "Terkait soal ini" in form.locator(f'label[for="bukti-{world.bukti.pk}"]').inner_text()
    evidence.check()
    _fits(coord, PHONE)
    coord.screenshot(path=str(artifacts / "lke-soal-phone.png"), full_page=True)
    form.get_by_role("button", name="Simpan jawaban").click()
    coord.wait_for_load_state("networkidle")
    assert "Jawaban soal 1 disimpan." in coord.locator(".alert-success").inner_text()
    assert coord.locator(f"#bukti-{world.bukti.pk}").is_checked()
    assert "Ya" in coord.get_by_role("table").last.inner_text()  # the history

    # Submitted to the TPI: the unit's answers lock.
    coord.goto(base)
    coord.get_by_role("button", name="Ajukan ke TPI").click()
    coord.wait_for_load_state("networkidle")
    assert coord.get_by_test_id("status-penilaian").inner_text() == "Diajukan ke TPI"

    # The TPI evaluates on a desktop and finishes.
    tpi_ctx, tpi = _login(browser, live_server, "reviewer", DESKTOP)
    _accept_confirms(tpi)
    tpi.goto(base + "soal/1/")
    assert tpi.get_by_test_id("baca-unit").locator("dd").first.inner_text() == "Ya"
    form = tpi.get_by_test_id("form-tpi")
    form.get_by_label("Ya", exact=True).check()
    form.get_by_label("Catatan TPI").fill("SK sesuai, bukti lengkap.")
    tpi.screenshot(path=str(artifacts / "lke-soal-desktop.png"), full_page=True)
    form.get_by_role("button", name="Simpan evaluasi").click()
    tpi.wait_for_load_state("networkidle")
    assert "Jawaban soal 1 disimpan." in tpi.locator(".alert-success").inner_text()
    tpi.goto(base)
    tpi.get_by_role("button", name="Selesai evaluasi").click()
    tpi.wait_for_load_state("networkidle")
    assert tpi.get_by_test_id("status-penilaian").inner_text() == "Dievaluasi TPI"

    # Both see the score: soal 1 alone, sub-area weight 0.5, both sides answered Ya.
    for page in (tpi, coord):
        page.goto(base)
        assert page.get_by_test_id("skor-unit-1").inner_text() == "0,50"
        assert page.get_by_test_id("skor-tpi-1").inner_text() == "0,50"
    _fits(coord, PHONE)
    tpi.screenshot(path=str(artifacts / "lke-penilaian-desktop.png"), full_page=True)
    coord.screenshot(path=str(artifacts / "lke-penilaian-dievaluasi-phone.png"), full_page=True)
    tpi.goto(base + "riwayat/")
    assert "Evaluasi TPI selesai" in tpi.content()
    tpi.screenshot(path=str(artifacts / "lke-riwayat-desktop.png"), full_page=True)
    # The coordinator's other pages fit the phone too.
    for name in ("survei", "pengaturan", "riwayat"):
        coord.goto(base + f"{name}/")
        _fits(coord, PHONE)
        coord.screenshot(path=str(artifacts / f"lke-{name}-phone.png"), full_page=True)
    for ctx in (coord_ctx, tpi_ctx):
        ctx.close()
