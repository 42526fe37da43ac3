"""Delete files uploaded through the GovStack API that no application attached."""

from django.core.management.base import BaseCommand, CommandError

from digigov.govstack.documents import default_purge_cutoff, purge


class Command(BaseCommand):
    help = "Xóa các tệp tải lên qua API GovStack nhưng không được đính kèm vào hồ sơ nào."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7,
                            help="Giữ các tệp tải lên trong số ngày này (mặc định 7).")

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days phải từ 1 trở lên.")
        count = purge(default_purge_cutoff(days))
        self.stdout.write(f"Đã xóa {count} tệp tải lên không được sử dụng.")
