"""Read queries over the procedure catalog, shared by the portal pages and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from digigov.core.text import fold
from digigov.orgs.models import Agency

from .models import Procedure, ProcedureVersion, Sector


def _in_force(day: dt.date) -> Q:
    return Q(effective_from__lte=day) & (Q(effective_to__isnull=True) | Q(effective_to__gte=day))


def published_procedures(on: dt.date | None = None) -> QuerySet[Procedure]:
    """Published procedures that have a version in force on ``on`` (default: today)."""
    day = on or timezone.localdate()
    version_in_force = ProcedureVersion.objects.filter(_in_force(day), procedure=OuterRef("pk"))
    return (
        Procedure.objects.filter(is_published=True)
        .filter(Exists(version_in_force))
        .select_related("sector")
    )


def search_procedures(
    q: str | None = None,
    sector: Sector | str | None = None,
    level: str | None = None,
    agency: Agency | str | None = None,
) -> QuerySet[Procedure]:
    """Published procedures matching every word of ``q``, with or without diacritics.

    ``q`` is folded like ``Procedure.search_text`` ("Đăng ký" -> "dang ky"), so
    "dang ky khai sinh" and "Đăng ký khai sinh" find the same procedures; the
    national code matches too. ``sector`` is a Sector or its code, ``level`` an
    ``ImplementingLevel`` value, ``agency`` an Agency or its organ code (a
    competent agency of the procedure). Empty values do not filter.
    """
    qs = published_procedures()
    for word in fold(q or "").split():
        qs = qs.filter(search_text__contains=word)
    if sector:
        if isinstance(sector, Sector):
            qs = qs.filter(sector=sector)
        else:
            qs = qs.filter(sector__code=sector)
    if level:
        qs = qs.filter(level=level)
    if agency:
        if isinstance(agency, Agency):
            qs = qs.filter(competent_agencies=agency)
        else:
            qs = qs.filter(competent_agencies__code=agency)
        qs = qs.distinct()
    return qs.order_by("name", "national_code")


def sectors_with_procedures() -> QuerySet[Sector]:
    """Sectors that have at least one published procedure, with their count."""
    published = published_procedures().values("pk")
    return (
        Sector.objects.annotate(
            procedure_count=Count("procedures", filter=Q(procedures__in=published), distinct=True)
        )
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def most_used_procedures(limit: int = 6) -> QuerySet[Procedure]:
    """Published procedures with the most dossiers, busiest first."""
    return (
        published_procedures()
        .annotate(dossier_count=Count("dossiers"))
        .order_by("-dossier_count", "name")[:limit]
    )


def agencies_offering_procedures() -> QuerySet[Agency]:
    """Active agencies competent for at least one published procedure (for the search filter)."""
    published = published_procedures().values("pk")
    return Agency.objects.active().filter(procedures__in=published).distinct().order_by("name")
