from django.core.management.base import BaseCommand, CommandError

from digigov.opendata import auto


class Command(BaseCommand):
    help = ("Tạo lại các bộ dữ liệu mở tự động (danh mục thủ tục hành chính, chỉ số chất lượng "
            "phục vụ) từ dữ liệu hiện có; chạy định kỳ bằng cron, ví dụ mỗi giờ.")

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=sorted(k for k in auto.REFRESHERS),
                            help="Chỉ tạo lại một bộ dữ liệu.")

    def handle(self, *args, **options):
        refreshers = auto.REFRESHERS
        if options["only"]:
            refreshers = {options["only"]: refreshers[options["only"]]}
        done = [r for r in (refresh() for refresh in refreshers.values()) if r is not None]
        if not done:
            raise CommandError("Chưa có cơ quan nào để đứng tên công bố dữ liệu mở "
                               "(đặt OPENDATA_PUBLISHER hoặc tạo cơ quan trước).")
        for result in done:
            status = "updated" if result.changed else "unchanged"
            modified = result.dataset.modified.isoformat() if result.dataset.modified else "-"
            self.stdout.write(f"{result.dataset.name}: {status} "
                              f"({result.dataset.resources.count()} resources, "
                              f"data modified {modified})")
