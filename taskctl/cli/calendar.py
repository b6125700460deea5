"""holidays list | add | remove · calendar · trend — working days, the deadline calendar, the trend."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, AreaOpt, FormatOpt, LeaderOpt, LimitOpt, TagOpt, UnitOpt, emit, open_ledger, say,
)
from taskctl.i18n import t

if TYPE_CHECKING:
    from taskctl.reports.model import Report

holidays_app = typer.Typer(no_args_is_help=True)

DateArg = Annotated[str, typer.Argument(help=t("help.holiday_date"), show_default=False, metavar="DATE")]


@holidays_app.command("add", help=t("help.holidays_add"))
def holidays_add(
    date: DateArg,
    holiday: Annotated[bool, typer.Option("--holiday", help=t("help.holiday_flag"))] = False,
    workday: Annotated[bool, typer.Option("--workday", help=t("help.workday_flag"))] = False,
    note: Annotated[Optional[str], typer.Option("--note", help=t("help.holiday_note"))] = None,
) -> None:
    from taskctl.errors import InvalidValue

    if holiday == workday:
        raise InvalidValue("workdays.need_kind", value=date)
    days = open_ledger().add_holidays(date, kind="workday" if workday else "holiday", note=note)
    word = t("workdays.kind.workday" if workday else "workdays.kind.holiday")
    shown = days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()}..{days[-1].isoformat()}"
    say(t("workdays.added", dates=shown, n=len(days), kind=word))


@holidays_app.command("remove", help=t("help.holidays_remove"))
def holidays_remove(date: DateArg) -> None:
    days = open_ledger().remove_holidays(date)
    shown = days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()}..{days[-1].isoformat()}"
    say(t("workdays.removed", dates=shown, n=len(days)))


@holidays_app.command("list", help=t("help.holidays_list"))
def holidays_list(
    year: Annotated[Optional[int], typer.Option("--year", "-y", help=t("help.holidays_year"))] = None,
    fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    report = open_ledger().holidays(year)
    emit(report, fmt, limit, show_all)


# ---------------------------------------------------------------------- calendar

def calendar(
    month: Annotated[Optional[str], typer.Option("--month", "-m", help=t("help.calendar_month"))] = None,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, tag: TagOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    report = open_ledger().calendar(month, area=area, unit=unit, leader=leader, tag=tag)
    if fmt == "table":
        _print_calendar(report)
    else:
        emit(report, fmt, None, True)


def _console():
    from rich.console import Console

    from taskctl.render import use_colour

    terminal = sys.stdout.isatty()
    return Console(file=sys.stdout, no_color=not use_colour(sys.stdout), highlight=False, emoji=False,
                   force_terminal=terminal, width=None if terminal else 80), use_colour(sys.stdout)


def _print_calendar(report: "Report") -> None:
    """A month grid (Monday first), then the deadlines and report days listed by day."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from taskctl.render.words import footer as say_footer, title as say_title

    console, colour = _console()
    table = Table(title=say_title(report), box=box.SQUARE, show_lines=True, padding=(0, 0, 0, 1), expand=False)
    for i in range(1, 8):
        table.add_column(t(f"workdays.weekday.{i}"), justify="left", width=9, no_wrap=True,
                         style="red" if colour and i >= 6 else "")
    week: list = [""] * 7
    rows_out = []
    for r in report.rows:
        d = r["date"]
        cell = Text()
        mark = {"holiday": t("workdays.mark.holiday"), "adjusted": t("workdays.mark.adjusted")}.get(r["day_kind"], "")
        style = ""
        if colour and r["day_kind"] in ("holiday", "weekend"):
            style = "red"
        if colour and r["day_kind"] == "adjusted":
            style = "bold"
        cell.append(f"{d.day:>2}", style=style)
        if mark:
            cell.append(f" {mark}", style=style)
        if r["due"]:
            cell.append("\n" + t("workdays.mark.due", n=len(r["due"])), style="bold red" if colour else "")
        if r["reports"]:
            cell.append("\n" + t("workdays.mark.reports", n=len(r["reports"])), style="cyan" if colour else "")
        week[r["weekday"] - 1] = cell
        if r["weekday"] == 7:
            rows_out.append(week)
            week = [""] * 7
    if any(week):
        rows_out.append(week)
    for w in rows_out:
        table.add_row(*w)
    console.print(table)
    console.print(t("workdays.calendar_legend"))
    titles = report.meta.get("tasks", {})
    listed = False
    for r in report.rows:
        if not (r["due"] or r["reports"]):
            continue
        if not listed:
            console.print("")
            listed = True
        head = f"{r['date'].isoformat()} {t('workdays.weekday.' + str(r['weekday']))}"
        if r["holiday"]:
            head += f" · {r['holiday']}"
        console.print(Text(head, style="bold" if colour else ""))
        for key, ids in (("workdays.list.due", r["due"]), ("workdays.list.reports", r["reports"])):
            if ids:
                names = "；".join(f"#{i} {_short(titles.get(str(i), ''))}" for i in ids[:6])
                more = t("workdays.list.more", n=len(ids) - 6) if len(ids) > 6 else ""
                console.print(f"  {t(key)}: {names}{more}", overflow="ellipsis", no_wrap=True, crop=True)
    console.print(say_footer(report))


def _short(title: str, width: int = 14) -> str:
    from rich.cells import cell_len

    out = ""
    for ch in title:
        if cell_len(out + ch) > width:
            return out + "…"
        out += ch
    return out


# ---------------------------------------------------------------------- trend

def trend(
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, tag: TagOpt = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help=t("help.trend_from"))] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help=t("help.trend_to"))] = None,
    fmt: FormatOpt = "table",
) -> None:
    report = open_ledger().trend(date_from=date_from, date_to=date_to, area=area, unit=unit, leader=leader, tag=tag)
    if fmt == "table":
        _print_trend(report)
    else:
        emit(report, fmt, None, True)


BAR = 40  # characters for 0–100 %


def _print_trend(report: "Report") -> None:
    """One line per week: a bar of the actual average, ┃ where the expected one is, both figures."""
    from rich.text import Text

    from taskctl.render.words import footer as say_footer, title as say_title

    console, colour = _console()
    console.print(Text(say_title(report), style="bold" if colour else ""))
    console.print(t("workdays.trend_legend"))
    for r in report.rows:
        a, e = r["percent_actual"], r["percent_expected"]
        cells = [" "] * BAR
        filled = 0 if a is None else round(a * BAR / 100)
        for i in range(filled):
            cells[i] = "█"
        for i in range(filled, BAR):
            cells[i] = "·"
        pos = None if e is None else min(BAR - 1, round(e * BAR / 100))
        line = Text(f"{r['week'][2:]} ")
        behind = a is not None and e is not None and e - a > 10
        for i, ch in enumerate(cells):
            if i == pos:
                line.append("┃", style="bold magenta" if colour else "")
            else:
                line.append(ch, style=("yellow" if behind else "green") if colour and ch == "█" else "")
        figures = f" {_pct(a):>6} / {_pct(e):>6}"
        line.append(figures)
        console.print(line, no_wrap=True, crop=True)
    console.print(say_footer(report))


def _pct(value) -> str:
    return "—" if value is None else f"{value:g}%"


def register(app) -> None:
    app.add_typer(holidays_app, name="holidays", help=t("help.holidays"))
    app.command("calendar", help=t("help.calendar"))(calendar)
    app.command("trend", help=t("help.trend"))(trend)
