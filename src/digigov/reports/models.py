"""The service-quality index (Decision 766/QD-TTg): weights as data, and its rollup.

``IndicatorWeight`` holds the points and threshold of each indicator from an
effective date on; the index of a period uses the rows in force on the
period's last day.

The rollup keeps the index fast at national scale and is never stale:

* ``DossierFact``: one row per dossier with everything the index counts
  about it (receipt day, end day, channel, digitisation, reuse, electronic
  result, online payment, lateness, net processing time).
* ``RootMonthCell`` / ``RootDayCell``: the facts summed per top-level agency
  (province, ministry), procedure and reporting month (or day).
* ``DirtyDossier``: dossiers changed since their fact was computed. Saving a
  dossier or anything the index reads about it (its files, issued
  documents, payments, uses of stored papers) adds a row in the same
  transaction (database triggers, ``reports.dirty_triggers``); every fast
  computation first folds the dirty dossiers into the facts and cells (see
  ``rollup.refresh``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorWeight(models.Model):
    """Points and threshold of one indicator of the index, from a date on."""

    code = models.CharField(_("mã chỉ tiêu"), max_length=10)
    group = models.CharField(_("nhóm"), max_length=5)
    points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    threshold = models.DecimalField(
        _("ngưỡng (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Tỷ lệ đạt điểm tối đa; để trống nếu điểm tỷ lệ thuận với tỷ lệ đạt."))
    effective_from = models.DateField(_("hiệu lực từ"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from", "group", "code"]
        verbose_name = _("trọng số chỉ tiêu")
        verbose_name_plural = _("trọng số chỉ tiêu Bộ chỉ số phục vụ")
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"],
                                    name="one_weight_per_indicator_and_date"),
            models.CheckConstraint(condition=models.Q(points__gte=0),
                                   name="weight_points_not_negative"),
            models.CheckConstraint(
                condition=models.Q(threshold__isnull=True)
                | models.Q(threshold__gt=0, threshold__lte=100),
                name="weight_threshold_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.points} ({self.effective_from:%d/%m/%Y})"


MEASURES = (
    # counted on the day the dossier was received
    "received", "online", "online_counted", "fee_bearing", "paid_online",
    "digitised", "reused", "store_linked",
    # counted on the day the dossier ended (resolved: received, ended, not withdrawn)
    "resolved", "resolved_late", "with_result", "e_result", "processing_seconds",
)
RECEIVED_MEASURES = MEASURES[:8]
ENDED_MEASURES = MEASURES[8:]


class Measures(models.Model):
    received = models.BigIntegerField(default=0)
    online = models.BigIntegerField(default=0)
    online_counted = models.BigIntegerField(default=0)
    fee_bearing = models.BigIntegerField(default=0)
    paid_online = models.BigIntegerField(default=0)
    digitised = models.BigIntegerField(default=0)
    reused = models.BigIntegerField(default=0)
    store_linked = models.BigIntegerField(default=0)
    resolved = models.BigIntegerField(default=0)
    resolved_late = models.BigIntegerField(default=0)
    with_result = models.BigIntegerField(default=0)
    e_result = models.BigIntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class DossierFact(models.Model):
    """What the index counts about one dossier (see ``rollup.facts_for``)."""

    # DO_NOTHING: when a dossier is deleted its fact stays until ``refresh`` has taken
    # it out of the cells (the deletion marks the dossier dirty).
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.DO_NOTHING,
                                   primary_key=True, related_name="+", db_constraint=False)
    agency_id = models.BigIntegerField()
    root_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    sector_id = models.BigIntegerField()
    received_day = models.DateField(null=True)
    end_day = models.DateField(null=True)   # resolved only: received, ended, not withdrawn
    # Any end (withdrawn too): open until then; 9999-12-31 while not ended.
    open_end_day = models.DateField(null=True)
    withdrawn = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    online_counted = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    store_linked = models.BooleanField(default=False)
    with_result = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    late = models.BooleanField(default=False)  # resolved only: judged at its end
    processing_seconds = models.BigIntegerField(default=0)
    # For judging a dossier still open at a period's end.
    due_at = models.DateTimeField(null=True)
    paused_at = models.DateTimeField(null=True)
    many_supplements = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["agency_id", "received_day"], name="fact_agency_received"),
            models.Index(fields=["agency_id", "end_day"], name="fact_agency_end"),
            # Covering indexes for the dossiers open at a period end (index-only counts).
            models.Index(fields=["open_end_day", "received_day", "many_supplements", "due_at",
                                 "paused_at"], name="fact_open_all"),
            models.Index(fields=["root_id", "open_end_day", "received_day", "many_supplements",
                                 "due_at", "paused_at"], name="fact_open_root"),
            models.Index(fields=["agency_id", "open_end_day", "received_day", "many_supplements",
                                 "due_at", "paused_at"], name="fact_open_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class RootMonthCell(Measures):
    root_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    sector_id = models.BigIntegerField()
    month = models.DateField()  # the first day (a 15th) of the reporting month

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root_id", "procedure_id", "month"],
                                               name="one_root_month_cell")]
        indexes = [models.Index(fields=["month", "root_id"], name="root_month_idx")]

    def __str__(self) -> str:
        return f"{self.root_id}/{self.procedure_id}/{self.month}"


class RootDayCell(Measures):
    root_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    sector_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["root_id", "procedure_id", "day"],
                                               name="one_root_day_cell")]
        indexes = [models.Index(fields=["day", "root_id"], name="root_day_idx")]

    def __str__(self) -> str:
        return f"{self.root_id}/{self.procedure_id}/{self.day}"


class DirtyDossier(models.Model):
    """A dossier whose fact must be computed again before the next fast index."""

    dossier_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"{self.dossier_id}"
