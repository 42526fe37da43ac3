"""The OpenAPI contracts this API follows, served as published."""

from pathlib import Path

from django.http import HttpResponse

from ..http import Call

SPECS_DIR = Path(__file__).resolve().parent.parent / "specs"
REGISTRATION_SPEC = SPECS_DIR / "GovStack_Registration_BB_API.json"
STATISTICS_SPEC = SPECS_DIR / "GovStack_Registration_BB_API_statistics.json"


def registration_spec(call: Call) -> HttpResponse:
    return HttpResponse(REGISTRATION_SPEC.read_bytes(), content_type="application/json")


def statistics_spec(call: Call) -> HttpResponse:
    return HttpResponse(STATISTICS_SPEC.read_bytes(), content_type="application/json")
