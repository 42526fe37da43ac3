"""The catalog's revision: a token that every change to the catalog replaces.

Triggers on the catalog's tables (installed by migrations: catalog 0002 and
payments 0002) write a new random token into the one row of
``CatalogRevision`` in the transaction of the change, whatever made it: the
admin, a service, a bulk ``update()``, a loader or plain SQL. Whoever keeps
something read from these tables may keep it exactly as long as the token it
was read under is still the current one (``digigov.dossiers.intake_catalog``).

Watched tables: everything a submission reads from the catalog (procedures,
their versions, e-form fields, components, competent agencies, the agencies
themselves, and the fee tables of ``payments``).
"""

from __future__ import annotations

from django.db import connection

TABLE = "catalog_catalogrevision"
ROW_ID = 1

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION catalog_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "catalog_catalogrevision" ("id", "token") VALUES (1, gen_random_uuid()::text)
    ON CONFLICT ("id") DO UPDATE SET "token" = EXCLUDED."token";
    RETURN NULL;
END
$$
"""
_SQLITE_BUMP = (
    'INSERT INTO "catalog_catalogrevision" ("id", "token") VALUES (1, lower(hex(randomblob(16)))) '
    'ON CONFLICT ("id") DO UPDATE SET "token" = excluded."token";'
)


def current() -> str | None:
    """The current token; None if the row is gone (a flushed database): keep nothing then."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "token" FROM "{TABLE}" WHERE "id" = %s', [ROW_ID])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _trigger(table: str, event: str = "") -> str:
    return f"catalog_rev_{table}{'_' + event.lower() if event else ''}"


def watch(schema_editor, table: str) -> None:
    """Install the trigger that replaces the token on any change to ``table``."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(_PG_FUNCTION)
        # Per statement (a bulk update bumps once); TRUNCATE too, which row triggers miss.
        run(f'CREATE TRIGGER "{_trigger(table)}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_bump()')
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            run(f'CREATE TRIGGER "{_trigger(table, event)}" AFTER {event} ON "{table}" '
                f"BEGIN {_SQLITE_BUMP} END")
    else:  # pragma: no cover - the project runs on these two
        # Without the triggers, submissions could keep a stale catalog: refuse to migrate.
        raise NotImplementedError(
            f"catalog revision triggers exist for PostgreSQL and SQLite, not "
            f"{schema_editor.connection.vendor}")


def unwatch(schema_editor, table: str) -> None:
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(f'DROP TRIGGER IF EXISTS "{_trigger(table)}" ON "{table}"')
    else:
        for event in ("INSERT", "UPDATE", "DELETE"):
            run(f'DROP TRIGGER IF EXISTS "{_trigger(table, event)}"')


def drop_function(schema_editor) -> None:
    """After the last ``unwatch``: PostgreSQL keeps the trigger function otherwise."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS catalog_revision_bump()")
