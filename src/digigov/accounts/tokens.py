"""Bearer API tokens: the one place that decides whether a key is good."""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User

# A busy client must not turn every read into a write: last_used_at is coarse.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The key is empty, unknown, revoked, or its account is disabled."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def token_for_key(key: str) -> ApiToken:
    """The live token for a clear key (its user loaded), or ``TokenRefused``."""
    key = (key or "").strip()
    if not key:
        raise TokenRefused(_("Khóa API rỗng."))
    now = timezone.now()
    # Every request looks the key up: a revoked key or a disabled account is refused at once.
    found = _lookup(ApiToken.hash_key(key), now - LAST_USED_RESOLUTION)
    if found is None:
        raise TokenRefused(_("Khóa API không hợp lệ.")) from None
    token, revoked, stale = found
    if revoked:
        raise TokenRefused(_("Khóa API đã bị thu hồi."))
    if not token.user.is_active:
        raise TokenRefused(_("Tài khoản của khóa API đã bị khóa."))
    if stale:
        _touch(token, now)
    return token


@functools.cache
def _lookup_sql() -> tuple[str, list[str]]:
    """The lookup as one prepared statement: building it with the ORM on every request
    cost more than the rest of the authentication."""
    quote = connection.ops.quote_name
    fields = User._meta.concrete_fields
    columns = ", ".join(f"u.{quote(f.column)}" for f in fields)
    sql = (
        f"SELECT t.{quote('id')}, t.{quote('name')}, "  # noqa: S608 - names are the models' own
        f"t.{quote('revoked_at')} IS NOT NULL, "
        f"(t.{quote('last_used_at')} IS NULL OR t.{quote('last_used_at')} < %s), {columns} "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
        f"WHERE t.{quote('key_hash')} = %s"
    )
    return sql, [f.attname for f in fields]


def _lookup(key_hash: str, stale_before: dt.datetime) -> tuple[ApiToken, bool, bool] | None:
    """The token (with its user), whether it is revoked, and whether last_used_at is stale."""
    sql, user_fields = _lookup_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(stale_before), key_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, name, revoked, stale, *user_values = row
    # The database's converters (SQLite returns dates as text, for one) applied as the ORM would.
    for index, field in enumerate(User._meta.concrete_fields):
        for convert in _converters(field):
            user_values[index] = convert(user_values[index], field, connection)
    user = User.from_db(connection.alias, user_fields, user_values)
    token = ApiToken(id=token_id, name=name, user=user, key_hash=key_hash)
    return token, bool(revoked), bool(stale)


@functools.cache
def _converters(field) -> tuple:
    return (*connection.ops.get_db_converters(field.get_col(field.model._meta.db_table)),
            *field.get_db_converters(connection))


def _touch(token: ApiToken, now: dt.datetime) -> None:
    # A conditional UPDATE: concurrent requests write the row once per minute at most.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
