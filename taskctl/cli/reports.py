"""overdue | due-soon | stale | quarter | rank — parse, build one Report, render it."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, AreaOpt, FormatOpt, LeaderOpt, LimitOpt, StatusOpt, TagOpt, UnitOpt, choice, emit, open_ledger,
    rows_shown,
)
from taskctl.i18n import t


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
    report = open_ledger().overdue(as_of=as_of, group_by=group_by.value if group_by else None, area=area, unit=unit,
                                   leader=leader, status=status, tag=tag, first=rows_shown(fmt, limit, show_all))
    emit(report, fmt, limit, show_all)


def due_soon(
    days: SoonDaysOpt = 7, as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None,
    leader: LeaderOpt = None, status: StatusOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
    working: Annotated[bool, typer.Option("--working", help=t("help.working_days"))] = False,
) -> None:
    report = open_ledger().due_soon(days=days, as_of=as_of, working=working, area=area, unit=unit, leader=leader,
                                    status=status, tag=tag, first=rows_shown(fmt, limit, show_all))
    emit(report, fmt, limit, show_all)


def stale(
    days: StaleDaysOpt = 7, as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None,
    leader: LeaderOpt = None, status: StatusOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    report = open_ledger().stale(days=days, as_of=as_of, area=area, unit=unit, leader=leader, status=status, tag=tag,
                                 first=rows_shown(fmt, limit, show_all))
    emit(report, fmt, limit, show_all)


def _one_quarter(arg: str | None, opt: str | None) -> str | None:
    """`quarter [Q]` or `--quarter Q` (both only when they agree)."""
    from taskctl.errors import InvalidValue

    if arg and opt and arg.strip() != opt.strip():
        raise InvalidValue("report.quarter_twice", first=arg, second=opt)
    return arg or opt


def quarter(
    quarter_arg: QuarterArg = None, quarter_opt: QuarterOpt = None, by: ByOpt = "area",
    as_of: ReportAsOfOpt = None, area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None,
    status: StatusOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    report = open_ledger().quarter(_one_quarter(quarter_arg, quarter_opt), by=by.value, as_of=as_of, area=area,
                                   unit=unit, leader=leader, status=status, tag=tag)
    emit(report, fmt, limit, show_all)


def rank(
    quarter_arg: QuarterArg = None, quarter_opt: QuarterOpt = None, as_of: ReportAsOfOpt = None,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None,
    tag: TagOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    report = open_ledger().rank(_one_quarter(quarter_arg, quarter_opt), as_of=as_of, area=area, unit=unit,
                                leader=leader, status=status, tag=tag)
    emit(report, fmt, limit, show_all)


def register(app) -> None:
    app.command("overdue", help=t("help.overdue"))(overdue)
    app.command("due-soon", help=t("help.due_soon"))(due_soon)
    app.command("stale", help=t("help.stale"))(stale)
    app.command("quarter", help=t("help.quarter"))(quarter)
    app.command("rank", help=t("help.rank"))(rank)
