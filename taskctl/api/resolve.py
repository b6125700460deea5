"""Names, dates, quarters and filters as a user types them, resolved against one ledger session or reader.

Every command and every ``Ledger`` method resolves through these, so "3月底", "发改委" and "扩大投资" mean
the same thing on the command line and in a script.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from taskctl.reader import Reader

    from taskctl.snapshot import Filters

DateLike = str | dt.date | None

GROUP_WORDS = {
    "unit": "unit", "单位": "unit", "责任单位": "unit", "牵头单位": "unit",
    "area": "area", "领域": "area", "聚焦领域": "area",
    "leader": "leader", "领导": "leader", "责任领导": "leader",
}

DATE_RANGE = (1900, 2200)  # a ledger's dates; beyond them day-by-day rules (working days) would never end


def choice(value: str | None, words: dict[str, str], option: str) -> str | None:
    """An enumerated value in English or Chinese (`--by 单位`)."""
    if value is None:
        return None
    found = words.get(value.strip().lower()) or words.get(value.strip())
    if found is None:
        raise InvalidValue("error.bad_choice", option=option, value=value,
                           choices=", ".join(dict.fromkeys(words.values())))
    return found


def text_of(value: DateLike) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def iso_day(value: DateLike) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue("config.bad_today", value=value) from None


def in_range(value, text):
    """The date (or ParsedDate) when its year is one a ledger can mean; else a one-line error."""
    date = getattr(value, "date", value)
    if date is not None and hasattr(date, "year") and not (DATE_RANGE[0] <= date.year <= DATE_RANGE[1]):
        raise InvalidValue("input.date_range", value=text, low=DATE_RANGE[0], high=DATE_RANGE[1])
    return value


def resolve_parsed(session: "Session | Reader", text: DateLike, *, role: str = "end", start: dt.date | None = None,
                   within: bool = True):
    """A date option through the ledger date parser (today when not given); a ParsedDate.  ``within``: its
    year must be in DATE_RANGE."""
    from taskctl.config import today
    from taskctl.dates import ParsedDate, parse_date
    from taskctl.names import ledger_year
    from taskctl.workdays import ledger_calendar

    text = text_of(text)
    if text is None:
        day = today()
        parsed = ParsedDate(day, "relative", day.isoformat())
    else:
        parsed = parse_date(text, year=ledger_year(session), today=today(), role=role, start=start,
                            workdays=ledger_calendar(session).add_workdays)  # 5个工作日内, +5wd
    return in_range(parsed, text) if within else parsed


def parse_optional_day(session: "Session | Reader", text: DateLike, *, role: str = "end", start: dt.date | None = None):
    """A date option that may be left out (None) or say "ongoing" (a ParsedDate whose date is None)."""
    return None if text is None else resolve_parsed(session, text, role=role, start=start)


def resolve_day(session: "Session | Reader", text: DateLike, *, role: str = "end", within: bool = True) -> dt.date:
    """A date option that must be a date (as-of, --on): today when not given."""
    parsed = resolve_parsed(session, text, role=role, within=within)
    if parsed.date is None:
        raise InvalidValue("error.needs_date", value=text_of(text))
    return parsed.date


def optional_day(session: "Session | Reader", text: DateLike, *, role: str = "end") -> dt.date | None:
    """A date option that may be left out (None); when given, it must be a date."""
    return None if text is None else resolve_day(session, text, role=role)


def resolve_quarter(session: "Session | Reader", quarter: str | None, as_of: DateLike) -> tuple[int, int, dt.date | None]:
    """(year, quarter, as-of or None); without a quarter, the one the as-of date (else today) falls in."""
    from taskctl.config import today
    from taskctl.dates import parse_quarter

    # a quarter's as-of date is not held to DATE_RANGE (it never was): no day-by-day rule walks to it
    asked = resolve_day(session, as_of, within=False) if as_of is not None else None
    year, q = parse_quarter(quarter, today=asked or today())
    return year, q, asked


def resolve_filters(session: "Session | Reader", *, area: str | None = None, unit: str | None = None,
                    leader: str | None = None, status: str | None = None, tag: str | None = None,
                    open_only: bool = False, unassigned: bool = False) -> "Filters":
    """The filters every list and report takes, with names resolved exactly (a miss suggests the closest)."""
    from taskctl import names
    from taskctl.snapshot import Filters
    from taskctl.values import status_word

    f = Filters(open_only=open_only, unassigned=unassigned, tag=(tag or None))
    if area:
        f.area_id = names.area_id(session, area)
    if unit:
        f.unit_id = names.unit_id(session, unit)
    if leader:
        f.leader_id = names.leader_id(session, leader)
    if status:
        found = status_word(status)
        if found is None:
            raise InvalidValue("error.status_value", value=status,
                               choices="active/在办, done/已完成, paused/暂缓, cancelled/已取消")
        f.status = found
    return f


def split_names(text: str) -> list[str]:
    """"市发改委、市财政局" → two names (a --with option may list several)."""
    return [p for p in re.split(r"[、，,;；/]+", text) if p.strip()]


def resolve_units(session: "Session | Reader", names) -> list:
    """Units by name; each name may list several (市发改委、市财政局)."""
    from taskctl.ledger import find_unit

    return [find_unit(session, part) for name in names or [] for part in split_names(name)]


def task_row(session: "Session | Reader", task_id: int) -> dict[str, Any]:
    """A task's row as of today."""
    from taskctl.config import today
    from taskctl.snapshot import Filters, snapshot
    from taskctl.reports.rows import task_row as row_of

    return row_of(snapshot(session, today(), Filters(task_ids=[task_id]))[0])
