"""PDF fixtures: the back office's clock and dossiers, and text extraction from PDFs."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from digigov.orgs.models import AdministrativeUnit
from tests.office.conftest import (  # noqa: F401 - fixtures shared with the back-office tests
    MONDAY_9,
    at_leader,
    at_specialist,
    clock,
    dossier_b,
    fast_passwords,
    media_root,
    new_dossier,
    plain_static_storage,
    processed,
    received,
    signed_in,
    submit,
    submit_and_receive,
)


@pytest.fixture(autouse=True)
def lang_son_area(commune_a, province):
    """Commune A lies in the province of Lạng Sơn: its documents are dated from there."""
    province.area = AdministrativeUnit.objects.create(code="20", name="Tỉnh Lạng Sơn",
                                                      kind=AdministrativeUnit.Kind.PROVINCE)
    province.save()


def pdf_text(data: bytes) -> str:
    """The text of every page, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def poppler_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed (Debian package poppler-utils)")
    # -raw: content-stream order; the layout mode guesses spaces between lone letters.
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,  # noqa: S607
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def one_line(text: str) -> str:
    return " ".join(text.split())
