"""area list | show | add"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, ledger, print_json, say, today
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)


@app.command("list", help=t("help.area_list"))
def area_list(fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    from taskctl.reports.lists import area_list as build

    with ledger() as session:
        report = build(session)
    emit(report, fmt, limit, show_all)


@app.command("show", help=t("help.area_show"))
def area_show(
    area: Annotated[str, typer.Argument(help=t("help.area_ref"), autocompletion=_complete("area"), show_default=False)],
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
    show_all: AllOpt = False,
) -> None:
    from taskctl.ledger import find_area
    from taskctl.snapshot import Filters
    from taskctl.reports.lists import task_list

    with ledger() as session:
        found = find_area(session, area)
        info = {"number": found.number, "key": found.key, "name": found.name_zh, "name_en": found.name_en,
                "description": found.description}
        report = task_list(session, today(), Filters(area_id=found.id))
    if fmt == "json":
        print_json(dict(info, tasks=report.rows))
        return
    if fmt == "table":
        say(f"{found.number}. {found.name_zh} / {found.name_en} ({found.key})")
        if found.description:
            say(found.description)
        say("")
    emit(report, fmt, limit, show_all)


@app.command("add", help=t("help.area_add"))
def area_add(
    key: Annotated[str, typer.Argument(help=t("help.area_key"), show_default=False)],
    name: Annotated[str, typer.Option("--name", help=t("help.area_name"), show_default=False)],
    name_en: Annotated[Optional[str], typer.Option("--name-en", help=t("help.area_name_en"))] = None,
    description: Annotated[Optional[str], typer.Option("--description", help=t("help.description"))] = None,
) -> None:
    from taskctl.ledger import add_area

    with ledger() as session:
        area = add_area(session, key=key, name_zh=name, name_en=name_en, description=description)
        say(t("area.added", number=area.number, key=area.key, name=area.name_zh))
