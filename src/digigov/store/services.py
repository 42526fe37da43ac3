"""The data store's use cases: filing papers, offering them for reuse, sharing them.

Like every service module, these functions are the only code that writes the
store's models; a refusal raises a ``DomainError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.accounts.models import User
from digigov.audit.services import record
from digigov.core.errors import InvalidInput, NotAllowed, NotFound
from digigov.dossiers.uploads import inspect_upload

from .models import ComponentKind, PaperKind, PaperUse, ResultKind, Source, StoredPaper

SHARE_SALT = "digigov.store.share"
MAX_SHARE_DAYS = 30
DEFAULT_SHARE_DAYS = 7


# -- kinds -------------------------------------------------------------------------------
def component_kind(component) -> PaperKind | None:
    link = ComponentKind.objects.filter(component=component).select_related("kind").first()
    return link.kind if link else None


def result_kind(procedure) -> PaperKind | None:
    link = ResultKind.objects.filter(procedure=procedure).select_related("kind").first()
    return link.kind if link else None


def component_kinds(components: Iterable) -> dict[int, PaperKind]:
    """``{component pk: kind}`` for the components that accept a kind of paper."""
    links = ComponentKind.objects.filter(component__in=list(components)).select_related("kind")
    return {link.component_id: link.kind for link in links}


# -- owners ------------------------------------------------------------------------------
def owner_of(dossier) -> User | None:
    """Whose store a dossier's papers belong to: its account, else the holder of its ID number.

    A dossier registered at the counter may have no account; its applicant's
    store is found through the personal ID or tax code declared on it.
    """
    if dossier.applicant_id:
        return dossier.applicant
    return owner_by_id_number(dossier.applicant_id_number)


def owner_by_id_number(id_number: str | None) -> User | None:
    """The citizen or business account holding this personal ID or tax code, if any."""
    id_number = (id_number or "").strip()
    if not id_number:
        return None
    return (User.objects.filter(Q(personal_id=id_number) | Q(tax_code=id_number))
            .exclude(kind=User.Kind.OFFICIAL).order_by("pk").first())


# -- filing papers -----------------------------------------------------------------------------
def _check_dates(issued_on: dt.date | None, valid_until: dt.date | None) -> None:
    if issued_on and valid_until and valid_until < issued_on:
        raise InvalidInput(_("Ngày hết hạn phải sau ngày cấp."),
                           fields={"valid_until": [_("Trước ngày cấp.")]})


@transaction.atomic
def store_paper(*, owner: User, kind: PaperKind, upload, source: str, title: str = "",
                issuer_name: str = "", issuer_code: str = "", number: str = "",
                issued_on: dt.date | None = None, valid_until: dt.date | None = None,
                dossier=None, actor=None) -> StoredPaper:
    """File one paper in ``owner``'s store; the content type is checked by content."""
    if owner is None or not owner.pk:
        raise InvalidInput(_("Giấy tờ phải có chủ sở hữu có tài khoản."))
    if source not in Source.values:
        raise InvalidInput(_("Nguồn giấy tờ không hợp lệ."),
                           fields={"source": [_("Không hợp lệ.")]})
    _check_dates(issued_on, valid_until)
    facts = inspect_upload(upload, field="file")
    paper = StoredPaper.objects.create(
        owner=owner, kind=kind, title=(title or kind.name).strip()[:300],
        issuer_name=issuer_name.strip()[:300], issuer_code=issuer_code.strip()[:35],
        number=number.strip()[:100], issued_on=issued_on, valid_until=valid_until,
        file=upload, original_name=(upload.name or kind.code)[:255], source=source,
        dossier=dossier, **facts,
    )
    record(actor=actor or owner, action="store_paper", obj=paper, source=source,
           kind=kind.code, dossier=dossier.code if dossier else "")
    return paper


def store_result(dossier, file_bytes: bytes, *, filename: str = "ket-qua.pdf",
                 kind: PaperKind | None = None, title: str = "", number: str = "",
                 issued_on: dt.date | None = None, valid_until: dt.date | None = None,
                 actor=None) -> StoredPaper | None:
    """File a dossier's signed result in the applicant's store.

    The kind is the procedure's result kind unless given. Returns None when
    the applicant has no account to own a store (the result is then handed
    over on paper or by e-mail only).
    """
    owner = owner_of(dossier)
    if owner is None:
        return None
    kind = kind or result_kind(dossier.procedure)
    if kind is None:
        raise InvalidInput(
            _("Thủ tục %(code)s chưa khai báo loại giấy tờ của kết quả; không lưu được vào kho.")
            % {"code": dossier.procedure.national_code},
            fields={"kind": [_("Bắt buộc.")]})
    return store_paper(
        owner=owner, kind=kind, upload=ContentFile(file_bytes, name=filename),
        source=Source.RESULT, title=title or dossier.procedure_version.result_type or kind.name,
        issuer_name=dossier.agency.name, issuer_code=dossier.agency.code, number=number,
        issued_on=issued_on or timezone.localdate(), valid_until=valid_until, dossier=dossier,
        actor=actor,
    )


@transaction.atomic
def store_digitised(dossier_file, *, kind: PaperKind | None = None, title: str = "",
                    number: str = "", issued_on: dt.date | None = None,
                    valid_until: dt.date | None = None, actor=None) -> StoredPaper | None:
    """File a digitised component in the applicant's store, sharing its stored file.

    The stored paper names the same storage object as the dossier file (no
    copy). Filing the same component twice returns the first record. Returns
    None when the applicant has no account.
    """
    dossier = dossier_file.dossier
    if dossier_file.is_reused:
        # It came from the store: it is there already.
        return dossier_file.reused_from
    owner = owner_of(dossier)
    if owner is None:
        return None
    kind = kind or (component_kind(dossier_file.component) if dossier_file.component_id else None)
    if kind is None:
        raise InvalidInput(_("Thành phần hồ sơ này chưa khai báo loại giấy tờ; không lưu được "
                             "vào kho."), fields={"kind": [_("Bắt buộc.")]})
    _check_dates(issued_on, valid_until)
    existing = StoredPaper.objects.filter(owner=owner, source=Source.DIGITISED, dossier=dossier,
                                          file=dossier_file.file.name).first()
    if existing:
        return existing
    paper = StoredPaper.objects.create(
        owner=owner, kind=kind,
        title=(title or (dossier_file.component.name if dossier_file.component_id
                         else kind.name))[:300],
        issuer_name=dossier.agency.name, issuer_code=dossier.agency.code, number=number[:100],
        issued_on=issued_on, valid_until=valid_until, file=dossier_file.file.name,
        original_name=dossier_file.original_name, content_type=dossier_file.content_type,
        size=dossier_file.size, sha256=dossier_file.sha256, source=Source.DIGITISED,
        dossier=dossier,
    )
    record(actor=actor, action="store_paper", obj=paper, source=Source.DIGITISED,
           kind=kind.code, dossier=dossier.code)
    return paper


# -- reuse -------------------------------------------------------------------------------------
def papers_for_reuse(user, component, *, on: dt.date | None = None) -> QuerySet[StoredPaper]:
    """The owner's papers a component accepts: its kind, still valid on ``on`` (today)."""
    kind = component_kind(component)
    if kind is None or not getattr(user, "pk", None):
        return StoredPaper.objects.none()
    return usable_papers(user, on=on).filter(kind=kind)


def usable_papers(user, *, on: dt.date | None = None) -> QuerySet[StoredPaper]:
    on = on or timezone.localdate()
    return (StoredPaper.objects.filter(owner=user)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .select_related("kind").order_by("-issued_on", "-created_at"))


def reusable_papers(user, components: Iterable) -> dict[int, list[StoredPaper]]:
    """``{component pk: valid papers of the kind it accepts}`` from ``user``'s store."""
    if not getattr(user, "pk", None) or getattr(user, "is_official", False):
        return {}
    kinds = component_kinds(components)
    if not kinds:
        return {}
    papers = list(usable_papers(user).filter(kind__in={k.pk for k in kinds.values()}))
    return {pk: [p for p in papers if p.kind_id == kind.pk] for pk, kind in kinds.items()}


@dataclass(frozen=True)
class Reuse:
    component: object
    paper: StoredPaper


def check_reuse(*, owner, version, reuse: Mapping, uploaded: Iterable[str],
                on: dt.date | None = None) -> list[Reuse]:
    """Validate ``{component id: stored paper}`` for a new dossier; field errors on refusal.

    A paper may be linked only by its owner's dossier, to a component of
    this version that accepts its kind, while it is valid, and not beside an
    upload for the same component. A paper of someone else is reported as
    not found, so that its existence is not revealed.
    """
    if not reuse:
        return []
    on = on or timezone.localdate()
    components = {str(c.pk): c for c in version.components.all()}
    kinds = component_kinds(components.values())
    uploaded = {str(key) for key in uploaded}
    checked, errors = [], {}
    for key, paper in reuse.items():
        key = str(key)
        field = f"component_{key}"
        component = components.get(key)
        if component is None:
            errors[field] = [_("Thành phần hồ sơ không thuộc thủ tục này.")]
        elif not isinstance(paper, StoredPaper) or owner is None or paper.owner_id != owner.pk:
            errors[field] = [_("Không tìm thấy giấy tờ này trong kho dữ liệu của người nộp.")]
        elif kinds.get(component.pk) is None or kinds[component.pk].pk != paper.kind_id:
            errors[field] = [_("Giấy tờ “%(title)s” không phải loại mà thành phần “%(name)s” "
                               "yêu cầu.") % {"title": paper.title, "name": component.name}]
        elif not paper.is_valid_on(on):
            day = paper.valid_until.strftime("%d/%m/%Y")
            errors[field] = [_("Giấy tờ “%(title)s” đã hết hiệu lực ngày %(day)s; hãy nộp "
                               "giấy tờ còn hiệu lực.") % {"title": paper.title, "day": day}]
        elif key in uploaded:
            errors[field] = [_("Chọn một trong hai: dùng giấy tờ trong kho hoặc tải tệp lên.")]
        else:
            checked.append(Reuse(component, paper))
    if errors:
        raise InvalidInput(_("Không dùng được giấy tờ trong kho dữ liệu."), fields=errors)
    return checked


def reuse_from_json(raw: str | None, *, field: str = "reuse") -> dict:
    """``{component id: stored paper}`` from the API's JSON ``{component id: paper UUID}``.

    An unknown UUID maps to None, which ``check_reuse`` reports exactly like
    a paper of someone else.
    """
    if raw is None or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise InvalidInput(_("Trường reuse không phải JSON hợp lệ."),
                           fields={field: [_("JSON không hợp lệ.")]}) from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise InvalidInput(_("Trường reuse phải là đối tượng JSON {mã thành phần: UUID giấy tờ}."),
                           fields={field: [_("Không hợp lệ.")]})
    wanted = {}
    for key, text in value.items():
        try:
            wanted[str(key)] = uuid.UUID(text)
        except ValueError:
            raise InvalidInput(_("“%(value)s” không phải UUID.") % {"value": text[:40]},
                               fields={f"{field}.{key}": [_("Không phải UUID.")]}) from None
    papers = StoredPaper.objects.select_related("kind").in_bulk(
        set(wanted.values()), field_name="uuid")
    return {key: papers.get(value) for key, value in wanted.items()}


def record_uses(dossier, reused: Iterable[Reuse], *, how: str,
                at: dt.datetime | None = None) -> list[PaperUse]:
    """Log that the receiving agency used each linked paper for this dossier."""
    at = at or timezone.now()
    return [PaperUse.objects.create(paper=r.paper, dossier=dossier, agency=dossier.agency,
                                    used_at=at, how=how) for r in reused]


# -- owner's own uploads -------------------------------------------------------------------------
def upload_paper(*, owner, kind: PaperKind, upload, title: str = "", issuer_name: str = "",
                 number: str = "", issued_on: dt.date | None = None,
                 valid_until: dt.date | None = None) -> StoredPaper:
    """A citizen or business files a paper of their own."""
    if not getattr(owner, "is_authenticated", False) or owner.is_official:
        raise NotAllowed(_("Chỉ công dân, doanh nghiệp có kho dữ liệu riêng."))
    return store_paper(owner=owner, kind=kind, upload=upload, source=Source.UPLOADED,
                       title=title, issuer_name=issuer_name, number=number,
                       issued_on=issued_on, valid_until=valid_until)


# -- sharing ---------------------------------------------------------------------------------
def share_token(*, owner, paper: StoredPaper, days: int = DEFAULT_SHARE_DAYS,
                now: dt.datetime | None = None) -> tuple[str, dt.datetime]:
    """A signed token that opens ``paper`` without login until it expires."""
    if paper.owner_id != getattr(owner, "pk", None):
        raise NotFound(_("Không tìm thấy giấy tờ."))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_SHARE_DAYS:
        raise InvalidInput(
            _("Thời hạn chia sẻ từ 1 đến %(max)d ngày.") % {"max": MAX_SHARE_DAYS},
            fields={"days": [_("Không hợp lệ.")]})
    now = now or timezone.now()
    # Whole seconds: the token carries the expiry as a Unix time.
    expires = (now + dt.timedelta(days=days)).replace(microsecond=0)
    token = signing.dumps({"p": str(paper.uuid), "e": int(expires.timestamp())}, salt=SHARE_SALT,
                          compress=True)
    record(actor=owner, action="share_paper", obj=paper, expires_at=expires.isoformat())
    return token, expires


def share_link(*, owner, paper: StoredPaper, days: int = DEFAULT_SHARE_DAYS,
                now: dt.datetime | None = None) -> tuple[str, dt.datetime]:
    """The path of a page that shows and downloads ``paper`` without login, and its expiry."""
    token, expires = share_token(owner=owner, paper=paper, days=days, now=now)
    return reverse("store:shared", args=[token]), expires


def shared_paper(token: str, *, now: dt.datetime | None = None) -> tuple[StoredPaper, dt.datetime]:
    """The paper a share token opens, or NotFound when forged, expired or gone."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SHARE_SALT)
        expires = dt.datetime.fromtimestamp(int(data["e"]), tz=dt.UTC)
        paper_uuid = str(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise NotFound(_("Đường dẫn chia sẻ không hợp lệ.")) from None
    if now >= expires:
        raise NotFound(_("Đường dẫn chia sẻ đã hết hạn."))
    paper = StoredPaper.objects.filter(uuid=paper_uuid).select_related("kind").first()
    if paper is None:
        raise NotFound(_("Đường dẫn chia sẻ không hợp lệ."))
    return paper, expires

