"""The deadline calendar of a month and the weekly trend — plain data, no terminal code.

    month_calendar   one row per day of a month: working day or not (holiday, 调休), the open
                     tasks due that day and the tasks whose report falls due that day
    trend_report     one row per ISO week: average actual vs expected percent as of the week's
                     Sunday (or the last day asked for)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any


from taskctl.duties import duties_of, report_days
from taskctl.errors import InvalidValue
from taskctl.i18n import t
from taskctl.reports.model import C, Msg, Report, round1
from taskctl.snapshot import Filters, snapshot
from taskctl.workdays import holiday_label, ledger_calendar, weekday_name

MAX_WEEKS = 260  # five years of points is already more than a terminal chart can show


def parse_month(text: str | None, *, today: dt.date) -> tuple[int, int]:
    """2023-03, 2023/3, 202303, 2023年3月, 3月, 3 (today's year); none = today's month."""
    import re
    import unicodedata

    raw = (text or "").strip()
    s = unicodedata.normalize("NFKC", raw).replace(" ", "")
    if not s:
        return today.year, today.month
    m = (re.fullmatch(r"(?P<y>[0-9]{4})[-/.年]?(?P<m>[0-9]{1,2})月?", s)
         or re.fullmatch(r"(?P<m>[0-9]{1,2})月?", s))
    if m:
        year = int(m.group("y")) if "y" in m.groupdict() and m.group("y") else today.year
        month = int(m.group("m"))
        if 1 <= month <= 12 and year >= 1:
            return year, month
    raise InvalidValue("workdays.bad_month", value=raw)


def month_calendar(session, *, year: int, month: int, today: dt.date,
                   filters: Filters | None = None) -> Report:
    """Every day of the month with its kind, the open tasks due that day and the reports due that day.

    Deadlines are the due dates in force today of the tasks open today; report days are
    those of the open tasks' duties (a holiday moves them to the next working day).
    """
    cal = ledger_calendar(session)
    days = cal.month_days(year, month)
    first, last = days[0], days[-1]
    facts = snapshot(session, today, replace(filters or Filters(), open_only=True))
    titles = {f.id: f.title for f in facts}
    due: dict[dt.date, list[int]] = {}
    for f in facts:
        if f.due is not None and first <= f.due <= last:
            due.setdefault(f.due, []).append(f.id)
    reports: dict[dt.date, list[int]] = {}
    duties = duties_of(session, [f.id for f in facts]) if facts else {}
    for f in facts:
        rule = duties.get(f.id)
        if rule is None:
            continue
        begin = max(first, f.start + dt.timedelta(days=1))  # report days after the start are owed
        for d in report_days(rule, begin, last, cal) if begin <= last else []:
            reports.setdefault(d, []).append(f.id)
    from taskctl.workdays import override_notes

    notes = {d: note for d, note in override_notes(session, [year]).items() if first <= d <= last}
    rows: list[dict[str, Any]] = []
    for d in days:
        kind = cal.kind(d)
        note = notes.get(d)
        rows.append({"date": d, "weekday": d.isoweekday(), "weekday_name": weekday_name(d), "day_kind": kind,
                     "day_kind_name": t(f"workdays.kind.{kind}"), "holiday": note or holiday_label(cal, d),
                     "due": sorted(due.get(d, [])), "reports": sorted(reports.get(d, []))})
    n_due = sum(len(r["due"]) for r in rows)
    n_rep = sum(len(r["reports"]) for r in rows)
    workdays = sum(1 for r in rows if r["day_kind"] in ("workday", "adjusted"))
    columns = [C("date", "date", label="workdays.col.date"),
               C("weekday", "int", table=False, label="workdays.col.weekday"),
               C("weekday_name", label="workdays.col.weekday"),
               C("day_kind", table=False, label="workdays.col.day_kind"),
               C("day_kind_name", label="workdays.col.day_kind"), C("holiday", label="workdays.col.holiday"),
               C("due", "list", label="workdays.col.due"), C("reports", "list", label="workdays.col.reports")]
    label = f"{year:04d}-{month:02d}"
    return Report(name="calendar", title=Msg("workdays.calendar_title", month=label, as_of=today.isoformat()),
                  columns=columns, rows=rows, as_of=today,
                  meta={"month": label, "workdays": workdays, "tasks": {str(k): v for k, v in sorted(titles.items())
                                                                        if any(k in r["due"] or k in r["reports"]
                                                                               for r in rows)}},
                  footer=Msg("workdays.calendar_footer", workdays=workdays, due=n_due, reports=n_rep))


def trend_report(session, *, date_from: dt.date, date_to: dt.date, filters: Filters | None = None) -> Report:
    """Weekly points of average actual vs expected percent (PRODUCT.md's averages: per task, unweighted;
    a task with no update counts as 0; expected skips tasks with none).

    A week's point is as of its Sunday, or ``date_to`` for the last week; it covers the tasks
    not cancelled that had started by then.
    """
    if date_from > date_to:
        raise InvalidValue("workdays.bad_range", start=date_from.isoformat(), end=date_to.isoformat())
    monday = date_from - dt.timedelta(days=date_from.weekday())
    if (date_to - monday).days // 7 + 1 > MAX_WEEKS:
        raise InvalidValue("workdays.too_many_weeks", n=MAX_WEEKS)
    rows: list[dict[str, Any]] = []
    while monday <= date_to:
        as_of = min(monday + dt.timedelta(days=6), date_to)
        facts = [f for f in snapshot(session, as_of, filters) if f.state != "cancelled" and f.start <= as_of]
        actual = [f.percent or 0.0 for f in facts]
        expected = [f.expected for f in facts if f.expected is not None]
        a = round1(sum(actual) / len(actual)) if actual else None
        e = round1(sum(expected) / len(expected)) if expected else None
        iso = as_of.isocalendar()
        rows.append({"week": f"{iso.year}-W{iso.week:02d}", "as_of": as_of, "tasks": len(facts),
                     "percent_actual": a, "percent_expected": e,
                     "gap": round1(a - e) if a is not None and e is not None else None})
        monday += dt.timedelta(days=7)
    columns = [C("week", label="workdays.col.week"), C("as_of", "date", label="workdays.col.as_of"),
               C("tasks", "int"), C("percent_actual", "percent"), C("percent_expected", "percent"),
               C("gap", "number", label="workdays.col.gap")]
    return Report(name="trend", title=Msg("workdays.trend_title", start=date_from.isoformat(), end=date_to.isoformat()),
                  columns=columns, rows=rows, as_of=date_to,
                  meta={"from": date_from, "to": date_to}, footer=Msg("workdays.trend_footer", n=len(rows)))
