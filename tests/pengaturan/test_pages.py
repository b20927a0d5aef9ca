"""The set-up pages: what they show, what their forms do, and their query counts."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from actionplan.models import LangkahAksi, RencanaAksi
from tests.factories import LangkahAksiFactory, UserFactory


def test_editor_is_shaped_like_the_lampiran(setup_world):
    w = setup_world
    html = (
        w.client_for("admin")
        .get(reverse("pengaturan-rencana", args=[w.rencana.pk]))
        .content.decode()
    )
    assert w.langkah.teks in html and w.langkah.indikator.teks in html
    assert reverse("pengaturan-langkah", args=[w.rencana.pk, w.langkah.pk]) in html
    assert "Tetapkan rencana aksi" in html


def _add_steps(world, n):
    for i in range(n):
        LangkahAksiFactory(
            indikator=world.langkah.indikator,
            urutan=10 + i,
            tim=world.tim_a,
            bulan=[1, 2],
            bukti=["A"],
        )


def test_editor_queries_do_not_grow_with_the_plan(setup_world, django_assert_num_queries):
    w = setup_world
    client = w.client_for("admin")
    url = reverse("pengaturan-rencana", args=[w.rencana.pk])
    client.get(url)
    # session, user, access rows, plan, areas, komponen, indikator, steps with team,
    # months, bukti fisik
    with django_assert_num_queries(10):
        client.get(url)
    _add_steps(w, 3)
    with django_assert_num_queries(10):
        client.get(url)


def test_people_list_queries_do_not_grow(setup_world, django_assert_num_queries):
    w = setup_world
    client = w.client_for("admin")
    url = reverse("pengaturan-orang", args=[w.unit.slug])
    client.get(url)
    # session, user, access rows, unit, accounts (with NIP and WhatsApp), their roles
    # here, their teams here
    with django_assert_num_queries(7):
        client.get(url)
    for n in range(3):
        w.tim_a.anggota.add(UserFactory(username=f"tambahan{n}"))
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("tambahan") == 3


def test_step_form_saves_and_shows_messages(setup_world):
    w = setup_world
    client = w.client_for("admin")
    url = reverse("pengaturan-langkah", args=[w.rencana.pk, w.langkah_b.pk])
    response = client.post(
        url, {"teks": "Baru", "bukti": "Satu\nDua", "bulan": ["2", "4"], "tim": w.tim_a.pk}
    )
    assert response.status_code == 302
    w.langkah_b.refresh_from_db()
    assert (w.langkah_b.teks, w.langkah_b.bulan, w.langkah_b.tim) == ("Baru", [2, 4], w.tim_a)
    # A team of another unit is not even offered.
    response = client.post(url, {"teks": "Lagi", "bulan": ["2"], "tim": w.tim_lain.pk})
    assert response.status_code == 200
    assert (
        "Pilih tim penanggung jawab dari satuan kerja pemilik rencana aksi."
        in response.content.decode()
    )


def test_new_step_goes_at_the_end(setup_world):
    w = setup_world
    client = w.client_for("admin")
    url = reverse("pengaturan-langkah-baru", args=[w.rencana.pk, w.langkah.indikator_id])
    client.post(url, {"teks": "Langkah kedua", "bulan": ["7"], "tim": w.tim_b.pk})
    assert list(
        LangkahAksi.objects.filter(indikator=w.langkah.indikator).values_list("urutan", "teks")
    ) == [
        (1, w.langkah.teks),
        (2, "Langkah kedua"),
    ]


def test_remove_refused_shows_the_reason(setup_world):
    w = setup_world
    w.submit()
    client = w.client_for("admin")
    response = client.post(
        reverse("pengaturan-baris-aksi", args=[w.rencana.pk, "langkah", w.langkah.pk, "hapus"]),
        follow=True,
    )
    assert "sudah memiliki bukti yang diunggah" in response.content.decode()


def test_plan_made_from_the_template_by_the_page(setup_world):
    w = setup_world
    w.langkah_lain.delete()
    client = w.client_for("admin")
    response = client.post(
        reverse("pengaturan-rencana-buat", args=[w.unit.slug]),
        {"tahun": w.today.year + 1, "sumber": "induk"},
    )
    plan = RencanaAksi.objects.get(satuan_kerja=w.unit, tahun=w.today.year + 1)
    assert response["Location"] == reverse("pengaturan-rencana", args=[plan.pk])


def test_account_created_and_password_set_from_the_email(setup_world):
    from django.test import Client

    w = setup_world
    client = w.client_for("admin")
    response = client.post(
        reverse("pengaturan-orang-baru", args=[w.unit.slug]),
        {"nama": "Dewi Lestari", "email": "dewi@example.org", "tim": [w.tim_b.pk]},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/sandi/atur/\S+)", message.body)[1]
    anon = Client()
    response = anon.get(link, follow=True)
    assert "Atur kata sandi" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = anon.post(
        form_url, {"new_password1": "Kuat-sekali-2026", "new_password2": "Kuat-sekali-2026"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    response = anon.post(
        reverse("login"), {"username": "dewi@example.org", "password": "Kuat-sekali-2026"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_forgotten_password_on_the_login_page(setup_world):
    from django.test import Client

    w = setup_world
    anon = Client()
    assert "Lupa kata sandi?" in anon.get(reverse("login")).content.decode()
    w.users["anggota"].email = "anggota@example.org"
    w.users["anggota"].set_unusable_password()
    w.users["anggota"].save()
    response = anon.post(reverse("password_reset"), {"email": "anggota@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.subject == "Atur ulang kata sandi ZI Tracker"
    assert "/sandi/atur/" in message.body


def test_import_page_preview_then_confirm(setup_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = setup_world
    client = w.client_for("admin")
    rows = "\n".join(f"Orang {n},orang{n}@example.org,TIM A," for n in range(10))
    sheet = SimpleUploadedFile("akun.csv", f"nama,email,tim,peran\n{rows}\n".encode(), "text/csv")
    response = client.post(reverse("pengaturan-impor", args=[w.unit.slug]), {"berkas": sheet})
    preview = response["Location"]
    html = client.get(preview).content.decode()
    assert "10 akun siap dibuat" in html
    response = client.post(preview)
    assert response["Location"] == reverse("pengaturan-orang", args=[w.unit.slug])
    assert w.tim_a.anggota.count() == 11 and len(mail.outbox) == 10


def test_navigation_offers_the_set_up_to_admins(setup_world):
    w = setup_world
    link = f'href="{reverse("pengaturan")}"'
    assert link in w.client_for("admin").get(reverse("rencana-list")).content.decode()
    assert link not in w.client_for("pimpinan").get(reverse("rencana-list")).content.decode()
