"""State changes of the procedure catalog: seeding it from the shipped data file.

``data/procedures.json`` holds real procedures taken from
``data/vn_procedures_sample.csv`` (each keeps its ``source``) plus two
consular procedures. Everything the sources could not confirm says
"(chưa xác minh)" in the text the public sees (time limit, fee note, legal
basis, result or requirements), so it is never presented as confirmed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput
from digigov.orgs.models import Agency

from .models import (
    ComponentSpec,
    FormField,
    ImplementingLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    Sector,
    ServiceLevel,
    TimeLimitUnit,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"
UNVERIFIED_CODE_PREFIX = "CXM-"  # "chưa xác minh": the national code could not be confirmed
CATALOG_ADMIN_GROUP = "Quản trị thủ tục hành chính"
_CATALOG_MODELS = ("procedure", "procedureversion", "componentspec", "formfield", "processstep")


@dataclass
class CatalogLoadResult:
    procedures: list[Procedure] = field(default_factory=list)
    created: int = 0
    skipped: dict[str, str] = field(default_factory=dict)


def read_catalog(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def procedure_code(entry: Mapping, publisher: Agency) -> str:
    """``<national code>.<publishing organ code>``, as provincial portals list them.

    A procedure whose national code is unverified gets ``CXM-<key>``, which
    cannot be mistaken for a real code.
    """
    if entry.get("code"):
        return f"{entry['code']}.{publisher.code}"
    return f"{UNVERIFIED_CODE_PREFIX}{entry['key']}"


def _agencies(value: Agency | Sequence[Agency] | None) -> list[Agency]:
    if value is None:
        return []
    return [value] if isinstance(value, Agency) else list(value)


def _check_entry(entry: Mapping) -> None:
    problems = []
    if entry["level"] not in ImplementingLevel.values:
        problems.append(f"level {entry['level']!r}")
    if entry["service_level"] not in ServiceLevel.values:
        problems.append(f"service_level {entry['service_level']!r}")
    if entry["time_limit"]["unit"] not in TimeLimitUnit.values:
        problems.append(f"time-limit unit {entry['time_limit']['unit']!r}")
    if not entry.get("steps"):
        problems.append("no process step")
    if problems:
        raise InvalidInput(
            _("Dữ liệu thủ tục %(key)s không hợp lệ: %(problems)s.")
            % {"key": entry.get("key"), "problems": ", ".join(problems)}
        )


def _upsert_version(procedure: Procedure, entry: Mapping, effective_from: dt.date,
                    agencies: Mapping) -> ProcedureVersion:
    limit = entry["time_limit"]
    cutoff = dt.time.fromisoformat(limit["cutoff"]) if limit.get("cutoff") else None
    version, _created = ProcedureVersion.objects.update_or_create(
        procedure=procedure, effective_from=effective_from,
        defaults={
            "applicant_types": entry["applicant_types"],
            "service_level": entry["service_level"],
            "steps_description": "\n".join(
                f"Bước {i}: {s['name']}." for i, s in enumerate(entry["steps"], start=1)),
            "method": entry.get("method", ""),
            "time_limit_amount": Decimal(str(limit["amount"])),
            "time_limit_unit": limit["unit"],
            "time_limit_text": limit["text"][:500],
            "cutoff_time": cutoff,
            "fee_counter": entry["fee_counter"],
            "fee_online": entry["fee_online"],
            "fee_note": entry.get("fee_note", ""),
            "legal_basis": entry["legal_basis"],
            "result_type": entry["result_type"][:500],
            "requirements": entry.get("requirements", ""),
        },
    )
    for order, comp in enumerate(entry["components"], start=1):
        ComponentSpec.objects.update_or_create(
            version=version, order=order,
            defaults={"name": comp["name"], "required": comp.get("required", True),
                      "copies": comp.get("copies", "01 bản chính hoặc bản sao")},
        )
    for order, ff in enumerate(entry["form_fields"], start=1):
        FormField.objects.update_or_create(
            version=version, key=ff["key"],
            defaults={"order": order, "label": ff["label"], "type": ff.get("type", "text"),
                      "required": ff.get("required", True), "choices": ff.get("choices", []),
                      "help_text": ff.get("help_text", "")},
        )
    for order, step in enumerate(entry["steps"], start=1):
        step_agency = _agencies(agencies.get(step["agency"]))[0] if step.get("agency") else None
        ProcessStep.objects.update_or_create(
            version=version, order=order,
            defaults={"name": step["name"], "role": step["role"], "agency": step_agency,
                      "allotted_hours": Decimal(str(step["hours"]))},
        )
    return version


@transaction.atomic
def load_catalog(agencies: Mapping[str, Agency | Sequence[Agency]],
                 path: Path = DATA_FILE) -> CatalogLoadResult:
    """Create or update the procedures of the data file; running it again changes nothing.

    ``agencies`` maps the data file's unit keys to agencies: ``province`` and
    ``ministry`` (publishers, whose organ code ends the procedure code),
    ``communes``, ``commune_police``, ``province_centre``, ``consular``
    (competent units) and ``justice`` (a department that runs a step). A
    procedure whose units are not given is skipped and reported, never
    loaded half-way. Competent agencies are added, never removed, so that an
    administrator's later assignments survive a reload.
    """
    data = read_catalog(path)
    effective_from = dt.date.fromisoformat(data["effective_from"])
    result = CatalogLoadResult()
    for entry in data["procedures"]:
        _check_entry(entry)
        publisher = _agencies(agencies.get(entry["publisher"]))
        competent = _agencies(agencies.get(entry["competent"]))
        step_keys = {s["agency"] for s in entry["steps"] if s.get("agency")}
        missing = [k for k in step_keys if not _agencies(agencies.get(k))]
        if not publisher or not competent or missing:
            result.skipped[entry["key"]] = ", ".join(
                k for k, ok in [(entry["publisher"], publisher), (entry["competent"], competent)]
                if not ok
            ) or ", ".join(missing)
            continue
        sector_data = data["sectors"][entry["sector"]]
        sector, _created = Sector.objects.update_or_create(
            code=entry["sector"],
            defaults={"name": sector_data["name"], "name_en": sector_data.get("name_en", "")},
        )
        procedure, created = Procedure.objects.update_or_create(
            national_code=procedure_code(entry, publisher[0]),
            defaults={"name": entry["name"], "name_en": entry.get("name_en", ""),
                      "sector": sector, "level": entry["level"]},
        )
        procedure.competent_agencies.add(*competent)
        _upsert_version(procedure, entry, effective_from, agencies)
        result.procedures.append(procedure)
        result.created += int(created)
    return result


def catalog_admin_group() -> Group:
    """The permission group of agency administrators: manage procedures in the admin.

    Which procedures they see is decided by their agency_admin role
    assignments (see ``catalog.admin``), not by this group.
    """
    group, _created = Group.objects.get_or_create(name=CATALOG_ADMIN_GROUP)
    perms = Permission.objects.filter(content_type__app_label="catalog",
                                      content_type__model__in=_CATALOG_MODELS)
    view_sector = Permission.objects.filter(content_type__app_label="catalog",
                                            codename="view_sector")
    group.permissions.add(*perms, *view_sector)
    return group
