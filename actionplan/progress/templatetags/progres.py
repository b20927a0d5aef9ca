"""Template filters for slot states (actionplan.progress.states)."""

import re

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


@register.simple_tag
def grid_rows(grid: list[dict]) -> SafeString:
    """The dashboard matrix's body: per step (``GridStep``) its area's heading row where
    an area begins, its number, text, team and twelve cells. Built in Python: as a
    template loop this was half the CPU of a dashboard recomputed after a change
    (150 steps × 15 cells at a typical unit)."""
    html = []
    for row in grid:
        step = row["step"]
        if step.area:
            html.append(format_html(AREA_ROW, *step.area))
        href = path_of("langkah-detail", step.pk)
        html.append(
            format_html(
                ROW,
                step.komponen,
                href,
                Truncator(step.teks).chars(110),
                step.tim.replace("TIM ", ""),
                grid_cells(row["cells"], href, step.pk),
            )
        )
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


@register.simple_tag
def rekap_rows(rows: list, bulan: int) -> SafeString:
    """The roll-up table's body: per unit (``rollup.UnitProgress``) its name linking to
    its dashboard, its parent, its numbers and the share approved. Built in Python: as
    a template loop this was most of a national roll-up page (500 units)."""
    html = []
    for row in rows:
        unit, c = row.rencana.satuan_kerja, row.counts
        pct = c.approved_pct
        html.append(
            format_html(
                REKAP_ROW,
                path_of("dasbor", row.rencana.pk),
                bulan,
                unit.nama,
                unit.induk.nama if unit.induk_id else "-",
                c.due,
                c.submitted,
                c.approved,
                c.missing,
                c.waiting,
                pct or 0,
                f"{localize(pct)}%" if pct is not None else "–",
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
