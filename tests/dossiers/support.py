"""Helpers for dossier tests: build dossiers in a given state and prove refusals change nothing."""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.audit.models import AuditEvent
from digigov.dossiers import services
from digigov.dossiers.models import (
    Apology,
    Dossier,
    DossierFile,
    DossierSequence,
    FinancialObligation,
    Notification,
    Rating,
    StepRecord,
    SupplementRequest,
)
from tests.conftest import FORM, PDF_BYTES, component_files, vn

# Monday 2 March 2026: submitted 09:00, received 10:00, due Thursday 5 March 10:00.
SUBMITTED = vn(2026, 3, 2, 9, 0)
RECEIVED = vn(2026, 3, 2, 10, 0)
DUE = vn(2026, 3, 5, 10, 0)
SCORES = {"total_time": 2, "agency_time": 2, "contacts": 2, "agencies_contacted": 1,
          "one_stop": 2, "published": 2, "attitude": 1, "feedback": 2, "online_quality": 0}


def files_on_disk() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def state() -> dict:
    """Everything a dossier service may write, for before/after comparison."""
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values()),
        "sequences": list(DossierSequence.objects.order_by("pk").values()),
        "steps": list(StepRecord.objects.order_by("pk").values()),
        "supplements": list(SupplementRequest.objects.order_by("pk").values()),
        "obligations": list(FinancialObligation.objects.order_by("pk").values()),
        "apologies": list(Apology.objects.order_by("pk").values()),
        "ratings": list(Rating.objects.order_by("pk").values()),
        "files": list(DossierFile.objects.order_by("pk").values()),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", flat=True)),
        "disk": files_on_disk(),
    }


def refused(error, call, **kwargs):
    """Call a service that must refuse with ``error``; prove that nothing changed."""
    before = state()
    with pytest.raises(error) as info:
        call(**kwargs)
    assert state() == before
    return info.value


def reload(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def events(dossier: Dossier) -> list[tuple[str, str, str]]:
    return list(AuditEvent.objects.filter(object_id=dossier.code)
                .values_list("action", "from_state", "to_state"))


def submit(procedure, citizen, agency, now=SUBMITTED) -> Dossier:
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=agency, now=now)


def upload(name, content, content_type="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.sh", "echo hi")
    return buffer.getvalue()


def empty_pdf() -> SimpleUploadedFile:
    return upload("rong.pdf", b"")


def big_pdf(size: int) -> SimpleUploadedFile:
    return upload("lon.pdf", PDF_BYTES + b"0" * max(0, size - len(PDF_BYTES)))


def disguised_files() -> list[SimpleUploadedFile]:
    """Files whose name and declared type say PDF, but whose content is not."""
    return [
        upload("to-khai.pdf", b"Just some text, not a PDF at all.\n"),
        upload("to-khai.pdf", zip_bytes()),
        upload("anh.png", b"MZ\x90\x00" + os.urandom(64), "image/png"),
    ]
