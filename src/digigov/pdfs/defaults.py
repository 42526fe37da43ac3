"""The shipped templates in ``templates_default/``: loaded into the database by a
data migration and used directly when no database row is in force."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent / "templates_default"
DEFAULTS_VALID_FROM = dt.date(2025, 7, 1)  # Circular 03/2025/TT-VPCP forms apply from then
FIELDS = ("code", "name", "kind", "landscape", "title", "number_notation", "body",
          "signer_authority", "signer_title", "signer_name", "co_signer_title", "co_signer_name",
          "recipients", "procedure_keywords")


@cache
def shipped() -> dict[str, dict]:
    """code -> the template's fields, as read from its TOML file."""
    templates = {}
    for path in sorted(DEFAULT_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - set(FIELDS)
        if unknown or data.get("code") != path.stem:
            raise ValueError(f"{path.name}: unknown keys {sorted(unknown)} or code != file name")
        templates[path.stem] = {name: data.get(name, False if name == "landscape" else "")
                                for name in FIELDS}
    return templates


def load_defaults(model) -> int:
    """Create the instance defaults that do not exist yet (migration-safe: any model class)."""
    created = 0
    for code, fields in shipped().items():
        _, was_created = model.objects.get_or_create(
            code=code, agency=None, valid_from=DEFAULTS_VALID_FROM, defaults=fields)
        created += was_created
    return created
