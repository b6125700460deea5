"""Lists of the recording half: the ledger view (task list), task detail, and
the area, unit, leader and progress lists — each a ``Report`` for every format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taskctl.i18n import t
from taskctl.models import (
    Area,
    Extension,
    Instruction,
    Leader,
    Progress,
    StatusChange,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
)
from taskctl.reports.model import C, Msg, Report, round1
from taskctl.reports.rows import TASK_LIST_DROP, state_counts, task_columns, task_row
from taskctl.snapshot import Filters, snapshot


def task_list(session: Session, as_of: dt.date, filters: Filters) -> Report:
    facts = snapshot(session, as_of, filters)
    rows = [task_row(f) for f in facts]
    counts = state_counts(facts)
    parts: list[Msg | str] = []
    for s, n in sorted(counts.items(), key=lambda kv: list(_STATE_ORDER).index(kv[0])):
        parts += [" · "] * bool(parts) + [Msg("report.state_n", state=Msg("state." + s), n=n)]
    footer = Msg("task.list_footer", n=len(rows), detail=Msg.joined(*parts)) if rows else Msg("task.list_empty")
    return Report(name="tasks", title=Msg("task.list_title", as_of=as_of.isoformat()),
                  columns=task_columns(drop=TASK_LIST_DROP),
                  rows=rows, as_of=as_of, footer=footer, json_array=True)


_STATE_ORDER = ("overdue", "behind", "not_started", "on_track", "done", "paused", "cancelled")


def task_detail(session: Session, task: Task, as_of: dt.date) -> tuple[dict[str, Any], Report]:
    """The task's row (as of today) plus every dated event, for `task show`."""
    fact = snapshot(session, as_of, Filters(task_ids=[task.id]))[0]
    row = task_row(fact)
    row.update({
        "detail": task.detail, "source": task.source,
        "targets": {q: v for q, v in zip(("Q1", "Q2", "Q3", "Q4"),
                                         (task.target_q1, task.target_q2, task.target_q3, task.target_q4))
                    if v is not None} or None,
        "works_start": task.works_start, "production": task.production,
    })
    events: list[dict[str, Any]] = []
    for p in session.execute(select(Progress).where(Progress.task_id == task.id)).scalars():
        events.append({"on": p.on_date, "kind": "progress", "id": p.id, "text": _progress_text(p), "by": p.recorded_by})
    for s in session.execute(select(StatusChange).where(StatusChange.task_id == task.id)).scalars():
        events.append({"on": s.on_date, "kind": "status", "id": s.id,
                       "text": t("status." + s.status) + (f" — {s.note}" if s.note else ""), "by": s.recorded_by})
    for x in session.execute(select(Extension).where(Extension.task_id == task.id)).scalars():
        events.append({"on": x.on_date, "kind": "extension", "id": x.id,
                       "text": t("task.extension_text", old=_iso(x.old_due), new=_iso(x.new_due),
                                 text=_typed(x.new_due_text, x.new_due), reason=x.reason), "by": x.recorded_by})
        if x.withdrawn_on is not None:
            events.append({"on": x.withdrawn_on, "kind": "extension", "id": x.id,
                           "text": t("task.extension_withdrawn_text", id=x.id, due=_iso(x.old_due))
                           + (f" — {x.withdrawn_reason}" if x.withdrawn_reason else ""), "by": ""})
    for i, name in session.execute(select(Instruction, Leader.name).join(Leader, Leader.id == Instruction.leader_id)
                                   .where(Instruction.task_id == task.id)):
        events.append({"on": i.on_date, "kind": "instruction", "id": i.id, "text": f"{name}: {i.text}",
                       "by": i.recorded_by})
    order = {"status": 0, "extension": 1, "instruction": 2, "progress": 3}
    events.sort(key=lambda e: (e["on"], order[e["kind"]], e["id"]))
    report = Report(name="task_events", title=Msg("task.events_title", id=task.id),
                    columns=[C("on", "date"), C("kind", "event", drop=3), C("id", "int", drop=2), C("text"),
                             C("by", drop=1)],
                    rows=[dict(e) for e in events], as_of=as_of, json_array=True)
    row["events"] = [dict(e) for e in events]
    return row, report


def _typed(text: str | None, d: dt.date) -> str:
    return f"（{text}）" if text and text != d.isoformat() else ""


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else "—"


def _progress_text(p: Progress) -> str:
    parts = [f"{p.percent:g}%"]
    if p.invest_done is not None:
        parts.append(t("progress.invest_done_text", n=f"{p.invest_done:g}"))
    if p.stage:
        parts.append(t("stage." + p.stage))
    if p.note:
        parts.append(p.note)
    if p.problems:
        parts.append(t("col.problems") + "：" + p.problems)
    if p.next_steps:
        parts.append(t("col.next") + "：" + p.next_steps)
    return "；".join(parts)


def area_list(session: Session) -> Report:
    counts = dict(session.execute(select(Task.area_id, func.count(Task.id)).group_by(Task.area_id)).all())
    rows = [{"number": a.number, "key": a.key, "name": a.name_zh, "name_en": a.name_en, "tasks": counts.get(a.id, 0),
             "description": a.description}
            for a in session.execute(select(Area).order_by(Area.number)).scalars()]
    return Report(name="areas", title=Msg("area.list_title"), rows=rows, json_array=True,
                  columns=[C("number", "int"), C("key", drop=2), C("name"), C("name_en", drop=1), C("tasks", "int", drop=3),
                           C("description", table=False)], footer=Msg("common.rows", n=len(rows)))


def unit_list(session: Session, kind: str | None = None) -> Report:
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias).order_by(UnitAlias.id)):
        aliases.setdefault(unit_id, []).append(alias)
    lead = dict(session.execute(select(Task.lead_unit_id, func.count(Task.id)).group_by(Task.lead_unit_id)).all())
    co = dict(session.execute(select(TaskUnit.unit_id, func.count(TaskUnit.task_id)).group_by(TaskUnit.unit_id)).all())
    stmt = select(Unit).order_by(Unit.kind, Unit.name)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    order = {"county": 0, "zone": 1, "department": 2, "enterprise": 3, "soe": 4}
    units = sorted(session.execute(stmt).scalars(), key=lambda u: (order.get(u.kind, 9), u.id))
    rows = [{"id": u.id, "name": u.name, "aliases": aliases.get(u.id, []), "kind": u.kind,
             "kind_name": t("kind." + u.kind), "contact_person": u.contact_person, "contact_phone": u.contact_phone,
             "lead_tasks": lead.get(u.id, 0), "co_tasks": co.get(u.id, 0)} for u in units]
    return Report(name="units", title=Msg("unit.list_title"), rows=rows, json_array=True,
                  columns=[C("id", "int"), C("name"), C("aliases", "list", drop=1), C("kind", table=False),
                           C("kind_name", drop=6), C("contact_person", drop=3), C("contact_phone", drop=4),
                           C("lead_tasks", "int", drop=5), C("co_tasks", "int", drop=2)],
                  footer=Msg("common.rows", n=len(rows)))


def leader_list(session: Session) -> Report:
    counts = dict(session.execute(select(Task.leader_id, func.count(Task.id)).group_by(Task.leader_id)).all())
    rows = [{"id": ld.id, "name": ld.name, "title": ld.title, "tasks": counts.get(ld.id, 0)}
            for ld in session.execute(select(Leader).order_by(Leader.id)).scalars()]
    return Report(name="leaders", title=Msg("leader.list_title"), rows=rows, json_array=True,
                  columns=[C("id", "int"), C("name"), C("title", label="col.leader_title", drop=2),
                           C("tasks", "int", drop=1)],
                  footer=Msg("common.rows", n=len(rows)))


def progress_row(p: Progress) -> dict[str, Any]:
    return {"id": p.id, "task_id": p.task_id, "on": p.on_date, "percent": round1(p.percent),
            "invest_done": round1(p.invest_done), "stage": p.stage, "note": p.note, "problems": p.problems,
            "next": p.next_steps, "recorded_by": p.recorded_by}


PROGRESS_COLUMNS = [("id", "int"), ("task_id", "int"), ("on", "date"), ("percent", "percent"),
                    ("invest_done", "money"), ("stage", "stage"), ("note", "text"), ("problems", "text"),
                    ("next", "text"), ("recorded_by", "text")]
# the update's date, percent and note stay longest
PROGRESS_DROP = {"recorded_by": 1, "task_id": 2, "next": 3, "problems": 4, "invest_done": 5, "stage": 6}


def progress_list(session: Session, task: Task) -> Report:
    updates = session.execute(select(Progress).where(Progress.task_id == task.id)
                              .order_by(Progress.on_date, Progress.id)).scalars().all()
    rows = [progress_row(p) for p in updates]
    return Report(name="progress", title=Msg("progress.list_title", id=task.id, title=task.title), rows=rows,
                  json_array=True, columns=[C(k, kind, drop=PROGRESS_DROP.get(k))
                                           for k, kind in PROGRESS_COLUMNS],
                  footer=Msg("common.rows", n=len(rows)))
