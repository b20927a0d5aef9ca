"""The verdict and what is left to gain, the roll-up of units below, the thresholds,
and the links from steps to questions. (Being written: see issue 13.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404("Belum tersedia.")


skor = rekap = ambang = tautan_langkah = _todo
