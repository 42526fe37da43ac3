"""CKAN Action API v3 (read side) at /api/3/action/<name> and /api/action/<name>.

Answers have CKAN's envelope ``{"help", "success", "result"}``; errors have
CKAN's shapes and statuses: "Not Found Error" 404, "Validation Error" 409,
"Authorization Error" 403, bad requests 400. Parameters come from the query
string (GET) or a JSON body (POST), like CKAN. Without a key only published
datasets are visible; with a digigov API key (``Authorization: <key>``, as
ckanapi sends it, or ``Bearer <key>``) an agency administrator also sees
the drafts of the agencies they administer.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from digigov.accounts.tokens import TokenRefused, token_for_key
from digigov.core.errors import DomainError, InvalidInput, NotAllowed, NotFound
from digigov.core.text import fold

from . import auto, presenters, query, selectors
from .licences import LICENCES
from .models import Dataset, Resource, Tag

CKAN_VERSION = "2.10.4"
MAX_ROWS = 1000
DEFAULT_ROWS = 10
FACET_FIELDS = {"organization", "tags", "res_format", "groups", "license_id"}
SORTS = {
    "score": ("name",), "name": ("name",), "title_string": ("title_sort", "name"),
    "title": ("title_sort", "name"), "metadata_modified": ("metadata_modified", "name"),
    "metadata_created": ("created_at", "name"),
}

ACTIONS: dict[str, Callable] = {}


class BadRequest(DomainError):
    status = 400


def action(func):
    ACTIONS[func.__name__] = func
    return func


# -- parameters ------------------------------------------------------------------------------
def _bool(params: dict, key: str, default: bool = False) -> bool:
    value = params.get(key, default)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "1", "yes", "on"}


def _int(params: dict, key: str, default: int, *, low: int = 0, high: int | None = None) -> int:
    value = params.get(key, default)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("“%(key)s” phải là số nguyên.") % {"key": key},
                           fields={key: ["Invalid integer"]}) from None
    if number < low or (high is not None and number > high):
        raise InvalidInput(_("“%(key)s” nằm ngoài khoảng cho phép.") % {"key": key},
                           fields={key: [f"Must be between {low} and "
                                         f"{'∞' if high is None else high}"]})
    return number


def _required(params: dict, key: str = "id") -> str:
    value = params.get(key)
    if value in (None, ""):
        raise InvalidInput(_("Thiếu tham số “%(key)s”.") % {"key": key},
                           fields={key: ["Missing value"]})
    return str(value).strip()


def _list(params: dict, key: str) -> list[str]:
    value = params.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            raise InvalidInput(_("“%(key)s” không phải danh sách JSON.") % {"key": key},
                               fields={key: ["Invalid JSON list"]}) from None
        return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]
    return [text]


# -- who ------------------------------------------------------------------------------------------
def _user(request: HttpRequest):
    header = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key")
    if not header:
        return None
    key = header.split(" ", 1)[1] if header.lower().startswith("bearer ") else header
    try:
        return token_for_key(key).user
    except TokenRefused as refused:
        raise NotAllowed(refused.detail) from None


def _visible(request) -> Q:
    return Q(pk__in=selectors.visible_datasets(_user(request)).values("pk"))


def _dataset(request, ident: str) -> Dataset:
    """A dataset by id (UUID) or name; 404 when absent, 403 for someone else's draft."""
    lookup = Q(name=ident.lower())
    with contextlib.suppress(ValueError):
        lookup |= Q(uuid=uuid.UUID(ident))
    dataset = Dataset.objects.select_related("publisher").filter(lookup).first()
    if dataset is None:
        raise NotFound(_("Không tìm thấy bộ dữ liệu."))
    if not dataset.is_published:
        from .services import can_manage

        if not can_manage(_user(request), dataset.publisher):
            raise NotAllowed(_("Không có quyền xem bộ dữ liệu %(id)s.") % {"id": ident})
    if dataset.automatic:
        dataset = auto.ensure_fresh(dataset)
    return selectors.with_relations(Dataset.objects.filter(pk=dataset.pk)).get()


# -- actions ----------------------------------------------------------------------------------
@action
def package_list(request, params):
    """Return the names of the site's published datasets."""
    limit = _int(params, "limit", 0, low=0) or None
    offset = _int(params, "offset", 0, low=0)
    names = Dataset.objects.filter(state=Dataset.State.PUBLISHED).order_by("name") \
        .values_list("name", flat=True)
    return list(names[offset:offset + limit] if limit else names[offset:])


@action
def package_show(request, params):
    """Return the metadata of a dataset (package) and its resources; ``id``: id or name."""
    return presenters.package_dict(_dataset(request, _required(params)), request)


def _facets(qs, fields: list[str], *, limit: int, mincount: int) -> tuple[dict, dict]:
    """Counts of the matching datasets per value, by GROUP BY queries in the database."""
    ids = qs.order_by().values("pk")
    counts: dict[str, list[tuple[str, str, int]]] = {}   # field: [(value, title, count)]
    for field in fields:
        if field == "organization":
            rows = (Dataset.objects.filter(pk__in=ids).values("publisher__code", "publisher__name")
                    .annotate(n=Count("pk")))
            counts[field] = [(r["publisher__code"].lower().replace(".", "-"),
                              r["publisher__name"], r["n"]) for r in rows]
        elif field == "tags":
            rows = (Dataset.tags.through.objects.filter(dataset__in=ids).values("tag__name")
                    .annotate(n=Count("dataset", distinct=True)))
            counts[field] = [(r["tag__name"], r["tag__name"], r["n"]) for r in rows]
        elif field == "groups":
            rows = (Dataset.groups.through.objects.filter(dataset__in=ids)
                    .values("group__name", "group__title")
                    .annotate(n=Count("dataset", distinct=True)))
            counts[field] = [(r["group__name"], r["group__title"], r["n"]) for r in rows]
        elif field == "res_format":
            rows = (Resource.objects.filter(dataset__in=ids).values("format")
                    .annotate(n=Count("dataset", distinct=True)))
            counts[field] = [(r["format"], r["format"], r["n"]) for r in rows]
        else:  # license_id
            rows = Dataset.objects.filter(pk__in=ids).values("licence_id").annotate(n=Count("pk"))
            counts[field] = [(r["licence_id"], LICENCES[r["licence_id"]].title
                              if r["licence_id"] in LICENCES else r["licence_id"], r["n"])
                             for r in rows]
    facets, search_facets = {}, {}
    for field, items in counts.items():
        items = sorted((i for i in items if i[2] >= mincount), key=lambda i: (-i[2], i[0]))
        if limit >= 0:
            items = items[:limit]
        facets[field] = {value: n for value, _title, n in items}
        search_facets[field] = {
            "title": field,
            "items": [{"name": value, "display_name": title, "count": n}
                      for value, title, n in items],
        }
    return facets, search_facets


def _order(sort: str) -> list[str]:
    order: list[str] = []
    for part in (sort or "score desc, metadata_modified desc").split(","):
        words = part.split()
        if not words:
            continue
        field = words[0]
        direction = words[1].lower() if len(words) > 1 else "asc"
        if field not in SORTS or direction not in {"asc", "desc"} or len(words) > 2:
            raise InvalidInput(_("Không sắp xếp theo “%(sort)s” được.") % {"sort": part.strip()},
                               fields={"sort": [f"Invalid sort: {part.strip()}; use name, "
                                                "title_string, metadata_modified, "
                                                "metadata_created, score with asc or desc"]})
        if field == "score":
            continue
        prefix = "-" if direction == "desc" else ""
        for column in SORTS[field]:
            key = prefix + column if column == SORTS[field][0] else column
            if key.lstrip("-") not in {o.lstrip("-") for o in order}:
                order.append(key)
    return order or ["name"]


@action
def package_search(request, params):
    """Search datasets: ``q``, ``fq`` (organization:, tags:, res_format:, groups:, name:,
    license_id:; AND/OR/NOT), ``rows``, ``start``, ``sort``, ``facet.field``,
    ``facet.limit``, ``facet.mincount``."""
    rows = _int(params, "rows", DEFAULT_ROWS, low=0, high=MAX_ROWS)
    start = _int(params, "start", 0, low=0)
    auto.refresh_stale()
    q = str(params.get("q") or "").strip()
    fq = str(params.get("fq") or "").strip()
    qs = Dataset.objects.filter(_visible(request))
    if not _bool(params, "include_private", False):
        qs = qs.filter(state=Dataset.State.PUBLISHED)
    try:
        condition = query.parse(q) if query.has_fields(q) else selectors.text_filter(q)
        condition &= query.parse(fq)
    except query.QuerySyntaxError as exc:
        raise InvalidInput(exc.message, fields={"q" if not fq else "fq": [str(exc.message)]}) \
            from None
    qs = selectors.with_relations(qs.filter(condition)).order_by(*_order(
        str(params.get("sort") or "")))
    count = qs.count()
    results = [presenters.package_dict(d, request) for d in qs[start:start + rows]]
    out = {"count": count, "sort": str(params.get("sort") or "score desc, metadata_modified desc"),
           "results": results, "facets": {}, "search_facets": {}}
    fields = _list(params, "facet.field")
    if fields:
        unknown = [f for f in fields if f not in FACET_FIELDS]
        if unknown:
            raise InvalidInput(_("Không thống kê theo trường “%(field)s” được.")
                               % {"field": unknown[0]},
                               fields={"facet.field": [f"Unknown facet field: {unknown[0]}"]})
        facets, search_facets = _facets(
            qs, fields, limit=_int(params, "facet.limit", 50, low=-1),
            mincount=_int(params, "facet.mincount", 1, low=0))
        out["facets"], out["search_facets"] = facets, search_facets
    return out


@action
def resource_show(request, params):
    """Return the metadata of a resource; ``id``: the resource id."""
    ident = _required(params)
    try:
        key = uuid.UUID(ident)
    except ValueError:
        raise NotFound(_("Không tìm thấy tài nguyên.")) from None
    resource = Resource.objects.select_related("dataset").filter(uuid=key).first()
    if resource is None:
        raise NotFound(_("Không tìm thấy tài nguyên."))
    dataset = _dataset(request, str(resource.dataset.uuid))
    resource = next((r for r in dataset.resources.all() if r.uuid == key), None)
    if resource is None:
        raise NotFound(_("Không tìm thấy tài nguyên."))
    out = presenters.resource_dict(resource, request)
    out["package_name"] = dataset.name
    return out


def _paged(params, items: list):
    limit = _int(params, "limit", 0, low=0)
    offset = _int(params, "offset", 0, low=0)
    return items[offset:offset + limit] if limit else items[offset:]


def _group_order(params, items, *, title=lambda x: x.title):
    sort = str(params.get("sort") or "name asc").strip().lower()
    field, _sep, direction = sort.partition(" ")
    direction = direction.strip() or "asc"
    if field not in {"name", "title", "package_count"} or direction not in {"asc", "desc"}:
        raise InvalidInput(_("Không sắp xếp theo “%(sort)s” được.") % {"sort": sort},
                           fields={"sort": ["Invalid sort"]})
    keys = {"name": lambda x: x[0], "title": lambda x: fold(x[1]),
            "package_count": lambda x: x[2]}
    return sorted(items, key=keys[field], reverse=direction == "desc")


@action
def organization_list(request, params):
    """Return the publishing organizations (agencies with published datasets); ``all_fields``,
    ``sort``, ``limit``, ``offset``."""
    agencies = list(selectors.publishers())
    rows = [(selectors.org_name(a), a.name, a.package_count, a) for a in agencies]
    rows = _paged(params, _group_order(params, rows))
    if _bool(params, "all_fields"):
        return [presenters.organization_dict(r[3], request, package_count=r[2]) for r in rows]
    return [r[0] for r in rows]


@action
def organization_show(request, params):
    """Return an organization; ``id``: id, name or organ code; ``include_datasets``."""
    agency = selectors.agency_by_org_name(_required(params))
    if agency is None:
        raise NotFound(_("Không tìm thấy tổ chức."))
    published = selectors.published_datasets().filter(publisher=agency)
    out = presenters.organization_dict(agency, request, package_count=published.count())
    if _bool(params, "include_datasets"):
        out["packages"] = [presenters.package_dict(d, request) for d in published[:1000]]
    return out


@action
def group_list(request, params):
    """Return the groups (themes); ``all_fields``, ``sort``, ``limit``, ``offset``."""
    rows = [(g.name, g.title, g.package_count, g) for g in selectors.groups()]
    rows = _paged(params, _group_order(params, rows))
    if _bool(params, "all_fields"):
        return [presenters.group_dict(r[3], package_count=r[2]) for r in rows]
    return [r[0] for r in rows]


@action
def group_show(request, params):
    """Return a group (theme); ``id``: id or name."""
    ident = _required(params)
    lookup = Q(name=ident)
    with contextlib.suppress(ValueError):
        lookup |= Q(uuid=uuid.UUID(ident))
    group = selectors.groups().filter(lookup).first()
    if group is None:
        raise NotFound(_("Không tìm thấy chủ đề."))
    return presenters.group_dict(group, package_count=group.package_count)


@action
def tag_list(request, params):
    """Return the tags of published datasets; ``query`` filters them, ``all_fields``."""
    tags = Tag.objects.filter(datasets__state=Dataset.State.PUBLISHED).distinct().order_by("name")
    words = fold(str(params.get("query") or "")).split()
    for word in words:
        tags = tags.filter(folded__contains=word)
    if _bool(params, "all_fields"):
        return [{"id": str(t.pk), "name": t.name, "display_name": t.name,
                 "vocabulary_id": None} for t in tags]
    return list(tags.values_list("name", flat=True))


@action
def license_list(request, params):
    """Return the licences datasets may use."""
    return [{"id": lic.id, "title": lic.title, "url": lic.url,
             "od_conformance": lic.od_conformance, "status": "active"}
            for lic in LICENCES.values()]


@action
def status_show(request, params):
    """Return the site's version and configuration."""
    from django.utils.translation import override

    with override("vi"):
        title = settings.SITE_NAME or _("Cổng dữ liệu mở digigov")
    return {
        "ckan_version": CKAN_VERSION, "site_title": title,
        "site_url": presenters.base_url(request), "site_description": "",
        "error_emails_to": None, "locale_default": "vi",
        "extensions": ["digigov-opendata", "dcat"],
    }


@action
def help_show(request, params):
    """Return the help text of an action; ``name``: the action."""
    name = _required(params, "name")
    func = ACTIONS.get(name)
    if func is None:
        raise NotFound(_("Không có hàm %(name)s.") % {"name": name})
    return func.__doc__


# -- HTTP ------------------------------------------------------------------------------------------
def _help(request, name: str) -> str:
    return presenters.base_url(request) + f"/api/3/action/help_show?name={name}"


def _answer(request, name: str, status: int, body: dict) -> JsonResponse:
    response = JsonResponse({"help": _help(request, name), **body}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


ERROR_TYPES = {404: "Not Found Error", 403: "Authorization Error", 409: "Validation Error",
               400: "Bad Request"}


def _params(request: HttpRequest) -> dict:
    params: dict = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    if request.method == "POST" and request.body:
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params.update({k: request.POST.get(k) for k in request.POST})
        else:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise BadRequest(f"JSON Error: {exc}") from None
            if not isinstance(body, dict):
                raise BadRequest("JSON Error: the body must be a JSON object")
            params.update(body)
    return params


@csrf_exempt
def action_view(request: HttpRequest, name: str):
    func = ACTIONS.get(name)
    if request.method not in ("GET", "POST"):
        return _answer(request, name, 405, {"success": False, "error": {
            "__type": "Bad Request", "message": "Method not allowed: use GET or POST"}})
    if func is None:
        return _answer(request, name, 400, {"success": False, "error": {
            "__type": "Bad Request", "message": f"Bad request - Action name not known: {name}"}})
    try:
        result = func(request, _params(request))
    except DomainError as exc:
        status = exc.status if exc.status in ERROR_TYPES else 409
        error = {"__type": ERROR_TYPES[status], "message": str(exc.message)}
        if status == 409:
            error.update({key: [str(m) for m in messages] if isinstance(messages, list | tuple)
                          else [str(messages)] for key, messages in exc.fields.items()})
        return _answer(request, name, status, {"success": False, "error": error})
    return _answer(request, name, 200, {"success": True, "result": result})


def api_root(request: HttpRequest):
    return JsonResponse({"version": 3})
