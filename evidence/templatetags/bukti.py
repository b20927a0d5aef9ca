"""Template filters for evidence versions."""

import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from evidence.enums import StatusBukti
from evidence.links import display_link

register = template.Library()

STATUS_CLASS: dict[str, str] = {
    StatusBukti.DIAJUKAN: "text-bg-warning",
    StatusBukti.DISETUJUI: "text-bg-success",
    StatusBukti.DIKEMBALIKAN: "text-bg-danger",
    StatusBukti.DITARIK: "text-bg-secondary",
    StatusBukti.DIGANTIKAN: "text-bg-light border",
}


@register.filter
def tautan_tampil(url: str | None) -> str:
    """An outside link as it really goes (punycode host, no hidden characters)."""
    return display_link(url or "")


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "text-bg-secondary")


@register.filter
def lama_menunggu(since: datetime.datetime | None) -> str:
    """How long a submission has waited for review: "menunggu 9 hari", "menunggu 3 jam"."""
    if since is None:
        return ""
    seconds = max(0, (timezone.now() - since).total_seconds())
    if seconds >= 86400:
        return f"menunggu {int(seconds // 86400)} hari"
    if seconds >= 3600:
        return f"menunggu {int(seconds // 3600)} jam"
    return "menunggu kurang dari 1 jam"


# In the review form's fields as the step page renders them once (evidence.views): where
# each waiting version's form puts its own id, so the ids on the page stay unique.
BUKTI_PK = "zi-bukti-pk"


@register.filter
def untuk_bukti(fields: SafeString, pk: int) -> SafeString:
    """The review form's fields rendered once, with their ids made this version's."""
    return mark_safe(fields.replace(BUKTI_PK, str(int(pk))))  # ids of our own markup
