"""Template filters for slot states (actionplan.progress.states)."""

from django import template

from actionplan.progress.states import State

register = template.Library()

# The printed mark of each state, readable without colour.
STATE_MARKS: dict[str, str] = {
    State.APPROVED: "✓",
    State.SUBMITTED: "•",
    State.RETURNED: "↺",
    State.OVERDUE: "!",
    State.NOT_DUE: "○",
}


@register.filter
def state_label(state: str) -> str:
    return State(state).label if state in State.values else state


@register.filter
def state_mark(state: str | None) -> str:
    return STATE_MARKS.get(state or "", "")
