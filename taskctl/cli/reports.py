"""overdue | due-soon | stale | quarter | rank — parse, build one Report, render it."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.cli.common import (
    choice,
    AllOpt, AreaOpt, FormatOpt, LeaderOpt, LimitOpt, StatusOpt, TagOpt, UnitOpt, day, emit, filters, ledger,
)
from taskctl.i18n import t

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session


class GroupBy(str, Enum):
    unit = "unit"
    area = "area"
    leader = "leader"


class By(str, Enum):
    area = "area"
    unit = "unit"
    leader = "leader"


ReportAsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help=t("help.report_as_of"))]
GroupByOpt = Annotated[Optional[str], typer.Option("--group-by", "-g", help=t("help.group_by"),
                                                   callback=choice(GroupBy), metavar="<unit|area|leader>")]
ByOpt = Annotated[str, typer.Option("--by", "-b", help=t("help.by"), callback=choice(By),
                                    metavar="<area|unit|leader>")]
SoonDaysOpt = Annotated[int, typer.Option("--days", "-d", min=0, help=t("help.days_soon"))]
StaleDaysOpt = Annotated[int, typer.Option("--days", "-d", min=0, help=t("help.days_stale"))]
QuarterArg = Annotated[Optional[str], typer.Argument(help=t("help.quarter_arg"), show_default=False)]
QuarterOpt = Annotated[Optional[str], typer.Option("--quarter", "-q", help=t("help.quarter_opt"))]


def overdue(
    as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None,
    status: StatusOpt = None, tag: TagOpt = None, group_by: GroupByOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    from taskctl.reports import overdue_report

    with ledger() as session:
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag)
        report = overdue_report(session, as_of=day(session, as_of), filters=f,
                                group_by=group_by.value if group_by else None)
    emit(report, fmt, limit, show_all)


def due_soon(
    days: SoonDaysOpt = 7, as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None,
    leader: LeaderOpt = None, status: StatusOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
    working: Annotated[bool, typer.Option("--working", help=t("help.working_days"))] = False,
) -> None:
    from taskctl.reports import due_soon_report

    with ledger() as session:
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag)
        report = due_soon_report(session, as_of=day(session, as_of), days=days, filters=f, working=working)
    emit(report, fmt, limit, show_all)


def stale(
    days: StaleDaysOpt = 7, as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None,
    leader: LeaderOpt = None, status: StatusOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    from taskctl.reports import stale_report

    with ledger() as session:
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag)
        report = stale_report(session, as_of=day(session, as_of), days=days, filters=f)
    emit(report, fmt, limit, show_all)


def _quarter(session: "Session", arg: str | None, opt: str | None,
             as_of: str | None) -> "tuple[int, int, dt.date | None]":
    """(year, quarter, as-of or None) from `quarter [Q] [--quarter Q] [--as-of D]`.

    Without a quarter, the quarter is the one the as-of date falls in (else today's).
    """
    from taskctl.api import resolve_quarter
    from taskctl.errors import InvalidValue

    if arg and opt and arg.strip() != opt.strip():
        raise InvalidValue("report.quarter_twice", first=arg, second=opt)
    return resolve_quarter(session, arg or opt, as_of)


def quarter(
    quarter_arg: QuarterArg = None, quarter_opt: QuarterOpt = None, by: ByOpt = "area",
    as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None,
    status: StatusOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    from taskctl.reports import quarter_report

    with ledger() as session:
        year, q, asked = _quarter(session, quarter_arg, quarter_opt, as_of)
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag)
        report = quarter_report(session, year=year, quarter=q, by=by.value, filters=f, as_of=asked)
    emit(report, fmt, limit, show_all)


def rank(
    quarter_arg: QuarterArg = None, quarter_opt: QuarterOpt = None, as_of: ReportAsOfOpt = None,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None,
    tag: TagOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    from taskctl.reports import rank_report

    with ledger() as session:
        from taskctl.roles import require_office

        require_office(session, "rank")
        year, q, asked = _quarter(session, quarter_arg, quarter_opt, as_of)
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag)
        report = rank_report(session, year=year, quarter=q, filters=f, as_of=asked)
    emit(report, fmt, limit, show_all)


def register(app) -> None:
    app.command("overdue", help=t("help.overdue"))(overdue)
    app.command("due-soon", help=t("help.due_soon"))(due_soon)
    app.command("stale", help=t("help.stale"))(stale)
    app.command("quarter", help=t("help.quarter"))(quarter)
    app.command("rank", help=t("help.rank"))(rank)
