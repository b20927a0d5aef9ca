"""Small habits of the evidence pages: the queue says how long each item has waited, a
withdrawal asks first, the navigation marks the current page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from evidence.templatetags.bukti import lama_menunggu


def test_waiting_age_in_words(clock):
    from django.utils import timezone

    now = timezone.now()
    assert lama_menunggu(now - datetime.timedelta(days=9, hours=5)) == "menunggu 9 hari"
    assert lama_menunggu(now - datetime.timedelta(hours=3, minutes=10)) == "menunggu 3 jam"
    assert lama_menunggu(now - datetime.timedelta(minutes=5)) == "menunggu kurang dari 1 jam"
    assert lama_menunggu(None) == ""


@pytest.mark.django_db
def test_queue_shows_how_long_each_item_has_waited(world, clock):
    world.submit()
    clock.shift(datetime.timedelta(days=9, hours=1))
    html = world.client_for("reviewer").get(reverse("antrean")).content.decode()
    assert 'data-testid="menunggu">menunggu 9 hari<' in html


@pytest.mark.django_db
def test_withdrawal_asks_for_confirmation_and_the_page_is_marked(world):
    world.submit()
    html = world.client_for("anggota").get(reverse("langkah-detail", args=[world.langkah.pk]))
    page = html.content.decode()
    assert 'data-zi-confirm="Tarik bukti versi 1 bulan Juni?' in page
    tasks = world.client_for("anggota").get(reverse("tugas-saya")).content.decode()
    assert 'active" aria-current="page" href="/tugas/"' in tasks
