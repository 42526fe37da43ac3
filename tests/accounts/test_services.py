"""Account services called directly: what they store, and that a refusal stores nothing."""

import pytest

from digigov.accounts import services
from digigov.accounts.models import User
from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput

PASSWORD = "Ho-so-truc-tuyen-2026"


def test_register_citizen_stores_normalised_identity_and_an_audit_event(db):
    user = services.register_citizen(full_name="  Võ   Thị  Hoa ", password=PASSWORD,
                                     phone="+84912000111", personal_id="001199012345",
                                     language="id")
    assert (user.full_name, user.phone, user.email, user.language) == (
        "Võ Thị Hoa", "0912000111", None, "id")
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="register", object_type="accounts.user",
                                     object_id=str(user.pk)).exists()


def test_register_refuses_every_problem_at_once_and_stores_nothing(db):
    with pytest.raises(InvalidInput) as exc:
        services.register_citizen(full_name="", password="123", kind="official",
                                  email="not-an-email", language="fr")
    assert {"full_name", "kind", "email", "password", "language"} <= set(exc.value.fields)
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_business_needs_its_own_unused_tax_code(db):
    services.register_citizen(full_name="Công ty A", password=PASSWORD, kind="business",
                              email="a@congty.vn", tax_code="0101234567-001")
    with pytest.raises(InvalidInput) as exc:
        services.register_citizen(full_name="Công ty B", password=PASSWORD, kind="business",
                                  email="b@congty.vn", tax_code="0101234567-001")
    assert "tax_code" in exc.value.fields
    assert User.objects.count() == 1


def test_update_profile_of_a_business_changes_its_tax_code_not_a_personal_id(db):
    user = services.register_citizen(full_name="Công ty A", password=PASSWORD, kind="business",
                                     email="a@congty.vn", tax_code="0101234567")
    services.update_profile(user=user, full_name="Công ty A (đổi tên)", address="Lạng Sơn",
                            language="en", personal_id="001199012345", tax_code="0109999999")
    user.refresh_from_db()
    assert (user.full_name, user.tax_code, user.personal_id, user.language) == (
        "Công ty A (đổi tên)", "0109999999", "", "en")
    with pytest.raises(InvalidInput):
        services.update_profile(user=user, full_name="", language="en", tax_code="0109999999")
    user.refresh_from_db()
    assert user.full_name == "Công ty A (đổi tên)"
