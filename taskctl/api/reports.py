"""Reading the ledger: the task list, one task, the reports, the calendar, the trend and the history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from taskctl.api.resolve import (
    GROUP_WORDS, DateLike, choice, resolve_day, resolve_filters, resolve_quarter,
)
from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from taskctl.reports.model import Report


class Reports:
    def tasks(self, *, as_of: DateLike = None, open_only: bool = False, unassigned: bool = False,
              first: int | None = None, **filters: str | None) -> "Report":
        """The ledger (`task list`): every task matching the filters, as of a date; ``first``: build only
        the first rows (``total`` and the footer's state counts still cover every task)."""
        from taskctl.reports.lists import task_list

        with self.reading() as q:
            f = resolve_filters(q, open_only=open_only, unassigned=unassigned, **filters)
            return task_list(q, resolve_day(q, as_of), f, first=first)

    def task(self, task_id: int, *, as_of: DateLike = None) -> dict[str, Any]:
        """One task's row with its detail (`task show --format json`)."""
        return self.task_detail(task_id, as_of=as_of)[0]

    def task_detail(self, task_id: int, *, as_of: DateLike = None) -> "tuple[dict[str, Any], Report]":
        """One task's row and the report of its dated events (`task show`)."""
        from taskctl.duties import describe, duties_of
        from taskctl.names import task_id as visible
        from taskctl.reports.lists import task_detail

        with self.reading() as q:
            task_id = visible(q, task_id)
            row, events = task_detail(q, task_id, resolve_day(q, as_of))
            row["report_duty"] = describe(duties_of(q, [task_id]).get(task_id))
            return row, events

    def overdue(self, *, as_of: DateLike = None, group_by: str | None = None, first: int | None = None,
                **filters: str | None) -> "Report":
        """逾期 as of a date; ``first``: build only the first rows (the report's ``total`` counts every one)."""
        from taskctl.reports import overdue_report

        with self.reading() as q:
            f = resolve_filters(q, **filters)
            return overdue_report(q, as_of=resolve_day(q, as_of), filters=f,
                                  group_by=choice(group_by, GROUP_WORDS, "group_by"), first=first)

    def due_soon(self, *, days: int = 7, as_of: DateLike = None, working: bool = False, first: int | None = None,
                 **filters: str | None) -> "Report":
        """临期 within ``days``; ``first``: build only the first rows (``total`` counts every one)."""
        from taskctl.reports import due_soon_report

        with self.reading() as q:
            f = resolve_filters(q, **filters)
            return due_soon_report(q, as_of=resolve_day(q, as_of), days=days, filters=f,
                                   working=working, first=first)

    def stale(self, *, days: int = 7, as_of: DateLike = None, first: int | None = None,
              **filters: str | None) -> "Report":
        """未按时报送; ``first``: build only the first rows (groups, counts and ``total`` cover every one)."""
        from taskctl.reports import stale_report

        with self.reading() as q:
            f = resolve_filters(q, **filters)
            return stale_report(q, as_of=resolve_day(q, as_of), days=days, filters=f, first=first)

    def quarter(self, quarter: str | None = None, *, by: str = "area", as_of: DateLike = None,
                **filters: str | None) -> "Report":
        """The quarter's progress by area, unit or leader; without a quarter, the as-of date's (else today's)."""
        from taskctl.reports import quarter_report

        with self.reading() as r:
            year, q, asked = resolve_quarter(r, quarter, as_of)
            f = resolve_filters(r, **filters)
            return quarter_report(r, year=year, quarter=q, by=choice(by, GROUP_WORDS, "by"), filters=f,
                                  as_of=asked)

    def rank(self, quarter: str | None = None, *, as_of: DateLike = None, **filters: str | None) -> "Report":
        """The units ranked for the quarter (the office's; unit and leader roles are refused)."""
        from taskctl.reports import rank_report
        from taskctl.roles import require_office

        with self.reading() as r:
            require_office(r, "rank")
            year, q, asked = resolve_quarter(r, quarter, as_of)
            f = resolve_filters(r, **filters)
            return rank_report(r, year=year, quarter=q, filters=f, as_of=asked)

    def calendar(self, month: str | None = None, **filters: str | None) -> "Report":
        """The month's deadlines and report days, day by day (`calendar`); default: this month."""
        from taskctl.config import today
        from taskctl.reports.calendar import month_calendar, parse_month

        with self.reading() as q:
            year, mon = parse_month(month, today=today())
            f = resolve_filters(q, **filters)
            return month_calendar(q, year=year, month=mon, today=today(), filters=f)

    def trend(self, *, date_from: DateLike = None, date_to: DateLike = None, **filters: str | None) -> "Report":
        """Average actual and expected percent week by week (`trend`); default: 1 January to today."""
        from taskctl.config import today
        from taskctl.reports.calendar import trend_report

        if filters.get("area") and filters.get("unit"):
            raise InvalidValue("workdays.area_or_unit")
        with self.reading() as q:
            end = resolve_day(q, date_to) if date_to else today()
            start = resolve_day(q, date_from, role="start") if date_from else dt.date(end.year, 1, 1)
            f = resolve_filters(q, **filters)
            return trend_report(q, date_from=start, date_to=end, filters=f)
