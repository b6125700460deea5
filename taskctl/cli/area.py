"""area list | show | add"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, open_ledger, print_json, say
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)


@app.command("list", help=t("help.area_list"))
def area_list(fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    report = open_ledger().areas()
    emit(report, fmt, limit, show_all)


@app.command("show", help=t("help.area_show"))
def area_show(
    area: Annotated[str, typer.Argument(help=t("help.area_ref"), autocompletion=_complete("area"), show_default=False)],
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
    show_all: AllOpt = False,
) -> None:
    info, report = open_ledger().area(area)
    if fmt == "json":
        print_json(dict(info, tasks=report.rows))
        return
    if fmt == "table":
        say(f"{info['number']}. {info['name']} / {info['name_en']} ({info['key']})")
        if info["description"]:
            say(info["description"])
        say("")
    emit(report, fmt, limit, show_all)


@app.command("add", help=t("help.area_add"))
def area_add(
    key: Annotated[str, typer.Argument(help=t("help.area_key"), show_default=False)],
    name: Annotated[str, typer.Option("--name", help=t("help.area_name"), show_default=False)],
    name_en: Annotated[Optional[str], typer.Option("--name-en", help=t("help.area_name_en"))] = None,
    description: Annotated[Optional[str], typer.Option("--description", help=t("help.description"))] = None,
) -> None:
    area = open_ledger().add_area(key, name=name, name_en=name_en, description=description)
    say(t("area.added", number=area["number"], key=area["key"], name=area["name"]))
