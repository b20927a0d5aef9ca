"""Template filters for slot states (actionplan.progress.states)."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actionplan.progress.states import State

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


@register.filter
def state_label(state: str) -> str:
    return State(state).label if state in State.values else state


@register.filter
def state_mark(state: str | None) -> str:
    return STATE_MARKS.get(state or "", "")


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
