"""Working days (holidays, 调休, ledger overrides), reporting duties and the missed-report rule,
the deadline calendar and the trend — the domain directly and the CLI on SQLite and PostgreSQL.

Every expected date below was worked out by hand from the State Council's holiday notices
(国务院办公厅关于…部分节假日安排的通知) for 2023–2025.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from conftest import as_json, dump_ledger, ok, run
from taskctl.dates import COUNTED, RELATIVE, parse_date
from taskctl.duties import describe, judge_duty, parse_duty, report_days
from taskctl.errors import DateParseError, InvalidValue
from taskctl.workdays import WorkCalendar


def quiet_calendar(overrides=None) -> tuple[WorkCalendar, list[str]]:
    warnings: list[str] = []
    return WorkCalendar(overrides, warn=warnings.append), warnings


# ---------------------------------------------------------------- the calendar, known years

# (day, is a working day): holidays on weekdays and weekends worked (调休), 2023–2025
KNOWN_DAYS = [
    (date(2023, 1, 2), False),   # Mon: New Year's Day observed
    (date(2023, 1, 23), False),  # Mon: Spring Festival
    (date(2023, 1, 28), True),   # Sat: worked for the Spring Festival
    (date(2023, 1, 29), True),   # Sun: worked
    (date(2023, 4, 5), False),   # Wed: Qingming
    (date(2023, 4, 23), True),   # Sun: worked for Labour Day
    (date(2023, 5, 6), True),    # Sat: worked
    (date(2023, 6, 22), False),  # Thu: Dragon Boat
    (date(2023, 6, 25), True),   # Sun: worked
    (date(2023, 9, 29), False),  # Fri: Mid-autumn
    (date(2023, 10, 6), False),  # Fri: National Day week
    (date(2023, 10, 7), True),   # Sat: worked
    (date(2023, 10, 8), True),   # Sun: worked
    (date(2024, 2, 4), True),    # Sun: worked for the Spring Festival
    (date(2024, 2, 12), False),  # Mon: Spring Festival
    (date(2024, 2, 18), True),   # Sun: worked
    (date(2024, 4, 7), True),    # Sun: worked for Qingming
    (date(2024, 5, 11), True),   # Sat: worked for Labour Day
    (date(2024, 9, 14), True),   # Sat: worked for Mid-autumn
    (date(2024, 9, 16), False),  # Mon: Mid-autumn
    (date(2024, 10, 7), False),  # Mon: National Day week
    (date(2024, 10, 12), True),  # Sat: worked
    (date(2025, 1, 26), True),   # Sun: worked for the Spring Festival
    (date(2025, 1, 28), False),  # Tue: Spring Festival eve
    (date(2025, 2, 4), False),   # Tue: Spring Festival
    (date(2025, 2, 8), True),    # Sat: worked
    (date(2025, 4, 27), True),   # Sun: worked for Labour Day
    (date(2025, 5, 5), False),   # Mon: Labour Day
    (date(2025, 6, 2), False),   # Mon: Dragon Boat
    (date(2025, 9, 28), True),   # Sun: worked for National Day
    (date(2025, 10, 8), False),  # Wed: National Day week
    (date(2025, 10, 11), True),  # Sat: worked
    (date(2025, 3, 5), True),    # an ordinary Wednesday
    (date(2025, 3, 8), False),   # an ordinary Saturday
]


@pytest.mark.parametrize("day, working", KNOWN_DAYS)
def test_known_years_holidays_and_adjusted_days(day, working):
    cal, warnings = quiet_calendar()
    assert cal.is_workday(day) is working
    weekend = day.weekday() >= 5
    assert cal.kind(day) == {(True, False): "workday", (True, True): "adjusted", (False, True): "weekend",
                             (False, False): "holiday"}[(working, weekend)]
    assert warnings == []


# start, n working days, the n-th working day after start (the first working day after it is day 1)
COUNTS = [
    (date(2023, 3, 1), 5, date(2023, 3, 8)),     # Thu 2, Fri 3, Mon 6, Tue 7, Wed 8
    (date(2023, 3, 1), 10, date(2023, 3, 15)),
    (date(2023, 1, 20), 5, date(2023, 2, 1)),    # 21–27 off; Sat 28, Sun 29 worked; 30, 31, 1 Feb
    (date(2025, 1, 24), 3, date(2025, 2, 5)),    # Sun 26 Jan worked (1), Mon 27 (2), 28 Jan–4 Feb off, Wed 5 (3)
    (date(2023, 9, 27), 3, date(2023, 10, 8)),   # Thu 28 (1), 29 Sep–6 Oct off, Sat 7 (2), Sun 8 (3)
    (date(2023, 3, 3), 1, date(2023, 3, 6)),     # a Friday: day 1 is Monday
]


@pytest.mark.parametrize("start, n, expected", COUNTS)
def test_counting_working_days(start, n, expected):
    cal, _ = quiet_calendar()
    assert cal.add_workdays(start, n) == expected
    assert cal.workdays_between(start, expected) == n


def test_a_year_the_package_does_not_know_falls_back_to_weekdays_with_one_warning():
    cal, warnings = quiet_calendar()
    assert cal.is_workday(date(2030, 2, 4)) is True  # a Monday: weekdays only
    assert cal.is_workday(date(2030, 2, 2)) is False  # a Saturday
    assert cal.is_workday(date(2030, 2, 5)) is True
    assert len(warnings) == 1 and "2030" in warnings[0]
    assert cal.add_workdays(date(2030, 2, 1), 3) == date(2030, 2, 6)  # Mon 4, Tue 5, Wed 6


def test_overrides_win_over_the_fallback_and_over_the_package():
    overrides = {date(2030, 2, 4): False, date(2030, 2, 9): True,  # an unknown year
                 date(2025, 1, 26): False, date(2025, 3, 5): False}  # a known one, changed locally
    cal, warnings = quiet_calendar(overrides)
    assert cal.is_workday(date(2030, 2, 4)) is False and cal.is_workday(date(2030, 2, 9)) is True
    assert warnings == []  # only overridden days asked so far: nothing was guessed
    assert cal.is_workday(date(2025, 1, 26)) is False and cal.is_workday(date(2025, 3, 5)) is False
    # Fri 1 Feb 2030 + 3: Sat 2, Sun 3 off, Mon 4 a holiday by override, Tue 5 (1), Wed 6 (2), Thu 7 (3)
    assert cal.add_workdays(date(2030, 2, 1), 3) == date(2030, 2, 7)
    assert len(warnings) == 1 and "2030" in warnings[0]


# ---------------------------------------------------------------- date forms

def parse(text, **kw):
    cal, _ = quiet_calendar()
    kw.setdefault("year", 2023)
    kw.setdefault("today", date(2023, 9, 27))
    return parse_date(text, workdays=cal.add_workdays, **kw)


@pytest.mark.parametrize("text, start, expected, kind", [
    ("5个工作日内", date(2023, 3, 1), date(2023, 3, 8), COUNTED),
    ("10个工作日", date(2023, 3, 1), date(2023, 3, 15), COUNTED),
    ("3个工作日内办结", date(2023, 9, 27), date(2023, 10, 8), COUNTED),
    ("五个工作日内", date(2023, 1, 20), date(2023, 2, 1), COUNTED),
    ("１０个工作日内完成", date(2023, 3, 1), date(2023, 3, 15), COUNTED),
    ("15日内", date(2023, 3, 1), date(2023, 3, 16), COUNTED),
    ("30天内", date(2023, 3, 1), date(2023, 3, 31), COUNTED),
    ("+5wd", date(2023, 1, 1), date(2023, 10, 10), RELATIVE),  # from today, Wed 27 Sep: 28 Sep, 7, 8, 9, 10 Oct
    ("+3d", date(2023, 1, 1), date(2023, 9, 30), RELATIVE),
])
def test_counted_forms(text, start, expected, kind):
    parsed = parse(text, start=start)
    assert (parsed.date, parsed.kind, parsed.text) == (expected, kind, text)


@pytest.mark.parametrize("text", ["0个工作日", "零个工作日内", "+0wd", "0日内"])
def test_a_count_of_zero_is_refused(text):
    with pytest.raises(DateParseError) as info:
        parse(text, start=date(2023, 3, 1))
    assert info.value.key == "date.zero_count" and text in str(info.value)


def test_working_days_need_a_calendar():
    with pytest.raises(DateParseError) as info:
        parse_date("5个工作日内", year=2023, today=date(2023, 3, 1))
    assert info.value.key == "date.no_workdays"
    assert parse_date("15日内", year=2023, today=date(2023, 3, 1)).date == date(2023, 3, 16)


# ---------------------------------------------------------------- duties

@pytest.mark.parametrize("text, rule", [
    ("每周二前", "FREQ=WEEKLY;BYDAY=TU"),
    ("weekly:TU", "FREQ=WEEKLY;BYDAY=TU"),
    ("每周星期五", "FREQ=WEEKLY;BYDAY=FR"),
    ("每月5日前", "FREQ=MONTHLY;BYMONTHDAY=5"),
    ("monthly:5", "FREQ=MONTHLY;BYMONTHDAY=5"),
    ("每月28日前", "FREQ=MONTHLY;BYMONTHDAY=28"),
    ("每月底前", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    ("每季度首月10日前", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=10"),
    ("quarterly:10", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=10"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ("none", None), ("无", None),
])
def test_duties_become_rrules(text, rule):
    assert parse_duty(text) == rule


@pytest.mark.parametrize("text, key", [
    ("每周八前", "duty.unreadable"), ("每两周", "duty.unreadable"), ("monthly:0", "duty.bad_day"),
    ("每月31日前", "duty.bad_day"), ("FREQ=WEEKLY;COUNT=3", "duty.bad_rrule"), ("FREQ=NEVER", "duty.bad_rrule"),
])
def test_bad_duties(text, key):
    with pytest.raises(InvalidValue) as info:
        parse_duty(text)
    assert info.value.key == key


def test_duties_read_back_in_both_languages():
    from taskctl import i18n

    try:
        i18n.set_language("zh")
        assert describe(parse_duty("weekly:TU")) == "每周二前"
        assert describe(parse_duty("每季度首月10日前")) == "每季度首月10日前"
        i18n.set_language("en")
        assert describe(parse_duty("每月5日前")) == "by day 5 every month"
    finally:
        i18n.set_language("en")


def test_report_days_move_off_holidays():
    cal, _ = quiet_calendar()
    # Tuesdays of October 2023: the 3rd is in the National Day week; the next working day is Sat 7 (调休)
    assert report_days("FREQ=WEEKLY;BYDAY=TU", date(2023, 10, 1), date(2023, 10, 31), cal) == [
        date(2023, 10, 7), date(2023, 10, 10), date(2023, 10, 17), date(2023, 10, 24), date(2023, 10, 31)]
    # the 5th of each month: 5 Feb 2023 is a Sunday -> Mon 6; 5 Mar a Sunday -> Mon 6; 5 Apr 清明 -> Thu 6
    assert report_days("FREQ=MONTHLY;BYMONTHDAY=5", date(2023, 2, 1), date(2023, 4, 30), cal) == [
        date(2023, 2, 6), date(2023, 3, 6), date(2023, 4, 6)]
    # each quarter's first month, by the 10th: 10 Jan 2025 a Friday, 10 Apr a Thursday
    assert report_days(parse_duty("每季度首月10日前"), date(2025, 1, 1), date(2025, 6, 30), cal) == [
        date(2025, 1, 10), date(2025, 4, 10)]


# The month worked by hand (October 2023, National Day week 29 Sep–6 Oct, Sat 7 and Sun 8 worked):
# a task started Wed 20 Sep with the duty 每周二前.  Report days after the start: Tue 26 Sep, Tue 3 Oct
# (a holiday: moves to Sat 7 Oct), Tue 10, 17, 24, 31 Oct.  Updates: 25 Sep, 7 Oct, 12 Oct.
#   window (19 Sep, 26 Sep] has 25 Sep  -> kept      window (26 Sep, 7 Oct] has 7 Oct -> kept
#   window (7 Oct, 10 Oct] empty        -> missed    window (10 Oct, 17 Oct] has 12 Oct -> kept
#   window (17 Oct, 24 Oct] empty       -> missed    window (24 Oct, 31 Oct] empty      -> missed
UPDATES = [date(2023, 9, 25), date(2023, 10, 7), date(2023, 10, 12)]
MISSED = [  # as of, missed report (None: not stale), missed in a row
    (date(2023, 9, 26), None, 0),   # the report day itself is still in time
    (date(2023, 10, 4), None, 0),   # 3 Oct was a holiday: the report is due on 7 Oct
    (date(2023, 10, 7), None, 0),
    (date(2023, 10, 10), None, 0),  # 7 Oct kept; 10 Oct still in time
    (date(2023, 10, 11), date(2023, 10, 10), 1),
    (date(2023, 10, 17), date(2023, 10, 10), 1),  # the late report of 12 Oct does not keep 10 Oct
    (date(2023, 10, 18), None, 0),  # 17 Oct kept by 12 Oct
    (date(2023, 10, 25), date(2023, 10, 24), 1),
    (date(2023, 11, 1), date(2023, 10, 31), 2),
]


@pytest.mark.parametrize("as_of, missed, in_row", MISSED)
def test_the_missed_report_rule_by_hand(as_of, missed, in_row):
    cal, _ = quiet_calendar()
    found = judge_duty("FREQ=WEEKLY;BYDAY=TU", counted_from=date(2023, 9, 20), as_of=as_of,
                       updates=[u for u in UPDATES if u <= as_of], calendar=cal)
    assert (found.missed_report, found.missed_in_row, found.stale) == (missed, in_row, missed is not None)


# ---------------------------------------------------------------- through the CLI, both backends

@pytest.fixture
def october(ledger_env, monkeypatch):
    """The month worked by hand, in a real ledger: today is 30 November 2023."""
    monkeypatch.setenv("TASKCTL_TODAY", "2023-11-30")
    ok("unit", "add", "双塔区", "--kind", "county", "--contact", "孙志刚")
    ok("unit", "add", "市发改委", "--kind", "部门", "--report", "每月5日前")
    duty = as_json("task", "add", "周报任务", "--area", "1", "--lead", "双塔区", "--start", "2023-09-20",
                   "--due", "2023-12-31", "--report", "每周二前")
    plain = as_json("task", "add", "无报送要求", "--area", "1", "--lead", "双塔区", "--start", "2023-09-20",
                    "--due", "2023-12-31")
    for day in UPDATES:
        ok("progress", "add", str(duty["id"]), "--percent", "10", "--on", day.isoformat())
        ok("progress", "add", str(plain["id"]), "--percent", "10", "--on", day.isoformat())
    return duty["id"], plain["id"]


@pytest.mark.parametrize("as_of, missed, in_row", MISSED)
def test_stale_names_the_missed_report(october, backend, as_of, missed, in_row):
    duty, plain = october
    report = as_json("stale", "--as-of", as_of.isoformat())
    rows = {r["id"]: r for r in report["rows"]}
    if missed is None:
        assert duty not in rows
    else:
        row = rows[duty]
        assert (row["missed_report"], row["missed_in_row"]) == (missed.isoformat(), in_row)
        assert row["report_duty"] == "by Tuesday every week"
        last = max(u for u in UPDATES if u <= as_of)
        assert row["days_since_report"] == (as_of - last).days
    # the task without a duty keeps the old rule: stale when silent for 7 days or more
    last = max(u for u in UPDATES if u <= as_of)
    assert (plain in rows) == ((as_of - last).days >= 7)
    if plain in rows:
        assert rows[plain]["missed_report"] is None and rows[plain]["report_duty"] is None


def test_a_units_duty_is_the_default_of_its_tasks(october, backend):
    task = as_json("task", "add", "月报任务", "--area", "2", "--lead", "市发改委", "--start", "2023-10-01",
                   "--due", "2023-12-31")
    shown = as_json("task", "show", str(task["id"]))
    assert shown["report_duty"] == "by day 5 every month"
    assert as_json("unit", "show", "市发改委")["report_duty"] == "by day 5 every month"
    # 5 Nov 2023 is a Sunday: the report is due Monday 6 Nov; nothing was reported since the start,
    # so the October report (below) was missed too: two in a row
    report = as_json("stale", "--as-of", "2023-11-07")
    row = next(r for r in report["rows"] if r["id"] == task["id"])
    assert (row["missed_report"], row["missed_in_row"]) == ("2023-11-06", 2)
    # 5 Oct is in the National Day week: the report was due on Sat 7 Oct (调休), window (5 Sep, 7 Oct]
    rows = {r["id"]: r for r in as_json("stale", "--as-of", "2023-10-09")["rows"]}
    assert (rows[task["id"]]["missed_report"], rows[task["id"]]["missed_in_row"]) == ("2023-10-07", 1)
    assert task["id"] not in {r["id"] for r in as_json("stale", "--as-of", "2023-10-07")["rows"]}
    ok("task", "edit", str(task["id"]), "--report", "每周二前")
    assert as_json("task", "show", str(task["id"]))["report_duty"] == "by Tuesday every week"
    ok("task", "edit", str(task["id"]), "--report", "none")  # back to the unit's duty
    assert as_json("task", "show", str(task["id"]))["report_duty"] == "by day 5 every month"
    ok("unit", "edit", "市发改委", "--report", "none")
    assert as_json("task", "show", str(task["id"]))["report_duty"] is None


def test_working_day_deadlines_and_reports(ledger_env, backend, monkeypatch):
    monkeypatch.setenv("TASKCTL_TODAY", "2023-10-16")
    ok("unit", "add", "双塔区", "--kind", "county")
    # Wed 27 Sep + 5 working days: Thu 28 (1), Sat 7 Oct (2), Sun 8 (3), Mon 9 (4), Tue 10 (5)
    task = as_json("task", "add", "五日办结", "--area", "1", "--lead", "双塔区", "--start", "2023-09-27",
                   "--due", "5个工作日内")
    assert (task["due"], task["due_text"]) == ("2023-10-10", "5个工作日内")
    # overdue on Mon 16 Oct: 6 days, of which working days 11, 12, 13, 16 Oct
    row = as_json("overdue")["rows"][0]
    assert (row["id"], row["days_overdue"], row["working_days_overdue"]) == (task["id"], 6, 4)
    # due soon from Thu 5 Oct (a holiday): 4 working days reach Tue 10 Oct (7, 8, 9, 10); 4 calendar days do not
    soon = as_json("due-soon", "--as-of", "2023-10-05", "--days", "4", "--working")
    assert soon["until"] == "2023-10-10" and soon["working"] is True
    assert [(r["id"], r["days_left"], r["working_days_left"]) for r in soon["rows"]] == [(task["id"], 5, 4)]
    assert as_json("due-soon", "--as-of", "2023-10-05", "--days", "4")["rows"] == []
    assert as_json("due-soon", "--as-of", "2023-10-05", "--days", "2", "--working")["until"] == "2023-10-08"
    # +5wd counts from today (Mon 16 Oct): 17, 18, 19, 20, 23 Oct
    later = as_json("task", "add", "五个工作日", "--area", "1", "--lead", "双塔区", "--due", "+5wd")
    assert later["due"] == "2023-10-23"
    # an extension counts from the day it is granted: from Fri 13 Oct, 3 working days = 16, 17, 18 Oct
    ok("task", "extend", str(task["id"]), "--to", "3个工作日内", "--reason", "补充材料", "--on", "2023-10-13")
    assert as_json("task", "show", str(task["id"]))["due"] == "2023-10-18"


def test_an_override_does_not_move_deadlines_already_entered(ledger_env, backend):
    ok("unit", "add", "双塔区", "--kind", "county")
    first = as_json("task", "add", "先录入", "--area", "1", "--lead", "双塔区", "--start", "2023-03-01",
                    "--due", "5个工作日内")
    assert first["due"] == "2023-03-08"
    ok("holidays", "add", "2023-03-06", "--holiday", "--note", "本地安排")
    second = as_json("task", "add", "后录入", "--area", "1", "--lead", "双塔区", "--start", "2023-03-01",
                     "--due", "5个工作日内")
    assert second["due"] == "2023-03-09"  # 2, 3, 7, 8, 9 March
    assert as_json("task", "show", str(first["id"]))["due"] == "2023-03-08"
    listed = as_json("holidays", "list", "--year", "2023")
    mine = [r for r in listed["rows"] if r["source"] == "ledger"]
    assert [(r["date"], r["day_kind"], r["name"]) for r in mine] == [("2023-03-06", "holiday", "本地安排")]
    assert any(r["date"] == "2023-01-28" and r["day_kind"] == "adjusted" for r in listed["rows"])
    ok("holidays", "remove", "2023-03-06")
    third = as_json("task", "add", "删除后", "--area", "1", "--lead", "双塔区", "--start", "2023-03-01",
                    "--due", "5个工作日内")
    assert third["due"] == "2023-03-08"


def test_an_unknown_year_warns_and_overrides_win(ledger_env, backend):
    ok("unit", "add", "双塔区", "--kind", "county")
    ok("holidays", "add", "2030-02-04..2030-02-05", "--holiday", "--note", "春节")
    assert [r["action"] for r in as_json("log")].count("holiday.add") == 1  # a range is one history entry
    result = run("task", "add", "2030年任务", "--area", "1", "--lead", "双塔区", "--start", "2030-02-01",
                 "--due", "3个工作日内", "--format", "json")
    assert result.exit_code == 0, result.stderr
    # Sat 2, Sun 3 off; Mon 4, Tue 5 holidays by override; Wed 6 (1), Thu 7 (2), Fri 8 (3)
    assert json.loads(result.stdout)["due"] == "2030-02-08"
    assert "2030" in result.stderr and result.stderr.count("warning") == 1
    listed = as_json("holidays", "list", "--year", "2030")
    assert listed["known"] is False and [r["date"] for r in listed["rows"]] == ["2030-02-04", "2030-02-05"]


@pytest.mark.parametrize("args, says", [
    (("task", "add", "x", "--area", "1", "--lead", "双塔区", "--due", "0个工作日"), "0个工作日"),
    (("task", "add", "x", "--area", "1", "--lead", "双塔区", "--report", "每周八前"), "每周八前"),
    (("task", "edit", "1", "--report", "每月31日前"), "每月31日前"),
    (("unit", "edit", "双塔区", "--report", "每周八前"), "每周八前"),
    (("holidays", "add", "2030-02-30", "--holiday"), "2030-02-30"),
    (("holidays", "add", "二月某天", "--workday"), "二月某天"),
    (("holidays", "add", "2030-02-01"), "--holiday"),
    (("holidays", "add", "2030-02-09..2030-02-01", "--holiday"), "2030-02-09..2030-02-01"),
    (("holidays", "remove", "2030-02-01"), "2030-02-01"),
    (("calendar", "--month", "2023-13"), "2023-13"),
    (("trend", "--from", "2023-03-01", "--to", "2023-02-01"), "2023-03-01"),
])
def test_bad_input_is_one_line_and_changes_nothing(ledger_env, backend, args, says):
    ok("unit", "add", "双塔区", "--kind", "county")
    ok("task", "add", "已有任务", "--area", "1", "--lead", "双塔区")
    before = dump_ledger(ledger_env)
    result = run(*args)
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert dump_ledger(ledger_env) == before


# ---------------------------------------------------------------- calendar, trend, weekly export

def test_calendar_json_puts_deadlines_and_report_days_on_their_days(october, backend):
    cal = as_json("calendar", "--month", "2023-12")
    rows = {r["date"]: r for r in cal["rows"]}
    assert len(rows) == 31 and cal["month"] == "2023-12"
    duty, plain = october
    assert rows["2023-12-31"]["due"] == [duty, plain]
    # Tuesdays of December 2023 — no holiday among them
    assert [d for d, r in rows.items() if duty in r["reports"]] == [
        "2023-12-05", "2023-12-12", "2023-12-19", "2023-12-26"]
    assert rows["2023-12-30"]["day_kind"] == "weekend" and rows["2023-12-04"]["day_kind"] == "workday"
    assert cal["workdays"] == 21  # December 2023: 31 days, 10 weekend days, no holiday
    october_cal = {r["date"]: r for r in as_json("calendar", "--month", "2023-10")["rows"]}
    assert october_cal["2023-10-07"]["day_kind"] == "adjusted" and duty in october_cal["2023-10-07"]["reports"]
    assert october_cal["2023-10-03"]["day_kind"] == "holiday" and october_cal["2023-10-03"]["reports"] == []
    assert october_cal["2023-10-03"]["holiday"] == "National Day"


def test_trend_series_by_hand(ledger_env, backend):
    ok("unit", "add", "双塔区", "--kind", "county")
    task = as_json("task", "add", "三月任务", "--area", "1", "--lead", "双塔区", "--start", "2023-03-01",
                   "--due", "2023-03-31")
    ok("progress", "add", str(task["id"]), "--percent", "20", "--on", "2023-03-10")
    doc = as_json("trend", "--from", "2023-03-06", "--to", "2023-03-19")
    # week 10 as of Sun 12 Mar: expected 100 × 11/30 = 36.7; week 11 as of Sun 19 Mar: 100 × 18/30 = 60
    assert [(r["week"], r["as_of"], r["tasks"], r["percent_actual"], r["percent_expected"], r["gap"])
            for r in doc["rows"]] == [("2023-W10", "2023-03-12", 1, 20, 36.7, -16.7),
                                      ("2023-W11", "2023-03-19", 1, 20, 60, -40)]
    csv_text = ok("trend", "--from", "2023-03-06", "--to", "2023-03-19", "--format", "csv")
    assert csv_text.splitlines()[2] == "2023-W11,2023-03-19,1,20,60,-40"
    # another area has no task: an empty series is not an error
    assert [r["tasks"] for r in as_json("trend", "--area", "2", "--from", "2023-03-06", "--to", "2023-03-19")
            ["rows"]] == [0, 0]


def test_weekly_no_update_follows_the_duty(ledger_env, backend):
    ok("unit", "add", "双塔区", "--kind", "county")
    duty = as_json("task", "add", "月报", "--area", "1", "--lead", "双塔区", "--start", "2023-02-01",
                   "--due", "2023-12-31", "--report", "每月5日前")
    plain = as_json("task", "add", "普通", "--area", "1", "--lead", "双塔区", "--start", "2023-02-01",
                    "--due", "2023-12-31")
    for tid in (duty["id"], plain["id"]):
        ok("progress", "add", str(tid), "--percent", "10", "--on", "2023-03-03")
    # week 12 (20–26 Mar): neither reported that week; the monthly report of Mon 6 Mar (5 Mar a Sunday)
    # was kept on 3 Mar, so only the task without a duty is listed
    doc = json.loads(ok("export", "weekly", "--week", "2023-W12", "--format", "json"))
    assert [r["id"] for r in doc["parts"]["no_update"]["rows"]] == [plain["id"]]
    # week 10 (6–12 Mar): the report day Mon 6 Mar itself was kept by 3 Mar
    doc = json.loads(ok("export", "weekly", "--week", "2023-W10", "--format", "json"))
    assert [r["id"] for r in doc["parts"]["no_update"]["rows"]] == [plain["id"]]
    # week 9 (27 Feb–5 Mar): both reported on 3 Mar, yet the duty task missed its February report
    # (5 Feb a Sunday: due Mon 6 Feb, window (5 Jan, 6 Feb] empty), the latest report day before 5 Mar
    doc = json.loads(ok("export", "weekly", "--week", "2023-W09", "--format", "json"))
    assert [r["id"] for r in doc["parts"]["no_update"]["rows"]] == [duty["id"]]
    doc = json.loads(ok("export", "weekly", "--week", "2023-W08", "--format", "json"))  # 20–26 Feb
    assert sorted(r["id"] for r in doc["parts"]["no_update"]["rows"]) == sorted([duty["id"], plain["id"]])


def _cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_calendar_and_trend_fit_80_columns(demo_env, lang, tmp_path):
    """The grid and the chart drawn by the real program, on a pipe (what a script sees)."""
    import os

    env = dict(os.environ, TASKCTL_DB=demo_env, COLUMNS="80", TASKCTL_LANG=lang)
    ok("task", "add", "周报", "--area", "1", "--lead", "双塔区", "--start", "2023-03-20", "--due", "10个工作日",
       "--report", "每周二前")
    for args in (["calendar", "--month", "2023-04"], ["trend"]):
        out = subprocess.run([sys.executable, "-m", "taskctl", *args], env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert len(lines) > 8
        assert max(_cells(line) for line in lines) <= 80
        if args[0] == "calendar":
            assert ("休" in out.stdout) and ("班" in out.stdout)  # 5 Apr 清明, Sun 23 Apr worked
            assert ("报1" in out.stdout) if lang == "zh" else ("rep 1" in out.stdout)
        else:
            assert sum("┃" in line for line in lines) >= 12  # one row per week of the quarter


def test_import_reads_working_day_deadlines(ledger_env, backend, tmp_path):
    ok("unit", "add", "双塔区", "--kind", "county")
    path = tmp_path / "台账.csv"
    path.write_text("聚焦领域,工作任务,牵头单位,开始时间,完成时限\n"
                    "扩大投资,会议议定事项,双塔区,2023-01-20,5个工作日内\n", encoding="utf-8-sig")
    ok("import", "tasks", str(path))
    row = as_json("task", "list")[0]
    # 21–27 January 2023 off, Sat 28 and Sun 29 worked: 28, 29, 30, 31 January, 1 February
    assert (row["due"], row["due_text"]) == ("2023-02-01", "5个工作日内")


def test_the_library_api_counts_working_days_and_takes_a_duty(ledger_env, backend):
    from taskctl import Ledger

    with Ledger.open(ledger_env, today="2023-09-27") as lg:
        lg.add_unit("双塔区", kind="county")
        row = lg.add_task("接口任务", area="1", lead="双塔区", due="3个工作日内办结", report="每周二前")
        assert (row["start"], row["due"]) == (date(2023, 9, 27), date(2023, 10, 8))  # 28 Sep, 7 Oct, 8 Oct
        soon = lg.due_soon(days=3, working=True)
        assert soon.meta["until"] == date(2023, 10, 8) and [r["id"] for r in soon.rows] == [row["id"]]
        assert lg.stale(as_of="2023-10-11").rows[0]["missed_report"] == date(2023, 10, 10)


def test_a_fortnightly_rule_has_one_phase_whatever_the_window():
    cal, _ = quiet_calendar()
    rule = parse_duty("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR")
    # anchored at Monday 3 January 2000: the first Friday is 7 January 2000; 1208 weeks later (an even
    # number) is Friday 3 March 2023, so the rule's Fridays in March 2023 are the 3rd, 17th and 31st
    assert report_days(rule, date(2023, 3, 1), date(2023, 3, 31), cal) == [
        date(2023, 3, 3), date(2023, 3, 17), date(2023, 3, 31)]
    assert report_days(rule, date(2023, 3, 10), date(2023, 3, 31), cal) == [date(2023, 3, 17), date(2023, 3, 31)]


def test_counting_working_days_agrees_with_walking_day_by_day():
    """workdays_between reads running counts per year; it must equal the plain count of working days
    d with after < d <= until — across year ends, over ledger overrides, and in a year the package
    does not know (weekdays only)."""
    import datetime as dt
    import random

    from taskctl.workdays import WorkCalendar

    overrides = {dt.date(2023, 10, 7): True, dt.date(2023, 10, 9): False, dt.date(2024, 2, 4): True}
    cal = WorkCalendar(overrides, warn=None)

    def walked(after: dt.date, until: dt.date) -> int:
        return sum(cal.is_workday(after + dt.timedelta(days=i)) for i in range(1, (until - after).days + 1))

    rng = random.Random(13)
    first = dt.date(2019, 11, 1).toordinal()
    pairs = [(dt.date(2023, 9, 30), dt.date(2023, 10, 10)), (dt.date(2023, 12, 31), dt.date(2024, 1, 1)),
             (dt.date(2024, 3, 1), dt.date(2024, 3, 1)), (dt.date(2024, 3, 2), dt.date(2024, 3, 1))]
    pairs += [tuple(sorted(dt.date.fromordinal(first + rng.randrange(3000)) for _ in range(2))) for _ in range(300)]
    for after, until in pairs:
        assert cal.workdays_between(after, until) == walked(after, until), (after, until)
    # 10-07 worked by the override, 10-08 a 调休 Sunday worked by the State Council, 10-09 off by the override
    assert cal.workdays_between(dt.date(2023, 10, 6), dt.date(2023, 10, 9)) == 2
    assert any(walked(a, u) for a, u in pairs)
