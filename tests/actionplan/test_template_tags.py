"""The menu's fixed addresses: reversed once, the same as Django's {% url %}."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from tests.conftest import ROOT

MENU = re.findall(r"\{% url_tetap '([^']+)' %\}", (ROOT / "templates" / "base.html").read_text())


def test_the_menu_names_every_address_through_the_fixed_tag():
    assert len(MENU) >= 15
    assert "{% url '" not in (ROOT / "templates" / "base.html").read_text()


@pytest.mark.parametrize("name", sorted(set(MENU)))
def test_a_fixed_address_is_what_reverse_gives(name):
    rendered = Template("{% load zi %}{% url_tetap name %}").render(Context({"name": name}))
    assert rendered == reverse(name)


def test_a_fixed_address_follows_the_script_prefix():
    template = Template("{% load zi %}{% url_tetap 'antrean' %}")
    plain = template.render(Context())
    try:
        set_script_prefix("/zi/")
        prefixed = template.render(Context())
    finally:
        clear_script_prefix()
    assert prefixed == "/zi" + plain
    assert template.render(Context()) == plain


@pytest.mark.parametrize(
    "name", ["langkah-detail", "bukti-unggah", "berkas-unduh", "berkas-pratinjau", "dasbor"]
)
@pytest.mark.parametrize("pk", [1, 42, 987654321, 123456789012])
def test_an_address_with_an_id_is_what_reverse_gives(name, pk):
    rendered = Template("{% load zi %}{% url_id name pk %}").render(
        Context({"name": name, "pk": pk})
    )
    assert rendered == reverse(name, args=[pk])
