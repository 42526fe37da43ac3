from django.core.management.base import BaseCommand

from digigov.payments.services import expire_due


class Command(BaseCommand):
    help = ("Đóng các khoản thanh toán trực tuyến quá hạn (sau khi hỏi lại cổng thanh toán); "
            "chạy định kỳ, ví dụ mỗi phút.")

    def handle(self, *args, **options):
        closed = expire_due()
        self.stdout.write(f"{closed} payment(s) expired.")
