from django.core.management.base import BaseCommand

from digigov.orgs.services import load_units


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (Quyết định 19/2025/QĐ-TTg)."

    def handle(self, *args, **options):
        result = load_units()
        self.stdout.write(
            f"{result.provinces} tỉnh/thành phố, {result.communes} xã/phường/đặc khu "
            f"({result.created} mới, {result.updated} cập nhật)."
        )
