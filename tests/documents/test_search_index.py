"""On PostgreSQL the search's substring match is answered from trigram indexes."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from digigov.documents.models import IncomingDocument, OutgoingDocument

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ON_POSTGRES,
                       reason="needs PostgreSQL (DATABASE_URL=postgres://...): "
                              "SQLite has no trigram index"),
]


@pytest.mark.parametrize("model", [OutgoingDocument, IncomingDocument])
def test_a_folded_term_is_looked_up_in_the_trigram_index(model):
    sql, params = model.objects.filter(search_text__contains="lut bao").only("pk").query \
        .sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table would be scanned
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{model._meta.db_table}_search_trgm" in plan, plan
