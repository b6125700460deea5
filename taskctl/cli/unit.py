"""unit add | list | show | edit | rename | delete | merge | reassign"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, ledger, print_json, say, today
from taskctl.cli.common import fields_text
from taskctl.i18n import t

app = typer.Typer(no_args_is_help=True)
UnitArg = Annotated[str, typer.Argument(help=t("help.unit_name"), autocompletion=_complete("unit"), show_default=False)]
KindOpt = Annotated[Optional[str], typer.Option("--kind", "-k", help=t("help.unit_kind"))]
AliasOpt = Annotated[Optional[list[str]], typer.Option("--alias", help=t("help.alias"))]
ContactOpt = Annotated[Optional[str], typer.Option("--contact", help=t("help.contact"))]
PhoneOpt = Annotated[Optional[str], typer.Option("--phone", help=t("help.phone"))]
ReportOpt = Annotated[Optional[str], typer.Option("--report", help=t("help.unit_report_duty"))]


@app.command("add", help=t("help.unit_add"))
def unit_add(name: UnitArg, kind: Annotated[str, typer.Option("--kind", "-k", help=t("help.unit_kind"), show_default=False)],
             alias: AliasOpt = None, contact: ContactOpt = None, phone: PhoneOpt = None,
             report: ReportOpt = None) -> None:
    from taskctl.duties import parse_duty
    from taskctl.ledger import add_unit

    with ledger() as session:
        unit = add_unit(session, name=name, kind=kind, aliases=alias or [], contact_person=contact, contact_phone=phone,
                        report_rule=parse_duty(report))
        say(t("unit.added", name=unit.name, kind=t("kind." + unit.kind)))


@app.command("list", help=t("help.unit_list"))
def unit_list(kind: KindOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    from taskctl.ledger import unit_kind
    from taskctl.reports.lists import unit_list as build

    with ledger() as session:
        report = build(session, unit_kind(kind) if kind else None)
    emit(report, fmt, limit, show_all)


@app.command("show", help=t("help.unit_show"))
def unit_show(name: UnitArg, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    from taskctl.duties import describe
    from taskctl.ledger import find_unit
    from taskctl.snapshot import Filters
    from taskctl.reports.lists import task_list, unit_list

    with ledger() as session:
        unit = find_unit(session, name)
        info = next(r for r in unit_list(session).rows if r["id"] == unit.id)
        report = task_list(session, today(), Filters(unit_id=unit.id))
        info["report_duty"] = describe(unit.report_rule)  # the default duty of its tasks
    if fmt == "json":
        print_json(dict(info, tasks=report.rows))
        return
    if fmt == "table":
        say(f"{info['name']} · {info['kind_name']}" + (f" · {t('col.aliases')}: {'、'.join(info['aliases'])}" if info["aliases"] else ""))
        contact = " ".join(x for x in (info["contact_person"], info["contact_phone"]) if x)
        if contact:
            say(f"{t('col.contact_person')}: {contact}")
        if info["report_duty"]:
            say(f"{t('col.report_duty')}: {info['report_duty']}")
        say("")
    emit(report, fmt, limit, show_all)


@app.command("edit", help=t("help.unit_edit"))
def unit_edit(
    name: UnitArg, kind: KindOpt = None, contact: ContactOpt = None, phone: PhoneOpt = None,
    add_alias: Annotated[Optional[list[str]], typer.Option("--add-alias", help=t("help.add_alias"))] = None,
    remove_alias: Annotated[Optional[list[str]], typer.Option("--remove-alias", help=t("help.remove_alias"))] = None,
    report: ReportOpt = None,
) -> None:
    from taskctl.duties import parse_duty
    from taskctl.ledger import edit_unit, find_unit

    with ledger() as session:
        unit = find_unit(session, name)
        changes = edit_unit(session, unit, kind=kind, contact_person=contact, contact_phone=phone,
                            add_aliases=add_alias or [], remove_aliases=remove_alias or [],
                            report_rule=(parse_duty(report) or "") if report is not None else None)
        say(t("unit.edited", name=unit.name, fields=fields_text(changes)) if changes else t("common.unchanged"))


@app.command("rename", help=t("help.unit_rename"))
def unit_rename(name: UnitArg,
                new_name: Annotated[str, typer.Argument(help=t("help.new_name"), show_default=False)]) -> None:
    from taskctl.ledger import find_unit, rename_unit

    with ledger() as session:
        unit = find_unit(session, name)
        old = unit.name
        rename_unit(session, unit, new_name)
        say(t("unit.renamed", old=old, new=unit.name))



OpenOnlyOpt = Annotated[bool, typer.Option("--open", help=t("help.reassign_open"))]


@app.command("delete", help=t("help.unit_delete"))
def unit_delete(name: UnitArg) -> None:
    from taskctl.ledger import delete_unit, find_unit

    with ledger() as session:
        unit = find_unit(session, name)
        gone = unit.name
        delete_unit(session, unit)
    say(t("unit.deleted", name=gone))


@app.command("merge", help=t("help.unit_merge"))
def unit_merge(
    name: UnitArg,
    into: Annotated[str, typer.Option("--into", help=t("help.merge_into"), autocompletion=_complete("unit"),
                                      show_default=False)],
) -> None:
    from taskctl.ledger import find_unit, merge_units

    with ledger() as session:
        gone, kept = find_unit(session, name), find_unit(session, into)
        gone_name = gone.name
        moved = merge_units(session, gone, kept)
        say(t("unit.merged", gone=gone_name, kept=kept.name, lead=len(moved["lead"]), co=len(moved["co"])))


@app.command("reassign", help=t("help.unit_reassign"))
def unit_reassign(
    name: UnitArg,
    to: Annotated[str, typer.Argument(help=t("help.reassign_to_unit"), autocompletion=_complete("unit"),
                                      show_default=False)],
    open_only: OpenOnlyOpt = False,
) -> None:
    from taskctl.ledger import find_unit, reassign_units

    with ledger() as session:
        src, dst = find_unit(session, name), find_unit(session, to)
        moved = reassign_units(session, src, dst, open_only=open_only)
        say(t("unit.reassigned", src=src.name, dst=dst.name, lead=len(moved["lead"]), co=len(moved["co"])))
