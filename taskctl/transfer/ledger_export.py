"""The whole ledger as a file an office keeps, edits and imports again.

``tasks`` holds every task with every column ``import tasks`` reads (plus a
few it ignores: area_name, original_due, extensions); ``progress`` holds every
progress update in the shape ``import progress`` reads.  Headers are the
English keys (stable, like every taskctl CSV) or, with ``headers="zh"``, the
Chinese headers office ledgers use — both import back unchanged.

The due date is the one in force today (the deadline the office works to),
with its text as typed; the original date and the number of extensions are
shown beside it.  Dated history other than progress (extensions,
instructions, earlier status changes) stays in taskctl: the status column is
the current status and ``status_on`` the date it took effect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from taskctl.i18n import t
from taskctl.models import Progress, Task
from taskctl.render.cells import csv_cell
from taskctl.render.text import csv_text, with_bom
from taskctl.snapshot import Filters, snapshot

# (key, kind, Chinese header) — the Chinese headers are aliases ``import`` knows
TASK_COLUMNS = (
    ("id", "int", "编号"), ("ref", "text", "序号"), ("area", "text", "聚焦领域"), ("area_name", "text", None),
    ("title", "text", "工作任务"), ("detail", "text", "具体内容"), ("lead_unit", "text", "牵头单位"),
    ("co_units", "list", "配合单位"), ("leader", "text", "责任领导"), ("start", "date", "开始时间"),
    ("due", "date", "完成时限"), ("due_text", "text", "时限（原文）"), ("original_due", "date", "原定时限"),
    ("extensions", "int", "延期次数"), ("status", "text", "状态"), ("status_on", "date", "状态日期"),
    ("invest", "money", "计划投资（万元）"), ("target_q1", "number", "一季度目标"), ("target_q2", "number", "二季度目标"),
    ("target_q3", "number", "三季度目标"), ("target_q4", "number", "四季度目标"), ("works_start", "date", "计划开工"),
    ("production", "date", "计划投产"), ("tags", "list", "标签"), ("source", "text", "来源"),
)
PROGRESS_COLUMNS = (
    ("id", "int", "编号"), ("area", "text", "聚焦领域"), ("title", "text", "工作任务"), ("on", "date", "报送日期"),
    ("percent", "number", "完成进度"), ("invest_done", "money", "累计完成投资（万元）"), ("stage", "text", "阶段"),
    ("note", "text", "进展情况"), ("problems", "text", "存在问题"), ("next", "text", "下步打算"),
    ("recorded_by", "text", "记录人"),
)
HEADERS = ("en", "zh")


@dataclass
class Table:
    """Headers, kinds and typed rows of one exported sheet."""

    name: str  # tasks | progress
    title: str  # sheet title
    keys: list[str]
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]]


def _columns(spec, headers: str) -> list[tuple[str, str, str]]:
    if headers == "zh":
        return [(k, kind, zh) for k, kind, zh in spec if zh]
    return [(k, kind, k) for k, kind, _ in spec]


def task_table(session: Session, *, today: dt.date, headers: str = "en", filters: Filters | None = None) -> Table:
    facts = snapshot(session, today, filters)
    extra = {}
    ids = [f.id for f in facts]
    for start in range(0, len(ids), 20000):
        chunk = ids[start:start + 20000]
        for row in session.execute(select(Task.id, Task.detail, Task.works_start, Task.production, Task.source,
                                          Task.status).where(Task.id.in_(chunk))):
            extra[row[0]] = row[1:]
    cols = _columns(TASK_COLUMNS, headers)
    zh = headers == "zh"
    rows = []
    for f in facts:
        detail, works_start, production, source, status = extra[f.id]
        values = {
            "id": f.id, "ref": f.ref, "area": f.area_name if zh else f.area_key, "area_name": f.area_name,
            "title": f.title, "detail": detail, "lead_unit": f.lead_unit, "co_units": list(f.co_units),
            "leader": f.leader, "start": f.start, "due": f.due, "due_text": f.due_text,
            "original_due": f.original_due, "extensions": f.extensions,
            "status": t_zh("status." + f.status) if zh else f.status, "status_on": f.status_on,
            "invest": f.invest, "target_q1": f.targets[0], "target_q2": f.targets[1], "target_q3": f.targets[2],
            "target_q4": f.targets[3], "works_start": works_start, "production": production,
            "tags": list(f.tags), "source": source,
        }
        rows.append([values[k] for k, _, _ in cols])
    return Table("tasks", "任务台账" if zh else "tasks", [c[0] for c in cols], [c[2] for c in cols],
                 [c[1] for c in cols], rows)


def progress_table(session: Session, *, today: dt.date, headers: str = "en", filters: Filters | None = None) -> Table:
    facts = {f.id: f for f in snapshot(session, today, filters)}
    cols = _columns(PROGRESS_COLUMNS, headers)
    zh = headers == "zh"
    rows = []
    stmt = select(Progress).order_by(Progress.task_id, Progress.on_date, Progress.id)
    if filters is not None and filters != Filters():
        stmt = stmt.where(Progress.task_id.in_(list(facts)))
    order = {tid: i for i, tid in enumerate(facts)}  # tasks in ledger order (area, id)
    updates = sorted(session.execute(stmt).scalars(), key=lambda p: (order.get(p.task_id, len(order)), p.on_date, p.id))
    for p in updates:
        f = facts.get(p.task_id)
        if f is None:
            continue
        values = {
            "id": p.task_id, "area": f.area_name if zh else f.area_key, "title": f.title, "on": p.on_date,
            "percent": p.percent, "invest_done": p.invest_done,
            "stage": t_zh("stage." + p.stage) if (zh and p.stage) else p.stage, "note": p.note,
            "problems": p.problems, "next": p.next_steps, "recorded_by": p.recorded_by,
        }
        rows.append([values[k] for k, _, _ in cols])
    return Table("progress", "进展" if zh else "progress", [c[0] for c in cols], [c[2] for c in cols],
                 [c[1] for c in cols], rows)


def t_zh(key: str) -> str:
    """The Chinese word, whatever the interface language: the zh-header file is for Chinese ledgers."""
    from taskctl.i18n import both

    return both(key)[0]


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM (Excel on a Chinese desktop), CRLF, formula-like text neutralised."""
    return with_bom(csv_text(table.headers, ([csv_cell(v, kind) for v, kind in zip(row, table.kinds)]
                                             for row in table.rows)))


def to_xlsx(path, tables: list[Table], tick=None) -> None:
    from taskctl.render.xlsx import Sheet, write_workbook

    write_workbook(path, [Sheet(tb.title, tb.headers, tb.kinds, tb.rows) for tb in tables],
                   properties={"title": t("export.ledger_title")}, tick=tick)
