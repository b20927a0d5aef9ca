from django.urls import reverse


def test_pages_answer(setup_world):
    w = setup_world
    c = w.client_for("admin")
    for url in [
        reverse("pengaturan"),
        reverse("pengaturan-unit", args=[w.unit.slug]),
        reverse("pengaturan-rencana", args=[w.rencana.pk]),
        reverse("pengaturan-keputusan", args=[w.rencana.pk]),
        reverse("pengaturan-langkah", args=[w.rencana.pk, w.langkah.pk]),
        reverse("pengaturan-langkah-baru", args=[w.rencana.pk, w.langkah.indikator_id]),
        reverse("pengaturan-tim", args=[w.unit.slug]),
        reverse("pengaturan-orang", args=[w.unit.slug]),
        reverse("pengaturan-orang-baru", args=[w.unit.slug]),
        reverse("pengaturan-orang-ubah", args=[w.unit.slug, w.users["anggota"].pk]),
        reverse("pengaturan-impor", args=[w.unit.slug]),
        reverse("pengaturan-unit-bawah", args=[w.unit.slug]),
        reverse("password_reset"),
        reverse("login"),
    ]:
        r = c.get(url)
        assert r.status_code in (200, 302), (url, r.status_code)
