"""``digigov reports_rebuild``: compute the index rollup from scratch."""

import time

from django.core.management.base import BaseCommand

from digigov.reports.rollup import rebuild


class Command(BaseCommand):
    help = ("Tính lại từ đầu dữ liệu tổng hợp của Bộ chỉ số phục vụ (mỗi hồ sơ một dòng, "
            "tổng theo tháng và theo ngày).")

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=20_000,
                            help="Số hồ sơ xử lý mỗi lượt (mặc định 20000).")
        parser.add_argument("--quiet", action="store_true", help="Không in tiến độ.")

    def handle(self, *args, chunk: int, quiet: bool, **options):
        started = time.monotonic()

        def progress(done: int) -> None:
            if not quiet and done % (chunk * 25) == 0:
                self.stdout.write(f"  {done:,} ...")

        total = rebuild(chunk=max(1000, chunk), progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"{total:,} dossiers, rollup rebuilt in {time.monotonic() - started:.1f} s"))
