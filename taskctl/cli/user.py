"""user add | list | disable | remove — PostgreSQL login roles (taskctl.roles)"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, open_ledger, say
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)
NameArg = Annotated[str, typer.Argument(help=t("help.user_name"), show_default=False)]


@app.command("add", help=t("help.user_add"))
def user_add(
    name: NameArg,
    office: Annotated[bool, typer.Option("--office", help=t("help.user_office"))] = False,
    unit: Annotated[Optional[str], typer.Option("--unit", help=t("help.user_unit"),
                                                autocompletion=_complete("unit"))] = None,
    leader: Annotated[Optional[str], typer.Option("--leader", help=t("help.user_leader"),
                                                  autocompletion=_complete("leader"))] = None,
    password_prompt: Annotated[bool, typer.Option("--password-prompt", help=t("help.user_password"))] = False,
) -> None:
    from taskctl.errors import InvalidValue
    from taskctl.roles import t_kind

    if sum((office, unit is not None, leader is not None)) != 1:
        raise InvalidValue("roles.one_kind")
    kind = "office" if office else "unit" if unit is not None else "leader"

    def ask() -> str:
        return typer.prompt(t("help.user_password"), hide_input=True, confirmation_prompt=True)

    added = open_ledger().add_user(name, kind=kind, unit=unit, leader=leader, password=ask if password_prompt else None)
    of = t("roles.of", name=added["of"]) if added["of"] else ""
    say(t("roles.added", name=name, kind=t_kind(kind), of=of))


@app.command("list", help=t("help.user_list"))
def user_list(fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    from taskctl.reports.model import C, Msg, Report
    from taskctl.roles import t_kind

    rows = open_ledger().users()
    for row in rows:
        row["kind_text"] = t_kind(row["kind"])
    columns = [C("name", label="col.user_name"), C("kind", table=False, label="col.user_kind"),
               C("kind_text", label="col.user_kind"), C("unit", label="col.user_unit"),
               C("leader", label="col.user_leader"), C("disabled", "bool", label="col.user_disabled")]
    report = Report(name="users", title=Msg("roles.users_title"), columns=columns, rows=rows, json_array=True,
                    footer=Msg("roles.users_footer", n=len(rows)))
    emit(report, fmt, limit, show_all)


@app.command("disable", help=t("help.user_disable"))
def user_disable(name: NameArg) -> None:
    open_ledger().disable_user(name)
    say(t("roles.disabled", name=name))


@app.command("remove", help=t("help.user_remove"))
def user_remove(name: NameArg) -> None:
    open_ledger().remove_user(name)
    say(t("roles.removed", name=name))
