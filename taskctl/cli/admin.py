"""init, log and db: creating, inspecting and upgrading the ledger."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, emit, environment, open_ledger, print_json, say
from taskctl.i18n import t

db_app = typer.Typer(help=t("help.db_group"), no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init", help=t("help.init"))(init)
    app.command("log", help=t("help.log"))(log)
    app.add_typer(db_app, name="db", help=t("help.db_group"))


def init(
    year: Annotated[Optional[int], typer.Option("--year", min=1990, max=2100, help=t("help.year"))] = None,
    demo: Annotated[bool, typer.Option("--demo", help=t("help.demo"))] = False,
) -> None:
    from taskctl.api import Ledger

    made = Ledger.create(environment().db, year=year, demo=demo)
    if not made["created"]:
        say(t("init.exists", db=made["where"]))
        return
    say(t("init.created", db=made["where"], year=made["year"]))
    if made["counts"]:
        say(t("init.demo_loaded", **made["counts"]))


def log(
    task_id: Annotated[Optional[int], typer.Argument(help=t("help.log_task"), show_default=False)] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
    show_all: AllOpt = False,
) -> None:
    emit(open_ledger().log(task_id), fmt, limit, show_all)


@db_app.command("info", help=t("help.db_info"))
def db_info(fmt: FormatOpt = "table") -> None:
    info = open_ledger().info()
    if fmt == "json":
        print_json(info)
        return
    for key, value in info.items():
        say(f"{t('info.' + key)}: {value}")


@db_app.command("check", help=t("help.db_check"))
def db_check(
    repair: Annotated[bool, typer.Option("--repair", help=t("help.db_repair"))] = False,
) -> None:
    from taskctl.errors import TaskctlError

    ledger = open_ledger()
    if repair:
        fixed = ledger.repair_facts()
        if fixed:
            say(t("check.repaired", n=fixed))
    problems = ledger.check()
    if problems:
        for p in problems:
            typer.echo(p, err=True)
        raise TaskctlError("check.failed", n=len(problems))
    say(t("check.ok"))


@db_app.command("backup", help=t("help.db_backup"))
def db_backup(file: Annotated[str, typer.Argument(help=t("help.backup_file"), show_default=False)]) -> None:
    """A consistent copy through SQLite's online backup API, created 0600 from its first byte."""
    open_ledger().backup(file)
    say(t("backup.done", file=file))


@db_app.command("upgrade", help=t("help.db_upgrade"))
def db_upgrade() -> None:
    from taskctl.api import Ledger

    done = Ledger.upgrade(environment().db)
    if done["before"] == done["after"]:
        say(t("upgrade.current", rev=done["after"]))
    else:
        say(t("upgrade.done", before=done["before"], after=done["after"]))
