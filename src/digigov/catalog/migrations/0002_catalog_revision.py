"""The catalog revision row and the triggers that replace its token (catalog/revision.py)."""

import uuid

from django.db import migrations, models

from digigov.catalog import revision

TABLES = (
    "catalog_procedure",
    "catalog_procedureversion",
    "catalog_formfield",
    "catalog_componentspec",
    "catalog_procedure_competent_agencies",
    "orgs_agency",
)


def install(apps, schema_editor):
    apps.get_model("catalog", "CatalogRevision").objects.create(id=revision.ROW_ID,
                                                        token=uuid.uuid4().hex)
    for table in TABLES:
        revision.watch(schema_editor, table)


def uninstall(apps, schema_editor):
    for table in TABLES:
        revision.unwatch(schema_editor, table)
    revision.drop_function(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_initial'),
        ('orgs', '0002_agency_level_district'),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
