"""HTTP handlers of the GovStack Registration API: parse, call a service or selector, render."""

from digigov.audit.services import record

from ..http import Call


def note_call(call: Call, dossier, operation: str) -> None:
    """Keep, beside the service's own audit event, which mediator client asked for the change."""
    record(actor=call.user, action="govstack_request", obj=dossier, operation=operation,
           im_client=call.client, trace_id=call.trace_id)
