"""Template filters for slot states (actionplan.progress.states)."""

import re
from functools import lru_cache

from django import template
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from actionplan.enums import nama_bulan
from actionplan.progress.states import State
from actionplan.templatetags.zi import path_of

register = template.Library()

# The printed mark of each state, readable without colour.
STATE_MARKS: dict[str, str] = {
    State.APPROVED: "✓",
    State.SUBMITTED: "•",
    State.RETURNED: "↺",
    State.OVERDUE: "!",
    State.DUE_NOW: "◐",
    State.NOT_DUE: "○",
}


STATE_LABELS: dict[str, str] = dict(State.choices)


@register.filter
def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


@register.filter
def state_mark(state: str | None) -> str:
    return STATE_MARKS.get(state or "", "")


CELL = (
    '<td class="zi-cell zi-cell--{}" data-bulan="{}" data-langkah="{}">'
    '<a href="{}#bulan-{}" title="{}"><span class="visually-hidden">{}</span></a></td>'
)


@register.simple_tag
def grid_cells(cells: list[tuple[int, str | None]], href: str, langkah_id: int) -> SafeString:
    """A dashboard grid row's twelve month cells: each scheduled month a link to the
    step's month, coloured by its state and named for screen readers. Built here rather
    than in a template loop: the grid has twelve cells for every step of the plan."""
    html = []
    for bulan, state in cells:
        if not state:
            html.append('<td class="zi-cell--none"></td>')
            continue
        label = f"{nama_bulan(bulan)}: {state_label(state)}"
        html.append(format_html(CELL, state, bulan, langkah_id, href, bulan, label, label))
    # Every piece is a fixed string or came out of format_html (escaped).
    return mark_safe("".join(html))


ROW = (
    '<tr><td class="text-nowrap">{}</td><td><a href="{}">{}</a></td>'
    '<td class="zi-hide-sm small">{}</td>{}</tr>'
)
AREA_ROW = '<tr class="zi-area"><td>{}</td><td colspan="14">{}</td></tr>'


# The rows below are memoized per process on everything they show (their arguments are
# the whole of their content, so an entry is never stale, only unused): after a change,
# a dashboard or roll-up is recomputed with most of its rows as they were, and building
# those again was most of the page's CPU. Bounded: a row is ~1-2 KB, a worker keeps at
# most ROWS_REMEMBERED of each kind.
ROWS_REMEMBERED = 4096


@lru_cache(maxsize=ROWS_REMEMBERED)
def _grid_row(
    area: tuple[str, str] | None,
    komponen: int,
    href: str,
    teks: str,
    tim: str,
    cells: tuple[tuple[int, str | None], ...],
    langkah_id: int,
) -> str:
    row = format_html(
        ROW,
        komponen,
        href,
        Truncator(teks).chars(110),
        tim.replace("TIM ", ""),
        grid_cells(list(cells), href, langkah_id),
    )
    return format_html(AREA_ROW, *area) + row if area else row


@register.simple_tag
def grid_rows(grid: list[dict]) -> SafeString:
    """The dashboard matrix's body: per step (``GridStep``) its area's heading row where
    an area begins, its number, text, team and twelve cells. Built in Python: as a
    template loop this was half the CPU of a dashboard recomputed after a change
    (150 steps × 15 cells at a typical unit)."""
    html = []
    for row in grid:
        step = row["step"]
        area = tuple(step.area) if step.area else None
        href = path_of("langkah-detail", step.pk)
        cells = tuple(tuple(cell) for cell in row["cells"])
        html.append(_grid_row(area, step.komponen, href, step.teks, step.tim, cells, step.pk))
    # Every piece came out of format_html (escaped) or grid_cells (likewise).
    return mark_safe("".join(html))


REKAP_ROW = (
    '<tr><td class="zi-stack__head"><a href="{}?bulan={}">{}</a></td>'
    '<td class="zi-hide-sm text-secondary">{}</td>'
    '<td class="text-end" data-label="Jatuh tempo">{}</td>'
    '<td class="text-end" data-label="Dikirim">{}</td>'
    '<td class="text-end" data-label="Disetujui">{}</td>'
    '<td class="text-end" data-label="Belum dikirim">{}</td>'
    '<td class="text-end" data-label="Menunggu review">{}</td>'
    '<td data-label="% disetujui"><progress class="zi-bar" max="100" value="{}" '
    'aria-label="Persen disetujui"></progress><span class="text-secondary">{}</span></td></tr>'
)


@lru_cache(maxsize=ROWS_REMEMBERED)
def _rekap_row(
    href: str, bulan: int, nama: str, induk: str, numbers: tuple[int, ...], pct: float | None
) -> str:
    shown = f"{localize(pct)}%" if pct is not None else "–"
    return format_html(REKAP_ROW, href, bulan, nama, induk, *numbers, pct or 0, shown)


@register.simple_tag
def rekap_rows(rows: list, bulan: int) -> SafeString:
    """The roll-up table's body: per unit (``rollup.UnitProgress``) its name linking to
    its dashboard, its parent, its numbers and the share approved. Built in Python: as
    a template loop this was most of a national roll-up page (500 units)."""
    html = []
    for row in rows:
        c = row.counts
        html.append(
            _rekap_row(
                path_of("dasbor", row.rencana_id),
                bulan,
                row.unit,
                row.induk or "-",
                (c.due, c.submitted, c.approved, c.missing, c.waiting),
                c.approved_pct,
            )
        )
    # Every row came out of format_html (escaped).
    return mark_safe("".join(html))


@register.filter
def sorot(text: str, query: str) -> SafeString:
    """``text`` escaped, with every case-insensitive occurrence of ``query`` wrapped in
    <mark>: the text is split at the matches and each piece escaped before any markup is
    added, so nothing the user typed (or the plan holds) is ever read as HTML."""
    text = str(text)
    if not query:
        return escape(text)
    pieces = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    # re.split with one group: even items are the text between matches, odd ones matches.
    return mark_safe(  # every piece is escaped
        "".join(
            f"<mark>{escape(piece)}</mark>" if i % 2 else escape(piece)
            for i, piece in enumerate(pieces)
            if piece
        )
    )
