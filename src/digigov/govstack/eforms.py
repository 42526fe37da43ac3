"""An e-form as JSON Schema, built from a procedure version's form fields and components.

The schema describes ``formData.data`` of an application (each value is sent
as ``{"value": ...}``, or bare). The papers to attach are listed under the
``x-documents`` keyword: each has the ``componentId`` that an upload names in
its ``additionalMetadata`` (see ``documents.py``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from digigov.catalog.models import FormField, ProcedureVersion
from digigov.orgs.models import Agency

# The receiving agency is chosen in the form when several agencies are competent.
AGENCY_KEY = "receivingAgency"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_NUMBER_PATTERN = r"^-?\d+(\.\d+)?$"


def _field_schema(form_field: FormField) -> dict:
    schema: dict = {"title": form_field.label}
    if form_field.help_text:
        schema["description"] = form_field.help_text
    if form_field.type == FormField.Type.DATE:
        schema.update(type="string", format="date")
    elif form_field.type == FormField.Type.NUMBER:
        schema.update(type=["number", "string"], pattern=_NUMBER_PATTERN)
    elif form_field.type == FormField.Type.CHOICE and form_field.choices:
        schema.update(type="string", enum=list(form_field.choices))
    else:
        schema["type"] = "string"
        if form_field.type == FormField.Type.TEXTAREA:
            schema["x-multiline"] = True
    if form_field.required and schema["type"] == "string":
        schema["minLength"] = 1
    return schema


def _agency_schema(agencies: list[Agency]) -> dict:
    return {
        "title": _("Cơ quan tiếp nhận"),
        "description": _("Mã định danh của cơ quan nhận hồ sơ."),
        "type": "string",
        "oneOf": [{"const": a.code, "title": a.name} for a in agencies],
    }


def component_documents(version: ProcedureVersion, build_url) -> list[dict]:
    documents = []
    for component in version.components.all():
        item = {
            "componentId": str(component.pk),
            "name": component.name,
            "required": component.required,
            "copies": component.copies,
        }
        if component.template:
            item["templateUrl"] = build_url(component.template.url)
        documents.append(item)
    return documents


def eform_schema(version: ProcedureVersion, *, title: str, build_url) -> dict:
    """JSON Schema (2020-12) of the declaration data, plus the papers to attach."""
    properties, required = {}, []
    for form_field in version.form_fields.all():
        properties[form_field.key] = _field_schema(form_field)
        if form_field.required:
            required.append(form_field.key)
    agencies = list(version.procedure.competent_agencies.active().order_by("code"))
    if agencies:
        properties[AGENCY_KEY] = _agency_schema(agencies)
        if len(agencies) > 1:
            required.append(AGENCY_KEY)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "x-documents": component_documents(version, build_url),
    }
