"""Review: approve, or return with a note; every transition an event; concurrency."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from actionplan.models import CatatanAudit
from evidence.enums import JenisPeristiwa, StatusBukti
from evidence.models import Bukti, PeristiwaBukti
from evidence.services import SudahDireview, bukti_review, bukti_withdraw
from tests import files


def _review(world, bukti, keputusan, catatan="", kind="reviewer"):
    return world.client_for(kind).post(
        reverse("bukti-review", args=[bukti.pk]), {"keputusan": keputusan, "catatan": catatan}
    )


def _decide(world, bukti, keputusan, catatan="", kind="reviewer"):
    return bukti_review(bukti=bukti, oleh=world.users[kind], keputusan=keputusan, catatan=catatan)


def test_full_path_upload_return_resubmit_approve(world):
    client = world.client_for("anggota")
    url = reverse("bukti-unggah", args=[world.langkah.pk])
    client.post(url, {"bulan": world.today.month, "berkas": [files.pdf(), files.png()]})
    v1 = Bukti.objects.get()

    response = _review(world, v1, "dikembalikan", "Daftar hadir belum ditandatangani")
    assert response.status_code == 302
    v1.refresh_from_db()
    assert v1.status == StatusBukti.DIKEMBALIKAN
    assert v1.catatan_review == "Daftar hadir belum ditandatangani"

    step_page = client.get(reverse("langkah-detail", args=[world.langkah.pk])).content.decode()
    assert "Dikembalikan untuk perbaikan" in step_page
    assert "Daftar hadir belum ditandatangani" in step_page

    client.post(url, {"bulan": world.today.month, "berkas": [files.pdf("revisi.pdf")]})
    v2 = Bukti.objects.get(versi=2)
    assert v2.status == StatusBukti.DIAJUKAN

    assert _review(world, v2, "disetujui").status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (StatusBukti.DIKEMBALIKAN, StatusBukti.DISETUJUI)
    assert v2.diperiksa_oleh == world.users["reviewer"]

    history = [
        (e.bukti.versi, e.jenis, e.oleh.username, e.catatan)
        for e in PeristiwaBukti.objects.select_related("bukti", "oleh").order_by("pada", "id")
    ]
    assert history == [
        (1, JenisPeristiwa.DIAJUKAN, "anggota", ""),
        (1, JenisPeristiwa.DIKEMBALIKAN, "reviewer", "Daftar hadir belum ditandatangani"),
        (2, JenisPeristiwa.DIAJUKAN_ULANG, "anggota", ""),
        (2, JenisPeristiwa.DISETUJUI, "reviewer", ""),
    ]
    assert list(CatatanAudit.objects.order_by("id").values_list("aksi", flat=True)) == [
        "bukti_diajukan",
        "bukti_dikembalikan",
        "bukti_versi_baru",
        "bukti_disetujui",
    ]
    page = client.get(reverse("langkah-detail", args=[world.langkah.pk])).content.decode()
    assert "Disetujui" in page
    assert (
        "Unggah versi baru"
        not in page.split(f'id="bulan-{world.today.month}"')[1].split("</section>")[0]
    )


def test_return_requires_a_note(world):
    bukti = world.submit()
    response = _review(world, bukti, "dikembalikan", "   ")
    assert response.status_code == 302
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DIAJUKAN
    assert bukti.peristiwa.count() == 1
    with pytest.raises(ValidationError) as exc:
        bukti_review(
            bukti=bukti,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="",
        )
    assert exc.value.messages == ["Tuliskan catatan perbaikan saat mengembalikan bukti."]


def test_uploader_cannot_review_own_evidence(world):
    bukti = world.submit(kind="admin")  # the admin may upload for any step of the unit
    response = _review(world, bukti, "disetujui", kind="admin")
    assert response.status_code == 302
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DIAJUKAN
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Anda tidak dapat mereview bukti yang Anda unggah sendiri."]


def test_second_review_of_the_same_submission_is_refused(world):
    bukti = world.submit()
    stale = Bukti.objects.get(pk=bukti.pk)  # the second reviewer's page was loaded earlier
    bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    with pytest.raises(SudahDireview):
        bukti_review(
            bukti=stale,
            oleh=world.users["admin"],
            keputusan=StatusBukti.DIKEMBALIKAN,
            catatan="Kurang",
        )
    bukti.refresh_from_db()
    assert (bukti.status, bukti.diperiksa_oleh) == (StatusBukti.DISETUJUI, world.users["reviewer"])
    assert list(bukti.peristiwa.values_list("jenis", flat=True)) == ["diajukan", "disetujui"]


def test_second_review_through_the_page_says_already_reviewed(world):
    bukti = world.submit()
    _review(world, bukti, "disetujui")
    response = _review(world, bukti, "dikembalikan", "Kurang lengkap", kind="admin")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "Bukti ini sudah direview atau ditarik sebelumnya; halaman menampilkan statusnya sekarang."
    ]
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DISETUJUI


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviews_only_one_wins(django_user_model):
    """Two reviewers press the button at the same moment, each in its own thread and
    database connection: exactly one review is recorded."""
    from tests.conftest import World

    world = World(django_user_model)
    bukti = world.submit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(kind: str, keputusan: StatusBukti, catatan: str) -> None:
        try:
            stale = Bukti.objects.get(pk=bukti.pk)
            barrier.wait(timeout=10)
            bukti_review(bukti=stale, oleh=world.users[kind], keputusan=keputusan, catatan=catatan)
            outcomes.append("ok")
        except SudahDireview:
            outcomes.append("sudah")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("reviewer", StatusBukti.DISETUJUI, "")),
        threading.Thread(target=act, args=("admin", StatusBukti.DIKEMBALIKAN, "Kurang")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "sudah"]
    bukti.refresh_from_db()
    assert bukti.peristiwa.exclude(jenis="diajukan").count() == 1


def test_withdraw_then_slot_has_no_active_evidence(world):
    bukti = world.submit()
    response = world.client_for("anggota").post(reverse("bukti-tarik", args=[bukti.pk]))
    assert response.status_code == 302
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DITARIK
    assert list(bukti.peristiwa.values_list("jenis", flat=True)) == ["diajukan", "ditarik"]
    with pytest.raises(SudahDireview):
        bukti_withdraw(bukti=bukti, oleh=world.users["anggota"])


def test_reviewed_evidence_cannot_be_withdrawn(world):
    bukti = world.submit()
    bukti_review(
        bukti=bukti, oleh=world.users["reviewer"], keputusan=StatusBukti.DISETUJUI, catatan=""
    )
    world.client_for("anggota").post(reverse("bukti-tarik", args=[bukti.pk]))
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DISETUJUI


@pytest.mark.parametrize("keputusan", ["", "hapus", "diajukan"])
def test_bad_review_decision_changes_nothing(world, keputusan):
    bukti = world.submit()
    _review(world, bukti, keputusan)
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DIAJUKAN
    assert bukti.peristiwa.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_upload_racing_a_review_never_overwrites_it(django_user_model, round_):
    """A reviewer approves v1 while the team uploads v2 at the same moment. Whatever
    order the database picks, the outcome is consistent: either the approval stands and
    the upload is refused, or v1 was replaced first and the review is refused."""
    from evidence.services import bukti_submit
    from tests.conftest import World

    world = World(django_user_model)
    v1 = world.submit()
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def approve() -> None:
        try:
            stale = Bukti.objects.get(pk=v1.pk)
            barrier.wait(timeout=10)
            _decide(world, stale, StatusBukti.DISETUJUI)
            outcome["review"] = "ok"
        except SudahDireview:
            outcome["review"] = "sudah"
        finally:
            connection.close()

    def upload() -> None:
        try:
            barrier.wait(timeout=10)
            bukti_submit(
                slot=world.slot,
                files=[files.pdf()],
                tautan="",
                catatan="",
                oleh=world.users["anggota"],
            )
            outcome["upload"] = "ok"
        except ValidationError:
            outcome["upload"] = "ditolak"
        finally:
            connection.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=upload)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    v1.refresh_from_db()
    events = list(v1.peristiwa.values_list("jenis", flat=True))
    if outcome == {"review": "ok", "upload": "ditolak"}:
        assert v1.status == StatusBukti.DISETUJUI
        assert events == ["diajukan", "disetujui"]
        assert Bukti.objects.count() == 1
    else:
        assert outcome == {"review": "sudah", "upload": "ok"}
        assert v1.status == StatusBukti.DIGANTIKAN
        assert events == ["diajukan", "digantikan"]
        assert Bukti.objects.get(versi=2).status == StatusBukti.DIAJUKAN


@pytest.mark.django_db
def test_history_entered_afterwards_keeps_its_dates_and_refuses_impossible_ones(world):
    """``pada`` enters past events (the demo, a unit moving its records in): the version,
    its history and the audit trail carry that date; a date in the future, or a review
    before the upload, is refused and writes nothing."""
    import datetime

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from actionplan.models import CatatanAudit
    from evidence.services import bukti_submit

    slot = world.langkah.jadwal.get(bulan=2)
    sent = timezone.now() - datetime.timedelta(days=100)
    bukti = bukti_submit(
        slot=slot,
        files=[files.pdf()],
        tautan="",
        catatan="",
        oleh=world.users["anggota"],
        pada=sent,
    )
    assert bukti.diunggah_pada == sent
    assert bukti.peristiwa.get().pada == sent
    assert CatatanAudit.objects.get(objek=f"bukti:{bukti.pk}").waktu == sent
    with pytest.raises(ValidationError, match="sebelum bukti diunggah"):
        bukti_review(
            bukti=bukti,
            oleh=world.users["reviewer"],
            keputusan=StatusBukti.DISETUJUI,
            catatan="",
            pada=sent - datetime.timedelta(days=1),
        )
    future = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="masa depan"):
        bukti_submit(
            slot=world.langkah.jadwal.get(bulan=3),
            files=[files.pdf()],
            tautan="",
            catatan="",
            oleh=world.users["anggota"],
            pada=future,
        )
    bukti.refresh_from_db()
    assert bukti.status == StatusBukti.DIAJUKAN
    assert Bukti.objects.filter(slot__bulan=3, slot__langkah_aksi=world.langkah).count() == 0


def test_each_waiting_version_has_its_own_review_form_ids(world):
    """The step page renders the review form's fields once and gives each waiting
    version's form its own ids: no id twice on the page, each label on its own input."""
    import re
    from collections import Counter

    waiting = [world.submit(slot=world.langkah.jadwal.get(bulan=m)) for m in (1, 2)]
    html = world.client_for("reviewer").get(f"/langkah/{world.langkah.pk}/").content.decode()
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    for bukti in waiting:
        form = html[html.index(f'action="/bukti/{bukti.pk}/review/"') :]
        form = form[: form.index("</form>")]
        assert f'id="id_review_{bukti.pk}_keputusan_0"' in form
        assert f'for="id_review_{bukti.pk}_keputusan_0"' in form
        assert f'id="id_review_{bukti.pk}_catatan"' in form
        assert "zi-bukti-pk" not in form
    # A member, who may not review, gets no review form at all.
    member = world.client_for("anggota").get(f"/langkah/{world.langkah.pk}/").content.decode()
    assert "id_review_" not in member
