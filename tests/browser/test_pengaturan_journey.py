"""Issue 16's "done when" in a real browser, at desktop and phone widths: the national
admin creates a kabupaten and its coordinator; the coordinator sets a password from the
e-mail, creates the year's plan from the national template, creates two teams, edits two
steps and imports ten accounts from a sheet; a member of that unit uploads evidence;
none of them can touch the demo unit (the world's)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests import files
from tests.browser.test_journeys import DESKTOP, PHONE, _login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def national(live_world, django_user_model):
    """KPU RI with its template plan for the year (two steps) and its admin."""
    from actionplan.enums import Peran
    from actionplan.models import PeranPengguna
    from tests.factories import (
        AreaPerubahanFactory,
        IndikatorFactory,
        KomponenFactory,
        LangkahAksiFactory,
        RencanaAksiFactory,
        SatuanKerjaFactory,
        TimKerjaFactory,
    )

    world = live_world
    ri = SatuanKerjaFactory(nama="KPU Republik Indonesia", slug="kpu-ri")
    plan = RencanaAksiFactory(satuan_kerja=ri, tahun=world.today.year)
    tim = TimKerjaFactory(satuan_kerja=ri, nama="TIM MANAJEMEN PERUBAHAN")
    area = AreaPerubahanFactory(rencana=plan, nomor=1, nama="MANAJEMEN PERUBAHAN")
    komponen = KomponenFactory(area=area, nomor=1, nama="Penyusunan Tim Kerja")
    for n, teks in enumerate(["Membentuk tim kerja ZI", "Menyusun rencana kerja"], start=1):
        LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=komponen, urutan=n, teks=f"Indikator templat {n}"),
            urutan=1,
            teks=teks,
            tim=tim,
            bulan=[1],
            bukti=["SK Tim"],
        )
    admin = django_user_model.objects.create_user(
        "nasional", password="sandi-uji-123", first_name="Admin Nasional"
    )
    PeranPengguna.objects.create(user=admin, satuan_kerja=ri, peran=Peran.ADMIN)
    world.ri = ri
    return world


def _link(email_to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [email_to])
    return re.search(r"https?://[^/\s]+(/sandi/atur/\S+)", message.body)[1]


def _set_password(browser, live_server, email_to, viewport, artifacts=None, name=""):
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.goto(live_server.url + _link(email_to))
    page.wait_for_load_state("networkidle")
    assert "Atur kata sandi" in page.locator("h1").inner_text()
    if artifacts:
        page.screenshot(path=str(artifacts / f"pengaturan-sandi-{name}.png"), full_page=True)
    page.fill("#id_new_password1", "Kuat-sekali-2026")
    page.fill("#id_new_password2", "Kuat-sekali-2026")
    page.get_by_role("button", name="Simpan kata sandi").click()
    page.wait_for_load_state("networkidle")
    assert "Kata sandi tersimpan" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Masuk").last.click()
    page.fill("#id_username", email_to)
    page.fill("#id_password", "Kuat-sekali-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/masuk/" not in page.url
    return context, page


def _fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def _ok(page) -> str:
    return page.locator(".alert-success").first.inner_text()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_new_unit_runs_itself(browser, live_server, national, tmp_path, artifacts, size):
    from actionplan.models import LangkahAksi, RencanaAksi, SatuanKerja
    from evidence.models import Bukti

    world = national
    viewport = {"desktop": DESKTOP, "phone": PHONE}[size]
    base = live_server.url
    demo = world.unit

    # The national admin creates the kabupaten and names its coordinator.
    nat_ctx, nat = _login(browser, live_server, "nasional", viewport)
    if size == "phone":
        nat.get_by_role("button", name="Buka menu").click()
    nat.get_by_role("link", name="Pengaturan").click()
    nat.wait_for_load_state("networkidle")
    assert nat.url == f"{base}/pengaturan/kpu-ri/"
    nat.get_by_role("link", name="Unit di bawah").first.click()
    form = nat.get_by_test_id("form-unit-baru")
    form.get_by_label("Nama satuan kerja").fill("KPU Kabupaten Cilacap")
    form.get_by_label("Kode (slug)").fill("kpu-kab-cilacap")
    form.get_by_label("Nama koordinator ZI").fill("Rina Koordinator")
    form.get_by_label("E-mail koordinator ZI").fill("rina@cilacap.example.org")
    form.get_by_role("button", name="Buat satuan kerja").click()
    nat.wait_for_load_state("networkidle")
    assert "rina@cilacap.example.org menerima e-mail" in _ok(nat)
    _fits(nat, viewport)
    nat.screenshot(path=str(artifacts / f"pengaturan-unit-bawah-{size}.png"), full_page=True)
    cilacap = SatuanKerja.objects.get(slug="kpu-kab-cilacap")
    assert cilacap.induk == world.ri
    # The national admin does not reach the demo unit (not below it).
    assert nat.goto(f"{base}/pengaturan/{demo.slug}/").status == 404

    # The coordinator sets a password from the e-mail and logs in.
    coord_ctx, coord = _set_password(
        browser, live_server, "rina@cilacap.example.org", viewport, artifacts, size
    )
    coord.goto(f"{base}/pengaturan/")
    assert coord.url == f"{base}/pengaturan/kpu-kab-cilacap/"

    # The year's plan from the national template.
    form = coord.get_by_test_id("form-rencana-baru")
    form.get_by_label(re.compile("Salinan rencana satuan kerja di atas")).check()
    form.get_by_role("button", name="Buat rencana aksi").click()
    coord.wait_for_load_state("networkidle")
    assert "Rencana aksi" in _ok(coord)
    plan = RencanaAksi.objects.get(satuan_kerja=cilacap, tahun=world.today.year)
    steps = list(LangkahAksi.objects.of_plan(plan).in_document_order())
    assert [s.teks for s in steps] == ["Membentuk tim kerja ZI", "Menyusun rencana kerja"]

    # Two teams.
    coord.get_by_role("link", name="Tim kerja", exact=True).click()
    for nama in ("TIM ALPHA", "TIM BETA"):
        coord.get_by_label("Nama tim baru").fill(nama)
        coord.get_by_role("button", name="Buat tim").click()
        coord.wait_for_load_state("networkidle")
        assert f"Tim {nama} dibuat." in _ok(coord)

    # Two steps edited: text, months (this one included) and team.
    month = world.today.month
    for step, (teks, tim) in zip(
        steps,
        [
            ("Membentuk tim kerja ZI Cilacap", "TIM ALPHA"),
            ("Menyusun rencana kerja tim", "TIM BETA"),
        ],
        strict=True,
    ):
        coord.goto(f"{base}/pengaturan/rencana/{plan.pk}/")
        coord.get_by_role("link", name=re.compile(f"Ubah langkah aksi: {step.teks}")).click()
        coord.wait_for_load_state("networkidle")
        form = coord.get_by_test_id("form-langkah")
        form.get_by_label("Langkah aksi").fill(teks)
        form.locator(f'input[name="bulan"][value="{month}"]').check()
        form.get_by_label("Penanggung jawab").select_option(label=tim)
        if step == steps[0]:
            _fits(coord, viewport)
            coord.screenshot(path=str(artifacts / f"pengaturan-langkah-{size}.png"), full_page=True)
        form.get_by_role("button", name="Simpan langkah aksi").click()
        coord.wait_for_load_state("networkidle")
        assert "Langkah aksi disimpan." in _ok(coord)
    _fits(coord, viewport)
    coord.screenshot(path=str(artifacts / f"pengaturan-editor-{size}.png"), full_page=True)
    first = LangkahAksi.objects.with_plan().get(pk=steps[0].pk)
    assert (first.teks, first.tim.nama, month in first.bulan) == (
        "Membentuk tim kerja ZI Cilacap",
        "TIM ALPHA",
        True,
    )

    # Ten accounts from a sheet: a preview, then all at once.
    sheet = tmp_path / "akun-cilacap.csv"
    rows = [
        f"Pegawai {n},pegawai{n}@cilacap.example.org,"
        f"{'TIM ALPHA' if n <= 5 else 'TIM BETA'},{'pimpinan' if n == 10 else ''}"
        for n in range(1, 11)
    ]
    sheet.write_text("nama,email,tim,peran\n" + "\n".join(rows) + "\n")
    coord.goto(f"{base}/pengaturan/kpu-kab-cilacap/orang/impor/")
    coord.set_input_files("#id_berkas", str(sheet))
    coord.get_by_role("button", name="Baca dan tampilkan pratinjau").click()
    coord.wait_for_load_state("networkidle")
    assert "10 akun siap dibuat" in coord.content()
    coord.screenshot(path=str(artifacts / f"pengaturan-impor-{size}.png"), full_page=True)
    coord.get_by_role("button", name="Buat 10 akun").click()
    coord.wait_for_load_state("networkidle")
    assert "10 akun dibuat" in _ok(coord)
    assert coord.get_by_test_id("daftar-akun").locator("tbody tr").count() == 11
    _fits(coord, viewport)
    coord.screenshot(path=str(artifacts / f"pengaturan-akun-{size}.png"), full_page=True)
    # The coordinator cannot touch the demo unit.
    assert coord.goto(f"{base}/pengaturan/{demo.slug}/").status == 404
    assert coord.goto(f"{base}/rencana/{world.rencana.pk}/").status == 404

    # A member of TIM ALPHA sets a password and uploads this month's evidence.
    member_ctx, member = _set_password(
        browser, live_server, "pegawai1@cilacap.example.org", viewport
    )
    pdf = tmp_path / "SK Tim ZI.pdf"
    pdf.write_bytes(files.pdf_bytes("SK Tim ZI Cilacap"))
    member.goto(f"{base}/langkah/{first.pk}/unggah/")
    member.set_input_files("#id_berkas", str(pdf))
    member.get_by_role("button", name="Kirim bukti").click()
    member.wait_for_load_state("networkidle")
    assert "terkirim (versi 1)" in _ok(member)
    assert Bukti.objects.filter(slot__langkah_aksi=first).count() == 1
    # …and cannot reach the demo unit's step nor any set-up page.
    assert member.goto(f"{base}/langkah/{world.langkah.pk}/unggah/").status == 404
    assert member.goto(f"{base}/pengaturan/kpu-kab-cilacap/").status == 403
    for context in (nat_ctx, coord_ctx, member_ctx):
        context.close()
