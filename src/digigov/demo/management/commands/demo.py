import time

from django.core.management.base import BaseCommand, CommandError

from digigov.demo.loader import build_demo, has_data
from digigov.dossiers.models import Status


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu trình diễn: tỉnh Lạng Sơn, các cơ quan, tài khoản, danh mục thủ tục "
        "và hồ sơ của khoảng 90 ngày qua."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Không làm gì nếu cơ sở dữ liệu đã có dữ liệu.")
        parser.add_argument("--dossiers", type=int, default=300,
                            help="Số hồ sơ trình diễn (mặc định 300).")
        parser.add_argument("--seed", type=int, default=2025,
                            help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu).")

    def handle(self, *args, **options):
        count = options["dossiers"]
        if count < 0 or count > 20000:
            raise CommandError("--dossiers phải trong khoảng 0-20000.")
        if has_data():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua dữ liệu trình diễn.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu; dữ liệu trình diễn chỉ nạp vào cơ sở dữ liệu trống "
                "(dùng --if-empty để bỏ qua mà không báo lỗi)."
            )
        started = time.monotonic()
        result = build_demo(dossiers=count, seed=options["seed"])
        self.stdout.write(
            f"{result.units.provinces} tỉnh/thành phố, {result.units.communes} xã/phường/đặc khu; "
            f"{len(result.org.agencies)} cơ quan; {len(result.catalog.procedures)} thủ tục."
        )
        summary = result.dossiers
        statuses = ", ".join(f"{Status(s).value} {Status(s).label}: {n}"
                             for s, n in sorted(summary.by_status.items()))
        self.stdout.write(f"{summary.created} hồ sơ ({statuses}).")
        self.stdout.write(
            f"Quá hạn: {summary.late}; yêu cầu bổ sung: {summary.supplements}; "
            f"thư xin lỗi: {summary.apologies}; đánh giá: {summary.ratings}."
        )
        self.stdout.write("\nTài khoản trình diễn (tên đăng nhập | vai trò | đơn vị | mật khẩu):")
        for login, role, unit, password in result.org.accounts:
            self.stdout.write(f"  {login} | {role} | {unit} | {password}")
        self.stdout.write(f"\nXong sau {time.monotonic() - started:.1f} giây.")
