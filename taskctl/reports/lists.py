"""Lists of the recording half: the ledger view (task list), task detail, and
the area, unit, leader and progress lists — each a ``Report`` for every format."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from taskctl.i18n import t
from taskctl.reader import reader_of
from taskctl.reports.model import C, Msg, Report, round1
from taskctl.reports.rows import TASK_LIST_DROP, state_counts, task_columns, task_row
from taskctl.rules_sql import state_counts as state_counts_in_sql
from taskctl.snapshot import Filters, each_fact, first_ids, gc_paused, snapshot


def task_list(source, as_of: dt.date, filters: Filters, first: int | None = None) -> Report:
    """The ledger as of D; ``first``: only the first rows are read whole — every task is still judged, by
    the database (``rules_sql.state_counts``), for the count of each state the footer gives."""
    count = None
    if first is None:
        facts = snapshot(source, as_of, filters)
        counts = state_counts(facts)
    else:
        counts = state_counts_in_sql(reader_of(source), as_of, filters)  # every task judged by the database
        if counts is not None:
            chosen = first_ids(source, as_of, filters, first) if first else []
        else:  # a ledger without a year: judged one at a time in Python
            counts = {}
            chosen = []
            with gc_paused():
                for f in each_fact(source, as_of, filters):  # in the list's own order: area, then id
                    counts[f.state] = counts.get(f.state, 0) + 1
                    if len(chosen) < first:
                        chosen.append(f.id)
        facts = snapshot(source, as_of, replace(filters, task_ids=chosen)) if chosen else []
        count = sum(counts.values())
    rows = [task_row(f) for f in facts]
    parts: list[Msg | str] = []
    for s, n in sorted(counts.items(), key=lambda kv: list(_STATE_ORDER).index(kv[0])):
        parts += [" · "] * bool(parts) + [Msg("report.state_n", state=Msg("state." + s), n=n)]
    n = len(rows) if count is None else count
    footer = Msg("task.list_footer", n=n, detail=Msg.joined(*parts)) if n else Msg("task.list_empty")
    return Report(name="tasks", title=Msg("task.list_title", as_of=as_of.isoformat()),
                  columns=task_columns(drop=TASK_LIST_DROP),
                  rows=rows, as_of=as_of, footer=footer, json_array=True, count=count)


_STATE_ORDER = ("overdue", "behind", "not_started", "on_track", "done", "paused", "cancelled")


_PROGRESS = "id, task_id, on_date, percent, invest_done, stage, note, problems, next_steps, recorded_by"


def _progress(row: tuple) -> SimpleNamespace:
    return SimpleNamespace(**dict(zip(_PROGRESS.split(", "), row)))


def task_detail(source, task: Any, as_of: dt.date) -> tuple[dict[str, Any], Report]:
    """The task's row (as of ``as_of``) plus every dated event, for `task show` (``task``: its id, or the
    ``Task`` itself)."""
    task_id = getattr(task, "id", task)
    q = reader_of(source)
    fact = snapshot(q, as_of, Filters(task_ids=[task_id]))[0]
    row = task_row(fact)
    detail, source_text, q1, q2, q3, q4, works_start, production = q.one(
        "SELECT detail, source, target_q1, target_q2, target_q3, target_q4, works_start, production "
        "FROM task WHERE id = :t", {"t": task_id}, dates=(6, 7))
    row.update({
        "detail": detail, "source": source_text,
        "targets": {k: v for k, v in zip(("Q1", "Q2", "Q3", "Q4"), (q1, q2, q3, q4)) if v is not None} or None,
        "works_start": works_start, "production": production,
    })
    events: list[dict[str, Any]] = []
    one = {"t": task_id}
    for r in q.rows(f"SELECT {_PROGRESS} FROM progress WHERE task_id = :t", one, dates=(2,)):
        p = _progress(r)
        events.append({"on": p.on_date, "kind": "progress", "id": p.id, "text": _progress_text(p), "by": p.recorded_by})
    for sid, status, on, note, by in q.rows("SELECT id, status, on_date, note, recorded_by FROM status_change "
                                            "WHERE task_id = :t", one, dates=(2,)):
        events.append({"on": on, "kind": "status", "id": sid,
                       "text": t("status." + status) + (f" — {note}" if note else ""), "by": by})
    for xid, on, old_due, new_due, new_due_text, reason, by, withdrawn_on, withdrawn_reason in q.rows(
            "SELECT id, on_date, old_due, new_due, new_due_text, reason, recorded_by, withdrawn_on, withdrawn_reason "
            "FROM extension WHERE task_id = :t", one, dates=(1, 2, 3, 7)):
        events.append({"on": on, "kind": "extension", "id": xid,
                       "text": t("task.extension_text", old=_iso(old_due), new=_iso(new_due),
                                 text=_typed(new_due_text, new_due), reason=reason), "by": by})
        if withdrawn_on is not None:
            events.append({"on": withdrawn_on, "kind": "extension", "id": xid,
                           "text": t("task.extension_withdrawn_text", id=xid, due=_iso(old_due))
                           + (f" — {withdrawn_reason}" if withdrawn_reason else ""), "by": ""})
    for iid, on, text, by, name in q.rows("SELECT i.id, i.on_date, i.text, i.recorded_by, l.name FROM instruction i "
                                          "JOIN leader l ON l.id = i.leader_id WHERE i.task_id = :t", one, dates=(1,)):
        events.append({"on": on, "kind": "instruction", "id": iid, "text": f"{name}: {text}", "by": by})
    order = {"status": 0, "extension": 1, "instruction": 2, "progress": 3}
    events.sort(key=lambda e: (e["on"], order[e["kind"]], e["id"]))
    report = Report(name="task_events", title=Msg("task.events_title", id=task_id),
                    columns=[C("on", "date"), C("kind", "event", drop=3), C("id", "int", drop=2), C("text"),
                             C("by", drop=1)],
                    rows=[dict(e) for e in events], as_of=as_of, json_array=True)
    row["events"] = [dict(e) for e in events]
    return row, report


def _typed(text: str | None, d: dt.date) -> str:
    return f"（{text}）" if text and text != d.isoformat() else ""


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else "—"


def _progress_text(p: Any) -> str:
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


def area_list(source) -> Report:
    q = reader_of(source)
    counts = dict(q.rows("SELECT area_id, count(id) FROM task GROUP BY area_id"))
    rows = [{"number": number, "key": key, "name": name_zh, "name_en": name_en, "tasks": counts.get(aid, 0),
             "description": description}
            for aid, number, key, name_zh, name_en, description
            in q.rows("SELECT id, number, key, name_zh, name_en, description FROM area ORDER BY number")]
    return Report(name="areas", title=Msg("area.list_title"), rows=rows, json_array=True,
                  columns=[C("number", "int"), C("key", drop=2), C("name"), C("name_en", drop=1), C("tasks", "int", drop=3),
                           C("description", table=False)], footer=Msg("common.rows", n=len(rows)))


def unit_list(source, kind: str | None = None) -> Report:
    q = reader_of(source)
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in q.rows("SELECT unit_id, alias FROM unit_alias ORDER BY id"):
        aliases.setdefault(unit_id, []).append(alias)
    lead = dict(q.rows("SELECT lead_unit_id, count(id) FROM task GROUP BY lead_unit_id"))
    co = dict(q.rows("SELECT unit_id, count(task_id) FROM task_unit GROUP BY unit_id"))
    order = {"county": 0, "zone": 1, "department": 2, "enterprise": 3, "soe": 4}
    units = sorted(q.rows("SELECT id, name, kind, contact_person, contact_phone FROM unit"
                          + (" WHERE kind = :kind" if kind else ""), {"kind": kind} if kind else None),
                   key=lambda u: (order.get(u[2], 9), u[0]))
    rows = [{"id": uid, "name": name, "aliases": aliases.get(uid, []), "kind": ukind,
             "kind_name": t("kind." + ukind), "contact_person": person, "contact_phone": phone,
             "lead_tasks": lead.get(uid, 0), "co_tasks": co.get(uid, 0)} for uid, name, ukind, person, phone in units]
    return Report(name="units", title=Msg("unit.list_title"), rows=rows, json_array=True,
                  columns=[C("id", "int"), C("name"), C("aliases", "list", drop=1), C("kind", table=False),
                           C("kind_name", drop=6), C("contact_person", drop=3), C("contact_phone", drop=4),
                           C("lead_tasks", "int", drop=5), C("co_tasks", "int", drop=2)],
                  footer=Msg("common.rows", n=len(rows)))


def leader_list(source) -> Report:
    q = reader_of(source)
    counts = dict(q.rows("SELECT leader_id, count(id) FROM task GROUP BY leader_id"))
    rows = [{"id": lid, "name": name, "title": title, "tasks": counts.get(lid, 0)}
            for lid, name, title in q.rows("SELECT id, name, title FROM leader ORDER BY id")]
    return Report(name="leaders", title=Msg("leader.list_title"), rows=rows, json_array=True,
                  columns=[C("id", "int"), C("name"), C("title", label="col.leader_title", drop=2),
                           C("tasks", "int", drop=1)],
                  footer=Msg("common.rows", n=len(rows)))


def progress_row(p: Any) -> dict[str, Any]:
    """An update's row (``p``: a ``Progress`` or any object with its fields)."""
    return {"id": p.id, "task_id": p.task_id, "on": p.on_date, "percent": round1(p.percent),
            "invest_done": round1(p.invest_done), "stage": p.stage, "note": p.note, "problems": p.problems,
            "next": p.next_steps, "recorded_by": p.recorded_by}


PROGRESS_COLUMNS = [("id", "int"), ("task_id", "int"), ("on", "date"), ("percent", "percent"),
                    ("invest_done", "money"), ("stage", "stage"), ("note", "text"), ("problems", "text"),
                    ("next", "text"), ("recorded_by", "text")]
# the update's date, percent and note stay longest
PROGRESS_DROP = {"recorded_by": 1, "task_id": 2, "next": 3, "problems": 4, "invest_done": 5, "stage": 6}


def progress_list(source, task: Any) -> Report:
    """A task's updates in date order (``task``: its id, or the ``Task`` itself)."""
    task_id = getattr(task, "id", task)
    q = reader_of(source)
    title = q.scalar("SELECT title FROM task WHERE id = :t", {"t": task_id})
    rows = [progress_row(_progress(r)) for r in q.rows(f"SELECT {_PROGRESS} FROM progress WHERE task_id = :t "
                                                       "ORDER BY on_date, id", {"t": task_id}, dates=(2,))]
    return Report(name="progress", title=Msg("progress.list_title", id=task_id, title=title), rows=rows,
                  json_array=True, columns=[C(k, kind, drop=PROGRESS_DROP.get(k))
                                           for k, kind in PROGRESS_COLUMNS],
                  footer=Msg("common.rows", n=len(rows)))
