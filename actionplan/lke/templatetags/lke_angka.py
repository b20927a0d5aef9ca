"""Numbers of the LKE the Indonesian way (a decimal comma), from exact fractions."""

from __future__ import annotations

from fractions import Fraction

from django import template

from actionplan.lke.gaps import angka as _angka

register = template.Library()


@register.filter
def angka(nilai: Fraction | float | int | None, desimal: int = 2) -> str:
    """``{{ skor.total|angka }}`` -> '78,35'; ``{{ x|angka:1 }}`` -> '78,4'."""
    return _angka(nilai, int(desimal))
