"""taskctl as a library: ``Ledger`` opens a ledger and answers in the ledger's own terms.

    from taskctl import Ledger

    with Ledger.open("ledger.db") as ledger:
        report = ledger.overdue(as_of="3月底", unit="东城区")
        report.rows[0]["days_overdue"]; report.to_json(); report.to_csv()

Names (areas, units, leaders) and dates are taken as a user types them on the
command line and resolved here, once: "3月底", "发改委", "扩大投资".  Each call is
one transaction — a write that fails leaves the ledger as it was — and raises the
``TaskctlError`` classes of ``taskctl.errors`` (exported here too).  Settings —
the database, today, the user — belong to the ``Ledger`` object, not to the
process, so two ledgers can be open side by side.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from taskctl.config import Settings, settings_in_force
from taskctl.errors import Conflict, DateParseError, InvalidValue, LedgerMissing, NotFound, TaskctlError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    from taskctl.reports.model import Report
    from taskctl.snapshot import Filters

__all__ = ["Ledger", "TaskctlError", "NotFound", "InvalidValue", "Conflict", "LedgerMissing", "DateParseError"]

DateLike = str | dt.date | None


class Ledger:
    """One ledger (an SQLite file or a PostgreSQL database) and the settings it is used with."""

    def __init__(self, url: str, engine: "Engine", settings: Settings) -> None:
        self.url = url
        self.engine = engine
        self.settings = settings

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, db: str | None = None, *, today: DateLike = None, user: str | None = None) -> "Ledger":
        """An existing ledger: a path or SQLAlchemy URL, else TASKCTL_DB, else the user's data directory.

        ``today`` pins the date reports default to (else TASKCTL_TODAY, else the system date);
        ``user`` is who the history records (else TASKCTL_USER, else the login name).
        """
        from taskctl.config import database_url
        from taskctl.db import open_ledger

        url = database_url(db)
        settings = Settings(today=_iso_day(today), user=user)
        with settings_in_force(settings):
            engine = open_ledger(url)
        return cls(url, engine, settings)

    def close(self) -> None:
        from taskctl.db import dispose

        dispose(self.url)

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, *, write: bool = True) -> Iterator["Session"]:
        """The ORM session of one transaction, with this ledger's settings in force (for the CLI and
        for scripts that need more than the methods below); ``write=False`` for one that only reads
        (on SQLite it then never waits for a writer)."""
        from taskctl.db import transaction

        from taskctl import roles

        roles.note_task(None)
        with settings_in_force(self.settings):
            who = None
            try:
                with transaction(self.engine, write=write) as session:
                    who = roles.caller(session)
                    yield session
            except Exception as exc:
                # the database refused the caller's role (RLS, grants): one line naming no other unit's task
                if who is not None and roles.is_refusal(exc):
                    raise roles.refusal(who) from None
                raise

    # ---------------------------------------------------------------- resolution

    def today(self) -> dt.date:
        from taskctl.config import today

        with settings_in_force(self.settings):
            return today()

    def date(self, text: DateLike, *, role: str = "end") -> dt.date:
        """A date as the ledger reads it ("3月底", "2023-03-31", "eom"); None means today."""
        with self.transaction() as session:
            return resolve_day(session, _text(text), role=role)

    # ---------------------------------------------------------------- reports

    def tasks(self, *, as_of: DateLike = None, open_only: bool = False, unassigned: bool = False,
              **filters: str | None) -> "Report":
        """The ledger (`task list`): every task matching the filters, as of a date."""
        from taskctl.reports.lists import task_list

        with self.transaction() as session:
            f = resolve_filters(session, open_only=open_only, unassigned=unassigned, **filters)
            return task_list(session, resolve_day(session, _text(as_of)), f)

    def task(self, task_id: int, *, as_of: DateLike = None) -> dict[str, Any]:
        """One task's row with its detail and every dated event (`task show`)."""
        from taskctl.ledger import get_task
        from taskctl.reports.lists import task_detail

        with self.transaction() as session:
            row, _events = task_detail(session, get_task(session, task_id), resolve_day(session, _text(as_of)))
            return row

    def overdue(self, *, as_of: DateLike = None, group_by: str | None = None, **filters: str | None) -> "Report":
        from taskctl.reports import overdue_report

        with self.transaction() as session:
            f = resolve_filters(session, **filters)
            return overdue_report(session, as_of=resolve_day(session, _text(as_of)), filters=f,
                                  group_by=choice(group_by, GROUP_WORDS, "group_by"))

    def due_soon(self, *, days: int = 7, as_of: DateLike = None, working: bool = False,
                 **filters: str | None) -> "Report":
        from taskctl.reports import due_soon_report

        with self.transaction() as session:
            f = resolve_filters(session, **filters)
            return due_soon_report(session, as_of=resolve_day(session, _text(as_of)), days=days, filters=f,
                                   working=working)

    def stale(self, *, days: int = 7, as_of: DateLike = None, **filters: str | None) -> "Report":
        from taskctl.reports import stale_report

        with self.transaction() as session:
            f = resolve_filters(session, **filters)
            return stale_report(session, as_of=resolve_day(session, _text(as_of)), days=days, filters=f)

    def quarter(self, quarter: str | None = None, *, by: str = "area", as_of: DateLike = None,
                **filters: str | None) -> "Report":
        from taskctl.reports import quarter_report

        with self.transaction() as session:
            year, q, asked = resolve_quarter(session, quarter, _text(as_of))
            f = resolve_filters(session, **filters)
            return quarter_report(session, year=year, quarter=q, by=choice(by, GROUP_WORDS, "by"), filters=f,
                                  as_of=asked)

    def rank(self, quarter: str | None = None, *, as_of: DateLike = None, **filters: str | None) -> "Report":
        from taskctl.reports import rank_report

        with self.transaction() as session:
            year, q, asked = resolve_quarter(session, quarter, _text(as_of))
            f = resolve_filters(session, **filters)
            return rank_report(session, year=year, quarter=q, filters=f, as_of=asked)

    # ---------------------------------------------------------------- writes

    def add_unit(self, name: str, *, kind: str, aliases: Sequence[str] = (), contact: str | None = None,
                 phone: str | None = None) -> int:
        """A unit (kind: county/县区, zone/经济区, department/部门, enterprise/重点企业, soe/央企); its id."""
        from taskctl import ledger as L

        with self.transaction() as session:
            return L.add_unit(session, name=name, kind=kind, aliases=list(aliases), contact_person=contact,
                              contact_phone=phone).id

    def add_leader(self, name: str, *, title: str | None = None) -> int:
        from taskctl import ledger as L

        with self.transaction() as session:
            return L.add_leader(session, name=name, title=title).id

    def add_task(self, title: str, *, area: str, lead: str | None = None, co_units: Sequence[str] = (),
                 leader: str | None = None, due: DateLike = None, start: DateLike = None,
                 invest: float | None = None, targets: str | None = None, tags: Sequence[str] = (),
                 ref: str | None = None, source: str | None = None, detail: str | None = None,
                 report: str | None = None) -> dict[str, Any]:
        """A new task; returns its row (as `task add --format json` prints it). ``report``: a duty (每周二前)."""
        from taskctl import ledger as L
        from taskctl.duties import parse_duty

        with self.transaction() as session:
            start_day = resolve_day(session, _text(start), role="start") if start is not None else L.default_start(session)
            due_parsed = parse_optional_day(session, _text(due), start=start_day)
            task = L.add_task(
                session, title=title, area=L.find_area(session, area),
                lead=L.find_unit(session, lead) if lead else None,
                co_units=[L.find_unit(session, u) for u in co_units],
                leader=L.find_leader(session, leader) if leader else None, start=start_day,
                due=L.DueDate(due_parsed.date, due_parsed.text) if due_parsed else None,
                invest=L.check_amount(invest, "invest"), targets=L.parse_targets(targets), tags=list(tags),
                ref=ref, source=source, detail=detail, report_rule=parse_duty(report))
            return task_row(session, task.id)

    def add_progress(self, task_id: int, *, percent: float, on: DateLike = None, invest_done: float | None = None,
                     stage: str | None = None, note: str | None = None, problems: str | None = None,
                     next_steps: str | None = None) -> dict[str, Any]:
        """A progress update (进展); returns it as `progress add --format json` prints it."""
        from taskctl import ledger as L
        from taskctl.reports.lists import progress_row

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            update = L.add_progress(session, task, on=resolve_day(session, _text(on)), percent=percent,
                                    invest_done=invest_done, stage_=stage, note=note, problems=problems,
                                    next_steps=next_steps)
            return progress_row(update)

    def set_status(self, task_id: int, verb: str, *, on: DateLike = None, note: str | None = None) -> None:
        """done / pause / cancel / reopen, dated."""
        from taskctl import ledger as L

        if verb not in L.TRANSITIONS:
            raise InvalidValue("error.status_value", value=verb, choices=", ".join(L.TRANSITIONS))
        with self.transaction() as session:
            L.change_status(session, L.get_task(session, task_id), verb, on=resolve_day(session, _text(on)), note=note)

    def extend(self, task_id: int, *, to: DateLike, reason: str, on: DateLike = None) -> int:
        """延期 to a later date; returns the extension's number."""
        from taskctl import ledger as L

        with self.transaction() as session:
            task = L.get_task(session, task_id)
            when = resolve_day(session, _text(on))
            parsed = resolve_parsed(session, _text(to), start=when)  # 5个工作日内 counts from the grant
            ext = L.extend_task(session, task, to=L.DueDate(parsed.date, parsed.text), reason=reason, on=when)
            return ext.id

    def request_close(self, task_id: int, *, note: str, on: DateLike = None) -> int:
        """申请销号: a dated request to close a task (the status stays); returns the request's number."""
        from taskctl import ledger as L

        with self.transaction() as session:
            request = L.request_close(session, L.get_task(session, task_id), on=resolve_day(session, _text(on)),
                                      note=note)
            return request.id

    def return_close(self, task_id: int, *, reason: str, on: DateLike = None) -> None:
        """The office returns a pending closing request with its reason (accepting it is `set_status(…, "done")`)."""
        from taskctl import ledger as L

        with self.transaction() as session:
            L.return_close(session, L.get_task(session, task_id), reason=reason, on=resolve_day(session, _text(on)))

    def users(self) -> list[dict[str, Any]]:
        """The ledger's users (PostgreSQL): name, kind, unit, leader, disabled."""
        from taskctl.roles import list_users

        with self.transaction() as session:
            return list_users(session)

    def add_user(self, name: str, *, kind: str, unit: str | None = None, leader: str | None = None) -> None:
        """A login role for one person in the office, unit or leader group role (PostgreSQL)."""
        from taskctl import ledger as L
        from taskctl.roles import KINDS, add_user

        if kind not in KINDS:
            raise InvalidValue("roles.one_kind")
        with self.transaction() as session:
            add_user(session, name, kind=kind, unit=L.find_unit(session, unit) if unit else None,
                     leader=L.find_leader(session, leader) if leader else None)

    def instruct(self, task_id: int, *, leader: str, text: str, on: DateLike = None) -> None:
        from taskctl import ledger as L

        with self.transaction() as session:
            L.instruct(session, L.get_task(session, task_id), leader=L.find_leader(session, leader), text=text,
                       on=resolve_day(session, _text(on)))


# ---------------------------------------------------------------- resolution, shared with the CLI

GROUP_WORDS = {
    "unit": "unit", "单位": "unit", "责任单位": "unit", "牵头单位": "unit",
    "area": "area", "领域": "area", "聚焦领域": "area",
    "leader": "leader", "领导": "leader", "责任领导": "leader",
}


def choice(value: str | None, words: dict[str, str], option: str) -> str | None:
    """An enumerated value in English or Chinese (`--by 单位`)."""
    if value is None:
        return None
    found = words.get(value.strip().lower()) or words.get(value.strip())
    if found is None:
        raise InvalidValue("error.bad_choice", option=option, value=value,
                           choices=", ".join(dict.fromkeys(words.values())))
    return found


def _text(value: DateLike) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _iso_day(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue("config.bad_today", value=value) from None


def resolve_parsed(session: "Session", text: str | None, *, role: str = "end", start: dt.date | None = None):
    """A date option through the ledger date parser (today when not given); a ParsedDate."""
    from taskctl.config import today
    from taskctl.dates import ParsedDate, parse_date
    from taskctl.ledger import ledger_year
    from taskctl.workdays import ledger_calendar

    if text is None:
        day = today()
        return ParsedDate(day, "relative", day.isoformat())
    return parse_date(text, year=ledger_year(session), today=today(), role=role, start=start,
                      workdays=ledger_calendar(session).add_workdays)  # 5个工作日内, +5wd


def parse_optional_day(session: "Session", text: str | None, *, role: str = "end", start: dt.date | None = None):
    """A date option that may be left out (None) or say "ongoing" (a ParsedDate whose date is None)."""
    return None if text is None else resolve_parsed(session, text, role=role, start=start)


def resolve_day(session: "Session", text: str | None, *, role: str = "end") -> dt.date:
    """A date option that must be a date (as-of, --on): today when not given."""
    parsed = resolve_parsed(session, text, role=role)
    if parsed.date is None:
        raise InvalidValue("error.needs_date", value=text)
    return parsed.date


def resolve_quarter(session: "Session", quarter: str | None, as_of: str | None) -> tuple[int, int, dt.date | None]:
    """(year, quarter, as-of or None); without a quarter, the one the as-of date (else today) falls in."""
    from taskctl.config import today
    from taskctl.dates import parse_quarter

    asked = resolve_day(session, as_of) if as_of is not None else None
    year, q = parse_quarter(quarter, today=asked or today())
    return year, q, asked


def resolve_filters(session: "Session", *, area: str | None = None, unit: str | None = None,
                    leader: str | None = None, status: str | None = None, tag: str | None = None,
                    open_only: bool = False, unassigned: bool = False) -> "Filters":
    """The filters every list and report takes, with names resolved exactly (a miss suggests the closest)."""
    from taskctl import ledger as L
    from taskctl.snapshot import Filters

    f = Filters(open_only=open_only, unassigned=unassigned, tag=(tag or None))
    if area:
        f.area_id = L.find_area(session, area).id
    if unit:
        f.unit_id = L.find_unit(session, unit).id
    if leader:
        f.leader_id = L.find_leader(session, leader).id
    if status:
        found = L.status_word(status)
        if found is None:
            raise InvalidValue("error.status_value", value=status,
                               choices="active/在办, done/已完成, paused/暂缓, cancelled/已取消")
        f.status = found
    return f


def task_row(session: "Session", task_id: int) -> dict[str, Any]:
    """A task's row as of today."""
    from taskctl.config import today
    from taskctl.snapshot import Filters, snapshot
    from taskctl.reports.rows import task_row as row_of

    return row_of(snapshot(session, today(), Filters(task_ids=[task_id]))[0])
