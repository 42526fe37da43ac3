"""Digitisation fixtures: signing credentials, a received dossier, scans made with Pillow."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from digigov.dossiers import services
from digigov.signing import services as signing
from digigov.store.models import ComponentKind, PaperKind
from tests.conftest import FORM, component_files, vn

FONT = (Path(__file__).resolve().parents[2] / "src" / "digigov" / "pdfs" / "fonts"
        / "DigigovSerif-Regular.ttf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_TSA_URL = ""


@pytest.fixture
def credentials(db, commune_a, commune_b, counter_a, counter_b):
    signing.create_local_ca("CA thử nghiệm digigov")
    for agency in (commune_a, commune_b):
        signing.issue_credential(agency=agency)
    for officer in (counter_a, counter_b):
        signing.issue_credential(officer=officer)


@pytest.fixture
def birth_certificate(procedure):
    """Component 2 (Giấy chứng sinh) files into the store as a paper of a declared kind."""
    component = procedure.version_on().components.get(order=2)
    kind = PaperKind.objects.get(code="giay-chung-sinh")
    ComponentKind.objects.create(component=component, kind=kind)
    return component


@pytest.fixture
def dossier(procedure, commune_a, citizen, counter_a, credentials, birth_certificate):
    d = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                               files=component_files(procedure), agency=commune_a,
                               now=vn(2026, 3, 2, 9, 0))
    return services.receive(officer=counter_a, dossier=d, now=vn(2026, 3, 2, 10, 0))


def scan_png(text: str = "", *, size=(800, 400), mode="RGB") -> bytes:
    """A page as a scanner would produce it: black text on white, 150 dpi."""
    image = Image.new(mode, size, "white")
    if text:
        draw = ImageDraw.Draw(image)
        draw.text((40, 120), text, fill="black", font=ImageFont.truetype(str(FONT), 64))
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()


def scan_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PDF", resolution=100)
    return out.getvalue()


def upload(data: bytes, name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def docx() -> bytes:
    """A word-processing document as a counter PC would save it (detected by content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()
