"""Template filters of the plan: months, numerals, sizes, the decree's lettering; the
menu's fixed addresses."""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from actionplan.enums import BULAN_SINGKAT
from actionplan.enums import nama_bulan as _nama_bulan

register = template.Library()


# Django's reverse() costs some 80 µs a call: every page's menu has sixteen addresses
# and a list has one or more per row (12 ms for a dashboard's 150 steps). These reverse
# each address once per process, per script prefix and URLconf; an address with an id
# is reversed with a placeholder id, which each row replaces with its own.
_PLACEHOLDER = 987654321


@register.simple_tag
def url_tetap(name: str) -> str:
    """``{% url name %}`` for an address without arguments."""
    return _reversed(name, False, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@register.simple_tag
def url_id(name: str, pk: int) -> str:
    """``{% url name pk %}`` for an address whose one argument is an id."""
    return path_of(name, pk)


def path_of(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])``, for the rows of a list built in Python."""
    pattern = _reversed(name, True, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return pattern.replace(str(_PLACEHOLDER), str(int(pk)))


@functools.lru_cache(maxsize=256)
def _reversed(name: str, with_id: bool, prefix: str, urlconf: str) -> str:
    return reverse(name, args=[_PLACEHOLDER] if with_id else None, urlconf=urlconf)


@register.filter
def nama_bulan(bulan: int) -> str:
    return _nama_bulan(int(bulan))


@register.filter
def bulan_singkat(bulan: int) -> str:
    """1 -> Jan, 8 -> Agu."""
    return BULAN_SINGKAT[int(bulan) - 1]


@register.filter
def ukuran(size: int) -> str:
    """Human file size in Indonesian notation (comma as decimal separator)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


@register.inclusion_tag("actionplan/_strip.html")
def month_strip(bulan: list[int]) -> dict:
    return {"bulan": bulan, "bulan_range": range(1, 13)}


@register.filter
def romawi(nomor: int) -> str:
    from actionplan.enums import romawi as _romawi

    return _romawi(int(nomor))


@register.filter
def huruf(n: int) -> str:
    """1 -> a, 2 -> b, …, 27 -> aa: the letters of the decree's Menimbang items."""
    n, letters = int(n), ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return letters


@register.filter
def miring(text: str) -> SafeString:
    """Escape, then print *kata* in italics (the decree's italics marker)."""
    import re

    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(re.sub(r"\*([^*\n]+)\*", r"<i>\1</i>", escape(text)))


@register.filter
def lama(value: object) -> str:
    """A duration in words: ``timedelta(minutes=15)`` -> "15 menit", 2 h -> "2 jam"."""
    import datetime

    if not isinstance(value, datetime.timedelta):
        return ""
    minutes = round(value.total_seconds() / 60)
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes // 60} jam"
    return f"{minutes} menit"
