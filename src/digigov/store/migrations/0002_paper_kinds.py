from django.db import migrations

from digigov.store.kinds import PAPER_KINDS


def seed(apps, schema_editor):
    PaperKind = apps.get_model("store", "PaperKind")
    for code, name in PAPER_KINDS:
        PaperKind.objects.get_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):
    PaperKind = apps.get_model("store", "PaperKind")
    # Kinds already used by a stored paper stay (PROTECT); the others go.
    for kind in PaperKind.objects.filter(code__in=[code for code, _name in PAPER_KINDS]):
        if not kind.papers.exists() and not kind.components.exists() \
                and not kind.procedures.exists():
            kind.delete()


class Migration(migrations.Migration):

    dependencies = [("store", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
