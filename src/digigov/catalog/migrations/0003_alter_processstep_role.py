"""The clerk role among the roles a process step may name."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_catalog_revision'),
    ]

    operations = [
        migrations.AlterField(
            model_name='processstep',
            name='role',
            field=models.CharField(choices=[('counter_officer', 'Cán bộ tiếp nhận (một cửa)'), ('specialist', 'Chuyên viên xử lý'), ('leader', 'Lãnh đạo'), ('agency_admin', 'Quản trị cơ quan'), ('clerk', 'Văn thư')], max_length=20, verbose_name='vai trò thực hiện'),
        ),
    ]
