"""The 2024 Banyumas plan's steps linked to the LKE questions they serve
(fixtures/banyumas_2024_lke.json, built from fixtures/source/banyumas_2024_lke.py)."""

from __future__ import annotations

import importlib.util
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from actionplan.lke.enums import Bagian
from actionplan.lke.models import TautanSoal
from actionplan.models import LangkahAksi

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def builder():
    path = ROOT / "fixtures" / "source" / "build_lke_fixture.py"
    spec = importlib.util.spec_from_file_location("build_lke_fixture", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixture_file_is_built_from_its_source(builder):
    committed = builder.FIXTURE.read_text(encoding="utf-8")
    assert committed == builder.render(), "run: make fixture"


def test_readme_writes_every_choice_down(builder):
    readme = (ROOT / "fixtures" / "README.md").read_text(encoding="utf-8")
    assert builder.readme_table() in readme, (
        "fixtures/README.md: paste python fixtures/source/build_lke_fixture.py --readme"
    )
    assert "master_soal_lkezi_2026.json" in readme
    assert "generated_at" in readme and "2026-06-09" in readme


def test_every_step_serves_one_to_three_questions_of_its_own_area(banyumas, lke_master):
    steps = list(LangkahAksi.objects.of_plan(banyumas).select_related("indikator__komponen__area"))
    assert len(steps) == 52
    links = list(
        TautanSoal.objects.filter(langkah__in=steps).select_related(
            "soal__node", "langkah__indikator__komponen__area"
        )
    )
    per_step: dict[int, list[int]] = {}
    for link in links:
        assert link.soal.master_id == lke_master.pk
        assert link.soal.node.bagian in (Bagian.PEMENUHAN, Bagian.REFORM), link
        area = link.langkah.indikator.komponen.area.nomor
        assert link.soal.node.area == area, (link, link.soal.node.area, area)
        per_step.setdefault(link.langkah_id, []).append(link.soal.soal_id)
    assert set(per_step) == {s.pk for s in steps}
    assert all(1 <= len(ids) <= 3 for ids in per_step.values())
    assert len(links) == 84


def test_the_links_read_as_the_source(banyumas, lke_master, builder):
    expected = {(*key, sid) for key, ids, _why in builder.src.TAUTAN for sid in ids}
    loaded = set(
        TautanSoal.objects.filter(langkah__indikator__komponen__area__rencana=banyumas).values_list(
            "langkah__indikator__komponen__area__nomor",
            "langkah__indikator__komponen__nomor",
            "langkah__indikator__urutan",
            "soal__soal_id",
        )
    )
    assert loaded == expected
    # A few choices a coordinator would check first.
    assert {(1, 1, 1, 1), (1, 4, 2, 10), (4, 2, 4, 47), (6, 3, 1, 82)} <= loaded


def test_loading_again_changes_nothing(banyumas, lke_master):
    before = sorted(TautanSoal.objects.values_list("pk", "langkah_id", "soal_id"))
    call_command("loaddata", "banyumas_2024_lke", stdout=StringIO())
    assert sorted(TautanSoal.objects.values_list("pk", "langkah_id", "soal_id")) == before


def test_builder_refuses_a_question_of_another_area(builder, monkeypatch):
    bad = [((1, 1, 1), (13,), "SOP"), *builder.src.TAUTAN[1:]]
    monkeypatch.setattr(builder.src, "TAUTAN", bad)
    with pytest.raises(SystemExit, match="soal 13 di area 2, langkah di 1"):
        builder.build()
