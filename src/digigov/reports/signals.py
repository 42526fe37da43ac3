"""Keep the index rollup exact: mark a dossier dirty whenever something it counts changes.

The handlers run inside the transaction of the change (a dossier service,
the admin, a merge of agencies), so a committed change always leaves its
dossier marked; ``rollup.refresh`` folds the marks in before any fast
computation. Bulk updates that bypass ``save()`` must call
``rollup.mark_dirty`` themselves, or be followed by ``digigov reports_rebuild``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_save

from digigov.catalog.models import Procedure
from digigov.dossiers.models import Dossier, DossierFile
from digigov.orgs.models import Agency
from digigov.payments.models import Payment
from digigov.signing.models import IssuedDocument
from digigov.store.models import PaperUse, StoredPaper

from .models import DirtyDossier


def mark(dossier_ids) -> None:
    from .rollup import mark_dirty

    mark_dirty(dossier_ids)


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


def _dossier_changed(sender, instance, **kwargs):
    mark([instance.pk])


def _related_changed(sender, instance, **kwargs):
    mark([instance.dossier_id])


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
    post_save.connect(_dossier_changed, sender=Dossier, dispatch_uid=f"{uid}-dossier-save")
    post_delete.connect(_dossier_changed, sender=Dossier, dispatch_uid=f"{uid}-dossier-delete")
    for model in (DossierFile, IssuedDocument, Payment, PaperUse, StoredPaper):
        name = model._meta.label_lower
        post_save.connect(_related_changed, sender=model, dispatch_uid=f"{uid}-{name}-save")
        post_delete.connect(_related_changed, sender=model, dispatch_uid=f"{uid}-{name}-delete")
    for model, handler in ((Agency, _agency_saved), (Procedure, _procedure_saved)):
        name = model._meta.label_lower
        pre_save.connect(_remember_old, sender=model, dispatch_uid=f"{uid}-{name}-pre")
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-{name}-post")
