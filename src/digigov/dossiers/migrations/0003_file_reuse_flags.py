import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0002_notification_attempts"),
        ("store", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossierfile",
            name="reused_from",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="dossier_files", to="store.storedpaper"),
        ),
        migrations.AddField(
            model_name="dossierfile",
            name="is_reused",
            field=models.BooleanField(default=False, verbose_name="dùng lại từ kho dữ liệu"),
        ),
        migrations.AddField(
            model_name="dossierfile",
            name="is_digitised",
            field=models.BooleanField(default=False, verbose_name="đã số hóa"),
        ),
    ]
