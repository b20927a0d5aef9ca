"""The month's thread: the team and the reviewer ask and answer beside the evidence."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplan.models import CatatanAudit
from evidence.models import PesanSlot
from evidence.services import pesan_kirim

pytestmark = pytest.mark.django_db


def _url(world, bulan=None):
    return reverse("slot-pesan", args=[world.langkah.pk, bulan or world.today.month])


def test_member_and_reviewer_talk_in_the_months_thread(world):
    member, reviewer = world.client_for("anggota"), world.client_for("reviewer")
    asked = member.post(_url(world), {"teks": "Apakah foto kegiatan juga perlu?"})
    assert asked.status_code == 302
    assert asked["Location"].endswith(f"#bulan-{world.today.month}")
    reviewer.post(_url(world), {"teks": "Ya, lampirkan dua foto."})
    thread = list(PesanSlot.objects.filter(slot=world.slot).values_list("oleh__username", "teks"))
    assert thread == [
        ("anggota", "Apakah foto kegiatan juga perlu?"),
        ("reviewer", "Ya, lampirkan dua foto."),
    ]
    page = member.get(reverse("langkah-detail", args=[world.langkah.pk])).content.decode()
    assert "Percakapan Juni (2)" in page
    assert page.index("Apakah foto kegiatan") < page.index("Ya, lampirkan dua foto.")
    audit = CatatanAudit.objects.filter(aksi="pesan_dikirim").order_by("waktu", "id")
    assert [a.aktor.username for a in audit] == ["anggota", "reviewer"]
    assert audit[0].ringkasan.endswith("— Apakah foto kegiatan juga perlu?")


@pytest.mark.parametrize(
    ("teks", "message"),
    [
        ("", "Pesan tidak terkirim: Tulis pesannya dulu."),
        ("x" * 2001, "Pesan tidak terkirim: Pesan paling banyak 2000 karakter."),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_written(world, teks, message):
    response = world.client_for("anggota").post(_url(world), {"teks": teks}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [message]
    assert PesanSlot.objects.count() == 0
    assert CatatanAudit.objects.filter(aksi="pesan_dikirim").count() == 0


def test_a_month_outside_the_schedule_is_not_found(world):
    response = world.client_for("anggota").post(
        reverse("slot-pesan", args=[world.langkah_b.pk, 13]), {"teks": "Halo"}
    )
    assert response.status_code == 404


def test_the_service_refuses_blank_text(world):
    with pytest.raises(ValidationError, match="Tulis pesannya dulu"):
        pesan_kirim(slot=world.slot, oleh=world.users["anggota"], teks="   ")
    assert PesanSlot.objects.count() == 0
