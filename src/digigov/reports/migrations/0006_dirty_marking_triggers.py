"""Triggers that mark dossiers dirty for the rollup (reports/dirty_triggers.py)."""

from django.db import migrations

from digigov.reports import dirty_triggers


def install(apps, schema_editor):
    dirty_triggers.install(schema_editor)


def uninstall(apps, schema_editor):
    dirty_triggers.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0003_file_reuse_flags"),
        ("payments", "0002_fee_rules_catalog_revision"),
        ("reports", "0005_open_dossier_index_per_root"),
        ("signing", "0004_local_ca_crl"),
        ("store", "0002_paper_kinds"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
