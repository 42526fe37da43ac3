import digigov.store.models
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0001_initial'),
        ('dossiers', '0002_notification_attempts'),
        ('orgs', '0002_agency_level_district'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PaperKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True, verbose_name='mã loại giấy tờ')),
                ('name', models.CharField(max_length=300, verbose_name='tên loại giấy tờ')),
            ],
            options={
                'verbose_name': 'loại giấy tờ',
                'verbose_name_plural': 'loại giấy tờ',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='ComponentKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('component', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='paper_kind_link', to='catalog.componentspec', verbose_name='thành phần hồ sơ')),
                ('kind', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='components', to='store.paperkind', verbose_name='loại giấy tờ')),
            ],
            options={
                'verbose_name': 'loại giấy tờ của thành phần hồ sơ',
                'verbose_name_plural': 'loại giấy tờ của thành phần hồ sơ',
            },
        ),
        migrations.CreateModel(
            name='ResultKind',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='procedures', to='store.paperkind', verbose_name='loại giấy tờ')),
                ('procedure', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='result_kind_link', to='catalog.procedure', verbose_name='thủ tục')),
            ],
            options={
                'verbose_name': 'loại giấy tờ của kết quả thủ tục',
                'verbose_name_plural': 'loại giấy tờ của kết quả thủ tục',
            },
        ),
        migrations.CreateModel(
            name='StoredPaper',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('title', models.CharField(max_length=300, verbose_name='tên giấy tờ')),
                ('issuer_name', models.CharField(blank=True, max_length=300, verbose_name='cơ quan cấp')),
                ('issuer_code', models.CharField(blank=True, max_length=35, verbose_name='mã định danh cơ quan cấp')),
                ('number', models.CharField(blank=True, max_length=100, verbose_name='số giấy tờ')),
                ('issued_on', models.DateField(blank=True, null=True, verbose_name='ngày cấp')),
                ('valid_until', models.DateField(blank=True, help_text='Bỏ trống nếu giấy tờ không có thời hạn.', null=True, verbose_name='có giá trị đến')),
                ('file', models.FileField(upload_to=digigov.store.models.stored_paper_path)),
                ('original_name', models.CharField(max_length=255)),
                ('content_type', models.CharField(max_length=100)),
                ('size', models.PositiveBigIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('source', models.CharField(choices=[('result', 'Kết quả giải quyết thủ tục hành chính'), ('digitised', 'Số hóa từ thành phần hồ sơ'), ('uploaded', 'Chủ sở hữu tự tải lên')], max_length=10, verbose_name='nguồn')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('dossier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='stored_papers', to='dossiers.dossier', verbose_name='hồ sơ')),
                ('kind', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='papers', to='store.paperkind', verbose_name='loại giấy tờ')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stored_papers', to=settings.AUTH_USER_MODEL, verbose_name='chủ sở hữu')),
            ],
            options={
                'verbose_name': 'giấy tờ trong kho',
                'verbose_name_plural': 'giấy tờ trong kho',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='PaperUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('used_at', models.DateTimeField(verbose_name='thời điểm sử dụng')),
                ('how', models.CharField(choices=[('online', 'Nộp hồ sơ trực tuyến'), ('counter', 'Nộp tại bộ phận một cửa')], max_length=10, verbose_name='hình thức')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.agency', verbose_name='cơ quan sử dụng')),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='paper_uses', to='dossiers.dossier', verbose_name='hồ sơ')),
                ('paper', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='uses', to='store.storedpaper', verbose_name='giấy tờ')),
            ],
            options={
                'verbose_name': 'lượt sử dụng giấy tờ',
                'verbose_name_plural': 'nhật ký sử dụng giấy tờ',
                'ordering': ['-used_at', '-pk'],
            },
        ),
        migrations.AddIndex(
            model_name='storedpaper',
            index=models.Index(fields=['owner', 'kind'], name='store_store_owner_i_2559f0_idx'),
        ),
    ]
