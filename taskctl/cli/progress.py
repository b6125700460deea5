"""progress add | list | edit | delete"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, OnOpt, TaskIdArg, day, emit, ledger, print_json, say
from taskctl.cli.common import fields_text
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)
UpdateIdArg = Annotated[int, typer.Argument(help=t("help.update_id"), show_default=False)]
InvestDoneOpt = Annotated[Optional[float], typer.Option("--invest-done", help=t("help.invest_done"))]
StageOpt = Annotated[Optional[str], typer.Option("--stage", help=t("help.stage"))]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help=t("help.note"))]
ProblemsOpt = Annotated[Optional[str], typer.Option("--problems", help=t("help.problems"))]
NextOpt = Annotated[Optional[str], typer.Option("--next", help=t("help.next"))]


@app.command("add", help=t("help.progress_add"))
def progress_add(
    task_id: TaskIdArg,
    percent: Annotated[float, typer.Option("--percent", "-p", help=t("help.percent"), show_default=False)],
    invest_done: InvestDoneOpt = None, stage: StageOpt = None, on: OnOpt = None, note: NoteOpt = None,
    problems: ProblemsOpt = None, next_: NextOpt = None, fmt: FormatOpt = "table",
) -> None:
    from taskctl import ledger as L
    from taskctl.cli.common import warn
    from taskctl.reports.lists import progress_row

    with ledger() as session:
        task = L.get_task(session, task_id)
        when = day(session, on)
        before = L.previous_percent(session, task.id, when)
        update = L.add_progress(session, task, on=when, percent=percent, invest_done=invest_done,
                                stage_=stage, note=note, problems=problems, next_steps=next_)
        row = progress_row(update)
    if before is not None and update.percent < before:
        warn(t("progress.lower_than_before", id=task_id, percent=f"{update.percent:g}", before=f"{before:g}"))
    if fmt == "json":
        print_json(row)
    else:
        say(t("progress.added", id=row["id"], task=task_id, percent=row["percent"], on=row["on"].isoformat()))


@app.command("list", help=t("help.progress_list"))
def progress_list(task_id: TaskIdArg, fmt: FormatOpt = "table", limit: LimitOpt = None,
                  show_all: AllOpt = False) -> None:
    from taskctl.ledger import get_task
    from taskctl.reports.lists import progress_list as build

    with ledger() as session:
        report = build(session, get_task(session, task_id))
    emit(report, fmt, limit, show_all)


@app.command("edit", help=t("help.progress_edit"))
def progress_edit(
    update_id: UpdateIdArg,
    percent: Annotated[Optional[float], typer.Option("--percent", "-p", help=t("help.percent"))] = None,
    invest_done: InvestDoneOpt = None, stage: StageOpt = None, on: OnOpt = None, note: NoteOpt = None,
    problems: ProblemsOpt = None, next_: NextOpt = None,
) -> None:
    from taskctl import ledger as L

    with ledger() as session:
        update = L.get_update(session, update_id)
        changes = L.edit_progress(session, update, on=day(session, on) if on else None, percent=percent,
                                  invest_done=invest_done, stage=stage, note=note, problems=problems, next_steps=next_)
    say(t("progress.edited", id=update_id, fields=fields_text(changes)) if changes else t("common.unchanged"))


@app.command("delete", help=t("help.progress_delete"))
def progress_delete(update_id: UpdateIdArg) -> None:
    from taskctl import ledger as L

    with ledger() as session:
        update = L.get_update(session, update_id)
        task_id = update.task_id
        L.delete_progress(session, update)
    say(t("progress.deleted", id=update_id, task=task_id))
