from .models import AuditEvent


def record(*, actor, action: str, obj, from_state="", to_state="", **data) -> AuditEvent:
    """Append one audit event for ``obj`` (any model with a ``code`` or a pk)."""
    object_id = getattr(obj, "code", None) or str(obj.pk)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_id,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        data=data,
    )
