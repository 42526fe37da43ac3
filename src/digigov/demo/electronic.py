"""The demo's electronic side: certificates, paper kinds, papers in the store, signed results.

A local certificate authority issues certificates to every demo agency and
leader (a closed-network setup; a real instance imports its agencies'
certificates with `digigov signing_import`). Paper kinds are mapped onto the
demo catalog by the words of component and procedure names, so reuse from
the data store works; each demo citizen holds a digitised ID card; and a
number of returned online dossiers carry a signed electronic result filed in
their applicant's store.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from digigov.accounts.models import Role
from digigov.catalog.models import ComponentSpec, Procedure
from digigov.dossiers.models import Channel, Dossier, Status
from digigov.dossiers.results import issue_electronic_result
from digigov.signing import services as signing
from digigov.store.models import ComponentKind, PaperKind, ResultKind, Source
from digigov.store.services import store_paper

from .organisation import DemoOrganisation
from .pdf import make_pdf

# (words in the name, paper kind code): the first match wins.
COMPONENT_KINDS = (
    ("tùy thân", "can-cuoc"),
    ("căn cước", "can-cuoc"),
    ("giấy chứng sinh", "giay-chung-sinh"),
    ("tình trạng hôn nhân", "xac-nhan-tinh-trang-hon-nhan"),
    ("bản sao giấy khai sinh", "giay-khai-sinh"),
)
RESULT_KINDS = (
    ("đăng ký lại khai sinh", "giay-khai-sinh"),
    ("đăng ký khai sinh", "giay-khai-sinh"),
    ("kết hôn", "giay-chung-nhan-ket-hon"),
    ("tình trạng hôn nhân", "xac-nhan-tinh-trang-hon-nhan"),
    ("khai tử", "trich-luc-khai-tu"),
    ("lý lịch tư pháp", "ly-lich-tu-phap"),
    ("hộ kinh doanh", "dang-ky-ho-kinh-doanh"),
    ("giấy phép xây dựng", "giay-phep-xay-dung"),
    ("thường trú", "giay-xac-nhan-cu-tru"),
    ("tạm trú", "giay-xac-nhan-cu-tru"),
)


def _kind_for(name: str, table) -> PaperKind | None:
    name = name.casefold()
    for words, code in table:
        if words in name:
            return PaperKind.objects.get(code=code)
    return None


def map_paper_kinds() -> None:
    for component in ComponentSpec.objects.all():
        kind = _kind_for(component.name, COMPONENT_KINDS)
        if kind:
            ComponentKind.objects.get_or_create(component=component, defaults={"kind": kind})
    for procedure in Procedure.objects.all():
        kind = _kind_for(procedure.name, RESULT_KINDS)
        if kind:
            ResultKind.objects.get_or_create(procedure=procedure, defaults={"kind": kind})


def create_certificates(org: DemoOrganisation) -> int:
    signing.create_local_ca("CA nội bộ digigov (dữ liệu demo)", actor=org.admin)
    count = 0
    staffed = {key for key, _role in org.officials}
    for key in staffed:
        signing.issue_credential(agency=org.agencies[key], actor=org.admin)
        count += 1
    for (_key, role), user in org.officials.items():
        # Leaders sign results; counter officers sign the copies they digitise.
        if role in (Role.LEADER, Role.COUNTER_OFFICER):
            signing.issue_credential(officer=user, actor=org.admin)
            count += 1
    return count


def give_citizens_their_id_cards(org: DemoOrganisation) -> None:
    """Each demo citizen's ID card, as digitised at a counter earlier."""
    kind = PaperKind.objects.get(code="can-cuoc")
    today = timezone.localdate()
    for citizen in org.citizens:
        pdf = make_pdf("Can cuoc cong dan", f"So: {citizen.personal_id}")
        store_paper(owner=citizen, kind=kind, upload=ContentFile(pdf, name="can-cuoc.pdf"),
                    source=Source.DIGITISED, title=kind.name,
                    issuer_name="Cục Cảnh sát quản lý hành chính về trật tự xã hội",
                    number=citizen.personal_id, issued_on=today - dt.timedelta(days=900),
                    valid_until=today + dt.timedelta(days=3 * 365))


def issue_results(*, limit: int, seed: int) -> int:
    """Signed results for returned online dossiers of procedures whose result is a paper kind."""
    candidates = list(
        Dossier.objects.filter(status=Status.RETURNED, channel=Channel.ONLINE,
                               applicant__isnull=False,
                               procedure__result_kind_link__isnull=False)
        .select_related("agency", "procedure", "procedure_version").order_by("code"))
    random.Random(seed).shuffle(candidates)
    issued = 0
    for dossier in candidates[:limit]:
        leader = (dossier.agency.role_assignments.filter(role=Role.LEADER)
                  .select_related("user").first())
        if leader is None:
            continue
        issue_electronic_result(official=leader.user, dossier=dossier)
        issued += 1
    return issued
