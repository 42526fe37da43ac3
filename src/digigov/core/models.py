from django.db import models


class BenchRow(models.Model):
    """Rows written by the bare benchmark endpoint (the ceiling of bench/intake).

    The endpoint exists only when DIGIGOV_BENCH_ENDPOINTS is set.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    payload = models.CharField(max_length=100)

    def __str__(self) -> str:
        return f"{self.pk}: {self.payload}"
