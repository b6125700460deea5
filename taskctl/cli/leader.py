"""leader add | list | edit | delete | merge | reassign"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, fields_text, open_ledger, say
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)
LeaderArg = Annotated[str, typer.Argument(help=t("help.leader_name"), autocompletion=_complete("leader"),
                                          show_default=False)]
TitleOpt = Annotated[Optional[str], typer.Option("--title", help=t("help.leader_title"))]


@app.command("add", help=t("help.leader_add"))
def leader_add(name: LeaderArg, title: TitleOpt = None) -> None:
    leader = open_ledger().add_leader(name, title=title)
    say(t("leader.added", name=leader["name"]))


@app.command("list", help=t("help.leader_list"))
def leader_list(fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    report = open_ledger().leaders()
    emit(report, fmt, limit, show_all)


@app.command("edit", help=t("help.leader_edit"))
def leader_edit(name: LeaderArg, title: TitleOpt = None,
                new_name: Annotated[Optional[str], typer.Option("--name", help=t("help.new_name"))] = None) -> None:
    done = open_ledger().edit_leader(name, new_name=new_name, title=title)
    say(t("leader.edited", name=done["name"], fields=fields_text(done["changes"])) if done["changes"]
        else t("common.unchanged"))


@app.command("delete", help=t("help.leader_delete"))
def leader_delete(name: LeaderArg) -> None:
    gone = open_ledger().delete_leader(name)
    say(t("leader.deleted", name=gone))


@app.command("merge", help=t("help.leader_merge"))
def leader_merge(
    name: LeaderArg,
    into: Annotated[str, typer.Option("--into", help=t("help.merge_into"), autocompletion=_complete("leader"),
                                      show_default=False)],
) -> None:
    moved = open_ledger().merge_leaders(name, into=into)
    say(t("leader.merged", gone=moved["gone"], kept=moved["kept"], tasks=len(moved["tasks"]),
          instructions=len(moved["instructions"])))


@app.command("reassign", help=t("help.leader_reassign"))
def leader_reassign(
    name: LeaderArg,
    to: Annotated[str, typer.Argument(help=t("help.reassign_to_leader"), autocompletion=_complete("leader"),
                                      show_default=False)],
    open_only: Annotated[bool, typer.Option("--open", help=t("help.reassign_open"))] = False,
) -> None:
    moved = open_ledger().reassign_leaders(name, to, open_only=open_only)
    say(t("leader.reassigned", src=moved["src"], dst=moved["dst"], tasks=len(moved["tasks"])))
