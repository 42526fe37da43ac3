"""A change to a fee table is a change to the catalog (catalog/revision.py)."""

from django.db import migrations

from digigov.catalog import revision


def install(apps, schema_editor):
    revision.watch(schema_editor, "payments_feerule")


def uninstall(apps, schema_editor):
    revision.unwatch(schema_editor, "payments_feerule")


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_catalog_revision'),
        ('payments', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
