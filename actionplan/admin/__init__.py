"""The coordinator's workbench (the Django admin, superusers only): the plan top to
bottom, in plain Bahasa Indonesia. One module per concern; importing them registers
their pages. The Excel import of steps is added by actionplan.documents.admin."""

from actionplan.admin import audit, plan, units, users

__all__ = ["audit", "plan", "units", "users"]
