from digigov.core.inserts import insert

from .models import AuditEvent


def event(*, actor, action: str, obj, from_state="", to_state="", **data) -> AuditEvent:
    """One audit event for ``obj`` (any model with a ``code`` or a pk), not yet stored."""
    object_id = getattr(obj, "code", None) or str(obj.pk)
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_id,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        data=data,
    )


def record(*, actor, action: str, obj, from_state="", to_state="", **data) -> AuditEvent:
    """Append one audit event for ``obj`` (any model with a ``code`` or a pk)."""
    one = event(actor=actor, action=action, obj=obj, from_state=from_state,
                to_state=to_state, **data)
    insert(one)
    return one


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Append several events (built with ``event``) in one INSERT."""
    return AuditEvent.objects.bulk_create(events) if events else []
