"""task add | list | show | edit | delete | done | pause | cancel | reopen | extend | instruct"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, AreaOpt, AsOfOpt, FormatOpt, LeaderOpt, LimitOpt, OnOpt, StatusOpt, TagOpt, TaskIdArg, UnitOpt, _complete,
    emit, fields_text, open_ledger, print_json, rows_shown, say,
)
from taskctl.i18n import t

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
    row = open_ledger().add_task(
        title, area=area, lead=lead, co_units=with_ or [], leader=leader, due=due, start=start, invest=invest,
        targets=target, tags=tag or [], ref=ref, source=source, detail=detail, works_start=works_start,
        production=production, report=report)
    if fmt == "json":
        print_json(row)
    else:
        say(t("task.added", id=row["id"], title=row["title"], due=row["due"] or t("common.ongoing")))


@app.command("list", help=t("help.task_list"))
def task_list(
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None, tag: TagOpt = None,
    open_only: Annotated[bool, typer.Option("--open", help=t("help.open"))] = False,
    unassigned: Annotated[bool, typer.Option("--unassigned", help=t("help.unassigned"))] = False,
    as_of: AsOfOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False,
) -> None:
    report = open_ledger().tasks(as_of=as_of, area=area, unit=unit, leader=leader, status=status, tag=tag,
                                 open_only=open_only, unassigned=unassigned, first=rows_shown(fmt, limit, show_all))
    emit(report, fmt, limit, show_all)


@app.command("show", help=t("help.task_show"))
def task_show(task_id: TaskIdArg, as_of: AsOfOpt = None, fmt: FormatOpt = "table") -> None:
    row, events = open_ledger().task_detail(task_id, as_of=as_of)
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
    changes, row = open_ledger().edit_task(
        task_id, title=title, area=area, lead=lead, co_units=with_, leader=leader, due=due, start=start,
        invest=invest, targets=target, tags=tag, detail=detail, ref=ref, source=source, works_start=works_start,
        production=production, report=report, clear_lead=no_lead, clear_leader=no_leader, clear_co_units=no_with,
        clear_tags=no_tags)
    if fmt == "json":
        print_json(row)
    else:
        say(t("task.edited", id=task_id, fields=fields_text(changes)) if changes else t("common.unchanged"))


@app.command("delete", help=t("help.task_delete"))
def task_delete(task_id: TaskIdArg,
                yes: Annotated[bool, typer.Option("--yes", "-y", help=t("help.yes"))] = False) -> None:
    def ask(title: str) -> None:
        import sys

        from taskctl.errors import InvalidValue

        if not sys.stdin.isatty():
            raise InvalidValue("task.delete_needs_yes", id=task_id)
        typer.confirm(t("task.delete_confirm", id=task_id, title=title), abort=True)

    title = open_ledger().delete_task(task_id, confirm=None if yes else ask)["title"]
    say(t("task.deleted", id=task_id, title=title))


def _status_command(verb: str):
    def command(task_id: TaskIdArg, on: OnOpt = None, note: NoteOpt = None) -> None:
        done = open_ledger().set_status(task_id, verb, on=on, note=note)
        say(t(f"task.{verb}_done", id=task_id, on=done["on"].isoformat()))
        if done["accepted"]:
            say(t("close.accepted", id=task_id, requested=done["accepted"].isoformat()))

    command.__name__ = f"task_{verb}"
    return command


@app.command("request-close", help=t("help.task_request_close"))
def task_request_close(task_id: TaskIdArg, note: Annotated[str, typer.Option("--note", help=t("help.close_note"),
                                                                             show_default=False)],
                       on: OnOpt = None) -> None:
    request = open_ledger().request_close(task_id, note=note, on=on)
    say(t("close.requested", id=task_id, on=request["on"].isoformat()))


@app.command("return", help=t("help.task_return"))
def task_return(task_id: TaskIdArg, reason: Annotated[str, typer.Option("--reason", help=t("help.return_reason"),
                                                                        show_default=False)],
                on: OnOpt = None) -> None:
    returned = open_ledger().return_close(task_id, reason=reason, on=on)
    say(t("close.returned", id=task_id, on=returned["on"].isoformat()))


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
    from taskctl.errors import InvalidValue

    if (to is None) == (withdraw is None):
        raise InvalidValue("error.extend_to_or_withdraw", id=task_id)
    if withdraw is not None:
        gone = open_ledger().withdraw_extension(task_id, withdraw, reason=reason, on=on)
        say(t("task.extension_withdrawn", ext=gone["id"], id=task_id, on=gone["on"].isoformat(),
              due=gone["due"].isoformat() if gone["due"] else t("common.ongoing")))
        return
    ext = open_ledger().extend(task_id, to=to, reason=reason, on=on)
    old = ext["old_due"].isoformat() if ext["old_due"] else t("common.ongoing")
    say(t("task.extended", id=task_id, old=old, new=ext["new_due"].isoformat(), on=ext["on"].isoformat(),
          ext=ext["id"]))


@app.command("instruct", help=t("help.task_instruct"))
def task_instruct(
    task_id: TaskIdArg,
    leader: Annotated[str, typer.Option("--leader", "-l", help=t("help.instruct_leader"),
                                        autocompletion=_complete("leader"), show_default=False)],
    text: Annotated[str, typer.Option("--text", help=t("help.instruct_text"), show_default=False)],
    on: OnOpt = None,
) -> None:
    done = open_ledger().instruct(task_id, leader=leader, text=text, on=on)
    say(t("task.instructed", id=task_id, leader=done["leader"], on=done["on"].isoformat()))
