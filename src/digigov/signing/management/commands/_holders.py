"""Finding an agency or an officer from a command's arguments."""

from django.core.management.base import CommandError

from digigov.accounts.models import User
from digigov.orgs.models import Agency


def agency(code: str) -> Agency:
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        raise CommandError(f"No agency with organ code {code!r}.") from None


def officer(login: str) -> User:
    try:
        user = User.objects.get_by_natural_key(login)
    except User.DoesNotExist:
        raise CommandError(f"No account with login {login!r}.") from None
    if not user.is_active:
        raise CommandError(f"The account {login!r} is disabled.")
    return user


def holder(kind: str, ref: str) -> dict:
    return {"agency": agency(ref)} if kind == "agency" else {"officer": officer(ref)}
