"""The inbox row's link to the incoming document it registered becomes a foreign key.

The plain integer column is renamed aside, the foreign key added, and filled from it
where that document still exists, otherwise by DocumentId: the latest incoming document
of the recipient with the package's DocumentId registered no later than the package was
received (the one a new, revoke, update or replace package acted on). The old column is
dropped by the next migration (PostgreSQL refuses to alter a table with the foreign
key's checks still pending in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


def link_documents(apps, schema_editor):
    InboxMessage = apps.get_model("exchange", "InboxMessage")
    IncomingDocument = apps.get_model("documents", "IncomingDocument")
    rows = (InboxMessage.objects.filter(kind="document", state="registered")
            .only("pk", "registered_pk", "document_id", "recipient_code", "received_at"))
    linked = []
    for row in rows.iterator(chunk_size=500):
        document_pk = None
        if row.registered_pk is not None and IncomingDocument.objects.filter(
                pk=row.registered_pk).exists():
            document_pk = row.registered_pk
        elif row.document_id:
            document_pk = (IncomingDocument.objects
                           .filter(recipient__code=row.recipient_code,
                                   document_id=row.document_id,
                                   created_at__lte=row.received_at)
                           .order_by("-created_at", "-pk").values_list("pk", flat=True).first())
        if document_pk is not None:
            row.incoming_document_id = document_pk
            linked.append(row)
    InboxMessage.objects.bulk_update(linked, ["incoming_document"], batch_size=500)


def unlink_documents(apps, schema_editor):
    InboxMessage = apps.get_model("exchange", "InboxMessage")
    InboxMessage.objects.update(registered_pk=models.F("incoming_document_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_attachment_text_pending"),
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("inboxmessage", "incoming_document_id", "registered_pk"),
        migrations.AddField(
            model_name="inboxmessage",
            name="incoming_document",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                related_name="exchange_packages", to="documents.incomingdocument",
                verbose_name="văn bản đến"),
        ),
        migrations.RunPython(link_documents, unlink_documents),
    ]
