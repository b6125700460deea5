"""bulletin issue|preview|list|config · notice list|issue|answer|accept|reject · ladder show|set

Each command is one transaction: a bulletin or a slip is recorded and its file
written inside it, so a file that cannot be written records nothing.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from taskctl.cli.common import (
    AllOpt, AreaOpt, FormatOpt, LeaderOpt, LimitOpt, OnOpt, StatusOpt, TagOpt, UnitOpt, day, emit, filters, ledger,
    say, today,
)
from taskctl.i18n import t

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session

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


def _doc_format(given: DocFmt | None, output: Path | None) -> str:
    from taskctl.errors import InvalidValue

    if given is not None:
        kind = given.value
    elif output is not None and output.suffix.lower() in (".md", ".markdown"):
        kind = "md"
    elif output is not None and output.suffix.lower() == ".docx":
        kind = "docx"
    elif output is not None:
        raise InvalidValue("doc.unknown_suffix", file=str(output))
    else:
        kind = "md"
    if kind == "docx" and output is None:
        raise InvalidValue("doc.docx_needs_file")
    return kind


def _stdout(data: bytes) -> None:
    sys.stdout.flush()
    target = getattr(sys.stdout, "buffer", None)
    if target is not None:
        target.write(data)
        target.flush()
    else:  # pragma: no cover - text-only streams
        sys.stdout.write(data.decode("utf-8"))


# ---------------------------------------------------------------- bulletin

def _bulletin_date(session: "Session", quarter: str | None, week: str | None, as_of: str | None,
                   on: "dt.date") -> "tuple[dt.date, str | None, str | None]":
    """(as-of date, scope label, period words) from --quarter | --week | --as-of (default: the issue date)."""
    from taskctl.dates import parse_quarter, quarter_bounds
    from taskctl.documents.bulletin import quarter_words
    from taskctl.errors import InvalidValue

    given = [name for name, value in (("--quarter", quarter), ("--week", week), ("--as-of", as_of)) if value]
    if len(given) > 1:
        raise InvalidValue("doc.one_of", given=" ".join(given))
    if quarter:
        year, q = parse_quarter(quarter, today=on)
        first, last = quarter_bounds(year, q)
        if first > on:
            raise InvalidValue("doc.quarter_not_begun", quarter=f"{year}Q{q}", on=on.isoformat())
        return min(last, on), f"{year}Q{q}", quarter_words(year, q)
    if week:
        from taskctl.transfer.weekly import week_dates

        label, monday, _, when = week_dates(week, today=on)
        iso = monday.isocalendar()
        return when, label, t("doc.week_words", year=iso.year, week=iso.week)
    when = day(session, as_of) if as_of else on
    if when > on:
        raise InvalidValue("doc.as_of_after_issue", as_of=when.isoformat(), on=on.isoformat())
    return when, None, None


def _bulletin(*, record: bool, quarter: str | None, week: str | None, as_of: str | None, number: int | None,
              on: str | None, output: Path | None, fmt: DocFmt | None, template: Path | None,
              require: list[str] | None, office: str | None) -> None:
    from taskctl.documents import bulletin as B
    from taskctl.documents.markdown import bulletin_markdown
    from taskctl.errors import InvalidValue

    kind = _doc_format(fmt, output)
    if template is not None:
        if kind != "docx":
            raise InvalidValue("doc.template_docx_only")
        if not template.is_file():
            raise InvalidValue("doc.template_missing", file=str(template))
    with ledger() as session:
        from taskctl.roles import require_office

        require_office(session, "bulletin")
        issued_on = day(session, on)
        if issued_on > today():
            raise InvalidValue("doc.future", on=issued_on.isoformat(), today=today().isoformat())
        when, scope, period = _bulletin_date(session, quarter, week, as_of, issued_on)
        if number is not None and record:
            B.check_number(session, issued_on.year, number)
        n = number if number is not None else B.next_number(session, issued_on.year)
        doc = B.build(session, as_of=when, issued_on=issued_on, number=n, scope=scope, period=period,
                      requirements_=require, office_=office)
        if record:
            B.record_issue(session, doc, str(output) if output else None)
        if output is not None:
            _write_doc(kind, output, doc, template)
    if output is None:
        _stdout(bulletin_markdown(doc))
        return
    key = "doc.issued" if record else "doc.previewed"
    say(t(key, issue=doc.number_text, file=str(output), as_of=doc.as_of.isoformat(), quarter=doc.quarter,
          units=len(doc.named_units), lagging=len(doc.lagging_ids), overdue=len(doc.overdue_ids)))


def _write_doc(kind: str, output: Path, doc, template: Path | None) -> None:
    from taskctl.documents.docx import save_to, write_bulletin
    from taskctl.documents.markdown import bulletin_markdown

    if kind == "docx":
        save_to(output, lambda path: write_bulletin(doc, path, template))
    else:
        data = bulletin_markdown(doc)
        save_to(output, lambda path: path.write_bytes(data))


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
    from taskctl.documents.bulletin import bulletin_rows
    from taskctl.reports.model import C, Msg, Report

    with ledger() as session:
        when = day(session, as_of)
        rows = [{"id": b.id, "year": b.year, "number": b.number, "issue": t("doc.issue_number", year=b.year,
                                                                             number=b.number),
                 "issued_on": b.issued_on, "as_of": b.as_of, "quarter": b.quarter, "scope": b.scope,
                 "title": b.title, "file": b.file, "recorded_by": b.recorded_by}
                for b in bulletin_rows(session, when)]
    columns = [C("id", "int", table=False, label="doc.col.id"), C("year", "int", table=False, label="doc.col.year"),
               C("number", "int", table=False, label="doc.col.number"), C("issue", label="doc.col.issue"),
               C("issued_on", "date", label="doc.col.issued_on"), C("as_of", "date", label="doc.col.as_of"),
               C("quarter", label="doc.col.quarter"), C("scope", table=False, label="doc.col.scope"),
               C("title", label="doc.col.title"), C("file", label="doc.col.file", drop=1),
               C("recorded_by", table=False, label="doc.col.recorded_by")]
    emit(Report(name="bulletins", title=Msg("doc.list_title", as_of=when.isoformat()), columns=columns, rows=rows,
                as_of=when, footer=Msg("doc.list_footer", n=len(rows)) if rows else Msg("doc.list_none")),
         fmt, limit, show_all)


@bulletin_app.command("config", help=t("help.bulletin_config"))
def bulletin_config(
    office: OfficeOpt = None,
    name: Annotated[Optional[str], typer.Option("--name", help=t("help.doc_name"))] = None,
    require: RequireOpt = None,
    reset_requirements: Annotated[bool, typer.Option("--reset-requirements", help=t("help.doc_reset"))] = False,
) -> None:
    from taskctl.documents import bulletin as B

    with ledger() as session:
        changes = B.configure(session, office_=office, name=name, require=require,
                              reset_requirements=reset_requirements)
        shown_office, shown_name = B.office(session), B.bulletin_name(session)
        items, builtin = B.requirements(session)
    if office is not None or name is not None or require is not None or reset_requirements:
        say(t("doc.config_changed", n=len(changes)) if changes else t("doc.config_same"))
    say(t("doc.config_office", office=shown_office))
    say(t("doc.config_name", name=shown_name))
    say(t("doc.config_requirements", which=t("doc.builtin") if builtin else t("doc.configured")))
    for i, item in enumerate(items, start=1):
        say(f"  {i}. {item}")


# ---------------------------------------------------------------- notices

@notice_app.command("list", help=t("help.notice_list"))
def notice_list(as_of: DocAsOfOpt = None, every: Annotated[bool, typer.Option("--slips", help=t("help.slips"))] = False,
                area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, status: StatusOpt = None,
                tag: TagOpt = None, fmt: FormatOpt = "table", limit: LimitOpt = None,
                show_all: AllOpt = False) -> None:
    from taskctl.documents.notices import notice_report

    with ledger() as session:
        f = filters(session, area=area, unit=unit, leader=leader, status=status, tag=tag)
        report = notice_report(session, as_of=day(session, as_of), filters=f, every_slip=every)
    emit(report, fmt, limit, show_all)


@notice_app.command("issue", help=t("help.notice_issue"))
def notice_issue(
    ids: Annotated[Optional[list[int]], typer.Argument(help=t("help.notice_ids"), show_default=False)] = None,
    due: Annotated[bool, typer.Option("--due", help=t("help.notice_due"))] = False,
    level: Annotated[Optional[str], typer.Option("--level", help=t("help.notice_level"))] = None,
    on: IssueOnOpt = None, output: OutputOpt = None, fmt: DocFmtOpt = None, office: OfficeOpt = None,
    area: AreaOpt = None, unit: UnitOpt = None, leader: LeaderOpt = None, tag: TagOpt = None,
) -> None:
    from taskctl.documents import notices as N
    from taskctl.documents.bulletin import office as office_of
    from taskctl.documents.docx import save_to, write_slips
    from taskctl.documents.markdown import slips_markdown
    from taskctl.errors import InvalidValue

    if bool(ids) == due:
        raise InvalidValue("notice.ids_or_due")
    kind = _doc_format(fmt, output)
    with ledger() as session:
        when = day(session, on)
        f = filters(session, area=area, unit=unit, leader=leader, tag=tag) if due else None
        issued = N.issue(session, on=when, today=today(), task_ids=list(ids) if ids else None, level_key=level,
                         filters=f)
        slips = N.slip_documents(session, issued, office or office_of(session))
        labels = [s["number"] for s in slips]
        if len(labels) > 10:  # the summary line stays one line
            labels = labels[:10] + [t("notice.more", n=len(labels) - 10)]
        if issued and output is not None:
            if kind == "docx":
                save_to(output, lambda path: write_slips(slips, path))
            else:
                data = slips_markdown(slips)
                save_to(output, lambda path: path.write_bytes(data))
    if not issued:
        say(t("notice.nothing_due", on=when.isoformat()))
        return
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
    from taskctl.documents import notices as N
    from taskctl.documents.bulletin import office as office_of
    from taskctl.documents.docx import save_to, write_slips
    from taskctl.documents.markdown import slips_markdown

    kind = _doc_format(fmt, output)
    with ledger() as session:
        found = [N.get_slip(session, i) for i in dict.fromkeys(slips)]
        pages = N.slip_documents(session, found, office or office_of(session))
    if output is None:
        _stdout(slips_markdown(pages))
        return
    if kind == "docx":
        save_to(output, lambda path: write_slips(pages, path))
    else:
        data = slips_markdown(pages)
        save_to(output, lambda path: path.write_bytes(data))
    say(t("notice.printed", n=len(pages), file=str(output)))


TextOpt = Annotated[str, typer.Option("--text", help=t("help.notice_text"))]


@notice_app.command("answer", help=t("help.notice_answer"))
def notice_answer(slip: SlipArg, text: TextOpt, on: OnOpt = None) -> None:
    from taskctl.documents import notices as N

    with ledger() as session:
        when = day(session, on)
        _, label = N.answer(session, slip, on=when, today=today(), text=text)
    say(t("notice.answered", number=label, on=when.isoformat()))


@notice_app.command("accept", help=t("help.notice_accept"))
def notice_accept(slip: SlipArg, on: OnOpt = None) -> None:
    from taskctl.documents import notices as N

    with ledger() as session:
        when = day(session, on)
        _, label = N.accept(session, slip, on=when, today=today())
    say(t("notice.accepted", number=label, on=when.isoformat()))


@notice_app.command("reject", help=t("help.notice_reject"))
def notice_reject(slip: SlipArg, reason: Annotated[str, typer.Option("--reason", help=t("help.notice_reason"))],
                  on: OnOpt = None) -> None:
    from taskctl.documents import notices as N

    with ledger() as session:
        when = day(session, on)
        _, label = N.reject(session, slip, on=when, today=today(), reason=reason)
    say(t("notice.rejected", number=label, on=when.isoformat()))


# ---------------------------------------------------------------- ladder

@ladder_app.command("show", help=t("help.ladder_show"))
def ladder_show(fmt: FormatOpt = "table") -> None:
    from taskctl.documents.notices import ladder_report

    with ledger() as session:
        report = ladder_report(session)
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
    import json

    from taskctl.documents import notices as N
    from taskctl.errors import InvalidValue

    ways = sum(bool(x) for x in (key, file, reset))
    if ways != 1:
        raise InvalidValue("notice.set_how")
    with ledger() as session:
        current, _ = N.ladder(session)
        if reset:
            new = N.reset_ladder(session)
        elif file is not None:
            try:
                data = json.loads(file.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError) as exc:
                raise InvalidValue("notice.ladder_unreadable", file=str(file), reason=str(exc).splitlines()[0]) \
                    from None
            new = N.set_ladder(session, N.levels_from_json(data))
        else:
            levels = N.edit_level(current, key, name=name, title=title, colour=colour,
                                  trigger=trigger.value if trigger else None, days=days,
                                  after=after, reply_days=reply_days, text=text, position=position, remove=remove)
            new = N.set_ladder(session, levels)
    say(t("notice.ladder_set", levels=" → ".join(f"{lv.name}（{lv.colour}）" for lv in new)))
