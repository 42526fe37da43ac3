"""Load the holiday calendar from the shipped CSV (data/vn_holidays.csv).

Rows whose legal basis starts with "UNVERIFIED" are loaded as estimates
(``verified=False``) so that deadlines work, and administrators can see
which days still await the official notice.
"""

import csv
import datetime as dt
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "vn_holidays.csv"


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_calendar(model, path: Path = DATA_FILE) -> int:
    """Create or update one CalendarDay per row; returns the number of rows."""
    rows = read_rows(path)
    for row in rows:
        model.objects.update_or_create(
            date=dt.date.fromisoformat(row["date"]),
            defaults={
                "kind": row["kind"],
                "name": row["name_vi"][:200],
                "name_en": row["name_en"][:200],
                "legal_basis": row["legal_basis"],
                "verified": not row["legal_basis"].upper().startswith("UNVERIFIED"),
            },
        )
    return len(rows)
