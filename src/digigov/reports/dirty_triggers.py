"""Dossiers marked dirty for the rollup by the database itself.

Triggers (installed by migration reports 0006) add a dossier's id to
``reports_dirtydossier`` in the transaction of any change to the dossier or to
a row the index reads about it, whatever made the change: a service, the
admin, a bulk ``update()``, a loader or plain SQL. Marking from ``post_save``
missed bulk writes and cost every save a round trip to the database.
"""

from __future__ import annotations

DIRTY = "reports_dirtydossier"

# Watched table -> the column holding the dossier's id.
WATCHED = {
    "dossiers_dossier": "id",
    "dossiers_dossierfile": "dossier_id",
    "signing_issueddocument": "dossier_id",
    "payments_payment": "dossier_id",
    "store_paperuse": "dossier_id",
    "store_storedpaper": "dossier_id",
}


def _function(column: str) -> str:
    return f"reports_mark_dirty_by_{column}"


def _pg_function(column: str) -> str:
    mark = f'INSERT INTO "{DIRTY}" ("dossier_id") VALUES (%s) ON CONFLICT DO NOTHING;'  # noqa: S608
    return f"""
CREATE OR REPLACE FUNCTION {_function(column)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' AND NEW."{column}" IS NOT NULL THEN
        {mark % f'NEW."{column}"'}
    END IF;
    IF TG_OP <> 'INSERT' AND OLD."{column}" IS NOT NULL THEN
        {mark % f'OLD."{column}"'}
    END IF;
    RETURN NULL;
END
$$
"""


def _trigger(table: str, event: str = "") -> str:
    return f"reports_dirty_{table}{'_' + event.lower() if event else ''}"


def install(schema_editor) -> None:
    run = schema_editor.execute
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for column in set(WATCHED.values()):
            run(_pg_function(column))
        for table, column in WATCHED.items():
            run(f'CREATE TRIGGER "{_trigger(table)}" AFTER INSERT OR UPDATE OR DELETE '
                f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION {_function(column)}()')
    elif vendor == "sqlite":
        for table, column in WATCHED.items():
            for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")),
                                ("DELETE", ("OLD",))):
                marks = " ".join(
                    f'INSERT OR IGNORE INTO "{DIRTY}" ("dossier_id") SELECT {row}."{column}" '
                    f'WHERE {row}."{column}" IS NOT NULL;' for row in rows)
                run(f'CREATE TRIGGER "{_trigger(table, event)}" AFTER {event} ON "{table}" '
                    f"BEGIN {marks} END")
    else:  # pragma: no cover - the project runs on these two
        # Without the triggers the fast index would miss changes: refuse to migrate.
        raise NotImplementedError(
            f"rollup triggers exist for PostgreSQL and SQLite, not {vendor}")


def uninstall(schema_editor) -> None:
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            run(f'DROP TRIGGER IF EXISTS "{_trigger(table)}" ON "{table}"')
        for column in set(WATCHED.values()):
            run(f"DROP FUNCTION IF EXISTS {_function(column)}()")
    else:
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                run(f'DROP TRIGGER IF EXISTS "{_trigger(table, event)}"')
