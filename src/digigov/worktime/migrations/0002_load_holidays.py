from django.db import migrations


def load(apps, schema_editor):
    from digigov.worktime.loader import load_calendar

    load_calendar(apps.get_model("worktime", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
