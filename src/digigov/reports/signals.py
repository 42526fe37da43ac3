"""Keep the index rollup exact when an agency moves or a procedure changes sector.

Changes to dossiers and to the rows the index reads about them are marked by
database triggers (``reports.dirty_triggers``). What is left here are the
changes that move many dossiers at once between cells: an agency given a new
parent, a procedure given a new sector. The handlers run inside the
transaction of the change, so a committed change always leaves its dossiers
marked; ``rollup.refresh`` folds the marks in before any fast computation.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_save, pre_save

from digigov.catalog.models import Procedure
from digigov.dossiers.models import Dossier
from digigov.orgs.models import Agency

from .models import DirtyDossier


def mark_where(column: str, values) -> None:
    """Mark every dossier whose ``column`` is among ``values`` (one INSERT ... SELECT)."""
    values = list(values)
    if not values:
        return
    dirty = DirtyDossier._meta.db_table
    dossiers = Dossier._meta.db_table
    marks = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{dirty}" ("dossier_id") SELECT "id" FROM "{dossiers}" '  # noqa: S608
            f'WHERE "{column}" IN ({marks}) ON CONFLICT DO NOTHING', values)


def _remember_old(sender, instance, **kwargs):
    if instance.pk is None:
        instance._report_old = None
        return
    field = "parent_id" if sender is Agency else "sector_id"
    instance._report_old = sender.objects.filter(pk=instance.pk).values_list(
        field, flat=True).first()


def _agency_saved(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_report_old", instance.parent_id) != instance.parent_id:
        from .scopes import agency_tree

        mark_where("agency_id", agency_tree(instance.pk))


def _procedure_saved(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_report_old", instance.sector_id) != instance.sector_id:
        mark_where("procedure_id", [instance.pk])


def connect() -> None:
    uid = "reports-rollup"
    for model, handler in ((Agency, _agency_saved), (Procedure, _procedure_saved)):
        name = model._meta.label_lower
        pre_save.connect(_remember_old, sender=model, dispatch_uid=f"{uid}-{name}-pre")
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-{name}-post")
