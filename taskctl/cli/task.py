"""task add | list | show | edit | delete | done | pause | cancel | reopen | extend | instruct"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, AreaOpt, AsOfOpt, FormatOpt, LeaderOpt, LimitOpt, OnOpt, StatusOpt, TagOpt, TaskIdArg, UnitOpt, _complete,
    day, emit, filters, ledger, parse_day, print_json, say, today,
)
from taskctl.cli.common import fields_text
from taskctl.i18n import t

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(no_args_is_help=True)

LeadOpt = Annotated[Optional[str], typer.Option("--lead", help=t("help.lead"), autocompletion=_complete("unit"))]
WithOpt = Annotated[Optional[list[str]], typer.Option("--with", "-w", help=t("help.with"), autocompletion=_complete("unit"))]
TaskLeaderOpt = Annotated[Optional[str], typer.Option("--leader", "-l", help=t("help.task_leader"),
                                                      autocompletion=_complete("leader"))]
DueOpt = Annotated[Optional[str], typer.Option("--due", help=t("help.due"))]
StartOpt = Annotated[Optional[str], typer.Option("--start", help=t("help.start"))]
InvestOpt = Annotated[Optional[float], typer.Option("--invest", help=t("help.invest"))]
TargetOpt = Annotated[Optional[str], typer.Option("--target", help=t("help.target"))]
TagsOpt = Annotated[Optional[list[str]], typer.Option("--tag", help=t("help.tag"))]
DetailOpt = Annotated[Optional[str], typer.Option("--detail", help=t("help.detail"))]
RefOpt = Annotated[Optional[str], typer.Option("--ref", help=t("help.ref"))]
SourceOpt = Annotated[Optional[str], typer.Option("--source", help=t("help.source"))]
WorksOpt = Annotated[Optional[str], typer.Option("--works-start", help=t("help.works_start"))]
ProductionOpt = Annotated[Optional[str], typer.Option("--production", help=t("help.production"))]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help=t("help.status_note"))]
ReportOpt = Annotated[Optional[str], typer.Option("--report", help=t("help.report_duty"))]


def _units(session: "Session", names: list[str] | None):
    from taskctl.ledger import find_unit

    out = []
    for name in names or []:
        for part in _split_names(name):
            out.append(find_unit(session, part))
    return out


def _split_names(text: str) -> list[str]:
    import re

    return [p for p in re.split(r"[、，,;；/]+", text) if p.strip()]


def _row(session: "Session", task_id: int) -> dict:
    from taskctl.snapshot import Filters, snapshot
    from taskctl.reports.rows import task_row

    return task_row(snapshot(session, today(), Filters(task_ids=[task_id]))[0])


@app.command("add", help=t("help.task_add"))
def task_add(
    title: Annotated[str, typer.Argument(help=t("help.title"), show_default=False)],
    area: Annotated[str, typer.Option("--area", "-a", help=t("help.area_ref"), autocompletion=_complete("area"),
                                      show_default=False)],
    lead: LeadOpt = None, with_: WithOpt = None, leader: TaskLeaderOpt = None, due: DueOpt = None,
    start: StartOpt = None, invest: InvestOpt = None, target: TargetOpt = None, tag: TagsOpt = None,
    detail: DetailOpt = None, ref: RefOpt = None, source: SourceOpt = None, works_start: WorksOpt = None,
    production: ProductionOpt = None, report: ReportOpt = None, fmt: FormatOpt = "table",
) -> None:
    from taskctl import ledger as L
    from taskctl.duties import parse_duty

    with ledger() as session:
        found_area = L.find_area(session, area)
        lead_unit = L.find_unit(session, lead) if lead else None
        co = _units(session, with_)
        found_leader = L.find_leader(session, leader) if leader else None
        start_day = parse_day(session, start, role="start").date if start else L.default_start(session)
        if start_day is None:
            from taskctl.errors import InvalidValue

            raise InvalidValue("error.needs_date", value=start)
        due_parsed = parse_day(session, due, start=start_day, default_today=False)
        task = L.add_task(
            session, title=title, area=found_area, lead=lead_unit, co_units=co, leader=found_leader, start=start_day,
            due=L.DueDate(due_parsed.date, due_parsed.text) if due_parsed else None, detail=detail,
            invest=L.check_amount(invest, "invest"), targets=L.parse_targets(target),
            works_start=_opt_day(session, works_start), production=_opt_day(session, production),
            tags=tag or [], ref=ref, source=source, report_rule=parse_duty(report))
        row = _row(session, task.id)
    if fmt == "json":
        print_json(row)
    else:
        say(t("task.added", id=row["id"], title=row["title"], due=row["due"] or t("common.ongoing")))


def _opt_day(session: "Session", text: str | None):
    if text is None:
        return None
    return day(session, text)


@app.command("list", help=t("help.task_list"))
def task_list(
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None, tag: TagOpt = None,
    open_only: Annotated[bool, typer.Option("--open", help=t("help.open"))] = False,
    unassigned: Annotated[bool, typer.Option("--unassigned", help=t("help.unassigned"))] = False,
    as_of: AsOfOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    from taskctl.reports.lists import task_list as build

    with ledger() as session:
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag, open_only=open_only,
                    unassigned=unassigned)
        report = build(session, day(session, as_of), f)
    emit(report, fmt, limit, show_all)


@app.command("show", help=t("help.task_show"))
def task_show(task_id: TaskIdArg, as_of: AsOfOpt = None, fmt: FormatOpt = "table") -> None:
    from taskctl.ledger import get_task
    from taskctl.reports.lists import task_detail

    with ledger() as session:
        task = get_task(session, task_id)
        row, events = task_detail(session, task, day(session, as_of))
        from taskctl.duties import describe, duties_of

        row["report_duty"] = describe(duties_of(session, [task.id]).get(task.id))
    if fmt == "json":
        print_json(row)
        return
    if fmt == "table":
        _print_task(row)
        say("")
    emit(events, fmt, None, True)


def _print_task(row: dict) -> None:
    from taskctl.render import cell_text, display_value
    from taskctl.reports.model import Column

    fields = [("title", "text"), ("area_name", "text"), ("ref", "text"), ("lead_unit", "text"), ("co_units", "list"),
              ("leader", "text"), ("start", "date"), ("due", "date"), ("due_text", "text"), ("original_due", "date"),
              ("extensions", "int"), ("status", "status"), ("state", "state"), ("light", "light"),
              ("percent", "percent"), ("percent_expected", "percent"), ("last_update", "date"),
              ("invest_planned", "money"), ("invest_done", "money"), ("stage", "stage"), ("targets", "text"),
              ("works_start", "date"), ("production", "date"), ("report_duty", "text"), ("tags", "list"),
              ("source", "text"),
              ("detail", "text")]
    say(f"#{row['id']}  {row['title']}")
    for key, kind in fields[1:]:
        value = row.get(key)
        if value in (None, [], "") or (key == "original_due" and value == row.get("due")):
            continue
        if key == "targets":
            value = ", ".join(f"{q}={v:g}" for q, v in value.items())
        text = cell_text(row, Column(key, kind)) if kind == "state" else display_value(value, kind)
        say(f"  {t('col.' + key)}: {text}")


@app.command("edit", help=t("help.task_edit"))
def task_edit(
    task_id: TaskIdArg,
    title: Annotated[Optional[str], typer.Option("--title", help=t("help.title"))] = None,
    area: Annotated[Optional[str], typer.Option("--area", "-a", help=t("help.area_ref"), autocompletion=_complete("area"))] = None,
    lead: LeadOpt = None, with_: WithOpt = None, leader: TaskLeaderOpt = None, due: DueOpt = None,
    start: StartOpt = None, invest: InvestOpt = None, target: TargetOpt = None, tag: TagsOpt = None,
    detail: DetailOpt = None, ref: RefOpt = None, source: SourceOpt = None, works_start: WorksOpt = None,
    production: ProductionOpt = None,
    no_lead: Annotated[bool, typer.Option("--no-lead", help=t("help.no_lead"))] = False,
    no_leader: Annotated[bool, typer.Option("--no-leader", help=t("help.no_leader"))] = False,
    no_with: Annotated[bool, typer.Option("--no-with", help=t("help.no_with"))] = False,
    no_tags: Annotated[bool, typer.Option("--no-tags", help=t("help.no_tags"))] = False,
    report: ReportOpt = None, fmt: FormatOpt = "table",
) -> None:
    from taskctl import ledger as L
    from taskctl.duties import parse_duty

    with ledger() as session:
        task = L.get_task(session, task_id)
        start_day = parse_day(session, start, role="start").date if start else None
        due_parsed = parse_day(session, due, start=start_day or task.start, default_today=False)
        changes = L.edit_task(
            session, task, title=title, area=L.find_area(session, area) if area else None,
            lead=L.find_unit(session, lead) if lead else None, clear_lead=no_lead,
            co_units=[] if no_with else (_units(session, with_) if with_ else None),
            leader=L.find_leader(session, leader) if leader else None, clear_leader=no_leader,
            start=start_day, due=L.DueDate(due_parsed.date, due_parsed.text) if due_parsed else None,
            detail=detail, invest=L.check_amount(invest, "invest"), targets=L.parse_targets(target),
            works_start=_opt_day(session, works_start), production=_opt_day(session, production),
            tags=[] if no_tags else (tag if tag else None), ref=ref, source=source,
            report_rule=(parse_duty(report) or "") if report is not None else None)
        row = _row(session, task.id)
    if fmt == "json":
        print_json(row)
    else:
        say(t("task.edited", id=task_id, fields=fields_text(changes)) if changes else t("common.unchanged"))


@app.command("delete", help=t("help.task_delete"))
def task_delete(task_id: TaskIdArg,
                yes: Annotated[bool, typer.Option("--yes", "-y", help=t("help.yes"))] = False) -> None:
    import sys

    from taskctl.errors import InvalidValue
    from taskctl.ledger import delete_task, get_task

    with ledger() as session:
        task = get_task(session, task_id)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidValue("task.delete_needs_yes", id=task_id)
            typer.confirm(t("task.delete_confirm", id=task_id, title=task.title), abort=True)
        title = task.title
        delete_task(session, task)
    say(t("task.deleted", id=task_id, title=title))


def _status_command(verb: str):
    def command(task_id: TaskIdArg, on: OnOpt = None, note: NoteOpt = None) -> None:
        from taskctl.ledger import change_status, get_task

        with ledger() as session:
            task = get_task(session, task_id)
            when = day(session, on)
            accepted = verb == "done" and _pending_close(session, task_id, when)
            change_status(session, task, verb, on=when, note=note)
        say(t(f"task.{verb}_done", id=task_id, on=when.isoformat()))
        if accepted:
            say(t("close.accepted", id=task_id, requested=accepted.isoformat()))

    command.__name__ = f"task_{verb}"
    return command


def _pending_close(session: "Session", task_id: int, on: "dt.date"):
    """The date of the closing request that `task done` accepts (审结), if one is pending."""
    from taskctl.ledger import pending_close_request

    request = pending_close_request(session, task_id)
    return request.on_date if request is not None and request.on_date <= on else None


@app.command("request-close", help=t("help.task_request_close"))
def task_request_close(task_id: TaskIdArg, note: Annotated[str, typer.Option("--note", help=t("help.close_note"),
                                                                             show_default=False)],
                       on: OnOpt = None) -> None:
    from taskctl.ledger import get_task, request_close

    with ledger() as session:
        task = get_task(session, task_id)
        when = day(session, on)
        request_close(session, task, on=when, note=note)
    say(t("close.requested", id=task_id, on=when.isoformat()))


@app.command("return", help=t("help.task_return"))
def task_return(task_id: TaskIdArg, reason: Annotated[str, typer.Option("--reason", help=t("help.return_reason"),
                                                                        show_default=False)],
                on: OnOpt = None) -> None:
    from taskctl.ledger import get_task, return_close

    with ledger() as session:
        task = get_task(session, task_id)
        when = day(session, on)
        return_close(session, task, reason=reason, on=when)
    say(t("close.returned", id=task_id, on=when.isoformat()))


for _verb in ("done", "pause", "cancel", "reopen"):
    app.command(_verb, help=t(f"help.task_{_verb}"))(_status_command(_verb))


@app.command("extend", help=t("help.task_extend"))
def task_extend(
    task_id: TaskIdArg,
    to: Annotated[Optional[str], typer.Option("--to", help=t("help.extend_to"), show_default=False)] = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help=t("help.reason"), show_default=False)] = None,
    on: OnOpt = None,
    withdraw: Annotated[Optional[int], typer.Option("--withdraw", help=t("help.extend_withdraw"), show_default=False,
                                                    metavar="EXT_ID")] = None,
) -> None:
    from taskctl import ledger as L
    from taskctl.errors import InvalidValue

    if (to is None) == (withdraw is None):
        raise InvalidValue("error.extend_to_or_withdraw", id=task_id)
    with ledger() as session:
        task = L.get_task(session, task_id)
        when = day(session, on)
        if withdraw is not None:
            ext = L.withdraw_extension(session, task, withdraw, on=when, reason=reason)
            due = L.due_in_force(session, task, when)
            say(t("task.extension_withdrawn", ext=ext.id, id=task_id, on=when.isoformat(),
                  due=due.isoformat() if due else t("common.ongoing")))
            return
        if reason is None:
            raise InvalidValue("error.empty", field="reason")
        parsed = parse_day(session, to, start=when)  # 5个工作日内 counts from the day it is granted
        ext = L.extend_task(session, task, to=L.DueDate(parsed.date, parsed.text), reason=reason, on=when)
        old = ext.old_due.isoformat() if ext.old_due else t("common.ongoing")
    say(t("task.extended", id=task_id, old=old, new=ext.new_due.isoformat(), on=when.isoformat(), ext=ext.id))


@app.command("instruct", help=t("help.task_instruct"))
def task_instruct(
    task_id: TaskIdArg,
    leader: Annotated[str, typer.Option("--leader", "-l", help=t("help.instruct_leader"),
                                        autocompletion=_complete("leader"), show_default=False)],
    text: Annotated[str, typer.Option("--text", help=t("help.instruct_text"), show_default=False)],
    on: OnOpt = None,
) -> None:
    from taskctl import ledger as L

    with ledger() as session:
        task = L.get_task(session, task_id)
        found = L.find_leader(session, leader)
        when = day(session, on)
        L.instruct(session, task, leader=found, text=text, on=when)
    say(t("task.instructed", id=task_id, leader=found.name, on=when.isoformat()))
