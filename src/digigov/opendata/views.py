"""Pages of the open-data portal (public) and of its office (agency administrators)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digigov.accounts.forms import add_domain_errors
from digigov.core.errors import DomainError

from . import auto, dcat, presenters, selectors, services
from .forms import DatasetForm, ResourceForm, SearchForm
from .models import Dataset, Group, Resource

PER_PAGE = 20


# -- public portal -------------------------------------------------------------------------------
def index(request):
    auto.refresh_stale()
    publishers = [(selectors.org_name(a), f"{a.name} ({a.package_count})")
                  for a in selectors.publishers()]
    groups = [(g.name, g.title) for g in selectors.groups() if g.package_count]
    form = SearchForm(request.GET or None, publishers=publishers, groups=groups,
                      formats=selectors.formats_in_use())
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.search_datasets(
        filters.get("q"), publisher=filters.get("publisher"), tag=filters.get("tag"),
        format=filters.get("format"), group=filters.get("group")).order_by("title_sort", "name")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "opendata/index.html", {
        "form": form, "page": page, "query": query, "searched": bool(query),
        "tags": selectors.tags_in_use()[:30],
        "manages": services.managed_agencies(request.user).exists(),
    }, status=400 if form.errors else 200)


def _visible_dataset(request, name: str) -> Dataset:
    dataset = get_object_or_404(Dataset.objects.select_related("publisher"), name=name)
    if not dataset.is_published and not services.can_manage(request.user, dataset.publisher):
        raise Http404(_("Không tìm thấy bộ dữ liệu."))
    if dataset.automatic:
        dataset = auto.ensure_fresh(dataset)
    return selectors.with_relations(Dataset.objects.filter(pk=dataset.pk)).get()


def dataset_detail(request, name: str):
    dataset = _visible_dataset(request, name)
    return render(request, "opendata/dataset.html", {
        "dataset": dataset, "package": presenters.package_dict(dataset, request),
        "resources": [(r, presenters.resource_url(r, request)) for r in dataset.resources.all()],
        "can_manage": services.can_manage(request.user, dataset.publisher),
    })


def _resource(request, name: str, rid) -> tuple[Dataset, Resource]:
    dataset = _visible_dataset(request, name)
    resource = next((r for r in dataset.resources.all() if r.uuid == rid), None)
    if resource is None:
        raise Http404(_("Không tìm thấy tài nguyên."))
    return dataset, resource


def resource_detail(request, name: str, rid):
    dataset, resource = _resource(request, name, rid)
    return render(request, "opendata/resource.html", {
        "dataset": dataset, "resource": resource,
        "url": presenters.resource_url(resource, request)})


def download(request, name: str, rid, filename: str):
    dataset, resource = _resource(request, name, rid)
    if not resource.is_file:
        return HttpResponseRedirect(resource.url)
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from exc
    response = FileResponse(handle, as_attachment=True,
                            filename=f"{dataset.name}.{resource.extension}",
                            content_type=resource.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    response["Last-Modified"] = http_date(resource.last_modified.timestamp())
    return response


def _catalog_key(request, fmt: str) -> str:
    """A key that changes whenever the published catalog does (or its address)."""
    published = Dataset.objects.filter(state=Dataset.State.PUBLISHED)
    datasets = published.aggregate(n=Count("pk"), m=Max("metadata_modified"),
                                   d=Max("data_modified"))
    resources = Resource.objects.filter(dataset__in=published.values("pk")).aggregate(
        n=Count("pk"), m=Max("last_modified"))
    raw = f"{fmt}|{presenters.base_url(request)}|{sorted(datasets.items())}|" \
          f"{sorted(resources.items())}|{Group.objects.count()}"
    return "opendata:dcat:" + hashlib.sha256(raw.encode()).hexdigest()


def _catalog(request, fmt: str) -> HttpResponse:
    auto.refresh_stale()
    key = _catalog_key(request, fmt)
    body = cache.get(key)
    if body is None:
        datasets = list(selectors.published_datasets().order_by("name"))
        body = dcat.serialize(dcat.build_graph(datasets, request), fmt)
        cache.set(key, body, int(getattr(settings, "OPENDATA_CATALOG_CACHE_SECONDS", 300)))
    response = HttpResponse(body, content_type=f"{dcat.CONTENT_TYPES[fmt]}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def catalog_jsonld(request):
    return _catalog(request, "json-ld")


def catalog_ttl(request):
    return _catalog(request, "turtle")


def catalog(request):
    fmt = dcat.negotiate(request.headers.get("Accept", ""))
    if fmt is None:
        response = HttpResponse(
            _("Định dạng được hỗ trợ: text/turtle, application/ld+json, application/rdf+xml."),
            status=406, content_type="text/plain; charset=utf-8")
    else:
        response = _catalog(request, fmt)
    response["Vary"] = "Accept"
    return response


# -- office ------------------------------------------------------------------------------------
def _agencies(request):
    agencies = services.managed_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("Chỉ quản trị cơ quan được quản lý dữ liệu mở."))
    return agencies


def _managed(request, name: str) -> Dataset:
    dataset = get_object_or_404(Dataset.objects.select_related("publisher"), name=name)
    if not services.can_manage(request.user, dataset.publisher):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan công bố được quản lý bộ dữ liệu này."))
    return dataset


@login_required
def office_list(request):
    agencies = _agencies(request)
    qs = selectors.with_relations(Dataset.objects.filter(publisher__in=agencies)).order_by(
        "state", "title_sort")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "opendata/office/list.html", {"page": page, "agencies": agencies})


def _dataset_fields(data: dict) -> dict:
    return {"name": data["name"], "title": data["title"], "notes": data["notes"],
            "licence_id": data["licence_id"], "tags": data["tags"],
            "groups": list(data["groups"]), "frequency": data["frequency"],
            "temporal_start": data["temporal_start"], "temporal_end": data["temporal_end"],
            "spatial": data["spatial"], "contact_name": data["contact_name"],
            "contact_email": data["contact_email"]}


@login_required
def office_create(request):
    agencies = _agencies(request)
    form = DatasetForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.create_dataset(actor=request.user,
                                              publisher=form.cleaned_data["publisher"],
                                              **_dataset_fields(form.cleaned_data))
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo bản nháp “%(title)s”. Hãy thêm tài nguyên rồi "
                                        "công bố.") % {"title": dataset.title})
            return redirect("opendata:office_dataset", name=dataset.name)
    return render(request, "opendata/office/dataset_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def office_dataset(request, name: str):
    dataset = _managed(request, name)
    dataset = selectors.with_relations(Dataset.objects.filter(pk=dataset.pk)).get()
    return render(request, "opendata/office/dataset.html", {
        "dataset": dataset, "form": ResourceForm()})


@login_required
def office_edit(request, name: str):
    dataset = _managed(request, name)
    initial = {"name": dataset.name, "title": dataset.title, "notes": dataset.notes,
               "licence_id": dataset.licence_id,
               "tags": ", ".join(dataset.tags.values_list("name", flat=True)),
               "groups": list(dataset.groups.all()), "frequency": dataset.frequency,
               "temporal_start": dataset.temporal_start, "temporal_end": dataset.temporal_end,
               "spatial": dataset.spatial, "contact_name": dataset.contact_name,
               "contact_email": dataset.contact_email}
    form = DatasetForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.update_dataset(actor=request.user, dataset=dataset,
                                              **_dataset_fields(form.cleaned_data))
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin bộ dữ liệu."))
            return redirect("opendata:office_dataset", name=dataset.name)
    return render(request, "opendata/office/dataset_form.html",
                  {"form": form, "dataset": dataset}, status=400 if form.errors else 200)


def _state_action(request, name: str, func, done: str):
    dataset = _managed(request, name)
    try:
        func(actor=request.user, dataset=dataset)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("opendata:office_dataset", name=dataset.name)
    messages.success(request, done % {"title": dataset.title})
    return None


@login_required
@require_POST
def office_publish(request, name: str):
    return _state_action(request, name, services.publish_dataset,
                         _("Đã công bố “%(title)s”.")) or redirect("opendata:office_dataset",
                                                                   name=name)


@login_required
@require_POST
def office_unpublish(request, name: str):
    return _state_action(request, name, services.unpublish_dataset,
                         _("Đã ngừng công bố “%(title)s”.")) or redirect(
        "opendata:office_dataset", name=name)


@login_required
@require_POST
def office_delete(request, name: str):
    return _state_action(request, name, services.delete_dataset,
                         _("Đã xóa bản nháp “%(title)s”.")) or redirect("opendata:office")


@login_required
def office_add_resource(request, name: str):
    dataset = _managed(request, name)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.add_resource(actor=request.user, dataset=dataset,
                                             name=data["name"], description=data["description"],
                                             upload=data["file"], url=data["url"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm tài nguyên “%(name)s”.")
                             % {"name": resource.name})
            return redirect("opendata:office_dataset", name=dataset.name)
    return render(request, "opendata/office/resource_form.html",
                  {"form": form, "dataset": dataset}, status=400 if form.errors else 200)


@login_required
def office_replace_resource(request, name: str, rid):
    dataset = _managed(request, name)
    resource = get_object_or_404(dataset.resources, uuid=rid)
    form = ResourceForm(request.POST or None, request.FILES or None,
                        initial={"name": resource.name, "description": resource.description,
                                 "url": resource.url})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        url = data["url"] if data["url"] != resource.url else ""
        try:
            services.replace_resource(actor=request.user, resource=resource,
                                      upload=data["file"], url=url,
                                      name=data["name"] or resource.name,
                                      description=data["description"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật tài nguyên “%(name)s”.")
                             % {"name": data["name"] or resource.name})
            return redirect("opendata:office_dataset", name=dataset.name)
    return render(request, "opendata/office/resource_form.html",
                  {"form": form, "dataset": dataset, "resource": resource},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def office_delete_resource(request, name: str, rid):
    dataset = _managed(request, name)
    resource = get_object_or_404(dataset.resources, uuid=rid)
    try:
        services.delete_resource(actor=request.user, resource=resource)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã xóa tài nguyên “%(name)s”.") % {"name": resource.name})
    return redirect("opendata:office_dataset", name=dataset.name)
