"""bulletin issue|preview|list|config · notice list|issue|answer|accept|reject · ladder show|set

Each command is one transaction: a bulletin or a slip is recorded and its file
written inside it, so a file that cannot be written records nothing.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, AreaOpt, FormatOpt, LeaderOpt, LimitOpt, OnOpt, StatusOpt, TagOpt, UnitOpt, emit, open_ledger, say,
)
from taskctl.i18n import t

bulletin_app = typer.Typer(no_args_is_help=True)
notice_app = typer.Typer(no_args_is_help=True)
ladder_app = typer.Typer(no_args_is_help=True)


class Trigger(str, Enum):
    before_due = "before_due"
    behind = "behind"
    overdue = "overdue"
    unanswered = "unanswered"


class DocFmt(str, Enum):
    docx = "docx"
    md = "md"


OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help=t("help.doc_output"))]
DocFmtOpt = Annotated[Optional[DocFmt], typer.Option("--format", "-f", help=t("help.doc_format"),
                                                     case_sensitive=False)]
DocAsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help=t("help.doc_as_of"))]
SlipArg = Annotated[int, typer.Argument(help=t("help.slip_id"), show_default=False)]


def register(app: typer.Typer) -> None:
    app.add_typer(bulletin_app, name="bulletin", help=t("help.bulletin"))
    app.add_typer(notice_app, name="notice", help=t("help.notice"))
    app.add_typer(ladder_app, name="ladder", help=t("help.ladder"))


def _stdout(data: bytes) -> None:
    sys.stdout.flush()
    target = getattr(sys.stdout, "buffer", None)
    if target is not None:
        target.write(data)
        target.flush()
    else:  # pragma: no cover - text-only streams
        sys.stdout.write(data.decode("utf-8"))


# ---------------------------------------------------------------- bulletin

def _bulletin(*, record: bool, quarter: str | None, week: str | None, as_of: str | None, number: int | None,
              on: str | None, output: Path | None, fmt: DocFmt | None, template: Path | None,
              require: list[str] | None, office: str | None) -> None:
    from taskctl.documents.markdown import bulletin_markdown

    ledger = open_ledger()
    make = ledger.issue_bulletin if record else ledger.preview_bulletin
    doc = make(quarter=quarter, week=week, as_of=as_of, number=number, on=on, output=output,
               format=fmt.value if fmt else None, template=template, require=require, office=office)
    if output is None:
        _stdout(bulletin_markdown(doc))
        return
    key = "doc.issued" if record else "doc.previewed"
    say(t(key, issue=doc.number_text, file=str(output), as_of=doc.as_of.isoformat(), quarter=doc.quarter,
          units=len(doc.named_units), lagging=len(doc.lagging_ids), overdue=len(doc.overdue_ids)))


QuarterOpt = Annotated[Optional[str], typer.Option("--quarter", "-q", help=t("help.doc_quarter"))]
WeekOpt = Annotated[Optional[str], typer.Option("--week", "-w", help=t("help.doc_week"))]
IssueOpt = Annotated[Optional[int], typer.Option("--issue", "-n", help=t("help.doc_issue"))]
IssueOnOpt = Annotated[Optional[str], typer.Option("--on", help=t("help.doc_on"))]
TemplateOpt = Annotated[Optional[Path], typer.Option("--template", help=t("help.doc_template"))]
RequireOpt = Annotated[Optional[list[str]], typer.Option("--require", help=t("help.doc_require"))]
OfficeOpt = Annotated[Optional[str], typer.Option("--office", help=t("help.doc_office"))]


@bulletin_app.command("issue", help=t("help.bulletin_issue"))
def bulletin_issue(quarter: QuarterOpt = None, week: WeekOpt = None, as_of: DocAsOfOpt = None,
                   number: IssueOpt = None, on: IssueOnOpt = None, output: OutputOpt = None,
                   fmt: DocFmtOpt = None, template: TemplateOpt = None, require: RequireOpt = None,
                   office: OfficeOpt = None) -> None:
    _bulletin(record=True, quarter=quarter, week=week, as_of=as_of, number=number, on=on, output=output, fmt=fmt,
              template=template, require=require, office=office)


@bulletin_app.command("preview", help=t("help.bulletin_preview"))
def bulletin_preview(quarter: QuarterOpt = None, week: WeekOpt = None, as_of: DocAsOfOpt = None,
                     number: IssueOpt = None, on: IssueOnOpt = None, output: OutputOpt = None,
                     fmt: DocFmtOpt = None, template: TemplateOpt = None, require: RequireOpt = None,
                     office: OfficeOpt = None) -> None:
    _bulletin(record=False, quarter=quarter, week=week, as_of=as_of, number=number, on=on, output=output, fmt=fmt,
              template=template, require=require, office=office)


@bulletin_app.command("list", help=t("help.bulletin_list"))
def bulletin_list(as_of: DocAsOfOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None,
                  show_all: AllOpt = False) -> None:
    emit(open_ledger().bulletins(as_of=as_of), fmt, limit, show_all)


@bulletin_app.command("config", help=t("help.bulletin_config"))
def bulletin_config(
    office: OfficeOpt = None,
    name: Annotated[Optional[str], typer.Option("--name", help=t("help.doc_name"))] = None,
    require: RequireOpt = None,
    reset_requirements: Annotated[bool, typer.Option("--reset-requirements", help=t("help.doc_reset"))] = False,
) -> None:
    config = open_ledger().bulletin_config(office=office, name=name, require=require,
                                           reset_requirements=reset_requirements)
    if office is not None or name is not None or require is not None or reset_requirements:
        say(t("doc.config_changed", n=len(config["changes"])) if config["changes"] else t("doc.config_same"))
    say(t("doc.config_office", office=config["office"]))
    say(t("doc.config_name", name=config["name"]))
    say(t("doc.config_requirements", which=t("doc.builtin") if config["builtin"] else t("doc.configured")))
    for i, item in enumerate(config["requirements"], start=1):
        say(f"  {i}. {item}")


# ---------------------------------------------------------------- notices

@notice_app.command("list", help=t("help.notice_list"))
def notice_list(as_of: DocAsOfOpt = None, every: Annotated[bool, typer.Option("--slips", help=t("help.slips"))] = False,
                area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None,
                tag: TagOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None,
                show_all: AllOpt = False) -> None:
    report = open_ledger().notices(as_of=as_of, slips=every, area=area, unit=unit, leader=leader, status=status,
                                   tag=tag)
    emit(report, fmt, limit, show_all)


@notice_app.command("issue", help=t("help.notice_issue"))
def notice_issue(
    ids: Annotated[Optional[list[int]], typer.Argument(help=t("help.notice_ids"), show_default=False)] = None,
    due: Annotated[bool, typer.Option("--due", help=t("help.notice_due"))] = False,
    level: Annotated[Optional[str], typer.Option("--level", help=t("help.notice_level"))] = None,
    on: IssueOnOpt = None, output: OutputOpt = None, fmt: DocFmtOpt = None, office: OfficeOpt = None,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, tag: TagOpt = None,
) -> None:
    from taskctl.documents.markdown import slips_markdown

    done = open_ledger().issue_notices(ids, due=due, level=level, on=on, output=output,
                                       format=fmt.value if fmt else None, office=office, area=area, unit=unit,
                                       leader=leader, tag=tag)
    issued, slips = done["issued"], done["slips"]
    if not issued:
        say(t("notice.nothing_due", on=done["on"].isoformat()))
        return
    labels = [s["number"] for s in slips]
    if len(labels) > 10:  # the summary line stays one line
        labels = labels[:10] + [t("notice.more", n=len(labels) - 10)]
    if output is None:
        _stdout(slips_markdown(slips))
        typer.echo(t("notice.issued", n=len(issued), numbers="、".join(labels), file=t("export.stdout")), err=True)
        return
    say(t("notice.issued", n=len(issued), numbers="、".join(labels), file=str(output)))


@notice_app.command("print", help=t("help.notice_print"))
def notice_print(
    slips: Annotated[list[int], typer.Argument(help=t("help.slip_ids"), show_default=False)],
    output: OutputOpt = None, fmt: DocFmtOpt = None, office: OfficeOpt = None,
) -> None:
    from taskctl.documents.markdown import slips_markdown

    pages = open_ledger().print_notices(slips, output=output, format=fmt.value if fmt else None, office=office)
    if output is None:
        _stdout(slips_markdown(pages))
        return
    say(t("notice.printed", n=len(pages), file=str(output)))


TextOpt = Annotated[str, typer.Option("--text", help=t("help.notice_text"))]


@notice_app.command("answer", help=t("help.notice_answer"))
def notice_answer(slip: SlipArg, text: TextOpt, on: OnOpt = None) -> None:
    done = open_ledger().answer_notice(slip, text=text, on=on)
    say(t("notice.answered", number=done["number"], on=done["on"].isoformat()))


@notice_app.command("accept", help=t("help.notice_accept"))
def notice_accept(slip: SlipArg, on: OnOpt = None) -> None:
    done = open_ledger().accept_notice(slip, on=on)
    say(t("notice.accepted", number=done["number"], on=done["on"].isoformat()))


@notice_app.command("reject", help=t("help.notice_reject"))
def notice_reject(slip: SlipArg, reason: Annotated[str, typer.Option("--reason", help=t("help.notice_reason"))],
                  on: OnOpt = None) -> None:
    done = open_ledger().reject_notice(slip, reason=reason, on=on)
    say(t("notice.rejected", number=done["number"], on=done["on"].isoformat()))


# ---------------------------------------------------------------- ladder

@ladder_app.command("show", help=t("help.ladder_show"))
def ladder_show(fmt: FormatOpt = "table") -> None:
    report = open_ledger().ladder()
    emit(report, fmt, None, True)


@ladder_app.command("set", help=t("help.ladder_set"))
def ladder_set(
    key: Annotated[Optional[str], typer.Argument(help=t("help.ladder_key"), show_default=False)] = None,
    name: Annotated[Optional[str], typer.Option("--name", help=t("help.ladder_name"))] = None,
    title: Annotated[Optional[str], typer.Option("--title", help=t("help.ladder_title"))] = None,
    colour: Annotated[Optional[str], typer.Option("--colour", "--color", help=t("help.ladder_colour"))] = None,
    trigger: Annotated[Optional[Trigger], typer.Option("--trigger", help=t("help.ladder_trigger"))] = None,
    days: Annotated[Optional[int], typer.Option("--days", help=t("help.ladder_days"))] = None,
    after: Annotated[Optional[str], typer.Option("--after", help=t("help.ladder_after"))] = None,
    reply_days: Annotated[Optional[int], typer.Option("--reply-days", help=t("help.ladder_reply_days"))] = None,
    text: Annotated[Optional[str], typer.Option("--text", help=t("help.ladder_text"))] = None,
    position: Annotated[Optional[int], typer.Option("--position", min=1, help=t("help.ladder_position"))] = None,
    remove: Annotated[bool, typer.Option("--remove", help=t("help.ladder_remove"))] = False,
    file: Annotated[Optional[Path], typer.Option("--file", help=t("help.ladder_file"))] = None,
    reset: Annotated[bool, typer.Option("--reset", help=t("help.ladder_reset"))] = False,
) -> None:
    new = open_ledger().set_ladder(key, file=file, reset=reset, name=name, title=title, colour=colour,
                                   trigger=trigger.value if trigger else None, days=days, after=after,
                                   reply_days=reply_days, text=text, position=position, remove=remove)
    say(t("notice.ladder_set", levels=" → ".join(f"{lv.name}（{lv.colour}）" for lv in new)))
