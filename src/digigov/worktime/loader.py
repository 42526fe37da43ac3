"""Load the holiday calendar from a CSV file (the shipped data/vn_holidays.csv by default).

Columns: ``date`` (YYYY-MM-DD), ``name_vi``, ``name_en``, ``kind`` (holiday,
bridge, compensatory, makeup_working_day), ``legal_basis``; ``source`` and
any other column are ignored. Rows whose legal basis starts with
"UNVERIFIED", or that say they are derived ("not an announcement"), are
loaded as estimates (``verified=False``) so that deadlines work, and
administrators can see which days still await the official notice.

The function takes the model as an argument because the data migration
passes its historical model.
"""

import csv
import datetime as dt
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "vn_holidays.csv"
REQUIRED_COLUMNS = ("date", "name_vi", "name_en", "kind", "legal_basis")
KINDS = ("holiday", "bridge", "compensatory", "makeup_working_day")
UNVERIFIED_PREFIX = "UNVERIFIED"
# Rows derived from the statutory rule rather than read in an announcement.
DERIVED_MARK = "not an announcement"


def is_announced(legal_basis: str) -> bool:
    """False for estimates: marked UNVERIFIED, or derived from the rule without a notice."""
    return not (
        legal_basis.upper().startswith(UNVERIFIED_PREFIX) or DERIVED_MARK in legal_basis.lower()
    )


class CalendarFileError(ValueError):
    """The file cannot be loaded; ``errors`` lists every problem with its line number."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def read_rows(path: Path = DATA_FILE) -> list[dict]:
    """Read and check every row; raise ``CalendarFileError`` listing all problems."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CalendarFileError([f"missing column(s): {', '.join(missing)}"])
            raw = list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarFileError([f"cannot read {path}: {exc}"]) from exc
    rows, errors, seen = [], [], {}
    for line, row in enumerate(raw, start=2):  # line 1 is the header
        try:
            date = dt.date.fromisoformat((row["date"] or "").strip())
        except ValueError:
            errors.append(f"line {line}: date {row['date']!r} is not YYYY-MM-DD")
            continue
        kind = (row["kind"] or "").strip()
        if kind not in KINDS:
            errors.append(f"line {line}: kind {kind!r} is not one of {', '.join(KINDS)}")
            continue
        if kind == "makeup_working_day" and date.weekday() < 5:
            errors.append(f"line {line}: {date} is a weekday, it cannot be a make-up working day")
            continue
        if not (row["name_vi"] or "").strip():
            errors.append(f"line {line}: name_vi is empty")
            continue
        if date in seen:
            errors.append(f"line {line}: {date} already given on line {seen[date]}")
            continue
        seen[date] = line
        legal_basis = (row["legal_basis"] or "").strip()
        rows.append({
            "date": date,
            "kind": kind,
            "name": row["name_vi"].strip()[:200],
            "name_en": (row["name_en"] or "").strip()[:200],
            "legal_basis": legal_basis,
            "verified": is_announced(legal_basis),
        })
    if errors:
        raise CalendarFileError(errors)
    return rows


def load_calendar(model, path: Path = DATA_FILE, *, prune: bool = False) -> int:
    """Create or update one CalendarDay per row; returns the number of rows.

    With ``prune``, days of the years the file covers that the file no longer
    lists are deleted: a corrected file is then the whole truth for its years.
    The caller provides the transaction.
    """
    rows = read_rows(path)
    for row in rows:
        model.objects.update_or_create(
            date=row["date"], defaults={k: v for k, v in row.items() if k != "date"}
        )
    if prune and rows:
        years = {row["date"].year for row in rows}
        listed = {row["date"] for row in rows}
        model.objects.filter(date__year__in=years).exclude(date__in=listed).delete()
    return len(rows)
