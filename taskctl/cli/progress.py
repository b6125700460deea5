"""progress add | list | edit | delete"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, FormatOpt, LimitOpt, OnOpt, TaskIdArg, emit, fields_text, open_ledger, print_json, say, warn,
)
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
    row = open_ledger().add_progress(task_id, percent=percent, on=on, invest_done=invest_done, stage=stage,
                                     note=note, problems=problems, next_steps=next_, warn=warn)
    if fmt == "json":
        print_json(row)
    else:
        say(t("progress.added", id=row["id"], task=task_id, percent=row["percent"], on=row["on"].isoformat()))


@app.command("list", help=t("help.progress_list"))
def progress_list(task_id: TaskIdArg, fmt: FormatOpt = "table", limit: LimitOpt = None,
                  show_all: AllOpt = False) -> None:
    report = open_ledger().progress(task_id)
    emit(report, fmt, limit, show_all)


@app.command("edit", help=t("help.progress_edit"))
def progress_edit(
    update_id: UpdateIdArg,
    percent: Annotated[Optional[float], typer.Option("--percent", "-p", help=t("help.percent"))] = None,
    invest_done: InvestDoneOpt = None, stage: StageOpt = None, on: OnOpt = None, note: NoteOpt = None,
    problems: ProblemsOpt = None, next_: NextOpt = None,
) -> None:
    changes = open_ledger().edit_progress(update_id, percent=percent, on=on, invest_done=invest_done, stage=stage,
                                          note=note, problems=problems, next_steps=next_)
    say(t("progress.edited", id=update_id, fields=fields_text(changes)) if changes else t("common.unchanged"))


@app.command("delete", help=t("help.progress_delete"))
def progress_delete(update_id: UpdateIdArg) -> None:
    task_id = open_ledger().delete_progress(update_id)
    say(t("progress.deleted", id=update_id, task=task_id))
