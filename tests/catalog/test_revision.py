"""The catalog revision token: replaced by the database on every change to a watched table."""

import datetime as dt

from django.db import connection

from digigov.catalog import revision
from digigov.catalog.models import FormField, Procedure, ProcedureVersion, ProcessStep
from digigov.orgs.models import Agency
from digigov.payments.models import FeeRule


def _changes(action) -> bool:
    before = revision.current()
    action()
    return revision.current() != before


def test_every_kind_of_change_to_a_watched_table_replaces_the_token(procedure, commune_a):
    version = procedure.version_on()
    field = version.form_fields.first()
    assert revision.current()
    assert _changes(lambda: FormField.objects.filter(pk=field.pk).update(required=False))
    assert _changes(lambda: FormField.objects.create(version=version, order=9, key="x",
                                                     label="X"))
    assert _changes(lambda: FormField.objects.filter(key="x").delete())
    assert _changes(lambda: version.components.update(required=True))
    assert _changes(lambda: ProcedureVersion.objects.update(effective_to=dt.date(2030, 1, 1)))
    assert _changes(lambda: Procedure.objects.update(is_published=False))
    assert _changes(lambda: procedure.competent_agencies.remove(commune_a))
    assert _changes(lambda: procedure.competent_agencies.add(commune_a))
    assert _changes(lambda: Agency.objects.filter(pk=commune_a.pk).update(name="UBND xã A mới"))
    assert _changes(lambda: FeeRule.objects.create(version=version, description="Miễn",
                                                   amount=0))

    def plain_sql():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_formfield SET label = 'Tên' WHERE id = %s", [field.pk])
    assert _changes(plain_sql)


def test_tables_a_submission_does_not_read_leave_the_token(procedure):
    version = procedure.version_on()
    assert not _changes(lambda: ProcessStep.objects.filter(version=version).update(name="B"))
