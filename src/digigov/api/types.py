"""Field types shared by the API schemas."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from pydantic import PlainSerializer, WithJsonSchema


def _local_iso(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


# Stored in UTC, shown in Asia/Ho_Chi_Minh with its offset: 2026-03-02T09:00:00+07:00.
LocalDateTime = Annotated[
    dt.datetime,
    PlainSerializer(_local_iso, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time",
                    "example": "2026-03-02T09:00:00+07:00"}),
]
