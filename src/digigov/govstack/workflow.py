"""Which dossier service a GovStack call stands for.

Completing a task (``POST /tasks/{taskId}/complete``) takes a ``decision``
variable:

- ``approve`` (the default): a new dossier is received
  (``services.receive``); a dossier at a step with a next step is handed over
  (``services.hand_over``, optionally to ``assigneeId``); at the last step it
  is completed (``services.complete``, ``resultSummary`` required);
- ``sendBack``: a supplement is requested (``services.request_supplement``,
  ``reason`` and ``items`` required);
- ``reject``: a new dossier is refused (``services.refuse``), a dossier in
  processing is stopped by a leader (``services.stop_processing``);
  ``reason`` required.

Updating an application (``PUT /applications/{fileId}``) answers a supplement
request: ``services.supply_supplement`` with the new documents and form data.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput
from digigov.dossiers import services
from digigov.dossiers.models import Dossier, Status

from .http import parse_uuid

APPROVE, SEND_BACK, REJECT = "approve", "sendBack", "reject"
DECISIONS = (APPROVE, SEND_BACK, REJECT)
RECEIVE, HAND_OVER, COMPLETE = "receive", "handOver", "complete"


def unwrap(values, *, field: str) -> dict:
    """``{"k": {"value": v}}`` or ``{"k": v}`` -> ``{"k": v}``."""
    if values in (None, ""):
        return {}
    if not isinstance(values, dict):
        raise InvalidInput(_("“%(field)s” phải là một đối tượng JSON.") % {"field": field},
                           fields={field: [_("Phải là một đối tượng.")]})
    plain, errors = {}, {}
    for key, value in values.items():
        if isinstance(value, dict):
            if "value" not in value:
                errors[f"{field}.{key}"] = [_('Giá trị phải có dạng {"value": ...}.')]
                continue
            value = value["value"]
        plain[key] = value
    if errors:
        raise InvalidInput(_("Dữ liệu gửi lên chưa hợp lệ."), fields=errors)
    return plain


def has_next_step(dossier: Dossier) -> bool:
    current_order = dossier.current_step.order if dossier.current_step else 0
    return dossier.procedure_version.steps.filter(order__gt=current_order).exists()


def approve_action(dossier: Dossier) -> str:
    if dossier.status == Status.NEW:
        return RECEIVE
    return HAND_OVER if has_next_step(dossier) else COMPLETE


def _text(data: dict, key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(_("“%(key)s” phải là chuỗi ký tự.") % {"key": key},
                           fields={key: [_("Phải là chuỗi ký tự.")]})
    return value


def _user(data: dict, key: str):
    raw = data.get(key)
    if raw in (None, ""):
        return None
    user_uuid = parse_uuid(raw)
    user = get_user_model().objects.filter(uuid=user_uuid).first() if user_uuid else None
    if user is None:
        raise InvalidInput(_("Không tìm thấy cán bộ %(id)s.") % {"id": raw},
                           fields={key: [_("Không tồn tại.")]})
    return user


def _items(data: dict) -> list[str]:
    items = data.get("items", [])
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise InvalidInput(_("“items” phải là danh sách giấy tờ cần bổ sung."),
                           fields={"items": [_("Phải là một mảng chuỗi ký tự.")]})
    return items


def complete_task(*, official, dossier: Dossier, data: dict) -> Dossier:
    decision = data.get("decision") or APPROVE
    if decision not in DECISIONS:
        raise InvalidInput(
            _("“decision” phải là một trong: %(choices)s.") % {"choices": ", ".join(DECISIONS)},
            fields={"decision": [_("Không hợp lệ.")]})
    if decision == SEND_BACK:
        return services.request_supplement(official=official, dossier=dossier,
                                           reason=_text(data, "reason"), items=_items(data))
    if decision == REJECT:
        reason = _text(data, "reason")
        if dossier.status == Status.NEW:
            return services.refuse(officer=official, dossier=dossier, reason=reason)
        return services.stop_processing(official=official, dossier=dossier, reason=reason)
    action = approve_action(dossier)
    if action == RECEIVE:
        return services.receive(officer=official, dossier=dossier)
    if action == HAND_OVER:
        return services.hand_over(official=official, dossier=dossier,
                                  to_user=_user(data, "assigneeId"), note=_text(data, "note"))
    return services.complete(official=official, dossier=dossier,
                             result_summary=_text(data, "resultSummary"))
