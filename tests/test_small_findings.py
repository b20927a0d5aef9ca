"""Smaller findings of the hostile-input review (issue 17): the admin's login, the audit
list's dates, the evidence folder's mode, look-alike and disguised links."""

from __future__ import annotations

import os
import stat

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from evidence.links import check_link, display_link
from evidence.models import Bukti


def test_admin_login_with_a_300_character_username_is_a_form_error(db):
    response = Client().post(reverse("admin:login"), {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    errors = response.context["form"].errors["username"]
    assert "Nama pengguna paling banyak 150 karakter." in errors


@pytest.mark.parametrize(
    "query",
    ["waktu__year=99999999999", "waktu__year=2026&waktu__month=99999999999",
     "waktu__year=2026&waktu__month=2&waktu__day=-1", "waktu__year=abc"],
)  # fmt: skip
def test_audit_list_with_an_absurd_date_is_a_bad_request(superuser_client, query):
    response = superuser_client.get(
        f"{reverse('admin:actionplan_catatanaudit_changelist')}?{query}"
    )
    assert response.status_code == 400


def test_audit_lists_with_sane_or_ignored_years_still_work(superuser_client):
    changelist = reverse("admin:actionplan_catatanaudit_changelist")
    assert superuser_client.get(f"{changelist}?waktu__year=2026&waktu__month=6").status_code == 200
    assert superuser_client.get(f"{reverse('audit')}?tahun=99999999999").status_code == 200


def test_evidence_folders_are_created_0750_whatever_the_umask(world, _media_root):
    old = os.umask(0o002)
    try:
        world.submit()
    finally:
        os.umask(old)
    root = _media_root / "bukti"
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    assert len(folders) == 2
    for folder in folders:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o750, folder


@pytest.mark.parametrize(
    "char", ["\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\x07"]
)
def test_links_with_hidden_characters_are_refused_at_submit(world, char):
    link = f"https://contoh.go.id/{char}fdp.exe"
    with pytest.raises(ValidationError, match="karakter tersembunyi"):
        check_link(link)
    with pytest.raises(ValidationError, match="karakter tersembunyi"):
        world.submit(files=[], tautan=link)
    response = world.client_for("anggota").post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {"bulan": world.today.month, "tautan": link, "catatan": ""},
    )
    assert response.status_code == 200
    assert "karakter tersembunyi" in response.content.decode()
    assert Bukti.objects.count() == 0


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("https://kpu.gо.id/berita", "https://kpu.xn--g-1tb.id/berita"),  # Cyrillic о
        ("https://аpple.com:8443/a?b=1", "https://xn--pple-43d.com:8443/a?b=1"),
        ("https://jdih.kpu.go.id/x", "https://jdih.kpu.go.id/x"),
        ("https://user@bаnk.id/", "https://user@xn--bnk-6cd.id/"),
    ],
)
def test_look_alike_hosts_are_shown_in_punycode(link, shown):
    assert display_link(link) == shown


def test_the_step_page_shows_and_links_the_punycode_form(world):
    look_alike = "https://kpu.gо.id/berita"
    world.submit(files=[], tautan=look_alike)
    html = world.client_for("anggota").get(reverse("langkah-detail", args=[world.langkah.pk]))
    text = html.content.decode()
    assert 'href="https://kpu.xn--g-1tb.id/berita"' in text
    assert "gо.id" not in text
