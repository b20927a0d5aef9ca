"""Production settings and bad input beyond the upload form: deploy checks, headers,
CSP-clean markup, login throttling, session expiry, CSRF, oversized and malformed
requests, very long texts. Every refusal is in Indonesian and changes nothing."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from evidence.models import BerkasBukti, Bukti, PeristiwaBukti
from tests import files

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "zi.kpu-contoh.go.id",
    "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
}


def _production(code: str, static_root=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(PRODUCTION_ENV)
    env["STATIC_ROOT"] = str(static_root or settings.STATIC_ROOT)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production():
    result = _production(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='DEBUG')"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.slow  # a production process, with the static files collected for production
@pytest.mark.xdist_group("production")
def test_production_headers_cookies_and_redirects(production_static):
    code = """
import json, django
django.setup()
from django.test import Client
c = Client(HTTP_HOST="zi.kpu-contoh.go.id")
plain = c.get("/masuk/")
health = c.get("/sehat/")
secure = c.get("/masuk/", secure=True)
cookie = secure.cookies["csrftoken"]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "hsts": secure.get("Strict-Transport-Security"),
    "csp": secure.get("Content-Security-Policy"),
    "nosniff": secure.get("X-Content-Type-Options"),
    "frame": secure.get("X-Frame-Options"),
    "cookie_secure": bool(cookie["secure"]),
    "session_age": django.conf.settings.SESSION_COOKIE_AGE,
}))
"""
    result = _production(code, static_root=production_static)
    assert result.returncode == 0, result.stderr
    # WhiteNoise serves the collected files under hashed names.
    assert list((production_static / "zi").glob("zi.*.css"))
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["plain"] == [301, "https://zi.kpu-contoh.go.id/masuk/"]
    assert out["health"] == 200  # load balancers probe over plain HTTP
    assert out["hsts"].startswith("max-age=31536000")
    assert "script-src 'self'" in out["csp"] and "unsafe-inline" not in out["csp"]
    assert out["nosniff"] == "nosniff" and out["frame"] == "DENY"
    assert out["cookie_secure"] is True
    assert out["session_age"] == 8 * 3600


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.S), "inline script"),
    (re.compile(r"<style"), "style element"),
    (re.compile(r"\sstyle=\""), "style attribute"),
    (re.compile(r"\son[a-z]+=\""), "event handler attribute"),
]


def test_pages_need_nothing_the_csp_forbids(world, superuser_client):
    world.submit()
    pages = {
        "pimpinan": [
            reverse("rencana-list"),
            reverse("rencana-detail", args=[world.rencana.pk]),
            reverse("dasbor", args=[world.rencana.pk]),
            reverse("daftar-slot", args=[world.rencana.pk]),
            reverse("langkah-detail", args=[world.langkah.pk]),
            reverse("audit"),
        ],
        "reviewer": [reverse("antrean")],
        "anggota": [reverse("tugas-saya"), reverse("bukti-unggah", args=[world.langkah.pk])],
    }
    admin_pages = [
        "/admin/",
        "/admin/actionplan/rencanaaksi/",
        f"/admin/actionplan/rencanaaksi/{world.rencana.pk}/change/",
        "/admin/actionplan/langkahaksi/",
        f"/admin/actionplan/langkahaksi/{world.langkah.pk}/change/",
        "/admin/actionplan/langkahaksi/import/",
        "/admin/auth/user/add/",
    ]
    checked = []
    for client, urls in [(world.client_for(k), u) for k, u in pages.items()] + [
        (superuser_client, admin_pages),
        (Client(), [reverse("login")]),
    ]:
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for pattern, what in INLINE:
                assert not pattern.search(html), f"{what} on {url}"
            assert "Content-Security-Policy" in response
            checked.append(url)
    assert len(checked) == 17


def _login(client: Client, password: str):
    return client.post(reverse("login"), {"username": "anggota", "password": password})


def test_password_guessing_is_locked_out(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "salah-tebak")
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert _login(client, "salah-tebak").status_code == 429  # the fifth failure locks
    # Now even the right password is refused, with a clear message, and no session made.
    locked = _login(client, "sandi-uji-123")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    assert "Coba lagi 15 menit lagi." in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not affected.
    other = Client().post(reverse("login"), {"username": "pimpinan", "password": "sandi-uji-123"})
    assert other.status_code == 302


def test_a_successful_login_resets_the_failure_count(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "salah-tebak")
    assert _login(client, "sandi-uji-123").status_code == 302
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "salah-tebak")
    assert _login(client, "sandi-uji-123").status_code == 302


def test_sessions_end_after_a_working_day(world):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    response = _login(client, "sandi-uji-123")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    assert client.get(reverse("tugas-saya")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = client.get(reverse("tugas-saya"))
    assert expired.status_code == 302 and expired["Location"].startswith(reverse("login"))


def _counts():
    return (Bukti.objects.count(), BerkasBukti.objects.count(), PeristiwaBukti.objects.count())


def test_forged_or_foreign_csrf_tokens_are_refused(world):
    url = reverse("bukti-unggah", args=[world.langkah.pk])
    before = _counts()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["anggota"])
    client.get(url)  # sets this session's CSRF cookie
    forged = client.post(
        url, {"bulan": world.today.month, "csrfmiddlewaretoken": "x" * 64, "berkas": [files.pdf()]}
    )
    assert forged.status_code == 403
    assert "Formulir tidak dapat diproses" in forged.content.decode()
    # A real token of another browser's session does not match this one's cookie.
    other = Client(enforce_csrf_checks=True)
    other.force_login(world.users["anggota"])
    page = other.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    reused = client.post(
        url, {"bulan": world.today.month, "csrfmiddlewaretoken": token, "berkas": [files.pdf()]}
    )
    assert reused.status_code == 403
    assert _counts() == before


def test_oversized_form_body_is_refused_in_indonesian(world):
    client = world.client_for("anggota")
    before = _counts()
    response = client.post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {"bulan": world.today.month, "catatan": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()
    assert _counts() == before


def test_malformed_multipart_is_refused(world):
    client = world.client_for("anggota")
    before = _counts()
    response = client.generic(
        "POST",
        reverse("bukti-unggah", args=[world.langkah.pk]),
        b'--batas\r\nContent-Disposition: form-data; name="berkas"; filename="a.pdf"\r\n'
        b"%PDF-1.4 tanpa akhir",
        content_type="multipart/form-data; boundary=batas",
    )
    # Django reads what it can of the unterminated body (no file, no month): the form
    # is shown again with its error.
    assert response.status_code == 200
    assert _counts() == before
    assert response.context["form"].errors["bulan"] == ["Pilih bulan pelaporan."]


def test_very_long_texts_in_every_form_field(world):
    long = "panjang " * 1000  # 8,000 characters
    before = _counts()
    upload = world.client_for("anggota").post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {
            "bulan": world.today.month,
            "berkas": [files.pdf()],
            "tautan": "https://contoh.go.id/" + "a" * 5000,
            "catatan": long,
        },
    )
    assert upload.status_code == 200
    too_long = "Pastikan nilai ini mengandung paling banyak 2000 karakter (sekarang {} karakter)."
    assert upload.context["form"].errors == {
        "tautan": [
            "Tautan harus alamat web lengkap yang diawali http:// atau https://.",
            too_long.format(5021),
        ],
        "catatan": [too_long.format(len(long.strip()))],
    }
    assert too_long.format(len(long.strip())) in upload.content.decode()
    assert _counts() == before
    bukti = world.submit()
    before = _counts()
    review = world.client_for("reviewer").post(
        reverse("bukti-review", args=[bukti.pk]), {"keputusan": "dikembalikan", "catatan": long}
    )
    # Both actions go back to the step's month with the form's errors as messages.
    back = f"{reverse('langkah-detail', args=[world.langkah.pk])}#bulan-{world.today.month}"
    assert (review.status_code, review["Location"]) == (302, back)
    assert [str(m) for m in review.wsgi_request._messages] == [
        too_long.format(len(long.strip())),
        "Tuliskan catatan perbaikan saat mengembalikan bukti.",
    ]
    bukti.refresh_from_db()
    assert bukti.status == "diajukan" and _counts() == before
    withdraw = world.client_for("anggota").post(
        reverse("bukti-tarik", args=[bukti.pk]), {"catatan": long}
    )
    assert (withdraw.status_code, withdraw["Location"]) == (302, back)
    assert [str(m) for m in withdraw.wsgi_request._messages] == [
        "Bukti tidak ditarik: " + too_long.format(len(long.strip()))
    ]
    bukti.refresh_from_db()
    assert bukti.status == "diajukan" and _counts() == before
    # Long texts in the queue's filters (tim, area, bulan: what the page reads) are
    # refused as choices and the whole queue is shown.
    queue = world.client_for("reviewer").get(
        reverse("antrean"), {"tim": long, "area": long, "bulan": long}
    )
    assert queue.status_code == 200
    assert set(queue.context["form"].errors) == {"tim", "area", "bulan"}
    assert [item.pk for item in queue.context["items"]] == [bukti.pk]
    login = Client().post(reverse("login"), {"username": long, "password": long})
    assert login.status_code == 200
    assert "Nama pengguna paling banyak 150 karakter" in login.content.decode()
    assert "_auth_user_id" not in Client().session


def test_right_to_left_override_in_a_file_name_is_removed(world):
    name = "bukti\u202egpj.pdf"
    world.client_for("anggota").post(
        reverse("bukti-unggah", args=[world.langkah.pk]),
        {"bulan": world.today.month, "berkas": [files.pdf(name)]},
    )
    stored = BerkasBukti.objects.get()
    assert "\u202e" not in stored.nama_asli
    assert stored.nama_asli == "buktigpj.pdf"


def test_behind_nginx_the_lockout_is_per_client_address(world, settings):
    settings.ZI_TRUST_FORWARDED_FOR = True

    def attempt(address: str, password: str):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address).post(
            reverse("login"), {"username": "anggota", "password": password}
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("203.0.113.9", "salah-tebak")
    assert attempt("203.0.113.9", "sandi-uji-123").status_code == 429
    # The same account from another client behind the same nginx is not locked out, and a
    # guesser cannot dodge the lock by prepending addresses of its own.
    assert attempt("198.51.100.7", "sandi-uji-123").status_code == 302
    assert attempt("10.9.9.9, 203.0.113.9", "sandi-uji-123").status_code == 429
