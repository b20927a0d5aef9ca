"""The assessment's pages: overview, one question (both sides), states, surveys,
settings, history. (Being written: see issue 13.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404("Belum tersedia.")


beranda = penilaian = soal = status = survei = pengaturan = riwayat = _todo
