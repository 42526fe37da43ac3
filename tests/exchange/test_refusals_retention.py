"""The refusals log keeps EXCHANGE_REFUSALS_KEEP_DAYS days: ``exchange_prune`` and the
worker's loop (at most once an hour) delete older lines."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from digigov.core.errors import InvalidInput
from digigov.exchange import services
from digigov.exchange.management.commands import exchange_send
from digigov.exchange.models import RejectedPackage


def _refusal(days_ago: float, reason: str) -> RejectedPackage:
    return RejectedPackage.objects.create(
        reason=reason, sha256="0" * 64,
        received_at=timezone.now() - dt.timedelta(days=days_ago))


@pytest.fixture
def log(db):
    return {"old": _refusal(120, "old"), "older": _refusal(400, "older"),
            "recent": _refusal(89, "recent"), "today": _refusal(0, "today")}


def _reasons() -> set[str]:
    return set(RejectedPackage.objects.values_list("reason", flat=True))


def test_lines_older_than_the_default_90_days_go(log):
    pruned = services.prune_refusals()
    assert (pruned.deleted, pruned.keep_days) == (2, 90)
    assert _reasons() == {"recent", "today"}
    assert services.prune_refusals().deleted == 0  # nothing more to do


def test_the_setting_sets_the_retention(log, settings):
    settings.EXCHANGE_REFUSALS_KEEP_DAYS = 200
    assert services.prune_refusals().deleted == 1
    assert _reasons() == {"old", "recent", "today"}


def test_zero_keeps_everything(log, settings):
    settings.EXCHANGE_REFUSALS_KEEP_DAYS = 0
    pruned = services.prune_refusals()
    assert (pruned.deleted, pruned.before) == (0, None)
    assert len(_reasons()) == 4


def test_a_negative_retention_is_refused(log):
    with pytest.raises(InvalidInput):
        services.prune_refusals(keep_days=-1)
    assert len(_reasons()) == 4


def test_command_says_how_many_went(log):
    out = io.StringIO()
    call_command("exchange_prune", stdout=out)
    assert out.getvalue().startswith("Deleted 2 refused package(s) received before ")
    assert "(kept 90 days)" in out.getvalue()
    assert _reasons() == {"recent", "today"}


def test_command_days_option(log):
    out = io.StringIO()
    call_command("exchange_prune", "--days", "30", stdout=out)
    assert out.getvalue().startswith("Deleted 3 refused package(s)")
    assert _reasons() == {"today"}


def test_command_refuses_negative_days(log):
    with pytest.raises(CommandError):
        call_command("exchange_prune", "--days", "-5", stdout=io.StringIO())
    assert len(_reasons()) == 4


def test_command_with_retention_off(log, settings):
    settings.EXCHANGE_REFUSALS_KEEP_DAYS = 0
    out = io.StringIO()
    call_command("exchange_prune", stdout=out)
    assert "nothing deleted" in out.getvalue() and len(_reasons()) == 4


@pytest.fixture(autouse=True)
def _keep_signal_handlers(monkeypatch):
    """The loop installs SIGTERM/SIGINT handlers; the test process keeps its own."""
    monkeypatch.setattr(exchange_send.signal, "signal", lambda *args: None)


class _Clock:
    """The worker's clock and sleep, standing in for time: each idle pass sleeps the
    interval; the loop ends after the given number of passes."""

    def __init__(self, passes: int):
        self.now, self.passes = 0.0, passes

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.passes -= 1
        if self.passes == 0:
            raise _Stop


class _Stop(Exception):
    """Ends the worker loop under test after its passes."""


def test_worker_loop_prunes_at_most_once_an_hour(db, monkeypatch):
    clock = _Clock(passes=16)
    prunes = []
    monkeypatch.setattr(exchange_send.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(exchange_send.time, "sleep", clock.sleep)
    monkeypatch.setattr(services, "run_once", lambda **kw: services.PassResult())
    monkeypatch.setattr(services, "next_due", lambda: None)
    monkeypatch.setattr(services, "prune_refusals",
                        lambda: prunes.append(clock.now) or services.Pruned(0, 90, None))
    with pytest.raises(_Stop):
        # 16 passes 10 minutes apart: at 0, 600, ..., 9000 seconds.
        call_command("exchange_send", "--loop", "--interval", "600", stdout=io.StringIO())
    assert prunes == [0.0, 3600.0, 7200.0]


def test_worker_loop_prunes_the_log(log, monkeypatch):
    clock = _Clock(passes=1)
    monkeypatch.setattr(exchange_send.time, "sleep", clock.sleep)
    monkeypatch.setattr(services, "run_once", lambda **kw: services.PassResult())
    out = io.StringIO()
    with pytest.raises(_Stop):
        call_command("exchange_send", "--loop", stdout=out)
    assert "pruned 2 refused package(s) older than 90 days" in out.getvalue()
    assert _reasons() == {"recent", "today"}


@pytest.mark.django_db(transaction=True)  # as the worker runs: no test transaction to lose
def test_a_failed_pruning_does_not_stop_delivery(monkeypatch):
    clock = _Clock(passes=2)
    passes = []
    monkeypatch.setattr(exchange_send.time, "sleep", clock.sleep)
    monkeypatch.setattr(services, "run_once",
                        lambda **kw: passes.append(1) or services.PassResult())

    def broken():
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "prune_refusals", broken)
    with pytest.raises(_Stop):
        call_command("exchange_send", "--loop", stdout=io.StringIO())
    assert len(passes) == 2
