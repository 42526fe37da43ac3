from django.db import migrations


def load(apps, schema_editor):
    from digigov.pdfs.defaults import load_defaults

    load_defaults(apps.get_model("pdfs", "DocumentTemplate"))


def unload(apps, schema_editor):
    from digigov.pdfs.defaults import DEFAULTS_VALID_FROM, shipped

    apps.get_model("pdfs", "DocumentTemplate").objects.filter(
        agency=None, valid_from=DEFAULTS_VALID_FROM, code__in=list(shipped())).delete()


class Migration(migrations.Migration):
    dependencies = [("pdfs", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
