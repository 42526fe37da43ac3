from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("exchange", "0002_inbox_incoming_document"),
    ]

    operations = [
        migrations.RemoveField("inboxmessage", "registered_pk"),
        migrations.AddIndex(
            model_name="rejectedpackage",
            index=models.Index(fields=["received_at"], name="exchange_rejected_at"),
        ),
    ]
