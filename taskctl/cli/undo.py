"""undo: revert your last change (one command = one change), or list what can be reverted."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from taskctl.cli.common import FormatOpt, emit, open_ledger, say
from taskctl.i18n import t


def register(app: typer.Typer) -> None:
    app.command("undo", help=t("help.undo"))(undo)


def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("help.undo_yes"))] = False,
    show: Annotated[bool, typer.Option("--list", help=t("help.undo_list"))] = False,
    fmt: FormatOpt = "table",
) -> None:
    if show:
        emit(open_ledger().undoable(), fmt)
        return

    def ask(change: dict) -> None:
        from taskctl.errors import InvalidValue

        if not sys.stdin.isatty():
            raise InvalidValue("undo.needs_yes", id=change["id"], action=change["action"])
        typer.confirm(t("undo.confirm", **change), abort=True)

    done = open_ledger().undo(confirm=None if yes else ask)
    say(t("undo.done", **done))
