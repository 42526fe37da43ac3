"""Trigram indexes for the documents' search columns, on PostgreSQL.

Search matches each folded term anywhere in ``search_text`` (``LIKE '%term%'``),
which without an index reads every row of the table. pg_trgm's GIN indexes
answer such patterns from the index. pg_trgm ships with PostgreSQL and is a
trusted extension: the database's owner may create it. SQLite has no such
index; its search stays a scan (docs/official-documents.md).
"""

from django.db import migrations

TABLES = ("documents_outgoingdocument", "documents_incomingdocument")


def _index(table: str) -> str:
    return f"{table}_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{_index(table)}" ON "{table}" '
                              f'USING gin ("search_text" gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index(table)}"')


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_attachment_text_pending"),
    ]

    operations = [migrations.RunPython(create, drop)]
