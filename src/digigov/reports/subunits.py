"""The index of every direct sub-unit of a scope at once: what ``index.ranking`` ranks.

``compute_index`` on each sub-unit in turn costs a dozen queries per
sub-unit (130 communes of a province: over 1,500). Here each kind of figure
is one grouped query for all sub-units together, over the same rollup that
``rollup.counts_fast`` reads, grouped by the sub-unit each agency rolls up to:

* sub-units of the instance (the top-level agencies) read their cells,
  grouped by root, as ``counts_fast`` does for one top-level agency;
* sub-units of an agency read the facts of their agencies, grouped by
  agency and summed per sub-unit in Python.

Dossiers open at the period end are counted and judged with the same
functions as ``counts_fast`` (``rollup.open_at_end_facts``,
``rollup.late_by_calendar``), the catalog figures come from
``index.catalog_figures_by_group``, and every ``IndexResult`` is assembled
by ``index._assemble``: the figures equal ``compute_index`` of each sub-unit
by construction (the tests compare them). Dirty dossiers are folded in first.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Sum

from digigov.orgs.models import Agency

from . import rollup
from .index import (
    Counts,
    Filters,
    IndexResult,
    PeriodLookups,
    Resolved,
    _assemble,
    catalog_figures_by_group,
    resolve_filters,
)
from .models import MEASURES, RECEIVED_MEASURES, DossierFact, RootDayCell, RootMonthCell
from .periods import Period, reporting_months
from .scopes import Scope, children


def subunit_indexes(scope: Scope, period: Period,
                    filters: Filters | None = None) -> list[IndexResult]:
    """``[compute_index(child, period, filters) for child in children(scope)]``, batched."""
    filters = filters or Filters()
    resolved = resolve_filters(filters)
    subunits = children(scope)
    if not subunits:
        return []
    owner = subunit_of_agencies([s.agency.pk for s in subunits])
    counts = counts_by_subunit(scope, owner, period, resolved)
    members: dict[int, set[int]] = defaultdict(set)
    for agency_id, top in owner.items():
        members[top].add(agency_id)
    catalogs = catalog_figures_by_group(dict(members), period, resolved)
    lookups = PeriodLookups(period)
    return [_assemble(sub, period, filters, counts[sub.agency.pk], catalogs[sub.agency.pk],
                      "fast", lookups) for sub in subunits]


def subunit_of_agencies(tops: list[int]) -> dict[int, int]:
    """``{agency id: the id among tops it rolls up to}`` for every agency under (or among)
    ``tops``, walking the parent links down as ``scopes.agency_tree`` does."""
    below: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            below[parent_id].append(pk)
    owner = {}
    for top in tops:
        owner[top] = top
        frontier = [top]
        while frontier:
            frontier = [pk for agency in frontier for pk in below[agency] if pk not in owner]
            owner.update((pk, top) for pk in frontier)
    return owner


def counts_by_subunit(scope: Scope, owner: dict[int, int], period: Period,
                      resolved: Resolved) -> dict[int, Counts]:
    """``{sub-unit agency id: Counts}``, each equal to ``rollup.counts_fast`` of the sub-unit."""
    rollup.refresh()
    tops = sorted(set(owner.values()))
    counts = {top: Counts() for top in tops}

    def add(agency_id: int, procedure_id: int, values: dict) -> None:
        target = counts[owner[agency_id]]
        rollup._add(target, target.per_procedure, procedure_id, values)

    extra = {}
    if resolved.procedure_id is not None:
        extra["procedure_id"] = resolved.procedure_id
    if resolved.sector_id is not None:
        extra["sector_id"] = resolved.sector_id
    facts = DossierFact.objects.filter(**extra)
    if scope.agency is None:
        # The sub-units are the top-level agencies: their cells, one grouped query per table.
        key = "root_id"
        months, days = reporting_months(period)
        sums = {f"s_{m}": Sum(m) for m in MEASURES}
        for model, field, values in ((RootMonthCell, "month", months),
                                     (RootDayCell, "day", days)):
            if not values:
                continue
            rows = (model.objects.filter(**{f"{field}__in": values}, root_id__in=tops, **extra)
                    .order_by().values("root_id", "procedure_id").annotate(**sums))
            for row in rows:
                add(row["root_id"], row["procedure_id"], {m: row[f"s_{m}"] for m in MEASURES})
        facts = facts.filter(root_id__in=tops)
    else:
        key = "agency_id"
        facts = facts.filter(agency_id__in=owner)
        received = (facts.filter(received_day__gte=period.start, received_day__lte=period.end)
                    .order_by().values("agency_id", "procedure_id")
                    .annotate(received=Count("pk"),
                              **{m: rollup._bool_sum(m) for m in RECEIVED_MEASURES[1:]}))
        ended = (facts.filter(end_day__gte=period.start, end_day__lte=period.end)
                 .order_by().values("agency_id", "procedure_id")
                 .annotate(resolved=Count("pk"), resolved_late=rollup._bool_sum("late"),
                           with_result=rollup._bool_sum("with_result"),
                           e_result=rollup._bool_sum("e_result"),
                           processing_seconds=Sum("processing_seconds")))
        for rows in (received, ended):
            for row in rows:
                add(row.pop("agency_id"), row.pop("procedure_id"), row)
    _open_at_end_by_subunit(counts, owner, facts, key, period)
    return counts


def _open_at_end_by_subunit(counts: dict[int, Counts], owner: dict[int, int], facts, key: str,
                            period: Period) -> None:
    open_facts, simple_late, calendar_needed = rollup.open_at_end_facts(facts, period)
    for group, total, late in (open_facts.order_by().values(key)
                               .annotate(total=Count("pk"), late=Count("pk", filter=simple_late))
                               .values_list(key, "total", "late")):
        target = counts[owner[group]]
        target.open_at_end += total
        target.open_late += late
    rows = list(open_facts.filter(calendar_needed).values_list(
        "dossier_id", key, "due_at", "paused_at"))
    late = rollup.late_by_calendar([(d, due, paused) for d, _g, due, paused in rows],
                                   period.end_at())
    for dossier_id, group, _due, _paused in rows:
        if dossier_id in late:
            counts[owner[group]].open_late += 1
