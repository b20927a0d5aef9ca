"""The main journeys in a real browser against a live server: a member uploads a PDF for
this month, the reviewer approves it, the leader sees the cell turn approved and the
completion figure change, and a member of another team cannot reach the upload."""

from __future__ import annotations

import pytest

from tests import files

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


# Every message the browser logs about the Content-Security-Policy, from every page of
# every test: the pages must pass the policy the app sends.
CSP_REPORTS: list[str] = []


@pytest.fixture(autouse=True)
def _pages_pass_the_csp():
    CSP_REPORTS.clear()
    yield
    assert CSP_REPORTS == []


def _login(browser, live_server, username, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport, locale="id-ID")
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            CSP_REPORTS.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "sandi-uji-123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def _cell(page, world):
    return page.locator(f'td[data-langkah="{world.langkah.pk}"][data-bulan="{world.today.month}"]')


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_upload_review_and_dashboard_journey(
    browser, live_server, live_world, tmp_path, artifacts, size
):
    """Upload, return with a note, the fix, approval: for every role at desktop and at
    phone width."""
    world = live_world
    month = world.today.month
    viewport = {"desktop": DESKTOP, "phone": PHONE}[size]

    # The leader's picture before anything was sent.
    leader_ctx, leader = _login(browser, live_server, "pimpinan", viewport)
    assert leader.url.endswith(f"/rencana/{world.rencana.pk}/dasbor/")
    before = leader.get_by_test_id("persen-disetujui").inner_text()
    assert "disetujui" not in (_cell(leader, world).get_attribute("class") or "")

    # A member uploads a real PDF for this month's step of their team.
    pdf = tmp_path / "Daftar Hadir Apel.pdf"
    pdf.write_bytes(files.pdf_bytes("Daftar hadir apel pagi"))
    member_ctx, member = _login(browser, live_server, "anggota", viewport)
    assert member.url.endswith("/tugas/")
    member.screenshot(path=str(artifacts / f"tugas-saya-{size}.png"), full_page=True)
    task = member.get_by_test_id("tugas-bulan-ini")
    task.get_by_role("link", name="Unggah bukti").first.click()
    assert member.locator("#id_bulan").input_value() == str(month)
    member.set_input_files("#id_berkas", str(pdf))
    member.fill("#id_catatan", "Apel pagi hari Senin")
    member.get_by_role("button", name="Kirim bukti").click()
    member.wait_for_load_state("networkidle")
    assert "terkirim (versi 1)" in member.locator(".alert-success").inner_text()
    assert "Daftar Hadir Apel.pdf" in member.content()

    # The reviewer returns it with a note from the queue.
    reviewer_ctx, reviewer = _login(browser, live_server, "reviewer", viewport)
    reviewer.goto(f"{live_server.url}/review/")
    assert "1 bukti menunggu review" in reviewer.content()
    reviewer.get_by_role("link", name="Periksa & review").click()
    reviewer.wait_for_load_state("networkidle")
    section = reviewer.locator(f"#bulan-{month}")
    section.get_by_label("Kembalikan untuk perbaikan").check()
    section.get_by_label("Catatan untuk tim").fill("Tambahkan foto kegiatan apel.")
    section.get_by_role("button", name="Simpan review").click()
    reviewer.wait_for_load_state("networkidle")
    assert "dikembalikan" in reviewer.locator(".alert-success").inner_text()

    # The member sees the note where they act, and sends the fix.
    member.goto(f"{live_server.url}/tugas/")
    returned = member.get_by_test_id("tugas-dikembalikan")
    assert "Tambahkan foto kegiatan apel." in returned.inner_text()
    assert "Dikembalikan oleh Budi Reviewer" in returned.inner_text()
    returned.get_by_role("link", name="Unggah perbaikan").first.click()
    member.wait_for_load_state("networkidle")
    assert "Unggah perbaikan" in member.locator("h1").inner_text()
    assert "Tambahkan foto kegiatan apel." in member.get_by_test_id("catatan-review").inner_text()
    member.set_input_files("#id_berkas", str(pdf))
    member.get_by_role("button", name="Kirim perbaikan").click()
    member.wait_for_load_state("networkidle")
    assert "terkirim (versi 2)" in member.locator(".alert-success").inner_text()

    # The reviewer approves the fix.
    reviewer.goto(f"{live_server.url}/review/")
    reviewer.get_by_role("link", name="Periksa & review").click()
    reviewer.wait_for_load_state("networkidle")
    section = reviewer.locator(f"#bulan-{month}")
    section.get_by_label("Setujui").check()
    section.get_by_role("button", name="Simpan review").click()
    reviewer.wait_for_load_state("networkidle")
    assert "disetujui" in reviewer.locator(".alert-success").inner_text()
    member.goto(f"{live_server.url}/tugas/")
    assert "Tambahkan foto" not in member.get_by_test_id("tugas-dikembalikan").inner_text()

    # The leader sees the cell turn approved and the completion figure change.
    leader.reload()
    assert "zi-cell--disetujui" in _cell(leader, world).get_attribute("class")
    after = leader.get_by_test_id("persen-disetujui").inner_text()
    assert after != before
    leader.screenshot(path=str(artifacts / f"dasbor-{size}.png"), full_page=True)
    leader.locator(".zi-grid").screenshot(path=str(artifacts / f"matriks-{size}.png"))
    reviewer.screenshot(path=str(artifacts / f"langkah-reviewer-{size}.png"), full_page=True)

    for ctx in (leader_ctx, member_ctx, reviewer_ctx):
        ctx.close()


def test_member_of_another_team_cannot_reach_the_upload(browser, live_server, live_world):
    world = live_world
    context, page = _login(browser, live_server, "anggota_lain")
    page.goto(f"{live_server.url}/langkah/{world.langkah.pk}/")
    assert page.get_by_role("link", name="Unggah bukti").count() == 0
    response = page.goto(f"{live_server.url}/langkah/{world.langkah.pk}/unggah/")
    assert response.status == 403
    assert "Anda tidak memiliki izin" in page.content()
    context.close()


def test_phone_width_screens(browser, live_server, live_world, artifacts):
    world = live_world
    world.submit()
    context, page = _login(browser, live_server, "pimpinan", viewport=PHONE)
    # Nothing may stick out sideways except the wide tables, which scroll in their box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.screenshot(path=str(artifacts / "dasbor-phone.png"), full_page=True)
    context.close()
    context, page = _login(browser, live_server, "anggota", viewport=PHONE)
    assert page.get_by_test_id("tugas-terlambat").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "tugas-saya-phone.png"), full_page=True)
    context.close()


def test_search_from_the_menu_on_a_phone(browser, live_server, live_world, artifacts):
    """The search box sits in the collapsed menu on a phone: open the menu, search, and
    the result card with its month chips fits the screen."""
    world = live_world
    world.langkah.teks = "Apel pagi setiap Senin"
    world.langkah.save()
    world.submit()
    context, page = _login(browser, live_server, "anggota", viewport=PHONE)
    box = page.get_by_role("search", name="Cari di rencana aksi").get_by_label(
        "Cari langkah aksi, indikator atau bukti fisik"
    )
    assert not box.is_visible()  # collapsed with the navigation
    page.get_by_role("button", name="Buka menu").click()
    box.fill("apel pagi")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    result = page.get_by_test_id("hasil-cari")
    assert result.get_by_role("link").inner_text() == "Apel pagi setiap Senin"
    assert result.locator("mark").inner_text() == "Apel pagi"
    chip = result.locator(f'.zi-chip[data-bulan="{world.today.month}"]')
    assert "zi-cell--diajukan" in chip.get_attribute("class")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "cari-phone.png"), full_page=True)
    context.close()
