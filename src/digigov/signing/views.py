"""Public verification pages: upload a PDF, or open an issued document's record (QR code)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from digigov.core.errors import DomainError

from .models import IssuedDocument
from .services import local_crl
from .verification import VERDICT_LABELS, verify_upload


@require_http_methods(["GET", "POST"])
def verify(request):
    context = {"labels": VERDICT_LABELS}
    if request.method == "POST":
        try:
            context["report"] = verify_upload(request.FILES.get("file"))
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "signing/verify.html", context, status=exc.status)
    return render(request, "signing/verify.html", context)


@require_http_methods(["GET", "POST"])
def issued(request, uuid):
    document = get_object_or_404(IssuedDocument, uuid=uuid)
    context = {"document": document, "labels": VERDICT_LABELS}
    if request.method == "POST":
        try:
            report = verify_upload(request.FILES.get("file"))
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "signing/issued.html", context, status=exc.status)
        context["report"] = report
        context["same_file"] = report.sha256 == document.sha256
    return render(request, "signing/issued.html", context)


@require_http_methods(["GET", "HEAD"])
def crl(request):
    """The local CA's revocation list, at the address its certificates name."""
    data = local_crl()
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/pkix-crl")
    response["Content-Disposition"] = 'attachment; filename="digigov-ca.crl"'
    response["Cache-Control"] = "max-age=300"
    return response
