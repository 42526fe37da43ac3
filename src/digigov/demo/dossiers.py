"""Demo dossiers over the past ~90 days, made only through the dossier services.

Every change goes through ``digigov.dossiers.services`` with an explicit
``now=``, so appointment dates, step deadlines and timeliness come from the
real holiday calendar. A seeded random generator makes two runs identical
for the same starting instant.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from digigov.accounts.models import Role
from digigov.catalog.models import Procedure, ServiceLevel
from digigov.dossiers import services
from digigov.dossiers.digitisation import digitise_component
from digigov.dossiers.models import Channel, Dossier, Rating
from digigov.payments import services as payments
from digigov.payments.gateways.sandbox import SandboxGateway
from digigov.payments.models import PaymentChannel
from digigov.worktime.calendar import TimeUnit, WorkCalendar

from . import people
from .organisation import DemoOrganisation
from .pdf import make_pdf

HOUR = 3600.0
DIGITISED_SHARE = 0.3
STAFFED = ("cao_loc", "centre", "cao_loc_police", "consular")

# Final situation of a dossier -> relative weight. The first ten dossiers take
# one scenario each, so that every national status 1-10 is present.
SCENARIOS = {
    "new": 4, "received": 5, "refused": 4, "processing": 9, "supplement": 5,
    "obligation": 3, "withdrawn": 4, "stopped": 4, "processed": 7, "returned": 55,
}
FIRST = ["new", "received", "refused", "processing", "supplement", "obligation", "withdrawn",
         "stopped", "processed", "returned"]
OPEN_SCENARIOS = {"new", "received", "refused", "processing", "supplement", "obligation"}


class _NotYet(Exception):
    """The next action would happen after the present: the dossier stays where it is."""


@dataclass
class DossierSummary:
    created: int = 0
    by_status: Counter = field(default_factory=Counter)
    late: int = 0
    supplements: int = 0
    apologies: int = 0
    ratings: int = 0


class DemoDossiers:
    def __init__(self, org: DemoOrganisation, *, seed: int = 2025, now: dt.datetime | None = None):
        self.org = org
        self.rng = random.Random(seed)
        self.now = (now or timezone.now()).replace(second=0, microsecond=0)
        self.cal = WorkCalendar.load()
        self.key_of = {a.pk: k for k, a in org.agencies.items()}
        self._pdf_cache: dict[int, bytes] = {}
        self.offers = [
            (procedure, agency)
            for procedure in Procedure.objects.prefetch_related("competent_agencies")
            for agency in procedure.competent_agencies.all()
            if self.key_of.get(agency.pk) in STAFFED
        ]
        if not self.offers:
            raise ValueError(
                "No procedure is offered by a staffed demo unit: load the catalog first.")

    # -- time ----------------------------------------------------------------------
    def _working_day_back(self, days: int) -> dt.date:
        day = timezone.localdate(self.now)
        while days:
            day -= dt.timedelta(days=1)
            if self.cal.is_working_day(day):
                days -= 1
        return day

    def _at(self, day: dt.date, hour: float) -> dt.datetime:
        base = dt.datetime.combine(day, dt.time(0), tzinfo=self.cal.tz)
        return base + dt.timedelta(minutes=round(hour * 60))

    def _after(self, moment: dt.datetime, hours: float) -> dt.datetime:
        # Whole minutes, as officials note times on a control sheet.
        later = self.cal.add_working_seconds(moment, max(round(hours * 60), 3) * 60)
        if later >= self.now:
            raise _NotYet
        return later

    def _limit_days(self, version) -> int:
        amount = float(version.time_limit_amount)
        if version.time_limit_unit == TimeUnit.CALENDAR_DAYS:
            return int(amount)
        return int(amount * 1.5) + 1

    def _start(self, scenario: str, version) -> dt.datetime:
        """Submission time: recent for dossiers still open, older for finished ones."""
        if scenario in OPEN_SCENARIOS:
            # Mostly today and the last two working days, as a real queue looks:
            # most dossiers in time, some near their deadline, a few late.
            # An obligation is asked for after part of the processing, which needs
            # at least a working day behind it whatever the hour of the run.
            back = (2, 2, 2, 3, 3, 3) if scenario == "obligation" else (0, 0, 1, 1, 2, 3)
            day = self._working_day_back(self.rng.choice(back))
            if day == timezone.localdate(self.now) and not self.cal.is_working_day(day):
                day = self._working_day_back(1)
        else:
            span = min(80, 2 * self._limit_days(version) + 12)
            day = timezone.localdate(self.now) - dt.timedelta(days=self.rng.randint(span, 88))
            day = self.cal.next_working_day(day, include=True)
        if version.cutoff_time and self.rng.random() < 0.25:
            start = self._at(day, 15.25 + self.rng.random() * 1.5)  # after the 15:00 cut-off
        else:
            start = self._at(day, 8 + self.rng.random() * 3)
        if start >= self.now:  # today, but the office has not opened yet
            return self._start_on(self._working_day_back(1))
        return start

    def _start_on(self, day: dt.date) -> dt.datetime:
        return self._at(day, 8 + self.rng.random() * 3)

    # -- files and people --------------------------------------------------------------
    def _file(self, component) -> SimpleUploadedFile:
        if component.pk not in self._pdf_cache:
            self._pdf_cache[component.pk] = make_pdf(
                component.name, "Tai lieu minh hoa cua du lieu demo digigov.")
        return SimpleUploadedFile(f"thanh-phan-{component.order}.pdf",
                                  self._pdf_cache[component.pk], content_type="application/pdf")

    def _files(self, version) -> dict:
        return {str(c.pk): self._file(c) for c in version.components.all()
                if c.required or self.rng.random() < 0.3}

    def _official(self, agency_id: int, role: str):
        return self.org.official(self.key_of[agency_id], role)

    def _online_account(self, version):
        if version.service_level == ServiceLevel.NONE or self.rng.random() > 0.25:
            return None
        pool = []
        if "citizen" in version.applicant_types:
            pool += self.org.citizens
        if "business" in version.applicant_types and self.org.business:
            pool.append(self.org.business)
        return self.rng.choice(pool) if pool else None

    # -- one dossier -----------------------------------------------------------------------
    def _pick_offer(self, scenario: str):
        offers = self.offers
        if scenario == "obligation":
            offers = [o for o in offers if o[0].version_on(self.now).fee_counter > 0] or offers
        return self.rng.choice(offers)

    def _submit(self, scenario: str, procedure, agency, start: dt.datetime):
        version = procedure.version_on(start)
        account = self._online_account(version)
        if scenario in ("new", "refused") and account is None and version.service_level != "none":
            account = self.rng.choice(self.org.citizens)
        if account is not None:
            form = people.form_data(version, self.rng, account.full_name, start.date())
            dossier = services.submit_online(applicant=account, procedure=procedure,
                                             form_data=form, files=self._files(version),
                                             agency=agency, now=start)
            return dossier, account
        person = people.applicant(self.rng)
        channel = Channel.POSTAL if self.rng.random() < 0.08 else Channel.COUNTER
        counter = self._official(agency.pk, Role.COUNTER_OFFICER)
        form = people.form_data(version, self.rng, person["name"], start.date())
        dossier = services.submit_at_counter(
            officer=counter, procedure=procedure, agency=agency, applicant=person, form_data=form,
            files=self._files(version), channel=channel,
            receive_now=scenario not in ("new", "refused"), now=start)
        return dossier, None

    def _receive(self, dossier: Dossier, at: dt.datetime) -> tuple[Dossier, dt.datetime]:
        if dossier.received_at:
            return dossier, at
        at = self._after(self.cal.clock_start(at), self.rng.uniform(0.3, 3))
        counter = self._official(dossier.agency_id, Role.COUNTER_OFFICER)
        return services.receive(officer=counter, dossier=dossier, now=at), at

    def _step_duration(self, dossier: Dossier, at: dt.datetime, factor: float,
                       overrun: bool = False) -> float:
        """Hours for the current step: its share of the working time left before the due date.

        With ``overrun`` the step alone takes longer than all the time left, so
        the dossier ends late.
        """
        left = self.cal.working_seconds_between(at, dossier.effective_due_at) / HOUR
        if overrun:
            return left * factor + 1
        steps = list(dossier.procedure_version.steps.all())
        order = dossier.current_step.order if dossier.current_step else 0
        remaining = [s for s in steps if s.order >= order]
        total = sum(float(s.allotted_hours) for s in remaining) or 1.0
        share = float(dossier.current_step.allotted_hours) / total if dossier.current_step else 1
        return max(0.25, left * share * factor)

    def _duration(self, dossier: Dossier, at: dt.datetime, factor: float, scenario: str,
                  overrun: bool = False) -> float:
        hours = self._step_duration(dossier, at, factor, overrun)
        if scenario in OPEN_SCENARIOS:
            # Still open today: it was received in the last days, so its steps so far were short.
            hours = min(hours, self.rng.uniform(0.5, 4))
        return hours

    def _next_actor(self, dossier: Dossier):
        steps = dossier.procedure_version.steps
        order = dossier.current_step.order if dossier.current_step else 0
        step = steps.filter(order__gt=order).order_by("order").first()
        if step is None:
            return None
        return self._official((step.agency_id or dossier.agency_id), step.role)

    def _process(self, dossier: Dossier, at: dt.datetime, scenario: str, flags: set,
                 summary: DossierSummary, account) -> Dossier:
        """Walk the internal process; stop where the scenario ends."""
        late = "late" in flags
        while True:
            actor = dossier.assignee
            specialist_step = dossier.current_step and dossier.current_step.role == Role.SPECIALIST
            overrun = bool(late and specialist_step)
            factor = self.rng.uniform(1.1, 1.6) if overrun else self.rng.uniform(0.3, 0.8)
            hours = self._duration(dossier, at, factor, scenario, overrun)
            if specialist_step:
                if "apology" in flags and not dossier.apology_due_at:
                    due = dossier.effective_due_at
                    ask = self._after(at, 0.5)
                    if ask < due:
                        new_due = self.cal.add_working_seconds(due, 16 * HOUR)
                        dossier = services.apologise(
                            official=actor, dossier=dossier, new_due_at=new_due, now=ask,
                            reason="Cần xác minh thêm thông tin với cơ quan liên quan.")
                        summary.apologies += 1
                        at = ask
                if scenario in ("supplement", "stopped") or "supplement" in flags:
                    at = self._after(at, hours * 0.3)
                    component = self.rng.choice(list(dossier.procedure_version.components.all()))
                    dossier = services.request_supplement(
                        official=actor, dossier=dossier, now=at,
                        reason="Thành phần hồ sơ chưa rõ nội dung, đề nghị bổ sung bản rõ nét.",
                        items=[component.name])
                    summary.supplements += 1
                    if scenario == "supplement":
                        return dossier
                    if scenario == "stopped":
                        at = self._after(at, self.rng.uniform(24, 60))
                        leader = self._official(dossier.current_agency_id, Role.LEADER)
                        return services.stop_processing(
                            official=leader, dossier=dossier, now=at,
                            reason="Quá thời hạn bổ sung nhưng người nộp không bổ sung hồ sơ.")
                    supplied = at + dt.timedelta(minutes=self.rng.randint(1440, 7200))
                    if supplied >= self.now:
                        raise _NotYet
                    supplier = account or self._official(dossier.agency_id, Role.COUNTER_OFFICER)
                    dossier = services.supply_supplement(
                        actor=supplier, dossier=dossier, now=supplied,
                        files={str(component.pk): self._file(component)})
                    at = supplied
                    hours = self._duration(dossier, at, factor, scenario, overrun)
                if scenario == "obligation":
                    at = self._after(at, hours * 0.5)
                    return services.request_financial_obligation(
                        official=actor, dossier=dossier, amount=dossier.fee_amount or 10000,
                        now=at, reason="Nộp phí, lệ phí theo quy định trước khi trả kết quả.")
                if scenario == "withdrawn":
                    at = self._after(at, hours * 0.4)
                    who = account or self._official(dossier.agency_id, Role.COUNTER_OFFICER)
                    return services.withdraw(actor=who, dossier=dossier, now=at,
                                             reason="Người nộp không còn nhu cầu giải quyết.")
                if scenario == "processing":
                    return dossier
            at = self._after(at, hours)
            following = self._next_actor(dossier)
            if following is None:
                break
            dossier = services.hand_over(official=actor, dossier=dossier, to_user=following,
                                         now=at)
        result = f"Đã giải quyết: {dossier.procedure_version.result_type}"
        dossier = services.complete(official=dossier.assignee, dossier=dossier, now=at,
                                    result_summary=result)
        if scenario == "processed":
            return dossier
        at = self._after(at, self.rng.uniform(0.5, 12))
        counter = self._official(dossier.agency_id, Role.COUNTER_OFFICER)
        dossier = services.return_result(officer=counter, dossier=dossier, now=at)
        if account is not None and self.rng.random() < 0.8:
            good = self.rng.random() < 0.85
            scores = {k: (2 if good or self.rng.random() < 0.5 else self.rng.choice((0, 1)))
                      for k, _label in Rating.INDICATORS}
            services.rate(applicant=account, dossier=dossier, scores=scores,
                          comment="" if good else "Thời gian chờ còn dài.")
            summary.ratings += 1
        return dossier

    def _pay_fee(self, dossier: Dossier, received: dt.datetime, account) -> Dossier:
        """Most applicants pay soon after reception: online ones through the sandbox
        gateway, the others in cash at the counter; a few have not paid yet."""
        if dossier.fee_amount <= 0 or self.rng.random() < 0.15:
            return dossier
        at = received + dt.timedelta(minutes=self.rng.randint(5, 90))
        if at >= self.now:
            return dossier
        if account is not None:
            payment = payments.start_online_payment(payer=account, dossier=dossier, now=at)
            txn = SandboxGateway.finish(payment.gateway_reference, "pay")
            body, headers = SandboxGateway.notification_for(txn, succeeded=True)
            payments.handle_notification(gateway_name=SandboxGateway.name, body=body,
                                         headers=headers, now=at)
        else:
            payments.record_counter_payment(
                officer=self._official(dossier.agency_id, Role.COUNTER_OFFICER),
                dossier=dossier, channel=PaymentChannel.CASH, amount=dossier.fee_amount, now=at)
        dossier.refresh_from_db()
        return dossier

    def _digitise(self, dossier: Dossier) -> None:
        """At many counters the paper components are scanned and signed on reception."""
        if self.rng.random() > DIGITISED_SHARE:
            return
        officer = self._official(dossier.agency_id, Role.COUNTER_OFFICER)
        supplied = dossier.files.values_list("component_id", flat=True)
        for component in dossier.procedure_version.components.filter(pk__in=supplied):
            digitise_component(officer=officer, dossier=dossier, component_id=component.pk,
                               upload=self._file(component))

    def _one(self, scenario: str, summary: DossierSummary) -> None:
        procedure, agency = self._pick_offer(scenario)
        version = procedure.version_on(self.now)
        start = self._start(scenario, version)
        flags = set()
        if scenario in ("returned", "processed"):
            if self.rng.random() < 0.15:
                flags.add("late")
                if self.rng.random() < 0.4:
                    flags.add("apology")
            if self.rng.random() < 0.12:
                flags.add("supplement")
        dossier, account = self._submit(scenario, procedure, agency, start)
        summary.created += 1
        try:
            if scenario == "new":
                return
            if scenario == "refused":
                at = self._after(self.cal.clock_start(start), self.rng.uniform(0.3, 2))
                counter = self._official(dossier.agency_id, Role.COUNTER_OFFICER)
                services.refuse(officer=counter, dossier=dossier, now=at,
                                reason="Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan.")
                return
            dossier, at = self._receive(dossier, start)
            dossier = self._pay_fee(dossier, at, account)
            if account is None:
                self._digitise(dossier)
            if scenario == "received":
                return
            at = self._after(at, self._duration(dossier, at, self.rng.uniform(0.3, 0.8), scenario))
            dossier = services.hand_over(official=dossier.assignee, dossier=dossier, now=at,
                                         to_user=self._next_actor(dossier))
            self._process(dossier, at, scenario, flags, summary, account)
        except _NotYet:
            pass  # the rest of its story has not happened yet

    def create(self, count: int) -> DossierSummary:
        summary = DossierSummary()
        names, weights = list(SCENARIOS), list(SCENARIOS.values())
        extra = self.rng.choices(names, weights=weights, k=max(0, count - len(FIRST)))
        plan = FIRST[:count] + extra
        for scenario in plan:
            self._one(scenario, summary)
        dossiers = Dossier.objects.all()
        summary.by_status = Counter(dossiers.values_list("status", flat=True))
        summary.late = dossiers.filter(timeliness="late").count()
        return summary
