"""Exchange pages (outbox, inbox, refusals, peers) and the endpoint that receives edXML
packages from peers (``POST /lien-thong/edxml/``, authenticated by the package signature)."""

from __future__ import annotations

import base64
import binascii
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError
from digigov.dossiers.views_office import official_required

from . import edxml, selectors, services
from .forms import PeerForm
from .models import Kind, OutboxMessage, OutboxState, Peer

PAGE_SIZE = 50


@csrf_exempt
@require_POST
def receive(request: HttpRequest) -> HttpResponse:
    """A peer delivers one signed package (the XML is the body)."""
    try:
        body = request.body
    except RequestDataTooBig:
        return _problem(413, "payload_too_large", _("Gói tin quá lớn."))
    if len(body) > edxml.MAX_PACKAGE_BYTES:
        return _problem(413, "payload_too_large", _("Gói tin quá lớn."))
    try:
        received = services.receive_package(body,
                                            remote_addr=request.META.get("REMOTE_ADDR", ""))
    except DomainError as exc:
        return _problem(exc.status, exc.code, str(exc.message))
    return JsonResponse({"result": received.outcome, "kind": received.kind,
                         "package_id": received.package_id,
                         "document_id": received.document_id, "states": received.states},
                        json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def receive_batch(request: HttpRequest) -> HttpResponse:
    """A peer delivers several signed packages in its delivery order:
    ``{"packages": [<base64 of each package>, ...]}``, answered with one result each."""
    try:
        body = request.body
    except RequestDataTooBig:
        return _problem(413, "payload_too_large", _("Gói tin quá lớn."))
    try:
        packages = json.loads(body)["packages"]
        if not isinstance(packages, list) or not packages:
            raise ValueError("no packages")
        payloads = [base64.b64decode(p, validate=True) for p in packages]
    except (ValueError, KeyError, TypeError, binascii.Error):
        return _problem(400, "invalid_batch",
                        _('Nội dung phải là {"packages": [các gói tin mã hóa base64]}.'))
    try:
        items = services.receive_batch(payloads,
                                       remote_addr=request.META.get("REMOTE_ADDR", ""))
    except DomainError as exc:
        return _problem(413 if exc.code == "batch_too_large" else exc.status, exc.code,
                        str(exc.message))
    return JsonResponse({"results": [_batch_result(item) for item in items]},
                        json_dumps_params={"ensure_ascii": False})


def _batch_result(item: services.BatchItem) -> dict:
    if item.received is not None:
        received = item.received
        return {"result": received.outcome, "kind": received.kind,
                "package_id": received.package_id, "document_id": received.document_id,
                "states": received.states}
    if item.refused is not None:
        return {"result": "refused", "status": item.refused.status, "code": item.refused.code,
                "detail": str(item.refused.message)}
    return {"result": "retry", "detail": item.retry}


def _problem(status: int, code: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": _("Gói tin bị từ chối"), "status": status,
            "code": code, "detail": detail}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/problem+json")


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@official_required
def outbox(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in OutboxState.values:
        state = ""
    page = _page(request, selectors.visible_outbox(request.user, state=state))
    return render(request, "exchange/outbox.html", {
        "page": page, "state": state, "states": OutboxState.choices,
        "counts": selectors.outbox_counts(request.user),
        "may_manage": services.may_manage_peers(request.user),
        "status_labels": services.STATUS_LABELS,
    })


@official_required
@require_POST
def outbox_retry(request: HttpRequest, package_uuid) -> HttpResponse:
    message = get_object_or_404(selectors.visible_outbox(request.user), uuid=package_uuid)
    try:
        services.retry_now(message, actor=request.user)
        result = services.deliver_channel(message.channel)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("exchange:outbox")
    if result.delivered:
        messages.success(request, _("Đã gửi %(n)s gói tin.") % {"n": result.delivered})
    else:
        messages.warning(request, _("Chưa gửi được: %(reason)s")
                         % {"reason": "; ".join(result.errors) or _("đang chờ gói tin trước")})
    return redirect("exchange:outbox")


@official_required
def package_xml(request: HttpRequest, package_uuid) -> HttpResponse:
    message = get_object_or_404(OutboxMessage.objects.filter(
        pk__in=selectors.visible_outbox(request.user).values("pk")), uuid=package_uuid)
    response = HttpResponse(bytes(message.payload), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{message.uuid}.xml"'
    return response


@official_required
def inbox(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    page = _page(request, selectors.visible_inbox(request.user, kind=kind))
    page.object_list = selectors.with_document_links(request.user, page.object_list)
    return render(request, "exchange/inbox.html", {
        "page": page, "kind": kind, "kinds": Kind.choices,
        "status_labels": services.STATUS_LABELS,
    })


@official_required
def refused(request: HttpRequest) -> HttpResponse:
    if not services.may_manage_peers(request.user):
        raise PermissionDenied(_("Chỉ quản trị cơ quan mới xem được nhật ký gói tin bị từ chối."))
    return render(request, "exchange/refused.html",
                  {"page": _page(request, selectors.rejected(request.user))})


@official_required
@require_http_methods(["GET", "POST"])
def peers(request: HttpRequest) -> HttpResponse:
    may_manage = services.may_manage_peers(request.user)
    form = PeerForm(request.POST or None) if may_manage else None
    status = 200
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Chỉ quản trị cơ quan mới được quản lý các hệ thống "
                                     "liên thông."))
        if form.is_valid():
            try:
                peer = services.add_peer(
                    name=form.cleaned_data["name"], endpoint_url=form.cleaned_data["endpoint_url"],
                    certificate_pem=form.cleaned_data["certificate_pem"],
                    organ_codes=form.codes(), actor=request.user)
            except DomainError as exc:
                for name, errors in exc.fields.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
                if not exc.fields:
                    form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Đã thêm hệ thống liên thông %(name)s.")
                                 % {"name": peer.name})
                return redirect("exchange:peers")
        else:
            status = 400
    return render(request, "exchange/peers.html", {
        "peers": selectors.peers(), "form": form, "may_manage": may_manage,
        "receive_url": request.build_absolute_uri(reverse("exchange:receive")),
    }, status=status)


@official_required
@require_POST
def peer_remove(request: HttpRequest, peer_uuid) -> HttpResponse:
    peer = get_object_or_404(Peer, uuid=peer_uuid)
    try:
        services.remove_peer(peer, actor=request.user)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc.message)) from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã gỡ hệ thống liên thông %(name)s.") % {"name": peer.name})
    return redirect("exchange:peers")




@csrf_exempt
@require_POST
def bench_echo(request: HttpRequest) -> HttpResponse:
    """bench/exchange's ceiling (mounted only with DIGIGOV_BENCH_ENDPOINTS=1): the same
    HTTP round trip as a delivery, with the package read but not parsed, checked or
    stored."""
    return JsonResponse({"result": "accepted", "size": len(request.body)})
