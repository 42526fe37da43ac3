"""Pages of the data store: one's own papers, their use by agencies, sharing, uploading.

Papers are addressed by UUID; a paper of someone else answers 404, as if it
did not exist. Shared links open one paper without login until they expire.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from digigov.accounts.forms import add_domain_errors
from digigov.core.errors import DomainError, NotFound

from . import selectors, services
from .forms import ShareForm, UploadForm
from .models import StoredPaper

PER_PAGE = 20


def _own_paper(request, uuid) -> StoredPaper:
    return get_object_or_404(selectors.my_papers(request.user), uuid=uuid)


def _private(response):
    # A share link is a bearer token: keep it out of search engines and Referer headers.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _file_response(paper: StoredPaper, *, attachment: bool) -> FileResponse:
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from exc
    response = FileResponse(handle, as_attachment=attachment, filename=paper.original_name,
                            content_type=paper.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def paper_list(request):
    page = Paginator(selectors.my_papers(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "store/list.html", {"page": page})


@login_required
def paper_detail(request, uuid):
    paper = _own_paper(request, uuid)
    return _render_detail(request, paper, ShareForm())


def _render_detail(request, paper, share_form, *, link: str = "", expires=None, status=200):
    return render(request, "store/detail.html", {
        "paper": paper, "share_form": share_form, "link": link, "expires": expires,
        "uses": paper.uses.select_related("dossier", "dossier__procedure", "agency"),
    }, status=status)


@login_required
def download(request, uuid):
    return _file_response(_own_paper(request, uuid), attachment=True)


@login_required
@require_POST
def share(request, uuid):
    paper = _own_paper(request, uuid)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, paper, form, status=400)
    try:
        path, expires = services.share_link(owner=request.user, paper=paper,
                                            days=form.cleaned_data["days"])
    except DomainError as exc:
        add_domain_errors(form, exc)
        return _render_detail(request, paper, form, status=exc.status)
    return _render_detail(request, paper, ShareForm(), link=request.build_absolute_uri(path),
                          expires=expires)


@login_required
def uses(request):
    page = Paginator(selectors.my_paper_uses(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "store/uses.html", {"page": page})


@login_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = services.upload_paper(
                owner=request.user, kind=data["kind"], upload=data["file"], title=data["title"],
                issuer_name=data["issuer_name"], number=data["number"],
                issued_on=data["issued_on"], valid_until=data["valid_until"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu “%(title)s” vào kho dữ liệu.")
                             % {"title": paper.title})
            return redirect("store:detail", uuid=paper.uuid)
    return render(request, "store/upload.html", {"form": form},
                  status=400 if form.errors else 200)


def _shared_or_404(token: str):
    try:
        return services.shared_paper(token)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@never_cache
def shared(request, token: str):
    paper, expires = _shared_or_404(token)
    return _private(render(request, "store/shared.html", {"paper": paper, "expires": expires,
                                                          "token": token}))


@never_cache
def shared_download(request, token: str):
    paper, _expires = _shared_or_404(token)
    return _private(_file_response(paper, attachment=True))
