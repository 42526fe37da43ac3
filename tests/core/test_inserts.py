"""core.inserts: new rows stored as Model.save and bulk_create would store them."""

import pytest
from django.db.models.signals import post_save, pre_save

from digigov.accounts.models import User
from digigov.audit.models import AuditEvent
from digigov.core.inserts import insert
from digigov.dossiers.models import Notification


def _stored_values(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


def test_rows_are_stored_with_their_keys_in_order(citizen):
    events = [AuditEvent(actor=citizen, action=f"a{i}", object_type="t", object_id=str(i),
                         data={"n": i, "tên": "Nguyễn"}) for i in range(3)]
    assert insert(*events) == events
    for i, event in enumerate(events):
        assert event.pk is not None and not event._state.adding and event._state.db == "default"
        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.action, stored.object_id, stored.data) == (f"a{i}", str(i),
                                                                  {"n": i, "tên": "Nguyễn"})
        assert stored.at is not None  # auto_now_add ran
        assert stored.at == event.at


def test_the_row_equals_what_save_stores(citizen):
    fast = AuditEvent(actor=citizen, action="x", object_type="t", object_id="1", to_state="2")
    insert(fast)
    slow = AuditEvent(actor=citizen, action="x", object_type="t", object_id="1", to_state="2")
    slow.save()
    a, b = _stored_values(fast), _stored_values(slow)
    for name in ("id", "at"):
        a.pop(name), b.pop(name)
    assert a == b


def test_a_foreign_key_to_an_object_saved_afterwards_is_filled(db):
    actor = User(email="moi@example.vn", full_name="Người mới")
    event = AuditEvent(actor=actor, action="x", object_type="t", object_id="1")
    assert event.actor_id is None
    actor.save()
    insert(event)
    assert AuditEvent.objects.get(pk=event.pk).actor_id == actor.pk


def test_an_unsaved_related_object_is_refused(db):
    event = AuditEvent(actor=User(email="chua@example.vn", full_name="Chưa lưu"), action="x",
                       object_type="t", object_id="1")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(event)
    assert not AuditEvent.objects.exists()


def test_the_signals_are_sent(citizen):
    seen = []

    def before(sender, instance, raw, using, update_fields, **kwargs):
        seen.append(("pre", instance.pk))

    def after(sender, instance, created, raw, using, update_fields, **kwargs):
        seen.append(("post", instance.pk, created))

    pre_save.connect(before, sender=AuditEvent)
    post_save.connect(after, sender=AuditEvent)
    try:
        event = AuditEvent(action="x", object_type="t", object_id="1")
        insert(event)
    finally:
        pre_save.disconnect(before, sender=AuditEvent)
        post_save.disconnect(after, sender=AuditEvent)
    assert seen == [("pre", None), ("post", event.pk, True)]


def test_stored_rows_and_mixed_models_are_refused(citizen, db):
    event = AuditEvent(action="x", object_type="t", object_id="1")
    insert(event)
    count = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="already stored"):
        insert(event)
    with pytest.raises(TypeError, match="one model"):
        insert(AuditEvent(action="y", object_type="t", object_id="2"),
               Notification(recipient="a@example.vn", subject="s", body="b"))
    assert AuditEvent.objects.count() == count
    assert insert() == []
