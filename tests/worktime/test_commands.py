"""``calendar_prefill`` and ``calendar_load``."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from digigov.worktime.calendar import WorkCalendar
from digigov.worktime.loader import DATA_FILE, read_rows
from digigov.worktime.models import CalendarDay

D = dt.date
HEADER = "date,name_vi,name_en,kind,legal_basis,source\n"


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    return list(CalendarDay.objects.order_by("date").values())


# -- calendar_prefill ----------
def test_prefill_estimates_a_year_not_yet_announced(db):
    assert not CalendarDay.objects.filter(date__year=2028).exists()
    output = run("calendar_prefill", "2028")
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=2028)}
    assert D(2028, 1, 1) in days and D(2028, 9, 2) in days and D(2028, 4, 30) in days
    # Tết Mậu Thân: mùng 1 is Wed 26 Jan 2028.
    assert days[D(2028, 1, 26)].kind == CalendarDay.Kind.HOLIDAY
    # New Year's Day on a Saturday gives Monday 3 Jan off (art. 112.3).
    assert days[D(2028, 1, 3)].kind == CalendarDay.Kind.COMPENSATORY
    assert all(not d.verified for d in days.values())
    assert all(d.legal_basis.startswith("UNVERIFIED") for d in days.values())
    assert all("ƯỚC TÍNH" in d.name and d.name_en.endswith("ESTIMATE") for d in days.values())
    assert f"{len(days)} estimated day(s) added" in output
    assert not WorkCalendar.load().is_working_day(D(2028, 1, 3))


def test_prefill_never_overwrites_existing_rows(db):
    CalendarDay.objects.create(date=D(2028, 1, 26), kind=CalendarDay.Kind.BRIDGE,
                               name="Sửa tay của cơ quan", verified=False)
    run("calendar_prefill", "2028")
    kept = CalendarDay.objects.get(date=D(2028, 1, 26))
    assert (kept.kind, kept.name) == (CalendarDay.Kind.BRIDGE, "Sửa tay của cơ quan")
    before = snapshot()
    output = run("calendar_prefill", "2028")
    assert snapshot() == before
    assert "0 estimated day(s) added" in output


def test_prefill_refuses_an_announced_year_and_changes_nothing(db):
    before = snapshot()
    with pytest.raises(CommandError, match="already has .* announced day"):
        run("calendar_prefill", "2026")
    assert snapshot() == before


def test_prefill_force_adds_only_missing_days_to_an_announced_year(db):
    before = {d["date"]: d for d in snapshot() if d["date"].year == 2027}
    with pytest.raises(CommandError):
        run("calendar_prefill", "2027")
    run("calendar_prefill", "2027", "--force")
    after = {d["date"]: d for d in snapshot() if d["date"].year == 2027}
    assert all(after[date] == row for date, row in before.items())
    # The shipped file leaves out mùng 1 and 2 of Tết 2027, which fall on Sat 6 and Sun 7 Feb.
    assert set(after) - set(before) == {D(2027, 2, 6), D(2027, 2, 7)}
    assert not after[D(2027, 2, 6)]["verified"]


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_prefill_refuses_a_year_out_of_range(db, year):
    with pytest.raises(CommandError, match="outside"):
        run("calendar_prefill", year)
    assert not CalendarDay.objects.filter(date__year=int(year)).exists()


# -- calendar_load ----------
def test_load_restores_the_shipped_calendar(db):
    CalendarDay.objects.filter(date=D(2026, 2, 17)).delete()
    CalendarDay.objects.filter(date=D(2026, 8, 22)).update(name="sai", verified=False)
    output = run("calendar_load")
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).kind == CalendarDay.Kind.HOLIDAY
    restored = CalendarDay.objects.get(date=D(2026, 8, 22))
    assert restored.verified and restored.name.startswith("Ngày làm việc bù")
    assert CalendarDay.objects.count() == len(read_rows(DATA_FILE))
    assert "(+1)" in output


def test_load_an_agencys_corrected_file(db, tmp_path):
    corrected = tmp_path / "lich.csv"
    corrected.write_text(
        HEADER
        + "2026-11-24,Ngày Văn hóa Việt Nam,Vietnam Culture Day,holiday,TB 123/TB-BNV,\n"
        + "2026-12-31,Nghỉ hoán đổi,Bridge day,bridge,CV 1/VPCP,\n"
        + "2027-01-09,Làm bù,Make-up Saturday,makeup_working_day,UNVERIFIED draft,\n",
        encoding="utf-8",
    )
    run("calendar_load", str(corrected))
    assert CalendarDay.objects.get(date=D(2026, 11, 24)).verified is True
    assert CalendarDay.objects.get(date=D(2026, 12, 31)).kind == CalendarDay.Kind.BRIDGE
    assert CalendarDay.objects.get(date=D(2027, 1, 9)).verified is False
    cal = WorkCalendar.load()
    assert not cal.is_working_day(D(2026, 12, 31)) and cal.is_working_day(D(2027, 1, 9))
    # Rows not in the file stay without --prune.
    assert CalendarDay.objects.filter(date=D(2027, 9, 3)).exists()


def test_load_with_prune_makes_the_file_the_truth_for_its_years(db, tmp_path):
    corrected = tmp_path / "2027.csv"
    corrected.write_text(
        HEADER + "2027-09-01,Quốc khánh (liền kề),National Day (adjacent),holiday,TB 9/BNV,\n"
        + "2027-09-02,Quốc khánh,National Day,holiday,BLLĐ 2019 Điều 112,\n",
        encoding="utf-8",
    )
    other_years = [d for d in snapshot() if d["date"].year != 2027]
    run("calendar_load", str(corrected), "--prune")
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        D(2027, 9, 1), D(2027, 9, 2)]
    assert [d for d in snapshot() if d["date"].year != 2027] == other_years


@pytest.mark.parametrize(("content", "message"), [
    ("date,name_vi\n2026-01-01,x\n", "missing column"),
    (HEADER + "01/05/2026,Lễ,Day,holiday,x,\n", "line 3: date .01/05/2026."),
    (HEADER + "2026-05-01,Lễ,Day,festival,x,\n", "kind 'festival'"),
    (HEADER + "2026-05-04,Làm bù,Make-up,makeup_working_day,x,\n", "is a weekday"),
    (HEADER + "2026-05-04,,Day,holiday,x,\n", "name_vi is empty"),
    (HEADER + "2026-05-04,A,A,holiday,x,\n2026-05-04,B,B,holiday,x,\n",
     "line 4: 2026-05-04 already given on line 3"),
])
def test_load_refuses_a_bad_file_and_changes_nothing(db, tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    # One good row first: nothing is loaded if any row is wrong.
    bad.write_text(content.replace(HEADER, HEADER + "2026-12-30,Tốt,Good,holiday,x,\n", 1),
                   encoding="utf-8")
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run("calendar_load", str(bad))
    assert snapshot() == before


def test_load_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("calendar_load", str(tmp_path / "none.csv"))
