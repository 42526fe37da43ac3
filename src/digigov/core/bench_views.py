"""The bare endpoint that bench/intake measures as its ceiling.

One authenticated-free POST that writes one row in one transaction: what a
request costs on this server and database before any domain work.
"""

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import BenchRow


@csrf_exempt
@require_POST
def write_one_row(request):
    with transaction.atomic():
        row = BenchRow.objects.create(payload=request.POST.get("payload", "")[:100])
    return JsonResponse({"id": row.pk}, status=201)
