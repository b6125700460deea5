"""Task lists as of a date D: overdue (逾期), due soon (临期) and stale (未按时报送).

Each is one pass over ``snapshot()`` — one query for every task's facts on D —
keeping the tasks the Definitions select.  Rows are ``views.task_row`` plus the
report's own fields, so every task row carries the fields PRODUCT.md promises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from taskctl.reader import reader_of
from taskctl.reports.model import C, Msg, Report
from taskctl.reports.common import (
    Row,
    check_choice,
    check_days,
    grouped,
    task_report_columns,
)
from taskctl.duties import describe, duties_of, judge_duty, update_dates
from taskctl.snapshot import Filters, TaskFacts, due_order, few, gc_paused, last_reports, snapshot
from taskctl.workdays import ledger_calendar
from taskctl.reports.rows import task_row

GROUP_BY = {"unit": "lead_unit", "area": "area_name", "leader": "leader"}
_NONE_LAST = (1,)  # sorts a "(none)" group after every named one


def _started(start: dt.date, as_of: dt.date) -> bool:
    """A task counts from its start date (PRODUCT.md): on D it must have started."""
    return start <= as_of


def _first_by_due(source, as_of: dt.date, filters: Filters, first: int) -> tuple[list, list[TaskFacts]]:
    """(every task ``filters`` selects with its due date in force, by that date then id; the facts of
    the first ``first`` of them, in that order)."""
    order = due_order(source, as_of, filters)
    chosen = [tid for tid, _due in order[:first]]
    return order, (snapshot(source, as_of, replace(filters, task_ids=chosen)) if chosen else [])


# ---------------------------------------------------------------- overdue

@gc_paused()
def overdue_report(source, *, as_of: dt.date, filters: Filters | None = None,
                   group_by: str | None = None, facts: list[TaskFacts] | None = None,
                   first: int | None = None) -> Report:
    """逾期: active tasks whose due date in force on D is before D; most overdue first.

    ``group_by`` (unit | area | leader) splits the list into one table per lead unit,
    focus area or leader, each with its count — the list read out at a meeting.
    ``facts``: the snapshot of D with the same filters, when the caller has taken it already.
    ``first``: only the first rows are built (a terminal table shows 50); the count and the footer
    still cover every overdue task (ungrouped only: a group's order needs all its members).
    """
    check_choice(group_by, tuple(GROUP_BY), "report.bad_group_by")
    rows: list[Row] = []
    area_order: dict[str, int] = {}
    only_late = replace(filters or Filters(), open_only=True, due_to=as_of - dt.timedelta(days=1))
    calendar = ledger_calendar(source)
    count = longest = None
    first = few(first)
    if first is not None and group_by is None and facts is None:
        # every task this selects is overdue (active, due in force before D): their order is the due date's
        order, facts = _first_by_due(source, as_of, only_late, first)
        count, longest = len(order), ((as_of - order[0][1]).days if order else None)
    for f in snapshot(source, as_of, only_late) if facts is None else facts:
        if f.state != "overdue":
            continue
        row = task_row(f)
        row["days_overdue"] = (as_of - f.due).days
        row["working_days_overdue"] = calendar.workdays_between(f.due, as_of)
        rows.append(row)
        area_order[f.area_name] = f.area_number
    rows.sort(key=lambda r: (-r["days_overdue"], r["id"]))

    groups = None
    group_key = None
    if group_by:
        group_key = GROUP_BY[group_by]
        if group_by == "area":
            def order(label: Any, members: list[Row]) -> tuple:
                return (area_order[label],)
        else:
            def order(label: Any, members: list[Row]) -> tuple:
                # the units/leaders with the most overdue tasks first; the unassigned last
                return (label is None, -len(members), -members[0]["days_overdue"], label or "")
        rows = grouped(rows, lambda r: r[group_key], order)
        groups = []
        for row in rows:
            if not groups or groups[-1]["name"] != row[group_key]:
                groups.append({"name": row[group_key], "count": 0})
            groups[-1]["count"] += 1

    shown = ("id", "title", "lead_unit", "co_units", "leader", "due", "original_due", "days_overdue", "percent",
             "last_update", "note")
    columns = task_report_columns(
        tuple(k for k in shown if k != group_key),  # the group's own column is in each table's title
        extra=[C("days_overdue", "int"), C("working_days_overdue", "int", table=False)],
        drop={"co_units": 1, "original_due": 2, "note": 3, "last_update": 4, "leader": 5, "due": 6},
    )
    if count is None:
        count, longest = len(rows), max((r["days_overdue"] for r in rows), default=None)
    if count:
        footer = Msg("report.overdue_footer", n=count, max=longest)
        if groups is not None:
            footer += Msg("report.groups_suffix", groups=Msg(f"report.groups_{group_by}", n=len(groups)))
    else:
        footer = Msg("report.overdue_none")
    title = Msg("report.overdue_title", as_of=as_of.isoformat())
    if group_by:
        title = Msg("report.title_by", title=title, by=Msg(f"report.by_{group_by}"))
    return Report(name="overdue", title=title, columns=columns, rows=rows, as_of=as_of,
                  meta={"group_by": group_by, "groups": groups}, footer=footer, group_key=group_key, count=count)


# ---------------------------------------------------------------- due soon

@gc_paused()
def due_soon_report(source, *, as_of: dt.date, days: int = 7, filters: Filters | None = None,
                    working: bool = False, first: int | None = None) -> Report:
    """临期: open (active) tasks with D ≤ due ≤ D + days, soonest first.

    ``working``: ``days`` counts working days (taskctl.workdays), so the window ends on
    the days-th working day after D.  ``first``: only the first rows are built; the count covers all.
    """
    days = check_days(days)
    calendar = ledger_calendar(source)
    until = (calendar.add_workdays(as_of, days) if days else as_of) if working else as_of + dt.timedelta(days=days)
    rows: list[Row] = []
    window = replace(filters or Filters(), open_only=True, due_from=as_of, due_to=until, started_by=as_of)
    count = None
    facts = None
    first = few(first)
    if first is not None:  # the window selects exactly the tasks due soon; their order is the due date's
        order, facts = _first_by_due(source, as_of, window, first)
        count = len(order)
    for f in snapshot(source, as_of, window) if facts is None else facts:
        if f.status != "active" or not _started(f.start, as_of) or f.due is None or not (as_of <= f.due <= until):
            continue
        row = task_row(f)
        row["days_left"] = (f.due - as_of).days
        row["working_days_left"] = calendar.workdays_between(as_of, f.due)
        rows.append(row)
    rows.sort(key=lambda r: (r["due"], r["id"]))
    columns = task_report_columns(
        ("id", "area_name", "title", "lead_unit", "leader", "due", "due_text", "days_left", "light", "percent",
         "percent_expected", "last_update"),
        extra=[C("days_left", "int"), C("working_days_left", "int", table=False)],
        drop={"area_name": 1, "due_text": 2, "last_update": 3, "leader": 4, "percent_expected": 5},
    )
    n = len(rows) if count is None else count
    footer = Msg("report.due_soon_footer", n=n, days=days) if n else Msg("report.due_soon_none", days=days)
    title = Msg("workdays.due_soon_title" if working else "report.due_soon_title", as_of=as_of.isoformat(), days=days,
                until=until.isoformat())
    if working:
        footer = Msg("workdays.due_soon_footer", n=n, days=days)
    return Report(name="due_soon", title=title, columns=columns, rows=rows, as_of=as_of,
                  meta={"days": days, "until": until, "working": working}, footer=footer, count=count)


# ---------------------------------------------------------------- stale

@gc_paused()
def stale_report(source, *, as_of: dt.date, days: int = 7, filters: Filters | None = None,
                 first: int | None = None) -> Report:
    """未按时报送: active tasks whose latest update is on or before D − days, or that have none
    and started on or before D − days (a task's silence is counted from its start date).
    A task with a reporting duty (taskctl.duties) is stale instead when it missed its latest
    report day before D; its row names that day (``missed_report``) and ``missed_in_row``.

    Grouped by lead unit, each group titled with the unit's contact — the list staff
    phone through on Friday morning.  ``first``: only the first rows (in that order) are read whole; the
    groups, counts and footer cover every stale task.
    """
    days = check_days(days)
    cutoff = as_of - dt.timedelta(days=days)
    q = reader_of(source)
    units = {uid: (name, person, phone) for uid, name, person, phone in
             q.rows("SELECT id, name, contact_person, contact_phone FROM unit")}
    # which tasks are stale is decided on a light query (no percent, note or names); only the rows shown
    # are then read whole
    chosen_by = replace(filters or Filters(), open_only=True, started_by=as_of)
    candidates = last_reports(q, as_of, chosen_by)
    duties = duties_of(q, [c[0] for c in candidates]) if candidates else {}
    calendar = ledger_calendar(q) if duties else None
    updates = update_dates(q, list(duties), as_of) if duties else {}
    stale: list[tuple[int, int | None, int, str | None, Any]] = []  # (id, unit, days since, duty, missed)
    for tid, unit_id, start, status_on, last_update in candidates:
        since = last_update or start
        rule = duties.get(tid)
        missed = None
        if rule is not None:  # a reporting duty: stale when the latest report day before D was missed
            counted_from = max(start, status_on) if status_on else start
            missed = judge_duty(rule, counted_from=counted_from, as_of=as_of, updates=updates[tid], calendar=calendar)
            if not missed.stale:
                continue
        elif since > cutoff:
            continue
        stale.append((tid, unit_id, (as_of - since).days, rule, missed))
    stale.sort(key=lambda s: (-s[2], s[0]))
    by_unit: dict[int | None, list] = {}
    for s in stale:
        by_unit.setdefault(s[1], []).append(s)

    def unit_name(unit_id: int | None) -> str | None:
        return units.get(unit_id, (None,))[0] if unit_id is not None else None

    ordered = sorted(by_unit.items(), key=lambda kv: (kv[0] is None, -len(kv[1]), -kv[1][0][2], unit_name(kv[0]) or ""))
    groups: list[dict[str, Any]] = []
    for unit_id, members in ordered:
        _name, person, phone = units.get(unit_id, (None, None, None))
        groups.append({"lead_unit": unit_name(unit_id), "contact_person": person, "contact_phone": phone,
                       "count": len(members)})
    order = [s for _unit, members in ordered for s in members]
    first = few(first)
    shown = order if first is None else order[:first]
    facts = {f.id: f for f in snapshot(q, as_of, chosen_by if first is None
                                       else replace(chosen_by, task_ids=[s[0] for s in shown]))} if shown else {}
    rows: list[Row] = []
    for tid, unit_id, days_since, rule, missed in shown:
        f = facts[tid]
        _name, person, phone = units.get(unit_id, (None, None, None))
        row = task_row(f)
        row.update(days_since_report=days_since, contact_person=person, contact_phone=phone,
                   report_duty=describe(rule), missed_report=missed.missed_report if missed else None,
                   missed_in_row=missed.missed_in_row if missed else None)
        row["_group"] = _contact_label(f.lead_unit, person, phone)
        row["_group_size"] = len(by_unit[unit_id])  # the whole group's, when only its first rows are built
        rows.append(row)
    columns = task_report_columns(
        ("id", "title", "leader", "due", "last_update", "days_since_report", "missed_report", "percent", "light"),
        extra=[C("days_since_report", "int"), C("contact_person", table=False), C("contact_phone", table=False),
               C("report_duty", table=False), C("missed_report", "date"), C("missed_in_row", "int", table=False)],
        drop={"due": 1, "leader": 2, "percent": 3, "last_update": 4},  # the light and the missed report stay
    )
    if order:
        footer = Msg("report.stale_footer", n=len(order), units=len(groups), days=days)
        with_duty = sum(1 for s in order if s[4] is not None and s[4].missed_report is not None)
        if with_duty:
            footer += Msg("workdays.stale_duty_note", n=with_duty)
    else:
        footer = Msg("report.stale_none", days=days)
    return Report(name="stale", title=Msg("report.stale_title", as_of=as_of.isoformat(), days=days), columns=columns,
                  rows=rows, as_of=as_of, meta={"days": days, "cutoff": cutoff, "groups": groups}, footer=footer,
                  group_key="_group", count=len(order))


def _contact_label(unit: str | None, person: str | None, phone: str | None) -> Msg | str:
    name = unit or Msg("common.none")
    contact = " ".join(x for x in (person, phone) if x)
    return Msg("report.unit_contact", unit=name, contact=contact) if contact else name
