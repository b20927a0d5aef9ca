"""A member's read-only view of their teams' progress and the unit's overall numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actionplan.progress.states import State

pytestmark = pytest.mark.django_db


def test_member_sees_their_teams_and_the_units_numbers(world):
    world.submit()  # team A's month of June: waiting for review
    response = world.client_for("anggota").get(reverse("kemajuan-tim"))
    [section] = response.context["sections"]
    assert section["rencana"] == world.rencana
    assert [name for _, name, _ in section["teams"]] == ["TIM A"]
    [(_, _, team)] = section["teams"]
    assert (team.due, team.waiting, team.missing) == (6, 1, 5)
    # The unit's totals count team B's month too.
    assert section["total"].due == 7
    assert [row["langkah"] for row in section["steps"]] == [world.langkah]
    html = response.content.decode()
    assert f'zi-cell--{State.SUBMITTED}" title="Juni: Menunggu review"' in html
    assert f">{world.langkah_b.teks}<" not in html  # team B's step is not listed
    assert 'aria-current="page" href="/tim/"' in html


def test_page_is_for_members(world):
    response = world.client_for("pimpinan").get(reverse("kemajuan-tim"))
    assert response.status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_team_progress_query_count_is_constant(world, django_assert_num_queries, n):
    from tests.factories import IndikatorFactory, LangkahAksiFactory

    for i in range(n):
        LangkahAksiFactory(
            indikator=IndikatorFactory(komponen=world.langkah.indikator.komponen, urutan=30 + i),
            tim=world.tim_a,
            bulan=[2, 6],
        )
    client = world.client_for("anggota")
    client.get(reverse("kemajuan-tim"))
    # session, user, roles and teams, this year's plans, whether the slots are settled,
    # the states (the numbers are summed from them), grid steps (the trend's ended months
    # and the steps the numbers are summed by were cached by the first visit).
    with django_assert_num_queries(7):
        assert client.get(reverse("kemajuan-tim")).status_code == 200
