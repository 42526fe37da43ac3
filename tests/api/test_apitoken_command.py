"""``digigov apitoken``: issue, list, revoke."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from digigov.accounts.models import ApiToken
from tests.api.conftest import ApiClient, assert_problem


def run(*args) -> str:
    out = StringIO()
    call_command("apitoken", *args, stdout=out)
    return out.getvalue()


def test_issue_list_and_revoke(citizen):
    output = run("issue", citizen.email, "--name", "Ứng dụng di động")
    key = output.strip().splitlines()[-1]
    assert key.startswith("dg_")
    token = ApiToken.objects.get(user=citizen)
    assert token.key_hash == ApiToken.hash_key(key) and token.name == "Ứng dụng di động"
    assert ApiClient(key).get("/api/v1/dossiers").status_code == 200

    listing = run("list", citizen.phone)
    assert token.prefix in listing and "active" in listing and key not in listing

    assert "revoked" in run("revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_problem(ApiClient(key).get("/api/v1/dossiers"), 401, "unauthenticated")
    with pytest.raises(CommandError):
        run("revoke", token.prefix)


def test_refuses_unknown_account_and_empty_name(citizen):
    with pytest.raises(CommandError, match="No account"):
        run("issue", "nobody@example.vn", "--name", "x")
    with pytest.raises(CommandError):
        run("issue", citizen.email, "--name", "  ")
    assert not ApiToken.objects.exists()
