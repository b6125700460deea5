"""Reading a minutes file into a draft, showing the draft as a report, and recording it in the ledger.

Recording is idempotent: a task whose source (the meeting) and title are already in the ledger is
not added again, an area is matched by its name and a leader by theirs.  The whole import is one
history entry (留痕), like any bulk import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from taskctl.errors import InvalidValue
from taskctl.i18n import t
from taskctl.minutes.clean import Cleaned, clean, decode
from taskctl.minutes.draft import AreaRef, Draft, NoClause, NoDate, draft
from taskctl.reports.model import C, Msg, Report


def read_minutes(path: Path) -> Cleaned:
    """The cleaned text of a minutes file; a file that is missing, empty, binary or undecodable is an error."""
    if not path.exists() or path.is_dir():
        raise InvalidValue("minutes.no_file", file=str(path))
    try:
        text, encoding = decode(path.read_bytes())
    except ValueError as exc:
        reason = str(exc)
        if reason in ("empty", "binary"):
            raise InvalidValue(f"minutes.{reason}", file=path.name) from None
        raise InvalidValue("minutes.undecodable", file=path.name, offset=reason) from None
    return clean(text, encoding=encoding)


def ledger_areas(session) -> list[AreaRef]:
    from sqlalchemy import select

    from taskctl.models import Area

    return [AreaRef(key=a.key, name=a.name_zh, number=a.number, description=a.description or "", name_en=a.name_en)
            for a in session.execute(select(Area).order_by(Area.number)).scalars()]


def make_draft(session, cleaned: Cleaned, *, name: str, year: int, date: dt.date | None) -> Draft:
    try:
        return draft(cleaned.text, year=year, areas=ledger_areas(session), date=date)
    except NoDate:
        raise InvalidValue("minutes.no_date", file=name) from None
    except NoClause:
        raise InvalidValue("minutes.no_clause", file=name) from None


# ---------------------------------------------------------------- recording

@dataclass
class Outcome:
    """What recording did (or, for a dry run, would do) — per drafted task, and in counts."""

    dry_run: bool
    task_ids: dict[tuple[str, str], int] = field(default_factory=dict)  # (area key, title) -> task id
    results: dict[tuple[str, str], str] = field(default_factory=dict)  # added | exists | new_area | draft
    areas_added: list[str] = field(default_factory=list)
    leaders_added: list[str] = field(default_factory=list)
    leaders_known: list[str] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for r in self.results.values() if r == result)


def record(session, drafted: Draft, *, new_areas: bool, dry_run: bool) -> Outcome:
    """Write (or, with ``dry_run``, only work out) the areas, leaders and tasks of a draft."""
    from sqlalchemy import select

    from taskctl import ledger as L
    from taskctl.models import Area, Leader, Task
    from taskctl.transfer.ledger_import import _compact_ids

    outcome = Outcome(dry_run=dry_run)
    known_leaders = set(session.execute(select(Leader.name)).scalars())
    for person in drafted.people:
        (outcome.leaders_known if person.name in known_leaders else outcome.leaders_added).append(person.name)
    existing = {title: tid for tid, title in session.execute(
        select(Task.id, Task.title).where(Task.source == drafted.source))}
    for task in drafted.tasks:
        key = (task.area.key, task.title)
        if task.title in existing:
            outcome.results[key] = "exists"
            outcome.task_ids[key] = existing[task.title]
        elif task.area.new and not new_areas:
            outcome.results[key] = "new_area"
        else:
            outcome.results[key] = "draft" if dry_run else "added"
    outcome.areas_added = [a.name for a in drafted.areas if a.new and new_areas
                           and any(outcome.results[(t_.area.key, t_.title)] in ("added", "draft")
                                   for t_ in drafted.tasks if t_.area is a)]
    if dry_run:
        return outcome

    batch_before = session.info.get("batch")
    session.info["batch"] = True  # one history entry for the whole import (below)
    try:
        areas: dict[str, Area] = {a.key: a for a in session.execute(select(Area)).scalars()}
        for ref in drafted.areas:
            if ref.new and ref.name in outcome.areas_added:
                areas[ref.key] = L.add_area(session, key=ref.key, name_zh=ref.name, description=ref.description)
        for person in drafted.people:
            if person.name in outcome.leaders_added:
                L.add_leader(session, name=person.name, title=person.title)
        for task in drafted.tasks:
            key = (task.area.key, task.title)
            if outcome.results[key] != "added":
                continue
            row = L.add_task(session, title=task.title, area=areas[task.area.key], lead=None,
                             start=drafted.date, source=drafted.source, detail=task.sentence)
            outcome.task_ids[key] = row.id
    finally:
        session.info["batch"] = batch_before
    added = [tid for key, tid in outcome.task_ids.items() if outcome.results[key] == "added"]
    if added or outcome.areas_added or outcome.leaders_added:
        L.record(session, "import.minutes", "import",
                 summary=t("minutes.history", source=drafted.source, tasks=len(added),
                           areas=len(outcome.areas_added), leaders=len(outcome.leaders_added)),
                 changes={"source": (None, drafted.source), "tasks_added": (None, _compact_ids(added)),
                          "areas_added": (None, outcome.areas_added),
                          "leaders_added": (None, outcome.leaders_added)})
    return outcome


# ---------------------------------------------------------------- the draft as a report

CSV_KEYS = ("area", "area_name", "title", "start", "source", "detail")


def draft_report(drafted: Draft, outcome: Outcome | None = None, *, for_csv: bool = False) -> Report:
    """The draft: one row per drafted task.  CSV carries exactly the columns ``import tasks`` reads
    (area, title, start, source, detail — and no leader), so an edited draft imports as it stands."""
    columns = [
        C("area", table=False),
        C("area_name"),
        C("new_area", "flag", label="minutes.col_new_area"),
        C("title", label="minutes.col_task"),
        C("start", "date", table=False),
        C("source", table=False),
        C("detail", table=False, label="minutes.col_sentence"),  # the heading of its group of rows
        C("id", "int", table=outcome is not None and not outcome.dry_run),
        C("result", table=outcome is not None, label="minutes.col_result"),
    ]
    if for_csv:
        columns = [c for c in columns if c.key in CSV_KEYS]
    rows = []
    for task in drafted.tasks:
        key = (task.area.key, task.title)
        result = outcome.results.get(key) if outcome else None
        rows.append({
            "area": task.area.key,
            "area_name": task.area.name,
            "new_area": task.area.new,
            "title": task.title,
            "start": drafted.date,
            "source": drafted.source,
            "detail": task.sentence,
            "id": outcome.task_ids.get(key) if outcome else None,
            "result": t(f"minutes.result_{result}") if result else None,
        })
    footer = Msg("minutes.footer", areas=len(drafted.areas), tasks=len(rows), leaders=len(drafted.people),
               new=sum(1 for a in drafted.areas if a.new))
    meta = {
        "meeting": {"title": drafted.title, "date": drafted.date, "source": drafted.source},
        "areas": [{"key": a.key, "name": a.name, "new": a.new,
                   "tasks": sum(1 for x in drafted.tasks if x.area is a)} for a in drafted.areas],
        "leaders": [{"name": p.name, "title": p.title,
                     "known": bool(outcome and p.name in outcome.leaders_known)} for p in drafted.people],
    }
    if outcome is not None:
        meta["dry_run"] = outcome.dry_run
    title = Msg("minutes.title", source=drafted.source)
    return Report(name="minutes", title=title, columns=columns, rows=rows, as_of=drafted.date, meta=meta,
                  footer=footer, group_key=None if for_csv else "detail")
