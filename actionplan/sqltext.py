"""Names for the few statements written in SQL by hand (each says why where it is
written): a model's table and a field's column, quoted for the database in use and
taken from the models, so a renamed table or ``db_column`` reaches them too."""

from __future__ import annotations

from django.db import connection, models


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str = "pk") -> str:
    """The quoted column of ``name`` (a field, or "pk" for the primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column  # a concrete column
    return connection.ops.quote_name(field.column)
