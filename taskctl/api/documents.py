"""The office's documents: the bulletin (督查通报), notice slips (督办单) and their ladder.

A bulletin or a slip is recorded and its file written inside one transaction, so a file that cannot be
written records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taskctl.api.resolve import DateLike, resolve_day, resolve_filters
from taskctl.errors import InvalidValue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from taskctl.reports.model import Report


def doc_format(given: str | None, output: Path | None) -> str:
    """"docx" or "md": as given, else from the output file's suffix, else Markdown (docx needs a file)."""
    if given is not None:
        kind = given
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


class Documents:
    # ---------------------------------------------------------------- bulletin

    def issue_bulletin(self, *, quarter: str | None = None, week: str | None = None, as_of: DateLike = None,
                       number: int | None = None, on: DateLike = None, output: Path | None = None,
                       format: str | None = None, template: Path | None = None,
                       require: Sequence[str] | None = None, office: str | None = None):
        """Issue (record) the bulletin as of a quarter, a week or a date; written to ``output`` when given
        (docx or md, by ``format`` or the suffix).  Returns the bulletin document."""
        return self._bulletin(record=True, quarter=quarter, week=week, as_of=as_of, number=number, on=on,
                              output=output, format=format, template=template, require=require, office=office)

    def preview_bulletin(self, *, quarter: str | None = None, week: str | None = None, as_of: DateLike = None,
                         number: int | None = None, on: DateLike = None, output: Path | None = None,
                         format: str | None = None, template: Path | None = None,
                         require: Sequence[str] | None = None, office: str | None = None):
        """The bulletin `issue_bulletin` would issue, recorded nowhere."""
        return self._bulletin(record=False, quarter=quarter, week=week, as_of=as_of, number=number, on=on,
                              output=output, format=format, template=template, require=require, office=office)

    def _bulletin(self, *, record: bool, quarter, week, as_of, number, on, output, format, template, require,
                  office):
        from taskctl.config import today
        from taskctl.documents import bulletin as B
        from taskctl.roles import require_office

        kind = doc_format(format, output)
        if template is not None:
            if kind != "docx":
                raise InvalidValue("doc.template_docx_only")
            if not Path(template).is_file():
                raise InvalidValue("doc.template_missing", file=str(template))
        with self.transaction(write=record) as session:
            require_office(session, "bulletin")
            issued_on = resolve_day(session, on)
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
                _write_bulletin(kind, Path(output), doc, template)
        return doc

    def bulletins(self, *, as_of: DateLike = None) -> "Report":
        """The bulletins issued up to a date (`bulletin list`)."""
        from taskctl.documents.bulletin import bulletin_rows
        from taskctl.i18n import t
        from taskctl.reports.model import C, Msg, Report

        with self.transaction(write=False) as session:
            when = resolve_day(session, as_of)
            rows = [{"id": b.id, "year": b.year, "number": b.number,
                     "issue": t("doc.issue_number", year=b.year, number=b.number),
                     "issued_on": b.issued_on, "as_of": b.as_of, "quarter": b.quarter, "scope": b.scope,
                     "title": b.title, "file": b.file, "recorded_by": b.recorded_by}
                    for b in bulletin_rows(session, when)]
        columns = [C("id", "int", table=False, label="doc.col.id"), C("year", "int", table=False, label="doc.col.year"),
                   C("number", "int", table=False, label="doc.col.number"), C("issue", label="doc.col.issue"),
                   C("issued_on", "date", label="doc.col.issued_on"), C("as_of", "date", label="doc.col.as_of"),
                   C("quarter", label="doc.col.quarter"), C("scope", table=False, label="doc.col.scope"),
                   C("title", label="doc.col.title"), C("file", label="doc.col.file", drop=1),
                   C("recorded_by", table=False, label="doc.col.recorded_by")]
        return Report(name="bulletins", title=Msg("doc.list_title", as_of=when.isoformat()), columns=columns,
                      rows=rows, as_of=when,
                      footer=Msg("doc.list_footer", n=len(rows)) if rows else Msg("doc.list_none"))

    def bulletin_config(self, *, office: str | None = None, name: str | None = None,
                        require: Sequence[str] | None = None, reset_requirements: bool = False) -> dict[str, Any]:
        """Set what is given of the bulletin's office, name and requirements; the changes and the settings now."""
        from taskctl.documents import bulletin as B

        with self.transaction() as session:
            changes = B.configure(session, office_=office, name=name, require=require,
                                  reset_requirements=reset_requirements)
            items, builtin = B.requirements(session)
            return {"changes": changes, "office": B.office(session), "name": B.bulletin_name(session),
                    "requirements": items, "builtin": builtin}

    # ---------------------------------------------------------------- notices

    def notices(self, *, as_of: DateLike = None, slips: bool = False, **filters: str | None) -> "Report":
        """The tasks a slip is due for (`notice list`), or every slip issued (``slips``)."""
        from taskctl.documents.notices import notice_report

        with self.transaction(write=False) as session:
            f = resolve_filters(session, **filters)
            return notice_report(session, as_of=resolve_day(session, as_of), filters=f, every_slip=slips)

    def issue_notices(self, ids: Sequence[int] | None = None, *, due: bool = False, level: str | None = None,
                      on: DateLike = None, output: Path | None = None, format: str | None = None,
                      office: str | None = None, **filters: str | None) -> dict[str, Any]:
        """Issue slips for the given tasks, or for every task one is due for (``due``, with the filters);
        written to ``output`` when given.  ``on``, ``issued`` (the slip rows) and ``slips`` (their pages)."""
        from taskctl.config import today
        from taskctl.documents import notices as N
        from taskctl.documents.bulletin import office as office_of

        if bool(ids) == due:
            raise InvalidValue("notice.ids_or_due")
        kind = doc_format(format, output)
        with self.transaction() as session:
            when = resolve_day(session, on)
            f = resolve_filters(session, **filters) if due else None
            issued = N.issue(session, on=when, today=today(), task_ids=list(ids) if ids else None, level_key=level,
                             filters=f)
            slips = N.slip_documents(session, issued, office or office_of(session))
            if issued and output is not None:
                _write_slips(kind, Path(output), slips)
        return {"on": when, "issued": issued, "slips": slips}

    def print_notices(self, slip_ids: Sequence[int], *, output: Path | None = None, format: str | None = None,
                      office: str | None = None) -> list[dict[str, Any]]:
        """The pages of slips already issued; written to ``output`` when given."""
        from taskctl.documents import notices as N
        from taskctl.documents.bulletin import office as office_of

        kind = doc_format(format, output)
        with self.transaction() as session:
            found = [N.get_slip(session, i) for i in dict.fromkeys(slip_ids)]
            pages = N.slip_documents(session, found, office or office_of(session))
        if output is not None:
            _write_slips(kind, Path(output), pages)
        return pages

    def answer_notice(self, slip: int, *, text: str, on: DateLike = None) -> dict[str, Any]:
        """The unit's answer to a slip; the slip's number and the date."""
        return self._slip_step("answer", slip, on, text=text)

    def accept_notice(self, slip: int, *, on: DateLike = None) -> dict[str, Any]:
        return self._slip_step("accept", slip, on)

    def reject_notice(self, slip: int, *, reason: str, on: DateLike = None) -> dict[str, Any]:
        return self._slip_step("reject", slip, on, reason=reason)

    def _slip_step(self, step: str, slip: int, on: DateLike, **given: str) -> dict[str, Any]:
        from taskctl.config import today
        from taskctl.documents import notices as N

        with self.transaction() as session:
            when = resolve_day(session, on)
            _, label = getattr(N, step)(session, slip, on=when, today=today(), **given)
        return {"number": label, "on": when}

    # ---------------------------------------------------------------- ladder

    def ladder(self) -> "Report":
        """The levels of slips (提醒 → 督办 → 通报 …) and what triggers each."""
        from taskctl.documents.notices import ladder_report

        with self.transaction(write=False) as session:
            return ladder_report(session)

    def set_ladder(self, key: str | None = None, *, file: Path | None = None, reset: bool = False,
                   **level: Any) -> list:
        """Change one level (``key`` with name, title, colour, trigger, days, after, reply_days, text,
        position, remove), or load the whole ladder from a JSON ``file``, or ``reset`` it; the levels now."""
        import json

        from taskctl.documents import notices as N

        if sum(bool(x) for x in (key, file, reset)) != 1:
            raise InvalidValue("notice.set_how")
        with self.transaction() as session:
            current, _ = N.ladder(session)
            if reset:
                return N.reset_ladder(session)
            if file is not None:
                try:
                    data = json.loads(Path(file).read_text(encoding="utf-8-sig"))
                except (OSError, ValueError) as exc:
                    raise InvalidValue("notice.ladder_unreadable", file=str(file),
                                       reason=str(exc).splitlines()[0]) from None
                return N.set_ladder(session, N.levels_from_json(data))
            return N.set_ladder(session, N.edit_level(current, key, **level))


def _bulletin_date(session: "Session", quarter: str | None, week: str | None, as_of: DateLike,
                   on: dt.date) -> "tuple[dt.date, str | None, str | None]":
    """(as-of date, scope label, period words) from quarter | week | as-of (default: the issue date)."""
    from taskctl.dates import parse_quarter, quarter_bounds
    from taskctl.documents.bulletin import quarter_words
    from taskctl.i18n import t

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
    when = resolve_day(session, as_of) if as_of else on
    if when > on:
        raise InvalidValue("doc.as_of_after_issue", as_of=when.isoformat(), on=on.isoformat())
    return when, None, None


def _write_bulletin(kind: str, output: Path, doc, template: Path | None) -> None:
    from taskctl.documents.docx import save_to, write_bulletin
    from taskctl.documents.markdown import bulletin_markdown

    if kind == "docx":
        save_to(output, lambda path: write_bulletin(doc, path, template))
    else:
        data = bulletin_markdown(doc)
        save_to(output, lambda path: path.write_bytes(data))


def _write_slips(kind: str, output: Path, slips) -> None:
    from taskctl.documents.docx import save_to, write_slips
    from taskctl.documents.markdown import slips_markdown

    if kind == "docx":
        save_to(output, lambda path: write_slips(slips, path))
    else:
        data = slips_markdown(slips)
        save_to(output, lambda path: path.write_bytes(data))
