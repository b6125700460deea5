"""The 督查通报: its content as plain blocks, built from the report builders as of a date.

The figures are those of ``quarter`` (by area, for the quarter holding the
as-of date), ``rank`` (the same quarter) and ``overdue`` for the same date, so
the bulletin agrees with them.  ``taskctl.documents.docx`` and ``markdown``
render the same blocks, so the DOCX and the Markdown hold the same text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taskctl.config import current_user
from taskctl.documents.common import doc_date, number_text, share
from taskctl.errors import Conflict, InvalidValue
from taskctl.i18n import language, t
from taskctl.ledger import get_setting, record
from taskctl.models import Bulletin as BulletinRow
from taskctl.models import Setting
from taskctl.snapshot import Filters

CN_NUMBERS = "零一二三四五六七八九十"
REQUIRE_PREFIX = "bulletin.require."  # setting keys of the default 下步工作要求, one item each


@dataclass
class Block:
    """One piece of the document.  kinds: title, h1, h2, para, attachments_note, signature, pagebreak,
    attachment (label, title, columns, rows)."""

    kind: str
    text: str = ""
    label: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Bulletin:
    name: str  # 督查通报
    office: str
    year: int
    number: int
    issued_on: dt.date
    as_of: dt.date
    quarter: str
    scope: str | None
    title: str
    blocks: list[Block]
    named_units: list[dict[str, Any]]  # {"unit", "rank", "flagged", "overdue": [ids], "lagging": [ids]}
    lagging_ids: list[int]
    overdue_ids: list[int]

    @property
    def number_text(self) -> str:
        return t("doc.issue_number", year=self.year, number=self.number)

    @property
    def date_text(self) -> str:
        return doc_date(self.issued_on)

    def values(self) -> dict[str, str]:
        """What a template's placeholders are filled with."""
        return {"name": self.name, "office": self.office, "year": str(self.year), "number": str(self.number),
                "issue": self.number_text, "date": self.date_text, "as_of": self.date_of(self.as_of),
                "title": self.title, "quarter": self.quarter}

    @staticmethod
    def date_of(d: dt.date) -> str:
        return doc_date(d)


# ---------------------------------------------------------------- settings

def office(session: Session) -> str:
    return get_setting(session, "bulletin.office") or t("doc.office_default")


def bulletin_name(session: Session) -> str:
    return get_setting(session, "bulletin.name") or t("doc.bulletin_name")


def requirements(session: Session) -> tuple[list[str], bool]:
    """(the default 下步工作要求 items, whether they are the built-in ones)."""
    rows = session.execute(select(Setting).where(Setting.key.like(REQUIRE_PREFIX + "%"))).scalars().all()
    items = [r.value for r in sorted(rows, key=lambda r: int(r.key.rsplit(".", 1)[1]))]
    if items:
        return items, False
    return [t(f"doc.require.{i}") for i in (1, 2, 3)], True


def configure(session: Session, *, office_: str | None = None, name: str | None = None,
              require: list[str] | None = None, reset_requirements: bool = False) -> dict[str, Any]:
    """Change the office, the bulletin's name or the default requirements (one history entry)."""
    changes: dict[str, Any] = {}
    for key, value in (("bulletin.office", office_), ("bulletin.name", name)):
        if value is None:
            continue
        value = value.strip()
        if len(value) > 100:
            raise InvalidValue("doc.too_long", field=key, n=100)
        row = session.get(Setting, key)
        old = row.value if row else None
        if not value:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        if old != (value or None):
            changes[key] = (old, value or None)
    if require is not None or reset_requirements:
        old_items, builtin = requirements(session)
        items = [r.strip() for r in (require or []) if r and r.strip()]
        for item in items:
            if len(item) > 400:
                raise InvalidValue("doc.too_long", field="--require", n=400)
        for row in session.execute(select(Setting).where(Setting.key.like(REQUIRE_PREFIX + "%"))).scalars():
            session.delete(row)
        session.flush()
        for i, item in enumerate(items, start=1):
            session.add(Setting(key=f"{REQUIRE_PREFIX}{i}", value=item))
        changes["requirements"] = (None if builtin else old_items, items or None)
    if changes:
        session.flush()
        record(session, "bulletin.config", "bulletin", summary=", ".join(changes), changes=changes)
    return changes


# ---------------------------------------------------------------- numbering

def next_number(session: Session, year: int) -> int:
    return (session.execute(select(func.max(BulletinRow.number)).where(BulletinRow.year == year)).scalar() or 0) + 1


def check_number(session: Session, year: int, number: int) -> None:
    if number < 1:
        raise InvalidValue("doc.bad_issue", value=number)
    taken = session.execute(select(BulletinRow).where(BulletinRow.year == year, BulletinRow.number == number)
                            ).scalar_one_or_none()
    if taken is not None:
        raise Conflict("doc.issue_taken", year=year, number=number, on=taken.issued_on.isoformat(),
                       next=next_number(session, year))


def record_issue(session: Session, b: Bulletin, file: str | None) -> BulletinRow:
    check_number(session, b.year, b.number)
    row = BulletinRow(year=b.year, number=b.number, issued_on=b.issued_on, as_of=b.as_of, quarter=b.quarter,
                      scope=b.scope, title=b.title[:300], file=file, recorded_by=current_user())
    session.add(row)
    session.flush()
    record(session, "bulletin.issue", "bulletin", entity_id=row.id, summary=f"{b.number_text} {b.title}",
           changes={"number": (None, b.number), "issued_on": (None, b.issued_on), "as_of": (None, b.as_of),
                    "file": (None, file)})
    return row


# ---------------------------------------------------------------- content

def _ids(ids: list[int]) -> str:
    return t("doc.items", ids=t("doc.list_sep").join(str(i) for i in ids))


def _ordinal(n: int) -> str:
    """一, 二 … 十九 (first-level headings and 一是/二是)."""
    if n <= 10:
        return CN_NUMBERS[n]
    tens, ones = divmod(n, 10)
    return (CN_NUMBERS[tens] if tens > 1 else "") + "十" + (CN_NUMBERS[ones] if ones else "")


def quarter_words(year: int, q: int) -> str:
    return t("doc.quarter_words", year=year, q=_ordinal(q) if language() == "zh" else q)


def build(session: Session, *, as_of: dt.date, issued_on: dt.date, number: int, scope: str | None = None,
          period: str | None = None, requirements_: list[str] | None = None, filters: Filters | None = None,
          office_: str | None = None) -> Bulletin:
    """The bulletin as of ``as_of``: quarter figures by area, the ranking and the overdue list of that date."""
    from taskctl.dates import quarter_of
    from taskctl.reports import overdue_report, quarter_report, rank_report
    from taskctl.reports.quarter import quarter_facts
    from taskctl.reports.rows import task_row

    year, q = quarter_of(as_of)
    quarter = f"{year}Q{q}"
    by_area = quarter_report(session, year=year, quarter=q, by="area", filters=filters, as_of=as_of)
    rank = rank_report(session, year=year, quarter=q, filters=filters, as_of=as_of)
    overdue = overdue_report(session, as_of=as_of, filters=filters)
    _, _, _, facts = quarter_facts(session, year=year, quarter=q, filters=filters, as_of=as_of)
    totals = by_area.meta["totals"]
    period = period or quarter_words(year, q)
    title = t("doc.title", period=period)
    date = Bulletin.date_of(as_of)

    blocks: list[Block] = [Block("title", title)]
    n = totals["tasks"]
    lag = totals["behind"] + totals["not_started"]
    in_work = n - totals["done"] - totals["paused"]
    blocks.append(Block("h1", t("doc.h_overall", n=_ordinal(1) if language() == "zh" else 1)))
    if n:
        blocks.append(Block("para", t(
            "doc.overall", date=date, period=quarter_words(year, q), tasks=n, done=totals["done"], done_share=share(totals["done"], n),
            done_late=totals["done_late"], open=in_work, on_track=totals["on_track"],
            on_track_share=share(totals["on_track"], n), lag=lag, lag_share=share(lag, n), behind=totals["behind"],
            not_started=totals["not_started"], overdue=totals["overdue"], overdue_share=share(totals["overdue"], n),
            paused=totals["paused"], actual=number_text(totals["percent_actual"]),
            expected=number_text(totals["percent_expected"]))))
    else:
        blocks.append(Block("para", t("doc.overall_none", date=date, period=quarter_words(year, q))))
    requested = [f.id for f in facts if f.close_requested]  # 申请销号: their own count, not a state
    if requested:
        blocks.append(Block("para", t("doc.close_requested", n=len(requested), items=_ids(sorted(requested)))))

    sub = 0  # second-level headings: （一）（二） numbered as they come

    def h2(key: str) -> Block:
        nonlocal sub
        sub += 1
        return Block("h2", t(key, n=_ordinal(sub) if language() == "zh" else sub))

    if by_area.rows:
        blocks.append(h2("doc.h_areas"))
        for i, row in enumerate(by_area.rows, start=1):
            blocks.append(Block("para", t(
                "doc.area_line", i=i, name=row["name"], tasks=row["tasks"], done=row["done"],
                on_track=row["on_track"], lag=row["behind"] + row["not_started"], overdue=row["overdue"],
                actual=number_text(row["percent_actual"]), expected=number_text(row["percent_expected"]))))

    # the units named: the last three of the ranking, then every unit with overdue tasks
    overdue_by_unit: dict[str, list[int]] = {}
    for r in overdue.rows:
        if r["lead_unit"]:
            overdue_by_unit.setdefault(r["lead_unit"], []).append(r["id"])
    lagging_rows = [task_row(f) for f in facts if f.state in ("behind", "not_started")]
    lagging_by_unit: dict[str, list[int]] = {}
    for r in lagging_rows:
        if r["lead_unit"]:
            lagging_by_unit.setdefault(r["lead_unit"], []).append(r["id"])
    rank_of = {r["name"]: r for r in rank.rows}
    flagged = [r["name"] for r in rank.rows if r["flagged"]]
    with_overdue = sorted(overdue_by_unit, key=lambda u: (-len(overdue_by_unit[u]), u))
    named_units = []
    for unit in dict.fromkeys(flagged + with_overdue):
        r = rank_of.get(unit)
        named_units.append({"unit": unit, "rank": r["rank"] if r else None, "flagged": bool(r and r["flagged"]),
                            "overdue": sorted(overdue_by_unit.get(unit, [])),
                            "lagging": sorted(lagging_by_unit.get(unit, []))})
    blocks.append(h2("doc.h_units"))
    if flagged:
        blocks.append(Block("para", t("doc.flagged", quarter=quarter_words(year, q), n=len(rank.rows),
                                      names=t("doc.list_sep").join(flagged))))
    if named_units:
        for i, u in enumerate(named_units, start=1):
            parts = []
            if u["rank"] is not None:
                parts.append(t("doc.unit_rank", rank=u["rank"], n=len(rank.rows)))
            if u["overdue"]:
                parts.append(t("doc.unit_overdue", n=len(u["overdue"]), items=_ids(u["overdue"])))
            if u["lagging"]:
                parts.append(t("doc.unit_lagging", n=len(u["lagging"]), items=_ids(u["lagging"])))
            blocks.append(Block("para", t("doc.unit_line", i=i, unit=u["unit"],
                                          detail=t("doc.clause_sep").join(parts))))
    else:
        blocks.append(Block("para", t("doc.no_units")))

    blocks.append(Block("h1", t("doc.h_requirements", n=_ordinal(2) if language() == "zh" else 2)))
    items = requirements_ if requirements_ else requirements(session)[0]
    for i, item in enumerate(items, start=1):
        blocks.append(Block("para", t("doc.requirement", n=_ordinal(i) if language() == "zh" else i, text=item)))

    a1, a2 = t("doc.attachment_1_title"), t("doc.attachment_2_title")
    blocks.append(Block("attachments_note", t("doc.attachments_note", first=a1)))
    blocks.append(Block("attachments_note2", t("doc.attachments_note2", second=a2)))
    blocks.append(Block("signature", office_ or office(session)))
    blocks.append(Block("signature_date", Bulletin.date_of(issued_on)))

    lag_columns = [t("doc.col.no"), t("doc.col.id"), t("doc.col.title"), t("doc.col.lead_unit"),
                   t("doc.col.leader"), t("doc.col.deadline"), t("doc.col.state"), t("doc.col.percent"),
                   t("doc.col.note")]
    lag_rows = [[str(i), str(r["id"]), r["title"], r["lead_unit"] or "—", r["leader"] or "—", _deadline(r),
                 t("state." + r["state"]), _percent_pair(r), r["note"] or "—"]
                for i, r in enumerate(lagging_rows, start=1)]
    od_columns = [t("doc.col.no"), t("doc.col.id"), t("doc.col.title"), t("doc.col.lead_unit"), t("doc.col.leader"),
                  t("doc.col.deadline"), t("doc.col.days_overdue"), t("doc.col.percent"), t("doc.col.note")]
    od_rows = [[str(i), str(r["id"]), r["title"], r["lead_unit"] or "—", r["leader"] or "—", _deadline(r),
                str(r["days_overdue"]), _percent_pair(r), r["note"] or "—"]
               for i, r in enumerate(overdue.rows, start=1)]
    blocks.append(Block("pagebreak"))
    blocks.append(Block("attachment", a1, label=t("doc.attachment_label", n=1), columns=lag_columns, rows=lag_rows))
    blocks.append(Block("pagebreak"))
    blocks.append(Block("attachment", a2, label=t("doc.attachment_label", n=2), columns=od_columns, rows=od_rows))
    return Bulletin(name=bulletin_name(session), office=office_ or office(session), year=issued_on.year,
                    number=number, issued_on=issued_on, as_of=as_of, quarter=quarter, scope=scope, title=title,
                    blocks=blocks, named_units=named_units, lagging_ids=[r["id"] for r in lagging_rows],
                    overdue_ids=[r["id"] for r in overdue.rows])


def _deadline(row: dict[str, Any]) -> str:
    """The deadline as written (3月底前), with the date when the text does not say it."""
    text, due = row.get("due_text"), row.get("due")
    if due is None:
        return text or t("doc.ongoing")
    if not text or text == due.isoformat():
        return due.isoformat()
    return f"{text}（{due.isoformat()}）" if language() == "zh" else f"{text} ({due.isoformat()})"


def _percent_pair(row: dict[str, Any]) -> str:
    actual = "—" if row["percent"] is None else f"{number_text(row['percent'])}%"
    expected = "—" if row["percent_expected"] is None else f"{number_text(row['percent_expected'])}%"
    return f"{actual} / {expected}"


def plain_lines(b: Bulletin) -> list[str]:
    """The document's text, line by line, as both renderers write it (tests compare DOCX and Markdown)."""
    lines = [b.name, b.number_text, f"{b.office} {b.date_text}"]
    for block in b.blocks:
        if block.kind == "pagebreak":
            continue
        if block.kind == "attachment":
            lines += [block.label, block.text, *(" ".join(row) for row in [block.columns, *block.rows])]
        else:
            lines.append(block.text)
    return lines


def bulletin_rows(session: Session, as_of: dt.date | None = None) -> list[BulletinRow]:
    stmt = select(BulletinRow).order_by(BulletinRow.issued_on, BulletinRow.year, BulletinRow.number)
    if as_of is not None:
        stmt = stmt.where(BulletinRow.issued_on <= as_of)
    return list(session.execute(stmt).scalars())
