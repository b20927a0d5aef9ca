"""Template filters for evidence versions."""

from django import template

from evidence.enums import StatusBukti

register = template.Library()

STATUS_CLASS: dict[str, str] = {
    StatusBukti.DIAJUKAN: "text-bg-warning",
    StatusBukti.DISETUJUI: "text-bg-success",
    StatusBukti.DIKEMBALIKAN: "text-bg-danger",
    StatusBukti.DITARIK: "text-bg-secondary",
    StatusBukti.DIGANTIKAN: "text-bg-light border",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "text-bg-secondary")
