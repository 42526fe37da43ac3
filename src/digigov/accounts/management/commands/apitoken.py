"""``digigov apitoken``: issue, list and revoke API bearer tokens."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digigov.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue, list or revoke API tokens (Authorization: Bearer <key>)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="Issue a token; the key is shown only once.")
        issue.add_argument("login", help="The account's email address or phone number.")
        issue.add_argument("--name", required=True,
                           help="What the token is for, e.g. the client system's name.")
        listing = actions.add_parser("list", help="List tokens (never their keys).")
        listing.add_argument("login", nargs="?", help="Only this account's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The 8 characters after 'dg_' shown by 'list'.")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    @staticmethod
    def _user(login: str) -> User:
        try:
            return User.objects.get_by_natural_key(login)
        except User.DoesNotExist:
            raise CommandError(f"No account with login {login!r}.") from None

    def _issue(self, *, login, name, **_options):
        user = self._user(login)
        if not user.is_active:
            raise CommandError(f"The account {login!r} is disabled.")
        if not name.strip():
            raise CommandError("--name must not be empty.")
        token, key = ApiToken.issue(user, name.strip()[:100])
        self.stdout.write(f"Token {token.prefix} issued to {user.login} ({token.name}).")
        self.stdout.write("Key (shown only now; keep it secret):")
        self.stdout.write(key)

    def _list(self, *, login=None, **_options):
        tokens = ApiToken.objects.select_related("user").order_by("created_at")
        if login:
            tokens = tokens.filter(user=self._user(login))
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            used = f"{timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M}" if t.last_used_at \
                else "never"
            self.stdout.write(f"{t.prefix}  {t.user.login}  {t.name}  "
                              f"created {timezone.localtime(t.created_at):%Y-%m-%d %H:%M}  "
                              f"last used {used}  {state}")

    def _revoke(self, *, prefix, **_options):
        prefix = prefix.removeprefix("dg_")[:8]
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if not tokens:
            raise CommandError(f"No active token with prefix {prefix!r}.")
        if len(tokens) > 1:
            raise CommandError(f"Several active tokens share the prefix {prefix!r}; "
                               "revoke them in the admin site.")
        ApiToken.objects.filter(pk=tokens[0].pk).update(revoked_at=timezone.now())
        self.stdout.write(f"Token {prefix} revoked.")
