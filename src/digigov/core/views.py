from django.db import connection
from django.http import JsonResponse

from digigov import __version__


def healthz(request):
    """Liveness and database reachability, for load balancers and operators."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - report any database failure as unhealthy
        return JsonResponse(
            {"status": "error", "database": str(exc), "version": __version__}, status=503
        )
    return JsonResponse({"status": "ok", "database": database, "version": __version__})
