"""unit add | list | show | edit | rename | delete | merge | reassign"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from taskctl.cli.common import AllOpt, FormatOpt, LimitOpt, _complete, emit, fields_text, open_ledger, print_json, say
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
    unit = open_ledger().add_unit(name, kind=kind, aliases=alias or [], contact=contact, phone=phone, report=report)
    say(t("unit.added", name=unit["name"], kind=t("kind." + unit["kind"])))


@app.command("list", help=t("help.unit_list"))
def unit_list(kind: KindOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    report = open_ledger().units(kind)
    emit(report, fmt, limit, show_all)


@app.command("show", help=t("help.unit_show"))
def unit_show(name: UnitArg, fmt: FormatOpt = "table", limit: LimitOpt = None, show_all: AllOpt = False) -> None:
    info, report = open_ledger().unit(name)
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
    done = open_ledger().edit_unit(name, kind=kind, contact=contact, phone=phone, add_aliases=add_alias or [],
                                   remove_aliases=remove_alias or [], report=report)
    say(t("unit.edited", name=done["name"], fields=fields_text(done["changes"])) if done["changes"]
        else t("common.unchanged"))


@app.command("rename", help=t("help.unit_rename"))
def unit_rename(name: UnitArg,
                new_name: Annotated[str, typer.Argument(help=t("help.new_name"), show_default=False)]) -> None:
    done = open_ledger().rename_unit(name, new_name)
    say(t("unit.renamed", old=done["old"], new=done["new"]))



OpenOnlyOpt = Annotated[bool, typer.Option("--open", help=t("help.reassign_open"))]


@app.command("delete", help=t("help.unit_delete"))
def unit_delete(name: UnitArg) -> None:
    gone = open_ledger().delete_unit(name)
    say(t("unit.deleted", name=gone))


@app.command("merge", help=t("help.unit_merge"))
def unit_merge(
    name: UnitArg,
    into: Annotated[str, typer.Option("--into", help=t("help.merge_into"), autocompletion=_complete("unit"),
                                      show_default=False)],
) -> None:
    moved = open_ledger().merge_units(name, into=into)
    say(t("unit.merged", gone=moved["gone"], kept=moved["kept"], lead=len(moved["lead"]), co=len(moved["co"])))


@app.command("reassign", help=t("help.unit_reassign"))
def unit_reassign(
    name: UnitArg,
    to: Annotated[str, typer.Argument(help=t("help.reassign_to_unit"), autocompletion=_complete("unit"),
                                      show_default=False)],
    open_only: OpenOnlyOpt = False,
) -> None:
    moved = open_ledger().reassign_units(name, to, open_only=open_only)
    say(t("unit.reassigned", src=moved["src"], dst=moved["dst"], lead=len(moved["lead"]), co=len(moved["co"])))
