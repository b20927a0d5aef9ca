"""axe-core on every page of the app, for every role, at desktop and phone width: no
violation of impact ``critical`` or ``serious`` against WCAG 2.0/2.1 A and AA.

axe comes from the ``axe-playwright-python`` test dependency (it ships ``axe.min.js``),
never from a network. The pages send ``script-src 'self'``; Playwright's ``page.evaluate``
runs outside the page's Content-Security-Policy, so the axe source is evaluated there and
the pages themselves keep the policy they have in production."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_journeys import DESKTOP, PHONE, _login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = {"critical", "serious"}

# Rules of Django's own admin markup that the project cannot fix without copying Django's
# templates; each with its reason. Checked only on /admin/ pages.
ADMIN_EXCLUDED: dict[str, str] = {}


@pytest.fixture(scope="module")
def axe_source() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


@pytest.fixture
def a11y_world(live_world, django_user_model, lke_master):
    """The journeys' world with something in every state: this month waiting for review
    (so the step page shows the review form), another month returned with a note (Tugas
    saya and 'Unggah perbaikan'), a third approved; and a unit below the world's unit,
    so its admin, pimpinan and reviewer watch it on the Rekap."""
    from actionplan.models import SatuanKerja
    from evidence.enums import StatusBukti
    from evidence.services import bukti_review
    from tests.factories import build_plan

    world = live_world
    month = world.today.month
    returned, approved = [(month + k - 1) % 12 + 1 for k in (1, 2)]
    reviewer = world.users["reviewer"]
    for bulan, keputusan, catatan in [
        (returned, StatusBukti.DIKEMBALIKAN, "Tambahkan foto kegiatan."),
        (approved, StatusBukti.DISETUJUI, ""),
    ]:
        bukti = world.submit(slot=world.langkah.jadwal.get(bulan=bulan))
        bukti_review(bukti=bukti, oleh=reviewer, keputusan=keputusan, catatan=catatan)
    world.waiting = world.submit()
    world.returned_month = returned

    below = build_plan(tahun=world.today.year, areas=1)
    SatuanKerja.objects.filter(pk=below.satuan_kerja_id).update(induk=world.unit)
    world.superuser = django_user_model.objects.create_superuser(
        "super", "super@example.org", "sandi-uji-123"
    )
    return world


def _preview(world) -> tuple[str, str]:
    from evidence.models import BerkasBukti

    berkas = BerkasBukti.objects.filter(bukti__slot__langkah_aksi=world.langkah).first()
    return ("pratinjau", f"/berkas/{berkas.pk}/pratinjau/")


def _pages(world, role: str) -> list[tuple[str, str]]:
    """(name, path) of every page the role can open; each must answer 200."""
    rencana, langkah = world.rencana.pk, world.langkah.pk
    slug, tahun = world.unit.slug, world.today.year
    everyone = [
        ("beranda", "/"),
        ("rencana", "/rencana/"),
        ("lampiran", f"/rencana/{rencana}/"),
        ("langkah", f"/langkah/{langkah}/"),
        ("tugas", "/tugas/"),
        ("sandi", "/sandi/"),
        ("cari", "/cari/?q=langkah"),
        # The LKE of the unit: created on the first visit (the list's first page).
        ("lke", f"/lke/{slug}/{tahun}/"),
        ("lke-soal", f"/lke/{slug}/{tahun}/soal/2/"),
        ("lke-survei", f"/lke/{slug}/{tahun}/survei/"),
        ("lke-riwayat", f"/lke/{slug}/{tahun}/riwayat/"),
        # Notifications: the list behind the bell and the channels per kind.
        ("notifikasi", "/notifikasi/"),
        ("notifikasi-profil", "/notifikasi/pengaturan/"),
    ]
    leaders = [
        ("dasbor", f"/rencana/{rencana}/dasbor/"),
        ("dasbor-bulan", f"/rencana/{rencana}/dasbor/?bulan={world.today.month}"),
        ("daftar-slot", f"/rencana/{rencana}/daftar/?ukuran=due"),
        ("daftar-slot-dikembalikan", f"/rencana/{rencana}/daftar/?ukuran=returned"),
        ("rekap", "/rekap/"),
    ]
    unggah = ("unggah", f"/langkah/{langkah}/unggah/")
    perbaikan = ("unggah-perbaikan", f"/langkah/{langkah}/unggah/?bulan={world.returned_month}")
    antrean = ("antrean", "/review/")
    audit = ("audit", "/audit/")
    pages = {
        "admin": [
            *everyone,
            *leaders,
            unggah,
            perbaikan,
            antrean,
            audit,
            ("monev", f"/rencana/{rencana}/monev/?bulan={world.today.month}"),
            ("lke-pengaturan", f"/lke/{slug}/{tahun}/pengaturan/"),
            ("lke-impor", f"/lke/{slug}/{tahun}/impor/"),
            ("notifikasi-kiriman", "/notifikasi/kiriman/"),
            # The world unit is a top unit: its admin keeps the agency's proposal.
            ("portalrb-usulan", f"/portalrb/{slug}/{tahun}/"),
            ("portalrb-token", f"/portalrb/{slug}/token/"),
            ("portalrb-riwayat", f"/portalrb/{slug}/riwayat/"),
        ],
        "pimpinan": [*everyone, *leaders, audit],
        "reviewer": [*everyone, *leaders, antrean, _preview(world)],
        "anggota": [*everyone, unggah, perbaikan, ("kemajuan-tim", "/tim/")],
        "anggota_lain": [
            *everyone,
            ("kemajuan-tim", "/tim/"),
            ("unggah-tim-b", f"/langkah/{world.langkah_b.pk}/unggah/"),
        ],
        "super": [
            ("admin-index", "/admin/"),
            ("admin-rencana", f"/admin/actionplan/rencanaaksi/{rencana}/change/"),
            ("admin-langkah", f"/admin/actionplan/langkahaksi/{langkah}/change/"),
            ("admin-langkah-baru", "/admin/actionplan/langkahaksi/add/"),
        ],
    }
    # The LKE's verdict, roll-up, thresholds and step links (actionplan.lke.views_skor):
    # an assessment with answers on both sides, one weak answer, one step linked.
    _lke_skor_world(world)
    tahun = world.today.year
    lke_skor = [
        ("lke-skor", f"/lke/{world.unit.slug}/{tahun}/skor/"),
        ("lke-skor-tpi", f"/lke/{world.unit.slug}/{tahun}/skor/?pihak=tpi"),
        ("lke-tautan-langkah", f"/lke/langkah/{langkah}/soal/"),
    ]
    lke_rekap = ("lke-rekap", f"/lke/rekap/{tahun}/")
    pages["admin"] += [*lke_skor, lke_rekap, ("lke-ambang", f"/lke/ambang/{tahun}/")]
    pages["pimpinan"] += [*lke_skor, lke_rekap]
    pages["reviewer"] += [*lke_skor, lke_rekap]
    pages["anggota"] += lke_skor
    # The unit set-up (actionplan.pengaturan): the admin's pages, an import waiting for
    # confirmation with one bad row, and the password pages.
    pages["admin"] += [
        ("pengaturan", "/pengaturan/"),
        ("pengaturan-editor", f"/pengaturan/rencana/{rencana}/"),
        ("pengaturan-keputusan", f"/pengaturan/rencana/{rencana}/keputusan/"),
        ("pengaturan-langkah", f"/pengaturan/rencana/{rencana}/langkah/{langkah}/"),
        (
            "pengaturan-langkah-baru",
            f"/pengaturan/rencana/{rencana}/indikator/{world.langkah.indikator_id}/langkah-baru/",
        ),
        ("pengaturan-tim", f"/pengaturan/{slug}/tim/"),
        ("pengaturan-orang", f"/pengaturan/{slug}/orang/"),
        ("pengaturan-orang-baru", f"/pengaturan/{slug}/orang/baru/"),
        ("pengaturan-orang-ubah", f"/pengaturan/{slug}/orang/{world.users['anggota'].pk}/"),
        ("pengaturan-impor", f"/pengaturan/{slug}/orang/impor/"),
        ("pengaturan-impor-pratinjau", f"/pengaturan/{slug}/orang/impor/{_impor(world)}/"),
        ("pengaturan-unit-bawah", f"/pengaturan/{slug}/unit/"),
        ("lupa-sandi", "/sandi/lupa/"),
        ("lupa-sandi-terkirim", "/sandi/lupa/terkirim/"),
        ("atur-sandi-kedaluwarsa", "/sandi/atur/MQ/tidak-berlaku/"),
    ]
    pages["super"] += [
        ("admin-ambang", "/admin/lke/ambangpredikat/"),
        ("admin-master-lke", "/admin/lke/masterlke/"),
        ("admin-predikat-unit-baru", "/admin/lke/predikatunit/add/"),
    ]
    return pages[role]


def _impor(world) -> int:
    """Once per world: a sheet of accounts read for the unit, one row of it wrong."""
    from actionplan.pengaturan.models import ImporAkun
    from actionplan.pengaturan.services import impor_akun_baca

    found = ImporAkun.objects.filter(satuan_kerja=world.unit).first()
    if found is None:
        sheet = b"nama,email,tim,peran\nAni,ani@example.org,TIM A,\nBudi,bukan-email,TIM Z,raja\n"
        found = impor_akun_baca(
            satuan_kerja=world.unit, nama_berkas="akun.csv", isi=sheet, oleh=world.users["admin"]
        )
    return found.pk


def _lke_skor_world(world) -> None:
    """Once per world: the LKE master, the unit's assessment of the year with a few
    answers on both sides, a step linked to a question answered well without evidence,
    and an assessment for the unit below."""
    import io

    from django.core.management import call_command

    from actionplan.lke import services
    from actionplan.lke.enums import Pihak
    from actionplan.lke.models import MasterLke, PenilaianLke, SoalLke, TautanSoal
    from actionplan.models import SatuanKerja

    tahun = world.today.year
    if PenilaianLke.objects.filter(satuan_kerja=world.unit, tahun=tahun).exists():
        return
    if not MasterLke.objects.exists():
        call_command("lke_load_master", verbosity=0, stdout=io.StringIO())
    units = [world.unit, *SatuanKerja.objects.filter(induk=world.unit)]
    for n, unit in enumerate(units):
        penilaian = services.penilaian_get_or_create(satuan_kerja=unit, tahun=tahun, by=None)
        soal = {s.soal_id: s for s in SoalLke.objects.filter(master=penilaian.master)}
        for sid, unit_answer, tpi_answer in [(4, "A", "B"), (51, "C", "C"), (125, "3.6", "3.4")]:
            for pihak, teks in [(Pihak.UNIT, unit_answer), (Pihak.TPI, tpi_answer)]:
                services.jawaban_simpan(
                    penilaian=penilaian,
                    soal=soal[sid],
                    pihak=pihak,
                    isian=services.Isian(jawaban=teks if n == 0 else "B" if sid == 4 else teks),
                    by=None,
                )
        if n == 0:
            TautanSoal.objects.get_or_create(langkah=world.langkah, soal=soal[4])


def _axe(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate(f"axe.run(document, {json.dumps(options)})")
    return result["violations"]


def _check(page, axe_source: str, url: str, width: str) -> list[str]:
    found = []
    admin = "/admin/" in url
    for violation in _axe(page, axe_source):
        if violation["impact"] not in IMPACTS:
            continue
        if admin and violation["id"] in ADMIN_EXCLUDED:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}) {width} {url} "
                f"target={' '.join(map(str, node['target']))}: {node['failureSummary']!r}"
            )
    return found


def _sweep(page, axe_source, base_url, pages) -> list[str]:
    found = []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, path in pages:
            response = page.goto(base_url + path)
            expected = 404 if name == "404" else 200
            # goto waits for the load event: the pages fetch nothing after it.
            assert response.status == expected, f"{name} {path}: {response.status}"
            found += _check(page, axe_source, page.url, width)
    return found


def _assert_none(found: list[str]) -> None:
    if found:
        report = f"{len(found)} critical/serious axe violations:\n" + "\n".join(found)
        pytest.fail(report, pytrace=False)


@pytest.mark.parametrize("role", ["admin", "pimpinan", "reviewer", "anggota", "anggota_lain"])
def test_every_page_of_a_role_passes_axe(browser, live_server, a11y_world, axe_source, role):
    context, page = _login(browser, live_server, role)
    pages = [*_pages(a11y_world, role), ("404", "/tidak-ada/")]
    found = _sweep(page, axe_source, live_server.url, pages)
    context.close()
    _assert_none(found)


def test_login_and_error_pages_pass_axe(browser, live_server, a11y_world, axe_source):
    found = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/")
        found += _check(page, axe_source, page.url, width)
        # The form with its error shown.
        page.fill("#id_username", "anggota")
        page.fill("#id_password", "salah")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        found += _check(page, axe_source, page.url + " (sandi salah)", width)
        response = page.goto(f"{live_server.url}/tidak-ada/")
        assert response.status in (302, 404)
        found += _check(page, axe_source, page.url, width)
        context.close()
    _assert_none(found)


def test_admin_pages_pass_axe(browser, live_server, a11y_world, axe_source):
    context, page = _login(browser, live_server, "super")
    found = _sweep(page, axe_source, live_server.url, _pages(a11y_world, "super"))
    context.close()
    _assert_none(found)


def test_the_evaluators_evidence_page_passes_axe(browser, live_server, a11y_world, axe_source):
    """The read-only page PortalRB's evaluators open from ``bukti_dukung_unit``, with no
    account: the question, both answers, the files of the linked approved version."""
    from actionplan.lke import services as lke
    from actionplan.lke.enums import Pihak
    from actionplan.portalrb import selectors, services
    from evidence.enums import StatusBukti
    from evidence.models import Bukti

    world = a11y_world
    approved = Bukti.objects.filter(
        slot__langkah_aksi=world.langkah, status=StatusBukti.DISETUJUI
    ).first()
    penilaian = lke.penilaian_get_or_create(
        satuan_kerja=world.unit, tahun=world.today.year, by=world.users["admin"]
    )
    lke.jawaban_simpan(
        penilaian=penilaian,
        soal=penilaian.master.soal.get(soal_id=1),
        pihak=Pihak.UNIT,
        isian=lke.Isian(jawaban="Ya", catatan="SK Tim ZI", bukti=[approved.pk]),
        by=world.users["admin"],
    )
    usulan = services.usulan_get_or_create(instansi=world.unit, tahun=world.today.year)
    link = selectors.bukti_link(usulan, world.unit, 1, [approved.pk])
    path = "/bukti-lke/" + link.split("/bukti-lke/")[1]
    found = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport, locale="id-ID")
        page = context.new_page()
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        found += _check(page, axe_source, page.url, width)
        context.close()
    _assert_none(found)
