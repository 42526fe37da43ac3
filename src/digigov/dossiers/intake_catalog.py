"""The catalog as submissions read it, kept per process under the catalog revision.

Checking a submission needs the procedure, its versions (the one in force is
chosen by date) with their e-form fields, components and fee tables, the
receiving agency and the procedure's competent agencies: seven queries per
request when read afresh, for data that changes a few times a year. Every
change to those tables replaces the catalog revision token in the same
transaction (database triggers, ``digigov.catalog.revision``), so one query
for the token tells whether what this process holds is still current; what
was read under another token is never served.

The objects handed out are shared by the requests of this process: callers
read them and must not change them.
"""

from __future__ import annotations

from django.db.models import Prefetch

from digigov.catalog import revision
from digigov.catalog.models import Procedure, ProcedureVersion
from digigov.orgs.models import Agency

# Bounds the memory one process gives to the catalog; beyond it, lookups read afresh.
MAX_ENTRIES = 2000


def _load_procedure(national_code: str) -> Procedure | None:
    versions = ProcedureVersion.objects.prefetch_related("form_fields", "components",
                                                         "fee_rules")
    return (Procedure.objects.filter(national_code=national_code)
            .prefetch_related(Prefetch("versions", queryset=versions), "competent_agencies")
            .first())


def _load_agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


class CatalogSnapshot:
    """Procedures and agencies read under one revision token (None: keep nothing)."""

    def __init__(self, token: str | None):
        self.token = token
        self._entries: dict[tuple[str, str], object] = {}

    def procedure(self, national_code: str) -> Procedure | None:
        """The procedure with its versions, their fields, components and fees, and its
        competent agencies, all loaded (``Procedure.version_on`` then reads no more)."""
        return self._get("procedure", national_code, _load_procedure)

    def agency(self, code: str) -> Agency | None:
        return self._get("agency", code, _load_agency)

    def _get(self, kind: str, key: str, load):
        entry = self._entries.get((kind, key))
        if entry is not None:
            return entry
        entry = load(key)
        # Kept only if no change came between reading the token and reading the rows
        # (also one made earlier in the caller's own, still open, transaction).
        if (entry is not None and self.token is not None and len(self._entries) < MAX_ENTRIES
                and revision.current() == self.token):
            self._entries[(kind, key)] = entry
        return entry


_snapshot = CatalogSnapshot(None)


def snapshot() -> CatalogSnapshot:
    """What this process holds for the current catalog revision (one query for the token)."""
    global _snapshot
    token = revision.current()
    current = _snapshot
    if token is None or current.token != token:
        current = CatalogSnapshot(token)
        if token is not None:
            _snapshot = current
    return current
