"""undo: revert your last change (one command = one change), or list what can be reverted."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from taskctl.cli.common import FormatOpt, emit, ledger, say
from taskctl.i18n import t


def register(app: typer.Typer) -> None:
    app.command("undo", help=t("help.undo"))(undo)


def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("help.undo_yes"))] = False,
    show: Annotated[bool, typer.Option("--list", help=t("help.undo_list"))] = False,
    fmt: FormatOpt = "table",
) -> None:
    from taskctl import undo as U
    from taskctl.errors import InvalidValue
    from taskctl.roles import acting_user

    if show:
        from taskctl.reports.model import C, Msg, Report

        with ledger() as session:
            user = acting_user(session)  # a unit or leader role: its session_user, whatever TASKCTL_USER says
            rows = [{"id": h.id, "at": h.at.astimezone() if h.at else None, "action": h.action,
                     "task_id": h.task_id, "summary": h.summary,
                     "rows": len(U._net(U._payload(h)[U.UNDO_KEY]))} for h in U.undoable(session, user, limit=20)]
        emit(Report(name="undo", title=Msg("undo.list_title", user=user), rows=rows, json_array=True,
                    footer=Msg("common.rows", n=len(rows)),
                    columns=[C("id", "int"), C("at", "datetime"), C("action"), C("task_id", "int"), C("summary"),
                             C("rows", "int", label="undo.col_rows")]), fmt)
        return
    with ledger() as session:
        user = acting_user(session)
        target, net = U.plan(session, user)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidValue("undo.needs_yes", id=target.id, action=target.action)
            typer.confirm(t("undo.confirm", id=target.id, action=target.action, summary=target.summary or "",
                            at=U._when(target), rows=len(net)), abort=True)
        target, n = U.undo_last(session, user)
    say(t("undo.done", id=target.id, action=target.action, summary=target.summary or "", rows=n))
