"""Seed the indicator weights of Decision 766/QD-TTg (23/06/2022).

The split of each group's points among its indicators is kept as data: an
administrator adds rows with a later effective date when the rules change.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

EFFECTIVE_FROM = dt.date(2022, 6, 23)
WEIGHTS = (
    # code, group, points, threshold
    ("1.1", "1", 5, None), ("1.2", "1", 5, None), ("1.3", "1", 4, None), ("1.4", "1", 4, None),
    ("2.1", "2", 14, None), ("2.2", "2", 6, None),
    ("3.1", "3", 4, 80), ("3.2", "3", 2, None), ("3.3", "3", 6, 50),
    ("3.5", "4", 4, 80), ("3.6", "4", 6, None),
    ("5.1", "5", 3, None), ("5.2", "5", 3, None), ("5.3", "5", 3, None), ("5.4", "5", 9, 90),
    ("4.1", "6", 5, None), ("4.2", "6", 5, 80), ("4.3", "6", 5, 80), ("4.4", "6", 4, None),
    ("4.5", "6", 3, None),
)


def seed(apps, schema_editor):
    IndicatorWeight = apps.get_model("reports", "IndicatorWeight")
    for code, group, points, threshold in WEIGHTS:
        IndicatorWeight.objects.get_or_create(
            code=code, effective_from=EFFECTIVE_FROM,
            defaults={"group": group, "points": Decimal(points),
                      "threshold": None if threshold is None else Decimal(threshold),
                      "note": "Quyết định 766/QĐ-TTg"})


def unseed(apps, schema_editor):
    IndicatorWeight = apps.get_model("reports", "IndicatorWeight")
    IndicatorWeight.objects.filter(effective_from=EFFECTIVE_FROM,
                                   note="Quyết định 766/QĐ-TTg").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
