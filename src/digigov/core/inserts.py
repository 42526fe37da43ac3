"""New rows with INSERT statements built once per model and row count.

On the busiest write paths (an online submission stores a dossier, its files,
an audit event and a notification) the ORM's compilation of each INSERT cost
more CPU than the database spent running it. ``insert`` does what
``Model.save(force_insert=True)`` and ``bulk_create`` do for new rows of a
plain model: it syncs foreign keys with objects saved since, runs each field's
``pre_save`` (``auto_now_add``, files), prepares the values for the database,
sends ``pre_save`` and ``post_save``, and reads the generated primary keys
back. Only the SQL text is kept between calls.
"""

from __future__ import annotations

import functools

from django.db import connections, router
from django.db.models import Model, signals


def insert(*objs: Model) -> list[Model]:
    """Insert new instances of one model in one statement; return them, saved."""
    if not objs:
        return []
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert() takes instances of one model at a time")
    using = router.db_for_write(model, instance=objs[0])
    connection = connections[using]
    fields, sql = _statement(model, connection.alias, len(objs))
    params = []
    for obj in objs:
        if not obj._state.adding:
            raise ValueError(f"{obj!r} is already stored")
        obj._prepare_related_fields_for_save(operation_name="insert")
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=using,
                              update_fields=None)
        params.extend(field.get_db_prep_save(field.pre_save(obj, True), connection=connection)
                      for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    pk_attname = model._meta.pk.attname
    for obj, (key,) in zip(objs, keys, strict=True):
        setattr(obj, pk_attname, key)
        obj._state.adding, obj._state.db = False, using
        signals.post_save.send(sender=model, instance=obj, created=True, update_fields=None,
                               raw=False, using=using)
    return list(objs)


@functools.lru_cache(maxsize=256)
def _statement(model: type[Model], alias: str, rows: int) -> tuple[list, str]:
    """The fields written and ``INSERT ... VALUES (...), ... RETURNING pk`` for ``rows`` rows."""
    meta = model._meta
    if meta.parents or meta.auto_field is None:
        raise TypeError(f"insert() handles models with an automatic key and no parents, "
                        f"not {meta.label}")
    fields = [f for f in meta.local_concrete_fields
              if f is not meta.auto_field and not f.generated]
    if any(hasattr(f, "get_placeholder") for f in fields):
        raise TypeError(f"{meta.label} has a field with its own SQL placeholder")
    quote = connections[alias].ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 - the model's names
           f"VALUES {', '.join([row] * rows)} RETURNING {quote(meta.pk.column)}")
    return fields, sql
