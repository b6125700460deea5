"""leader add | list | edit | delete | merge | reassign"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, ledger, say
from taskctl.cli.common import fields_text
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)
LeaderArg = Annotated[str, typer.Argument(help=t("help.leader_name"), autocompletion=_complete("leader"),
                                          show_default=False)]
TitleOpt = Annotated[Optional[str], typer.Option("--title", help=t("help.leader_title"))]


@app.command("add", help=t("help.leader_add"))
def leader_add(name: LeaderArg, title: TitleOpt = None) -> None:
    from taskctl.ledger import add_leader

    with ledger() as session:
        leader = add_leader(session, name=name, title=title)
        say(t("leader.added", name=leader.name))


@app.command("list", help=t("help.leader_list"))
def leader_list(fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    from taskctl.reports.lists import leader_list as build

    with ledger() as session:
        report = build(session)
    emit(report, fmt, limit, show_all)


@app.command("edit", help=t("help.leader_edit"))
def leader_edit(name: LeaderArg, title: TitleOpt = None,
                new_name: Annotated[Optional[str], typer.Option("--name", help=t("help.new_name"))] = None) -> None:
    from taskctl.ledger import edit_leader, find_leader

    with ledger() as session:
        leader = find_leader(session, name)
        changes = edit_leader(session, leader, name=new_name, title=title)
        say(t("leader.edited", name=leader.name, fields=fields_text(changes)) if changes else t("common.unchanged"))


@app.command("delete", help=t("help.leader_delete"))
def leader_delete(name: LeaderArg) -> None:
    from taskctl.ledger import delete_leader, find_leader

    with ledger() as session:
        leader = find_leader(session, name)
        gone = leader.name
        delete_leader(session, leader)
    say(t("leader.deleted", name=gone))


@app.command("merge", help=t("help.leader_merge"))
def leader_merge(
    name: LeaderArg,
    into: Annotated[str, typer.Option("--into", help=t("help.merge_into"), autocompletion=_complete("leader"),
                                      show_default=False)],
) -> None:
    from taskctl.ledger import find_leader, merge_leaders

    with ledger() as session:
        gone, kept = find_leader(session, name), find_leader(session, into)
        gone_name = gone.name
        moved = merge_leaders(session, gone, kept)
        say(t("leader.merged", gone=gone_name, kept=kept.name, tasks=len(moved["tasks"]),
              instructions=len(moved["instructions"])))


@app.command("reassign", help=t("help.leader_reassign"))
def leader_reassign(
    name: LeaderArg,
    to: Annotated[str, typer.Argument(help=t("help.reassign_to_leader"), autocompletion=_complete("leader"),
                                      show_default=False)],
    open_only: Annotated[bool, typer.Option("--open", help=t("help.reassign_open"))] = False,
) -> None:
    from taskctl.ledger import find_leader, reassign_leaders

    with ledger() as session:
        src, dst = find_leader(session, name), find_leader(session, to)
        moved = reassign_leaders(session, src, dst, open_only=open_only)
        say(t("leader.reassigned", src=src.name, dst=dst.name, tasks=len(moved)))
