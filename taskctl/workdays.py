"""China's working-day calendar: statutory holidays, 调休 days and the ledger's own overrides.

A day is a working day by the first source that knows it:

1. an override kept in the ledger (``taskctl holidays add DATE --holiday|--workday``): a
   year the package does not know yet, or a local arrangement;
2. the ``chinesecalendar`` package (``chinese_calendar``), which knows the State
   Council's holiday notice for each year from 2004 up to the year it was released;
3. Monday to Friday — with one warning per year, naming it, because deadlines counted
   this way may be wrong around that year's holidays.

``WorkCalendar`` itself never touches the database; ``ledger_calendar(session)``
loads the overrides.  The package is imported on first use (it is not needed by
``--help``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

ONE_DAY = dt.timedelta(days=1)


def _stderr_warning(message: str) -> None:
    import sys

    print(message, file=sys.stderr)


class WorkCalendar:
    """Which days are working days (工作日), for counting deadlines and moving report days."""

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None,
                 warn: Callable[[str], None] | None = _stderr_warning) -> None:
        self.overrides: dict[dt.date, bool] = dict(overrides or {})  # date -> is a working day
        self._warn = warn
        self.unknown_years: set[int] = set()  # years counted as weekdays only (warned once each)
        self._package: object | None = None
        self.duty_cache: dict = {}  # taskctl.duties: report days per (rule, counted from, as of)
        self._year_counts: dict[int, list[int]] = {}  # running counts of working days, per year

    # ------------------------------------------------------------------ one day

    def known_by_package(self, day: dt.date) -> bool:
        try:
            self._is_workday_package(day)
        except NotImplementedError:
            return False
        return True

    def _is_workday_package(self, day: dt.date) -> bool:
        if self._package is None:
            import chinese_calendar

            self._package = chinese_calendar
        return self._package.is_workday(day)  # type: ignore[attr-defined]

    def is_workday(self, day: dt.date) -> bool:
        found = self.overrides.get(day)
        if found is not None:
            return found
        try:
            return self._is_workday_package(day)
        except NotImplementedError:  # a year the package does not know
            if day.year not in self.unknown_years:
                self.unknown_years.add(day.year)
                if self._warn is not None:
                    from taskctl.i18n import t

                    self._warn(t("workdays.unknown_year", year=day.year))
            return day.weekday() < 5

    def kind(self, day: dt.date) -> str:
        """``workday``, ``weekend``, ``holiday`` (a holiday on a weekday) or ``adjusted`` (调休: a weekend worked)."""
        working = self.is_workday(day)
        weekend = day.weekday() >= 5
        if working:
            return "adjusted" if weekend else "workday"
        return "weekend" if weekend else "holiday"

    def holiday_name(self, day: dt.date) -> str | None:
        """The package's name of the holiday (English, e.g. "Spring Festival"), if any."""
        if day in self.overrides:
            return None
        try:
            import chinese_calendar

            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return name

    # ------------------------------------------------------------------ counting

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start``: the first working day after it is day 1."""
        if n < 1:
            raise ValueError(n)
        day, count = start, 0
        while count < n:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return day

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def workdays_between(self, after: dt.date, until: dt.date) -> int:
        """How many working days d with after < d <= until (0 when until <= after).

        Two lookups in per-year running counts, however far apart the days are: an overdue
        report counts this for every one of tens of thousands of late tasks."""
        if until <= after:
            return 0
        if after.year == until.year:
            return self._running(until) - self._running(after)
        total = self._year_total(after.year) - self._running(after)
        for year in range(after.year + 1, until.year):
            total += self._year_total(year)
        return total + self._running(until)

    def _running(self, day: dt.date) -> int:
        """Working days from 1 January of ``day``'s year up to and including ``day``."""
        return self._counts(day.year)[day.timetuple().tm_yday]

    def _year_total(self, year: int) -> int:
        return self._counts(year)[-1]

    def _counts(self, year: int) -> list[int]:
        found = self._year_counts.get(year)
        if found is None:
            found = [0]
            for ordinal in range(dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal() + 1):
                found.append(found[-1] + self.is_workday(dt.date.fromordinal(ordinal)))
            self._year_counts[year] = found
        return found

    def month_days(self, year: int, month: int) -> list[dt.date]:
        first = dt.date(year, month, 1)
        days = []
        day = first
        while day.month == month:
            days.append(day)
            day += ONE_DAY
        return days


def load_overrides(source) -> dict[dt.date, bool]:
    """The ledger's own holiday and working-day overrides (``source``: a session or a ``Reader``)."""
    from taskctl.reader import reader_of

    return {d: bool(w) for d, w in reader_of(source).rows("SELECT on_date, workday FROM holiday_override",
                                                           dates=(0,))}


def ledger_calendar(session, warn: Callable[[str], None] | None = _stderr_warning) -> WorkCalendar:
    """The calendar of this ledger: the package plus the ledger's overrides."""
    cal = session.info.get("workcalendar")
    if cal is None:
        cal = WorkCalendar(load_overrides(session), warn=warn)
        session.info["workcalendar"] = cal
    return cal


def forget_calendar(session) -> None:
    """After an override changed in this session."""
    session.info.pop("workcalendar", None)


# ---------------------------------------------------------------------- overrides


def add_override(session, *, on: dt.date, workday: bool, note: str | None = None):
    from sqlalchemy import select

    from taskctl.ledger import record
    from taskctl.models import HolidayOverride

    row = session.execute(select(HolidayOverride).where(HolidayOverride.on_date == on)).scalar_one_or_none()
    note = (note or "").strip() or None
    if row is None:
        row = HolidayOverride(on_date=on, workday=workday, note=note)
        session.add(row)
        old = None
    else:
        old = row.workday
        row.workday, row.note = workday, note
    session.flush()
    record(session, "holiday.add", "holiday", entity_id=row.id, summary=f"{on.isoformat()} {_word(workday)}",
           changes={"on": (None, on), "workday": (old, workday), "note": (None, note)})
    forget_calendar(session)
    return row, old


def add_overrides(session, *, days: list[dt.date], workday: bool, note: str | None = None) -> None:
    """A range of days (``holidays add FROM..TO``) as one history entry."""
    from taskctl.ledger import record

    if len(days) == 1:
        add_override(session, on=days[0], workday=workday, note=note)
        return
    session.info["batch"] = True
    try:
        for d in days:
            add_override(session, on=d, workday=workday, note=note)
    finally:
        session.info.pop("batch", None)
    record(session, "holiday.add", "holiday", summary=f"{days[0].isoformat()}..{days[-1].isoformat()} {_word(workday)}",
           changes={"from": (None, days[0]), "to": (None, days[-1]), "workday": (None, workday),
                    "note": (None, (note or "").strip() or None)})


def remove_overrides(session, *, days: list[dt.date]) -> None:
    """Every override of a range, as one history entry; a day without one is an error."""
    from taskctl.ledger import record

    if len(days) == 1:
        remove_override(session, on=days[0])
        return
    session.info["batch"] = True
    try:
        for d in days:
            remove_override(session, on=d)
    finally:
        session.info.pop("batch", None)
    record(session, "holiday.remove", "holiday", summary=f"{days[0].isoformat()}..{days[-1].isoformat()}",
           changes={"from": (days[0], None), "to": (days[-1], None)})


def remove_override(session, *, on: dt.date):
    from sqlalchemy import select

    from taskctl.errors import NotFound
    from taskctl.ledger import record
    from taskctl.models import HolidayOverride

    row = session.execute(select(HolidayOverride).where(HolidayOverride.on_date == on)).scalar_one_or_none()
    if row is None:
        raise NotFound("workdays.no_override", on=on.isoformat())
    record(session, "holiday.remove", "holiday", entity_id=row.id, summary=on.isoformat(),
           changes={"on": (on, None), "workday": (row.workday, None)})
    session.delete(row)
    session.flush()
    forget_calendar(session)
    return row


def _word(workday: bool) -> str:
    return "workday" if workday else "holiday"


def override_notes(source, years: Iterable[int] | None = None) -> dict[dt.date, str | None]:
    """The ledger's overrides (of ``years``) in date order, each with its note (``source``: a session or a
    ``Reader``)."""
    from taskctl.reader import reader_of

    wanted = set(years) if years is not None else None
    return {d: note for d, note in reader_of(source).rows("SELECT on_date, note FROM holiday_override "
                                                          "ORDER BY on_date", dates=(0,))
            if wanted is None or d.year in wanted}


def weekday_name(day: dt.date) -> str:
    from taskctl.i18n import t

    return t(f"workdays.weekday.{day.isoweekday()}")


def holiday_label(cal: WorkCalendar, day: dt.date) -> str | None:
    """The package's holiday name in the interface language (春节 / Spring Festival), for a day off in a
    holiday or a working weekend (the holiday it makes up for); None for an ordinary day or an override."""
    from taskctl.i18n import catalogues, language

    if day in cal.overrides or cal.kind(day) == "workday":
        return None
    name = cal.holiday_name(day)
    if not name:
        return None
    return catalogues()[language()].get(f"workdays.holiday.{name}", name)


def holiday_list(session, year: int):
    """The days of ``year`` that are not ordinary: holidays on weekdays, working weekends (调休),
    and every override the ledger keeps, with where each comes from."""
    from taskctl.i18n import t
    from taskctl.reports.model import C, Msg, Report

    if not 1 <= year <= 9998:
        from taskctl.errors import InvalidValue

        raise InvalidValue("workdays.bad_year", value=year)
    cal = ledger_calendar(session)
    notes = override_notes(session, [year])
    rows = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        kind = cal.kind(day)
        if day in cal.overrides or kind in ("holiday", "adjusted"):
            source = "ledger" if day in cal.overrides else ("package" if cal.known_by_package(day) else "weekdays")
            name = notes.get(day) if day in cal.overrides else holiday_label(cal, day)
            rows.append({"date": day, "weekday": day.isoweekday(), "weekday_name": weekday_name(day),
                         "day_kind": kind, "day_kind_name": t(f"workdays.kind.{kind}"), "name": name,
                         "source": source, "source_name": t(f"workdays.source.{source}")})
        day += ONE_DAY
    columns = [C("date", "date", label="workdays.col.date"),
               C("weekday", "int", table=False, label="workdays.col.weekday"),
               C("weekday_name", label="workdays.col.weekday"),
               C("day_kind", table=False, label="workdays.col.day_kind"),
               C("day_kind_name", label="workdays.col.day_kind"), C("name", label="workdays.col.holiday"),
               C("source", table=False, label="workdays.col.source"),
               C("source_name", label="workdays.col.source", drop=1)]
    unknown = year in cal.unknown_years
    footer = Msg("workdays.list_footer", n=len(rows), year=year)
    if unknown:
        footer += Msg("workdays.list_unknown", year=year)
    return Report(name="holidays", title=Msg("workdays.list_title", year=year), columns=columns, rows=rows,
                  meta={"year": year, "known": not unknown}, footer=footer)
